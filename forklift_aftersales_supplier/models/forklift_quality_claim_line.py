from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.forklift_aftersales.models.forklift_document_fields import (
    computed_editable,
    document_company,
)
from odoo.addons.forklift_aftersales.tools import parents_of_new

# What is claimed: set while the claim is a draft. What is agreed: negotiated
# until the supplier accepts.
CLAIMED_FIELDS = {"cost_type", "product_id", "name", "quantity", "price_unit"}
AGREED_FIELDS = {"amount_agreed"}
AGREED_STATES = ("draft", "claimed", "negotiation")
COST_TYPES = [
    ("parts", "Parts"),
    ("labour", "Labour"),
    ("freight", "Freight"),
]


class ForkliftQualityClaimLine(models.Model):
    """One cost claimed from the supplier: a part, labour or freight, with the
    amount claimed and the amount agreed after negotiation. Supplier, failed
    part, period and amounts are stored for the statistics by supplier and
    part (R-261)."""

    _name = "forklift.quality.claim.line"
    _description = "Forklift Quality Claim Cost"
    _inherit = ["forklift.flow.mixin"]
    _order = "claim_id, sequence, id"

    claim_id = fields.Many2one(
        "forklift.quality.claim", required=True, ondelete="cascade", index=True
    )
    company_id = document_company("claim_id")
    sequence = fields.Integer(default=10)
    cost_type = fields.Selection(COST_TYPES, required=True, default="parts")
    product_id = computed_editable(
        fields.Many2one, "_compute_product_id", "product.product"
    )
    name = computed_editable(
        fields.Char, "_compute_name", string="Description", required=True
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    price_unit = fields.Float(string="Unit Price", digits="Product Price")
    currency_id = fields.Many2one(related="claim_id.currency_id")
    amount_claimed = fields.Monetary(
        string="Claimed", compute="_compute_amount_claimed", store=True
    )
    amount_agreed = computed_editable(
        fields.Monetary,
        "_compute_amount_agreed",
        string="Agreed",
        help="What the supplier accepted to pay; the amount claimed until the "
        "negotiation changes it.",
    )
    amount_recovered = fields.Monetary(
        string="Recovered", compute="_compute_amount_recovered", store=True
    )
    supplier_id = fields.Many2one(
        related="claim_id.supplier_id", store=True, index=True
    )
    failed_part_id = fields.Many2one(
        related="claim_id.product_id", string="Failed Part", store=True, index=True
    )
    claim_date = fields.Date(related="claim_id.claim_date", store=True)
    state = fields.Selection(related="claim_id.state", store=True)

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity of a claimed cost must be positive."
    )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {"amount_claimed", "amount_recovered"}

    @api.model
    def _get_fixed_fields(self):
        return super()._get_fixed_fields() | {"claim_id"}

    @api.model
    def _get_state_locked_fields(self):
        """What is claimed changes while the claim is a draft, what is agreed
        until the supplier accepts; the order of the costs, as the claim's
        form lets it, until then too."""
        locked = dict.fromkeys(CLAIMED_FIELDS, ("draft",))
        locked.update(dict.fromkeys(AGREED_FIELDS | {"sequence"}, AGREED_STATES))
        return locked

    def _get_locked_fields(self):
        """What is agreed also waits while the after-sales committee has the
        contested claim before it: the committee decides, then purchasing
        sets the agreed amounts accordingly (000 §4.2.4; R-020, R-052)."""
        locked = super()._get_locked_fields()
        if self._is_before_committee():
            locked |= AGREED_FIELDS
        return locked

    def _is_before_committee(self):
        """The claim is open to negotiation but before the committee."""
        self.ensure_one()
        return self.claim_id.state in AGREED_STATES and bool(
            self.claim_id._get_pending_committee_reviews()
        )

    def _get_state_locked_message(self, names):
        if names & AGREED_FIELDS and self._is_before_committee():
            return self.env._(
                "%(claim)s is before the after-sales committee (%(review)s): its "
                "agreed amounts are set once the committee has decided.",
                claim=self.claim_id.display_name,
                review=", ".join(
                    self.claim_id._get_pending_committee_reviews().mapped("name")
                ),
            )
        if names & CLAIMED_FIELDS:
            what = self.env._("changes of a cost")
        else:
            what = self.env._("negotiation")
        return self._get_claim_closed_message(self.claim_id, what)

    @api.model
    def _get_claim_closed_message(self, claim, what):
        return self.env._(
            "%(claim)s is no longer open to %(what)s: its costs cannot change.",
            claim=claim.display_name,
            what=what,
        )

    @api.model
    def _check_claims_open(self, claims, states, what):
        """Costs are added, changed or removed (``what``) only while their
        claim is in ``states``."""
        for claim in claims:
            if claim.state not in states:
                raise UserError(self._get_claim_closed_message(claim, what))

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_flow_write():
            # the claims the lines get, given or by a context default
            self._check_claims_open(
                parents_of_new(self, vals_list, "claim_id"),
                ("draft",),
                self.env._("new costs"),
            )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self._check_claims_open(self.claim_id, ("draft",), self.env._("removing costs"))

    @api.constrains("quantity", "price_unit", "amount_agreed")
    def _check_amounts(self):
        """Checked on what QA and purchasing set, not on ``amount_claimed``:
        Odoo checks a stored computed field's constraints right after
        computing it, and the amount agreed, computed from the amount
        claimed, is then not recomputed yet. Every change of the amount
        claimed comes from ``quantity`` or ``price_unit``, and recomputes the
        amount agreed unless it is written too: the amounts read here are
        final."""
        for line in self:
            if line.price_unit < 0:
                raise ValidationError(
                    self.env._(
                        "A claimed unit price cannot be negative (%s).", line.name
                    )
                )
            if line.amount_agreed < 0:
                raise ValidationError(
                    self.env._("An agreed amount cannot be negative (%s).", line.name)
                )
            if (
                line.currency_id.compare_amounts(
                    line.amount_agreed, line.amount_claimed
                )
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The supplier cannot agree to more than was claimed "
                        "(%(line)s: %(agreed)s agreed, %(claimed)s claimed).",
                        line=line.name,
                        agreed=line.amount_agreed,
                        claimed=line.amount_claimed,
                    )
                )

    @api.depends("cost_type")
    def _compute_product_id(self):
        products = {
            "labour": self.env.ref(
                "forklift_aftersales_supplier.product_claim_labour",
                raise_if_not_found=False,
            ),
            "freight": self.env.ref(
                "forklift_aftersales_supplier.product_claim_freight",
                raise_if_not_found=False,
            ),
        }
        for line in self:
            if line.cost_type in products and (
                not line.product_id or line.product_id in products.values()
            ):
                line.product_id = products[line.cost_type]
            elif not line.product_id and line.cost_type == "parts":
                line.product_id = line.claim_id.product_id

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id and not line.name:
                line.name = line.product_id.display_name

    @api.depends("quantity", "price_unit")
    def _compute_amount_claimed(self):
        for line in self:
            currency = line.currency_id or line.env.company.currency_id
            line.amount_claimed = currency.round(line.quantity * line.price_unit)

    @api.depends("amount_claimed")
    def _compute_amount_agreed(self):
        for line in self:
            line.amount_agreed = line.amount_claimed

    @api.depends("amount_agreed", "claim_id.state")
    def _compute_amount_recovered(self):
        for line in self:
            line.amount_recovered = (
                line.amount_agreed if line.claim_id.state == "settled" else 0.0
            )

    def _prepare_refund_line_vals(self):
        """A credit note line for the agreed amount, without tax: the claim is a
        compensation agreed in full."""
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "name": self.name,
            "quantity": 1,
            "price_unit": self.amount_agreed,
            "tax_ids": [fields.Command.clear()],
        }

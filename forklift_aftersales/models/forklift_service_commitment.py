from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import check_warranty_months, list_action
from .forklift_document_fields import (
    company_field,
    customer_link,
    dealer_link,
    stamp_user,
    stamped,
    workflow_state,
)

COMMITMENT_STATES = [
    ("draft", "Draft"),
    ("active", "Signed"),
    ("cancel", "Cancelled"),
]


class ForkliftServiceCommitment(models.Model):
    """Service commitment letter (售后服务承诺书, 000 第四篇, R-025).

    Given to a customer with a tender or a contract, signed by the maker and
    its local dealer: the warranty period and working hours, how fast the
    service center answers and is on site, and how fast parts are supplied.
    Once signed, its terms replace the defaults for the customer's forklifts:
    their warranty end, the response commitment of their feedback sheets and
    the supply commitment of their parts requests. A signed letter's terms do
    not change: cancel it and sign a new one.
    """

    _name = "forklift.service.commitment"
    _description = "Forklift Service Commitment Letter"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.flow.mixin",
    ]
    _order = "signed_date desc, id desc"
    _check_company_auto = True

    state = workflow_state(COMMITMENT_STATES, index=True)
    partner_id = customer_link(
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
        check_company=True,
    )
    dealer_id = dealer_link(
        string="Local Dealer",
        tracking=True,
        help="The local dealer signing the letter with the company.",
        check_company=True,
    )
    tender_ref = fields.Char(
        string="Tender or Contract",
        tracking=True,
        help="What the letter was given for.",
    )
    company_id = company_field(index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    signed_date = stamped(fields.Date, string="Signed On")
    signed_by_id = stamp_user()
    warranty_months = fields.Integer(
        string="Warranty Period (months)",
        help="From the acceptance; 0 keeps the forklift model's period.",
    )
    warranty_hours = fields.Float(
        string="Warranty Working Hours",
        help="Whichever comes first with the period; 0 keeps the model's hours.",
    )
    sla_policy_ids = fields.One2many(
        "forklift.sla.policy",
        "commitment_id",
        string="Response Times",
        context={"active_test": False},
        help="Answer and on-site times promised to this customer; the first "
        "matching line applies, before the general commitments.",
    )
    parts_common_hours = fields.Float(
        string="Common Parts Within (hours)",
        help="Common parts handed over within this time (000 第四篇 §6); 0 keeps "
        "the company's commitment.",
    )
    parts_urgent_hours = fields.Float(
        string="Urgent Parts Within (hours)",
        help="Urgently needed parts delivered within this time (000 第四篇 §7); "
        "0 keeps the company's commitment.",
    )
    parts_stock_value = fields.Monetary(
        string="Parts Stock Promised",
        help="The value of the spare-parts stock the letter promises to keep.",
    )
    text = fields.Html(string="Letter", help="The other commitments of the letter.")
    unit_ids = fields.One2many(
        "forklift.unit", "commitment_id", string="Forklifts Covered", readonly=True
    )
    unit_count = fields.Integer(compute="_compute_unit_count")

    _terms_positive = models.Constraint(
        "CHECK(warranty_months >= 0 AND warranty_hours >= 0 "
        "AND parts_common_hours >= 0 AND parts_urgent_hours >= 0 "
        "AND parts_stock_value >= 0)",
        "The terms of a service commitment cannot be negative.",
    )

    @api.depends("unit_ids")
    def _compute_unit_count(self):
        for letter in self:
            letter.unit_count = len(letter.unit_ids)

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "signed_date",
            "signed_by_id",
            "unit_ids",
        }

    @api.model
    def _get_term_fields(self):
        """What the letter says, as signed with the customer and the local
        dealer: its terms, its other commitments, who signed it and for which
        tender; fixed once the letter is signed (R-025, R-174–R-179). A change
        is a new letter."""
        return {
            "partner_id",
            "dealer_id",
            "tender_ref",
            "text",
            "warranty_months",
            "warranty_hours",
            "parts_common_hours",
            "parts_urgent_hours",
            "parts_stock_value",
            "company_id",
        }

    @api.model
    def _get_state_locked_fields(self):
        """The terms change only while the letter is a draft."""
        return dict.fromkeys(self._get_term_fields(), ("draft",))

    def _get_state_locked_message(self, names):
        return self.env._(
            "%s is signed: its terms no longer change. Cancel it and sign a new "
            "letter.",
            self.name,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        if any(letter.signed_date for letter in self):
            raise UserError(
                self.env._("A signed service commitment is kept: cancel it instead.")
            )

    @api.constrains("partner_id")
    def _check_customer(self):
        for letter in self:
            if letter.partner_id != letter.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "A service commitment is given to the customer's company, "
                        "not to %s.",
                        letter.partner_id.display_name,
                    )
                )

    @api.constrains("dealer_id")
    def _check_dealer_is_dealer(self):
        """The letter is signed by the company and its local dealer: a
        customer or any other partner is not taken for the dealer (R-025)."""
        for letter in self:
            letter.dealer_id._check_forklift_dealer_of(letter)

    @api.constrains("warranty_months")
    def _check_warranty_months(self):
        """A warranty period the forklifts' warranty end can be computed
        from: at most a century."""
        for letter in self:
            check_warranty_months(letter, letter.warranty_months)

    # Actions

    def _check_director(self):
        if not self.env.user.has_group("forklift_aftersales.group_forklift_director"):
            raise AccessError(
                self.env._(
                    "Only the service center director signs or cancels a service "
                    "commitment."
                )
            )

    def action_sign(self):
        """The letter is signed: its terms apply to the customer's forklifts
        from now on."""
        self._check_director()
        self._check_state(
            ("draft",), self.env._("Only a draft letter can be signed (%s).")
        )
        self._write_flow(
            {
                "state": "active",
                "signed_date": self.company_id._forklift_today(),
                "signed_by_id": self.env.uid,
            }
        )
        self._apply_to_units()

    def action_cancel(self):
        self._check_director()
        self._cancel_flow()
        self._apply_to_units()

    def action_view_units(self):
        self.ensure_one()
        return list_action(
            self.env,
            "forklift_aftersales.forklift_unit_action",
            [("commitment_id", "=", self.id)],
            create=False,
        )

    # Business methods

    def _apply_to_units(self):
        """The customers' forklifts take their newest signed letter (or none)
        again, and with it its warranty terms."""
        units = (
            self.env["forklift.unit"].search(
                [("partner_id", "child_of", self.partner_id.ids)]
            )
            | self.unit_ids
        )
        # sudo: the letter's own effect on the forklifts it covers
        units.sudo()._assign_commitment()

    @api.model
    def _find_for_partner(self, partner, company):
        """The newest signed letter of the customer's company."""
        if not partner:
            return self.browse()
        # sudo: whoever registers a forklift gets its customer's letter
        return self.sudo().search(
            [
                ("state", "=", "active"),
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "in", [company.id, False]),
            ],
            order="signed_date desc, id desc",
            limit=1,
        )

    def _get_active(self, at=None):
        """This letter when it is signed (by the moment ``at``, when given),
        else nothing: a letter does not reach back to reports and requests
        made before it was signed."""
        at = at and fields.Date.to_date(at)
        return self.filtered(
            lambda c: c.state == "active" and not (at and c.signed_date > at)
        )

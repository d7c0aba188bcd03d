from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

LOCAL_PURCHASE_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("reimbursed", "Reimbursed"),
    ("cancel", "Cancelled"),
]


class ForkliftLocalPurchase(models.Model):
    """Urgent local purchase of parts on site (000 §4.3.2.2, R-017, R-103).

    Bought at the company guide price with the service center director's
    consent by phone, then reimbursed within 30 days against the invoice and
    an explanation. Approval by unit price: up to 500 the director and the QA
    manager, confirmed by the after-sales VP; above 500 also the supply VP.
    """

    _name = "forklift.local.purchase"
    _description = "Forklift Local Parts Purchase"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "tier.validation",
    ]
    _order = "id desc"
    _state_from = ["draft"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    state = fields.Selection(
        LOCAL_PURCHASE_STATES,
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
        group_expand=True,
    )
    case_id = fields.Many2one(
        "forklift.case", string="Feedback Sheet", required=True, index=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    technician_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, tracking=True
    )
    seller = fields.Char(required=True)
    consent_by_id = fields.Many2one(
        "res.users",
        string="Director's Consent By",
        help="The service center director who agreed by phone before the purchase.",
    )
    consent_date = fields.Datetime(string="Consent Given On")
    purchase_date = fields.Date(required=True, default=fields.Date.context_today)
    claim_date = fields.Date(
        string="Reimbursement Claimed On",
        default=fields.Date.context_today,
        required=True,
    )
    claim_deadline = fields.Date(compute="_compute_claim_deadline", store=True)
    is_claim_late = fields.Boolean(compute="_compute_claim_deadline", store=True)
    explanation = fields.Text(required=True)
    invoice_attachment_ids = fields.Many2many(
        "ir.attachment",
        "forklift_local_purchase_attachment_rel",
        "purchase_id",
        "attachment_id",
        string="Seller's Invoice",
    )
    line_ids = fields.One2many(
        "forklift.local.purchase.line", "purchase_id", string="Parts", copy=True
    )
    amount_total = fields.Monetary(compute="_compute_amounts", store=True)
    max_unit_price = fields.Float(
        string="Highest Unit Price", compute="_compute_amounts", store=True
    )
    bill_id = fields.Many2one(
        "account.move", string="Reimbursement", readonly=True, copy=False
    )

    @api.depends("line_ids.amount", "line_ids.unit_price")
    def _compute_amounts(self):
        for purchase in self:
            purchase.amount_total = sum(purchase.line_ids.mapped("amount"))
            purchase.max_unit_price = max(
                purchase.line_ids.mapped("unit_price") or [0.0]
            )

    @api.depends("purchase_date", "claim_date")
    def _compute_claim_deadline(self):
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("forklift_aftersales.local_purchase_claim_days", 30)
        )
        for purchase in self:
            deadline = purchase.purchase_date and purchase.purchase_date + timedelta(
                days=days
            )
            purchase.claim_deadline = deadline
            purchase.is_claim_late = bool(
                deadline and purchase.claim_date and purchase.claim_date > deadline
            )

    @api.constrains("purchase_date", "claim_date")
    def _check_dates(self):
        for purchase in self:
            if purchase.claim_date < purchase.purchase_date:
                raise ValidationError(
                    self.env._(
                        "The reimbursement cannot be claimed before the purchase."
                    )
                )

    def request_validation(self):
        for purchase in self:
            purchase._check_ready_for_validation()
        return super().request_validation()

    def _check_ready_for_validation(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Add the parts bought on %s.", self.name))
        if not (self.consent_by_id and self.consent_date):
            raise UserError(
                self.env._("Record the director's consent given before the purchase.")
            )
        if not self.invoice_attachment_ids:
            raise UserError(self.env._("Attach the seller's invoice."))
        above = self.line_ids.filtered(
            lambda line: line.is_above_guide and not line.reason
        )
        if above:
            raise UserError(
                self.env._(
                    "Explain why %s was bought above the guide price.",
                    ", ".join(above.product_id.mapped("display_name")),
                )
            )

    def _check_lines_editable(self):
        for purchase in self:
            if purchase.state != "draft" or purchase.review_ids:
                raise UserError(
                    self.env._(
                        "The parts of %s cannot change once approval was requested.",
                        purchase.name,
                    )
                )

    def validate_tier(self):
        res = super().validate_tier()
        if self.validation_status == "validated" and self.state == "draft":
            # sudo: the last reviewer approved; reviewers may not edit purchases
            self.sudo().action_approve()
        return res

    def action_approve(self):
        self.invalidate_recordset(["need_validation", "review_ids"])
        self.write({"state": "approved"})

    def action_reimburse(self):
        """Reimburse the technician with a vendor bill against the invoice."""
        for purchase in self:
            if purchase.state != "approved":
                raise UserError(self.env._("Only an approved purchase is reimbursed."))
            # sudo: after-sales staff have no accounting rights; the bill only
            # repeats the approved lines
            bill = (
                self.env["account.move"]
                .sudo()
                .create(
                    {
                        "move_type": "in_invoice",
                        "partner_id": purchase.technician_id.partner_id.id,
                        "invoice_date": purchase.claim_date,
                        "ref": purchase.name,
                        "invoice_line_ids": [
                            fields.Command.create(
                                {
                                    "product_id": line.product_id.id,
                                    "quantity": line.quantity,
                                    "price_unit": line.unit_price,
                                    "tax_ids": [fields.Command.clear()],
                                }
                            )
                            for line in purchase.line_ids
                        ],
                    }
                )
            )
            purchase.write({"bill_id": bill.id, "state": "reimbursed"})

    def action_cancel(self):
        if any(p.state == "reimbursed" for p in self):
            raise UserError(self.env._("A reimbursed purchase cannot be cancelled."))
        self.write({"state": "cancel"})


class ForkliftLocalPurchaseLine(models.Model):
    _name = "forklift.local.purchase.line"
    _description = "Forklift Local Parts Purchase Line"

    purchase_id = fields.Many2one(
        "forklift.local.purchase", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one("product.product", string="Part", required=True)
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    unit_price = fields.Float(required=True, digits="Product Price")
    guide_price = fields.Float(
        related="product_id.forklift_guide_price", digits="Product Price"
    )
    is_above_guide = fields.Boolean(compute="_compute_is_above_guide")
    reason = fields.Char(help="Why the part was bought above the guide price.")
    currency_id = fields.Many2one(related="purchase_id.currency_id")
    amount = fields.Monetary(compute="_compute_amount", store=True)

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity bought must be positive."
    )
    _unit_price_positive = models.Constraint(
        "CHECK(unit_price >= 0)", "The unit price cannot be negative."
    )

    @api.depends("unit_price", "guide_price")
    def _compute_is_above_guide(self):
        for line in self:
            line.is_above_guide = bool(
                line.guide_price and line.unit_price > line.guide_price
            )

    @api.depends("quantity", "unit_price")
    def _compute_amount(self):
        for line in self:
            line.amount = line.quantity * line.unit_price

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.purchase_id._check_lines_editable()
        return lines

    def write(self, vals):
        self.purchase_id._check_lines_editable()
        return super().write(vals)

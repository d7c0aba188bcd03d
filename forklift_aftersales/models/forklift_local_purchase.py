from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_amount

from .forklift_document_fields import (
    board_state,
    current_user,
    document_company,
    sheet_link,
    stamp_datetime,
    stamp_user,
    stamped,
)

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
        "forklift.approval.editor.mixin",
        "forklift.sequence.mixin",
        "forklift.flow.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "tier.validation",
    ]
    _order = "id desc"
    _state_from = ["draft"]
    _state_to = ["approved"]
    _flow_locked_under_approval = True
    _cancel_state = "cancel"
    _tier_validation_manual_config = False
    _check_company_auto = True

    state = board_state(LOCAL_PURCHASE_STATES)
    feedback_id = sheet_link(required=True, index=True)
    company_id = fields.Many2one(related="feedback_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    technician_id = current_user(required=True, tracking=True)
    seller = fields.Char(required=True)
    consent_by_id = stamp_user(
        "Director's Consent By",
        tracking=True,
        help="The service center director who agreed by phone before the "
        "purchase; he confirms it himself, nobody names him.",
    )
    consent_date = stamp_datetime("Consent Given On")
    purchase_date = fields.Date(required=True, default=fields.Date.context_today)
    claim_date = stamped(
        fields.Date,
        string="Reimbursement Claimed On",
        help="The day the technician asked for the reimbursement's approval, "
        "recorded by the server: the 30 days of the claim are counted to it.",
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
        copy=False,
        help="The seller's invoice of this purchase: it is reimbursed once, on "
        "one purchase that is not cancelled; a duplicate asks for its own.",
    )
    line_ids = fields.One2many(
        "forklift.local.purchase.line", "purchase_id", string="Parts", copy=True
    )
    amount_total = fields.Monetary(compute="_compute_amounts", store=True)
    max_unit_price = fields.Float(
        string="Highest Unit Price", compute="_compute_amounts", store=True
    )
    bill_id = stamped(
        fields.Many2one, "account.move", string="Reimbursement", check_company=True
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
        for purchase in self:
            deadline = purchase.company_id._forklift_deadline(
                purchase.purchase_date, "forklift_local_purchase_claim_days"
            )
            purchase.claim_deadline = deadline
            purchase.is_claim_late = bool(
                deadline and purchase.claim_date and purchase.claim_date > deadline
            )

    @api.constrains("purchase_date", "claim_date")
    def _check_dates(self):
        for purchase in self:
            if purchase.claim_date and purchase.claim_date < purchase.purchase_date:
                raise ValidationError(
                    self.env._(
                        "The reimbursement cannot be claimed before the purchase."
                    )
                )

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "consent_by_id",
            "consent_date",
            "bill_id",
            "amount_total",
            "max_unit_price",
            "claim_date",
            "claim_deadline",
            "is_claim_late",
        }

    @api.model
    def _get_state_locked_fields(self):
        """The claim is what the reviewers approve and the reimbursement pays:
        it changes only while the purchase is a draft (000 §4.3.2.2, R-017).
        Tier validation refuses it under approval and once approved, not once
        reimbursed; the lines themselves are frozen by
        ``forklift.approval.line.mixin``."""
        return dict.fromkeys(
            (
                "explanation",
                "feedback_id",
                "invoice_attachment_ids",
                "line_ids",
                "purchase_date",
                "seller",
                "technician_id",
            ),
            ("draft",),
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_unused(self):
        """A purchase under way or reimbursed keeps its bill and its
        approvals: cancel it instead (R-005)."""
        self._check_unlink_unused("bill_id")

    def request_validation(self):
        """Asking the approval is claiming the reimbursement (000 §4.3.2.2,
        R-103, R-166): the server records that day, once, so a late claim is
        not typed on time; asked again after a rejection, the claim keeps the
        day it was first made."""
        self._check_tier_requestable()
        for purchase in self:
            purchase._check_ready_for_validation()
        # before the reviews exist: they freeze the claim
        unclaimed = self.filtered(lambda p: not p.claim_date)
        if unclaimed:
            for purchase in unclaimed:
                purchase._write_flow(
                    {"claim_date": purchase.company_id._forklift_today()}
                )
        return super().request_validation()

    def _get_tier_applicants(self):
        """The technician who bought and whoever wrote the claim (created it,
        or changed the draft: see ``forklift.approval.editor.mixin``) never
        approve it (000 §4.3.2.2)."""
        # sudo: reading who applied, whoever may read the purchase
        purchase = self.sudo()
        return super()._get_tier_applicants() | purchase.technician_id

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
        self._check_invoice_claimed_once()
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

    def _get_invoice_claims(self):
        """The other purchases of the company, not cancelled, that claim the
        seller's invoice of this one: the same file, or the same file
        uploaded again (the same content)."""
        self.ensure_one()
        # sudo: every purchase of the company counts, whoever files this one;
        # only their numbers are told
        invoices = self.sudo().invoice_attachment_ids
        checksums = [checksum for checksum in invoices.mapped("checksum") if checksum]
        same_invoice = Domain("invoice_attachment_ids", "in", invoices.ids)
        if checksums:
            same_invoice |= Domain("invoice_attachment_ids.checksum", "in", checksums)
        return self.sudo().search(
            same_invoice
            & Domain("id", "!=", self.id)
            & Domain("company_id", "=", self.company_id.id)
            & Domain("state", "!=", "cancel")
        )

    def _check_invoice_claimed_once(self):
        """A seller's invoice is reimbursed once (000 §4.3.2.2, R-017, R-103):
        it backs one purchase of the company that is not cancelled, checked
        when the claim goes for approval, when it is approved and when it is
        reimbursed."""
        for purchase in self:
            claims = purchase._get_invoice_claims()
            if claims:
                raise UserError(
                    self.env._(
                        "The seller's invoice of %(purchase)s is already claimed "
                        "on %(other)s, which is not cancelled: an invoice is "
                        "reimbursed once. Attach the invoice of this purchase.",
                        purchase=purchase.display_name,
                        other=", ".join(claims.mapped("display_name")),
                    )
                )

    def action_confirm_consent(self):
        """The service center director confirms the consent he gave by phone
        before the purchase (000 §4.3.2.2, R-103): his name and the time are
        recorded by the server, never typed by the technician."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_director"):
            raise AccessError(
                self.env._(
                    "Only the service center director confirms his consent to a "
                    "local purchase."
                )
            )
        for purchase in self:
            if purchase.state != "draft" or purchase.review_ids:
                raise UserError(
                    self.env._(
                        "The consent to %s is given before its approval is asked.",
                        purchase.name,
                    )
                )
            if purchase.consent_by_id:
                raise UserError(
                    self.env._(
                        "%(director)s already consented to %(purchase)s.",
                        director=purchase.consent_by_id.name,
                        purchase=purchase.name,
                    )
                )
        self._write_flow(
            {"consent_by_id": self.env.user.id, "consent_date": fields.Datetime.now()}
        )

    def validate_tier(self):
        self._check_tier_approvable()
        res = super().validate_tier()
        if self._is_tier_concluded("validated"):
            # the last reviewer approved; reviewers may not edit purchases
            self._as_flow().action_approve()
        return res

    @api.private
    def action_approve(self):
        """The last review's step (``validate_tier``), which no form shows:
        never called over RPC, where a user whose purchase's reviews are all
        approved would take it without a review's step (R-005, R-200)."""
        self._check_tier_approvable()
        self.invalidate_recordset(
            ["need_validation", "review_ids", "validation_status"]
        )
        self._check_tier_validated()
        self._check_invoice_claimed_once()
        self._write_flow({"state": "approved"})

    def action_reimburse(self):
        """Reimburse the technician with a vendor bill against the invoice,
        once, after every approval; the technician does not reimburse
        himself."""
        self._check_staff(
            self.env._("Only after-sales staff reimburse local purchases.")
        )
        self._check_tier_state(
            ("approved",),
            self.env._(
                "%s is not an approved purchase waiting for its reimbursement: "
                "only an approved purchase is reimbursed, once."
            ),
        )
        self._check_tier_validated()
        self._check_invoice_claimed_once()
        for purchase in self:
            if purchase.bill_id:
                raise UserError(
                    self.env._("%s is already reimbursed.", purchase.display_name)
                )
            if self.env.user == purchase.technician_id and not self.env.su:
                raise AccessError(
                    self.env._(
                        "You bought the parts of %s: another person reimburses you.",
                        purchase.display_name,
                    )
                )
            # sudo: after-sales staff have no accounting rights; the bill only
            # repeats the approved lines
            bill = (
                self.env["account.move"]
                .sudo()
                .with_company(purchase.company_id)
                .create(
                    {
                        "move_type": "in_invoice",
                        "partner_id": purchase.technician_id.partner_id.id,
                        "invoice_date": purchase.claim_date,
                        "ref": purchase.name,
                        "company_id": purchase.company_id.id,
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
            purchase._write_flow({"bill_id": bill.id, "state": "reimbursed"})

    def _check_posted_flow_move(self, move):
        """The reimbursement pays the technician who bought the parts the
        total approved, without tax, in the company's currency (000
        §4.3.2.2, R-017): accounting posts it, and may correct its accounts
        or dates, not what it pays nor to whom."""
        self.ensure_one()
        bill = move.sudo()
        if not (
            bill.move_type == "in_invoice"
            and bill.company_id == self.company_id
            and bill.commercial_partner_id
            == self.technician_id.partner_id.commercial_partner_id
            and bill.currency_id == self.currency_id
            and not self.currency_id.compare_amounts(
                bill.amount_total, self.amount_total
            )
        ):
            raise UserError(
                self.env._(
                    "%(bill)s reimburses %(purchase)s: it pays %(technician)s the "
                    "%(amount)s approved, nothing else.",
                    bill=bill.display_name,
                    purchase=self.display_name,
                    technician=self.technician_id.partner_id.display_name,
                    amount=format_amount(self.env, self.amount_total, self.currency_id),
                )
            )

    def action_cancel(self):
        """Cancel the purchase; its reviews go with the cancellation."""
        self._check_staff(self.env._("Only after-sales staff cancel local purchases."))
        self._check_tier_state(
            ("draft", "approved"),
            self.env._(
                "%s is reimbursed or already cancelled: it cannot be cancelled."
            ),
        )
        self._write_flow({"state": "cancel"})

    def action_draft(self):
        """Re-open a cancelled purchase: its validation starts again."""
        self._check_staff(self.env._("Only after-sales staff re-open local purchases."))
        self._check_tier_state(
            ("cancel",),
            self.env._("Only a cancelled purchase is re-opened; %s is not cancelled."),
        )
        self._write_flow({"state": "draft"})
        self.restart_validation()


class ForkliftLocalPurchaseLine(models.Model):
    _name = "forklift.local.purchase.line"
    _description = "Forklift Local Parts Purchase Line"
    _inherit = ["forklift.approval.line.mixin"]
    _check_company_auto = True
    _line_document_field = "purchase_id"

    purchase_id = fields.Many2one(
        "forklift.local.purchase", required=True, ondelete="cascade", index=True
    )
    company_id = document_company("purchase_id")
    # a part of the purchase's company, or shared
    product_id = fields.Many2one(check_company=True)
    unit_price = fields.Float(required=True, digits="Product Price")
    guide_price = fields.Float(
        related="product_id.forklift_guide_price", digits="Product Price"
    )
    is_above_guide = fields.Boolean(compute="_compute_is_above_guide")
    reason = fields.Char(help="Why the part was bought above the guide price.")
    currency_id = fields.Many2one(related="purchase_id.currency_id")
    amount = fields.Monetary(compute="_compute_amount", store=True)
    # stored for the statistics by supplier
    supplier_id = fields.Many2one(
        help="Set by the server when the part is entered: the sheet's supplier "
        "at fault for the failed part, else the part's main vendor then (not "
        "the shop it was bought from).",
    )

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

    def _get_part_feedback(self):
        return self.purchase_id.feedback_id

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {"amount"}

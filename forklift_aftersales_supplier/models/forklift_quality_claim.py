from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount

from odoo.addons.forklift_aftersales.models.forklift_document_fields import (
    board_state,
    company_field,
    computed_editable,
    current_user,
    stamped,
)
from odoo.addons.forklift_aftersales.tools import (
    form_action,
    names_for_caller,
    readable_parents_of_new,
)

CLAIM_STATES = [
    ("draft", "Draft"),
    ("claimed", "Claimed"),
    ("negotiation", "Negotiating"),
    ("agreed", "Agreed"),
    ("settled", "Settled"),
    ("cancel", "Cancelled"),
]
# What QA writes on a claim before sending it to the supplier: what is
# claimed, against whom, for which sheets and part. Frozen once claimed.
DRAFT_FIELDS = {
    "supplier_id",
    "feedback_ids",
    "product_id",
    "lot_id",
    "purchase_order_id",
    "claim_date",
    "description",
}
# How the agreed claim is settled: chosen once the amount is agreed.
SETTLEMENT_FIELDS = {"settlement_mode", "deduction_bill_id"}
# QA and purchasing negotiate with the supplier together (000 §3.5)
NEGOTIATORS = (
    "forklift_aftersales.group_forklift_qa",
    "forklift_aftersales.group_forklift_purchasing",
)

SETTLEMENT_MODES = [
    ("credit_note", "Vendor credit note"),
    ("deduction", "Deduction from a vendor bill"),
]


class ForkliftQualityClaim(models.Model):
    """Supplier quality claim (质量索赔, R-018).

    000 §3.3 and §3.5: QA claims from the supplier whose part failed, with
    purchasing's help (export: the after-sales parts department and
    purchasing). A claim covers one or more feedback sheets, names the failed
    part and, when known, the lot and purchase order it came from; it claims
    parts, labour and freight, is negotiated to agreed amounts and settled by
    a vendor credit note, alone or deducted from an open vendor bill. The
    amounts claimed, agreed and recovered are stored for the statistics by
    supplier and part (R-261).
    """

    _name = "forklift.quality.claim"
    _description = "Forklift Supplier Quality Claim"
    _inherit = [
        "forklift.sequence.mixin",
        "portal.mixin",
        "mail.thread",
        # before mail.activity.mixin: the supplier neither searches nor
        # groups its documents by the staff's reminders
        "forklift.portal.document",
        "mail.activity.mixin",
        "forklift.flow.mixin",
    ]
    _order = "claim_date desc, id desc"
    _flow_deletable_states = ("draft",)
    # a claim once sent to the supplier is kept as well
    _flow_kept_field = "claimed_date"
    _check_company_auto = True

    state = board_state(CLAIM_STATES)
    supplier_id = fields.Many2one(
        "res.partner",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
        help="A supplier company the claim's company buys from.",
    )
    feedback_ids = fields.Many2many(
        "forklift.feedback",
        "forklift_quality_claim_feedback_rel",
        "claim_id",
        "feedback_id",
        string="Feedback Sheets",
        check_company=True,
        groups="forklift_aftersales.group_forklift_viewer",
    )
    product_id = fields.Many2one(
        "product.product", string="Failed Part", required=True, index=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Part Lot/Serial",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    purchase_order_id = computed_editable(
        fields.Many2one,
        "_compute_purchase_order_id",
        "purchase.order",
        check_company=True,
        domain="[('partner_id', 'child_of', supplier_id)]",
        help="The purchase the failed part came from, found from its lot when known.",
    )
    company_id = company_field(index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = current_user(
        string="QA Responsible",
        tracking=True,
        index=True,
        groups="forklift_aftersales.group_forklift_viewer",
    )
    purchaser_id = fields.Many2one(
        "res.users",
        string="Purchasing",
        tracking=True,
        groups="forklift_aftersales.group_forklift_viewer",
        help="The buyer who helps QA negotiate with the supplier (000 §3.5).",
    )
    claim_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    description = fields.Html(string="Failure and Evidence")
    line_ids = fields.One2many(
        "forklift.quality.claim.line", "claim_id", string="Claimed Costs", copy=True
    )
    amount_parts = fields.Monetary(
        string="Parts", compute="_compute_amounts", store=True
    )
    amount_labour = fields.Monetary(
        string="Labour", compute="_compute_amounts", store=True
    )
    amount_freight = fields.Monetary(
        string="Freight", compute="_compute_amounts", store=True
    )
    amount_claimed = fields.Monetary(
        string="Claimed", compute="_compute_amounts", store=True, tracking=True
    )
    amount_agreed = fields.Monetary(
        string="Agreed", compute="_compute_amounts", store=True, tracking=True
    )
    amount_recovered = fields.Monetary(
        string="Recovered",
        compute="_compute_amount_recovered",
        store=True,
        help="Amount of the posted vendor credit note.",
    )
    claimed_date = stamped(fields.Date, string="Sent to Supplier On")
    negotiation_note = fields.Html(
        copy=False, groups="forklift_aftersales.group_forklift_viewer"
    )
    settlement_mode = fields.Selection(SETTLEMENT_MODES, tracking=True, copy=False)
    deduction_bill_id = fields.Many2one(
        "account.move",
        string="Deducted From",
        copy=False,
        check_company=True,
        groups="forklift_aftersales.group_forklift_viewer",
        domain="[('move_type', '=', 'in_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', supplier_id), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
        help="An open bill of the supplier the claim is deducted from.",
    )
    refund_move_id = stamped(
        fields.Many2one,
        "account.move",
        string="Vendor Credit Note",
        check_company=True,
        groups="forklift_aftersales.group_forklift_viewer",
    )
    settled_date = stamped(fields.Date)
    committee_review_ids = fields.One2many(
        "forklift.committee.review",
        "quality_claim_id",
        string="Committee Reviews",
        groups="forklift_aftersales.group_forklift_viewer",
    )
    is_before_committee = fields.Boolean(
        string="Before the Committee",
        compute="_compute_is_before_committee",
        groups="forklift_aftersales.group_forklift_viewer",
        help="The supplier contested the claim and the after-sales committee "
        "has not decided yet: the claim waits for its decision.",
    )

    # Compute methods

    @api.depends("committee_review_ids.state")
    def _compute_is_before_committee(self):
        for claim in self:
            claim.is_before_committee = bool(claim._get_pending_committee_reviews())

    @api.depends("lot_id")
    def _compute_purchase_order_id(self):
        for claim in self:
            # sudo: QA traces the lot to its purchase without purchase rights
            orders = claim.lot_id.sudo().purchase_order_ids.filtered(
                lambda o, claim=claim: (
                    o.partner_id.commercial_partner_id
                    == claim.supplier_id.commercial_partner_id
                )
            )
            claim.purchase_order_id = orders[:1] or claim.purchase_order_id

    @api.depends("line_ids.amount_claimed", "line_ids.amount_agreed")
    def _compute_amounts(self):
        for claim in self:
            lines = claim.line_ids
            by_type = {
                cost_type: sum(
                    lines.filtered(
                        lambda line, t=cost_type: line.cost_type == t
                    ).mapped("amount_claimed")
                )
                for cost_type in ("parts", "labour", "freight")
            }
            claim.amount_parts = by_type["parts"]
            claim.amount_labour = by_type["labour"]
            claim.amount_freight = by_type["freight"]
            claim.amount_claimed = sum(lines.mapped("amount_claimed"))
            claim.amount_agreed = sum(lines.mapped("amount_agreed"))

    @api.depends(
        "refund_move_id.state",
        "refund_move_id.amount_total_signed",
    )
    def _compute_amount_recovered(self):
        for claim in self:
            refund = claim.refund_move_id
            claim.amount_recovered = (
                abs(refund.amount_total_signed) if refund.state == "posted" else 0.0
            )

    def _compute_access_url(self):
        for claim in self:
            claim.access_url = f"/my/forklift/claims/{claim.id}"

    def _get_report_base_filename(self):
        """The name of the printed claim downloaded from the portal."""
        self.ensure_one()
        return self.env._("Quality Claim %s", self.name)

    # Constraints

    @api.constrains("supplier_id", "company_id")
    def _check_supplier_is_vendor(self):
        """A claim is made against a supplier company of the claim's company,
        whatever partner id a client sends at creation, edit or import: never
        a customer company nor a person, who would be sent the claim, see it
        on the portal and be posted a vendor credit note (000 §3.3, §3.5;
        R-049, R-224, R-256)."""
        for claim in self:
            # sudo: whether the partner is a vendor is read from its rank and
            # the vendor price lines, which QA may not read without purchase
            # rights; nothing of them is returned
            claim = claim.sudo()
            company = claim.company_id
            supplier = claim.supplier_id
            if not supplier._is_forklift_supplier_company_of(company):
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a supplier company of %(company)s: a "
                        "quality claim is made against a company the company "
                        "buys from, never a customer or a person.",
                        partner=supplier.display_name,
                        company=company.display_name,
                    )
                )

    @api.constrains("feedback_ids", "supplier_id")
    def _check_feedback_supplier(self):
        """A claim is for sheets whose failure its supplier caused: each
        names it as the supplier at fault, as the sheets' button requires,
        whoever links them (000 §3.3, R-018)."""
        for claim in self:
            unnamed = claim.feedback_ids.filtered(lambda c: not c.supplier_id)
            if unnamed:
                raise ValidationError(
                    self.env._(
                        "%(cases)s name no supplier at fault: they are not "
                        "claimed from %(supplier)s.",
                        cases=", ".join(unnamed.mapped("name")),
                        supplier=claim.supplier_id.display_name,
                    )
                )
            others = claim.feedback_ids.filtered(
                lambda c, claim=claim: (
                    c.supplier_id.commercial_partner_id
                    != claim.supplier_id.commercial_partner_id
                )
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(cases)s name another responsible supplier than "
                        "%(supplier)s.",
                        cases=", ".join(others.mapped("name")),
                        supplier=claim.supplier_id.display_name,
                    )
                )

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        """The lot a claim names is one of its failed part: it traces the
        claim to the purchase the part came from (000 §3.5, R-018)."""
        for claim in self:
            # sudo: QA names the lot without stock rights
            lot = claim.sudo().lot_id
            if lot and lot.product_id != claim.product_id:
                raise ValidationError(
                    self.env._(
                        "%(lot)s is not a lot of %(part)s, the failed part of "
                        "%(claim)s.",
                        lot=lot.display_name,
                        part=claim.product_id.display_name,
                        claim=claim.display_name,
                    )
                )

    @api.constrains("purchase_order_id", "supplier_id")
    def _check_purchase_supplier(self):
        for claim in self:
            # sudo: QA names the purchase without purchase rights
            order = claim.sudo().purchase_order_id
            if order and (
                order.partner_id.commercial_partner_id
                != claim.supplier_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(order)s is not a purchase from %(supplier)s.",
                        order=names_for_caller(
                            order, self.env._("The chosen purchase")
                        ),
                        supplier=claim.supplier_id.display_name,
                    )
                )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "claimed_date",
            "refund_move_id",
            "settled_date",
            "amount_parts",
            "amount_labour",
            "amount_freight",
            "amount_claimed",
            "amount_agreed",
            "amount_recovered",
        }

    @api.model
    def _get_state_locked_fields(self):
        """Fields a user edits only while the claim is in the given states."""
        locked = dict.fromkeys(DRAFT_FIELDS, ("draft",))
        # how the supplier pays is chosen once the amount is agreed; the
        # negotiation is noted while it goes on (000 §3.5)
        locked.update(dict.fromkeys(SETTLEMENT_FIELDS, ("agreed",)))
        locked["negotiation_note"] = ("claimed", "negotiation")
        locked["line_ids"] = ("draft", "claimed", "negotiation")
        # who claimed and who helped stay on record once the claim is closed
        locked.update(
            dict.fromkeys(
                ("user_id", "purchaser_id"),
                ("draft", "claimed", "negotiation", "agreed"),
            )
        )
        return locked

    @api.model_create_multi
    def create(self, vals_list):
        self._check_sent_values(vals_list)
        # the suppliers the claims get, given or by a default (a
        # ``default_supplier_id`` context key a client sends with any call, a
        # user default), which Odoo's create would store unchecked
        self._check_supplier_logins(
            readable_parents_of_new(self, vals_list, "supplier_id")
        )
        claims = super().create(vals_list)
        claims._check_claims_duty()
        return claims

    def write(self, vals):
        self._check_sent_values([vals])
        # the checks below read as superuser: only on claims the user may edit
        self.check_access("write")
        if vals.get("supplier_id"):
            self._check_supplier_logins(
                self.env["res.partner"].browse(vals["supplier_id"])
            )
        if "feedback_ids" in vals:
            # the sheets it had and those it gets: both are claimed for
            self._check_claims_duty()
        res = super().write(vals)
        if "feedback_ids" in vals:
            self._check_claims_duty()
        return res

    @api.model
    def _check_supplier_logins(self, suppliers):
        """The supplier's portal users read its claims (R-056, R-086): a claim
        against a vendor whose contacts hold portal logins that QA or
        purchasing did not give waits until they are given again by them
        (``res.partner._check_forklift_logins_before_claim``). The check reads
        the vendor's contacts and logins as superuser and names them: only
        for a vendor the user reads himself (not another company's to its
        staff, nor any to a portal user, R-047, R-056)."""
        if not self.env.su:
            suppliers.check_access("read")
            suppliers._check_forklift_logins_before_claim()

    def _check_claims_duty(self):
        """A claim for a sheet is made, given its sheets and sent by the
        department holding the claims of the sheet's market (export: the
        after-sales parts department, 000 第一篇 L25, A-07, R-077, R-270),
        whoever calls, as the sheet's button checks."""
        duties = self.env["forklift.duty.assignment"]
        # sudo: the sheets' market decides, whoever claims
        sheets = self.sudo().feedback_ids
        for market, company in {(case.market, case.company_id) for case in sheets}:
            duties._check_duty("claims", market, company)

    def _get_flow_kept_message(self):
        return self.env._(
            "A claim sent to the supplier cannot be deleted: cancel it instead."
        )

    # Actions

    def action_claim(self):
        """Send the claim to the supplier."""
        self._check_group("forklift_aftersales.group_forklift_qa")
        self._check_claims_duty()
        template = self.env.ref(
            "forklift_aftersales_supplier.mail_template_quality_claim"
        )
        for claim in self:
            claim._check_state(("draft",), self.env._("%s is already claimed."))
            if not claim.amount_claimed:
                raise UserError(
                    self.env._("Claim at least one cost on %s.", claim.name)
                )
            claim._write_flow(
                {
                    "state": "claimed",
                    "claimed_date": claim.company_id._forklift_today(),
                }
            )
            claim.message_subscribe(partner_ids=claim.supplier_id.ids)
            claim.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=claim.supplier_id.ids,
            )

    def action_negotiate(self):
        self._check_group(*NEGOTIATORS)
        self._check_not_before_committee(
            self.env._(
                "%(claim)s is before the after-sales committee (%(review)s): "
                "it is negotiated once the committee has decided."
            )
        )
        self._move_state(
            ("claimed",),
            self.env._("Only a claim sent to the supplier is negotiated (%s)."),
            "negotiation",
        )

    def action_agree(self):
        """The supplier accepted the agreed amounts."""
        self._check_group(*NEGOTIATORS)
        for claim in self:
            claim._check_state(
                ("claimed", "negotiation"),
                self.env._("Only a claim under negotiation can be agreed (%s)."),
            )
            claim._check_not_before_committee(
                self.env._(
                    "%(claim)s is before the after-sales committee (%(review)s): "
                    "it is agreed once the committee has decided."
                )
            )
            if not claim.amount_agreed:
                raise UserError(
                    self.env._(
                        "Nothing agreed on %s: cancel the claim instead.", claim.name
                    )
                )
            claim._check_committee_amount()
        self._write_flow({"state": "agreed"})

    def action_settle(self):
        """Settle the agreed amount by a vendor credit note, posted and, for a
        deduction, reconciled with the supplier's open bill."""
        self._check_group(
            "forklift_aftersales.group_forklift_purchasing",
            "forklift_aftersales.group_forklift_qa_manager",
        )
        for claim in self:
            if claim.state == "settled" or claim.refund_move_id:
                raise UserError(
                    self.env._(
                        "%(claim)s is already settled by %(refund)s.",
                        claim=claim.name,
                        refund=claim.sudo().refund_move_id.display_name,
                    )
                )
            claim._check_state(
                ("agreed",), self.env._("Agree the amounts of %s before settling.")
            )
            claim._check_not_before_committee(
                self.env._(
                    "%(claim)s is before the after-sales committee (%(review)s): "
                    "it is settled once the committee has decided."
                )
            )
            claim._check_committee_amount()
            if not claim.currency_id.compare_amounts(claim.amount_agreed, 0) > 0:
                raise UserError(
                    self.env._("Nothing is agreed on %s to settle.", claim.name)
                )
            if not claim.settlement_mode:
                raise UserError(
                    self.env._(
                        "Choose a credit note or a deduction for %s.", claim.name
                    )
                )
            bill = claim.deduction_bill_id
            if claim.settlement_mode == "deduction":
                claim._check_deduction_bill(bill)
            elif bill:
                # the claim would read as deducted from a bill it never touched
                raise UserError(
                    self.env._(
                        "%(claim)s is settled by a credit note alone, which "
                        "deducts from no bill: clear %(bill)s or settle by "
                        "deduction.",
                        claim=claim.name,
                        bill=names_for_caller(bill, self.env._("the chosen bill")),
                    )
                )
            # sudo: QA and purchasing settle the agreed claim without accounting
            # rights; the amounts and the bill were checked above
            refund = (
                self.env["account.move"].sudo().create(claim._prepare_refund_vals())
            )
            refund.action_post()
            if claim.settlement_mode == "deduction":
                (refund.line_ids | bill.sudo().line_ids).filtered(
                    lambda line: (
                        line.account_id.account_type == "liability_payable"
                        and not line.reconciled
                    )
                ).reconcile()
            claim._check_refund(refund)
            claim._write_flow(
                {
                    "state": "settled",
                    "refund_move_id": refund.id,
                    "settled_date": claim.company_id._forklift_today(),
                }
            )
            claim.message_post(
                body=self.env._(
                    "Settled by credit note %(refund)s for %(amount)s.",
                    refund=refund.name,
                    amount=claim.amount_recovered,
                )
            )

    def _check_refund(self, refund):
        """The credit note the claim links is the one it made: the supplier's,
        in the claim's company, for the amount agreed."""
        self.ensure_one()
        refund = refund.sudo()
        if (
            refund.move_type != "in_refund"
            or refund.state != "posted"
            or refund.commercial_partner_id != self.supplier_id.commercial_partner_id
            or refund.company_id != self.company_id
            or refund.currency_id.compare_amounts(
                abs(refund.amount_total_signed), self.amount_agreed
            )
        ):
            raise UserError(
                self.env._(
                    "%(refund)s is not a posted credit note of %(supplier)s for the "
                    "%(agreed)s agreed on %(claim)s.",
                    refund=refund.display_name,
                    supplier=self.supplier_id.display_name,
                    agreed=self.amount_agreed,
                    claim=self.name,
                )
            )

    def _check_posted_flow_move(self, move):
        """The credit note settling the claim, reset to draft by accounting
        and posted again, or edited posted, still credits the claim's
        supplier the amount agreed (000 §3.5, R-018, R-261)."""
        self._check_refund(move)

    def _check_deduction_bill(self, bill):
        self.ensure_one()
        bill = bill.sudo()
        if not bill:
            raise UserError(self.env._("Choose the vendor bill to deduct from."))
        if (
            bill.move_type != "in_invoice"
            or bill.state != "posted"
            or bill.company_id != self.company_id
            or bill.commercial_partner_id != self.supplier_id.commercial_partner_id
        ):
            raise UserError(
                self.env._(
                    "%(bill)s is not a posted bill of %(supplier)s.",
                    bill=names_for_caller(bill, self.env._("The chosen bill")),
                    supplier=self.supplier_id.display_name,
                )
            )
        # the bill may be in another currency than the claim: compare what is
        # left on it at the bill's date in the claim's currency
        residual = bill.currency_id._convert(
            bill.amount_residual,
            self.currency_id,
            self.company_id,
            bill.invoice_date or bill.date,
        )
        if self.currency_id.compare_amounts(residual, self.amount_agreed) < 0:
            if bill.currency_id == self.currency_id:
                left = format_amount(self.env, bill.amount_residual, bill.currency_id)
            else:
                left = self.env._(
                    "%(residual)s (%(converted)s at the bill's date)",
                    residual=format_amount(
                        self.env, bill.amount_residual, bill.currency_id
                    ),
                    converted=format_amount(self.env, residual, self.currency_id),
                )
            raise UserError(
                self.env._(
                    "%(bill)s has only %(residual)s left to pay, less than the "
                    "%(agreed)s agreed.",
                    bill=names_for_caller(bill, self.env._("The chosen bill")),
                    residual=left,
                    agreed=format_amount(
                        self.env, self.amount_agreed, self.currency_id
                    ),
                )
            )

    def _prepare_refund_vals(self):
        self.ensure_one()
        return {
            "move_type": "in_refund",
            "partner_id": self.supplier_id.id,
            "company_id": self.company_id.id,
            "invoice_date": self.company_id._forklift_today(),
            "ref": self.env._("Quality claim %s", self.name),
            "invoice_origin": self.name,
            "invoice_line_ids": [
                fields.Command.create(line._prepare_refund_line_vals())
                for line in self.line_ids.filtered("amount_agreed")
            ],
        }

    def action_refer_to_committee(self):
        """The supplier contests the claim: the after-sales committee decides."""
        self._check_group(*NEGOTIATORS)
        for claim in self:
            claim._check_state(
                ("claimed", "negotiation"),
                self.env._(
                    "Only a claim sent to the supplier can be referred to the "
                    "committee (%s)."
                ),
            )
            if claim._get_pending_committee_reviews():
                raise UserError(
                    self.env._("%s is already before the committee.", claim.name)
                )
        # sudo: QA and purchasing submit the dispute; the review is the
        # committee's and notifies its members; created by this step, with the
        # flow's marker, as the committee's own flow would
        self.env["forklift.committee.review"]._create_flow(
            [
                {
                    "subject_type": "quality_claim",
                    "quality_claim_id": claim.id,
                    "title": self.env._("Disputed quality claim %s", claim.name),
                    "reason": self.env._("Contested by the supplier"),
                    "company_id": claim.company_id.id,
                    "submitted_by_id": self.env.uid,
                }
                for claim in self
            ]
        )

    def _get_pending_committee_reviews(self):
        """The committee reviews of these claims not decided yet: to review,
        or their decision out for the members' signatures (000 §4.2.4,
        R-020). A decided (or done) review, or one the committee cancelled,
        no longer holds the claim."""
        # sudo: the committee's reviews hold the claim whoever acts on it;
        # only their state and number are read
        return self.sudo().committee_review_ids.filtered(
            lambda review: review.state == "draft"
        )

    def _check_not_before_committee(self, message):
        """Refuse a claim the committee has still to decide on: ``message``,
        translated with ``%(claim)s`` and ``%(review)s``, says what waits for
        the decision. The supplier contested the claim: the committee decides,
        then purchasing sets the agreed amounts accordingly (R-020, R-052)."""
        for claim in self:
            pending = claim._get_pending_committee_reviews()
            if pending:
                raise UserError(
                    message
                    % {
                        "claim": claim.name,
                        "review": ", ".join(pending.mapped("name")),
                    }
                )

    def _check_committee_amount(self):
        """The supplier contested the claim and the committee decided what he
        pays (R-018, R-020, R-052): the claim is agreed and settled for the
        amount of its last decision, its credit note with it."""
        self.ensure_one()
        # sudo: the committee's decisions bind the claim whoever acts on it
        review = (
            self.sudo()
            .committee_review_ids.filtered(
                lambda review: review.state in ("decided", "done")
            )
            .sorted(lambda review: (review.decided_date, review.id))[-1:]
        )
        if review and self.currency_id.compare_amounts(
            self.amount_agreed, review.claim_amount_decided
        ):
            raise UserError(
                self.env._(
                    "The after-sales committee decided in %(review)s that "
                    "%(supplier)s pays %(decided)s on %(claim)s; its agreed "
                    "amounts total %(agreed)s. Set them as the committee "
                    "decided.",
                    review=review.name,
                    supplier=self.sudo().supplier_id.display_name,
                    decided=format_amount(
                        self.env, review.claim_amount_decided, self.currency_id
                    ),
                    claim=self.name,
                    agreed=format_amount(
                        self.env, self.amount_agreed, self.currency_id
                    ),
                )
            )

    def _on_committee_decision(self, review):
        """Record the committee's decision on the claim; purchasing then sets the
        agreed amounts accordingly."""
        self.message_post(
            body=Markup("<p>{}</p>{}").format(
                self.env._(
                    "The after-sales committee decided on this claim (%s):",
                    review.name,
                ),
                review.decision or "",
            )
        )

    def action_cancel(self):
        self._check_group(*NEGOTIATORS)
        self._check_not_before_committee(
            self.env._(
                "%(claim)s is before the after-sales committee (%(review)s): "
                "it is withdrawn once the committee has decided, or has "
                "cancelled its review."
            )
        )
        self._cancel_flow(
            ("settled",),
            self.env._("%s is settled: a settled claim cannot be cancelled."),
        )

    def action_view_refund(self):
        self.ensure_one()
        return form_action(self.refund_move_id)

    # Business methods

    def _check_group(self, *groups):
        if not any(self.env.user.has_group(group) for group in groups):
            raise AccessError(
                self.env._("You are not allowed to do this on a quality claim.")
            )

    @api.model
    def _prepare_from_cases(self, cases):
        """A claim for the selected feedback sheets: the parts replaced on them,
        at cost."""
        supplier = cases.supplier_id
        parts = cases.service_order_ids.filtered(lambda o: o.state != "cancel").part_ids
        product = cases.supplier_part_id[:1] or parts.product_id[:1]
        if not product:
            raise UserError(
                self.env._("Name the failed supplier part on the feedback sheets.")
            )
        return {
            "supplier_id": supplier.id,
            "feedback_ids": [fields.Command.set(cases.ids)],
            "product_id": product.id,
            "company_id": cases.company_id[:1].id or self.env.company.id,
            "line_ids": [
                fields.Command.create(
                    {
                        "cost_type": "parts",
                        "product_id": part.product_id.id,
                        "name": part.product_id.display_name,
                        "quantity": part.quantity,
                        "price_unit": part.product_id.standard_price,
                    }
                )
                for part in parts
            ],
        }

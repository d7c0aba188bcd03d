from collections import defaultdict
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import float_compare
from odoo.tools.translate import LazyTranslate

from ..tools import wizard_action
from .forklift_deadline_reminder import Reminder
from .forklift_document_fields import (
    board_state,
    document_company,
    stamp_datetime,
    stamp_user,
    stamped,
)

_lt = LazyTranslate(__name__)

RETURN_STATES = [
    ("expected", "Expected"),
    ("inspected", "Inspected"),
    ("accepted", "Accepted into Stock"),
    ("rejected", "Rejected and Billed"),
    ("charged", "Charged to Technician"),
    ("disputed", "Disputed"),
    ("company", "Borne by the Company"),
    ("not_returned", "Not Returned, Billed"),
    ("cancel", "Cancelled"),
]
VERDICTS = [
    ("accepted", "Accepted"),
    ("incomplete", "Rejected: incomplete part"),
    ("out_of_scope", "Rejected: outside the warranty scope"),
    ("non_original", "Rejected: non-original part"),
    ("misuse", "Rejected: user-caused damage"),
]


class ForkliftOldpartReturn(models.Model):
    """Warranty old-part return note (三包旧件退货单, R-011).

    Every warranty part replaced must come back (000 §4.3.2.3–6): dealers
    within 30 days. The service center and QA both inspect and sign before the
    part enters the old-parts stock; a rejected part is explained in writing to
    the dealer and the application becomes a paid part sale billed to it.
    """

    _name = "forklift.oldpart.return"
    _description = "Forklift Warranty Old-Part Return"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "forklift.overdue.mixin",
        "forklift.deadline.reminder",
        "forklift.flow.mixin",
        "tier.validation",
        "forklift.committee.subject.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _committee_state = "disputed"
    _committee_review_field = "oldpart_return_id"
    # The two inspection signatures are the tier validation of the return
    # (000 §4.3.1.3): the service center approves first, then QA, two people.
    _state_from = ["expected"]
    _state_to = ["inspected", "accepted", "rejected"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False
    _overdue_deadline_field = "due_date"
    _overdue_open_states = ("expected",)

    state = board_state(RETURN_STATES, "expected")
    request_id = fields.Many2one(
        "forklift.parts.request",
        string="Warranty Parts Request",
        required=True,
        index=True,
        readonly=True,
    )
    # from the request, computed before the return is inserted
    feedback_id = fields.Many2one(
        related="request_id.feedback_id", store=True, precompute=True
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, precompute=True
    )
    returned_by_type = fields.Selection(
        related="request_id.applicant_type", store=True, precompute=True
    )
    dealer_id = fields.Many2one(
        related="request_id.dealer_id", store=True, precompute=True
    )
    technician_id = fields.Many2one(
        related="request_id.technician_id", store=True, precompute=True
    )
    line_ids = fields.One2many(
        "forklift.oldpart.return.line", "return_id", string="Old Parts"
    )
    due_date = fields.Date(
        string="Due Back On",
        readonly=True,
        tracking=True,
        help="Dealers send replaced warranty parts back within 30 days of the "
        "replacement, or of the delivery of the new parts when it came later "
        "(000 §4.3.2.5, R-167, A-15); set once the work is reported done.",
    )
    new_parts_shipped_date = stamp_datetime(
        "New Parts Shipped On",
        help="When the warehouse shipped the last of the new parts whose old "
        "parts this return expects (a backorder ships later than the first "
        "delivery): the 30 days do not start before it.",
    )
    replaced_date = stamp_datetime(
        "Parts Replaced On",
        help="When the work that replaced the parts was finished, as its service "
        "order reports it: the 30 days run from it.",
    )
    exchange_in_kind = stamped(
        fields.Boolean,
        string="Exchange in Kind",
        help="Old important parts exchanged in kind (004 §4.6.2): opened when the "
        "request is approved, the new parts leave the warehouse once these old "
        "parts are received.",
    )
    picking_id = stamped(
        fields.Many2one, "stock.picking", string="Receipt", check_company=True
    )
    verdict = fields.Selection(VERDICTS, tracking=True)
    explanation = fields.Html(
        help="Written explanation sent to the dealer when the part is rejected."
    )
    sc_inspected_by_id = stamp_user("Service Center Inspector")
    sc_inspected_date = stamp_datetime()
    qa_inspected_by_id = stamp_user("QA Inspector")
    qa_inspected_date = stamp_datetime()
    sale_order_id = stamped(
        fields.Many2one, "sale.order", string="Paid Part Sale", check_company=True
    )
    invoice_id = stamped(
        fields.Many2one,
        "account.move",
        string="Dealer Invoice",
        check_company=True,
        help="The rejected parts billed to the dealer; they were already shipped "
        "under the warranty, so nothing is delivered again.",
    )
    invoice_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_invoice_ids"
    )
    not_returned_reason = fields.Text(
        help="Why a technician cannot return the part; the director accepts it or "
        "the cost is charged to the technician (000 §4.3.2.4)."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    charged_amount = stamped(fields.Monetary, tracking=True)
    charged_user_id = stamp_user("Charged To", index=True)
    cost_bearer = fields.Selection(
        [("technician", "Technician"), ("company", "Company"), ("dealer", "Dealer")],
        string="Cost Borne By",
        compute="_compute_cost_bearer",
        store=True,
        help="Who pays for the part: the company when it is accepted, the dealer "
        "when it is rejected and billed, the technician when it is charged; the "
        "after-sales committee settles disputes (000 §4.3.2.4).",
    )
    committee_review_ids = fields.One2many(
        "forklift.committee.review", "oldpart_return_id", string="Committee Reviews"
    )
    # Shipment by the dealer and receipt by the service center (000 §4.3.2.5,
    # set by their steps only, the lateness with them.
    shipped_date = stamped(
        fields.Date,
        string="Shipped On",
        tracking=True,
        help="The day the dealer marked the old parts shipped.",
    )
    shipped_by_id = stamp_user()
    carrier = stamped(fields.Char, tracking=True)
    waybill = stamped(fields.Char, string="Waybill Number", tracking=True)
    received_date = stamped(
        fields.Date,
        string="Received On",
        tracking=True,
        help="The day the service center received the old parts.",
    )
    received_by_id = stamp_user()
    days_late = stamped(
        fields.Integer,
        help="Days from the due date to the receipt; 0 when on time. Computed by "
        "the server when the receipt is recorded.",
    )
    late_return_count = stamped(
        fields.Integer,
        string="Returned Late",
        help="1 when the old parts came back after their due date, for the "
        "count of late returns per dealer.",
    )

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "request_id",
            "due_date",
            "new_parts_shipped_date",
            "replaced_date",
            "picking_id",
            "sc_inspected_by_id",
            "sc_inspected_date",
            "qa_inspected_by_id",
            "qa_inspected_date",
            "sale_order_id",
            "invoice_id",
            "charged_amount",
            "charged_user_id",
            "committee_review_ids",
            "shipped_date",
            "shipped_by_id",
            "carrier",
            "waybill",
            "received_date",
            "received_by_id",
            "days_late",
            "late_return_count",
            "exchange_in_kind",
        }

    def _get_overdue_domain(self):
        """Parts the service center has received are no longer overdue, even
        before their inspection."""
        return super()._get_overdue_domain() & Domain("received_date", "=", False)

    def _compute_access_url(self):
        for note in self:
            note.access_url = f"/my/forklift/old-parts/{note.id}"

    @api.depends("invoice_id", "sale_order_id.invoice_ids")
    def _compute_invoice_ids(self):
        for note in self:
            note.invoice_ids = note.invoice_id | note.sale_order_id.invoice_ids

    @api.depends("state")
    def _compute_cost_bearer(self):
        bearers = {
            "accepted": "company",
            "company": "company",
            "cancel": "company",
            "rejected": "dealer",
            "not_returned": "dealer",
            "charged": "technician",
        }
        for note in self:
            note.cost_bearer = bearers.get(note.state, note.cost_bearer)

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        """Returns are opened by the shipment of a warranty parts request,
        never typed: what is expected back is what was shipped."""
        if self._is_flow_write():
            return super().create(vals_list)
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Old-part returns are opened when the warranty parts are "
                    "shipped; they cannot be created by hand."
                )
            )
        # server code creating returns for shipped requests: the values are
        # rebuilt from the request itself, whatever was passed
        requests = self.env["forklift.parts.request"].browse(
            [vals.get("request_id") for vals in vals_list]
        )
        return self._create_from_requests(requests)

    def write(self, vals):
        if not self._is_flow_write():
            self._check_inspection_editable(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        for note in self:
            if note.state != "expected" or note.sc_inspected_by_id:
                raise UserError(
                    self.env._(
                        "%s is already inspected or settled and cannot be deleted.",
                        note.name,
                    )
                )

    def _check_inspection_editable(self, vals):
        """The verdict and its explanation are what the inspectors sign: they
        are given before the first signature and never change after it; the
        reason a part is not returned is given while it is expected."""
        signed_fields = {"verdict", "explanation"} & set(vals)
        for note in self:
            if signed_fields and (
                note.state != "expected"
                or note.sc_inspected_by_id
                or note.qa_inspected_by_id
                or note._get_signed_reviews()
            ):
                raise UserError(
                    self.env._(
                        "The inspection of %s is signed: its verdict and "
                        "explanation cannot change.",
                        note.name,
                    )
                )
            if "not_returned_reason" in vals and note.state != "expected":
                raise UserError(
                    self.env._(
                        "%s is settled: the reason the part is missing cannot change.",
                        note.name,
                    )
                )

    # Tier validation: the two inspection signatures (000 §4.3.1.3)

    def _check_allow_write_after_validation(self, vals):
        """Once both inspectors signed, the return goes on through its own
        steps (receipt, invoice, dispute); their fields are guarded by the
        flow, not frozen by the signatures."""
        return True

    def _get_inspection_definitions(self):
        """Tier definition of each inspection signature, by inspector."""
        return {
            "sc": self.env.ref(
                "forklift_aftersales.tier_oldpart_return_service_center"
            ),
            "qa": self.env.ref("forklift_aftersales.tier_oldpart_return_qa"),
        }

    def _request_inspection(self):
        """Ask for the two signatures, on behalf of the system: the part came
        back, nobody applied for its inspection, so no inspector is excluded
        as its requester."""
        self.ensure_one()
        self.invalidate_recordset(["need_validation", "review_ids"])
        reviews = super(
            ForkliftOldpartReturn, self.with_user(SUPERUSER_ID)
        ).request_validation()
        self.invalidate_recordset(["need_validation", "review_ids"])
        definitions = self.sudo().review_ids.definition_id
        if any(
            d not in definitions for d in self._get_inspection_definitions().values()
        ):
            raise UserError(
                self.env._(
                    "The inspection signatures of %s are not defined: ask the "
                    "administrator to restore the signatures of old-part returns.",
                    self.name,
                )
            )
        return reviews

    def request_validation(self):
        """The signatures are asked for when the service center signs, never
        by hand."""
        raise UserError(
            self.env._(
                "Old-part returns ask for their inspection signatures when the "
                "service center signs."
            )
        )

    def restart_validation(self):
        """A signed inspection is never withdrawn."""
        raise UserError(
            self.env._("The inspection signatures of an old-part return are final.")
        )

    def reject_tier(self):
        """The inspectors decide through the verdict: a part they do not
        accept is rejected and billed, its signature is not refused."""
        raise UserError(
            self.env._(
                "Give a rejection verdict and sign it: an old-part inspection "
                "signature cannot be refused."
            )
        )

    def validate_tier(self):
        """Sign the inspection step that waits for the user: the service
        center first, then QA (000 §4.3.1.3)."""
        self.ensure_one()
        self._check_tier_state(["expected"], self.env._("%s is already inspected."))
        self._check_verdict_given()
        sc_definition = self._get_inspection_definitions()["sc"].sudo()
        if (
            not self.sudo().review_ids
            and sc_definition.reviewer_group_id in self.env.user.all_group_ids
        ):
            if not self.received_date:
                # the service center inspects parts that are here: a receipt
                # nobody recorded is recorded today, with its lateness (before
                # the inspection's reviews exist, which freeze other fields),
                # whether it signs by its button or by the review itself
                self._write_flow(
                    self._prepare_receipt_vals(self.company_id._forklift_today())
                )
            self._request_inspection()
        return self._validate_signed_step(
            super().validate_tier,
            self.env._("No inspection signature of %s is waiting for you.", self.name),
            self._record_inspection,
        )

    def _check_verdict_given(self):
        for note in self:
            if not note.verdict:
                raise UserError(self.env._("Give the inspection verdict first."))
            if note.verdict != "accepted" and not note.explanation:
                raise UserError(
                    self.env._(
                        "Write the explanation sent to the dealer before rejecting "
                        "the part."
                    )
                )

    def _record_inspection(self):
        """Copy the approved reviews onto the signatures; once both are in,
        the part is accepted or rejected."""
        for note in self:
            note._record_signed_steps(
                note._get_inspection_definitions(),
                "{}_inspected_by_id",
                "{}_inspected_date",
            )
            if (
                note.sc_inspected_by_id
                and note.qa_inspected_by_id
                and note.validation_status == "validated"
            ):
                note._as_flow()._on_inspected()

    # Actions

    # Shipment and receipt of the old parts (000 §4.3.2.5, R-229, R-235)

    def _check_dealer_of_return(self):
        """The user is one of the return's dealer's own people (its portal
        users, its contacts' users), or the service center."""
        commercial = self.env.user.partner_id.commercial_partner_id
        staff = self.env.user.has_group("forklift_aftersales.group_forklift_user")
        for note in self:
            if staff:
                continue
            # sudo: the dealer of the return, compared with the user's company
            dealer = note.sudo().dealer_id.commercial_partner_id
            if not dealer or dealer != commercial:
                raise AccessError(
                    self.env._(
                        "%s is not an old-part return of your company.", note.name
                    )
                )

    def _check_awaiting_receipt(self, unshipped=False):
        """The return is still expected and its old parts not received (nor
        shipped, with ``unshipped``)."""
        self.ensure_one()
        if self.received_date:
            raise UserError(
                self.env._(
                    "%(note)s was already received on %(date)s.",
                    note=self.name,
                    date=self.received_date,
                )
            )
        if unshipped and self.shipped_date:
            raise UserError(
                self.env._(
                    "%(note)s was already marked shipped on %(date)s.",
                    note=self.name,
                    date=self.shipped_date,
                )
            )
        self._check_state(("expected",), self.env._("%s is no longer expected back."))

    def _check_not_back(self):
        """Refuse to treat as missing a part that came back: its inspection
        was signed or asked for."""
        self.ensure_one()
        # sudo: the reviews are read by the mechanism, whoever may read them
        if self.sc_inspected_by_id or self.sudo().review_ids:
            raise UserError(
                self.env._(
                    "%s came back and is being inspected; it is not missing.",
                    self.name,
                )
            )

    def _mark_shipped(self, carrier, waybill):
        """The dealer ships the old parts back and says how (000 §4.3.2.5):
        carrier and waybill number both given, once, while the return is
        expected and not received; the day is today, set by the server."""
        carrier = (carrier or "").strip()
        waybill = (waybill or "").strip()
        self._check_dealer_of_return()
        for note in self:
            if note.returned_by_type != "dealer":
                raise UserError(
                    self.env._("%s is not returned by a dealer.", note.name)
                )
            note._check_awaiting_receipt(unshipped=True)
        if not carrier or not waybill:
            raise UserError(self.env._("Give both the carrier and the waybill number."))
        self._write_flow(
            {
                "shipped_date": self.company_id._forklift_today(),
                "shipped_by_id": self.env.uid,
                "carrier": carrier,
                "waybill": waybill,
            }
        )
        return True

    def _mark_received(self, received_date):
        """The service center records the day the old parts came back
        (000 §4.3.2.5, R-229): not before they were shipped, never in the
        future. The lateness is counted from the due date (30 days, R-167,
        A-15) and stored with it."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(
                self.env._("Only the service center records the receipt of old parts.")
            )
        received_date = fields.Date.to_date(received_date)
        if not received_date:
            raise UserError(self.env._("Give the day the old parts were received."))
        if received_date > self[:1].company_id._forklift_today():
            raise ValidationError(
                self.env._(
                    "The old parts cannot be received on %s: the day is in the future.",
                    received_date,
                )
            )
        for note in self:
            note._check_awaiting_receipt()
            if note.shipped_date and received_date < note.shipped_date:
                raise ValidationError(
                    self.env._(
                        "%(note)s cannot be received on %(received)s, before it "
                        "was shipped on %(shipped)s.",
                        note=note.name,
                        received=received_date,
                        shipped=note.shipped_date,
                    )
                )
        for note in self:
            note._write_flow(note._prepare_receipt_vals(received_date))
        return True

    def _prepare_receipt_vals(self, received_date):
        self.ensure_one()
        days_late = max((received_date - self.due_date).days, 0) if self.due_date else 0
        return {
            "received_date": received_date,
            "received_by_id": self.env.uid,
            "days_late": days_late,
            "late_return_count": 1 if days_late else 0,
        }

    def action_open_receive_wizard(self):
        """Ask the day the old parts were received (the wizard only collects
        it; :meth:`_mark_received` decides)."""
        name = self.env._("Mark Received")
        return wizard_action(self, "forklift.oldpart.receive.wizard", "return_id", name)

    def action_sign_service_center(self):
        """The service center inspects the returned part first (000 §4.3.1.3):
        it approves the first review of the inspection."""
        self._sign_inspection("sc", "forklift_aftersales.group_forklift_user")

    def action_sign_qa(self):
        """QA inspects the part the service center signed, and a different
        person signs (000 §4.3.1.3): it approves the second review."""
        self._sign_inspection("qa", "forklift_aftersales.group_forklift_qa")

    def _sign_inspection(self, who, group):
        if not self.env.user.has_group(group):
            raise AccessError(
                self.env._("You are not allowed to sign this inspection.")
            )
        for note in self:
            note._check_state(("expected",), self.env._("%s is already inspected."))
            if note[f"{who}_inspected_by_id"]:
                raise UserError(self.env._("%s already has this signature.", note.name))
            if who == "qa" and not note.sc_inspected_by_id:
                raise UserError(
                    self.env._(
                        "The service center inspects %s first; QA signs after it.",
                        note.name,
                    )
                )
            if who == "qa" and note.sc_inspected_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You signed the service center's inspection of %s: "
                        "another person signs for QA.",
                        note.name,
                    )
                )
            note._check_verdict_given()
            note.validate_tier()

    def _on_inspected(self):
        """Both signatures are in: accept the part into old-parts stock or
        reject it and bill the dealer (000 §4.3.2.5)."""
        self.ensure_one()
        self._write_flow({"state": "inspected"})
        if self.verdict == "accepted":
            self._receive_old_parts()
            self._write_flow({"state": "accepted"})
        else:
            self._reject()

    def _receive_old_parts(self):
        self.ensure_one()
        source = self.env.ref("stock.stock_location_customers")
        destination = self.env.ref("forklift_aftersales.stock_location_old_parts")
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        Picking = self.env["stock.picking"]
        picking = Picking.create(
            Picking._prepare_forklift_transfer_vals(
                warehouse.in_type_id,
                self.dealer_id or self.technician_id.partner_id,
                source,
                destination,
                self.name,
                [(line.product_id, line.quantity) for line in self.line_ids],
            )
        )
        picking.action_confirm()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self._write_flow({"picking_id": picking.id})

    def _reject(self):
        """The rejected parts were already shipped under the warranty: the
        dealer is invoiced for them, and nothing is delivered again."""
        self.ensure_one()
        partner = self.dealer_id or self.feedback_id.partner_id
        # sudo: the inspectors have no accounting rights; the invoice is made
        # from the signed inspection
        invoice = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(self._prepare_invoice_vals(partner))
        )
        invoice.action_post()
        self._write_flow({"invoice_id": invoice.id, "state": "rejected"})
        template = self.env.ref("forklift_aftersales.mail_template_oldpart_rejected")
        self.message_post_with_source(
            template, subtype_xmlid="mail.mt_comment", partner_ids=partner.ids
        )

    def _prepare_invoice_vals(self, partner):
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "invoice_origin": f"{self.request_id.name} / {self.name}",
            "ref": self.name,
            "invoice_user_id": self.request_id.technician_id.id or self.env.uid,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "product_id": line.product_id.id,
                        "quantity": line.quantity,
                        "price_unit": line.product_id.lst_price,
                    }
                )
                for line in self.line_ids
            ],
        }

    def _check_posted_flow_move(self, move):
        """The invoice of the old parts not returned, or rejected, bills the
        dealer (the customer, where no dealer sent them) the parts of the
        return, in its company (000 §4.3.2.5, §4.3.2.7; R-167, R-230):
        accounting may correct its prices and accounts, not whom it bills
        nor for which parts."""
        self.ensure_one()
        invoice = move.sudo()
        partner = (self.dealer_id or self.feedback_id.partner_id).commercial_partner_id
        billed, expected = defaultdict(float), defaultdict(float)
        for line in invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        ):
            billed[line.product_id] += line.quantity
        for line in self.line_ids:
            expected[line.product_id] += line.quantity
        if (
            invoice.move_type != "out_invoice"
            or invoice.company_id != self.company_id
            or invoice.commercial_partner_id != partner
            or billed.keys() != expected.keys()
            or any(
                float_compare(
                    billed[product],
                    quantity,
                    precision_rounding=product.uom_id.rounding,
                )
                for product, quantity in expected.items()
            )
        ):
            raise UserError(
                self.env._(
                    "%(invoice)s bills %(partner)s the parts not returned on "
                    "%(note)s: no other customer, part or quantity.",
                    invoice=invoice.display_name,
                    partner=partner.display_name,
                    note=self.name,
                )
            )

    def _get_own_invoices(self):
        """The dealer invoices this return made: its own link, to its own
        partner, with its own origin (never an order pointed at it)."""
        self.ensure_one()
        partner = (self.dealer_id or self.feedback_id.partner_id).commercial_partner_id
        # sudo: reading the invoices of this return, whoever decides
        invoices = self.invoice_id.sudo().filtered(
            lambda i: self.name in (i.invoice_origin or "")
        )
        # returns rejected before invoices were made directly billed through a
        # sale order made for them
        order = self.sale_order_id.sudo()
        if order and self.name in (order.origin or ""):
            invoices |= order.invoice_ids
        return invoices.filtered(
            lambda i: (
                i.commercial_partner_id == partner and i.company_id == self.company_id
            )
        )

    def action_charge_technician(self):
        """A technician's part that does not come back, without an accepted
        reason, is charged to the technician (000 §4.3.2.4)."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(self.env._("Only the service center charges a part."))
        for note in self:
            if note.returned_by_type != "technician" or note.state != "expected":
                raise UserError(
                    self.env._(
                        "Only a technician's part still expected can be charged (%s).",
                        note.name,
                    )
                )
            if note.sc_inspected_by_id:
                raise UserError(
                    self.env._(
                        "%s came back and is being inspected; it is not charged.",
                        note.name,
                    )
                )
            note._write_flow(
                {
                    "state": "charged",
                    "charged_user_id": note.technician_id.id,
                    "charged_amount": sum(
                        note.line_ids.mapped(
                            lambda line: line.quantity * line.unit_cost
                        )
                    ),
                }
            )

    def action_accept_not_returned(self):
        if not self.env.user.has_group("forklift_aftersales.group_forklift_director"):
            raise AccessError(
                self.env._("Only the service center director accepts a missing part.")
            )
        for note in self:
            if note.state != "expected" or note.returned_by_type != "technician":
                raise UserError(
                    self.env._(
                        "Only a technician's part still expected can be accepted "
                        "as missing (%s).",
                        note.name,
                    )
                )
            note._check_not_back()
            if not note.not_returned_reason:
                raise UserError(self.env._("Write why the part cannot be returned."))
        self._write_flow({"state": "cancel"})

    def action_dispute(self):
        """Disputed verdicts or charges go to the after-sales committee
        (000 §4.3.2.4): a committee review is opened for each note."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(
                self.env._("Only the service center refers a part to the committee.")
            )
        self._check_state(
            ("rejected", "charged"),
            self.env._("Only a rejected or charged old part can be disputed (%s)."),
        )
        self.env["forklift.committee.review"]._create_flow(
            [
                {
                    "subject_type": "oldpart",
                    "oldpart_return_id": note.id,
                    "subject_state": note.state,
                    "title": self.env._("Disputed old part %s", note.name),
                    "reason": self.env._("Disputed by the service center"),
                    "company_id": note.company_id.id,
                }
                for note in self
            ]
        )
        self._write_flow({"state": "disputed"})

    def _check_committee_decision(self, review):
        """The decision of ``review`` can settle this part: it is before the
        committee under that review, and the bearer fits who returned it
        (checked when the decision is submitted, again when it applies)."""
        res = super()._check_committee_decision(review)
        bearer = review.cost_bearer
        if bearer == "technician" and self.returned_by_type != "technician":
            raise ValidationError(
                self.env._("%s was not returned by a technician.", self.name)
            )
        if bearer == "dealer" and self.returned_by_type != "dealer":
            raise ValidationError(
                self.env._("%s was not returned by a dealer.", self.name)
            )
        return res

    def _apply_committee_decision(self, review):
        """The committee decided who pays for a disputed part (000 §4.3.2.4):
        the technician is charged its cost, the dealer is invoiced, or the
        company bears it and any charge or invoice is withdrawn."""
        self._check_committee_decision(review)
        bearer = review.cost_bearer
        if bearer == "technician":
            self._write_flow(
                {
                    "state": "charged",
                    "charged_user_id": self.technician_id.id,
                    "charged_amount": sum(
                        self.line_ids.mapped(
                            lambda line: line.quantity * line.unit_cost
                        )
                    ),
                }
            )
        elif bearer == "dealer":
            if self._get_own_invoices():
                self._write_flow({"state": "rejected"})
            else:
                self._reject()
        else:
            invoices = self._get_own_invoices().filtered(
                lambda i: (
                    i.state == "posted"
                    and i.move_type == "out_invoice"
                    and i.payment_state != "reversed"
                )
            )
            if invoices:
                invoices._reverse_moves(
                    [
                        {"ref": self.env._("Committee decision %s", review.name)}
                        for __ in invoices
                    ],
                    cancel=True,
                )
            self._write_flow(
                {"state": "company", "charged_user_id": False, "charged_amount": 0}
            )
        self.message_post(
            body=self.env._(
                "After-sales committee decision %(review)s: cost borne by %(bearer)s.",
                review=review.name,
                bearer=dict(
                    self._fields["cost_bearer"]._description_selection(self.env)
                )[bearer],
            )
        )

    @api.model
    def _place_quarantine_locations(self):
        """Old parts, returned forklifts and QA holds go under the quarantine
        view location, in the warehouse but outside its stock: ordinary sales,
        transfers and reservations draw from WH/Stock and never reach them."""
        quarantine = self.env.ref(
            "forklift_aftersales.stock_location_quarantine", raise_if_not_found=False
        )
        warehouse = self.env.ref("stock.warehouse0", raise_if_not_found=False)
        if not quarantine or not warehouse:
            return
        # sudo: run by the module's data file at install and update
        quarantine = quarantine.sudo()
        if quarantine.location_id != warehouse.view_location_id:
            quarantine.write(
                {
                    "location_id": warehouse.view_location_id.id,
                    "company_id": warehouse.company_id.id,
                }
            )
        held = self.env["stock.location"].sudo()
        for xmlid in (
            "forklift_aftersales.stock_location_old_parts",
            "forklift_aftersales.stock_location_nonwarranty_old_parts",
            "forklift_aftersales.stock_location_returned_vehicles",
            "forklift_aftersales.stock_location_qa_hold",
        ):
            held |= self.env.ref(xmlid, raise_if_not_found=False) or held
        held.filtered(lambda loc: loc.location_id != quarantine).write(
            {"location_id": quarantine.id}
        )
        # the warehouse of a location is not recomputed for its children when
        # their parent moves
        locations = quarantine | held
        self.env.add_to_compute(locations._fields["warehouse_id"], locations)
        locations.flush_recordset(["warehouse_id"])

    @api.model
    def _get_overdue_reminders(self):
        """Old parts not back in time: the dealer's supervisor, else the
        technician or the sheet's responsible, is reminded."""
        return [
            *super()._get_overdue_reminders(),
            Reminder(
                self._get_overdue_domain(),
                self.env._("Old parts not returned in time"),
                lambda note: (
                    note.dealer_id.forklift_supervisor_id
                    or note.technician_id
                    or note.feedback_id.user_id
                ),
            ),
        ]

    @api.model
    def _create_from_requests(self, requests):
        """Expect back the old parts of what the deliveries of shipped
        warranty requests shipped and no return expects yet
        (:meth:`_open_for_shipped_requests`)."""
        return self._open_for_shipped_requests(requests.exists())

    @api.model
    def _open_for_shipped_requests(self, requests):
        """The old parts of every part a shipped request's deliveries shipped
        are due back (000 §4.3.2.5, R-167, R-229): each validated delivery,
        the first one and every backorder, brings what it shipped and no
        return expects yet. The request's return still waiting for its old
        parts takes them (a line per part); once those are on their way
        back, received, settled or late, a return of their own opens, due
        from their own shipment.

        :return: the returns opened or given parts
        """
        vals_list = []
        extended = self.browse()
        # sudo: the request's deliveries and returns, whoever ships
        for request in requests.sudo().filtered(lambda r: r.state == "shipped"):
            deliveries = self._get_request_deliveries(request)
            missing = self._get_unexpected_quantities(request, deliveries)
            if not missing:
                continue
            shipped_at = max(deliveries.mapped("date_done"))
            waiting = request.oldpart_return_ids.filtered(
                lambda n: n._is_waiting_for_old_parts()
            ).sorted("id")[-1:]
            if waiting:
                waiting._add_shipped_parts(missing, shipped_at)
                extended |= waiting
            else:
                vals_list.append(
                    self._prepare_from_request(request, missing, shipped_at)
                )
        # opened by the shipment: whoever validated the delivery does not
        # become a follower of the return, and the return's chatter starts
        # with its first step rather than a line saying it was created
        with self._flow_running() as model:
            opened = (
                model.with_context(mail_create_nosubscribe=True, mail_create_nolog=True)
                .create(vals_list)
                .with_env(self.env)
            )
        return opened | extended.with_env(self.env)

    @api.model
    def _get_request_deliveries(self, request):
        """The request's deliveries done: the one its approval made and its
        backorders (``forklift.parts.request._get_own_deliveries``)."""
        return request._get_own_deliveries().filtered(lambda p: p.state == "done")

    @api.model
    def _get_shipped_quantities(self, deliveries):
        """What ``deliveries`` shipped to the applicant and he kept, per part
        in its own unit: what came back to stock on a return of a delivery
        (which the warehouse may make) replaced nothing, and its old part is
        not due. The moves are read in memory: those of a transfer just
        validated are not written to the database yet."""
        moves = deliveries.move_ids.filtered(
            lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
        )
        shipped = {}
        for move in moves:
            shipped[move.product_id] = shipped.get(
                move.product_id, 0.0
            ) + self._get_kept_quantity(move)
        return shipped

    @api.model
    def _get_kept_quantity(self, move, rounding_method="UP"):
        """What ``move``, a move of a request's delivery, took to the
        applicant and he kept, in the part's own unit: its quantity less what
        came back to stock on a return of it (stock's return wizard), once
        that return is done. One count for the old parts due back and for the
        parts a request may still ship (``stock.picking``'s
        ``_check_forklift_approved_quantities``).

        Only a true return counts: done, of the same part, coming back from
        where the delivery took it (the move and its lines), and no more
        than the move shipped — a move merely linked to the delivery's move
        neither lets more ship than approved nor leaves what shipped without
        its old part expected back (R-005, R-010, R-167, R-230)."""
        unit = move.product_id.uom_id
        shipped = move.product_uom._compute_quantity(
            move.quantity, unit, rounding_method=rounding_method
        )
        back = sum(
            m.product_uom._compute_quantity(
                m.quantity, unit, rounding_method=rounding_method
            )
            for m in move.returned_move_ids
            if self._is_return_of(m, move)
        )
        return max(shipped - min(back, shipped), 0.0)

    @api.model
    def _is_return_of(self, back, move):
        """Whether ``back``, a move linked to ``move`` as its return, is a
        done return of it: the same part, from the place ``move`` took it
        to, by the move and each of its lines."""
        destination = move.location_dest_id
        return bool(
            back.state == "done"
            and back.product_id == move.product_id
            and back.location_id == destination
            and all(
                line.location_id._forklift_is_inside(destination)
                for line in back.move_line_ids
            )
        )

    @api.model
    def _get_expected_differences(self, request, deliveries):
        """Per part, what ``deliveries`` shipped and the applicant kept less
        the old parts the request's returns expect: an exchange in kind (not
        cancelled) expects its important parts before they leave, and the
        request's other returns what shipped before, whatever became of
        them. Above zero, parts whose old parts no return expects yet; below,
        old parts expected of parts that came back to stock."""
        # sudo: the request's own returns, whoever ships
        expected = self._get_exchange_quantities(request)
        returns = request.sudo().oldpart_return_ids.filtered(
            lambda n: not n.exchange_in_kind
        )
        for line in returns.line_ids:
            expected[line.product_id] = (
                expected.get(line.product_id, 0.0) + line.quantity
            )
        kept = self._get_shipped_quantities(deliveries)
        return {
            product: kept.get(product, 0.0) - expected.get(product, 0.0)
            for product in set(kept) | set(expected)
        }

    @api.model
    def _get_unexpected_quantities(self, request, deliveries):
        """The parts ``deliveries`` shipped whose old parts no return of the
        request expects yet, per part (:meth:`_get_expected_differences`)."""
        return {
            product: difference
            for product, difference in self._get_expected_differences(
                request, deliveries
            ).items()
            if product.uom_id.compare(difference, 0.0) > 0
        }

    @api.model
    def _on_parts_returned_to_stock(self, pickings):
        """``pickings`` just validated return to stock parts of warranty
        requests' deliveries (stock's return wizard): those parts replaced
        nothing, and their old parts are not due (R-167, R-230). The
        request's return still waiting for its old parts expects that many
        fewer, by the same count that opens it
        (:meth:`_get_expected_differences`); a return no longer waiting
        (shipped back, received, settled or late) stays as it is, and says
        so in its chatter."""
        # sudo: the returns and the deliveries they return, whoever validates
        moves = pickings.sudo().move_ids.filtered(
            lambda m: (
                m.state == "done"
                and m.origin_returned_move_id.picking_id._is_forklift_request_delivery()
            )
        )
        returned = defaultdict(float)
        for move in moves:
            request = move.origin_returned_move_id.picking_id.forklift_parts_request_id
            returned[request, move.product_id] += move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
        notes = self.browse()
        requests = moves.origin_returned_move_id.picking_id.forklift_parts_request_id
        for request in requests:
            differences = self._get_expected_differences(
                request, self._get_request_deliveries(request)
            )
            # no more than came back now, nor than is expected beyond what
            # the applicant kept
            surplus = {}
            for (returned_for, product), quantity in returned.items():
                excess = min(quantity, -differences.get(product, 0.0))
                if returned_for == request and product.uom_id.compare(excess, 0.0) > 0:
                    surplus[product] = excess
            if surplus:
                notes |= self._remove_returned_parts(request, surplus, pickings)
        return notes.with_env(self.env)

    @api.model
    def _remove_returned_parts(self, request, surplus, pickings):
        """Expect ``surplus`` ({part: quantity}) fewer old parts of
        ``request``, parts that came back to stock on ``pickings``: its
        return still waiting loses them (a line at zero goes; a return left
        without a line is cancelled); what it cannot take off is told on the
        returns no longer waiting that expect those parts."""
        # sudo: the request's own returns, whoever returns its parts
        notes = request.sudo().oldpart_return_ids.filtered(
            lambda n: n.state != "cancel"
        )
        waiting = notes.filtered(lambda n: n._is_waiting_for_old_parts())
        waiting = waiting.sorted("id")[-1:]
        picking_names = ", ".join(pickings.mapped("name"))
        removed, left = {}, {}
        commands = []
        for product, quantity in surplus.items():
            line = waiting.line_ids.filtered(lambda rl, p=product: rl.product_id == p)
            line = line[:1]
            take = min(quantity, line.quantity) if line else 0.0
            if product.uom_id.compare(take, 0.0) > 0:
                removed[product] = take
                if product.uom_id.compare(line.quantity, take) > 0:
                    vals = {"quantity": line.quantity - take}
                    commands.append(fields.Command.update(line.id, vals))
                else:
                    commands.append(fields.Command.delete(line.id))
            if product.uom_id.compare(quantity, take) > 0:
                left[product] = quantity - take
        reduced = self.browse()
        if commands:
            reduced = waiting
            waiting._write_flow({"line_ids": commands})
            waiting.message_post(
                body=self.env._(
                    "Parts shipped for %(request)s came back to stock unused on "
                    "%(pickings)s: their old parts are no longer expected back "
                    "on this return: %(parts)s.",
                    request=request.name,
                    pickings=picking_names,
                    parts=self._format_parts(removed),
                )
            )
            if not waiting.line_ids:
                waiting._write_flow({"state": "cancel"})
        told = self.browse()
        for product, quantity in left.items():
            holding = notes.filtered(lambda n, p=product: p in n.line_ids.product_id)
            # the latest return no longer waiting that expects the part
            holder = (holding - waiting)[-1:] or holding[-1:]
            holder.message_post(
                body=self.env._(
                    "Parts shipped for %(request)s came back to stock unused on "
                    "%(pickings)s, but this return no longer waits for its old "
                    "parts and stays as it is: %(parts)s. Settle their old parts "
                    "with the applicant.",
                    request=request.name,
                    pickings=picking_names,
                    parts=self._format_parts({product: quantity}),
                )
            )
            told |= holder
        return reduced | told

    @api.model
    def _format_parts(self, quantities):
        """``quantities`` ({part: quantity}) as the chatter tells them."""
        return ", ".join(
            f"{product.display_name} × {quantity:g}"
            for product, quantity in quantities.items()
        )

    def _is_waiting_for_old_parts(self):
        """The return still waits for its old parts: expected, neither shipped
        back, received, under inspection, settled nor late. Parts shipped
        later join it; a late return keeps its due date."""
        self.ensure_one()
        # sudo: the reviews are read by the mechanism, whoever ships
        return not (
            self.state != "expected"
            or self.exchange_in_kind
            or self.shipped_date
            or self.received_date
            or self.sc_inspected_by_id
            or self.sudo().review_ids
            or self.is_overdue
        )

    def _add_shipped_parts(self, quantities, shipped_at):
        """Expect back, on this waiting return, the old parts of
        ``quantities`` ({part: quantity}) shipped at ``shipped_at``; the
        return is due from the shipment of its last parts."""
        self.ensure_one()
        request = self.request_id.sudo()
        commands = []
        for product, quantity in quantities.items():
            line = self.line_ids.filtered(lambda rl, p=product: rl.product_id == p)[:1]
            if line:
                commands.append(
                    fields.Command.update(
                        line.id, {"quantity": line.quantity + quantity}
                    )
                )
            else:
                commands.append(
                    fields.Command.create(
                        self._prepare_line_vals(request, product, quantity)
                    )
                )
        products = self.line_ids.product_id | self.env["product.product"].concat(
            *quantities
        )
        self._write_flow(
            {
                "line_ids": commands,
                "new_parts_shipped_date": shipped_at,
                **self._prepare_due_vals(request, products, shipped_at),
            }
        )
        self.message_post(
            body=self.env._(
                "Parts shipped later for %(request)s are expected back on this "
                "return too: %(parts)s.",
                request=request.name,
                parts=", ".join(
                    f"{product.display_name} × {quantity:g}"
                    for product, quantity in quantities.items()
                ),
            )
        )

    @api.model
    def _prepare_line_vals(self, request, product, quantity):
        """An old part expected back, at the cost of the request's line."""
        request_line = request.sudo().line_ids.filtered(
            lambda line: line.product_id == product
        )[:1]
        return {
            "product_id": product.id,
            "quantity": quantity,
            "unit_cost": request_line.unit_cost,
        }

    @api.model
    def _prepare_from_request(self, request, quantities, shipped_at):
        """A return expecting the old parts of ``quantities`` ({part:
        quantity}), shipped for ``request`` at ``shipped_at``."""
        # sudo: the request's lines, read for the return it opens
        request = request.sudo()
        products = self.env["product.product"].concat(*quantities)
        return {
            "request_id": request.id,
            "new_parts_shipped_date": shipped_at,
            **self._prepare_due_vals(request, products, shipped_at),
            "line_ids": [
                fields.Command.create(
                    self._prepare_line_vals(request, product, quantity)
                )
                for product, quantity in quantities.items()
            ],
        }

    @api.model
    def _get_replacement_date(self, request, products):
        """When the parts of ``request`` were replaced: the finish of the first
        service order of the sheet that reports one of ``products`` replaced
        under warranty; failing that, of the sheet's last order whose work is
        done (a dealer that reported no part). False while no work is done."""
        # sudo: the sheet's service orders, whoever ships or reports
        orders = request.sudo().feedback_id.service_order_ids.filtered(
            lambda o: o.state in ("done", "signed", "registered") and o.finished_date
        )
        replacing = orders.filtered(
            lambda o: any(
                part.is_warranty and part.product_id in products for part in o.part_ids
            )
        )
        if replacing:
            return min(replacing.mapped("finished_date"))
        return max(orders.mapped("finished_date"), default=False)

    @api.model
    def _prepare_due_vals(self, request, products, shipped_at=False):
        """The old parts are due the company's days (30) after the
        replacement, or after the delivery of the new parts when it came later
        (000 §4.3.2.5, R-167, A-15); the delivery is the buyer's receipt, the
        shipment while none is recorded, and never before ``shipped_at``, the
        shipment of the return's last parts (a backorder's). The day is the
        company's."""
        # sudo: the request's dates, whoever ships or reports
        request = request.sudo()
        days = request.company_id._get_forklift_setting("forklift_oldpart_return_days")
        replaced = self._get_replacement_date(request, products)
        if not replaced:
            return {"replaced_date": False, "due_date": False}
        start = max(
            replaced,
            request.delivered_date or request.shipped_date or replaced,
            shipped_at or replaced,
        )
        local_day = request.company_id._forklift_local_date(start)
        return {"replaced_date": replaced, "due_date": local_day + timedelta(days=days)}

    def _update_due_date(self):
        """Set the due date again once the replacement or the delivery is
        known, while the old parts are still expected. An exchange in kind
        keeps its own: its old part comes back before the new one leaves."""
        for note in self.filtered(
            lambda n: (
                n.state == "expected" and not n.received_date and not n.exchange_in_kind
            )
        ):
            vals = self._prepare_due_vals(
                note.request_id, note.line_ids.product_id, note.new_parts_shipped_date
            )
            if any(note[name] != value for name, value in vals.items()):
                note._write_flow(vals)

    # Exchange in kind of important parts (004 §4.6.2, R-097, R-220, R-234)

    @api.model
    def _get_exchange_quantities(self, request):
        """Quantity of each part the request's exchanges in kind (not
        cancelled) expect back."""
        # sudo: the request's own returns, whoever ships or approves
        exchanges = request.sudo().oldpart_return_ids.filtered(
            lambda n: n.exchange_in_kind and n.state != "cancel"
        )
        quantities = {}
        for line in exchanges.line_ids:
            quantities[line.product_id] = (
                quantities.get(line.product_id, 0.0) + line.quantity
            )
        return quantities

    @api.model
    def _open_exchange_returns(self, requests):
        """Important parts are exchanged in kind (004 §4.6.2): "the original
        parts shall be exchanged in principle" — old for new. Read here as:
        the old part comes back to the service center before the new one
        leaves, so the new part cannot be released against a promise. When a
        request is approved, a return opens for the important parts it
        releases (those not yet expected back), due like any other; the
        warehouse validates the delivery once it is received
        (``stock.picking._check_forklift_exchange_in_kind``)."""
        vals_list = []
        # sudo: the lines and returns of approved requests, whoever approves
        for request in requests.sudo().filtered(lambda r: r.state == "approved"):
            needed = {}
            for line in request.line_ids.filtered(
                lambda rl: rl.product_id.forklift_important_part
            ):
                needed[line.product_id] = (
                    needed.get(line.product_id, 0.0) + line.quantity
                )
            if not needed:
                # no important part: nothing to exchange, no return to read
                continue
            days = request.company_id._get_forklift_setting(
                "forklift_oldpart_return_days"
            )
            expected = self._get_exchange_quantities(request)
            lines = [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "quantity": quantity - expected.get(product, 0.0),
                        "unit_cost": request.line_ids.filtered(
                            lambda rl, p=product: rl.product_id == p
                        )[:1].unit_cost,
                    }
                )
                for product, quantity in needed.items()
                if quantity > expected.get(product, 0.0)
            ]
            if lines:
                vals_list.append(
                    {
                        "request_id": request.id,
                        "exchange_in_kind": True,
                        "due_date": request.company_id._forklift_today()
                        + timedelta(days=days),
                        "line_ids": lines,
                    }
                )
        notes = self._create_flow(vals_list)
        for note in notes:
            note.message_post(
                body=self.env._(
                    "Important parts are exchanged in kind: %(request)s is "
                    "released once these old parts are received.",
                    request=note.request_id.name,
                )
            )
        return notes

    @api.model
    def _open_exchange_returns_for_products(self, products):
        """Products just marked important: approved requests not shipped yet
        that release them wait for their old parts too."""
        # sudo: every approved request of these parts, whoever marks them
        requests = (
            self.env["forklift.parts.request"]
            .sudo()
            .search(
                [
                    ("state", "=", "approved"),
                    ("line_ids.product_id", "in", products.ids),
                ]
            )
        )
        return self._open_exchange_returns(requests)

    @api.model
    def _cancel_exchange_returns(self, requests):
        """A cancelled request releases nothing: its exchanges whose old parts
        are neither received nor on their way are cancelled with it."""
        # sudo: the request's own returns, whoever cancels it
        notes = requests.sudo().oldpart_return_ids.filtered(
            lambda n: (
                n.exchange_in_kind
                and n.state == "expected"
                and not n.received_date
                and not n.shipped_date
                and not n.review_ids
            )
        )
        notes._write_flow({"state": "cancel"})
        return notes

    # Parts not returned in time

    def action_bill_not_returned(self):
        """A dealer's old parts still not back after their due date (30 days,
        000 §4.3.2.5): the reminders went out (``_cron_remind_overdue``), and
        the service center now decides to treat them as rejected (REQUIREMENTS
        A-15): the parts are sold to the dealer — the warranty application
        becomes a parts sale (备件销售单), a confirmed sale order and its
        invoice — and the return is closed as not returned, billed. Only the
        service center decides, only after the due date, only for parts
        neither received nor shipped back."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(
                self.env._(
                    "Only the service center bills old parts that were not returned."
                )
            )
        for note in self:
            if note.returned_by_type != "dealer":
                raise UserError(
                    self.env._(
                        "%s is not returned by a dealer: a technician's missing "
                        "part is charged to the technician.",
                        note.name,
                    )
                )
            note._check_awaiting_receipt(unshipped=True)
            note._check_not_back()
            if not note.due_date or note.due_date >= note.company_id._forklift_today():
                raise UserError(
                    self.env._(
                        "%(note)s is due back on %(date)s: it can be billed as not "
                        "returned only after that day.",
                        note=note.name,
                        date=note.due_date,
                    )
                )
        for note in self:
            order = note._create_part_sale()
            note._write_flow({"state": "not_returned", "sale_order_id": order.id})
            partner = note.dealer_id.commercial_partner_id
            note.message_post(
                body=self.env._(
                    "The old parts did not come back by %(date)s: they are sold "
                    "to %(dealer)s on %(order)s.",
                    date=note.due_date,
                    dealer=partner.display_name,
                    order=order.name,
                ),
                partner_ids=partner.ids,
                subtype_xmlid="mail.mt_comment",
            )
            note.request_id.message_post(
                body=self.env._(
                    "Old parts of %(note)s not returned: the parts are sold to the "
                    "dealer on %(order)s.",
                    note=note.name,
                    order=order.name,
                )
            )

    def _create_part_sale(self):
        """Sell the parts of this return to its dealer, as a sheet's paid
        service is sold (``forklift.feedback.action_create_paid_sale``): a sale
        order confirmed and invoiced at once. The parts already left on the
        warranty delivery: the order asks for no second delivery, and its
        invoice bills the quantities ordered."""
        self.ensure_one()
        partner = self.dealer_id.commercial_partner_id
        # sudo: the service center bills without sales or accounting rights;
        # every condition was checked by the caller
        sale_model = self.env["sale.order"].sudo().with_company(self.company_id)
        order = sale_model.create(
            {
                "partner_id": partner.id,
                "company_id": self.company_id.id,
                "origin": f"{self.request_id.name} / {self.name}",
                "client_order_ref": self.name,
                "order_line": [
                    fields.Command.create(
                        {
                            "product_id": line.product_id.id,
                            "product_uom_qty": line.quantity,
                        }
                    )
                    for line in self.line_ids
                ],
            }
        )
        order.with_context(skip_procurement=True).action_confirm()
        invoice_vals = order._prepare_invoice()
        invoice_vals["invoice_line_ids"] = [
            fields.Command.create(
                line._prepare_invoice_line(quantity=line.product_uom_qty)
            )
            for line in order.order_line
        ]
        invoice = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(invoice_vals)
        )
        invoice.action_post()
        # the day it falls due is fixed here, not by a later invoice date
        order.forklift_due_date = invoice.invoice_date_due
        return order


class ForkliftOldpartReturnLine(models.Model):
    """A part expected back: what was shipped, at the request's cost."""

    _name = "forklift.oldpart.return.line"
    _description = "Forklift Old-Part Return Line"
    _inherit = ["forklift.flow.mixin", "forklift.copy.refused.mixin"]
    _copy_refused_message = _lt(
        "The parts expected back are those the warranty parts request shipped: "
        "a line is not duplicated."
    )

    return_id = fields.Many2one(
        "forklift.oldpart.return", required=True, ondelete="cascade", index=True
    )
    company_id = document_company("return_id", precompute=True)
    product_id = fields.Many2one("product.product", string="Part", required=True)
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    unit_cost = fields.Float(digits="Product Price")
    failed_serial = fields.Char(string="Failed Part Serial")

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "return_id",
            "product_id",
            "quantity",
            "unit_cost",
        }

    def write(self, vals):
        if not self._is_flow_write() and "failed_serial" in vals:
            for line in self:
                if line.return_id.state != "expected" or (
                    line.return_id.sc_inspected_by_id
                ):
                    raise UserError(
                        self.env._(
                            "The inspection of %s is signed: its parts cannot change.",
                            line.return_id.name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_flow(self):
        # lines go with their return only (cascade from a deletable return)
        if not self._is_flow_write() and self.return_id.exists():
            raise UserError(
                self.env._("The parts expected back cannot be removed by hand.")
            )

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity of a returned part must be positive."
    )

from datetime import timedelta

from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date, format_datetime

from odoo.addons.mail.tools.alias_error import AliasError

from ..tools import (
    CLOCK_SKEW,
    HOUR_METER_SQL,
    assign_counts,
    check_hour_meter,
    check_plausible_date,
    check_signature_image,
    company_members,
    form_action,
    list_action,
    readable_parent_of_write,
    related_action,
    wizard_action,
)
from .forklift_deadline_reminder import Reminder
from .forklift_document_fields import (
    board_state,
    company_field,
    computed_editable,
    customer_link,
    dealer_link,
    responsible_field,
    stamp_datetime,
    stamp_user,
    stamped,
    unit_link,
)
from .forklift_flow_mixin import FLOW_MARK
from .forklift_overdue_mixin import compute_flags, search_flag
from .forklift_sequence_mixin import NO_NUMBER
from .forklift_sla_policy import SEVERITIES, WARRANTY_STATES
from .forklift_unit import MARKETS
from .res_partner import REGIONS

CHANNELS = [
    ("phone", "Phone"),
    ("fax", "Fax"),
    ("email", "E-mail"),
    ("portal", "Portal"),
    ("visit", "Visit"),
]
RESPONSIBILITIES = [
    ("manufacturing", "Manufacturing quality"),
    ("supplier", "Supplier part"),
    ("misuse", "Customer misuse"),
    ("non_original", "Non-original part"),
    ("out_of_warranty", "Out of warranty"),
]
# causes the guarantee excludes: a paid service (R-214, R-216)
PAID_RESPONSIBILITIES = ("misuse", "non_original", "out_of_warranty")
VERDICTS = [
    ("repair", "Guarantee: repair"),
    ("return", "Guarantee: return"),
    ("replace", "Guarantee: replace"),
    ("compensation", "Compensation"),
    ("paid", "Paid service"),
]
ROUTES = [
    ("technician", "Own technician"),
    ("dealer", "Dealer"),
    ("supplier", "Supplier"),
    ("remote", "Remote technical support first"),
]
CASE_STATES = [
    ("draft", "Intake"),
    ("verified", "Verified"),
    ("dispatched", "Dispatched"),
    ("done", "Service Done"),
    ("reported", "Reported to QA"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
# states of a sheet in which a paid service is open
PAID_SERVICE_STATES = ("verified", "dispatched", "done", "reported")
# Each deadline of the sheet followed by the date that meets it: what its
# overdue flags and its on-time shares are computed from.
DEADLINE_FIELDS = (
    "dispatch_deadline",
    "dispatched_date",
    "answer_deadline",
    "answered_date",
    "onsite_deadline",
    "arrival_date",
)


class ForkliftFeedback(models.Model):
    """After-sales problem feedback sheet (售后服务问题反馈单, R-001).

    000 §4.1–4.2: the service center fills it from the customer's or dealer's
    report, verifies and diagnoses the cause, then dispatches a service order
    the same day (at most 24 h after verification); once the work is done the
    case is reported to QA and closed.
    """

    _name = "forklift.feedback"
    _description = "Forklift After-Sales Feedback Sheet"
    _inherit = [
        "forklift.sequence.mixin",
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "forklift.flow.mixin",
        "forklift.deadline.reminder",
    ]
    _order = "received_date desc, id desc"
    _rec_names_search = ["name", "title"]
    _check_company_auto = True

    state = board_state(CASE_STATES)
    title = fields.Char(string="Subject")
    market = computed_editable(
        fields.Selection,
        "_compute_market",
        MARKETS,
        required=True,
        precompute=True,
        tracking=True,
    )
    company_id = company_field(index=True)
    user_id = responsible_field(index=True)
    received_date = fields.Datetime(
        string="Received On",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        index=True,
        # a copy is a new report, received when it is recorded
        copy=False,
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    reporter_type = fields.Selection(
        [("customer", "Customer"), ("dealer", "Dealer")],
        string="Reported By",
        required=True,
        default="customer",
    )
    unit_id = unit_link(tracking=True, index=True, check_company=True)
    product_id = fields.Many2one(related="unit_id.product_id", string="Model")
    partner_id = customer_link(
        compute="_compute_partners",
        store=True,
        readonly=False,
        check_company=True,
        tracking=True,
        index=True,
    )
    dealer_id = dealer_link(
        compute="_compute_dealer_id",
        store=True,
        readonly=False,
        check_company=True,
        tracking=True,
        index=True,
        help="The forklift's dealer; when it has none, the dealer serving the "
        "customer's state (R-081). The service center may change it.",
    )
    region = computed_editable(
        fields.Selection,
        "_compute_region",
        REGIONS,
        help="Distance zone of the customer, for the on-site commitment.",
    )
    hour_meter = fields.Float(
        string="Hour Meter at Report",
        help="Also recorded as a reading of the forklift's hour meter.",
    )
    reading_id = stamped(fields.Many2one, "forklift.hour.reading")
    is_stopped = fields.Boolean(
        string="Forklift Stopped",
        tracking=True,
        help="The forklift cannot work until it is repaired.",
    )
    reporter_partner_id = fields.Many2one(
        "res.partner",
        string="Reporter",
        help="The person who reported the problem, when known (the portal user "
        "who filed the sheet).",
        check_company=True,
    )
    description = fields.Html(string="Fault Description")
    photo_ids = fields.Many2many(
        "ir.attachment",
        "forklift_feedback_photo_rel",
        "feedback_id",
        "attachment_id",
        string="Photos",
    )
    fault_category_id = fields.Many2one("forklift.fault.category", tracking=True)
    severity = fields.Selection(
        SEVERITIES, required=True, default="normal", tracking=True
    )
    major_notified_date = stamp_datetime("Leaders Notified On")
    warranty_state = fields.Selection(
        WARRANTY_STATES,
        string="Warranty at Report",
        compute="_compute_warranty",
        store=True,
    )
    warranty_end_reason = fields.Selection(
        related="unit_id.warranty_end_reason", string="Warranty Ended By"
    )
    verification = fields.Html(
        string="Verification and Diagnosis",
        groups="base.group_user",
        help="What the service center checked and the cause it found.",
    )
    verified_date = stamp_datetime(tracking=True)
    first_verified_date = stamp_datetime(
        "First Verified On",
        help="When the sheet was verified the first time. Its response "
        "deadlines stay those of this verification, also when the sheet is "
        "cancelled, reopened and verified again.",
    )
    verified_by_id = stamp_user(groups="base.group_user")
    responsibility = fields.Selection(RESPONSIBILITIES, tracking=True)
    warranty_verdict = computed_editable(
        fields.Selection,
        "_compute_warranty_verdict",
        VERDICTS,
        tracking=True,
        help="Three guarantees and one compensation (004 §4.6): repair, return, "
        "replace or compensate under warranty; otherwise paid service.",
    )
    route = fields.Selection(ROUTES, tracking=True)
    service_order_ids = fields.One2many(
        "forklift.service.order", "feedback_id", string="Service Orders"
    )
    service_order_count = fields.Integer(compute="_compute_service_order_count")
    parts_request_ids = fields.One2many(
        "forklift.parts.request", "feedback_id", string="Warranty Parts Requests"
    )
    parts_request_count = fields.Integer(compute="_compute_parts_request_count")
    dispatch_deadline = fields.Datetime(
        compute="_compute_dispatch_deadline",
        store=True,
        help="The service order must be dispatched at most 24 h after verification "
        "(000 §4.2.1.1).",
    )
    dispatched_date = stamp_datetime()
    is_dispatch_overdue = fields.Boolean(
        string="Dispatch Overdue",
        compute="_compute_overdue",
        search="_search_is_dispatch_overdue",
    )
    sla_policy_id = fields.Many2one(
        "forklift.sla.policy",
        string="Response Commitment",
        compute="_compute_sla",
        store=True,
    )
    answer_deadline = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    onsite_deadline = fields.Datetime(
        string="On-Site Deadline", compute="_compute_sla_deadlines", store=True
    )
    answered_date = stamp_datetime(tracking=True)
    arrival_date = fields.Datetime(
        string="Arrived On Site", compute="_compute_arrival_date", store=True
    )
    is_sla_overdue = fields.Boolean(
        string="Response Overdue",
        compute="_compute_overdue",
        search="_search_is_sla_overdue",
    )
    # Paid service (备件销售单, 000 §4.3.2.1)
    paid_ack_signature = fields.Image(
        string="Customer's Prior Consent",
        copy=False,
        groups="base.group_user",
        attachment=True,
        max_width=1024,
        max_height=1024,
        help="Out of warranty, misuse or non-original parts: the customer signs "
        "for the paid service before the work starts.",
    )
    paid_ack_signed_by = fields.Char(
        string="Consent Signed By", copy=False, groups="base.group_user"
    )
    labour_hours = fields.Float(
        help="Labour hours charged with the parts.", groups="base.group_user"
    )
    payment_mode = stamped(
        fields.Selection,
        [("on_the_spot", "Paid on the spot"), ("deferred", "Deferred (up to 30 days)")],
        default="on_the_spot",
        tracking=True,
        help="Paid on the spot unless the service center director agrees to defer "
        "the payment (up to 30 days, 000 §4.3.2.1).",
    )
    deferral_approved_by_id = stamp_user(
        "Deferral Agreed By", tracking=True, groups="base.group_user"
    )
    payment_deferral_ids = fields.One2many(
        "forklift.payment.deferral",
        "feedback_id",
        string="Payment Deferrals",
        groups="base.group_user",
    )
    payment_deferral_count = fields.Integer(
        compute="_compute_payment_deferral_count", groups="base.group_user"
    )
    deferral_approved_date = stamp_datetime(
        "Deferral Agreed On", groups="base.group_user"
    )
    collector_id = fields.Many2one(
        "res.users",
        help="The technician who collects the payment.",
        tracking=True,
        groups="base.group_user",
    )
    sale_order_id = stamped(
        fields.Many2one,
        "sale.order",
        string="Paid Service Order",
        check_company=True,
        groups="base.group_user",
    )
    quote_ids = fields.One2many(
        "sale.order",
        "forklift_feedback_id",
        string="Quotes",
        readonly=True,
        groups="base.group_user",
    )
    quote_count = fields.Integer(compute="_compute_quote_count")
    invoice_ids = fields.Many2many(
        related="sale_order_id.invoice_ids",
        string="Invoices",
        groups="base.group_user",
    )
    collection_due_date = fields.Date(
        compute="_compute_collection", store=True, groups="base.group_user"
    )
    amount_to_collect = fields.Monetary(
        compute="_compute_collection", store=True, groups="base.group_user"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_collection_overdue = fields.Boolean(
        compute="_compute_is_collection_overdue", search="_search_is_collection_overdue"
    )
    done_date = stamp_datetime()
    reported_date = stamp_datetime("Reported to QA On")
    closed_date = stamp_datetime()
    # Abnormal issues (000 §4.2.4)
    abnormal_issue_ids = fields.One2many(
        "forklift.abnormal.issue", "feedback_id", string="Abnormal Issues"
    )
    abnormal_issue_count = fields.Integer(compute="_compute_abnormal_issue_count")
    # Technical, commissioning and process questions to R&D (000 §3.4)
    technical_question_ids = fields.One2many(
        "forklift.technical.question", "feedback_id", string="Questions to R&D"
    )
    technical_question_open_count = fields.Integer(
        string="Questions Waiting", compute="_compute_technical_question_open_count"
    )
    # Customer care once the case is closed (000 第五篇 (三)4, 001-B L151)
    followup_call_ids = fields.One2many(
        "forklift.followup.call", "feedback_id", string="Follow-Up Calls"
    )
    survey_ids = fields.One2many(
        "forklift.satisfaction.survey", "feedback_id", string="Satisfaction Surveys"
    )
    satisfaction_rating = fields.Selection(
        related="survey_ids.rating", string="Customer Satisfaction"
    )
    # What the sheet cost, kept up to date for the statistics (000 §4.1.6)
    local_purchase_ids = fields.One2many(
        "forklift.local.purchase", "feedback_id", string="Local Purchases"
    )
    parts_replaced_qty = fields.Float(
        string="Parts Replaced",
        compute="_compute_service_figures",
        store=True,
        digits="Product Unit",
    )
    onsite_hours = fields.Float(
        string="Hours on Site",
        compute="_compute_service_figures",
        store=True,
        help="From arrival to the end of the work, over the service orders.",
    )
    # The supplier at fault, fixed once known so that the statistics of past
    # months stay as they were produced (R-256, R-261)
    supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier at Fault",
        tracking=True,
        index="btree_not_null",
        copy=False,
        groups="base.group_user",
        help="For a supplier-caused failure: the main vendor of the failed part "
        "when the sheet was verified (or of the first part replaced, when none "
        "was known then). Later changes of the part's vendors do not change it; "
        "QA corrects it.",
        check_company=True,
    )
    parts_cost = fields.Monetary(
        compute="_compute_parts_cost",
        store=True,
        groups="base.group_user",
        help="Warranty parts released on approved requests and parts bought locally.",
    )
    freight_cost = fields.Monetary(
        compute="_compute_parts_cost", store=True, groups="base.group_user"
    )
    # kept apart so that a parts request's step recomputes the parts cost
    # without reading the sheet's local purchases again
    local_purchase_cost = fields.Monetary(
        compute="_compute_local_purchase_cost",
        store=True,
        groups="base.group_user",
        help="Parts bought locally, approved or reimbursed.",
    )

    _hour_meter_positive = models.Constraint(
        f"CHECK(hour_meter {HOUR_METER_SQL})",
        "An hour meter reads from 0 to 999999 hours.",
    )

    # Compute methods

    @api.depends("name", "title")
    def _compute_display_name(self):
        """Number and subject, so a sheet is recognised wherever it is chosen."""
        for case in self:
            case.display_name = f"{case.name} {case.title}" if case.title else case.name

    @api.depends("unit_id")
    def _compute_partners(self):
        for case in self:
            case.partner_id = case.unit_id.partner_id or case.partner_id

    @api.depends("unit_id", "partner_id")
    def _compute_dealer_id(self):
        """The forklift's dealer, else the dealer responsible for the
        customer's territory (000 §4.2.2.1, R-081), else the one given."""
        for case in self:
            case.dealer_id = case._get_assigned_dealer() or case.dealer_id

    def _get_assigned_dealer(self):
        """The dealer the sheet goes to by itself: the forklift's, else the
        one serving the customer's territory (R-081); none where the service
        center chooses."""
        self.ensure_one()
        if self.unit_id.dealer_id:
            return self.unit_id.dealer_id
        if self.partner_id:
            return self.partner_id._get_forklift_territory_dealer(self.company_id)
        return self.dealer_id.browse()

    def _check_dealer_chosen(self):
        """The service center alone hands a sheet to another dealer than the
        one it goes to by itself (R-081): the dealer's logins read the
        customer's sheet and apply for its parts, its service staff decide
        whether the customer gets remote support first (R-055, R-079). The
        sales company or the export division filing or editing the sheet
        leaves it the dealer it goes to."""
        if self._is_flow_write() or self.env["res.partner"]._may_set_forklift_dealer():
            return
        # sudo: the forklift's and the territory's dealer decide, whoever files
        for case in self.sudo():
            if case.dealer_id != case._get_assigned_dealer():
                raise AccessError(
                    self.env._(
                        "Only the service center chooses the dealer of %s: a "
                        "sheet goes to its forklift's dealer, or to the one "
                        "serving the customer's territory.",
                        case.name,
                    )
                )

    @api.depends("unit_id")
    def _compute_market(self):
        for case in self:
            case.market = case.unit_id.market or case.market or "domestic"

    @api.depends("partner_id.forklift_region")
    def _compute_region(self):
        for case in self._filter_commitment_open("region"):
            case.region = case.partner_id.forklift_region or case.region or "domestic"

    @api.depends(
        "unit_id.warranty_start_date",
        "unit_id.warranty_end_date",
        "unit_id.hours_limit_reached_on",
        "received_date",
        "hour_meter",
        "company_id",
    )
    def _compute_warranty(self):
        """The warranty on the day of the report (R-211, R-127, R-288): from
        the forklift's terms and hour meter until the sheet is first
        verified, then as it was verified (:meth:`_filter_commitment_open`),
        so that later terms or readings leave the verified sheets, their
        guarantee (三包) verdict and their statistics as they were."""
        for case in self._filter_commitment_open("warranty_state"):
            if not case.unit_id:
                case.warranty_state = "none"
                continue
            at_date = case._get_local_received_date()
            case.warranty_state = case.unit_id._get_warranty_status(
                at_date, case.hour_meter or None
            )[0]

    def _get_service_day(self):
        """The service date of a paid service, in the company's time zone: the
        day the last of its service orders finished the work (R-165); False
        while no work is done."""
        self.ensure_one()
        finished = self.service_order_ids.filtered(
            lambda o: o.state in ("done", "signed", "registered") and o.finished_date
        ).mapped("finished_date")
        if not finished:
            return False
        return self.company_id._forklift_local_date(max(finished))

    def _get_local_received_date(self):
        """The day the report was received, in the company's time zone: the
        warranty ends at midnight where the company is (R-288), not in UTC."""
        self.ensure_one()
        return self.company_id._forklift_local_date(
            self.received_date or fields.Datetime.now()
        )

    @api.depends("warranty_state", "responsibility")
    def _compute_warranty_verdict(self):
        """Paid service out of warranty or for a cause the guarantee excludes
        (R-214, R-216, R-217). Verified, the verdict stays the one verified
        (a diagnosis field, typed at intake only); a reopened sheet's
        corrected diagnosis decides it again."""
        kept = self.filtered(lambda c: c.first_verified_date and c.state != "draft")
        for case in kept:
            # the stored value, read back while it is being computed
            case.warranty_verdict = case.warranty_verdict
        for case in self - kept:
            if case._is_paid_service():
                case.warranty_verdict = "paid"
            elif not case.warranty_verdict or case.warranty_verdict == "paid":
                case.warranty_verdict = (
                    "repair" if case.warranty_state == "in" else False
                )

    def _is_paid_service(self):
        """Whether the sheet can only be a paid service: out of warranty, or a
        cause the guarantee excludes (R-214, R-216)."""
        self.ensure_one()
        return (
            self.responsibility in PAID_RESPONSIBILITIES or self.warranty_state == "out"
        )

    def _compute_abnormal_issue_count(self):
        assign_counts(
            self, abnormal_issue_count=("forklift.abnormal.issue", "feedback_id")
        )

    @api.depends("technical_question_ids.state")
    def _compute_technical_question_open_count(self):
        for case in self:
            case.technical_question_open_count = len(
                case.technical_question_ids.filtered(lambda q: q.state == "open")
            )

    def _compute_quote_count(self):
        # sudo: only how many quotes the sheet has, for users without sales
        # rights
        assign_counts(self.sudo(), quote_count=("sale.order", "forklift_feedback_id"))

    def _compute_service_order_count(self):
        assign_counts(
            self, service_order_count=("forklift.service.order", "feedback_id")
        )

    def _compute_payment_deferral_count(self):
        for case in self:
            case.payment_deferral_count = len(case.payment_deferral_ids)

    def _compute_parts_request_count(self):
        assign_counts(
            self, parts_request_count=("forklift.parts.request", "feedback_id")
        )

    @api.depends(
        "sale_order_id.invoice_ids.invoice_date_due",
        "sale_order_id.invoice_ids.amount_residual",
        "sale_order_id.invoice_ids.state",
    )
    def _compute_collection(self):
        for case in self:
            invoices = case.sale_order_id.invoice_ids.filtered(
                lambda i: i.state == "posted" and i.move_type == "out_invoice"
            )
            dues = invoices.filtered("amount_residual").mapped("invoice_date_due")
            case.collection_due_date = min(dues) if dues else False
            case.amount_to_collect = sum(invoices.mapped("amount_residual"))

    @api.depends("collection_due_date", "amount_to_collect")
    def _compute_is_collection_overdue(self):
        compute_flags(
            self, {"is_collection_overdue": self._get_collection_overdue_domain()}
        )

    def _search_is_collection_overdue(self, operator, value):
        return search_flag(self._get_collection_overdue_domain(), operator, value)

    def _get_collection_overdue_domain(self):
        return Domain(
            [
                ("amount_to_collect", ">", 0),
                ("collection_due_date", "<", fields.Date.context_today(self)),
            ]
        )

    @api.depends("first_verified_date", "verified_date")
    def _compute_dispatch_deadline(self):
        """The company's dispatch time after the verification (24 h, 000
        §4.2.1.1, R-158): the first one (the earlier of the first and the
        last verification), so that cancelling, reopening and verifying the
        sheet again does not restart a clock already run; measured once, with
        the dispatch time of the settings then, as the other deadlines
        (:meth:`_filter_commitment_open`)."""
        for case in self:
            if case.first_verified_date and case.dispatch_deadline:
                # the stored value, read back while it is being computed
                case.dispatch_deadline = case.dispatch_deadline
                continue
            verified = min(
                filter(None, (case.first_verified_date, case.verified_date)),
                default=False,
            )
            case.dispatch_deadline = case.company_id._forklift_deadline(
                verified, "forklift_dispatch_hours", "hours"
            )

    @api.depends(
        "warranty_state",
        "severity",
        "region",
        "received_date",
        "company_id",
        "unit_id.commitment_id",
        "partner_id.forklift_sla_policy_id",
        "partner_id.commercial_partner_id.forklift_sla_policy_id",
    )
    def _compute_sla(self):
        """The response commitment the sheet's warranty, severity and zone
        choose, a line of the forklift's commitment letter first (R-172,
        R-173, R-025)."""
        policy_model = self.env["forklift.sla.policy"]
        cases = self._filter_commitment_open("sla_policy_id")
        # sudo: the forklifts' letters decide, whoever reports
        candidates = policy_model._get_candidates(
            cases.company_id, cases.unit_id.sudo().commitment_id
        )
        for case in cases:
            # the commitment chosen for the customer, or for its company (R-173)
            customer = case.partner_id
            policy = policy_model._find_policy(
                case.warranty_state,
                case.severity,
                case.region,
                case.company_id,
                # sudo: the forklift's letter decides, whoever reports
                commitment=case.unit_id.sudo().commitment_id,
                at=case._get_local_received_date(),
                chosen=customer.forklift_sla_policy_id
                or customer.commercial_partner_id.forklift_sla_policy_id,
                candidates=candidates,
            )
            case.sla_policy_id = policy

    @api.depends(
        "sla_policy_id.answer_hours", "sla_policy_id.onsite_hours", "received_date"
    )
    def _compute_sla_deadlines(self):
        """The answer and on-site deadlines of the response commitment,
        measured from the report (R-172–R-176)."""
        for case in self._filter_commitment_open("answer_deadline", "onsite_deadline"):
            policy, start = case.sla_policy_id, case.received_date
            case.answer_deadline = (
                start + timedelta(hours=policy.answer_hours)
                if policy and start
                else False
            )
            case.onsite_deadline = (
                start + timedelta(hours=policy.onsite_hours)
                if policy.onsite_hours and start
                else False
            )

    @api.model
    def _get_resolved_commitment_fields(self):
        """The response commitment of the sheet, which the server resolves
        from the master data: the customer's zone and the commitment chosen
        for him, the forklift's commitment letter, the policies and their
        hours (R-172–R-180, R-025); and the warranty at the report that
        chooses it, with the guarantee verdict (R-211, R-217)."""
        return {
            "region",
            "sla_policy_id",
            "answer_deadline",
            "onsite_deadline",
            "warranty_state",
            "warranty_verdict",
        }

    def _filter_commitment_open(self, *names):
        """The sheets of ``self`` whose response commitment still follows the
        master data: those never verified. The others keep the commitment
        fields ``names`` (those the calling compute assigns) as they were
        resolved at the first verification, also once cancelled and reopened:
        a customer who moves, a new letter, new policy hours, new warranty
        terms or a reading typed in later apply to the sheets to come, and
        the warranty, deadlines and statistics already counted stay (R-158,
        R-172–R-180, R-211, R-259; as the supplier at fault, R-256)."""
        kept = self.filtered("first_verified_date")
        for case in kept:
            for name in names:
                # the stored value, read back while it is being computed
                case[name] = case[name]
        return self - kept

    @api.depends(
        "service_order_ids.state",
        "service_order_ids.arrival_date",
        "service_order_ids.finished_date",
        "service_order_ids.part_ids.quantity",
    )
    def _compute_service_figures(self):
        for case in self:
            orders = case.service_order_ids.filtered(lambda o: o.state != "cancel")
            case.parts_replaced_qty = sum(orders.part_ids.mapped("quantity"))
            case.onsite_hours = sum(
                (order.finished_date - order.arrival_date).total_seconds() / 3600
                for order in orders
                if order.arrival_date and order.finished_date
            )

    @api.depends("local_purchase_ids.state", "local_purchase_ids.amount_total")
    def _compute_local_purchase_cost(self):
        for case in self:
            purchases = case.local_purchase_ids.filtered(
                lambda p: p.state in ("approved", "reimbursed")
            )
            case.local_purchase_cost = sum(purchases.mapped("amount_total"))

    @api.depends(
        "parts_request_ids.state",
        "parts_request_ids.amount_total",
        "parts_request_ids.freight_cost",
        "local_purchase_cost",
    )
    def _compute_parts_cost(self):
        for case in self:
            requests = case.parts_request_ids.filtered(
                lambda r: r.state in ("approved", "shipped")
            )
            case.parts_cost = (
                sum(requests.mapped("amount_total")) + case.local_purchase_cost
            )
            case.freight_cost = sum(requests.mapped("freight_cost"))

    @api.depends("service_order_ids.arrival_date")
    def _compute_arrival_date(self):
        for case in self:
            arrivals = case.service_order_ids.filtered("arrival_date").mapped(
                "arrival_date"
            )
            case.arrival_date = min(arrivals) if arrivals else False

    @api.depends_context("uid")
    @api.depends(*DEADLINE_FIELDS, "state")
    def _compute_overdue(self):
        compute_flags(
            self,
            {
                "is_dispatch_overdue": self._get_dispatch_overdue_domain(),
                "is_sla_overdue": self._get_sla_overdue_domain(),
            },
        )

    def _search_is_dispatch_overdue(self, operator, value):
        return search_flag(self._get_dispatch_overdue_domain(), operator, value)

    def _search_is_sla_overdue(self, operator, value):
        return search_flag(self._get_sla_overdue_domain(), operator, value)

    def _get_dispatch_overdue_domain(self):
        return Domain(
            [
                ("state", "not in", ("closed", "cancel")),
                ("dispatched_date", "=", False),
                ("dispatch_deadline", "<", fields.Datetime.now()),
            ]
        )

    def _get_sla_overdue_domain(self):
        now = fields.Datetime.now()
        answer_late = Domain(
            [("answered_date", "=", False), ("answer_deadline", "<", now)]
        )
        onsite_late = Domain(
            [
                ("arrival_date", "=", False),
                ("route", "!=", "remote"),
                ("onsite_deadline", "<", now),
            ]
        )
        return Domain("state", "not in", ("closed", "cancel")) & (
            answer_late | onsite_late
        )

    def _compute_access_url(self):
        for case in self:
            case.access_url = f"/my/forklift/sheets/{case.id}"

    # Constraints

    @api.constrains("paid_ack_signature")
    def _check_paid_ack_signature(self):
        """The customer's consent to the paid service is signed on screen: a
        PNG or JPEG image, as the service order's signature."""
        for case in self.filtered("paid_ack_signature"):
            check_signature_image(self.env, case.paid_ack_signature)

    @api.constrains("warranty_verdict", "responsibility", "warranty_state")
    def _check_paid_verdict(self):
        """The service center chooses among the guarantees (repair, return,
        replace, compensation) only for a sheet that is one: typed over a
        misuse, a non-original part or a forklift out of warranty, a guarantee
        would make the paid work free, without quote nor consent, and release
        warranty parts (R-214, R-216, R-217, R-100). A verified sheet keeps
        the verdict and the warranty it was verified with
        (``_compute_warranty_verdict``, ``_compute_warranty``): later warranty
        terms of its forklift leave it as it was checked then; reopened at
        intake, its verdict is checked again."""
        for case in self:
            if case.first_verified_date and case.state != "draft":
                continue
            if case.warranty_verdict not in (False, "paid") and case._is_paid_service():
                raise ValidationError(
                    self.env._(
                        "%(sheet)s is a paid service (out of warranty, or a cause "
                        "the guarantee excludes): its verdict cannot be %(verdict)s.",
                        sheet=case.display_name,
                        verdict=case._fields["warranty_verdict"].convert_to_export(
                            case.warranty_verdict, case
                        ),
                    )
                )

    @api.constrains("title")
    def _check_title_length(self):
        limit = 200
        for case in self:
            if case.title and len(case.title) > limit:
                raise ValidationError(
                    self.env._(
                        "The subject of a feedback sheet is limited to %(limit)s "
                        "characters; put the details in the description.",
                        limit=limit,
                    )
                )

    @api.constrains("received_date", "unit_id")
    def _check_received_date(self):
        """The report is received when it comes in, not on a day still to come
        where the company is. The day of the report judges the warranty
        (R-211, R-288) and starts the response-time deadlines (R-158): a
        report dated ahead would read out of warranty, or answered on time.
        A report of the past is typed as it came (a letter read days later),
        and any change of it stays in the sheet's history. A person does not
        time it later today either (his computer's clock may run
        ``CLOCK_SKEW`` ahead): the answer due an hour after it would read as
        not yet due, or answered on time."""
        limit = fields.Datetime.now() + CLOCK_SKEW
        for case in self:
            if self.env.uid != SUPERUSER_ID and case.received_date > limit:
                raise ValidationError(
                    self.env._(
                        "%(sheet)s cannot be received on %(date)s, a time still "
                        "to come.",
                        sheet=case.name,
                        date=format_datetime(self.env, case.received_date),
                    )
                )
            if case._get_local_received_date() > case.company_id._forklift_today():
                raise ValidationError(
                    self.env._(
                        "%(sheet)s cannot be received on %(date)s, a day still to "
                        "come.",
                        sheet=case.name,
                        date=format_datetime(self.env, case.received_date),
                    )
                )
            case._check_received_after_delivery()
        self._check_received_backdate()

    def _check_received_backdate(self):
        """A report is dated back a few days at most from the day its sheet is
        recorded (a letter read, a call typed later: the company's setting,
        7 days): the day of the report judges the warranty (R-211, R-127) and
        starts the response times (R-158), so a report of a forklift out of
        warranty dated back months would read in warranty, and its late
        answer on time. Only the service-center director records an older
        report, and the server (imports of past sheets, the mail gateway)."""
        if self._may_correct_report_time():
            return
        now = fields.Datetime.now()
        for case in self:
            company = case.company_id
            days = company._get_forklift_setting("forklift_report_backdate_days")
            # the moment the server recorded the sheet (now, while it
            # creates it)
            recorded = company._forklift_local_date(min(case.create_date or now, now))
            if case._get_local_received_date() < recorded - timedelta(days=days):
                raise ValidationError(
                    self.env._(
                        "%(sheet)s cannot be received on %(date)s, more than "
                        "%(days)s days before it was recorded on %(recorded)s: "
                        "only the service-center director records a report "
                        "that old.",
                        sheet=case.name,
                        date=format_datetime(self.env, case.received_date),
                        days=days,
                        recorded=format_date(self.env, recorded),
                    )
                )

    def _may_correct_report_time(self):
        """Whether the caller times a report as he finds it, within what the
        report's own checks allow: the server, and the service-center
        director, who corrects the staff's times (a time typed too early, a
        report older than the days staff may date it back)."""
        return self.env.uid == SUPERUSER_ID or self.env.user.has_group(
            "forklift_aftersales.group_forklift_director"
        )

    def _check_received_after_delivery(self):
        """Backdated, the report is still of a forklift the customer has: not
        of a year no after-sales date has (1900), nor of a day before the
        forklift was delivered where the company is; dated earlier, it would
        read in warranty, and the deadlines it starts as met (R-211, R-288,
        R-158)."""
        check_plausible_date(self, "received_date")
        # sudo: the forklift's delivery decides, whoever files the sheet
        delivery = self.sudo().unit_id.delivery_date
        if delivery and self._get_local_received_date() < delivery:
            raise ValidationError(
                self.env._(
                    "%(sheet)s cannot be received on %(date)s, before forklift "
                    "%(unit)s was delivered on %(delivery)s.",
                    sheet=self.name,
                    date=format_datetime(self.env, self.received_date),
                    unit=self.unit_id.name,
                    delivery=format_date(self.env, delivery),
                )
            )

    def _check_received_before_recorded(self, received):
        """R-158, R-172–R-176: the report came in before the sheet recording
        it was made, at the moment the server wrote down (``create_date``).
        Timed after it, a late answer or arrival would read as on time and
        its overdue flag would clear; a time before it (the call came in
        before it was typed) is still corrected.

        Once the sheet is recorded, staff time its report earlier only: a
        later time, even one before the sheet was recorded, would take hours
        off the measured answer and arrival (R-076, R-259). The service-center
        director corrects a time typed too early."""
        if self.env.uid == SUPERUSER_ID:
            return
        received = fields.Datetime.to_datetime(received)
        director = self._may_correct_report_time()
        for case in self:
            if (
                not director
                and case.create_date
                # once verified, the time is fixed for everyone
                # (``_get_commitment_basis_fields``)
                and not case.first_verified_date
                and case.received_date
                and received > case.received_date
            ):
                raise ValidationError(
                    self.env._(
                        "%(sheet)s is recorded with its report received on "
                        "%(typed)s: staff do not time the report later than "
                        "that. Only the service-center director corrects a time "
                        "typed too early.",
                        sheet=case.name,
                        typed=format_datetime(self.env, case.received_date),
                    )
                )
            if (
                case.create_date
                and received > case.received_date
                and received > case.create_date + CLOCK_SKEW
            ):
                raise ValidationError(
                    self.env._(
                        "%(sheet)s was recorded on %(recorded)s: its report "
                        "cannot have come in later, on %(date)s.",
                        sheet=case.name,
                        recorded=format_datetime(self.env, case.create_date),
                        date=format_datetime(self.env, received),
                    )
                )

    @api.constrains("requested_arrival_date", "received_date")
    def _check_requested_arrival_date(self):
        """The customer asks, when he reports, for someone on site by a time
        (R-180): not before the sheet was received, nor beyond the years a
        plan reaches. One of 1900 would count the arrival missed, one of 2999
        never due."""
        for case in self:
            check_plausible_date(
                case,
                "requested_arrival_date",
                earliest=case.received_date,
                planned_from=case.received_date,
            )

    @api.constrains("unit_id", "partner_id")
    def _check_unit_customer(self):
        for case in self:
            owner = case.unit_id.partner_id.commercial_partner_id
            if (
                owner
                and case.partner_id
                and case.partner_id.commercial_partner_id != owner
            ):
                raise ValidationError(
                    self.env._(
                        "Forklift %(unit)s belongs to %(owner)s, not to %(customer)s.",
                        unit=case.unit_id.name,
                        owner=owner.display_name,
                        customer=case.partner_id.display_name,
                    )
                )

    # Flow guard

    @api.model
    def _get_flow_fields(self):
        """Set by the sheet's own steps, or computed by the server (R-001)."""
        return super()._get_flow_fields() | {
            "state",
            "verified_date",
            "verified_by_id",
            "first_verified_date",
            "answered_date",
            "dispatched_date",
            "done_date",
            "reported_date",
            "closed_date",
            "major_notified_date",
            "reading_id",
            "payment_mode",
            "deferral_approved_by_id",
            "deferral_approved_date",
            "payment_deferral_ids",
            "technical_question_ids",
            "sale_order_id",
            "quote_ids",
            # computed and stored by the server, never typed
            "warranty_state",
            "dispatch_deadline",
            "sla_policy_id",
            "answer_deadline",
            "onsite_deadline",
            "arrival_date",
            "collection_due_date",
            "amount_to_collect",
            "parts_replaced_qty",
            "onsite_hours",
            "supplier_id",
            "parts_cost",
            "freight_cost",
            "local_purchase_cost",
        }

    @api.model
    def _get_fixed_fields(self):
        """The number and the market (which numbers the sheet and decides who
        sees it) are set at creation, like the company."""
        return super()._get_fixed_fields() | {"name", "market"}

    @api.model
    def _get_diagnosis_fields(self):
        """The report and the diagnosis the verification step stands for:
        typed at intake, fixed once the sheet is verified (000 §4.2.1.1)."""
        return {
            "unit_id",
            "partner_id",
            "dealer_id",
            "received_date",
            "hour_meter",
            "responsibility",
            "warranty_verdict",
            "route",
            "verification",
            "reporter_type",
            "reporter_partner_id",
            "region",
        }

    @api.model
    def _get_commitment_basis_fields(self):
        """What the response deadlines (R-158, R-172–R-180) are measured
        from: the report's time, the forklift (its warranty and its service
        commitment), the customer (the commitment chosen for him) and his
        zone, the hour meter (the warranty by hours), and the arrival time the
        customer requested. Fixed once the sheet has been verified, also
        when it is cancelled and reopened; the severity is only raised
        (:meth:`_check_severity_raised`)."""
        return {
            "received_date",
            "unit_id",
            "partner_id",
            "region",
            "hour_meter",
            "requested_arrival_date",
        }

    @api.model
    def _get_closed_locked_fields(self):
        """What the statistics count the closed sheet under and the
        timeliness assessment names (R-076, R-259): fixed once the sheet is
        closed."""
        return {"fault_category_id", "user_id"}

    @api.model
    def _get_paid_service_fields(self):
        """What the paid service order is made of, the technician who
        collects as well: fixed once it exists (R-013, R-102)."""
        return {
            "labour_hours",
            "paid_ack_signature",
            "paid_ack_signed_by",
            "collector_id",
        }

    @api.model
    def _get_state_locked_fields(self):
        """The diagnosis and the customer's requested arrival are typed at
        intake only; the fault category and the responsible change until
        the sheet is closed."""
        open_states = tuple(state for state, _label in CASE_STATES if state != "closed")
        return {
            **dict.fromkeys(
                self._get_diagnosis_fields() | {"requested_arrival_date"},
                ("draft",),
            ),
            **dict.fromkeys(self._get_closed_locked_fields(), open_states),
        }

    def _get_locked_fields(self):
        """The paid-service terms are fixed once the order is made; what the
        response deadlines are measured from, once the sheet has been
        verified, also at intake again after a reopening."""
        locked = super()._get_locked_fields()
        # sudo: the stored link, whoever writes
        if self.sudo().sale_order_id:
            locked |= self._get_paid_service_fields()
        if self.first_verified_date:
            locked |= self._get_commitment_basis_fields()
        return locked

    def _get_state_locked_message(self, names):
        basis = names & self._get_commitment_basis_fields()
        if basis and self.first_verified_date:
            return self.env._(
                "%(case)s has been verified: what its response deadlines are "
                "measured from (%(fields)s) stays as it was then, also when the "
                "sheet is cancelled and reopened. Open a new sheet for another "
                "report.",
                case=self.name,
                fields=self._get_field_labels(basis),
            )
        if "requested_arrival_date" in names:
            return self.env._(
                "%(case)s is no longer at intake: the arrival the customer "
                "requested when he reported (%(fields)s) no longer changes.",
                case=self.name,
                fields=self._get_field_labels({"requested_arrival_date"}),
            )
        closed = names & self._get_closed_locked_fields()
        if closed and self.state == "closed":
            return self.env._(
                "%(case)s is closed: the statistics and the timeliness "
                "assessment count it as it was closed, %(fields)s included.",
                case=self.name,
                fields=self._get_field_labels(closed),
            )
        diagnosis = names & self._get_diagnosis_fields()
        if diagnosis:
            return self.env._(
                "%(case)s is verified: its report and diagnosis (%(fields)s) "
                "no longer change. Cancel and reopen the sheet to correct "
                "them.",
                case=self.name,
                fields=self._get_field_labels(diagnosis),
            )
        return self.env._(
            "The paid service of %(case)s is already ordered: the terms it was "
            "made from (%(fields)s) no longer change.",
            case=self.name,
            fields=self._get_field_labels(names & self._get_paid_service_fields()),
        )

    def _check_unit_market(self, vals):
        """A sheet stays with forklifts of its market: moved to one of the
        other market, it would change market with it."""
        if "unit_id" in vals:
            # sudo: the forklift's market, whoever reads the forklift
            unit = self.env["forklift.unit"].sudo().browse(vals["unit_id"])
            for case in self:
                if unit and (unit.market or "domestic") != case.market:
                    raise UserError(case._get_market_message(unit))

    def _check_severity_raised(self, severity):
        """The severity chosen at intake sets the response commitment and its
        deadlines (000 第四篇 §8, R-172): once the sheet has been verified,
        also at intake again after a reopening, it is raised when the problem
        proves worse (a major quality issue found later, R-169, 000 §4.1.5),
        never lowered, and not at all once the sheet is closed, so no breach
        of a deadline is undone afterwards.

        A major quality issue reported to the leaders (``major_notified_date``)
        is lowered, at intake as well, by the service-center director alone:
        staff lowering it would take it out of the major figures, the 12 h
        commitment and R&D's judgement behind the leaders' backs (R-072,
        R-244, R-074, R-176)."""
        ranks = [key for key, _label in SEVERITIES]
        director = self.env.su or self.env.user.has_group(
            "forklift_aftersales.group_forklift_director"
        )
        for case in self:
            if (
                case.severity == "major"
                and severity != "major"
                and case.major_notified_date
                and not director
            ):
                raise UserError(
                    self.env._(
                        "%(case)s was reported to the leaders as a major quality "
                        "issue on %(date)s: only the service-center director "
                        "lowers its severity.",
                        case=case.name,
                        date=format_datetime(self.env, case.major_notified_date),
                    )
                )
            if case.severity == severity or (
                case.state == "draft" and not case.first_verified_date
            ):
                continue
            if case.state == "draft" and ranks.index(severity) < (
                ranks.index(case.severity)
            ):
                # reopened after a verification: the deadlines stand
                raise UserError(
                    self.env._(
                        "%(case)s has been verified before it was reopened: its "
                        "severity is raised when the problem proves worse, never "
                        "lowered.",
                        case=case.name,
                    )
                )
            if case.state in ("closed", "cancel") or ranks.index(severity) < (
                ranks.index(case.severity)
            ):
                raise UserError(
                    self.env._(
                        "%(case)s is verified: its severity is raised when the "
                        "problem proves worse, never lowered, and no longer "
                        "changes once the sheet is closed.",
                        case=case.name,
                    )
                )

    def _get_market_message(self, unit):
        return self.env._(
            "Forklift %(unit)s is of another market than %(case)s: "
            "open a new sheet for it.",
            unit=unit.name,
            case=self.name,
        )

    @api.constrains("unit_id", "market")
    def _check_market_of_unit(self):
        """A sheet takes its forklift's market, which decides who sees it, its
        numbering, its approvals (the export sales VP's or the domestic's)
        and its statistics (R-047, R-269): the service-center director
        corrects it where the forklift's is wrong, as he corrects the
        forklift's own (``forklift.unit._check_market_correction``). Another
        user does not type one: staff would file an export forklift's sheet
        under the domestic series and approvals, the export division a sheet
        on a forklift and a customer of a market he may not see."""
        user = self.env.user  # the caller, also where his create runs as sudo
        if user._is_superuser() or user.has_group(
            "forklift_aftersales.group_forklift_director"
        ):
            return
        for case in self:
            # sudo: the forklift's market, whoever reads the forklift
            unit = case.sudo().unit_id
            if unit and (unit.market or "domestic") != case.market:
                raise ValidationError(
                    self.env._(
                        "Forklift %(unit)s is of the %(market)s market: its "
                        "sheets are filed in it. Only the service-center "
                        "director files one in the other market, where the "
                        "forklift's market is wrong.",
                        unit=unit.name,
                        market=unit._fields["market"].convert_to_export(
                            unit.market or "domestic", unit
                        ),
                    )
                )

    # CRUD methods

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": self.env._("Import Template for Open Feedback Sheets"),
                "template": "/forklift_aftersales/static/xls/"
                "forklift_feedback_sheets_import_template.xlsx",
            }
        ]

    def _get_sequence_code(self, vals):
        """The core numbers every sheet from its feedback sheet series; the
        export addon numbers the export market's from a series of its own
        (R-269)."""
        return "forklift.feedback.domestic"

    @api.model_create_multi
    def create(self, vals_list):
        # the market decides the series the sheet is numbered from: of every
        # sheet the sequence numbers, an empty number sent (False, "", as an
        # import's empty cell) as well as none
        for vals in vals_list:
            if vals.get("name") in NO_NUMBER:
                market = vals.get("market")
                if not market and vals.get("unit_id"):
                    market = self.env["forklift.unit"].browse(vals["unit_id"]).market
                vals["market"] = market or "domestic"
        cases = super().create(vals_list)
        # as created: a dealer given in the values or by a default alike
        cases._check_dealer_chosen()
        cases._record_hour_meter()
        cases.filtered(lambda c: c.severity == "major")._notify_major_issue()
        return cases

    def write(self, vals):
        dealer_changed = self.browse()
        if not self._is_flow_write():
            if self._get_changed_fields({"dealer_id"}, vals):
                dealer_changed = self
            if "unit_id" in vals:
                # Odoo's access rights first: the market, customer and
                # delivery checks and Odoo's company check name the forklift
                readable_parent_of_write(self, vals, "unit_id")
            self._check_unit_market(vals)
            if vals.get("received_date"):
                self._check_received_before_recorded(vals["received_date"])
            if "severity" in vals:
                self._check_severity_raised(vals["severity"])
        res = super().write(vals)
        dealer_changed._check_dealer_chosen()
        if "hour_meter" in vals or "unit_id" in vals:
            self._record_hour_meter()
        if self._get_part_supplier_fields() & set(vals):
            self._sync_part_suppliers()
        if vals.get("severity") == "major":
            self._notify_major_issue()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        """Only a sheet at intake, or cancelled before anything was done for
        it, is deleted; its service orders, parts, orders and invoices would go
        with it (R-001)."""
        # sudo: what hangs on the sheet, whoever deletes it
        for case in self.sudo():
            started = (
                case.state not in ("draft", "cancel")
                or case.service_order_ids.filtered(
                    lambda o: o.state not in ("draft", "cancel")
                )
                or case.parts_request_ids
                or case.local_purchase_ids
                or case.sale_order_id
                or case.quote_ids.filtered(lambda q: q.state != "cancel")
            )
            if started:
                raise UserError(
                    self.env._(
                        "Only feedback sheets at intake or cancelled can be "
                        "deleted, and only before anything was done for them: "
                        "%s is kept.",
                        case.name,
                    )
                )

    # Mail gateway

    def _alias_get_error(self, message, message_dict, alias):
        """Only a known sender opens a sheet by mail: an address no partner
        has gets the alias's polite reply and nothing is created (R-065)."""
        error = super()._alias_get_error(message, message_dict, alias)
        if error or self.ids or message_dict.get("author_id"):
            return error
        return AliasError(
            "error_partners_no_partner",
            self.env._("restricted to known authors"),
        )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail sent to the after-sales alias opens a feedback sheet (channel
        e-mail) at intake, for the service center to verify; the sender is a
        known contact. Only the mail gateway runs it
        (``mail.thread.message_new``)."""
        if not msg_dict.get("author_id"):
            raise AccessError(
                self.env._("Feedback sheets are opened by mail from known contacts.")
            )
        values = dict(custom_values or {})
        # keep the number from the sequence: the mail subject becomes the title
        values.setdefault("name", "/")
        values.setdefault("title", msg_dict.get("subject"))
        values.setdefault("channel", "email")
        values.setdefault("description", msg_dict.get("body"))
        partner = self.env["res.partner"]
        if msg_dict.get("author_id"):
            partner = partner.browse(msg_dict["author_id"])
        if partner:
            if partner.commercial_partner_id.is_forklift_dealer:
                values.setdefault("dealer_id", partner.commercial_partner_id.id)
                values.setdefault("reporter_type", "dealer")
            else:
                values.setdefault("partner_id", partner.commercial_partner_id.id)
        case = super().message_new(msg_dict, custom_values=values)
        if partner:
            case.message_subscribe(partner_ids=partner.ids)
        return case

    # Actions

    def action_mark_answered(self):
        self._check_service_center()
        self._check_step_state(
            ("draft", "verified", "dispatched", "done", "reported"),
            self.env._("%s is closed or cancelled."),
        )
        for case in self.filtered(lambda c: not c.answered_date):
            case._write_flow({"answered_date": fields.Datetime.now()})

    def action_verify(self):
        """The service center has verified the report and diagnosed the cause
        (000 §4.2.1.1); the 24 h dispatch clock starts now, and the response
        commitment stays the one resolved now
        (:meth:`_filter_commitment_open`)."""
        self._check_service_center()
        self.check_access("write")
        # resolve the commitment from the master data as they are now (a new
        # sheet's, or a change not computed yet) before the first
        # verification fixes it
        self._recompute_recordset(self._get_resolved_commitment_fields())
        for case in self:
            case._check_state(
                ("draft",), self.env._("Only a sheet at intake can be verified (%s).")
            )
            missing = [
                label
                for field, label in (
                    ("unit_id", self.env._("forklift")),
                    ("partner_id", self.env._("customer")),
                    ("verification", self.env._("verification and diagnosis")),
                    ("responsibility", self.env._("responsibility")),
                    ("warranty_verdict", self.env._("warranty verdict")),
                    ("route", self.env._("route")),
                )
                if not case[field]
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "Fill in the %(fields)s of %(case)s before verifying it.",
                        fields=", ".join(missing),
                        case=case.name,
                    )
                )
            case._set_fault_supplier()
            case._check_verifiable()
            now = fields.Datetime.now()
            case._write_flow(
                {
                    "state": "verified",
                    "verified_date": now,
                    "verified_by_id": self.env.uid,
                    "first_verified_date": case.first_verified_date or now,
                    "answered_date": case.answered_date or now,
                }
            )

    def _check_verifiable(self):
        """Hook: what else a sheet needs before it is verified; raise a
        ``UserError`` to refuse."""
        self.ensure_one()

    def _get_failed_part(self):
        """The part that failed, as far as the sheet knows it: the first part
        replaced on its service orders."""
        self.ensure_one()
        # sudo: the sheet's own part lines, whoever records or verifies
        orders = self.sudo().service_order_ids.filtered(lambda o: o.state != "cancel")
        return orders.sorted("id").part_ids[:1].product_id.with_env(self.env)

    def _get_fault_supplier(self):
        """The supplier at fault of a supplier-caused failure: the main vendor
        of the failed part at this moment (000 §4.2.3, R-224)."""
        self.ensure_one()
        if self.responsibility != "supplier":
            return self.env["res.partner"]
        return self._get_main_vendor(self._get_failed_part())

    def _get_main_vendor(self, product):
        """The main vendor of ``product`` for the sheet's company: its first
        vendor price line of that company or shared, with an active vendor,
        as Odoo chooses a seller (``_prepare_sellers``), naming a vendor of
        that company or of none. The price lines another company keeps for a
        shared part are not read: as superuser they would name, on the sheet
        and its lines (the part is any a user names, in the form's onchange
        too), in the statistics and the claims, a supplier of that company,
        which the sheet's users may not read (R-224, R-256)."""
        company = self.sudo().company_id[:1] or self.env.company
        # sudo: the vendors of the part, without purchase rights; only those
        # of the sheet's company, see above
        sellers = (
            product.sudo()
            .with_company(company)
            ._prepare_sellers()
            .filtered(
                lambda seller: (
                    seller.partner_id.company_id in (company, company.browse())
                )
            )
        )
        return sellers[:1].partner_id.with_env(self.env)

    def _set_fault_supplier(self):
        """Fix the supplier at fault of the sheets that have none yet, from
        the failed part's main vendor now: when the sheet is verified, or when
        the first part is replaced on it. Once set, only QA corrects it
        (:meth:`_correct_supplier`), so changing the vendors of a product
        leaves the sheets and the statistics already made as they were
        (R-256, R-261)."""
        for case in self:
            # sudo: the stored value, whoever verifies or records the part
            if case.sudo().supplier_id or case.state == "cancel":
                continue
            supplier = case._get_fault_supplier()
            if supplier:
                case._as_flow().write({"supplier_id": supplier.id})

    @api.model
    def _get_part_supplier_fields(self):
        """Fields of the sheet that decide the supplier stored on its part
        lines (:meth:`_get_part_supplier`)."""
        return {"supplier_id"}

    def _get_part_supplier(self, product, recorded=None):
        """The supplier to store on a part line of this sheet (replaced,
        released or bought locally) when the line is recorded, kept from then
        on so that changing the vendors of a product does not rewrite the
        statistics of past sheets (R-256, R-261):

        - the failed part: the sheet's supplier at fault, when it has one (the
          supplier named with the diagnosis, fixed at verification or
          corrected by QA);
        - a part already recorded on the sheet with a supplier, among
          ``recorded`` (the sheet's other lines of the same kind): the same
          supplier, so that a part counts under one supplier on a sheet;
        - else the main vendor of the part now: its first vendor price line
          of the sheet's company (:meth:`_get_main_vendor`).
        """
        if not product:
            return self.env["res.partner"]
        # sudo: the supplier at fault and the vendors of the part, whoever
        # records the line
        case = self.sudo()
        if case:
            case.ensure_one()
            if case.supplier_id and case._get_failed_part() == product:
                return case.supplier_id.with_env(self.env)
        if recorded:
            same = recorded.sudo().filtered(
                lambda line: line.product_id == product and line.supplier_id
            )
            if same:
                return same[:1].supplier_id.with_env(self.env)
        return self._get_main_vendor(product)

    def _get_part_supplier_lines(self):
        """The part lines of the sheets that store a supplier: parts replaced,
        released on parts requests and bought locally."""
        # sudo: the sheet's own lines, whoever fixes or corrects its supplier
        cases = self.sudo()
        return [
            cases.service_order_ids.part_ids,
            cases.parts_request_ids.line_ids,
            cases.local_purchase_ids.line_ids,
        ]

    def _sync_part_suppliers(self):
        """Give the lines of the failed part the sheet's supplier at fault,
        once it is fixed or corrected, or once the failed part is known or
        changes: the failures of the part count under the supplier the sheet
        names (R-224, R-261). Only the server and QA's correction change the
        sheet's supplier; the vendors of a product never do."""
        for case in self:
            # sudo: the stored value, whoever verifies or corrects the sheet
            supplier = case.sudo().supplier_id
            failed = case._get_failed_part() if supplier else None
            if not failed:
                continue
            for lines in case._get_part_supplier_lines():
                stale = lines.filtered(
                    lambda line, failed=failed, supplier=supplier: (
                        line.product_id == failed and line.supplier_id != supplier
                    )
                )
                if stale:
                    stale._as_flow().write({"supplier_id": supplier.id})

    def action_correct_supplier(self):
        """QA corrects the supplier at fault of a verified sheet (R-049)."""
        self.ensure_one()
        self._check_can_correct_supplier()
        return wizard_action(
            self,
            "forklift.feedback.supplier.correction",
            "feedback_id",
            self.env._("Correct the Supplier at Fault"),
            supplier_id=self.supplier_id.id,
        )

    def _check_can_correct_supplier(self):
        """Only the department that traces responsibility and claims from
        suppliers in the sheet's market (QA; the after-sales parts department
        abroad, R-270) corrects the supplier at fault, and only on a verified
        sheet of a supplier-caused failure (R-049, R-224)."""
        duties = self.env["forklift.duty.assignment"]
        for case in self:
            # sudo: the sheet's market and company decide, whoever corrects
            duties._check_duty("tracing", case.sudo().market, case.sudo().company_id)
        for case in self:
            if case.state in ("draft", "cancel") or (
                case.responsibility != "supplier" and not case.supplier_id
            ):
                raise UserError(
                    self.env._(
                        "%s is not a verified supplier-caused failure: it has no "
                        "supplier at fault to correct.",
                        case.name,
                    )
                )

    def _correct_supplier(self, supplier, reason):
        """Replace the supplier at fault, with the reason in the chatter.

        The supplier named is a supplier company of the sheet's company, as
        the wizard's field offers and as the server otherwise sets it (the
        main vendor of the failed part): an active company, shared or of the
        sheet's company, that is a vendor of that company (a vendor price
        line, purchases or bills: ``res.partner._is_forklift_vendor_of``). Any
        other partner id a client sends is refused, so that
        claims and statistics never land on a customer or a person
        (000 §3.3, §4.2.3; R-049, R-224, R-256)."""
        self._check_can_correct_supplier()
        if not supplier:
            raise UserError(self.env._("Choose the supplier at fault."))
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the supplier at fault is corrected."))
        supplier.ensure_one()
        # sudo: whether the partner is a vendor, read from its rank and the
        # vendor price lines, which QA may not read without purchase rights
        vendor = supplier.sudo()
        for case in self:
            company = case.sudo().company_id
            if not vendor._is_forklift_supplier_company_of(company):
                raise UserError(
                    self.env._(
                        "%(partner)s is not a supplier company of %(company)s: "
                        "the supplier at fault of %(case)s must be a company "
                        "the company buys from.",
                        partner=vendor.display_name,
                        company=company.display_name,
                        case=case.name,
                    )
                )
        for case in self:
            previous = case.sudo().supplier_id
            if previous == supplier:
                continue
            case._write_flow({"supplier_id": supplier.id})
            # sudo: QA reads the sheets only; the reason is the step's record,
            # posted in QA's name
            case.sudo().message_post(
                subtype_xmlid="mail.mt_note",
                body=self.env._(
                    "Supplier at fault corrected from %(old)s to %(new)s: %(reason)s",
                    old=previous.display_name or self.env._("none"),
                    new=supplier.display_name,
                    reason=reason,
                ),
            )

    def action_create_service_order(self):
        self._check_service_center()
        self.ensure_one()
        self._check_state(
            ("verified", "dispatched"),
            self.env._("Verify the feedback sheet before creating a service order."),
        )
        order = self.env["forklift.service.order"].create(
            self._prepare_service_order_vals()
        )
        return form_action(order)

    def _prepare_service_order_vals(self):
        self.ensure_one()
        performer = {
            "technician": "technician",
            "dealer": "dealer",
            "remote": "remote",
        }.get(self.route, "technician")
        return {
            "feedback_id": self.id,
            "performer_type": performer,
            "dealer_id": self.dealer_id.id if performer == "dealer" else False,
            "technician_id": self.env.uid
            if performer in ("technician", "remote")
            else False,
        }

    def action_view_service_orders(self):
        return related_action(
            self, "forklift_aftersales.forklift_service_order_action", "feedback_id"
        )

    def action_view_parts_requests(self):
        self.ensure_one()
        action = related_action(
            self,
            "forklift_aftersales.forklift_parts_request_action",
            "feedback_id",
            default_applicant_type="dealer" if self.route == "dealer" else "technician",
            default_dealer_id=self.dealer_id.id,
            default_technician_id=self.env.uid,
        )
        if not self.parts_request_ids:
            action["views"] = [(False, "form")]
        return action

    def action_request_deferral(self):
        """Ask the service center director to agree to a deferred payment
        (000 §4.3.2.1, R-102): a request of its own, approved through the tier
        validation by a director who did not ask for it; the approval alone
        records the consent on the sheet."""
        self.ensure_one()
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(
                self.env._("Only after-sales staff ask for a deferred payment.")
            )
        self._check_step_state(
            PAID_SERVICE_STATES, self.env._("%s is not open for a paid service.")
        )
        deferral = self.env["forklift.payment.deferral"].create(
            {"feedback_id": self.id, "reason": self.env.context.get("deferral_reason")}
        )
        deferral.request_validation()
        return self.action_view_payment_deferrals()

    def action_view_payment_deferrals(self):
        action = related_action(
            self, "forklift_aftersales.forklift_payment_deferral_action", "feedback_id"
        )
        deferrals = self.payment_deferral_ids
        if len(deferrals) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = deferrals.id
        return action

    def _check_paid_service_step(self, state_message):
        """The service center quotes and bills a paid service, one sheet at a
        time, while the sheet is open (``state_message`` otherwise) and its
        verdict is paid (000 §4.3.2.1)."""
        self._check_service_center()
        self.ensure_one()
        self._check_step_state(PAID_SERVICE_STATES, state_message)
        if self.warranty_verdict != "paid":
            raise UserError(self.env._("%s is not a paid service.", self.name))

    def action_create_quote(self):
        """Quote the out-of-warranty work before it starts: parts, labour and
        travel (001 §5.2, R-104); the customer accepts it on the portal."""
        self._check_paid_service_step(self.env._("Verify %s before quoting its work."))
        if self.sale_order_id:
            raise UserError(
                self.env._("%s already has its paid service order.", self.name)
            )
        # sudo: the sheet's quotes, whoever quotes (no sales rights needed)
        waiting = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("forklift_feedback_id", "=", self.id),
                    ("state", "in", ("draft", "sent")),
                ],
                limit=1,
            )
        )
        if waiting:
            raise UserError(
                self.env._(
                    "%(case)s already has quote %(quote)s waiting for the customer: "
                    "change it, or cancel it before quoting again.",
                    case=self.name,
                    quote=waiting.name,
                )
            )
        travel = self.env.ref("forklift_aftersales.product_travel")
        vals = self._prepare_paid_sale_vals(require_lines=False)
        vals["order_line"].append(
            fields.Command.create({"product_id": travel.id, "product_uom_qty": 1})
        )
        vals.update(forklift_feedback_id=self.id, forklift_estimate_type="symptom")
        # sudo: service-center staff quote paid work without sales rights; the
        # quote stays a draft the customer accepts or declines; the flow marker
        # lets the sheet's own action link the quote to it
        quote = self._as_flow().env["sale.order"].create(vals).with_env(self.env)
        self.message_post(body=self.env._("Quote %s prepared.", quote.name))
        return form_action(quote)

    def action_view_quotes(self):
        self.ensure_one()
        return list_action(
            self.env,
            "sale.action_quotations_with_onboarding",
            [("forklift_feedback_id", "=", self.id)],
            create=False,
        )

    def _get_quote_refusal(self, order):
        """Why ``order`` may not be accepted as this sheet's paid service, or
        ``False``: the sheet must still expect paid work without an order
        (000 §4.3.2.1)."""
        self.ensure_one()
        # sudo: the stored link and state, whoever accepts (the customer)
        case = self.sudo()
        if (
            order.forklift_feedback_id != self
            or case.sale_order_id
            or case.state in ("draft", "closed", "cancel")
            or case.warranty_verdict != "paid"
        ):
            return self.env._(
                "Quote %(quote)s can no longer be accepted: %(case)s does not "
                "expect it as its paid service.",
                quote=order.name,
                case=case.name,
            )
        return False

    def _on_quote_accepted(self, order):
        """The customer accepted and signed the quote: it is the paid service
        and the signature its prior consent (000 §4.3.2.1)."""
        self.ensure_one()
        refusal = self._get_quote_refusal(order)
        if refusal:
            raise UserError(refusal)
        self._write_flow(
            {
                "sale_order_id": order.id,
                "paid_ack_signature": order.signature or self.paid_ack_signature,
                "paid_ack_signed_by": order.signed_by or self.paid_ack_signed_by,
            }
        )
        self.message_post(
            body=self.env._(
                "Quote %(quote)s accepted by %(customer)s.",
                quote=order.name,
                customer=order.signed_by or order.partner_id.display_name,
            )
        )

    def _check_paid_service_cancellable(self):
        """The paid service order of these sheets is cancelled only before
        its work starts: not once a technician is on site for it, the work
        is done, its parts are delivered or it is invoiced. The customer
        consented to that work and is billed for it (000 §4.3.2.1, R-100,
        R-206); cancelled, the sheet could neither bill it nor quote it
        again. Whoever cancels, superuser included."""
        # sudo: the sheet's orders and invoices decide, whoever cancels
        for case in self.sudo():
            orders = case.service_order_ids.filtered(lambda o: o.state != "cancel")
            if (
                case.state in ("done", "reported", "closed")
                or orders.filtered("arrival_date")
                or orders._filter_finished()
                or any(case.sale_order_id.order_line.mapped("qty_delivered"))
                or case.invoice_ids.filtered(lambda m: m.state != "cancel")
            ):
                raise UserError(
                    self.env._(
                        "%(order)s is the paid service of %(sheet)s, whose work "
                        "is under way, done or invoiced: it cannot be cancelled.",
                        order=case.sale_order_id.name,
                        sheet=case.name,
                    )
                )

    def _on_paid_service_cancelled(self):
        """The paid service order of these sheets is cancelled before its
        work: they expect paid work again, to be quoted anew. The customer's
        signature was his consent to that order: a new one needs his new
        consent (R-100, R-206, R-104)."""
        self._as_flow().write(
            {
                "sale_order_id": False,
                "paid_ack_signature": False,
                "paid_ack_signed_by": False,
            }
        )

    def action_create_paid_sale(self):
        """Turn the paid service into a sale order and its invoice: parts at
        their price plus labour hours, collected by the technician on the spot
        or within 30 days (000 §4.3.2.1, R-013). An accepted quote is the
        order; otherwise one is made from the parts used."""
        self._check_paid_service_step(self.env._("%s is not open for a paid service."))
        if self.invoice_ids:
            raise UserError(self.env._("%s is already invoiced.", self.name))
        if not (self.paid_ack_signature and self.paid_ack_signed_by):
            raise UserError(
                self.env._(
                    "The customer must sign for the paid service before the work."
                )
            )
        if self.payment_mode == "deferred" and not (
            self.deferral_approved_by_id.has_group(
                "forklift_aftersales.group_forklift_director"
            )
            # sudo: the approved request stands for the consent, whoever bills
            and self.sudo().payment_deferral_ids.filtered(
                lambda d: (
                    d.state == "approved"
                    and d.approved_by_id == self.deferral_approved_by_id
                    and d.validation_status == "validated"
                )
            )
        ):
            raise UserError(
                self.env._(
                    "A deferred payment needs the service center director's consent."
                )
            )
        if self.labour_hours < 0:
            raise UserError(self.env._("Labour hours cannot be negative."))
        # sudo: service-center staff bill the paid service without sales or
        # accounting rights; every condition of 000 §4.3.2.1 was checked above
        order = self.sale_order_id.sudo()
        if order:
            order._check_forklift_paid_service_of(self)
            order.payment_term_id = self._get_paid_payment_term()
        else:
            order = self.env["sale.order"].sudo().create(self._prepare_paid_sale_vals())
            order.action_confirm()
        invoice = order._create_invoices()
        if self.payment_mode == "deferred":
            # the 30 days run from the service date, not from the invoice
            # (000 §4.3.2.1, R-165)
            deferral = self.sudo().payment_deferral_ids.filtered(
                lambda d: d.state == "approved"
            )[:1]
            due = deferral._get_payment_due_date() or invoice.invoice_date_due
            invoice.write({"invoice_payment_term_id": False, "invoice_date_due": due})
        # linked first: the order's check of its posted invoice reads the
        # sheet's deferral
        self._write_flow({"sale_order_id": order.id})
        invoice.action_post()
        # the day it falls due is fixed here, not by a later invoice date
        order.forklift_due_date = invoice.invoice_date_due
        self.message_post(
            body=self.env._(
                "Paid service invoiced: %(invoice)s, due %(due)s.",
                invoice=invoice.name,
                due=invoice.invoice_date_due,
            )
        )

    def _get_paid_payment_term(self):
        """The terms of the paid service: on the spot, or 30 days once the
        service center director agreed to a deferral (000 §4.3.2.1, R-102)."""
        self.ensure_one()
        return self.env.ref(
            "account.account_payment_term_30days"
            if self.payment_mode == "deferred"
            else "account.account_payment_term_immediate"
        )

    def _on_payment_mode_changed(self):
        """The director agreed to a deferral or it was withdrawn: the quotes
        waiting for the customer say the terms he accepts (R-102, R-104);
        a salesman does not set them (``sale.order._raise_forklift_terms``)."""
        for case in self:
            # sudo: the sheet's own quotes, whoever defers (no sales rights)
            case.sudo().quote_ids.filtered(
                lambda q: q.state in ("draft", "sent")
            ).payment_term_id = case._get_paid_payment_term()

    def _get_paid_sale_lines(self):
        """The lines the paid service bills: the parts replaced on the
        sheet's service orders not cancelled and the labour hours
        (000 §4.3.2.1, R-013, R-101)."""
        self.ensure_one()
        lines = [
            fields.Command.create(
                {
                    "product_id": part.product_id.id,
                    "product_uom_qty": part.quantity,
                }
            )
            # an order cancelled replaced none of the parts it planned
            for part in self.service_order_ids.filtered(
                lambda o: o.state != "cancel"
            ).part_ids
        ]
        if self.labour_hours:
            lines.append(
                fields.Command.create(
                    {
                        "product_id": self.env.ref(
                            "forklift_aftersales.product_labour_hour"
                        ).id,
                        "product_uom_qty": self.labour_hours,
                    }
                )
            )
        return lines

    def _prepare_paid_sale_vals(self, require_lines=True):
        self.ensure_one()
        lines = self._get_paid_sale_lines()
        if not lines and require_lines:
            raise UserError(self.env._("There are no parts or labour hours to charge."))
        term = self._get_paid_payment_term()
        collector = self.collector_id or self.service_order_ids.technician_id[:1]
        return {
            "partner_id": self.partner_id.id,
            "origin": self.name,
            "user_id": (collector or self.env.user).id,
            "payment_term_id": term.id,
            "order_line": lines,
        }

    def action_report_to_qa(self):
        """Report the solved case to QA (000 §4.1.1, R-067)."""
        self._check_service_center()
        self._check_step_state(
            ("done",),
            self.env._(
                "Only a sheet whose service is done can be reported to QA (%s)."
            ),
        )
        for case in self:
            case._write_flow(
                {"state": "reported", "reported_date": fields.Datetime.now()}
            )
            qa_partners = case._get_report_recipients()
            case.message_post(
                body=self.env._("Feedback sheet %s is solved and reported.", case.name),
                partner_ids=qa_partners.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def _get_report_recipients(self):
        """Partners the finished case is reported to: QA for domestic cases.
        The export addon sends export sheets to the export division instead."""
        return self.env["res.partner"]._get_forklift_group_partners(
            "forklift_aftersales.group_forklift_qa", companies=self.company_id
        )

    def action_close(self):
        self._check_service_center()
        self._check_step_state(
            ("reported",), self.env._("Report %s to QA before closing it.")
        )
        # sudo: the orders' review decides, whoever closes
        unreviewed = self.sudo().service_order_ids.filtered(
            lambda o: (
                o.state == "registered"
                and o.needs_director_review
                and not o.reviewed_by_id
            )
        )
        if unreviewed:
            raise UserError(
                self.env._(
                    "The service center director has not reviewed the service "
                    "report of %s yet: the sheet closes once it is reviewed.",
                    ", ".join(unreviewed.mapped("name")),
                )
            )
        self._check_service_settled()
        for case in self.filtered(lambda c: c.severity == "major"):
            # sudo: the answers decide, whoever closes
            judged = case.sudo().technical_question_ids.filtered(
                lambda q: q.topic == "judgement" and q.state == "answered"
            )
            if not judged:
                raise UserError(
                    self.env._(
                        "%s is a major quality issue: R&D takes part in judging it "
                        "(000 §3.4). Ask R&D for its judgement and close the sheet "
                        "once it is answered.",
                        case.name,
                    )
                )
        self._write_flow({"state": "closed", "closed_date": fields.Datetime.now()})
        self._start_customer_care()

    def _check_service_settled(self):
        """A sheet closes once nothing of its service is left undone: closed,
        it takes no quote, bill or parts request any more (000 §4.1.1).
        Its warranty parts requests are shipped or cancelled, not waiting for
        their approval or shipment (000 §4.3.1.2, §4.3.1.3, R-010, R-162);
        its paid service, the work the customer consented to, is billed
        (000 §4.3.2.1, R-013, R-101, R-102), unless there is nothing to
        charge (no part, no labour, no order)."""
        # sudo: the requests and the bill decide, whoever closes
        for case in self.sudo():
            waiting = case.parts_request_ids.filtered(
                lambda r: r.state in ("draft", "approved")
            )
            if waiting:
                raise UserError(
                    self.env._(
                        "The warranty parts requests %(requests)s of %(case)s are "
                        "not shipped: ship or cancel them before closing the "
                        "sheet.",
                        requests=", ".join(waiting.mapped("name")),
                        case=case.name,
                    )
                )
            if (
                case.warranty_verdict == "paid"
                and not case.invoice_ids.filtered(lambda m: m.state == "posted")
                and (case.sale_order_id or case._get_paid_sale_lines())
            ):
                raise UserError(
                    self.env._(
                        "The paid service of %s is not billed: invoice it before "
                        "closing the sheet.",
                        case.name,
                    )
                )

    def action_cancel(self):
        self._check_service_center()
        if any(case.state == "closed" for case in self):
            raise UserError(self.env._("A closed feedback sheet cannot be cancelled."))
        self._check_step_state(
            ("draft", "verified", "dispatched", "done", "reported"),
            self.env._("%s is already cancelled."),
        )
        self._check_work_not_finished()
        # a sheet nobody services is sent no warranty parts: its requests not
        # shipped are withdrawn with it (000 §4.3.1.2, R-010)
        self.parts_request_ids.filtered(
            lambda r: r.state in ("draft", "approved")
        ).action_cancel()
        self.parts_request_ids.filtered(
            lambda r: r.state == "shipped"
        )._cancel_rest_with_case()
        self.service_order_ids._cancel_with_case()
        self.technical_question_ids.filtered(
            lambda q: q.state == "open"
        )._as_flow().action_cancel()
        # sudo: a cancelled sheet withdraws the quotes its customer has not
        # accepted yet, whoever cancels (no sales rights needed, 000 §4.3.2.1)
        self.sudo().quote_ids.filtered(
            lambda q: q.state in ("draft", "sent")
        )._action_cancel()
        self._write_flow({"state": "cancel"})

    def _check_work_not_finished(self):
        """Refuse to cancel a sheet whose service is done, or one of whose
        service orders has its work reported done: the sheet and its orders
        are the record of the service given, which its reports, payment and
        old-part return count on (R-001, R-002, R-067, R-080, R-167;
        000 §4.2.1.2, §4.3.2)."""
        for case in self:
            # sudo: the orders' states decide, whoever cancels
            finished = case.sudo().service_order_ids._filter_finished()
            if case.state in ("done", "reported") or finished:
                raise UserError(
                    self.env._(
                        "The work of %(sheet)s is reported done (%(orders)s): a "
                        "feedback sheet whose work is finished is kept, it cannot "
                        "be cancelled.",
                        sheet=case.name,
                        orders=", ".join(finished.mapped("name")) or "-",
                    )
                )

    def action_reset_to_draft(self):
        self._check_service_center()
        self._check_step_state(
            ("cancel",),
            self.env._("Only a cancelled sheet can be reopened (%s)."),
        )
        self._write_flow(
            {"state": "draft", "verified_date": False, "verified_by_id": False}
        )

    # Business methods

    def _record_hour_meter(self):
        """Store the hour meter given at report as a reading of the forklift;
        the reading's own check refuses a meter going backwards. A sheet
        without a meter (0: taken by phone, not known) records none; a meter
        given is not cleared back to 0, which would leave its reading
        standing behind a sheet of 0 h (R-127)."""
        reading_model = self.env["forklift.hour.reading"]
        for case in self.filtered("unit_id"):
            if not case.hour_meter:
                if case.reading_id:
                    case._check_hour_meter_given(case.unit_id, 0.0)
                continue
            vals = {
                "unit_id": case.unit_id.id,
                "hours": case.hour_meter,
                "date": case.received_date,
                "source": "case",
                "feedback_id": case.id,
            }
            if case.reading_id:
                case.reading_id._write_flow(vals)
            else:
                case._write_flow({"reading_id": reading_model.create(vals).id})

    def _check_hour_meter_given(self, unit, hours):
        """An hour meter given for ``unit`` on this sheet (none: a sheet being
        filed) is a reading (R-127): not below the forklift's latest reading,
        0 included (a form left empty, a meter cleared), and 0 on a forklift
        never read is no reading at all. The sheet's own reading is the one
        the meter replaces."""
        unit._check_meter_reading(
            hours,
            self.name or self.env._("this report"),
            # sudo: the sheet's own reading, whoever files or corrects it
            self.sudo().reading_id,
            self.env._("Enter the hour meter of the forklift."),
        )

    def _notify_major_issue(self):
        """A major quality issue is reported at once to the leaders in charge
        (000 §4.1.5, R-072, R-169)."""
        for case in self.filtered(lambda c: not c.major_notified_date):
            recipients = case._get_major_issue_recipients()
            # sudo: telling the leaders is the sheet's own duty, also when the
            # sales company files it without the right to change sheets
            case.sudo().message_subscribe(partner_ids=recipients.ids)
            case.sudo().message_post(
                subject=self.env._("Major quality issue: %s", case.name),
                body=self.env._(
                    "Major quality issue reported on %(unit)s for %(customer)s.",
                    unit=case.unit_id.display_name or "-",
                    customer=case.partner_id.display_name or "-",
                ),
                partner_ids=recipients.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="notification",
            )
            case._write_flow({"major_notified_date": fields.Datetime.now()})

    def _get_major_issue_recipients(self):
        """Partners told at once of a major quality issue: the leaders in
        charge, QA and, for a domestic sheet, the domestic sales company (its
        users and its vice president, as for the monthly statistics) (000
        §4.1.5, R-072, R-274).
        The export addon sends export sheets to the export company and the
        export division instead."""
        self.ensure_one()
        groups = [
            "forklift_aftersales.group_forklift_leader",
            "forklift_aftersales.group_forklift_qa",
        ]
        if self.market == "domestic":
            groups += [
                "forklift_aftersales.group_forklift_sales_vp_domestic",
                "forklift_aftersales.group_forklift_domestic_sales",
            ]
        return self.env["res.partner"]._get_forklift_group_partners(
            *groups, companies=self.company_id
        )

    def _on_service_order_dispatched(self, dispatched_at):
        for case in self:
            vals = {"dispatched_date": case.dispatched_date or dispatched_at}
            if case.state == "verified":
                vals["state"] = "dispatched"
            case._write_flow(vals)

    def _on_service_order_cancelled(self):
        """A cancelled order dispatches nothing: the sheet's dispatch is the
        first of its orders still standing; a sheet left with none is to be
        dispatched again, late once its first deadline has passed (R-158,
        R-160, R-259); one whose other orders are all registered is done."""
        for case in self.filtered(lambda c: c.state == "dispatched"):
            # sudo: the orders' own states and dates decide, whoever cancels
            standing = case.sudo().service_order_ids.filtered(
                lambda o: o.state != "cancel" and o.dispatched_date
            )
            dispatched = min(standing.mapped("dispatched_date"), default=False)
            vals = {"dispatched_date": dispatched}
            if not dispatched:
                vals["state"] = "verified"
            case._write_flow(vals)
        self._on_service_order_registered()

    def _on_service_order_registered(self):
        for case in self.filtered(lambda c: c.state == "dispatched"):
            if all(o.state in ("registered", "cancel") for o in case.service_order_ids):
                case._write_flow({"state": "done", "done_date": fields.Datetime.now()})

    @api.model
    def _get_overdue_reminders(self):
        """The sheet's deadlines the reminders follow (R-074 and the 24 h
        dispatch and response commitments): the responsible is reminded, the
        department that owes an answer to R&D's question for that one."""
        return [
            *super()._get_overdue_reminders(),
            Reminder(
                self._get_dispatch_overdue_domain(),
                self.env._("Dispatch deadline passed"),
            ),
            Reminder(
                self._get_sla_overdue_domain(),
                self.env._("Response commitment missed"),
            ),
            Reminder(
                self._get_question_overdue_domain(),
                self._get_question_overdue_summary(),
                lambda case: case._get_question_overdue_users() or case.user_id,
            ),
        ]

    def _get_question_overdue_domain(self):
        questions = self.env["forklift.technical.question"]
        return Domain("technical_question_ids", "any", questions._get_overdue_domain())

    def _get_question_overdue_summary(self):
        return self.env._("Question to R&D not answered in time")

    def _get_question_overdue_users(self):
        """The members of the departments whose answers are late, of the
        sheet's company (R-073, R-256)."""
        self.ensure_one()
        late = self.technical_question_ids.filtered("is_overdue")
        return company_members(late.department_id, self.company_id)

    def _on_technical_question_answered(self, question):
        """Post the answer on the sheet for the service center and tell the
        one who asked; the sheet's reminder goes once no answer is late."""
        self.ensure_one()
        # sudo: the department answering reads the sheet without editing it;
        # the answer is posted in its member's name
        self.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=Markup("%s<br/>%s")
            % (
                self.env._(
                    "%(department)s answered %(question)s:",
                    department=question.department_id.sudo().name,
                    question=question.name,
                ),
                question.answer,
            ),
            partner_ids=question.asked_by_id.partner_id.ids,
            # an internal note: the question is internal, so is its answer;
            # who asked is told, the portal does not read it (R-055)
            subtype_xmlid="mail.mt_note",
        )
        if not self.technical_question_ids.filtered("is_overdue"):
            # sudo: the sheet's own reminders, whoever answered
            self.sudo().activity_ids.filtered(
                lambda a: a.summary == self._get_question_overdue_summary()
            ).unlink()

    def action_ask_technical_question(self):
        """Ask R&D (the department holding the technical answers of the
        sheet's market) a question about the sheet (R-074)."""
        self.ensure_one()
        self._check_step_state(
            ("draft", "verified", "dispatched", "done", "reported"),
            self.env._("%s is closed or cancelled."),
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "forklift.technical.question",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_feedback_id": self.id},
        }

    def action_view_technical_questions(self):
        return related_action(
            self,
            "forklift_aftersales.forklift_technical_question_action",
            "feedback_id",
        )

    def _start_customer_care(self):
        """A closed case gets its satisfaction survey and its first follow-up
        call (000 第五篇 (三)4)."""
        # sudo: closing a case starts the customer care of the service center;
        # whoever closes it may not manage surveys and calls themselves
        care = self.sudo()
        care.env["forklift.satisfaction.survey"]._create_for_cases(
            care.filtered(lambda c: not c.survey_ids)
        )
        care.env["forklift.followup.call"]._schedule_first_calls(
            care.filtered(
                lambda c: (
                    not c.followup_call_ids.filtered(
                        lambda call: call.call_type == "first"
                    )
                )
            )
        )

    def action_view_followup_calls(self):
        self.ensure_one()
        return related_action(
            self,
            "forklift_aftersales.forklift_followup_call_action",
            "feedback_id",
            default_partner_id=self.partner_id.commercial_partner_id.id,
        )

    def action_view_abnormal_issues(self):
        self.ensure_one()
        action = related_action(
            self,
            "forklift_aftersales.forklift_abnormal_issue_action",
            "feedback_id",
            default_title=self.title,
            default_description=self.description,
        )
        if not self.abnormal_issue_ids:
            action["views"] = [(False, "form")]
        return action

    @api.model
    def _portal_file_sheet(self, unit_id, description, hour_meter, is_stopped, photos):
        """A customer or a dealer's service staff reports a problem on the
        portal (000 §4.1.1, R-064, R-065): one of their own forklifts, the
        fault, the hour meter (a reading, refused when it goes backwards),
        photos (``ir.attachment`` values already checked as JPEG or PNG) and
        whether the forklift is stopped. The sheet lands at intake with the
        channel, the reporter and the dealer set by the server; the reporter
        gets an acknowledgement with the number and the deadline."""
        user = self.env.user
        unit = (
            self.env["forklift.unit"]
            ._get_portal_units()
            .filtered(lambda u: u.id == unit_id)
        )
        if not unit:
            raise AccessError(
                self.env._("Choose one of your own forklifts to report a problem on.")
            )
        text = (description or "").strip()
        if not text:
            raise UserError(self.env._("Describe the problem."))
        if hour_meter is None:
            raise UserError(self.env._("Enter the hour meter of the forklift."))
        check_hour_meter(self.env, hour_meter)
        # a reading is required: 0 (a form left empty) would file the sheet
        # without one, below the forklift's readings as well
        self._check_hour_meter_given(unit, hour_meter)
        commercial = user.partner_id.commercial_partner_id
        is_dealer = (
            bool(commercial.is_forklift_dealer)
            and unit.dealer_id.commercial_partner_id == commercial
        )
        vals = {
            "title": text.splitlines()[0][:80],
            "description": Markup("<p>%s</p>")
            % Markup("<br/>").join(escape(line) for line in text.splitlines()),
            "unit_id": unit.id,
            "hour_meter": hour_meter,
            "is_stopped": bool(is_stopped),
            "channel": "portal",
            "reporter_type": "dealer" if is_dealer else "customer",
            "reporter_partner_id": user.partner_id.id,
            "user_id": False,
            "company_id": unit.company_id.id or self.env.company.id,
        }
        # sudo: portal users do not create sheets; every value above is set
        # by the server from the user and his own forklift
        case = self._create_flow([vals]).sudo()
        if photos:
            # the flow's mark: the photos were checked as JPEG or PNG above
            attachments = FLOW_MARK.set_on(self.env["ir.attachment"]).create(
                [dict(photo, res_model=self._name, res_id=case.id) for photo in photos]
            )
            case.photo_ids = [fields.Command.set(attachments.ids)]
        case._acknowledge_portal_report(user.partner_id)
        return case

    def _acknowledge_portal_report(self, partner):
        """Mail the reporter the number of the sheet and when it is answered."""
        self.ensure_one()
        deadline = self.answer_deadline
        tz = partner.tz or self.company_id._forklift_tz().zone
        self.message_subscribe(partner_ids=partner.ids)
        self.message_post(
            body=self.env._(
                "Your report was received as feedback sheet %(name)s. The service "
                "center answers by %(deadline)s.",
                name=self.name,
                deadline=format_datetime(self.env, deadline, tz=tz)
                if deadline
                else "-",
            ),
            partner_ids=partner.ids,
            author_id=self.company_id.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

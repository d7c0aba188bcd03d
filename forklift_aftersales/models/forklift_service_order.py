from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import consteq, format_datetime

from ..tools import (
    CLOCK_SKEW,
    HOUR_METER_SQL,
    check_hour_meter,
    check_signature_image,
    company_members,
    readable_parents_of_new,
    value_differs,
    with_defaults,
)
from .forklift_deadline_reminder import Reminder
from .forklift_document_fields import (
    board_state,
    computed_editable,
    dealer_link,
    stamp_datetime,
    stamp_user,
    stamped,
)
from .forklift_flow_mixin import FLOW_MARK
from .forklift_overdue_mixin import compute_flags, search_flag

PERFORMER_TYPES = [
    ("technician", "Own technician"),
    ("dealer", "Dealer"),
    ("remote", "Remote technical support"),
]
ORDER_STATES = [
    ("draft", "Draft"),
    ("dispatched", "Dispatched"),
    ("done", "Work Done"),
    ("signed", "Signed"),
    ("registered", "Registered"),
    ("cancel", "Cancelled"),
]
# How the arrival on site was recorded: the technician's check-in,
# at the server's time, or a time typed afterwards
ARRIVAL_SOURCES = [
    ("checked_in", "Check-in on site"),
    ("typed", "Typed time"),
]
# The states of an order whose work is reported done: the record of the service
# given, which the customer signs, the sheet is reported and counted on, and
# its parts start the old-part return and the payment from; never cancelled.
FINISHED_STATES = ("done", "signed", "registered")


class ForkliftServiceOrder(models.Model):
    """After-sales service order (售后服务处理单, R-002).

    Taken to the site by an own technician or sent to the dealer (000 §4.2.1,
    §4.2.2): work done and parts replaced are recorded, the customer writes an
    opinion, signs and stamps it; the signed sheet is registered at the
    service center and a copy goes to QA (000 §4.2.1.2). A dealer that used no
    warranty parts returns the signed sheet within 7 days (000 §4.2.2.2).
    """

    _name = "forklift.service.order"
    _description = "Forklift After-Sales Service Order"
    _inherit = [
        "forklift.flow.mixin",
        "forklift.sequence.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.deadline.reminder",
        "forklift.feedback.record.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    state = board_state(ORDER_STATES)
    feedback_id = fields.Many2one(ondelete="cascade")
    partner_id = fields.Many2one(
        related="feedback_id.partner_id", string="Customer", store=True
    )
    unit_id = fields.Many2one(
        related="feedback_id.unit_id", string="Forklift", store=True
    )
    product_id = fields.Many2one(related="feedback_id.product_id", string="Model")
    description = fields.Html(
        related="feedback_id.description", string="Fault Description"
    )
    performer_type = fields.Selection(
        PERFORMER_TYPES, string="Performed By", required=True, default="technician"
    )
    technician_id = fields.Many2one(
        "res.users", tracking=True, index=True, check_company=True
    )
    dealer_id = dealer_link(tracking=True, index=True, check_company=True)
    supervisor_id = computed_editable(
        fields.Many2one,
        "_compute_supervisor_id",
        "res.users",
        string="Office Supervisor",
        groups="base.group_user",
        help="Follows up the dealer's service (000 §4.2.2.1).",
    )
    dispatch_deadline = fields.Datetime(related="feedback_id.dispatch_deadline")
    dispatched_date = stamp_datetime(tracking=True)
    arrival_date = fields.Datetime(string="Arrived On Site", tracking=True, copy=False)
    arrival_source = stamped(
        fields.Selection,
        ARRIVAL_SOURCES,
        string="Arrival Recorded By",
        help="Checked in on site by the technician, at the server's time, or "
        "typed afterwards (in the back office or on the dealer's portal): "
        "either way the service center director is told (004 §4.4 B, R-129).",
    )
    finished_date = fields.Datetime(string="Work Finished On", copy=False)
    departure_date = stamp_datetime(
        "Left the Site On",
        tracking=True,
        help="Checked out by the technician when leaving the site; the service "
        "center director is told (004 §4.4 B).",
    )
    major_problem = fields.Text(
        string="Major Problem on Site",
        copy=False,
        help="A major problem met on site, reported at once to the service "
        "center director and the company leaders (004 §4.4 B).",
    )
    major_problem_reported_date = stamp_datetime(
        "Major Problem Reported On", tracking=True
    )
    needs_director_review = fields.Boolean(
        compute="_compute_needs_director_review",
        help="The report of an own technician is reviewed by the service center "
        "director once the technician is back (004 §4.4 D).",
    )
    director_review_note = fields.Text(
        string="Director's Review",
        copy=False,
        help="Written by the service center director when reviewing the service "
        "report and the customer's opinion.",
    )
    reviewed_by_id = stamp_user(tracking=True)
    reviewed_date = stamp_datetime("Reviewed On")
    hour_meter = fields.Float(string="Hour Meter on Site")
    reading_id = stamped(
        fields.Many2one,
        "forklift.hour.reading",
        string="Hour Reading",
        groups="base.group_user",
        help="The hour meter read on site, recorded on the forklift.",
    )
    work_done = fields.Html()
    part_ids = fields.One2many(
        "forklift.service.order.part", "order_id", string="Parts Replaced"
    )
    has_warranty_parts = fields.Boolean(
        compute="_compute_has_warranty_parts", store=True
    )
    photo_ids = fields.Many2many(
        "ir.attachment",
        "forklift_service_order_photo_rel",
        "order_id",
        "attachment_id",
        string="Photos",
    )
    customer_opinion = fields.Text(string="Customer's Opinion", copy=False)
    signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024
    )
    signed_by = fields.Char(copy=False)
    signed_on = stamp_datetime()
    stamp = fields.Image(
        string="Company Stamp", copy=False, max_width=1024, max_height=1024
    )
    return_deadline = fields.Datetime(
        string="Signed Sheet Due",
        compute="_compute_return_deadline",
        store=True,
        help="A dealer that used no warranty parts returns the signed sheet within "
        "7 days of finishing (000 §4.2.2.2).",
    )
    is_return_overdue = fields.Boolean(
        string="Signed Sheet Overdue",
        compute="_compute_is_return_overdue",
        search="_search_is_return_overdue",
    )
    signed_sheet_date = stamp_datetime(
        "Signed Sheet Returned On",
        help="When the dealer sent the signed sheet on the portal.",
    )
    signed_sheet_ids = stamped(
        fields.Many2many,
        "ir.attachment",
        "forklift_service_order_signed_sheet_rel",
        "order_id",
        "attachment_id",
        string="Returned Signed Sheet",
        help="The sheet signed by the customer that the dealer returned on the "
        "portal, kept as returned (000 §4.2.2.2).",
    )
    is_sheet_returned_late = fields.Boolean(
        string="Signed Sheet Returned Late",
        compute="_compute_is_sheet_returned_late",
        store=True,
    )
    registered_date = stamp_datetime(tracking=True)
    registered_by_id = stamp_user(groups="base.group_user")
    qa_copy_date = stamp_datetime("Copy Sent to QA On", groups="base.group_user")
    oldpart_picking_id = stamped(
        fields.Many2one,
        "stock.picking",
        string="Non-Warranty Old Parts Receipt",
        groups="base.group_user",
        help="The receipt of the old parts replaced outside the warranty, handed "
        "to the service center (000 §4.3.2.7).",
    )

    _hour_meter_positive = models.Constraint(
        f"CHECK(hour_meter {HOUR_METER_SQL})",
        "An hour meter reads from 0 to 999999 hours.",
    )

    # Compute methods

    @api.depends("dealer_id")
    def _compute_supervisor_id(self):
        for order in self:
            order.supervisor_id = (
                order.dealer_id.commercial_partner_id.forklift_supervisor_id
                or order.supervisor_id
            )

    @api.depends("performer_type")
    def _compute_needs_director_review(self):
        for order in self:
            order.needs_director_review = order.performer_type == "technician"

    @api.depends("part_ids.is_warranty")
    def _compute_has_warranty_parts(self):
        for order in self:
            order.has_warranty_parts = any(order.part_ids.mapped("is_warranty"))

    @api.depends("performer_type", "finished_date", "has_warranty_parts")
    def _compute_return_deadline(self):
        for order in self:
            order.return_deadline = (
                order.company_id._forklift_deadline(
                    order.finished_date, "forklift_dealer_return_days"
                )
                if order.performer_type == "dealer" and not order.has_warranty_parts
                else False
            )

    @api.depends("return_deadline", "state", "signed_sheet_date")
    def _compute_is_return_overdue(self):
        compute_flags(self, {"is_return_overdue": self._get_return_overdue_domain()})

    @api.depends("return_deadline", "signed_sheet_date")
    def _compute_is_sheet_returned_late(self):
        """The 7-day deadline is met or missed at the upload (000 §4.2.2.2,
        R-082, R-161)."""
        for order in self:
            order.is_sheet_returned_late = bool(
                order.return_deadline
                and order.signed_sheet_date
                and order.signed_sheet_date > order.return_deadline
            )

    def _search_is_return_overdue(self, operator, value):
        return search_flag(self._get_return_overdue_domain(), operator, value)

    def _get_return_overdue_domain(self):
        return Domain(
            [
                ("state", "in", ("dispatched", "done")),
                ("signed_sheet_date", "=", False),
                ("return_deadline", "<", fields.Datetime.now()),
            ]
        )

    def _compute_access_url(self):
        for order in self:
            order.access_url = f"/my/forklift/service-orders/{order.id}"

    def _get_report_base_filename(self):
        """The name of the printed order downloaded from the portal."""
        self.ensure_one()
        return self.env._("Service Order %s", self.name)

    # Constraints

    @api.constrains(
        "dispatched_date", "arrival_date", "finished_date", "departure_date"
    )
    def _check_dates_in_order(self):
        """Dispatch, arrival and finish follow each other, and so do dispatch,
        arrival and departure: the technician may leave before the work is
        reported done, but the work never finishes before he arrived, departed
        or not (R-082, R-129; the labour hours count from one to the other)."""
        for order in self:
            steps = [
                (order.dispatched_date, self.env._("dispatch")),
                (order.arrival_date, self.env._("arrival")),
            ]
            for last in (
                (order.finished_date, self.env._("finish")),
                (order.departure_date, self.env._("departure")),
            ):
                known = [(date, label) for date, label in [*steps, last] if date]
                for (before, before_label), (after, after_label) in zip(
                    known, known[1:], strict=False
                ):
                    if after < before:
                        raise ValidationError(
                            self.env._(
                                "On %(order)s the %(after)s (%(after_date)s) cannot "
                                "come before the %(before)s (%(before_date)s).",
                                order=order.name,
                                after=after_label,
                                after_date=after,
                                before=before_label,
                                before_date=before,
                            )
                        )

    @api.constrains("performer_type", "dealer_id", "technician_id")
    def _check_performer(self):
        """The dealer named is a dealer and the technician an employee: the
        portal rules open the order to the dealer it names (000 §4.2.2.1)."""
        for order in self:
            order.dealer_id._check_forklift_dealer_of(order)
            if order.technician_id and order.technician_id.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an employee and cannot be the technician "
                        "of %(order)s.",
                        user=order.technician_id.display_name,
                        order=order.name,
                    )
                )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        """The number the service center registers the order under, and the
        steps of the order: dispatch, signature, registration (R-002, R-080,
        R-206)."""
        return super()._get_flow_fields() | {
            "name",
            "state",
            "dispatched_date",
            "signed_sheet_date",
            "signed_sheet_ids",
            "is_sheet_returned_late",
            "customer_opinion",
            "signature",
            "signed_by",
            "signed_on",
            "stamp",
            "registered_date",
            "registered_by_id",
            "qa_copy_date",
            "reading_id",
            "arrival_source",
            "departure_date",
            "major_problem_reported_date",
            "reviewed_by_id",
            "reviewed_date",
            "oldpart_picking_id",
        }

    @api.model
    def _get_fixed_fields(self):
        """The order belongs to one feedback sheet for good."""
        return super()._get_fixed_fields() | {"feedback_id"}

    def _check_dealer_performer(self):
        """The service center alone sends another dealer than the sheet's
        (R-081): the dealer named reads the order on the portal (R-055), the
        export division filing an order would open an export customer's
        order to a domestic dealer or another overseas one."""
        if self._is_flow_write() or self.env["res.partner"]._may_set_forklift_dealer():
            return
        # sudo: the sheet's dealer decides, whoever files the order
        for order in self.sudo():
            if order.dealer_id and order.dealer_id != order.feedback_id.dealer_id:
                raise AccessError(
                    self.env._(
                        "Only the service center sends another dealer than the "
                        "sheet's to perform %s.",
                        order.name,
                    )
                )

    @api.model
    def _get_performer_fields(self):
        """Who does the service: chosen before the order is dispatched."""
        return {"performer_type", "technician_id", "dealer_id"}

    @api.model
    def _get_work_fields(self):
        """What the performer reports from the site while the order is
        dispatched (000 §4.2.1.2)."""
        return {
            "arrival_date",
            "finished_date",
            "work_done",
            "hour_meter",
            "photo_ids",
            "major_problem",
        }

    @api.model
    def _get_state_locked_fields(self):
        """Each part of the order changes only at its step: the performer
        before dispatch, the work on site while dispatched."""
        locked = dict.fromkeys(self._get_performer_fields(), ("draft",))
        locked.update(dict.fromkeys(self._get_work_fields(), ("dispatched",)))
        return locked

    def _get_locked_fields(self):
        """A major problem reported is kept as it was reported, and so is the
        reason of an escalation once the company leaders were told of it
        (004 §4.4 B, R-251). The sheet signed by the customer that the dealer
        returned is his proof: its files are kept as returned, whoever writes
        (R-082, 000 §4.2.2.2; ``ir.attachment._check_forklift_files_kept``)."""
        locked = super()._get_locked_fields()
        locked.add("signed_sheet_ids")
        if self._is_arrival_recorded():
            locked.add("arrival_date")
        if self.major_problem_reported_date:
            locked.add("major_problem")
        # sudo: the escalation is internal, whoever writes the order
        if self.sudo().escalation_level == "leaders":
            locked.add("escalation_reason")
        return locked

    def _is_arrival_recorded(self):
        """Whether the arrival of the order's own technician is recorded: his
        check-in records the time he arrived, which the director is told and
        the on-time figures and QA's timeliness assessment read (R-129,
        004 §4.4 B); an arrival he typed in the back office instead stands
        for it. Nobody rewrites it afterwards; the server's own user (data
        files, the shell) is not a person rewriting what he was told."""
        self.ensure_one()
        return bool(
            self.arrival_date
            and self.performer_type == "technician"
            and not self._is_server_user()
        )

    def _is_server_user(self):
        """Whether the server's own user (OdooBot: data files, crons, the
        shell) acts, not a person: every person's call, with sudo or not,
        has his times checked."""
        return self.env.uid == SUPERUSER_ID

    def _get_state_locked_message(self, names):
        if names & self._get_performer_fields():
            return self.env._(
                "%s is no longer a draft: its performer cannot change; cancel it "
                "and create another order.",
                self.name,
            )
        if "major_problem" in names and self.major_problem_reported_date:
            return self.env._(
                "The major problem of %s is reported: its text no longer changes.",
                self.name,
            )
        if "escalation_reason" in names:
            return self.env._(
                "%s is escalated to the company leaders: the reason they were "
                "told no longer changes.",
                self.name,
            )
        if "arrival_date" in names and self.state == "dispatched":
            return self.env._(
                "The arrival of the technician on %s is recorded: it no longer "
                "changes.",
                self.name,
            )
        states = dict(self._fields["state"]._description_selection(self.env))
        return self.env._(
            "The work on site of %(order)s is recorded while it is dispatched, "
            "not once it is %(state)s.",
            order=self.name,
            state=states[self.state],
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_flow_write():
            # given or by a default (a ``default_<field>`` context key a
            # client sends with any call, a user default), which create()
            # would store alike
            for vals in with_defaults(
                self, vals_list, [*self._get_work_fields(), "director_review_note"]
            ):
                reported = self._get_work_fields() & {
                    name for name, value in vals.items() if value
                }
                if reported:
                    raise UserError(
                        self.env._(
                            "Record the work on site once the service order is "
                            "dispatched."
                        )
                    )
                if vals.get("director_review_note"):
                    # the review is the director's, of the registered report
                    # not written before, for him to confirm
                    raise UserError(
                        self.env._(
                            "The director's review is written on the registered "
                            "service report, not when the order is created."
                        )
                    )
            self._check_case_serviced(
                readable_parents_of_new(self, vals_list, "feedback_id")
            )
        orders = super().create(vals_list)
        orders._check_dealer_performer()
        orders.filtered(
            lambda o: o.arrival_date and not o.arrival_source
        )._on_arrival_typed()
        return orders

    @api.model
    def _check_case_serviced(self, cases):
        """A service order is made for a sheet being serviced, never one whose
        service is done, reported, closed or cancelled: its parts replaced,
        counted in the sheet's figures and statistics, stay what was serviced
        (000 §4.2.1.1, §4.2.1.2; R-001, R-002)."""
        states = dict(cases._fields["state"]._description_selection(self.env))
        # sudo: the sheet's state decides, whoever creates the order
        for case in cases.sudo():
            if case.state in ("done", "reported", "closed", "cancel"):
                raise UserError(
                    self.env._(
                        "%(sheet)s is %(state)s: it takes no new service order.",
                        sheet=case.name,
                        state=states[case.state],
                    )
                )

    def write(self, vals):
        dealer_changed = self.browse()
        if not self._is_flow_write():
            # Odoo's rights first: the checks below read the orders and their
            # sheets as superuser and name them in their refusals
            self.check_access("write")
            self._check_writable(vals)
            self._check_event_times(vals)
            if "hour_meter" in vals:
                self._check_hour_meter(vals["hour_meter"])
            if self._get_changed_fields({"dealer_id"}, vals):
                dealer_changed = self
        typed = self._get_typed_arrivals(vals)
        res = super().write(vals)
        dealer_changed._check_dealer_performer()
        if {"hour_meter", "arrival_date"} & set(vals):
            self._record_hour_meter()
        if typed:
            typed._on_arrival_typed()
        return res

    def _get_typed_arrivals(self, vals):
        """The orders of these whose arrival ``vals`` types: a time written
        in the back office, on the portal or by the server, not by the
        check-in, which records how along with it (R-129)."""
        if "arrival_date" not in vals or "arrival_source" in vals:
            return self.browse()
        return self.filtered(
            lambda o: value_differs(o, "arrival_date", vals["arrival_date"])
        )

    def _on_arrival_typed(self):
        """An arrival typed rather than checked in (000 §4.2.1.2: the
        technician fills in the sheet himself; the dealer reports on the
        portal) is recorded as typed, which the response-time assessment
        reads (R-173, R-176, R-259), and the service center director is told
        of it as of a check-in (004 §4.4 B, R-129). An arrival cleared says
        no longer how it was recorded. The server's own user (data files,
        the shell) tells nobody."""
        for order in self:
            order._write_flow(
                {"arrival_source": "typed" if order.arrival_date else False}
            )
            if order.arrival_date and not self._is_server_user():
                order._tell_arrival_typed(self.env.user.name)

    def _tell_arrival_typed(self, typist):
        """Tell the service center director that ``typist`` (a name) typed
        the order's arrival on site (R-129)."""
        self.ensure_one()
        self._tell_director(
            self.env._(
                "%(user)s typed the arrival on site for %(order)s "
                "(%(customer)s): %(arrival)s.",
                user=typist,
                order=self.name,
                customer=self.partner_id.display_name or "-",
                arrival=format_datetime(
                    self.env,
                    self.arrival_date,
                    tz=self.company_id._forklift_tz().zone,
                ),
            )
        )

    def _check_writable(self, vals):
        """The parts, the director's review and the paid repair have checks of
        their own."""
        if "part_ids" in vals:
            self._check_parts_open()
        if "director_review_note" in vals:
            for order in self:
                if value_differs(
                    order, "director_review_note", vals["director_review_note"]
                ):
                    order._check_can_review()
        if self._get_paid_work_fields() & set(vals):
            # the parts planned on a draft are not the work yet
            self.filtered(lambda o: o.state != "draft")._check_paid_consent()

    @api.model
    def _get_event_time_fields(self):
        """The times of the work on site a user types: events that happened
        (the dispatch, the departure and the signature are recorded by their
        steps)."""
        return {"arrival_date", "finished_date"}

    def _check_event_times(self, vals):
        """R-082, R-129 (000 §4.2.2.2, 004 §4.4 B): the arrival and the finish
        a user types have happened: never in the future (his computer's clock
        may run ``CLOCK_SKEW`` ahead). The signed sheet's 7 days, the old
        parts' 30 days (R-167), the pay-by date of a deferred payment
        (R-165) and the on-site commitment with its reminder count from
        them. The dealer's and the supplier's reports check their own times
        (the flow)."""
        if self._is_server_user():
            return
        limit = fields.Datetime.now() + CLOCK_SKEW
        for name in sorted(self._get_event_time_fields() & set(vals)):
            value = fields.Datetime.to_datetime(vals[name])
            if value and value > limit:
                raise UserError(
                    self.env._(
                        "%(field)s cannot be %(date)s: the time is in the future.",
                        field=self._get_field_labels({name}),
                        date=value,
                    )
                )

    @api.model
    def _get_paid_work_fields(self):
        """The repair itself, which waits for the customer's consent to a paid
        service (R-100); arriving and reading the meter do not."""
        return {"finished_date", "work_done", "part_ids"}

    def _check_paid_consent(self):
        """Paid work starts once the customer signed the consent to it: out of
        warranty, misuse or non-original parts, the technician explains why and
        the customer signs before the repair (000 §4.3.2.1, R-100)."""
        for order in self:
            # sudo: the sheet's verdict and consent, whoever reports the work
            case = order.feedback_id.sudo()
            if case.warranty_verdict == "paid" and not (
                case.paid_ack_signature and case.paid_ack_signed_by
            ):
                raise UserError(
                    self.env._(
                        "%(sheet)s is a paid service: the customer signs the consent "
                        "to it (the accepted quote, or the signature on the sheet) "
                        "before the work on %(order)s starts.",
                        sheet=case.name,
                        order=order.name,
                    )
                )

    def _check_parts_open(self):
        """The parts replaced change only until the work is reported done:
        they are what the customer signs for (000 §4.2.1.2, R-080)."""
        # sudo: the state decides, whoever may read the order
        self.sudo()._check_state(
            ("draft", "dispatched"),
            self.env._(
                "The parts replaced on %s are fixed once the work is reported done."
            ),
        )

    def _check_hour_meter(self, hours):
        """The meter read on site cannot be below the forklift's last reading
        (R-127), 0 included: a form left empty or a meter cleared by RPC is
        no reading, which would leave the order without one (or its reading
        standing behind a meter of 0 h). Below a reading it goes backwards;
        on a forklift never read it is refused as no reading at all."""
        for order in self.filtered("unit_id"):
            order.unit_id._check_meter_reading(
                hours or 0.0,
                order.name,
                # sudo: the order's own reading, whoever reports the work
                order.sudo().reading_id,
                self.env._("Enter the hour meter read on site."),
            )

    def _record_hour_meter(self):
        """The hour meter read on site becomes a reading of the forklift
        (R-127): the order's own reading, kept in step with it."""
        for order in self.filtered(lambda o: o.unit_id and o.hour_meter):
            vals = {
                "hours": order.hour_meter,
                "date": order.arrival_date or order.dispatched_date,
                "source": "service",
                "feedback_id": order.feedback_id.id,
                "service_order_id": order.id,
            }
            # sudo: the order's reading is read and kept by the order itself
            reading = order.sudo().reading_id
            if reading:
                reading._write_flow(vals)
            else:
                reading = self.env["forklift.hour.reading"]._create_flow(
                    [dict(vals, unit_id=order.unit_id.id)]
                )
                order._write_flow({"reading_id": reading.id})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dispatched(self):
        if any(
            order.state != "draft"
            and not (order.state == "cancel" and not order.dispatched_date)
            for order in self
        ):
            raise UserError(
                self.env._(
                    "A dispatched service order cannot be deleted: cancel it instead."
                )
            )

    # Actions

    def _check_step_access(self):
        """A step of the order is the service center's (000 §4.2.1, R-047):
        taken by after-sales staff (the director among them) who may edit it,
        or by the server's own steps (a supplier's or dealer's report through
        the portal runs as the flow), never by another department that may
        edit the order (the export division follows export orders, it does
        not dispatch them), whatever the button's visibility; the step writes
        as the flow itself."""
        self._check_service_center()
        self.check_access("write")

    def action_dispatch(self):
        """Send the order to its performer (000 §4.2.1.1, §4.2.2.1)."""
        self._check_step_access()
        for order in self:
            order._check_state(("draft",), self.env._("%s is already dispatched."))
            order.feedback_id._check_state(
                ("verified", "dispatched"),
                self.env._("Verify feedback sheet %s before dispatching."),
            )
            if order.performer_type == "dealer" and not order.dealer_id:
                raise UserError(
                    self.env._("Choose the dealer who will do the service.")
                )
            if order.performer_type != "dealer" and not order.technician_id:
                raise UserError(
                    self.env._("Choose the technician who will do the service.")
                )
            order._set_dispatched(fields.Datetime.now())
            if order.performer_type == "dealer":
                order._send_to_dealer()
            else:
                order.message_subscribe(partner_ids=order.technician_id.partner_id.ids)
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Go on site for %s", order.feedback_id.name),
                    user_id=order.technician_id.id,
                )

    def _set_dispatched(self, dispatched_at):
        """The order leaves the service center: by the dispatch button, or by
        the contact letter sent to the supplier."""
        self._check_state(("draft",), self.env._("%s is already dispatched."))
        self._write_flow({"state": "dispatched", "dispatched_date": dispatched_at})
        self.feedback_id._on_service_order_dispatched(dispatched_at)

    def _send_to_dealer(self):
        """Mail the order (with its PDF) to the dealer and ask the office
        supervisor to follow it up (000 §4.2.2.1)."""
        template = self.env.ref(
            "forklift_aftersales.mail_template_service_order_dealer"
        )
        for order in self:
            dealer = order.dealer_id
            order.message_subscribe(partner_ids=dealer.ids)
            order.message_post_with_source(
                template, subtype_xmlid="mail.mt_comment", partner_ids=dealer.ids
            )
            # sudo: the follow-up person is internal data the dispatcher reads
            supervisor = order.sudo().supervisor_id
            if supervisor:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Follow up dealer %s", dealer.display_name),
                    user_id=supervisor.id,
                )

    def action_done(self):
        """The performer reports the work done (000 §4.2.1.2)."""
        self._check_step_access()
        self._mark_done()

    def _mark_done(self):
        self._check_paid_consent()
        for order in self:
            order._check_state(
                ("dispatched",),
                self.env._("%s is not dispatched: its work cannot be reported done."),
            )
            if order.performer_type != "remote" and not order.arrival_date:
                raise UserError(
                    self.env._("Record when the performer arrived on site.")
                )
            if not order.work_done:
                raise UserError(self.env._("Describe the work done on %s.", order.name))
            order._check_quality_evidence()
            # the parts planned on the draft are now reported replaced
            order._check_warranty_parts_received()
            order._write_flow({"state": "done", "finished_date": order._get_finish()})
        # the old parts are due 30 days after their replacement
        # sudo: the returns of the sheet, whoever reports the work
        self.sudo().feedback_id.parts_request_ids.oldpart_return_ids._update_due_date()

    def _get_finish(self):
        """When the work finished, as the order is reported done: the time
        typed on the order (the technician closes his order in the back
        office with the times he typed, 000 §4.2.1.2), or the moment it is
        reported. A finish still to come is no finish: one stored before the
        server refused it (R-082) gives way to the report's moment, never
        before the arrival."""
        self.ensure_one()
        now = fields.Datetime.now()
        finished = self.finished_date
        if not finished or (finished > now + CLOCK_SKEW and not self._is_server_user()):
            finished = max(now, self.arrival_date or now)
        return finished

    # On site: the technician reports to the head (004 §4.4 B, R-129)

    def _check_own_technician(self, states):
        """A check-in is the technician's own: only the technician of the
        order records it, while the order is in one of ``states``."""
        for order in self:
            if self.env.user != order.technician_id or order.performer_type == (
                "dealer"
            ):
                raise AccessError(
                    self.env._(
                        "Only the technician of %s checks in and out of the site.",
                        order.name,
                    )
                )
            order._check_state(
                states,
                self.env._(
                    "%s is not on its way or on site: nothing to check in or out."
                ),
            )

    def _get_group_users(self, group_xmlid):
        """The active internal users of a group who work in the order's
        company, to tell them or ask them (R-073, R-256)."""
        self.ensure_one()
        return company_members(self.env.ref(group_xmlid), self.company_id)

    def _get_director_partners(self):
        return self._get_group_users(
            "forklift_aftersales.group_forklift_director"
        ).partner_id

    def _tell_director(self, body):
        self.ensure_one()
        partners = self._get_director_partners()
        self.message_subscribe(partner_ids=partners.ids)
        self.message_post(
            body=body, partner_ids=partners.ids, subtype_xmlid="mail.mt_comment"
        )

    def _record_site_time(self, date_field, recorded_message, told_message, vals=None):
        """Record the time the technician arrives or leaves in ``date_field``
        and tell the service center director at once. ``recorded_message``,
        with ``%s`` for the order, refuses a time already recorded;
        ``told_message`` tells the director, with the technician, the order
        and the customer; ``vals`` is written along with the time."""
        now = fields.Datetime.now()
        for order in self:
            if order[date_field]:
                raise UserError(recorded_message % order.name)
            order._write_flow({date_field: now, **(vals or {})})
            order._tell_director(
                told_message
                % {
                    "technician": self.env.user.name,
                    "order": order.name,
                    "customer": order.partner_id.display_name or "-",
                }
            )

    def action_check_in_arrival(self):
        """The technician arrives on site: the time is recorded, as checked
        in, and the service center director told at once."""
        self._check_own_technician(("dispatched",))
        self._record_site_time(
            "arrival_date",
            self.env._("The arrival on %s is already recorded."),
            self.env._("%(technician)s arrived on site for %(order)s (%(customer)s)."),
            {"arrival_source": "checked_in"},
        )

    def action_check_out_departure(self):
        """The technician leaves the site: the time is recorded and the
        service center director told at once."""
        self._check_own_technician(("dispatched", "done", "signed"))
        for order in self:
            if not order.arrival_date:
                raise UserError(
                    self.env._(
                        "Check in the arrival on %s before leaving the site.",
                        order.name,
                    )
                )
        self._record_site_time(
            "departure_date",
            self.env._("The departure from %s is already recorded."),
            self.env._("%(technician)s left the site of %(order)s (%(customer)s)."),
        )

    def action_report_major_problem(self):
        """A major problem met on site goes at once to the service center
        director and the company leaders (004 §4.4 B, R-129, R-251)."""
        self._check_step_access()
        for order in self:
            order._check_state(
                ("dispatched", "done", "signed"),
                self.env._(
                    "%s is not being serviced: report the problem on the "
                    "feedback sheet instead."
                ),
            )
            if order.major_problem_reported_date:
                raise UserError(
                    self.env._(
                        "The major problem of %s is already reported.", order.name
                    )
                )
            text = (order.major_problem or "").strip()
            if not text:
                raise UserError(
                    self.env._("Describe the major problem met on %s.", order.name)
                )
            leaders = order._get_group_users(
                "forklift_aftersales.group_forklift_leader"
            ).partner_id
            partners = leaders | order._get_director_partners()
            order._write_flow({"major_problem_reported_date": fields.Datetime.now()})
            order.message_subscribe(partner_ids=partners.ids)
            order.message_post(
                subject=self.env._("Major problem on site: %s", order.name),
                body=self.env._(
                    "Major problem met on site by %(user)s for %(customer)s "
                    "(%(unit)s): %(problem)s",
                    user=self.env.user.name,
                    customer=order.partner_id.display_name or "-",
                    unit=order.unit_id.display_name or "-",
                    problem=text,
                ),
                partner_ids=partners.ids,
                # an internal note: the director and the leaders are told,
                # the portal does not read the major problem
                subtype_xmlid="mail.mt_note",
            )
            # sudo: the note on the sheet, whoever reports from the site
            order.feedback_id.sudo().message_post(
                author_id=self.env.user.partner_id.id,
                body=self.env._(
                    "Major problem reported from the site on %(order)s: %(problem)s",
                    order=order.name,
                    problem=text,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # Back at the company: the director reviews the report (004 §4.4 D)

    def _check_can_review(self):
        """Only the service center director reviews, a registered report of
        an own technician, once (R-130, R-208)."""
        self.ensure_one()
        if not self.env.user.has_group("forklift_aftersales.group_forklift_director"):
            raise AccessError(
                self.env._(
                    "Only the service center director reviews the service report "
                    "of %s.",
                    self.name,
                )
            )
        if not self.needs_director_review or self.state != "registered":
            raise UserError(
                self.env._(
                    "%s is not a registered report of an own technician: there is "
                    "nothing to review.",
                    self.name,
                )
            )
        if self.reviewed_by_id:
            raise UserError(self.env._("%s is already reviewed.", self.name))

    def action_director_review(self):
        """The director reviews the report and the customer's opinion once the
        technician is back (004 §4.4 D, 001-C §4 7))."""
        for order in self:
            order._check_can_review()
            if not (order.director_review_note or "").strip():
                raise UserError(
                    self.env._(
                        "Write the director's review of %s before confirming it.",
                        order.name,
                    )
                )
        self._write_flow(
            {"reviewed_by_id": self.env.uid, "reviewed_date": fields.Datetime.now()}
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Service report reviewed by %(director)s: %(note)s",
                    director=self.env.user.name,
                    note=order.director_review_note,
                ),
                partner_ids=order.technician_id.partner_id.ids,
                # an internal note: the technician is told, the portal does
                # not read the director's review
                subtype_xmlid="mail.mt_note",
            )
            # the step ends every director's to-do: one review stands for all
            order._with_flow_activities(step=True).activity_ids.filtered(
                lambda a, o=order: a.summary == o._get_review_summary()
            ).action_feedback(feedback=self.env._("Reviewed."))

    def _get_review_summary(self):
        self.ensure_one()
        return self.env._("Review the service report %s", self.name)

    def _ask_director_review(self):
        """A registered report of an own technician waits for the director's
        review: each director gets a to-do."""
        for order in self.filtered("needs_director_review"):
            directors = order._get_group_users(
                "forklift_aftersales.group_forklift_director"
            )
            order._schedule_todos(directors, order._get_review_summary())

    def _check_quality_evidence(self, photos=None, parts=None):
        """R-068 (000 §4.1.2): the technician or the dealer handling a problem
        on site submits photos of the quality problem and the details of each
        damaged part replaced. Their work is not done without at least one
        photo (remote support has no site to photograph; a supplier's own
        technician sends the signed sheet, 000 §4.1.3), nor while a part
        replaced has no description of its damage. ``photos`` (attachment
        values) and ``parts`` ((part name, damage) pairs) are what a report
        is about to add, checked before anything is written."""
        for order in self:
            # sudo: the photos and parts decide, whoever reports the work
            order_sudo = order.sudo()
            has_photo = any(
                (photo.get("mimetype") or "").startswith("image/")
                for photo in photos or []
            ) or order_sudo.photo_ids.filtered(
                lambda a: (a.mimetype or "").startswith("image/")
            )
            if order_sudo.performer_type in ("technician", "dealer") and not has_photo:
                raise UserError(
                    self.env._(
                        "Add at least one photo of the quality problem to %s: the "
                        "work on site is reported with its photos.",
                        order.name,
                    )
                )
            undescribed = [
                line.product_id.display_name
                for line in order_sudo.part_ids
                if not (line.damage_description or "").strip()
            ] + [name for name, damage in parts or [] if not (damage or "").strip()]
            if undescribed:
                raise UserError(
                    self.env._(
                        "Describe the damage found on each part replaced on "
                        "%(order)s: %(parts)s.",
                        order=order.name,
                        parts=", ".join(undescribed),
                    )
                )

    # Portal: the dealer reports the work

    def _check_portal_dealer(self):
        """The portal user works for the dealer that performs this order."""
        self.ensure_one()
        user = self.env.user
        dealer = self.sudo().dealer_id.commercial_partner_id
        if not (
            user.share
            and not user._is_public()
            and self.sudo().performer_type == "dealer"
            and dealer
            and user.partner_id.commercial_partner_id == dealer
        ):
            raise AccessError(
                self.env._(
                    "Only the dealer that performs %s reports its work.", self.name
                )
            )

    def _get_shipped_warranty_parts(self):
        """Quantity of each warranty part the sheet's shipped requests
        delivered and the applicant kept: a part still on a backorder, or that
        came back to stock, never was in his hands (R-167)."""
        self.ensure_one()
        # sudo: the requests and deliveries of the sheet, whoever reports the
        # work
        case = self.sudo().feedback_id
        OldpartReturn = self.env["forklift.oldpart.return"].sudo()
        shipped = {}
        for request in case.parts_request_ids.filtered(lambda r: r.state == "shipped"):
            deliveries = OldpartReturn._get_request_deliveries(request)
            for product, quantity in OldpartReturn._get_shipped_quantities(
                deliveries
            ).items():
                shipped[product] = shipped.get(product, 0.0) + quantity
        return shipped

    def _get_recorded_warranty_parts(self):
        """Quantity of each warranty part the sheet's service orders not
        cancelled record replaced."""
        self.ensure_one()
        # sudo: the orders of the sheet, whoever reports the work
        orders = self.sudo().feedback_id.service_order_ids.filtered(
            lambda o: o.state != "cancel"
        )
        recorded = {}
        for line in orders.part_ids.filtered("is_warranty"):
            recorded[line.product_id] = (
                recorded.get(line.product_id, 0.0) + line.quantity
            )
        return recorded

    def _get_received_warranty_parts(self):
        """Quantity of each warranty part the sheet's shipped requests
        delivered and the applicant kept, less the warranty parts the sheet's
        service orders not cancelled already recorded replaced: what the
        dealer may still say it replaced on this order (R-082, R-167). One
        reported on another order of the sheet is no longer there to replace.
        A part shipped and used up stays listed, at 0."""
        self.ensure_one()
        received = self._get_shipped_warranty_parts()
        for product, quantity in self._get_recorded_warranty_parts().items():
            if product in received:
                received[product] -= quantity
        return {product: max(quantity, 0.0) for product, quantity in received.items()}

    def _check_warranty_parts_received(self):
        """The warranty parts of the sheet's requests that its service orders
        record replaced are at most those the warehouse shipped for it and the
        applicant kept, over all the orders of the sheet, whoever records them
        (the dealer on the portal, the service center in the back end, an
        import): each one replaced is an old part owed back and counted in
        the statistics (R-082, R-090, R-167; 000 §4.3.1.2, §4.3.2.5). A part
        no request of the sheet asks for (bought locally, R-103) is not
        counted here. Checked as parts are recorded on a dispatched order and
        when its work is reported done: the parts planned on a draft, taken
        along when it is dispatched (R-002), are not replaced yet."""
        for order in self:
            # sudo: the sheet's requests, whoever records the parts
            requested = (
                order.sudo()
                .feedback_id.parts_request_ids.filtered(lambda r: r.state != "cancel")
                .line_ids.product_id
            )
            shipped = order._get_shipped_warranty_parts()
            for product, quantity in order._get_recorded_warranty_parts().items():
                received = shipped.get(product, 0.0)
                if (
                    product in requested
                    and product.uom_id.compare(quantity, received) > 0
                ):
                    raise ValidationError(
                        self.env._(
                            "%(part)s: the service orders of %(sheet)s record "
                            "%(recorded)s replaced under warranty, but only "
                            "%(received)s were received for it.",
                            part=product.display_name,
                            sheet=order.feedback_id.name,
                            recorded=quantity,
                            received=received,
                        )
                    )

    def _portal_report_work(self, arrival, work_done, hour_meter, parts, photos):
        """The dealer reports the work on site from the portal (000 §4.2.2.2,
        R-082, R-127): arrival, work done, the hour meter (a reading, refused
        when going backwards), the parts replaced out of the warranty parts it
        received (``parts``: product id, quantity, failed serial, damage
        found), photos of the failed part (``ir.attachment`` values already
        checked). At least one photo and the damage of each part replaced are
        needed (R-068, 000 §4.1.2). The order is then done and waits for the
        customer's signature. Everything is checked before anything is
        written."""
        self.ensure_one()
        self._check_portal_dealer()
        order = self.sudo()
        order._check_state(
            ("dispatched",),
            self.env._("%s is not dispatched: its work cannot be reported."),
        )
        order._check_paid_consent()
        now = fields.Datetime.now()
        # the page gives the arrival to the minute: the minute of the dispatch
        # itself is accepted (the page's own default, when the dealer reports
        # at once) and recorded as the dispatch
        dispatch_minute = order.dispatched_date.replace(second=0, microsecond=0)
        if not arrival or arrival > now or arrival < dispatch_minute:
            raise UserError(
                self.env._(
                    "The arrival on site must be between the dispatch of %(order)s "
                    "(%(dispatched)s) and now.",
                    order=order.name,
                    dispatched=order.dispatched_date,
                )
            )
        arrival = max(arrival, order.dispatched_date)
        text = (work_done or "").strip()
        if not text:
            raise UserError(self.env._("Describe the work done on %s.", order.name))
        if hour_meter is None:
            raise UserError(self.env._("Enter the hour meter read on site."))
        check_hour_meter(self.env, hour_meter)
        order._check_hour_meter(hour_meter)
        received = order._get_received_warranty_parts()
        lines = []
        damages = []
        reported = {}
        for product_id, quantity, failed_serial, damage in parts:
            product = order.env["product.product"].browse(product_id)
            if product not in received:
                raise UserError(
                    self.env._(
                        "Only the warranty parts shipped for %s can be reported "
                        "replaced.",
                        order.feedback_id.name,
                    )
                )
            reported[product] = reported.get(product, 0.0) + quantity
            if (
                quantity <= 0
                or product.uom_id.compare(reported[product], received[product]) > 0
            ):
                raise UserError(
                    self.env._(
                        "%(part)s: at most %(left)s can be reported replaced: the "
                        "parts received for %(sheet)s less those already reported "
                        "on its service orders.",
                        part=product.display_name,
                        left=received[product],
                        sheet=order.feedback_id.name,
                    )
                )
            lines.append(
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "quantity": quantity,
                        "failed_serial": (failed_serial or "").strip(),
                        "damage_description": (damage or "").strip(),
                        "is_warranty": True,
                    }
                )
            )
            damages.append((product.display_name, damage))
        order._check_quality_evidence(photos, damages)
        # the flow's mark: the photos were checked as JPEG or PNG above
        attachments = FLOW_MARK.set_on(self.env["ir.attachment"]).create(
            [dict(photo, res_model=self._name, res_id=order.id) for photo in photos]
        )
        order._as_flow().write(
            {
                "arrival_date": arrival,
                "work_done": Markup("<p>%s</p>")
                % Markup("<br/>").join(escape(line) for line in text.splitlines()),
                "hour_meter": hour_meter,
                "part_ids": lines,
                "photo_ids": [fields.Command.link(a.id) for a in attachments],
            }
        )
        order._as_flow()._mark_done()
        # in the dealer's name, but the flow's record of who reported the
        # work, not his comment: Odoo lets the author of a comment rewrite it
        # (/mail/message/update_content), never a message of another type
        #
        order.message_post(
            body=self.env._("Work reported on the portal by %s.", self.env.user.name),
            author_id=self.env.user.partner_id.id,
            message_type="auto_comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _get_nonwarranty_parts(self):
        """The parts replaced outside the warranty: not warranty parts, or
        any part of a sheet judged a paid service."""
        self.ensure_one()
        # sudo: the sheet's verdict decides, whoever hands the parts in
        paid = self.sudo().feedback_id.warranty_verdict == "paid"
        return self.part_ids.filtered(lambda p: paid or not p.is_warranty)

    def action_hand_in_old_parts(self):
        """The old parts replaced outside the warranty are handed to the
        service center, never disposed of privately (000 §4.3.2.7, R-233): a
        receipt into the "Non-Warranty Old Parts" location, made from the
        parts replaced, for the warehouse to validate."""
        self.ensure_one()
        self._check_step_access()
        self._check_state(
            ("done", "signed", "registered"),
            self.env._("Report the work of %s done before handing in its old parts."),
        )
        parts = self._get_nonwarranty_parts()
        if not parts:
            raise UserError(
                self.env._(
                    "%s replaced no part outside the warranty: its warranty old "
                    "parts come back on their old-part return.",
                    self.name,
                )
            )
        # sudo: service-center staff have no stock rights; the receipt is the
        # order's own
        picking = self.sudo().oldpart_picking_id
        if picking and picking.state != "cancel":
            raise UserError(
                self.env._(
                    "The old parts of %(order)s are already on %(picking)s.",
                    order=self.name,
                    picking=picking.name,
                )
            )
        source = self.env.ref("stock.stock_location_customers")
        destination = self.env.ref(
            "forklift_aftersales.stock_location_nonwarranty_old_parts"
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        # sudo: as above; the receipt holds only the order's own parts
        Picking = self.env["stock.picking"].sudo()
        picking = Picking.create(
            Picking._prepare_forklift_transfer_vals(
                warehouse.in_type_id,
                self.partner_id,
                source,
                destination,
                self.name,
                [(part.product_id, part.quantity) for part in parts],
            )
        )
        picking.action_confirm()
        self._write_flow({"oldpart_picking_id": picking.id})
        self.message_post(
            body=self.env._(
                "Non-warranty old parts handed in to the service center on %s.",
                picking.name,
            )
        )
        return True

    @api.private
    def action_confirm_signature(self):
        """Confirm the order signed, from a signature or sheet its sign step
        recorded (R-080): a step of the server's own (the supplier's signed
        sheet, the demo data), which no form shows and no client calls."""
        self._check_step_access()
        for order in self:
            order._check_can_sign()
        self._write_flow({"state": "signed"})

    def action_open_sign_page(self):
        """The customer signs on the staff member's screen, on the order's
        page (R-206): the screen of the order's technician or of the
        service center director (``_check_screen_signer``)."""
        self.ensure_one()
        self._check_step_access()
        self._check_screen_signer()
        self._check_state(
            ("done",), self.env._("Only finished work can be signed (%s).")
        )
        return {
            "type": "ir.actions.act_url",
            "url": self.get_portal_url(),
            "target": "self",
        }

    def _check_can_sign(self):
        self.ensure_one()
        self._check_state(
            ("done",), self.env._("Only finished work can be signed (%s).")
        )
        if not (self.signature or self.stamp):
            raise UserError(self.env._("The customer's signature or stamp is missing."))
        if not self.signed_by:
            raise UserError(self.env._("Enter the name of the person who signed."))

    def _check_signer(self):
        """Who signs: the customer (or the order's dealer, on whose screen the
        customer signs) on the portal, logged in as himself; the order's
        technician or the service center director capturing the signature on
        screen (``_check_screen_signer``; R-206, 000 §4.2.2.2); or, logged
        out, the customer from the link mailed to him (R-080). The access
        token alone signs nothing: it opens the order's page to whoever holds
        it, and readers of the order who are not its signers read it (the
        dealer of the territory of an order the company's technician
        performs). The mailed link also names its recipient and carries the
        hash of him and the token that only the server makes
        (``_sign_token``, as Odoo's notifications and share wizard mail it);
        the page passes both on in the context (``forklift_signer_pid``,
        ``forklift_signer_hash``)."""
        self.ensure_one()
        user = self.env.user
        signers = self.partner_id.commercial_partner_id
        if self.performer_type == "dealer":
            signers |= self.dealer_id.commercial_partner_id
        if user._is_public():
            # sudo: the hash is made of the order's token and the database
            # secret, which the public user does not read
            order_sudo = self.sudo()
            pid = str(self.env.context.get("forklift_signer_pid") or "")
            link_hash = self.env.context.get("forklift_signer_hash")
            signer = order_sudo.env["res.partner"]
            if (
                pid.isdigit()
                and isinstance(link_hash, str)
                and order_sudo.access_token
                and consteq(link_hash, order_sudo._sign_token(int(pid)))
            ):
                signer = signer.browse(int(pid)).exists()
        elif user.share:
            signer = user.commercial_partner_id
        else:
            # an internal user's own rights, not the page's sudo
            self.with_user(user)._check_screen_signer()
            return
        if signer.commercial_partner_id not in signers:
            raise AccessError(
                self.env._(
                    "Only the customer of %s signs it.",
                    self.name,
                )
            )

    def _check_screen_signer(self):
        """On the staff side the customer signs on the screen of the
        technician who did the work and fills in the sheet on site
        (000 §4.2.1.2, 004 §4.4 D; R-206, R-080), or of the service center
        director, who answers for the sheets the service center registers;
        never of another user who may edit the order (a clerk, the office
        supervisor, another department): the signature is the customer's
        word on the work done, not a step of the office."""
        self.ensure_one()
        self.check_access("write")
        user = self.env.user
        if not (
            self._is_server_user()
            or user == self.technician_id
            or user.has_group("forklift_aftersales.group_forklift_director")
        ):
            raise AccessError(
                self.env._(
                    "Only the technician of %s, or the service center director, "
                    "has the customer sign it on screen.",
                    self.name,
                )
            )

    def _sign(self, name, signature, opinion=None, stamp=None):
        """Record the customer's signature captured on screen or on the portal,
        and with it the order signed (R-206, R-080). Checked before anything
        is written: a refused signature leaves nothing behind."""
        self.ensure_one()
        self._check_state(
            ("done",), self.env._("Only finished work can be signed (%s).")
        )
        self._check_signer()
        name = (name or "").strip()
        if not name or not signature:
            raise UserError(
                self.env._("Both the signer's name and the signature are needed.")
            )
        check_signature_image(self.env, signature)
        vals = {
            "state": "signed",
            "signed_by": name,
            "signature": signature,
            "signed_on": fields.Datetime.now(),
        }
        if stamp:
            check_signature_image(self.env, stamp)
            vals["stamp"] = stamp
        if opinion:
            vals["customer_opinion"] = opinion
        self._write_flow(vals)

    def action_register(self):
        """Register the signed sheet at the service center and send a copy to
        QA (000 §4.2.1.2, R-080)."""
        self._check_step_access()
        self._check_state(
            ("signed",),
            self.env._("Only a signed service order can be registered (%s)."),
        )
        now = fields.Datetime.now()
        self._write_flow(
            {
                "state": "registered",
                "registered_date": now,
                "registered_by_id": self.env.uid,
                "qa_copy_date": now,
            }
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Signed service order registered; copy sent to %s.",
                    order._get_copy_department(),
                ),
                partner_ids=order._get_copy_recipients().ids,
                subtype_xmlid="mail.mt_comment",
            )
        self._ask_director_review()
        self.feedback_id._on_service_order_registered()

    def _get_copy_department(self):
        """Name of the department that files the copy, for the chatter."""
        return self.env._("QA")

    def _get_copy_recipients(self):
        """Who receives the copy of a registered order: QA (domestic)."""
        return self.feedback_id._get_report_recipients()

    def action_cancel(self):
        """Cancel an order whose work is not done: a draft, or dispatched.
        Once its work is reported done it is the record of the service given
        (``FINISHED_STATES``): the customer signs it, it is registered and
        copied to QA, the sheet's reports, payment and old-part return count
        on it (R-002, R-080, R-082, R-167; 000 §4.2.1.2, §4.3.2)."""
        self._check_step_access()
        self._cancel_flow(
            FINISHED_STATES,
            self.env._(
                "The work of %s is reported done: a service order whose work is "
                "finished is kept, it cannot be cancelled."
            ),
        )
        self.feedback_id._on_service_order_cancelled()

    def _filter_finished(self):
        """The orders of these whose work is reported done (``FINISHED_STATES``)."""
        return self.filtered(lambda o: o.state in FINISHED_STATES)

    def _cancel_with_case(self):
        """The feedback sheet is cancelled: its open orders go with it (a sheet
        whose work is finished is not cancelled)."""
        self.filtered(lambda o: o.state in ("draft", "dispatched"))._write_flow(
            {"state": "cancel"}
        )

    @api.model
    def _get_overdue_reminders(self):
        """The signed sheet a dealer has not returned in time: its supervisor
        (or the sheet's responsible) is reminded."""
        return [
            *super()._get_overdue_reminders(),
            Reminder(
                self._get_return_overdue_domain(),
                lambda order: self.env._(
                    "Signed sheet not returned by %s", order.dealer_id.name
                ),
                lambda order: order.supervisor_id or order.feedback_id.user_id,
            ),
        ]

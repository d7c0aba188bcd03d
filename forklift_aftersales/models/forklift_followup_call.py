from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..tools import check_plausible_date, read_int_param
from .forklift_deadline_reminder import Reminder
from .forklift_document_fields import (
    company_field,
    current_user,
    customer_link,
    sheet_link,
    stamp_datetime,
    stamped,
    workflow_state,
)

CALL_TYPES = [
    ("first", "First follow-up"),
    ("second", "Second follow-up"),
    ("event", "Event notice"),
    ("enquiry", "Incoming enquiry"),
    ("complaint", "Incoming complaint"),
    ("other", "Other"),
]
INCOMING_TYPES = ("enquiry", "complaint")
# The calls the procedure plans, with the window its settings give: the
# follow-ups after a sheet is closed and the notices of an event
SCHEDULED_TYPES = ("first", "second", "event")
# The follow-ups of a feedback sheet: the server plans them, the first when
# the sheet is closed, the second when the first is made
FOLLOWUP_TYPES = ("first", "second")
WINDOW_FIELDS = ("window_start", "window_end")


class ForkliftFollowupCall(models.Model):
    """Follow-up call record (跟踪服务电话记录表, R-027); the list of all of
    them is the call registry (跟踪服务电话登记表, R-028).

    000 第五篇 (三)4–5, 002 (三)4–5: the first follow-up call is made 3 days to
    1 week after the service, the second within the 7 days after one week from
    the first. Every incoming enquiry or complaint call is recorded too
    ((三)7). The windows are configuration parameters (REQUIREMENTS A-24).
    """

    _name = "forklift.followup.call"
    _description = "Forklift Customer Follow-Up Call"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.overdue.mixin",
        "forklift.deadline.reminder",
        "forklift.flow.mixin",
    ]
    _order = "window_start desc, id desc"
    _flow_editable_states = ("planned",)
    _flow_deletable_states = ("planned",)
    _check_company_auto = True
    _overdue_deadline_field = "window_end"
    _overdue_open_states = ("planned",)

    state = workflow_state(
        [("planned", "Planned"), ("done", "Done"), ("cancel", "Cancelled")],
        default="planned",
        index=True,
    )
    call_type = fields.Selection(
        CALL_TYPES, string="Type", required=True, default="other", tracking=True
    )
    direction = fields.Selection(
        [("outgoing", "Outgoing"), ("incoming", "Incoming")],
        compute="_compute_direction",
        store=True,
    )
    company_id = company_field(index=True)
    partner_id = customer_link(
        required=True, index=True, tracking=True, check_company=True
    )
    contact_name = fields.Char(string="Spoke With")
    phone = fields.Char(related="partner_id.phone")
    feedback_id = sheet_link(index=True, check_company=True)
    event_id = fields.Many2one(
        "forklift.care.event", index=True, readonly=True, check_company=True
    )
    previous_call_id = stamped(
        fields.Many2one, "forklift.followup.call", check_company=True
    )
    user_id = current_user(string="Follow-Up Staff", tracking=True, index=True)
    window_start = fields.Date(
        string="Call From", default=fields.Date.context_today, required=True
    )
    window_end = fields.Date(
        string="Call By", required=True, default=fields.Date.context_today
    )
    call_date = stamp_datetime("Called On", tracking=True)
    missed = stamped(
        fields.Boolean,
        tracking=True,
        help="Cancelled once its window had passed without the call being made: "
        "it stays counted among the overdue calls.",
    )
    # Topics of the call (000 第五篇 (二)3, R-109)
    topic_usage = fields.Boolean(
        string="Use of the forklift and opinion of our service"
    )
    topic_needs = fields.Boolean(string="New service needs")
    topic_advice = fields.Boolean(string="Use and maintenance advice")
    topic_services = fields.Boolean(string="New services")
    topic_events = fields.Boolean(string="Events and offers")
    topic_consulting = fields.Boolean(string="Consulting")
    notes = fields.Text(string="Key Points")
    request = fields.Text(
        string="Requests, Wishes, Complaints",
        help="Write down above all what the customer asks for, wishes or "
        "complains about (000 第五篇 (三)4).",
    )
    answer = fields.Text(string="Our Answer")
    customer_told_date = fields.Date(string="Customer Told On")
    customer_satisfied = fields.Selection(
        [("yes", "Satisfied"), ("no", "Not satisfied")],
        string="Satisfied with the Answer",
    )

    @api.depends("call_type")
    def _compute_direction(self):
        for call in self:
            call.direction = (
                "incoming" if call.call_type in INCOMING_TYPES else "outgoing"
            )

    @api.depends("missed")
    def _compute_is_overdue(self):
        return super()._compute_is_overdue()

    @api.constrains("window_start", "window_end")
    def _check_window(self):
        for call in self:
            if call.window_end < call.window_start:
                raise ValidationError(
                    self.env._(
                        "The call of %(name)s cannot be due (%(end)s) before its "
                        "window opens (%(start)s).",
                        name=call.name,
                        end=call.window_end,
                        start=call.window_start,
                    )
                )

    @api.constrains("call_date")
    def _check_call_date(self):
        now = fields.Datetime.now()
        for call in self:
            if call.call_date and call.call_date > now + timedelta(minutes=5):
                raise ValidationError(
                    self.env._(
                        "A call cannot be recorded before it happened (%s).",
                        call.call_date,
                    )
                )

    @api.constrains("customer_told_date", "feedback_id")
    def _check_customer_told_date(self):
        """The customer is told of the answer (R-114, R-186) on a day gone
        or today, not before the sheet the call is about was received: a day
        of 2999 or 1900 would stand in the registry, locked once the call is
        made (R-027, R-028)."""
        for call in self:
            # sudo: the day the linked sheet was received bounds the date;
            # nothing of the sheet is returned
            sheet = call.feedback_id.sudo()
            check_plausible_date(
                call,
                "customer_told_date",
                earliest=sheet._get_local_received_date() if sheet else None,
                latest=call.company_id._forklift_today(),
            )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        """The call is recorded as made by its button, at the time it is
        (R-027): the state, when, and the call or event that planned it."""
        return {"state", "call_date", "previous_call_id", "event_id", "missed"}

    def _get_locked_fields(self):
        """A call made or cancelled stays in the registry as it was (R-027,
        R-028): what was planned, and what the call recorded (who called,
        with whom, the topics, key points and requests, the answer, the day
        the customer was told and whether he was satisfied), changes only
        while it is planned; an answer given later is a call of its own. The
        window stays as the call was planned with, so that a late call stays
        late (R-184, R-185); a follow-up or an event notice, planned by the
        procedure, keeps its type, customer and feedback sheet: the server
        plans the sheet's second follow-up, and writes the event's letter, to
        the customer of the call (R-112, R-113, R-116)."""
        locked = super()._get_locked_fields() | set(WINDOW_FIELDS)
        if self.call_type in SCHEDULED_TYPES:
            locked |= {"call_type", "feedback_id", "partner_id"}
        return locked

    def _get_state_locked_message(self, names):
        if self.state != "planned":
            return self.env._(
                "%(call)s is made or cancelled: it stays in the call registry as "
                "it was; %(fields)s no longer change.",
                call=self.name,
                fields=self._get_field_labels(names),
            )
        if names & set(WINDOW_FIELDS):
            return self.env._(
                "%s keeps the window it was planned with: a call is not put off, "
                "and a late call stays late until it is made.",
                self.name,
            )
        return self._get_scheduled_type_message()

    def _get_scheduled_type_message(self):
        return self.env._(
            "%s is a follow-up call or an event notice, planned by the procedure "
            "with the window of its settings: its type, customer and feedback "
            "sheet stay as planned, and no other call becomes one.",
            self.name,
        )

    @api.model_create_multi
    def create(self, vals_list):
        """A follow-up call or an event notice planned by hand takes no
        window typed by its caller: the procedure's calls are due when its
        settings say (R-184, R-185). The follow-ups of a sheet are the
        server's alone: one planned by hand would stand for the sheet's own,
        which closing the sheet then no longer plans (R-112, R-113)."""
        if not self._is_flow_write():
            # what a value left out would be: a context key or a user default
            defaults = self.default_get(["call_type", "feedback_id", *WINDOW_FIELDS])
            for vals in vals_list:
                given = {**defaults, **vals}
                if given.get("call_type") in FOLLOWUP_TYPES and given.get(
                    "feedback_id"
                ):
                    raise UserError(
                        self.env._(
                            "The follow-up calls of a feedback sheet are planned "
                            "by the procedure: the first when the sheet is "
                            "closed, the second when the first is made. A call "
                            "planned by hand does not stand for them."
                        )
                    )
                typed = {
                    name
                    for name in WINDOW_FIELDS
                    if name in given and not self._is_default_value(name, given[name])
                }
                if given.get("call_type") in SCHEDULED_TYPES and typed:
                    raise UserError(
                        self.env._(
                            "The window of a follow-up call or an event notice is "
                            "the procedure's, from its settings: it is not typed "
                            "(%s).",
                            self._get_field_labels(typed),
                        )
                    )
        return super().create(vals_list)

    def _check_locked_fields(self, vals):
        """No call of one's own becomes a follow-up or an event notice: it
        would stand for the one the procedure plans, with a window typed by
        hand."""
        res = super()._check_locked_fields(vals)
        if vals.get("call_type") in SCHEDULED_TYPES:
            for call in self:
                if call.call_type != vals["call_type"]:
                    raise UserError(call._get_scheduled_type_message())
        return res

    def _get_flow_kept_message(self):
        return self.env._(
            "A call made or cancelled stays in the registry: it cannot be deleted."
        )

    # Actions

    def action_done(self):
        """Record the call as made; a first follow-up schedules the second
        (000 第五篇 (三)5); an event notice asks for the letter (三)6."""
        self._check_step_state(("planned",), self.env._("%s is not a planned call."))
        self._check_caller()
        for call in self:
            if not call.notes:
                raise UserError(
                    self.env._("Write the key points of the call %s.", call.name)
                )
            call._write_flow({"state": "done", "call_date": fields.Datetime.now()})
            call.activity_feedback(
                ["mail.mail_activity_data_call"], feedback=call.notes
            )
        seconds = self.filtered(lambda c: c.call_type == "first")._schedule_second()
        self.filtered(lambda c: c.call_type == "event" and c.event_id)._ask_letter()
        return seconds

    def _check_caller(self):
        """The registry says who called the customer, and the follow-ups made
        on time count for him (R-027, R-028, R-149, R-265): a call is
        recorded as made by its follow-up staff, in his own name; a colleague
        who made it takes it over first, which its tracking shows."""
        others = self.filtered(lambda c: c.user_id and c.user_id != self.env.user)
        if others and not self.env.su:
            raise AccessError(
                self.env._(
                    "Only its Follow-Up Staff records %(calls)s as made. If you "
                    "made the call, take it over first.",
                    calls=", ".join(others.mapped("name")),
                )
            )

    def action_cancel(self):
        """Cancel planned calls. A call whose window has passed, where its
        company is, was missed: cancelled, it stays counted among the overdue
        calls, for whoever cancels it (a call not needed any more, an event
        called off), so the lateness stays in the registry (R-028, R-184,
        R-185)."""
        late = self.filtered_domain(self._get_overdue_domain())
        self._take_state_step(
            ("planned",),
            self.env._("%s is made or cancelled already: it cannot be cancelled."),
            "cancel",
            ["mail.mail_activity_data_call"],
        )
        late._write_flow({"missed": True})

    def action_reset(self):
        """Plan a cancelled call again: with its window kept, a missed call is
        overdue as planned again."""
        self._take_state_step(
            ("cancel",),
            self.env._("Only a cancelled call is planned again (%s)."),
            "planned",
        )
        self.filtered("missed")._write_flow({"missed": False})

    # Business methods

    @api.model
    def _get_days(self, key, default):
        return read_int_param(self.env, f"forklift_aftersales.{key}", default)

    @api.model
    def _schedule_first_calls(self, cases):
        """First follow-up 3 days to 1 week after the case is closed
        (000 第五篇 (三)4, R-112, R-184)."""
        start_days = self._get_days("followup_first_start_days", 3)
        end_days = self._get_days("followup_first_end_days", 7)
        vals_list = []
        for case in cases.filtered("partner_id"):
            partner = case.partner_id.commercial_partner_id
            vals_list.append(
                {
                    "call_type": "first",
                    "partner_id": partner.id,
                    "feedback_id": case.id,
                    "company_id": case.company_id.id,
                    "user_id": (
                        partner.forklift_followup_user_id
                        or case.user_id
                        or self.env.user
                    ).id,
                    **self._get_window(
                        case.company_id,
                        case.closed_date or fields.Datetime.now(),
                        start_days,
                        end_days,
                    ),
                }
            )
        return self._create_planned(vals_list)

    def _schedule_second(self):
        """Second follow-up in the 7 days after one week from the first
        (000 第五篇 (三)5, R-113, R-185)."""
        start_days = self._get_days("followup_second_start_days", 7)
        end_days = self._get_days("followup_second_end_days", 14)
        vals_list = []
        for call in self:
            vals_list.append(
                {
                    "call_type": "second",
                    "partner_id": call.partner_id.id,
                    "feedback_id": call.feedback_id.id,
                    "company_id": call.company_id.id,
                    "previous_call_id": call.id,
                    "user_id": call.user_id.id,
                    **self._get_window(
                        call.company_id, call.call_date, start_days, end_days
                    ),
                }
            )
        return self._create_planned(vals_list)

    @api.model
    def _get_window(self, company, moment, start_days, end_days):
        """The window of a call of ``company`` opening ``start_days`` and
        closing ``end_days`` after the day of ``moment`` where the company is,
        whatever time zone the caller names (R-184, R-185)."""
        day = company._forklift_local_date(moment)
        return {
            "window_start": day + timedelta(days=start_days),
            "window_end": day + timedelta(days=end_days),
        }

    @api.model
    def _create_planned(self, vals_list):
        """Create planned calls, each with the to-do of its caller."""
        calls = self._create_flow(vals_list)
        calls._schedule_activity()
        return calls

    def _schedule_activity(self):
        for call in self:
            call.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=call.window_start,
                summary=self.env._(
                    "Call %(customer)s between %(start)s and %(end)s",
                    customer=call.partner_id.name,
                    start=call.window_start,
                    end=call.window_end,
                ),
                user_id=call.user_id.id,
            )

    def _ask_letter(self):
        """After the phone notice of an event, the letter follows within two
        days when needed (000 第五篇 (三)6, R-116, R-187)."""
        days = self._get_days("event_letter_days", 2)
        for call in self.filtered(lambda c: c.event_id.send_letters):
            called_on = call.company_id._forklift_local_date(call.call_date)
            call.event_id.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=called_on + timedelta(days=days),
                summary=self.env._("Send the letter to %s", call.partner_id.name),
                user_id=call.user_id.id,
            )

    def _get_overdue_domain(self):
        """Planned calls whose window has passed where their company is (not
        where the caller says he is), and the calls cancelled once late
        (missed): a late call stays counted late (R-184, R-185)."""
        return super()._get_overdue_domain() | Domain("missed", "=", True)

    @api.model
    def _get_overdue_reminders(self):
        """A planned follow-up call whose window has passed: its caller is
        reminded (not of a call cancelled)."""
        return [
            *super()._get_overdue_reminders(),
            Reminder(
                Domain("state", "in", list(self._overdue_open_states))
                & self._get_overdue_domain(),
                self.env._("Follow-up call not made in time"),
            ),
        ]

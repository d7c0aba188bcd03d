from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..tools import check_plausible_date, read_int_param, related_action
from .forklift_document_fields import company_field, current_user, workflow_state

EVENT_TYPES = [
    ("gathering", "Customer gathering"),
    ("offer", "Service offer"),
    ("free_service", "Free service campaign"),
    ("seminar", "Technical seminar"),
]


class ForkliftCareEvent(models.Model):
    """Customer event, offer or free-service campaign (000 第五篇 (三)6,
    002 (三)6, R-116): the customers are phoned two weeks ahead, then sent
    the letter within two days of the call when needed."""

    _name = "forklift.care.event"
    _description = "Forklift Customer Event"
    _inherit = ["mail.thread", "mail.activity.mixin", "forklift.flow.mixin"]
    _order = "event_date desc, id desc"
    _flow_deletable_states = ("draft",)

    name = fields.Char(required=True, tracking=True)
    event_type = fields.Selection(
        EVENT_TYPES, string="Type", required=True, default="gathering"
    )
    state = workflow_state(
        [
            ("draft", "Draft"),
            ("notified", "Customers Notified"),
            ("done", "Held"),
            ("cancel", "Cancelled"),
        ]
    )
    company_id = company_field(index=True)
    event_date = fields.Date(required=True, tracking=True)
    place = fields.Char()
    description = fields.Html()
    user_id = current_user(string="Organiser")
    partner_ids = fields.Many2many("res.partner", string="Customers")
    notice_date = fields.Date(
        string="Notify By",
        compute="_compute_notice_date",
        store=True,
        help="The customers are phoned two weeks before the event.",
    )
    send_letters = fields.Boolean(
        string="Letters Follow the Calls",
        default=True,
        help="Send the notice letter within two days of each call.",
    )
    call_ids = fields.One2many("forklift.followup.call", "event_id", string="Calls")
    letter_ids = fields.One2many("forklift.care.letter", "event_id", string="Letters")
    call_count = fields.Integer(compute="_compute_counts")
    letter_count = fields.Integer(compute="_compute_counts")

    @api.depends("event_date")
    def _compute_notice_date(self):
        days = read_int_param(self.env, "forklift_aftersales.event_notice_days", 14)
        for event in self:
            event.notice_date = (
                event.event_date - timedelta(days=days) if event.event_date else False
            )

    @api.constrains("event_date")
    def _check_event_date(self):
        """An event is planned ahead (000 第五篇 (三)6, R-116): not on a day
        gone, nor beyond the years a plan reaches. Dated 1900 its customers
        would be due a call in 1899, dated 2999 never."""
        for event in self:
            today = event.company_id._forklift_today()
            check_plausible_date(
                event, "event_date", earliest=today, planned_from=today
            )

    def _compute_counts(self):
        for event in self:
            event.call_count = len(event.call_ids)
            event.letter_count = len(event.letter_ids)

    @api.model
    def _get_flow_fields(self):
        """The event is notified, held or cancelled by its buttons only."""
        return {"state"}

    @api.model
    def _get_state_locked_fields(self):
        """The customers are phoned about the date announced (000 第五篇
        (三)6, R-116): the date and the invitees change only while the event
        is a draft, before its notices are scheduled."""
        return dict.fromkeys(("event_date", "partner_ids"), ("draft",))

    def _get_state_locked_message(self, names):
        return self.env._(
            "%s is notified, held or cancelled: its date and customers no longer "
            "change.",
            self.name,
        )

    def _get_flow_kept_message(self):
        return self.env._(
            "An event whose customers were notified is kept: cancel it instead."
        )

    def action_schedule_notices(self):
        """One notice call per customer, due two weeks before the event."""
        self._check_step_state(("draft",), self.env._("%s is already notified."))
        for event in self:
            today = event.company_id._forklift_today()
            if not event.partner_ids:
                raise UserError(self.env._("Choose the customers to invite."))
            if event.notice_date < today:
                raise UserError(
                    self.env._(
                        "Customers are told two weeks ahead: %(event)s on %(date)s "
                        "should have been announced by %(notice)s. Move the event.",
                        event=event.name,
                        date=event.event_date,
                        notice=event.notice_date,
                    )
                )
            self.env["forklift.followup.call"]._create_planned(
                [
                    {
                        "call_type": "event",
                        "partner_id": partner.id,
                        "event_id": event.id,
                        "company_id": event.company_id.id,
                        "user_id": (
                            partner.forklift_followup_user_id
                            or event.user_id
                            or self.env.user
                        ).id,
                        "window_start": today,
                        "window_end": event.notice_date,
                        "topic_events": True,
                    }
                    for partner in event.partner_ids
                ]
            )
            event._write_flow({"state": "notified"})

    def action_send_letters(self):
        """Send the letter to every customer already phoned and not yet
        written to; each letter enters the registry."""
        self._check_step_state(
            ("notified",),
            self.env._(
                "The letters of %s follow the notice calls: notify the customers first."
            ),
        )
        letter_model = self.env["forklift.care.letter"]
        for event in self:
            written = event.letter_ids.partner_id
            phoned = event.call_ids.filtered(lambda c: c.state == "done").partner_id
            partners = phoned - written
            if not partners:
                raise UserError(
                    self.env._(
                        "No customer phoned about %s waits for a letter.", event.name
                    )
                )
            letters = letter_model._create_flow(
                [
                    {
                        "letter_type": "invitation",
                        "partner_id": partner.id,
                        "event_id": event.id,
                        "company_id": event.company_id.id,
                        "subject": event.name,
                        "body": event.description,
                        "send_method": "email" if partner.email else "post",
                    }
                    for partner in partners
                ]
            )
            letters.action_send()
            event.activity_feedback(["mail.mail_activity_data_todo"])

    def action_done(self):
        """Record the event as held (R-116): once its customers were notified
        and its day has come where the company is, as a training is held once
        it has started (R-042); one recorded held weeks ahead would be over
        for the customers still to be phoned about it."""
        self._check_step_state(
            ("notified",),
            self.env._("%s is held once its customers were notified."),
        )
        early = self.filtered(lambda e: e.event_date > e.company_id._forklift_today())
        if early:
            events = ", ".join(
                f"{event.name} ({format_date(self.env, event.event_date)})"
                for event in early
            )
            raise ValidationError(
                self.env._(
                    "The day of %(events)s has not come: an event is recorded as "
                    "held on its day or after.",
                    events=events,
                )
            )
        self._write_flow({"state": "done"})

    def action_cancel(self):
        self._check_step_state(
            ("draft", "notified"),
            self.env._("%s is held or cancelled already: it cannot be cancelled."),
        )
        self.call_ids.filtered(lambda c: c.state == "planned").action_cancel()
        self._write_flow({"state": "cancel"})

    def action_view_calls(self):
        return related_action(
            self,
            "forklift_aftersales.forklift_followup_call_action",
            "event_id",
            default_call_type="event",
        )

    def action_view_letters(self):
        return related_action(
            self, "forklift_aftersales.forklift_care_letter_action", "event_id"
        )

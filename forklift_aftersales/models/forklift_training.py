from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

from ..tools import check_plausible_date
from .forklift_document_fields import (
    company_field,
    current_user,
    customer_link,
    stamp_datetime,
    stamp_user,
    workflow_state,
)

# How far ahead a training is planned, in days: a start beyond a year is a
# typing error, not a training.
TRAINING_PLAN_DAYS = 365


class ForkliftTraining(models.Model):
    """A free technical training for the buyer's engineers, operators and
    maintenance staff after delivery, or a technical lecture on request
    (000 第四篇 §2; 004 §4.7; R-042, R-125)."""

    _name = "forklift.training"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.flow.mixin",
    ]
    _description = "Forklift Technical Training"
    _order = "start_date desc, id desc"
    _check_company_auto = True
    _flow_editable_states = ("planned",)
    _flow_deletable_states = ("planned",)

    state = workflow_state(
        [("planned", "Planned"), ("done", "Held"), ("cancel", "Cancelled")],
        default="planned",
    )
    partner_id = customer_link(
        required=True, index=True, tracking=True, check_company=True
    )
    unit_ids = fields.Many2many("forklift.unit", string="Forklifts", check_company=True)
    company_id = company_field()
    done_date = stamp_datetime("Held On")
    done_by_id = stamp_user("Recorded By")
    on_request = fields.Boolean(
        string="Lecture on Request",
        help="A technical lecture the customer asked for, beyond the training "
        "after delivery.",
    )
    start_date = fields.Datetime(required=True, tracking=True)
    duration = fields.Float(string="Duration (hours)", default=4.0)
    trainer_id = current_user(tracking=True)
    topic_ids = fields.Many2many("forklift.training.topic", string="Topics")
    attendee_ids = fields.One2many(
        "forklift.training.attendee", "training_id", string="Attendees"
    )
    attendee_count = fields.Integer(compute="_compute_attendee_count", store=True)
    notes = fields.Html()

    _duration_positive = models.Constraint(
        "CHECK(duration > 0)", "A training lasts a positive number of hours."
    )

    @api.depends("attendee_ids.attended")
    def _compute_attendee_count(self):
        for training in self:
            training.attendee_count = len(training.attendee_ids.filtered("attended"))

    @api.constrains("unit_ids", "partner_id")
    def _check_units_of_the_customer(self):
        for training in self:
            foreign = training.unit_ids.filtered(
                lambda u, t=training: u.partner_id != t.partner_id
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(units)s do not belong to %(customer)s.",
                        units=", ".join(foreign.mapped("name")),
                        customer=training.partner_id.display_name,
                    )
                )

    @api.constrains("start_date")
    def _check_start_date(self):
        """A training is planned at most a year ahead
        (``TRAINING_PLAN_DAYS``): the customer's training record (R-042)
        shows no training in 2999. It ends ``duration`` hours after it
        starts, a positive number (the SQL constraint)."""
        latest = fields.Datetime.now() + timedelta(days=TRAINING_PLAN_DAYS)
        for training in self:
            check_plausible_date(training, "start_date", latest=latest)

    @api.model
    def _get_flow_fields(self):
        """A training is recorded as held by its button only (R-042)."""
        return {"state", "done_date", "done_by_id"}

    def _get_state_locked_message(self, names):
        """A training held or cancelled is the record of what was given."""
        return self.env._("%s is held or cancelled: it no longer changes.", self.name)

    def _get_flow_kept_message(self):
        return self.env._("A training held or cancelled is kept: it cannot be deleted.")

    def action_done(self):
        """Record the training as held (R-042): once it has started, with
        its topics and at least one attendee."""
        self._check_step_state(("planned",), self.env._("%s is not planned."))
        now = fields.Datetime.now()
        for training in self:
            if training.start_date > now:
                raise ValidationError(
                    self.env._(
                        "%(training)s has not started: it starts on %(start)s, "
                        "and is recorded as held once it has started.",
                        training=training.name,
                        start=format_datetime(self.env, training.start_date),
                    )
                )
            if not training.topic_ids or not training.attendee_count:
                raise UserError(
                    self.env._(
                        "Record the topics and at least one attendee of %s.",
                        training.name,
                    )
                )
        self._write_flow(
            {
                "state": "done",
                "done_date": now,
                "done_by_id": self.env.uid,
            }
        )

    def action_cancel(self):
        self._take_state_step(
            ("planned",),
            self.env._("%s is held or cancelled already: it cannot be cancelled."),
            "cancel",
        )

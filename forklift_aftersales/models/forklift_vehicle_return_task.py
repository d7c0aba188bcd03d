from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..tools import check_plausible_date, parents_of_new
from .forklift_deadline_reminder import Reminder
from .forklift_document_fields import document_company, stamp_datetime, stamped

REWORK_DEPARTMENTS = [
    ("planning", "Production planning"),
    ("manufacturing", "Manufacturing"),
    ("purchasing", "Purchasing"),
]
# the states of a return in which its rework is planned and carried out
REWORK_STATES = ("qa", "inspected", "rework")
DEPARTMENT_GROUPS = {
    "planning": "forklift_aftersales.group_forklift_production_planning",
    "manufacturing": "forklift_aftersales.group_forklift_manufacturing",
    "purchasing": "forklift_aftersales.group_forklift_purchasing",
}


class ForkliftVehicleReturnTask(models.Model):
    """A rework task on a returned forklift (000 §4.4.3, R-240): production
    planning, manufacturing and purchasing rework, repair or handle the unit as
    the sales company or the inspection sheet requires."""

    _name = "forklift.vehicle.return.task"
    _description = "Returned Forklift Rework Task"
    _inherit = [
        "forklift.overdue.mixin",
        "forklift.deadline.reminder",
        "forklift.flow.mixin",
    ]
    _order = "deadline, id"
    _flow_deletable_states = ("todo",)
    _overdue_deadline_field = "deadline"
    _overdue_open_states = ("todo",)

    return_id = fields.Many2one(
        "forklift.vehicle.return",
        string="Vehicle Return",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = document_company("return_id", precompute=True)
    unit_id = fields.Many2one(related="return_id.unit_id", string="Forklift")
    department = fields.Selection(REWORK_DEPARTMENTS, required=True)
    name = fields.Char(string="Task", required=True)
    user_id = fields.Many2one("res.users", string="Assigned To", required=True)
    deadline = fields.Date()
    state = stamped(
        fields.Selection,
        [("todo", "To Do"), ("done", "Done")],
        required=True,
        default="todo",
    )
    result = fields.Text(help="What was reworked, repaired or replaced.")
    done_date = stamp_datetime()

    @api.constrains("user_id", "department")
    def _check_user_department(self):
        for task in self:
            if not task.user_id.has_group(DEPARTMENT_GROUPS[task.department]):
                raise ValidationError(
                    self.env._(
                        "%(user)s does not belong to %(department)s.",
                        user=task.user_id.name,
                        department=dict(
                            self._fields["department"]._description_selection(self.env)
                        )[task.department],
                    )
                )

    @api.constrains("deadline")
    def _check_deadline(self):
        """Within the years a plan reaches: a task due in 2999 would never be
        late (R-240)."""
        now = fields.Datetime.now()
        for task in self:
            check_plausible_date(task, "deadline", planned_from=now)

    @api.model
    def _get_flow_fields(self):
        """A task is reported done through its button only."""
        return {"state", "done_date"}

    @api.model
    def _get_fixed_fields(self):
        """A task stays on the return it was planned for: reporting it done
        moves that return on."""
        return super()._get_fixed_fields() | {"return_id"}

    @api.model
    def _get_report_fields(self):
        """What the assignee writes on his task: what he reworked (R-240)."""
        return {"result"}

    @api.model
    def _get_plan_fields(self):
        """QA's plan of the task (000 §4.4.3): every field a user edits but
        the assignee's report (what to do, by whom, by when)."""
        return self._get_user_fields() - self._get_report_fields()

    def _is_rework_planner(self):
        """QA plans the rework (R-049, R-240); the server's own code too."""
        return (
            self.env.su
            or self._is_flow_write()
            or self.env.user.has_group("forklift_aftersales.group_forklift_qa")
        )

    @api.model_create_multi
    def create(self, vals_list):
        """QA plans the rework between the inspection and the re-inspection
        (000 §4.4.3)."""
        if not self._is_flow_write():
            if not self._is_rework_planner():
                raise AccessError(
                    self.env._("Only QA plans the rework of a returned forklift.")
                )
            self._check_rework_open(parents_of_new(self, vals_list, "return_id"))
        return super().create(vals_list)

    def write(self, vals):
        """A done task is the record of the rework: it no longer changes.
        Before, QA's plan changes by QA only; the assignee (or QA) writes his
        report, which he then reports done (000 §4.4.3)."""
        if not self._is_flow_write():
            if any(t.state == "done" for t in self):
                raise UserError(
                    self.env._("A rework task reported done no longer changes.")
                )
            self._check_rework_planner(vals)
        return super().write(vals)

    def _check_rework_planner(self, vals):
        if self._is_rework_planner():
            return
        planned = self._get_changed_fields(self._get_plan_fields(), vals)
        if planned:
            raise AccessError(
                self.env._(
                    "Only QA plans the rework of a returned forklift: "
                    "%(fields)s cannot be changed.",
                    fields=self._get_field_labels(planned),
                )
            )
        if self._get_report_fields() & set(vals):
            for task in self:
                if task.user_id != self.env.user:
                    raise AccessError(
                        self.env._(
                            "Only %s or QA can report this task done.",
                            task.user_id.name,
                        )
                    )

    def _get_locked_fields(self):
        """Out of the rework of its return, a task no longer changes."""
        locked = super()._get_locked_fields()
        if self.return_id.state not in REWORK_STATES:
            locked |= self._get_user_fields()
        return locked

    def _get_state_locked_message(self, names):
        return self._get_rework_closed_message(self.return_id)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_rework_closed(self):
        if not self._is_rework_planner():
            raise AccessError(
                self.env._("Only QA plans the rework of a returned forklift.")
            )
        self._check_rework_open(self.return_id)

    @api.model
    def _check_rework_open(self, returns):
        """The rework is planned and carried out between QA's inspection and
        the re-inspection (000 §4.4.3): its tasks change then only."""
        for vehicle_return in returns:
            if vehicle_return.state not in REWORK_STATES:
                raise UserError(self._get_rework_closed_message(vehicle_return))

    @api.model
    def _get_rework_closed_message(self, vehicle_return):
        return self.env._(
            "Rework of %s is planned after QA's inspection only.",
            vehicle_return.name,
        )

    def _get_flow_kept_message(self):
        return self.env._("A rework task reported done cannot be deleted.")

    def _schedule_activity(self):
        for task in self:
            task.return_id.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=task.deadline,
                summary=self.env._("Rework: %s", task.name),
                user_id=task.user_id.id,
            )

    def action_done(self):
        """The assignee (or QA) reports the task done."""
        self._check_step_state(("todo",), self.env._("%s is already done."))
        is_qa = self.env.user.has_group("forklift_aftersales.group_forklift_qa")
        for task in self:
            if task.user_id != self.env.user and not is_qa:
                raise AccessError(
                    self.env._(
                        "Only %s or QA can report this task done.", task.user_id.name
                    )
                )
            task.return_id._check_state(
                ("rework",),
                self.env._("%s is not in rework: the task cannot be done yet."),
            )
            if not task.result:
                raise UserError(self.env._("Write what was done for %s.", task.name))
        self._write_flow({"state": "done", "done_date": fields.Datetime.now()})
        for task in self:
            task.return_id.activity_feedback(
                ["mail.mail_activity_data_todo"],
                user_id=task.user_id.id,
                feedback=task.result,
            )
        self.return_id._as_flow()._on_task_done()

    @api.model
    def _get_overdue_reminders(self):
        """A rework task past its deadline: its assignee is reminded on the
        return."""
        return [
            *super()._get_overdue_reminders(),
            Reminder(
                self._get_overdue_domain(),
                lambda task: self.env._("Rework task overdue: %s", task.name),
                target=lambda task: task.return_id,
            ),
        ]

    def _get_overdue_domain(self):
        """Only tasks of a return still in rework are late."""
        return super()._get_overdue_domain() & Domain("return_id.state", "=", "rework")

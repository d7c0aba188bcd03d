from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

from ..tools import HOUR_METER_SQL
from .forklift_document_fields import stamp_user, stamped, unit_link

_lt = LazyTranslate(__name__)

VISIT_TYPES = [
    ("maintenance", "Free maintenance"),
    ("overhaul", "End-of-warranty overhaul"),
]
PLANNED_BY = [("date", "Calendar"), ("hours", "Hour meter")]


class ForkliftMaintenanceVisit(models.Model):
    """A scheduled warranty visit: three free maintenance and inspection
    visits within the warranty and a full overhaul when it ends, the buyer
    supplying oil and filters (000 第四篇 §4; R-043, R-212, R-213).

    The visits are spread evenly over the warranty period and hours (A-22):
    each is due on its date or when the hour meter is expected to reach its
    hours, whichever comes first, so a forklift working more than usual is
    visited earlier.
    """

    _name = "forklift.maintenance.visit"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "forklift.overdue.mixin",
        "forklift.flow.mixin",
        "forklift.unit.company.mixin",
        "forklift.copy.refused.mixin",
    ]
    _copy_refused_message = _lt(
        "A free maintenance visit is planned by the forklift's plan: it is not "
        "duplicated."
    )
    _description = "Forklift Scheduled Maintenance Visit"
    _order = "planned_date, unit_id, sequence"
    _flow_editable_states = ("planned",)
    _flow_deletable_states = ("planned",)
    _overdue_deadline_field = "planned_date"
    _overdue_open_states = ("planned",)
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    unit_id = unit_link(
        required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(
        related="unit_id.partner_id", store=True, check_company=True
    )
    sequence = fields.Integer(required=True, default=1)
    visit_type = fields.Selection(VISIT_TYPES, required=True, default="maintenance")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancel", "Cancelled")],
        required=True,
        default="planned",
        tracking=True,
    )
    threshold_months = fields.Integer(
        string="Due After (months)",
        required=True,
        help="Months after the warranty start.",
    )
    threshold_hours = fields.Float(string="Due At (hours)", required=True)
    planned_date = fields.Date(
        compute="_compute_planned_date", store=True, tracking=True, index=True
    )
    planned_by = fields.Selection(
        PLANNED_BY, compute="_compute_planned_date", store=True
    )
    technician_id = fields.Many2one("res.users", tracking=True, check_company=True)
    done_date = stamped(fields.Date)
    done_by_id = stamp_user()
    hour_meter = fields.Float(string="Hour Meter at Visit")
    reading_id = stamped(
        fields.Many2one,
        "forklift.hour.reading",
        string="Hour Reading",
        check_company=True,
        help="The reading of the hour meter recorded when the visit was made.",
    )
    findings = fields.Html()
    line_ids = fields.One2many(
        "forklift.maintenance.visit.line", "visit_id", string="Parts and Consumables"
    )

    _unit_sequence_uniq = models.Constraint(
        "unique(unit_id, sequence)", "Each planned visit of a forklift is unique."
    )
    _hour_meter_positive = models.Constraint(
        f"CHECK(hour_meter {HOUR_METER_SQL})",
        "An hour meter reads from 0 to 999999 hours.",
    )

    @api.depends("sequence", "visit_type", "unit_id.name")
    def _compute_name(self):
        types = dict(self._fields["visit_type"]._description_selection(self.env))
        for visit in self:
            label = types.get(visit.visit_type, "")
            if visit.visit_type == "maintenance":
                label = f"{label} {visit.sequence}"
            visit.name = f"{visit.unit_id.name} - {label}"

    @api.depends(
        "threshold_months",
        "threshold_hours",
        "visit_type",
        "unit_id.warranty_start_date",
        "unit_id.reading_ids.hours",
        "unit_id.reading_ids.date",
    )
    def _compute_planned_date(self):
        for visit in self:
            start = visit.unit_id.warranty_start_date
            if not start:
                visit.planned_date = visit.planned_by = False
                continue
            by_date = start + relativedelta(months=visit.threshold_months)
            if visit.visit_type == "overhaul":
                # within the warranty: on its last day
                by_date -= relativedelta(days=1)
            by_hours = visit.unit_id._forecast_hours_date(visit.threshold_hours)
            if by_hours and by_hours < by_date:
                visit.planned_date, visit.planned_by = by_hours, "hours"
            else:
                visit.planned_date, visit.planned_by = by_date, "date"

    @api.model
    def _get_flow_fields(self):
        """The visit is reported made by its button only: the day, who, and
        the hour reading it recorded (000 第四篇 §4)."""
        return {"state", "done_date", "done_by_id", "reading_id"}

    @api.model
    def _get_fixed_fields(self):
        """A planned visit of one forklift never moves to another, and its
        place in the free visits of the warranty (which visit, due after how
        many months or hours, A-22) is the plan's, not a user's to move."""
        return super()._get_fixed_fields() | {
            "unit_id",
            "visit_type",
            "threshold_months",
            "threshold_hours",
        }

    @api.model_create_multi
    def create(self, vals_list):
        """The warranty of a forklift plans its free visits and the overhaul
        (``forklift.unit._plan_maintenance_visits``; R-212, R-213, A-22): no
        user adds a free visit by RPC or an import; the service-center
        director, who sets the warranty terms, corrects the plan."""
        if not self._is_flow_write() and not self.env.user.has_group(
            "forklift_aftersales.group_forklift_director"
        ):
            raise AccessError(
                self.env._(
                    "The free maintenance visits and the overhaul of a forklift "
                    "are planned from its warranty: only the service-center "
                    "director adds one."
                )
            )
        return super().create(vals_list)

    def _get_state_locked_message(self, names):
        """A visit made or cancelled is the record of what was done: its
        hour meter, findings and parts no longer change."""
        return self.env._("%s is made or cancelled: it no longer changes.", self.name)

    def _get_flow_kept_message(self):
        return self.env._("A visit made or cancelled is kept: it cannot be deleted.")

    def action_done(self):
        self._check_step_state(("planned",), self.env._("%s is not planned."))
        for visit in self:
            if not visit.hour_meter:
                raise UserError(
                    self.env._("Record the hour meter read during %s.", visit.name)
                )
            # sudo: the visit's own step records the reading of its unit; the
            # reading refuses an hour meter going backwards
            reading = (
                visit._as_flow()
                .env["forklift.hour.reading"]
                .create(
                    {
                        "unit_id": visit.unit_id.id,
                        "hours": visit.hour_meter,
                        "date": fields.Datetime.now(),
                        "source": "maintenance",
                    }
                )
            )
            visit._write_flow(
                {
                    "state": "done",
                    "done_date": visit.company_id._forklift_today(),
                    "done_by_id": self.env.uid,
                    "reading_id": reading.id,
                }
            )
            visit.activity_unlink(["mail.mail_activity_data_todo"])

    def action_cancel(self):
        """Take a visit out of the plan: the warranty owes the customer its
        free visits and the overhaul (R-212, R-213), and only the
        service-center director, who alone adds one (``create``), corrects
        that plan. A visit cancelled by its technician would leave the
        overdue list and the visits owed."""
        if not (
            self.env.su
            or self.env.user.has_group("forklift_aftersales.group_forklift_director")
        ):
            raise AccessError(
                self.env._(
                    "The free maintenance visits and the overhaul are owed to the "
                    "customer under the forklift's warranty: only the "
                    "service-center director cancels one."
                )
            )
        self._take_state_step(
            ("planned",),
            self.env._("%s is made or cancelled already: it cannot be cancelled."),
            "cancel",
            ["mail.mail_activity_data_todo"],
        )

    def _sync_activities(self):
        """One to-do per planned visit for the planner, due on the planned
        date: moved when the hour meter brings the visit forward."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for visit in self.filtered(lambda v: v.state == "planned" and v.planned_date):
            activity = visit.activity_ids.filtered(
                lambda a: a.activity_type_id == todo
            )[:1]
            if activity:
                if activity.date_deadline != visit.planned_date:
                    # sudo: the planner's to-do follows the visit, whoever
                    # moved it (mail.activity keeps it for its assignee)
                    activity.sudo().date_deadline = visit.planned_date
                continue
            user = visit.technician_id or visit.company_id._get_forklift_planner()
            visit.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=visit.planned_date,
                summary=self.env._("Plan %s", visit.name),
                user_id=user.id,
            )

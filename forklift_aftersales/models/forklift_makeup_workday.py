from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class ForkliftMakeupWorkday(models.Model):
    """A weekend day worked to make up for a public holiday (调休): the
    State Council's notices move working days onto Saturdays and Sundays
    around the Spring Festival and National Day. The working-day deadlines of
    the company count it as a working day (R-288)."""

    _name = "forklift.makeup.workday"
    _description = "Make-up Working Day"
    _inherit = [
        "forklift.cached.mixin",
        "forklift.shared.setup.mixin",
        "forklift.copy.refused.mixin",
    ]
    _copy_refused_message = _lt(
        "A day is made a working day once per working schedule: it is not "
        "duplicated. Add the other make-up day instead."
    )
    _order = "date desc"
    _check_company_auto = True

    name = fields.Char(string="Reason", required=True)
    date = fields.Date(required=True)
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Schedule",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
    )
    company_id = fields.Many2one(related="calendar_id.company_id", store=True)

    _date_calendar_unique = models.Constraint(
        "UNIQUE(calendar_id, date)",
        "A day is made a working day once per working schedule.",
    )

    # the working-day deadlines cache the make-up days
    # (resource.calendar._forklift_get_days_off_and_makeup)

    @api.model
    def _get_dates(self, calendar, date_from, date_to):
        """The make-up working days of ``calendar`` between the two dates."""
        days = self.sudo().search(
            [
                ("calendar_id", "=", calendar.id),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ]
        )
        return set(days.mapped("date"))

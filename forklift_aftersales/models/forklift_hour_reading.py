from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import groupby


class ForkliftHourReading(models.Model):
    """One hour-meter reading of a forklift. The meter only goes forward: a
    reading lower than an earlier one (or higher than a later one) is refused."""

    _name = "forklift.hour.reading"
    _description = "Forklift Hour-Meter Reading"
    _order = "date desc, id desc"
    _rec_name = "hours"

    unit_id = fields.Many2one(
        "forklift.unit", required=True, ondelete="cascade", index=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    hours = fields.Float(required=True)
    source = fields.Selection(
        [
            ("manual", "Manual entry"),
            ("case", "Feedback sheet"),
            ("service", "Service order"),
            ("commissioning", "Commissioning"),
            ("maintenance", "Scheduled maintenance"),
        ],
        required=True,
        default="manual",
    )
    case_id = fields.Many2one(
        "forklift.case", string="Feedback Sheet", ondelete="set null"
    )
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)

    _hours_positive = models.Constraint(
        "CHECK(hours >= 0)", "An hour-meter reading cannot be negative."
    )

    @api.model_create_multi
    def create(self, vals_list):
        readings = super().create(vals_list)
        # a forklift working ahead of the average brings its visits forward
        readings.unit_id.maintenance_visit_ids._sync_activities()
        return readings

    def write(self, vals):
        res = super().write(vals)
        if {"hours", "date"} & set(vals):
            self.unit_id.maintenance_visit_ids._sync_activities()
        return res

    @api.constrains("unit_id", "date", "hours")
    def _check_meter_goes_forward(self):
        readings = self.search([("unit_id", "in", self.unit_id.ids)], order="date, id")
        for unit, unit_readings in groupby(readings, key=lambda r: r.unit_id):
            previous = None
            for reading in unit_readings:
                if previous and reading.hours < previous.hours:
                    raise ValidationError(
                        self.env._(
                            "The hour meter of %(unit)s cannot go backwards: %(new)s h "
                            "on %(new_date)s is below %(old)s h read on %(old_date)s.",
                            unit=unit.name,
                            new=reading.hours,
                            new_date=reading.date,
                            old=previous.hours,
                            old_date=previous.date,
                        )
                    )
                previous = reading

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import groupby


class ForkliftHourReading(models.Model):
    """One hour-meter reading of a forklift. The meter only goes forward: a
    reading lower than an earlier one (or higher than a later one) is refused.
    Once recorded, a reading is corrected or deleted by the service-center
    director only: the latest reading decides the warranty by hours (R-127,
    R-211)."""

    _name = "forklift.hour.reading"
    _inherit = ["forklift.flow.mixin"]
    _description = "Forklift Hour-Meter Reading"
    _order = "date desc, id desc"
    _rec_name = "hours"

    unit_id = fields.Many2one(
        "forklift.unit", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="unit_id.company_id", store=True, index=True, precompute=True
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
            ("ledger", "Ledger import"),
        ],
        required=True,
        default="manual",
    )
    case_id = fields.Many2one(
        "forklift.case", string="Feedback Sheet", ondelete="set null"
    )
    service_order_id = fields.Many2one(
        "forklift.service.order",
        ondelete="set null",
        readonly=True,
        index="btree_not_null",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        readonly=True,
    )

    _hours_positive = models.Constraint(
        "CHECK(hours >= 0)", "An hour-meter reading cannot be negative."
    )

    @api.model
    def _get_flow_fields(self):
        """Who recorded the reading, and the service order it was read on."""
        return super()._get_flow_fields() | {"user_id", "service_order_id"}

    @api.model_create_multi
    def create(self, vals_list):
        readings = super().create(vals_list)
        # a forklift working ahead of the average brings its visits forward
        readings.unit_id.maintenance_visit_ids._sync_activities()
        return readings

    def write(self, vals):
        self._check_can_correct()
        res = super().write(vals)
        if {"hours", "date"} & set(vals):
            self.unit_id.maintenance_visit_ids._sync_activities()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_director(self):
        self._check_can_correct()

    def _check_can_correct(self):
        """A recorded reading is changed only by the director, or by the
        document that recorded it as its own step."""
        if self._is_flow_write() or self.env.user.has_group(
            "forklift_aftersales.group_forklift_director"
        ):
            return
        raise AccessError(
            self.env._(
                "Only the service-center director corrects or deletes a recorded "
                "hour-meter reading."
            )
        )

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

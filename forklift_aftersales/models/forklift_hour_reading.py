from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, groupby

from ..tools import HOUR_METER_SQL
from .forklift_document_fields import (
    current_user,
    document_company,
    sheet_link,
    stamped,
)


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
    company_id = document_company("unit_id", precompute=True)
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
    feedback_id = sheet_link(ondelete="set null")
    service_order_id = fields.Many2one(
        "forklift.service.order",
        ondelete="set null",
        readonly=True,
        index="btree_not_null",
    )
    user_id = current_user(string="Recorded By", readonly=True)
    previous_hours = stamped(
        fields.Float,
        help="Technical: the hours of the forklift's reading before this one (by "
        "date), 0 for its first; what the meter moved is the difference. Kept "
        "up to date by every change of the forklift's readings, so that the "
        "hours run of the failure rates read no reading twice.",
    )

    _hours_positive = models.Constraint(
        f"CHECK(hours {HOUR_METER_SQL})",
        "An hour meter reads from 0 to 999999 hours.",
    )

    @api.model
    def _get_flow_fields(self):
        """Who recorded the reading, and the service order it was read on."""
        return super()._get_flow_fields() | {
            "user_id",
            "service_order_id",
            "previous_hours",
        }

    def init(self):
        res = super().init()
        # readings recorded before the field existed (or loaded in bulk)
        self.env.cr.execute(
            "SELECT 1 FROM forklift_hour_reading WHERE previous_hours IS NULL LIMIT 1"
        )
        if self.env.cr.rowcount:
            self._update_previous_hours()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        # first: a forklift or a sheet named by a string or a float would be
        # stored while the checks below read none
        self._check_sent_values(vals_list)
        for vals in vals_list:
            self._check_feedback_readable(vals)
        readings = super().create(vals_list)
        self._update_previous_hours(readings.unit_id.ids)
        # a forklift working ahead of the average brings its visits forward;
        # sudo: the plan follows the hour meter whoever records it (the
        # export division records readings but reads no visits)
        readings.unit_id.sudo().maintenance_visit_ids._sync_activities()
        return readings

    def write(self, vals):
        self._check_can_correct()
        # first, as in create: the checks below read checked values
        self._check_sent_values([vals])
        self._check_feedback_readable(vals)
        units = self.unit_id
        res = super().write(vals)
        if {"hours", "date", "unit_id"} & set(vals):
            self._update_previous_hours((units | self.unit_id).ids)
        if {"hours", "date"} & set(vals):
            self.unit_id.maintenance_visit_ids._sync_activities()
        return res

    def unlink(self):
        units = self.unit_id
        res = super().unlink()
        self._update_previous_hours(units.exists().ids)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_director(self):
        self._check_can_correct()

    @api.model
    def _update_previous_hours(self, unit_ids=None):
        """Set ``previous_hours`` of the readings of the forklifts ``unit_ids``
        (default: of every forklift) from their readings in order of date.
        For code that inserts readings with SQL, as the tests' bulk loads."""
        if unit_ids is not None and not unit_ids:
            return
        self.flush_model(["unit_id", "date", "hours"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE forklift_hour_reading r
                   SET previous_hours = ordered.previous_hours
                  FROM (SELECT id, LAG(hours, 1, 0::float) OVER (
                                   PARTITION BY unit_id ORDER BY date, id)
                                   AS previous_hours
                          FROM forklift_hour_reading
                         WHERE %(units)s) ordered
                 WHERE ordered.id = r.id
                   AND r.previous_hours IS DISTINCT FROM ordered.previous_hours
                """,
                units=SQL("TRUE")
                if unit_ids is None
                else SQL("unit_id = ANY(%s)", list(unit_ids)),
            )
        )
        self.invalidate_model(["previous_hours"])

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

    @api.model
    def _get_named_feedback(self, vals):
        """The feedback sheet the values ``vals`` of a reading name, as the
        ORM reads the value (an id or a record: ``_check_sent_values`` refused
        any other)."""
        value = vals.get("feedback_id")
        field = self._fields["feedback_id"]
        return field.convert_to_record(
            field.convert_to_cache(value, self, validate=False), self
        )

    def _check_feedback_readable(self, vals):
        """A user names on a reading only a feedback sheet he may read: whoever
        reads the reading is shown the name of its sheet (its number and
        fault, read with sudo as any many2one's name), and the export
        division reads no domestic sheet (R-047). The check of a form's
        onchange (``_check_named_records_readable``), for every caller of
        ``create``, ``write`` and ``load``; a reading keeps the sheet it names
        already, and the documents' own steps name their own sheet."""
        if "feedback_id" not in vals or self._is_flow_write():
            return
        sheet = self._get_named_feedback(vals)
        # sudo: the sheet each reading names already, whoever writes
        if not sheet or (
            self and all(reading.feedback_id == sheet for reading in self.sudo())
        ):
            return
        if not sheet.has_access("read"):
            raise AccessError(
                self.env._(
                    "An hour-meter reading names only a feedback sheet you may "
                    "read: choose one of the sheets of its forklift that you see."
                )
            )

    @api.constrains("unit_id", "feedback_id")
    def _check_feedback_of_unit(self):
        """A reading taken for a feedback sheet is a reading of the sheet's
        forklift: the latest reading of a forklift decides its warranty by
        hours (R-127, R-211), and a sheet stands for the hour meter of its
        own forklift."""
        for reading in self:
            # sudo: the sheet's forklift, whoever may read the sheet; the
            # message names the reading's forklift only
            sheet = reading.sudo().feedback_id
            if sheet and sheet.unit_id != reading.unit_id:
                raise ValidationError(
                    self.env._(
                        "A reading of the hour meter of %(unit)s is taken for a "
                        "feedback sheet of that forklift only: the sheet named is "
                        "of another forklift.",
                        unit=reading.unit_id.name,
                    )
                )

    @api.constrains("date")
    def _check_not_dated_ahead(self):
        """A reading is of a moment past: the latest one decides the warranty
        by hours (R-127, R-211), and one dated ahead would refuse every true
        reading above it until that day."""
        now = fields.Datetime.now()
        for reading in self:
            if reading.date > now:
                raise ValidationError(
                    self.env._(
                        "A reading of the hour meter of %(unit)s cannot be dated "
                        "ahead (%(date)s): record the hours read, when they were "
                        "read.",
                        unit=reading.unit_id.name,
                        date=reading.date,
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

from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestForkliftUnit(ForkliftCommon):
    """Warranty of a forklift: 12 months from acceptance or 1500 working hours,
    whichever comes first (000 第四篇 §4, R-211)."""

    def _read(self, unit, when, hours):
        return self.env["forklift.hour.reading"].create(
            {"unit_id": unit.id, "date": when, "hours": hours}
        )

    def test_unit_is_a_serial_number_of_the_forklift(self):
        lot = self.unit.lot_id
        self.assertEqual(lot.name, "SN-A-0001")
        self.assertEqual(lot.product_id, self.forklift_product)
        self.assertEqual(self.unit.warranty_end_date, date(2027, 1, 9))

    def test_warranty_ends_by_date_when_hours_stay_low(self):
        self._read(self.unit, datetime(2026, 12, 20), 900)
        with freeze_time("2027-01-09"):
            self.unit.invalidate_recordset(["warranty_state"])
            self.assertEqual(self.unit.warranty_state, "in")
        with freeze_time("2027-01-10"):
            self.unit.invalidate_recordset(["warranty_state", "warranty_end_reason"])
            self.assertEqual(self.unit.warranty_state, "out")
            self.assertEqual(self.unit.warranty_end_reason, "date")

    def test_warranty_ends_by_hours_before_the_year(self):
        self._read(self.unit, datetime(2026, 5, 1), 1499)
        with freeze_time("2026-05-15"):
            self.unit.invalidate_recordset(["warranty_state"])
            self.assertEqual(self.unit.warranty_state, "in")
        self._read(self.unit, datetime(2026, 6, 1), 1500)
        with freeze_time("2026-06-02"):
            self.unit.invalidate_recordset(["warranty_state", "warranty_end_reason"])
            self.assertEqual(self.unit.warranty_state, "out")
            self.assertEqual(self.unit.warranty_end_reason, "hours")
            self.assertIn(
                self.unit,
                self.env["forklift.unit"].search([("warranty_state", "=", "out")]),
            )
            self.assertNotIn(
                self.unit,
                self.env["forklift.unit"].search([("warranty_state", "=", "in")]),
            )

    def test_both_limits_passed_names_the_first_one(self):
        """Hours reached after the year ran out: the period ended it."""
        self._read(self.unit, datetime(2027, 3, 1), 1600)
        with freeze_time("2027-04-01"):
            self.unit.invalidate_recordset(["warranty_state", "warranty_end_reason"])
            self.assertEqual(self.unit.warranty_state, "out")
            self.assertEqual(self.unit.warranty_end_reason, "date")

    def test_limits_are_configured_per_product(self):
        long_product = self.env["product.product"].create(
            {
                "name": "CPD25 Electric",
                "is_forklift": True,
                "is_storable": True,
                "tracking": "serial",
                "forklift_warranty_months": 24,
                "forklift_warranty_hours": 2000,
            }
        )
        unit = self._create_unit(
            "SN-E-1", acceptance=date(2026, 1, 10), product=long_product
        )
        self.assertEqual(unit.warranty_end_date, date(2028, 1, 9))
        self._read(unit, datetime(2026, 8, 1), 1800)
        with freeze_time("2027-06-01"):
            unit.invalidate_recordset(["warranty_state"])
            self.assertEqual(unit.warranty_state, "in")

    def test_delivery_date_starts_an_estimated_warranty(self):
        unit = self._create_unit("SN-D-1", delivery=date(2026, 2, 1))
        unit.acceptance_date = False
        self.assertEqual(unit.warranty_start_date, date(2026, 2, 1))
        self.assertTrue(unit.warranty_start_estimated)

    def test_hour_meter_going_backwards_is_refused(self):
        self._read(self.unit, datetime(2026, 4, 1), 900)
        with (
            self.assertRaisesRegex(ValidationError, "cannot go backwards"),
            self.cr.savepoint(),
        ):
            self._read(self.unit, datetime(2026, 5, 1), 850)
        # a reading slipped in before a higher one must not exceed it either
        with (
            self.assertRaisesRegex(ValidationError, "cannot go backwards"),
            self.cr.savepoint(),
        ):
            self._read(self.unit, datetime(2026, 3, 1), 950)
        self.assertEqual(self.unit.reading_ids.mapped("hours"), [900.0])
        self.assertEqual(self.unit.current_hours, 900)

    def test_negative_hour_meter_is_refused(self):
        with (
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            self._read(self.unit, datetime(2026, 4, 1), -5)
        self.assertFalse(self.unit.reading_ids)

    def test_acceptance_before_delivery_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "accepted before it was delivered"
        ):
            self._create_unit(
                "SN-X-1", acceptance=date(2026, 1, 1), delivery=date(2026, 2, 1)
            )

    def test_only_serial_tracked_forklifts_become_units(self):
        with self.assertRaisesRegex(ValidationError, "not a serial-tracked forklift"):
            self._create_unit("SN-P-1", product=self.part)

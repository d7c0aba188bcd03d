from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestLifecycleAttacks(ForkliftCommon):
    """The forklift's lifecycle records (hour meter, commissioning, free
    visits) as a low-privilege caller would try to bend them over RPC or an
    import: each try is refused and changes nothing (R-127, R-041, R-211,
    R-212, R-213)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Reading = cls.env["forklift.hour.reading"]
        cls.Reading.create(
            {"unit_id": cls.unit.id, "hours": 500, "date": datetime(2026, 4, 1, 8)}
        )

    @freeze_time("2026-05-01 10:00")
    def test_meter_does_not_go_backwards_by_any_route(self):
        """R-127: a reading lower than an earlier one, or higher than a
        later one, is refused whether created, imported or moved; a
        technician neither re-dates, corrects nor deletes a reading."""
        readings = self.Reading.with_user(self.technician)
        reading = self.unit.reading_ids
        with self.assertRaises(ValidationError), self.cr.savepoint():
            readings.create(
                {"unit_id": self.unit.id, "hours": 400, "date": datetime(2026, 4, 20)}
            )
        with self.assertRaises(ValidationError), self.cr.savepoint():
            readings.create(
                {"unit_id": self.unit.id, "hours": 600, "date": datetime(2026, 3, 1)}
            )
        result = readings.load(
            ["unit_id/.id", "hours", "date"],
            [[str(self.unit.id), "100", "2026-04-30 08:00:00"]],
        )
        self.assertFalse(result["ids"])
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.unit.with_user(self.technician).write(
                {"import_hours": 300, "import_hours_date": date(2026, 4, 30)}
            )
        for vals in ({"date": datetime(2026, 2, 1)}, {"hours": 1}):
            with self.assertRaises(AccessError), self.cr.savepoint():
                reading.with_user(self.technician).write(vals)
        with self.assertRaises(AccessError), self.cr.savepoint():
            reading.with_user(self.technician).unlink()
        self.env.invalidate_all()
        self.assertEqual(self.unit.reading_ids, reading)
        self.assertEqual(self.unit.current_hours, 500)

    def test_forklift_with_readings_not_deleted_with_its_serial_record(self):
        """R-127, R-023 (000 第四篇 §4): a forklift with hour readings is
        kept. Deleting its serial record deletes the forklift with it (a
        cascade in the database): the director, who also manages the stock,
        is refused there as on the forklift, and its readings stay."""
        manager = self._group_user(
            "lc_director_stock", "group_forklift_director,stock.group_stock_manager"
        )
        readings = self.unit.reading_ids
        self.assertTrue(readings)
        for target in (self.unit, self.unit.lot_id):
            with (
                self.subTest(model=target._name),
                mute_logger("odoo.sql_db"),
                self.assertRaises(UserError),
                self.cr.savepoint(),
            ):
                target.with_user(manager).unlink()
        self.env.invalidate_all()
        self.assertTrue(self.unit.exists())
        self.assertEqual(self.unit.reading_ids, readings)
        # a forklift with no history still goes with its serial record
        unit = self._create_unit("SN-LC-FREE", date(2026, 1, 10))
        lot = unit.lot_id
        lot.with_user(manager).unlink()
        self.assertFalse(unit.exists())

    def test_no_free_visit_added_or_planned_by_hand(self):
        """R-212, R-213 (A-22): the forklift's warranty plans its three free
        visits and the overhaul; a technician adds no further free visit,
        nor creates one already made."""
        visits = self.env["forklift.maintenance.visit"].with_user(self.technician)
        before = self.unit.maintenance_visit_ids
        for vals in (
            {"visit_type": "maintenance", "sequence": 9},
            {"visit_type": "overhaul", "sequence": 10},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaises(AccessError),
                self.cr.savepoint(),
            ):
                visits.create(
                    {
                        "unit_id": self.unit.id,
                        "threshold_months": 1,
                        "threshold_hours": 10,
                        **vals,
                    }
                )
        with self.assertRaises(UserError), self.cr.savepoint():
            visits.create(
                {
                    "unit_id": self.unit.id,
                    "sequence": 11,
                    "threshold_months": 1,
                    "threshold_hours": 10,
                    "state": "done",
                }
            )
        self.env.invalidate_all()
        self.assertEqual(self.unit.maintenance_visit_ids, before)

    @freeze_time("2026-03-04")
    def test_commissioning_not_accepted_twice_nor_created_accepted(self):
        """R-041, R-211: an acceptance starts the warranty once; a
        commissioning is not created accepted, nor another one for a
        forklift accepted already, nor accepted a second time."""
        unit = self.env["forklift.unit"].create(
            {
                "name": "SN-LC-ACC",
                "product_id": self.forklift_product.id,
                "partner_id": self.customer.id,
                "delivery_date": date(2026, 3, 2),
            }
        )
        commissionings = self.env["forklift.commissioning"].with_user(self.technician)
        with self.assertRaises(UserError), self.cr.savepoint():
            commissionings.create(
                {
                    "unit_id": unit.id,
                    "planned_date": date(2026, 3, 2),
                    "state": "done",
                    "acceptance_date": date(2026, 3, 2),
                }
            )
        second = commissionings.create(
            {"unit_id": unit.id, "planned_date": date(2026, 3, 2)}
        )
        first = unit.commissioning_ids - second
        for commissioning in (first, second):
            self._check_and_sign(commissioning.with_user(self.technician))
        first.with_user(self.technician).action_accept()
        self.assertEqual(unit.acceptance_date, date(2026, 3, 4))
        for commissioning in (first, second):
            with self.assertRaises(UserError), self.cr.savepoint():
                commissioning.with_user(self.technician).action_accept()
        with self.assertRaises(UserError), self.cr.savepoint():
            commissionings.create({"unit_id": unit.id})
        with self.assertRaises(AccessError), self.cr.savepoint():
            unit.with_user(self.technician).write({"acceptance_date": date(2026, 3, 1)})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            unit.with_user(self.director).write({"acceptance_date": date(2026, 3, 1)})
        self.env.invalidate_all()
        self.assertEqual(unit.acceptance_date, date(2026, 3, 4))
        self.assertEqual(second.state, "planned")

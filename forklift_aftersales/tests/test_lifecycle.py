from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SIGNATURE, ForkliftCommon


@tagged("post_install", "-at_install")
class TestCommissioning(ForkliftCommon):
    """Delivery commissioning and the acceptance that starts the warranty
    (000 第四篇 §1, §4; 004 §4.3)."""

    def _delivered_unit(self, serial="SN-NEW-0001", delivery=date(2026, 3, 2)):
        unit = self._create_unit(serial, delivery=delivery)
        unit.acceptance_date = False
        return unit

    def _new_unit(self, serial, **vals):
        """A forklift delivered on 2 March 2026 and not yet accepted."""
        return self.env["forklift.unit"].create(
            {
                "name": serial,
                "product_id": self.forklift_product.id,
                "delivery_date": date(2026, 3, 2),
                **vals,
            }
        )

    def test_delivery_plans_the_commissioning_at_once(self):
        """R-177, R-124 (000 第四篇 §1): a forklift delivered and not yet accepted
        gets its commissioning due the day of delivery; one accepted on
        delivery needs none."""
        unit = self._create_unit(
            "SN-NEW-0002", delivery=date(2026, 3, 2), acceptance=date(2026, 3, 2)
        )
        # accepted on delivery: nothing left to commission
        self.assertFalse(unit.commissioning_ids)
        unit = self._new_unit("SN-NEW-0003", partner_id=self.customer.id)
        commissioning = unit.commissioning_ids
        self.assertEqual(len(commissioning), 1)
        self.assertEqual(commissioning.planned_date, date(2026, 3, 2))
        self.assertEqual(commissioning.activity_ids.date_deadline, date(2026, 3, 2))
        self.assertTrue(unit.warranty_start_estimated)
        self.assertFalse(
            unit.maintenance_visit_ids.filtered(lambda v: v.state == "done")
        )

    @freeze_time("2026-03-04")
    def test_signed_acceptance_starts_the_warranty(self):
        unit = self._new_unit("SN-NEW-0004", partner_id=self.customer.id)
        commissioning = unit.commissioning_ids.with_user(self.technician)
        with self.assertRaisesRegex(UserError, "quality and the performance"):
            commissioning.action_accept()
        commissioning.write({"quality_ok": True, "performance_ok": True})
        with self.assertRaisesRegex(UserError, "must sign"):
            commissioning.action_accept()
        commissioning.write(
            {
                "signature": SIGNATURE,
                "signed_by": "Li Ming",
                "hour_meter": 2.5,
            }
        )
        commissioning.action_accept()
        self.assertEqual(commissioning.state, "done")
        self.assertEqual(unit.acceptance_date, date(2026, 3, 4))
        self.assertEqual(unit.warranty_start_date, date(2026, 3, 4))
        self.assertFalse(unit.warranty_start_estimated)
        self.assertEqual(unit.warranty_end_date, date(2027, 3, 3))
        self.assertEqual(unit.current_hours, 2.5)
        self.assertEqual(unit.reading_ids.source, "commissioning")
        self.assertEqual(len(unit.maintenance_visit_ids), 4)
        self.assertFalse(commissioning.activity_ids)

    @freeze_time("2026-03-05")
    def test_acceptance_cannot_be_dated_ahead_or_before_delivery(self):
        """R-041: the acceptance is dated the day it is recorded, never typed;
        a unit is not accepted before its delivery."""
        unit = self._new_unit("SN-NEW-0005")
        commissioning = unit.commissioning_ids
        self._check_and_sign(commissioning)
        for day in (date(2026, 3, 9), date(2026, 3, 1)):
            with self.assertRaises(AccessError):
                commissioning.with_user(self.technician).write({"acceptance_date": day})
        self.assertFalse(commissioning.acceptance_date)
        with freeze_time("2026-03-01"), self.assertRaises(ValidationError):
            commissioning.action_accept()
        self.assertFalse(unit.acceptance_date)
        with self.assertRaises(ValidationError):
            commissioning.planned_date = date(2026, 2, 20)

    def test_viewer_cannot_record_an_acceptance(self):
        viewer = self._group_user("fa_viewer_cm", "group_forklift_viewer")
        unit = self._new_unit("SN-NEW-0006")
        with self.assertRaises(AccessError):
            unit.commissioning_ids.with_user(viewer).write({"quality_ok": True})

    def test_supervised_installation_gets_a_visit(self):
        """R-128 (004 §4.3): when the contract asks for installation
        supervision, the technician gets the supervision visit besides the
        commissioning."""
        unit = self._new_unit("SN-NEW-0007")
        commissioning = unit.commissioning_ids
        commissioning.write(
            {
                "supervision_required": True,
                "supervision_date": datetime(2026, 3, 3, 9, 0),
                "technician_id": self.technician.id,
            }
        )
        self.assertEqual(
            sorted(commissioning.activity_ids.mapped("date_deadline")),
            [date(2026, 3, 2), date(2026, 3, 3)],
        )
        self.assertEqual(commissioning.activity_ids.user_id, self.technician)


@tagged("post_install", "-at_install")
class TestMaintenanceSchedule(ForkliftCommon):
    """Three free maintenance visits and the overhaul at the warranty's end,
    by date or hour meter, whichever first (000 第四篇 §4, A-22)."""

    def _visits(self, unit):
        return unit.maintenance_visit_ids.sorted("sequence")

    def test_visits_spread_over_the_warranty(self):
        unit = self._create_unit("SN-MT-0001", acceptance=date(2026, 1, 10))
        visits = self._visits(unit)
        self.assertEqual(
            visits.mapped("visit_type"),
            ["maintenance", "maintenance", "maintenance", "overhaul"],
        )
        self.assertEqual(visits.mapped("threshold_hours"), [375, 750, 1125, 1500])
        self.assertEqual(
            visits.mapped("planned_date"),
            [
                date(2026, 4, 10),
                date(2026, 7, 10),
                date(2026, 10, 10),
                date(2027, 1, 9),
            ],
        )
        self.assertEqual(visits[-1].planned_date, unit.warranty_end_date)
        self.assertEqual(set(visits.mapped("planned_by")), {"date"})
        self.assertEqual(
            visits.activity_ids.mapped("date_deadline"), visits.mapped("planned_date")
        )

    def test_forklift_registered_after_its_warranty_plans_no_visit(self):
        """R-212, R-213: a forklift from an old ledger, whose warranty ended
        before it was registered, has no free visit left: none is planned
        and the planner gets no overdue to-do."""
        unit = self._create_unit("SN-MT-OLD1", acceptance=date(2023, 3, 1))
        self.assertEqual(unit.warranty_state, "out")
        self.assertFalse(unit.maintenance_visit_ids)
        self.assertFalse(
            self.env["mail.activity"]
            .search([("res_model", "=", "forklift.maintenance.visit")])
            .filtered(lambda a: "SN-MT-OLD1" in (a.summary or ""))
        )

    def test_hour_meter_running_ahead_brings_visits_forward(self):
        unit = self._create_unit("SN-MT-0002", acceptance=date(2026, 1, 10))
        visits = self._visits(unit)
        # 600 h in 59 days: about 10.17 h a day
        self.env["forklift.hour.reading"].create(
            {"unit_id": unit.id, "hours": 600, "date": datetime(2026, 3, 10, 12, 0)}
        )
        self.assertEqual(
            visits.mapped("planned_date"),
            [date(2026, 3, 10), date(2026, 3, 25), date(2026, 5, 1), date(2026, 6, 7)],
        )
        self.assertEqual(set(visits.mapped("planned_by")), {"hours"})
        self.assertEqual(
            visits.activity_ids.mapped("date_deadline"),
            visits.mapped("planned_date"),
            "the planner's to-dos follow the new dates",
        )
        self.assertEqual(unit.next_visit_date, date(2026, 3, 10))

    def test_slow_use_keeps_the_calendar(self):
        unit = self._create_unit("SN-MT-0003", acceptance=date(2026, 1, 10))
        self.env["forklift.hour.reading"].create(
            {"unit_id": unit.id, "hours": 50, "date": datetime(2026, 3, 10, 12, 0)}
        )
        visits = self._visits(unit)
        self.assertEqual(visits[0].planned_date, date(2026, 4, 10))
        self.assertEqual(visits[0].planned_by, "date")

    def test_visit_records_findings_and_hours(self):
        unit = self._create_unit("SN-MT-0004", acceptance=date(2026, 1, 10))
        self.env["forklift.hour.reading"].create(
            {"unit_id": unit.id, "hours": 400, "date": datetime(2026, 4, 1, 8, 0)}
        )
        visit = self._visits(unit)[0].with_user(self.technician)
        with self.assertRaisesRegex(UserError, "hour meter"):
            visit.action_done()
        visit.hour_meter = 380
        with (
            self.assertRaisesRegex(ValidationError, "cannot go backwards"),
            self.env.cr.savepoint(),
        ):
            visit.action_done()
        self.assertEqual(visit.state, "planned")
        visit.write(
            {
                "hour_meter": 420,
                "findings": "<p>Chain tension adjusted.</p>",
                "line_ids": [
                    (0, 0, {"product_id": self.part.id, "quantity": 1}),
                ],
            }
        )
        visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(unit.current_hours, 420)
        self.assertFalse(visit.activity_ids)

    def test_overdue_visits_are_listed(self):
        unit = self._create_unit("SN-MT-0005", acceptance=date(2026, 1, 10))
        with freeze_time("2026-04-11"):
            overdue = self.env["forklift.maintenance.visit"].search(
                [("is_overdue", "=", True), ("unit_id", "=", unit.id)]
            )
            self.assertEqual(overdue, self._visits(unit)[0])
        with freeze_time("2026-04-09"):
            self.assertFalse(
                self.env["forklift.maintenance.visit"].search(
                    [("is_overdue", "=", True), ("unit_id", "=", unit.id)]
                )
            )

    def test_only_the_director_takes_a_free_visit_out_of_the_plan(self):
        """R-212, R-213 (000 第四篇 §4, A-22): the warranty owes the customer
        its free visits and the overhaul, and only the service-center
        director corrects that plan (he alone adds a visit). A technician
        does not cancel one, on time or overdue, by the button or RPC: it
        would leave the overdue list and the free visits the warranty owes;
        refused, it stays planned and overdue. The director cancels it."""
        unit = self._create_unit("SN-MT-0006", acceptance=date(2026, 1, 10))
        first, second = self._visits(unit)[:2]
        Visit = self.env["forklift.maintenance.visit"]
        with freeze_time("2026-04-11"):
            self.assertIn(first, Visit.search([("is_overdue", "=", True)]))
            self._assert_attacks_refused(
                {
                    f"cancel {visit.name}": visit.with_user(
                        self.technician
                    ).action_cancel
                    for visit in (first, second)
                },
                message="director",
            )
            self.assertEqual((first | second).mapped("state"), ["planned"] * 2)
            self.assertIn(first, Visit.search([("is_overdue", "=", True)]))
            second.with_user(self.director).action_cancel()
        self.assertEqual(second.state, "cancel")


@tagged("post_install", "-at_install")
class TestTraining(ForkliftCommon):
    """Free technical training recorded per customer (004 §4.7)."""

    def _training(self, **vals):
        return self.env["forklift.training"].create(
            self._training_vals(
                topic_ids=[
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "forklift_aftersales.training_topic_operation"
                            ).id,
                            self.env.ref(
                                "forklift_aftersales.training_topic_daily_maintenance"
                            ).id,
                        ],
                    )
                ],
                **vals,
            )
        )

    def test_trainings_are_listed_on_the_customer(self):
        training = self._training(
            unit_ids=[(6, 0, self.unit.ids)],
            attendee_ids=[
                (0, 0, {"name": "Chen Gang", "role": "operator"}),
                (0, 0, {"name": "Zhou Li", "role": "maintenance"}),
                (0, 0, {"name": "Absent", "role": "engineer", "attended": False}),
            ],
        )
        training.action_done()
        self.assertEqual(training.attendee_count, 2)
        self.assertEqual(self.customer.forklift_training_count, 1)
        action = self.customer.action_view_forklift_trainings()
        self.assertEqual(
            self.env["forklift.training"].search(action["domain"]), training
        )
        self.assertEqual(self.customer_b.forklift_training_count, 0)

    def test_training_needs_attendees_and_own_units(self):
        training = self._training()
        with self.assertRaisesRegex(UserError, "attendee"):
            training.action_done()
        with self.assertRaises(ValidationError):
            training.unit_ids = self.unit_b
        with (
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            self._training(duration=-1)


@tagged("post_install", "-at_install")
class TestLifecycleAccess(ForkliftCommon):
    """Who may record trainings and scheduled visits."""

    def test_viewer_reads_but_cannot_record(self):
        viewer = self._group_user("fa_viewer_lc", "group_forklift_viewer")
        unit = self._create_unit("SN-ACC-0001", acceptance=date(2026, 1, 10))
        visit = unit.maintenance_visit_ids[:1]
        self.assertEqual(visit.with_user(viewer).planned_date, date(2026, 4, 10))
        with self.assertRaises(AccessError):
            visit.with_user(viewer).write({"hour_meter": 100})
        with self.assertRaises(AccessError):
            self.env["forklift.training"].with_user(viewer).create(
                self._training_vals()
            )
        with self.assertRaises(AccessError):
            self.env["forklift.training.topic"].with_user(self.staff).create(
                {"name": "Forklift racing"}
            )

    def test_service_staff_record_trainings_and_visits(self):
        training = (
            self.env["forklift.training"]
            .with_user(self.staff)
            .create(self._training_vals(attendee_ids=[(0, 0, {"name": "Chen Gang"})]))
        )
        self.assertEqual(training.attendee_count, 1)
        unit = self._create_unit("SN-ACC-0002", acceptance=date(2026, 1, 10))
        visit = unit.maintenance_visit_ids[:1].with_user(self.staff)
        visit.technician_id = self.technician
        self.assertEqual(visit.technician_id, self.technician)
        with self.assertRaises(AccessError):
            visit.unlink()

import base64
import math
from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SIGNATURE, ForkliftCommon


@tagged("post_install", "-at_install")
class TestForkliftUnit(ForkliftCommon):
    """Warranty of a forklift: 12 months from acceptance or 1500 working hours,
    whichever comes first (000 第四篇 §4, R-211)."""

    def _read(self, unit, when, hours):
        """The hour meter of ``unit`` read at ``when``, recorded then."""
        with freeze_time(when):
            return self.env["forklift.hour.reading"].create(
                {"unit_id": unit.id, "date": when, "hours": hours}
            )

    def _warranty(self):
        """The warranty terms of the forklift model and of its forklift, as
        the database holds them."""
        self.env.invalidate_all()
        template = self.forklift_product.product_tmpl_id
        return (
            template.forklift_warranty_months,
            template.forklift_warranty_hours,
            template.forklift_maintenance_visits,
            self.unit.warranty_months,
            self.unit.warranty_hours,
            self.unit.warranty_end_date,
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

    def test_only_the_director_sets_a_models_warranty_terms(self):
        """R-211, R-044 (000 第四篇 §4): a forklift model's warranty period,
        working hours and free maintenance visits, which its forklifts take,
        are configured by the service-center director, who alone changes a
        forklift's. An inventory manager with no after-sales role, who edits
        products, changes none of them, on the model or its variant, nor
        creates a model with other terms (given, or as a default of his
        call): the forklifts keep their warranty. He still creates and edits
        models with the terms they have."""
        # Odoo's right to edit products, of an inventory manager
        stock_manager = self._group_user(
            "fa_wt_stock", "stock.group_stock_manager,product.group_product_manager"
        )
        template = self.forklift_product.product_tmpl_id
        before = self._warranty()
        terms = (
            {"forklift_warranty_months": 36},
            {"forklift_warranty_hours": 9000},
            {"forklift_maintenance_visits": 9},
        )
        for record in (template, self.forklift_product):
            for vals in terms:
                with (
                    self.subTest(model=record._name, vals=vals),
                    self.assertRaises(AccessError),
                ):
                    record.with_user(stock_manager).write(vals)
        for model_name in ("product.template", "product.product"):
            model = self.env[model_name].with_user(stock_manager)
            for vals in terms:
                with (
                    self.subTest(model=model_name, vals=vals),
                    self.assertRaises(AccessError),
                ):
                    model.create(
                        {"name": "CPD30 Electric", "is_forklift": True, **vals}
                    )
                with (
                    self.subTest(model=model_name, default=vals),
                    self.assertRaises(AccessError),
                ):
                    model.with_context(
                        **{f"default_{name}": value for name, value in vals.items()}
                    ).create({"name": "CPD30 Electric", "is_forklift": True})
        self.assertEqual(self._warranty(), before)
        self.assertFalse(
            self.env["product.template"].search([("name", "=", "CPD30 Electric")])
        )
        new_model = (
            self.env["product.template"]
            .with_user(stock_manager)
            .create(
                {
                    "name": "CPD30 Electric",
                    "is_forklift": True,
                    "forklift_warranty_months": 12,
                }
            )
        )
        self.assertEqual(new_model.forklift_warranty_hours, 1500)
        template.with_user(stock_manager).write(
            {"name": "CPCD30 Diesel", "forklift_warranty_hours": before[1]}
        )
        self.assertEqual(self._warranty(), before)
        director = self._group_user(
            "fa_wt_director", "group_forklift_director,product.group_product_manager"
        )
        template.with_user(director).forklift_warranty_months = 24
        self.assertEqual(self.unit.warranty_months, 24)

    def test_a_models_warranty_period_is_one_a_date_can_hold(self):
        """R-211 (000 第四篇 §4): a forklift model's warranty period is at
        most the century a service commitment letter promises, and its terms
        are never negative. The service-center director (the one who sets
        them) writing 100000 months on the model or its variant, or creating
        a model with it, as RPC would, is refused with the letter's message
        (its forklifts' warranty end would run past the calendar), nor on a
        forklift itself; negative months, hours or visits on a model are
        refused by the database. The model and its forklifts keep their
        warranty."""
        director = self._group_user(
            "fa_wt_bound", "group_forklift_director,product.group_product_manager"
        )
        template = self.forklift_product.product_tmpl_id
        before = self._warranty()
        too_long = {"forklift_warranty_months": 100000}
        model = {"name": "CPD35 Electric", "is_forklift": True}
        self._assert_attacks_refused(
            {
                "template": lambda: template.with_user(director).write(too_long),
                "variant": lambda: self.forklift_product.with_user(director).write(
                    too_long
                ),
                "new model": lambda: (
                    self.env["product.template"]
                    .with_user(director)
                    .create({**model, **too_long})
                ),
                "forklift": lambda: self.unit.with_user(director).write(
                    {"warranty_months": 100000}
                ),
            },
            flushed=template,
            refusal=ValidationError,
            message="at most 1200 months",
        )
        for vals in (
            {"forklift_warranty_months": -1},
            {"forklift_warranty_hours": -5},
            {"forklift_maintenance_visits": -1},
        ):
            with mute_logger("odoo.sql_db"):
                self._assert_attacks_refused(
                    {
                        "write": lambda v=vals: template.with_user(director).write(v),
                        "create": lambda v=vals: (
                            self.env["product.template"]
                            .with_user(director)
                            .create({**model, **v})
                        ),
                    },
                    flushed=template,
                    refusal=IntegrityError,
                    vals=vals,
                )
        self.assertEqual(self._warranty(), before)
        self.assertFalse(
            self.env["product.template"].search([("name", "=", model["name"])])
        )
        template.with_user(director).forklift_warranty_months = 1200
        self.assertEqual(self.unit.warranty_months, 1200)

    def test_a_forklifts_warranty_terms_are_not_negative(self):
        """R-211 (000 第四篇 §4): the service-center director, who alone sets a
        forklift's own warranty terms, writing a negative period or negative
        working hours on it, or creating a forklift so, as RPC would, is
        refused by the database as on its model: its warranty would have
        ended before it started. The forklift keeps its warranty."""
        director = self._group_user("fa_wt_unit_neg", "group_forklift_director")
        before = self._warranty()
        unit = {
            "name": "SN-NEG-1",
            "product_id": self.forklift_product.id,
            "partner_id": self.customer.id,
            "dealer_id": self.dealer_a.id,
            "acceptance_date": date(2026, 1, 10),
            "delivery_date": date(2026, 1, 10),
        }
        for vals in ({"warranty_months": -1}, {"warranty_hours": -5}):
            with mute_logger("odoo.sql_db"):
                self._assert_attacks_refused(
                    {
                        "write": lambda v=vals: self.unit.with_user(director).write(v),
                        "create": lambda v=vals: (
                            self.env["forklift.unit"]
                            .with_user(director)
                            .create({**unit, **v})
                        ),
                    },
                    flushed=self.unit,
                    refusal=IntegrityError,
                    vals=vals,
                )
        self.assertEqual(self._warranty(), before)
        self.assertFalse(
            self.env["forklift.unit"].search([("name", "=", unit["name"])])
        )
        self.unit.with_user(director).write({"warranty_months": 0})
        self.assertEqual(self.unit.warranty_months, 0)

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

    def test_no_reading_is_dated_ahead(self):
        """R-127, R-211: a technician dates a reading ahead (by the reading,
        or by a ledger import): refused, so no reading of a day to come
        freezes the meter and keeps the warranty by hours running; a ledger
        read today is recorded."""
        with freeze_time("2026-04-01 03:00:00"):
            Reading = self.env["forklift.hour.reading"].with_user(self.staff)
            with self.assertRaises(ValidationError), self.cr.savepoint():
                Reading.create(
                    {
                        "unit_id": self.unit.id,
                        "date": "2099-12-31 08:00:00",
                        "hours": 900,
                    }
                )
            unit = self.unit.with_user(self.staff)
            result = unit.load(
                [".id", "import_hours", "import_hours_date"],
                [[str(unit.id), "900", "2099-01-01"]],
            )
            self.assertFalse(result["ids"])
            self.assertTrue(result["messages"])
            with self.assertRaises(ValidationError), self.cr.savepoint():
                unit.write({"import_hours": 900, "import_hours_date": "2099-01-01"})
            self.assertFalse(self.unit.reading_ids)
            unit.write({"import_hours": 900, "import_hours_date": "2026-04-01"})
            self.assertEqual(self.unit.reading_ids.hours, 900)
            self.assertLessEqual(self.unit.reading_ids.date, datetime(2026, 4, 1, 3))
            Reading.create({"unit_id": self.unit.id, "hours": 950})
            self.assertEqual(self.unit.current_hours, 950)

    def test_negative_hour_meter_is_refused(self):
        with (
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            self._read(self.unit, datetime(2026, 4, 1), -5)
        self.assertFalse(self.unit.reading_ids)

    def test_an_hour_meter_reads_what_a_meter_can_show(self):
        """R-127, R-211: an hour meter of infinity (``inf`` parses as a float,
        from a portal form as from JSON-RPC), not a number, or beyond a
        meter's six digits is refused, wherever it is typed: it would end the
        warranty by hours at once and refuse every true reading after it."""
        self._read(self.unit, datetime(2026, 4, 1), 180)
        Reading = self.env["forklift.hour.reading"].with_user(self.staff)
        for hours in (float("inf"), float("nan"), 1e7):
            # no number at all is refused before the database is asked
            refusal = IntegrityError if math.isfinite(hours) else UserError
            with (
                self.subTest(hours=hours),
                self.assertRaises(refusal),
                self.cr.savepoint(),
                mute_logger("odoo.sql_db"),
            ):
                Reading.create({"unit_id": self.unit.id, "hours": hours})
            with (
                self.subTest(sheet=hours),
                self.assertRaises(refusal),
                self.cr.savepoint(),
                mute_logger("odoo.sql_db"),
            ):
                self._create_case(hour_meter=hours)
        self.assertEqual(self.unit.reading_ids.mapped("hours"), [180])
        self.assertEqual(self.unit.current_hours, 180)
        portal = self._portal_user("fa_meter_customer", self.customer)
        sheets = self.env["forklift.feedback"].with_user(portal)
        for hours in (float("inf"), float("nan"), 1e7):
            with self.subTest(portal=hours), self.assertRaises(UserError) as refused:
                sheets._portal_file_sheet(
                    self.unit.id, "Mast drops under load.", hours, False, []
                )
            self.assertIn("from 0 to 999999 hours", str(refused.exception))
        self.assertEqual(self.unit.reading_ids.mapped("hours"), [180])
        Reading.create({"unit_id": self.unit.id, "hours": 250})
        self.assertEqual(self.unit.current_hours, 250)

    def test_acceptance_before_delivery_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "accepted before it was delivered"
        ):
            self._create_unit(
                "SN-X-1", acceptance=date(2026, 1, 1), delivery=date(2026, 2, 1)
            )

    def test_a_second_commissioning_does_not_restart_the_warranty(self):
        """R-041, R-211 (000 第四篇 §1, §4): the warranty runs 1 year or 1500
        hours from the acceptance signed on the commissioning, once. A
        technician neither commissions a forklift accepted already nor accepts
        a second commissioning of one, so an expired warranty never runs
        again; the refusal changes nothing."""
        commissionings = self.env["forklift.commissioning"].with_user(self.technician)
        signed = {
            "quality_ok": True,
            "performance_ok": True,
            "signature": SIGNATURE,
            "signed_by": "Someone",
            "hour_meter": 10,
        }
        old = self._create_unit("SN-OLD-2024", acceptance=date(2024, 1, 12))
        with freeze_time("2026-12-05"), self.assertRaises(UserError) as cm:
            commissionings.create({"unit_id": old.id, **signed})
        self.assertIn("already accepted on", str(cm.exception))
        self.assertFalse(old.commissioning_ids)
        # planned twice before its acceptance: the first one accepted, the
        # second one no longer accepts
        unit = self._create_unit("SN-NEW-2026", delivery=date(2026, 3, 2))
        unit.acceptance_date = False
        second = commissionings.create({"unit_id": unit.id, **signed})
        first = unit.commissioning_ids - second
        self._check_and_sign(first.with_user(self.technician))
        with freeze_time("2026-03-04"):
            first.with_user(self.technician).action_accept()
        names = ["acceptance_date", "warranty_end_date", "current_hours"]
        before = unit.read(names)
        with freeze_time("2026-12-05"), self.assertRaises(UserError) as cm:
            second.action_accept()
        self.assertIn("already accepted on", str(cm.exception))
        unit.invalidate_recordset()
        self.assertEqual(unit.read(names), before)
        self.assertEqual(unit.acceptance_date, date(2026, 3, 4))
        self.assertEqual(second.state, "planned")
        self.assertFalse(unit.reading_ids)

    def test_a_late_acceptance_does_not_restart_an_ended_warranty(self):
        """R-041, R-211, R-124, A-23 (000 第四篇 §1, §4): a forklift of an old
        ledger, delivered in January 2024 and never accepted, had its warranty
        from the delivery: over since January 2025. Its commissioning, due at
        the delivery, signed and accepted by a technician in December 2026
        would start a new year of warranty, and its sheets would be free: only
        the service-center director, who sets the warranty terms, records an
        acceptance given after the warranty counted from the delivery ended.
        The refusal changes nothing."""
        unit = self._create_unit("SN-LEDGER-2024", delivery=date(2024, 1, 10))
        unit.acceptance_date = False
        commissioning = unit.commissioning_ids
        self.assertEqual(
            (commissioning.state, commissioning.planned_date),
            ("planned", date(2024, 1, 10)),
        )
        self._check_and_sign(commissioning.with_user(self.technician))
        commissioning.with_user(self.technician).hour_meter = 900
        case = self._create_case(unit=unit, received_date=datetime(2026, 12, 4, 8))
        self.assertEqual(case.warranty_state, "out")
        names = ["acceptance_date", "warranty_end_date", "current_hours"]
        before = unit.read(names)
        with (
            freeze_time("2026-12-05"),
            self.assertRaisesRegex(AccessError, "service-center director"),
        ):
            commissioning.with_user(self.technician).action_accept()
        unit.invalidate_recordset()
        self.assertEqual(unit.read(names), before)
        self.assertFalse(unit.reading_ids)
        self.assertEqual(commissioning.state, "planned")
        case.invalidate_recordset(["warranty_state"])
        self.assertEqual(case.warranty_state, "out")
        # the director records it, knowing it starts a warranty again
        with freeze_time("2026-12-05"):
            commissioning.with_user(self.director).action_accept()
        self.assertEqual(unit.acceptance_date, date(2026, 12, 5))

    def test_the_acceptance_is_signed_as_an_image_not_a_script(self):
        """R-041 (000 第四篇 §1): the customer signs the acceptance on the
        technician's screen, a PNG or JPEG. An SVG sent by RPC as the
        signature (Odoo's image field stores it unchanged) would be a page of
        script served from the commissioning: refused, nothing changes."""
        svg = base64.b64encode(
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
        )
        unit = self._create_unit("SN-SVG-2026", delivery=date(2026, 3, 2))
        commissioning = unit.commissioning_ids.with_user(self.technician)
        self.assertEqual(commissioning.state, "planned")
        for signature in (svg, base64.b64encode(b"<html>not an image</html>")):
            with self.subTest(signature=signature[:12]):
                with self.assertRaises(UserError) as cm:
                    commissioning.write({"signature": signature})
                self.assertIn("PNG or JPEG", str(cm.exception))
                commissioning.invalidate_recordset()
                self.assertFalse(commissioning.signature)
        with self.assertRaises(UserError) as cm:
            self.env["forklift.commissioning"].with_user(self.technician).create(
                {"unit_id": unit.id, "signature": svg, "signed_by": "Li Ming"}
            )
        self.assertIn("PNG or JPEG", str(cm.exception))
        self.assertEqual(unit.commissioning_ids, commissioning)
        self._check_and_sign(commissioning)
        self.assertTrue(commissioning.signature)

    def test_the_acceptance_day_is_the_companys_whatever_the_time_zone_sent(self):
        """R-041, R-211 (000 第四篇 §1, §4): the warranty runs from the day
        the customer accepts, the company's day (Hangzhou), not the one of a
        time zone the technician names in his call's context: at 02:00 on 5
        March in Hangzhou it is still the 4th in Los Angeles."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        unit = self._create_unit("SN-TZ-2026", delivery=date(2026, 3, 2))
        commissioning = unit.commissioning_ids.with_user(self.technician)
        self._check_and_sign(commissioning)
        commissioning.hour_meter = 3
        with freeze_time("2026-03-04 18:00:00"):
            commissioning.with_context(tz="America/Los_Angeles").action_accept()
        self.assertEqual(commissioning.acceptance_date, date(2026, 3, 5))
        self.assertEqual(unit.acceptance_date, date(2026, 3, 5))
        # the hours read then, when they were read
        self.assertEqual(unit.reading_ids.date, datetime(2026, 3, 4, 18, 0))
        self.assertEqual(unit.current_hours, 3)

    def test_commissioning_and_visits_stay_in_the_forklifts_company(self):
        """R-002, R-041, R-212: a forklift's commissioning and free visits are
        of its company, whichever company the delivery or the acceptance that
        plans them is recorded from. A user of both companies working in the
        first one records none of the first company on the other company's
        forklift, nor names a technician of the first company on one of the
        other's: nothing is created, nothing changes."""
        other_company = self.env["res.company"].create({"name": "Other Forklifts"})
        other_unit = self.env["forklift.unit"].create(
            {
                "name": "SN-OTHER-CO-1",
                "product_id": self.forklift_product.id,
                "company_id": other_company.id,
                "delivery_date": date(2026, 3, 2),
            }
        )
        planned = other_unit.commissioning_ids
        self.assertEqual(planned.company_id, other_company)
        both = self._company_user(
            "fu_both_staff", "group_forklift_user", self.env.company
        )
        both.company_ids |= other_company
        attempts = {
            "forklift.commissioning": {"unit_id": other_unit.id},
            "forklift.maintenance.visit": {
                "unit_id": other_unit.id,
                "sequence": 9,
                "threshold_months": 3,
                "threshold_hours": 375,
            },
        }
        counts = {model: self.env[model].search_count([]) for model in attempts}
        for model, vals in attempts.items():
            with self.subTest(model=model), self.assertRaises(UserError):
                self.env[model].with_user(both).create(
                    {**vals, "company_id": self.env.company.id}
                )
        self.assertEqual(
            {model: self.env[model].search_count([]) for model in attempts}, counts
        )
        with self.assertRaises(UserError):
            planned.with_user(both).write({"technician_id": self.technician.id})
        self.assertFalse(planned.technician_id)
        # accepted: the free visits are planned in the forklift's company too
        self._check_and_sign(planned)
        planned.with_user(both).action_accept()
        self.assertTrue(other_unit.maintenance_visit_ids)
        self.assertEqual(other_unit.maintenance_visit_ids.company_id, other_company)

    def test_only_serial_tracked_forklifts_become_units(self):
        with self.assertRaisesRegex(ValidationError, "not a serial-tracked forklift"):
            self._create_unit("SN-P-1", product=self.part)

    # what names a forklift: its serial number, its model and its company

    def _other_model(self):
        return self.env["product.product"].create(
            {
                "name": "CPD50 Electric",
                "is_forklift": True,
                "is_storable": True,
                "tracking": "serial",
                "forklift_warranty_hours": 4000,
            }
        )

    def _identity(self, unit):
        return self._field_values(
            unit, ["lot_id", "name", "product_id", "company_id", "warranty_hours"]
        )

    def test_staff_cannot_change_a_forklift_through_its_serial_record(self):
        """The serial record (stock.lot) of a forklift keeps the unit's rules:
        its model sets the warranty (R-211), its serial number is how a sheet
        finds it (R-065), and it stays in its company; a user changes none of
        them by writing the serial record instead of the unit (000 第四篇
        §4)."""
        before = self._identity(self.unit)
        other_model = self._other_model()
        free_lot = self.env["stock.lot"].create(
            {"name": "SN-FREE-1", "product_id": self.forklift_product.id}
        )
        for user in (self.technician, self.staff):
            lot = self.unit.lot_id.with_user(user)
            for vals in (
                {"product_id": other_model.id},
                {"company_id": False},
                {"name": "SN-RENAMED"},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(AccessError):
                        lot.write(vals)
                    # nor among lots of no forklift
                    with self.assertRaises(AccessError):
                        (lot | free_lot.with_user(user)).write(vals)
        self.assertEqual(self._identity(self.unit), before)
        self.assertEqual(free_lot.name, "SN-FREE-1")
        # the same values again change nothing: not refused
        self.unit.lot_id.with_user(self.technician).write(
            {
                "name": self.unit.name,
                "product_id": self.unit.product_id.id,
                "company_id": self.unit.company_id.id,
                "note": "<p>Checked at the yard.</p>",
            }
        )
        self.assertEqual(self._identity(self.unit), before)

    def test_staff_cannot_repoint_or_rename_a_forklift(self):
        """A forklift stays on its serial record, and only the service-center
        director renames it (R-211, R-065; 000 第四篇 §4)."""
        before = self._identity(self.unit)
        other_lot = self.env["stock.lot"].create(
            {"name": "SN-OTHER-1", "product_id": self._other_model().id}
        )
        unit = self.unit.with_user(self.technician)
        for vals in (
            {"lot_id": other_lot.id},
            {"lot_id": self.unit_b.lot_id.id},
            {"name": "SN-RENAMED"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                unit.write(vals)
        with self.assertRaisesRegex(AccessError, "serial number or the model"):
            unit.write({"name": "SN-RENAMED"})
        self.assertEqual(self._identity(self.unit), before)
        self.assertEqual(other_lot.name, "SN-OTHER-1")
        # the same values again change nothing: not refused
        unit.write({"lot_id": self.unit.lot_id.id, "name": self.unit.name})
        self.assertEqual(self._identity(self.unit), before)

    def test_only_the_director_corrects_the_market_of_a_forklift(self):
        """R-001, R-047, R-269, R-271–R-274 (000 第一篇 L25–41): a forklift's
        market numbers its sheets from its series, and decides who handles
        and receives them (the export division and the export company, or QA
        and the domestic sales company). Staff moving a registered forklift
        to the other market, as RPC would, would number and report its next
        sheets in the other market: refused, the market as it was. The
        service-center director corrects it; staff still register a forklift
        of either market."""
        unit = self.unit.with_user(self.technician)
        with self.assertRaisesRegex(AccessError, "market"):
            unit.write({"market": "export"})
        self.assertEqual(self.unit.market, "domestic")
        # the same market again changes nothing: not refused
        unit.write({"market": "domestic"})
        export = (
            self.env["forklift.unit"]
            .with_user(self.technician)
            .create(
                {
                    "name": "SN-MKT-EXP",
                    "product_id": self.forklift_product.id,
                    "market": "export",
                }
            )
        )
        self.assertEqual(export.market, "export")
        self.unit.with_user(self.director).write({"market": "export"})
        self.assertEqual(self.unit.market, "export")

    def test_director_renames_and_changes_the_model_of_a_forklift(self):
        """The service-center director corrects the serial number and the
        model of a forklift, on the unit or on its serial record; the warranty
        follows the model (R-211; 000 第四篇 §4). The serial record and the
        company stay fixed for him too."""
        other_model = self._other_model()
        unit = self.unit.with_user(self.director)
        unit.write({"name": "SN-A-0001-FIXED"})
        self.assertEqual(self.unit.lot_id.name, "SN-A-0001-FIXED")
        self.unit.lot_id.with_user(self.director).write(
            {"name": "SN-A-0001-LOT", "product_id": other_model.id}
        )
        self.assertEqual(self.unit.name, "SN-A-0001-LOT")
        self.assertEqual(self.unit.product_id, other_model)
        self.assertEqual(self.unit.warranty_hours, 4000)
        # a forklift stays in its company, whatever company its model has
        self.assertEqual(self.unit.company_id, self.env.company)
        unit.write({"product_id": self.forklift_product.id})
        self.assertEqual(self.unit.warranty_hours, 1500)
        with self.assertRaises(AccessError):
            unit.write({"lot_id": self.unit_b.lot_id.id})
        with self.assertRaises(AccessError):
            self.unit.lot_id.with_user(self.director).write({"company_id": False})
        self.assertEqual(self.unit.company_id, self.env.company)

    def test_stock_user_does_not_delete_a_forklift_with_its_serial_record(self):
        """000 第四篇 §4, R-211: a forklift goes with its serial record; a
        stock user, who deletes serial records, does not delete a forklift's
        (only the director deletes a forklift)."""
        stock_user = new_test_user(
            self.env, login="fa_stock_deleter", groups="stock.group_stock_user"
        )
        unit = self.env["forklift.unit"].create(
            {"name": "SN-KEPT-1", "product_id": self.forklift_product.id}
        )
        lot = unit.lot_id
        for user in (stock_user, self.technician):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                lot.with_user(user).unlink()
        self.assertTrue(unit.exists())
        free = self.env["stock.lot"].create(
            {"name": "SN-FREE-3", "product_id": self.forklift_product.id}
        )
        free.with_user(stock_user).unlink()
        self.assertFalse(free.exists())

    def test_serial_records_of_no_forklift_stay_free(self):
        """A serial or lot number that is no forklift unit's follows stock's
        own rules only: a stock user renames it, changes its product and its
        company."""
        stock_user = new_test_user(
            self.env, login="fa_stock_user", groups="stock.group_stock_user"
        )
        lot = self.env["stock.lot"].create(
            {"name": "SN-FREE-2", "product_id": self.forklift_product.id}
        )
        other_model = self._other_model()
        for user in (stock_user, self.technician):
            lot.with_user(user).write(
                {
                    "name": f"SN-FREE-{user.login}",
                    "product_id": other_model.id,
                    "company_id": False,
                }
            )
            self.assertEqual(lot.name, f"SN-FREE-{user.login}")
            self.assertEqual(lot.product_id, other_model)
            self.assertFalse(lot.company_id)
            lot.write(
                {
                    "product_id": self.forklift_product.id,
                    "company_id": lot.env.company.id,
                }
            )

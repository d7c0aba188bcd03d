import io
from datetime import date, datetime, timedelta

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, call_kw

TODAY = "2026-06-15 04:00"


class WarningCommon(ForkliftCommon):
    """A known fleet on 15 June 2026, in Shanghai time.

    Model M1 (the common forklift model): 10 units accepted on 10 January
    2026 (SN-A-0001, SN-B-0001 and batch M1-2601), 5 accepted on 20 April
    (batch M1-2604). Model M2: 4 units accepted on 1 February (batch
    M2-2602), one of them back at the factory on 10 April.

    Units in service: M1 10, 10, 10, 15, 15, 15 from January to June; M2 0,
    4, 4, 4, 3, 3 (the returned one counts in April, when it worked).

    ====== ============ ======== ========= ======== ================ ======
    sheet  forklift     received month    hour     parts            MIS
    ====== ============ ======== ========= ======== ================ ======
    f1     SN-A-0001    2 Mar    March     420 h    seal kit         2
    f2     SN-B-0001    15 Apr   April     650 h    seal kit, pump   3
    f3     M1-2601-003  31 May   June (*)  1200 h   pump             5
    f4     M1-2604-001  5 May    May       —        —                1
    f5     M2-2602-001  20 Mar   March     300 h    seal kit         1
    ====== ============ ======== ========= ======== ================ ======

    (*) 31 May 17:00 UTC is 1 June in Shanghai. Not failures: a sheet of
    customer misuse, a cancelled sheet, a sheet received before the
    forklift's acceptance and one received after its return. M1-2601-003
    also had its meter read at 800 h on 1 April.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.env["ir.config_parameter"].set_param(
            "forklift_aftersales.labour_hour_cost", 120
        )
        cls.m1 = cls.forklift_product
        cls.m2 = cls.env["product.product"].create(
            {
                "name": "CPD25 Electric Forklift",
                "is_forklift": True,
                "is_storable": True,
                "tracking": "serial",
            }
        )
        vendor = cls.env["res.partner"].create
        cls.seal_supplier = vendor({"name": "Seal Supplier Co", "is_company": True})
        cls.pump_supplier = vendor({"name": "Pump Supplier Co", "is_company": True})
        cls.part.seller_ids = [Command.create({"partner_id": cls.seal_supplier.id})]
        cls.pump = cls.env["product.product"].create(
            {
                "name": "Hydraulic pump",
                "is_storable": True,
                "seller_ids": [Command.create({"partner_id": cls.pump_supplier.id})],
            }
        )
        category = cls.env["forklift.fault.category"].create
        cls.hydraulics = category({"name": "Hydraulics"})
        cls.electrical = category({"name": "Electrical"})

        cls.m1_jan = [
            cls._create_unit(f"M1-2601-{n:03d}", acceptance=date(2026, 1, 10))
            for n in range(3, 11)
        ]
        cls.m1_apr = [
            cls._create_unit(f"M1-2604-{n:03d}", acceptance=date(2026, 4, 20))
            for n in range(1, 6)
        ]
        cls.m2_units = [
            cls._create_unit(
                f"M2-2602-{n:03d}", acceptance=date(2026, 2, 1), product=cls.m2
            )
            for n in range(1, 5)
        ]
        cls.returned = cls.m2_units[3]
        cls.env["forklift.vehicle.return"]._create_flow(
            [
                {
                    "unit_id": cls.returned.id,
                    "returned_by": "Customer driver",
                    "state": "qa",
                    "received_date": datetime(2026, 4, 10, 2, 0),
                }
            ]
        )
        cls.env["forklift.hour.reading"].create(
            {
                "unit_id": cls.m1_jan[0].id,
                "hours": 800,
                "date": datetime(2026, 4, 1, 2, 0),
            }
        )
        cls.f1 = cls._failure(
            cls.unit, datetime(2026, 3, 2, 2), 420, cls.hydraulics, [cls.part]
        )
        cls.f2 = cls._failure(
            cls.unit_b,
            datetime(2026, 4, 15, 2),
            650,
            cls.hydraulics,
            [cls.part, cls.pump],
        )
        cls.f3 = cls._failure(
            cls.m1_jan[0], datetime(2026, 5, 31, 17), 1200, cls.electrical, [cls.pump]
        )
        cls.f4 = cls._failure(cls.m1_apr[0], datetime(2026, 5, 5, 2), 0, cls.electrical)
        cls.f5 = cls._failure(
            cls.m2_units[0], datetime(2026, 3, 20, 2), 300, cls.hydraulics, [cls.part]
        )
        cls.misuse = cls._failure(
            cls.m1_jan[1],
            datetime(2026, 5, 10, 2),
            0,
            cls.hydraulics,
            responsibility="misuse",
        )
        cls.cancelled = cls._create_case(
            unit=cls.m1_jan[2], received_date=datetime(2026, 5, 11, 2)
        )
        cls.cancelled.action_cancel()
        # delivered on 30 March, reported before its acceptance on 20 April
        cls.m1_apr[1].delivery_date = date(2026, 3, 30)
        cls.before_service = cls._create_case(
            unit=cls.m1_apr[1], received_date=datetime(2026, 4, 1, 2)
        )
        cls.after_return = cls._create_case(
            unit=cls.returned, received_date=datetime(2026, 4, 25, 2)
        )
        cls.rates = cls.env["forklift.failure.rate.analysis"]

    @classmethod
    def _failure(
        cls, unit, received, hours, fault, parts=(), responsibility="manufacturing"
    ):
        case = cls._create_case(
            unit=unit,
            received_date=received,
            hour_meter=hours,
            fault_category_id=fault.id,
            responsibility=responsibility,
        )
        if parts:
            cls._service_order(
                case,
                part_ids=[cls._part_line(part) for part in parts],
            )
        return case

    def _rates(self, domain, groupby, measures=("failure_count", "failure_rate")):
        """{group key: (measure values)} as the pivot reads them."""
        aggregates = [f"{name}:sum" for name in measures]
        rows = self.rates._read_group(domain, groupby, aggregates)
        count = len(groupby)
        result = {}
        for row in rows:
            key = tuple(
                value.display_name if hasattr(value, "_name") else value
                for value in row[:count]
            )
            result[key[0] if count == 1 else key] = tuple(
                round(value, 4) for value in row[count:]
            )
        return result


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFailureRates(WarningCommon):
    """Failure rates per 100 units in service (000 §4.1.6, §4.2.4; R-256,
    R-261, R-267): units in service from the acceptance and return dates,
    failures by months in service, per 1000 operating hours, by batch."""

    SIX_MONTHS = [("date", ">=", "2026-01-01")]

    def test_units_in_service_per_model_and_month(self):
        rows = self.env["forklift.unit.exposure"]._read_group(
            [("kind", "=", "unit"), ("date", ">=", "2026-01-01")],
            ["model_id", "date:month"],
            ["unit_count:sum"],
        )
        units = {(m.name, d.month): n for m, d, n in rows}
        self.assertEqual(
            [units.get((self.m1.name, month), 0) for month in range(1, 7)],
            [10, 10, 10, 15, 15, 15],
        )
        self.assertEqual(
            [units.get((self.m2.name, month), 0) for month in range(1, 7)],
            [0, 4, 4, 4, 3, 3],
            "the returned forklift counts in April, not after",
        )

    def test_failures_per_100_units_by_model(self):
        by_model = self._rates(
            self.SIX_MONTHS,
            ["model_id"],
            ("failure_count", "units_in_service", "failure_rate"),
        )
        # M1: 4 failures, 75 unit-months over 6 months = 12.5 units
        self.assertEqual(by_model[self.m1.name], (4, 12.5, 32.0))
        # M2: 1 failure, 18 unit-months over 6 months = 3 units
        self.assertEqual(by_model[self.m2.name], (1, 3.0, 33.3333))
        (total,) = self.rates._read_group(
            self.SIX_MONTHS, [], ["failure_count:sum", "failure_rate:sum"]
        )
        self.assertEqual(total[0], 5, "misuse, cancelled, before and after service")
        self.assertAlmostEqual(total[1], 5 * 100 / (93 / 6))

    def test_per_month_counts_the_local_month(self):
        by_month = self._rates(
            self.SIX_MONTHS + [("model_id", "=", self.m1.id)],
            ["date:month"],
            ("failure_count", "units_in_service", "failure_rate"),
        )
        self.assertEqual(
            [by_month[date(2026, month, 1)] for month in range(1, 7)],
            [
                (0, 10, 0),
                (0, 10, 0),
                (1, 10, 10.0),
                (1, 15, 6.6667),
                (1, 15, 6.6667),
                (1, 15, 6.6667),
            ],
            "31 May 17:00 UTC is June in Shanghai; months without failures "
            "still show their units",
        )

    def test_rolling_quarter_against_the_one_before(self):
        last_3 = self._rates([("date", ">=", "2026-04-01")], ["model_id"])
        self.assertEqual(last_3[self.m1.name], (3, 20.0), "3 failures, 15 units")
        self.assertEqual(last_3[self.m2.name], (0, 0.0), "no failure, still a row")
        before = self._rates(
            [("date", ">=", "2026-01-01"), ("date", "<=", "2026-03-31")],
            ["model_id"],
        )
        self.assertEqual(before[self.m1.name], (1, 10.0))

    def test_months_in_service_bands(self):
        by_band = self._rates(
            self.SIX_MONTHS,
            ["mis_band"],
            ("failure_count", "units_in_service", "failure_rate"),
        )
        # 70 unit-months at 0-3 months in service, 23 at 4-6
        self.assertEqual(by_band["0_3"], (4, round(70 / 6, 4), round(400 * 6 / 70, 4)))
        self.assertEqual(by_band["4_6"], (1, round(23 / 6, 4), round(600 / 23, 4)))
        f3 = self.rates.search([("feedback_id", "=", self.f3.id)])
        self.assertEqual((f3.mis, f3.date), (5, date(2026, 6, 1)))

    def test_per_1000_operating_hours_by_hour_band(self):
        by_band = self._rates(
            self.SIX_MONTHS,
            ["hour_band"],
            ("failure_count", "operating_hours", "rate_per_1000h"),
        )
        # hours run: 0-500: 420 + 500 + 500 + 300; 500-1000: 150 + 300 + 200;
        # 1000-1500: 200 (readings of 420, 650, 800 then 1200, and 300 h)
        self.assertEqual(by_band["0_500"], (2, 1720, round(2000 / 1720, 4)))
        self.assertEqual(by_band["500_1000"], (1, 650, round(1000 / 650, 4)))
        self.assertEqual(by_band["1000_1500"], (1, 200, 5.0))
        (total,) = self.rates._read_group(
            self.SIX_MONTHS, [], ["operating_hours:sum", "rate_per_1000h:sum"]
        )
        self.assertEqual(total[0], 2570)
        self.assertAlmostEqual(total[1], 5000 / 2570)

    def test_corrected_readings_move_the_hours_run(self):
        """Each reading counts what the meter moved since the forklift's
        reading before it, also after the director added, corrected or
        deleted one: the hours run move between the months (R-256)."""
        unit = self.m1_jan[0]
        readings = self.env["forklift.hour.reading"].with_user(self.director)

        def hours_by_month():
            rows = self.env["forklift.unit.exposure"]._read_group(
                [
                    ("kind", "=", "hours"),
                    ("unit_id", "=", unit.id),
                    ("date", ">=", "2026-01-01"),
                ],
                ["date:month"],
                ["hours_run:sum"],
            )
            return {day.month: hours for day, hours in rows}

        # 800 h read on 1 April, 1200 h on 1 June (Shanghai)
        self.assertEqual(hours_by_month(), {4: 800, 6: 400})
        added = readings.create(
            {"unit_id": unit.id, "hours": 1000, "date": datetime(2026, 5, 1, 2, 0)}
        )
        self.assertEqual(hours_by_month(), {4: 800, 5: 200, 6: 200})
        april = unit.reading_ids.filtered(lambda r: r.hours == 800)
        april.with_user(self.director).hours = 700
        self.assertEqual(hours_by_month(), {4: 700, 5: 300, 6: 200})
        added.with_user(self.director).unlink()
        self.assertEqual(hours_by_month(), {4: 700, 6: 500})
        with self.assertRaises(AccessError):
            april.with_user(self.technician).unlink()
        self.assertEqual(hours_by_month(), {4: 700, 6: 500})

    def test_by_part_supplier_batch_and_dealer(self):
        by_part = self._rates(self.SIX_MONTHS, ["part_id"])
        # a part divides by every unit in service: 93 / 6 = 15.5
        self.assertEqual(by_part[self.part.name], (3, round(300 / 15.5, 4)))
        self.assertEqual(by_part[self.pump.name], (2, round(200 / 15.5, 4)))
        by_supplier = self._rates(
            self.SIX_MONTHS + [("model_id", "=", self.m1.id)], ["supplier_id"]
        )
        self.assertEqual(by_supplier["Seal Supplier Co"], (2, 16.0))
        self.assertEqual(by_supplier["Pump Supplier Co"], (2, 16.0))
        by_batch = self._rates(self.SIX_MONTHS, ["batch"])
        self.assertEqual(by_batch["M1-2601"], (1, 12.5), "8 units")
        self.assertEqual(by_batch["M1-2604"], (1, 40.0), "5 units from April")
        by_dealer = self._rates(
            self.SIX_MONTHS + [("dealer_id", "=", self.dealer_b.id)], []
        )
        self.assertEqual(by_dealer[()], (1, 100.0), "one forklift of dealer B")
        f2_parts = self.rates.search([("feedback_id", "=", self.f2.id)])
        self.assertEqual(
            f2_parts.mapped("part_batch"), ["SEAL", "SEAL"], "the failed serial"
        )

    def test_pivot_and_graph_read_the_rates(self):
        """The web client's pivot (grouping sets) and graph read the same
        figures, for QA and R&D."""
        rnd = self._group_user("wr_rnd", "group_forklift_rnd")
        pivot = (
            self.rates.with_user(rnd)
            .with_context(fill_temporal=True)
            .formatted_read_grouping_sets(
                self.SIX_MONTHS,
                [["model_id"], ["model_id", "date:month"], []],
                ["__count", "failure_count:sum", "failure_rate:sum"],
            )
        )
        totals = {g["model_id"][1]: g["failure_rate:sum"] for g in pivot[0]}
        self.assertEqual(totals[self.m1.display_name], 32.0)
        self.assertAlmostEqual(pivot[2][0]["failure_rate:sum"], 500 / 15.5)
        graph = (
            self.rates.with_user(self.qa)
            .with_context(fill_temporal=True)
            .formatted_read_group(
                self.SIX_MONTHS + [("model_id", "=", self.m1.id)],
                ["date:month"],
                ["failure_rate:sum"],
            )
        )
        self.assertEqual(
            [round(g["failure_rate:sum"], 2) for g in graph],
            [0, 0, 10.0, 6.67, 6.67, 6.67],
        )
        for model in (
            "forklift.failure.rate.analysis",
            "forklift.unit.exposure",
            "forklift.warranty.forecast",
        ):
            views = self.env[model].get_views(
                [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")]
            )
            self.assertEqual(
                set(views["views"]), {"pivot", "graph", "list", "search"}, model
            )

    def test_filters_that_cannot_be_split_are_refused(self):
        with self.assertRaisesRegex(UserError, "mixes the forklift's fields"):
            self.rates._read_group(
                [
                    "|",
                    ("model_id", "=", self.m1.id),
                    ("fault_category_id", "=", self.hydraulics.id),
                ],
                [],
                ["failure_rate:sum"],
            )
        with self.assertRaisesRegex(UserError, "by month, quarter or year"):
            self.rates._read_group([], ["date:day"], ["failure_rate:sum"])


class WarningRulesCommon(WarningCommon):
    """QA's rule on the failures of model M1 over 3 months."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_model = cls.env["forklift.warning.rule"]

    def _rule(self, **vals):
        return self.rule_model.with_user(self.qa).create(
            {
                "name": "M1 failures per 100 units, 3 months",
                "model_id": self.m1.id,
                "window_months": 3,
                "threshold_type": "rate",
                "threshold": 15,
                "min_units": 10,
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestWarningRules(WarningRulesCommon):
    """Early-warning rules set by QA raise one abnormal issue per rule and
    window to R&D and QA (000 §4.2.4; R-009, R-087, R-245, R-280)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rnd = cls._group_user("wr_rnd_user", "group_forklift_rnd")

    def _activity_users(self, issue):
        return issue.activity_ids.user_id

    @freeze_time(TODAY)
    def test_exceeded_rule_raises_one_issue_with_its_evidence(self):
        rule = self._rule()
        quiet = self._rule(name="M1 above 25 per 100", threshold=25)
        few = self._rule(
            name="M2 needs 5 units", model_id=self.m2.id, threshold=1, min_units=5
        )
        self.rule_model._cron_evaluate()
        issue = rule.issue_ids
        self.assertEqual(len(issue), 1)
        self.assertFalse(quiet.issue_ids, "20 per 100 is not above 25")
        self.assertFalse(few.issue_ids, "3.3 units of M2 on average, 5 needed")
        self.assertEqual(
            (rule.last_failures, rule.last_units, rule.last_value, rule.is_exceeded),
            (3, 15.0, 20.0, True),
        )
        self.assertEqual(
            (issue.warning_window_start, issue.warning_window_end),
            (date(2026, 4, 1), date(2026, 6, 15)),
        )
        self.assertEqual(
            (issue.warning_failures, issue.warning_units, issue.warning_value),
            (3, 15.0, 20.0),
        )
        self.assertEqual(issue.warning_feedback_ids, self.f2 | self.f3 | self.f4)
        self.assertEqual(issue.feedback_id, self.f3, "the latest failure")
        self.assertEqual(issue.state, "analysis")
        self.assertEqual(issue.user_id, self.qa)
        self.assertIn(self.f4.name, issue.description)
        self.assertIn("20.00 failures per 100 units", issue.description)
        # to R&D and QA (domestic): one analysis each, a to-do for each member
        self.assertEqual(sorted(issue.analysis_ids.mapped("department")), ["qa", "rnd"])
        self.assertIn(self.qa, self._activity_users(issue))
        self.assertIn(self.rnd, self._activity_users(issue))

        # the next day, the same window: nothing more
        with freeze_time("2026-06-16 04:00"):
            self.rule_model._cron_evaluate()
        self.assertEqual(rule.issue_ids, issue)
        self.assertEqual(
            self.env["forklift.abnormal.issue"].search_count(
                [("warning_rule_id", "!=", False)]
            ),
            1,
        )
        # a month later the window has moved on: May to July, 2 failures
        with freeze_time("2026-07-02 04:00"):
            self.rule_model._cron_evaluate()
        self.assertEqual(rule.issue_ids, issue)
        self.assertFalse(rule.is_exceeded)
        self.assertEqual(rule.last_value, 13.33, "2 failures, 15 units")

    @freeze_time(TODAY)
    def test_part_and_supplier_rules_count_their_failures(self):
        # a rule on one part and one on one supplier, both counting failures
        pump, seal = (
            self._rule(
                name=name,
                model_id=False,
                threshold_type="count",
                threshold=1,
                min_units=0,
                **target,
            )
            for name, target in (
                ("Pump replaced twice in 3 months", {"part_id": self.pump.id}),
                ("Seal supplier, 3 months", {"supplier_id": self.seal_supplier.id}),
            )
        )
        model = self._rule(threshold=50)
        (pump | seal | model).with_user(self.qa).action_evaluate()
        self.assertEqual(pump.issue_ids.warning_feedback_ids, self.f2 | self.f3)
        self.assertEqual(pump.last_failures, 2)
        self.assertFalse(seal.issue_ids, "one seal failure in April to June (f2)")
        self.assertEqual(seal.last_failures, 1)
        # evaluated with them, a model rule still counts each sheet once,
        # with or without a part replaced (f4 has none)
        self.assertEqual((model.last_failures, model.last_units), (3, 15.0))

    @freeze_time(TODAY)
    def test_window_is_unique_in_the_database(self):
        rule = self._rule()
        rule.action_evaluate()
        issue = rule.issue_ids
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["forklift.abnormal.issue"]._create_flow(
                    [
                        {
                            "title": "Same window",
                            "feedback_id": self.f1.id,
                            "warning_rule_id": rule.id,
                            "warning_window_start": issue.warning_window_start,
                        }
                    ]
                )
                self.env.flush_all()

    @freeze_time(TODAY)
    def test_the_service_center_does_not_silence_an_early_warning(self):
        """R-245, R-267 (000 §4.2.4): the issue QA's rule raised is analysed by
        R&D and QA. Cancelled, it would silence the rule for the whole window
        (a rule raises once per window): nobody cancels it, whoever he is; it
        ends with its solution, once R&D and QA gave their analysis, or the
        committee's decision."""
        rule = self._rule()
        rule.with_user(self.qa).action_evaluate()
        issue = rule.issue_ids
        self.assertEqual(issue.state, "analysis")
        for user in (self.staff, self.director):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(UserError, "early-warning rule"),
            ):
                issue.with_user(user).action_cancel()
        self.assertEqual(issue.state, "analysis")
        # the next run does not raise it again, and it stays to be analysed
        with freeze_time("2026-06-16 04:00"):
            self.rule_model._cron_evaluate()
        self.assertEqual(rule.issue_ids, issue)
        # nor closed by the service center's own solution before R&D and QA
        # gave their analysis
        issue.with_user(self.staff).solution = "<p>Nothing to see.</p>"
        with self.assertRaisesRegex(UserError, "analysis"):
            issue.with_user(self.staff).action_resolve()
        self.assertEqual(issue.state, "analysis")
        for user, department in ((self.qa, "qa"), (self.rnd, "rnd")):
            analysis = issue.analysis_ids.filtered(
                lambda a, d=department: a.department == d
            ).with_user(user)
            analysis.analysis = "<p>Seal batch 12 leaks.</p>"
            analysis.action_answer()
        issue.with_user(self.staff).action_resolve()
        self.assertEqual(issue.state, "closed")
        # an issue the service center filed itself is still cancelled
        own = (
            self.env["forklift.abnormal.issue"]
            .with_user(self.staff)
            .create(
                {"title": "Mast noise", "feedback_id": self.f1.id, "description": "x"}
            )
        )
        own.action_submit()
        own.action_cancel()
        self.assertEqual(own.state, "cancel")

    def test_bad_rules_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "1 to 24 months"):
            self._rule(window_months=0)
        with self.assertRaisesRegex(ValidationError, "above zero"):
            self._rule(threshold=0)
        with self.assertRaisesRegex(ValidationError, "not a forklift model"):
            self._rule(model_id=self.pump.id)
        with self.assertRaisesRegex(ValidationError, "not a part"):
            self._rule(model_id=False, part_id=self.m2.id)

    @freeze_time(TODAY)
    def test_only_qa_manages_the_rules(self):
        rule = self._rule()
        self.assertTrue(rule.with_user(self.rnd).has_access("read"))
        for user in (self.rnd, self.staff, self.director):
            with self.assertRaises(AccessError):
                rule.with_user(user).write({"threshold": 50})
            with self.assertRaises(AccessError):
                rule.with_user(user).action_evaluate()
        with self.assertRaises(AccessError):
            rule.with_user(self.qa).write({"last_value": 99})
        rule.with_user(self.qa).action_evaluate()
        with self.assertRaisesRegex(UserError, "archive it instead"):
            rule.with_user(self.qa).unlink()
        rule.with_user(self.qa).active = False


@tagged("post_install", "-at_install")
class TestWarrantyForecast(ForkliftCommon):
    """The expected cost of the warranty claims to come, from the cost
    observed per unit and month in service (000 第四篇 §4, 004 §4.6; R-211,
    R-256, R-258).

    Model F: 4 units accepted on 5 January 2025 (out of warranty by now) and
    2 accepted on 20 January 2026. Claims in warranty (hours on site at 120
    an hour): 600 at MIS 1 and 360 + 240 at MIS 5 on the old ones, 300 at
    MIS 1 on a new one. Model G: one
    unit accepted on 1 March 2026. The two common units (model CPCD30) were
    accepted on 10 January 2026, without claims.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        product = cls.env["product.product"].create
        cls.model_f = product(
            {
                "name": "CPCD50 Diesel Forklift",
                "is_forklift": True,
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.model_g = product(
            {
                "name": "CPQD18 LPG Forklift",
                "is_forklift": True,
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.old = [
            cls._create_unit(
                f"F-2501-{n}", acceptance=date(2025, 1, 5), product=cls.model_f
            )
            for n in range(4)
        ]
        cls.new = [
            cls._create_unit(
                f"F-2601-{n}", acceptance=date(2026, 1, 20), product=cls.model_f
            )
            for n in range(2)
        ]
        cls.g_unit = cls._create_unit(
            "G-2603-0", acceptance=date(2026, 3, 1), product=cls.model_g
        )
        cls.env["ir.config_parameter"].set_param(
            "forklift_aftersales.labour_hour_cost", 120
        )
        # the cost of each claim: its hours on site at 120 an hour
        for unit, received, hours in (
            (cls.old[0], datetime(2025, 2, 10, 2), 5),
            (cls.old[1], datetime(2025, 6, 10, 2), 3),
            (cls.old[2], datetime(2025, 6, 11, 2), 2),
            (cls.new[0], datetime(2026, 2, 10, 2), 2.5),
        ):
            cls._claim(unit, received, hours)
        cls.forecast = cls.env["forklift.warranty.forecast"]

    @classmethod
    def _claim(cls, unit, received, hours):
        """A sheet in warranty repaired on site in ``hours``."""
        with freeze_time(received):
            case = cls._create_case(
                unit=unit,
                received_date=received,
                verification="<p>Checked on site.</p>",
                responsibility="manufacturing",
                route="technician",
            )
            case.action_verify()
            order = cls._service_order(case)
            order.action_dispatch()
        order.write(
            {
                "arrival_date": received + timedelta(hours=1),
                "finished_date": received + timedelta(hours=1 + hours),
                "work_done": "<p>Repaired.</p>",
            }
        )
        return case

    @freeze_time("2026-03-15 04:00")
    def test_expected_cost_per_unit_in_warranty(self):
        rows = {
            row.unit_id: (row.mis, row.expected_cost)
            for row in self.forecast.search([])
        }
        self.assertNotIn(self.old[0], rows, "out of warranty")
        # F: c(1) = (600 + 300) / 6 units, c(5) = 600 / 4 units, the others 0:
        # at 2 months in service, 150 to come
        self.assertEqual(rows[self.new[0]], (2, 150.0))
        self.assertEqual(rows[self.new[1]], (2, 150.0))
        # G has no unit past its first month: the fleet's cost per unit from
        # the 2nd month on, 900 / 8 units at MIS 1 and 600 / 4 at MIS 5
        self.assertEqual(rows[self.g_unit], (0, 262.5))
        # CPCD30: none of its own claims, the fleet's at MIS 5
        self.assertEqual(rows[self.unit], (2, 150.0))
        groups = self.forecast._read_group(
            [], ["model_id"], ["unit_count:sum", "expected_cost:sum"]
        )
        self.assertEqual(
            {model.name: (units, cost) for model, units, cost in groups},
            {
                "CPCD50 Diesel Forklift": (2, 300.0),
                "CPQD18 LPG Forklift": (1, 262.5),
                "CPCD30 Diesel Forklift": (2, 300.0),
            },
        )

    @freeze_time("2026-03-02 04:00")
    def test_monthly_report_gives_the_forecast_per_model(self):
        """As of 28 February: the new F units at MIS 1 expect c(1) + c(5) =
        300 each; the CPCD30 units the fleet's 150 at MIS 5; G is not
        accepted yet."""
        report = self.env["forklift.aftersales.report"].create(
            {"report_type": "monthly", "market": "domestic", "date_from": "2026-02-01"}
        )
        report.action_produce()
        forecast = report.statistics["warranty_forecast"]
        self.assertEqual(forecast["as_of"], "2026-02-28")
        self.assertEqual(
            [(r["label"], r["units"], r["expected_cost"]) for r in forecast["rows"]],
            [
                ("CPCD50 Diesel Forklift", 2, 600.0),
                ("CPCD30 Diesel Forklift", 2, 300.0),
            ],
        )
        self.assertEqual((forecast["units"], forecast["expected_cost"]), (4, 900.0))
        self.assertIn("900.00", report.analysis)
        titles = [chart["title"] for chart in report._get_pdf_charts()]
        self.assertIn("Expected warranty cost to come, by model", titles)
        self.assertTrue(report.pdf_attachment_id)
        book = openpyxl.load_workbook(
            io.BytesIO(report.xlsx_attachment_id.raw), read_only=True
        )
        self.assertIn("Failure Rates", book.sheetnames)
        cells = [
            list(row) for row in book["Warranty Forecast"].iter_rows(values_only=True)
        ]
        self.assertIn(["CPCD50 Diesel Forklift", 2, 600], cells)
        self.assertIn(["Total", 4, 900], cells)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestMonthlyFailureRates(WarningCommon):
    """The monthly statistics compare the failure rates of the last 3 months,
    the 3 before and the last 12 months (000 §4.1.6, R-256, R-258)."""

    def test_rates_of_may(self):
        report = self.env["forklift.aftersales.report"].create(
            {"report_type": "monthly", "market": "domestic", "date_from": "2026-05-01"}
        )
        rates = report._compute_failure_rates()
        m1 = next(r for r in rates["model_id"] if r["key"] == self.m1.id)
        # March to May: f1, f2, f4 over 10 + 15 + 15 units / 3 months
        self.assertEqual(m1["last_3_failures"], 3)
        self.assertAlmostEqual(m1["last_3_rate"], 300 / (40 / 3))
        # December to February: no failure, 20 unit-months
        self.assertEqual((m1["previous_3_failures"], m1["previous_3_rate"]), (0, 0))
        # June 2025 to May 2026: 60 unit-months over 12 months = 5 units
        self.assertEqual((m1["last_12_failures"], m1["last_12_rate"]), (3, 60.0))
        hours = {r["key"]: r for r in rates["hour_band"]}
        self.assertAlmostEqual(hours["0_500"]["last_3_rate"], 2000 / 1720)


@tagged("post_install", "-at_install")
class TestWarningRpc(HttpCase, WarningCommon):
    """Over JSON-RPC, as a client would call: a dealer on the portal reads no
    rate and sets no rule; after-sales staff outside QA write no rule
    (000 §3.3; R-049, R-055)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["forklift.warning.rule"].create(
            {"name": "M1 rate", "model_id": cls.m1.id, "threshold": 15}
        )
        contact = cls.env["res.partner"].create(
            {"name": "Dealer A service desk", "parent_id": cls.dealer_a.id}
        )
        for login, groups, extra in (
            ("wr_portal", "base.group_portal", {"partner_id": contact.id}),
            ("wr_staff", "forklift_aftersales.group_forklift_user", {}),
            ("wr_qa", "forklift_aftersales.group_forklift_qa", {}),
        ):
            new_test_user(
                cls.env, login=login, password=f"{login}_pw", groups=groups, **extra
            )

    def _call(self, login, model, method, args, kwargs=None):
        self.authenticate(login, f"{login}_pw")
        return call_kw(self, model, method, args, kwargs)

    def _refused(self, body):
        self.assertEqual(
            body.get("error", {}).get("data", {}).get("name"),
            "odoo.exceptions.AccessError",
            body,
        )

    @mute_logger("odoo.http")
    def test_portal_dealer_reads_nothing_and_sets_no_rule(self):
        for model in (
            "forklift.failure.rate.analysis",
            "forklift.unit.exposure",
            "forklift.warranty.forecast",
            "forklift.warning.rule",
        ):
            self._refused(
                self._call(
                    "wr_portal",
                    model,
                    "formatted_read_group",
                    [[], []],
                    {"aggregates": ["__count"]},
                )
            )
            self._refused(self._call("wr_portal", model, "search_read", [[]]))
        self._refused(
            self._call(
                "wr_portal",
                "forklift.warning.rule",
                "create",
                [{"name": "Portal rule", "threshold": 1}],
            )
        )

    @mute_logger("odoo.http")
    def test_staff_writes_no_rule_qa_does(self):
        self._refused(
            self._call(
                "wr_staff",
                "forklift.warning.rule",
                "create",
                [{"name": "Staff rule", "threshold": 1}],
            )
        )
        self._refused(
            self._call(
                "wr_staff",
                "forklift.warning.rule",
                "write",
                [self.rule.ids, {"threshold": 99}],
            )
        )
        self._refused(
            self._call(
                "wr_staff", "forklift.warning.rule", "action_evaluate", [self.rule.ids]
            )
        )
        self.assertEqual(self.rule.threshold, 15)
        body = self._call(
            "wr_qa",
            "forklift.warning.rule",
            "create",
            [{"name": "QA rule", "threshold": 5}],
        )
        self.assertIsInstance(body.get("result"), int, body)
        body = self._call(
            "wr_qa",
            "forklift.failure.rate.analysis",
            "formatted_read_group",
            [[], ["model_id"]],
            {"aggregates": ["failure_rate:sum"]},
        )
        self.assertIn("result", body, body)

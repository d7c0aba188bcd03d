from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.forklift_aftersales.tests.test_abnormal_issue import (
    AbnormalIssueCommon,
)
from odoo.addons.forklift_aftersales.tests.test_reports import ForkliftReportCommon
from odoo.addons.forklift_aftersales.tests.test_warning import (
    TODAY,
    WarningRulesCommon,
)

from .test_export_flow import ExportCommon

EXPORT_DIVISION = "forklift_aftersales_export.group_forklift_export_division"


def export_division_user(env, login):
    return new_test_user(
        env, login=login, groups=EXPORT_DIVISION, email=f"{login}@example.com"
    )


@tagged("post_install", "-at_install")
class TestExportDivisionAccess(ExportCommon):
    """What the export addon's groups may and may not do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._create_case(hour_meter=200)
        cls.export_case = cls._create_case(unit=cls.export_unit)

    def test_export_division_sees_only_export_cases(self):
        """R-047, R-289 (000-I L25): the export division files and reads export
        sheets only; a domestic sheet is neither read nor created by it."""
        cases = self.env["forklift.feedback"].with_user(self.export_user)
        found = cases.search([])
        self.assertIn(self.export_case, found)
        self.assertNotIn(self.case, found)
        with self.assertRaises(AccessError):
            self.case.with_user(self.export_user).read(["name"])
        created = cases.create(
            {"unit_id": self.export_unit.id, "title": "Overseas call"}
        )
        self.assertEqual(created.market, "export")
        self.assertEqual(created.intake_department, "sales_company")
        with self.assertRaises(AccessError):
            cases.create({"unit_id": self.unit.id, "title": "Domestic by mistake"})
        # nor by typing the export market on a domestic forklift (its
        # customer, its fault), by form or import
        before = cases.search_count([])
        with self.assertRaises(ValidationError):
            cases.create(
                {"unit_id": self.unit.id, "market": "export", "title": "Typed market"}
            )
        result = cases.load(
            ["unit_id/.id", "market", "title"], [[str(self.unit.id), "export", "x"]]
        )
        self.assertFalse(result["ids"])
        self.assertEqual(cases.search_count([]), before)

    def test_export_division_reads_no_domestic_sheet_through_a_new_form(self):
        """R-047, R-289 (000-I L25): a new service order, or replaced part,
        shows what the sheet or order it is for says; the export division
        naming a domestic one in the form's onchange is refused, as reading
        it is, and learns nothing of its customer, forklift or fault. An
        export sheet's order fills in as before."""
        domestic = self._verified_case()
        spec = {
            "partner_id": {"fields": {"display_name": {}}},
            "unit_id": {"fields": {"display_name": {}}},
            "description": {},
        }
        orders = self.env["forklift.service.order"].with_user(self.export_user)
        with self.assertRaises(AccessError):
            orders.onchange({"feedback_id": domestic.id}, ["feedback_id"], spec)
        export = self._export_case()
        result = orders.onchange({"feedback_id": export.id}, ["feedback_id"], spec)
        self.assertEqual(result["value"]["unit_id"]["id"], export.unit_id.id)
        order = self._service_order(domestic)
        parts = self.env["forklift.service.order.part"].with_user(self.export_user)
        with self.assertRaises(AccessError):
            parts.onchange(
                {"order_id": order.id},
                ["order_id"],
                {"feedback_id": {"fields": {"display_name": {}}}},
            )

    def test_export_division_changes_nothing_of_the_domestic_market(self):
        """R-047, R-289 (000-I L25): the export division neither adds a
        replaced part to a domestic service order, nor reads those of domestic
        orders, nor records a domestic forklift's hour meter; it still does
        for export ones."""
        order = self._service_order(self._verified_case())
        export_order = self._service_order(self._export_case())
        parts = self.env["forklift.service.order.part"].with_user(self.export_user)
        readings = self.env["forklift.hour.reading"].with_user(self.export_user)
        hours = self.unit.current_hours
        with self.assertRaises(AccessError):
            parts.create({"order_id": order.id, "product_id": self.part.id})
        with self.assertRaises(AccessError):
            readings.create({"unit_id": self.unit.id, "hours": hours + 40})
        self.assertFalse(order.part_ids)
        self.assertEqual(self.unit.current_hours, hours)
        part = self.env["forklift.service.order.part"].create(
            {"order_id": order.id, "product_id": self.part.id}
        )
        self.assertFalse(parts.search([("id", "=", part.id)]))
        parts.create({"order_id": export_order.id, "product_id": self.part.id})
        readings.create(
            {
                "unit_id": self.export_unit.id,
                "hours": self.export_unit.current_hours + 40,
            }
        )
        self.assertEqual(len(export_order.part_ids), 1)

    def test_export_division_reads_no_domestic_inspection_nor_sheet_reading(self):
        """R-047 (000-I L25): the export division reads neither the inspection
        items of a domestic vehicle return (the defects found), nor, through
        an hour reading, which domestic sheet it was taken for (its number
        and fault); it reads an export forklift's hour meter still."""
        vehicle_return = self.env["forklift.vehicle.return"].create(
            {"unit_id": self.unit.id, "returned_by": "Li Ming"}
        )
        vehicle_return._write_flow({"state": "qa"})  # QA inspects it
        check = (
            self.env["forklift.vehicle.return.check"]
            .with_user(self.qa)
            .create({"return_id": vehicle_return.id, "name": "Brake master cylinder"})
        )
        case = self._verified_case(hour_meter=self.unit.current_hours + 10)
        reading = self.env["forklift.hour.reading"].search(
            [("feedback_id", "=", case.id)]
        )
        self.assertTrue(reading)
        checks = self.env["forklift.vehicle.return.check"].with_user(self.export_user)
        readings = self.env["forklift.hour.reading"].with_user(self.export_user)
        self.assertFalse(checks.search([("id", "=", check.id)]))
        self.assertFalse(checks.formatted_read_group([], ["return_id"], ["__count"]))
        self.assertFalse(readings.search([("id", "=", reading.id)]))
        self.assertFalse(
            readings.search_read([("feedback_id", "!=", False)], ["feedback_id"])
        )
        export_case = self._export_case(hour_meter=self.export_unit.current_hours + 10)
        export_reading = self.env["forklift.hour.reading"].search(
            [("feedback_id", "=", export_case.id)]
        )
        self.assertEqual(
            self.export_unit.with_user(self.export_user).current_hours,
            export_reading.hours,
        )

    def test_export_division_reads_no_domestic_forklift(self):
        """R-047, R-289 (000-I L25): the export division reads the export
        market's forklifts only, as it reads its sheets: not a domestic
        forklift's customer, dealer, warranty, hour meter or service
        commitment, by search, by id, grouped or through its readings; it
        still reads the forklifts of its export sheets, and after-sales staff
        who also belong to it read every forklift."""
        units = self.env["forklift.unit"].with_user(self.export_user)
        self.assertEqual(units.search([]), self.export_unit)
        self.assertFalse(units.search_count([("id", "=", self.unit.id)]))
        self.assertFalse(
            units.formatted_read_group(
                [("market", "=", "domestic")], ["partner_id"], ["__count"]
            )
        )
        fields = ["partner_id", "dealer_id", "warranty_state", "current_hours"]
        with self.assertRaises(AccessError):
            self.unit.with_user(self.export_user).read([*fields, "commitment_id"])
        loose = self.env["forklift.hour.reading"].create(
            {"unit_id": self.unit.id, "hours": self.unit.current_hours + 5}
        )
        readings = self.env["forklift.hour.reading"].with_user(self.export_user)
        self.assertFalse(readings.search([("id", "=", loose.id)]))
        self.assertFalse(readings.search([("unit_id.market", "=", "domestic")]))
        self.assertEqual(
            self.export_case.with_user(self.export_user).unit_id.partner_id,
            self.overseas_customer,
        )
        self.assertTrue(self.export_unit.with_user(self.export_user).read(fields))
        both = self._group_user(
            "fx_export_staff",
            "forklift_aftersales_export.group_forklift_export_division,"
            "group_forklift_user",
        )
        self.assertEqual(
            self.env["forklift.unit"].with_user(both).search([]),
            self.env["forklift.unit"].search([]),
        )

    def test_export_division_reads_no_review_of_a_domestic_approval(self):
        """R-047 (000-I L25): the reviews of an approval are read by who reads
        the document approved. The export division follows the approvals of
        the export market's vehicle returns, not who asked for, signed or
        refused the domestic market's, whether it searches the reviews, reads
        them by id or counts them."""
        self._govern_dealers(
            self._group_user("fx_div_office", "group_forklift_office_director"),
            self.dealer_a,
            self.overseas_dealer,
        )
        returns = self.env["forklift.vehicle.return"]
        domestic, export = (
            returns.create(
                {
                    "unit_id": unit.id,
                    "returned_by": "Li Ming",
                    "description": "<p>Wrong mast height delivered.</p>",
                }
            )
            for unit in (self.unit, self.export_unit)
        )
        (domestic | export).action_submit()
        self.assertTrue(domestic.review_ids)
        self.assertTrue(export.review_ids)
        reviews = self.env["tier.review"].with_user(self.export_user)
        found = reviews.search([("model", "=", "forklift.vehicle.return")])
        self.assertEqual(found, export.review_ids)
        self.assertEqual(reviews.search_count([("res_id", "in", domestic.ids)]), 0)
        self.assertFalse(
            reviews.formatted_read_group(
                [("res_id", "=", domestic.id)], ["status"], ["__count"]
            )
        )
        with self.assertRaises(AccessError):
            reviews.browse(domestic.review_ids.ids).read(["requested_by", "status"])
        with self.assertRaises(AccessError):
            reviews.browse(domestic.review_ids.ids).check_access("read")
        self.assertTrue(
            reviews.browse(export.review_ids.ids).read(["requested_by", "status"])
        )
        # the service center reads both
        self.assertEqual(
            self.env["tier.review"]
            .with_user(self.technician)
            .search([("model", "=", "forklift.vehicle.return")]),
            domestic.review_ids | export.review_ids,
        )

    def test_export_sheets_take_the_export_series_from_their_unit(self):
        """R-269 (000 §6.1; 000-I L103): a sheet of an export forklift is
        numbered from the export series, a domestic one from its own."""
        self.assertTrue(self.export_case.name.startswith("FB-E"), self.export_case)
        self.assertTrue(self.case.name.startswith("FB-D"), self.case.name)

    def test_export_vice_president_reads_but_does_not_handle_cases(self):
        """R-058 (000 §3): the export sales vice president reads the sheets
        and forklifts but does not handle them."""
        user = self._group_user(
            "ro_export_vp", "forklift_aftersales_export.group_forklift_sales_vp_export"
        )
        self._assert_reads_but_does_not_handle(user, self.case)

    def test_service_center_may_ask_the_export_division_for_help(self):
        """R-132 (004 §4.5): the export division is one of the departments
        the service center asks for help."""
        users = self.env["forklift.feedback"]._get_assistance_users("export_division")
        self.assertIn(self.export_user, users)
        self.assertIn(self.export_company_user, users, "implies the division")
        self.assertNotIn(self.staff, users)

    def test_the_export_division_is_asked_for_help_on_export_sheets_only(self):
        """R-132 (004 §4.5), R-047: the service center asks for help only
        someone who may read the sheet: the export division, which reads no
        domestic sheet, is not asked about one (its to-do named the domestic
        sheet and its marking done posted on a sheet it may not read). It is
        asked about an export sheet."""
        Activity = self.env["mail.activity"]
        tomorrow = fields.Date.today() + timedelta(days=1)
        staff_case = self.case.with_user(self.staff)
        with self.assertRaisesRegex(UserError, "may not read"):
            staff_case._request_assistance(
                "export_division", self.export_user, tomorrow, "Ask the importer"
            )
        self.assertFalse(self.case.assistance_activity_ids)
        self.assertFalse(
            Activity.with_user(self.export_user).search(
                [("user_id", "=", self.export_user.id)]
            )
        )
        self.export_case.with_user(self.staff)._request_assistance(
            "export_division", self.export_user, tomorrow, "Ask the importer"
        )
        self.assertEqual(
            self.export_case.assistance_activity_ids.user_id, self.export_user
        )

    def test_export_division_names_no_domestic_sheet_on_a_reading(self):
        """R-047, R-289 (000-I L25), R-127, R-211: a reading taken for a sheet
        shows the sheet's number and fault to whoever reads the reading. The
        export division recording an export forklift's hour meter names no
        domestic sheet, at creation, by import or by correction: refused,
        nothing is recorded and nothing of the sheet is read back. It names
        an export sheet of the forklift."""
        domestic = self.case
        readings = self.env["forklift.hour.reading"].with_user(self.export_user)
        hours = self.export_unit.current_hours + 456
        vals = {"unit_id": self.export_unit.id, "hours": hours}
        with self.assertRaises(AccessError) as cm, self.cr.savepoint():
            readings.create([{**vals, "feedback_id": domestic.id}])
        self.assertNotIn(domestic.name, str(cm.exception))
        result = readings.load(
            ["unit_id/.id", "hours", "feedback_id/.id"],
            [[str(self.export_unit.id), str(hours), str(domestic.id)]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("only a feedback sheet you may", str(result["messages"]))
        self.assertNotIn(domestic.name, str(result["messages"]))
        self.assertFalse(self.export_unit.reading_ids)
        # an id sent as a string is refused, not read as no sheet
        with self.assertRaises(UserError), self.cr.savepoint():
            readings.create([{**vals, "feedback_id": str(domestic.id)}])
        reading = readings.create([{**vals, "feedback_id": self.export_case.id}])
        with self.assertRaises(AccessError), self.cr.savepoint():
            reading.write({"feedback_id": domestic.id})
        reading.invalidate_recordset()
        self.assertEqual(reading.feedback_id, self.export_case)
        self.assertEqual(self.export_unit.reading_ids, reading)
        found = readings.search_read([], ["feedback_id"])
        found += readings.formatted_read_group([], ["feedback_id"], ["__count"])
        self.assertNotIn(domestic.name, str(found))
        self.assertFalse(readings.search([("feedback_id", "=", domestic.id)]))


@tagged("post_install", "-at_install")
class TestExportAbnormalIssue(AbnormalIssueCommon):
    """Abnormal issues of export sheets (000 §4.2.4, 000 外销 L83)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export_user = export_division_user(cls.env, "ai_export")
        cls.rnd = cls._group_user("ai_rnd", "group_forklift_rnd")

    def test_export_issue_also_goes_to_the_export_division(self):
        """R-087, R-047 (000 §4.2.4; 000-I L83): an export issue also asks the
        export division, which reads export issues only; a domestic issue
        does not ask it."""
        export_unit = self._create_unit(
            "SN-E-0001", acceptance=date(2026, 1, 10), market="export"
        )
        issue = self._issue(case=self._verified_case(unit=export_unit))
        domestic = self._issue()
        (issue | domestic).with_user(self.staff).action_submit()
        self.assertEqual(
            sorted(issue.analysis_ids.mapped("department")), ["export", "qa", "rnd"]
        )
        self.assertEqual(
            sorted(domestic.analysis_ids.mapped("department")), ["qa", "rnd"]
        )
        self.assertIn(self.export_user, issue.activity_ids.user_id)
        self.assertNotIn(self.export_user, domestic.activity_ids.user_id)
        visible = self.issue_model.with_user(self.export_user).search([])
        self.assertIn(issue, visible)
        self.assertNotIn(domestic, visible)
        export_analysis = issue.analysis_ids.filtered(
            lambda a: a.department == "export"
        )
        with self.assertRaises(AccessError):
            export_analysis.with_user(self.rnd).write(
                {"analysis": "<p>Not R&amp;D's to say.</p>"}
            )
        export_analysis.with_user(self.export_user).write(
            {"analysis": "<p>Dealer used a local chain.</p>"}
        )
        export_analysis.with_user(self.export_user).action_answer()
        self.assertTrue(export_analysis.answered_date)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestExportEarlyWarning(WarningRulesCommon):
    """Failure rates and early-warning rules of export forklifts (000 §4.2.4,
    000 外销 L83; R-087, R-245, R-267)."""

    SIX_MONTHS = [("date", ">=", "2026-01-01")]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export_user = export_division_user(cls.env, "ew_export")

    def test_export_division_reads_export_forklifts_only(self):
        exporter = self._create_unit(
            "EX-2601-001", acceptance=date(2026, 1, 10), market="export"
        )
        self._failure(exporter, datetime(2026, 5, 6, 2), 0, self.hydraulics)
        rows = self.rates.with_user(self.export_user)._read_group(
            self.SIX_MONTHS, ["market"], ["failure_count:sum", "failure_rate:sum"]
        )
        self.assertEqual(
            [(market, count, rate) for market, count, rate in rows],
            [("export", 1, 100.0)],
        )

    def test_export_forklifts_go_to_the_export_division_too(self):
        exporter = self._create_unit(
            "EX-2601-001", acceptance=date(2026, 1, 10), market="export"
        )
        failure = self._failure(exporter, datetime(2026, 6, 2, 2), 0, self.hydraulics)
        rule = self._rule(
            name="Export forklifts",
            model_id=False,
            market="export",
            threshold_type="count",
            threshold=0.5,
            min_units=1,
        )
        rule.with_user(self.qa).action_evaluate()
        issue = rule.issue_ids
        self.assertEqual(issue.feedback_id, failure)
        self.assertEqual(issue.market, "export")
        self.assertEqual(
            sorted(issue.analysis_ids.mapped("department")), ["export", "qa", "rnd"]
        )
        self.assertIn(self.export_user, issue.activity_ids.user_id)
        self.assertTrue(issue.with_user(self.export_user).has_access("read"))

    def test_issue_of_both_markets_hangs_on_the_latest_export_sheet(self):
        """A rule watching both markets raises its issue on the latest export
        sheet of the window, not the latest sheet, so that the export division
        is asked too."""
        exporter = self._create_unit(
            "EX-2601-002", acceptance=date(2026, 1, 10), market="export"
        )
        failure = self._failure(exporter, datetime(2026, 4, 20, 2), 0, self.hydraulics)
        rule = self._rule()
        rule.with_user(self.qa).action_evaluate()
        issue = rule.issue_ids
        self.assertEqual(len(issue), 1)
        self.assertIn(failure, issue.warning_feedback_ids)
        self.assertGreater(len(issue.warning_feedback_ids), 1, "domestic sheets too")
        self.assertEqual(issue.feedback_id, failure)
        self.assertIn("export", issue.analysis_ids.mapped("department"))

    def test_export_division_reads_no_domestic_sheet_of_a_two_market_issue(self):
        """R-047, R-289, R-245 (000 §4.2.4, 000-I L25, L83): the export
        division analyses an early-warning issue of both markets, hung on an
        export sheet, and reads the export sheets of its evidence only: its
        description and its list of failures name no domestic sheet, which QA
        still reads in the list."""
        exporter = self._create_unit(
            "EX-2601-003", acceptance=date(2026, 1, 10), market="export"
        )
        failure = self._failure(exporter, datetime(2026, 4, 20, 2), 0, self.hydraulics)
        self._rule().with_user(self.qa).action_evaluate()
        issue = self.env["forklift.abnormal.issue"].search(
            [("warning_feedback_ids", "in", failure.ids)]
        )
        domestic = issue.warning_feedback_ids - failure
        self.assertTrue(domestic, "the window holds domestic sheets too")
        # what the division's form reads, nothing read before in the cache
        self.env.invalidate_all()
        [seen] = issue.with_user(self.export_user).web_read(
            {
                "description": {},
                "warning_feedback_ids": {"fields": {"display_name": {}}},
            }
        )
        self.assertEqual(
            [sheet["id"] for sheet in seen["warning_feedback_ids"]], failure.ids
        )
        self.assertIn(failure.name, seen["description"])
        for case in domestic:
            with self.subTest(sheet=case.name):
                self.assertNotIn(case.name, seen["description"])
        # QA reads every sheet of the window (read anew)
        self.env.invalidate_all()
        self.assertEqual(
            issue.with_user(self.qa).warning_feedback_ids, failure | domestic
        )


@tagged("post_install", "-at_install")
class TestExportReports(ForkliftReportCommon):
    """The daily summary and the monthly statistics of the export market go to
    the export division (000 第一篇, 000-I L37–41; R-061, R-273, R-275)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export_user = export_division_user(cls.env, "rp_export")
        # the export division receives them here, not the core tests' mailbox
        cls.env["forklift.report.recipient"].search(
            [("partner_ids", "in", cls.export_desk.ids)]
        ).active = False

    def _reports(self, report_type, day):
        return self.env["forklift.aftersales.report"].search(
            [("report_type", "=", report_type), ("date_from", "=", day)]
        )

    @freeze_time("2026-03-03 00:30")
    def test_daily_summary_of_export_forklifts_goes_to_the_export_division(self):
        self.env["forklift.aftersales.report"]._cron_daily_summary()
        reports = self._reports("daily", date(2026, 3, 2))
        domestic = reports.filtered(lambda r: r.market == "domestic")
        export = reports.filtered(lambda r: r.market == "export")
        self.assertEqual(export.feedback_ids, self.export_case)
        self.assertEqual((domestic.state, export.state), ("sent", "sent"))
        qa_and_rnd = (self.qa | self.qa_manager | self.rnd).partner_id
        self.assertNotIn(
            self.export_user.partner_id, self._mails(domestic).recipient_ids
        )
        mail = self._mails(export)
        self.assertEqual(mail.recipient_ids, self.export_user.partner_id)
        self.assertFalse(mail.recipient_ids & qa_and_rnd)
        self.assertEqual(mail.email_cc, self.leader.partner_id.email_formatted)
        self.assertEqual(mail.attachment_ids, export.xlsx_attachment_id)
        self.assertIn(self.export_case.name, mail.body_html)

    @freeze_time("2026-04-01 00:30")
    def test_monthly_statistics_of_export_go_to_the_export_division(self):
        self.env["forklift.aftersales.report"]._cron_monthly_reports()
        export = self._reports("monthly", date(2026, 3, 1)).filtered(
            lambda r: r.market == "export"
        )
        self.assertEqual((export.feedback_count, export.state), (1, "sent"))
        self.assertEqual(
            export.recipient_partner_ids, (self.export_user | self.leader).partner_id
        )

    def test_export_division_sees_export_only(self):
        report_model = self.env["forklift.aftersales.report"]
        domestic = report_model.create(
            {"report_type": "monthly", "market": "domestic", "date_from": "2026-03-01"}
        )
        export = report_model.create(
            {"report_type": "monthly", "market": "export", "date_from": "2026-03-01"}
        )
        user = self.export_user
        rows = self.env["forklift.feedback.analysis"].with_user(user).search([])
        self.assertEqual(rows.feedback_id, self.export_case)
        reports = report_model.with_user(user).search([])
        self.assertEqual(reports, export)
        self.assertNotIn(domestic, reports)

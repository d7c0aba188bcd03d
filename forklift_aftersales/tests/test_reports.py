import io
from datetime import date, datetime, timedelta

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SIGNATURE, ForkliftCommon

REPORT_LOGGER = "odoo.addons.forklift_aftersales.models.forklift_aftersales_report"


class ForkliftReportCommon(ForkliftCommon):
    """A known month: March 2026 in Shanghai time.

    Domestic: three feedback sheets received in March (one cancelled, one in
    February and one after midnight on 1 April local time do not count) and
    one export sheet.

    ===== ============ ============ ============== ============== ===========
    sheet fault         responsib.   parts replaced released cost  on site
    ===== ============ ============ ============== ============== ===========
    c1    hydraulics   manufact.    seal kit × 2   300 + 90 local 2 h, freight 50
    c2    electrical   supplier     pump × 1       800            4 h, major
    c3    hydraulics   misuse       seal kit × 1   —              1 h, closed
    ===== ============ ============ ============== ============== ===========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.env.company.email = "service@forklift.example.com"

        cls.rnd = cls._user("rp_rnd", "group_forklift_rnd")
        cls.qa_manager = cls._user("rp_qa_manager", "group_forklift_qa_manager")
        cls.aftersales_vp = cls._user("rp_vp", "group_forklift_aftersales_vp")
        cls.sales_vp = cls._user("rp_sales_vp", "group_forklift_sales_vp_domestic")
        cls.plain_user = cls._group_user("rp_plain", "base.group_user")

        cls.vehicle_type = cls.env["product.category"].create(
            {"name": "Diesel Forklifts"}
        )
        cls.forklift_product.categ_id = cls.vehicle_type
        vendor = cls.env["res.partner"].create
        cls.seal_supplier = vendor({"name": "Seal Supplier Co", "is_company": True})
        cls.pump_supplier = vendor({"name": "Pump Supplier Co", "is_company": True})
        cls.part.write(
            {
                "forklift_guide_price": 600,
                "seller_ids": [Command.create({"partner_id": cls.seal_supplier.id})],
            }
        )
        cls.pump = cls.env["product.product"].create(
            {
                "name": "Hydraulic pump",
                "is_storable": True,
                "standard_price": 800,
                "seller_ids": [Command.create({"partner_id": cls.pump_supplier.id})],
            }
        )
        category = cls.env["forklift.fault.category"].create
        cls.hydraulics = category({"name": "Hydraulics"})
        cls.electrical = category({"name": "Electrical"})
        vietnam = cls.env.ref("base.vn")
        cls.export_customer = cls.env["res.partner"].create(
            {"name": "Saigon Port", "is_company": True, "country_id": vietnam.id}
        )
        cls.export_unit = cls._create_unit(
            "SN-EXP-0001",
            acceptance=date(2026, 1, 10),
            partner=cls.export_customer,
            market="export",
        )

        cls.c1 = cls._handled_case(
            received="2026-03-02 08:00",
            finished=datetime(2026, 3, 2, 13),
            parts=[cls._part_line(cls.part, 2)],
            fault_category_id=cls.hydraulics.id,
            responsibility="manufacturing",
        )
        request = cls._approved_request(
            cls.c1, cls.part, 2, cls.director, warranty_reason="wear"
        )
        request.with_user(cls.staff).freight_cost = 50
        cls._approved_local_purchase(cls.c1, unit_price=45, quantity=2)

        cls.c2 = cls._handled_case(
            unit=cls.unit_b,
            received="2026-03-10 09:00",
            verified="2026-03-11 12:00",
            dispatched="2026-03-13 08:00",
            arrival=datetime(2026, 3, 13, 10),
            finished=datetime(2026, 3, 13, 14),
            parts=[cls._part_line(cls.pump, 1)],
            fault_category_id=cls.electrical.id,
            responsibility="supplier",
            severity="major",
        )
        cls._approved_request(cls.c2, cls.pump, 1, cls.qa_manager)

        cls.c3 = cls._handled_case(
            received="2026-03-20 01:00",
            verified="2026-03-20 03:00",
            arrival=datetime(2026, 3, 21, 9),
            parts=[cls._part_line(cls.part, 1, warranty=False)],
            fault_category_id=cls.hydraulics.id,
            responsibility="misuse",
        )
        order = cls.c3.service_order_ids
        with freeze_time("2026-03-21 10:00"):
            order.action_done()
            order._sign("Wang Jun", SIGNATURE)
            order.action_register()
            cls._director_review(order)
            cls.c3.action_report_to_qa()
            # the paid service is billed before the sheet closes
            cls.c3.action_create_paid_sale()
            cls.c3.action_close()

        with freeze_time("2026-03-05 02:00"):
            cls.cancelled = cls._create_case(received_date=datetime(2026, 3, 5, 2))
            cls.cancelled.action_cancel()
        cls.february = cls._create_case(received_date=datetime(2026, 2, 27, 10))
        # 1 April 01:00 in Shanghai: April's
        cls.april = cls._create_case(received_date=datetime(2026, 3, 31, 17))
        with freeze_time("2026-03-02 09:00"):
            cls.export_case = cls._create_case(
                unit=cls.export_unit, received_date=datetime(2026, 3, 2, 9)
            )
        # the export division and its recipients belong to the export addon:
        # here the export reports go to a mailbox of their own
        cls.export_desk = cls.env["res.partner"].create(
            {"name": "Export desk", "email": "export.desk@example.com"}
        )
        cls.env["forklift.report.recipient"].create(
            [
                {
                    "name": "Export desk",
                    "report_type": report_type,
                    "market": "export",
                    "partner_ids": [Command.set(cls.export_desk.ids)],
                }
                for report_type in ("daily", "monthly")
            ]
        )

    @classmethod
    def _handled_case(
        cls,
        received,
        parts,
        verified=None,
        dispatched=None,
        arrival=None,
        finished=None,
        unit=None,
        **vals,
    ):
        """A sheet received, verified, dispatched to the technician, and the
        work done on site (arrival, finished), each at the given UTC time; a
        step not given comes an hour after the one before."""
        times = [datetime.fromisoformat(received)]
        for step in (verified, dispatched, arrival, finished):
            if isinstance(step, str):
                step = datetime.fromisoformat(step)
            times.append(step or times[-1] + timedelta(hours=1))
        received, verified, dispatched, arrival, finished = times
        with freeze_time(received):
            case = cls._create_case(unit=unit, received_date=received, **vals)
        with freeze_time(verified):
            diagnosis = {
                "verification": "<p>Checked on site.</p>",
                "route": "technician",
            }
            if case.responsibility == "supplier" and "supplier_part_id" in case._fields:
                # with the supplier addon installed, the failed part is named
                # with the diagnosis; its main vendor is the supplier at fault
                diagnosis["supplier_part_id"] = parts[0][2]["product_id"]
            case.write(diagnosis)
            case.action_verify()
        with freeze_time(dispatched):
            order = cls._service_order(case, part_ids=parts)
            order.action_dispatch()
        if case.warranty_verdict == "paid":
            # the customer consents before the paid work starts
            case.write({"paid_ack_signature": SIGNATURE, "paid_ack_signed_by": "Wang"})
        order.write(
            {
                "arrival_date": arrival,
                "finished_date": finished,
                "work_done": "<p>Repaired.</p>",
                "photo_ids": [cls._photo(order)],
            }
        )
        return case

    @classmethod
    def _approved_request(
        cls, case, product, quantity, approver, warranty_reason="unqualified"
    ):
        request = cls.env["forklift.parts.request"].create(
            cls._parts_request_vals(
                case, quantity, warranty_reason, product_id=product.id
            )
        )
        request.request_validation()
        request.with_user(approver).validate_tier()
        return request

    @classmethod
    def _approved_local_purchase(cls, case, unit_price, quantity):
        purchase = cls._local_purchase(case, unit_price, quantity)
        purchase.with_user(cls.director).action_confirm_consent()
        purchase.request_validation()
        for approver in (cls.director, cls.qa_manager, cls.aftersales_vp):
            purchase.with_user(approver).validate_tier()
        return purchase

    def _mails(self, report):
        """The report's own mails (not the activity notifications)."""
        return self.env["mail.mail"].search(
            [
                ("model", "=", report._name),
                ("res_id", "=", report.id),
                ("subject", "=", report.name),
            ]
        )

    def _workbook(self, attachment):
        return openpyxl.load_workbook(io.BytesIO(attachment.raw), read_only=True)

    @staticmethod
    def _rows(sheet):
        return [list(row) for row in sheet.iter_rows(values_only=True)]


@tagged("post_install", "-at_install")
class TestReportStatistics(ForkliftReportCommon):
    """Statistics views (000 §4.1.6, §6.5; R-256, R-257, R-259)."""

    def test_feedback_statistics_per_sheet(self):
        rows = self.env["forklift.feedback.analysis"].search(
            [("feedback_id", "in", (self.c1 | self.c2 | self.c3).ids)], order="date"
        )
        self.assertEqual(rows.feedback_id, self.c1 | self.c2 | self.c3)
        c1, c2, c3 = rows
        self.assertEqual(c1.parts_cost, 300 + 90, "released parts and local purchase")
        self.assertEqual(c1.freight_cost, 50)
        self.assertAlmostEqual(c1.labour_hours, 2)
        self.assertEqual(c1.labour_cost, 240, "2 h at 120 an hour")
        self.assertEqual(c1.total_cost, 390 + 240 + 50)
        self.assertEqual(c1.vehicle_type_id, self.vehicle_type)
        self.assertEqual(c1.serial, "SN-A-0001")
        self.assertEqual(c1.dispatch_on_time, 100)
        self.assertFalse(c1.supplier_id, "only supplier-caused failures")
        self.assertEqual(c2.supplier_id, self.pump_supplier)
        self.assertEqual(c2.major_count, 1)
        self.assertEqual(
            (c2.dispatch_on_time, c2.answer_on_time, c2.onsite_on_time), (0, 0, 0)
        )
        self.assertEqual(c3.closed_count, 1)
        self.assertEqual(c3.onsite_on_time, 0, "arrived after the 24 h commitment")
        self.assertFalse(
            self.env["forklift.feedback.analysis"].search(
                [("feedback_id", "=", self.cancelled.id)]
            ),
            "cancelled sheets are not counted",
        )

    def test_pivot_groups_by_fault_category(self):
        groups = self.env["forklift.feedback.analysis"]._read_group(
            [("date", ">=", datetime(2026, 2, 28, 16)), ("market", "=", "domestic")],
            ["fault_category_id"],
            ["__count", "total_cost:sum", "dispatch_on_time:avg"],
        )
        by_category = {category: rest for category, *rest in groups}
        self.assertEqual(by_category[self.hydraulics][:2], [2, 680 + 120])
        self.assertEqual(by_category[self.electrical][:2], [1, 800 + 480])
        self.assertEqual(by_category[self.hydraulics][2], 100)

    def test_part_statistics_keep_failures_and_cost_apart(self):
        groups = self.env["forklift.part.analysis"]._read_group(
            [("feedback_id", "in", (self.c1 | self.c2 | self.c3).ids)],
            ["product_id", "supplier_id"],
            ["quantity_replaced:sum", "quantity_released:sum", "cost:sum"],
        )
        self.assertEqual(
            sorted((p.name, s.name, *rest) for p, s, *rest in groups),
            [
                ("Hydraulic pump", "Pump Supplier Co", 1, 1, 800),
                ("Lift cylinder seal kit", "Seal Supplier Co", 3, 2, 300),
            ],
        )

    def test_statistics_views_load(self):
        for model in ("forklift.feedback.analysis", "forklift.part.analysis"):
            views = self.env[model].get_views(
                [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")]
            )
            self.assertEqual(
                set(views["views"]), {"pivot", "graph", "list", "search"}, model
            )


@tagged("post_install", "-at_install")
class TestDailySummary(ForkliftReportCommon):
    """The daily repair-record summary (000 §4.1.4, R-004, R-255)."""

    def _domestic_daily(self, day):
        return self.env["forklift.aftersales.report"].search(
            [
                ("report_type", "=", "daily"),
                ("market", "=", "domestic"),
                ("date_from", "=", day),
            ]
        )

    @freeze_time("2026-03-03 00:30")
    def test_domestic_goes_to_qa_and_rnd(self):
        """R-071, R-168, R-273, R-061 (000 §4.1.4): the day's repair records
        are mailed once the day is over, domestic to QA and R&D with the
        leaders in copy, with the spreadsheet attached; the export sheet of the
        day is not in it."""
        self.env["forklift.aftersales.report"]._cron_daily_summary()
        reports = self.env["forklift.aftersales.report"].search(
            [("report_type", "=", "daily"), ("date_from", "=", date(2026, 3, 2))]
        )
        domestic = reports.filtered(lambda r: r.market == "domestic")
        self.assertEqual(domestic.feedback_ids, self.c1)
        self.assertEqual(domestic.state, "sent")

        qa_and_rnd = (self.qa | self.qa_manager | self.rnd).partner_id
        mail = self._mails(domestic)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, qa_and_rnd)
        self.assertEqual(mail.email_cc, self.leader.partner_id.email_formatted)
        self.assertEqual(domestic.recipient_partner_ids, qa_and_rnd)
        self.assertNotIn(self.export_case.name, mail.body_html)

        sheet = self._workbook(domestic.xlsx_attachment_id)["Repair Records"]
        rows = self._rows(sheet)
        self.assertEqual(
            rows[1][0], "Domestic Forklift After-Sales Service and Repair Records"
        )
        start = next(i for i, row in enumerate(rows) if row[1] == "Number")
        header, lines = rows[start], rows[start + 1 :]
        self.assertEqual(len(lines), 1)
        line = dict(zip(header, lines[0], strict=True))
        self.assertEqual(line["Number"], self.c1.name)
        self.assertEqual(line["Received On"], datetime(2026, 3, 2, 16), "Shanghai time")
        self.assertEqual(line["Fault Category"], "Hydraulics")
        self.assertEqual(line["Parts Replaced"], "Lift cylinder seal kit × 2")
        self.assertEqual(
            line["Handled That Day"],
            "received, verified, dispatched, on site, work finished",
        )

    @freeze_time("2026-03-03 00:30")
    def test_the_cron_sends_once(self):
        report_model = self.env["forklift.aftersales.report"]
        report_model._cron_daily_summary()
        reports = report_model.search([("report_type", "=", "daily")])
        self.assertEqual(set(reports.mapped("market")), {"domestic", "export"})
        sent = {report: len(self._mails(report)) for report in reports}
        domestic = reports.filtered(lambda r: r.market == "domestic")
        self.assertEqual(sent[domestic], 1)
        report_model._cron_daily_summary()
        self.assertEqual(report_model.search([("report_type", "=", "daily")]), reports)
        self.assertEqual({report: len(self._mails(report)) for report in reports}, sent)

    def test_a_day_is_cut_at_midnight_in_the_companys_time_zone(self):
        """23:30 in Shanghai is still that day there (15:30 UTC); 00:30 is the
        next day there, although it is still the day before in UTC."""
        with freeze_time("2026-03-04 15:30"):
            late_evening = self._create_case(received_date=datetime(2026, 3, 4, 15, 30))
        with freeze_time("2026-03-04 16:30"):
            after_midnight = self._create_case(
                received_date=datetime(2026, 3, 4, 16, 30)
            )
        report_model = self.env["forklift.aftersales.report"]
        with freeze_time("2026-03-05 01:00"):  # 09:00 on 5 March in Shanghai
            report_model._cron_daily_summary()
        report = self._domestic_daily(date(2026, 3, 4))
        self.assertEqual(report.feedback_ids, late_evening)
        self.assertEqual(report.state, "sent")
        self.assertFalse(
            report_model.search(
                [("report_type", "=", "daily"), ("date_from", "=", date(2026, 3, 5))]
            ),
            "5 March is not over in Shanghai",
        )
        with freeze_time("2026-03-06 01:00"):
            report_model._cron_daily_summary()
        report = self._domestic_daily(date(2026, 3, 5))
        self.assertEqual(report.feedback_ids, after_midnight)

    def test_produced_again_the_summary_lists_the_day_as_it_is_now(self):
        """R-004, R-255: produced again before it is sent, the daily summary
        of 4 March drops a sheet cancelled since and adds one received that
        day but registered late; once sent, it is what was mailed."""
        with freeze_time("2026-03-04 02:00"):
            first = self._create_case(received_date=datetime(2026, 3, 4, 2))
        report_model = self.env["forklift.aftersales.report"]
        with freeze_time("2026-03-05 01:00"):
            report = report_model.with_user(self.staff).create(
                {
                    "report_type": "daily",
                    "market": "domestic",
                    "date_from": "2026-03-04",
                }
            )
            report.action_produce()
        self.assertEqual(report.feedback_ids, first)
        with freeze_time("2026-03-05 03:00"):
            late = self._create_case(received_date=datetime(2026, 3, 4, 3))
            first.action_cancel()
            report.action_produce()
            self.assertEqual(report.feedback_ids, late)
            report.action_send()
            with self.assertRaisesRegex(UserError, "already sent"):
                report.action_produce()
        self.assertEqual(report.feedback_ids, late)

    @freeze_time("2026-03-05 00:30")
    def test_no_summary_for_a_day_without_sheets(self):
        self.env["forklift.aftersales.report"]._cron_daily_summary()
        self.assertFalse(
            self.env["forklift.aftersales.report"].search(
                [("report_type", "=", "daily")]
            ),
            "nothing happened on 4 March",
        )


@tagged("post_install", "-at_install")
class TestMonthlyReports(ForkliftReportCommon):
    """Monthly statistics and analysis report, produced on the 1st and mailed
    before the 5th (000 §4.1.6, R-170, R-256, R-258, A-10)."""

    def _march(self, market="domestic"):
        return self.env["forklift.aftersales.report"].search(
            [
                ("report_type", "=", "monthly"),
                ("market", "=", market),
                ("date_from", "=", date(2026, 3, 1)),
            ]
        )

    @freeze_time("2026-04-01 00:30")
    def test_cron_produces_the_figures_of_the_previous_month(self):
        """R-073, R-275, R-061 (000 §4.1.6; 000-I L39–41): on the 1st the
        statistics of the past month are produced and mailed, due by the 5th:
        domestic to the domestic sales, QA and the leaders."""
        self.env["forklift.aftersales.report"]._cron_monthly_reports()
        report = self._march()
        self.assertEqual(report.state, "sent")
        self.assertEqual(report.date_to, date(2026, 3, 31))
        self.assertEqual(report.due_date, date(2026, 4, 5))
        self.assertEqual(
            (report.feedback_count, report.major_count, report.closed_count), (3, 1, 1)
        )
        self.assertEqual(report.parts_replaced_qty, 4)
        self.assertEqual(report.parts_cost, 300 + 90 + 800)
        self.assertAlmostEqual(report.labour_hours, 7)
        self.assertEqual(report.labour_cost, 840)
        self.assertEqual(report.freight_cost, 50)
        self.assertEqual(report.total_cost, 1190 + 840 + 50)
        self.assertEqual(report.dispatch_on_time, 66.7)
        self.assertEqual(report.answer_on_time, 66.7)
        self.assertEqual(report.onsite_on_time, 33.3)

        faults = report._get_dimension("fault_category_id")["rows"]
        self.assertEqual(
            [(r["label"], r["feedback_count"], r["total_cost"]) for r in faults],
            [("Hydraulics", 2, 800), ("Electrical", 1, 1280)],
        )
        suppliers = report._get_dimension("supplier_id")["rows"]
        self.assertEqual(
            sorted((r["label"], r["feedback_count"]) for r in suppliers),
            [("Not set", 2), ("Pump Supplier Co", 1)],
        )
        parts = report.statistics["parts"]["product_id"]
        self.assertEqual(
            [(p["label"], p["quantity_replaced"], p["cost"]) for p in parts],
            [("Lift cylinder seal kit", 3, 300), ("Hydraulic pump", 1, 800)],
        )
        self.assertIn("3 feedback sheets were received", report.analysis)

        self.assertEqual(
            report.recipient_partner_ids,
            (self.sales_vp | self.qa | self.qa_manager | self.leader).partner_id,
        )
        mail = self._mails(report)
        self.assertEqual(
            mail.attachment_ids, report.xlsx_attachment_id | report.pdf_attachment_id
        )

    @freeze_time("2026-04-01 00:30")
    def test_xlsx_cells_read_back(self):
        self.env["forklift.aftersales.report"]._cron_monthly_reports()
        report = self._march()
        self.assertEqual(
            report.xlsx_attachment_id.name,
            "Monthly statistics and analysis 2026-03 (Domestic).xlsx",
        )
        book = self._workbook(report.xlsx_attachment_id)
        self.assertEqual(
            book.sheetnames,
            [
                "Summary",
                "By Dimension",
                "By Part",
                "Old Parts by Dealer",
                "Feedback Sheets",
                "Part Lines",
                "Failure Rates",
                "Warranty Forecast",
            ],
        )
        summary = {row[0]: row[1] for row in self._rows(book["Summary"]) if row[0]}
        self.assertEqual(summary["Feedback sheets"], 3)
        self.assertEqual(summary["Major Issues"], 1)
        self.assertEqual(summary["Total Cost"], 2080)
        self.assertAlmostEqual(summary["On Site in Time (%)"], 100 / 3)

        cases = self._rows(book["Feedback Sheets"])
        header = cases[0]
        by_number = {row[0]: dict(zip(header, row, strict=True)) for row in cases[1:]}
        self.assertEqual(set(by_number), {self.c1.name, self.c2.name, self.c3.name})
        c2 = by_number[self.c2.name]
        self.assertEqual(c2["Customer"], "Steel Works B")
        self.assertEqual(c2["Supplier"], "Pump Supplier Co")
        self.assertEqual(c2["Responsibility"], "Supplier part")
        self.assertEqual(c2["Received On"], datetime(2026, 3, 10, 17))
        self.assertEqual(c2["Total Cost"], 1280)
        self.assertEqual(by_number[self.c3.name]["Status"], "Closed")

        lines = self._rows(book["Part Lines"])
        header = lines[0]
        lines = [dict(zip(header, row, strict=True)) for row in lines[1:]]
        self.assertEqual(
            len(lines), 6, "3 replaced, 2 released and 1 bought locally (R-262)"
        )
        self.assertEqual(sum(line["Cost Released"] for line in lines), 1100)
        self.assertEqual(sum(line["Cost Bought Locally"] for line in lines), 90)
        self.assertEqual(
            sorted(
                line["Failed Part Serial"]
                for line in lines
                if line["Failed Part Serial"]
            ),
            ["SEAL-0042"] * 3,
        )

        dimensions = self._rows(book["By Dimension"])
        self.assertIn(["Hydraulics", 2], [row[:2] for row in dimensions])

    @freeze_time("2026-04-01 00:30")
    def test_warranty_parts_counted_and_costed_by_reason(self):
        """R-093 (004 §4.6.1): the warranty parts released are counted and
        costed by their reason — wear, missing, unqualified — in the part
        statistics, the monthly figures, their analysis, the XLSX and the
        PDF."""
        groups = self.env["forklift.part.analysis"]._read_group(
            [
                ("feedback_id", "in", (self.c1 | self.c2).ids),
                ("line_type", "=", "released"),
            ],
            ["warranty_reason"],
            ["quantity_released:sum", "cost:sum"],
        )
        self.assertEqual(sorted(groups), [("unqualified", 1, 800), ("wear", 2, 300)])
        self.env["forklift.aftersales.report"]._cron_monthly_reports()
        report = self._march()
        reasons = [
            (r["label"], r["quantity_released"], r["cost"])
            for r in report.statistics["parts"]["warranty_reason"]
            if r["key"]
        ]
        self.assertEqual(
            sorted(reasons), [("Unqualified part", 1, 800), ("Wear part", 2, 300)]
        )
        self.assertIn("Warranty parts released by reason:", report.analysis)
        self.assertIn("Wear part 2", report.analysis)
        self.assertIn("Unqualified part 1", report.analysis)
        by_part = self._rows(self._workbook(report.xlsx_attachment_id)["By Part"])
        self.assertIn(["Wear part", 0, 2, 300], [row[:4] for row in by_part])
        self.assertIn(["Unqualified part", 0, 1, 800], [row[:4] for row in by_part])
        html = self._report_html(
            "forklift_aftersales.action_report_forklift_aftersales_analysis", report
        )
        self.assertIn("Warranty parts cost by reason", html)
        self.assertIn("Unqualified part", html)

    @freeze_time("2026-04-01 00:30")
    def test_analysis_pdf_draws_its_charts(self):
        self.env["forklift.aftersales.report"]._cron_monthly_reports()
        report = self._march()
        html = self._report_html(
            "forklift_aftersales.action_report_forklift_aftersales_analysis", report
        )
        self.assertIn("Domestic Forklift After-Sales Analysis Report", html)
        self.assertIn("<svg", html)
        self.assertIn("Feedback sheets by fault category", html)
        self.assertIn("Hydraulics", html)
        self.assertIn("33.3 %", html)

    def _run_with_nobody_to_send_to(self):
        """The monthly job of 1 April 2026 runs while the domestic monthly
        report has no recipient group, so it cannot send; returns the
        recipients' record and the groups it had."""
        monthly = self.env.ref("forklift_aftersales.report_recipient_monthly_domestic")
        groups = monthly.group_ids
        monthly.group_ids = False
        with freeze_time("2026-04-01 00:30"), mute_logger(REPORT_LOGGER):
            self.env["forklift.aftersales.report"]._cron_monthly_reports()
        return monthly, groups

    def test_failed_run_is_retried_until_the_5th_then_the_director_reminded(self):
        """R-073 (000 §4.1.6, A-10): a run that cannot send is retried each
        day; after the 5th the service center director is reminded and sends it
        himself."""
        monthly, groups = self._run_with_nobody_to_send_to()
        report_model = self.env["forklift.aftersales.report"]
        report = self._march()
        self.assertEqual(report.state, "draft", "produced and sent, or nothing")
        self.assertIn("Nobody with an e-mail address", report.message_ids[0].body)
        self.assertFalse(self._mails(report))

        with freeze_time("2026-04-06 00:30"):
            report_model._cron_monthly_reports()
            self.assertTrue(report.is_overdue)
            report_model._cron_monthly_reports()
        reminder = report.activity_ids
        self.assertEqual(
            reminder.user_id, self.director | self.env.ref("base.user_admin")
        )
        self.assertEqual(set(reminder.mapped("date_deadline")), {date(2026, 4, 5)})
        self.assertEqual(report.state, "draft", "after the 5th the director decides")

        monthly.group_ids = groups
        with freeze_time("2026-04-06 09:00"):
            report.with_user(self.director).action_produce()
            report.with_user(self.director).action_send()
        self.assertEqual(report.state, "sent")
        self.assertFalse(report.is_overdue)
        self.assertEqual(len(self._mails(report)), 1)

    def test_retry_on_the_next_day_succeeds(self):
        monthly, groups = self._run_with_nobody_to_send_to()
        report_model = self.env["forklift.aftersales.report"]
        monthly.group_ids = groups
        with freeze_time("2026-04-02 00:30"):
            report_model._cron_monthly_reports()
        report = self._march()
        self.assertEqual((report.state, report.feedback_count), ("sent", 3))
        self.assertEqual(report.send_count, 1)

    def test_send_again_mails_the_same_files(self):
        """R-170, R-256: a sent report is sent again with the files it was
        first mailed with."""
        with freeze_time("2026-04-01 00:30"):
            self.env["forklift.aftersales.report"]._cron_monthly_reports()
        report = self._march()
        files = report.xlsx_attachment_id | report.pdf_attachment_id
        analysis = report.analysis
        # the analysis is what the PDF mailed shows: it no longer changes
        with self.assertRaisesRegex(UserError, "was sent"):
            report.with_user(self.staff).write(
                {"analysis": "<p>Seals leak on CPCD30: supplier informed.</p>"}
            )
        with freeze_time("2026-04-03 08:00"):
            report.with_user(self.staff).action_send()
        self.assertEqual(report.send_count, 2)
        mails = self._mails(report)
        self.assertEqual(len(mails), 2)
        for mail in mails:
            self.assertEqual(mail.attachment_ids, files)
        self.assertEqual(report.xlsx_attachment_id | report.pdf_attachment_id, files)
        self.assertEqual(report.analysis, analysis, "the text mailed is kept")
        self.assertEqual(report.state, "sent")

    def test_a_sent_report_keeps_its_figures_and_the_files_it_mailed(self):
        """R-007, R-008, R-170, R-256: once sent, the monthly statistics and
        analysis are what was mailed: producing them again is refused, after
        an input sheet changed too, and the files stay on the report, on its
        "Mailed to" message and on the mail still waiting to go out."""
        with freeze_time("2026-04-01 00:30"):
            self.env["forklift.aftersales.report"]._cron_monthly_reports()
        report = self._march()
        self.assertEqual(report.state, "sent")
        files = report.xlsx_attachment_id | report.pdf_attachment_id
        contents = {attachment: attachment.raw for attachment in files}
        mail = self._mails(report)
        self.assertEqual(mail.attachment_ids, files)
        mailed = report.message_ids.filtered(lambda m: "Mailed to" in (m.body or ""))
        self.assertEqual(mailed.attachment_ids, files)
        names = [
            "state",
            "feedback_count",
            "total_cost",
            "statistics",
            "produced_date",
            "sent_date",
            "send_count",
            "recipient_partner_ids",
        ]
        kept = report.read(names)
        with freeze_time("2026-04-02 08:00"):
            # an input sheet of March changes after the report went out
            self._create_case(received_date=datetime(2026, 3, 25, 2))
            for user in (self.technician, self.staff, self.director):
                with self.subTest(user=user.login):
                    with self.assertRaisesRegex(UserError, "already sent"):
                        report.with_user(user).action_produce()
        report.invalidate_recordset()
        self.assertEqual(report.read(names), kept)
        self.assertEqual(report.xlsx_attachment_id | report.pdf_attachment_id, files)
        for attachment, raw in contents.items():
            self.assertTrue(attachment.exists())
            self.assertEqual(attachment.raw, raw)
        mail.invalidate_recordset()
        mailed.invalidate_recordset()
        self.assertEqual(mail.attachment_ids, files)
        self.assertEqual(mailed.attachment_ids, files)

    def test_a_sent_report_prints_again_as_it_was_mailed(self):
        """R-007, R-170, R-256 (000 §4.1.6): printed again from the report
        (its Print menu or its XLSX link), a report sent gives the workbook
        its recipients received: the figures and the detail rows of the
        sheets as they were when it was produced, not a sheet of the month
        added or changed since. A report not sent yet prints the rows as
        they are now; printed with others, a sent report asks to be printed
        alone."""
        with freeze_time("2026-04-01 00:30"):
            self.env["forklift.aftersales.report"]._cron_monthly_reports()
        report = self._march()
        self.assertEqual(report.state, "sent")
        mailed = self._workbook(report.xlsx_attachment_id)
        sheets = {name: self._rows(mailed[name]) for name in mailed.sheetnames}
        self.assertIn("Steel Works B", str(sheets["Feedback Sheets"]))
        with freeze_time("2026-04-02 08:00"):
            # a sheet of March comes in late, another's customer is renamed
            late = self._create_case(received_date=datetime(2026, 3, 25, 2))
            self.c2.partner_id.name = "Steel Works B (renamed)"
            february = self.env["forklift.aftersales.report"].create(
                {
                    "report_type": "monthly",
                    "market": "domestic",
                    "date_from": "2026-02-01",
                }
            )
            february.action_produce()
        xlsx = "forklift_aftersales.report_forklift_aftersales_xlsx"
        for user in (self.staff, self.qa, self.director):
            with self.subTest(user=user.login):
                content, _format = (
                    self.env["ir.actions.report"]
                    .with_user(user)
                    ._render_xlsx(xlsx, report.ids, data=None)
                )
                book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
                printed = {name: self._rows(book[name]) for name in book.sheetnames}
                self.assertEqual(printed, sheets)
                self.assertNotIn(late.name, str(printed))
                self.assertNotIn("(renamed)", str(printed))
        # a report not sent prints the rows as they are now
        content, _format = (
            self.env["ir.actions.report"]
            .with_user(self.staff)
            ._render_xlsx(xlsx, february.ids, data=None)
        )
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        self.assertIn("Feedback Sheets", book.sheetnames)
        with self.assertRaisesRegex(UserError, "print it alone"):
            self.env["ir.actions.report"].with_user(self.staff)._render_xlsx(
                xlsx, (report | february).ids, data=None
            )

    def test_the_files_of_a_sent_report_are_kept_whoever_writes_them(self):
        """R-007, R-008, R-170, R-256: the XLSX and PDF a report was mailed
        with are the report's files, its "Mailed to" message's and its queued
        mail's: a technician, the staff or the director, who may write the
        report, neither deletes, rewrites, renames nor moves them through the
        attachments themselves. Nothing changes; a report produced but not
        sent keeps its files too, until it is produced again."""
        with freeze_time("2026-04-01 00:30"):
            self.env["forklift.aftersales.report"]._cron_monthly_reports()
        report = self._march()
        self.assertEqual(report.state, "sent")
        produced = self.env["forklift.aftersales.report"].create(
            {"report_type": "monthly", "market": "domestic", "date_from": "2026-02-01"}
        )
        with freeze_time("2026-04-02 08:00"):
            produced.with_user(self.staff).action_produce()
        self.assertEqual(produced.state, "produced")
        files = report.xlsx_attachment_id | report.pdf_attachment_id
        produced_files = produced.xlsx_attachment_id | produced.pdf_attachment_id
        self.assertEqual((len(files), len(produced_files)), (2, 2))
        mail = self._mails(report)
        mailed = report.message_ids.filtered(lambda m: "Mailed to" in (m.body or ""))
        self.assertEqual(mail.attachment_ids, files)
        self.assertEqual(mailed.attachment_ids, files)

        def state(attachments):
            attachments.invalidate_recordset()
            return attachments.sudo().read(
                ["name", "checksum", "raw", "res_model", "res_id", "res_field"]
            )

        before = state(files | produced_files)
        attacks = {
            "delete": lambda attachment: attachment.unlink(),
            "rewrite": lambda attachment: attachment.write(
                {"datas": "Zm9yZ2VkIGZpZ3VyZXM="}
            ),
            "rename": lambda attachment: attachment.write({"name": "forged.xlsx"}),
            "move": lambda attachment: attachment.write({"res_id": produced.id}),
        }
        labels = {attachment: attachment.name for attachment in files | produced_files}
        for user in (self.technician, self.staff, self.director):
            for attachment, label in labels.items():
                for attack, run in attacks.items():
                    with (
                        self.subTest(user=user.login, file=label, attack=attack),
                        self.assertRaisesRegex(UserError, "no longer lets it change"),
                    ):
                        run(attachment.with_user(user))
        self.assertEqual(state(files | produced_files), before)
        report.invalidate_recordset()
        self.assertEqual(report.xlsx_attachment_id | report.pdf_attachment_id, files)
        mail.invalidate_recordset()
        mailed.invalidate_recordset()
        self.assertEqual(mail.attachment_ids, files)
        self.assertEqual(mailed.attachment_ids, files)
        # producing it again still replaces the files of a report not sent
        with freeze_time("2026-04-02 09:00"):
            produced.with_user(self.staff).action_produce()
        self.assertFalse(produced_files.exists())
        self.assertEqual(
            len(produced.xlsx_attachment_id | produced.pdf_attachment_id), 2
        )

    def test_produced_again_a_report_keeps_a_file_already_mailed(self):
        """R-007, R-170: producing a report again replaces its files, but a
        file a message of the report carries (posted with it, or mailed) is
        kept with that message."""
        report = self.env["forklift.aftersales.report"].create(
            {"report_type": "monthly", "market": "domestic", "date_from": "2026-03-01"}
        )
        with freeze_time("2026-04-02 08:00"):
            report.with_user(self.staff).action_produce()
        xlsx, pdf = report.xlsx_attachment_id, report.pdf_attachment_id
        message = report.with_user(self.staff).message_post(
            body="Draft figures for the QA meeting.", attachment_ids=xlsx.ids
        )
        self.assertEqual(message.attachment_ids, xlsx)
        with freeze_time("2026-04-02 09:00"):
            report.with_user(self.staff).action_produce()
        self.assertNotEqual(report.xlsx_attachment_id, xlsx)
        self.assertTrue(xlsx.exists(), "the file of the message is kept")
        message.invalidate_recordset()
        self.assertEqual(message.attachment_ids, xlsx)
        self.assertFalse(pdf.exists(), "the file nobody received is replaced")

    @freeze_time("2027-01-02 00:30")
    def test_january_also_produces_the_annual_statistics(self):
        """R-006 (000 §6.5, L257): in January the statistics of the past year
        are produced by spare part and by vehicle type, month by month, in the
        spreadsheet too."""
        self.env["forklift.aftersales.report"]._cron_monthly_reports()
        annual = self.env["forklift.aftersales.report"].search(
            [("report_type", "=", "annual"), ("market", "=", "domestic")]
        )
        self.assertEqual(annual.date_from, date(2026, 1, 1))
        self.assertEqual(annual.date_to, date(2026, 12, 31))
        self.assertEqual(annual.state, "sent")
        self.assertEqual(annual.feedback_count, 5, "February, March and April's")
        months = annual.statistics["months"]
        self.assertEqual(
            months["vehicle_types"][0]["months"],
            [0, 1, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        )
        self.assertEqual(months["vehicle_types"][0]["label"], "Diesel Forklifts")
        self.assertEqual(months["parts"][0]["months"][2], 3)
        book = self._workbook(annual.xlsx_attachment_id)
        self.assertEqual(
            book.sheetnames,
            ["Summary", "By Dimension", "By Part", "Old Parts by Dealer", "By Month"],
        )
        rows = self._rows(book["By Month"])
        self.assertIn(["Diesel Forklifts", 0, 1, 3, 1], [row[:5] for row in rows])


@tagged("post_install", "-at_install")
class TestReportRules(ForkliftReportCommon):
    """Bad input and access."""

    def _report(self, **vals):
        return self.env["forklift.aftersales.report"].create(
            {"report_type": "monthly", "market": "domestic", **vals}
        )

    def test_periods_must_start_where_they_should(self):
        with self.assertRaisesRegex(ValidationError, "first day of a month"):
            self._report(date_from=date(2026, 3, 15))
        with self.assertRaisesRegex(ValidationError, "1st of January"):
            self._report(report_type="annual", date_from=date(2026, 3, 1))
        with self.assertRaisesRegex(ValidationError, "future"):
            self._report(date_from=date(2099, 1, 1))
        self._report(date_from=date(2026, 3, 1))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._report(date_from=date(2026, 3, 1))

    def test_a_produced_report_keeps_its_period_and_market(self):
        """000 §4.1.4: the figures of a produced report are those of its
        period and market; its analysis may still be completed."""
        report = self._report(date_from=date(2026, 3, 1))
        report.with_user(self.staff).action_produce()
        self._assert_writes_refused(
            report,
            self.staff,
            {
                "date_from": date(2026, 2, 1),
                "market": "export",
                "report_type": "annual",
            },
            "create another report",
        )
        report.with_user(self.staff).write(
            {"market": "domestic", "analysis": "<p>Seals leak.</p>"}
        )
        self.assertEqual(
            (report.report_type, report.market, report.date_from),
            ("monthly", "domestic", date(2026, 3, 1)),
        )

    @freeze_time("2026-03-20 04:00")
    def test_a_period_not_over_is_not_sent(self):
        """R-073, R-170, R-255 (000 §4.1.4, §4.1.6): a report gives the figures
        of a whole day, month or year. Produced while its period runs, it
        shows the figures so far; sent, it would go to the management with
        part of the figures, and the scheduled job, finding it sent, would
        never mail the whole period."""
        reports = (
            self._report(date_from=date(2026, 3, 1))
            | self._report(report_type="annual", date_from=date(2026, 1, 1))
            | self._report(report_type="daily", date_from=date(2026, 3, 20))
        )
        for report in reports:
            with self.subTest(report=report.name):
                report.with_user(self.staff).action_produce()
                self.assertEqual(report.state, "produced")
                with self.assertRaisesRegex(UserError, "not over"):
                    report.with_user(self.staff).action_send()
                self.assertEqual((report.state, report.send_count), ("produced", 0))
        february = self._report(date_from=date(2026, 2, 1))
        february.with_user(self.staff).action_produce()
        february.with_user(self.staff).action_send()
        self.assertEqual((february.state, february.send_count), ("sent", 1))

    def test_a_report_is_produced_before_it_is_sent(self):
        report = self._report(date_from=date(2026, 3, 1))
        with self.assertRaisesRegex(UserError, "Produce"):
            report.action_send()
        self.assertFalse(self._mails(report))

    def test_departments_read_the_statistics_but_do_not_produce(self):
        report = self._report(date_from=date(2026, 3, 1))
        february = self._report(date_from=date(2026, 2, 1))
        for user in (self.qa, self.rnd, self.leader):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.env["forklift.feedback.analysis"]
                    .with_user(user)
                    .search_count([]),
                    6,
                )
                self.assertTrue(report.with_user(user).name)
                with self.assertRaises(AccessError):
                    february.with_user(user).action_produce()

    def test_a_sent_report_is_only_sent_again(self):
        """R-007, R-008, R-170 (000 §4.1.6): the after-sales staff produce
        and send a report; once sent, its figures, sheets, recipients and
        state are what was mailed: no user rewrites them over RPC, not even
        the director, who deletes a draft report only; the departments who
        read the statistics neither produce nor send one."""
        february = self._report(date_from=date(2026, 2, 1))
        february.with_user(self.staff).action_produce()
        february.with_user(self.staff).action_send()
        self._assert_writes_refused(
            february,
            self.director,
            {
                "state": "produced",
                "feedback_count": 99,
                "total_cost": 1.0,
                "statistics": {"totals": {"feedback_count": 99}},
                "feedback_ids": [Command.set(self.c1.ids)],
                "recipient_partner_ids": [Command.set(self.customer.ids)],
                "sent_date": datetime(2026, 3, 1),
                "send_count": 0,
            },
        )
        for user in (self.qa, self.rnd, self.leader):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                february.with_user(user).action_send()
        for user in (self.staff, self.director):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                february.with_user(user).unlink()
        draft = self._report(date_from=date(2026, 3, 1))
        with self.assertRaises(AccessError):
            draft.with_user(self.staff).unlink()
        draft.with_user(self.director).unlink()
        february.with_user(self.staff).action_send()
        self.assertEqual((february.state, february.send_count), ("sent", 2))

    def test_users_outside_after_sales_see_no_statistics(self):
        with self.assertRaises(AccessError):
            self.env["forklift.feedback.analysis"].with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self.env["forklift.part.analysis"].with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self.env["forklift.aftersales.report"].with_user(self.plain_user).search([])

    def test_only_directors_configure_recipients(self):
        """R-061 (000 §4.1.4–4.1.6): who receives the reports of a market is
        configuration: the director changes the list, the staff cannot."""
        recipients = self.env.ref("forklift_aftersales.report_recipient_daily_domestic")
        with self.assertRaises(AccessError):
            recipients.with_user(self.staff).partner_ids = self.customer
        recipients.with_user(self.director).partner_ids = self.customer
        to, _cc = self.env["forklift.report.recipient"]._get_recipients(
            "daily", "domestic"
        )
        self.assertIn(self.customer, to)

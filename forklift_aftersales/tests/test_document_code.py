import io
from datetime import date

import openpyxl

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestDocumentCode(ShippedPartsCommon):
    """R-136 (000 §6): every quality record carries its document code
    MC·JL-××-XS《…》 (-1 and -2 for the statistics tables), set by the
    after-sales manager and printed at the top of each PDF page body and in
    the first rows of the XLSX."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.codes = cls.env["forklift.document.code"]
        cls.env.ref("forklift_aftersales.document_code_service_order").with_user(
            cls.director
        ).code = "MC·JL-05-XS"
        cls.request = cls._shipped_request()

    def _page_top(self, html):
        """The page body, where the code is printed before anything else."""
        return html[html.index('class="page"') :]

    def _produced_book(self, report_type, date_from):
        """A domestic statistics report produced, and its XLSX opened."""
        report = self.env["forklift.aftersales.report"].create(
            {"report_type": report_type, "market": "domestic", "date_from": date_from}
        )
        report.action_produce()
        book = openpyxl.load_workbook(
            io.BytesIO(report.xlsx_attachment_id.raw), read_only=True
        )
        return report, book

    def test_each_pdf_prints_its_code_at_the_top_of_the_page(self):
        order = self._service_order(self._verified_case())
        # report, record, code, its document's title, the heading it precedes
        for report, record, code, title, heading in (
            (
                "action_report_forklift_service_order",
                order,
                "MC·JL-05-XS",
                "After-Sales Service Handling Sheet",
                "Service Order",
            ),
            (
                "action_report_forklift_departure_permit",
                self.request.picking_id,
                "MC·JL-××-XS",
                "Departure Permit",
                "Departure Permit ",
            ),
        ):
            with self.subTest(report=report):
                html = self._page_top(
                    self._report_html(f"forklift_aftersales.{report}", record)
                )
                self.assertIn(f"{code}《{title}》", html)
                self.assertLess(html.index(code), html.index(heading))
        oldpart = self.request.oldpart_return_ids
        self.assertTrue(oldpart)
        html = self._report_html(
            "forklift_aftersales.action_report_forklift_oldpart_return", oldpart
        )
        self.assertIn("MC·JL-××-XS《Warranty Old-Part Return Note》", html)

    def test_statistics_carry_their_codes_in_pdf_and_xlsx(self):
        report, book = self._produced_book("monthly", date(2026, 2, 1))
        html = self._report_html(
            "forklift_aftersales.action_report_forklift_aftersales_analysis", report
        )
        self.assertIn("MC·JL-××-XS《Forklift After-Sales Analysis Report》", html)
        for name in ("Summary", "By Dimension", "By Part"):
            first = next(book[name].iter_rows(values_only=True))
            self.assertEqual(
                first[0],
                "MC·JL-××-XS-2《Monthly Forklift After-Sales Statistical Analysis "
                "(II)》",
                name,
            )
        _daily, book = self._produced_book("daily", date(2026, 2, 2))
        first = next(book["Repair Records"].iter_rows(values_only=True))
        self.assertTrue(first[0].startswith("MC·JL-××-XS《"), first[0])

    def test_the_director_sets_the_codes_per_company(self):
        code = self.env.ref("forklift_aftersales.document_code_departure_permit")
        for user in (self.staff, self.qa, self.warehouse_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                code.with_user(user).code = "FORGED-01"
        code.with_user(self.director).code = "MC·JL-21-XS"
        other = self.env["res.company"].create({"name": "Export Branch Co"})
        # the director sets the codes of the companies he works in
        self.director.company_ids |= other
        self.codes.with_user(self.director).with_company(other).create(
            {
                "key": "departure_permit",
                "name": "Departure Permit",
                "code": "EX·JL-21",
                "company_id": other.id,
            }
        )
        self.assertEqual(self.codes._get_code("departure_permit").code, "MC·JL-21-XS")
        self.assertEqual(
            self.codes._get_code("departure_permit", other).code, "EX·JL-21"
        )
        with self.assertRaisesRegex(ValidationError, "already has its document code"):
            self.codes.with_user(self.director).create(
                {"key": "departure_permit", "name": "Twice", "code": "X"}
            )

import io
from datetime import date

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestPartsStockCommitment(ForkliftCommon):
    """R-099, R-266 (000 第四篇 §6): the company keeps a spare-parts stock of a
    committed value (500,000 yuan in Guangzhou); the monthly statistics show
    the stock on hand against it, in the PDF and in the XLSX."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.spare_parts = cls.env.ref("forklift_aftersales.stock_location_spare_parts")
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Shelf B", "location_id": cls.spare_parts.id, "usage": "internal"}
        )
        quants = cls.env["stock.quant"]
        # 4 + 2 seal kits at 150 in the parts stock and a shelf of it: 900
        quants._update_available_quantity(cls.part, cls.spare_parts, 4)
        quants._update_available_quantity(cls.part, cls.shelf, 2)
        # parts elsewhere in the warehouse do not count
        quants._update_available_quantity(
            cls.part, cls.env.ref("stock.stock_location_stock"), 10
        )
        cls.company.forklift_parts_stock_commitment = 1000

    def _produce(self, month=date(2026, 2, 1)):
        report = self.env["forklift.aftersales.report"].create(
            {"report_type": "monthly", "market": "domestic", "date_from": month}
        )
        report.with_user(self.staff).action_produce()
        return report

    def test_default_commitment_is_500000(self):
        company = self.env["res.company"].create({"name": "Second Forklift Co"})
        self.assertEqual(company.forklift_parts_stock_commitment, 500000)

    def test_monthly_report_compares_the_stock_with_the_commitment(self):
        report = self._produce()
        self.assertEqual(report.parts_stock_value, 900)
        self.assertEqual(report.parts_stock_commitment, 1000)
        self.assertEqual(report.parts_stock_shortfall, 100)
        self.assertIn("short of the commitment", report.analysis)
        html = self._report_html(
            "forklift_aftersales.action_report_forklift_aftersales_analysis", report
        )
        self.assertIn("Spare-parts stock commitment", html)
        self.assertIn("Below the commitment by", html)
        book = openpyxl.load_workbook(
            io.BytesIO(report.xlsx_attachment_id.raw), read_only=True
        )
        rows = {
            row[0]: row[1]
            for row in book["Summary"].iter_rows(values_only=True)
            if row and row[0]
        }
        self.assertEqual(rows["Spare-Parts Stock Value"], 900)
        self.assertEqual(rows["Committed Stock Value"], 1000)
        self.assertEqual(rows["Stock Below Commitment"], 100)
        self.assertEqual(rows["Commitment kept"], "No")

    def test_the_figures_are_frozen_and_kept_when_the_stock_suffices(self):
        self.env["stock.quant"]._update_available_quantity(
            self.part, self.spare_parts, 1
        )
        report = self._produce(date(2026, 1, 1))
        self.assertEqual(report.parts_stock_value, 1050)
        self.assertFalse(report.parts_stock_shortfall)
        self.assertIn("the commitment is kept", report.analysis)
        with self.assertRaises(AccessError):
            report.with_user(self.director).write({"parts_stock_value": 5000000})
        # the stock moves on: the produced figure stays what it was
        self.env["stock.quant"]._update_available_quantity(
            self.part, self.spare_parts, -5
        )
        self.assertEqual(report.parts_stock_value, 1050)

    def test_only_settings_admins_change_the_commitment(self):
        with self.assertRaises(AccessError):
            self.company.with_user(self.director).write(
                {"forklift_parts_stock_commitment": 1}
            )

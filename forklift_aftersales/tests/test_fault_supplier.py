from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import buy_only_from
from .test_reports import ForkliftReportCommon


@tagged("post_install", "-at_install")
class TestFaultSupplier(ForkliftReportCommon):
    """The supplier at fault of a supplier-caused failure is fixed on the
    sheet from the failed part's main vendor when it becomes known, and the
    statistics read it from there: purchasing moving a part to another vendor
    does not rewrite the months already reported; only QA corrects it
    (000 §4.1.6, §4.2.3, §3.3; R-224, R-256, R-261, R-049)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a vendor by its price lines alone (buy_only_from)
        cls.new_vendor = cls._vendor("New Pump Works", supplier_rank=0)

    def _march(self):
        return self.env["forklift.aftersales.report"].search(
            [
                ("report_type", "=", "monthly"),
                ("market", "=", "domestic"),
                ("date_from", "=", datetime(2026, 3, 1).date()),
            ]
        )

    def _by_supplier(self, report):
        return sorted(
            (row["label"], row["feedback_count"])
            for row in report._get_dimension("supplier_id")["rows"]
        )

    def _statistics_row(self, case):
        return self.env["forklift.feedback.analysis"].search(
            [("feedback_id", "=", case.id)]
        )

    @freeze_time("2026-04-01 00:30")
    def test_vendor_change_leaves_the_sheet_and_the_month_as_they_were(self):
        """R-256, R-261: March's statistics name the pump's vendor of March;
        produced again after purchasing changed the vendor, they still do,
        on the sheet, in the statistics row, by dimension and in the XLSX."""
        self.assertEqual(self.c2.supplier_id, self.pump_supplier)
        self.assertFalse(self.c1.supplier_id, "only supplier-caused failures")
        # produced, not yet sent: a sent report is not produced again
        report = self.env["forklift.aftersales.report"].create(
            {"report_type": "monthly", "market": "domestic", "date_from": "2026-03-01"}
        )
        report.with_user(self.staff).action_produce()
        self.assertEqual(report, self._march())
        before = self._by_supplier(report)
        self.assertEqual(before, [("Not set", 2), ("Pump Supplier Co", 1)])

        buy_only_from(self.pump, self.new_vendor)

        self.assertEqual(self.c2.supplier_id, self.pump_supplier)
        self.assertEqual(self._statistics_row(self.c2).supplier_id, self.pump_supplier)
        report.with_user(self.staff).action_produce()
        self.assertEqual(self._by_supplier(report), before)
        sheets = self._rows(
            self._workbook(report.xlsx_attachment_id)["Feedback Sheets"]
        )
        header = sheets[0]
        by_number = {row[0]: dict(zip(header, row, strict=True)) for row in sheets[1:]}
        self.assertEqual(by_number[self.c2.name]["Supplier"], "Pump Supplier Co")

    def test_a_sheet_verified_after_the_change_names_the_new_vendor(self):
        """R-224: a pump failing after the change is the new vendor's, while
        the earlier failure stays the old vendor's."""
        buy_only_from(self.pump, self.new_vendor)
        case = self._handled_case(
            unit=self.unit_b,
            received="2026-03-25 08:00",
            parts=[self._part_line(self.pump, 1)],
            fault_category_id=self.electrical.id,
            responsibility="supplier",
        )
        self.assertEqual(case.supplier_id, self.new_vendor)
        self.assertEqual(self.c2.supplier_id, self.pump_supplier)
        self.env.flush_all()
        groups = self.env["forklift.feedback.analysis"]._read_group(
            [("feedback_id", "in", (case | self.c2).ids)], ["supplier_id"], ["__count"]
        )
        self.assertEqual(
            sorted((supplier.name, count) for supplier, count in groups),
            [("New Pump Works", 1), ("Pump Supplier Co", 1)],
        )

    def test_the_supplier_at_fault_is_not_written_directly(self):
        """R-005, R-049: nobody moves a verified failure to another supplier
        by writing the sheet, through the form or over RPC; nothing changes."""
        for user in (self.plain_user, self.staff, self.director, self.qa):
            with (
                self.subTest(user=user.login),
                # an AccessError without the right, else the verified
                # diagnosis's UserError (both are user errors)
                self.assertRaises(UserError),
            ):
                self.c2.with_user(user).write({"supplier_id": self.seal_supplier.id})
        self.assertEqual(self.c2.supplier_id, self.pump_supplier)
        self.assertEqual(self._statistics_row(self.c2).supplier_id, self.pump_supplier)

    def test_qa_corrects_the_supplier_with_a_reason(self):
        """R-049 (000 §3.3): QA, who traces responsibility and claims from
        suppliers, corrects a wrong supplier at fault; the reason stays in the
        chatter and the statistics follow."""
        with self.assertRaises(AccessError):
            self.c2.with_user(self.staff).action_correct_supplier()
        with self.assertRaises(AccessError):
            self.c2.with_user(self.staff)._correct_supplier(
                self.seal_supplier, "Wrong vendor"
            )
        action = self.c2.with_user(self.qa).action_correct_supplier()
        wizard_model = (
            self.env[action["res_model"]]
            .with_user(self.qa)
            .with_context(**action["context"])
        )
        wizard = wizard_model.create({"reason": "  "})
        self.assertEqual(wizard.supplier_id, self.pump_supplier)
        wizard.supplier_id = self.seal_supplier
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(self.c2.supplier_id, self.pump_supplier)

        wizard.reason = "The pump was assembled by the seal supplier."
        wizard.action_confirm()
        self.assertEqual(self.c2.supplier_id, self.seal_supplier)
        self.assertIn(
            "The pump was assembled by the seal supplier.",
            self.c2.message_ids[:1].body,
        )
        self.env.flush_all()
        self.assertEqual(self._statistics_row(self.c2).supplier_id, self.seal_supplier)

    def test_no_correction_without_a_verified_supplier_failure(self):
        """Only a verified supplier-caused failure has a supplier to correct."""
        for case in (self.c1, self.february):
            with self.subTest(case=case.name), self.assertRaises(UserError):
                case.with_user(self.qa)._correct_supplier(self.seal_supplier, "Why")
            self.assertFalse(case.supplier_id)

    def test_first_part_replaced_names_the_supplier_when_none_was_known(self):
        """A supplier-caused sheet verified before its failed part was known
        (the core alone names no part with the diagnosis) takes the main
        vendor of its first part replaced, once, as parts are recorded."""
        # as if verified so: the responsibility is part of the diagnosis
        self.c1._as_flow().write({"responsibility": "supplier"})
        self.assertFalse(self.c1.supplier_id)
        self._service_order(self.c1, part_ids=[self._part_line(self.pump, 1)])
        self.assertEqual(
            self.c1.supplier_id, self.seal_supplier, "the seal kit came first"
        )
        buy_only_from(self.part, self.new_vendor)
        self._service_order(self.c1, part_ids=[self._part_line(self.part, 1)])
        self.assertEqual(self.c1.supplier_id, self.seal_supplier)

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.forklift_aftersales_supplier.tests.common import SupplierCommon


@tagged("post_install", "-at_install")
class TestExportSheetConfirmation(SupplierCommon):
    """R-279 (000 第一篇 L81 vs 000 §4.2.3.3): the supplier's signed sheet of an
    export sheet is confirmed by the service center and the overseas division,
    not QA; a domestic case's by the service center and QA."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export_unit = cls._create_unit(
            "SN-EXP-SUP-1", acceptance=date(2026, 1, 10), market="export"
        )
        cls.export_user = cls._group_user(
            "sup_export_division",
            "forklift_aftersales_export.group_forklift_export_division",
        )

    def _sheet_received(self, case):
        with freeze_time("2026-03-02 09:00:00"):
            letter = self._letter(case)
        self._answer(letter)
        self._report_done(letter)
        with freeze_time("2026-03-09 10:00:00"):
            letter._supplier_upload_sheet(
                letter.contact_id, b"JVBERi0K", "sheet.pdf", "Ahmed"
            )
        self.assertEqual(letter.state, "sheet_received")
        return letter

    def test_export_sheet_is_confirmed_by_the_overseas_division(self):
        letter = self._sheet_received(self._supplier_case(unit=self.export_unit))
        self.assertEqual(letter.market, "export")
        with self.assertRaisesRegex(UserError, "service center confirms first"):
            letter.with_user(self.export_user).action_confirm_export_division()
        letter.with_user(self.staff).action_confirm_service_center()
        # QA does not confirm an export sheet's sheet
        with self.assertRaisesRegex(AccessError, "not allowed"):
            letter.with_user(self.qa).action_confirm_qa()
        # nor does the division write the confirmation itself
        with self.assertRaises(AccessError):
            letter.with_user(self.export_user).write(
                {"export_confirmed_by_id": self.export_user.id}
            )
        letter.with_user(self.export_user).action_confirm_export_division()
        self.assertEqual(letter.state, "filed")
        self.assertEqual(letter.export_confirmed_by_id, self.export_user)
        self.assertTrue(letter.export_confirmed_date)
        self.assertFalse(letter.qa_confirmed_by_id)
        self.assertEqual(letter.service_order_id.state, "registered")

    def test_domestic_sheet_stays_with_qa(self):
        letter = self._sheet_received(self._supplier_case())
        letter.with_user(self.staff).action_confirm_service_center()
        with self.assertRaises(AccessError):
            letter.with_user(self.export_user).action_confirm_export_division()
        letter.with_user(self.qa).action_confirm_qa()
        self.assertEqual(letter.state, "filed")
        self.assertFalse(letter.export_confirmed_by_id)

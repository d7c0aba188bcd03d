import base64
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SENT, SupplierCommon

# an HTML page posing as the scan of the signed sheet
HTML_SHEET = base64.b64encode(b"<html><script>alert(1)</script></html>").decode()
PDF_SHEET = base64.b64encode(b"%PDF-1.4 signed").decode()


@tagged("post_install", "-at_install")
class TestFlowOrderSupplier(SupplierCommon):
    """A supplier's service order: dispatched by its contact letter only,
    signed by the scan its own supplier sends (000 §4.2.3.2, §4.2.3.3)."""

    def _done_order(self):
        return self._done_letter(datetime(2026, 3, 5, 10, 0)).service_order_id

    def test_order_is_dispatched_only_by_its_sent_letter(self):
        """Staff write a supplier's order dispatched over RPC without sending
        its letter: refused, nothing changes (R-003, R-086; 000 §4.2.3.2)."""
        case = self._supplier_case()
        letter = self._letter(case, send=False)
        order = letter.service_order_id
        with self.assertRaises(AccessError):
            order.with_user(self.staff).write(
                {"state": "dispatched", "dispatched_date": datetime(2026, 3, 2, 9, 0)}
            )
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.dispatched_date)
        with freeze_time(SENT):
            letter.with_user(self.staff).action_send()
        self.assertEqual(order.state, "dispatched")
        self.assertEqual(order.dispatched_date, datetime(2026, 3, 2, 9, 0))

    def test_supplier_cannot_be_changed_once_dispatched(self):
        """The letter went to one supplier: the order is not handed to another
        one, whose portal would then open it (R-085, R-086)."""
        with freeze_time(SENT):
            letter = self._letter()
        order = letter.service_order_id
        with self.assertRaises(UserError):
            order.with_user(self.staff).write({"supplier_id": self.supplier_b.id})
        self.assertEqual(order.supplier_id, self.supplier_a)

    def test_another_supplier_cannot_send_the_signed_sheet(self):
        """Supplier B's portal user sends a sheet for supplier A's order:
        refused, nothing saved (R-080; 000 §4.2.3.3)."""
        order = self._done_order()
        with self.assertRaises(AccessError):
            order.with_user(self.portal_b).sudo()._sign_with_sheet(
                PDF_SHEET, "signed.pdf", "Wang Jun"
            )
        self.assertFalse(order.supplier_sheet)
        self.assertFalse(order.signed_by)
        self.assertEqual(order.state, "done")
        order.with_user(self.portal_a).sudo()._sign_with_sheet(
            PDF_SHEET, "signed.pdf", "Wang Jun"
        )
        self.assertEqual(order.state, "signed")
        self.assertEqual(order.signed_by, "Wang Jun")

    def test_signed_sheet_must_be_a_pdf_or_an_image(self):
        """An HTML page sent as the signed sheet is refused (R-080)."""
        order = self._done_order()
        with self.assertRaises(UserError):
            order.with_user(self.portal_a).sudo()._sign_with_sheet(
                HTML_SHEET, "signed.html", "Wang Jun"
            )
        with self.assertRaises(UserError):
            order.with_user(self.staff).write(
                {"supplier_sheet": HTML_SHEET, "signed_by": "Wang Jun"}
            )
        self.assertFalse(order.supplier_sheet)
        self.assertEqual(order.state, "done")

    def test_sheet_is_not_written_before_the_work_is_done(self):
        """Staff write a signed sheet on an order still being served: refused
        (R-080; 000 §4.2.3.3)."""
        with freeze_time(SENT):
            letter = self._letter()
        order = letter.service_order_id
        with self.assertRaises(UserError):
            order.with_user(self.staff).write(
                {"supplier_sheet": PDF_SHEET, "signed_by": "Wang Jun"}
            )
        with self.assertRaises(AccessError):
            order.with_user(self.staff).write({"supplier_sheet_name": "x.pdf"})
        self.assertFalse(order.supplier_sheet)
        self.assertFalse(order.signed_by)

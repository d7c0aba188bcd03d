from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestOldpartNotReturned(ShippedPartsCommon):
    """R-235, A-15 (000 §4.3.2.5): a dealer's old parts not back within 30
    days are reminded, then the service center decides to treat them as
    rejected: the parts are sold to the dealer and the return is closed as
    not returned, billed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer_user = cls._portal_user(
            "fa_notret_dealer", cls.dealer_a, "Zhao (dealer A)"
        )
        cls.viewer = cls._group_user("fa_notret_viewer", "group_forklift_viewer")
        # shipped and replaced on 2 March: due back on 1 April
        cls.note = cls._replaced_note()

    def test_reminded_then_sold_to_the_dealer(self):
        """After the due date the existing reminder goes out; the service
        center then bills the parts: a confirmed sale order to the dealer
        and its posted invoice, no second delivery, the return closed as not
        returned, billed, the dealer told."""
        self.assertEqual(self.note.due_date, date(2026, 4, 1))
        with (
            freeze_time("2026-04-01"),
            self.assertRaisesRegex(UserError, "only after that day"),
        ):
            self.note.with_user(self.staff).action_bill_not_returned()
        with freeze_time("2026-04-03"):
            self.env["forklift.oldpart.return"]._cron_remind_overdue()
            self.assertTrue(self.note.activity_ids, "reminded first")
            self.assertTrue(self.note.is_overdue)
            self.note.with_user(self.staff).action_bill_not_returned()
            self.assertFalse(self.note.is_overdue)
        self.assertEqual(self.note.state, "not_returned")
        self.assertEqual(self.note.cost_bearer, "dealer")
        order = self.note.sale_order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id, self.dealer_a)
        self.assertIn(self.note.name, order.origin)
        self.assertEqual(order.order_line.product_id, self.part)
        self.assertEqual(order.order_line.product_uom_qty, 2)
        self.assertFalse(order.picking_ids, "the parts already left: no new delivery")
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 2 * 260)
        self.assertEqual(self.note.invoice_ids, invoice)
        self.assertEqual(order.order_line.qty_invoiced, 2)
        told = self.note.message_ids.filtered(
            lambda m: self.dealer_a in m.partner_ids and order.name in m.body
        )
        self.assertTrue(told)
        with self.assertRaisesRegex(UserError, "no longer expected"):
            self.note.with_user(self.staff).action_bill_not_returned()
        self.assertEqual(len(self.note.invoice_ids), 1)

    def test_the_due_day_is_passed_in_the_companys_time_zone(self):
        """R-235, R-167 (000 §4.3.2.5): the old parts are billed once their due
        day has passed where the company is (Hangzhou), not in a time zone the
        caller names: at 20:00 in Hangzhou on the due day it is already the
        next day in Kiritimati, and the dealer would be billed a day early; at
        01:00 in Hangzhou the next day it is still the due day in Honolulu."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        self.assertEqual(self.note.due_date, date(2026, 4, 1))
        note = self.note.with_user(self.staff)
        with freeze_time("2026-04-01 12:00:00"):
            with self.assertRaises(UserError) as refused:
                note.with_context(tz="Pacific/Kiritimati").action_bill_not_returned()
            self.assertIn("only after that day", str(refused.exception))
        self.assertEqual(self.note.state, "expected")
        self.assertFalse(self.note.sale_order_id)
        with freeze_time("2026-04-01 17:00:00"):
            note.with_context(tz="Pacific/Honolulu").action_bill_not_returned()
        self.assertEqual(self.note.state, "not_returned")

    def test_overdue_in_the_companys_day_whatever_the_users(self):
        """R-235, R-167 (000 §4.3.2.5): the return is overdue once its due day
        has passed where its company is (Hangzhou), for a user whose own
        time zone is far from it, in the flag, the list filter and the
        reminder alike: at 20:00 in Hangzhou on the due day (already the
        next day in Kiritimati) it is not; at 01:00 in Hangzhou the next
        day (still the due day in Honolulu) it is."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        self.assertEqual(self.note.due_date, date(2026, 4, 1))
        returns = self.env["forklift.oldpart.return"]
        overdue = [("is_overdue", "=", True), ("id", "=", self.note.id)]
        for tz, moment, late in (
            ("Pacific/Kiritimati", "2026-04-01 12:00:00", False),
            ("Pacific/Honolulu", "2026-04-01 17:00:00", True),
        ):
            self.staff.tz = tz
            staff_returns = returns.with_user(self.staff).with_context(tz=tz)
            with self.subTest(tz=tz), freeze_time(moment):
                self.note.invalidate_recordset(["is_overdue"])
                self.assertEqual(staff_returns.browse(self.note.id).is_overdue, late)
                self.assertEqual(bool(staff_returns.search(overdue)), late)
                returns._cron_remind_overdue()
                self.assertEqual(bool(self.note.activity_ids), late)

    def test_only_the_service_center_decides(self):
        """The dealer, a read-only user and the warehouse, calling the
        action as RPC would, are refused; nor may the staff write the state
        directly. Nothing is sold."""
        with freeze_time("2026-04-03"):
            for user in (self.dealer_user, self.viewer, self.warehouse_user):
                with (
                    self.subTest(user=user.login),
                    self.assertRaises(AccessError),
                ):
                    self.note.with_user(user).action_bill_not_returned()
            with self.assertRaises(AccessError):
                self.note.with_user(self.staff).write({"state": "not_returned"})
        self.assertEqual(self.note.state, "expected")
        self.assertFalse(self.note.sale_order_id)

    def test_parts_on_their_way_or_back_are_not_billed(self):
        """Parts the dealer shipped back, or the service center received,
        are not missing: refused with the reason."""
        with freeze_time("2026-04-03"):
            self.note.with_user(self.dealer_user)._mark_shipped("SF Express", "SF1")
            with self.assertRaisesRegex(UserError, "already marked shipped"):
                self.note.with_user(self.staff).action_bill_not_returned()
            self.note.with_user(self.staff)._mark_received(date(2026, 4, 3))
            with self.assertRaisesRegex(UserError, "already received"):
                self.note.with_user(self.staff).action_bill_not_returned()
        self.assertFalse(self.note.sale_order_id)

    def test_a_technicians_part_is_charged_not_sold(self):
        """A technician's missing part is charged to him (000 §4.3.2.4), not
        sold to a dealer."""
        with freeze_time("2026-03-02"):
            note = self._shipped_request("technician").oldpart_return_ids
        with (
            freeze_time("2026-04-03"),
            self.assertRaisesRegex(UserError, "not returned by a dealer"),
        ):
            note.with_user(self.staff).action_bill_not_returned()
        self.assertEqual(note.state, "expected")

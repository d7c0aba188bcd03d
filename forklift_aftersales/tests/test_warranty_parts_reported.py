from datetime import timedelta

import pytz

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ShippedPartsCommon, portal_post

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PHOTO = {"name": "seal.jpg", "raw": JPEG, "mimetype": "image/jpeg"}


@tagged("post_install", "-at_install")
class TestWarrantyPartsReported(HttpCase, ShippedPartsCommon):
    """R-082, R-127, R-167 (000 §4.2.2.2): a dealer reports replaced only the
    warranty parts it received for the sheet, once over all the service
    orders of the sheet: what its other orders already reported is no longer
    there to replace, and what came back to stock or is still on a
    backorder was never in its hands."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer_user, _other = cls._dealer_portal_users(
            ("parts_dealer_a", "Zhou Ming"), ("parts_dealer_b", "Qian Lei")
        )

    def _dispatched_order(self, case):
        order = self._service_order(case, performer="dealer")
        order.action_dispatch()
        return order

    def _report(self, order, quantity, hour_meter, parts=None):
        """The dealer reports ``quantity`` seal kits replaced on ``order``."""
        order.with_user(self.dealer_user)._portal_report_work(
            order.dispatched_date,
            "Replaced the lift cylinder seal kit",
            hour_meter,
            [(self.part.id, quantity, "SEAL-1", "Seal lip torn")]
            if parts is None
            else parts,
            [PHOTO],
        )

    def _state(self, order):
        order.invalidate_recordset()
        return order.state, order.hour_meter, order.part_ids, order.photo_ids

    def _assert_refused(self, order, quantity, hour_meter, parts=None):
        before = self._state(order)
        with self.assertRaisesRegex(UserError, "received"):
            self._report(order, quantity, hour_meter, parts)
        self.assertEqual(self._state(order), before)
        self.assertEqual(order.state, "dispatched")
        self.assertFalse(order.part_ids)

    def test_two_orders_of_a_sheet_share_the_parts_received(self):
        """The attack: two dealer orders on one sheet, one request shipping
        two seal kits, the dealer reports two on each. The second report is
        refused and changes nothing: the sheet counts two parts replaced, as
        many as its return of old parts expects back."""
        request = self._shipped_request()
        case = request.feedback_id
        first = self._dispatched_order(case)
        second = self._dispatched_order(case)
        self._report(first, 2, 520)
        self.assertEqual(first.state, "done")
        self._assert_refused(second, 2, 530)
        self._assert_refused(second, 1, 530)
        case.invalidate_recordset()
        self.assertEqual(case.parts_replaced_qty, 2)
        self.assertEqual(sum(request.oldpart_return_ids.line_ids.mapped("quantity")), 2)
        # the dealer still reports its work on the second order, with no part
        self._report(second, 0, 530, parts=[])
        self.assertEqual(second.state, "done")
        self.assertFalse(second.part_ids)

    @mute_logger("odoo.http")
    def test_portal_report_on_a_second_order_is_refused(self):
        """The same attack through the portal page: the second report is
        refused with its reason, the order stays dispatched, no part."""
        case = self._shipped_request().feedback_id
        first = self._dispatched_order(case)
        second = self._dispatched_order(case)
        # the first order's work three hours ago, the second one's an hour ago
        for order, hours in ((first, 3), (second, 2)):
            order._write_flow(
                {"dispatched_date": order.dispatched_date - timedelta(hours=hours)}
            )
        self._report(first, 2, 520)
        arrival = pytz.utc.localize(second.dispatched_date + timedelta(hours=1))
        self.authenticate("parts_dealer_a", "parts_dealer_a")
        response = portal_post(
            self,
            f"/my/forklift/service-orders/{second.id}/report",
            data={
                "arrival": arrival.astimezone(
                    pytz.timezone(self.dealer_user.tz or "UTC")
                ).strftime("%Y-%m-%dT%H:%M"),
                "work_done": "Replaced the fuel filter",
                "hour_meter": "530",
                f"qty_{self.part.id}": "2",
                f"serial_{self.part.id}": "SEAL-2",
                f"damage_{self.part.id}": "Seal lip torn",
            },
            files={"photos": ("seal.jpg", JPEG, "image/jpeg")},
        )
        self.assertIn("can be reported replaced", response.text)
        second.invalidate_recordset()
        self.assertEqual(second.state, "dispatched")
        self.assertFalse(second.part_ids)
        case.invalidate_recordset()
        self.assertEqual(case.parts_replaced_qty, 2)

    def test_what_one_order_left_is_reported_on_the_other(self):
        """One of the two seal kits replaced on the first order: the second
        order reports the other one, not two."""
        case = self._shipped_request().feedback_id
        first = self._dispatched_order(case)
        second = self._dispatched_order(case)
        self._report(first, 1, 520)
        self._assert_refused(second, 2, 530)
        self._report(second, 1, 530)
        case.invalidate_recordset()
        self.assertEqual(case.parts_replaced_qty, 2)

    def test_a_cancelled_order_gives_its_parts_back(self):
        """An order cancelled after the other's parts were recorded counts
        nothing: its parts were not replaced."""
        case = self._shipped_request().feedback_id
        first = self._dispatched_order(case)
        second = self._dispatched_order(case)
        first.part_ids = [
            (0, 0, {"product_id": self.part.id, "quantity": 2, "is_warranty": True})
        ]
        first.action_cancel()
        self._report(second, 2, 530)
        self.assertEqual(second.part_ids.quantity, 2)

    def test_one_report_counts_a_part_named_twice(self):
        """Two lines of the same part in one report add up."""
        case = self._shipped_request().feedback_id
        order = self._dispatched_order(case)
        parts = [
            (self.part.id, 2, "SEAL-1", "Seal lip torn"),
            (self.part.id, 2, "SEAL-2", "Seal lip torn"),
        ]
        self._assert_refused(order, 0, 520, parts=parts)

    def test_only_the_parts_delivered_count(self):
        """A request approved for two seal kits, one shipped and the other
        still on a backorder: one can be reported replaced; once the
        warehouse takes a delivered one back to stock, none."""
        request = self._partly_shipped_request()
        case = request.feedback_id
        delivery = request.picking_id
        self.assertEqual(request.state, "shipped")
        order = self._dispatched_order(case)
        self._assert_refused(order, 2, 520)
        # the delivered seal kit comes back to stock: nothing left to replace
        self._return_to_stock(delivery, 1)
        self._assert_refused(order, 1, 520)
        # the backorder ships the second one: that one is reported
        self._ship_picking(delivery.backorder_ids, 1)
        self._report(order, 1, 520)
        self.assertEqual(order.part_ids.quantity, 1)

import re
from contextlib import suppress

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SIGNATURE, ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestClosingGuard(ShippedPartsCommon):
    """A feedback sheet is closed once nothing of its service is left undone
    (000 §4.1.1, §4.3.1.2, §4.3.2.1): once closed it takes no quote, bill or
    parts request any more, and the statistics count it as finished."""

    def _reported(self, case):
        """The sheet's service orders signed, registered and reviewed, and the
        sheet reported to QA (R-067)."""
        for order in case.service_order_ids:
            if order.state == "draft":
                order.action_dispatch()
                self._record_work(order)
            if order.state == "dispatched":
                order.action_done()
            order._sign("Wang Jun", SIGNATURE)
            order.action_register()
            self._director_review(order)
        case.with_user(self.staff).action_report_to_qa()
        self.assertEqual(case.state, "reported")
        return case

    def test_a_paid_service_is_billed_before_the_sheet_closes(self):
        """R-013, R-101, R-102, 000 §4.3.2.1: the paid work the customer
        consented to is billed (on the spot, or deferred with the director's
        consent) before its sheet closes; closed, the sheet could never bill
        it, and no collection would ever be overdue. Staff closing it unbilled
        are refused; billed, it closes. A paid sheet with nothing to charge
        (no part, no labour) still closes."""
        case = self._reported(self._worked_paid_case(self.unit))
        self.assertEqual(case.warranty_verdict, "paid")
        with self.assertRaisesRegex(UserError, "paid service .* not billed"):
            case.with_user(self.staff).action_close()
        self.assertEqual(case.state, "reported")
        case.with_user(self.staff).action_create_paid_sale()
        case.with_user(self.staff).action_close()
        self.assertEqual(case.state, "closed")
        self.assertTrue(case.invoice_ids)

        nothing = self._verified_case(responsibility="misuse")
        order = self._service_order(nothing)
        order.action_dispatch()
        nothing.write({"paid_ack_signature": SIGNATURE, "paid_ack_signed_by": "Wang"})
        self._record_work(order)
        self._reported(nothing)
        nothing.with_user(self.staff).action_close()
        self.assertEqual(nothing.state, "closed")
        self.assertFalse(nothing.invoice_ids)

    def test_parts_requests_are_shipped_or_cancelled_before_the_sheet_closes(self):
        """R-010, R-162, 000 §4.3.1.2, §4.3.1.3: a sheet's warranty parts
        requests are asked while its service is open; closed with one still
        waiting for approval or for its shipment, the parts would be approved
        and shipped for a sheet whose work is signed and counted. Staff
        closing it are refused, naming the request; shipped or cancelled, the
        sheet closes."""
        case = self._verified_case()
        shipped = self._applied_request(case, "technician")
        self._approve_request(shipped)
        self._ship_request(shipped)
        self.assertEqual(shipped.state, "shipped")
        waiting = self._applied_request(case, "technician", quantity=1)
        self._service_order(case)
        self._reported(case)
        with self.assertRaisesRegex(UserError, re.escape(waiting.name)):
            case.with_user(self.staff).action_close()
        self._approve_request(waiting)
        self.assertEqual(waiting.state, "approved")
        with self.assertRaisesRegex(UserError, re.escape(waiting.name)):
            case.with_user(self.staff).action_close()
        self.assertEqual(case.state, "reported")
        waiting.with_user(self.staff).action_cancel()
        case.with_user(self.staff).action_close()
        self.assertEqual(case.state, "closed")

    def test_a_cancelled_sheet_ships_no_parts(self):
        """R-010, R-001, 000 §4.3.1.2, §4.3.1.3: warranty parts are asked for
        a sheet being serviced. Cancelling the sheet withdraws its requests
        not shipped (as its waiting quotes and open questions): the approver
        no longer approves one asked before, nor does the warehouse ship an
        approved one, for a sheet nobody services."""
        case = self._verified_case()
        asked = self._applied_request(case, "technician", quantity=1)
        approved = self._applied_request(case, "technician", quantity=1)
        self._approve_request(approved)
        delivery = approved.picking_id
        self.assertTrue(delivery)
        case.with_user(self.staff).action_cancel()
        self.assertEqual(case.state, "cancel")
        self.assertEqual((asked | approved).mapped("state"), ["cancel", "cancel"])
        self.assertEqual(delivery.state, "cancel")
        with suppress(UserError, AccessError):
            asked.with_user(self.director).validate_tier()
        self.assertEqual(asked.state, "cancel")
        self.assertFalse(asked.picking_id)

    def test_a_cancelled_sheet_ships_no_backorder(self):
        """R-010, R-162, R-167, 000 §4.3.1.2, §4.3.2.5: a request partly
        shipped before its sheet is cancelled keeps what it shipped (and the
        old part owed back for it), but the rest waiting on its backorder is
        withdrawn with the sheet: the warehouse no longer ships parts for a
        sheet nobody services."""
        request = self._partly_shipped_request()
        case = request.feedback_id
        backorder = request.picking_id.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 1)
        note = request.oldpart_return_ids
        self.assertEqual(note.line_ids.quantity, 1)
        case.with_user(self.staff).action_cancel()
        self.assertEqual(case.state, "cancel")
        self.assertEqual(request.state, "shipped")
        self.assertEqual(request.picking_id.state, "done")
        self.assertEqual(backorder.state, "cancel")
        self.assertEqual(note.state, "expected")
        self.assertEqual(note.line_ids.quantity, 1)
        with suppress(UserError, AccessError):
            backorder.action_assign()
            backorder.move_ids.quantity = 1
            backorder.move_ids.picked = True
            backorder.with_user(self.warehouse_user).button_validate()
        self.assertEqual(backorder.state, "cancel")
        self.assertEqual(note.line_ids.quantity, 1, "nothing more shipped")

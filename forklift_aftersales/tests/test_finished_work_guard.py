from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SIGNATURE, ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestFinishedWorkGuard(ShippedPartsCommon):
    """Finished work is the record of the service given: the service center
    cancels neither a service order whose work is reported done nor the sheet
    it was done for, and records no more warranty parts replaced than the
    sheet received, whatever the caller (R-001, R-002, R-080, R-082, R-167;
    000 §4.2.1.2, §4.3)."""

    def _state(self, *records):
        """The state of ``records`` and the parts they record, as the
        database holds them."""
        self.env.invalidate_all()
        return [
            (
                record.state,
                "part_ids" in record._fields
                and record.sudo().part_ids.read(["quantity", "is_warranty"]),
            )
            for record in records
        ]

    def _assert_refused(self, attempt, error, message, *records):
        """``attempt`` is refused with ``error`` saying ``message`` and
        ``records`` (with their parts) do not change."""
        before = self._state(*records)
        with self.assertRaises(error) as refused:
            attempt()
        self.assertIn(message, str(refused.exception))
        self.assertEqual(self._state(*records), before)

    def _assert_cancel_refused(self, record, *also_kept):
        """``record``'s cancel step by after-sales staff is refused, naming it,
        and neither it nor ``also_kept`` change."""
        self._assert_refused(
            record.with_user(self.staff).action_cancel,
            UserError,
            record.name,
            record,
            *also_kept,
        )

    def _signed(self, case):
        order = self._done_order(case)
        order._sign("Wang Jun", SIGNATURE)
        return order

    def test_finished_order_is_not_cancelled(self):
        """R-002, R-080 (000 §4.2.1.2): the attack: after-sales staff cancel a
        service order whose work is done, signed or registered, and it drops
        out of the sheet's reports, payment and old-part return. Refused; a
        draft or dispatched order is still cancelled."""
        finished = [
            self._done_order(self._verified_case()),
            self._signed(self._verified_case()),
            self._registered_order(
                self._service_order(self._verified_case()), "Wang Jun"
            ),
        ]
        for order in finished:
            with self.subTest(state=order.state):
                self._assert_cancel_refused(order, order.feedback_id)
        open_orders = self._service_order(self._verified_case())
        open_orders |= self._service_order(self._verified_case())
        open_orders[1].action_dispatch()
        open_orders.with_user(self.staff).action_cancel()
        self.assertEqual(set(open_orders.mapped("state")), {"cancel"})

    def test_sheet_with_finished_work_is_not_cancelled(self):
        """R-001, R-067, R-080 (000 §4.2.1.2, §4.1.1): the attack: staff cancel
        a sheet one of whose orders has its work done (its other order still
        dispatched), or whose service is done or reported to QA: the sheet's
        cancel would take the finished order with it. Refused, nothing
        changes; a sheet before its work is still cancelled with its order."""
        working = self._verified_case()
        done = self._done_order(working)
        dispatched = self._service_order(working)
        dispatched.action_dispatch()
        reported = self._verified_case()
        self._registered_order(self._service_order(reported), "Wang Jun")
        reported.action_report_to_qa()
        serviced = self._verified_case()
        self._registered_order(self._service_order(serviced), "Wang Jun")
        for case in (working, serviced, reported):
            with self.subTest(state=case.state):
                self._assert_cancel_refused(case, *case.service_order_ids)
        self.assertEqual((done.state, dispatched.state), ("done", "dispatched"))
        before_work = self._verified_case()
        order = self._service_order(before_work)
        order.action_dispatch()
        before_work.with_user(self.staff).action_cancel()
        self.assertEqual((before_work.state, order.state), ("cancel", "cancel"))

    def test_back_end_parts_capped_by_what_was_received(self):
        """R-082, R-090, R-167 (000 §4.3.1.2, §4.3.2.5): the attack: two seal
        kits shipped for the sheet, the technician records in the back end
        three replaced under warranty on its order, or one more on either
        order (its form, or the part's own create as an import does), or turns
        a part replaced outside the warranty into a warranty one: more old
        parts owed than were ever received; or plans one more on a draft and
        reports its work done. Refused for every caller, as the portal refuses
        it; the two received are recorded."""
        case = self._shipped_request(applicant="technician").feedback_id
        first, second = (self._service_order(case) for _i in range(2))
        (first | second).action_dispatch()
        first, second = (first | second).with_user(self.technician)
        Part = self.env["forklift.service.order.part"].with_user(self.technician)
        line_vals = {
            "order_id": second.id,
            "product_id": self.part.id,
            "quantity": 1,
            "damage_description": "Seal lip torn",
        }
        self._assert_refused(
            lambda: first.write({"part_ids": [self._part_line(self.part, 3)]}),
            ValidationError,
            "received",
            first,
        )
        first.write({"part_ids": [self._part_line(self.part, 2)]})
        line = Part.create(dict(line_vals, is_warranty=False))
        refused = [
            lambda: first.write({"part_ids": [self._part_line(self.part)]}),
            lambda: second.write({"part_ids": [self._part_line(self.part)]}),
            lambda: Part.create(line_vals),
            lambda: line.write({"is_warranty": True}),
            lambda: first.part_ids.write({"quantity": 3}),
        ]
        for attempt in refused:
            self._assert_refused(attempt, ValidationError, "received", first, second)
        self.assertEqual(first.part_ids.quantity, 2)
        self.assertFalse(line.is_warranty)
        # planned on a draft, the parts are checked when the work is reported
        planned = self._service_order(case, part_ids=[self._part_line(self.part)])
        planned.action_dispatch()
        self._record_work(planned)
        self._assert_refused(
            planned.with_user(self.technician).action_done,
            ValidationError,
            "received",
            planned,
        )

from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SIGNATURE, ForkliftCommon

FAR_FUTURE = datetime(2999, 1, 1)


@tagged("post_install", "-at_install")
class TestServiceOrderDates(ForkliftCommon):
    """The times of the work on site are events that happened: never in the
    future, the finish never before the arrival, and a time once recorded by
    its step (the technician's check-in, the work reported done) is not
    rewritten by a user's write. The signed sheet's 7 days (R-082,
    000 §4.2.2.2), the old parts' 30 days (R-167), the pay-by date of a
    deferred payment (R-165), the on-site commitment and its reminder
    (R-129) and the labour statistics count from them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer_user = cls._portal_user(
            "dates_dealer", cls.dealer_a, "Zhou Ming (dealer A)"
        )

    def _dispatched(self, performer="technician", hours_ago=5):
        """An order of a new sheet dispatched ``hours_ago`` hours ago."""
        case = self._verified_case(
            route="dealer" if performer == "dealer" else "technician"
        )
        order = self._service_order(case, performer=performer)
        order.action_dispatch()
        order._write_flow(
            {"dispatched_date": order.dispatched_date - timedelta(hours=hours_ago)}
        )
        return order

    def _times(self, order):
        order.invalidate_recordset()
        return (order.state, order.arrival_date, order.finished_date)

    def test_no_work_time_in_the_future(self):
        """R-082, R-129: a finish or an arrival typed in the future is
        refused, whoever of the service center writes it (the technician of
        the order, the office supervisor of a dealer's order): it would put
        the signed sheet's deadline, the old parts' return and the on-site
        commitment out of reach for good."""
        technician_order = self._dispatched()
        dealer_order = self._dispatched(performer="dealer")
        for order, user in (
            (technician_order, self.technician),
            (dealer_order, self.supervisor),
            (dealer_order, self.staff),
        ):
            before = self._times(order)
            for name in ("finished_date", "arrival_date"):
                with (
                    self.subTest(user=user.login, field=name),
                    self.assertRaisesRegex(UserError, "future"),
                ):
                    order.with_user(user).write({name: FAR_FUTURE})
            hour_later = fields.Datetime.now() + timedelta(hours=1)
            with self.assertRaisesRegex(UserError, "future"):
                order.with_user(user).write({"arrival_date": hour_later})
            self.assertEqual(self._times(order), before)
        # the overdue on-site commitment is still overdue
        self.assertFalse(technician_order.feedback_id.arrival_date)

    def test_dealers_report_takes_no_finish_typed_in_the_future(self):
        """R-082 (000 §4.2.2.2): the finish typed on the dispatched order
        before the dealer reports is refused; one stored before this check
        (2999) is not kept when the dealer reports the work: the order
        finishes when the work is reported, and the signed sheet is due 7
        days later."""
        order = self._dispatched(performer="dealer")
        with self.assertRaisesRegex(UserError, "future"):
            order.with_user(self.staff).write({"finished_date": FAR_FUTURE})
        # a finish stored before the server refused it
        order._as_flow().write({"finished_date": FAR_FUTURE})
        arrival = (order.dispatched_date + timedelta(hours=1)).replace(
            second=0, microsecond=0
        )
        photo = {"name": "seal.png", "datas": SIGNATURE, "mimetype": "image/png"}
        order.with_user(self.dealer_user)._portal_report_work(
            arrival, "Seal kit replaced", 5000, [], [photo]
        )
        now = fields.Datetime.now()
        self.assertEqual(order.state, "done")
        self.assertLessEqual(order.finished_date, now)
        self.assertGreaterEqual(order.finished_date, order.arrival_date)
        days = order.company_id._get_forklift_setting("forklift_dealer_return_days")
        self.assertLessEqual(order.return_deadline, now + timedelta(days=days))

    def test_finish_never_before_the_arrival_even_after_the_departure(self):
        """R-129, R-082: the technician checked in and out; a finish before
        his arrival is refused all the same (the labour hours count from the
        arrival to the finish)."""
        order = self._dispatched()
        technician = order.with_user(self.technician)
        technician.action_check_in_arrival()
        technician.write(
            {
                "work_done": "<p>Replaced the seal kit.</p>",
                "photo_ids": [self._photo(order)],
            }
        )
        technician.action_check_out_departure()
        before = self._times(order)
        # Odoo's assertRaises rolls back, as the refused call does
        with self.assertRaises(ValidationError) as refusal:
            technician.write({"finished_date": order.arrival_date - timedelta(hours=1)})
        self.assertIn("cannot come before the arrival", str(refusal.exception))
        self.assertEqual(self._times(order), before)

    def test_checked_in_arrival_is_not_rewritten(self):
        """R-129 (004 §4.4 B): the check-in records the time the technician
        arrived, which the on-time figures and QA's timeliness assessment
        read: neither he nor the director rewrites it afterwards."""
        order = self._dispatched()
        order.with_user(self.technician).action_check_in_arrival()
        arrived = order.arrival_date
        earlier = order.dispatched_date + timedelta(minutes=30)
        for user in (self.technician, self.director):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(UserError, "recorded"),
            ):
                order.with_user(user).write({"arrival_date": earlier})
        order.invalidate_recordset()
        self.assertEqual(order.arrival_date, arrived)

    def test_typed_arrival_is_not_passed_off_as_checked_in(self):
        """R-129 (004 §4.4 B), R-173, R-176, R-259: whether the arrival was
        checked in on site or typed afterwards is the server's record, which
        the response-time assessment reads. Over RPC the technician who typed
        his arrival, or the director, does not turn it into a check-in, nor
        does anyone type an arrival or create an order saying so: refused,
        nothing changes."""
        order = self._dispatched()
        order.with_user(self.technician).write(
            {"arrival_date": order.dispatched_date + timedelta(hours=1)}
        )
        other = self._dispatched()
        names = ["arrival_date", "arrival_source"]
        before = [self._field_values(o, names) for o in (order, other)]
        orders = self.env["forklift.service.order"]
        count = orders.search_count([])
        case = self._verified_case()
        checked_in = {"arrival_source": "checked_in"}
        self._assert_attacks_refused(
            {
                "technician": lambda: order.with_user(self.technician).write(
                    checked_in
                ),
                "director": lambda: order.with_user(self.director).write(checked_in),
                "typed as checked in": lambda: other.with_user(self.technician).write(
                    {
                        "arrival_date": other.dispatched_date + timedelta(hours=1),
                        **checked_in,
                    }
                ),
                "created": lambda: orders.with_user(self.staff).create(
                    {
                        "feedback_id": case.id,
                        "technician_id": self.technician.id,
                        **checked_in,
                    }
                ),
            }
        )
        self.assertEqual([self._field_values(o, names) for o in (order, other)], before)
        self.assertEqual(order.arrival_source, "typed")
        self.assertEqual(orders.search_count([]), count)

    def test_typed_arrival_is_told_to_the_director_as_typed(self):
        """R-129 (004 §4.4 B): the head is told of the arrival in a timely
        manner however it is recorded. Typed in the back office by the
        technician (000 §4.2.1.2) or on the portal by the dealer, the
        director is told as on a check-in, and the order says the arrival
        was typed; a check-in says it was checked in (the response-time
        assessment, R-173, R-259, tells one from the other)."""
        director = self.director.partner_id
        checked_in = self._dispatched()
        checked_in.with_user(self.technician).action_check_in_arrival()
        typed = self._dispatched()
        typed.with_user(self.technician).write(
            {"arrival_date": typed.dispatched_date + timedelta(hours=1)}
        )
        portal = self._dispatched(performer="dealer")
        photo = {"name": "seal.png", "datas": SIGNATURE, "mimetype": "image/png"}
        portal.with_user(self.dealer_user)._portal_report_work(
            (portal.dispatched_date + timedelta(hours=1)).replace(
                second=0, microsecond=0
            ),
            "Seal kit replaced",
            5000,
            [],
            [photo],
        )
        for order, source, said in (
            (checked_in, "checked_in", "arrived on site for"),
            (typed, "typed", "typed the arrival on site for"),
            (portal, "typed", "typed the arrival on site for"),
        ):
            with self.subTest(order=order.name, source=source):
                told = order.message_ids.filtered(
                    lambda m, said=said: (
                        director in m.notified_partner_ids and said in m.body
                    )
                )
                self.assertEqual(len(told), 1)
                self.assertIn(director, order.message_partner_ids)
                self.assertEqual(order.arrival_source, source)

    def test_technician_closes_his_order_with_the_times_he_typed(self):
        """000 §4.2.1.2: back at the office the technician types when he
        arrived and finished, in the past and in order, and reports the work
        done: the order keeps his times."""
        order = self._dispatched()
        now = fields.Datetime.now().replace(microsecond=0)
        arrival = now - timedelta(hours=4)
        finished = now - timedelta(hours=1)
        technician = order.with_user(self.technician)
        technician.write(
            {
                "arrival_date": arrival,
                "finished_date": finished,
                "work_done": "<p>Replaced the seal kit.</p>",
                "photo_ids": [self._photo(order)],
            }
        )
        technician.action_done()
        self.assertEqual(self._times(order), ("done", arrival, finished))

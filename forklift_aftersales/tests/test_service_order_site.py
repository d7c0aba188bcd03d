from datetime import datetime
from functools import partial

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestServiceOrderOnSite(ForkliftCommon):
    """R-129 (004 §4.4 B): the technician reports to the head on arriving and
    on leaving the site, and major problems go to the company leaders at once;
    R-130, R-208 (004 §4.4 D, 001-C §4 7)): the service report with the
    customer's opinion is reviewed by the service center director after the
    technician's return."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._verified_case()
        cls.order = cls._service_order(cls.case)
        cls.order.action_dispatch()

    def _told(self, record, partner):
        return record.message_ids.filtered(lambda m: partner in m.notified_partner_ids)

    def test_arrival_and_departure_are_checked_in_and_told_to_the_director(self):
        order = self.order.with_user(self.technician)
        before = fields.Datetime.now()
        order.action_check_in_arrival()
        self.assertGreaterEqual(order.arrival_date, before)
        arrived = self._told(order, self.director.partner_id)
        self.assertEqual(len(arrived), 1)
        self.assertIn("arrived on site", arrived.body)
        self.assertIn(self.director.partner_id, order.message_partner_ids)
        order.write(
            {
                "work_done": "<p>Replaced the seal kit.</p>",
                "photo_ids": [self._photo(order)],
            }
        )
        order.action_done()
        order.action_check_out_departure()
        self.assertGreaterEqual(order.departure_date, order.arrival_date)
        told = self._told(order, self.director.partner_id)
        self.assertEqual(len(told), 2)
        self.assertIn("left the site", told[0].body)
        with self.assertRaisesRegex(UserError, "already recorded"):
            order.action_check_out_departure()

    def test_only_the_orders_technician_checks_in(self):
        """Over RPC another staff member, a director or QA cannot record the
        technician's arrival or departure, nor write the times directly."""
        for user in (self.staff, self.director, self.qa):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.order.with_user(user).action_check_in_arrival()
        self.assertFalse(self.order.arrival_date)
        with self.assertRaises(AccessError):
            self.order.with_user(self.technician).write(
                {"departure_date": datetime(2026, 3, 2, 12, 0)}
            )
        with self.assertRaisesRegex(UserError, "before leaving"):
            self.order.with_user(self.technician).action_check_out_departure()
        self.order.with_user(self.technician).action_check_in_arrival()
        with self.assertRaisesRegex(UserError, "already recorded"):
            self.order.with_user(self.technician).action_check_in_arrival()
        draft = self._service_order(self._verified_case())
        with self.assertRaisesRegex(UserError, "not on its way"):
            draft.with_user(self.technician).action_check_in_arrival()

    def test_major_problem_goes_to_the_leaders_at_once(self):
        order = self.order.with_user(self.technician)
        with self.assertRaisesRegex(UserError, "Describe the major problem"):
            order.action_report_major_problem()
        order.major_problem = "Mast cracked at the weld: the forklift is unsafe."
        # a department that only reads the order cannot raise the alarm for it
        with self.assertRaises(AccessError):
            self.order.with_user(self.qa).action_report_major_problem()
        with self.assertRaises(AccessError):
            self.order.with_user(self.qa).write(
                {"major_problem_reported_date": datetime(2026, 3, 2, 12, 0)}
            )
        order.action_report_major_problem()
        self.assertTrue(order.major_problem_reported_date)
        for partner in (self.leader.partner_id, self.director.partner_id):
            told = self._told(order, partner)
            self.assertEqual(len(told), 1, partner.name)
            self.assertIn("Mast cracked", told.body)
        self.assertIn("Mast cracked", self.case.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "already reported"):
            order.action_report_major_problem()
        with self.assertRaisesRegex(UserError, "no longer changes"):
            order.major_problem = "Nothing serious after all."

    def _registered(self, opinion="Fixed on the first visit."):
        return self._work_and_register(self.order, "Wang Jun", opinion)

    def test_director_reviews_the_report_before_the_sheet_closes(self):
        order = self._registered()
        self.assertEqual(order.customer_opinion, "Fixed on the first visit.")
        todo = order.activity_ids.filtered(
            lambda a: a.summary == order._get_review_summary()
        )
        self.assertIn(self.director, todo.user_id)
        self.case.action_report_to_qa()
        with self.assertRaisesRegex(UserError, "not reviewed"):
            self.case.action_close()
        with self.assertRaisesRegex(UserError, "Write the director's review"):
            order.with_user(self.director).action_director_review()
        order.with_user(self.director).write(
            {"director_review_note": "Opinion taken; seal supplier to be watched."}
        )
        order.with_user(self.director).action_director_review()
        self.assertEqual(order.reviewed_by_id, self.director)
        self.assertTrue(order.reviewed_date)
        self.assertFalse(
            order.activity_ids.filtered(
                lambda a: a.summary == order._get_review_summary()
            )
        )
        told = self._told(order, self.technician.partner_id)
        self.assertIn("seal supplier to be watched", told[0].body)
        self.case.action_close()
        self.assertEqual(self.case.state, "closed")
        with self.assertRaisesRegex(UserError, "already reviewed"):
            order.with_user(self.director).write({"director_review_note": "Changed."})

    def test_only_the_director_reviews(self):
        order = self._registered()
        for user in (self.staff, self.technician, self.qa):
            as_user = order.with_user(user)
            self._assert_attacks_refused(
                {
                    "note": partial(
                        as_user.write, {"director_review_note": "Fine by me."}
                    ),
                    "review": as_user.action_director_review,
                    "reviewer": partial(
                        as_user.write,
                        {
                            "reviewed_by_id": self.director.id,
                            "reviewed_date": "2026-03-03",
                        },
                    ),
                },
                user=user.login,
            )
        self.assertFalse(order.reviewed_by_id)

    def test_reports_reviewed_only_once_registered_and_only_own_technicians(self):
        with self.assertRaisesRegex(UserError, "nothing to review"):
            self.order.with_user(self.director).write(
                {"director_review_note": "Too early."}
            )
        dealer_case = self._verified_case(route="dealer")
        dealer_order = self._service_order(dealer_case, performer="dealer")
        self.assertFalse(dealer_order.needs_director_review)
        self._registered_order(dealer_order, "Li Ming")
        with self.assertRaisesRegex(UserError, "nothing to review"):
            dealer_order.with_user(self.director).action_director_review()
        dealer_case.action_report_to_qa()
        dealer_case.action_close()
        self.assertEqual(dealer_case.state, "closed", "no review for a dealer")

    def test_directors_review_is_not_typed_before_the_report(self):
        """R-130, R-208 (004 §4.4 D): the director's review is written on a
        registered report only, by the director: an order is not created over
        RPC with a review already in it, which the director would only have
        to confirm."""
        orders = self.env["forklift.service.order"]
        count = orders.search_count([])
        for user in (self.staff, self.director):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                orders.with_user(user).create(
                    {
                        "feedback_id": self._verified_case().id,
                        "technician_id": self.technician.id,
                        "director_review_note": "Nothing to add.",
                    }
                )
        self.assertEqual(orders.search_count([]), count)
        # the allowed path: the director writes it on the registered report
        order = self._registered()
        self.assertFalse(order.director_review_note)
        self._director_review(order, note="Checked with the technician.")
        self.assertEqual(order.director_review_note, "Checked with the technician.")

    def test_escalation_reason_stays_once_the_leaders_are_told(self):
        """R-251 (004 §4.4 B): the technician may complete the problem while
        only the director is asked; once it went to the company leaders, the
        reason they were told is kept, whoever writes it over RPC."""
        order = self.order.with_user(self.technician)
        order.write({"escalation_reason": "Mast welds cracked."})
        order.action_escalate()
        order.write({"escalation_reason": "Mast welds cracked: unsafe to repair."})
        self.assertEqual(
            order.escalation_reason, "Mast welds cracked: unsafe to repair."
        )
        order.action_escalate_to_leaders()
        for user in (self.technician, self.staff, self.director):
            for reason in ("Nothing serious after all.", False):
                with (
                    self.subTest(user=user.login, reason=reason),
                    self.assertRaisesRegex(UserError, "company leaders"),
                ):
                    self.order.with_user(user).write({"escalation_reason": reason})
        self.order.invalidate_recordset()
        self.assertEqual(
            self.order.escalation_reason, "Mast welds cracked: unsafe to repair."
        )

    def test_pdf_shows_the_departure_and_the_review(self):
        order = self._registered()
        order._as_flow().write({"departure_date": order.finished_date})
        self._director_review(order)
        html = self._report_html(
            "forklift_aftersales.action_report_forklift_service_order", order
        )
        self.assertIn("Left the site", html)
        self.assertIn("Reviewed by the service center director", html)
        self.assertIn("Fixed on the first visit.", html)

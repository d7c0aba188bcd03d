from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ForkliftCommon

# every department a step of the core addon tells, makes follow or asks
MEMBER_GROUPS = (
    "group_forklift_director,group_forklift_leader,group_forklift_committee,"
    "group_forklift_purchasing,group_forklift_rnd"
)


@tagged("post_install", "-at_install")
class TestCompanyMembers(ForkliftCommon):
    """R-073, R-256, R-002 (000 §4.1.6, A-10): the steps that tell a group,
    make it follow a document or give it a to-do reach the group's members
    who work in the document's company. A member of another company is
    neither told of the document (its customer, forklift, problem), nor a
    follower reading its chatter, nor handed a to-do naming it; the members
    of the document's company still are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Forklift Co B"})
        # named to come first among the members of every group: the rush
        # purchase goes to the first purchaser found
        cls.member_b = cls._company_user(
            "cm_member_b", MEMBER_GROUPS, cls.company_b, name="Aaron Branch B"
        )
        cls.purchaser = cls._group_user(
            "cm_purchaser", "group_forklift_purchasing", name="Zhou Purchasing"
        )
        cls.committee_member = cls._group_user(
            "cm_committee", "group_forklift_committee"
        )
        cls.rnd = cls._group_user("cm_rnd", "group_forklift_rnd")

    def _reached(self, record):
        """The partners ``record`` told, made follow it or gave a to-do."""
        messages = record.message_ids
        return (
            record.message_partner_ids
            | messages.partner_ids
            | messages.notified_partner_ids
            | record.activity_ids.user_id.partner_id
        )

    def _assert_company_only(self, record, *own):
        """``record`` reached ``own`` (users of its company) and nothing of it
        reached the member of company B."""
        record.invalidate_recordset()
        partner_b = self.member_b.partner_id
        self.assertNotIn(partner_b, record.message_partner_ids, "not a follower")
        self.assertNotIn(self.member_b, record.activity_ids.user_id, "no to-do")
        self.assertNotIn(partner_b, self._reached(record), "not told")
        self.assertFalse(
            self.env["mail.notification"].search(
                [
                    ("res_partner_id", "=", partner_b.id),
                    ("mail_message_id.model", "=", record._name),
                    ("mail_message_id.res_id", "=", record.id),
                ]
            ),
            "nothing in his inbox or mailbox",
        )
        self.assertFalse(
            self.env["mail.activity"]
            .with_user(self.member_b)
            .search([("res_model", "=", record._name), ("res_id", "=", record.id)])
        )
        for user in own:
            self.assertIn(user.partner_id, self._reached(record), user.login)

    def _dispatched(self):
        order = self._service_order(self._verified_case())
        order.action_dispatch()
        # dispatched five hours ago, for an arrival typed in the past
        order._write_flow(
            {"dispatched_date": order.dispatched_date - timedelta(hours=5)}
        )
        return order.with_user(self.technician)

    def test_service_order_steps_reach_only_the_orders_company(self):
        """R-129, R-130, R-251 (004 §4.4 B, D): the arrival checked in or
        typed, the departure, a major problem, an escalation and the review
        of the report go to the director and leaders of the order's company."""
        order = self._dispatched()
        order.action_check_in_arrival()
        order.write(
            {"work_done": "<p>Seal kit.</p>", "photo_ids": [self._photo(order)]}
        )
        order.action_done()
        order.action_check_out_departure()
        with self.subTest(step="check-in and check-out"):
            self._assert_company_only(order, self.director)

        order = self._dispatched()
        order.write({"arrival_date": order.dispatched_date + timedelta(hours=1)})
        with self.subTest(step="arrival typed"):
            self._assert_company_only(order, self.director)

        order = self._dispatched()
        order.major_problem = "Mast cracked at the weld: the forklift is unsafe."
        order.action_report_major_problem()
        with self.subTest(step="major problem"):
            self._assert_company_only(order, self.director, self.leader)

        order = self._dispatched()
        order.escalation_reason = "Mast welds cracked."
        order.action_escalate()
        order.action_escalate_to_leaders()
        with self.subTest(step="escalation"):
            self._assert_company_only(order, self.director, self.leader)

        order = self._registered_order(
            self._service_order(self._verified_case()), "Wang Jun"
        )
        with self.subTest(step="director review"):
            self.assertTrue(order.activity_ids)
            self._assert_company_only(order, self.director)

    def test_reviews_questions_and_purchases_reach_only_their_company(self):
        """000 §5, R-074, R-094: a committee review, a question to R&D and
        its late answer, a rush purchase go to the committee, R&D and
        purchasing of the document's company; a department of another
        company is not asked for help on a sheet it may not read (R-132)."""
        review = (
            self.env["forklift.committee.review"]
            .with_user(self.staff)
            .create({"subject_type": "other", "title": "Repeated mast failures"})
        )
        with self.subTest(step="committee review"):
            self._assert_company_only(review, self.committee_member)

        case = self._verified_case()
        with freeze_time("2026-03-06 10:00:00"):
            question = (
                self.env["forklift.technical.question"]
                .with_user(self.staff)
                .create({"feedback_id": case.id, "question": "Which seal kit?"})
            )
        with self.subTest(step="question to R&D"):
            self._assert_company_only(question, self.rnd)
        with freeze_time("2026-03-11 09:00:00"):
            question.invalidate_recordset(["is_overdue"])
            self.env["forklift.feedback"]._cron_remind_overdue()
        with self.subTest(step="late answer"):
            summary = case._get_question_overdue_summary()
            self.assertTrue(case.activity_ids.filtered(lambda a: a.summary == summary))
            self._assert_company_only(case, self.rnd)

        spare_parts = self.env.ref("forklift_aftersales.stock_location_spare_parts")
        self.env["stock.quant"]._update_available_quantity(self.part, spare_parts, 1)
        request = self.env["forklift.parts.request"].create(
            {**self._parts_request_vals(case, 3, "unqualified"), "urgency": "urgent"}
        )
        request.request_validation()
        with self.subTest(step="rush purchase"):
            rush = request.activity_ids.filtered(
                lambda a: "Rush purchase" in (a.summary or "")
            )
            self.assertEqual(rush.user_id, self.purchaser)
            self._assert_company_only(request, self.purchaser)

        with self.subTest(step="assistance"):
            case = self._verified_case()
            tomorrow = fields.Date.today() + timedelta(days=1)
            with self.assertRaisesRegex(UserError, "may not read"):
                case.with_user(self.staff)._request_assistance(
                    "purchasing", self.member_b, tomorrow, "Is a kit on its way?"
                )
            self._assert_company_only(case)

    def test_returns_approvals_and_help_reach_only_their_company(self):
        """R-205, R-237, R-238 (000 §4.4.1–2), R-196 (000 §4.2.2.3), R-132
        (004 §4.5): a vehicle return's signatures are asked of the signers
        working in its company, the tier review of each step waits for them
        alone, and its late inspection is reminded to its company's QA; a
        warranty parts request's approval waits for its company's reviewers;
        the request for help offers the department's members of the sheet's
        company. A signer, reviewer or QA inspector of another company is
        neither asked, nor reminded, nor offered."""
        signer_b = self._company_user(
            "cm_signer_b",
            "group_forklift_qa,group_forklift_sales_vp_domestic",
            self.company_b,
            name="Aaron Signer B",
        )
        outsiders = self.member_b | signer_b
        self.office_director, self.sales_vp = self._vehicle_return_signers("cm")
        with freeze_time("2026-04-01 09:00:00"):
            vehicle_return = self._staff_vehicle_return()
            vehicle_return.action_submit()
            vehicle_return.with_user(self.office_director).action_sign_office()
            with self.subTest(step="director's signature"):
                self.assertFalse(
                    vehicle_return.review_ids.reviewer_ids & outsiders,
                    "no review waits for another company's director or VP",
                )
                self._assert_company_only(vehicle_return, self.director)
            vehicle_return.with_user(self.director).action_sign_director()
            with self.subTest(step="sales VP's signature"):
                self.assertIn(self.sales_vp, vehicle_return.activity_ids.user_id)
                self._assert_company_only(vehicle_return, self.sales_vp)
            vehicle_return.with_user(self.sales_vp).action_sign_sales_vp()
            vehicle_return.action_receive()
        self._remind_when_overdue(
            vehicle_return,
            "is_inspection_overdue",
            "2026-04-03 08:00:00",
            "2026-04-03 10:00:00",
        )
        with self.subTest(step="late inspection"):
            late = vehicle_return.activity_ids.filtered(
                lambda a: a.summary == "Returned forklift not inspected in time"
            )
            self.assertEqual(late.user_id, self.qa)
            self._assert_company_only(vehicle_return, self.qa)

        case = self._verified_case()
        with self.subTest(step="parts request approval"):
            request = self.env["forklift.parts.request"].create(
                self._parts_request_vals(case, 3, "unqualified")
            )
            request.request_validation()
            self.assertTrue(request.review_ids.reviewer_ids)
            self.assertFalse(request.review_ids.reviewer_ids & outsiders)
            self._assert_company_only(request)

        with self.subTest(step="help offered"):
            wizard = (
                self.env["forklift.assistance.request"]
                .with_user(self.staff)
                .new({"feedback_id": case.id, "department": "purchasing"})
            )
            offered = wizard.allowed_user_ids._origin
            self.assertIn(self.purchaser, offered)
            self.assertNotIn(self.member_b, offered)
            self.assertEqual(wizard.user_id._origin, self.purchaser)

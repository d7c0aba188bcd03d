from datetime import date, datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import tagged

from .test_abnormal_issue import AbnormalIssueCommon

# what anyone but the assignee tries on a to-do the flow gave someone
FAR_DUE = "2030-01-01"
# why: the to-do is its assignee's, and a to-do of the flow stays the flow's
REFUSED = "given to one person by the after-sales flow|stays as it was created"


@tagged("post_install", "-at_install")
class TestFlowTodoGuard(AbnormalIssueCommon):
    """The to-dos the after-sales flow gives a person (a committee member's
    review, a department's analysis, a signer's signature, the director's
    instructions from the field) are his: only he marks his done, deletes,
    hands on, postpones or rewrites it; the flow's own steps still end them
    (R-051, R-057, R-087, R-130, R-237, R-246, R-251). The activities users plan
    themselves stay as Odoo has them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rnd = cls._group_user("ftg_rnd", "group_forklift_rnd")
        cls.office_director, cls.sales_vp = cls._vehicle_return_signers("ftg")

    def _todo(self, record, user, prefix):
        todo = record.activity_ids.filtered(
            lambda a: a.user_id == user and a.summary.startswith(prefix)
        )
        self.assertEqual(len(todo), 1, f"{prefix} to-do of {user.login}")
        return todo

    def _state(self, todo):
        todo.invalidate_recordset()
        todo = todo.sudo().with_context(active_test=False)
        return todo.exists() and todo.read(
            ["active", "user_id", "date_deadline", "summary", "note", "feedback"]
        )

    @staticmethod
    def _reschedule(todo):
        """Odoo's reschedule button that moves ``todo``'s due date: next
        week's Monday may be its own date (on a Monday, a to-do due in a
        week), which writes nothing."""
        if todo.sudo().date_deadline != date.today():
            todo.action_reschedule_today()
        else:
            todo.action_reschedule_tomorrow()

    def _assert_others_refused(self, todo, users, **extra):
        """``users``, none of them the assignee, neither mark ``todo`` done
        nor delete, hand on, postpone, archive or rewrite it; it stays as it
        was, and no feedback of theirs is posted on the document."""
        before = self._state(todo)
        record = self.env[todo.res_model].browse(todo.res_id)
        messages = record.message_ids
        for user in users:
            as_user = todo.with_user(user)
            attempts = {
                "action_feedback": lambda t: t.action_feedback(feedback="Forged"),
                "action_done": lambda t: t.action_done(),
                "action_feedback_schedule_next": lambda t: (
                    t.action_feedback_schedule_next(feedback="Forged")
                ),
                "unlink": lambda t: t.unlink(),
                "action_cancel": lambda t: t.action_cancel(),
                "take it": lambda t, u=user: t.write({"user_id": u.id}),
                "postpone": lambda t: t.write({"date_deadline": FAR_DUE}),
                "reschedule": self._reschedule,
                "archive": lambda t: t.write({"active": False}),
                "rewrite": lambda t: t.write({"summary": "Nothing", "note": "x"}),
                "not the flow's": lambda t: t.write({"automated": False}),
                **extra,
            }
            for name, attempt in attempts.items():
                with (
                    self.subTest(user=user.login, attempt=name),
                    self.assertRaisesRegex(AccessError, REFUSED),
                ):
                    attempt(as_user)
        self.assertEqual(self._state(todo), before)
        self.assertEqual(record.message_ids, messages)

    def test_committee_review_todo_is_the_members(self):
        """R-246, R-057: a technician, not a member, does not close, delete,
        take or put off an R&D manager's "Committee review" to-do, though he
        may read the review; nor does another member; the member marks his
        own done."""
        review = self._review()
        todo = self._todo(review, self.rnd_manager, "Committee review of")
        self.assertTrue(review.with_user(self.technician).has_access("read"))
        self._assert_others_refused(todo, self.technician | self.qa_manager)
        todo.with_user(self.rnd_manager).action_feedback(feedback="I will attend.")
        self.assertFalse(todo.active)

    def test_a_members_own_todo_closes_no_others(self):
        """R-246, R-057, R-051: a to-do the flow gave each member (each
        committee member's review, each department's analysis) is that
        member's: the QA manager, a member with his own "Committee review"
        to-do, does not close the R&D manager's by marking both done; nor
        does QA close R&D's analysis to-do by renaming its own after it. A
        member's review to-do does not stand for the others': each is asked
        to decide. His own he still marks done."""
        review = self._review()
        todo = self._todo(review, self.rnd_manager, "Committee review of")
        own = self._todo(review, self.qa_manager, "Committee review of")
        self.assertEqual(own.summary, todo.summary)
        with self.assertRaisesRegex(AccessError, REFUSED):
            (own | todo).with_user(self.qa_manager).action_feedback(feedback="Forged")
        self.assertTrue(todo.active and own.active)
        issue = self._issue()
        issue.with_user(self.staff).action_submit()
        rnd_todo = self._todo(issue, self.rnd, "Analyse abnormal issue")
        qa_todo = self._todo(issue, self.qa, "Analyse abnormal issue")
        qa_todo.with_user(self.qa).write({"summary": rnd_todo.summary})
        with self.assertRaisesRegex(AccessError, REFUSED):
            (qa_todo | rnd_todo).with_user(self.qa).action_feedback(feedback="Forged")
        self.assertTrue(rnd_todo.active)
        own.with_user(self.qa_manager).action_feedback(feedback="I will attend.")
        self.assertFalse(own.active)
        self.assertTrue(todo.active)

    def test_analysis_todo_is_the_departments(self):
        """R-051, R-087: the technician does not delete R&D's "Analyse
        abnormal issue" to-do, nor does QA close it with its own; the service
        center's resolving the issue still ends every department's to-do."""
        issue = self._issue()
        issue.with_user(self.staff).action_submit()
        todo = self._todo(issue, self.rnd, "Analyse abnormal issue")
        own_qa = self._todo(issue, self.qa, "Analyse abnormal issue")
        self._assert_others_refused(
            todo,
            self.technician | self.qa,
            **{"with QA's own": lambda t: (t | own_qa).action_feedback()},
        )
        self.assertTrue(own_qa.active)
        issue.with_user(self.staff).solution = "<p>Chain tension reset.</p>"
        issue.with_user(self.staff).action_resolve()
        self.assertEqual(issue.state, "closed")
        self.assertFalse(todo.exists() | own_qa.exists())

    def test_signature_todos_are_the_signers(self):
        """R-237 (000 §4.4.1: office director, service center director
        and sales VP sign in turn): nobody postpones the director's signing
        to-do nor takes or closes the sales VP's; each signature still ends
        its own to-dos."""
        vehicle_return = self._staff_vehicle_return()
        vehicle_return.action_submit()
        vehicle_return.with_user(self.office_director).action_sign_office()
        todo = self._todo(vehicle_return, self.director, "Sign vehicle return")
        self._assert_others_refused(todo, self.technician | self.staff)
        vehicle_return.with_user(self.director).action_sign_director()
        self.assertFalse(todo.active)
        todo = self._todo(vehicle_return, self.sales_vp, "Sign vehicle return")
        self._assert_others_refused(todo, self.technician | self.qa | self.director)
        vehicle_return.with_user(self.sales_vp).action_sign_sales_vp()
        self.assertFalse(todo.active)

    def test_instructions_todo_is_the_directors(self):
        """R-251 (004 §4.4 B): the technician who asked the director for
        instructions does not rewrite or put off the director's to-do; the
        director marks it done."""
        order = self._service_order(self._verified_case())
        order.action_dispatch()
        order.with_user(self.technician).write(
            {"escalation_reason": "Mast welds cracked: unsafe to repair on site."}
        )
        order.with_user(self.technician).action_escalate()
        todo = self._todo(order, self.director, "Instructions asked from the field")
        self._assert_others_refused(todo, self.technician | self.staff)
        todo.with_user(self.director).write(
            {"date_deadline": fields.Date.today() + timedelta(days=1)}
        )
        todo.with_user(self.director).action_feedback(feedback="Stop the work.")
        self.assertFalse(todo.active)

    def test_review_todo_done_once_for_all_directors(self):
        """R-130 (004 §4.4 D): each director gets the to-do to review an own
        technician's report; the technician closes none of them, another
        director does not close a colleague's alone, and the review of one
        director closes every director's to-do, his with the others'."""
        second = self._user("ftg_director_2", "group_forklift_director")
        order = self._service_order(self._verified_case())
        self._registered_order(order, "Wang Jun")
        summary = order._get_review_summary()
        todo = self._todo(order, self.director, summary)
        todo_2 = self._todo(order, second, summary)
        self._assert_others_refused(todo, self.technician | second)
        self._director_review(order)
        self.assertFalse((todo | todo_2).filtered("active"))

    def test_planners_todo_follows_a_corrected_reading(self):
        """R-212, A-22 (000 第四篇 §4): the director who corrects an hour-meter
        reading brings the planner's maintenance to-do forward with the
        visit, though the to-do is the planner's."""
        planner = self._group_user("ftg_planner", "group_forklift_user")
        self.env.company.forklift_planner_id = planner
        unit = self._create_unit("SN-FTG-0001", acceptance=date(2026, 1, 10))
        visit = unit.maintenance_visit_ids.sorted("sequence")[0]
        todo = visit.activity_ids
        self.assertEqual(todo.user_id, planner)
        reading = self.env["forklift.hour.reading"].create(
            {"unit_id": unit.id, "hours": 50, "date": datetime(2026, 3, 10, 12, 0)}
        )
        self.assertEqual(todo.date_deadline, date(2026, 4, 10))
        reading.with_user(self.director).write({"hours": 600})
        self.assertEqual(visit.planned_date, date(2026, 3, 10))
        self.assertEqual(todo.date_deadline, visit.planned_date)

    def test_flow_todos_not_ended_over_rpc(self):
        """The helpers with which an after-sales document's steps plan and
        end its to-dos, whoever has them (``activity_schedule``,
        ``activity_feedback``, ``activity_unlink``), are the server's: no
        client calls them over RPC (a user plans his own activities by
        creating them, see ``TestFlowTodoNotPlanted``); other documents keep
        Odoo's."""
        review = self._review()
        for name in ("activity_schedule", "activity_feedback", "activity_unlink"):
            with self.subTest(method=name), self.assertRaises(AccessError):
                get_public_method(review.with_user(self.technician), name)
            self.assertTrue(get_public_method(self.env["res.partner"], name))

    def test_users_own_activities_stay_as_odoo_has_them(self):
        """An activity a user plans himself on an after-sales document is
        Odoo's ordinary one: another user who may write the document still
        postpones it or marks it done."""
        case = self._verified_case()
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        activity = (
            self.env["mail.activity"]
            .with_user(self.staff)
            .create(
                {
                    "activity_type_id": todo_type.id,
                    "summary": "Call the customer",
                    "res_model_id": self.env["ir.model"]._get_id("forklift.feedback"),
                    "res_id": case.id,
                    "user_id": self.rnd.id,
                }
            )
        )
        self.assertFalse(activity.automated)
        tomorrow = fields.Date.today() + timedelta(days=1)
        activity.with_user(self.staff).write({"date_deadline": tomorrow})
        self.assertEqual(activity.date_deadline, tomorrow)
        activity.with_user(self.staff).action_feedback(feedback="Called.")
        self.assertFalse(activity.active)

from datetime import date
from functools import partial

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestTechnicalQuestion(ForkliftCommon):
    """R-074 (000 §3.4, 第一篇 L27): R&D answers the technical, commissioning
    and process questions of a feedback sheet; R-270 (A-07): the department
    holding the technical answers of the sheet's market gets the question."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rnd = cls._user("fa_rnd_question", "forklift_aftersales.group_forklift_rnd")
        cls.rnd_group = cls.env.ref("forklift_aftersales.group_forklift_rnd")
        cls.case = cls._verified_case()

    def _ask(self, case=None, text="Which seal kit fits the 2025 mast?", **vals):
        return (
            self.env["forklift.technical.question"]
            .with_user(self.staff)
            .create({"feedback_id": (case or self.case).id, "question": text, **vals})
        )

    def _rnd_users(self):
        return self.rnd_group.all_user_ids.filtered(lambda u: u.active and not u.share)

    @freeze_time("2026-03-06 10:00:00")
    def test_question_goes_to_rnd_due_in_working_days(self):
        """Asked on Friday 6 March 2026 at 10:00: the weekend and a day off
        on Monday are skipped, the second working day ends on Wednesday."""
        calendar = self.env.company.resource_calendar_id
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Company day off",
                "calendar_id": calendar.id,
                "date_from": "2026-03-09 00:00:00",
                "date_to": "2026-03-09 23:59:59",
            }
        )
        question = self._ask(topic="commissioning")
        self.assertEqual(question.state, "open")
        self.assertEqual(question.department_id, self.rnd_group)
        self.assertEqual(question.asked_by_id, self.staff)
        self.assertEqual(question.due_date, date(2026, 3, 11))
        todo = question.activity_ids
        self.assertEqual(todo.user_id, self._rnd_users())
        self.assertIn(self.rnd, todo.user_id)
        self.assertEqual(set(todo.mapped("date_deadline")), {date(2026, 3, 11)})
        self.assertIn(self.rnd.partner_id, question.message_partner_ids)
        note = self.case.message_ids[0]
        self.assertIn(question.name, note.body)
        self.assertIn("Which seal kit fits", note.body)
        self.assertEqual(self.case.technical_question_open_count, 1)

    def test_the_rnd_manager_gets_the_question_too(self):
        """R-074 (000 §3.4): the question goes to every member of the
        department, also one who is in it through his manager's group (the
        R&D manager, the demo's ``rnd``): he gets his to-do, follows the
        question and is reminded when its answer is late."""
        manager = self._user(
            "fa_rnd_manager_question", "forklift_aftersales.group_forklift_rnd_manager"
        )
        self.assertNotIn(manager, self.rnd_group.user_ids)
        question = self._ask()
        self.assertIn(manager, question.activity_ids.user_id)
        self.assertIn(manager.partner_id, question.message_partner_ids)
        self.assertIn(manager, self._rnd_users())

    def test_only_the_department_answers_and_the_sheet_shows_it(self):
        question = self._ask()
        # over RPC: the service center, QA and a director cannot answer
        for user in (self.staff, self.qa, self.director):
            as_user = question.with_user(user)
            self._assert_attacks_refused(
                {
                    "write": partial(as_user.write, {"answer": "<p>Any kit.</p>"}),
                    "answer": as_user.action_answer,
                },
                user=user.login,
            )
        # nor set the answer's flow fields themselves
        with self.assertRaises(AccessError):
            question.with_user(self.rnd).write(
                {"state": "answered", "answered_by_id": self.rnd.id}
            )
        with self.assertRaisesRegex(UserError, "Write the answer"):
            question.with_user(self.rnd).action_answer()
        question.with_user(self.rnd).write(
            {"answer": "<p>Use kit LC-2025-B with the new wiper ring.</p>"}
        )
        question.with_user(self.rnd).action_answer()
        self.assertEqual(question.state, "answered")
        self.assertEqual(question.answered_by_id, self.rnd)
        self.assertFalse(question.activity_ids, "the to-dos are done")
        posted = self.case.message_ids[0]
        self.assertIn("LC-2025-B", posted.body)
        self.assertEqual(posted.author_id, self.rnd.partner_id)
        self.assertIn(self.staff.partner_id, posted.partner_ids, "the asker is told")
        self.assertEqual(self.case.technical_question_ids.answer, question.answer)
        # the answer is final
        with self.assertRaisesRegex(UserError, "no longer changes"):
            question.with_user(self.rnd).write({"answer": "<p>Another kit.</p>"})

    def test_the_portal_reads_no_answer_of_rnd_on_the_sheet(self):
        """R-074, R-055 (000 §3.4): a question to R&D is internal (the portal
        reads no log of it); R&D's answer, posted on the sheet for the service
        center, is an internal note too: the customer following his sheet on
        the portal neither reads it in the sheet's messages nor is mailed it."""
        customer = self._portal_user("tq_customer", self.customer)
        self.case.message_subscribe(partner_ids=customer.partner_id.ids)
        question = self._ask()
        question.with_user(self.rnd).write(
            {"answer": "<p>ANSWER-SECRET: known defect of batch 12.</p>"}
        )
        question.with_user(self.rnd).action_answer()
        posted = self.case.message_ids.filtered(
            lambda m: "ANSWER-SECRET" in (m.body or "")
        )
        # the service center reads it on the sheet
        self.assertEqual(len(posted), 1)
        seen = (
            self.env["mail.message"]
            .with_user(customer)
            .search_read(
                [("model", "=", self.case._name), ("res_id", "=", self.case.id)],
                ["body"],
            )
        )
        self.assertNotIn("ANSWER-SECRET", str(seen))
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("body_html", "ilike", "ANSWER-SECRET"),
                    ("recipient_ids", "in", customer.partner_id.ids),
                ]
            )
        )
        self.assertTrue(posted.subtype_id.internal)

    def test_an_answered_or_cancelled_question_keeps_its_answer(self):
        """R-074 (000 §3.4): once answered, the answer is posted on the sheet;
        once cancelled, the question waits for nothing: R&D no longer writes
        the answer over RPC (the form shows it read-only), and it stays as it
        was."""
        answered = self._ask()
        answered.with_user(self.rnd).write({"answer": "<p>Kit LC-2025-B.</p>"})
        answered.with_user(self.rnd).action_answer()
        cancelled = self._ask(text="Which oil suits the 2025 mast?")
        cancelled.with_user(self.rnd).write({"answer": "<p>Not sure yet.</p>"})
        cancelled.with_user(self.staff).action_cancel()
        for question in (answered, cancelled):
            kept = self._field_values(question, ["answer"])
            with (
                self.subTest(state=question.state),
                self.assertRaisesRegex(UserError, "no longer changes"),
            ):
                question.with_user(self.rnd).write({"answer": "<p>Another kit.</p>"})
            self.assertEqual(self._field_values(question, ["answer"]), kept)

    def test_rnd_answers_but_does_not_ask_or_rewrite_the_question(self):
        with self.assertRaises(AccessError):
            self.env["forklift.technical.question"].with_user(self.rnd).create(
                {"feedback_id": self.case.id, "question": "Mine?"}
            )
        question = self._ask()
        with self.assertRaises(AccessError):
            question.with_user(self.rnd).write({"question": "Something else?"})
        with self.assertRaises(AccessError):
            question.with_user(self.rnd).write({"due_date": date(2027, 1, 1)})
        with self.assertRaises(AccessError):
            question.with_user(self.rnd).action_cancel()
        with self.assertRaisesRegex(UserError, "once it has been asked"):
            self._ask(answer="<p>Self-answered.</p>")
        with self.assertRaises(AccessError):
            self.env["forklift.technical.question"].with_user(self.staff).create(
                {
                    "feedback_id": self.case.id,
                    "question": "Due when?",
                    "due_date": date(2030, 1, 1),
                }
            )

    def test_late_answer_is_reminded_on_the_sheet_once(self):
        with freeze_time("2026-03-06 10:00:00"):
            question = self._ask()
        self.assertEqual(question.due_date, date(2026, 3, 10))
        summary = self.case._get_question_overdue_summary()

        def reminders():
            return self.case.activity_ids.filtered(lambda a: a.summary == summary)

        with freeze_time("2026-03-10 12:00:00"):
            self.assertFalse(question.is_overdue, "due today")
            self.env["forklift.feedback"]._cron_remind_overdue()
            self.assertFalse(reminders())
        with freeze_time("2026-03-11 09:00:00"):
            question.invalidate_recordset(["is_overdue"])
            self.assertTrue(question.is_overdue)
            self.assertIn(
                question,
                self.env["forklift.technical.question"].search(
                    [("is_overdue", "=", True)]
                ),
            )
            self.env["forklift.feedback"]._cron_remind_overdue()
            self.assertEqual(reminders().user_id, self._rnd_users())
            self.env["forklift.feedback"]._cron_remind_overdue()
            self.assertEqual(len(reminders()), len(self._rnd_users()), "once")
            question.with_user(self.rnd).write({"answer": "<p>Late, sorry.</p>"})
            question.with_user(self.rnd).action_answer()
            self.assertFalse(reminders(), "answered: the reminder goes")
            question.invalidate_recordset(["is_overdue"])
            self.assertFalse(question.is_overdue)

    def test_closed_or_cancelled_sheets_take_no_question(self):
        question = self._ask()
        self.case.action_cancel()
        self.assertEqual(question.state, "cancel", "withdrawn with the sheet")
        with self.assertRaisesRegex(UserError, "closed or cancelled"):
            self._ask()
        with self.assertRaisesRegex(UserError, "closed or cancelled"):
            self.case.with_user(self.staff).action_ask_technical_question()
        # nor by the sheet given as a context default
        asked = self.case.technical_question_ids
        with self.assertRaisesRegex(UserError, "closed or cancelled"):
            self.env["forklift.technical.question"].with_user(self.staff).with_context(
                default_feedback_id=self.case.id
            ).create({"question": "Any kit for the 2025 mast?"})
        self.assertEqual(self.case.technical_question_ids, asked)
        other = self._ask(case=self._verified_case())
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            other.with_user(self.director).unlink()

    def test_the_duty_table_routes_the_question(self):
        """R-270: the technical answers given to QA for domestic sheets: QA
        gets the question and answers it, R&D no longer may."""
        self.env.ref(
            "forklift_aftersales.duty_domestic_technical"
        ).group_id = self.env.ref("forklift_aftersales.group_forklift_qa")
        question = self._ask()
        self.assertEqual(
            question.department_id,
            self.env.ref("forklift_aftersales.group_forklift_qa"),
        )
        self.assertIn(self.qa, question.activity_ids.user_id)
        self.assertNotIn(self.rnd, question.activity_ids.user_id)
        with self.assertRaises(AccessError):
            question.with_user(self.rnd).write({"answer": "<p>R&amp;D's view.</p>"})

    def test_only_directors_configure_the_duties(self):
        line = self.env.ref("forklift_aftersales.duty_domestic_technical")
        for user in (self.staff, self.rnd, self.qa):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                line.with_user(user).group_id = self.env.ref(
                    "forklift_aftersales.group_forklift_qa"
                )
        with (
            self.assertRaisesRegex(ValidationError, "One department holds"),
            self.cr.savepoint(),
        ):
            self.env["forklift.duty.assignment"].with_user(self.director).create(
                {
                    "duty": "technical",
                    "market": "domestic",
                    "group_id": self.env.ref(
                        "forklift_aftersales.group_forklift_qa"
                    ).id,
                }
            )
        line.with_user(self.director).unlink()
        with self.assertRaisesRegex(UserError, "No department holds"):
            self._ask()

    def test_a_major_feedback_closes_once_rnd_has_judged_it(self):
        """R-074, R-244: R&D takes part in judging a major quality issue."""
        case = self._verified_case(severity="major")
        order = self._service_order(case)
        self._registered_order(order, "Wang Jun", "Brakes hold again.")
        self._director_review(order)
        case.action_report_to_qa()
        with self.assertRaisesRegex(UserError, "Ask R&D for its judgement"):
            case.action_close()
        technical = self._ask(case=case, text="Is the brake batch at fault?")
        technical.with_user(self.rnd).write({"answer": "<p>Not judged yet.</p>"})
        technical.with_user(self.rnd).action_answer()
        with self.assertRaisesRegex(UserError, "Ask R&D for its judgement"):
            case.action_close()
        judgement = self._ask(
            case=case, text="Judge the brake failure.", topic="judgement"
        )
        with self.assertRaisesRegex(UserError, "Ask R&D for its judgement"):
            case.action_close()
        judgement.with_user(self.rnd).write(
            {"answer": "<p>Master cylinder batch 2025-11 at fault: recall it.</p>"}
        )
        judgement.with_user(self.rnd).action_answer()
        case.action_close()
        self.assertEqual(case.state, "closed")

    def test_question_stays_as_the_department_read_it_once_answering(self):
        """R-074 (000 §3.4): once the department has saved an answer, even
        one not sent yet, the service center no longer rewrites the question
        (its text nor its topic): the answer sent is the answer to the
        question R&D read. It withdraws the question and asks a new one
        instead; before any answer, it still corrects its question."""
        question = self._ask()
        question.with_user(self.staff).write(
            {"question": "Which seal kit fits the 2025 mast, 3 t model?"}
        )
        # an answer emptied in the editor is no answer started
        question.with_user(self.rnd).write({"answer": "<p><br></p>"})
        self.assertFalse(question.answer)
        question.with_user(self.staff).write({"topic": "process"})
        question.with_user(self.rnd).write({"answer": "<p>Kit LC-2025-B.</p>"})
        self._assert_writes_refused(
            question,
            self.staff,
            {"question": "Which oil suits the 2025 mast?", "topic": "judgement"},
            "no longer changes",
        )
        question.with_user(self.rnd).action_answer()
        self.assertEqual(
            question.question, "Which seal kit fits the 2025 mast, 3 t model?"
        )
        self.assertEqual(question.topic, "process")
        # withdrawn before its answer is sent: a new question is asked
        other = self._ask(text="Which oil suits the 2025 mast?")
        other.with_user(self.rnd).write({"answer": "<p>5W-30.</p>"})
        with self.assertRaisesRegex(UserError, "no longer changes"):
            other.with_user(self.staff).write({"question": "Which grease?"})
        other.with_user(self.staff).action_cancel()
        self.assertEqual(self._ask(text="Which grease?").state, "open")

    def test_no_one_answers_his_own_question(self):
        """R-074, R-244 (000 §3.4): R&D answers the service center's
        questions and judges its major issues. A member of both who asks R&D
        does not answer his own question, nor judges his own major sheet
        to close it (by the button or by writing the answer over RPC):
        refused, the question stays open without an answer, and the sheet
        waits for R&D's judgement. Another member of R&D answers it."""
        both = self._user("fa_rnd_and_staff", "group_forklift_user,group_forklift_rnd")
        case = self._verified_case(severity="major")
        order = self._service_order(case)
        self._registered_order(order, "Wang Jun", "Brakes hold again.")
        self._director_review(order)
        case.action_report_to_qa()
        judgement = (
            self.env["forklift.technical.question"]
            .with_user(both)
            .create(
                {
                    "feedback_id": case.id,
                    "question": "Judge the brake failure.",
                    "topic": "judgement",
                }
            )
        )
        self.assertEqual(judgement.asked_by_id, both)
        self.assertIn(both, self._rnd_users())
        self._assert_attacks_refused(
            {
                "answer by RPC": lambda: judgement.with_user(both).write(
                    {"answer": "<p>Not at fault.</p>"}
                ),
                "answer by the button": judgement.with_user(both).action_answer,
            },
            message="asked",
        )
        self.assertEqual(self._field_values(judgement, ["answer"]), {"answer": False})
        self.assertEqual(judgement.state, "open")
        with self.assertRaisesRegex(UserError, "Ask R&D for its judgement"):
            case.with_user(both).action_close()
        judgement.with_user(self.rnd).write(
            {"answer": "<p>Master cylinder batch 2025-11 at fault.</p>"}
        )
        judgement.with_user(self.rnd).action_answer()
        self.assertEqual(judgement.answered_by_id, self.rnd)

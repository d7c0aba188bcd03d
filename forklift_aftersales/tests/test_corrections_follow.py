from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ForkliftCommon
from .test_reports import ForkliftReportCommon


@tagged("post_install", "-at_install")
class TestQuestionCorrectionFollows(ForkliftCommon):
    """R-074 (000 §3.4): the service center may correct its question to R&D
    until the department saves an answer; R&D's to-do and the sheet's log
    then say the question as it now reads, never its first wording."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rnd = cls._user(
            "fa_rnd_correction", "forklift_aftersales.group_forklift_rnd"
        )
        cls.case = cls._verified_case()

    def _ask(self, text="Which seal kit fits the 2025 mast?"):
        return (
            self.env["forklift.technical.question"]
            .with_user(self.staff)
            .create({"feedback_id": self.case.id, "question": text})
        )

    def _todos(self, question):
        return question.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )

    def test_rnd_todo_and_sheet_log_follow_a_correction(self):
        question = self._ask()
        todos = self._todos(question)
        self.assertTrue(todos)
        self.assertIn(self.rnd, todos.user_id)
        for todo in todos:
            self.assertIn("Which seal kit fits the 2025 mast?", str(todo.note))
        logged = self.case.message_ids
        question.with_user(self.staff).write(
            {"question": "Which wiper ring fits the 3 t mast?", "topic": "process"}
        )
        # R&D reads the question as it is now, in its to-do
        todos.invalidate_recordset()
        self.assertEqual(self._todos(question), todos, "the same to-dos, not new ones")
        for todo in todos:
            with self.subTest(user=todo.user_id.login):
                self.assertIn("Which wiper ring fits the 3 t mast?", str(todo.note))
                self.assertNotIn("Which seal kit", str(todo.note))
                self.assertIn("Process", str(todo.note))
                self.assertEqual(todo.date_deadline, question.due_date)
        # the sheet's log says what was corrected, by whom
        new = self.case.message_ids - logged
        self.assertEqual(len(new), 1)
        self.assertIn(question.name, new.body)
        self.assertIn("Which wiper ring fits the 3 t mast?", new.body)
        self.assertIn("Process", new.body)
        self.assertEqual(new.author_id, self.staff.partner_id)
        # writing what it already says corrects nothing and logs nothing
        question.with_user(self.staff).write(
            {"question": "Which wiper ring fits the 3 t mast?"}
        )
        self.assertEqual(self.case.message_ids - logged, new)
        # once R&D saved an answer, nothing changes any more, to-do included
        question.with_user(self.rnd).write({"answer": "<p>Ring WR-3.</p>"})
        notes = todos.mapped("note")
        with self.assertRaisesRegex(UserError, "no longer changes"):
            question.with_user(self.staff).write({"question": "Which grease?"})
        todos.invalidate_recordset()
        self.assertEqual(todos.mapped("note"), notes)
        self.assertEqual(self.case.message_ids - logged, new)


@tagged("post_install", "-at_install")
class TestSentReportShowsWhatWasMailed(ForkliftReportCommon):
    """R-007, R-170, R-256 (000 §4.1.6): the analysis report mailed is the
    report's record: once sent, what its PDF shows no longer changes, and
    before it is sent its PDF shows the analysis as it is completed."""

    def _produced(self, start=date(2026, 2, 1)):
        report = self.env["forklift.aftersales.report"].create(
            {"report_type": "monthly", "market": "domestic", "date_from": start}
        )
        with freeze_time("2026-04-02 08:00"):
            report.with_user(self.staff).action_produce()
        return report

    def test_a_sent_report_keeps_the_analysis_it_mailed(self):
        with freeze_time("2026-04-01 00:30"):
            self.env["forklift.aftersales.report"]._cron_monthly_reports()
        report = self.env["forklift.aftersales.report"].search(
            [
                ("report_type", "=", "monthly"),
                ("market", "=", "domestic"),
                ("date_from", "=", date(2026, 3, 1)),
            ]
        )
        self.assertEqual(report.state, "sent")
        mailed_pdf = report.pdf_attachment_id
        analysis = report.analysis
        self.assertTrue(analysis)
        for user in (self.technician, self.staff, self.director):
            with self.subTest(user=user.login):
                self._assert_writes_refused(
                    report,
                    user,
                    {"analysis": "<p>Seals leak on CPCD30: supplier informed.</p>"},
                    "was sent",
                )
        # the server's own code (sudo, no flow mark) is refused as well
        with self.assertRaisesRegex(UserError, "was sent"):
            report.sudo().write({"analysis": "<p>Rewritten.</p>"})
        report.invalidate_recordset()
        self.assertEqual(report.analysis, analysis)
        # sent again: the same PDF, drawn from the analysis the record keeps
        with freeze_time("2026-04-03 08:00"):
            report.with_user(self.staff).action_send()
        self.assertEqual(report.send_count, 2)
        self.assertEqual(report.pdf_attachment_id, mailed_pdf)
        for mail in self._mails(report):
            self.assertIn(mailed_pdf, mail.attachment_ids)

    def test_the_pdf_mailed_first_shows_the_analysis_completed(self):
        """The service center completes the drafted analysis before sending:
        the PDF mailed is the one showing it, not the draft's."""
        report = self._produced()
        drafted = report.pdf_attachment_id
        self.assertNotIn("supplier informed", drafted.raw.decode())
        report.with_user(self.staff).write(
            {"analysis": "<p>Seals leak on CPCD30: supplier informed.</p>"}
        )
        self.assertEqual(report.state, "produced")
        with freeze_time("2026-04-03 08:00"):
            report.with_user(self.staff).action_send()
        mail = self._mails(report)
        self.assertEqual(len(mail), 1)
        pdf = mail.attachment_ids.filtered(lambda a: a == report.pdf_attachment_id)
        self.assertTrue(pdf, "the report's PDF is the one mailed")
        self.assertIn("supplier informed", pdf.raw.decode())
        self.assertFalse(drafted.exists(), "the draft's PDF, mailed to nobody, goes")

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestActivityGuard(ForkliftCommon):
    """Activities on after-sales documents: none is moved onto or off one
    (R-047: a division or a company sees and writes only its own sheets), and
    the flow's own activity types (deadline reminders, 000 §5 / R-160;
    assistance requests, R-132) are planned by the flow's steps only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls._user("fag_warehouse", "group_forklift_warehouse")
        cls.rnd = cls._user("fag_rnd", "group_forklift_rnd")
        cls.other_company = cls.env["res.company"].create(
            {"name": "Other Forklift Works"}
        )
        cls.stranger = cls._company_user(
            "fag_stranger", "group_forklift_user", cls.other_company
        )
        cls.case = cls._verified_case()
        cls.other_case = cls._verified_case()
        cls.deadline_type = cls.env.ref(
            "forklift_aftersales.mail_activity_type_deadline"
        )
        cls.assistance_type = cls.env.ref(
            "forklift_aftersales.mail_activity_type_assistance"
        )
        cls.todo_type = cls.env.ref("mail.mail_activity_data_todo")
        cls.feedback_model = cls.env["ir.model"]._get("forklift.feedback")

    def _free_activity(self, user):
        """An activity of ``user``'s own, on no document."""
        return (
            self.env["mail.activity"]
            .with_user(user)
            .create(
                {
                    "activity_type_id": self.todo_type.id,
                    "summary": "My own note",
                    "user_id": user.id,
                }
            )
        )

    def _location(self, activity):
        activity.invalidate_recordset()
        return activity.sudo().read(["res_model", "res_id", "res_name"])[0]

    def _sheet_trace(self, case):
        """What the sheet shows: its messages and its activities."""
        case.invalidate_recordset()
        return case.sudo().message_ids, case.sudo().activity_ids

    def test_no_activity_moved_onto_a_sheet(self):
        """R-047: a user who may not write a sheet (the warehouse) or not even
        read it (another company's service center) moves no activity of his
        onto it, neither a free one nor one of a document of his; so he reads
        not its name through the activity, nor posts a feedback or a file on
        it by marking the activity done. Nothing changes."""
        with self.assertRaises(AccessError):
            self.case.with_user(self.stranger).read(["name"])
        trace = self._sheet_trace(self.case)
        for user in (self.warehouse, self.stranger):
            activity = self._free_activity(user)
            before = self._location(activity)
            for vals in (
                {"res_model_id": self.feedback_model.id, "res_id": self.case.id},
                {
                    "res_model_id": self.feedback_model.id,
                    "res_model": "forklift.feedback",
                    "res_id": self.case.id,
                },
            ):
                with (
                    self.subTest(user=user.login, fields=sorted(vals)),
                    self.assertRaisesRegex(AccessError, "stays on the document"),
                ):
                    activity.with_user(user).write(vals)
            self.assertEqual(self._location(activity), before)
            self.assertFalse(before["res_name"])
            attachment = (
                self.env["ir.attachment"]
                .with_user(user)
                .create(
                    {
                        "name": "forged.txt",
                        "raw": b"forged",
                        "res_model": "mail.activity",
                        "res_id": activity.id,
                    }
                )
            )
            activity.with_user(user).action_feedback(
                feedback="Forged feedback", attachment_ids=attachment.ids
            )
        self.assertEqual(self._sheet_trace(self.case), trace)
        self.assertNotIn(
            "Forged feedback", "".join(self.case.sudo().message_ids.mapped("body"))
        )

    def test_no_activity_moved_off_or_between_sheets(self):
        """R-047: an activity planned on a sheet stays on it: its writer moves
        it neither to another sheet, nor off the sheet, nor to another model;
        he still edits it where it is, and a write naming where it already is
        is no move."""
        activity = self.case.with_user(self.staff).activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call the customer",
            user_id=self.staff.id,
        )
        partner_model = self.env["ir.model"]._get("res.partner")
        before = self._location(activity)
        for vals in (
            {"res_id": self.other_case.id},
            {"res_model_id": False, "res_id": 0},
            {"res_model_id": partner_model.id, "res_id": self.customer.id},
            {"res_model": "res.partner", "res_id": self.customer.id},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(AccessError, "stays on the document"),
            ):
                activity.with_user(self.staff).write(vals)
        self.assertEqual(self._location(activity), before)
        self.assertFalse(self.other_case.activity_ids)
        tomorrow = fields.Date.today() + timedelta(days=1)
        activity.with_user(self.staff).write(
            {
                "res_model_id": self.feedback_model.id,
                "res_id": self.case.id,
                "summary": "Call the customer back",
                "date_deadline": tomorrow,
            }
        )
        self.assertEqual(activity.summary, "Call the customer back")
        self.assertEqual(activity.date_deadline, tomorrow)
        self.assertEqual(self._location(activity)["res_id"], self.case.id)

    def test_no_deadline_reminder_planted(self):
        """R-160 (000 §5: every deadline is reminded by the scheduled job): a
        user plants no "Deadline Passed" activity, nor makes one of his
        activity, not even naming the flow's context key; so the dispatch
        reminder the job owes is not silenced: the job still plans it, once."""
        with freeze_time("2026-03-02 10:00:00"):
            case = self._verified_case(route="dealer")
        summary = "Dispatch deadline passed"
        with freeze_time("2026-03-03 10:30:00"):
            cases = self.env["forklift.feedback"]
            self.assertIn(case, cases.search([("is_dispatch_overdue", "=", True)]))
            planted = {
                "activity_type_id": self.deadline_type.id,
                "summary": summary,
                "res_model_id": self.feedback_model.id,
                "res_id": case.id,
                "user_id": self.staff.id,
            }
            for context in ({}, {"forklift_flow_write": True}):
                with (
                    self.subTest(context=context),
                    self.assertRaisesRegex(AccessError, "scheduled job"),
                ):
                    self.env["mail.activity"].with_user(self.staff).with_context(
                        **context
                    ).create(planted)
            with self.assertRaisesRegex(AccessError, "scheduled job"):
                case.with_user(self.staff).activity_schedule(
                    "forklift_aftersales.mail_activity_type_deadline",
                    summary=summary,
                    user_id=self.staff.id,
                )
            todo = case.with_user(self.staff).activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, user_id=self.staff.id
            )
            with self.assertRaisesRegex(AccessError, "scheduled job"):
                todo.with_user(self.staff).write(
                    {"activity_type_id": self.deadline_type.id}
                )
            self.assertEqual(todo.activity_type_id, self.todo_type)
            self.assertFalse(
                case.activity_ids.filtered(
                    lambda a: a.activity_type_id == self.deadline_type
                )
            )
            cases._cron_remind_overdue()
            cases._cron_remind_overdue()
        reminders = self._dispatch_reminders(case)
        self.assertEqual(len(reminders), 1, "planned by the job, once")
        self.assertEqual(reminders.create_uid, self.env.user)

    def test_reminder_kept_as_planned_and_done_as_usual(self):
        """R-160: the job's reminder keeps the summary that names its
        deadline (renamed after another deadline, it would silence that one)
        and its due date (put off, it would no longer show late); it is still
        marked done as any activity."""
        case, reminder = self._dispatch_reminder()
        self.assertEqual(len(reminder), 1)
        with self.assertRaisesRegex(AccessError, "kept as planned"):
            reminder.with_user(self.staff).write({"summary": "Another deadline"})
        self.assertEqual(reminder.summary, "Dispatch deadline passed")
        due = reminder.date_deadline
        tomorrow = fields.Date.today() + timedelta(days=1)
        with self.assertRaisesRegex(AccessError, "due date"):
            reminder.with_user(self.staff).write({"date_deadline": tomorrow})
        self.assertEqual(reminder.date_deadline, due)
        reminder.with_user(self.staff).action_feedback(feedback="Sent by fax")
        self.assertNotIn(reminder, case.activity_ids)
        self.assertIn("Sent by fax", "".join(case.message_ids.mapped("body")))

    def test_assistance_asked_only_through_the_request(self):
        """R-132 (004 §4.5): only the service center's request asks a
        department for help, on an open sheet: nobody plans an assistance
        request directly (not even the service center, nor on a cancelled
        sheet) or makes one of his activity; the department's member still
        marks the request done, with his feedback on the sheet."""
        planted = {
            "activity_type_id": self.assistance_type.id,
            "summary": "Help asked: R&D",
            "res_model_id": self.feedback_model.id,
            "res_id": self.case.id,
            "user_id": self.rnd.id,
        }
        for user in (self.staff, self.qa):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(AccessError, "Ask for Help"),
            ):
                self.env["mail.activity"].with_user(user).create(planted)
        self.other_case.action_cancel()
        with self.assertRaisesRegex(AccessError, "Ask for Help"):
            self.other_case.with_user(self.staff).activity_schedule(
                activity_type_id=self.assistance_type.id, user_id=self.rnd.id
            )
        todo = self.case.with_user(self.staff).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.rnd.id
        )
        with self.assertRaisesRegex(AccessError, "Ask for Help"):
            todo.with_user(self.staff).write(
                {"activity_type_id": self.assistance_type.id}
            )
        self.assertEqual(todo.activity_type_id, self.todo_type)
        self.assertFalse(self.case.assistance_activity_ids)
        self.assertFalse(self.other_case.assistance_activity_ids)

        request = self.case.with_user(self.staff)._request_assistance(
            "rnd", self.rnd, fields.Date.today(), "Check the weld drawing."
        )
        self.assertEqual(request.env.user, self.staff)
        self.assertFalse(request.env.su)
        self.assertEqual(self.case.assistance_activity_ids, request)
        with self.assertRaisesRegex(AccessError, "kept as planned"):
            request.with_user(self.rnd).write({"summary": "Nothing to do"})
        request.with_user(self.rnd).action_feedback(feedback="Revision C is current.")
        self.assertFalse(self.case.assistance_activity_ids)
        self.assertIn(
            "Revision C is current.", "".join(self.case.message_ids.mapped("body"))
        )

    def test_server_steps_still_move_and_plan(self):
        """The server's own code (superuser) still places activities where it
        needs them; the flow's types need the flow's own mark, which a sudo
        alone does not give."""
        activity = self._free_activity(self.staff)
        activity.sudo().write(
            {"res_model_id": self.feedback_model.id, "res_id": self.case.id}
        )
        self.assertEqual(self._location(activity)["res_id"], self.case.id)
        with self.assertRaisesRegex(AccessError, "scheduled job"):
            self.case.sudo().activity_schedule(
                activity_type_id=self.deadline_type.id,
                summary="Forged",
                user_id=self.staff.id,
            )
        self.assertNotIn(self.deadline_type, self.case.activity_ids.activity_type_id)

    def test_reminder_due_date_not_put_off(self):
        """R-158/R-160 (000 §5: every deadline is reminded by the scheduled
        job, its overdue alert shows late): the person reminded does not put
        the "Deadline Passed" reminder off, by a write (not even naming the
        flow's context key, nor on the same date as superuser's context) or
        by Odoo's reschedule buttons; it stays late, the job plans no second
        one, and he still marks it done."""
        case, reminder = self._dispatch_reminder()
        self.assertEqual(len(reminder), 1)
        due = reminder.date_deadline
        self.assertEqual(reminder.state, "overdue")
        for context in ({}, {"forklift_flow_write": True}):
            with (
                self.subTest(context=context),
                self.assertRaisesRegex(AccessError, "due date"),
            ):
                reminder.with_user(self.staff).with_context(**context).write(
                    {"date_deadline": "2030-01-01"}
                )
        for action in (
            "action_reschedule_today",
            "action_reschedule_tomorrow",
            "action_reschedule_nextweek",
        ):
            with (
                self.subTest(action=action),
                self.assertRaisesRegex(AccessError, "due date"),
            ):
                getattr(reminder.with_user(self.staff), action)()
        reminder.invalidate_recordset()
        self.assertEqual(reminder.date_deadline, due)
        self.assertEqual(reminder.state, "overdue")
        # a write naming the date it already has changes nothing: no refusal
        reminder.with_user(self.staff).write({"date_deadline": due})
        self.env["forklift.feedback"]._cron_remind_overdue()
        self.assertEqual(self._dispatch_reminders(case), reminder)
        reminder.with_user(self.staff).action_done()
        self.assertFalse(reminder.exists().filtered("active"))

    def test_assistance_due_date_set_by_the_service_center(self):
        """R-132 (004 §4.5: the service center sets when the help is due,
        the department gives it priority): the department asked does not put
        the request off, nor does anyone else by a write or the reschedule
        buttons; the due date stays the one asked, and the department's
        member still marks the request done."""
        due = fields.Date.today() + timedelta(days=10)
        request = self.case.with_user(self.staff)._request_assistance(
            "qa", self.qa, due, "Check the batch of the cylinder."
        )
        self.assertEqual(request.date_deadline, due)
        for user in (self.qa, self.staff):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(AccessError, "due date"),
            ):
                request.with_user(user).write({"date_deadline": "2030-01-01"})
        with self.assertRaisesRegex(AccessError, "due date"):
            request.with_user(self.qa).action_reschedule_nextweek()
        request.invalidate_recordset()
        self.assertEqual(request.date_deadline, due)
        request.with_user(self.qa).action_feedback(feedback="Batch 42 is fine.")
        self.assertFalse(self.case.assistance_activity_ids)
        self.assertIn(
            "Batch 42 is fine.", "".join(self.case.message_ids.mapped("body"))
        )

    def _dispatch_reminder(self):
        """A verified dealer-route sheet of the service center's staff left
        undispatched past its deadline, and the job's "Dispatch deadline
        passed" reminder on it, for him."""
        with freeze_time("2026-03-02 10:00:00"):
            case = self._verified_case(route="dealer", user_id=self.staff.id)
        with freeze_time("2026-03-03 10:30:00"):
            self.env["forklift.feedback"]._cron_remind_overdue()
        reminder = self._dispatch_reminders(case)
        self.assertEqual(reminder.user_id, self.staff)
        return case, reminder

    def _dispatch_reminders(self, case):
        """The job's "Dispatch deadline passed" reminders on ``case``."""
        return case.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.deadline_type
                and a.summary == "Dispatch deadline passed"
            )
        )

    def test_reminder_stays_with_its_person_until_done(self):
        """R-158..R-160 (000 §5: every deadline is reminded by the scheduled
        job, its overdue alert stays late until done): the person reminded
        neither hands the reminder on (to a portal user, OdooBot or the
        director), nor archives it, nor deletes it; nobody else marks it done
        or deletes it either. It stays his, late, the job plans no second one,
        and he still marks it done."""
        case, reminder = self._dispatch_reminder()
        person = reminder.user_id
        due = reminder.date_deadline
        portal = self._portal_user("fag_portal", self.customer)
        kept = "stays with the person it was planned for"
        for other in (portal, self.env.ref("base.user_root"), self.director):
            for context in ({}, {"forklift_flow_write": True}):
                with (
                    self.subTest(user=other.login, context=context),
                    self.assertRaisesRegex(AccessError, kept),
                ):
                    reminder.with_user(person).with_context(**context).write(
                        {"user_id": other.id}
                    )
        with self.assertRaisesRegex(AccessError, kept):
            reminder.with_user(person).write({"active": False})
        with self.assertRaisesRegex(AccessError, kept):
            reminder.with_user(person).action_archive()
        for step in ("unlink", "action_cancel"):
            with (
                self.subTest(step=step),
                self.assertRaisesRegex(AccessError, "is not deleted"),
            ):
                getattr(reminder.with_user(person), step)()
        with self.assertRaisesRegex(AccessError, "given to one person"):
            reminder.with_user(self.director).action_done()
        with self.assertRaisesRegex(AccessError, "is not deleted"):
            reminder.with_user(self.director).unlink()
        reminder.invalidate_recordset()
        self.assertTrue(reminder.exists())
        self.assertTrue(reminder.active)
        self.assertEqual(reminder.user_id, person)
        self.assertEqual(reminder.date_deadline, due)
        self.assertEqual(reminder.state, "overdue")
        self.assertNotIn("Dispatch deadline passed", case.message_ids.mapped("body"))
        self.env["forklift.feedback"]._cron_remind_overdue()
        self.assertEqual(
            self._dispatch_reminders(case), reminder, "still the one reminder, his"
        )
        reminder.with_user(person).action_feedback(feedback="Dealer called")
        self.assertFalse(reminder.active)
        self.assertIn("Dealer called", "".join(case.message_ids.mapped("body")))

    def test_no_file_of_another_record_posted_by_its_id(self):
        """R-047: a file travels with the message that carries it (the
        chatter hands its readers a download link): a user posting on a sheet
        he may write, by RPC or by marking one of its activities done with a
        file (``action_feedback``, which posts as superuser), gives only files
        he may read himself, never one of another company's record by its id
        (``mail.message.create`` checks them as the user, also when the post
        runs as superuser: kept here as the guard these steps rely on)."""
        other_partner = self.env["res.partner"].create(
            {
                "name": "Customer of Other Forklift Works",
                "company_id": self.other_company.id,
            }
        )
        secret = self.env["ir.attachment"].create(
            {
                "name": "other-company-contract.pdf",
                "raw": b"%PDF-1.4 secret",
                "res_model": "res.partner",
                "res_id": other_partner.id,
            }
        )
        with self.assertRaises(AccessError):
            secret.with_user(self.staff).read(["name"])
        case = self.case.with_user(self.staff)
        with self.assertRaises(AccessError):
            case.message_post(body="See attached", attachment_ids=secret.ids)
        activity = (
            self.env["mail.activity"]
            .with_user(self.staff)
            .create(
                {
                    "activity_type_id": self.todo_type.id,
                    "summary": "Call the customer",
                    "user_id": self.staff.id,
                    "res_model_id": self.feedback_model.id,
                    "res_id": self.case.id,
                }
            )
        )
        with self.assertRaises(AccessError):
            activity.with_user(self.staff).action_feedback(
                feedback="Done", attachment_ids=secret.ids
            )
        self.assertNotIn(secret, self.case.sudo().message_ids.attachment_ids)
        self.assertTrue(activity.exists().active, "the activity is still to do")
        # his own files still go with his post and his feedback
        mine = (
            self.env["ir.attachment"]
            .with_user(self.staff)
            .create(
                {
                    "name": "photo.png",
                    "raw": b"png",
                    "res_model": "forklift.feedback",
                    "res_id": self.case.id,
                }
            )
        )
        case.message_post(body="Photo", attachment_ids=mine.ids)
        activity.with_user(self.staff).action_feedback(
            feedback="Done", attachment_ids=mine.ids
        )
        self.assertIn(mine, self.case.sudo().message_ids.attachment_ids)

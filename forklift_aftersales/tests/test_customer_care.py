from ast import literal_eval
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon


class CustomerCareCommon(ForkliftCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.followup_user = cls._user(
            "fa_followup", "forklift_aftersales.group_forklift_user"
        )
        cls.customer.forklift_followup_user_id = cls.followup_user

    @classmethod
    def _closed_case(cls, **vals):
        """A case taken through service, signature, report and closing."""
        case = cls._verified_case(**vals)
        order = cls._service_order(case)
        cls._registered_order(order, "Wang Jun")
        cls._director_review(order)
        case.action_report_to_qa()
        case.action_close()
        return case


@tagged("post_install", "-at_install")
class TestCustomerCare(CustomerCareCommon):
    """Follow-up calls, letters, events and the customer archive
    (000 第五篇 (二)–(三), 002 (二)–(三), R-026–R-029, R-112–R-118)."""

    def _assert_planned_calls_refused(self, call_types, **vals):
        """The follow-up user plans by hand no call of ``call_types``: each,
        created for the customer with ``vals``, is refused."""
        calls = self.env["forklift.followup.call"].with_user(self.followup_user)
        for call_type in call_types:
            with (
                self.subTest(call_type=call_type),
                self.assertRaisesRegex(UserError, "procedure"),
            ):
                calls.create(
                    {"partner_id": self.customer.id, "call_type": call_type, **vals}
                )

    def _assert_call_kept(self, call, start, end, call_type):
        """The follow-up user neither moves ``call``'s window (to start on
        ``start`` or to end on ``end``) nor makes it a ``call_type`` call."""
        self._assert_writes_refused(
            call,
            self.followup_user,
            {"window_start": start, "window_end": end},
            message="window it was planned with",
        )
        self._assert_writes_refused(
            call, self.followup_user, {"call_type": call_type}, message="procedure"
        )

    def test_closing_a_feedback_plans_the_first_call_and_sends_the_survey(self):
        with freeze_time("2026-03-10 10:00:00"):
            case = self._closed_case()
        call = case.followup_call_ids
        self.assertEqual(len(call), 1)
        self.assertEqual(call.call_type, "first")
        self.assertEqual(call.partner_id, self.customer)
        self.assertEqual(call.user_id, self.followup_user)
        self.assertEqual(call.window_start, date(2026, 3, 13))
        self.assertEqual(call.window_end, date(2026, 3, 17))
        activity = call.activity_ids
        self.assertEqual(activity.user_id, self.followup_user)
        self.assertEqual(activity.date_deadline, date(2026, 3, 13))

        survey = case.survey_ids
        self.assertEqual(len(survey), 1)
        self.assertEqual(survey.state, "sent")
        self.assertEqual(survey.expiry_date, date(2026, 4, 9))
        self.assertTrue(survey.access_token)
        # the link with its key is in the customer's e-mail, not the chatter
        mailed = self.env["mail.mail"].search(
            [
                ("model", "=", survey._name),
                ("res_id", "=", survey.id),
                ("recipient_ids", "in", self.customer.ids),
            ]
        )
        self.assertEqual(len(mailed), 1)
        self.assertIn(f"access_token={survey.access_token}", mailed.body_html)
        self.assertNotIn(
            survey.access_token, "".join(survey.message_ids.mapped("body"))
        )
        letter = self.env["forklift.care.letter"].search(
            [("survey_id", "=", survey.id)]
        )
        self.assertEqual(letter.letter_type, "survey")
        self.assertEqual(letter.state, "sent")
        self.assertEqual(letter.partner_id, self.customer)

    def test_the_survey_runs_in_the_companys_days(self):
        """R-037 (001-B L151–153): the survey's answer days and its letter's
        sending day are the company's (Hangzhou), whatever time zone the call
        names: sent at 20:00 in Hangzhou on 10 March (already the 11th in
        Kiritimati) it expires on 9 April; on that day at 20:00 in Hangzhou the
        link still takes the answer, at 01:00 the next day it no longer does,
        though it is still the 9th in Honolulu."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        survey = self._closed_case().survey_ids
        with freeze_time("2026-03-10 12:00:00"):
            survey.with_user(self.followup_user).with_context(
                tz="Pacific/Kiritimati"
            ).action_send()
        self.assertEqual(survey.expiry_date, date(2026, 4, 9))
        letter = self.env["forklift.care.letter"].search(
            [("survey_id", "=", survey.id)], order="id desc", limit=1
        )
        self.assertEqual(letter.sent_date, date(2026, 3, 10))
        with freeze_time("2026-04-09 12:00:00"):
            self.assertTrue(
                survey.with_context(tz="Pacific/Kiritimati")._is_open_for_answers()
            )
        with freeze_time("2026-04-09 17:00:00"):
            self.assertFalse(
                survey.with_context(tz="Pacific/Honolulu")._is_open_for_answers()
            )

    def test_second_call_one_week_after_the_first(self):
        with freeze_time("2026-03-10 10:00:00"):
            case = self._closed_case()
        first = case.followup_call_ids
        with freeze_time("2026-03-15 14:00:00"):
            with self.assertRaises(UserError):
                first.action_done()  # no key points
            first.write(
                {
                    "notes": "Runs fine; asks about the next maintenance.",
                    "topic_usage": True,
                }
            )
            second = first.action_done()
        self.assertEqual(first.state, "done")
        self.assertEqual(first.call_date, datetime(2026, 3, 15, 14, 0))
        self.assertEqual(second.call_type, "second")
        self.assertEqual(second.previous_call_id, first)
        self.assertEqual(second.window_start, date(2026, 3, 22))
        self.assertEqual(second.window_end, date(2026, 3, 29))
        self.assertEqual(second.activity_ids.date_deadline, date(2026, 3, 22))
        self.assertFalse(first.activity_ids, "the call's to-do is done")
        with freeze_time("2026-03-25 09:00:00"):
            second.notes = "All good."
            self.assertFalse(second.action_done(), "no third call")

    def test_calls_are_checked(self):
        """R-032, R-028 (004 §4.1, §4.9.1; 000 第五篇 (三)7): an incoming complaint
        call is logged in the call registry as a complaint with its text, and
        timed when it is recorded, never typed; a call window ending before it
        starts is refused."""
        call_model = self.env["forklift.followup.call"]
        with self.assertRaises(ValidationError):
            call_model.create(
                {
                    "partner_id": self.customer.id,
                    "window_start": date(2026, 3, 10),
                    "window_end": date(2026, 3, 9),
                }
            )
        # the time of a call is the time it is recorded as made, never typed
        with freeze_time("2026-03-10 10:00:00"), self.assertRaises(AccessError):
            call_model.with_user(self.staff).create(
                {
                    "partner_id": self.customer.id,
                    "call_type": "complaint",
                    "call_date": datetime(2026, 3, 11, 10, 0),
                }
            )
        complaint = call_model.create(
            {
                "partner_id": self.customer.id,
                "call_type": "complaint",
                "request": "The technician came late.",
            }
        )
        self.assertEqual(complaint.direction, "incoming")
        self.assertEqual(
            self.env["forklift.followup.call"].search_count(
                [("partner_id", "=", self.customer.id)]
            ),
            1,
        )

    def test_a_call_made_or_cancelled_stays_as_it_was(self):
        """R-027, R-028 (000 第五篇 (三)4–5, (三)7): a call made or cancelled
        stays in the call registry as it was: its caller no longer changes its
        type, customer, sheet or window over RPC (the form shows them
        read-only), nor moves it to another sheet, whose first call it would
        then stand for; a planned call of his own, and a cancelled one planned
        again, still change their type, customer and sheet (not their
        window)."""
        call_model = self.env["forklift.followup.call"].with_user(self.followup_user)
        vals = {
            "partner_id": self.customer.id,
            "notes": "Runs fine.",
            "window_start": date(2026, 3, 10),
            "window_end": date(2026, 3, 12),
        }
        made, cancelled = call_model.create([vals, vals])
        made.action_done()
        cancelled.action_cancel()
        changes = {
            "call_type": "complaint",
            "partner_id": self.customer_b.id,
            "feedback_id": self._closed_case().id,
            "window_start": date(2026, 3, 1),
            "window_end": date(2026, 3, 20),
        }
        for call in (made, cancelled):
            self._assert_writes_refused(
                call, self.followup_user, changes, message="stays in the call registry"
            )
        # the window stays as planned (test_a_call_keeps_the_window_it_was_planned_with)
        del changes["window_start"], changes["window_end"]
        planned = call_model.create(vals)
        planned.write(changes)
        self.assertEqual(planned.partner_id, self.customer_b)
        cancelled.action_reset()
        cancelled.write(changes)
        self.assertEqual(cancelled.call_type, "complaint")
        self.assertEqual(cancelled.window_end, date(2026, 3, 12))

    def test_a_made_call_keeps_what_it_recorded(self):
        """R-027, R-028, R-119 (000 第五篇 (三)7, 接待§14): a made call is the
        record of what was said: over RPC its caller no longer rewrites it
        (the form shows it read-only): neither the key points, the requests
        and the topics, nor the answer, the day the customer was told and
        whether he was satisfied with it, nor who called and whom he spoke
        with; an answer given later is a call of its own."""
        call = (
            self.env["forklift.followup.call"]
            .with_user(self.followup_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "call_type": "complaint",
                    "contact_name": "Abdul (warehouse manager)",
                    "topic_usage": True,
                    "notes": "Waited two days for the oil-pressure answer.",
                    "request": "A technician on site if the warning comes back.",
                    "answer": "Remote check first.",
                    "customer_told_date": date(2026, 3, 10),
                    "customer_satisfied": "yes",
                }
            )
        )
        call.action_done()
        changes = {
            "customer_satisfied": "no",
            "notes": "all good",
            "answer": "x",
            "request": False,
            "customer_told_date": date(2026, 3, 20),
            "contact_name": "Someone else",
            "topic_usage": False,
            "topic_needs": True,
            "user_id": self.staff.id,
        }
        self._assert_writes_refused(
            call, self.followup_user, changes, message="stays in the call registry"
        )
        self._assert_writes_refused(
            call, self.followup_user, {"notes": "all good"}, message="Key Points"
        )
        # writing what it says already changes nothing, and is let through
        call.with_user(self.followup_user).write({"customer_satisfied": "yes"})

    def test_a_call_is_recorded_made_by_its_caller(self):
        """R-027, R-028, R-149, R-265 (000 第五篇 (三)4, (三)7): the registry
        says who called the customer, and the follow-ups done on time count
        for him. A colleague does not record as made, with its key points
        and the customer's satisfaction, the call of another's customer
        planned for another (a sheet's first follow-up, an incoming complaint
        taken by another), nor does the director: the call would stand in the
        registry as its follow-up staff's. Refused, it stays planned, with no
        second call. Who made it takes it over first (the change is tracked),
        then records it in his own name."""
        with freeze_time("2026-03-10 10:00:00"):
            first = self._closed_case().followup_call_ids
        complaint = (
            self.env["forklift.followup.call"]
            .with_user(self.followup_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "call_type": "complaint",
                    "notes": "The mast chain rattles.",
                }
            )
        )
        self.assertEqual((first | complaint).user_id, self.followup_user)
        result = {"notes": "All fine, thanks.", "customer_satisfied": "yes"}
        first.with_user(self.staff).write(result)
        with freeze_time("2026-03-15 10:00:00"):
            self._assert_attacks_refused(
                {
                    f"{call.call_type} as {user.login}": call.with_user(
                        user
                    ).action_done
                    for call in (first, complaint)
                    for user in (self.staff, self.director)
                },
                message="Follow-Up Staff",
            )
            self.assertEqual((first | complaint).mapped("state"), ["planned"] * 2)
            self.assertEqual((first | complaint).mapped("call_date"), [False] * 2)
            self.assertFalse(first.search([("previous_call_id", "=", first.id)]))
            first.with_user(self.staff).write({"user_id": self.staff.id})
            second = first.with_user(self.staff).action_done()
            complaint.with_user(self.followup_user).action_done()
        self.assertEqual(first.state, "done")
        self.assertEqual(second.user_id, self.staff)
        self.assertEqual(complaint.state, "done")

    def test_a_call_keeps_the_window_it_was_planned_with(self):
        """R-112, R-113, R-184, R-185 (000 第五篇 (三)4–5): the window of a
        follow-up call is the server's, computed from the administrator's
        settings when the sheet closes or the first call is made. Over RPC
        the caller does not put off a late call (it stays overdue), nor types
        the window of a follow-up or an event notice he plans by hand, nor
        turns a call of his own into one (or one into his own); a call of his
        own he plans with the window he gives, which then stays too."""
        with freeze_time("2026-03-10 10:00:00"):
            case = self._closed_case()
        first = case.followup_call_ids
        moved = {"window_start": date(2027, 1, 20), "window_end": date(2027, 1, 31)}
        calls = self.env["forklift.followup.call"].with_user(self.followup_user)
        with freeze_time("2026-03-18 08:00:00"):
            self.assertTrue(first.is_overdue)
            with self.assertRaisesRegex(UserError, "window it was planned with"):
                first.with_user(self.followup_user).write(moved)
            self._assert_call_kept(first, date(2026, 3, 16), date(2026, 3, 31), "other")
            self.assertEqual(calls.search([("is_overdue", "=", True)]), first)
            self._assert_planned_calls_refused(("first", "second", "event"), **moved)
            own = calls.create(
                {"partner_id": self.customer.id, "call_type": "other", **moved}
            )
        self.assertEqual(
            (own.window_start, own.window_end), (date(2027, 1, 20), date(2027, 1, 31))
        )
        self._assert_call_kept(own, date(2027, 1, 10), date(2027, 2, 10), "first")
        self.assertEqual(
            self.env["forklift.followup.call"].search_count(
                [
                    ("partner_id", "=", self.customer.id),
                    ("call_type", "in", ("first", "second", "event")),
                ]
            ),
            1,
        )

    def test_late_calls_are_overdue_and_reminded_once(self):
        with freeze_time("2026-03-10 10:00:00"):
            case = self._closed_case()
        call = case.followup_call_ids
        with freeze_time("2026-03-18 08:00:00"):
            self.assertTrue(call.is_overdue)
        self._remind_when_overdue(
            call, "is_overdue", "2026-03-17 18:00:00", "2026-03-18 08:00:00"
        )
        deadline = self.env.ref("forklift_aftersales.mail_activity_type_deadline")
        reminders = call.activity_ids.filtered(lambda a: a.activity_type_id == deadline)
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.user_id, self.followup_user)

    def test_event_notices_two_weeks_ahead_then_letters(self):
        event_model = self.env["forklift.care.event"]
        with freeze_time("2026-05-01 09:00:00"):
            late = event_model.create(
                {
                    "name": "Free inspection week",
                    "event_date": date(2026, 5, 10),
                    "partner_ids": [(6, 0, self.customer.ids)],
                }
            )
            self.assertEqual(late.notice_date, date(2026, 4, 26))
            with self.assertRaises(UserError):
                late.action_schedule_notices()
            self.assertEqual(late.state, "draft")
            self.assertFalse(late.call_ids)

            event = event_model.create(
                {
                    "name": "Customer gathering",
                    "event_date": date(2026, 5, 25),
                    "partner_ids": [(6, 0, (self.customer | self.customer_b).ids)],
                    "description": "<p>Guangzhou, 25 May, 14:00.</p>",
                }
            )
            event.action_schedule_notices()
        self.assertEqual(event.state, "notified")
        self.assertEqual(len(event.call_ids), 2)
        call = event.call_ids.filtered(lambda c: c.partner_id == self.customer)
        self.assertEqual(call.call_type, "event")
        self.assertEqual(call.window_end, date(2026, 5, 11))
        self.assertEqual(call.user_id, self.followup_user)
        with freeze_time("2026-05-04 10:00:00"):
            call.notes = "Will come with two operators."
            call.action_done()
        letter_todo = event.activity_ids.filtered(
            lambda a: a.user_id == self.followup_user
        )
        self.assertEqual(letter_todo.date_deadline, date(2026, 5, 6))
        with freeze_time("2026-05-05 10:00:00"):
            event.action_send_letters()
        letters = event.letter_ids
        self.assertEqual(letters.partner_id, self.customer, "only customers phoned")
        self.assertEqual(letters.letter_type, "invitation")
        self.assertEqual(letters.sent_date, date(2026, 5, 5))
        self.assertEqual(letters.state, "sent")
        self.assertTrue(
            letters.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        )
        with self.assertRaises(UserError):
            event.action_send_letters()  # nobody else phoned yet

    def test_a_notified_event_keeps_its_date_and_customers(self):
        """R-116 (000 第五篇 (三)6): once the notices are scheduled, the
        customers are phoned about the date announced: the organiser no
        longer moves the event nor changes its invitees over RPC (the form
        shows them read-only), on the event itself or once cancelled; a
        draft event still changes both."""
        event_model = self.env["forklift.care.event"].with_user(self.followup_user)
        with freeze_time("2026-05-01 09:00:00"):
            event, withdrawn = event_model.create(
                [
                    {
                        "name": name,
                        "event_date": date(2026, 5, 25),
                        "partner_ids": [Command.set(self.customer.ids)],
                    }
                    for name in ("Customer gathering", "Service offer")
                ]
            )
            event.write(
                {
                    "event_date": date(2026, 5, 26),
                    "partner_ids": [Command.link(self.customer_b.id)],
                }
            )
            self.assertEqual(event.partner_ids, self.customer | self.customer_b)
            event.action_schedule_notices()
            withdrawn.action_cancel()
        changes = [
            {"event_date": date(2026, 6, 30)},
            {"partner_ids": [Command.link(self.customer_b.id)]},
            {"partner_ids": [Command.unlink(self.customer.id)]},
            {"partner_ids": [Command.set([])]},
        ]
        names = ["event_date", "partner_ids"]
        for record in (event, withdrawn):
            kept = self._field_values(record, names)
            for vals in changes:
                with (
                    self.subTest(state=record.state, vals=vals),
                    self.assertRaisesRegex(
                        UserError, "date and customers no longer change"
                    ),
                ):
                    record.write(vals)
            self.assertEqual(self._field_values(record, names), kept)
        self.assertEqual(len(event.call_ids), 2, "one notice call per customer")

    def test_letter_by_email_needs_an_address(self):
        letter = self.env["forklift.care.letter"].create(
            {
                "partner_id": self.customer_b.id,
                "subject": "Maintenance reminder",
                "letter_type": "notice",
            }
        )
        with self.assertRaises(UserError):
            letter.action_send()
        self.assertEqual(letter.state, "draft")
        letter.send_method = "post"
        letter.action_send()
        self.assertEqual(letter.state, "sent")

    def test_customer_archive_gathers_units_cases_calls_letters_satisfaction(self):
        with freeze_time("2026-03-10 10:00:00"):
            case = self._closed_case()
        with freeze_time("2026-03-12 10:00:00"):
            case.survey_ids._record_answer({"rating": "4", "comment": "Quick."})
        second = self._closed_case(title="Horn does not work")
        second.survey_ids._record_answer({"rating": "2"}, channel="phone")
        customer = self.customer
        self.assertEqual(customer.forklift_unit_count, 1)
        self.assertEqual(customer.forklift_feedback_count, 2)
        self.assertEqual(customer.forklift_call_count, 2)
        self.assertEqual(customer.forklift_letter_count, 2)
        self.assertEqual(customer.forklift_survey_count, 2)
        self.assertEqual(customer.forklift_satisfaction, 3.0)
        action = self.env.ref("forklift_aftersales.res_partner_customer_archive_action")
        archive = self.env["res.partner"].search(literal_eval(action.domain))
        self.assertIn(customer, archive)
        self.assertNotIn(self.dealer_a, archive)
        # a dissatisfied customer is called back
        self.assertTrue(
            second.survey_ids.activity_ids.filtered(
                lambda a: "Dissatisfied" in (a.summary or "")
            )
        )

    def test_access_to_customer_care(self):
        call = self.env["forklift.followup.call"].create(
            {"partner_id": self.customer.id, "notes": "x"}
        )
        self.assertEqual(call.with_user(self.qa).partner_id, self.customer)
        with self.assertRaises(AccessError):
            call.with_user(self.qa).write({"notes": "changed"})
        with self.assertRaises(AccessError):
            self.env["forklift.followup.call"].with_user(self.qa).create(
                {"partner_id": self.customer.id}
            )
        with self.assertRaises(AccessError):
            call.with_user(self.staff).unlink()
        plain = self._group_user("care_plain", "base.group_user")
        for model in (
            "forklift.followup.call",
            "forklift.care.letter",
            "forklift.care.event",
            "forklift.satisfaction.survey",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(plain).search([])

    def test_a_late_call_cancelled_stays_late(self):
        """R-112, R-113, R-117, R-184, R-185 (000 第五篇 (三)4–5, (三)7): the
        follow-up calls are due in their window and every call stays in the
        registry (R-028) as it was. A call cancelled once its window has
        passed without it being made was missed: it stays counted among the
        overdue calls, whoever cancels it, and is no longer reminded; a call
        cancelled before its window closes is not late. Planned again and
        made, it leaves the count as any call made does."""
        with freeze_time("2026-03-10 10:00:00"):
            late = self._closed_case().followup_call_ids
            in_time = self._closed_case(title="Horn does not work").followup_call_ids
        calls = self.env["forklift.followup.call"].with_user(self.followup_user)
        # the test customer's calls (demo data may hold other late calls)
        overdue = [("is_overdue", "=", True), ("partner_id", "=", self.customer.id)]
        with freeze_time("2026-03-17 08:00:00"):
            in_time.with_user(self.followup_user).action_cancel()
        with freeze_time("2026-03-18 08:00:00"):
            self.assertEqual(calls.search(overdue), late)
            late.with_user(self.followup_user).action_cancel()
            self.assertEqual(late.state, "cancel")
            self.assertEqual(calls.search(overdue), late, "still counted late")
            self._assert_writes_refused(
                late, self.followup_user, {"missed": False}, message="procedure"
            )
            self.assertEqual(calls.search_count(overdue), 1)
            (late | in_time).invalidate_recordset()
            self.assertEqual((late.is_overdue, in_time.is_overdue), (True, False))
            self.env["forklift.followup.call"]._cron_remind_overdue()
        self.assertFalse(late.activity_ids, "a cancelled call is not reminded")
        with freeze_time("2027-03-18 08:00:00"):
            self.assertEqual(calls.search(overdue), late)
            late.with_user(self.followup_user).action_reset()
            self.assertEqual(calls.search(overdue), late)
            late.with_user(self.followup_user).write({"notes": "Reached at last."})
            late.with_user(self.followup_user).action_done()
            self.assertFalse(calls.search(overdue))

    def test_a_call_is_late_in_the_companys_days(self):
        """R-113, R-185, R-028 (000 第五篇 (三)5, (三)7): the window of a
        follow-up call and the day it is missed are the company's (Hangzhou),
        whatever time zone its caller names in his context or his
        preferences. The first call made at 20:30 in Hangzhou on 15 March
        (already the 16th in Kiritimati) plans the second from 22 to 29 March,
        not a day later; cancelled at 09:00 in Hangzhou on 30 March (still
        the 29th in Honolulu) that second call was missed, and stays counted
        late."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        with freeze_time("2026-03-10 10:00:00"):
            first = self._closed_case().followup_call_ids
        caller = self.followup_user
        first.with_user(caller).notes = "Runs fine."
        with freeze_time("2026-03-15 12:30:00"):
            second = (
                first.with_user(caller)
                .with_context(tz="Pacific/Kiritimati")
                .action_done()
            )
        self.assertEqual(
            (second.window_start, second.window_end),
            (date(2026, 3, 22), date(2026, 3, 29)),
        )
        calls = self.env["forklift.followup.call"].with_user(caller)
        with freeze_time("2026-03-30 01:00:00"):
            second.with_user(caller).with_context(tz="Pacific/Honolulu").action_cancel()
            self.assertEqual(second.state, "cancel")
            self.assertTrue(second.missed, "cancelled once its window had passed")
            self.assertEqual(
                calls.search(
                    [("is_overdue", "=", True), ("partner_id", "=", self.customer.id)]
                ),
                second,
            )

    def test_each_company_counts_its_calls_late_in_its_own_day(self):
        """R-113, R-185 (000 第五篇 (三)5): one search, one batch of flags and
        the one scheduled job cover the follow-up calls of two companies,
        each call late once its window has closed where its own company is.
        At 18:00 UTC on 31 March it is already 1 April in Hangzhou, still 31
        March in Honolulu: only the Hangzhou call is late and reminded; at
        12:00 UTC on 1 April both are."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        other = self.env["res.company"].create({"name": "Forklift Hawaii Branch"})
        other.partner_id.tz = "Pacific/Honolulu"
        calls = self.env["forklift.followup.call"]
        window = {
            "partner_id": self.customer.id,
            "call_type": "other",
            "window_start": date(2026, 3, 20),
            "window_end": date(2026, 3, 31),
        }
        here = calls.create(window)
        there = calls.create({**window, "company_id": other.id})
        both = here | there
        overdue = [("is_overdue", "=", True), ("id", "in", both.ids)]
        deadline = self.env.ref("forklift_aftersales.mail_activity_type_deadline")
        for moment, late in (
            ("2026-03-31 18:00:00", here),
            ("2026-04-01 12:00:00", both),
        ):
            with self.subTest(moment=moment), freeze_time(moment):
                both.invalidate_recordset(["is_overdue"])
                self.assertEqual(both.filtered("is_overdue"), late)
                self.assertEqual(calls.search(overdue), late)
                calls._cron_remind_overdue()
                self.assertEqual(
                    both.filtered(
                        lambda c: deadline in c.activity_ids.activity_type_id
                    ),
                    late,
                )

    def test_a_planned_call_keeps_its_customer(self):
        """R-112, R-113, R-116 (000 第五篇 (三)4–6; seed: CustomerCareCommon):
        a follow-up of a sheet is planned for the sheet's customer, an event
        notice for an invitee. Its caller does not turn it into a call to
        another customer over RPC (the form shows it read-only): the second
        follow-up the server plans from the first would carry the sheet to
        that customer, and the event's letter, which the server writes to
        each customer phoned, would invite one the event does not (its
        invitees are fixed once notified). A call of his own still changes
        customer while planned."""
        with freeze_time("2026-03-10 10:00:00"):
            case = self._closed_case()
        first = case.followup_call_ids
        self.assertEqual(first.partner_id, self.customer)
        events = self.env["forklift.care.event"].with_user(self.followup_user)
        with freeze_time("2026-05-01 09:00:00"):
            event = events.create(
                {
                    "name": "Customer gathering",
                    "event_date": date(2026, 5, 25),
                    "partner_ids": [Command.set(self.customer.ids)],
                }
            )
            event.action_schedule_notices()
        notice = event.call_ids
        for call in (first, notice):
            self._assert_writes_refused(
                call,
                self.followup_user,
                {"partner_id": self.customer_b.id},
                message="customer",
            )
        with freeze_time("2026-05-04 10:00:00"):
            notice.with_user(self.followup_user).write({"notes": "Will come."})
            notice.with_user(self.followup_user).action_done()
            event.with_user(self.followup_user).action_send_letters()
        self.assertEqual(event.letter_ids.partner_id, self.customer)
        own = (
            self.env["forklift.followup.call"]
            .with_user(self.followup_user)
            .create({"partner_id": self.customer.id, "notes": "Asked for a quote."})
        )
        own.partner_id = self.customer_b
        self.assertEqual(own.partner_id, self.customer_b)

    def test_a_call_by_hand_does_not_stand_for_the_sheets_follow_up(self):
        """R-112, R-113, R-184, R-185 (000 第五篇 (三)4–5): the follow-ups of
        a sheet are the server's, planned when the sheet closes (the second
        when the first is made), with the window of the settings. Over RPC
        staff do not plan a first or second follow-up of a sheet by hand (nor
        through context defaults): it would stand for the sheet's own, which
        the server then no longer plans. A call of their own on the sheet is
        no follow-up, and the sheet still gets its first call on closing."""
        case = self._verified_case(title="Horn does not work")
        calls = self.env["forklift.followup.call"].with_user(self.followup_user)
        self._assert_planned_calls_refused(("first", "second"), feedback_id=case.id)
        for call_type in ("first", "second"):
            with (
                self.subTest(call_type=call_type, context=True),
                self.assertRaisesRegex(UserError, "procedure"),
            ):
                calls.with_context(
                    default_call_type=call_type, default_feedback_id=case.id
                ).create({"partner_id": self.customer.id})
        self.assertFalse(case.followup_call_ids)
        own = calls.create(
            {"partner_id": self.customer.id, "feedback_id": case.id, "notes": "x"}
        )
        self._assert_writes_refused(
            own, self.followup_user, {"call_type": "first"}, message="procedure"
        )
        with freeze_time("2026-03-10 10:00:00"):
            order = self._service_order(case)
            self._registered_order(order, "Wang Jun")
            self._director_review(order)
            case.action_report_to_qa()
            case.action_close()
        first = case.followup_call_ids.filtered(lambda c: c.call_type == "first")
        self.assertEqual(len(first), 1)
        self.assertEqual(
            (first.window_start, first.window_end, first.user_id),
            (date(2026, 3, 13), date(2026, 3, 17), self.followup_user),
        )
        self.assertEqual(case.followup_call_ids, first | own)

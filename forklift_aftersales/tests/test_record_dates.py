from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_committee import CommitteeCommon


@tagged("post_install", "-at_install")
class TestRecordDates(CommitteeCommon):
    """The dates a record states are dates its events can have: a customer
    is told of an answer between the sheet it answers and today (R-027,
    R-186), an event is planned from today and within reach (R-116), the
    committee decides once its meeting was held (R-020), the customer asks
    for an arrival after he reported (R-180). A date of 1900 or 2999, or one
    out of order, is refused with the range allowed, and changes nothing."""

    def _assert_refused(self, call, *args):
        """``call(*args)`` is refused with the range of dates allowed."""
        with self.assertRaises(ValidationError) as cm, self.cr.savepoint():
            call(*args)
        self.assertIn("give a date from", str(cm.exception))

    def test_customer_is_told_between_the_sheet_and_today(self):
        """R-027, R-114, R-186 (000 第五篇 (三)4): the day the customer was
        told of the answer lies between the sheet the call is about and
        today. The technician records no call told in 2999 or 1900, nor
        tomorrow, nor before the sheet was received, by create or write; a
        call made keeps the day typed."""
        calls = self.env["forklift.followup.call"].with_user(self.technician)
        sheet = self._create_case()  # received on 2 March 2026
        base = {
            "partner_id": self.customer.id,
            "call_type": "complaint",
            "notes": "Asked when the mast chain arrives.",
            "answer": "Shipped today.",
        }
        with freeze_time("2026-03-10 10:00:00"):
            for told, vals in (
                ("2999-01-01", {}),
                ("1900-01-01", {}),
                ("2026-03-11", {}),
                ("2026-03-01", {"feedback_id": sheet.id}),
            ):
                with self.subTest(told=told):
                    self._assert_refused(
                        calls.create, {**base, **vals, "customer_told_date": told}
                    )
            self.assertFalse(calls.search([("partner_id", "=", self.customer.id)]))
            call = calls.create(
                {**base, "feedback_id": sheet.id, "customer_told_date": "2026-03-02"}
            )
            for told in ("2999-01-01", "1900-01-01", "2026-03-01", "2026-03-11"):
                with self.subTest(told=told):
                    self._assert_refused(call.write, {"customer_told_date": told})
            call.invalidate_recordset()
            self.assertEqual(call.customer_told_date, date(2026, 3, 2))
            call.write({"customer_told_date": "2026-03-10"})
            call.action_done()
        self.assertEqual(call.state, "done")
        self.assertEqual(call.customer_told_date, date(2026, 3, 10))

    def test_an_event_is_planned_from_today_within_reach(self):
        """R-116 (000 第五篇 (三)6): an event is planned ahead, its customers
        phoned two weeks before. The technician plans none in 1900 (noticed
        in 1899), yesterday, in 2999 or beyond the years a plan reaches, by
        create or write; refused, the event and its notice date stay."""
        events = self.env["forklift.care.event"].with_user(self.technician)
        with freeze_time("2026-05-01 09:00:00"):
            for day in ("1900-01-01", "2026-04-30", "2999-01-01", "2031-05-02"):
                with self.subTest(day=day):
                    self._assert_refused(
                        events.create, {"name": "Open day", "event_date": day}
                    )
            self.assertFalse(events.search([("name", "=", "Open day")]))
            event = events.create(
                {
                    "name": "Open day",
                    "event_date": "2026-05-25",
                    "partner_ids": [Command.set(self.customer.ids)],
                }
            )
            for day in ("1900-01-01", "2026-04-30", "2999-01-01"):
                with self.subTest(day=day):
                    self._assert_refused(event.write, {"event_date": day})
            event.invalidate_recordset()
            self.assertEqual(event.event_date, date(2026, 5, 25))
            self.assertEqual(event.notice_date, date(2026, 5, 11))
            event.write({"event_date": "2026-05-01"})
            event.write({"event_date": "2031-05-01"})
            self.assertEqual(event.notice_date, date(2031, 4, 17))

    def test_an_event_is_held_on_its_day_not_before(self):
        """R-116 (000 第五篇 (三)6): the customers are phoned about an event
        to come; it is recorded as held once its day has come where the
        company is, as a training once it has started (R-042). The
        technician does not record held, the day its notices go out, an
        event still three weeks ahead (the customers phoned would read of a
        gathering already over): refused, it stays notified. On its day it
        is held."""
        events = self.env["forklift.care.event"].with_user(self.technician)
        with freeze_time("2026-05-01 09:00:00"):
            event = events.create(
                {
                    "name": "Open day",
                    "event_date": "2026-05-25",
                    "partner_ids": [Command.set(self.customer.ids)],
                }
            )
            event.action_schedule_notices()
            with self.assertRaises(ValidationError) as cm, self.cr.savepoint():
                event.action_done()
            self.assertIn("has not come", str(cm.exception))
        # the day is the company's: in Shanghai, 15:00 UTC is 23:00
        event.sudo().company_id.partner_id.tz = "Asia/Shanghai"
        with freeze_time("2026-05-24 15:00:00"), self.cr.savepoint():
            with self.assertRaises(ValidationError):
                event.action_done()
        self.assertEqual(event.state, "notified")
        with freeze_time("2026-05-24 17:00:00"):
            event.action_done()
        self.assertEqual(event.state, "done")

    def test_the_committee_decides_once_it_has_met(self):
        """R-020 (000 §4.2.4): the meeting date is planned, then held. A
        member (purchasing) plans no meeting in 2999, nor in 1900 (before the
        submission); the decision is not put to the signatures before the
        meeting it records, so a decision never predates its meeting: once
        the meeting was held, it is decided and keeps its date."""
        members = self.chief_engineer | self.qa_manager | self.purchasing_manager
        with freeze_time("2026-03-02 10:00:00"):
            review = self._review()
            as_member = review.with_user(self.purchasing_manager)
            for day in ("2999-01-01 00:00:00", "1900-01-01 00:00:00"):
                with (
                    self.subTest(day=day),
                    self.assertRaises(ValidationError),
                    self.cr.savepoint(),
                ):
                    as_member.write({"meeting_date": day})
            self._assert_refused(
                as_member.write, {"meeting_date": "2999-01-01 00:00:00"}
            )
            review.invalidate_recordset()
            self.assertFalse(review.meeting_date)
            as_member.write(
                {
                    "meeting_date": "2026-03-05 09:00:00",
                    "decision": "<p>Replace the mast chain supplier.</p>",
                }
            )
            self._confirm(review, members)
            with self.assertRaises(ValidationError) as cm:
                as_member.request_validation()
            self.assertIn("once it has met", str(cm.exception))
            self.assertFalse(review.review_ids)
            self.assertEqual(review.state, "draft")
        with freeze_time("2026-03-05 10:00:00"):
            as_member.request_validation()
            self._sign(review)
        self.assertEqual(review.state, "done")
        self.assertEqual(review.meeting_date, datetime(2026, 3, 5, 9, 0))
        self.assertEqual(review.decided_date, datetime(2026, 3, 5, 10, 0))

    def test_requested_arrival_is_after_the_sheet_was_received(self):
        """R-180 (001-C §4 4)): the customer asks, when he reports, for
        someone on site by a time: after the sheet was received and within
        the years a plan reaches. The technician types no arrival in 1900, in
        2999 or before the report, by create or write; refused, the sheet
        keeps the time it had."""
        with freeze_time("2026-03-02 09:00:00"):
            sheets = self.env["forklift.feedback"].with_user(self.technician)
            base = {
                "unit_id": self.unit.id,
                "title": "Mast drops under load",
                "description": "<p>Forks sink under load.</p>",
                "received_date": "2026-03-02 08:00:00",
            }
            days = (
                "1900-01-01 00:00:00",
                "2999-01-01 00:00:00",
                "2026-03-02 07:59:00",
            )
            for day in days:
                with self.subTest(day=day):
                    self._assert_refused(
                        sheets.create, {**base, "requested_arrival_date": day}
                    )
            sheet = sheets.create(
                {**base, "requested_arrival_date": "2026-03-02 14:00:00"}
            )
            for day in days:
                with self.subTest(day=day):
                    self._assert_refused(sheet.write, {"requested_arrival_date": day})
            sheet.invalidate_recordset()
            self.assertEqual(sheet.requested_arrival_date, datetime(2026, 3, 2, 14))
            sheet.write({"requested_arrival_date": "2026-03-02 08:00:00"})
            self.assertEqual(sheet.requested_arrival_date, datetime(2026, 3, 2, 8))

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.forklift_aftersales.tests.common import portal_post

from .common import SENT, SupplierCommon

# the supplier's portal users type dates in their own time zone
SUPPLIER_TZ = ZoneInfo("Asia/Shanghai")


def local_input(utc):
    """``utc`` (naive, UTC) as the supplier types it in a ``datetime-local``
    input of the letter's page, in his time zone."""
    local = utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(SUPPLIER_TZ)
    return local.strftime("%Y-%m-%dT%H:%M")


@tagged("post_install", "-at_install")
class TestLetterAnswerDates(HttpCase, SupplierCommon):
    """The dates a supplier gives on a service contact letter are a plan or
    a record, never a time already gone or still to come: his visit planned
    and the new date he proposes are from his answer on, so that the deadline
    of his technician on site is still ahead (R-163, R-192); his technician
    arrives after the letter was sent and finishes after arriving, not in
    the future, which starts the 5 working days of the signed sheet (R-164).
    A bad date is refused with the reason and changes nothing, whether he
    answers on the portal or the service center records his answer
    (000 §4.2.3.2–3, R-003, R-086)."""

    ANSWER = "2026-03-02 15:00:00"

    def _unanswered(self, letter):
        """The letter is as it was sent: no answer, no visit deadline."""
        letter.invalidate_recordset()
        self.assertEqual(letter.state, "sent")
        self.assertFalse(letter.replied_date)
        self.assertFalse(letter.replied_by_id)

    def _not_reported(self, letter):
        """The work of the letter is not reported: no arrival, no finish."""
        letter.invalidate_recordset()
        order = letter.service_order_id
        order.invalidate_recordset()
        self.assertEqual(letter.state, "answered")
        self.assertEqual(order.state, "dispatched")
        self.assertFalse(order.arrival_date)
        self.assertFalse(order.finished_date)
        self.assertFalse(letter.sheet_deadline)

    def test_visit_planned_or_proposed_before_the_answer_is_refused(self):
        """R-163, R-192: a letter sent Monday 09:00 and answered at 15:00
        cannot plan the technician on site at 12:00 that day, nor propose
        12:00 as the new date: both before the answer, the visit would be
        overdue the moment it is planned. From the minute of the answer on,
        the plan is taken."""
        with freeze_time(SENT):
            letter = self._letter()
        contact = letter.contact_id
        past = datetime(2026, 3, 2, 12, 0)
        with freeze_time(self.ANSWER):
            with self.assertRaisesRegex(UserError, "is before your answer"):
                letter._supplier_answer(
                    contact,
                    {"supplier_technician": "Zhou Lei", "planned_visit_date": past},
                )
            self._unanswered(letter)
            with self.assertRaisesRegex(UserError, "is before your answer"):
                letter._supplier_answer(
                    contact,
                    {
                        "cannot_come_in_time": True,
                        "proposed_date": past,
                        "delay_reason": "Technician abroad",
                    },
                )
            self._unanswered(letter)
            self.assertFalse(letter.proposed_date)
            self.assertFalse(letter.visit_deadline)
        with freeze_time("2026-03-02 15:00:40"):
            letter._supplier_answer(
                contact,
                {
                    "supplier_technician": "Zhou Lei",
                    "planned_visit_date": datetime(2026, 3, 2, 15, 0),
                },
            )
        self.assertEqual(letter.state, "answered")
        self.assertEqual(letter.visit_deadline, datetime(2026, 3, 2, 15, 0))

    def test_service_center_records_no_visit_before_the_answer(self):
        """R-163, R-192: the service center recording an answer the supplier
        gave by phone records no visit, planned or proposed, before the
        answer; once answered, neither date is rewritten by RPC."""
        with freeze_time(SENT):
            letter = self._letter()
        staff_letter = letter.with_user(self.staff)
        for values in (
            {
                "supplier_technician": "Zhou Lei",
                "planned_visit_date": "2026-03-02 12:00:00",
            },
            {
                "cannot_come_in_time": True,
                "proposed_date": "2026-03-02 12:00:00",
                "delay_reason": "Technician abroad",
            },
        ):
            with self.subTest(values=values):
                staff_letter.write(values)
                with freeze_time(self.ANSWER):
                    with self.assertRaisesRegex(UserError, "is before your answer"):
                        staff_letter.action_record_answer()
                self._unanswered(letter)
                staff_letter.write(
                    {
                        "cannot_come_in_time": False,
                        "planned_visit_date": False,
                        "proposed_date": False,
                    }
                )
        staff_letter.write(
            {
                "supplier_technician": "Zhou Lei",
                "planned_visit_date": "2026-03-03 08:00:00",
            }
        )
        with freeze_time(self.ANSWER):
            staff_letter.action_record_answer()
        self.assertEqual(letter.state, "answered")
        self._assert_writes_refused(
            letter,
            self.staff,
            {
                "planned_visit_date": datetime(2026, 3, 2, 12, 0),
                "proposed_date": datetime(2026, 3, 2, 12, 0),
                "visit_deadline": datetime(2026, 3, 2, 12, 0),
            },
        )
        self.assertEqual(letter.visit_deadline, datetime(2026, 3, 3, 8, 0))

    def test_bad_dates_of_the_work_done_are_refused(self):
        """R-164, 000 §4.2.3.3: the work reported on Thursday 5 March 11:00
        finishes neither in the future nor before it started, and the
        technician does not arrive before the letter was sent (Monday 2
        March 09:00), nor in the future; each bad report changes nothing and
        starts no signed-sheet deadline. A good one is taken."""
        letter = self._answered_letter()
        contact = letter.contact_id
        bad = {
            "finished in the future": (
                datetime(2026, 3, 5, 7, 0),
                datetime(2026, 3, 5, 12, 0),
                "future",
            ),
            "arrived in the future": (
                datetime(2026, 3, 5, 12, 0),
                datetime(2026, 3, 5, 13, 0),
                "future",
            ),
            "finished before arriving": (
                datetime(2026, 3, 5, 10, 0),
                datetime(2026, 3, 5, 9, 0),
                "finish before it started",
            ),
            "arrived before the letter": (
                datetime(2026, 3, 2, 8, 0),
                datetime(2026, 3, 5, 10, 0),
                "before the letter was sent",
            ),
            "finished before the letter": (
                datetime(2026, 3, 1, 8, 0),
                datetime(2026, 3, 1, 10, 0),
                "before the letter was sent",
            ),
        }
        with freeze_time("2026-03-05 11:00:00"):
            for case, (arrival, finished, message) in bad.items():
                with (
                    self.subTest(case=case),
                    self.assertRaisesRegex(UserError, message),
                ):
                    letter._supplier_report_done(
                        contact,
                        {
                            "arrival_date": arrival,
                            "finished_date": finished,
                            "work_done": "<p>Pump replaced.</p>",
                        },
                    )
                self._not_reported(letter)
            letter._supplier_report_done(
                contact,
                {
                    "arrival_date": datetime(2026, 3, 5, 10, 0),
                    "finished_date": datetime(2026, 3, 5, 10, 0),
                    "work_done": "<p>Pump replaced.</p>",
                },
            )
        self.assertEqual(letter.state, "done")
        self.assertEqual(letter.finished_date, datetime(2026, 3, 5, 10, 0))

    def test_staff_do_not_write_the_dates_of_the_work_on_the_letter(self):
        """R-164: the arrival and the finish of the supplier's work are his
        report on the service order: the letter's copies, which the visit
        and signed-sheet deadlines read, are not written by RPC."""
        letter = self._answered_letter()
        self._assert_writes_refused(
            letter,
            self.staff,
            {
                "arrival_date": datetime(2026, 3, 2, 12, 0),
                "finished_date": datetime(2026, 3, 2, 12, 0),
                "sheet_deadline": datetime(2026, 3, 9, 12, 0),
            },
        )
        self.assertFalse(letter.arrival_date)

    @mute_logger("odoo.http")
    def test_portal_refuses_a_visit_before_the_answer(self):
        """R-086, R-163, R-192: on the letter's page, sent three hours ago, the
        supplier answering now with a visit or a new date an hour ago is
        refused with the reason; an hour from now is taken."""
        now = fields.Datetime.now()
        with freeze_time(now - timedelta(hours=3)):
            letter = self._letter()
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        url = f"/my/forklift/letters/{letter.id}/answer"
        hour_ago = local_input(now - timedelta(hours=1))
        for data in (
            {
                "cannot_come_in_time": "0",
                "supplier_technician": "Zhou Lei",
                "planned_visit_date": hour_ago,
            },
            {
                "cannot_come_in_time": "1",
                "proposed_date": hour_ago,
                "delay_reason": "Technician abroad",
            },
        ):
            with self.subTest(data=data):
                response = portal_post(self, url, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("is before your answer", response.text)
                self._unanswered(letter)
                self.assertFalse(letter.planned_visit_date)
                self.assertFalse(letter.proposed_date)
                self.assertFalse(letter.visit_deadline)
        portal_post(
            self,
            url,
            {
                "cannot_come_in_time": "0",
                "supplier_technician": "Zhou Lei",
                "planned_visit_date": local_input(now + timedelta(hours=1)),
            },
        )
        letter.invalidate_recordset()
        self.assertEqual(letter.state, "answered")
        self.assertGreater(letter.visit_deadline, now)

    @mute_logger("odoo.http")
    def test_portal_refuses_bad_dates_of_the_work_done(self):
        """R-086, R-164: the work reported on the letter's page, sent three
        hours ago, finishes neither in the future nor before it started, and
        does not start before the letter was sent: refused with the reason,
        nothing saved; a good report is taken."""
        now = fields.Datetime.now()
        with freeze_time(now - timedelta(hours=3)):
            letter = self._letter()
        with freeze_time(now - timedelta(hours=2, minutes=30)):
            letter._supplier_answer(
                letter.contact_id,
                {
                    "supplier_technician": "Zhou Lei",
                    "planned_visit_date": now - timedelta(hours=2),
                },
            )
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        url = f"/my/forklift/letters/{letter.id}/done"
        for arrival, finished, message in (
            (-2, 1, "future"),
            (-1, -2, "finish before it started"),
            (-4, -1, "before the letter was sent"),
        ):
            with self.subTest(arrival=arrival, finished=finished):
                response = portal_post(
                    self,
                    url,
                    {
                        "arrival_date": local_input(now + timedelta(hours=arrival)),
                        "finished_date": local_input(now + timedelta(hours=finished)),
                        "work_done": "Pump replaced.",
                    },
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self._not_reported(letter)
        portal_post(
            self,
            url,
            {
                "arrival_date": local_input(now - timedelta(hours=2)),
                "finished_date": local_input(now - timedelta(hours=1)),
                "work_done": "Pump replaced.",
            },
        )
        letter.invalidate_recordset()
        self.assertEqual(letter.state, "done")

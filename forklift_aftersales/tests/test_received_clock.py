from datetime import datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestReceivedClock(ForkliftCommon):
    """R-158, R-172–R-176 (000 §4.1.1, 004 §4.4): the report's time starts the
    answer and on-site deadlines, their overdue flags and the response-time
    figures. The service center that is late to answer does not time the
    report later to hide it: not at a time still to come (later today
    included), nor after the moment the server recorded the sheet, nor, once
    the sheet is recorded, later than it was typed; the service-center
    director corrects a time typed wrong."""

    VALS = {"title": "Horn silent", "description": "<p>No horn.</p>"}

    def _sheets(self):
        self.env.company.partner_id.tz = "Asia/Shanghai"
        return self.env["forklift.feedback"].with_user(self.staff)

    def test_a_report_is_not_timed_later_today(self):
        """08:00 in Hangzhou (00:00 UTC): a report timed at 14:00 the same
        day, hours ahead, is refused by create and by write."""
        sheets = self._sheets()
        vals = dict(self.VALS, unit_id=self.unit.id)
        with freeze_time("2026-03-10 00:00:00"):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                sheets.create(dict(vals, received_date=datetime(2026, 3, 10, 6)))
            sheet = sheets.create(dict(vals, received_date=datetime(2026, 3, 9, 23)))
            director = sheet.with_user(self.director)
            with self.assertRaises(ValidationError), self.cr.savepoint():
                director.write({"received_date": datetime(2026, 3, 10, 6)})
            # a few minutes of the user's clock running ahead are tolerated
            director.write({"received_date": datetime(2026, 3, 10, 0, 2)})
        self.assertEqual(sheet.received_date, datetime(2026, 3, 10, 0, 2))

    def _sheet_recorded_at(self, recorded):
        """A sheet whose report came in at 08:00 (00:00 UTC), recorded by
        the server at ``recorded`` (its own record of the moment)."""
        with freeze_time(recorded):
            sheet = self._sheets().create(
                dict(
                    self.VALS,
                    unit_id=self.unit.id,
                    received_date=datetime(2026, 3, 10, 0, 0),
                )
            )
        self.env.cr.execute(
            "UPDATE forklift_feedback SET create_date = %s WHERE id = %s",
            (recorded, sheet.id),
        )
        sheet.invalidate_recordset(["create_date"])
        return sheet

    def test_a_late_answer_is_not_hidden_by_timing_the_report_later(self):
        """The report came in at 08:00 (00:00 UTC) and the sheet was
        recorded at 08:05; nobody answered by 10:00. Timing the report at
        09:30 would clear the overdue answer and count it answered on time:
        refused. An earlier time (the call came in before it was recorded)
        is still typed."""
        sheet = self._sheet_recorded_at(datetime(2026, 3, 10, 0, 5))
        with freeze_time("2026-03-10 02:00:00"):
            deadline = sheet.answer_deadline
            for received in (datetime(2026, 3, 10, 1, 30), datetime(2026, 3, 10, 1)):
                with (
                    self.subTest(received=received),
                    self.assertRaises(ValidationError),
                    self.cr.savepoint(),
                ):
                    sheet.write({"received_date": received})
            sheet.with_user(self.staff).action_mark_answered()
            self.assertEqual(sheet.received_date, datetime(2026, 3, 10, 0, 0))
            self.assertEqual(sheet.answer_deadline, deadline)
            sheet.write({"received_date": datetime(2026, 3, 9, 23, 50)})
        self.assertEqual(sheet.received_date, datetime(2026, 3, 9, 23, 50))

    def test_staff_do_not_time_a_recorded_report_later(self):
        """The call came in at 08:00 (00:00 UTC) and was typed at 11:00, the
        server recording the sheet then. Staff timing the report at 10:30
        afterwards, as RPC would, within the time the sheet was recorded,
        would take two and a half hours off the measured answer and arrival:
        refused, the time as typed. An earlier time is still typed; the
        service-center director corrects a time typed too early."""
        sheet = self._sheet_recorded_at(datetime(2026, 3, 10, 3, 0))
        with freeze_time("2026-03-10 04:00:00"):
            deadlines = (sheet.answer_deadline, sheet.onsite_deadline)
            for received in (datetime(2026, 3, 10, 2, 30), datetime(2026, 3, 10, 0, 1)):
                with (
                    self.subTest(received=received),
                    self.assertRaisesRegex(ValidationError, "later than"),
                    self.cr.savepoint(),
                ):
                    sheet.write({"received_date": received})
            self.assertEqual(sheet.received_date, datetime(2026, 3, 10, 0, 0))
            self.assertEqual((sheet.answer_deadline, sheet.onsite_deadline), deadlines)
            sheet.write({"received_date": datetime(2026, 3, 9, 23, 30)})
            self.assertEqual(sheet.received_date, datetime(2026, 3, 9, 23, 30))
            sheet.with_user(self.director).write(
                {"received_date": datetime(2026, 3, 10, 0, 15)}
            )
        self.assertEqual(sheet.received_date, datetime(2026, 3, 10, 0, 15))

    def test_staff_do_not_date_a_report_back_into_the_warranty(self):
        """R-211, R-158: the forklift's warranty ended a month ago. Staff
        dating its report back two months, over RPC, by create or by write,
        would have its parts under warranty and its late answer on time:
        refused beyond the company's days (7), the sheet as it was. A report
        a few days old is still typed; the service-center director records
        an older one; a company allowing more days lets staff do it too."""
        now = fields.Datetime.now()
        unit = self._create_unit(
            "SN-BACK-0001", acceptance=now.date() - relativedelta(years=1, months=1)
        )
        sheets = self._sheets()
        vals = dict(self.VALS, unit_id=unit.id)
        back = now - relativedelta(months=2)
        with self.assertRaisesRegex(ValidationError, "more than 7 days"):
            with self.cr.savepoint():
                sheets.create(dict(vals, received_date=back))
        recent = now - relativedelta(days=3)
        sheet = sheets.create(dict(vals, received_date=recent))
        self.assertEqual(sheet.warranty_state, "out")
        with self.assertRaisesRegex(ValidationError, "more than 7 days"):
            with self.cr.savepoint():
                sheet.write({"received_date": back})
        self.assertEqual(sheet.received_date, recent)
        self.assertEqual(sheet.warranty_state, "out")
        old = sheets.with_user(self.director).create(dict(vals, received_date=back))
        self.assertEqual(old.warranty_state, "in")
        self.env.company.forklift_report_backdate_days = 120
        sheet.write({"received_date": back})
        self.assertEqual(sheet.warranty_state, "in")

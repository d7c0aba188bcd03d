from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestWorkingDays(ForkliftCommon):
    """Deadlines counted in working days (R-288; parts shipped within 2
    working days, 000 §4.2.2.3, R-162) on the company's schedule in its time
    zone, across the Spring Festival of 2026: off from Sunday 15 to Monday 23
    February, Saturday 14 February worked instead (the State Council's
    notice)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.company.resource_calendar_id
        cls.calendar.tz = "Asia/Shanghai"
        # 00:00 to 24:00 Beijing time, in UTC
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Spring Festival 2026",
                "calendar_id": cls.calendar.id,
                "date_from": "2026-02-14 16:00:00",
                "date_to": "2026-02-23 15:59:59",
            }
        )
        cls.makeup = cls.env["forklift.makeup.workday"].create(
            {
                "name": "Worked for the Spring Festival",
                "date": "2026-02-14",
                "calendar_id": cls.calendar.id,
            }
        )

    def _plan(self, start, days=2):
        return self.env.company._forklift_plan_working_days(start, days)

    def test_spring_festival_week_with_its_make_up_saturday(self):
        """Friday 13 February 10:00 Beijing time: the make-up Saturday is the
        first working day, the holiday week is skipped, Tuesday 24 the second;
        without the make-up day it would be Wednesday 25."""
        friday = datetime(2026, 2, 13, 2, 0)  # 10:00 in Beijing
        self.assertEqual(self._plan(friday), datetime(2026, 2, 24, 2, 0))
        self.assertEqual(self._plan(friday, 1), datetime(2026, 2, 14, 2, 0))
        self.makeup.unlink()
        self.assertEqual(self._plan(friday), datetime(2026, 2, 25, 2, 0))

    def test_days_are_counted_in_the_companys_time_zone(self):
        """00:30 on Friday in Beijing is still Thursday in UTC: the days are
        counted from the Friday, the deadline falls at 00:30 Beijing time."""
        start = datetime(2026, 2, 12, 16, 30)  # Friday 13, 00:30 in Beijing
        self.assertEqual(self._plan(start), datetime(2026, 2, 23, 16, 30))

    def test_working_week_and_time_zone_follow_the_schedule(self):
        """R-288: the days counted are the weekdays the company's schedule
        works, in its time zone, as the schedule stands: a Saturday added to
        it counts the next day, moved to Sunday or removed it stops counting,
        and a schedule moved to UTC counts from the UTC day (the schedule is
        kept in a cache that each change clears)."""
        friday = datetime(2026, 3, 6, 2, 0)  # Friday 6 March, 10:00 in Beijing
        monday, saturday, sunday = (datetime(2026, 3, d, 2, 0) for d in (9, 7, 8))
        self.assertEqual(self._plan(friday, 1), monday)
        attendance = self.env["resource.calendar.attendance"].create(
            {
                "name": "Saturday morning",
                "calendar_id": self.calendar.id,
                "dayofweek": "5",
                "hour_from": 8,
                "hour_to": 12,
            }
        )
        self.assertEqual(self._plan(friday, 1), saturday)
        attendance.dayofweek = "6"
        self.assertEqual(self._plan(friday, 1), sunday)
        attendance.unlink()
        self.assertEqual(self._plan(friday, 1), monday)
        # Friday 13 February 00:30 in Beijing is Thursday 12 in UTC: counted in
        # UTC, Friday 13 and the make-up Saturday 14 (not a holiday there yet)
        start = datetime(2026, 2, 12, 16, 30)
        self.assertEqual(self._plan(start), datetime(2026, 2, 23, 16, 30))
        self.calendar.tz = "UTC"
        self.assertEqual(self._plan(start), datetime(2026, 2, 14, 16, 30))

    def test_parts_ship_deadline_across_the_holiday(self):
        """R-162: the parts applied for on Friday 13 February are due shipped
        on Tuesday 24."""
        self.part.standard_price = 100
        with freeze_time("2026-02-13 02:00:00"):
            case = self._verified_case(received_date=datetime(2026, 2, 13, 1, 0))
            request = self.env["forklift.parts.request"].create(
                self._parts_request_vals(case)
            )
        self.assertEqual(request.ship_deadline, datetime(2026, 2, 24, 2, 0))

    def test_only_the_director_changes_holidays_and_make_up_days(self):
        """A public holiday moves every working-day deadline: the service
        center can neither add one nor a make-up day, nor change or remove
        them, over RPC either; the director can."""
        holiday = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.calendar.id), ("resource_id", "=", False)]
        )
        staff = self.staff
        with self.assertRaises(AccessError):
            self.env["resource.calendar.leaves"].with_user(staff).create(
                {
                    "name": "A day off to gain time",
                    "calendar_id": self.calendar.id,
                    "date_from": "2026-02-24 00:00:00",
                    "date_to": "2026-02-24 23:59:59",
                }
            )
        with self.assertRaises(AccessError):
            holiday.with_user(staff).date_to = "2026-02-28 15:59:59"
        with self.assertRaises(AccessError):
            holiday.with_user(staff).unlink()
        with self.assertRaises(AccessError):
            self.makeup.with_user(staff).unlink()
        with self.assertRaises(AccessError):
            self.env["forklift.makeup.workday"].with_user(staff).create(
                {"name": "x", "date": "2026-02-22", "calendar_id": self.calendar.id}
            )
        self.assertEqual(holiday.date_to, datetime(2026, 2, 23, 15, 59, 59))
        self.env["forklift.makeup.workday"].with_user(self.director).create(
            {"name": "Worked", "date": "2026-02-28", "calendar_id": self.calendar.id}
        )
        holiday.with_user(self.director).name = "Spring Festival (春节)"

from datetime import date, timedelta

import pytz

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, portal_post

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


@tagged("post_install", "-at_install")
class TestPortalBadReadings(HttpCase, ForkliftCommon):
    """An hour meter of 0 is no reading, and a date out of range no date
    (R-127, R-082, R-065): sent from a portal form (a page left empty, or a
    client posting what the page would not) or written by RPC, they are
    refused with their reason and change nothing, never recorded as a meter
    going backwards nor answered with an error 500."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_user = cls._portal_user(
            "readings_customer", cls.customer, "Li Wei", tz="Asia/Shanghai"
        )
        cls.dealer_user = cls._portal_user(
            "readings_dealer", cls.dealer_a, "Zhou Ming", tz="Asia/Shanghai"
        )
        cls.env["forklift.hour.reading"].create(
            {"unit_id": cls.unit.id, "hours": 700, "date": "2026-02-01 08:00:00"}
        )
        cls.case = cls._verified_case(route="dealer")
        cls.order = cls._service_order(cls.case, performer="dealer")
        cls.order.action_dispatch()
        # dispatched three hours ago, the arrival an hour later
        cls.order._write_flow(
            {"dispatched_date": cls.order.dispatched_date - timedelta(hours=3)}
        )

    def _arrival(self):
        """An hour after the dispatch, as the dealer's phone shows it."""
        utc = (self.order.dispatched_date + timedelta(hours=1)).replace(
            second=0, microsecond=0
        )
        local = pytz.utc.localize(utc).astimezone(pytz.timezone("Asia/Shanghai"))
        return local.strftime("%Y-%m-%dT%H:%M")

    def _report(self, **kw):
        return portal_post(
            self,
            f"/my/forklift/service-orders/{self.order.id}/report",
            data={
                "arrival": self._arrival(),
                "work_done": "Adjusted the mast chains",
                "hour_meter": "720",
                **kw,
            },
            files={"photos": ("mast.jpg", JPEG, "image/jpeg")},
        )

    def _order_state(self):
        self.order.invalidate_recordset()
        return (
            self.order.state,
            self.order.arrival_date,
            self.order.hour_meter,
            self.order.reading_id,
            len(self.order.photo_ids),
        )

    def _assert_reports_refused(self, message, field, values):
        """The dealer's work report giving each of ``values`` as ``field`` is
        refused on the page, saying ``message``; the order stays as it was.
        Returns what it was."""
        before = self._order_state()
        self.authenticate("readings_dealer", "readings_dealer")
        for value in values:
            with self.subTest(**{field: value}):
                response = self._report(**{field: value})
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertEqual(self._order_state(), before)
        return before

    def _portal_sheets(self):
        return self.env["forklift.feedback"].search([("channel", "=", "portal")])

    @mute_logger("odoo.http")
    def test_work_report_with_a_meter_of_0_is_refused(self):
        """R-127, R-082: the dealer's report of a meter of 0 on a forklift
        read at 700 h is refused as going backwards (it was recorded as done
        with 0 h and no reading); the order stays as it was."""
        before = self._assert_reports_refused(
            "cannot go backwards", "hour_meter", ("0", "0.0", "-0")
        )
        with self.assertRaisesRegex(UserError, "cannot go backwards"):
            self.order.with_user(self.dealer_user)._portal_report_work(
                self.order.dispatched_date, "Work", 0.0, [], []
            )
        self.assertEqual(self._order_state(), before)
        # the true meter is recorded as the order's reading
        self._report()
        self.assertEqual(self.order.state, "done")
        self.assertEqual(self.order.reading_id.hours, 720)
        self.assertEqual(self.unit.current_hours, 720)

    def test_staff_do_not_clear_the_meter_of_an_order(self):
        """R-127: written by RPC, a meter of 0 on an order is refused too: below
        the forklift's reading it goes backwards, on a forklift never read it
        is no reading; a meter read on site is not cleared."""
        staff_order = self.order.with_user(self.staff)
        with self.assertRaisesRegex(UserError, "cannot go backwards"):
            staff_order.write({"hour_meter": 0})
        staff_order.write({"hour_meter": 710})
        self.assertEqual(self.order.reading_id.hours, 710)
        with self.assertRaisesRegex(UserError, "cannot go backwards"):
            staff_order.write({"hour_meter": 0})
        self.assertEqual(
            (self.order.hour_meter, self.order.reading_id.hours), (710, 710)
        )
        case_b = self._verified_case(unit_id=self.unit_b.id)
        order_b = self._service_order(case_b)
        order_b.action_dispatch()
        self.assertFalse(self.unit_b.reading_ids)
        with self.assertRaisesRegex(UserError, "Enter the hour meter read on site"):
            order_b.with_user(self.staff).write({"hour_meter": 0})
        self.assertFalse(self.unit_b.reading_ids)

    @mute_logger("odoo.http")
    def test_sheet_with_a_meter_of_0_is_refused(self):
        """R-127, R-065: a sheet filed on the portal with a meter of 0 on a
        forklift read at 700 h is refused as going backwards, by the customer
        as by the dealer (it was stored with 0 h and no reading): no sheet is
        left. The true meter is recorded as the sheet's reading."""
        for login in ("readings_customer", "readings_dealer"):
            self.authenticate(login, login)
            for meter in ("0", "0.0"):
                with self.subTest(login=login, meter=meter):
                    response = portal_post(
                        self,
                        "/my/forklift/sheets/new",
                        data={
                            "unit_id": str(self.unit.id),
                            "description": "Mast drops under load",
                            "hour_meter": meter,
                        },
                    )
                    self.assertEqual(response.status_code, 200)
                    self.assertIn("cannot go backwards", response.text)
                    self.assertFalse(self._portal_sheets())
        customer = self.env(user=self.customer_user)["forklift.feedback"]
        with self.assertRaisesRegex(UserError, "cannot go backwards"):
            customer._portal_file_sheet(self.unit.id, "Mast drops", 0.0, False, [])
        self.assertFalse(self._portal_sheets())
        # on a forklift never read, 0 is no reading: the form asks for one
        with self.assertRaisesRegex(UserError, "Enter the hour meter"):
            customer._portal_file_sheet(
                self._never_read_unit().id, "Mast drops", 0.0, False, []
            )
        self.assertFalse(self._portal_sheets())
        case = customer._portal_file_sheet(self.unit.id, "Mast drops", 730, False, [])
        self.assertEqual(case.reading_id.hours, 730)

    def _never_read_unit(self):
        """A forklift of the customer, delivered by dealer A, never read."""
        return self._create_unit("SN-A-0002", acceptance=date(2026, 1, 10))

    def test_staff_do_not_clear_the_meter_of_a_sheet(self):
        """R-127: a sheet taken by phone may have no meter (0, no reading); a
        meter given is a reading of the forklift, which clearing it back to 0
        by RPC would leave standing behind a sheet of 0 h: refused."""
        sheets = self.env["forklift.feedback"].with_user(self.staff)
        case = sheets.create(
            {
                "unit_id": self.unit.id,
                "title": "Mast drops",
                "description": "<p>Forks sink under load.</p>",
            }
        )
        self.assertFalse(case.reading_id, "no meter given, no reading")
        case.write({"hour_meter": 750})
        self.assertEqual(case.reading_id.hours, 750)
        # rolled back as the refused call is
        with (
            self.assertRaisesRegex(UserError, "cannot go backwards"),
            self.env.cr.savepoint(),
        ):
            case.write({"hour_meter": 0})
        self.assertEqual((case.hour_meter, case.reading_id.hours), (750, 750))

    @mute_logger("odoo.http")
    def test_a_date_out_of_range_is_refused(self):
        """R-082: an arrival the page would not send (year 1, year 9999) is
        refused with the reason, not an error 500; the order stays as it
        was."""
        self._assert_reports_refused(
            "between the years",
            "arrival",
            ("0001-01-01T00:00", "0001-01-01 07:00:00", "9999-12-31T23:59"),
        )

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.forklift_aftersales.tests.common import portal_post

from .common import SENT, SupplierCommon


@tagged("post_install", "-at_install")
class TestLetterBadDates(HttpCase, SupplierCommon):
    """A supplier's answer or report posting a date the page would not send
    (year 1, year 9999) is refused with the reason on the letter's page, not
    an error 500, and changes nothing (000 §4.2.3.2–3, R-086)."""

    BAD_DATES = ("0001-01-01T00:00", "0001-01-01 00:00", "9999-12-31T23:59")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(SENT):
            cls.letter = cls._letter(cls._supplier_case(cls.supplier_a))

    def _post(self, step, **data):
        return portal_post(self, f"/my/forklift/letters/{self.letter.id}/{step}", data)

    def _assert_refused(self, response, state):
        self.assertEqual(response.status_code, 200)
        self.assertIn("between the years", response.text)
        self.letter.invalidate_recordset()
        self.assertEqual(self.letter.state, state)

    @mute_logger("odoo.http")
    def test_answer_with_a_date_out_of_range_is_refused(self):
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        for date in self.BAD_DATES:
            with self.subTest(date=date, field="planned_visit_date"):
                response = self._post(
                    "answer",
                    cannot_come_in_time="0",
                    supplier_technician="Zhou Lei",
                    planned_visit_date=date,
                )
                self._assert_refused(response, "sent")
            with self.subTest(date=date, field="proposed_date"):
                response = self._post(
                    "answer",
                    cannot_come_in_time="1",
                    proposed_date=date,
                    delay_reason="Our technician is abroad",
                )
                self._assert_refused(response, "sent")
        self.assertFalse(self.letter.proposed_date)
        self.assertFalse(self.letter.planned_visit_date)

    @mute_logger("odoo.http")
    def test_report_with_a_date_out_of_range_is_refused(self):
        self._answer(self.letter)
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        for date in self.BAD_DATES:
            for field in ("arrival_date", "finished_date"):
                with self.subTest(date=date, field=field):
                    data = {
                        "arrival_date": "2026-03-05T09:00",
                        "finished_date": "2026-03-05T15:00",
                        "work_done": "Pump replaced.",
                        field: date,
                    }
                    self._assert_refused(self._post("done", **data), "answered")
        self.assertFalse(self.letter.arrival_date)

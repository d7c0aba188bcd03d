from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestCommissioningReplan(ForkliftCommon):
    """A forklift is commissioned at once when it arrives, due on its
    delivery date (000 第四篇 §1, R-177, R-124): when the director corrects
    the delivery date, the open commissioning and its to-do follow it; an
    accepted one stays as signed."""

    def test_open_commissioning_follows_the_new_delivery_date(self):
        """R-177, R-124: delivery moved from 10-06 to 10-20 and back to
        10-02 by the director: the planned commissioning and its to-do are
        due on the new delivery each time, never before the forklift
        arrives."""
        with freeze_time("2026-10-01"):
            unit = self._create_unit("SN-RP-0001", delivery=date(2026, 10, 6))
            commissioning = unit.commissioning_ids
            todo = commissioning.activity_ids
            self.assertEqual(todo.date_deadline, date(2026, 10, 6))
            for day in (date(2026, 10, 20), date(2026, 10, 2)):
                with self.subTest(day=day):
                    unit.with_user(self.director).write({"delivery_date": day})
                    commissioning.invalidate_recordset()
                    self.assertEqual(unit.commissioning_ids, commissioning)
                    self.assertEqual(commissioning.planned_date, day)
                    self.assertEqual(commissioning.activity_ids.date_deadline, day)

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestLetterAgreeDate(SupplierCommon):
    """The new date the service center agrees with a supplier that could not
    come in time is the visit deadline of its technician (000 §4.2.3.2,
    R-163, R-164, R-192): a date already past when it is agreed is no plan,
    overdue the moment it is agreed. It is refused, changing nothing, and the
    supplier is asked for a new date; from the minute of the agreement on, it
    is taken."""

    def test_proposed_date_already_past_is_not_agreed(self):
        proposed = datetime(2026, 3, 6, 9, 0)
        letter = self._answered_letter(
            cannot_come_in_time=True,
            supplier_technician=False,
            planned_visit_date=False,
            proposed_date=proposed,
            delay_reason="Technician at another customer until Friday",
        )
        to_agree = letter.activity_ids
        with freeze_time("2026-03-06 09:01:00"):
            with self.assertRaisesRegex(UserError, "Ask the supplier for a new date"):
                letter.with_user(self.staff).action_agree_date()
        letter.invalidate_recordset()
        self.assertFalse(letter.agreed_visit_date)
        self.assertFalse(letter.date_agreed_by_id)
        self.assertFalse(letter.date_agreed_on)
        self.assertEqual(letter.activity_ids, to_agree)
        # the minute of the agreement itself is still to come
        with freeze_time("2026-03-06 09:00:40"):
            letter.with_user(self.staff).action_agree_date()
        self.assertEqual(letter.agreed_visit_date, proposed)
        self.assertEqual(letter.date_agreed_by_id, self.staff)

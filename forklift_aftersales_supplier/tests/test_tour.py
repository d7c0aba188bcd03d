from odoo.tests import HttpCase, tagged

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestSupplierTour(HttpCase, SupplierCommon):
    def test_supplier_answers_a_contact_letter_on_the_portal(self):
        """The supplier opens the letter from its portal, names its technician
        and the visit date, and the service center sees the answer
        (000 §4.2.3.2)."""
        letter = self._letter()  # sent now: the browser's clock is real
        self.start_tour(
            "/my", "forklift_supplier_letter_answer", login="supplier_a_portal"
        )
        self.assertEqual(letter.state, "answered")
        self.assertEqual(letter.supplier_technician, "Zhou Lei")
        self.assertEqual(letter.technician_phone, "139 0000 0000")
        self.assertEqual(letter.replied_by_id, self.portal_a.partner_id)
        # coming in time: on site within the letter's 24 h
        self.assertTrue(
            letter.sent_date < letter.planned_visit_date <= letter.reply_deadline
        )

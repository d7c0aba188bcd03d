from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestOldpartReturn(ShippedPartsCommon):
    """Old-part returns and their inspection (000 §4.3.2.3–6, R-011)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qa_user, cls.committee_user = cls._role_users("fa_or", "qa", "committee")

    def _old_parts_on_hand(self):
        return self.part.with_context(location=self.old_parts.id).qty_available

    def test_return_opened_by_the_shipment_starts_with_its_step(self):
        """R-230, R-137: the old-part return the warehouse's shipment opens
        (a step of the flow) keeps the server's choice of its chatter, a
        client's own creation keys being refused elsewhere
        (TestFlowContext): no line saying it was created, and the
        warehouse user who shipped does not follow it."""
        request = self._shipped_request()
        note = request.oldpart_return_ids
        self.assertEqual(len(note), 1)
        created = note.message_ids.filtered(
            lambda m: note._creation_message() in str(m.body)
        )
        self.assertFalse(created)
        self.assertNotIn(self.warehouse_user.partner_id, note.message_partner_ids)

    def test_shipped_parts_are_expected_back_within_30_days(self):
        """R-167 (000 §4.3.2.5, A-15): the 30 days run from the replacement,
        not from the shipment."""
        with freeze_time("2026-03-02"):
            request = self._shipped_request()
        note = request.oldpart_return_ids
        self.assertEqual(len(note), 1)
        self.assertFalse(note.due_date, "not replaced yet: no clock")
        self.assertEqual(note.line_ids.quantity, 2)
        with freeze_time("2026-03-05 02:00:00"):
            self._replace_parts(request)
        self.assertEqual(note.due_date.isoformat(), "2026-04-04")
        self._remind_when_overdue(note, "is_overdue", "2026-04-04", "2026-04-05")
        reminders = note.activity_ids.filtered(
            lambda a: a.summary == "Old parts not returned in time"
        )
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.user_id, self.supervisor)

    def test_part_enters_stock_only_after_both_signatures(self):
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        note.with_user(self.staff).action_sign_service_center()
        self.assertEqual(note.state, "expected", "QA has not signed yet")
        self.assertEqual(self._old_parts_on_hand(), 0)
        with self.assertRaisesRegex(UserError, "not allowed to sign"):
            note.with_user(self.staff).action_sign_qa()
        note.with_user(self.qa_user).action_sign_qa()
        self.assertEqual(note.state, "accepted")
        self.assertEqual(note.picking_id.state, "done")
        self.assertEqual(self._old_parts_on_hand(), 2)

    def test_rejected_part_is_explained_and_invoiced_to_the_dealer(self):
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "non_original"
        with self.assertRaisesRegex(UserError, "explanation"):
            note.with_user(self.staff).action_sign_service_center()
        self.assertEqual(note.state, "expected")
        self.assertFalse(note.sc_inspected_by_id)
        note.explanation = "<p>The returned pump is not an original part.</p>"
        with self.assertRaisesRegex(UserError, "service center inspects"):
            note.with_user(self.qa_user).action_sign_qa()
        note.with_user(self.staff).action_sign_service_center()
        note.with_user(self.qa_user).action_sign_qa()
        self.assertEqual(note.state, "rejected")
        invoice = note.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.partner_id, self.dealer_a)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.amount_untaxed, 520)
        mail = note.message_ids.filtered(lambda m: self.dealer_a in m.partner_ids)
        self.assertEqual(len(mail), 1)
        self.assertEqual(
            len(mail.attachment_ids), 1, "the written explanation is attached"
        )
        self.assertEqual(
            self._old_parts_on_hand(), 0, "a rejected part does not enter stock"
        )

    def test_technician_pays_for_a_part_not_returned(self):
        """R-227, R-046 (000 §4.3.2.4): a technician's part that does not come
        back is charged to him at its cost, counted per technician; only the
        director may accept it as missing."""
        note = self._shipped_request(applicant="technician").oldpart_return_ids
        with self.assertRaisesRegex(UserError, "director"):
            note.with_user(self.staff).action_accept_not_returned()
        note.with_user(self.staff).action_charge_technician()
        self.assertEqual(note.state, "charged")
        self.assertEqual(note.charged_user_id, self.technician)
        self.assertEqual(note.charged_amount, 300)
        charged = self.env["forklift.oldpart.return"]._read_group(
            [("state", "=", "charged")], ["charged_user_id"], ["charged_amount:sum"]
        )
        self.assertIn((self.technician, 300), charged)

    def test_dispute_goes_to_the_committee(self):
        note = self._shipped_request(applicant="technician").oldpart_return_ids
        note.with_user(self.staff).action_charge_technician()
        note.with_user(self.staff).action_dispute()
        self.assertEqual(note.state, "disputed")
        review = note.committee_review_ids
        self.assertIn(self.committee_user, review.activity_ids.user_id)

    def test_director_may_accept_a_missing_part_with_a_reason(self):
        """R-227 (000 §4.3.2.4): the technician pays nothing when the director
        accepts a stated reason; without a reason nothing is accepted."""
        note = self._shipped_request(applicant="technician").oldpart_return_ids
        with self.assertRaisesRegex(UserError, "why"):
            note.with_user(self.director).action_accept_not_returned()
        note.not_returned_reason = "Part destroyed in the fire at the customer's site."
        note.with_user(self.director).action_accept_not_returned()
        self.assertEqual(note.state, "cancel")
        self.assertFalse(note.charged_amount)

    def test_inspection_is_fixed_once_signed(self):
        """R-011 (000 §4.3.1.3, §4.3.2.6): the verdict, its explanation and the
        parts inspected are what the inspectors sign: once the service center
        signed, and after both signatures, the service center's staff no
        longer change them over RPC, nor the reason a part is missing once
        the return is settled."""
        note = self._replaced_note()
        line = note.line_ids
        staff = self.staff
        note.with_user(staff).verdict = "misuse"
        line.with_user(staff).failed_serial = "SN-OLD-1"
        note.with_user(staff).verdict = "accepted"
        signed = {
            "verdict": "misuse",
            "explanation": "<p>Changed afterwards.</p>",
            "line_ids": [Command.update(line.id, {"failed_serial": "SN-OTHER"})],
        }
        line_vals = {"failed_serial": "SN-OTHER", "quantity": 1}
        note.with_user(staff).action_sign_service_center()
        self.assertTrue(note.sudo().review_ids)
        self._assert_writes_refused(note, staff, signed)
        self._assert_writes_refused(line, staff, line_vals)
        note.with_user(self.qa_user).action_sign_qa()
        self.assertEqual(note.state, "accepted")
        self._assert_writes_refused(
            note, staff, signed | {"not_returned_reason": "Lost on the way."}
        )
        self._assert_writes_refused(line, staff, line_vals)
        self.assertEqual(line.failed_serial, "SN-OLD-1")

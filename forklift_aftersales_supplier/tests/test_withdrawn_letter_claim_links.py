from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SENT, SupplierCommon


@tagged("post_install", "-at_install")
class TestWithdrawnLetterClaimLinks(SupplierCommon):
    """A letter goes with its service order: withdrawn with it, the supplier
    answers nothing more (000 §4.2.3.2, R-192). A quality claim is for
    sheets that name its supplier and for a lot of its failed part
    (000 §3.3, §3.5, R-018)."""

    def _sent_letter(self):
        with freeze_time(SENT):
            return self._letter()

    def _assert_answer_refused(self, letter):
        with freeze_time("2026-03-02 15:00:00"), self.assertRaises(UserError):
            letter._supplier_answer(
                letter.contact_id,
                {
                    "supplier_technician": "Zhou Lei",
                    "planned_visit_date": datetime(2026, 3, 3, 9, 0),
                },
            )
        self.assertFalse(letter.replied_date)

    def test_letter_of_a_cancelled_sheet_is_withdrawn(self):
        """000 §4.2.3.2, R-192: the service center cancels the sheet whose
        order the letter dispatched; the letter is withdrawn with it: the
        supplier no longer answers it, nor is it reminded."""
        letter = self._sent_letter()
        case = letter.feedback_id
        with freeze_time("2026-03-02 10:00:00"):
            case.with_user(self.staff).action_cancel()
        self.assertEqual(letter.service_order_id.state, "cancel")
        self.assertEqual(letter.state, "cancel")
        self._assert_answer_refused(letter)

    def test_letter_of_a_cancelled_order_is_withdrawn(self):
        """000 §4.2.3.2: the order cancelled by the service center withdraws
        its letter, answered or not; the supplier answers none of it."""
        letter = self._sent_letter()
        with freeze_time("2026-03-02 10:00:00"):
            letter.service_order_id.with_user(self.staff).action_cancel()
        self.assertEqual(letter.state, "cancel")
        self._assert_answer_refused(letter)
        answered = self._answered_letter()
        with freeze_time("2026-03-02 16:00:00"):
            answered.service_order_id.with_user(self.staff).action_cancel()
        self.assertEqual(answered.state, "cancel")

    def test_cancelled_letter_takes_its_dispatched_order(self):
        """R-086, R-163, R-192, 000 §4.2.3.2: the letter sent is the
        dispatch of its supplier's order; the service center cancels it,
        answered or not, and the order is cancelled with it: no order is
        left dispatched to a supplier told nothing, its deadlines counting
        on the supplier's route. A draft letter leaves its order to be
        dispatched."""
        letter = self._sent_letter()
        with freeze_time("2026-03-02 10:00:00"):
            letter.with_user(self.staff).action_cancel()
        self.assertEqual(letter.state, "cancel")
        self.assertEqual(letter.service_order_id.state, "cancel")
        self._assert_answer_refused(letter)
        answered = self._answered_letter()
        with freeze_time("2026-03-02 16:00:00"):
            answered.with_user(self.staff).action_cancel()
        self.assertEqual(answered.state, "cancel")
        self.assertEqual(answered.service_order_id.state, "cancel")
        draft = self._letter(send=False)
        draft.with_user(self.staff).action_cancel()
        self.assertEqual(draft.state, "cancel")
        self.assertEqual(draft.service_order_id.state, "draft")

    def test_answer_on_a_withdrawn_order_is_refused(self):
        """000 §4.2.3.2: even a letter left open on a cancelled order takes
        no answer from the supplier."""
        letter = self._sent_letter()
        # the order cancelled as server code that knew nothing of letters
        self.env["forklift.service.order"].flush_model()
        self.env.cr.execute(
            "UPDATE forklift_service_order SET state = 'cancel' WHERE id = %s",
            [letter.service_order_id.id],
        )
        letter.service_order_id.invalidate_recordset(["state"])
        self._assert_answer_refused(letter)
        self.assertEqual(letter.state, "sent")

    def test_claim_takes_no_sheet_without_its_supplier(self):
        """R-018 (000 §3.3): a sheet naming no supplier at fault (an
        internal failure) is not claimed from a supplier, neither linked to
        a draft claim nor given at its creation."""
        claim = self._draft_pump_claim()
        internal = self._verified_case()
        self.assertFalse(internal.supplier_id)
        with self.assertRaises(ValidationError) as refused:
            claim.with_user(self.qa).write(
                {"feedback_ids": [Command.link(internal.id)]}
            )
        self.assertIn("supplier at fault", str(refused.exception))
        self.assertFalse(claim.feedback_ids)
        with self.assertRaisesRegex(ValidationError, "supplier at fault"):
            self._draft_pump_claim(feedback_ids=[Command.set(internal.ids)])

    def test_claim_lot_is_of_its_failed_part(self):
        """R-018 (000 §3.5): the lot a claim names is one of its failed part:
        a lot of another product would trace the claim to a purchase of
        another part."""
        other = self.env["product.product"].create(
            {"name": "Seat belt", "is_storable": True, "tracking": "lot"}
        )
        self.pump.tracking = "lot"
        lot = self.env["stock.lot"].create({"name": "BELT-1", "product_id": other.id})
        claim = self._draft_pump_claim()
        with self.assertRaises(ValidationError) as refused:
            claim.with_user(self.qa).write({"lot_id": lot.id})
        self.assertIn("not a lot of", str(refused.exception))
        self.assertFalse(claim.lot_id)
        pump_lot = self.env["stock.lot"].create(
            {"name": "PUMP-1", "product_id": self.pump.id}
        )
        claim.with_user(self.qa).write({"lot_id": pump_lot.id})
        self.assertEqual(claim.lot_id, pump_lot)
        with self.assertRaisesRegex(ValidationError, "not a lot of"):
            claim.with_user(self.qa).write({"product_id": other.id})

    def test_credit_note_settlement_names_no_bill(self):
        """R-018, 000 §3.5: a claim settled by a credit note alone deducts
        from no bill: purchasing does not leave another supplier's bill
        named as the one it was deducted from."""
        bill = self._posted_bill(self.supplier_b, "Chains", 1000)
        claim = self._draft_pump_claim()
        self._agree_claim(claim)
        claim.with_user(self.buyer).write(
            {"settlement_mode": "credit_note", "deduction_bill_id": bill.id}
        )
        with self.assertRaises(UserError) as refused:
            claim.with_user(self.buyer).action_settle()
        self.assertIn("deducts from no bill", str(refused.exception))
        self.assertEqual(claim.state, "agreed")
        self.assertFalse(claim.refund_move_id)
        claim.with_user(self.buyer).deduction_bill_id = False
        claim.with_user(self.buyer).action_settle()
        self.assertEqual(claim.state, "settled")
        self.assertFalse(claim.deduction_bill_id)

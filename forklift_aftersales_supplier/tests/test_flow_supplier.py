"""Controls that hold in the supplier area: every step of a service contact
letter, a quality claim, a responsibility trace and a timeliness assessment
is enforced by the server, whoever calls (the ORM as RPC calls it, with the
user's own rights)."""

import base64
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.forklift_aftersales.tests.common import call_kw, portal_post

from .common import SENT, SupplierCommon

CLIENT_CONTEXTS = (
    {},
    {"forklift_flow_write": True},
    {"skip_validation_check": True},
    {"forklift_tier_mechanism": True},
    {"install_module": "forklift_aftersales_supplier", "install_filename": "x.xml"},
)


class SupplierFlowCommon(SupplierCommon):
    def _contact_editors(self, suffix):
        """Two partner managers: an internal user, and QA."""
        return (
            self._group_user(
                f"fa_contacts_{suffix}", "base.group_user,base.group_partner_manager"
            ),
            self._group_user(
                f"fa_qa_{suffix}", "group_forklift_qa,base.group_partner_manager"
            ),
        )

    @classmethod
    def _received_letter(cls):
        with freeze_time(SENT):
            letter = cls._letter()
        cls._answer(letter)
        cls._report_done(letter)
        with freeze_time("2026-03-09 10:00:00"):
            letter._supplier_upload_sheet(
                letter.contact_id, b"JVBERi0xLjQK", "signed.pdf", "Wang Jun"
            )
        return letter


@tagged("post_install", "-at_install")
class TestFlowSupplierLetter(SupplierFlowCommon):
    """Service contact letters (售后服务联系函): the letter's steps alone move it."""

    def _snapshot(self, letter):
        return self._field_values(
            letter,
            (
                "state",
                "sent_date",
                "reply_deadline",
                "replied_date",
                "replied_by_id",
                "sheet_received_date",
                "sc_confirmed_by_id",
                "qa_confirmed_by_id",
                "service_order_id",
                "planned_visit_date",
                "visit_deadline",
            ),
        )

    def test_state_dates_and_sign_offs_cannot_be_written(self):
        """R-003, R-163, R-164, R-279, 000 §4.2.3.2–3: the state, the reply
        deadline, the answer's date and author and the confirmations of the
        signed sheet are written by the letter's steps only, whatever context
        the client sends (the flow's marker, OCA's skip_validation_check)."""
        with freeze_time(SENT):
            letter = self._letter()
        before = self._snapshot(letter)
        attacks = (
            {"state": "filed"},
            {"reply_deadline": datetime(2026, 3, 10, 9, 0)},
            {"sent_date": datetime(2026, 3, 1, 9, 0)},
            {"replied_date": datetime(2026, 3, 2, 10, 0)},
            {"replied_by_id": self.supplier_a.id},
            {"sheet_received_date": datetime(2026, 3, 3, 9, 0)},
            {"sc_confirmed_by_id": self.staff.id},
            {"qa_confirmed_by_id": self.qa.id},
            {"date_agreed_by_id": self.staff.id},
            {"visit_deadline": datetime(2026, 4, 1, 9, 0)},
            {"sheet_deadline": datetime(2026, 4, 1, 9, 0)},
            {"reply_hours": 1.0},
        )
        for context in CLIENT_CONTEXTS:
            for vals in attacks:
                with (
                    self.subTest(vals=vals, context=context),
                    self.assertRaises(AccessError),
                ):
                    letter.with_user(self.director).with_context(**context).write(vals)
        self.assertEqual(self._snapshot(letter), before)

    def test_created_only_in_the_first_state(self):
        """R-003, 000 §4.2.3.2: a letter starts as a draft; it cannot be
        created already answered or filed, nor through default_* keys."""
        case = self._supplier_case()
        order = self._service_order(
            case, performer="supplier", supplier_id=self.supplier_a.id
        ).sudo()
        letters = self.env["forklift.supplier.letter"].search([])
        for vals in (
            {"state": "filed"},
            {"sent_date": datetime(2026, 3, 2, 9, 0)},
            {"sc_confirmed_by_id": self.staff.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self.env["forklift.supplier.letter"].with_user(self.staff).create(
                    {"service_order_id": order.id, **vals}
                )
        self.assertEqual(self.env["forklift.supplier.letter"].search([]), letters)
        letter = (
            self.env["forklift.supplier.letter"]
            .with_user(self.staff)
            .with_context(default_state="filed", default_sent_date="2026-03-01")
            .create({"service_order_id": order.id})
        )
        self.assertEqual(letter.state, "draft")
        self.assertFalse(letter.sent_date)

    def test_service_order_link_cannot_be_re_pointed(self):
        """R-003, R-086, 000 §4.2.3.2: the order a letter dispatches, finishes
        and registers is its own; another order, already dispatched or another
        supplier's, is never acted on through a letter."""
        with freeze_time(SENT):
            letter = self._letter(send=False)
            other = self._letter(
                self._supplier_case(self.supplier_b, supplier_part_id=self.part.id)
            )
        other_order = other.service_order_id
        with self.assertRaises(AccessError):
            letter.with_user(self.staff).write({"service_order_id": other_order.id})
        self.assertNotEqual(letter.service_order_id, other_order)
        count = len(other_order.supplier_letter_ids)
        with self.assertRaisesRegex(UserError, "waiting to be dispatched"):
            self.env["forklift.supplier.letter"].with_user(self.staff).create(
                {"service_order_id": other_order.id}
            )
        self.assertEqual(len(other_order.supplier_letter_ids), count)
        self.assertEqual(other_order.state, "dispatched")

    def test_outsiders_learn_nothing_of_an_order_by_naming_it(self):
        """R-047, R-056 (000 §4.2.3.2): a new letter's service order is
        checked as superuser (waiting to be dispatched, without a letter);
        another supplier's portal user, an employee outside after-sales and
        the service center of another company naming an order they may not
        read are refused before that check, told neither its number nor
        whether it has a letter, and nothing is created."""
        with freeze_time(SENT):
            letter = self._letter()
        order = letter.service_order_id
        outsiders = self._outsiders("fa_letter", "group_forklift_user")
        letters = self.env["forklift.supplier.letter"]
        for user in outsiders:
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError) as refused:
                    letters.with_user(user).create({"service_order_id": order.id})
                self.assertNotIn(order.name, str(refused.exception))
        self.assertEqual(order.supplier_letter_ids, letter)

    def test_steps_check_state_and_role(self):
        """R-003, R-163, R-192, 000 §4.2.3.2: sending twice, agreeing a date
        nobody asked for, cancelling a filed letter or a viewer sending a letter
        does nothing but say why."""
        viewer = self._group_user("fa_viewer_l", "group_forklift_viewer")
        with freeze_time(SENT):
            draft = self._letter(send=False)
        with self.assertRaises(AccessError):
            draft.with_user(viewer).action_send()
        with self.assertRaises(AccessError):
            draft.with_user(self.portal_a).action_send()
        self.assertEqual(draft.state, "draft")
        self.assertEqual(draft.service_order_id.state, "draft")
        with freeze_time(SENT):
            draft.with_user(self.staff).action_send()
        sent_date = draft.sent_date
        with freeze_time("2026-03-04 09:00:00"):
            with self.assertRaisesRegex(UserError, "already sent"):
                draft.with_user(self.staff).action_send()
        self.assertEqual(draft.sent_date, sent_date, "the 24 h clock did not restart")
        with self.assertRaisesRegex(UserError, "no new date to agree"):
            draft.with_user(self.staff).action_agree_date()
        self.assertFalse(draft.date_agreed_by_id)
        letter = self._received_letter()
        with self.assertRaisesRegex(UserError, "already completed"):
            letter.with_user(self.director).action_cancel()
        self.assertEqual(letter.state, "sheet_received")
        with self.assertRaisesRegex(UserError, "already answered"):
            letter._supplier_answer(letter.contact_id, {"supplier_technician": "X"})
        self.assertEqual(letter.state, "sheet_received")

    def test_letter_goes_only_to_the_suppliers_own_contact(self):
        """R-003, R-086, 000 §4.2.3.2: the letter, with the customer's data,
        is mailed to the supplier's after-sales department only, never to an
        address typed as its contact."""
        with freeze_time(SENT):
            letter = self._letter(send=False)
        outsider = self.env["res.partner"].create(
            {"name": "Competitor", "email": "buyer@competitor.example.com"}
        )
        letter.with_user(self.staff).contact_id = outsider
        with self.assertRaisesRegex(UserError, "is not a contact of"):
            letter.with_user(self.staff).action_send()
        self.assertEqual(letter.state, "draft")
        self.assertEqual(letter.service_order_id.state, "draft")
        self.assertFalse(
            letter.message_ids.filtered(lambda m: outsider in m.partner_ids)
        )

    def test_answer_frozen_once_given(self):
        """R-163, R-192, 000 §4.2.3.2: once the supplier answered, the planned
        visit (the deadline it sets) and the opinion sent are not rewritten."""
        with freeze_time(SENT):
            letter = self._letter()
        self._answer(letter)
        before = self._snapshot(letter)
        for vals in (
            {"planned_visit_date": datetime(2026, 3, 9, 9, 0)},
            {"cannot_come_in_time": True},
            {"sc_opinion": "<p>Other opinion</p>"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "no longer"),
            ):
                letter.with_user(self.staff).write(vals)
        self.assertEqual(self._snapshot(letter), before)

    def test_sent_letter_cannot_be_deleted(self):
        """R-003, 000 §4.2.3.2: a letter sent to a supplier is cancelled, never
        deleted."""
        with freeze_time(SENT):
            letter = self._letter()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            letter.with_user(self.director).unlink()
        self.assertTrue(letter.exists())
        letter.with_user(self.staff).action_cancel()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            letter.with_user(self.director).unlink()
        self.assertTrue(letter.exists())


@tagged("post_install", "-at_install")
class TestFlowSupplierSheetConfirmation(SupplierFlowCommon):
    """The signed sheet is confirmed by the service center, then QA, on tier
    reviews: two people, in order (R-164, R-279, 000 §4.2.3.3)."""

    def _reviews(self, letter):
        return letter.sudo().review_ids.sorted("sequence")

    def test_two_reviews_in_sequence(self):
        """R-279, 000 §4.2.3.3: the sheet's arrival requests two reviews, the
        service center's first."""
        letter = self._received_letter()
        reviews = self._reviews(letter)
        self.assertEqual(
            reviews.definition_id,
            self.env.ref(
                "forklift_aftersales_supplier.tier_supplier_letter_service_center"
            )
            | self.env.ref("forklift_aftersales_supplier.tier_supplier_letter_qa"),
        )
        self.assertEqual(
            reviews[0].definition_id,
            self.env.ref(
                "forklift_aftersales_supplier.tier_supplier_letter_service_center"
            ),
        )
        self.assertTrue(all(reviews.mapped("approve_sequence")))

    def test_qa_cannot_confirm_first_nor_file_by_state(self):
        """R-279, 000 §4.2.3.3: QA neither confirms before the service center
        nor files the letter by writing its state; its review stays open."""
        letter = self._received_letter()
        for call in (
            lambda: letter.with_user(self.qa).action_confirm_qa(),
            lambda: letter.with_user(self.qa).validate_tier(),
        ):
            with self.assertRaises(UserError):
                call()
        with self.assertRaises(AccessError):
            letter.with_user(self.qa).write({"state": "filed"})
        self.assertEqual(letter.state, "sheet_received")
        self.assertEqual(self._reviews(letter).mapped("status"), ["pending", "waiting"])
        self.assertFalse(letter.qa_confirmed_by_id)
        self.assertEqual(letter.service_order_id.state, "signed")

    def test_confirmations_are_asked_when_the_sheet_is_back(self):
        """R-279, R-005, 000 §4.2.3.3: the confirmations are asked by the
        server when the signed sheet comes back. A client sending OCA's
        ``skip_check_state_condition`` with "Request Validation" does not ask
        them of a letter still waiting for its sheet: the service center and
        QA are not asked to confirm a sheet nobody returned, and the reviews
        asked on its arrival do not name him as the one who asked them."""
        with freeze_time(SENT):
            letter = self._letter()
        self._answer(letter)
        self._report_done(letter)
        self.assertEqual(letter.state, "done")
        letter.with_user(self.staff).with_context(
            skip_check_state_condition=True
        ).request_validation()
        self.assertFalse(self._reviews(letter))
        self.assertEqual(letter.validation_status, "no")
        with freeze_time("2026-03-09 10:00:00"):
            letter._supplier_upload_sheet(
                letter.contact_id, b"JVBERi0xLjQK", "signed.pdf", "Wang Jun"
            )
        reviews = self._reviews(letter)
        self.assertEqual(reviews.mapped("status"), ["pending", "waiting"])
        self.assertNotIn(self.staff, reviews.requested_by)

    def test_one_person_does_not_sign_both_seats(self):
        """R-279, R-005, 000 §4.2.3.3: a user in both the service center and
        QA confirms one step; the second is another person's."""
        both = self._group_user("fa_sc_and_qa", "group_forklift_user,group_forklift_qa")
        letter = self._received_letter()
        letter.with_user(both).action_confirm_service_center()
        self.assertEqual(letter.sc_confirmed_by_id, both)
        with self.assertRaisesRegex(UserError, "already approved"):
            letter.with_user(both).action_confirm_qa()
        self.assertEqual(letter.state, "sheet_received")
        self.assertFalse(letter.qa_confirmed_by_id)
        self.assertEqual(
            self._reviews(letter).mapped("status"), ["approved", "pending"]
        )
        letter.with_user(self.qa).action_confirm_qa()
        self.assertEqual(letter.state, "filed")
        self.assertEqual(letter.service_order_id.state, "registered")

    def test_a_confirmation_withdrawn_leaves_the_letter(self):
        """R-279, R-005, 000 §4.2.3.3: restarting the confirmations drops
        those given with their reviews: the letter no longer names a signer
        whose review is gone, so he does not confirm the other seat as well
        on the reviews asked again, and the letter names the two people who
        confirmed it."""
        both = self._group_user(
            "fa_sc_qa_restart", "group_forklift_user,group_forklift_qa"
        )
        letter = self._received_letter()
        letter.with_user(both).action_confirm_service_center()
        self.assertEqual(letter.sc_confirmed_by_id, both)
        # QA reads the letter, it does not take its confirmations back
        with self.assertRaises(AccessError):
            letter.with_user(self.qa).restart_validation()
        self.assertEqual(
            self._reviews(letter).mapped("status"), ["approved", "pending"]
        )
        self.assertEqual(letter.sc_confirmed_by_id, both)
        letter.with_user(self.staff).restart_validation()
        self.assertFalse(self._reviews(letter))
        self.assertFalse(letter.sc_confirmed_by_id)
        self.assertFalse(letter.sc_confirmed_date)
        self.assertEqual(letter.state, "sheet_received")
        letter.with_user(self.staff).request_validation()
        letter.with_user(self.director).action_confirm_service_center()
        letter.with_user(both).action_confirm_qa()
        self.assertEqual(letter.state, "filed")
        self.assertEqual(letter.sc_confirmed_by_id, self.director)
        self.assertEqual(letter.qa_confirmed_by_id, both)
        self.assertEqual(self._reviews(letter).mapped("done_by"), self.director | both)

    def test_service_center_cannot_confirm_for_qa(self):
        """R-279, 000 §4.2.3.3: the service center confirms its own step only,
        and cannot write its review approved."""
        letter = self._received_letter()
        letter.with_user(self.staff).action_confirm_service_center()
        with self.assertRaises(AccessError):
            letter.with_user(self.staff).action_confirm_qa()
        with self.assertRaises(UserError):
            letter.with_user(self.staff).action_confirm_service_center()
        review = self._reviews(letter)[1]
        with self.assertRaises(AccessError):
            review.with_user(self.staff).write({"status": "approved"})
        self.assertEqual(review.status, "pending")
        self.assertEqual(letter.state, "sheet_received")
        self.assertFalse(letter.qa_confirmed_by_id)


@tagged("post_install", "-at_install")
class TestFlowQualityClaim(SupplierFlowCommon):
    """Supplier quality claims (质量索赔): amounts computed by the server,
    settled by the claim's own credit note."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim = cls._draft_pump_claim()

    def _refund(self, partner, amount=300):
        refund = self.env["account.move"].create(
            {
                "move_type": "in_refund",
                "partner_id": partner.id,
                "invoice_date": "2026-03-01",
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Credit", "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        refund.action_post()
        return refund

    def _snapshot(self, claim):
        return self._field_values(
            claim,
            (
                "state",
                "claimed_date",
                "amount_claimed",
                "amount_agreed",
                "amount_recovered",
                "refund_move_id",
                "settled_date",
                "supplier_id",
            ),
        )

    def test_state_amounts_and_credit_note_cannot_be_written(self):
        """R-018, R-077, R-261, 000 §3.3, §3.5: QA and purchasing cannot type
        a claim's state, amounts or credit note."""
        refund = self._refund(self.supplier_a)
        before = self._snapshot(self.claim)
        for user in (self.qa, self.buyer, self.qa_manager):
            for vals in (
                {"state": "settled"},
                {"amount_claimed": 9000},
                {"amount_agreed": 9000},
                {"amount_recovered": 300},
                {"refund_move_id": refund.id},
                {"settled_date": "2026-03-02"},
                {"claimed_date": "2026-03-02"},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(AccessError):
                        self.claim.with_user(user).write(vals)
        self.assertEqual(self._snapshot(self.claim), before)
        claims = self.env["forklift.quality.claim"].search([])
        with self.assertRaises(AccessError):
            self.env["forklift.quality.claim"].with_user(self.qa).create(
                {
                    "supplier_id": self.supplier_a.id,
                    "product_id": self.pump.id,
                    "state": "settled",
                    "refund_move_id": refund.id,
                }
            )
        self.assertEqual(self.env["forklift.quality.claim"].search([]), claims)

    def test_settlement_chosen_once_agreed_and_negotiation_noted_meanwhile(self):
        """R-018, 000 §3.5: how the supplier pays (credit note or deduction
        from a bill) is chosen once the amount is agreed, not while it is
        claimed or negotiated; the negotiation is noted while it goes on, not
        on a draft. The form shows them read-only then; over RPC they are
        refused too."""
        settlement = {"settlement_mode": "deduction"}
        note = {"negotiation_note": "<p>Supplier offers half.</p>"}
        self._assert_writes_refused(self.claim, self.buyer, settlement | note)
        self.claim.with_user(self.qa).action_claim()
        self._assert_writes_refused(self.claim, self.buyer, settlement)
        self.claim.with_user(self.buyer).action_negotiate()
        self._assert_writes_refused(self.claim, self.buyer, settlement)
        self.claim.with_user(self.buyer).write(note)
        self.claim.with_user(self.buyer).action_agree()
        self._assert_writes_refused(
            self.claim, self.buyer, {"negotiation_note": "<p>Rewritten.</p>"}
        )
        self.claim.with_user(self.buyer).settlement_mode = "credit_note"
        self.assertEqual(self.claim.settlement_mode, "credit_note")
        self.assertIn("half", self.claim.negotiation_note)

    def test_settled_once_by_its_own_credit_note(self):
        """R-018, 000 §3.5: settling twice makes no second credit note."""
        self._agree_claim(self.claim)
        self.claim.with_user(self.buyer).settlement_mode = "credit_note"
        self.claim.with_user(self.buyer).action_settle()
        refund = self.claim.refund_move_id
        self.assertEqual(refund.amount_total, 300)
        self.assertEqual(refund.partner_id, self.supplier_a)
        refunds = self.env["account.move"].search([("move_type", "=", "in_refund")])
        with self.assertRaisesRegex(UserError, "already settled"):
            self.claim.with_user(self.qa_manager).action_settle()
        self.assertEqual(
            self.env["account.move"].search([("move_type", "=", "in_refund")]),
            refunds,
        )
        self.assertEqual(self.claim.refund_move_id, refund)
        with self.assertRaisesRegex(UserError, "no longer"):
            self.claim.with_user(self.buyer).settlement_mode = "deduction"
        self.assertEqual(self.claim.settlement_mode, "credit_note")

    def test_credit_note_stays_as_agreed(self):
        """R-018, R-261, 000 §3.5: the credit note settling a claim credits
        the claim's supplier the amount agreed. A billing user (with purchase
        rights, no after-sales group) may reset it to draft, as Odoo lets
        him, but posts it again only as agreed: not for another amount, with
        another line or tax, nor to another vendor; nor edits its posted
        lines, nor cancels it, so that the claim would read as settled and
        recovered for what the supplier never credited."""
        billing = self._group_user(
            "fa_qc_refund_billing",
            "account.group_account_invoice,purchase.group_purchase_user",
        )
        self._agree_claim(self.claim)
        self.claim.with_user(self.buyer).settlement_mode = "credit_note"
        self.claim.with_user(self.buyer).action_settle()
        refund = self.claim.refund_move_id.with_user(billing)
        self.assertEqual((refund.state, refund.amount_total), ("posted", 300))
        line = refund.invoice_line_ids
        for vals in (
            {"invoice_line_ids": [Command.update(line.id, {"price_unit": 30})]},
            {"invoice_line_ids": [Command.create({"name": "Less", "price_unit": -9})]},
            {"partner_id": self.supplier_b.id},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "agreed on"),
            ):
                with self.env.cr.savepoint():
                    refund.button_draft()
                    refund.write(vals)
                    refund.action_post()
        self._assert_posted_move_kept(refund, -30, "agreed on")
        # reset to draft and posted again unchanged: accounting's own work
        refund.button_draft()
        refund.action_post()
        self.assertEqual(
            (refund.state, refund.amount_total, refund.partner_id),
            ("posted", 300, self.supplier_a),
        )
        self.assertEqual(
            (self.claim.refund_move_id, self.claim.amount_recovered), (refund, 300)
        )

    def test_deduction_from_another_suppliers_bill_is_refused(self):
        """R-018, 000 §3.5: the bill a claim is deducted from is an open bill
        of the claim's supplier; another supplier's bill is never reconciled."""
        bill = self._posted_bill(self.supplier_b, "Chains", 1000)
        self._agree_claim(self.claim)
        self.claim.with_user(self.buyer).write(
            {"settlement_mode": "deduction", "deduction_bill_id": bill.id}
        )
        with self.assertRaisesRegex(UserError, "not a posted bill of"):
            self.claim.with_user(self.buyer).action_settle()
        self.assertEqual(self.claim.state, "agreed")
        self.assertFalse(self.claim.refund_move_id)
        self.assertEqual(bill.amount_residual, 1000)

    def test_costs_frozen_once_claimed(self):
        """R-018, R-077, 000 §3.3: what was claimed from the supplier is not
        rewritten after sending, and what was agreed not after agreeing."""
        self.claim.with_user(self.qa).action_claim()
        line = self.claim.line_ids
        before = self._snapshot(self.claim)
        with self.assertRaisesRegex(UserError, "no longer open"):
            line.with_user(self.qa).price_unit = 3000
        with self.assertRaisesRegex(UserError, "no longer open"):
            self.env["forklift.quality.claim.line"].with_user(self.qa).create(
                {
                    "claim_id": self.claim.id,
                    "cost_type": "freight",
                    "name": "Express",
                    "price_unit": 50,
                }
            )
        with self.assertRaisesRegex(UserError, "no longer open"):
            line.with_user(self.buyer).unlink()
        with self.assertRaisesRegex(UserError, "no longer"):
            self.claim.with_user(self.qa).supplier_id = self.supplier_b
        with self.assertRaises(AccessError):
            line.with_user(self.qa).write({"amount_claimed": 5000})
        self.assertEqual(self._snapshot(self.claim), before)
        self.assertEqual(self.claim.line_ids, line)
        self.claim.with_user(self.buyer).action_negotiate()
        line.with_user(self.buyer).amount_agreed = 250
        self.claim.with_user(self.buyer).action_agree()
        with self.assertRaisesRegex(UserError, "no longer open"):
            line.with_user(self.buyer).amount_agreed = 300
        self.assertEqual(self.claim.amount_agreed, 250)

    def _assert_amounts(self, claimed, agreed):
        """The claim's one cost and the claim itself are of ``claimed``,
        ``agreed`` is agreed."""
        line = self.claim.line_ids
        self.assertEqual((line.amount_claimed, line.amount_agreed), (claimed, agreed))
        self.assertEqual(
            (self.claim.amount_claimed, self.claim.amount_agreed), (claimed, agreed)
        )

    def test_draft_costs_change_and_the_agreed_amount_follows(self):
        """R-018, R-077, 000 §3.3: while the claim is a draft, QA lowers and
        raises the unit price and the quantity of a cost, by a write as by
        the claim's form, and the amount agreed follows the amount claimed.
        R-052, 000 §3.5: once purchasing negotiates, the amount agreed is its
        own, still never more than claimed."""
        line = self.claim.line_ids
        for vals, claimed in (
            ({"price_unit": 250}, 250),
            ({"price_unit": 400}, 400),
            ({"quantity": 0.5}, 200),
            ({"quantity": 2}, 800),
            ({"quantity": 1, "price_unit": 300}, 300),
        ):
            with self.subTest(write=vals):
                line.with_user(self.qa).write(vals)
                self._assert_amounts(claimed, claimed)
        for field, value, claimed in (
            ("price_unit", 250, 250),
            ("price_unit", 350, 350),
            ("quantity", 0.5, 175),
            ("quantity", 2, 700),
        ):
            with self.subTest(form={field: value}):
                with (
                    Form(self.claim.with_user(self.qa)) as form,
                    form.line_ids.edit(0) as row,
                ):
                    setattr(row, field, value)
                self._assert_amounts(claimed, claimed)
        with self.assertRaises(ValidationError) as refused:
            line.with_user(self.qa).write({"price_unit": 300, "amount_agreed": 700})
        self.assertIn("more than was claimed", str(refused.exception))
        self._assert_amounts(700, 700)
        self.claim.with_user(self.qa).action_claim()
        self.claim.with_user(self.buyer).action_negotiate()
        line.with_user(self.buyer).amount_agreed = 500
        self._assert_amounts(700, 500)
        with (
            Form(self.claim.with_user(self.buyer)) as form,
            form.line_ids.edit(0) as row,
        ):
            row.amount_agreed = 600
        self._assert_amounts(700, 600)
        with self.assertRaises(ValidationError) as refused:
            line.with_user(self.buyer).amount_agreed = 800
        self.assertIn("more than was claimed", str(refused.exception))
        with self.assertRaises(ValidationError) as refused:
            with (
                Form(self.claim.with_user(self.buyer)) as form,
                form.line_ids.edit(0) as row,
            ):
                row.amount_agreed = 750
        self.assertIn("more than was claimed", str(refused.exception))
        with self.assertRaisesRegex(UserError, "no longer open"):
            line.with_user(self.qa).price_unit = 250
        self._assert_amounts(700, 600)

    def test_claim_sent_cannot_be_deleted_and_steps_check_state(self):
        """R-018, 000 §3.3: a claim sent to the supplier is cancelled, never
        deleted; each step says why it does nothing out of turn."""
        self.claim.with_user(self.qa).action_claim()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            self.claim.with_user(self.qa_manager).unlink()
        self.assertTrue(self.claim.exists())
        with self.assertRaisesRegex(UserError, "already claimed"):
            self.claim.with_user(self.qa).action_claim()
        with self.assertRaises(AccessError):
            self.claim.with_user(self.staff).action_agree()
        self.assertEqual(self.claim.state, "claimed")

    def test_claim_lines_follow_their_claims_company(self):
        """R-018, R-261: a cost line belongs to its claim's company; a user of
        another company does not read it."""
        company_b = self.env["res.company"].create({"name": "Forklift Export Co."})
        qa_b = self._company_user("fa_qa_company_b", "group_forklift_qa", company_b)
        line = self.claim.line_ids
        self.assertEqual(line.company_id, self.claim.company_id)
        self.assertFalse(
            self.env["forklift.quality.claim.line"]
            .with_user(qa_b)
            .search([("id", "=", line.id)])
        )

    def test_another_company_reads_no_claim_nor_letter(self):
        """R-018, R-056, R-261: a quality claim, its costs and a supplier's
        contact letter belong to their company. A user of another company,
        in each group that reads claims or letters (QA, QA manager,
        purchasing, committee, service-center director, after-sales vice
        president, viewer), reading those of this company by id, as RPC
        would (``read``, ``search_read``, ``read_group``), is refused or finds
        nothing; so is the portal user of another supplier. QA of this
        company and the supplier's own portal user still read them."""
        self.claim.with_user(self.qa).action_claim()
        with freeze_time(SENT):
            letter = self._letter()
        records = (self.claim, self.claim.line_ids, letter)
        company_b = self.env["res.company"].create({"name": "Forklift Export Co."})
        outsiders = [
            self._company_user(f"fa_cb_{role}", f"group_forklift_{role}", company_b)
            for role in (
                "qa",
                "qa_manager",
                "purchasing",
                "committee",
                "director",
                "aftersales_vp",
                "viewer",
            )
        ]
        for user in (*outsiders, self.portal_b):
            for record in records:
                mine = record.with_user(user)
                domain = [("id", "=", record.id)]
                self._assert_attacks_refused(
                    {"read": lambda r=mine: r.read(["display_name"])},
                    user=user.login,
                    model=record._name,
                )
                with self.subTest(user=user.login, model=record._name):
                    self.assertFalse(mine.search_read(domain, ["display_name"]))
                    self.assertFalse(mine._read_group(domain, [], ["__count"])[0][0])
        for user in (self.qa, self.portal_a):
            for record in records:
                with self.subTest(user=user.login, model=record._name):
                    self.assertEqual(
                        record.with_user(user).read(["display_name"])[0]["id"],
                        record.id,
                    )


@tagged("post_install", "-at_install")
class TestFlowQualityRecords(SupplierFlowCommon):
    """QA's responsibility traces and timeliness assessments, the urgent
    purchase link and the supplier's qualification."""

    def _done_case(self):
        letter = self._received_letter()
        letter.with_user(self.staff).action_confirm_service_center()
        letter.with_user(self.qa).action_confirm_qa()
        return letter.feedback_id

    def test_timeliness_assessment_is_computed_never_typed(self):
        """R-076, R-259, 000 §3.3: the deadlines, the on-time rate and who
        assessed are computed from the sheet; QA rates the quality only."""
        case = self._done_case()
        feedback_model = self.env["forklift.timeliness.assessment"]
        with self.assertRaises(UserError):
            feedback_model.with_user(self.qa).create(
                {"feedback_id": case.id, "period_date": "2026-03-05"}
            )
        self.assertFalse(feedback_model.search([("feedback_id", "=", case.id)]))
        with freeze_time("2026-03-20 10:00:00"):
            assessment = feedback_model.with_user(self.qa)._assess(case)
        rate = assessment.sc_on_time_rate
        lines = assessment.line_ids
        for vals in (
            {"sc_on_time_rate": 100.0},
            {"assessed_by_id": self.director.id},
            {"period_date": "2026-01-01"},
            {"line_ids": [Command.clear()]},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                assessment.with_user(self.qa).write(vals)
        with self.assertRaises(AccessError):
            lines.with_user(self.qa).write({"on_time": True})
        with self.assertRaises(AccessError):
            lines.with_user(self.qa).unlink()
        assessment.with_user(self.qa).service_quality = "4"
        assessment.invalidate_recordset()
        self.assertEqual(assessment.sc_on_time_rate, rate)
        self.assertEqual(assessment.line_ids, lines)
        self.assertEqual(assessment.assessed_by_id, self.qa)

    def test_trace_assessor_and_sheet_are_not_forged(self):
        """R-019, R-075, 000 §3.3: the assessor is whoever records the trace,
        and a trace stays on its feedback sheet."""
        case = self._supplier_case()
        other = self._supplier_case()
        traces = self.env["forklift.responsibility.trace"].search([])
        with self.assertRaises(AccessError):
            self.env["forklift.responsibility.trace"].with_user(self.qa).create(
                {
                    "feedback_id": case.id,
                    "department": "purchasing",
                    "finding": "Wrong seal ordered",
                    "assessed_by_id": self.qa_manager.id,
                }
            )
        self.assertEqual(self.env["forklift.responsibility.trace"].search([]), traces)
        trace = (
            self.env["forklift.responsibility.trace"]
            .with_user(self.qa)
            .create(
                {
                    "feedback_id": case.id,
                    "department": "purchasing",
                    "finding": "Wrong seal ordered",
                }
            )
        )
        self.assertEqual(trace.assessed_by_id, self.qa)
        with self.assertRaises(AccessError):
            trace.with_user(self.qa).write({"feedback_id": other.id})
        with self.assertRaises(AccessError):
            trace.with_user(self.qa).write({"assessed_by_id": self.qa_manager.id})
        self.assertEqual(trace.feedback_id, case)
        self.assertEqual(trace.assessed_by_id, self.qa)

    def test_rush_purchase_link_set_by_the_request_only(self):
        """R-094, R-179: a purchase is tied to an urgent parts request by the
        request itself, never by a buyer."""
        request = self.env["forklift.parts.request"].create(
            self._parts_request_vals(
                self._verified_case(), 1, "unqualified", unit_cost=100
            )
        )
        order = self.env["purchase.order"].create({"partner_id": self.supplier_a.id})
        with self.assertRaises(AccessError):
            order.with_user(self.buyer).write({"forklift_parts_request_id": request.id})
        with self.assertRaises(AccessError):
            self.env["purchase.order"].with_user(self.buyer).create(
                {
                    "partner_id": self.supplier_a.id,
                    "forklift_parts_request_id": request.id,
                }
            )
        self.assertFalse(order.forklift_parts_request_id)

    def test_supplier_qualification_recorded_by_qa_or_purchasing(self):
        """R-021, R-085, 000 §4.1.3, §4.2.3.1: the quality agreement that opens
        the supplier route is not typed by the service center."""
        contacts = self._group_user(
            "fa_staff_contacts", "group_forklift_user,base.group_partner_manager"
        )
        qa_contacts = self._group_user(
            "fa_qa_contacts", "group_forklift_qa,base.group_partner_manager"
        )
        for vals in (
            {"forklift_quality_agreement": "FAKE-1"},
            {"forklift_service_capable": False},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                (self.supplier_c | self.supplier_a).with_user(contacts).write(vals)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(contacts).create(
                {
                    "name": "Fake Supplier",
                    "forklift_quality_agreement": "FAKE-2",
                    "forklift_service_capable": True,
                }
            )
        self.assertFalse(self.supplier_c.forklift_can_serve)
        self.assertTrue(self.supplier_a.forklift_service_capable)
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Fake Supplier")])
        )
        self.supplier_c.with_user(qa_contacts).forklift_quality_agreement = "QA-26"
        self.assertTrue(self.supplier_c.forklift_can_serve)

    def test_qualified_supplier_archived_by_qa_or_purchasing(self):
        """R-021, R-224, 000 §4.1.3: a supplier with a quality agreement is
        archived or restored by QA or purchasing: archived by a contact
        editor, no quality claim could be opened against it, nor could a
        sheet name it as the supplier at fault."""
        contacts = self._group_user(
            "fa_staff_archive", "group_forklift_user,base.group_partner_manager"
        )
        qa_contacts = self._group_user(
            "fa_qa_archive", "group_forklift_qa,base.group_partner_manager"
        )
        supplier = self.supplier_a.with_user(contacts)
        for attack in (
            lambda: supplier.write({"active": False}),
            supplier.action_archive,
        ):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                attack()
        self.assertTrue(self.supplier_a.active)
        self.supplier_a.with_user(qa_contacts).action_archive()
        self.assertFalse(self.supplier_a.active)
        with self.assertRaises(AccessError):
            supplier.action_unarchive()
        self.supplier_a.with_user(qa_contacts).action_unarchive()
        self.assertTrue(self.supplier_a.active)
        # a contact of no quality agreement stays the contact editor's
        other = self.env["res.partner"].create({"name": "Plain Vendor"})
        other.with_user(contacts).action_archive()
        self.assertFalse(other.active)

    def test_outsiders_learn_nothing_of_a_partner_by_archiving_it(self):
        """R-047, R-056: another supplier's portal login archiving a vendor it
        may not even read, over RPC, is refused by Odoo's access rights,
        before anything is read of it: not told the vendor's name, nor that
        it has a quality agreement."""
        for user in (self.portal_b, self.portal_a):
            with (
                self.subTest(user=user.login),
                self.assertRaises(AccessError) as refused,
                self.env.cr.savepoint(),
            ):
                self.supplier_a.with_user(user).write({"active": False})
            self.assertNotIn(self.supplier_a.name, str(refused.exception))
            self.assertNotIn("quality agreement", str(refused.exception))
        self.assertTrue(self.supplier_a.active)

    def test_only_qa_or_purchasing_give_a_qualified_suppliers_contact_a_login(self):
        """R-056, R-086 (000 §4.2.3.2): a supplier's portal users read its
        service contact letters and quality claims. Odoo lets a partner
        manager grant portal access with its wizard and move contacts between
        companies: neither gives a login of his choosing the letters and
        claims of a supplier with a quality agreement, by granting access to
        a contact of the supplier or by moving a contact with a login into or
        out of it. QA and purchasing still do both; a dealer's contact still
        waits for after-sales staff."""
        contacts, qa_contacts = self._contact_editors("login")
        buyer_contacts = self._group_user(
            "fa_buyer_login", "group_forklift_purchasing,base.group_partner_manager"
        )
        outsider = self._outsider_with_login(contacts)
        clerk = self._assert_no_login_into(
            contacts, self.supplier_a, outsider, "clerk@hydraulics-a.example.com"
        )
        # nor is the supplier's login moved to another company
        self._assert_login_stays(contacts, self.portal_a.partner_id, self.supplier_c.id)
        # QA and purchasing do both
        self._grant_portal_login(qa_contacts, clerk)
        self.assertTrue(clerk.user_ids.share)
        outsider.with_user(buyer_contacts).write({"parent_id": self.supplier_a.id})
        self.assertEqual(outsider.commercial_partner_id, self.supplier_a)
        # a supplier of no quality agreement stays the contact editor's
        self._grant_portal_login(contacts, self.supplier_c.forklift_service_contact_id)
        self.assertTrue(self.supplier_c.forklift_service_contact_id.user_ids)
        # the dealer's rule still holds for QA
        dealer_clerk = self.env["res.partner"].create(
            {
                "name": "Dealer Clerk",
                "email": "clerk@dealer-a.example.com",
                "parent_id": self.dealer_a.id,
            }
        )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self._grant_portal_login(qa_contacts, dealer_clerk)
        self.assertFalse(dealer_clerk.with_context(active_test=False).user_ids)

    def test_a_login_given_before_the_agreement_waits_for_qa(self):
        """R-021, R-056, R-086 (000 §4.1.3, §4.2.3.2): a partner manager gives
        a contact of a vendor with no quality agreement, letter nor claim a
        portal login, as Odoo lets him. QA recording the agreement would
        have the login read the supplier's service contact letters, though
        no QA nor purchasing gave it: the agreement is refused while the
        supplier's contacts hold portal logins, and nothing changes. QA
        revokes the login, records the agreement and gives the login again
        itself."""
        contacts, qa_contacts = self._contact_editors("early")
        clerk = self.supplier_c.forklift_service_contact_id
        self._grant_portal_login(contacts, clerk)
        self.assertTrue(clerk.user_ids.share)
        with (
            self.assertRaisesRegex(UserError, "portal login"),
            self.env.cr.savepoint(),
        ):
            self.supplier_c.with_user(qa_contacts).write(
                {"forklift_quality_agreement": "QA-2026-C"}
            )
        self.assertFalse(self.supplier_c.forklift_quality_agreement)
        self.assertFalse(self.supplier_c.forklift_can_serve)
        self._revoke_portal_login(qa_contacts, clerk)
        self.assertFalse(clerk.user_ids)
        self.supplier_c.with_user(qa_contacts).write(
            {"forklift_quality_agreement": "QA-2026-C"}
        )
        self.assertTrue(self.supplier_c.forklift_can_serve)
        self._grant_portal_login(qa_contacts, clerk)
        self.assertTrue(clerk.user_ids.share)

    def test_only_qa_or_purchasing_give_an_after_sales_suppliers_contact_a_login(
        self,
    ):
        """R-056, R-086 (000 §3.3, §4.2.3.2): a quality claim is opened against
        any company the claim's company buys from, and a service contact
        letter stays with its supplier once QA withdraws the agreement: the
        supplier's portal users read them, agreement or not. A partner
        manager neither gives a contact of such a vendor a login nor moves a
        contact with a login into or out of it; QA still does."""
        contacts, qa_contacts = self._contact_editors("vendor")
        partner_model = self.env["res.partner"]
        claimed = partner_model.create(
            {"name": "Castings D Co.", "is_company": True, "supplier_rank": 1}
        )
        self.env["forklift.quality.claim"].create(
            {"supplier_id": claimed.id, "product_id": self.pump.id}
        )
        # a letter sent to supplier B, whose agreement QA then withdraws
        self._letter(self._supplier_case(self.supplier_b))
        self.supplier_b.with_user(qa_contacts).forklift_quality_agreement = False
        outsider = self._outsider_with_login(contacts)
        for vendor, email in (
            (claimed, "clerk@castings-d.example.com"),
            (self.supplier_b, "clerk@chains-b.example.com"),
        ):
            with self.subTest(vendor=vendor.name):
                clerk = self._assert_no_login_into(contacts, vendor, outsider, email)
                # QA gives the login; the contact editor does not move it out
                self._grant_portal_login(qa_contacts, clerk)
                self.assertTrue(clerk.user_ids.share)
                self._assert_login_stays(contacts, clerk)


@tagged("post_install", "-at_install")
class TestFlowSupplierPortal(HttpCase, SupplierFlowCommon):
    """The supplier portal and portal RPC (R-056, R-086, R-164)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(SENT):
            cls.letter = cls._letter(cls._supplier_case(cls.supplier_a))

    def _rpc(self, model, method, args):
        return call_kw(self, model, method, args)

    def test_claim_reaches_only_logins_given_by_qa_or_purchasing(self):
        """R-056, R-086 (000 §3.3, §3.5, §4.2.3.2): a supplier's portal users
        read only its own claims, through logins QA or purchasing gave. A
        partner manager gives a contact of a vendor with no quality
        agreement, letter nor claim a portal login (for Odoo's purchase
        portal), as Odoo lets him: a quality claim QA then opened against the
        vendor, or against a company under the contact's, would be read with
        that login on the portal. The claim is refused while such logins
        stand, and nothing is saved; QA revokes the login, opens and sends
        the claim and gives the login again itself, which then reads it."""
        contacts, qa_contacts = self._contact_editors("claim")
        partner_model = self.env["res.partner"]
        group = partner_model.create(
            {"name": "Seats Group", "is_company": True, "supplier_rank": 1}
        )
        subsidiary = partner_model.create(
            {
                "name": "Seats Plant 2",
                "is_company": True,
                "supplier_rank": 1,
                "parent_id": group.id,
            }
        )
        group_clerk = partner_model.create(
            {
                "name": "Buyer desk, Seats Group",
                "email": "desk@seats-group.example.com",
                "parent_id": group.id,
            }
        )
        claims = self.env["forklift.quality.claim"]

        def qa_claim(vendor):
            return claims.with_user(self.qa).create(
                {
                    "supplier_id": vendor.id,
                    "product_id": self.pump.id,
                    "line_ids": [
                        Command.create(
                            {"cost_type": "parts", "name": "Seat", "price_unit": 120}
                        )
                    ],
                }
            )

        for vendor, clerk in (
            (self.supplier_c, self.supplier_c.forklift_service_contact_id),
            (subsidiary, group_clerk),
        ):
            with self.subTest(vendor=vendor.name):
                self._grant_portal_login(contacts, clerk)
                self.assertTrue(clerk.user_ids.share)
                before = claims.search([])
                with (
                    self.assertRaisesRegex(UserError, "portal login"),
                    self.env.cr.savepoint(),
                ):
                    qa_claim(vendor)
                self.assertEqual(claims.search([]), before)
                # nor is a draft claim moved onto the vendor
                draft = self._draft_claim(self.supplier_a, self.pump, "Seat", 120)
                with (
                    self.assertRaisesRegex(UserError, "portal login"),
                    self.env.cr.savepoint(),
                ):
                    draft.with_user(self.qa).supplier_id = vendor
                self.assertEqual(draft.supplier_id, self.supplier_a)
                # QA revokes the login, claims, and gives the login again
                self._revoke_portal_login(qa_contacts, clerk)
                claim = qa_claim(vendor)
                claim.action_claim()
                self._grant_portal_login(qa_contacts, clerk)
                login = clerk.with_context(active_test=False).user_ids
                self.assertTrue(login.active and login.share)
                login.password = "clerk-pass-26"
                self.authenticate(login.login, "clerk-pass-26")
                page = self.url_open(claim.access_url)
                self.assertEqual(page.status_code, 200)
                self.assertIn(claim.name, page.text)
                self.logout()

    @mute_logger("odoo.http")
    def test_rpc_cannot_write_state_dates_nor_read_internal_fields(self):
        """R-056, R-163, 000 §4.2.3.2: the supplier's own letter over JSON-RPC:
        no state, date or answer written, no internal field read."""
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        for vals in (
            {"state": "answered"},
            {"replied_date": "2026-03-02 09:30:00"},
            {"reply_deadline": "2026-03-09 09:00:00"},
            {"supplier_technician": "Nobody"},
        ):
            body = self._rpc(
                "forklift.supplier.letter", "write", [[self.letter.id], vals]
            )
            self.assertIn("error", body, vals)
        for method in ("action_send", "action_cancel", "action_confirm_qa"):
            body = self._rpc("forklift.supplier.letter", method, [[self.letter.id]])
            self.assertIn("error", body, method)
        self.letter.invalidate_recordset()
        self.assertEqual(self.letter.state, "sent")
        self.assertFalse(self.letter.replied_date)
        self.assertEqual(self.letter.reply_deadline, datetime(2026, 3, 3, 9, 0))
        body = self._rpc(
            "forklift.supplier.letter", "read", [[self.letter.id], ["name", "state"]]
        )
        self.assertEqual(body["result"][0]["state"], "sent")
        for field in (
            "user_id",
            "sc_confirmed_by_id",
            "judged_by",
            "review_ids",
            "next_review",
        ):
            body = self._rpc(
                "forklift.supplier.letter", "read", [[self.letter.id], [field]]
            )
            self.assertIn("error", body, field)

    def test_refused_sheet_leaves_nothing_saved(self):
        """R-164, 000 §4.2.3.3: an HTML file named .pdf is refused, and a sheet
        refused after being written leaves no sheet nor signer saved."""
        self._answer(self.letter)
        self._report_done(self.letter)
        order = self.letter.service_order_id
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        url = f"/my/forklift/letters/{self.letter.id}/sheet"
        response = portal_post(
            self,
            url,
            data={"signed_by": "Wang Jun"},
            files={
                "signed_sheet": (
                    "signed.pdf",
                    b"<html><script>alert(1)</script></html>",
                    "application/pdf",
                )
            },
            allow_redirects=False,
        )
        # refused: the letter's page again, with the reason
        self.assertEqual(response.status_code, 200)
        self.assertIn("alert alert-danger", response.text)
        order.invalidate_recordset()
        self.assertFalse(order.supplier_sheet)
        self.assertFalse(order.signed_by)
        # the order's own step refuses once the sheet is written: nothing stays
        order._as_flow().write({"state": "dispatched"})
        response = portal_post(
            self,
            url,
            data={"signed_by": "Wang Jun"},
            files={"signed_sheet": ("signed.png", b"\x89PNG\r\n\x1a\nxx", "image/png")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("alert alert-danger", response.text)
        order.invalidate_recordset()
        self.letter.invalidate_recordset()
        self.assertFalse(order.supplier_sheet)
        self.assertFalse(order.signed_by)
        self.assertEqual(self.letter.state, "done")

    def test_sheet_stored_with_the_name_of_its_type(self):
        """R-164, 000 §4.2.3.3: a PNG scan named .html is stored as .png."""
        self._answer(self.letter)
        self._report_done(self.letter)
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        portal_post(
            self,
            f"/my/forklift/letters/{self.letter.id}/sheet",
            data={"signed_by": "Wang Jun"},
            files={"signed_sheet": ("sheet.html", b"\x89PNG\r\n\x1a\nxx", "text/html")},
        )
        order = self.letter.service_order_id
        self.assertEqual(order.supplier_sheet_name, "sheet.png")
        self.assertEqual(base64.b64decode(order.supplier_sheet), b"\x89PNG\r\n\x1a\nxx")
        self.assertEqual(self.letter.state, "sheet_received")

    def test_letter_page_by_link_prints_no_order_token(self):
        """R-086, 000 §4.2.3.2: the letter opened from its mailed link does not
        print the access token of the service order."""
        order = self.letter.service_order_id.sudo()
        token = order._portal_ensure_token()
        page = self.url_open(self.letter.sudo().get_portal_url()).text
        self.assertIn(self.letter.name, page)
        self.assertNotIn(token, page)
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        page = self.url_open(f"/my/forklift/letters/{self.letter.id}").text
        self.assertIn(f'href="{order.access_url}"', page)
        self.assertNotIn(token, page)

    def test_late_answer_rolled_back(self):
        """R-163, 000 §4.2.3.2: an answer refused by the letter's own check
        leaves the letter unanswered."""
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        portal_post(
            self,
            f"/my/forklift/letters/{self.letter.id}/answer",
            data={
                "supplier_technician": "Zhou Lei",
                "planned_visit_date": (datetime(2026, 3, 1, 9, 0)).isoformat(),
            },
            allow_redirects=False,
        )
        self.letter.invalidate_recordset()
        self.assertEqual(self.letter.state, "sent")
        self.assertFalse(self.letter.replied_date)
        self.assertFalse(self.letter.supplier_technician)

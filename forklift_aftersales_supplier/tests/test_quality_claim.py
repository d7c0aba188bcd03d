from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestQualityClaim(SupplierCommon):
    """Supplier quality claims (质量索赔, 000 §3.3, §3.5, R-018, R-077, R-261)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pump.tracking = "lot"
        cls.pump.purchase_method = "purchase"
        # the pump came from supplier A's purchase, lot PUMP-2025-11
        cls.purchase = cls.env["purchase.order"].create(
            {
                "partner_id": cls.supplier_a.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.pump.id, "product_qty": 4, "price_unit": 300}
                    )
                ],
            }
        )
        cls.purchase.button_confirm()
        receipt = cls.purchase.picking_ids
        receipt.move_ids.move_line_ids.write(
            {"lot_name": "PUMP-2025-11", "quantity": 4}
        )
        receipt.move_ids.picked = True
        receipt.button_validate()
        assert receipt.state == "done", receipt.state
        cls.lot = receipt.move_line_ids.lot_id
        cls.cases = cls._pump_failure_cases()

    def _claim_from_cases(self):
        action = self.cases.with_user(self.qa).action_create_quality_claim()
        return self.env["forklift.quality.claim"].browse(action["res_id"])

    def test_claim_from_cases_to_credit_note_with_exact_amounts(self):
        """R-224, R-018, R-052 (000 §3.3, §3.5, §4.2.3): the supplier-caused
        failures of two sheets are claimed from their supplier by QA with
        parts, labour and freight; purchasing negotiates and settles it by a
        vendor credit note."""
        claim = self._claim_from_cases()
        self.assertEqual(claim.supplier_id, self.supplier_a)
        self.assertEqual(claim.feedback_ids, self.cases)
        self.assertEqual(claim.product_id, self.pump)
        self.assertEqual(self.cases.quality_claim_ids, claim)
        self.assertEqual(claim.amount_parts, 600, "two pumps at 300")
        claim.lot_id = self.lot
        self.assertEqual(claim.purchase_order_id, self.purchase)
        claim.with_user(self.qa).write(
            {
                "line_ids": [
                    self._two_visits(),
                    Command.create(
                        {
                            "cost_type": "freight",
                            "name": "Express of the pumps",
                            "price_unit": 45.5,
                        }
                    ),
                ]
            }
        )
        self.assertEqual(claim.amount_labour, 320)
        self.assertEqual(claim.amount_freight, 45.5)
        self.assertEqual(claim.amount_claimed, 965.5)
        claim.with_user(self.qa).action_claim()
        self.assertEqual(claim.state, "claimed")
        mail = claim.message_ids.filtered(lambda m: self.supplier_a in m.partner_ids)
        self.assertEqual(len(mail.attachment_ids), 1, "the claim is attached")

        # purchasing negotiates: the supplier does not pay the freight
        claim.with_user(self.buyer).action_negotiate()
        freight = claim.line_ids.filtered(lambda line: line.cost_type == "freight")
        freight.with_user(self.buyer).amount_agreed = 0
        self.assertEqual(claim.amount_agreed, 920)
        claim.with_user(self.buyer).action_agree()
        claim.with_user(self.buyer).settlement_mode = "credit_note"
        claim.with_user(self.buyer).action_settle()

        self.assertEqual(claim.state, "settled")
        refund = claim.refund_move_id
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.partner_id, self.supplier_a)
        self.assertEqual(refund.amount_total, 920)
        self.assertEqual(
            sorted(refund.invoice_line_ids.mapped("price_subtotal")), [300, 300, 320]
        )
        self.assertEqual(claim.amount_recovered, 920)
        # the claim's credit note stays the claim's: accounting, resetting it
        # to draft, does not delete it (README "What no user can do")
        accountant = self._group_user("fa_qc_billing", "account.group_account_invoice")
        refund.with_user(accountant).button_draft()
        with self.assertRaisesRegex(UserError, "after-sales flow"):
            refund.with_user(accountant).unlink()
        self.assertEqual(claim.refund_move_id, refund)
        recovered = self.env["forklift.quality.claim.line"]._read_group(
            [("supplier_id", "=", self.supplier_a.id)],
            ["failed_part_id", "cost_type"],
            ["amount_recovered:sum"],
        )
        self.assertEqual(
            sorted((t, amount) for __, t, amount in recovered),
            [("freight", 0.0), ("labour", 320.0), ("parts", 600.0)],
        )

    def test_claim_deducted_from_an_open_vendor_bill(self):
        bill = self._posted_bill(self.supplier_a, "Pumps", 1000)
        claim = self._claim_from_cases()
        self._agree_claim(claim)
        claim.with_user(self.buyer).write(
            {"settlement_mode": "deduction", "deduction_bill_id": bill.id}
        )
        claim.with_user(self.buyer).action_settle()
        self.assertEqual(claim.amount_recovered, 600)
        self.assertEqual(bill.amount_residual, 400)
        self.assertEqual(bill.payment_state, "partial")
        self.assertTrue(claim.refund_move_id.line_ids.filtered("reconciled"))

    def test_deduction_larger_than_the_bill_is_refused(self):
        bill = self._posted_bill(self.supplier_a, "Seal", 100)
        claim = self._claim_from_cases()
        self._agree_claim(claim)
        claim.write({"settlement_mode": "deduction", "deduction_bill_id": bill.id})
        with self.assertRaisesRegex(UserError, "left to pay"):
            claim.with_user(self.buyer).action_settle()
        self.assertEqual(claim.state, "agreed")
        self.assertFalse(claim.refund_move_id)
        self.assertEqual(bill.amount_residual, 100)

    def _foreign_bill(self, currency_code, rate, amount):
        """A posted bill of supplier A in another currency than the claim's,
        ``rate`` units of it to one unit of the company's currency on the
        bill's date."""
        currency = self.env.ref(f"base.{currency_code}")
        self.assertNotEqual(currency, self.env.company.currency_id)
        currency.active = True
        rates = currency.rate_ids.filtered(lambda r: str(r.name) == "2026-03-01")
        if rates:
            rates.rate = rate
        else:
            self.env["res.currency.rate"].create(
                {"currency_id": currency.id, "name": "2026-03-01", "rate": rate}
            )
        return self._posted_bill(
            self.supplier_a, "Pumps", amount, currency_id=currency.id
        )

    def _agreed_deduction(self, bill):
        claim = self._claim_from_cases()
        self._agree_claim(claim)
        claim.with_user(self.buyer).write(
            {"settlement_mode": "deduction", "deduction_bill_id": bill.id}
        )
        self.assertEqual(claim.amount_agreed, 600)
        return claim

    def test_deduction_compares_a_foreign_bill_at_its_date(self):
        """R-018 (000 §3.5): what is left on a bill in another currency is
        converted at the bill's date before it is compared with the agreed
        amount. 300 left at 2 company units each is worth the 600 agreed,
        although the figure is smaller."""
        bill = self._foreign_bill("EUR", 0.5, 300)
        claim = self._agreed_deduction(bill)
        claim.with_user(self.buyer).action_settle()
        self.assertEqual(claim.state, "settled")
        self.assertEqual(bill.amount_residual, 0)
        self.assertTrue(claim.refund_move_id.line_ids.filtered("reconciled"))

    def test_deduction_from_a_foreign_bill_worth_less_is_refused(self):
        """R-018 (000 §3.5): 4,193 left at 7 to one is worth 599, less than the
        600 agreed, although the figure is larger; at the exact boundary (4,200)
        the deduction goes through."""
        bill = self._foreign_bill("CNY", 7, 4193)
        claim = self._agreed_deduction(bill)
        with self.assertRaisesRegex(UserError, r"4,193\.00.*599\.00.*600\.00"):
            claim.with_user(self.buyer).action_settle()
        self.assertEqual(claim.state, "agreed")
        self.assertFalse(claim.refund_move_id)
        self.assertEqual(bill.amount_residual, 4193)
        boundary = self._foreign_bill("CNY", 7, 4200)
        claim.with_user(self.buyer).deduction_bill_id = boundary
        claim.with_user(self.buyer).action_settle()
        self.assertEqual(claim.state, "settled")
        self.assertEqual(boundary.amount_residual, 0)

    def test_qa_reads_no_journal_entry_through_a_new_claim(self):
        """R-261 (000 §4.2.3): QA, who keeps no books, does not read a journal
        entry; naming one as a new claim's credit note in the form's onchange
        is refused as reading it is, and does not show its total as the
        amount recovered."""
        bill = self._posted_bill(self.supplier_b, "Valves", 4321)
        claims = self.env["forklift.quality.claim"].with_user(self.qa)
        with self.assertRaises(AccessError):
            bill.with_user(self.qa).read(["amount_total"])
        with self.assertRaises(AccessError):
            claims.onchange(
                {"refund_move_id": bill.id},
                ["refund_move_id"],
                {"amount_recovered": {}},
            )
        # what the form shows by itself still comes
        result = claims.onchange(
            {"supplier_id": self.supplier_a.id},
            ["supplier_id"],
            {"supplier_id": {"fields": {"display_name": {}}}, "amount_recovered": {}},
        )
        self.assertFalse(result["value"].get("amount_recovered"))

    def test_settling_names_no_journal_entry_the_qa_manager_cannot_read(self):
        """R-261, R-052 (000 §4.2.3): the QA manager, who keeps no books,
        settles the claim; a journal entry he may not read (a customer
        invoice), named over RPC as the bill to deduct from, is refused
        without its number or customer being told, by deduction or by a
        credit note alone; nothing is settled. The refusal of a bill he may
        read still names it."""
        invoice = self._posted_bill(
            self.env["res.partner"].create({"name": "Dockside Rentals"}),
            "Rental",
            900,
            move_type="out_invoice",
        )
        claim = self._claim_from_cases()
        self._agree_claim(claim)
        manager = claim.with_user(self.qa_manager)
        with self.assertRaises(AccessError):
            invoice.with_user(self.qa_manager).read(["name"])
        for mode in ("deduction", "credit_note"):
            with self.subTest(mode=mode):
                manager.write(
                    {"settlement_mode": mode, "deduction_bill_id": invoice.id}
                )
                with self.assertRaises(UserError) as refused, self.cr.savepoint():
                    manager.action_settle()
                message = str(refused.exception)
                self.assertNotIn(invoice.name, message)
                self.assertNotIn("Dockside Rentals", message)
                self.assertEqual(claim.state, "agreed")
                self.assertFalse(claim.refund_move_id)
        keeper = self._group_user(
            "fa_qa_books", "group_forklift_qa_manager,account.group_account_invoice"
        )
        with self.assertRaisesRegex(UserError, invoice.name):
            claim.with_user(keeper).action_settle()

    def test_qa_learns_no_number_of_another_suppliers_purchase(self):
        """R-018 (000 §3.5): QA, who has no purchase rights, naming over RPC
        another supplier's purchase as the one a claim's part came from is
        refused without the purchase's number being told; the claim keeps
        its purchase. Purchasing, who reads purchases, is told which."""
        other = self.env["purchase.order"].create(
            {
                "partner_id": self.supplier_b.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.pump.id, "product_qty": 1, "price_unit": 9}
                    )
                ],
            }
        )
        claim = self._claim_from_cases()
        kept = claim.purchase_order_id
        with self.assertRaises(AccessError):
            other.with_user(self.qa).read(["name"])
        with self.assertRaises(UserError) as refused, self.cr.savepoint():
            claim.with_user(self.qa).purchase_order_id = other
        self.assertNotIn(other.name, str(refused.exception))
        self.assertEqual(claim.purchase_order_id, kept)
        with self.assertRaisesRegex(UserError, other.name), self.cr.savepoint():
            claim.with_user(self.buyer).purchase_order_id = other

    def test_rights_of_qa_purchasing_and_service_center(self):
        """R-049, R-052 (000 §3.3, §3.5): only QA raises and sends a claim and
        only the QA manager settles it; purchasing helps but neither creates
        nor sends one; the service center cannot change it."""
        with self.assertRaisesRegex(UserError, "raised by QA"):
            self.cases.with_user(self.staff).action_create_quality_claim()
        with self.assertRaises(AccessError):
            self.env["forklift.quality.claim"].with_user(self.buyer).create(
                {"supplier_id": self.supplier_a.id, "product_id": self.pump.id}
            )
        claim = self._claim_from_cases()
        with self.assertRaisesRegex(UserError, "not allowed"):
            claim.with_user(self.buyer).action_claim()
        with self.assertRaises(AccessError):
            claim.with_user(self.staff).write({"supplier_id": self.supplier_b.id})
        self._agree_claim(claim)
        claim.settlement_mode = "credit_note"
        with self.assertRaisesRegex(UserError, "not allowed"):
            claim.with_user(self.qa).action_settle()
        claim.with_user(self.qa_manager).action_settle()
        self.assertEqual(claim.state, "settled")
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            claim.with_user(self.qa).action_cancel()

    def test_bad_amounts_are_refused(self):
        claim = self._claim_from_cases()
        line = claim.line_ids[0]
        with self.assertRaises(ValidationError) as refused:
            line.with_user(self.qa).price_unit = -10
        self.assertIn("cannot be negative", str(refused.exception))
        self.assertEqual(line.price_unit, 300)
        with self.assertRaises(ValidationError) as refused:
            line.with_user(self.buyer).amount_agreed = 400
        self.assertIn("more than was claimed", str(refused.exception))
        self.assertEqual(line.amount_agreed, 300)
        empty = self.env["forklift.quality.claim"].create(
            {"supplier_id": self.supplier_a.id, "product_id": self.pump.id}
        )
        with self.assertRaisesRegex(UserError, "at least one cost"):
            empty.with_user(self.qa).action_claim()
        self.assertEqual(empty.state, "draft")

    def test_a_changed_amount_stays_in_the_chatter_whatever_the_context(self):
        """R-137 (II §6: the claim is a quality record, its full change
        history in the chatter), R-018, R-052: a cost QA claims or an amount
        purchasing agrees, changed over RPC with ``tracking_disable`` or
        ``mail_notrack`` in the call's context, is still tracked on the
        claim's amounts."""
        claim = self._claim_from_cases()
        line = claim.line_ids[0]
        self.env.flush_all()
        self.env.cr.precommit.run()
        for key, price, claimed in (
            ("tracking_disable", 350, 650),
            ("mail_notrack", 400, 700),
        ):
            with self.subTest(key=key):
                attacker = line.with_user(self.qa).with_context(**{key: True})
                attacker.write({"price_unit": price})
                # the call's own flush, in the attacker's context
                attacker.env.flush_all()
                self.env.cr.precommit.run()
                tracked = claim.message_ids.tracking_value_ids.filtered(
                    lambda t: t.field_id.name == "amount_claimed"
                )
                self.assertIn(claimed, tracked.mapped("new_value_float"))
        claim.with_user(self.qa).action_claim()
        claim.with_user(self.buyer).action_negotiate()
        self.env.flush_all()
        self.env.cr.precommit.run()
        attacker = line.with_user(self.buyer).with_context(tracking_disable=True)
        attacker.write({"amount_agreed": 120})
        attacker.env.flush_all()
        self.env.cr.precommit.run()
        tracked = claim.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "amount_agreed"
        )
        self.assertIn(120 + 300, tracked.mapped("new_value_float"))

    def test_one_claim_is_against_one_supplier(self):
        other = self._supplier_case(self.supplier_b)
        with self.assertRaisesRegex(UserError, "one supplier"):
            (self.cases | other).with_user(self.qa).action_create_quality_claim()
        claim = self._claim_from_cases()
        with self.assertRaises(ValidationError) as refused:
            claim.feedback_ids = [Command.link(other.id)]
        self.assertIn("another responsible supplier", str(refused.exception))
        self.assertEqual(claim.feedback_ids, self.cases)

    def test_statistics_by_supplier_and_part(self):
        claim = self._claim_from_cases()
        claim.with_user(self.qa).action_claim()
        other_case = self._supplier_case(self.supplier_b, supplier_part_id=self.part.id)
        other = self._draft_claim(
            self.supplier_b,
            self.part,
            "Chain",
            80,
            feedback_ids=[Command.set(other_case.ids)],
        )
        other.with_user(self.qa).action_claim()
        stats = self.env["forklift.quality.claim"]._read_group(
            [("state", "not in", ("draft", "cancel"))],
            ["supplier_id", "product_id"],
            ["amount_claimed:sum", "__count"],
        )
        self.assertIn((self.supplier_a, self.pump, 600.0, 1), stats)
        self.assertIn((self.supplier_b, self.part, 80.0, 1), stats)

    def test_contested_claim_is_decided_by_the_committee(self):
        chief = self._group_user("fa_chief", "group_forklift_chief_engineer")
        claim = self._claim_from_cases()
        with self.assertRaisesRegex(UserError, "sent to the supplier"):
            claim.with_user(self.qa).action_refer_to_committee()
        claim.with_user(self.qa).action_claim()
        claim.with_user(self.buyer).action_refer_to_committee()
        review = claim.committee_review_ids
        self.assertEqual(review.subject_type, "quality_claim")
        self.assertEqual(review.feedback_id, self.cases[0])
        self.assertEqual(review.submitted_by_id, self.buyer)
        self.assertIn(chief, review.activity_ids.user_id)
        with self.assertRaisesRegex(UserError, "already before the committee"):
            claim.with_user(self.qa).action_refer_to_committee()
        review.write(
            {"decision": "<p>The supplier pays the parts, not the labour.</p>"}
        )
        # each seat holder confirms his own attendance
        for member in chief | self.qa_manager | self.director:
            review.with_user(member).action_confirm_attendance()
        review.with_user(chief).request_validation()
        for member in self.qa_manager | self.director:
            review.with_user(member).validate_tier()
        self.assertEqual(review.state, "done")
        self.assertIn(
            "The supplier pays the parts, not the labour.", claim.message_ids[0].body
        )

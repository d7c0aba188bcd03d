from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestFlowDocumentKept(ShippedPartsCommon):
    """R-005, R-104, R-013 (001 §5.2, 000 §4.3.2.1, §4.3.2.4): the quote a
    feedback sheet prepared, the invoice of its paid service and the bill
    reimbursing a local purchase, the invoice of old parts rejected are
    kept by the flow that names them: the
    users Odoo lets delete such documents do not take them from under it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sale_manager = cls._group_user(
            "fdk_sale_mgr", "sales_team.group_sale_manager"
        )
        cls.accountant = cls._group_user("fdk_acc", "account.group_account_invoice")
        cls.old_unit = cls._create_unit("SN-FDK-OLD", date(2024, 1, 10))

    def _assert_delete_refused(self, document, user):
        with self.assertRaisesRegex(UserError, "after-sales flow"):
            document.with_user(user).unlink()
        self.assertTrue(document.exists())

    def test_sheet_quote_kept(self):
        case, quote = self._sheet_quote(self.old_unit, labour_hours=2)
        self.assertEqual(quote.state, "draft")
        self._assert_delete_refused(quote, self.sale_manager)
        self.assertEqual(case.quote_ids, quote)

    def test_paid_service_invoice_kept(self):
        case = self._worked_paid_case(self.old_unit)
        case.with_user(self.staff).action_create_paid_sale()
        invoice = case.invoice_ids
        invoice.with_user(self.accountant).button_draft()
        self._assert_delete_refused(invoice, self.accountant)
        self.assertEqual(case.invoice_ids, invoice)

    def test_rejected_oldpart_invoice_kept(self):
        note = self._shipped_request().oldpart_return_ids
        self._inspect_oldparts(note, "non_original", "<p>Not an original pump.</p>")
        invoice = note.invoice_id
        invoice.with_user(self.accountant).button_draft()
        self._assert_delete_refused(invoice, self.accountant)
        self.assertEqual(note.invoice_id, invoice)

    def test_rejected_oldpart_invoice_bills_the_dealer_its_parts(self):
        """R-167, R-230 (000 §4.3.2.5, §4.3.2.7): the invoice of old parts
        rejected bills the dealer who sent them the parts of the return.
        Accounting resets it to draft and corrects its prices, as Odoo lets
        it, but posts it for no other customer, part or quantity, and does
        not cancel it: the return would read as invoiced for what nobody
        was billed."""
        note = self._shipped_request().oldpart_return_ids
        self._inspect_oldparts(note, "non_original", "<p>Not an original pump.</p>")
        invoice = note.invoice_id.with_user(self.accountant)
        line = invoice.invoice_line_ids
        other_part = self.env["product.product"].create(
            {"name": "Cheap hose", "type": "consu", "lst_price": 1}
        )
        for vals in (
            {"partner_id": self.accountant.partner_id.id},
            {"invoice_line_ids": [Command.update(line.id, {"quantity": 1})]},
            {
                "invoice_line_ids": [
                    Command.update(line.id, {"product_id": other_part.id})
                ]
            },
            {
                "invoice_line_ids": [
                    Command.create({"product_id": other_part.id, "quantity": 1})
                ]
            },
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "parts not returned"),
                self.env.cr.savepoint(),
            ):
                invoice.button_draft()
                invoice.write(vals)
                invoice.action_post()
        with self.assertRaisesRegex(UserError, "after-sales flow"):
            invoice.button_cancel()
        invoice.button_draft()
        invoice.invoice_line_ids.price_unit = 100
        invoice.action_post()
        self.assertEqual(
            (invoice.state, invoice.partner_id, invoice.invoice_line_ids.quantity),
            ("posted", note.dealer_id, note.line_ids.quantity),
        )

    def _reimbursed_purchase(self, prefix):
        """A local purchase of 2 seal kits at 450, signed by its three
        reviewers and reimbursed: its bill is a draft."""
        qa_manager, vp = self._role_users(prefix, "qa_manager", "aftersales_vp")
        purchase = self._local_purchase(
            self._verified_case(), 450, explanation="Line stopped."
        )
        purchase.with_user(self.director).action_confirm_consent()
        purchase.request_validation()
        for user in (self.director, qa_manager, vp):
            purchase.with_user(user).validate_tier()
        purchase.with_user(self.staff).action_reimburse()
        return purchase

    def test_reimbursement_bill_kept(self):
        purchase = self._reimbursed_purchase("fdk")
        bill = purchase.bill_id
        self.assertEqual((purchase.state, bill.state), ("reimbursed", "draft"))
        self._assert_delete_refused(bill, self.accountant)
        self.assertEqual(purchase.bill_id, bill)

    def test_reimbursement_bill_paid_as_approved(self):
        """R-017, R-103 (000 §4.3.2.2): the bill reimbursing a local purchase
        pays the technician the total approved. Accounting posts it, and
        may reset it to draft, but a billing user's edit of its draft (a
        price, a line, a tax, the payee) or of its posted lines is refused
        when it is posted, and it is not cancelled: the purchase would read
        as reimbursed for what was never paid."""
        purchase = self._reimbursed_purchase("fdp")
        bill = purchase.bill_id.with_user(self.accountant)
        self.assertEqual(bill.amount_total, purchase.amount_total)
        line = bill.invoice_line_ids
        for vals in (
            {"invoice_line_ids": [Command.update(line.id, {"price_unit": 4500})]},
            {"invoice_line_ids": [Command.update(line.id, {"quantity": 20})]},
            {"invoice_line_ids": [Command.create({"name": "Tip", "price_unit": 9})]},
            {"partner_id": self.accountant.partner_id.id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "approved"):
                with self.env.cr.savepoint():
                    bill.write(vals)
                    bill.action_post()
        with self.assertRaisesRegex(UserError, "after-sales flow"):
            bill.button_cancel()
        self.assertEqual(bill.state, "draft")
        bill.action_post()
        self.assertEqual(bill.amount_total, 900)
        with self.assertRaisesRegex(UserError, "approved"):
            with self.env.cr.savepoint():
                bill.button_draft()
                bill.invoice_line_ids.price_unit = 45
                bill.action_post()
        self._assert_posted_move_kept(bill, 90, "approved")
        self.assertEqual(
            (bill.state, bill.amount_total, bill.partner_id),
            ("posted", 900, purchase.technician_id.partner_id),
        )

    def test_documents_outside_the_flow_still_deleted(self):
        order = (
            self.env["sale.order"]
            .with_user(self.sale_manager)
            .create({"partner_id": self.customer.id})
        )
        bill = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create({"move_type": "in_invoice", "partner_id": self.customer.id})
        )
        order.unlink()
        bill.unlink()
        self.assertFalse(order.exists() or bill.exists())

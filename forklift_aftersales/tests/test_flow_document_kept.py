from datetime import date

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
        case = self._verified_case(unit=self.old_unit, responsibility="out_of_warranty")
        case.labour_hours = 2
        action = case.with_user(self.staff).action_create_quote()
        quote = self.env["sale.order"].browse(action["res_id"])
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

    def test_reimbursement_bill_kept(self):
        qa_manager, vp = self._role_users("fdk", "qa_manager", "aftersales_vp")
        purchase = self._local_purchase(
            self._verified_case(), 450, explanation="Line stopped."
        )
        purchase.with_user(self.director).action_confirm_consent()
        purchase.request_validation()
        for user in (self.director, qa_manager, vp):
            purchase.with_user(user).validate_tier()
        purchase.with_user(self.staff).action_reimburse()
        bill = purchase.bill_id
        self.assertEqual((purchase.state, bill.state), ("reimbursed", "draft"))
        self._assert_delete_refused(bill, self.accountant)
        self.assertEqual(purchase.bill_id, bill)

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

"""A sheet's paid service is billed by the sheet's own step, which checks
the customer's consent to paid work and the director's consent to a
deferred payment (R-101, R-102, R-165): a salesman's "Create Invoice" on the
accepted quote would bill it, on the quote's terms, without either, and
the sheet would then refuse its own step as already invoiced (README "What
no user can do")."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SIGNATURE, ForkliftCommon, json_rpc


@tagged("post_install", "-at_install")
class TestFlowOrderInvoiceGuard(HttpCase, ForkliftCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part.lst_price = 260
        cls.old_unit = cls._create_unit("SN-WIZ-INV", acceptance=date(2024, 1, 10))
        cls.salesman = cls._group_user(
            "wiz_inv_sales", "sales_team.group_sale_salesman_all_leads"
        )

    def _accepted_quote(self):
        """A sheet's quote the customer accepted online (R-104)."""
        case = self._verified_case(unit=self.old_unit, responsibility="out_of_warranty")
        case.labour_hours = 2
        action = case.with_user(self.staff).action_create_quote()
        quote = self.env["sale.order"].browse(action["res_id"])
        quote.write(
            {"order_line": [(0, 0, {"product_id": self.part.id, "product_uom_qty": 1})]}
        )
        answer = json_rpc(
            self,
            f"/my/orders/{quote.id}/accept",
            {
                "access_token": quote._portal_ensure_token(),
                "name": "Wang Jun",
                "signature": SIGNATURE,
            },
        )
        self.assertNotIn("error", answer["result"])
        self.assertEqual(quote.state, "sale")
        return case, quote

    def _reverse(self, invoice, quote, user):
        """The credit note ``user`` makes of the sheet's ``invoice`` with
        Odoo's reversal wizard: it names the lines of ``quote`` the invoice
        billed."""
        reversal = (
            self.env["account.move.reversal"]
            .with_user(user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "error"})
        )
        reversal.refund_moves()
        refund = quote.invoice_ids - invoice
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, invoice)
        return refund

    def test_a_sheets_paid_service_is_billed_by_the_sheet_only(self):
        """R-101, R-102: neither an invoice of the order nor a down payment
        is made from the sheet's order; the sheet's step still bills it."""
        case, quote = self._accepted_quote()
        Wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(self.salesman)
            .with_context(active_model="sale.order", active_ids=quote.ids)
        )
        for values in (
            {"advance_payment_method": "delivered"},
            {"advance_payment_method": "percentage", "amount": 30},
            {"advance_payment_method": "fixed", "fixed_amount": 100},
        ):
            wizard = Wizard.create(values)
            with self.subTest(**values), self.assertRaises(AccessError):
                wizard.create_invoices()
            self.assertFalse(quote.invoice_ids)
        case.with_user(self.staff).action_create_paid_sale()
        self.assertEqual(case.invoice_ids.state, "posted")

    def test_another_company_renders_no_invoice_of_a_sheet(self):
        """R-101: Odoo's "Send" wizard of an invoice renders its mail as
        superuser; a billing user of another company naming the sheet's
        invoice does not get its number, customer and amount rendered."""
        case, _quote = self._accepted_quote()
        case.with_user(self.staff).action_create_paid_sale()
        invoice = case.invoice_ids
        other_company = self.env["res.company"].create({"name": "Other Co."})
        biller = new_test_user(
            self.env,
            login="wiz_other_biller",
            groups="account.group_account_invoice",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.assertFalse(invoice.with_user(biller).has_access("read"))
        with self.assertRaises(AccessError):
            wizard = (
                self.env["account.move.send.wizard"]
                .with_user(biller)
                .create({"move_id": invoice.id})
            )
            wizard.read(["subject", "body", "mail_partner_ids"])
        # the sheet's own people still send it
        self.env["account.move.send.wizard"].create({"move_id": invoice.id}).read(
            ["subject"]
        )

    def test_no_invoice_line_of_ones_own_bills_a_sheets_order(self):
        """R-101, R-102: a billing user's own invoice whose line names the
        accepted quote's line (created so, linked afterwards from either
        side, a copy of the sheet's invoice carrying its order lines, or the
        sheet's credit note switched to an invoice) would bill the order as
        "Create Invoice" does, without the sheet's consents; a credit note
        of his own naming it would count against it; either way the sheet
        would refuse its own step as already invoiced: each refused. The
        sheet's step still bills it, and a credit note reverses it."""
        case, quote = self._accepted_quote()
        biller = new_test_user(
            self.env, login="wiz_own_biller", groups="account.group_account_invoice"
        )
        order_line = quote.order_line.filtered("product_id")[:1]
        Move = self.env["account.move"].with_user(biller)

        def invoice_vals(**line):
            return {
                "move_type": "out_invoice",
                "partner_id": quote.partner_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.part.id, "price_unit": 260, **line}
                    )
                ],
            }

        with self.assertRaises(AccessError), self.cr.savepoint():
            Move.create(invoice_vals(sale_line_ids=[Command.set(order_line.ids)]))
        with self.assertRaises(AccessError), self.cr.savepoint():
            Move.create(
                {
                    **invoice_vals(sale_line_ids=[Command.set(order_line.ids)]),
                    "move_type": "out_refund",
                }
            )
        own = Move.create(invoice_vals())
        with self.assertRaises(AccessError), self.cr.savepoint():
            own.invoice_line_ids.write({"sale_line_ids": [Command.link(order_line.id)]})
        with self.assertRaises(AccessError), self.cr.savepoint():
            order_line.with_user(biller).write(
                {"invoice_lines": [Command.link(own.invoice_line_ids.id)]}
            )
        self.assertFalse(quote.invoice_ids)
        case.with_user(self.staff).action_create_paid_sale()
        invoice = case.invoice_ids
        self.assertEqual(invoice.state, "posted")
        with self.assertRaises(AccessError), self.cr.savepoint():
            invoice.with_user(biller).with_context(include_business_fields=True).copy()
        self.assertEqual(quote.invoice_ids, invoice)
        # accounting still reverses it with a credit note naming its lines
        refund = self._reverse(invoice, quote, biller)
        # which is not switched to an invoice billing the order again
        with self.assertRaises(AccessError), self.cr.savepoint():
            refund.with_user(biller).action_switch_move_type()
        self.assertEqual(refund.move_type, "out_refund")

    def test_a_sheets_invoice_bills_the_order_the_customer_accepted(self):
        """R-101, R-104, R-013 (000 §4.3.2.1): the paid service's invoice
        bills the customer the order he accepted and signed. A billing user
        resets it to draft, as Odoo lets him, but posts it again for no other
        customer, price, quantity or line; he reposts it unchanged, and
        reverses it with a credit note."""
        case, quote = self._accepted_quote()
        case.with_user(self.staff).action_create_paid_sale()
        biller = new_test_user(
            self.env, login="wiz_paid_biller", groups="account.group_account_invoice"
        )
        invoice = case.invoice_ids.with_user(biller)
        self.assertEqual(invoice.amount_total, quote.amount_total)
        line = invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == self.part
        )
        for vals in (
            {"partner_id": biller.partner_id.id},
            {"invoice_line_ids": [Command.update(line.id, {"price_unit": 26})]},
            {"invoice_line_ids": [Command.update(line.id, {"quantity": 5})]},
            {"invoice_line_ids": [Command.update(line.id, {"discount": 50})]},
            {
                "invoice_line_ids": [
                    Command.update(line.id, {"tax_ids": [Command.clear()]})
                ]
            },
            {"invoice_line_ids": [Command.delete(line.id)]},
            {"invoice_line_ids": [Command.create({"name": "Extra", "price_unit": 9})]},
            {
                "invoice_line_ids": [
                    Command.create({"product_id": self.part.id, "price_unit": 260})
                ]
            },
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "accepted"),
                self.cr.savepoint(),
            ):
                invoice.button_draft()
                invoice.write(vals)
                invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        invoice.button_draft()
        invoice.action_post()
        self.assertEqual(
            (invoice.state, invoice.partner_id, invoice.amount_total),
            ("posted", quote.partner_invoice_id, quote.amount_total),
        )
        refund = self._reverse(invoice, quote, biller)
        refund.with_user(biller).action_post()
        self.assertEqual(refund.state, "posted")

    def test_an_invoice_line_unlinked_from_the_order_stays_its_invoice(self):
        """R-101, R-104 (seed: a sheet's accepted quote, its paid service
        billed): Odoo lets a billing user write an invoice line's order
        lines by RPC (the field is read-only in the form only). Unlinked
        from the order, the sheet's invoice would no longer be the flow's:
        cancelled, or posted again for another amount."""
        case, quote = self._accepted_quote()
        case.with_user(self.staff).action_create_paid_sale()
        biller = new_test_user(
            self.env, login="wiz_unlink_biller", groups="account.group_account_invoice"
        )
        invoice = case.invoice_ids.with_user(biller)
        lines = invoice.invoice_line_ids.filtered("sale_line_ids")
        for draft in (False, True):
            with (
                self.subTest(draft=draft),
                self.assertRaisesRegex(UserError, "accepted"),
                self.cr.savepoint(),
            ):
                if draft:
                    invoice.button_draft()
                lines.with_context(skip_readonly_check=True).write(
                    {"sale_line_ids": [Command.clear()]}
                )
                invoice.button_cancel()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(lines.sale_line_ids.order_id, quote)
        # nor bills the order's units in another unit of measure
        part_line = lines.filtered(lambda line: line.product_id == self.part)
        with self.assertRaisesRegex(UserError, "accepted"), self.cr.savepoint():
            part_line.write(
                {"product_uom_id": self.env.ref("uom.product_uom_dozen").id}
            )
        self.assertEqual(part_line.product_uom_id, self.part.uom_id)

    def test_a_sheets_invoice_falls_due_as_the_sheet_decided(self):
        """R-165, R-101 (000 §4.3.2.1; seed: a sheet's accepted quote paid at
        once): a 30-day payment needs the director's approval of a deferral
        request. A billing user does not give it on the invoice: other
        payment terms posted again, or the terms, the due date or a due
        line's date written on the posted invoice (Odoo's
        ``skip_readonly_check`` is a client's context key)."""
        case, quote = self._accepted_quote()
        case.with_user(self.staff).action_create_paid_sale()
        biller = new_test_user(
            self.env, login="wiz_due_biller", groups="account.group_account_invoice"
        )
        invoice = case.invoice_ids.with_user(biller)
        due = invoice.invoice_date_due
        later = self.env.ref("account.account_payment_term_30days")
        with self.assertRaisesRegex(UserError, "accepted"), self.cr.savepoint():
            invoice.button_draft()
            invoice.invoice_payment_term_id = later
            invoice.action_post()
        posted = invoice.with_context(skip_readonly_check=True)
        term_line = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        for attack in (
            lambda: posted.write({"invoice_payment_term_id": later.id}),
            lambda: posted.write({"invoice_date_due": date(2027, 1, 20)}),
            lambda: term_line.with_context(skip_readonly_check=True).write(
                {"date_maturity": date(2027, 1, 20)}
            ),
        ):
            with (
                self.subTest(attack=attack),
                self.assertRaisesRegex(UserError, "accepted"),
                self.cr.savepoint(),
            ):
                attack()
        self.assertEqual((invoice.state, invoice.invoice_date_due), ("posted", due))

    def test_a_moved_invoice_date_defers_no_payment(self):
        """R-102, R-165 (000 §4.3.2.1; seed: a sheet's accepted quote paid on
        the spot, invoiced by the sheet): the invoice falls due on the day
        the sheet's step fixed, not on one following its invoice date. A
        billing user moving the date of the sheet's invoice later, reset to
        draft and posted again or written on the posted invoice, gives the
        customer no credit the director did not agree to."""
        case, _quote = self._accepted_quote()
        with freeze_time("2026-03-02"):
            case.with_user(self.staff).action_create_paid_sale()
        biller = new_test_user(
            self.env, login="wiz_date_biller", groups="account.group_account_invoice"
        )
        invoice = case.invoice_ids.with_user(biller)
        day, due = invoice.invoice_date, invoice.invoice_date_due
        self.assertEqual((day, due), (date(2026, 3, 2), date(2026, 3, 2)))
        # within the year its number is of
        later = day + timedelta(days=60)

        def moved_and_posted_again():
            invoice.button_draft()
            invoice.invoice_date = later
            invoice.action_post()

        for name, attack in {
            "posted again": moved_and_posted_again,
            "written posted": lambda: invoice.with_context(
                skip_readonly_check=True
            ).write({"invoice_date": later}),
        }.items():
            with (
                self.subTest(attack=name),
                self.assertRaisesRegex(UserError, "accepted"),
                self.cr.savepoint(),
            ):
                attack()
        invoice.invalidate_recordset()
        self.assertEqual(
            (invoice.state, invoice.invoice_date, invoice.invoice_date_due),
            ("posted", day, due),
        )
        # posted again on its own date, it stands
        invoice.button_draft()
        invoice.action_post()
        self.assertEqual((invoice.state, invoice.invoice_date_due), ("posted", due))

    def test_no_new_order_line_names_an_invoice_line_of_ones_own(self):
        """R-101, R-102: a line added to the accepted quote naming an
        invoice line of one's own would bill the order as "Create Invoice"
        does, as linking it from an existing line would: refused."""
        _case, quote = self._accepted_quote()
        user = new_test_user(
            self.env,
            login="wiz_line_biller",
            groups="sales_team.group_sale_salesman_all_leads,"
            "account.group_account_invoice",
        )
        own = (
            self.env["account.move"]
            .with_user(user)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": quote.partner_id.id,
                    "invoice_line_ids": [
                        Command.create({"product_id": self.part.id, "price_unit": 260})
                    ],
                }
            )
        )
        # refused, as any line added to the quote the customer accepted
        with self.assertRaises(UserError), self.cr.savepoint():
            self.env["sale.order.line"].with_user(user).create(
                {
                    "order_id": quote.id,
                    "product_id": self.part.id,
                    "invoice_lines": [Command.link(own.invoice_line_ids.id)],
                }
            )
        self.assertFalse(quote.invoice_ids)

import re
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import SIGNATURE, ForkliftCommon, json_rpc


@tagged("post_install", "-at_install")
class TestQuote(HttpCase, ForkliftCommon):
    """Out-of-warranty work is quoted first (parts, labour, travel) and the
    customer accepts or declines on the portal (001 §5.2; 000 第五篇 §4)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part.lst_price = 260
        cls.non_original = cls.env["product.product"].create(
            {"name": "Aftermarket brake shoe", "lst_price": 80}
        )
        cls.old_unit = cls._create_unit("SN-OLD-QUOTE", acceptance=date(2024, 1, 10))
        # who sees the deliveries too: Odoo reads an order's stock moves
        # when it cancels a confirmed one
        cls.salesman = cls._group_user(
            "fa_quote_sales",
            "sales_team.group_sale_salesman_all_leads,stock.group_stock_user",
        )

    def _quote(self):
        case, quote = self._sheet_quote(self.old_unit, labour_hours=2)
        self.assertEqual(case.warranty_verdict, "paid")
        quote.write(
            {
                "order_line": [
                    (0, 0, {"product_id": self.part.id, "product_uom_qty": 1}),
                    (
                        0,
                        0,
                        {
                            "product_id": self.non_original.id,
                            "product_uom_qty": 2,
                            "forklift_part_origin": "non_original",
                        },
                    ),
                ]
            }
        )
        return case, quote

    def _accept(self, quote, token=None):
        return json_rpc(
            self,
            f"/my/orders/{quote.id}/accept",
            {
                "access_token": token or quote._portal_ensure_token(),
                "name": "Wang Jun",
                "signature": SIGNATURE,
            },
        )["result"]

    def test_quote_lists_parts_labour_and_travel(self):
        case, quote = self._quote()
        self.assertEqual(quote.state, "draft")
        self.assertEqual(quote.forklift_feedback_id, case)
        self.assertEqual(case.quote_count, 1)
        travel = self.env.ref("forklift_aftersales.product_travel")
        labour = self.env.ref("forklift_aftersales.product_labour_hour")
        self.assertEqual(
            set(quote.order_line.product_id.ids),
            {travel.id, labour.id, self.part.id, self.non_original.id},
        )
        self.assertTrue(quote.forklift_no_guarantee)
        html = self.url_open(quote.get_portal_url()).text
        self.assertIn("carry no quality guarantee", html)
        self.assertIn("Aftermarket brake shoe", html)
        with self.assertRaisesRegex(UserError, "not a paid service"):
            self._verified_case().action_create_quote()

    def test_quote_accepted_on_the_portal_becomes_the_paid_service(self):
        case, quote = self._quote()
        total = quote.amount_total
        result = self._accept(quote)
        self.assertNotIn("error", result)
        self.assertEqual(quote.state, "sale")
        self.assertEqual(case.sale_order_id, quote)
        self.assertEqual(case.paid_ack_signed_by, "Wang Jun")
        self.assertTrue(case.paid_ack_signature)
        case.with_user(self.staff).action_create_paid_sale()
        invoice = case.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, total)
        self.assertEqual(
            len(
                self.env["sale.order"].search([("forklift_feedback_id", "=", case.id)])
            ),
            1,
        )

    def test_only_sales_people_change_a_sheets_quote(self):
        """001 §5.2, R-104: the customer accepts and pays what the sheet's
        quote says; the warehouse, which Odoo lets write orders, changes
        neither its prices, its parts nor its customer; a salesman does."""
        case, quote = self._quote()
        warehouse = self._group_user("fa_quote_wh", "group_forklift_warehouse")
        total = quote.amount_total
        line = quote.order_line.filtered(lambda ol: ol.product_id == self.part)
        attacks = (
            lambda: line.with_user(warehouse).write({"price_unit": 1.0}),
            lambda: quote.with_user(warehouse).write(
                {"partner_id": self.customer_b.id}
            ),
            lambda: (
                self.env["sale.order.line"]
                .with_user(warehouse)
                .create({"order_id": quote.id, "product_id": self.part.id})
            ),
            lambda: line.with_user(warehouse).unlink(),
        )
        for attack in attacks:
            with self.subTest(attack=attack), self.assertRaises(AccessError):
                attack()
        self.assertEqual(quote.amount_total, total)
        self.assertEqual(quote.partner_id, case.partner_id)
        line.with_user(self.salesman).write({"price_unit": 250})
        self.assertEqual(line.price_unit, 250)

    def test_one_quote_waits_for_the_customer_at_a_time(self):
        """001 §5.2, R-104: a sheet has one quote waiting for the customer, so
        that the one accepted is the one the service center stands by."""
        case, quote = self._quote()
        with self.assertRaisesRegex(UserError, "waiting for the customer"):
            case.with_user(self.staff).action_create_quote()
        quote._action_cancel()
        case.with_user(self.staff).action_create_quote()
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("forklift_feedback_id", "=", case.id), ("state", "=", "draft")]
            ),
            1,
        )

    def test_cancelled_accepted_quote_frees_the_sheet(self):
        """R-104, R-100, R-206: the quote the customer accepted is cancelled
        by a salesman before its work starts: the sheet no longer holds it
        as its paid service nor its signature as consent; it is quoted again
        and the customer consents anew."""
        case, quote = self._quote()
        self.assertNotIn("error", self._accept(quote))
        self.assertEqual(case.sale_order_id, quote)
        quote.with_user(self.salesman).action_cancel()
        self.assertEqual(quote.state, "cancel")
        self.assertFalse(case.sale_order_id)
        self.assertFalse(case.paid_ack_signature)
        self.assertFalse(case.paid_ack_signed_by)
        with self.assertRaisesRegex(UserError, "must sign"):
            case.with_user(self.staff).action_create_paid_sale()
        action = case.with_user(self.staff).action_create_quote()
        new_quote = self.env["sale.order"].browse(action["res_id"])
        self.assertNotEqual(new_quote, quote)
        self.assertNotIn("error", self._accept(new_quote))
        self.assertEqual(case.sale_order_id, new_quote)

    def test_accepted_quote_stays_once_its_work_is_under_way(self):
        """R-100, R-206, R-104: once the technician is on site for the work
        the customer accepted, or the sheet invoiced it, nobody cancels the
        order: the sheet would keep neither its paid service nor a way to
        bill it."""
        case, quote = self._quote()
        self.assertNotIn("error", self._accept(quote))
        service_order = self._service_order(case)
        service_order.action_dispatch()
        self._record_work(service_order)
        quote_fields = ("state", "signature", "signed_by")
        case_fields = ("sale_order_id", "paid_ack_signature", "paid_ack_signed_by")
        for invoiced in (False, True):
            if invoiced:
                case.with_user(self.staff).action_create_paid_sale()
                self.assertEqual(case.invoice_ids.state, "posted")
            before = self._field_values(quote, quote_fields)
            case_before = self._field_values(case, case_fields)
            for order in (quote.with_user(self.salesman), quote.sudo()):
                with (
                    self.subTest(invoiced=invoiced, user=order.env.user.login),
                    self.assertRaises(UserError) as caught,
                ):
                    order.action_cancel()
                self.assertIn("cannot be cancelled", str(caught.exception))
            self.assertEqual(self._field_values(quote, quote_fields), before)
            self.assertEqual(self._field_values(case, case_fields), case_before)
        self.assertEqual(quote.state, "sale")
        self.assertEqual(case.sale_order_id, quote)

    def test_accepted_quote_bills_what_the_customer_signed(self):
        """R-104, R-100, R-206 (001 §5.2, 000 §4.3.2.1): the customer's
        signature is his consent to the amount quoted. Once he accepted, a
        salesman changes neither its lines, products, quantities, prices,
        discounts nor taxes, nor whom it bills, before the sheet invoices it
        or after: the sheet bills what he signed. To quote otherwise, the
        accepted quote is cancelled before its work starts and quoted anew
        for his new consent (``test_cancelled_accepted_quote_frees_the_sheet``)."""
        case, quote = self._quote()
        total = quote.amount_total
        self.assertNotIn("error", self._accept(quote))
        order = quote.with_user(self.salesman)
        line = order.order_line.filtered(lambda ol: ol.product_id == self.part)
        lines = self.env["sale.order.line"].with_user(self.salesman)
        new_line = {"product_id": self.part.id, "product_uom_qty": 1}
        attacks = {
            "price": lambda: line.write({"price_unit": 999}),
            "discount": lambda: line.write({"discount": 50}),
            "taxes": lambda: line.write({"tax_ids": [Command.clear()]}),
            "quantity": lambda: line.write({"product_uom_qty": 5}),
            "product": lambda: line.write({"product_id": self.non_original.id}),
            "part origin": lambda: line.write({"forklift_part_origin": "customer"}),
            "new line": lambda: lines.create({"order_id": quote.id, **new_line}),
            "line through the order": lambda: order.write(
                {"order_line": [Command.update(line.id, {"price_unit": 999})]}
            ),
            "new line through the order": lambda: order.write(
                {"order_line": [Command.create(new_line)]}
            ),
            "invoice address": lambda: order.write(
                {"partner_invoice_id": self.customer_b.id}
            ),
        }
        signed = ("price_unit", "discount", "tax_ids", "product_uom_qty", "product_id")
        before = line.sudo().read(signed)
        for invoiced in (False, True):
            self._assert_attacks_refused(
                attacks, refusal=UserError, message="accepted", invoiced=invoiced
            )
            self._assert_attacks_refused(
                {
                    "removed line": lambda: order.write(
                        {"order_line": [Command.unlink(line.id)]}
                    ),
                    "deleted line": lambda: line.unlink(),
                },
                refusal=UserError,
                invoiced=invoiced,
            )
            quote.invalidate_recordset()
            self.assertEqual(line.sudo().read(signed), before)
            self.assertEqual(
                (quote.amount_total, quote.partner_invoice_id),
                (total, case.partner_id),
            )
            if not invoiced:
                case.with_user(self.staff).action_create_paid_sale()
                self.assertEqual(case.invoice_ids.amount_total, total)
        # what the order does not bill stays the salesman's
        order.write({"note": "<p>Agreed by phone.</p>"})
        self.assertIn("Agreed by phone", quote.note)

    def test_payment_terms_are_the_flows(self):
        """R-102, R-165 (000 §4.3.2.1): a sheet's paid service is paid on the
        spot, or within 30 days when the service center director agreed to
        a deferral. A salesman sets no other terms on its quote, waiting,
        accepted or invoiced, nor by quoting a customer of other terms."""
        case, quote = self._quote()
        immediate = self.env.ref("account.account_payment_term_immediate")
        later = self.env.ref("account.account_payment_term_30days")
        self.customer_b.property_payment_term_id = later
        self.assertEqual(quote.payment_term_id, immediate)
        order = quote.with_user(self.salesman)
        attacks = {
            "terms": lambda: order.write({"payment_term_id": later.id}),
            "customer of other terms": lambda: order.write(
                {"partner_id": self.customer_b.id}
            ),
        }
        for stage in ("waiting", "accepted", "invoiced"):
            self._assert_attacks_refused(attacks, refusal=UserError, stage=stage)
            quote.invalidate_recordset()
            self.assertEqual(
                (quote.payment_term_id, quote.partner_id), (immediate, case.partner_id)
            )
            if stage == "waiting":
                self.assertNotIn("error", self._accept(quote))
            elif stage == "accepted":
                case.with_user(self.staff).action_create_paid_sale()
        self.assertEqual(case.invoice_ids.invoice_payment_term_id, immediate)

    def test_the_directors_deferral_gives_the_waiting_quote_its_terms(self):
        """R-102, R-165 (000 §4.3.2.1): the director's consent to a deferred
        payment is what the quote waiting for the customer then says, and
        withdrawn, it says paid on the spot again."""
        case, quote = self._quote()
        immediate = self.env.ref("account.account_payment_term_immediate")
        later = self.env.ref("account.account_payment_term_30days")
        with self.assertRaisesRegex(UserError, "director"):
            quote.with_user(self.salesman).write({"payment_term_id": later.id})
        case.with_user(self.staff).action_request_deferral()
        deferral = case.payment_deferral_ids
        deferral.with_user(self.director).validate_tier()
        self.assertEqual(case.payment_mode, "deferred")
        self.assertEqual(quote.payment_term_id, later)
        deferral.with_user(self.staff).action_cancel()
        self.assertEqual(case.payment_mode, "on_the_spot")
        self.assertEqual(quote.payment_term_id, immediate)

    def test_wrong_token_cannot_accept(self):
        case, quote = self._quote()
        result = self._accept(quote, token="not-the-token")
        self.assertEqual(result["error"], "Invalid order.")
        self.assertEqual(quote.state, "draft")
        self.assertFalse(case.sale_order_id)

    def test_declined_quote_is_noted_on_the_case(self):
        case, quote = self._quote()
        page = self.url_open(quote.get_portal_url()).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.url_open(
            f"/my/orders/{quote.id}/decline",
            data={
                "access_token": quote.access_token,
                "decline_message": "Too expensive",
                "csrf_token": csrf,
            },
        )
        self.assertEqual(quote.state, "cancel")
        self.assertFalse(case.sale_order_id)
        self.assertIn("declined", case.message_ids[0].body)

    def test_customer_accepts_a_quote_in_the_browser(self):
        case, quote = self._quote()
        self.start_tour(quote.get_portal_url(), "forklift_quote_accept", login=None)
        self.assertEqual(quote.state, "sale")
        self.assertEqual(case.sale_order_id, quote)

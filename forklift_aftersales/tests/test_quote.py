import re
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

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
        cls.salesman = new_test_user(
            cls.env,
            login="fa_quote_sales",
            groups="sales_team.group_sale_salesman_all_leads,stock.group_stock_user",
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

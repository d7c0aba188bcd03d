import json
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import (
    SIGNATURE,
    ForkliftCommon,
    call_kw,
    json_rpc,
    token_reads,
)


@tagged("post_install", "-at_install")
class TestQuoteSignatureGuard(HttpCase, ForkliftCommon):
    """The customer's signature on a sheet's quote is his consent before paid
    work (000 §4.3.2.1, R-104, R-013; seed 001 §5.2): only he gives it, on
    the link sales sends him, and only while the sheet expects that work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old_unit = cls._create_unit("SN-OLD-GUARD", acceptance=date(2024, 1, 10))
        cls.warehouse = cls._group_user("fa_qg_wh", "group_forklift_warehouse")
        cls.salesman = new_test_user(
            cls.env,
            login="fa_qg_sales",
            groups="sales_team.group_sale_salesman_all_leads",
        )

    def _quote(self):
        case = self._verified_case(unit=self.old_unit, responsibility="out_of_warranty")
        action = case.with_user(self.staff).action_create_quote()
        return case, self.env["sale.order"].browse(action["res_id"])

    def _accept(self, quote, token):
        """The customer's accept on the portal, logged out."""
        if self.session:
            self.logout()
        return json_rpc(
            self,
            f"/my/orders/{quote.id}/accept",
            {"access_token": token, "name": "Wang Jun", "signature": SIGNATURE},
        )["result"]

    def _sales_link_token(self, quote):
        """The token in the link a salesman sends the customer."""
        self.authenticate(self.salesman.login, self.salesman.login)
        url = call_kw(self, "sale.order", "get_portal_url", [quote.ids])["result"]
        return url.split("access_token=")[1].split("&")[0]

    @mute_logger("odoo.http", "odoo.models")
    def test_warehouse_cannot_unlock_or_forge_the_consent(self):
        """The warehouse, which Odoo lets write orders, neither drops the
        online payment or signature, nor sets, forges or erases the
        customer's signature, nor plants a token of its own."""
        case, quote = self._quote()
        quote.sudo().write({"require_payment": True})
        self.authenticate(self.warehouse.login, self.warehouse.login)
        attacks = (
            {"require_payment": False},
            {"require_signature": False},
            {"access_token": "planted-by-the-warehouse"},
            {"signed_by": "Wang Jun", "signature": SIGNATURE},
            {"signature": False, "signed_by": False, "signed_on": False},
        )
        for vals in attacks:
            with self.subTest(vals=list(vals)):
                answer = call_kw(self, "sale.order", "write", [quote.ids, vals])
                self.assertIn("error", answer)
                self.assertEqual(
                    answer["error"]["data"]["name"], "odoo.exceptions.AccessError"
                )
        self.assertTrue(quote.require_payment)
        self.assertTrue(quote.require_signature)
        self.assertFalse(quote.signature)
        self.assertNotEqual(quote.access_token, "planted-by-the-warehouse")
        # nor once the customer signed
        quote.sudo().write({"require_payment": False})
        self.assertNotIn("error", self._accept(quote, self._sales_link_token(quote)))
        self.assertEqual(case.sale_order_id, quote)
        self.authenticate(self.warehouse.login, self.warehouse.login)
        answer = call_kw(
            self,
            "sale.order",
            "write",
            [quote.ids, {"signature": False, "signed_by": False, "signed_on": False}],
        )
        self.assertIn("error", answer)
        self.assertEqual(quote.signed_by, "Wang Jun")
        self.assertTrue(quote.signature)

    @mute_logger("odoo.http", "odoo.models")
    def test_staff_without_sales_rights_never_get_the_token(self):
        """Neither the warehouse nor a viewer of the quote gets the key that
        signs for the customer, so nobody but him accepts logged out."""
        case, quote = self._quote()
        token = quote.sudo()._portal_ensure_token()
        self.assertTrue(quote.with_user(self.warehouse).has_access("read"))
        self.authenticate(self.warehouse.login, self.warehouse.login)
        for method, args, kwargs in token_reads(quote, token):
            with self.subTest(method=method):
                answer = call_kw(self, "sale.order", method, args, kwargs)
                self.assertNotIn("result", answer)
                self.assertNotIn(token, json.dumps(answer["error"]))
        fields = call_kw(self, "sale.order", "fields_get", [])["result"]
        self.assertNotIn("access_token", fields)
        self.assertEqual(quote.access_token, token)
        self.assertEqual(quote.state, "draft")
        self.assertFalse(case.sale_order_id)

    @mute_logger("odoo.http", "odoo.models")
    def test_customer_accepts_the_link_sales_sent(self):
        case, quote = self._quote()
        result = self._accept(quote, self._sales_link_token(quote))
        self.assertNotIn("error", result)
        self.assertEqual(quote.state, "sale")
        self.assertEqual(case.sale_order_id, quote)
        self.assertEqual(case.paid_ack_signed_by, "Wang Jun")

    @mute_logger("odoo.http", "odoo.models")
    def test_cancelled_sheet_withdraws_its_quote(self):
        """A cancelled sheet expects no paid work: its waiting quote is
        cancelled, and even reset to a quotation nobody accepts it."""
        case, quote = self._quote()
        token = quote.sudo()._portal_ensure_token()
        case.with_user(self.staff).action_cancel()
        self.assertEqual(case.state, "cancel")
        self.assertEqual(quote.state, "cancel")
        result = self._accept(quote, token)
        self.assertIn("error", result)
        quote.with_user(self.salesman).action_draft()
        self.assertEqual(quote.state, "draft")
        result = self._accept(quote, token)
        self.assertIn("error", result)
        with self.assertRaisesRegex(UserError, "can no longer be accepted"):
            quote.with_user(self.salesman).action_confirm()
        self.assertEqual(quote.state, "draft")
        self.assertFalse(quote.signature)
        self.assertFalse(case.sale_order_id)
        self.assertFalse(case.paid_ack_signature)

    def _assert_state_writes_refused(self, quote, attacks):
        """Each of ``attacks`` written over RPC on ``quote`` by the warehouse
        and by a salesman is refused, and the quote stays as it was."""
        before = self._field_values(quote, ("state", "locked", "signature"))
        for user in (self.warehouse, self.salesman):
            self.authenticate(user.login, user.login)
            for vals in attacks:
                with self.subTest(user=user.login, vals=vals):
                    answer = call_kw(self, "sale.order", "write", [quote.ids, vals])
                    self.assertIn("error", answer)
                    self.assertEqual(
                        answer["error"]["data"]["name"], "odoo.exceptions.AccessError"
                    )
        self.assertEqual(
            self._field_values(quote, ("state", "locked", "signature")), before
        )

    @mute_logger("odoo.http", "odoo.models")
    def test_no_user_writes_the_state_of_a_sheets_quote(self):
        """R-104, 000 §4.3.2.1: neither the warehouse (which Odoo lets write
        orders, through sale_stock) nor a salesman confirms, cancels, sends,
        resets or locks a sheet's quote by writing its state: only the
        order's own steps move it, and the customer's accept confirms it."""
        case, quote = self._quote()
        self._assert_state_writes_refused(
            quote,
            (
                {"state": "sale"},
                {"state": "cancel"},
                {"state": "sent"},
                {"locked": True},
            ),
        )
        self.assertEqual(quote.state, "draft")
        self.assertFalse(case.sale_order_id)
        self.assertFalse(
            case.message_ids.filtered(lambda m: "declined or cancelled" in m.body)
        )
        # nor once the customer accepted it: reset, cancelled or unlocked
        self.assertNotIn("error", self._accept(quote, self._sales_link_token(quote)))
        self.assertEqual(case.sale_order_id, quote)
        self._assert_state_writes_refused(
            quote,
            (
                {"state": "draft"},
                {"state": "cancel"},
                {"state": "sent"},
                {"locked": not quote.locked},
            ),
        )
        self.assertEqual(quote.state, "sale")
        self.assertEqual(quote.signed_by, "Wang Jun")

    @mute_logger("odoo.http", "odoo.models")
    def test_the_warehouse_runs_no_step_of_a_sheets_quote(self):
        """R-104: the warehouse does not confirm, send, cancel or lock a
        sheet's quote through its steps either (only sales people handle the
        quote; the customer accepts it)."""
        case, quote = self._quote()
        self.authenticate(self.warehouse.login, self.warehouse.login)
        calls = (
            ("action_confirm", {}),
            ("action_quotation_sent", {}),
            ("action_cancel", {}),
            ("action_lock", {}),
            ("message_post", {"body": "Sent", "context": {"mark_so_as_sent": True}}),
        )
        for method, kwargs in calls:
            with self.subTest(method=method):
                answer = call_kw(self, "sale.order", method, [quote.ids], kwargs)
                self.assertIn("error", answer)
                self.assertEqual(
                    answer["error"]["data"]["name"], "odoo.exceptions.AccessError"
                )
        self.assertEqual(quote.state, "draft")
        self.assertFalse(quote.locked)
        self.assertFalse(case.sale_order_id)

    def test_a_sheets_quote_starts_as_a_draft(self):
        """A sheet's quote is created a draft, unlocked, even by server code
        or with a client's defaults: it is confirmed by its steps only."""
        case = self._verified_case(unit=self.old_unit, responsibility="out_of_warranty")
        vals = dict(
            case._prepare_paid_sale_vals(require_lines=False),
            forklift_feedback_id=case.id,
        )
        for late in ({"state": "sale"}, {"state": "sent"}, {"locked": True}):
            with self.subTest(vals=late), self.assertRaises(AccessError):
                case._as_flow().env["sale.order"].create(dict(vals, **late))
        action = (
            case.with_user(self.staff)
            .with_context(default_state="sale", default_locked=True)
            .action_create_quote()
        )
        quote = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(quote.state, "draft")
        self.assertFalse(quote.locked)

    @mute_logger("odoo.http", "odoo.models")
    def test_the_steps_still_move_a_sheets_quote(self):
        """The salesman sends, resets, locks and cancels the quote with the
        order's own buttons, and the customer accepts it online."""
        case, quote = self._quote()
        sales_quote = quote.with_user(self.salesman)
        sales_quote.action_quotation_sent()
        self.assertEqual(quote.state, "sent")
        sales_quote.action_draft()
        self.assertEqual(quote.state, "draft")
        sales_quote.with_context(mark_so_as_sent=True).message_post(body="Your quote")
        self.assertEqual(quote.state, "sent")
        sales_quote.action_lock()
        self.assertTrue(quote.locked)
        sales_quote.action_unlock()
        self.assertFalse(quote.locked)
        sales_quote.action_cancel()
        self.assertEqual(quote.state, "cancel")
        self.assertTrue(
            case.message_ids.filtered(lambda m: "declined or cancelled" in m.body)
        )
        sales_quote.action_draft()
        self.assertEqual(quote.state, "draft")
        self.assertNotIn("error", self._accept(quote, self._sales_link_token(quote)))
        self.assertEqual(quote.state, "sale")
        self.assertEqual(case.sale_order_id, quote)

    def test_a_salesman_who_handles_the_sheets_confirms_a_quote(self):
        """Confirming is a salesman's step too, where he may handle the sheet
        whose paid service the quote becomes (as the customer's accept
        makes it); one who does not handle sheets leaves it as it is."""
        case, quote = self._quote()
        with self.assertRaises(AccessError):
            quote.with_user(self.salesman).action_confirm()
        self.assertEqual(quote.state, "draft")
        self.assertFalse(case.sale_order_id)
        sheet_salesman = self._group_user(
            "fa_qg_sales_staff",
            "sales_team.group_sale_salesman_all_leads,group_forklift_user",
        )
        quote.with_user(sheet_salesman).action_confirm()
        self.assertEqual(quote.state, "sale")
        self.assertEqual(case.sale_order_id, quote)

    def test_other_orders_keep_odoos_rules(self):
        """An order of no feedback sheet is written as Odoo allows."""
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create({"partner_id": self.customer.id})
        )
        order.write({"state": "sent", "locked": True})
        self.assertEqual(order.state, "sent")
        self.assertTrue(order.locked)

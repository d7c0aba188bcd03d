import json
from datetime import date

from odoo.exceptions import UserError
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

import base64
import json
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import (
    SIGNATURE,
    ForkliftCommon,
    ShippedPartsCommon,
    call_kw,
    json_rpc,
    rpc_error,
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
        return self._sheet_quote(self.old_unit)

    def _accept(self, quote, token):
        """The customer's accept on the portal, logged out."""
        if self.session:
            self.logout()
        return json_rpc(
            self,
            f"/my/orders/{quote.id}/accept",
            {"access_token": token, "name": "Wang Jun", "signature": SIGNATURE},
        )["result"]

    def _assert_rpc_refused(self, calls):
        """Each of ``calls`` (method, args, kwargs) of sale.order over RPC, by
        the user logged in, is refused with an access error."""
        for method, args, kwargs in calls:
            with self.subTest(method=method, args=args[1:], kwargs=kwargs):
                self.assertEqual(
                    rpc_error(self, "sale.order", method, args, kwargs),
                    "odoo.exceptions.AccessError",
                )

    def _assert_writes_refused_by_rpc(self, quote, attacks):
        """Each of ``attacks`` (values) written on ``quote`` over RPC, by the
        user logged in, is refused with an access error."""
        self._assert_rpc_refused([("write", [quote.ids, vals], {}) for vals in attacks])

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
        self._assert_writes_refused_by_rpc(quote, attacks)
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
    def test_the_customer_signs_as_an_image_not_a_script(self):
        """R-100, R-206 (000 §4.3.2.1): the quote's signature is the
        customer's consent to the paid work, a PNG or JPEG as the sheet's own
        consent is. Odoo's accept writes it as superuser and stores an SVG
        unchanged when the payment is asked online (a page of script served
        from the order, which the sheet then refused to take as its consent
        at the payment): refused, nothing signed, and the customer signs
        again with an image."""
        case, quote = self._quote()
        # sales asks for the payment online: the accept stores the signature
        # and leaves the confirmation to the payment
        quote.with_user(self.salesman).require_payment = True
        token = self._sales_link_token(quote)
        state = quote.state
        self.logout()
        svg = base64.b64encode(
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
        ).decode()
        answer = json_rpc(
            self,
            f"/my/orders/{quote.id}/accept",
            {"access_token": token, "name": "Wang Jun", "signature": svg},
        )
        self.assertNotIn("result", answer)
        self.assertIn("PNG or JPEG", answer["error"]["data"]["message"])
        quote.invalidate_recordset()
        self.assertFalse(quote.signature)
        self.assertFalse(quote.signed_by)
        self.assertEqual(quote.state, state)
        self.assertNotIn("error", self._accept(quote, token))
        self.assertEqual(quote.signed_by, "Wang Jun")
        self.assertTrue(quote.signature)
        self.assertEqual(quote.state, state, "confirmed once paid")
        self.assertFalse(case.sale_order_id)

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
            with self.subTest(user=user.login):
                self._assert_writes_refused_by_rpc(quote, attacks)
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
        self._assert_rpc_refused(
            [(method, [quote.ids], kwargs) for method, kwargs in calls]
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

    @mute_logger("odoo.http", "odoo.models")
    def test_the_warehouse_does_not_rewrite_what_the_customer_signs(self):
        """R-104 (001 §5.2, 000 §4.3.2.1): the customer signs the quote as
        the portal shows it: its number and date, the terms and conditions,
        until when it holds, his own reference, the delivery date, the
        contact, the taxes of his fiscal position, and where it comes from.
        The warehouse, which Odoo lets write orders, changes none of it over
        RPC; a salesman does."""
        case, quote = self._quote()
        position = self.env["account.fiscal.position"].create({"name": "FK Export"})
        attacks = (
            {"note": "<p>Price includes free engine</p>"},
            {"validity_date": "2030-01-01"},
            {"client_order_ref": "Free of charge"},
            {"origin": "Nothing"},
            {"name": "S-FORGED"},
            {"user_id": self.warehouse.id},
            {"fiscal_position_id": position.id},
            {"date_order": "2030-01-01 00:00:00"},
            {"commitment_date": "2030-01-01 00:00:00"},
        )
        names = [name for vals in attacks for name in vals]
        before = self._field_values(quote, names)
        self.authenticate(self.warehouse.login, self.warehouse.login)
        self._assert_writes_refused_by_rpc(quote, attacks)
        self.assertEqual(self._field_values(quote, names), before)
        quote.with_user(self.salesman).write(
            {"note": "<p>Valid 30 days.</p>", "validity_date": "2030-01-01"}
        )
        self.assertIn("Valid 30 days", quote.note)
        self.assertEqual(quote.validity_date, date(2030, 1, 1))
        self.assertEqual(quote.forklift_feedback_id, case)

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


@tagged("post_install", "-at_install")
class TestFlowOrderGuard(ShippedPartsCommon):
    """The orders the after-sales flow makes and confirms itself, without a
    quote the customer signed, are the sheet's paid service (R-013, R-101,
    000 §4.3.2.1) and the sale of a dealer's old parts not returned (R-235,
    A-15, 000 §4.3.2.5): invoiced at once, collected from that customer.
    The warehouse, which Odoo lets write orders (sale_stock), changes neither
    their customer, lines, prices nor terms, nor their status; a salesman
    changes what Odoo lets him."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old_unit = cls._create_unit("SN-OLD-FLOWSO", acceptance=date(2024, 1, 10))
        cls.salesman = cls._group_user(
            "fa_fo_sales", "sales_team.group_sale_salesman_all_leads"
        )

    def _paid_service_order(self):
        """A misuse sheet's paid service, billed from the parts used and the
        labour hours (as ``TestPaidService`` makes it)."""
        case = self._worked_paid_case(self.old_unit)
        case.with_user(self.staff).action_create_paid_sale()
        self.assertFalse(case.sale_order_id.forklift_feedback_id)
        return case.sale_order_id

    def _part_sale(self):
        """The sale to dealer A of its two old parts not returned in time."""
        note = self._replaced_note()
        with freeze_time("2026-04-03"):
            note.with_user(self.staff).action_bill_not_returned()
        return note.sale_order_id

    def _assert_warehouse_changes_nothing(self, order):
        """Each attack of the warehouse on ``order`` is refused, and the
        order, its lines and its customer stay as the flow made them."""
        wh_order = order.with_user(self.warehouse_user)
        line = order.order_line[:1]
        wh_line = line.with_user(self.warehouse_user)
        payment_term = self.env.ref("account.account_payment_term_30days")
        attacks = {
            "line price and quantity": lambda: wh_line.write(
                {"price_unit": 1.0, "product_uom_qty": 9}
            ),
            "line discount": lambda: wh_line.write({"discount": 90}),
            "line taxes": lambda: wh_line.write({"tax_ids": [Command.clear()]}),
            "line product": lambda: wh_line.write(
                {"product_id": self.forklift_product.id}
            ),
            "customer": lambda: wh_order.write({"partner_id": self.dealer_b.id}),
            "invoice address": lambda: wh_order.write(
                {"partner_invoice_id": self.dealer_b.id}
            ),
            "delivery address": lambda: wh_order.write(
                {"partner_shipping_id": self.dealer_b.id}
            ),
            "payment terms": lambda: wh_order.write(
                {"payment_term_id": payment_term.id}
            ),
            "collector": lambda: wh_order.write({"user_id": self.warehouse_user.id}),
            "origin": lambda: wh_order.write({"origin": "Nothing"}),
            "terms": lambda: wh_order.write({"note": "<p>Free</p>"}),
            "line through the order": lambda: wh_order.write(
                {"order_line": [Command.update(line.id, {"price_unit": 1.0})]}
            ),
            "new line": lambda: wh_order.write(
                {
                    "order_line": [
                        Command.create(
                            {"product_id": self.part.id, "product_uom_qty": 1}
                        )
                    ]
                }
            ),
            "removed line": lambda: wh_order.write(
                {"order_line": [Command.unlink(line.id)]}
            ),
            "deleted line": lambda: wh_line.unlink(),
            "cancelled": lambda: wh_order.write({"state": "cancel"}),
            "reset": lambda: wh_order.write({"state": "draft"}),
            "locked": lambda: wh_order.write({"locked": not order.locked}),
            "cancelled by its step": lambda: wh_order.action_cancel(),
            # what its PDF prints and how it is delivered and billed
            "kind of estimate": lambda: wh_order.write(
                {"forklift_estimate_type": "item"}
            ),
            "warehouse": lambda: wh_order.write(
                {"warehouse_id": order.warehouse_id.id + 1000}
            ),
            "delivery policy": lambda: wh_order.write(
                {"picking_policy": "one" if order.picking_policy != "one" else "direct"}
            ),
            "quantity delivered": lambda: wh_line.write(
                {"qty_delivered": line.product_uom_qty + 50}
            ),
        }
        order_fields = (
            "partner_id",
            "partner_invoice_id",
            "partner_shipping_id",
            "payment_term_id",
            "user_id",
            "origin",
            "note",
            "state",
            "locked",
            "amount_total",
            "order_line",
            "forklift_estimate_type",
            "warehouse_id",
            "picking_policy",
        )
        line_fields = (
            "product_id",
            "product_uom_qty",
            "price_unit",
            "discount",
            "qty_delivered",
        )
        before = self._field_values(order, order_fields)
        lines_before = order.order_line.sudo().read(line_fields + ("tax_ids",))
        for what, attack in attacks.items():
            with (
                self.subTest(attack=what),
                mute_logger("odoo.models"),
                self.assertRaises(AccessError),
            ):
                attack()
        self.assertEqual(self._field_values(order, order_fields), before)
        order.order_line.invalidate_recordset()
        self.assertEqual(
            order.order_line.sudo().read(line_fields + ("tax_ids",)), lines_before
        )
        # the customer still reads it on the portal, the other dealer does not
        self.assertEqual(order.partner_id, before["partner_id"])
        self.assertNotEqual(order.partner_id, self.dealer_b)

    def _assert_salesman_edits(self, order):
        """A salesman still changes what the order does not bill, where Odoo
        lets him; what it bills (its lines' prices, its terms) stays as the
        flow made it and invoiced it (R-104, R-102)."""
        line = order.order_line[-1:]
        price, terms = line.price_unit, order.payment_term_id
        later = self.env.ref("account.account_payment_term_30days")
        for record, vals in (
            (line, {"price_unit": 123}),
            (order, {"payment_term_id": later.id}),
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                record.with_user(self.salesman).write(vals)
        self.assertEqual((line.price_unit, order.payment_term_id), (price, terms))
        order.with_user(self.salesman).write({"note": "<p>Agreed by phone.</p>"})
        self.assertIn("Agreed by phone", order.note)

    def _assert_held_sale(self, order, partner):
        """``order``, a confirmed sale to ``partner``, is changed in nothing
        by the warehouse and still edited by a salesman."""
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id, partner)
        self._assert_warehouse_changes_nothing(order)
        self._assert_salesman_edits(order)

    def test_warehouse_cannot_rewrite_a_sheets_paid_service_order(self):
        """R-013, R-101 (000 §4.3.2.1): the sheet's "Paid Service Order" is
        what its customer is invoiced and pays."""
        self._assert_held_sale(self._paid_service_order(), self.customer)

    def test_warehouse_cannot_rewrite_an_old_part_sale(self):
        """R-235, A-15 (000 §4.3.2.5): the sale of a dealer's old parts not
        returned bills that dealer, for those parts."""
        self._assert_held_sale(self._part_sale(), self.dealer_a)

    def test_the_warehouse_writes_other_orders_as_odoo_lets_it(self):
        """An order no sheet or return holds keeps Odoo's rules: the
        warehouse writes it where sale_stock lets it."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.part.id})],
            }
        )
        order.with_user(self.warehouse_user).write({"note": "<p>Dock 3</p>"})
        order.order_line.with_user(self.warehouse_user).write({"price_unit": 5})
        self.assertEqual(order.order_line.price_unit, 5)

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestOrderLineStateGuard(ShippedPartsCommon):
    """R-104, R-013 (000 §4.3.2.1), R-235: a line of a feedback sheet's quote,
    paid-service order or old-part sale carries its order's status, which its
    invoicing and delivery read. Neither the warehouse (which Odoo lets write
    lines, through sale_stock) nor a salesman writes it on a line: a line
    "confirmed" on a draft quote would be invoiced and delivered without the
    customer's consent, one "cancelled" on a confirmed order would no longer
    be."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old_unit = cls._create_unit(
            "SN-OLD-LINESTATE", acceptance=date(2024, 1, 10)
        )
        cls.salesman = new_test_user(
            cls.env,
            login="fa_ls_sales",
            groups="sales_team.group_sale_salesman_all_leads",
        )

    def _draft_quote(self):
        _case, quote = self._sheet_quote(self.old_unit)
        quote.with_user(self.salesman).write(
            {
                "order_line": [
                    Command.create({"product_id": self.part.id, "product_uom_qty": 2})
                ]
            }
        )
        return quote

    def _line_status(self, order):
        order.invalidate_recordset()
        order.order_line.invalidate_recordset()
        return (
            order.state,
            order.invoice_status,
            order.order_line.mapped("state"),
            order.order_line.mapped("qty_to_invoice"),
            order.order_line.mapped("invoice_status"),
        )

    def _attempt(self, how, user, order, state):
        """``user`` sets ``state`` on a line of ``order`` the ``how`` way."""
        line = order.order_line[:1]
        if how == "line":
            return line.with_user(user).write({"state": state})
        return order.with_user(user).write(
            {"order_line": [Command.update(line.id, {"state": state})]}
        )

    def _assert_line_state_refused(self, order, states):
        before = self._line_status(order)
        for user in (self.warehouse_user, self.salesman):
            for state in states:
                for how in ("line", "through the order"):
                    with (
                        self.subTest(user=user.login, state=state, via=how),
                        mute_logger("odoo.models"),
                        self.assertRaises(AccessError),
                    ):
                        self._attempt(how, user, order, state)
        self.assertEqual(self._line_status(order), before)

    def test_no_line_of_a_sheets_quote_is_confirmed_alone(self):
        """R-104 (000 §4.3.2.1): a line "confirmed" on a sheet's draft quote
        would be invoiced (its quantity to invoice) before the customer
        accepts it; written on the line or through the quote, refused, and
        the quote and its lines stay draft with nothing to invoice."""
        quote = self._draft_quote()
        self.assertEqual(quote.state, "draft")
        self._assert_line_state_refused(quote, ("sale", "cancel", "sent"))
        # a new line takes its order's status, whatever it is given
        line = (
            self.env["sale.order.line"]
            .with_user(self.salesman)
            .create({"order_id": quote.id, "product_id": self.part.id, "state": "sale"})
        )
        self.assertEqual((line.state, line.qty_to_invoice), ("draft", 0))
        self.assertFalse(any(quote.order_line.mapped("qty_to_invoice")))

    def test_no_line_of_a_paid_service_order_is_cancelled_alone(self):
        """R-013 (000 §4.3.2.1): a line "cancelled" or reset on the sheet's
        confirmed paid service would drop out of what the customer is
        invoiced; refused, the order and its lines keep their status."""
        case = self._worked_paid_case(self.old_unit)
        case.with_user(self.staff).action_create_paid_sale()
        order = case.sale_order_id
        self.assertEqual(order.state, "sale")
        self._assert_line_state_refused(order, ("cancel", "draft"))

    def test_the_order_steps_still_move_its_lines(self):
        """Sending the quote by its step moves its lines with it; a line's
        status written as its order's is no change."""
        quote = self._draft_quote()
        line = quote.order_line[-1:]
        line.with_user(self.salesman).write({"state": "draft", "price_unit": 300})
        self.assertEqual(line.price_unit, 300)
        quote.with_user(self.salesman).action_quotation_sent()
        self.assertEqual((quote.state, line.state), ("sent", "sent"))
        self.assertEqual(quote.order_line.mapped("qty_to_invoice"), [0, 0])

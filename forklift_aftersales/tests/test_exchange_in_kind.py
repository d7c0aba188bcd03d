from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ShippedPartsCommon, call_kw


@tagged("post_install", "-at_install")
class TestExchangeInKind(HttpCase, ShippedPartsCommon):
    """R-097, R-220, R-234 (004 §4.6.2): important parts that fail inspection
    in the three-guarantee period are exchanged in kind — the old part comes
    back to the service center before the new one leaves the warehouse."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller = cls.env["product.product"].create(
            {
                "name": "Traction controller 48 V",
                "is_storable": True,
                "standard_price": 200,
                "lst_price": 460,
                "forklift_important_part": True,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.controller, cls.spare_parts, 3
        )

    def _approved_request(self, applicant="technician"):
        """One controller (important) and one seal kit, approved."""
        case = self._verified_case(
            route="dealer" if applicant == "dealer" else applicant
        )
        request = self._applied_request(
            case, applicant, products=self.controller | self.part, quantity=1
        )
        self._approve_request(request)
        self.assertEqual(request.state, "approved")
        request.picking_id.action_assign()
        return request

    def _validate_over_rpc(self, picking):
        self.authenticate("fa_wh", "fa_whxxx")
        return call_kw(self, "stock.picking", "button_validate", [picking.ids])

    @mute_logger("odoo.http")
    def test_warehouse_waits_for_the_old_important_part(self):
        """The approval opens the exchange for the controller only. The
        warehouse validating the delivery over JSON-RPC is refused, with the
        part and the return named, until the service center has received
        the old controller; then it ships, and the later return expects the
        seal kit only — the controller is not expected back twice."""
        request = self._approved_request()
        exchange = request.oldpart_return_ids
        self.assertTrue(exchange.exchange_in_kind)
        self.assertEqual(exchange.state, "expected")
        self.assertEqual(exchange.line_ids.product_id, self.controller)
        self.assertEqual(exchange.line_ids.quantity, 1)
        picking = request.picking_id
        body = self._validate_over_rpc(picking)
        message = body["error"]["data"]["message"]
        self.assertIn("exchanged in kind", message)
        self.assertIn(self.controller.display_name, message)
        self.assertIn(exchange.name, message)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(request.state, "approved")
        # the ORM path the button ends in refuses it too
        with self.assertRaisesRegex(UserError, "received its old part"):
            picking.with_user(self.warehouse_user)._action_done()

        exchange.with_user(self.staff)._mark_received(date.today())
        body = self._validate_over_rpc(picking)
        self.assertNotIn("error", body)
        self.assertEqual(picking.state, "done")
        self.assertEqual(request.state, "shipped")
        returns = request.oldpart_return_ids - exchange
        self.assertEqual(len(returns), 1)
        self.assertFalse(returns.exchange_in_kind)
        self.assertEqual(returns.line_ids.product_id, self.part)

    def test_the_exchange_is_due_in_the_companys_days(self):
        """R-167, R-234 (000 §4.3.2.5): the old part exchanged in kind is due
        30 days from the company's day of the approval (Hangzhou), not from
        the day of the time zone of whoever approves: at 20:00 in Hangzhou on
        10 March it is already the 11th in Kiritimati."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        self.env["res.users"].with_context(active_test=False).search([]).write(
            {"tz": "Pacific/Kiritimati"}
        )
        with freeze_time("2026-03-10 12:00:00"):
            exchange = self._approved_request().oldpart_return_ids
        self.assertTrue(exchange.exchange_in_kind)
        self.assertEqual(exchange.due_date, date(2026, 4, 9))

    def test_shipped_back_is_not_received(self):
        """A dealer marking the old controller shipped does not release the
        new one: the exchange waits for its receipt."""
        request = self._approved_request("dealer")
        exchange = request.oldpart_return_ids
        exchange._mark_shipped("SF Express", "SF0001")
        with self.assertRaisesRegex(UserError, "received its old part"):
            request.picking_id.with_user(self.warehouse_user).button_validate()
        self.assertEqual(request.picking_id.state, "assigned")

    def test_cancelled_request_cancels_its_exchange(self):
        """A cancelled request releases nothing: its exchange is cancelled
        and no longer reminded."""
        request = self._approved_request()
        exchange = request.oldpart_return_ids
        request.with_user(self.staff).action_cancel()
        self.assertEqual(exchange.state, "cancel")
        self.assertFalse(exchange.is_overdue)

    def test_a_part_marked_important_later_waits_too(self):
        """A part marked important after the approval: the approved request
        opens its exchange at once, and its delivery waits for the old
        part."""
        request = self._approved_request()
        self.assertEqual(
            request.oldpart_return_ids.line_ids.product_id, self.controller
        )
        self.part.product_tmpl_id.forklift_important_part = True
        exchanges = request.oldpart_return_ids.filtered("exchange_in_kind")
        self.assertEqual(exchanges.line_ids.product_id, self.controller | self.part)
        self.assertEqual(len(exchanges), 2, "the first exchange is kept as it was")
        exchanges[0]._mark_received(date.today())
        with self.assertRaisesRegex(UserError, "received its old part"):
            request.picking_id.with_user(self.warehouse_user).button_validate()

    def test_flag_is_not_changed_by_the_warehouse(self):
        """The warehouse cannot unflag a part to skip the exchange: a stock
        user does not write products; the flag's changes are tracked."""
        with self.assertRaises(AccessError):
            self.controller.product_tmpl_id.with_user(self.warehouse_user).write(
                {"forklift_important_part": False}
            )
        self.assertTrue(self.controller.forklift_important_part)

    def test_only_the_director_marks_a_part_important(self):
        """R-097, R-044 (004 §4.6.2): which parts are exchanged in kind is the
        service center's configuration, set by its director. A product or
        inventory manager with no after-sales role, who edits products,
        neither unmarks the controller while its exchange waits (its new part
        would leave before the old one is back), nor marks the seal kit (an
        approved request would wait for its old part), on the model or its
        variant, nor creates an important part: nothing changes and the
        delivery still waits. The director marks and unmarks it."""
        request = self._approved_request()
        exchange = request.oldpart_return_ids
        managers = (
            self._group_user("fa_ex_product", "product.group_product_manager"),
            self._group_user(
                "fa_ex_stock", "stock.group_stock_manager,product.group_product_manager"
            ),
        )
        for manager in managers:
            for record, flag in (
                (self.controller.product_tmpl_id, False),
                (self.controller, False),
                (self.part.product_tmpl_id, True),
                (self.part, True),
            ):
                with (
                    self.subTest(user=manager.login, model=record._name, flag=flag),
                    self.assertRaises(AccessError),
                ):
                    record.with_user(manager).write({"forklift_important_part": flag})
            for model_name in ("product.template", "product.product"):
                with (
                    self.subTest(user=manager.login, create=model_name),
                    self.assertRaises(AccessError),
                ):
                    self.env[model_name].with_user(manager).create(
                        {"name": "Brake valve", "forklift_important_part": True}
                    )
        self.env.invalidate_all()
        self.assertTrue(self.controller.forklift_important_part)
        self.assertFalse(self.part.forklift_important_part)
        self.assertEqual(request.oldpart_return_ids, exchange)
        self.assertFalse(
            self.env["product.template"].search([("name", "=", "Brake valve")])
        )
        with self.assertRaisesRegex(UserError, "received its old part"):
            request.picking_id.with_user(self.warehouse_user).button_validate()
        # he still edits the part's other fields and creates ordinary parts
        managers[0].group_ids |= self.env.ref("stock.group_stock_user")
        self.controller.with_user(managers[0]).write({"lst_price": 480})
        self.env["product.template"].with_user(managers[0]).create(
            {"name": "Seat belt"}
        )
        director = self._group_user(
            "fa_ex_director", "group_forklift_director,product.group_product_manager"
        )
        self.part.product_tmpl_id.with_user(director).write(
            {"forklift_important_part": True}
        )
        self.assertEqual(len(request.oldpart_return_ids), 2)
        self.controller.product_tmpl_id.with_user(director).write(
            {"forklift_important_part": False}
        )
        self.assertFalse(self.controller.forklift_important_part)

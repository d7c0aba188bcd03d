"""A warranty parts request's delivery ships what was approved, and the old
parts of what shipped are expected back: the after-sales warehouse keeper
neither passes another transfer off as a return of the delivery, nor cancels
the delivery behind the request's back. Each test is the attack of the
warehouse keeper calling the ORM exactly as JSON-RPC would
(``with_user``), and its refusal with nothing changed."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestDeliveryReturnLinkGuard(ShippedPartsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # an unrelated delivery of 140 desks, done: the move the attack
        # passes off as a return of the request's delivery
        cls.desk = cls.env["product.product"].create(
            {"name": "Office desk", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.desk, cls.stock, 140)
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        desks = cls.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": cls.dealer_a.id,
                "location_id": cls.stock.id,
                "location_dest_id": cls.customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": cls.desk.id,
                            "product_uom_qty": 140,
                            "product_uom": cls.desk.uom_id.id,
                            "location_id": cls.stock.id,
                            "location_dest_id": cls.customers.id,
                        }
                    )
                ],
            }
        )
        desks.action_confirm()
        desks.action_assign()
        desks.move_ids.quantity = 140
        desks.move_ids.picked = True
        desks.button_validate()
        cls.desk_move = desks.move_ids
        assert cls.desk_move.state == "done"

    def _approved_request(self, quantity=1):
        """Dealer A's request of ``quantity`` seal kits, approved, its delivery
        reserved."""
        request = self._applied_request(
            self._verified_case(route="dealer"), quantity=quantity
        )
        self._approve_request(request)
        self.assertEqual(request.state, "approved")
        request.picking_id.action_assign()
        return request

    def _delivered_request(self):
        """Dealer A's approved request of two seal kits, both shipped by the
        warehouse on 2 March 2026."""
        with freeze_time("2026-03-02"):
            request = self._approved_request(2)
            delivery = request.picking_id
            delivery.move_ids.quantity = 2
            delivery.move_ids.picked = True
            delivery.with_user(self.warehouse_user).button_validate()
        return request

    def _assert_three_not_shipped(self, request, message):
        """The warehouse validating the delivery of ``request`` with 3 seal
        kits is refused, saying ``message``: nothing ships. Returns the
        delivery, as the warehouse's."""
        picking = request.picking_id.with_user(self.warehouse_user)
        picking.move_line_ids.write({"quantity": 3})
        with self.assertRaisesRegex(UserError, message):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(request.state, "approved")
        self.assertEqual(self._on_hand(), 10)
        return picking

    def _on_hand(self):
        return self.part.with_context(location=self.spare_parts.id).qty_available

    def test_no_transfer_passes_for_a_return_of_a_request_delivery(self):
        """R-005, R-010, R-167, R-230 (000 §4.3.1.2, §4.3.2.5): the
        warehouse keeper pointing a done delivery of 140 desks at the move of
        an approved request's delivery, as if it were its return, or creating
        a move or a transfer claimed to return it, is refused: the request's
        delivery still ships no more than approved. A request's delivery
        move is not made a return of another move either."""
        request = self._approved_request(1)
        filter_move = request.picking_id.move_ids
        warehouse_move = self.desk_move.with_user(self.warehouse_user)
        with self.assertRaisesRegex(AccessError, "return"):
            warehouse_move.write({"origin_returned_move_id": filter_move.id})
        self.assertFalse(self.desk_move.origin_returned_move_id)
        with self.assertRaisesRegex(AccessError, "return"):
            filter_move.with_user(self.warehouse_user).write(
                {"origin_returned_move_id": self.desk_move.id}
            )
        self.assertFalse(filter_move.origin_returned_move_id)
        move_vals = {
            "product_id": self.part.id,
            "product_uom_qty": 140,
            "product_uom": self.part.uom_id.id,
            "location_id": self.customers.id,
            "location_dest_id": self.stock.id,
            "origin_returned_move_id": filter_move.id,
        }
        with self.assertRaisesRegex(AccessError, "return"):
            self.env["stock.picking"].with_user(self.warehouse_user).create(
                {
                    "picking_type_id": request.picking_id.picking_type_id.id,
                    "location_id": self.customers.id,
                    "location_dest_id": self.stock.id,
                    "move_ids": [Command.create(move_vals)],
                }
            )
        with self.assertRaisesRegex(AccessError, "return"):
            self.env["stock.move"].with_user(self.warehouse_user).create(move_vals)
        with self.assertRaisesRegex(AccessError, "return"):
            self.env["stock.move"].with_user(self.warehouse_user).with_context(
                default_origin_returned_move_id=filter_move.id
            ).create(
                {
                    key: value
                    for key, value in move_vals.items()
                    if key != "origin_returned_move_id"
                }
            )
        self.assertFalse(filter_move.returned_move_ids)
        self._assert_three_not_shipped(request, "leave only as approved")

    def test_only_a_true_return_makes_a_part_shipped_again(self):
        """R-005, R-167, R-230: what came back to stock on a return of a
        request's delivery may ship again, and its old part is not due; but
        a move linked to the delivery's move as its return counts only for
        the same part, coming back from where the delivery took it, and for
        no more than the delivery shipped: 140 desks (linked there before
        this guard) do not let 3 seal kits ship on a request that approved
        one, nor leave them without their old part expected back."""
        request = self._approved_request(1)
        filter_move = request.picking_id.move_ids
        # a link made before the guard, or by server code
        self.desk_move.sudo().origin_returned_move_id = filter_move
        picking = self._assert_three_not_shipped(request, "above the 1 approved")
        picking.move_line_ids.write({"quantity": 1})
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(request.state, "shipped")
        self.assertEqual(self._on_hand(), 9)
        note = request.oldpart_return_ids
        self.assertEqual(note.line_ids.product_id, self.part)
        self.assertEqual(note.line_ids.quantity, 1)

    def test_a_part_returned_after_shipping_ships_on_a_new_request(self):
        """R-010, R-167, R-230 (000 §4.2.2.3, §4.3.1.2): the one seal kit of a
        request, shipped in full, comes back on stock's return of its
        delivery. The request stays shipped with nothing left to ship (no
        delivery of its own is made but by its approval, and it is no longer
        cancelled), and no old part is owed for what came back. The service
        center applies again for the same sheet, as after-sales staff: the new
        request is approved and the warehouse ships the part on its delivery,
        its old part expected back."""
        request = self._approved_request(1)
        delivery = request.picking_id
        self._ship_picking(delivery, 1)
        self.assertEqual(request.state, "shipped")
        self.assertEqual(self._on_hand(), 9)
        self._return_to_stock(delivery, 1)
        self.assertEqual(request.state, "shipped")
        pickings = self.env["stock.picking"].search(
            [("forklift_parts_request_id", "=", request.id)]
        )
        self.assertEqual(pickings, delivery, "nothing left to ship on the request")
        with self.assertRaisesRegex(UserError, "shipped"):
            request.with_user(self.staff).action_cancel()
        self.assertFalse(sum(request.oldpart_return_ids.line_ids.mapped("quantity")))
        again = (
            self.env["forklift.parts.request"]
            .with_user(self.staff)
            .create(
                {
                    "feedback_id": request.feedback_id.id,
                    "applicant_type": "dealer",
                    "dealer_id": self.dealer_a.id,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.part.id,
                                "quantity": 1,
                                "warranty_reason": "unqualified",
                            }
                        )
                    ],
                }
            )
        )
        again.request_validation()
        self._approve_request(again)
        self.assertEqual(again.state, "approved")
        self._ship_picking(again.picking_id.with_env(self.env), 1)
        self.assertEqual(again.state, "shipped")
        self.assertEqual(self._on_hand(), 8)
        self.assertEqual(again.oldpart_return_ids.line_ids.quantity, 1)

    def test_return_wizard_still_returns_a_delivered_part(self):
        """R-167, R-230: stock's return wizard, run by the warehouse keeper
        on a request's delivery, still returns part of it: the return and
        its backorder (a partial validation) keep their link to the
        delivery's move, the part back in stock ships again on the request,
        and the old parts expected back follow what the applicant kept. The
        wizard pointed at a move of a request's delivery from another
        transfer is refused."""
        request = self._delivered_request()
        delivery = request.picking_id
        note = request.oldpart_return_ids
        self.assertEqual(note.line_ids.quantity, 2)
        returned = self._create_return(delivery, 2)
        self.assertEqual(returned.move_ids.origin_returned_move_id, delivery.move_ids)
        # one comes back now, the other on the return's backorder
        returned.move_ids.quantity = 1
        returned.move_ids.picked = True
        with freeze_time("2026-03-05"):
            returned.with_user(self.warehouse_user).with_context(
                skip_backorder=True
            ).button_validate()
        self.assertEqual(returned.state, "done")
        rest = returned.backorder_ids
        self.assertEqual(rest.move_ids.origin_returned_move_id, delivery.move_ids)
        self.assertEqual(note.line_ids.quantity, 1)
        # the wizard of another transfer pointed at the delivery's move
        own = (
            self.env["stock.return.picking"]
            .with_user(self.warehouse_user)
            .create(
                {
                    "picking_id": self.desk_move.picking_id.id,
                    "product_return_moves": [
                        Command.create(
                            {
                                "product_id": self.part.id,
                                "quantity": 1,
                                "move_id": delivery.move_ids.id,
                            }
                        )
                    ],
                }
            )
        )
        with self.assertRaisesRegex(AccessError, "return"):
            own.action_create_returns()
        self.assertEqual(
            delivery.move_ids.returned_move_ids, returned.move_ids | rest.move_ids
        )

    def test_only_the_warehouse_takes_a_delivered_part_back(self):
        """R-005, R-167, R-230 (000 §4.3.1.2, §4.3.2.5): a part shipped on a
        request's delivery comes back to stock only by the after-sales
        warehouse that released it. A stock user, or a stock manager, of no
        after-sales group running stock's return wizard on the done delivery
        and validating the return is refused: the parts stay with the
        applicant, whose old parts are still expected back, and the request
        stays shipped. The warehouse still validates the same return."""
        stock_user = self._group_user("fa_rl_stock", "stock.group_stock_user")
        stock_manager = self._group_user(
            "fa_rl_stock_manager", "stock.group_stock_manager"
        )
        request = self._delivered_request()
        delivery = request.picking_id
        note = request.oldpart_return_ids
        self.assertEqual(request.state, "shipped")
        self.assertEqual(note.line_ids.quantity, 2)
        waiting = note.state
        returned = self._create_return(delivery, 2)
        returned.move_ids.quantity = 2
        returned.move_ids.picked = True
        for user in (stock_user, stock_manager):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "after-sales warehouse"):
                    returned.with_user(user).button_validate()
                self.assertNotEqual(returned.state, "done")
                self.assertEqual(self._on_hand(), 8)
                self.assertEqual(note.state, waiting)
                self.assertEqual(note.line_ids.quantity, 2)
                self.assertEqual(request.state, "shipped")
        returned.with_user(self.warehouse_user).button_validate()
        self.assertEqual(returned.state, "done")
        # nothing kept, nothing expected back
        self.assertEqual(note.state, "cancel")

    def test_warehouse_cannot_cancel_a_request_delivery(self):
        """R-010, R-162 (000 §4.2.2.3, §4.3.1.2): an approved request's
        delivery ships within its deadline; only after-sales staff cancel
        the request, and its delivery with it. The warehouse keeper
        cancelling or deleting the delivery, or the backorder of a shipped
        request, is refused: the delivery stays open and the request
        approved. The request's own cancellation still cancels it."""
        request = self._approved_request(2)
        picking = request.picking_id.with_user(self.warehouse_user)
        with self.assertRaisesRegex(AccessError, "cancel"):
            picking.action_cancel()
        self.assertNotIn(picking.state, ("cancel", "done"))
        self.assertEqual(request.state, "approved")
        # nor by an inventory administrator, who may delete transfers
        stock_manager = self._group_user("fa_rl_stock", "stock.group_stock_manager")
        for user in (self.warehouse_user, stock_manager):
            for step in ("action_cancel", "unlink"):
                with (
                    self.subTest(user=user.login, step=step),
                    self.assertRaises(AccessError),
                    self.cr.savepoint(),
                ):
                    getattr(picking.with_user(user), step)()
        with self.assertRaisesRegex(AccessError, "cancel"), self.cr.savepoint():
            picking.with_user(stock_manager).unlink()
        # nor by writing the state of its moves
        with self.assertRaisesRegex(AccessError, "cancel"):
            picking.move_ids.write({"state": "cancel"})
        self.assertNotIn(picking.state, ("cancel", "done"))
        # nor by writing the state of the delivery itself, which would show
        # it cancelled (or done) with its moves open
        for state in ("cancel", "done"):
            with (
                self.subTest(state=state),
                self.assertRaisesRegex(AccessError, "cancel"),
                self.cr.savepoint(),
            ):
                picking.write({"state": state})
        self.assertNotIn(picking.state, ("cancel", "done"))
        self.assertTrue(picking.exists())
        self.assertNotEqual(picking.state, "cancel")
        # part shipped: the rest on a backorder of the shipped request
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(request.state, "shipped")
        backorder = picking.backorder_ids.with_user(self.warehouse_user)
        self.assertTrue(backorder)
        with self.assertRaisesRegex(AccessError, "cancel"):
            backorder.action_cancel()
        self.assertNotEqual(backorder.state, "cancel")
        # the request's own cancellation, by after-sales staff
        other = self._approved_request(1)
        other.with_user(self.staff).action_cancel()
        self.assertEqual(other.state, "cancel")
        self.assertEqual(other.picking_id.state, "cancel")
        # stock's validation leaving no backorder still cancels what is not
        # shipped, by its own cancel step
        gasket = self.env["product.product"].create(
            {"name": "Cover gasket", "is_storable": True, "standard_price": 10}
        )
        self.env["stock.quant"]._update_available_quantity(gasket, self.spare_parts, 5)
        third = self._applied_request(
            self._verified_case(route="dealer"),
            products=self.part | gasket,
            quantity=1,
        )
        self._approve_request(third)
        delivery = third.picking_id.with_user(self.warehouse_user)
        delivery.action_assign()
        shipped = delivery.move_ids.filtered(lambda m: m.product_id == self.part)
        shipped.quantity = 1
        shipped.picked = True
        delivery.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=delivery.ids
        ).button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertFalse(delivery.backorder_ids)
        self.assertEqual((delivery.move_ids - shipped).state, "cancel")
        self.assertEqual(third.state, "shipped")

"""The transfers an after-sales document makes for itself keep the moves and
lines it put on them: a warranty parts request's delivery ships the spare
parts its approval reserved, to the applicant (000 §4.3.1.2; R-005, R-010,
R-167); the old-part receipts and a returned forklift's release carry what
the document received or released, and the release is the one transfer that
takes its stock out of the quarantine (000 §4.3.2.5–7, §4.4; R-230, R-238,
R-241). Odoo lets every stock user re-point a move or a move line to another
transfer or move: each test is that attack, by a stock user or the
after-sales warehouse calling the ORM as JSON-RPC would (``with_user``),
refused with nothing changed; stock's own steps (reservation, validation,
backorder, unreserve) still run."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestTransferLinksGuard(ShippedPartsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a stock user of the company's warehouse, of no after-sales group
        cls.stock_user = cls._group_user("fa_tl_stock", "stock.group_stock_user")
        cls.maker, cls.sales_vp = cls._role_users(
            "fa_tl", "manufacturing", "sales_vp_domestic"
        )
        # seal kits of the ordinary stock, which no request approved to ship
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.stock, 5)

    def _approved_delivery(self, quantity=2, products=None):
        """Dealer A's approved request of ``quantity`` of each of
        ``products`` (the seal kit): its delivery, reserved."""
        request = self._applied_request(
            self._verified_case(route="dealer"), products=products, quantity=quantity
        )
        self._approve_request(request)
        self.assertEqual(request.state, "approved")
        request.picking_id.action_assign()
        self.assertEqual(request.picking_id.state, "assigned")
        return request.picking_id

    def _assert_stock_user_refused(self, picking, attacks, still_ready=False):
        """Each of ``attacks`` (name, target, values to write, or None to
        delete the target) by a stock user of no after-sales group is
        refused before the after-sales warehouse validates ``picking``
        unawares; an attack that passed is undone for the next one. With
        ``still_ready``, ``picking`` is checked still ready first."""
        for name, target, vals in attacks:
            with (
                self.subTest(attack=name),
                self.cr.savepoint(),
                self.assertRaisesRegex(AccessError, "only the after-sales warehouse"),
            ):
                if vals is None:
                    target.with_user(self.stock_user).unlink()
                else:
                    target.with_user(self.stock_user).write(vals)
                # had it passed: the warehouse validates what it was left
                if still_ready:
                    self.assertEqual(picking.state, "assigned")
                picking.with_user(self.warehouse_user).with_context(
                    skip_backorder=True, picking_ids_not_to_backorder=picking.ids
                ).button_validate()

    @staticmethod
    def _lines(picking):
        return sorted(
            (
                line.id,
                line.move_id.id,
                line.picking_id.id,
                line.location_id.id,
                line.lot_id.id,
                line.quantity,
            )
            for line in picking.move_ids.move_line_ids | picking.move_line_ids
        )

    def test_no_line_moves_onto_or_off_a_request_delivery(self):
        """R-005, R-010, R-167 (000 §4.3.1.2): the delivery of an approved
        request ships the spare parts its reservation holds. A stock user (or
        the after-sales warehouse) re-pointing the delivery's reserved line
        to a move of his own transfer, or a line of his own (seal kits of
        WH/Stock) onto the delivery's move, by its move, its transfer or
        both, or creating a line on the delivery's move: each refused, both
        transfers as they were."""
        delivery = self._approved_delivery()
        move = delivery.move_ids
        line = move.move_line_ids
        self.assertEqual(line.location_id, self.spare_parts)
        own = self._own_transfer(self.stock, self.customers, self.part, 2, "out")
        own_line = own.move_ids.move_line_ids
        before = self._lines(delivery), self._lines(own)
        attacks = {
            "delivery's line to his move": (
                line,
                {"move_id": own.move_ids.id, "picking_id": own.id},
            ),
            "delivery's line to his move alone": (line, {"move_id": own.move_ids.id}),
            "delivery's line to his transfer": (line, {"picking_id": own.id}),
            "delivery's line off its move": (line, {"move_id": False}),
            "his line onto the delivery's move": (
                own_line,
                {"move_id": move.id, "picking_id": delivery.id},
            ),
            "his line onto the delivery's move alone": (own_line, {"move_id": move.id}),
            "his line onto the delivery": (own_line, {"picking_id": delivery.id}),
        }
        for user in (self.stock_user, self.warehouse_user):
            for name, (target, vals) in attacks.items():
                with (
                    self.subTest(user=user.login, attack=name),
                    self.assertRaisesRegex(AccessError, "stock's own steps"),
                    self.cr.savepoint(),
                ):
                    target.with_user(user).write(vals)
        self.assertEqual((self._lines(delivery), self._lines(own)), before)
        # nor does the stock user create a line of WH/Stock on the delivery
        Line = self.env["stock.move.line"].with_user(self.stock_user)
        for name, vals in (
            ("on its move", {"move_id": move.id, "picking_id": delivery.id}),
            ("on its move alone", {"move_id": move.id}),
            ("on the delivery", {"picking_id": delivery.id}),
        ):
            with (
                self.subTest(attack=f"line created {name}"),
                self.assertRaisesRegex(AccessError, "only the after-sales warehouse"),
                self.cr.savepoint(),
            ):
                Line.create(
                    {
                        "product_id": self.part.id,
                        "product_uom_id": self.part.uom_id.id,
                        "location_id": self.stock.id,
                        "location_dest_id": delivery.location_dest_id.id,
                        "quantity": 1,
                        **vals,
                    }
                )
        self.assertEqual((self._lines(delivery), self._lines(own)), before)

    def test_stocks_own_steps_still_move_the_delivery_lines(self):
        """Stock's own steps on a request's delivery still run as the users
        who take them: the after-sales warehouse unreserves it, the stock
        user reserves it again, the after-sales warehouse sets the quantity
        and validates part of it, the rest going with its reserved line to
        the backorder, which is then shipped."""
        gasket = self.env["product.product"].create(
            {"name": "Cover gasket", "is_storable": True, "standard_price": 10}
        )
        self.env["stock.quant"]._update_available_quantity(gasket, self.spare_parts, 5)
        delivery = self._approved_delivery(quantity=1, products=self.part | gasket)
        delivery.with_user(self.warehouse_user).do_unreserve()
        self.assertFalse(delivery.move_ids.move_line_ids)
        delivery.with_user(self.stock_user).action_assign()
        self.assertEqual(delivery.state, "assigned")
        picking = delivery.with_user(self.warehouse_user)
        kit = picking.move_ids.filtered(lambda m: m.product_id == self.part)
        kit.quantity = 1
        kit.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(delivery.state, "done")
        backorder = delivery.backorder_ids.with_user(self.warehouse_user)
        self.assertEqual(backorder.move_ids.product_id, gasket)
        for line in backorder.move_ids.move_line_ids:
            self.assertEqual(line.picking_id, backorder)
        backorder.action_assign()
        backorder.move_ids.quantity = 1
        backorder.move_ids.picked = True
        backorder.button_validate()
        self.assertEqual(backorder.state, "done")

    def test_stock_user_unreserves_no_request_delivery(self):
        """R-005, R-010 (000 §4.3.1.2, 004 §4.6.1): the spare parts reserved
        on an approved request's delivery wait there for the after-sales
        warehouse that ships them, an urgent request's taken before other
        demands. A stock user or stock manager of no after-sales group
        unreserving the delivery over RPC (``do_unreserve``) would free them
        for any other transfer, the request left waiting: refused, the
        delivery still ready with its lines. The warehouse unreserves it;
        the stock user checks its availability again, as stock's own
        reservation does."""
        delivery = self._approved_delivery()
        lines = delivery.move_line_ids
        self.assertTrue(lines)
        manager = self._group_user("fa_tl_stock_mgr", "stock.group_stock_manager")
        for user in (self.stock_user, manager):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(AccessError, "only the after-sales warehouse"),
            ):
                delivery.with_user(user).do_unreserve()
            self.assertEqual(delivery.state, "assigned")
            self.assertEqual(delivery.move_line_ids, lines)
        delivery.with_user(self.warehouse_user).do_unreserve()
        self.assertFalse(delivery.move_line_ids)
        delivery.with_user(self.stock_user).action_assign()
        self.assertEqual(delivery.state, "assigned")

    def _handed_in_receipt(self, quantity=2):
        """The open receipt of ``quantity`` non-warranty old seal kits a
        technician handed in after a repair outside the warranty (R-233)."""
        case = self._verified_case(responsibility="misuse")
        order = self._done_paid_order(case, quantity=quantity)
        order.with_user(self.technician).action_hand_in_old_parts()
        receipt = order.oldpart_picking_id
        self.assertEqual(receipt.state, "assigned")
        return receipt

    def test_stock_user_splits_no_aftersales_transfer(self):
        """R-005, R-010, R-233 (000 §4.3.1.2, §4.3.2.7): what an after-sales
        transfer ships or receives is reshaped by the after-sales warehouse
        alone. A stock user or stock manager of no after-sales group
        splitting (``action_split_transfer``, over RPC) an approved
        request's delivery the warehouse is preparing one seal kit of, or
        the receipt of the non-warranty old parts handed in, would move the
        rest to a new transfer behind its back: refused, nothing changed.
        The warehouse still splits the delivery, the rest going to a
        backorder of the request's."""
        manager = self._group_user("fa_tl_split_mgr", "stock.group_stock_manager")
        delivery = self._approved_delivery()
        receipt = self._handed_in_receipt()
        for transfer in (delivery, receipt):
            # the warehouse takes one part of two first
            transfer.move_ids.with_user(self.warehouse_user).quantity = 1
            before = (
                self._lines(transfer),
                transfer.move_ids.read(["product_uom_qty", "quantity", "picking_id"]),
            )
            for user in (self.stock_user, manager):
                with (
                    self.subTest(transfer=transfer.name, user=user.login),
                    self.assertRaisesRegex(
                        AccessError, "only the after-sales warehouse splits"
                    ),
                    self.cr.savepoint(),
                ):
                    transfer.with_user(user).action_split_transfer()
                self.assertFalse(transfer.backorder_ids)
                self.assertEqual(
                    (
                        self._lines(transfer),
                        transfer.move_ids.read(
                            ["product_uom_qty", "quantity", "picking_id"]
                        ),
                    ),
                    before,
                )
        delivery.with_user(self.warehouse_user).action_split_transfer()
        backorder = delivery.backorder_ids
        self.assertEqual(
            backorder.forklift_parts_request_id, delivery.forklift_parts_request_id
        )
        self.assertEqual(
            (delivery.move_ids.product_uom_qty, backorder.move_ids.product_uom_qty),
            (1, 1),
        )

    def test_stock_user_packs_no_aftersales_transfer(self):
        """R-005, R-010 (000 §4.3.1.2): the after-sales warehouse packs what
        it ships. A stock user or stock manager of no after-sales group
        putting the reserved lines of an approved request's delivery in a
        package (``action_put_in_pack`` of the delivery or of its lines,
        over RPC, or the lines' destination package written) would decide
        how the spare parts reach the dealer behind its back: refused,
        nothing changed. The warehouse still packs them; checking the
        availability stays open to the stock user."""
        gasket = self.env["product.product"].create(
            {"name": "Pump gasket", "is_storable": True, "standard_price": 10}
        )
        self.env["stock.quant"]._update_available_quantity(gasket, self.spare_parts, 1)
        delivery = self._approved_delivery(quantity=1, products=self.part | gasket)
        lines = delivery.move_line_ids
        self.assertEqual(len(lines), 2)
        package = self.env["stock.package"].create({"name": "Outsider's box"})
        manager = self._group_user("fa_tl_pack_mgr", "stock.group_stock_manager")
        for user in (self.stock_user, manager):
            for name, call in (
                ("the delivery", lambda u: delivery.with_user(u).action_put_in_pack()),
                ("its lines", lambda u: lines.with_user(u).action_put_in_pack()),
                (
                    "in his box",
                    lambda u: delivery.with_user(u).action_put_in_pack(
                        package_id=package.id
                    ),
                ),
                (
                    "the lines' package",
                    lambda u: lines.with_user(u).write(
                        {"result_package_id": package.id}
                    ),
                ),
            ):
                with (
                    self.subTest(user=user.login, attack=name),
                    self.assertRaisesRegex(
                        AccessError, "only the after-sales warehouse"
                    ),
                    self.cr.savepoint(),
                ):
                    call(user)
                self.assertFalse(lines.result_package_id)
        delivery.with_user(self.stock_user).action_assign()
        delivery.with_user(self.warehouse_user).action_put_in_pack()
        self.assertEqual(len(lines.result_package_id), 1)

    def test_no_move_put_on_or_taken_off_a_documents_transfer(self):
        """R-230, R-238, R-241 (000 §4.3.2.5–6, §4.4): a returned forklift's
        release is the one transfer that takes stock out of the quarantine,
        and the old-part receipt is the record of the old parts received. The
        warehouse putting a move of his own (old parts from the quarantine to
        WH/Stock) on the done release, to validate it there, or creating one
        on it; taking the receipt's move off it or a move of his own onto it;
        re-pointing his line onto the release: each refused, the old parts
        kept in the quarantine."""
        note = self._shipped_request().oldpart_return_ids
        self._inspect_oldparts(note, "accepted")
        receipt = note.picking_id
        self.assertEqual(receipt.state, "done")
        release = self._released_forklift()
        own = self._own_transfer(self.old_parts, self.stock, self.part, 2)
        own_move = own.move_ids.with_user(self.warehouse_user)
        for name, target, vals in (
            ("his move onto the release", own_move, {"picking_id": release.id}),
            ("his move onto the receipt", own_move, {"picking_id": receipt.id}),
            (
                "the receipt's move off it",
                receipt.move_ids.with_user(self.warehouse_user),
                {"picking_id": own.id},
            ),
            (
                "the release's move off it",
                release.move_ids.with_user(self.warehouse_user),
                {"picking_id": False},
            ),
            (
                "his line onto the release",
                own_move.move_line_ids,
                {"picking_id": release.id},
            ),
        ):
            with (
                self.subTest(attack=name),
                self.assertRaises(AccessError),
                self.cr.savepoint(),
            ):
                target.write(vals)
                # had it passed: the release validated again takes the parts
                release.with_user(self.warehouse_user).button_validate()
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["stock.move"].with_user(self.warehouse_user).create(
                {
                    "product_id": self.part.id,
                    "product_uom_qty": 2,
                    "location_id": self.old_parts.id,
                    "location_dest_id": self.stock.id,
                    "picking_id": release.id,
                }
            )
        self.assertEqual(own.move_ids.picking_id, own)
        self.assertEqual(release.state, "done")
        self.assertEqual(receipt.state, "done")
        self.assertEqual(
            self.part.with_context(location=self.old_parts.id).qty_available, 2
        )

    def _released_forklift(self):
        """A returned forklift received, inspected, reworked and released to
        WH/Stock by its return's own transfer: that done release."""
        vehicle_return = self._staff_vehicle_return()
        self._sign_vehicle_return(vehicle_return)
        vehicle_return.with_user(self.staff).action_receive()
        self._rework_and_pass(vehicle_return)
        release = vehicle_return.release_picking_id
        self.assertEqual(release.state, "done")
        self.assertTrue(release.forklift_document_transfer)
        return release

    def _lot_tracked_pump(self):
        """A lot-tracked pump and two lots of it, none in stock yet."""
        pump = self.env["product.product"].create(
            {
                "name": "Hydraulic pump",
                "is_storable": True,
                "tracking": "lot",
                "standard_price": 40,
            }
        )
        lot_a, lot_b = self.env["stock.lot"].create(
            [
                {"name": "PUMP-A", "product_id": pump.id},
                {"name": "PUMP-B", "product_id": pump.id},
            ]
        )
        return pump, lot_a, lot_b

    def test_stock_user_does_not_edit_an_open_request_delivery(self):
        """R-005, R-010 (000 §4.3.1.2): the delivery of an approved request
        ships, from the spare-parts stock, the parts and lots its reservation
        holds. A stock user of no after-sales group changing, on its open
        moves and lines, the source (his own seal kits of WH/Stock in place
        of the spare parts), the lot (another pump's lot), the quantity or
        the demand (less than approved, nothing left to ship, the request
        marked shipped), or the delivery's source: each refused before the
        after-sales warehouse validates it unawares, nothing changed; the
        warehouse then ships it from the spare parts as reserved."""
        pump, lot_a, lot_b = self._lot_tracked_pump()
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(pump, self.spare_parts, 2, lot_id=lot_a)
        Quant._update_available_quantity(pump, self.stock, 2, lot_id=lot_b)
        delivery = self._approved_delivery(quantity=2, products=self.part | pump)
        kit = delivery.move_ids.filtered(lambda m: m.product_id == self.part)
        pump_move = delivery.move_ids - kit
        self.assertEqual(pump_move.move_line_ids.lot_id, lot_a)
        before = (
            self._lines(delivery),
            delivery.move_ids.read(["product_uom_qty", "quantity", "location_id"]),
        )
        attacks = (
            (
                "seal kits of WH/Stock",
                kit.move_line_ids,
                {"location_id": self.stock.id},
            ),
            ("another lot", pump_move.move_line_ids, {"lot_id": lot_b.id}),
            (
                "pumps of WH/Stock",
                pump_move.move_line_ids,
                {"location_id": self.stock.id, "lot_id": lot_b.id},
            ),
            ("one seal kit less", kit.move_line_ids, {"quantity": 1}),
            ("one seal kit less, by the move", kit, {"quantity": 1}),
            ("a demand of one seal kit", kit, {"product_uom_qty": 1}),
            ("the move's source", kit, {"location_id": self.stock.id}),
            ("the delivery's source", delivery, {"location_id": self.stock.id}),
        )
        self._assert_stock_user_refused(delivery, attacks)
        self.assertEqual(
            (
                self._lines(delivery),
                delivery.move_ids.read(["product_uom_qty", "quantity", "location_id"]),
            ),
            before,
        )
        delivery.with_user(self.warehouse_user).button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.move_ids.move_line_ids.location_id, self.spare_parts)
        self.assertEqual(pump_move.move_line_ids.lot_id, lot_a)
        # the two seal kits left the spare parts, not WH/Stock's own five
        self.assertEqual(
            self.part.with_context(location=self.spare_parts.id).qty_available, 8
        )
        self.assertEqual(
            self.part.with_context(location=self.stock.id).qty_available, 5 + 8
        )

    def test_stock_user_does_not_edit_an_open_oldpart_receipt(self):
        """R-233 (000 §4.3.2.7): the non-warranty old parts handed in are
        received into their own location, kept by the service center. A
        stock user of no after-sales group sending the open receipt's line
        or move, or the receipt, to WH/Stock, or changing what it receives:
        each refused before the after-sales warehouse validates it unawares;
        the warehouse then receives them where they are kept."""
        location = self.env.ref(
            "forklift_aftersales.stock_location_nonwarranty_old_parts"
        )
        case = self._verified_case(responsibility="misuse")
        order = self._done_paid_order(case, quantity=2)
        order.with_user(self.technician).action_hand_in_old_parts()
        receipt = order.oldpart_picking_id
        self.assertEqual(receipt.state, "assigned")
        move = receipt.move_ids
        attacks = (
            (
                "the line to WH/Stock",
                move.move_line_ids,
                {"location_dest_id": self.stock.id},
            ),
            ("the move to WH/Stock", move, {"location_dest_id": self.stock.id}),
            ("the receipt to WH/Stock", receipt, {"location_dest_id": self.stock.id}),
            ("one part less", move.move_line_ids, {"quantity": 1}),
            ("a demand of one part", move, {"product_uom_qty": 1}),
        )
        self._assert_stock_user_refused(receipt, attacks)
        receipt.with_user(self.warehouse_user).button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(move.move_line_ids.location_dest_id, location)
        self.assertEqual(self.part.with_context(location=location.id).qty_available, 2)

    def test_stock_user_does_not_delete_a_reserved_line_of_a_delivery(self):
        """R-005, R-010 (000 §4.3.1.2): the delivery of an approved request
        ships what its reservation holds. A stock user of no after-sales group
        deleting one of its reserved lines (by the line, by its move's or
        the delivery's list of lines) leaves it ready with less than
        approved, as a quantity written lower would: each refused before the
        after-sales warehouse validates it unawares, nothing changed. The
        warehouse still deletes a line of the open delivery, and stock's own
        unreserve still runs as the stock user."""
        pump, lot_a, lot_b = self._lot_tracked_pump()
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(pump, self.spare_parts, 1, lot_id=lot_a)
        Quant._update_available_quantity(pump, self.spare_parts, 1, lot_id=lot_b)
        delivery = self._approved_delivery(quantity=2, products=pump)
        move = delivery.move_ids
        self.assertEqual(len(move.move_line_ids), 2)
        line = move.move_line_ids[:1]
        before = self._lines(delivery)
        attacks = (
            ("the line", line, None),
            ("by its move", move, {"move_line_ids": [Command.delete(line.id)]}),
            (
                "by the delivery",
                delivery,
                {"move_line_ids": [Command.delete(line.id)]},
            ),
        )
        # had one passed: the delivery would still be ready, with one pump
        self._assert_stock_user_refused(delivery, attacks, still_ready=True)
        self.assertEqual(self._lines(delivery), before)
        # the warehouse, and stock's own unreserve, still remove lines
        line.with_user(self.warehouse_user).unlink()
        self.assertEqual(len(move.move_line_ids), 1)
        delivery.with_user(self.warehouse_user).do_unreserve()
        self.assertFalse(move.move_line_ids)

"""The moves of the after-sales transfers follow the documents' own steps:
the after-sales warehouse (a stock user, calling the ORM as JSON-RPC would,
``with_user``) neither writes the state of a move of a warranty parts
request's delivery, which would ship parts with no validation, nor links a
move of his own as a return of the receipt of old parts or of a returned
forklift, which would show them gone back. Each refusal leaves everything as
it was."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ShippedPartsCommon

MOVE_STATES = ("draft", "waiting", "confirmed", "partially_available", "assigned")


@tagged("post_install", "-at_install")
class TestAftersalesReceiptGuard(ShippedPartsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_vp = cls._group_user(
            "fa_rg_sales_vp", "group_forklift_sales_vp_domestic"
        )
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.stock = cls.env.ref("stock.stock_location_stock")

    def _on_hand(self):
        return self.part.with_context(location=self.spare_parts.id).qty_available

    def _assert_calls_refused(self, calls, message, error=AccessError):
        """Each ``(records, method, values)`` of ``calls`` (records the
        warehouse reads) is refused with an ``error`` (by default an access
        error) saying ``message``."""
        for index, (records, method, values) in enumerate(calls):
            with (
                self.subTest(model=records._name, method=method, call=index),
                self.assertRaisesRegex(error, message),
                self.cr.savepoint(),
            ):
                getattr(records, method)(values)

    def _assert_state_writes_refused(self, moves, states):
        """Each of ``states`` (but the one the moves are in) written on
        ``moves`` by the warehouse, directly, through their transfer, or
        through another move beside a demand written (which stock's own
        write follows), is refused, the moves and the stock as they were."""
        moves = moves.with_user(self.warehouse_user)
        before = moves.mapped("state"), self._on_hand()
        for state in sorted(set(states) - set(before[0])):
            updates = [Command.update(m.id, {"state": state}) for m in moves]
            demand = {"product_uom_qty": moves[0].product_uom_qty}
            self._assert_calls_refused(
                (
                    (moves, "write", {"state": state}),
                    (moves.picking_id, "write", {"move_ids": updates}),
                    (moves[0], "write", {**demand, "move_dest_ids": updates}),
                ),
                "delivery of",
            )
        self.assertEqual((moves.mapped("state"), self._on_hand()), before)

    def test_no_state_written_on_a_request_delivery_move(self):
        """R-005, R-010, R-162 (000 §4.2.2.3, §4.3.1.2): the warehouse keeper
        writing ``done`` (or any other state) on a move of an approved
        request's delivery, which would ship the parts with no validation
        (no approved-quantity check, no stock moved), is refused, before and
        after the delivery is validated. Stock's own steps still write them:
        the demand changed, the reservation, the validation."""
        request = self._applied_request(self._verified_case(route="dealer"))
        self._approve_request(request)
        picking = request.picking_id.with_user(self.warehouse_user)
        picking.action_assign()
        move = picking.move_ids
        self.assertEqual(move.state, "assigned")
        self._assert_state_writes_refused(move, ("done", "cancel") + MOVE_STATES)
        # nor is a move added to it done
        vals = {
            "product_id": self.part.id,
            "product_uom_qty": 1,
            "picking_id": picking.id,
            "location_id": move.location_id.id,
            "location_dest_id": move.location_dest_id.id,
        }
        Move = self.env["stock.move"].with_user(self.warehouse_user)
        done = {"state": "done"}
        self._assert_calls_refused(
            (
                (Move, "create", {**vals, **done}),
                (Move.with_context(default_state="done"), "create", vals),
                (picking, "write", {"move_ids": [Command.create({**vals, **done})]}),
            ),
            "never by writing their state",
        )
        self.assertEqual(picking.move_ids, move)
        self.assertEqual(request.state, "approved")
        # stock's own steps: a grown demand puts the move back to partially
        # available, the approved one to available, the validation ships it
        move.product_uom_qty = 3
        self.assertEqual(move.state, "partially_available")
        move.product_uom_qty = 2
        self.assertEqual(move.state, "assigned")
        move.picked = True
        picking.button_validate()
        self.assertEqual(
            (move.state, request.state, self._on_hand()), ("done", "shipped", 8)
        )
        self._assert_state_writes_refused(move, ("cancel",) + MOVE_STATES)

    def _receipts(self):
        """The receipts of the after-sales documents into the quarantine:
        two old seal kits accepted (R-230), a returned forklift (R-238), and
        the non-warranty old parts a technician handed in (R-233)."""
        note = self._shipped_request().oldpart_return_ids
        self._inspect_oldparts(note, "accepted")
        vehicle_return = self._staff_vehicle_return()
        self._sign_vehicle_return(vehicle_return)
        vehicle_return.with_user(self.staff).action_receive()
        order = self._service_order(self._verified_case(responsibility="misuse"))
        order.action_dispatch()
        self._sign_consent(order.feedback_id)
        self._record_work(order, part_ids=[self._part_line(self.part, 1, False)])
        order.action_done()
        order.with_user(self.technician).action_hand_in_old_parts()
        order.oldpart_picking_id.with_user(self.warehouse_user).button_validate()
        receipts = (
            note.picking_id | vehicle_return.picking_id | order.oldpart_picking_id
        )
        self.assertEqual(receipts.mapped("state"), ["done"] * 3)
        return receipts

    def test_no_own_move_returns_an_aftersales_receipt(self):
        """R-014, R-230, R-233, R-236, R-238 (000 §4.3.2.5–7, §4.4.1): the
        warehouse keeper linking a move of his own as a return of the
        receipt of accepted old parts, of a returned forklift or of the
        non-warranty old parts handed in (creating it so, or writing the
        link), or re-linking the receipt's move as a return of another move,
        is refused: stock would count them as gone back. Stock's return
        wizard still makes the return of such a receipt (which then takes
        nothing out of the quarantine but by the document, see
        TestQuarantineLeavesByDocument)."""
        receipts = self._receipts()
        Move = self.env["stock.move"].with_user(self.warehouse_user)
        for received in receipts.move_ids:
            vals = {
                "product_id": received.product_id.id,
                "product_uom_qty": 1,
                "location_id": received.location_dest_id.id,
                "location_dest_id": self.customers.id,
            }
            own = Move.create(vals)
            link = {"origin_returned_move_id": received.id}
            self._assert_calls_refused(
                (
                    (Move, "create", {**vals, **link}),
                    (
                        Move.with_context(default_origin_returned_move_id=received.id),
                        "create",
                        vals,
                    ),
                    (own, "write", link),
                    (
                        received.with_user(self.warehouse_user),
                        "write",
                        {"origin_returned_move_id": own.id},
                    ),
                ),
                "return",
            )
            self.assertFalse(
                received.returned_move_ids | received.origin_returned_move_id
            )
        returned = self._create_return(receipts[0], 1)
        self.assertEqual(
            returned.move_ids.origin_returned_move_id, receipts[0].move_ids
        )

    def _own_moves(self, picking):
        """Two moves of the warehouse's own beside ``picking``: a done one of
        two seal kits from the vendors to a customer, on no transfer, and an
        open one on a delivery of its own of the same operation type."""
        done = self.env["stock.move"].create(
            {
                "product_id": self.part.id,
                "product_uom_qty": 2,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.customers.id,
            }
        )
        done._action_confirm()
        done.quantity = 2
        done.picked = True
        done._action_done()
        vals = {"location_id": self.stock.id, "location_dest_id": self.customers.id}
        own = self.env["stock.picking"].create(
            {
                **vals,
                "picking_type_id": picking.picking_type_id.id,
                "move_ids": [
                    Command.create(
                        {**vals, "product_id": self.part.id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        self.assertEqual((done.state, own.move_ids.state), ("done", "draft"))
        return done, own

    def _assert_transfer_changes_refused(self, picking, done, own):
        """The warehouse putting ``done`` (a done move of its own) or the
        moves of ``own`` (a transfer of its own) on ``picking``, a request's
        delivery, by the move or through either transfer, or taking the
        delivery's moves off it, to ``own`` or to no transfer, is refused;
        the done move's line re-parented on the delivery too; every move and
        line where it was."""
        picking, done, own = (
            r.with_user(self.warehouse_user) for r in (picking, done, own)
        )
        delivered, line = picking.move_ids, done.move_line_ids

        def state():
            return (
                [p.move_ids for p in (picking, own)],
                [m.picking_id for m in done | delivered],
                [line.move_id, line.picking_id],
                delivered.mapped("quantity"),
            )

        before = state()
        calls = []
        for move in done | own.move_ids:
            calls += [
                (move, "write", {"picking_id": picking.id}),
                (picking, "write", {"move_ids": [Command.link(move.id)]}),
            ]
        for target in (own.id, False):
            calls.append((delivered, "write", {"picking_id": target}))
        calls += [
            (picking, "write", {"move_ids": [Command.unlink(delivered[0].id)]}),
            (picking, "write", {"move_ids": [Command.set([])]}),
            (own, "write", {"move_ids": [Command.link(delivered[0].id)]}),
        ]
        self._assert_calls_refused(calls, "only by stock's own steps")
        # the done line, on the delivery's move or transfer, would add to what
        # it shipped: refused as the done stock of the spare parts it joins
        self._assert_calls_refused(
            [
                (line, "write", {"move_id": delivered[0].id, "picking_id": p.id})
                for p in (picking, picking.browse())
            ]
            + [(line, "write", {"picking_id": picking.id})],
            "not edited afterwards",
            UserError,
        )
        self.assertEqual(state(), before)

    def test_no_move_put_on_or_taken_off_a_request_delivery(self):
        """R-005, R-010, R-167 (000 §4.2.2.3, §4.3.1.2): the warehouse keeper
        re-pointing a move of his own (done, or open) at an approved
        request's delivery, which would count as shipped with no validation
        (and its old parts due back), or taking the delivery's move off it,
        which would hide a shipment, is refused, before and after the
        delivery is validated, everything as it was. Stock's own steps
        still move them: the split of the delivery (here), the backorder
        its validation makes (TestPartsRequest)."""
        request = self._applied_request(self._verified_case(route="dealer"))
        self._approve_request(request)
        picking = request.picking_id.with_user(self.warehouse_user)
        picking.action_assign()
        done, own = self._own_moves(picking)
        self._assert_transfer_changes_refused(picking, done, own)
        self.assertEqual(request.state, "approved")
        # stock's split of the delivery moves the rest to its backorder
        picking.move_ids.quantity = 1
        picking.action_split_transfer()
        backorder = picking.search([("backorder_id", "=", picking.id)])
        self.assertEqual(
            (backorder.forklift_parts_request_id, backorder.move_ids.product_uom_qty),
            (request, 1),
        )
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual((picking.state, request.state), ("done", "shipped"))
        for delivery in (picking, backorder):
            self._assert_transfer_changes_refused(delivery, done, own)

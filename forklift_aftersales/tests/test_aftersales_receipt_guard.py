"""The moves of the after-sales transfers follow the documents' own steps:
the after-sales warehouse (a stock user, calling the ORM as JSON-RPC would,
``with_user``) neither writes the state of a move of a warranty parts
request's delivery, which would ship parts with no validation, nor links a
move of his own as a return of the receipt of old parts or of a returned
forklift, which would show them gone back. A stock user or a stock manager
of no after-sales group neither receives nor reopens those receipts by
writing a state (on a move, a line or the receipt), marking lines picked or
validating one, nor picks a request's delivery; no stock manager deletes a
request's open delivery, nor any after-sales transfer once done or cancelled.
Each refusal leaves everything as it was."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

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
        # stock users of the company's warehouse, of no after-sales group
        cls.stock_user = cls._group_user("fa_rg_stock", "stock.group_stock_user")
        cls.stock_manager = cls._group_user(
            "fa_rg_stock_manager", "stock.group_stock_manager"
        )
        # a stock manager who is the after-sales warehouse too
        cls.warehouse_manager = cls._group_user(
            "fa_rg_wh_manager", "group_forklift_warehouse,stock.group_stock_manager"
        )

    def _on_hand(self):
        return self.part.with_context(location=self.spare_parts.id).qty_available

    def _assert_calls_refused(self, calls, message, error=AccessError):
        """Each ``(records, method, values)`` of ``calls`` (records the
        warehouse reads; ``values`` None for a method called without any, as
        ``unlink``) is refused with an ``error`` (by default an access error)
        saying ``message``."""
        for index, (records, method, values) in enumerate(calls):
            with (
                self.subTest(model=records._name, method=method, call=index),
                self.assertRaisesRegex(error, message),
                self.cr.savepoint(),
            ):
                getattr(records, method)(*(() if values is None else (values,)))

    def _approved_dealer_request(self):
        """A dealer's warranty parts request, approved: its delivery waits
        for the warehouse."""
        request = self._applied_request(self._verified_case(route="dealer"))
        self._approve_request(request)
        return request

    @staticmethod
    def _unreserved_then_reserved(picking):
        """``picking`` unreserved, then reserved (yields whether it is): a
        delivery waiting, then ready."""
        for reserve in (False, True):
            if reserve:
                picking.action_assign()
            else:
                picking.do_unreserve()
            yield reserve

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
        request = self._approved_dealer_request()
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
        handed_in = self._handed_in_receipt()
        handed_in.with_user(self.warehouse_user).button_validate()
        receipts = note.picking_id | vehicle_return.picking_id | handed_in
        self.assertEqual(receipts.mapped("state"), ["done"] * 3)
        return receipts

    def _handed_in_receipt(self, quantity=1):
        """The open receipt of ``quantity`` non-warranty old seal kits a
        technician handed in after a repair outside the warranty (R-233)."""
        order = self._done_paid_order(
            self._verified_case(responsibility="misuse"), quantity
        )
        order.with_user(self.technician).action_hand_in_old_parts()
        receipt = order.oldpart_picking_id
        self.assertEqual(receipt.state, "assigned")
        return receipt

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
        request = self._approved_dealer_request()
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

    def _snapshot(self, pickings):
        """What ``pickings`` hold and move: their states, their moves' and
        lines' states, quantities, picked flags and destinations."""
        moves = pickings.move_ids
        lines = moves.move_line_ids
        return (
            pickings.mapped("state"),
            [(m.id, m.state, m.quantity, m.picked) for m in moves],
            [(ml.id, ml.quantity, ml.picked, ml.location_dest_id.id) for ml in lines],
        )

    def _stock_users_calls(self, pickings, states):
        """Each of ``states`` written, by a stock user and a stock manager of
        no after-sales group, on the moves of ``pickings`` (directly, through
        their transfer, or through their lines' state, which is their
        move's), and on the transfers themselves."""
        calls = []
        for user in (self.stock_user, self.stock_manager):
            for picking in pickings.with_user(user):
                moves = picking.move_ids
                for state in sorted(set(states) - {picking.state}):
                    updates = [Command.update(m.id, {"state": state}) for m in moves]
                    calls += [
                        (moves, "write", {"state": state}),
                        (picking, "write", {"move_ids": updates}),
                        (picking, "write", {"state": state}),
                    ]
                    # a line's state, its move's, is not written either
                    calls.append((moves.move_line_ids, "write", {"state": state}))
        return calls

    def test_stock_user_does_not_receive_an_open_handin_receipt(self):
        """R-233, R-053 (000 §4.3.2.7): the receipt of the non-warranty old
        parts a technician handed in waits for the after-sales warehouse,
        which receives them into the service center's keeping. A stock user
        or a stock manager of no after-sales group marking it received
        without the warehouse's validation — writing ``done`` (or another
        state) on its moves, their lines or the receipt, marking its lines
        or moves picked (the validation then moves only what is picked), or
        validating it himself — is refused, everything as it was; the
        warehouse then receives the parts where they are kept."""
        location = self.env.ref(
            "forklift_aftersales.stock_location_nonwarranty_old_parts"
        )
        receipt = self._handed_in_receipt(quantity=2)
        move = receipt.move_ids
        before = self._snapshot(receipt)
        # its moves cancelled: TestNonwarrantyOldparts
        calls = self._stock_users_calls(receipt, ("done",) + MOVE_STATES)
        self._assert_calls_refused(calls, "never by writing their state")
        picked = []
        for user in (self.stock_user, self.stock_manager):
            for records in (move.move_line_ids, move):
                for value in (True, False):
                    picked.append((records.with_user(user), "write", {"picked": value}))
        self._assert_calls_refused(picked, "only the after-sales warehouse changes")
        for user in (self.stock_user, self.stock_manager):
            with self.subTest(user=user.login), self.cr.savepoint():
                with self.assertRaisesRegex(
                    AccessError, "only the after-sales warehouse validates it"
                ):
                    receipt.with_user(user).button_validate()
        self.assertEqual(self._snapshot(receipt), before)
        self.assertFalse(self.part.with_context(location=location.id).qty_available)
        receipt.with_user(self.warehouse_user).button_validate()
        self.assertEqual((receipt.state, move.state), ("done", "done"))
        self.assertEqual(self.part.with_context(location=location.id).qty_available, 2)

    def test_stock_user_does_not_reopen_a_done_aftersales_receipt(self):
        """R-230, R-233, R-238 (000 §4.3.2.5–7, §4.4.1): the receipts of
        accepted old parts, of a returned forklift and of the non-warranty
        old parts handed in, once received, stay received. A stock user or a
        stock manager of no after-sales group writing ``draft``,
        ``assigned``, ``cancel`` (or another state) on their moves, their
        lines or the receipts, which would reopen what was received or take
        it back with the stock still there, is refused, everything as it
        was."""
        receipts = self._receipts()
        quarantine = self.env.ref("forklift_aftersales.stock_location_quarantine")
        Quant = self.env["stock.quant"]
        held = Quant.search([("location_id", "child_of", quarantine.id)])
        stock = sorted((q.id, q.quantity) for q in held)
        before = self._snapshot(receipts)
        calls = self._stock_users_calls(receipts, ("cancel",) + MOVE_STATES)
        self._assert_calls_refused(calls, "never by writing their state")
        self.assertEqual(self._snapshot(receipts), before)
        held = Quant.search([("location_id", "child_of", quarantine.id)])
        self.assertEqual(sorted((q.id, q.quantity) for q in held), stock)

    def test_stock_user_does_not_pick_a_request_delivery(self):
        """R-005, R-010 (000 §4.3.1.2): the delivery of an approved request
        ships what the after-sales warehouse validates. A stock user or a
        stock manager of no after-sales group marking its lines or move
        picked, or unpicked (the validation moves only what is picked, the
        rest going to a backorder or cancelled), or writing a state on its
        move through a line, is refused, everything as it was; the
        warehouse still ships it."""
        request = self._approved_dealer_request()
        picking = request.picking_id
        picking.action_assign()
        move = picking.move_ids
        self.assertEqual(move.state, "assigned")
        before = self._snapshot(picking)
        picked, states = [], []
        for user in (self.stock_user, self.stock_manager):
            for records in (move.move_line_ids, move):
                for value in (True, False):
                    picked.append((records.with_user(user), "write", {"picked": value}))
            for state in ("draft", "confirmed", "partially_available", "done"):
                states.append(
                    (move.move_line_ids.with_user(user), "write", {"state": state})
                )
        self._assert_calls_refused(picked, "only the after-sales warehouse changes")
        self._assert_calls_refused(states, "never by writing their state")
        self.assertEqual(self._snapshot(picking), before)
        move.with_user(self.warehouse_user).picked = True
        picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual((move.state, request.state), ("done", "shipped"))

    def test_stock_manager_does_not_delete_a_request_delivery(self):
        """R-010, R-162 (000 §4.2.2.3): the open delivery of an approved
        request is cancelled only by after-sales staff cancelling the
        request. A stock manager (of no after-sales group, or the after-sales
        warehouse's) deleting it, waiting or ready, is refused before stock
        cancels and deletes its moves: nothing changed, even for a caller
        going on past the refusal."""
        request = self._approved_dealer_request()
        picking = request.picking_id
        move = picking.move_ids
        for _reserved in self._unreserved_then_reserved(picking):
            for user in (self.stock_manager, self.warehouse_manager):
                with self.subTest(state=picking.state, user=user.login):
                    before = (picking.state, move.state, move.quantity)
                    self.assertIn(before[0], ("confirmed", "waiting", "assigned"))
                    # no savepoint: what ran before the refusal stays
                    with self.assertRaisesRegex(AccessError, "delivery of"):
                        picking.with_user(user).unlink()
                    self.assertTrue(move.exists())
                    self.assertEqual((picking.state, move.state, move.quantity), before)
                    self.assertEqual(picking.move_ids, move)
        self.assertEqual(request.state, "approved")

    def test_no_move_deleted_from_a_request_delivery(self):
        """R-005, R-010, R-162 (000 §4.2.2.3, §4.3.1.2): the delivery of an
        approved request ships what the request approved, and only after-sales
        staff cancelling the request cancel it. A stock manager (of no
        after-sales group, or the after-sales warehouse's) deleting one of
        its moves, waiting or reserved, by the move or the delivery's list of
        moves, as stock lets a move linked to no other operation be deleted,
        would have it ship less than approved with the request marked
        shipped: refused, nothing changed; the warehouse then ships all."""
        request = self._approved_dealer_request()
        picking = request.picking_id
        move = picking.move_ids
        for _reserved in self._unreserved_then_reserved(picking):
            before = self._snapshot(picking)
            calls = []
            for user in (self.stock_manager, self.warehouse_manager):
                calls += [
                    (move.with_user(user), "unlink", None),
                    (
                        picking.with_user(user),
                        "write",
                        {"move_ids": [Command.delete(move.id)]},
                    ),
                ]
            self._assert_calls_refused(calls, "its moves are deleted by no one")
            self.assertEqual(picking.move_ids, move)
            self.assertEqual(self._snapshot(picking), before)
        move.with_user(self.warehouse_user).picked = True
        picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(
            (move.state, move.quantity, request.state), ("done", 2, "shipped")
        )

    def test_no_move_deleted_from_an_oldpart_receipt(self):
        """R-233, R-053 (000 §4.3.2.7): the receipt of the non-warranty old
        parts handed in waits for the after-sales warehouse. A stock manager
        of no after-sales group deleting its move (once stock's unreserve has
        taken its line off), by the move or the receipt's list of moves,
        would leave the parts received nowhere: refused, nothing changed; a
        stock user unreserving it (``do_unreserve``) is refused as well.
        The warehouse deletes a move of the open receipt, or the receipt, as
        it cancels one; a move of the cancelled receipt nobody deletes."""
        location = self.env.ref(
            "forklift_aftersales.stock_location_nonwarranty_old_parts"
        )
        receipt = self._handed_in_receipt(quantity=2)
        move = receipt.move_ids
        # nor does a stock user of no after-sales group unreserve it
        lines = move.move_line_ids
        self.assertTrue(lines)
        with self.assertRaisesRegex(AccessError, "only the after-sales warehouse"):
            receipt.with_user(self.stock_user).do_unreserve()
        self.assertEqual(move.move_line_ids, lines)
        receipt.with_user(self.warehouse_user).do_unreserve()
        self.assertFalse(move.move_line_ids)
        before = self._snapshot(receipt)
        message = "only the after-sales warehouse deletes a move"
        self._assert_calls_refused(
            (
                (
                    receipt.with_user(self.stock_manager),
                    "write",
                    {"move_ids": [Command.delete(move.id)]},
                ),
                (move.with_user(self.stock_manager), "unlink", None),
            ),
            message,
        )
        self.assertEqual(self._snapshot(receipt), before)
        for records in (move, receipt):
            with self.subTest(deleted=records._name), self.cr.savepoint() as sp:
                records.with_user(self.warehouse_manager).unlink()
                self.assertFalse(move.exists())
                sp.rollback()
        with self.cr.savepoint() as sp:
            receipt.with_user(self.warehouse_user).action_cancel()
            self.assertEqual(move.state, "cancel")
            for user in (self.stock_manager, self.warehouse_manager):
                with (
                    self.subTest(user=user.login, state="cancel"),
                    self.assertRaisesRegex(AccessError, message),
                    self.cr.savepoint(),
                ):
                    move.with_user(user).unlink()
            sp.rollback()
        self.assertEqual(self._snapshot(receipt), before)
        receipt.with_user(self.warehouse_user).action_assign()
        receipt.with_user(self.warehouse_user).button_validate()
        self.assertEqual((receipt.state, move.state), ("done", "done"))
        self.assertEqual(self.part.with_context(location=location.id).qty_available, 2)

    def test_no_one_deletes_a_closed_aftersales_transfer(self):
        """R-010, R-162, R-230, R-233, R-238 (000 §4.2.2.3, §4.3.2.5–7,
        §4.4.1): an after-sales document keeps its own transfers as the
        record of what was shipped, received or cancelled: a cancelled
        request names the delivery it approved and cancelled, a service order
        the receipt of the old parts handed in (cancelled by the warehouse),
        an accepted old-part return and a returned forklift the receipts that
        took them in. A stock manager (of no after-sales group, or the
        after-sales warehouse's) deleting one of them, cancelled or done, as
        Odoo lets a cancelled transfer be deleted, would empty the document's
        link and lose that record: refused, nothing changed. The document's
        own code (sudo) still deletes one."""
        request = self._approved_dealer_request()
        request.with_user(self.staff).action_cancel()
        handed_in = self._handed_in_receipt()
        order = self.env["forklift.service.order"].search(
            [("oldpart_picking_id", "=", handed_in.id)]
        )
        handed_in.with_user(self.warehouse_user).action_cancel()
        cancelled = request.picking_id | handed_in
        self.assertEqual(cancelled.mapped("state"), ["cancel"] * 2)
        transfers = cancelled | self._receipts()
        before = self._snapshot(transfers)
        for user in (self.stock_manager, self.warehouse_manager):
            for picking in transfers:
                with (
                    self.subTest(user=user.login, picking=picking.name),
                    self.assertRaisesRegex(AccessError, "it is not deleted"),
                    self.cr.savepoint(),
                ):
                    picking.with_user(user).unlink()
        self.assertEqual(self._snapshot(transfers), before)
        self.assertEqual(request.picking_id, cancelled[0])
        self.assertEqual(order.oldpart_picking_id, handed_in)
        with self.cr.savepoint() as sp:
            cancelled.sudo().unlink()
            self.assertFalse(cancelled.exists())
            sp.rollback()

    def test_the_backorder_of_a_handed_in_receipt_is_kept(self):
        """R-233, R-053 (000 §4.3.2.7): the after-sales warehouse receives
        one of the two non-warranty old parts handed in and keeps the other
        on a backorder (stock's backorder wizard), then cancels it. The
        backorder is the receipt's rest, made by the service order as the
        receipt was: a stock manager (of no after-sales group, or the
        after-sales warehouse's) deleting it, as Odoo lets a cancelled
        transfer be deleted, is refused, nothing changed."""
        receipt = self._handed_in_receipt(quantity=2).with_user(self.warehouse_user)
        receipt.move_ids.quantity = 1
        receipt.move_ids.picked = True
        action = receipt.button_validate()
        Form(
            self.env[action["res_model"]]
            .with_user(self.warehouse_user)
            .with_context(**action["context"])
        ).save().process()
        backorder = receipt.search([("backorder_id", "=", receipt.id)])
        self.assertEqual(
            (receipt.state, backorder.move_ids.product_uom_qty), ("done", 1)
        )
        self.assertTrue(backorder.forklift_document_made)
        backorder.action_cancel()
        self.assertEqual(backorder.state, "cancel")
        before = self._snapshot(backorder)
        for user in (self.stock_manager, self.warehouse_manager):
            self._assert_attacks_refused(
                {"backorder": backorder.with_user(user).unlink},
                message="it is not deleted",
                user=user.login,
            )
        self.assertEqual(self._snapshot(backorder), before)

    def test_a_receipt_handed_in_again_keeps_the_cancelled_one(self):
        """R-233, R-053 (000 §4.3.2.7): the after-sales warehouse cancels the
        receipt of non-warranty old parts handed in wrongly, and the
        technician hands them in again on a new receipt, which the service
        order now names. The cancelled receipt is still the order's record of
        what was handed in and cancelled: a stock manager (of no after-sales
        group, or the after-sales warehouse's) deleting it or its moves, as
        Odoo lets a cancelled transfer be deleted, or adding a move to it, is
        refused, nothing changed. The document's own code (sudo) still
        deletes it."""
        first = self._handed_in_receipt()
        order = self.env["forklift.service.order"].search(
            [("oldpart_picking_id", "=", first.id)]
        )
        first.with_user(self.warehouse_user).action_cancel()
        order.with_user(self.technician).action_hand_in_old_parts()
        self.assertNotEqual(order.oldpart_picking_id, first)
        self.assertEqual(first.state, "cancel")
        before = self._snapshot(first)
        move_vals = {
            "product_id": self.part.id,
            "product_uom_qty": 1,
            "picking_id": first.id,
            "location_id": self.customers.id,
            "location_dest_id": self.stock.id,
        }
        for user in (self.stock_manager, self.warehouse_manager):
            mine = first.with_user(user)
            self._assert_attacks_refused(
                {
                    "transfer": mine.unlink,
                    "moves": mine.move_ids.unlink,
                    "added move": lambda u=user: (
                        self.env["stock.move"].with_user(u).create(move_vals)
                    ),
                },
                message="after-sales document",
                user=user.login,
            )
        self.assertEqual(self._snapshot(first), before)
        with self.cr.savepoint() as sp:
            first.sudo().unlink()
            self.assertFalse(first.exists())
            sp.rollback()

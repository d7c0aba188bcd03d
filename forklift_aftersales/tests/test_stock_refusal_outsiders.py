"""A refusal tells an outsider nothing of a record he may not read: the
stock records of a warranty parts request's delivery are guarded whoever
calls (000 §4.3.1.2, §4.2.2.3; R-005, R-010, R-162), and Odoo lets a stock
user (or any employee, for the move lines) write them, while only the
after-sales staff read the request itself. Each test is the attack of such an
outsider calling the ORM as JSON-RPC would (``with_user``): a stock user or
stock manager of no after-sales group, an employee outside after-sales, a
stock user of another company. Each is still refused with nothing changed,
and the refusal names neither the request (nor, to a caller who may not
read it, the delivery); the after-sales warehouse, who reads the request,
is still told its number."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.forklift_flow_mixin import FLOW_MARK
from ..models.stock_picking import MOVE_STATE_MARK
from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestStockRefusalOutsiders(ShippedPartsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # of the company's warehouse, of no after-sales group
        cls.stock_user = cls._group_user("fa_sro_stock", "stock.group_stock_user")
        cls.stock_manager = cls._group_user(
            "fa_sro_stock_manager", "stock.group_stock_manager"
        )
        # an employee outside after-sales and stock
        cls.employee = cls._group_user("fa_sro_employee", "base.group_user")
        # a stock user of another company
        cls.branch, cls.branch_stock_user = cls._new_company_user(
            "Forklift Branch B", "fa_sro_branch", "stock.group_stock_user"
        )
        # seal kits of the ordinary stock, for the outsider's own transfer
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.stock, 5)

    def _approved_delivery(self):
        """Dealer A's approved request of two seal kits: its delivery,
        reserved."""
        request = self._applied_request(self._verified_case(route="dealer"))
        self._approve_request(request)
        picking = request.picking_id
        picking.action_assign()
        self.assertEqual((request.state, picking.state), ("approved", "assigned"))
        return picking

    @staticmethod
    def _snapshot(picking):
        """What the delivery holds and where it goes: its state and
        recipient, its moves' and lines' states, quantities, transfers and
        destinations."""
        picking.invalidate_recordset()
        picking = picking.sudo()
        moves = picking.move_ids
        lines = moves.move_line_ids | picking.move_line_ids
        return (
            picking.state,
            picking.partner_id.id,
            picking.location_dest_id.id,
            sorted(
                (
                    m.id,
                    m.state,
                    m.quantity,
                    m.partner_id.id,
                    m.picking_id.id,
                    m.location_dest_id.id,
                )
                for m in moves
            ),
            sorted(
                (
                    ml.id,
                    ml.move_id.id,
                    ml.picking_id.id,
                    ml.quantity,
                    ml.location_dest_id.id,
                )
                for ml in lines
            ),
        )

    def _assert_refused_unnamed(
        self, picking, attacks, hidden, error=AccessError, message=None
    ):
        """Each of ``attacks`` ({name: callable}) is refused with ``error``
        (an access error unless told), saying ``message`` (a regular
        expression) when given, in a message that contains none of
        ``hidden`` (the request's number, the delivery's); the delivery is
        left as it was."""
        before = self._snapshot(picking)
        for name, attack in attacks.items():
            with self.subTest(attack=name):
                with self.assertRaises(error) as refused, self.cr.savepoint():
                    attack()
                    # the checks of the done moves run as they are saved
                    self.env.flush_all()
                said = str(refused.exception)
                if message:
                    self.assertRegex(said, message)
                for secret in hidden:
                    self.assertNotIn(secret, said)
        self.assertEqual(self._snapshot(picking), before)

    def _move_vals(self, picking, **vals):
        return {
            "product_id": self.part.id,
            "product_uom_qty": 1,
            "product_uom": self.part.uom_id.id,
            "location_id": self.spare_parts.id,
            "location_dest_id": picking.location_dest_id.id,
            "picking_id": picking.id,
            **vals,
        }

    def _delivery_attacks(self, picking, user, own=None):
        """The writes ``user`` attacks the delivery's moves and the delivery
        itself with: a move created done on it, a state or recipient written
        on its move or on it, its cancellation, its move re-pointed to
        ``own`` (his own transfer)."""
        delivery = picking.with_user(user)
        move = delivery.move_ids
        Move = self.env["stock.move"].with_user(user)
        attacks = {
            "move created done": lambda: Move.create(
                self._move_vals(picking, state="done", quantity=1)
            ),
            "move state done": lambda: move.write({"state": "done"}),
            "move state draft": lambda: move.write({"state": "draft"}),
            "move state cancel": lambda: move.write({"state": "cancel"}),
            "move recipient": lambda: move.write({"partner_id": self.dealer_b.id}),
            "delivery state done": lambda: delivery.write({"state": "done"}),
            "delivery state cancel": lambda: delivery.write({"state": "cancel"}),
            "delivery cancelled": delivery.action_cancel,
            "delivery recipient": lambda: delivery.write(
                {"partner_id": self.dealer_b.id}
            ),
            "move state through the delivery": lambda: delivery.write(
                {"move_ids": [Command.update(move.id, {"state": "done"})]}
            ),
        }
        if own:
            attacks["move to his transfer"] = lambda: move.write({"picking_id": own.id})
        return attacks

    def _warehouse_step_attacks(self, picking, user):
        """The after-sales warehouse's steps ``user`` takes on the delivery:
        unreserving it, splitting it, validating it."""
        delivery = picking.with_user(user)
        return {
            "delivery unreserved": delivery.do_unreserve,
            "delivery split": delivery.action_split_transfer,
            "delivery validated": delivery.button_validate,
        }

    def _line_attacks(self, picking, user, own_move=None):
        """The writes ``user`` attacks the delivery's reserved line with: its
        destination, and its move (``own_move``, his own) re-pointed."""
        line = picking.move_ids.move_line_ids.with_user(user)
        self.assertEqual(len(line), 1)
        attacks = {
            "line destination": lambda: line.write({"location_dest_id": self.stock.id}),
        }
        if own_move:
            attacks["line to his move"] = lambda: line.write(
                {"move_id": own_move.id, "picking_id": own_move.picking_id.id}
            )
        return attacks

    def test_stock_user_not_told_the_request(self):
        """R-005, R-010, R-162 (000 §4.2.2.3, §4.3.1.2): a stock user of no
        after-sales group, who reads and writes the delivery but may not read
        the request, creating a move done on the delivery, writing a state or
        a recipient on its move or on it, cancelling it, re-pointing its move
        or its line to his own transfer, or changing its line's destination;
        and a stock manager of no after-sales group deleting its move or the
        delivery: each refused, nothing changed, and no refusal names the
        request."""
        picking = self._approved_delivery()
        request = picking.forklift_parts_request_id
        self.assertFalse(request.with_user(self.stock_user).has_access("read"))
        self.assertFalse(request.with_user(self.stock_manager).has_access("read"))
        own = self._own_transfer(self.stock, self.customers, self.part, 2, "out")
        own.invalidate_recordset()
        attacks = {
            **self._delivery_attacks(picking, self.stock_user, own),
            **self._line_attacks(picking, self.stock_user, own.move_ids),
            "move deleted": picking.move_ids.with_user(self.stock_user).unlink,
            "move deleted by a stock manager": (
                picking.move_ids.with_user(self.stock_manager).unlink
            ),
            "delivery deleted by a stock manager": (
                picking.with_user(self.stock_manager).unlink
            ),
        }
        self._assert_refused_unnamed(picking, attacks, [request.name])

    def test_employee_not_told_the_delivery_or_request(self):
        """R-005, R-010 (000 §4.3.1.2): an employee outside after-sales and
        stock, whom Odoo lets write any move line but who reads neither the
        delivery nor its request, changing the destination of the delivery's
        reserved line or re-pointing it to another move, unreserving,
        splitting or validating the delivery: refused, nothing changed, and
        the refusal names neither the request nor the delivery."""
        picking = self._approved_delivery()
        request = picking.forklift_parts_request_id
        self.assertFalse(request.with_user(self.employee).has_access("read"))
        self.assertFalse(picking.with_user(self.employee).has_access("read"))
        own = self._own_transfer(self.stock, self.customers, self.part, 2, "out")
        attacks = {
            **self._line_attacks(picking, self.employee, own.move_ids),
            **self._warehouse_step_attacks(picking, self.employee),
        }
        self._assert_refused_unnamed(picking, attacks, [request.name, picking.name])

    def test_other_company_user_not_told_the_delivery_or_request(self):
        """R-005, R-010, R-162 (000 §4.2.2.3, §4.3.1.2): a stock user of
        another company, who reads neither the delivery nor its request,
        creating a move done on the delivery, writing a state or a recipient
        on its move or on it, cancelling, unreserving, splitting or
        validating it, or changing its line's destination: each refused,
        nothing changed, and no refusal names the request or the
        delivery."""
        picking = self._approved_delivery()
        request = picking.forklift_parts_request_id
        user = self.branch_stock_user
        self.assertFalse(request.with_user(user).has_access("read"))
        self.assertFalse(picking.with_user(user).has_access("read"))
        attacks = {
            **self._delivery_attacks(picking, user),
            **self._line_attacks(picking, user),
            **self._warehouse_step_attacks(picking, user),
        }
        self._assert_refused_unnamed(picking, attacks, [request.name, picking.name])

    def test_done_delivery_raised_without_the_request(self):
        """R-005 (000 §4.3.1.2): a request's delivery the warehouse shipped
        from the ordinary stock (WH/Stock, which no held-stock check keeps),
        two seal kits as approved. A stock user or stock manager of no
        after-sales group raising what its done move moved to three, by the
        move or its line, is refused, as warranty parts leave only as
        approved: nothing changed, and the refusal does not name the
        request."""
        picking = self._approved_delivery()
        request = picking.forklift_parts_request_id
        move = picking.move_ids
        delivery = picking.with_user(self.warehouse_user)
        delivery.do_unreserve()
        move.with_user(self.warehouse_user).location_id = self.stock
        delivery.action_assign()
        self.assertEqual(move.move_line_ids.location_id, self.stock)
        move.with_user(self.warehouse_user).picked = True
        delivery.button_validate()
        self.assertEqual((picking.state, request.state), ("done", "shipped"))
        for user in (self.stock_user, self.stock_manager):
            done_move = move.with_user(user)
            done_line = move.move_line_ids.with_user(user)
            with self.subTest(user=user.login):
                self._assert_refused_unnamed(
                    picking,
                    {
                        "done move raised": lambda m=done_move: m.write(
                            {"quantity": 3}
                        ),
                        "done line raised": lambda ml=done_line: ml.write(
                            {"quantity": 3}
                        ),
                    },
                    [request.name],
                    error=UserError,
                    message="leave only as approved",
                )

    def test_warehouse_still_told_the_request(self):
        """R-005, R-010, R-162: the after-sales warehouse, who reads the
        request, writing a state or a recipient on the delivery's move, or
        on the delivery, is still refused with the delivery's and the
        request's numbers."""
        picking = self._approved_delivery()
        request = picking.forklift_parts_request_id
        user = self.warehouse_user
        self.assertTrue(request.with_user(user).has_access("read"))
        attacks = self._delivery_attacks(picking, user)
        before = self._snapshot(picking)
        for name in ("move state done", "move recipient", "delivery state cancel"):
            with self.subTest(attack=name):
                with self.assertRaises(AccessError) as refused, self.cr.savepoint():
                    attacks[name]()
                message = str(refused.exception)
                self.assertIn(
                    f"{picking.name} is the delivery of {request.name}", message
                )
        self.assertEqual(self._snapshot(picking), before)

    def test_step_mark_ends_with_its_step(self):
        """R-005, R-010 (000 §4.3.1.2): stock's own steps lift the guard on
        a delivery's move states only while their code runs, in the thread
        that runs them. A step that raised midway leaves the mark off: the
        stock user's write of a state on the delivery's move is refused
        after it as before it, and the flow's mark on a document is off
        too."""
        picking = self._approved_delivery()
        attacks = self._delivery_attacks(picking, self.stock_user)
        for mark in (MOVE_STATE_MARK, FLOW_MARK):
            with self.subTest(mark=mark.key):
                with self.assertRaises(UserError), self.cr.savepoint():
                    with mark.running():
                        self.assertTrue(mark.is_on(self.env(su=True)))
                        raise UserError(self.env._("The step failed midway."))
                self.assertFalse(mark.is_on(self.env(su=True)))
                self._assert_refused_unnamed(
                    picking,
                    {"move state done": attacks["move state done"]},
                    [picking.forklift_parts_request_id.name],
                )

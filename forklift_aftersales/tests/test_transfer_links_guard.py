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

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestTransferLinksGuard(ShippedPartsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.old_parts = cls.env.ref("forklift_aftersales.stock_location_old_parts")
        cls.returned = cls.env.ref(
            "forklift_aftersales.stock_location_returned_vehicles"
        )
        # a stock user of the company's warehouse, of no after-sales group
        cls.stock_user = cls._group_user("fa_tl_stock", "stock.group_stock_user")
        cls.maker = cls._group_user("fa_tl_maker", "group_forklift_manufacturing")
        cls.sales_vp = cls._group_user(
            "fa_tl_sales_vp", "group_forklift_sales_vp_domestic"
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
        who take them: the stock user unreserves and reserves it again, the
        after-sales warehouse sets the quantity and validates part of it,
        the rest going with its reserved line to the backorder, which is
        then shipped."""
        gasket = self.env["product.product"].create(
            {"name": "Cover gasket", "is_storable": True, "standard_price": 10}
        )
        self.env["stock.quant"]._update_available_quantity(gasket, self.spare_parts, 5)
        delivery = self._approved_delivery(quantity=1, products=self.part | gasket)
        delivery.with_user(self.stock_user).do_unreserve()
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

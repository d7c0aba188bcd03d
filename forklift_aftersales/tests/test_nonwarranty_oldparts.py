from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestNonWarrantyOldParts(ForkliftCommon):
    """R-233 (000 §4.3.2.7; 000 第一篇 L95): old parts a technician takes back
    outside the warranty are handed to the service center, received into
    their own location, and never disposed of privately: they leave it only
    by the service-center director's decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_user = cls._group_user("fa_nw_wh", "group_forklift_warehouse")
        cls.viewer = cls._group_user("fa_nw_viewer", "group_forklift_viewer")
        cls.location = cls.env.ref(
            "forklift_aftersales.stock_location_nonwarranty_old_parts"
        )
        case = cls._verified_case(responsibility="misuse")
        cls.order = cls._done_paid_order(case, quantity=2)

    def _held(self):
        return self.part.with_context(location=self.location.id).qty_available

    def _hand_in(self):
        self.order.with_user(self.technician).action_hand_in_old_parts()
        picking = self.order.oldpart_picking_id
        picking.with_user(self.warehouse_user).button_validate()
        return picking

    def test_handed_in_and_received_in_their_own_location(self):
        """The technician hands the replaced parts in: a receipt into the
        non-warranty old parts, validated by the warehouse; once only."""
        self.assertEqual(
            self.location.location_id,
            self.env.ref("forklift_aftersales.stock_location_quarantine"),
            "kept out of the stock that sales draw from",
        )
        picking = self._hand_in()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.location_dest_id, self.location)
        self.assertEqual(picking.origin, self.order.name)
        self.assertEqual(self._held(), 2)
        with self.assertRaisesRegex(UserError, "already on"):
            self.order.with_user(self.technician).action_hand_in_old_parts()
        with self.assertRaises(AccessError):
            self.order.with_user(self.viewer).action_hand_in_old_parts()

    def test_stock_user_does_not_cancel_the_receipt_handed_in(self):
        """R-233, R-053 (000 §4.3.2.7): the parts handed in wait on their
        receipt for the after-sales warehouse. A stock user of no after-sales
        group cancelling or deleting that receipt, or cancelling its moves, as
        RPC would, would leave the parts received nowhere, free to be disposed
        of privately: each refused, the receipt open. The after-sales
        warehouse cancels one handed in wrongly, and the parts are handed in
        again."""
        stock_user = self._group_user("fa_nw_stock", "stock.group_stock_user")
        # the stock manager deletes moves, which a stock user does not
        manager = self._group_user("fa_nw_stock_mgr", "stock.group_stock_manager")
        self.order.with_user(self.technician).action_hand_in_old_parts()
        picking = self.order.oldpart_picking_id
        state = picking.state
        self.assertNotIn(state, ("done", "cancel"))
        mine = picking.with_user(stock_user)
        for call in (
            mine.action_cancel,
            picking.with_user(manager).unlink,
            lambda: mine.move_ids.write({"state": "cancel"}),
        ):
            with (
                self.subTest(call=call),
                self.assertRaisesRegex(AccessError, "service center's keeping"),
                self.cr.savepoint(),
            ):
                call()
        self.assertEqual(picking.state, state)
        self.assertEqual(picking.move_ids.mapped("state"), [state])
        picking.with_user(self.warehouse_user).action_cancel()
        self.assertEqual(picking.state, "cancel")
        self.order.with_user(self.technician).action_hand_in_old_parts()
        self.assertNotEqual(self.order.oldpart_picking_id, picking)
        self.assertEqual(self.order.oldpart_picking_id.state, state)

    def test_stock_user_cannot_dispose_of_them(self):
        """A stock user scraps the parts, moves them out, or counts them
        away, as RPC would: each refused, the parts stay."""
        self._hand_in()
        scrap = (
            self.env["stock.scrap"]
            .with_user(self.warehouse_user)
            .create(
                {
                    "product_id": self.part.id,
                    "scrap_qty": 1,
                    "location_id": self.location.id,
                }
            )
        )
        with self.assertRaisesRegex(UserError, "only by a disposal the service-center"):
            scrap.with_user(self.warehouse_user).action_validate()
        self.assertEqual(self._held(), 2)
        stock = self.env.ref("stock.stock_location_stock")
        transfer = self._draft_transfer(
            self.warehouse_user, self.location, stock, self.part, 2
        )
        transfer.action_confirm()
        transfer.action_assign()
        transfer.move_ids.quantity = 2
        transfer.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "non-warranty old part"):
            transfer.with_user(self.warehouse_user).button_validate()
        self.assertNotEqual(transfer.state, "done")
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.part.id), ("location_id", "=", self.location.id)]
        )
        counted = quant.with_user(self.warehouse_user).with_context(inventory_mode=True)
        counted.inventory_quantity = 0
        with self.assertRaisesRegex(UserError, "non-warranty old part"):
            counted.action_apply_inventory()
        self.assertEqual(self._held(), 2)

    def test_the_director_decides_the_disposal(self):
        """The service center proposes a disposal with its reason; the
        staff, the warehouse and a forged decision cannot carry it out; the
        director decides and the parts are scrapped under the decision."""
        self._hand_in()
        disposal = (
            self.env["forklift.oldpart.disposal"]
            .with_user(self.staff)
            .create(
                {
                    "product_id": self.part.id,
                    "quantity": 1,
                    "reason": "Seal housing cracked, no value",
                }
            )
        )
        for user in (self.staff, self.warehouse_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                disposal.with_user(user).action_dispose()
        with self.assertRaises(AccessError):
            disposal.with_user(self.staff).write(
                {"decided_by_id": self.director.id, "state": "done"}
            )
        self.assertEqual(self._held(), 2)
        disposal.with_user(self.director).action_dispose()
        self.assertEqual(disposal.state, "done")
        self.assertEqual(disposal.decided_by_id, self.director)
        self.assertEqual(disposal.scrap_id.state, "done")
        self.assertEqual(disposal.scrap_id.location_id, self.location)
        self.assertEqual(self._held(), 1)
        with self.assertRaisesRegex(UserError, "decided"):
            disposal.with_user(self.staff).write({"quantity": 5})
        with self.assertRaisesRegex(UserError, "already decided"):
            disposal.with_user(self.director).action_dispose()

    def test_cannot_dispose_of_more_than_is_held(self):
        self._hand_in()
        disposal = self.env["forklift.oldpart.disposal"].create(
            {"product_id": self.part.id, "quantity": 5, "reason": "Scrap all"}
        )
        with self.assertRaisesRegex(UserError, "holds less than"):
            disposal.with_user(self.director).action_dispose()
        self.assertEqual(disposal.state, "draft")
        self.assertEqual(self._held(), 2)

    def test_an_order_without_non_warranty_parts_hands_in_nothing(self):
        order = self._done_order(
            self._verified_case(), part_ids=[self._part_line(self.part)]
        )
        with self.assertRaisesRegex(UserError, "replaced no part outside the warranty"):
            order.with_user(self.technician).action_hand_in_old_parts()

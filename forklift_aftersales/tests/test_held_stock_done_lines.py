"""Done stock of the after-sales locations is not edited afterwards: Odoo lets
a stock user write done move lines, and stock moves their quants at once,
outside the validation that checks the after-sales stock leaves only by its
documents (000 §4.3.1.2, §4.3.2.6–7, §4.4; R-005, R-230, R-233). Each test is
the attack of the after-sales warehouse calling the ORM as JSON-RPC would
(``with_user``), refused with the quants as they were."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestHeldStockDoneLines(ShippedPartsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.nonwarranty = cls.env.ref(
            "forklift_aftersales.stock_location_nonwarranty_old_parts"
        )
        # the warehouse's own stock count is a stock manager's
        cls.stock_manager = cls._group_user(
            "fa_hd_stock_manager", "group_forklift_warehouse,stock.group_stock_manager"
        )
        cls.sales_vp = cls._group_user(
            "fa_hd_sales_vp", "group_forklift_sales_vp_domestic"
        )
        cls.Line = cls.env["stock.move.line"]

    def _quants(self):
        """Every quant of the seal kit and of the forklift, where and how many."""
        quants = self.env["stock.quant"].search(
            [("product_id", "in", (self.part | self.forklift_product).ids)]
        )
        return sorted(
            (q.product_id.id, q.location_id.id, q.lot_id.id, q.quantity) for q in quants
        )

    def _on_hand(self, location):
        """Seal kits in ``location`` itself, not in the locations below it."""
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.part.id), ("location_id", "=", location.id)]
        )
        return sum(quants.mapped("quantity"))

    @staticmethod
    def _line_snapshot(line):
        return (
            line.move_id,
            line.location_id,
            line.location_dest_id,
            line.lot_id,
            line.product_id,
            line.quantity,
            line.state,
        )

    def _counted_spare_parts(self):
        """The stock count that puts 12 more seal kits into the spare parts for
        warranty (10 to 22): its done line."""
        quant = (
            self.env["stock.quant"]
            .with_user(self.stock_manager)
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.part.id,
                    "location_id": self.spare_parts.id,
                    "inventory_quantity": 22,
                }
            )
        )
        quant.action_apply_inventory()
        line = self.Line.search(
            [
                ("product_id", "=", self.part.id),
                ("location_dest_id", "=", self.spare_parts.id),
                ("move_id.is_inventory", "=", True),
                ("state", "=", "done"),
            ]
        )
        self.assertEqual(line.quantity, 12)
        self.assertEqual(
            self.part.with_context(location=self.spare_parts.id).qty_available, 22
        )
        return line

    def _received_forklift(self):
        """The returned forklift received into Quarantine/Returned Vehicles by
        its return's receipt: the receipt's done line."""
        vehicle_return = self.env["forklift.vehicle.return"].create(
            {
                "unit_id": self.unit.id,
                "returned_by": "Li Ming (Harbour Logistics)",
                "reason_type": "product",
                "description": "<p>Mast frame cracked at the weld.</p>",
            }
        )
        self._sign_vehicle_return(vehicle_return)
        vehicle_return.with_user(self.staff).action_receive()
        line = vehicle_return.picking_id.move_line_ids
        self.assertEqual(line.state, "done")
        self.assertEqual(line.location_dest_id, self.returned)
        self.assertEqual(line.lot_id, self.unit.lot_id)
        return line

    def _ordinary_receipt(self, quantity=3):
        """The warehouse receives seal kits from a vendor into WH/Stock: an
        ordinary done transfer."""
        picking = self._draft_transfer(
            self.warehouse_user, self.supplier, self.stock, self.part, quantity, "in"
        )
        picking.action_confirm()
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking.move_line_ids

    def _assert_refused(self, user, line, attacks):
        """Each of ``attacks`` (a name and a call on the line as ``user``) is
        refused; the line and every quant stay as they were."""
        quants, snapshot = self._quants(), self._line_snapshot(line)
        for name, attack in attacks:
            with self.subTest(attack=name):
                with self.assertRaisesRegex(UserError, "not edited afterwards"):
                    attack(line.with_user(user))
                self.assertEqual(self._line_snapshot(line), snapshot)
                self.assertEqual(self._quants(), quants)

    def _line_vals(self, line, **vals):
        return {
            "move_id": line.move_id.id,
            "picking_id": line.picking_id.id,
            "product_id": line.product_id.id,
            "product_uom_id": line.product_uom_id.id,
            "location_id": line.location_dest_id.id,
            "location_dest_id": self.stock.id,
            "lot_id": line.lot_id.id,
            "quantity": line.quantity,
            **vals,
        }

    def test_done_spare_parts_count_is_not_edited(self):
        """R-005, R-230, 000 §4.3.1.2: the 12 seal kits a stock count put into
        the spare parts for warranty leave only on the delivery of an
        approved request. The warehouse re-pointing the count's done line at
        WH/Stock, changing its quantity (by write, by the move, by import),
        or adding a done line to it: each refused, the kits stay."""
        line = self._counted_spare_parts()
        receipt_line = self._ordinary_receipt()
        self._assert_refused(
            self.warehouse_user,
            line,
            [
                (
                    "destination",
                    lambda ml: ml.write({"location_dest_id": self.stock.id}),
                ),
                ("source", lambda ml: ml.write({"location_id": self.stock.id})),
                ("quantity", lambda ml: ml.write({"quantity": 2})),
                ("move's quantity", lambda ml: ml.move_id.write({"quantity": 30})),
                (
                    "onto another done move",
                    lambda ml: ml.write({"move_id": receipt_line.move_id.id}),
                ),
                ("added line", lambda ml: ml.browse().create(self._line_vals(ml))),
            ],
        )
        # the stock manager neither
        self._assert_refused(
            self.stock_manager,
            line,
            [("destination", lambda ml: ml.write({"location_dest_id": self.stock.id}))],
        )
        # an import writes through the same path: the row is refused
        quants = self._quants()
        result = self.Line.with_user(self.warehouse_user).load(
            [".id", "quantity"], [[str(line.id), "2"]]
        )
        self.assertFalse(result["ids"])
        self.assertEqual(result["messages"][0]["type"], "error")
        self.assertIn("not edited afterwards", result["messages"][0]["message"])
        self.assertEqual(line.quantity, 12)
        self.assertEqual(self._quants(), quants)
        self.assertEqual(
            self.part.with_context(location=self.spare_parts.id).qty_available, 22
        )

    def test_done_receipt_of_a_returned_forklift_is_not_edited(self):
        """R-230, R-233, 000 §4.4: the returned forklift received into
        quarantine leaves it only by its return's own transfer. The warehouse
        re-pointing the receipt's done line at WH/Stock, changing its serial
        number or quantity, or adding a done line from the quarantine to the
        receipt: each refused, the forklift stays in quarantine."""
        line = self._received_forklift()
        self._assert_refused(
            self.warehouse_user,
            line,
            [
                (
                    "destination",
                    lambda ml: ml.write({"location_dest_id": self.stock.id}),
                ),
                (
                    "serial number",
                    lambda ml: ml.write({"lot_id": self.unit_b.lot_id.id}),
                ),
                ("quantity", lambda ml: ml.write({"quantity": 0})),
                ("added line", lambda ml: ml.browse().create(self._line_vals(ml))),
                (
                    "added to the transfer",
                    lambda ml: ml.picking_id.write(
                        {
                            "move_line_ids": [
                                Command.create(self._line_vals(ml, move_id=False))
                            ]
                        }
                    ),
                ),
            ],
        )
        self.assertEqual(
            self.forklift_product.with_context(
                location=self.returned.id, lot_id=self.unit.lot_id.id
            ).qty_available,
            1,
        )

    def test_done_stock_is_not_moved_into_the_held_locations(self):
        """R-005, R-233, 000 §4.3.2.7: a done line of an ordinary receipt is
        not turned into stock of the after-sales locations either (nor a done
        line added, nor one moved onto a done move of them); the warehouse
        still corrects the ordinary receipt itself."""
        line = self._counted_spare_parts()
        receipt_line = self._ordinary_receipt()
        self._assert_refused(
            self.warehouse_user,
            receipt_line,
            [
                (
                    "into the spare parts",
                    lambda ml: ml.write({"location_dest_id": self.spare_parts.id}),
                ),
                (
                    "into the non-warranty old parts",
                    lambda ml: ml.write({"location_dest_id": self.nonwarranty.id}),
                ),
                ("onto the count", lambda ml: ml.write({"move_id": line.move_id.id})),
                (
                    "added line",
                    lambda ml: ml.browse().create(
                        self._line_vals(
                            ml,
                            location_id=self.stock.id,
                            location_dest_id=self.nonwarranty.id,
                        )
                    ),
                ),
            ],
        )
        # Odoo's own correction of a done transfer outside them stays
        self.assertEqual(self._on_hand(self.stock), 3)
        receipt_line.with_user(self.warehouse_user).write({"quantity": 4})
        self.assertEqual(self._on_hand(self.stock), 4)
        self.assertEqual(self._on_hand(self.spare_parts), 22)

"""The stock held in the quarantine (the old parts returned for inspection,
the returned forklifts awaiting QA's inspection and rework) leaves it only by
the transfers of the documents that hold it: the release of a returned
forklift after QA's re-inspection, the disposal the service-center director
decided (000 §4.3.2.5–7, §4.4; R-005, R-230, R-233, R-238, R-241). Each
attack is the after-sales warehouse (a stock user) calling the ORM as
JSON-RPC would (``with_user``): his own internal transfer, delivery or scrap
out of the quarantine is refused, with the stock where it was. A stock count
of the quarantine is the warehouse's own, as for the spare parts for
warranty."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ShippedPartsCommon

REFUSED = "leaves only by the after-sales document that holds it"


@tagged("post_install", "-at_install")
class TestQuarantineLeavesByDocument(ShippedPartsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_vp, cls.maker = cls._role_users(
            "fa_qd", "sales_vp_domestic", "manufacturing"
        )
        # the warehouse's own stock count is a stock manager's
        cls.stock_manager = cls._group_user(
            "fa_qd_stock_manager", "group_forklift_warehouse,stock.group_stock_manager"
        )
        cls.quarantine = cls.env.ref("forklift_aftersales.stock_location_quarantine")
        cls.qa_hold = cls.env.ref("forklift_aftersales.stock_location_qa_hold")

    # Helpers

    def _quants(self):
        """Every quant of the seal kit and of the forklift: where, which serial
        number and how many."""
        quants = self.env["stock.quant"].search(
            [("product_id", "in", (self.part | self.forklift_product).ids)]
        )
        return sorted(
            (q.product_id.id, q.location_id.id, q.lot_id.id, q.quantity) for q in quants
        )

    def _forklift_in(self, location):
        return self.forklift_product.with_context(
            location=location.id, lot_id=self.unit.lot_id.id
        ).qty_available

    def _parts_in(self, location):
        return self.part.with_context(location=location.id).qty_available

    def _counted_quant(self, user, location):
        """The seal kits' quant in ``location``, as ``user`` counts it (an
        inventory adjustment)."""
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.part.id), ("location_id", "=", location.id)]
        )
        return quant.with_user(user).with_context(inventory_mode=True)

    def _assert_warehouse_counts_old_parts_down(self):
        """The after-sales warehouse counts the old parts in quarantine down
        to one: its own stock count."""
        counted = self._counted_quant(self.stock_manager, self.old_parts)
        counted.inventory_quantity = 1
        counted.action_apply_inventory()
        self.assertEqual(self._parts_in(self.old_parts), 1)

    def _received_return(self):
        """The signed return of the forklift, received into
        Quarantine/Returned Vehicles by its own receipt (R-238)."""
        vehicle_return = self._staff_vehicle_return()
        self._sign_vehicle_return(vehicle_return)
        vehicle_return.with_user(self.staff).action_receive()
        self.assertTrue(self.returned._forklift_is_inside(self.quarantine))
        self.assertEqual(self._forklift_in(self.returned), 1)
        return vehicle_return

    def _accepted_old_parts(self):
        """Two old seal kits returned by the dealer, accepted by the service
        center and QA into Quarantine/Old Parts (R-230)."""
        note = self._shipped_request().oldpart_return_ids
        self._inspect_oldparts(note, "accepted")
        self.assertEqual(note.state, "accepted")
        self.assertTrue(self.old_parts._forklift_is_inside(self.quarantine))
        self.assertEqual(self._parts_in(self.old_parts), 2)
        return note

    def _assert_transfer_refused(self, picking, message=REFUSED):
        quants = self._quants()
        with self.assertRaisesRegex(UserError, message):
            picking.with_context(skip_sms=True, skip_backorder=True).button_validate()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self._quants(), quants)

    def _own_scrap(self, location, product, quantity, lot=None):
        scrap = (
            self.env["stock.scrap"]
            .with_user(self.warehouse_user)
            .create(
                {
                    "product_id": product.id,
                    "scrap_qty": quantity,
                    "location_id": location.id,
                    "lot_id": lot.id if lot else False,
                }
            )
        )
        quants = self._quants()
        with self.assertRaisesRegex(UserError, REFUSED):
            scrap.action_validate()
        self.assertNotEqual(scrap.state, "done")
        self.assertEqual(self._quants(), quants)

    # Tests

    def test_returned_forklift_leaves_only_by_its_return(self):
        """R-238, R-241, 000 §4.4: the returned forklift waits in quarantine for
        QA's inspection and rework. The warehouse's own internal transfer to
        WH/Stock, his delivery to a customer, a move within the quarantine
        (it would leave the return's hold) and his scrap: each refused, the
        forklift stays. QA's re-inspection then releases it into WH/Stock by
        the return's own transfer."""
        vehicle_return = self._received_return()
        lot = self.unit.lot_id
        for name, destination, kind in (
            ("internal transfer to WH/Stock", self.stock, "internal"),
            ("delivery to a customer", self.customers, "out"),
            ("move within the quarantine", self.qa_hold, "internal"),
        ):
            with self.subTest(attack=name):
                picking = self._own_transfer(
                    self.returned, destination, self.forklift_product, 1, kind
                )
                self.assertEqual(picking.move_line_ids.lot_id, lot)
                self._assert_transfer_refused(picking)
                picking.with_user(self.warehouse_user).action_cancel()
        with self.subTest(attack="scrap"):
            self._own_scrap(self.returned, self.forklift_product, 1, lot)
        self.assertEqual(self._forklift_in(self.returned), 1)
        self.assertEqual(self._forklift_in(self.stock), 0)

        # the return's own steps release it
        self._rework_and_pass(vehicle_return)
        release = vehicle_return.release_picking_id
        self.assertEqual(release.state, "done")
        self.assertTrue(release.forklift_document_transfer)
        self.assertEqual(self._forklift_in(self.returned), 0)
        self.assertEqual(self._forklift_in(self.stock), 1)

    def test_accepted_old_parts_leave_only_by_their_document(self):
        """R-230, 000 §4.3.2.5–6: the old parts accepted into quarantine are
        kept there. The warehouse's own internal transfer to WH/Stock, his
        delivery to a customer and his scrap: each refused, the parts stay."""
        self._accepted_old_parts()
        for name, destination, kind in (
            ("internal transfer to WH/Stock", self.stock, "internal"),
            ("delivery to a customer", self.customers, "out"),
        ):
            with self.subTest(attack=name):
                picking = self._own_transfer(
                    self.old_parts, destination, self.part, 2, kind
                )
                self._assert_transfer_refused(picking)
                picking.with_user(self.warehouse_user).action_cancel()
        with self.subTest(attack="scrap"):
            self._own_scrap(self.old_parts, self.part, 1)
        self.assertEqual(self._parts_in(self.old_parts), 2)

    def test_a_stock_count_is_the_warehouses_own(self):
        """As for the spare parts for warranty, a stock count of the
        quarantine is the warehouse's own inventory adjustment: it counts the
        old parts down. A transfer of his own flagged as a count, to WH/Stock
        rather than to the inventory loss, is not one: refused."""
        self._accepted_old_parts()
        picking = self._own_transfer(
            self.old_parts, self.stock, self.part, 2, is_inventory=True
        )
        self.assertTrue(picking.move_ids.is_inventory)
        self._assert_transfer_refused(picking)
        self._assert_warehouse_counts_old_parts_down()

    def test_a_stock_count_away_is_the_after_sales_warehouses(self):
        """R-005, R-230 (000 §4.3.1.2, §4.3.2.5–6): a stock manager of no
        after-sales group counting the accepted old parts in quarantine, or
        the spare parts for warranty, down (an inventory adjustment) is
        refused: the stock stays for the document that holds it. He still
        counts more in; the after-sales warehouse counts them down."""
        self._accepted_old_parts()
        manager = self._group_user(
            "fa_qd_plain_stock_manager", "stock.group_stock_manager"
        )
        for location, before in ((self.old_parts, 2), (self.spare_parts, 8)):
            with self.subTest(location=location.name):
                counted = self._counted_quant(manager, location)
                counted.inventory_quantity = 0
                with self.assertRaisesRegex(UserError, "after-sales warehouse"):
                    counted.action_apply_inventory()
                self.assertEqual(self._parts_in(location), before)
                counted.invalidate_recordset()
                counted.inventory_quantity = before + 1
                counted.action_apply_inventory()
                self.assertEqual(self._parts_in(location), before + 1)
        self._assert_warehouse_counts_old_parts_down()

    def test_the_document_mark_is_the_servers_own(self):
        """Only an after-sales document's own step marks a transfer as its
        own: the warehouse setting the mark at creation, by a default in the
        context, or afterwards is refused or ignored, and his transfer out of
        the quarantine stays refused."""
        self._received_return()
        Picking = self.env["stock.picking"].with_user(self.warehouse_user)
        vals = {
            "picking_type_id": self.env.ref("stock.picking_type_internal").id,
            "location_id": self.returned.id,
            "location_dest_id": self.stock.id,
        }
        picking = self._own_transfer(
            self.returned, self.stock, self.forklift_product, 1
        )
        # the release's mark, and the mark of any transfer a document made
        for name in ("forklift_document_transfer", "forklift_document_made"):
            for value in (True, 1, "1"):
                with (
                    self.subTest(name=name, value=value),
                    self.assertRaises(AccessError),
                ):
                    Picking.create(dict(vals, **{name: value}))
            with self.subTest(name=name), self.assertRaises(AccessError):
                picking.with_user(self.warehouse_user).write({name: True})
            self.assertFalse(picking[name])
            defaulted = Picking.with_context(**{f"default_{name}": True}).create(vals)
            self.assertFalse(defaulted[name])
        self._assert_transfer_refused(picking)
        self.assertEqual(self._forklift_in(self.returned), 1)

    def test_a_move_of_ones_own_borrows_no_disposals_scrap(self):
        """R-233, R-230, R-238, 000 §4.3.2.6–7, §4.4: the director decided to
        scrap one of five non-warranty old parts; only the scrap that
        decision made takes it. The warehouse linking his own transfer's
        move to that scrap (at its creation, by writing the link, or by
        copying the scrap's move) is refused; a transfer whose move is
        linked to it some other way is still refused at validation, out of
        the non-warranty old parts, the returned vehicles (a forklift
        awaiting its re-inspection) and the accepted old parts alike: none
        is the scrap's own move. Nothing moves; his own scrap of WH/Stock
        still scraps."""
        nonwarranty = self.env.ref(
            "forklift_aftersales.stock_location_nonwarranty_old_parts"
        )
        self.env["stock.quant"]._update_available_quantity(self.part, nonwarranty, 5)
        disposal = (
            self.env["forklift.oldpart.disposal"]
            .with_user(self.staff)
            .create({"product_id": self.part.id, "quantity": 1, "reason": "Cracked"})
        )
        disposal.with_user(self.director).action_dispose()
        scrap = disposal.with_user(self.env.user).scrap_id
        self.assertEqual(scrap.state, "done")
        self.assertEqual(self._parts_in(nonwarranty), 4)
        self._received_return()
        self._accepted_old_parts()
        in_stock = self._parts_in(self.stock)
        Picking = self.env["stock.picking"].with_user(self.warehouse_user)
        own_scrap_move = scrap.move_ids.with_user(self.warehouse_user)
        for name, source, product, quantity, message in (
            ("non-warranty old parts", nonwarranty, self.part, 4, "non-warranty"),
            ("returned forklift", self.returned, self.forklift_product, 1, REFUSED),
            ("accepted old parts", self.old_parts, self.part, 2, REFUSED),
        ):
            with self.subTest(attack=name):
                count = Picking.search_count([])
                with self.assertRaises(AccessError):
                    self._own_transfer(
                        source, self.stock, product, quantity, scrap_id=scrap.id
                    )
                self.assertEqual(Picking.search_count([]), count)
                with self.assertRaises(AccessError):
                    own_scrap_move.copy(
                        {"location_id": source.id, "location_dest_id": self.stock.id}
                    )
                self.assertEqual(scrap.move_ids, own_scrap_move)
                picking = self._own_transfer(source, self.stock, product, quantity)
                with self.assertRaises(AccessError):
                    picking.move_ids.write({"scrap_id": scrap.id})
                self.assertFalse(picking.move_ids.scrap_id)
                # linked all the same (by the superuser here): not the
                # scrap's own move, refused at validation
                picking.move_ids.sudo().scrap_id = scrap
                self._assert_transfer_refused(picking, message)
                picking.with_user(self.warehouse_user).action_cancel()
                picking.move_ids.sudo().scrap_id = False
        self.assertEqual(self._parts_in(nonwarranty), 4)
        self.assertEqual(self._forklift_in(self.returned), 1)
        self.assertEqual(self._parts_in(self.old_parts), 2)
        self.assertEqual(self._parts_in(self.stock), in_stock)
        # the warehouse's own scrap of his own stock is Odoo's, unchanged
        self.env["stock.quant"]._update_available_quantity(self.part, self.stock, 1)
        own = (
            self.env["stock.scrap"]
            .with_user(self.warehouse_user)
            .create(
                {
                    "product_id": self.part.id,
                    "scrap_qty": 1,
                    "location_id": self.stock.id,
                }
            )
        )
        own.action_validate()
        self.assertEqual(own.state, "done")
        self.assertEqual(own.move_ids.scrap_id, own)
        self.assertEqual(self._parts_in(self.stock), in_stock)

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.forklift_aftersales.tests.common import call_kw, rpc_error

from .test_export_stock_moves import ExportStockCommon

PICKING_FIELDS = ["name", "origin", "partner_id", "location_dest_id"]


@tagged("post_install", "-at_install")
class TestExportPickings(HttpCase, ExportStockCommon):
    """R-047 (000-I L25): the export division reads the export market's
    records only. Odoo lets a salesman (sale_stock) and an invoicing user
    (stock_account) read every transfer: an export division member who is
    one of them read the receipt of a returned domestic forklift, of the old
    parts a domestic dealer sent back and the delivery of a domestic warranty
    parts request (their customers, serial numbers and the quarantine). It
    reads the transfers of its export documents and those of no after-sales
    document, through the ORM and over JSON-RPC, as it does their stock
    moves, move lines, quants and serials."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export_invoicing = new_test_user(
            cls.env,
            login="fx_pk_invoicing",
            groups="forklift_aftersales_export.group_forklift_export_division,"
            "account.group_account_invoice",
        )
        # no after-sales document: a charger bought from a vendor
        charger = cls.free_lot.product_id
        vendor = cls.env.ref("stock.stock_location_suppliers")
        cls.free_picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.env.ref("stock.picking_type_in").id,
                "location_id": vendor.id,
                "location_dest_id": cls.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": charger.id,
                            "product_uom_qty": 1,
                            "location_id": vendor.id,
                            "location_dest_id": cls.stock.id,
                        }
                    )
                ],
            }
        )
        cls.free_picking.action_confirm()

    def _domestic_pickings(self):
        return (
            self.domestic_return.picking_id
            | self.note.picking_id
            | self.domestic_request.picking_id
        )

    def _export_pickings(self):
        return (
            self.export_return.picking_id
            | self.export_request.picking_id
            | self.free_picking
        )

    def test_export_division_reads_no_domestic_picking(self):
        """The attack: an export division member who is also a salesman or
        an invoicing user searched the transfers and read the receipt of a
        returned domestic forklift, of a domestic dealer's old parts and the
        delivery of a domestic warranty parts request. It reads none of them,
        by search, by id or grouped; it still reads its export return's
        receipt, its export delivery and a transfer of no after-sales
        document."""
        hidden = self._domestic_pickings()
        shown = self._export_pickings()
        self.assertEqual(len(hidden), 3)
        self.assertEqual(len(shown), 3)
        for user in (self.export_salesman, self.export_invoicing):
            with self.subTest(user=user.login):
                pickings = self.env["stock.picking"].with_user(user)
                found = pickings.search([])
                self.assertFalse(found & hidden)
                self.assertEqual(found & shown, shown)
                rows = pickings.search_read([], PICKING_FIELDS)
                self.assertNotIn(self.customer.name, str(rows))
                self.assertNotIn(self.domestic_return.name, str(rows))
                self.assertEqual(
                    pickings.search([("origin", "like", "WP-")]),
                    self.export_request.picking_id,
                )
                groups = pickings.formatted_read_group(
                    [("id", "in", (hidden | shown).ids)], ["state"], ["__count"]
                )
                self.assertEqual(sum(g["__count"] for g in groups), len(shown))
                for picking in hidden.with_user(user):
                    with self.assertRaises(AccessError):
                        picking.read(PICKING_FIELDS)

    @mute_logger("odoo.http", "odoo.models")
    def test_export_division_reads_no_domestic_stock_over_json_rpc(self):
        """The same over the web client's JSON-RPC (/web/dataset/call_kw):
        the export division member who is also a salesman searches and reads
        the transfers, stock moves, move lines, quants and serials of its
        export documents and of no after-sales document, and is refused
        those of the domestic after-sales."""
        records = {
            "stock.picking": (self._domestic_pickings(), self._export_pickings()),
            "stock.move": (
                self._domestic_lines().move_id,
                (self._export_lines() | self._free_lines()).move_id,
            ),
            "stock.move.line": (
                self._domestic_lines(),
                self._export_lines() | self._free_lines(),
            ),
            "stock.quant": (
                self._domestic_quants(),
                self.env["stock.quant"].search(
                    [("lot_id", "in", (self.export_unit.lot_id | self.free_lot).ids)]
                ),
            ),
            "stock.lot": (self.unit.lot_id, self.export_unit.lot_id | self.free_lot),
        }
        self.authenticate(self.export_salesman.login, self.export_salesman.login)
        for model, (hidden, shown) in records.items():
            with self.subTest(model=model):
                self.assertTrue(hidden)
                self.assertTrue(shown)
                body = call_kw(
                    self,
                    model,
                    "search_read",
                    [[("id", "in", (hidden | shown).ids)], ["display_name"]],
                )
                self.assertEqual({row["id"] for row in body["result"]}, set(shown.ids))
                self.assertEqual(
                    rpc_error(self, model, "read", [hidden.ids, ["display_name"]]),
                    "odoo.exceptions.AccessError",
                )

    def test_stock_users_and_staff_still_read_every_picking(self):
        """The warehouse keepers, of the export division too, ship and
        receive every transfer, and the after-sales staff follow them all:
        they read them all, a staff member of the export division who is
        also a salesman too."""
        staff = self._group_user(
            "fx_pk_staff",
            "group_forklift_user,sales_team.group_sale_salesman,"
            "forklift_aftersales_export.group_forklift_export_division",
        )
        every = self._domestic_pickings() | self._export_pickings()
        for user in (self.export_keeper, staff, self.warehouse_user):
            with self.subTest(user=user.login):
                pickings = self.env["stock.picking"].with_user(user)
                self.assertEqual(pickings.search([("id", "in", every.ids)]), every)

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.forklift_aftersales.tests.common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestFlowExportDeclaration(ForkliftCommon):
    """The shipping papers of an export warranty delivery carry what its
    approved request declared (R-286, R-287): a stock user cannot change the
    destination, currency or declared value over RPC."""

    def test_stock_user_cannot_change_the_declared_value(self):
        """R-286, R-287, R-005, 000 §4.2.2.3: the declaration is written by
        the request's release only."""
        stock_user = self._group_user("fl_exp_stock", "stock.group_stock_manager")
        eur = self.env.ref("base.EUR")
        eur.active = True
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "location_id": self.env.ref("stock.stock_location_stock").id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "forklift_destination_country_id": self.env.ref("base.ae").id,
                "forklift_currency_id": eur.id,
                "forklift_declared_value": 1350.0,
            }
        )
        for vals in (
            {"forklift_declared_value": 1.0},
            {"forklift_currency_id": self.env.ref("base.USD").id},
            {"forklift_destination_country_id": self.env.ref("base.cn").id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                picking.with_user(stock_user).write(vals)
        picking.invalidate_recordset()
        self.assertEqual(picking.forklift_declared_value, 1350.0)
        self.assertEqual(picking.forklift_currency_id, eur)
        self.assertEqual(
            picking.forklift_destination_country_id, self.env.ref("base.ae")
        )
        # other fields of the transfer stay the warehouse's
        picking.with_user(stock_user).write({"origin": "Carrier booking 42"})
        self.assertEqual(picking.origin, "Carrier booking 42")

    def test_stock_user_declares_nothing_on_a_transfer_of_his_own(self):
        """R-286, R-287, R-005: the destination, currency and value a
        delivery declares come from its approved request only: a stock user
        neither types them on a transfer he creates (as over RPC or by
        import), nor gets them by duplicating a declared delivery."""
        stock_user = self._group_user("fl_exp_stock_new", "stock.group_stock_manager")
        eur = self.env.ref("base.EUR")
        eur.active = True
        base = {
            "picking_type_id": self.env.ref("stock.picking_type_out").id,
            "location_id": self.env.ref("stock.stock_location_stock").id,
            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
        }
        pickings = self.env["stock.picking"].with_user(stock_user)
        before = pickings.search_count([])
        for vals in (
            {"forklift_declared_value": 1350.0},
            {"forklift_currency_id": eur.id},
            {"forklift_destination_country_id": self.env.ref("base.ae").id},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaises(AccessError),
                self.cr.savepoint(),
            ):
                pickings.create({**base, **vals})
        # nor through a default of the call's context
        with self.assertRaises(AccessError), self.cr.savepoint():
            pickings.with_context(default_forklift_declared_value=1350.0).create(base)
        self.assertEqual(pickings.search_count([]), before)
        # without a declaration, the transfer is the warehouse's to make
        own = pickings.create({**base, "origin": "Own transfer"})
        self.assertFalse(own.forklift_destination_country_id)
        declared = self.env["stock.picking"].create(
            {
                **base,
                "forklift_destination_country_id": self.env.ref("base.ae").id,
                "forklift_currency_id": eur.id,
                "forklift_declared_value": 1350.0,
            }
        )
        copy = declared.with_user(stock_user).copy()
        self.assertEqual(
            (
                copy.forklift_destination_country_id,
                copy.forklift_currency_id,
                copy.forklift_declared_value,
            ),
            (self.env["res.country"], self.env["res.currency"], 0.0),
        )

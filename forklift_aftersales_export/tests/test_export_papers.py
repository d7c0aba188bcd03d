from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_export_flow import ExportCommon


@tagged("post_install", "-at_install")
class TestExportPapers(ExportCommon):
    """R-287 (000 第三篇; §12.2): free warranty parts sent abroad leave with
    their carrier and incoterm, and the warehouse prints their proforma
    invoice "no commercial value" and packing list from the delivery."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_user = cls._group_user("fx_papers_wh", "group_forklift_warehouse")
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.eur.id, "name": "2026-01-01", "rate": 0.9}
        )
        cls.overseas_dealer.property_product_pricelist = cls.env[
            "product.pricelist"
        ].create({"name": "Export EUR", "currency_id": cls.eur.id})
        cls.part.write(
            {"standard_price": 150, "weight": 2.5, "default_code": "LC-SK30"}
        )
        spare = cls.env.ref("forklift_aftersales.stock_location_spare_parts")
        cls.env["stock.quant"]._update_available_quantity(cls.part, spare, 10)

    def _delivery(self, case):
        request = self.env["forklift.parts.request"].create(
            self._parts_request_vals(case, 2, "wear")
        )
        request.request_validation()
        request.with_user(self.director).validate_tier()
        picking = request.picking_id
        picking.action_assign()
        return picking

    def _html(self, xmlid, picking):
        return (
            self.env["ir.actions.report"]
            .with_user(self.warehouse_user)
            ._render_qweb_html(xmlid, picking.ids)[0]
            .decode()
        )

    def test_export_delivery_leaves_with_carrier_incoterm_and_papers(self):
        picking = self._delivery(self._export_case())
        self.assertTrue(picking.forklift_is_export_delivery)
        self.assertEqual(
            picking.forklift_incoterm_id, self.env.ref("account.incoterm_DAP")
        )
        self.assertEqual(picking.forklift_incoterm_location, "United Arab Emirates")
        picking = picking.with_user(self.warehouse_user)
        with self.assertRaisesRegex(UserError, "carrier"):
            picking.button_validate()
        picking.write(
            {"forklift_carrier": "DHL Express", "forklift_incoterm_id": False}
        )
        with self.assertRaisesRegex(UserError, "incoterm"):
            picking.button_validate()
        picking.write(
            {
                "forklift_incoterm_id": self.env.ref("account.incoterm_CPT").id,
                "forklift_incoterm_location": "Jebel Ali",
                "forklift_waybill": "DHL 1234 5678 90",
            }
        )
        proforma = self._html(
            "forklift_aftersales_export.action_report_forklift_proforma_invoice",
            picking,
        )
        page = proforma[proforma.index('class="page"') :]
        self.assertIn("MC·JL-××-XS《Proforma Invoice (No Commercial Value)》", page)
        self.assertIn("No commercial value", page)
        self.assertIn("CPT", page)
        self.assertIn("Jebel Ali", page)
        self.assertIn("DHL Express", page)
        self.assertIn("United Arab Emirates", page)
        self.assertIn("LC-SK30", page)
        # 2 x 150 at cost, 0.9 EUR to the company currency: 270.00 EUR
        self.assertIn("270.00", page)
        packing = self._html(
            "forklift_aftersales_export.action_report_forklift_packing_list", picking
        )
        page = packing[packing.index('class="page"') :]
        self.assertIn("MC·JL-××-XS《Packing List》", page)
        self.assertIn("DHL 1234 5678 90", page)
        self.assertIn("5.00", page, "2 kits of 2.5 kg")
        picking.move_ids.quantity = 2
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        with self.assertRaisesRegex(UserError, "no longer changes"):
            picking.forklift_incoterm_id = self.env.ref("account.incoterm_EXW")

    def test_carrier_of_a_delivery_gone_abroad_stays(self):
        """R-287 (000 第三篇): an export warranty delivery leaves with the
        carrier its papers name, as with its incoterm; once it has left, the
        warehouse neither clears nor changes it over RPC (the papers printed
        again would name another carrier than the one that took the parts).
        The waybill, which the dealer follows, is still given afterwards."""
        picking = self._delivery(self._export_case()).with_user(self.warehouse_user)
        picking.write(
            {
                "forklift_carrier": "DHL Express",
                "forklift_incoterm_id": self.env.ref("account.incoterm_CPT").id,
            }
        )
        picking.move_ids.quantity = 2
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        for carrier in (False, "Local courier"):
            with (
                self.subTest(carrier=carrier),
                self.assertRaisesRegex(UserError, "no longer changes"),
            ):
                picking.write({"forklift_carrier": carrier})
        picking.invalidate_recordset()
        self.assertEqual(picking.forklift_carrier, "DHL Express")
        # the same carrier sent again (a form saving all) and the waybill pass
        picking.write(
            {"forklift_carrier": "DHL Express", "forklift_waybill": "DHL 1234 5678 90"}
        )
        self.assertEqual(picking.forklift_waybill, "DHL 1234 5678 90")

    def test_domestic_delivery_has_no_export_papers(self):
        picking = self._delivery(self._verified_case())
        self.assertFalse(picking.forklift_is_export_delivery)
        self.assertFalse(picking.forklift_incoterm_id)
        for xmlid in (
            "forklift_aftersales_export.action_report_forklift_proforma_invoice",
            "forklift_aftersales_export.action_report_forklift_packing_list",
        ):
            with (
                self.subTest(report=xmlid),
                self.assertRaisesRegex(
                    UserError, "not the warranty parts delivery of an export sheet"
                ),
            ):
                self._html(xmlid, picking)
        # a domestic delivery leaves without an incoterm
        picking.move_ids.quantity = 2
        picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(picking.state, "done")

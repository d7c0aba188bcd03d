from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.forklift_aftersales.tests.common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestExportShipItems(ForkliftCommon):
    """R-283, R-023 (000 第一篇 L85, the export procedure's 三包备件: 随车带的
    配件明细、保修卡、说明): an export forklift ships with its parts list, its
    warranty card and its manuals; the export division reads them and prints
    the delivery sheet for the overseas dealer."""

    def test_export_forklift_delivery_sheet(self):
        unit = self._create_unit(
            "SN-E-0001", acceptance=date(2026, 1, 10), market="export"
        )
        unit.write(
            {
                "warranty_card_number": "WC-E-2026-0001",
                "ship_item_ids": [
                    Command.create(
                        {
                            "item_type": "document",
                            "name": "Parts list (English)",
                            "shipped": True,
                        }
                    ),
                    Command.create(
                        {
                            "item_type": "manual",
                            "name": "Operation manual (English)",
                            "shipped": True,
                        }
                    ),
                ],
            }
        )
        export_user = self._group_user(
            "fx_ship_items", "forklift_aftersales_export.group_forklift_export_division"
        )
        self.assertEqual(
            unit.with_user(export_user).ship_item_ids.mapped("name"),
            ["Parts list (English)", "Operation manual (English)"],
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(export_user)
            ._render_qweb_html(
                "forklift_aftersales.action_report_forklift_unit_delivery", unit.ids
            )[0]
            .decode()
        )
        self.assertIn("WC-E-2026-0001", html)
        self.assertIn("Parts list (English)", html)
        self.assertIn("Operation manual (English)", html)

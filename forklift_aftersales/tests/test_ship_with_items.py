from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestShipWithItems(ForkliftCommon):
    """R-023, R-222, R-283 (000 第一篇 L85, under 三包备件: 随车带的配件明细、
    保修卡、说明): each forklift ships with its parts list, its warranty card
    and its manuals; they are recorded on the forklift and printed on its
    delivery sheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = cls._group_user("fa_ship_viewer", "group_forklift_viewer")

    def _items(self):
        return [
            Command.create(
                {
                    "item_type": "spare",
                    "product_id": self.part.id,
                    "quantity": 2,
                    "shipped": True,
                }
            ),
            Command.create({"item_type": "attachment", "name": "Side shifter"}),
            Command.create(
                {
                    "item_type": "manual",
                    "name": "Operation and maintenance manual",
                    "shipped": True,
                }
            ),
        ]

    def test_staff_record_the_card_and_the_items(self):
        """The service center records the warranty card number (spaces
        trimmed) and the checklist of what shipped; an item named after its
        product takes the product's name."""
        unit = self.unit.with_user(self.staff)
        unit.write(
            {
                "warranty_card_number": "  WC-2026-0001 ",
                "ship_item_ids": self._items(),
            }
        )
        self.assertEqual(self.unit.warranty_card_number, "WC-2026-0001")
        spare, attachment, manual = self.unit.ship_item_ids
        self.assertEqual(spare.name, self.part.display_name)
        self.assertEqual(
            (attachment.item_type, attachment.shipped), ("attachment", False)
        )
        self.assertTrue(manual.shipped)

    def test_warranty_card_number_unique_in_the_company(self):
        """Two forklifts cannot carry the same warranty card in a company,
        whoever types it (an import, RPC); another company has its own
        numbering."""
        self.unit.warranty_card_number = "WC-2026-0001"
        with (
            self.assertRaisesRegex(ValidationError, "already the card of"),
            self.env.cr.savepoint(),
        ):
            self.unit_b.with_user(self.staff).write(
                {"warranty_card_number": "WC-2026-0001 "}
            )
        self.assertFalse(self.unit_b.warranty_card_number)
        other = self.env["res.company"].create({"name": "Forklift Export Branch"})
        unit = self.env["forklift.unit"].create(
            {
                "name": "SN-X-0001",
                "product_id": self.forklift_product.id,
                "company_id": other.id,
                "warranty_card_number": "WC-2026-0001",
            }
        )
        self.assertEqual(unit.warranty_card_number, "WC-2026-0001")

    def test_viewer_changes_nothing(self):
        """A read-only after-sales user reaches the checklist over RPC: he
        reads it but neither adds, ticks nor removes an item, nor sets the
        card."""
        self.unit.write({"ship_item_ids": self._items()})
        item = self.unit.ship_item_ids[1]
        with self.assertRaises(AccessError):
            item.with_user(self.viewer).write({"shipped": True})
        with self.assertRaises(AccessError):
            self.env["forklift.unit.ship.item"].with_user(self.viewer).create(
                {"unit_id": self.unit.id, "name": "Spare wheel"}
            )
        with self.assertRaises(AccessError):
            item.with_user(self.viewer).unlink()
        with self.assertRaises(AccessError):
            self.unit.with_user(self.viewer).write({"warranty_card_number": "X"})
        self.assertFalse(item.shipped)

    def test_delivery_sheet_prints_the_card_and_the_items(self):
        """The delivery sheet printed for the hand-over shows the warranty
        card, the warranty terms and each item with its shipped box."""
        self.unit.write(
            {"warranty_card_number": "WC-2026-0001", "ship_item_ids": self._items()}
        )
        action = self.unit.with_user(self.staff).action_print_delivery_sheet()
        self.assertEqual(
            action["report_name"], "forklift_aftersales.report_forklift_unit_delivery"
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.viewer)
            ._render_qweb_html(
                "forklift_aftersales.action_report_forklift_unit_delivery",
                self.unit.ids,
            )[0]
            .decode()
        )
        self.assertIn("Forklift Delivery Sheet", html)
        self.assertIn("WC-2026-0001", html)
        self.assertIn("Side shifter", html)
        self.assertIn("Operation and maintenance manual", html)
        self.assertIn(self.part.display_name, html)
        self.assertIn("☑", html)
        self.assertIn("☐", html)

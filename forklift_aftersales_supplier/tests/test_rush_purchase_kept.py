from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.forklift_aftersales.tests.common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestRushPurchaseKept(ForkliftCommon):
    """R-094, R-179 (000 第四篇 §7, 000 §4.3.1): the rush purchase an urgent
    parts request raised stays with the request: purchasing may cancel it,
    never delete it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Rush Kept Vendor"})
        cls.part.seller_ids = [Command.create({"partner_id": cls.vendor.id})]
        cls.buyer = cls._group_user("rpk_buyer", "purchase.group_purchase_user")

    def test_rush_purchase_kept_other_purchases_deleted(self):
        request = self.env["forklift.parts.request"].create(
            {
                **self._parts_request_vals(
                    self._verified_case(), 3, "unqualified", unit_cost=100
                ),
                "urgency": "urgent",
            }
        )
        request.with_user(self.staff).request_validation()
        rush = request.rush_purchase_ids
        other = (
            self.env["purchase.order"]
            .with_user(self.buyer)
            .create({"partner_id": self.vendor.id})
        )
        (rush | other).with_user(self.buyer).button_cancel()
        with self.assertRaisesRegex(UserError, "rush purchase"):
            rush.with_user(self.buyer).unlink()
        self.assertEqual(request.rush_purchase_ids, rush)
        other.with_user(self.buyer).unlink()
        self.assertFalse(other.exists())

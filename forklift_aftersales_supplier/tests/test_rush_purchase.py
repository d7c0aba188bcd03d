from odoo import Command
from odoo.tests import tagged

from odoo.addons.forklift_aftersales.tests.common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestRushPurchase(ForkliftCommon):
    """An urgent part the warehouse does not have is ordered at once
    (000 第四篇 §7, R-094)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Hydraulic Parts Co."})
        cls.part.seller_ids = [
            Command.create({"partner_id": cls.vendor.id, "price": 95.0})
        ]
        cls.spare_parts = cls.env.ref("forklift_aftersales.stock_location_spare_parts")
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.spare_parts, 1)
        cls.case = cls._verified_case()

    def _request(self, quantity, urgency):
        return self.env["forklift.parts.request"].create(
            {
                **self._parts_request_vals(
                    self.case, quantity, "unqualified", unit_cost=100
                ),
                "urgency": urgency,
            }
        )

    def test_urgent_request_without_stock_raises_a_purchase(self):
        request = self._request(3, "urgent")
        request.with_user(self.staff).request_validation()
        order = request.rush_purchase_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.partner_id, self.vendor)
        self.assertEqual(order.origin, request.name)
        self.assertEqual(order.priority, "1")
        self.assertEqual(order.order_line.product_id, self.part)
        self.assertEqual(order.order_line.product_qty, 2, "only what is missing")
        self.assertEqual(order.order_line.price_unit, 95.0)

    def test_common_request_waits_for_normal_replenishment(self):
        request = self._request(3, "common")
        request.request_validation()
        self.assertFalse(request.rush_purchase_ids)

    def test_urgent_request_with_stock_buys_nothing(self):
        request = self._request(1, "urgent")
        request.request_validation()
        self.assertFalse(request.rush_purchase_ids)

    def test_the_vendor_is_the_requests_companys_whatever_company_is_active(self):
        """R-094 (seed: TestRushPurchase): the rush purchase goes to the
        vendor the request's company buys the part from. An applicant of two
        companies asking with another company active (the company switcher,
        a context key any client sends) does not pick the vendor from that
        company's vendor price lines, which the server reads with sudo."""
        main = self.case.company_id
        other = self.env["res.company"].create({"name": "Other Forklift Co"})
        other_vendor = self.env["res.partner"].create({"name": "Other Co's Pumps"})
        self.part.seller_ids = [
            Command.create(
                {
                    "partner_id": other_vendor.id,
                    "company_id": other.id,
                    "price": 60.0,
                    "sequence": 1,
                }
            ),
        ]
        self.part.seller_ids.filtered(
            lambda seller: seller.partner_id == self.vendor
        ).sequence = 2
        self.staff.company_ids |= other
        request = self._request(3, "urgent")
        request.with_user(self.staff).with_context(
            allowed_company_ids=[other.id, main.id]
        ).request_validation()
        order = request.rush_purchase_ids
        self.assertEqual(order.partner_id, self.vendor)
        self.assertEqual(order.company_id, main)
        self.assertEqual(order.order_line.price_unit, 95.0)

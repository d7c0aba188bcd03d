from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestPartSupplierOfTheSheetsCompany(ForkliftCommon):
    """The supplier the server stores on a part line (and names at fault on a
    sheet) is read, as superuser, from the part's vendor price lines: only
    those of the sheet's company, or shared, with an active vendor. Staff
    record any part, a part shared by the companies among them: the price
    lines another company keeps for it (its vendors, which the staff may not
    read) never become the supplier of the line, its failure rates and its
    claims, nor show their vendor's name (R-256, R-261, R-224; 000 §3.3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Forklift North"})
        cls.other_vendor = cls._vendor("North Gears", company_id=cls.other_company.id)
        cls.retired_vendor = cls._vendor("Old Gears")
        cls.own_vendor = cls._vendor("Home Gears")
        # a part both companies stock (no company), each with its own vendor
        # price list; the other company's comes first, then an archived vendor
        cls.gear = cls.env["product.product"].create(
            {
                "name": "Drive gear",
                "is_storable": True,
                "standard_price": 90,
                "seller_ids": [
                    Command.create(
                        {
                            "partner_id": cls.other_vendor.id,
                            "company_id": cls.other_company.id,
                            "sequence": 1,
                        }
                    ),
                    Command.create(
                        {
                            "partner_id": cls.retired_vendor.id,
                            "company_id": cls.env.company.id,
                            "sequence": 2,
                        }
                    ),
                    Command.create(
                        {
                            "partner_id": cls.own_vendor.id,
                            "company_id": cls.env.company.id,
                            "sequence": 3,
                        }
                    ),
                ],
            }
        )
        cls.retired_vendor.active = False

    def test_replaced_part_takes_a_vendor_of_the_sheets_company(self):
        case = self._verified_case()
        order = self._service_order(case)
        order.with_user(self.staff).write(
            {"part_ids": [self._part_line(self.gear, 1, warranty=False)]}
        )
        line = order.part_ids
        self.assertEqual(line.supplier_id, self.own_vendor)
        self.assertEqual(
            line.with_user(self.staff).read(["supplier_id"])[0]["supplier_id"][1],
            "Home Gears",
        )

    def test_local_purchase_takes_a_vendor_of_the_sheets_company(self):
        case = self._verified_case()
        purchase = self._local_purchase(case, 100)
        purchase.with_user(self.staff).write(
            {
                "line_ids": [
                    Command.create(
                        {"product_id": self.gear.id, "quantity": 1, "unit_price": 90}
                    )
                ]
            }
        )
        line = purchase.line_ids.filtered(lambda line: line.product_id == self.gear)
        self.assertEqual(line.supplier_id, self.own_vendor)


@tagged("post_install", "-at_install")
class TestPaidSaleBillsTheWorkDone(ForkliftCommon):
    """The paid service's order and its quote are made, as superuser, from
    the parts of the sheet's service orders: not from those of an order
    cancelled, whose parts were never replaced (000 §4.3.2.1, R-013, R-104),
    as the sheet's own figures do not count them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part.lst_price = 260
        cls.old_unit = cls._create_unit("SN-OLD-SUDO", acceptance=date(2024, 1, 10))

    def _cancelled_order(self, case):
        """A second order of ``case`` planning 5 seal kits, then cancelled."""
        order = self._service_order(
            case, part_ids=[self._part_line(self.part, 5, warranty=False)]
        )
        order.with_user(self.staff).action_cancel()
        self.assertEqual(order.state, "cancel")
        return order

    def _lines(self, order):
        return sorted(
            order.order_line.mapped(
                lambda line: (line.product_id, line.product_uom_qty)
            )
        )

    def test_paid_sale_does_not_bill_a_cancelled_orders_parts(self):
        case = self._worked_paid_case(self.old_unit)
        self._cancelled_order(case)
        self.assertEqual(case.parts_replaced_qty, 2)
        case.with_user(self.staff).action_create_paid_sale()
        labour = self.env.ref("forklift_aftersales.product_labour_hour")
        self.assertEqual(
            self._lines(case.sale_order_id), sorted([(self.part, 2.0), (labour, 3.0)])
        )
        self.assertEqual(
            case.invoice_ids.amount_untaxed, 2 * 260 + 3 * labour.list_price
        )

    def test_quote_does_not_offer_a_cancelled_orders_parts(self):
        case = self._worked_paid_case(self.old_unit, done=False)
        self._cancelled_order(case)
        action = case.with_user(self.staff).action_create_quote()
        quote = self.env["sale.order"].browse(action["res_id"])
        travel = self.env.ref("forklift_aftersales.product_travel")
        labour = self.env.ref("forklift_aftersales.product_labour_hour")
        self.assertEqual(
            self._lines(quote),
            sorted([(self.part, 2.0), (labour, 3.0), (travel, 1.0)]),
        )

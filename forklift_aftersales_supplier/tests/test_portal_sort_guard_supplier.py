"""Whether the supplier at fault of a dealer's sheet serves its failures,
learnt by sorting or grouping over RPC (R-055, R-063; README "What no user
can do").

The supplier at fault of a sheet is the service center's, and so is whether
he serves his failures (``supplier_can_serve``, a related field that is not
stored): the dealer may neither read nor search them, but Odoo sorted and
grouped by the related field along its path as superuser, so a dealer sorting
his sheets by it, or grouping his service orders by
``feedback_id.supplier_can_serve``, read it sheet by sheet."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestPortalSortGuardSupplier(SupplierCommon):
    """Dealer A's portal login on a sheet of his whose supplier at fault
    serves its failures, and one whose fault is the factory's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer_portal, __ = cls._dealer_logins("psgs")
        cls.supplier_case = cls._supplier_case(cls.supplier_a)
        cls.factory_case = cls._verified_case(route="dealer")
        cls.order = cls._done_order(cls.factory_case, performer="dealer")

    def test_dealer_learns_not_whether_the_supplier_at_fault_serves(self):
        """R-055, R-063: a dealer sorts his sheets, and groups his service
        orders, by nothing that tells whether a sheet's supplier at fault
        serves its failures; the staff do both."""
        sheets = self.env["forklift.feedback"]
        orders = self.env["forklift.service.order"]
        by_supplier = ["feedback_id.supplier_can_serve"]
        mine = sheets.with_user(self.dealer_portal).search([])
        self.assertEqual(mine, self.supplier_case | self.factory_case)
        self.assertEqual(
            sheets.with_user(self.staff).search(
                [("id", "in", mine.ids)], order="supplier_can_serve desc"
            )[0],
            self.supplier_case,
        )
        orders.with_user(self.staff).formatted_read_group([], by_supplier, ["__count"])
        with self.assertRaises(AccessError):
            sheets.with_user(self.dealer_portal).search(
                [], order="supplier_can_serve desc"
            )
        with self.assertRaises(AccessError):
            orders.with_user(self.dealer_portal).formatted_read_group(
                [], by_supplier, ["__count"]
            )

"""What a dealer learns of his own service orders by sorting or grouping
them over RPC (R-055, R-063; README "What no user can do").

Odoo checks that the user reads a stored field as it sorts or groups by it,
but turns a related field that is not stored into SQL along its path as
superuser, without that check: the dealer sorted his service orders by the
service center's dispatch deadline (internal) and grouped his replaced parts
by it, day by day, through ``order_id.dispatch_deadline``. And sorting by a
field that is not stored failed with a server error (a ValueError)."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestPortalSortGuard(ForkliftCommon):
    """Dealer A's portal login and the service center on dealer A's orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a, __ = cls._dealer_logins("psg")
        cls.case = cls._verified_case(route="dealer")
        cls.order = cls._done_order(cls.case, performer="dealer")

    def test_dealer_sorts_or_groups_by_no_internal_deadline(self):
        """R-055, R-063: a dealer neither sorts his service orders by the
        dispatch deadline the service center is measured against, nor groups
        his replaced parts by it through their order; the staff do both."""
        orders = self.env["forklift.service.order"]
        parts = self.env["forklift.service.order.part"]
        by_deadline = ["order_id.dispatch_deadline:day"]
        self.assertIn(
            self.order,
            orders.with_user(self.staff).search([], order="dispatch_deadline"),
        )
        parts.with_user(self.staff).formatted_read_group([], by_deadline, ["__count"])
        with self.assertRaises(AccessError):
            orders.with_user(self.portal_a).search([], order="dispatch_deadline desc")
        with self.assertRaises(AccessError):
            orders.with_user(self.portal_a).search_read(
                [], ["name"], order="dispatch_deadline"
            )
        with self.assertRaises(AccessError):
            parts.with_user(self.portal_a).formatted_read_group(
                [], by_deadline, ["__count"]
            )
        with self.assertRaises(AccessError):
            orders.with_user(self.portal_a).formatted_read_group(
                [], ["state"], ["__count"], order="state, dispatch_deadline:max"
            )
        self.assertEqual(
            orders.with_user(self.portal_a).search([], order="name"), self.order
        )

    def test_sorting_by_a_field_not_stored_is_refused_in_a_sentence(self):
        """R-055, R-063: a dealer (and the staff alike) sorting the service
        orders by "Signed Sheet Overdue" is told it cannot be sorted, not
        given a server error."""
        label = (
            self.env["forklift.service.order"]
            ._fields["is_return_overdue"]
            ._description_string(self.env)
        )
        for user in (self.portal_a, self.staff):
            orders = self.env["forklift.service.order"].with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, label):
                    orders.search([], order="name, is_return_overdue desc")
                self.assertIn(self.order, orders.search([], order="name"))

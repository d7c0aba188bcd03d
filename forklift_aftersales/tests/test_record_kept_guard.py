from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestRecordKeptGuard(ForkliftCommon):
    """A customer, a dealer or a forklift an after-sales record names is not
    deleted from under it (customer archive R-026; sheets R-001, orders
    R-082; the forklift's records R-023): the user who may delete it in Odoo
    is refused and told to archive; what nothing names is still deleted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Contact Creation: Odoo lets him delete partners
        cls.salesman = cls._group_user(
            "rk_sales",
            "sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
        )

    def _assert_refused(self, target, user, record, field):
        """``user`` deleting ``target`` is refused and ``record.field`` still
        names it."""
        before = record[field]
        with mute_logger("odoo.sql_db"), self.assertRaises(UserError):
            target.with_user(user).unlink()
        self.env.invalidate_all()
        self.assertTrue(target.exists())
        self.assertEqual(record[field], before)

    def test_customer_and_dealer_of_done_work_kept(self):
        """R-026, R-001, R-082: the customer of a done sheet, the dealer of a
        done order."""
        customer = self.env["res.partner"].create(
            {"name": "RK Customer", "is_company": True, "forklift_region": "local"}
        )
        unit = self._create_unit("SN-RK-1", date(2026, 1, 10), partner=customer)
        case = self._verified_case(unit=unit)
        self._done_order(case)
        self._assert_refused(customer, self.salesman, case, "partner_id")
        order = self._done_order(self._verified_case(route="dealer"), "dealer")
        self._assert_refused(self.dealer_a, self.salesman, order, "dealer_id")
        # a partner no after-sales record names is still deleted
        other = self.env["res.partner"].create({"name": "RK Prospect"})
        other.with_user(self.salesman).unlink()
        self.assertFalse(other.exists())

    def test_forklift_with_history_kept(self):
        """R-001, R-023: the director does not delete a forklift with a done
        sheet (its sheet and hour readings are kept); one with no history is
        still deleted."""
        case = self._verified_case()
        self._done_order(case)
        readings = self.unit.reading_ids
        self._assert_refused(self.unit, self.director, case, "unit_id")
        self.assertEqual(self.unit.reading_ids, readings)
        unit = self._create_unit("SN-RK-NEW", date(2026, 1, 10))
        unit.with_user(self.director).unlink()
        self.assertFalse(unit.exists())

    def _merge(self, partners, into):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.salesman)
            .create(
                {"partner_ids": [Command.set(partners.ids)], "dst_partner_id": into.id}
            )
        )
        return wizard.action_merge()

    def test_customer_of_done_work_not_merged_into_another(self):
        """R-026, R-001, R-082: Odoo's contact merge moves every link to the
        merged contacts in SQL and deletes them. A salesman who merges
        contacts does not so move a customer's forklift, sheet and signed
        order to another customer (the flow guard refuses it by a write);
        contacts no after-sales record names still merge."""
        customer = self.env["res.partner"].create(
            {"name": "RK Merged", "is_company": True, "forklift_region": "local"}
        )
        other = self.env["res.partner"].create(
            {"name": "RK Other", "is_company": True, "forklift_region": "local"}
        )
        unit = self._create_unit("SN-RK-M", date(2026, 1, 10), partner=customer)
        case = self._verified_case(unit=unit)
        order = self._done_order(case)
        with mute_logger("odoo.sql_db"), self.assertRaises(UserError):
            self._merge(customer | other, other)
        self.env.invalidate_all()
        self.assertTrue(customer.exists())
        self.assertEqual(unit.partner_id, customer)
        self.assertEqual(case.partner_id, customer)
        self.assertEqual(order.partner_id, customer)
        # duplicates no after-sales record names are merged as in Odoo
        duplicate = self.env["res.partner"].create({"name": "RK Prospect"})
        kept = self.env["res.partner"].create({"name": "RK Prospect"})
        self._merge(duplicate | kept, kept)
        self.assertFalse(duplicate.exists())
        self.assertTrue(kept.exists())

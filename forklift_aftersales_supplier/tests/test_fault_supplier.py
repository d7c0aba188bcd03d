from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.forklift_aftersales.tests.common import buy_only_from

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestFaultSupplierOfTheSheet(SupplierCommon):
    """The supplier addon names the supplier at fault with the diagnosis, in
    the one field of the sheet the statistics read (000 §4.2.3.1, §3.3;
    R-085, R-224, R-256, R-261): what the service center names, else the
    main vendor of the failed supplier part when the sheet is verified; the
    contact letter and the quality claim follow it, and a later change of
    the part's vendors moves none of them."""

    def _statistics_supplier(self, case):
        self.env.flush_all()
        return (
            self.env["forklift.feedback.analysis"]
            .search([("feedback_id", "=", case.id)])
            .supplier_id
        )

    def test_named_supplier_is_kept_when_the_part_changes_vendor(self):
        """The letter and the claim go to the supplier named on the sheet,
        even after purchasing buys the part elsewhere."""
        buy_only_from(self.pump, self.supplier_a)
        case = self._supplier_case()
        buy_only_from(self.pump, self.supplier_b)
        self.assertEqual(case.supplier_id, self.supplier_a)
        self.assertEqual(self._statistics_supplier(case), self.supplier_a)
        letter = self._letter(case)
        self.assertEqual(letter.supplier_id, self.supplier_a)
        case.with_user(self.qa).action_create_quality_claim()
        self.assertEqual(case.quality_claim_ids.supplier_id, self.supplier_a)

    def test_failed_part_names_the_supplier_when_none_is_named(self):
        """Verified with the failed part only: its main vendor of that day is
        the supplier at fault, for good; a sheet verified after the vendor
        changed names the new one."""
        buy_only_from(self.pump, self.supplier_b)
        case = self._supplier_case(supplier_id=False, route="technician")
        self.assertEqual(case.state, "verified")
        self.assertEqual(case.supplier_id, self.supplier_b)
        buy_only_from(self.pump, self.supplier_a)
        self.assertEqual(case.supplier_id, self.supplier_b)
        self.assertEqual(self._statistics_supplier(case), self.supplier_b)
        later = self._supplier_case(supplier_id=False, route="technician")
        self.assertEqual(later.supplier_id, self.supplier_a)
        self.assertEqual(self._statistics_supplier(later), self.supplier_a)

    def test_the_failed_part_replaced_counts_under_the_named_supplier(self):
        """R-224, R-256, R-261: the failed pump replaced on a sheet that names
        another supplier than the pump's main vendor is that supplier's
        failure in the part statistics, before and after purchasing moves
        the pump; the other part replaced is its own main vendor's."""
        buy_only_from(self.pump, self.supplier_b)
        buy_only_from(self.part, self.supplier_b)
        case = self._supplier_case(route="technician")
        self.assertEqual(case.supplier_id, self.supplier_a)
        order = self._service_order(
            case, part_ids=[self._part_line(self.pump), self._part_line(self.part)]
        )
        by_product = {line.product_id: line.supplier_id for line in order.part_ids}
        self.assertEqual(by_product[self.pump], self.supplier_a)
        self.assertEqual(by_product[self.part], self.supplier_b)
        buy_only_from(self.pump, self.supplier_a)
        buy_only_from(self.part, self.supplier_a)
        rows = self.env["forklift.part.analysis"].search(
            [("feedback_id", "=", case.id)]
        )
        self.assertEqual(
            {(row.product_id, row.supplier_id) for row in rows},
            {(self.pump, self.supplier_a), (self.part, self.supplier_b)},
        )

    def test_the_failed_part_proposes_its_main_vendor(self):
        """On the form, choosing the failed supplier part proposes its main
        vendor as the supplier at fault; one already named stays."""
        buy_only_from(self.pump, self.supplier_b)
        form = Form(self.env["forklift.feedback"].with_user(self.staff))
        form.unit_id = self.unit
        form.title = "Pump whining"
        form.responsibility = "supplier"
        form.supplier_part_id = self.pump
        self.assertEqual(form.supplier_id, self.supplier_b)
        form.supplier_id = self.supplier_a
        form.supplier_part_id = self.part
        form.supplier_part_id = self.pump
        self.assertEqual(form.supplier_id, self.supplier_a)

    def test_the_failed_part_proposes_no_vendor_of_another_company(self):
        """R-224, R-256 (seed: SupplierCommon): the vendor the form proposes,
        and the one verification names, is one the sheet's company buys
        from. A part shared by the companies, whose first vendor is another
        company's own: naming it in the form's onchange (by RPC, any part)
        tells the service center nothing of that vendor, which it may not
        read, and its sheet names the company's own vendor."""
        other = self.env["res.company"].create({"name": "Other Forklift Co"})
        vendor = self._vendor("Pumps of the Other Company", company_id=other.id)
        part = self.env["product.product"].create(
            {
                "name": "Shared tilt cylinder",
                "is_storable": True,
                "seller_ids": [
                    Command.create(
                        {"partner_id": vendor.id, "company_id": other.id, "sequence": 1}
                    ),
                    Command.create({"partner_id": self.supplier_a.id, "sequence": 2}),
                ],
            }
        )
        cases = self.env["forklift.feedback"].with_user(self.staff)
        with self.assertRaises(AccessError):
            vendor.with_user(self.staff).check_access("read")
        result = cases.onchange(
            {"responsibility": "supplier", "supplier_part_id": part.id},
            ["supplier_part_id"],
            {
                "responsibility": {},
                "supplier_part_id": {},
                "supplier_id": {"fields": {"display_name": {}}},
            },
        )
        self.assertEqual(result["value"]["supplier_id"]["id"], self.supplier_a.id)
        self.assertNotIn(vendor.name, str(result))
        case = self._supplier_case(
            supplier_id=False, supplier_part_id=part.id, route="technician"
        )
        self.assertEqual(case.supplier_id, self.supplier_a)

    def test_no_supplier_and_no_vendor_is_refused(self):
        """A supplier-caused failure whose failed part has no vendor names its
        supplier before it is verified."""
        case = self._draft_supplier_case(
            route="technician", supplier_part_id=self.pump.id
        )
        self._assert_not_verified(case, "Name the supplier")
        self.assertFalse(case.supplier_id)

    def test_only_qa_corrects_the_supplier_of_a_sheet_not_claimed_elsewhere(self):
        """R-049: QA corrects the supplier at fault, the service center does
        not; a sheet in a claim keeps the claim's supplier until the claim is
        cancelled (R-018)."""
        case = self._supplier_case()
        with self.assertRaises(UserError):
            case.with_user(self.staff).write({"supplier_id": self.supplier_b.id})
        with self.assertRaises(AccessError):
            case.with_user(self.staff)._correct_supplier(self.supplier_b, "Wrong")
        case.with_user(self.qa).action_create_quality_claim()
        claim = case.quality_claim_ids
        with self.assertRaisesRegex(UserError, "cancel the claim"):
            case.with_user(self.qa)._correct_supplier(self.supplier_b, "Wrong")
        self.assertEqual(case.supplier_id, self.supplier_a)
        claim.with_user(self.qa).action_cancel()
        case.with_user(self.qa)._correct_supplier(
            self.supplier_b, "The chain, not the pump, failed first."
        )
        self.assertEqual(case.supplier_id, self.supplier_b)
        self.assertEqual(self._statistics_supplier(case), self.supplier_b)

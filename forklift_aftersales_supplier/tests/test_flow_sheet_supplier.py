from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestFlowSheetSupplier(SupplierCommon):
    """The supplier side of a feedback sheet holds whatever the client sends."""

    def test_supplier_at_fault_is_fixed_once_verified(self):
        """R-085, 000 §4.2.3.1: the supplier found at fault is part of the
        verified diagnosis; staff cannot move the failure to another supplier
        afterwards."""
        case = self._supplier_case()
        for vals in (
            {"supplier_id": self.supplier_b.id},
            {"supplier_part_id": self.part.id},
            {"supplier_judged_by": "phone"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                case.with_user(self.staff).write(vals)
        self.assertEqual(case.supplier_id, self.supplier_a)
        self.assertEqual(case.supplier_part_id, self.pump)
        self.assertEqual(case.supplier_judged_by, "on_site")

    def test_claims_are_raised_by_qa_only(self):
        """R-077, 000 §3.3, §3.5: only QA raises a quality claim from sheets;
        nobody links a sheet to a claim by writing the sheet."""
        case = self._supplier_case()
        with self.assertRaises(AccessError):
            case.with_user(self.staff).action_create_quality_claim()
        self.assertFalse(case.quality_claim_ids)
        case.with_user(self.qa).action_create_quality_claim()
        claim = case.quality_claim_ids
        self.assertEqual(len(claim), 1)
        other = self._supplier_case()
        with self.assertRaises(AccessError):
            other.with_user(self.staff).write({"quality_claim_ids": [(4, claim.id)]})
        self.assertFalse(other.quality_claim_ids)
        self.assertEqual(claim.feedback_ids, case)

    def test_viewer_cannot_contact_the_supplier(self):
        """R-086, 000 §4.2.3.2: contacting the supplier is the service
        center's step; QA (read-only on sheets) creates no service order."""
        case = self._supplier_case()
        with self.assertRaises(AccessError):
            case.with_user(self.qa).action_contact_supplier()
        self.assertFalse(case.service_order_ids)

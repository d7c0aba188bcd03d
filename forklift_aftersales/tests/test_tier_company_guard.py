from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestTierCompanyGuard(ForkliftCommon):
    """The approvals a document asks for are those of its company: in a
    company with none, asking for them is refused, not left waiting for
    nobody."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.north = cls.env["res.company"].create({"name": "Forklift North"})
        cls.north_staff = cls._company_user(
            "tg_staff", "group_forklift_user", cls.north
        )
        # the shipped approvals belong to the first company, as a definition
        # created there does by default
        cls.env["tier.definition"].search([]).company_id = cls.env.company
        unit = cls.env["forklift.unit"].create(
            {
                "name": "SN-N-0001",
                "product_id": cls.forklift_product.id,
                "partner_id": cls.customer.id,
                "acceptance_date": date(2026, 1, 10),
                "company_id": cls.north.id,
            }
        )
        cls.north_unit = unit
        cls.north_case = cls._verified_case(unit=unit, company_id=cls.north.id)

    def _assert_approval_refused(self, document, *names, step="request_validation"):
        """Asking the approval of ``document`` (of the north company) by its
        ``step`` is refused, naming the company, and leaves its state and
        ``names`` as they were."""
        names = ["state", *names]
        before = self._field_values(document, names)
        with self.assertRaises(UserError) as refusal:
            getattr(document.with_user(self.north_staff), step)()
        self.assertIn("Forklift North", str(refusal.exception))
        self.assertFalse(document.sudo().review_ids)
        self.assertEqual(self._field_values(document, names), before)

    def test_parts_request_of_a_company_without_approvals_is_refused(self):
        """R-193, R-194, R-195, R-197, R-198 (000 §4.3.1.2, §4.3.1.4): a
        warranty parts request whose company has no approval band is not
        left with no reviewer: its approval request is refused."""
        request = self.env["forklift.parts.request"].create(
            self._parts_request_vals(self.north_case)
        )
        self.assertEqual(request.company_id, self.north)
        self._assert_approval_refused(request)

    def test_local_purchase_of_a_company_without_approvals_is_refused(self):
        """R-017, R-103, R-200, R-201 (000 §4.3.2.2): the same for a local
        purchase's reimbursement claim."""
        scan = (
            self.env["ir.attachment"]
            .with_user(self.north_staff)
            .create({"name": "invoice.pdf", "raw": b"%PDF-1.4"})
        )
        purchase = self._local_purchase(
            self.north_case, 100, scan=scan, claim_date=False
        )
        purchase._write_flow(
            {"consent_by_id": self.director.id, "consent_date": "2026-03-02 08:00:00"}
        )
        self.assertEqual(purchase.company_id, self.north)
        self._assert_approval_refused(purchase, "claim_date")

    def test_vehicle_return_of_a_company_without_signatures_is_refused(self):
        """R-237 (000 §4.4.1): a vehicle return of a company whose signatures
        are not defined is not submitted."""
        vehicle_return = self.env["forklift.vehicle.return"].create(
            {
                "unit_id": self.north_unit.id,
                "company_id": self.north.id,
                "returned_by": "Li Ming",
                "reason_type": "product",
                "description": "<p>Mast frame cracked at the weld.</p>",
            }
        )
        self._assert_approval_refused(vehicle_return, step="action_submit")

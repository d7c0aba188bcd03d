from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ForkliftCommon, ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestTierCompanyGuard(ForkliftCommon):
    """The approvals a document asks for are those of its company: in a
    company with none, asking for them is refused, not left waiting for
    nobody."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.north, cls.north_staff = cls._new_company_user(
            "Forklift North", "tg_staff", "group_forklift_user"
        )
        # the shipped approvals belong to the first company, as a definition
        # created there does by default
        cls.env["tier.definition"].search([]).company_id = cls.env.company
        unit = cls._company_unit("SN-N-0001", cls.north)
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


@tagged("post_install", "-at_install")
class TestTierShippedCompanyGuard(ShippedPartsCommon):
    """The approvals as the modules ship them, in a second company (a
    subsidiary, an overseas branch): the bands of a parts request, a local
    purchase or a deferral were installed in the first company and do not
    apply there. Its documents are refused their approval, never carried on
    (approved, shipped, reimbursed, deferred) without any review; the chains
    shipped for every company ask their reviewers there as anywhere."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch, cls.branch_staff = cls._new_company_user(
            "Forklift Overseas", "ts_staff", "group_forklift_user"
        )
        cls.branch_office = cls._company_user(
            "ts_office", "group_forklift_office_director", cls.branch
        )
        cls.branch_director = cls._company_user(
            "ts_director", "group_forklift_director", cls.branch
        )
        cls.branch_warehouse = cls._company_user(
            "ts_warehouse", "group_forklift_warehouse", cls.branch
        )
        cls.branch_unit = cls._company_unit(
            "SN-OV-0001", cls.branch, dealer_id=cls.dealer_a.id
        )

    def _assert_no_band_in_branch(self, model):
        """The shipped definitions of ``model`` are not the branch's: the
        premise of the refusals below."""
        self.assertFalse(
            self.env["tier.definition"]._forklift_get_definition_ids(
                model, (self.branch.id,)
            ),
            f"{model}: the shipped approvals do not apply to a second company",
        )

    def _assert_request_refused(self, document, user):
        """Asking the approval of ``document`` is refused to ``user``, naming
        the branch to set up, and asks nobody."""
        with self.assertRaises(UserError) as refusal:
            document.with_user(user).request_validation()
        self.assertIn("Forklift Overseas", str(refusal.exception))
        self.assertFalse(document.sudo().review_ids)

    def test_dealer_parts_request_of_a_second_company_is_not_shipped_unreviewed(
        self,
    ):
        """R-196, R-091 (000 §4.2.2.3, §4.3.1.3), R-193–R-195: a dealer's
        application in the branch asks the office director and the amount
        bands, none of which apply there: asking its approval is refused, and
        neither the staff nor a reviewer nor the warehouse approves it, so no
        delivery is made for it."""
        self._assert_no_band_in_branch("forklift.parts.request")
        case = self._verified_case(unit=self.branch_unit, company_id=self.branch.id)
        request = self.env["forklift.parts.request"].create(
            {
                "feedback_id": case.id,
                "applicant_type": "dealer",
                "dealer_id": self.dealer_a.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.part.id,
                            "quantity": 2,
                            "warranty_reason": "unqualified",
                        }
                    )
                ],
            }
        )
        self.assertEqual(request.company_id, self.branch)
        self._assert_request_refused(request, self.branch_staff)
        for user in (
            self.branch_staff,
            self.branch_office,
            self.branch_director,
            self.branch_warehouse,
        ):
            with self.subTest(user=user.login):
                self._assert_steps_refused(
                    request, user, "action_approve", "validate_tier"
                )
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.picking_id)
        self.assertFalse(
            self.env["stock.picking"].search(
                [("forklift_parts_request_id", "=", request.id)]
            )
        )

    def test_local_purchase_of_a_second_company_is_not_reimbursed_unreviewed(self):
        """R-200, R-201, R-103 (000 §4.3.2.2): a local purchase in the branch
        is neither approved nor reimbursed without its reviews."""
        self._assert_no_band_in_branch("forklift.local.purchase")
        case = self._verified_case(unit=self.branch_unit, company_id=self.branch.id)
        purchase = self._local_purchase(case, 100, claim_date=False)
        purchase._write_flow(
            {
                "consent_by_id": self.branch_director.id,
                "consent_date": "2026-03-02 08:00:00",
            }
        )
        self.assertEqual(purchase.company_id, self.branch)
        self._assert_request_refused(purchase, self.branch_staff)
        for user in (self.branch_staff, self.branch_director):
            with self.subTest(user=user.login):
                self._assert_steps_refused(
                    purchase, user, "action_approve", "validate_tier"
                )
        self._assert_steps_refused(purchase, self.branch_staff, "action_reimburse")
        self.assertEqual(purchase.state, "draft")
        self.assertFalse(purchase.bill_id)
        self.assertFalse(purchase.claim_date)

    def test_deferral_of_a_second_company_is_not_agreed_unreviewed(self):
        """R-102 (000 §4.3.2.1): a deferred payment in the branch is not
        agreed without the director's review: asking it is refused and the
        sheet stays paid on the spot."""
        self._assert_no_band_in_branch("forklift.payment.deferral")
        case = self._verified_case(
            unit=self.branch_unit, company_id=self.branch.id, responsibility="misuse"
        )
        with self.assertRaises(UserError) as refusal:
            case.with_user(self.branch_staff).action_request_deferral()
        self.assertIn("Forklift Overseas", str(refusal.exception))
        self.assertFalse(case.payment_deferral_ids)
        self.assertEqual(case.payment_mode, "on_the_spot")
        self.assertFalse(case.deferral_approved_by_id)

    def test_chain_shipped_for_every_company_asks_its_reviewers_there(self):
        """R-237 (000 §4.4.1): the signatures of a vehicle return are shipped
        for every company: one of the branch asks them as in the first, of
        the office director governing its forklift's dealer there."""
        self._govern_dealers(self.branch_office, self.dealer_a)
        vehicle_return = (
            self.env["forklift.vehicle.return"]
            .with_user(self.branch_staff)
            .create(
                {
                    "unit_id": self.branch_unit.id,
                    "company_id": self.branch.id,
                    "returned_by": "Li Ming",
                    "reason_type": "product",
                    "description": "<p>Mast frame cracked at the weld.</p>",
                }
            )
        )
        vehicle_return.action_submit()
        pending = vehicle_return.sudo().review_ids.filtered(
            lambda r: r.status == "pending"
        )
        self.assertIn(self.branch_office, pending.reviewer_ids)

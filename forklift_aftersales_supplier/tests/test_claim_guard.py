from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SupplierCommon

COMMITTEE = "before the after-sales committee"
NOT_A_SUPPLIER = "not a supplier company"


class RefusalMixin:
    @contextmanager
    def _refused(self, exception, text):
        """The block is refused with ``exception`` saying ``text``; in a
        savepoint, as the request's transaction would be rolled back."""
        with self.assertRaises(exception) as refused:
            yield
        self.assertIn(text, str(refused.exception))


@tagged("post_install", "-at_install")
class TestClaimSupplierGuard(RefusalMixin, SupplierCommon):
    """A quality claim is made against a supplier company the claim's company
    buys from, as QA's correction of a sheet's supplier at fault is: never a
    customer company nor a person, whatever id a client sends, so that no
    vendor credit note is posted to a customer and no customer's portal shows
    a claim (000 §3.3, §3.5, §4.2.3; R-018, R-049, R-077, R-224, R-256,
    R-261)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner_model = cls.env["res.partner"]
        # a domestic customer company, never bought from (supplier_rank 0)
        cls.customer_company = cls.customer
        cls.private_person = partner_model.create({"name": "Wang Wei"})
        cls.supplier_contact = partner_model.create(
            {"name": "Zhang Min", "parent_id": cls.supplier_a.id}
        )
        cls.retired_vendor = partner_model.create(
            {"name": "Old Pumps", "is_company": True, "supplier_rank": 1}
        )
        cls.retired_vendor.active = False
        # vendors made the ways TestSupplierCorrectionGuard's fixtures make
        # them: a vendor price line of a product, a quality agreement
        cls.priced_vendor = partner_model.create(
            {"name": "Valve Works", "is_company": True}
        )
        cls.pump.product_tmpl_id.seller_ids = [
            Command.create({"partner_id": cls.priced_vendor.id, "price": 280})
        ]
        cls.agreement_vendor = partner_model.create(
            {
                "name": "Seal Makers",
                "is_company": True,
                "forklift_quality_agreement": "QA-2026-003",
            }
        )
        cls.non_vendors = (
            cls.customer_company
            | cls.private_person
            | cls.supplier_contact
            | cls.retired_vendor
        )

    def _claim_vals(self, supplier):
        return {
            "supplier_id": supplier.id,
            "product_id": self.pump.id,
            "line_ids": [
                Command.create(
                    {
                        "cost_type": "parts",
                        "product_id": self.pump.id,
                        "name": "pump",
                        "quantity": 1,
                        "price_unit": 500,
                    }
                )
            ],
        }

    def _assert_nothing_against(self, partners):
        """No claim names ``partners`` and no vendor credit note is theirs."""
        claims = self.env["forklift.quality.claim"].with_context(active_test=False)
        self.assertFalse(claims.search([("supplier_id", "in", partners.ids)]))
        self.assertFalse(
            self.env["account.move"].search(
                [("move_type", "=", "in_refund"), ("partner_id", "in", partners.ids)]
            )
        )

    def test_a_claim_against_a_customer_or_a_person_is_refused(self):
        """R-049, R-224: QA's inspector creating a claim against a customer
        company, a person, a supplier's contact person or an archived vendor
        is refused with a clear message; no claim and no credit note exist."""
        claims = self.env["forklift.quality.claim"].with_user(self.qa)
        for partner in self.non_vendors:
            with self.subTest(partner=partner.name):
                with self._refused(ValidationError, NOT_A_SUPPLIER):
                    claims.with_context(active_test=False).create(
                        self._claim_vals(partner)
                    )
        self._assert_nothing_against(self.non_vendors)

    def test_a_draft_claim_cannot_be_moved_to_a_customer(self):
        """R-049, R-224: the supplier of a draft claim is changed only to
        another supplier company; the claim keeps its supplier."""
        claim = (
            self.env["forklift.quality.claim"]
            .with_user(self.qa)
            .create(self._claim_vals(self.supplier_a))
        )
        for partner in self.non_vendors:
            with self.subTest(partner=partner.name):
                with self._refused(ValidationError, NOT_A_SUPPLIER):
                    claim.with_user(self.qa).write({"supplier_id": partner.id})
                self.assertEqual(claim.supplier_id, self.supplier_a)
        self.assertEqual(claim.state, "draft")
        self._assert_nothing_against(self.non_vendors)

    def test_an_imported_claim_against_a_customer_is_refused(self):
        """R-049: an import names a supplier company too."""
        result = (
            self.env["forklift.quality.claim"]
            .with_user(self.qa)
            .load(
                ["supplier_id/.id", "product_id/.id"],
                [[str(self.customer_company.id), str(self.pump.id)]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn(
            NOT_A_SUPPLIER, " ".join(m["message"] for m in result["messages"])
        )
        self._assert_nothing_against(self.customer_company)

    def test_a_vendor_company_is_accepted(self):
        """R-224, R-018: a company purchased from (vendor rank), one with a
        vendor price line or a quality agreement is claimed from."""
        claims = self.env["forklift.quality.claim"].with_user(self.qa)
        for supplier in self.supplier_a | self.priced_vendor | self.agreement_vendor:
            with self.subTest(supplier=supplier.name):
                claim = claims.create(self._claim_vals(supplier))
                self.assertEqual(claim.supplier_id, supplier)


@tagged("post_install", "-at_install")
class TestClaimCommitteeGuard(RefusalMixin, SupplierCommon):
    """A claim the supplier contests is decided by the after-sales committee:
    while its review is undecided, nobody writes the agreed amounts, agrees
    nor settles the claim; the committee's decision lets it go on
    (000 §3.5, §4.2.4; R-018, R-020, R-052, R-057, R-077, R-207, R-246)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the lowest purchasing login: after-sales purchasing alone
        cls.purchaser = cls._group_user(
            "fa_claim_purchaser", "group_forklift_purchasing"
        )
        cls.chief = cls._group_user("fa_claim_chief", "group_forklift_chief_engineer")

    def _claimed(self):
        """A claim of 500 for a pump, sent to supplier A by QA's inspector."""
        claim = (
            self.env["forklift.quality.claim"]
            .with_user(self.qa)
            .create(
                {
                    "supplier_id": self.supplier_a.id,
                    "product_id": self.pump.id,
                    "line_ids": [
                        Command.create(
                            {
                                "cost_type": "parts",
                                "product_id": self.pump.id,
                                "name": "pump",
                                "quantity": 1,
                                "price_unit": 500,
                            }
                        )
                    ],
                }
            )
        )
        claim.action_claim()
        return claim.with_user(self.purchaser)

    def _refunds(self, claim):
        return self.env["account.move"].search(
            [("move_type", "=", "in_refund"), ("invoice_origin", "=", claim.name)]
        )

    def _decide(self, review, decision="<p>The supplier pays 300.</p>"):
        """Three seat holders meet and sign the decision."""
        review.write({"decision": decision})
        for member in self.chief | self.qa_manager | self.director:
            review.with_user(member).action_confirm_attendance()
        review.with_user(self.chief).request_validation()
        for member in self.qa_manager | self.director:
            review.with_user(member).validate_tier()

    def test_amounts_are_not_agreed_before_the_committee(self):
        """R-020, R-052, R-246: once purchasing refers the contested claim to
        the committee, neither purchasing nor QA writes the agreed amounts,
        line by line or through the claim, nor agrees the claim; nothing
        changes."""
        claim = self._claimed()
        claim.action_negotiate()
        claim.action_refer_to_committee()
        line = claim.line_ids
        for user in self.purchaser | self.qa | self.qa_manager:
            with self.subTest(user=user.login):
                with self._refused(UserError, COMMITTEE):
                    line.with_user(user).amount_agreed = 100
                with self._refused(UserError, COMMITTEE):
                    claim.with_user(user).write(
                        {"line_ids": [Command.update(line.id, {"amount_agreed": 0})]}
                    )
                with self._refused(UserError, COMMITTEE):
                    claim.with_user(user).action_agree()
        self.assertEqual(line.amount_agreed, 500)
        self.assertEqual(claim.amount_agreed, 500)
        self.assertEqual(claim.state, "negotiation")
        self.assertFalse(self._refunds(claim))

    def test_a_claim_before_the_committee_is_neither_negotiated_nor_cancelled(
        self,
    ):
        """R-020, R-052: while the committee has the contested claim before
        it, neither purchasing nor QA moves it to negotiation or withdraws it
        (the committee would decide on a claim no longer made); the form says
        so, and the committee cancelling its review lets them again."""
        claim = self._claimed()
        claim.action_refer_to_committee()
        self.assertTrue(claim.is_before_committee)
        for user in self.purchaser | self.qa | self.qa_manager:
            with self.subTest(user=user.login):
                with self._refused(UserError, COMMITTEE):
                    claim.with_user(user).action_negotiate()
                with self._refused(UserError, COMMITTEE):
                    claim.with_user(user).action_cancel()
        self.assertEqual(claim.state, "claimed")
        review = claim.sudo().committee_review_ids.with_user(self.chief)
        # the committee meets and withdraws the review
        review.action_confirm_attendance()
        review.action_cancel()
        self.assertFalse(claim.is_before_committee)
        claim.action_cancel()
        self.assertEqual(claim.state, "cancel")

    def test_a_party_does_not_withdraw_the_committees_review(self):
        """R-020, R-228: QA, a seat holder who made the claim but was not at
        the meeting, does not cancel the committee's review of it (with the
        signatures asked of the members present), and so cannot withdraw or
        agree the claim meanwhile."""
        claim = self._claimed()
        claim.action_refer_to_committee()
        review = claim.sudo().committee_review_ids
        review.write({"decision": "<p>The supplier pays in full.</p>"})
        rnd = self._group_user("fa_claim_rnd", "group_forklift_rnd_manager")
        for member in self.chief | self.director | rnd:
            review.with_user(member).action_confirm_attendance()
        review.with_user(self.chief).request_validation()
        with self._refused(AccessError, "Only a member present"):
            review.with_user(self.qa_manager).action_cancel()
        self.assertEqual(review.state, "draft")
        self.assertTrue(review.review_ids)
        with self._refused(UserError, COMMITTEE):
            claim.with_user(self.qa_manager).action_cancel()
        self.assertEqual(claim.state, "claimed")

    def test_a_claim_before_the_committee_is_not_settled(self):
        """R-020, R-052: an agreed claim with an undecided review of the
        committee (referred before this guard) is not settled by anyone: no
        credit note, the claim stays agreed."""
        claim = self._claimed()
        claim.action_agree()
        claim.settlement_mode = "credit_note"
        # as the referral's server code creates it
        self.env["forklift.committee.review"]._create_flow(
            [
                {
                    "subject_type": "quality_claim",
                    "quality_claim_id": claim.id,
                    "title": "Disputed",
                    "company_id": claim.company_id.id,
                }
            ]
        )
        for user in self.purchaser | self.qa_manager:
            with self.subTest(user=user.login):
                with self._refused(UserError, COMMITTEE):
                    claim.with_user(user).action_settle()
        self.assertEqual(claim.state, "agreed")
        self.assertFalse(claim.sudo().refund_move_id)
        self.assertFalse(self._refunds(claim))

    def test_the_committee_decision_lets_the_claim_go_on(self):
        """R-020, R-207, R-246: after the committee decided, purchasing sets
        the agreed amounts as decided, agrees and settles the claim."""
        claim = self._claimed()
        claim.action_refer_to_committee()
        review = claim.sudo().committee_review_ids
        self._decide(review)
        self.assertIn(review.state, ("decided", "done"))
        claim.line_ids.amount_agreed = 300
        claim.action_agree()
        claim.settlement_mode = "credit_note"
        claim.action_settle()
        self.assertEqual(claim.state, "settled")
        self.assertEqual(self._refunds(claim).amount_total, 300)

    def test_a_review_cancelled_by_the_committee_lets_the_claim_go_on(self):
        """R-020: a review the committee cancelled no longer holds the claim."""
        claim = self._claimed()
        claim.action_refer_to_committee()
        review = claim.sudo().committee_review_ids.with_user(self.chief)
        # the committee meets and withdraws the review
        review.action_confirm_attendance()
        review.action_cancel()
        claim.line_ids.amount_agreed = 400
        claim.action_agree()
        self.assertEqual(claim.state, "agreed")
        self.assertEqual(claim.amount_agreed, 400)

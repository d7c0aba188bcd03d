from contextlib import contextmanager
from datetime import date

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

    def _pump_claim_vals(self, supplier=None, **vals):
        """A claim of 500 for a pump, against ``supplier`` (supplier A)."""
        return {
            "supplier_id": (supplier or self.supplier_a).id,
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
            **vals,
        }

    def _pump_claim(self, **vals):
        """A claim of 500 for a pump, sent to supplier A by QA."""
        claim = (
            self.env["forklift.quality.claim"]
            .with_user(self.qa)
            .create(self._pump_claim_vals(**vals))
        )
        claim.action_claim()
        return claim


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
        cls.retired_vendor = cls._vendor("Old Pumps")
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
        return self._pump_claim_vals(supplier)

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

    def test_outsiders_learn_nothing_of_a_vendors_logins(self):
        """R-047, R-056, R-086: a claim's new supplier is checked as
        superuser for portal logins QA or purchasing did not give, which the
        refusal names; a supplier's portal user, an employee outside
        after-sales and QA of another company (naming a vendor of this
        company only) are refused before that check, creating a claim or
        moving a draft one, told nothing of the vendor, and nothing is
        saved."""
        partner_model = self.env["res.partner"]
        vendor = partner_model.create(
            {
                "name": "Bearings D Co.",
                "is_company": True,
                "supplier_rank": 1,
                "company_id": self.env.company.id,
            }
        )
        clerk = partner_model.create(
            {
                "name": "Li Qiang",
                "email": "li@bearings-d.example.com",
                "parent_id": vendor.id,
            }
        )
        # a login a partner manager gave, before any claim
        self._group_user("fa_claim_bearings", "base.group_portal", partner_id=clerk.id)
        draft = self._draft_pump_claim()
        outsiders = self._outsiders("fa_claim", "group_forklift_qa")
        claims = self.env["forklift.quality.claim"]
        for user in outsiders:
            for way, attack in (
                (
                    "create",
                    lambda u=user: claims.with_user(u).create(self._claim_vals(vendor)),
                ),
                (
                    "write",
                    lambda u=user: draft.with_user(u).write({"supplier_id": vendor.id}),
                ),
            ):
                with self.subTest(user=user.login, way=way):
                    with self.assertRaises(AccessError) as refused:
                        attack()
                    for name in (vendor.name, clerk.name):
                        self.assertNotIn(name, str(refused.exception))
        self._assert_nothing_against(vendor)
        self.assertEqual(draft.supplier_id, self.supplier_a)


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
        return self._pump_claim().with_user(self.purchaser)

    def _refunds(self, claim):
        return self.env["account.move"].search(
            [("move_type", "=", "in_refund"), ("invoice_origin", "=", claim.name)]
        )

    def _decide(self, review, decision="<p>The supplier pays 300.</p>", amount=300):
        """Three seat holders meet and sign the decision: the supplier pays
        ``amount``."""
        review.write({"decision": decision, "claim_amount_decided": amount})
        for member in self.chief | self.qa_manager | self.director:
            review.with_user(member).action_confirm_attendance()
        review.with_user(self.chief).request_validation()
        for member in self.qa_manager | self.director:
            review.with_user(member).validate_tier()

    def _agree_and_settle(self, claim, amount):
        """Purchasing agrees ``amount`` on the claim's one cost and settles
        it by a credit note of that amount."""
        claim.line_ids.amount_agreed = amount
        claim.action_agree()
        claim.settlement_mode = "credit_note"
        claim.action_settle()
        self.assertEqual(claim.state, "settled")
        self.assertEqual(self._refunds(claim).amount_total, amount)

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

    def test_supplier_does_not_read_the_committees_progress(self):
        """R-020, R-228: the committee's review of a contested claim is the
        after-sales staff's; the supplier reads his claim, not whether the
        committee still has it before it (its decision reaches him through
        the claim's own state)."""
        claim = self._claimed()
        claim.action_refer_to_committee()
        with self.assertRaises(AccessError):
            claim.with_user(self.portal_a).read(["is_before_committee"])
        self.assertEqual(
            claim.with_user(self.portal_a).read(["state"])[0]["state"], "claimed"
        )
        self.assertTrue(claim.with_user(self.qa).is_before_committee)

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
        self._agree_and_settle(claim, 300)

    def test_the_claim_bills_what_the_committee_decided(self):
        """R-018, R-020, R-052, R-246 (000 §3.5, §4.2.4): the supplier
        contested the claim of 500 and the committee decided he pays 300.
        Purchasing then agrees 450 with the supplier: the agreement is
        refused, the claim stays open and no credit note is made; agreed as
        decided, it is settled by a credit note of 300."""
        claim = self._claimed()
        claim.action_refer_to_committee()
        review = claim.sudo().committee_review_ids
        self.assertEqual(review.claim_amount_decided, 500, "the amount claimed")
        with self._refused(ValidationError, "between nothing and"):
            review.write({"claim_amount_decided": 600})
        self._decide(review)
        claim.line_ids.amount_agreed = 450
        with self._refused(UserError, "committee decided"):
            claim.action_agree()
        self.assertEqual(claim.state, "claimed")
        self.assertFalse(self._refunds(claim))
        # the decided amount is the committee's decision: fixed with it
        with self._refused(UserError, "decided or cancelled"):
            review.with_user(self.chief).write({"claim_amount_decided": 450})
        self.assertEqual(review.claim_amount_decided, 300)
        self._agree_and_settle(claim, 300)

    def test_a_review_cancelled_by_the_committee_lets_the_claim_go_on(self):
        """R-020: a review the committee cancelled no longer holds the claim,
        which says so in its chatter and can be referred again."""
        claim = self._claimed()
        claim.action_refer_to_committee()
        review = claim.sudo().committee_review_ids.with_user(self.chief)
        # the committee meets and withdraws the review
        review.action_confirm_attendance()
        review.action_cancel()
        self.assertEqual(claim.state, "claimed")
        self.assertIn(review.name, claim.message_ids[:1].body)
        self.assertIn("withdrew", claim.message_ids[:1].body)
        claim.action_refer_to_committee()
        self.assertTrue(claim.is_before_committee)
        second = (
            claim.sudo()
            .committee_review_ids.filtered(lambda r: r.state == "draft")
            .with_user(self.chief)
        )
        second.action_confirm_attendance()
        second.action_cancel()
        claim.line_ids.amount_agreed = 400
        claim.action_agree()
        self.assertEqual(claim.state, "agreed")
        self.assertEqual(claim.amount_agreed, 400)


@tagged("post_install", "-at_install")
class TestClaimDutyGuard(RefusalMixin, SupplierCommon):
    """The claim itself holds who claims for a sheet's market, not only the
    sheet's button: an export sheet's claim is made, given its sheets and sent
    to the supplier by the department holding the export market's claims
    duty, whoever calls create, write or the claim's button (000 §3.3, §3.5,
    第一篇 L25, A-07; R-077, R-270)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the export market's claims given to a department QA's inspector is
        # not in (the export addon gives them to the after-sales parts
        # department), with or without the export addon
        cls.env.ref("forklift_aftersales.duty_export_claims").group_id = cls.env.ref(
            "forklift_aftersales.group_forklift_qa_manager"
        )
        cls.export_unit = cls._create_unit(
            "SN-EXP-CLAIM-1", acceptance=date(2026, 1, 10), market="export"
        )
        cls.export_case = cls._supplier_case(unit=cls.export_unit)
        cls.domestic_case = cls._supplier_case()

    def _claim_vals(self, cases=None):
        return self._pump_claim_vals(
            feedback_ids=[Command.set(cases.ids if cases else [])]
        )

    def _claims_of(self, case):
        return self.env["forklift.quality.claim"].search(
            [("feedback_ids", "in", case.ids)]
        )

    def test_export_claim_is_not_created_around_the_button(self):
        """R-077, R-270, A-07: QA's inspector, refused the export sheet's
        button, neither creates a claim for it directly nor links it to his
        domestic claim; no claim names the export sheet."""
        claims = self.env["forklift.quality.claim"].with_user(self.qa)
        with self._refused(AccessError, "QA Manager"):
            self.export_case.with_user(self.qa).action_create_quality_claim()
        with self._refused(AccessError, "QA Manager"):
            claims.create(self._claim_vals(self.export_case))
        claim = claims.create(self._claim_vals(self.domestic_case))
        with self._refused(AccessError, "QA Manager"):
            claim.write({"feedback_ids": [Command.link(self.export_case.id)]})
        self.assertEqual(claim.feedback_ids, self.domestic_case)
        self.assertFalse(self._claims_of(self.export_case))

    def test_export_claim_is_sent_by_the_duty_holder_only(self):
        """R-077, R-270, A-07: a draft claim for the export sheet is sent to
        the supplier only by the department holding the export claims: QA's
        inspector is refused, the claim stays a draft and nothing is mailed to
        the supplier; the duty holder sends it."""
        claim = (
            self.env["forklift.quality.claim"]
            .with_user(self.qa_manager)
            .create(self._claim_vals(self.export_case))
        )
        with self._refused(AccessError, "QA Manager"):
            claim.with_user(self.qa).action_claim()
        self.assertEqual(claim.state, "draft")
        self.assertFalse(claim.claimed_date)
        self.assertNotIn(self.supplier_a, claim.message_partner_ids)
        # nor does the inspector swap its sheets
        with self._refused(AccessError, "QA Manager"):
            claim.with_user(self.qa).write(
                {"feedback_ids": [Command.set(self.domestic_case.ids)]}
            )
        self.assertEqual(claim.feedback_ids, self.export_case)
        claim.with_user(self.qa_manager).action_claim()
        self.assertEqual(claim.state, "claimed")

    def test_domestic_claim_stays_with_qa(self):
        """R-077: QA's inspector still makes and sends a domestic sheet's claim."""
        claim = (
            self.env["forklift.quality.claim"]
            .with_user(self.qa)
            .create(self._claim_vals(self.domestic_case))
        )
        claim.action_claim()
        self.assertEqual(claim.state, "claimed")


@tagged("post_install", "-at_install")
class TestClaimResponsibleGuard(RefusalMixin, SupplierCommon):
    """A settled or cancelled claim is the record of who claimed: its QA
    responsible and its purchasing helper no longer change, by the form, RPC
    or an import (000 §3.5; R-005, R-018)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.purchaser = cls._group_user(
            "fa_resp_purchaser", "group_forklift_purchasing"
        )

    def _claimed(self):
        return self._pump_claim(purchaser_id=self.purchaser.id)

    def _settled(self):
        claim = self._claimed().with_user(self.purchaser)
        claim.action_agree()
        claim.settlement_mode = "credit_note"
        claim.action_settle()
        self.assertEqual(claim.state, "settled")
        return claim

    def _cancelled(self):
        claim = self._claimed().with_user(self.purchaser)
        claim.action_cancel()
        return claim

    def test_responsibles_of_a_closed_claim_do_not_change(self):
        """R-005, R-018: on a settled or a cancelled claim QA writing, or
        importing, another QA responsible and purchaser is refused; they stay
        those who claimed."""
        for make in (self._settled, self._cancelled):
            claim = make()
            with self.subTest(state=claim.state):
                for user in self.qa | self.purchaser:
                    with self._refused(UserError, "can no longer change"):
                        claim.with_user(user).write(
                            {
                                "user_id": self.technician.id,
                                "purchaser_id": self.technician.id,
                            }
                        )
                result = (
                    self.env["forklift.quality.claim"]
                    .with_user(self.qa)
                    .load(
                        [".id", "user_id/.id", "purchaser_id/.id"],
                        [
                            [
                                str(claim.id),
                                str(self.technician.id),
                                str(self.technician.id),
                            ]
                        ],
                    )
                )
                self.assertFalse(result["ids"])
                self.assertIn(
                    "can no longer change",
                    " ".join(m["message"] for m in result["messages"]),
                )
                claim.invalidate_recordset()
                self.assertEqual(claim.sudo().user_id, self.qa)
                self.assertEqual(claim.sudo().purchaser_id, self.purchaser)

    def test_responsibles_of_an_open_claim_change(self):
        """R-018: while the claim is negotiated QA hands it over."""
        claim = self._claimed()
        claim.write({"user_id": self.qa_manager.id, "purchaser_id": self.buyer.id})
        self.assertEqual(claim.user_id, self.qa_manager)


@tagged("post_install", "-at_install")
class TestClaimLineDefaultGuard(RefusalMixin, SupplierCommon):
    """R-261, 000 §4.2.3.5: a claim takes new costs while it is a draft only;
    a cost line given its claim by a context default or by an import (which
    creates with the context) is no new way in: the claimed and agreed
    amounts, the credit note and the statistics by supplier stay."""

    def test_a_sent_claim_takes_no_cost_by_a_default_or_an_import(self):
        claim = self._pump_claim()
        before = claim.amount_claimed
        Line = self.env["forklift.quality.claim.line"].with_user(self.qa)
        vals = {"cost_type": "labour", "name": "extra labour", "quantity": 10}
        with self._refused(UserError, "no longer open"):
            Line.with_context(default_claim_id=claim.id).create(
                [{**vals, "price_unit": 500}]
            )
        result = Line.with_context(default_claim_id=claim.id).load(
            ["name", "cost_type", "quantity", "price_unit"],
            [["loaded", "freight", "2", "100"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("no longer open", str(result["messages"]))
        claim.invalidate_recordset()
        self.assertEqual(claim.amount_claimed, before)
        self.assertEqual(len(claim.line_ids), 1)

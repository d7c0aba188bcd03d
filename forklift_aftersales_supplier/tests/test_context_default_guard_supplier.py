"""The supplier addon's fields that a ``create`` override of an Odoo model
refuses in ``vals`` are refused as well given by a ``default_<field>``
context key a client sends with any call, which Odoo's ``default_get``
would store (``tools.with_defaults``)."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.forklift_aftersales.tests.common import (
    ForkliftCommon,
    assert_link_cannot_mark_sent,
)

from .common import SENT, SupplierCommon


class SupplierContextCommon(ForkliftCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Default Parts Co."})
        cls.request = cls.env["forklift.parts.request"].create(
            cls._parts_request_vals(cls._verified_case(), 1, "unqualified")
        )

    def _rush_order(self):
        """A rush RFQ as the request's own step raises it (server code)."""
        return (
            self.env["purchase.order"]
            .sudo()
            .create(
                {
                    "partner_id": self.vendor.id,
                    "forklift_parts_request_id": self.request.id,
                    "order_line": [
                        Command.create({"product_id": self.part.id, "product_qty": 1})
                    ],
                }
            )
        )


@tagged("post_install", "-at_install")
class TestContextDefaultGuardSupplier(SupplierContextCommon):
    def _assert_refused(self, model, vals, **guarded):
        """``model.create(vals)`` with the ``guarded`` values is refused, given
        in the values or as ``default_*`` context keys, and creates nothing."""
        count = model.sudo().search_count([])
        defaults = {f"default_{name}": value for name, value in guarded.items()}
        for kind, attempt, attempt_vals in (
            ("values", model, {**vals, **guarded}),
            ("defaults", model.with_context(**defaults), vals),
        ):
            with self.subTest(kind=kind), self.assertRaises(AccessError):
                attempt.create(attempt_vals)
        self.assertEqual(model.sudo().search_count([]), count)

    def test_buyer_cannot_link_his_purchase_to_a_request_by_default(self):
        """R-094 (README "What no user can do": a purchase is linked to an
        urgent parts request only by the request itself):
        ``default_forklift_parts_request_id`` is refused as the value is; the
        buyer's order would show as the request's rush purchase."""
        buyer = self._group_user(
            "fa_cdg_buyer", "purchase.group_purchase_user,group_forklift_purchasing"
        )
        self._assert_refused(
            self.env["purchase.order"].with_user(buyer),
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    Command.create({"product_id": self.part.id, "product_qty": 1})
                ],
            },
            forklift_parts_request_id=self.request.id,
        )
        self.assertFalse(self.request.rush_purchase_ids)

    def test_no_supplier_qualification_by_default(self):
        """R-049, R-224 (README "What no user can do": a supplier's quality
        agreement and service capability are recorded by QA or purchasing):
        given to a salesman's new company by ``default_*`` keys they are
        refused as in the values; it would be a supplier that may be named
        at fault and sent service letters."""
        salesman = self._group_user(
            "fa_cdg_supplier_salesman",
            "sales_team.group_sale_salesman,base.group_partner_manager",
        )
        partners = self.env["res.partner"].with_user(salesman)
        for name, value in (
            ("forklift_quality_agreement", "QA-1"),
            ("forklift_service_capable", True),
        ):
            with self.subTest(field=name):
                self._assert_refused(
                    partners,
                    {"name": "Supplier by default", "is_company": True},
                    **{name: value},
                )


@tagged("post_install", "-at_install")
class TestContextDefaultGuardSupplierLinks(SupplierCommon):
    """The links a supplier document's own ``create`` checks in ``vals`` (a
    letter's service order, a claim's supplier, a committee review's claim)
    are checked as well given by a ``default_<field>`` context key, which
    Odoo's ``create`` would otherwise store unchecked."""

    def test_no_second_letter_on_a_dispatched_order_by_default(self):
        """R-003, R-086 (000 §4.2.3.2): a letter is written for a supplier's
        service order not yet dispatched, one letter at a time;
        ``default_service_order_id`` naming an order whose letter was sent
        is refused as the value is: no letter is created, the order keeps
        its one letter."""
        with freeze_time(SENT):
            letter = self._letter()
        order = letter.service_order_id
        letters = self.env["forklift.supplier.letter"].with_user(self.staff)
        with self.assertRaisesRegex(UserError, "waiting to be dispatched"):
            letters.with_context(default_service_order_id=order.id).create({})
        self.assertEqual(order.supplier_letter_ids, letter)

    def test_no_claim_against_a_vendor_with_early_logins_by_default(self):
        """R-056, R-086 (000 §3.3, §3.5): a claim against a vendor whose
        contact holds a portal login that neither QA nor purchasing gave
        waits until they give it again, as that login would read the claim;
        ``default_supplier_id`` is refused as the value is: no claim."""
        vendor = self.env["res.partner"].create(
            {"name": "Bearings D Co.", "is_company": True, "supplier_rank": 1}
        )
        clerk = self.env["res.partner"].create(
            {
                "name": "Desk, Bearings D",
                "email": "desk@bearings-d.example.com",
                "parent_id": vendor.id,
            }
        )
        # the login a partner manager gave, for Odoo's purchase portal
        self._group_user("fa_cdg_bearings", "base.group_portal", partner_id=clerk.id)
        claims = self.env["forklift.quality.claim"].with_user(self.qa)
        with self.assertRaisesRegex(UserError, "portal login"):
            claims.with_context(default_supplier_id=vendor.id).create(
                {"product_id": self.pump.id}
            )
        self.assertFalse(
            self.env["forklift.quality.claim"].search([("supplier_id", "=", vendor.id)])
        )

    def test_no_claim_referred_to_the_committee_by_default(self):
        """R-020, R-052 (000 §3.5, §4.2.4): a claim the supplier contests is
        referred to the committee by QA or purchasing, from the claim
        itself; the service center or a committee member creating a review
        with ``default_quality_claim_id`` is refused as the value is: no
        review holds the claim, which QA still negotiates."""
        claim = self._draft_pump_claim()
        claim.with_user(self.qa).action_claim()
        member = self._group_user("fa_cdg_member", "group_forklift_committee")
        reviews = self.env["forklift.committee.review"].with_context(
            default_quality_claim_id=claim.id
        )
        for user in self.staff | member:
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                reviews.with_user(user).create(
                    {
                        "subject_type": "quality_claim",
                        "title": "Disputed claim",
                        "reason": "Contested by the supplier",
                    }
                )
        self.assertFalse(claim.sudo().committee_review_ids)
        self.assertFalse(claim.with_user(self.qa).is_before_committee)
        claim.with_user(self.qa).action_negotiate()
        self.assertEqual(claim.state, "negotiation")


@tagged("post_install", "-at_install")
class TestContextMarkSentGuardSupplier(HttpCase, SupplierContextCommon):
    @mute_logger("odoo.http")
    def test_link_holder_cannot_mark_a_rush_rfq_sent(self):
        """R-094: purchase's ``message_post`` marks a draft RFQ sent when the
        context says ``mark_rfq_as_sent`` (purchasing mails it); Odoo's
        ``/mail/message/post`` posts as superuser with the context a visitor
        holding the RFQ's link sends: refused, the rush RFQ stays a draft
        and nothing is posted; purchasing still marks it sent so."""
        order = self._rush_order()
        assert_link_cannot_mark_sent(self, order, "mark_rfq_as_sent")
        buyer = self._group_user("fa_cdg_rfq_buyer", "purchase.group_purchase_user")
        order.with_user(buyer).with_context(mark_rfq_as_sent=True).message_post(
            body="Your RFQ"
        )
        self.assertEqual(order.state, "sent")

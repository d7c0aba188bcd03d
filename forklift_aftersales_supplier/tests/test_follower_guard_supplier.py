"""A supplier follows only its own claims and letters, once sent, and not
the sheets that name it as the cause of a failure: QA adding another
supplier's contact to a claim, or a supplier to a customer's sheet, would
mail it what it may not read (R-056; README "What no user can do")."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestFollowerGuardSupplier(SupplierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim = cls._draft_pump_claim()

    def _invite(self, record, partners, user=None):
        """The "Add followers" wizard on ``record`` for ``partners``, as QA."""
        wizard = (
            self.env["mail.followers.edit"]
            .with_user(user or self.qa)
            .create(
                {
                    "res_model": record._name,
                    "res_ids": str(record.ids),
                    "partner_ids": [Command.set(partners.ids)],
                    "notify": True,
                    "message": "<p>Please follow.</p>",
                }
            )
        )
        return wizard.edit_followers()

    def _followers(self, record):
        record.invalidate_recordset(["message_follower_ids"])
        return record.sudo().message_follower_ids.partner_id

    def test_qa_adds_no_other_supplier_to_a_claim(self):
        """R-056: QA adding supplier B (its portal contact, its company) to
        supplier A's claim is refused, and so is supplier A's contact while
        the claim is a draft it does not read yet; once claimed, supplier A
        follows it (the claim's own step) and its contact is added."""
        claim = self.claim
        outsiders = self.portal_b.partner_id | self.supplier_b
        for partners in (outsiders, self.portal_a.partner_id):
            with self.subTest(partners=partners.mapped("name")):
                with self.assertRaises(AccessError):
                    self._invite(claim, partners)
                with self.assertRaises(AccessError):
                    claim.with_user(self.qa).message_post(
                        body="Your pump failed again.",
                        partner_ids=self.portal_b.partner_id.ids,
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
        self.assertFalse(
            self._followers(claim) & (outsiders | self.portal_a.partner_id)
        )
        claim.with_user(self.qa).action_claim()
        self.assertIn(self.supplier_a, self._followers(claim))
        self._invite(claim, self.portal_a.partner_id)
        self.assertIn(self.portal_a.partner_id, self._followers(claim))
        self.assertFalse(self._followers(claim) & outsiders)
        found = (
            self.env["mail.message"]
            .with_user(self.portal_b)
            .search_read(
                [("model", "=", claim._name), ("res_id", "=", claim.id)], ["body"]
            )
        )
        self.assertEqual(found, [])

    def test_no_supplier_follows_the_sheet_it_caused(self):
        """R-056, R-063: the supplier a sheet names as the cause of its failure
        (a field of the staff's) does not follow the customer's sheet, its
        portal contact nor its company; its letter, once sent, it follows."""
        case = self._supplier_case()
        for partners in (self.portal_a.partner_id, self.supplier_a):
            with self.subTest(partners=partners.name):
                with self.assertRaises(AccessError):
                    self._invite(case, partners)
                with self.assertRaises(AccessError):
                    case.with_user(self.qa).message_subscribe(partner_ids=partners.ids)
        self.assertFalse(
            self._followers(case) & (self.portal_a.partner_id | self.supplier_a)
        )
        letter = self._letter(case)
        self.assertIn(self.supplier_a, self._followers(letter))
        self.assertIn(
            self.supplier_a.forklift_service_contact_id, self._followers(letter)
        )

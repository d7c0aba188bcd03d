from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestLocalPurchase(ForkliftCommon):
    """Urgent local purchases (000 §4.3.2.2): consent, guide price, approval
    by unit price and reimbursement within 30 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part.forklift_guide_price = 600
        cls.qa_manager, cls.aftersales_vp, cls.supply_vp = cls._role_users(
            "lp", "qa_manager", "aftersales_vp", "supply_vp"
        )
        cls.case = cls._verified_case()

    def _purchase(self, unit_price, consent=True, claim_date=date(2026, 3, 20), **vals):
        purchase = self._local_purchase(
            self.case,
            unit_price,
            explanation="Customer's line stopped; seal kit needed at once.",
            claim_date=claim_date,
            **vals,
        )
        if consent:
            # the director confirms the consent he gave by phone
            purchase.with_user(self.director).action_confirm_consent()
        return purchase

    def _reviewer_groups(self, purchase):
        purchase.request_validation()
        return set(purchase.review_ids.definition_id.reviewer_group_id.ids)

    def test_unit_price_bands(self):
        """R-058, R-059 (000 §4.3.2.2): every local purchase is signed by the
        director, the QA manager and the after-sales vice president; a unit
        price above 500 also by the supply vice president."""
        base = {
            self.env.ref("forklift_aftersales.group_forklift_director").id,
            self.env.ref("forklift_aftersales.group_forklift_qa_manager").id,
            self.env.ref("forklift_aftersales.group_forklift_aftersales_vp").id,
        }
        supply = self.env.ref("forklift_aftersales.group_forklift_supply_vp").id
        self.assertEqual(self._reviewer_groups(self._purchase(500)), base)
        self.assertEqual(self._reviewer_groups(self._purchase(500.01)), base | {supply})

    def test_a_part_of_another_company_is_not_bought(self):
        """R-017 (000 §4.3.2.2): a line names a part of the purchase's company
        or a shared one; another company's part, which its staff may not read,
        is refused when written, not left to the reimbursement to fail."""
        other = self.env["res.company"].create({"name": "Forklift Overseas Works"})
        their_part = self.env["product.product"].create(
            {"name": "Overseas mast seal", "type": "consu", "company_id": other.id}
        )
        purchase = self._purchase(100)
        with self.assertRaises(UserError):
            purchase.line_ids.write({"product_id": their_part.id})
        with self.assertRaises(UserError):
            purchase.write(
                {
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": their_part.id,
                                "quantity": 1,
                                "unit_price": 50,
                            }
                        )
                    ]
                }
            )
        self.assertEqual(purchase.line_ids.product_id, self.part)

    def test_all_reviewers_then_reimbursement(self):
        purchase = self._purchase(450)
        purchase.request_validation()
        for user in (self.director, self.qa_manager):
            purchase.with_user(user).validate_tier()
            self.assertEqual(purchase.state, "draft")
        purchase.with_user(self.aftersales_vp).validate_tier()
        self.assertEqual(purchase.state, "approved")
        purchase.with_user(self.staff).action_reimburse()
        self.assertEqual(purchase.state, "reimbursed")
        self.assertEqual(purchase.bill_id.move_type, "in_invoice")
        self.assertEqual(purchase.bill_id.partner_id, self.technician.partner_id)
        self.assertEqual(purchase.bill_id.amount_total, 900)

    def test_consent_and_invoice_are_required(self):
        """R-199, R-017 (000 §4.3.2.2): a local purchase goes for approval only
        with the director's prior consent by phone recorded and the seller's
        invoice attached."""
        purchase = self._purchase(300, consent=False)
        with self.assertRaisesRegex(UserError, "consent"):
            purchase.request_validation()
        purchase.with_user(self.director).action_confirm_consent()
        purchase.invoice_attachment_ids = [Command.clear()]
        with self.assertRaisesRegex(UserError, "invoice"):
            purchase.request_validation()
        self.assertFalse(purchase.review_ids)

    def test_consent_is_confirmed_by_the_director_himself(self):
        """R-103, R-199, 000 §4.3.2.2: the technician cannot name the director as
        consenting, by RPC or at creation; only a director confirms his own
        consent, once, before approval is asked."""
        purchase = self._purchase(300, consent=False)
        technician = purchase.with_user(self.technician)
        with self.assertRaises(AccessError):
            technician.write(
                {"consent_by_id": self.director.id, "consent_date": "2026-03-02"}
            )
        with self.assertRaises(AccessError):
            technician.action_confirm_consent()
        with self.assertRaises(AccessError):
            self._purchase(300, consent=False, consent_by_id=self.director.id)
        self.assertFalse(purchase.consent_by_id)
        purchase.with_user(self.director).action_confirm_consent()
        self.assertEqual(purchase.consent_by_id, self.director)
        self.assertTrue(purchase.consent_date)
        with self.assertRaises(UserError):
            purchase.with_user(self.director).action_confirm_consent()

    def test_above_guide_price_needs_a_reason(self):
        purchase = self._purchase(650)
        self.assertTrue(purchase.line_ids.is_above_guide)
        with self.assertRaisesRegex(UserError, "above the guide price"):
            purchase.request_validation()
        purchase.line_ids.reason = "Only seller open on Sunday"
        purchase.request_validation()
        self.assertTrue(purchase.review_ids)

    def test_the_day_of_the_claim_is_the_servers(self):
        """R-103, R-166 (000 §4.3.2.2): the reimbursement is claimed when its
        approval is asked, and the server records that day: a technician
        neither creates nor writes a claim date (a late claim typed as on
        time), and a claim asked today for a purchase of three months ago is
        flagged late."""
        purchases = self.env["forklift.local.purchase"].with_user(self.technician)
        scan = (
            self.env["ir.attachment"]
            .with_user(self.technician)
            .create({"name": "invoice.pdf", "raw": b"%PDF-1.4 sensor"})
        )
        base = {
            "feedback_id": self.case.id,
            "technician_id": self.technician.id,
            "seller": "Xiaogan Hydraulics Shop",
            "explanation": "Bought on the spot.",
            "purchase_date": date.today() - timedelta(days=90),
            "invoice_attachment_ids": [Command.link(scan.id)],
            "line_ids": [
                Command.create(
                    {"product_id": self.part.id, "quantity": 1, "unit_price": 90}
                )
            ],
        }
        backdated = date.today() - timedelta(days=80)
        with self.assertRaises(AccessError):
            purchases.create(dict(base, claim_date=backdated))
        purchase = purchases.create(base)
        self.assertFalse(purchase.claim_date)
        with self.assertRaises(AccessError):
            purchase.write({"claim_date": backdated})
        purchase.with_user(self.director).action_confirm_consent()
        purchase.request_validation()
        self.assertEqual(purchase.claim_date, purchase.company_id._forklift_today())
        self.assertTrue(purchase.is_claim_late)

    def test_the_day_of_the_claim_is_the_companys_whatever_the_time_zone_sent(self):
        """R-103, R-166 (000 §4.3.2.2): the day the server records for the
        claim is the company's (Hangzhou), not the one of a time zone the
        caller names in his call's context or in his own preferences: at 20:00
        in Hangzhou on 10 March it is already the 11th in Kiritimati, and a
        claim due on the 10th would not read late by a day it was not made."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        self.technician.tz = "Pacific/Kiritimati"
        purchase = self._purchase(300, claim_date=False)
        with freeze_time("2026-03-10 12:00:00"):
            purchase.with_user(self.technician).with_context(
                tz="Pacific/Kiritimati"
            ).request_validation()
        self.assertEqual(purchase.claim_date, date(2026, 3, 10))

    def test_claim_after_30_days_is_flagged_late(self):
        """R-166 (000 §4.3.2.2): a claim brought more than 30 days after the
        purchase is flagged late; a claim dated before the purchase is
        refused."""
        on_time = self._purchase(300, claim_date=date(2026, 4, 1))
        self.assertFalse(on_time.is_claim_late)
        late = self._purchase(300, claim_date=date(2026, 4, 2))
        self.assertTrue(late.is_claim_late)
        with self.assertRaises(ValidationError):
            self._purchase(300, claim_date=date(2026, 3, 1))

    def test_seller_invoice_is_kept_once_approval_is_asked(self):
        """R-017, R-103 (000 §4.3.2.2): the seller's invoice is reimbursed as
        the reviewers saw it: once approval is asked, the technician who
        uploaded it (and so may write the file itself) neither replaces nor
        deletes it; before, he still may."""
        scan = (
            self.env["ir.attachment"]
            .with_user(self.technician)
            .create({"name": "invoice.pdf", "raw": b"%PDF-1.4 seals 2 x 450"})
        )
        purchase = self._purchase(450, scan=scan)
        scan.with_user(self.technician).raw = b"%PDF-1.4 seals 2 x 450, stamped"
        purchase.request_validation()
        for change in (
            lambda: scan.with_user(self.technician).write({"raw": b"%PDF 2 x 900"}),
            lambda: scan.with_user(self.technician).write({"name": "other.pdf"}),
            lambda: scan.with_user(self.technician).unlink(),
        ):
            with self.assertRaises(UserError) as refused:
                change()
            self.assertIn("holds this file", str(refused.exception))
        scan.invalidate_recordset()
        self.assertEqual(scan.raw, b"%PDF-1.4 seals 2 x 450, stamped")
        self.assertEqual(purchase.invoice_attachment_ids, scan)

    def test_claim_is_fixed_once_approval_is_asked(self):
        """R-017, R-103 (000 §4.3.2.2): what the technician claims (the
        purchase, its invoice, its parts and their prices) is fixed once its
        approval is asked: under approval, approved and reimbursed, neither
        the claim nor its lines change over RPC, so the amount reimbursed is
        the amount approved."""
        purchase = self._purchase(450)
        technician = self.technician
        purchase.with_user(technician).seller = "Xiaogan Seals Shop"
        self.assertEqual(purchase.seller, "Xiaogan Seals Shop")
        line = purchase.line_ids
        other_part = self.env["product.product"].create({"name": "Seal ring"})
        vals = {
            "explanation": "Changed afterwards.",
            "feedback_id": self._verified_case().id,
            "invoice_attachment_ids": [Command.clear()],
            "line_ids": [Command.update(line.id, {"unit_price": 1000})],
            "purchase_date": date(2026, 3, 1),
            "seller": "Another shop",
            "technician_id": self.staff.id,
        }
        line_vals = {"quantity": 5, "unit_price": 1000, "product_id": other_part.id}
        purchase.request_validation()
        with self.assertRaisesRegex(UserError, "under approval: Seller"):
            purchase.with_user(technician).with_context(
                skip_validation_check=True
            ).seller = "Another shop"
        for step in ("under approval", "approved", "reimbursed"):
            with self.subTest(step=step):
                self._assert_writes_refused(purchase, technician, vals)
                self._assert_writes_refused(line, technician, line_vals)
            if step == "under approval":
                for reviewer in (self.director, self.qa_manager, self.aftersales_vp):
                    purchase.with_user(reviewer).validate_tier()
                self.assertEqual(purchase.state, "approved")
            elif step == "approved":
                purchase.with_user(self.staff).action_reimburse()
                self.assertEqual(purchase.state, "reimbursed")
        for commands in (
            [
                Command.create(
                    {"product_id": self.part.id, "quantity": 1, "unit_price": 1}
                )
            ],
            [Command.delete(line.id)],
        ):
            self._assert_writes_refused(purchase, technician, {"line_ids": commands})
        with self.assertRaisesRegex(UserError, "is Reimbursed: Seller"):
            purchase.with_user(technician).seller = "Another shop"
        self.assertEqual(purchase.amount_total, 900)
        self.assertEqual(purchase.bill_id.amount_total, 900)

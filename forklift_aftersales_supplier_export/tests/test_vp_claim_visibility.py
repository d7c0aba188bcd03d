from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.forklift_aftersales_supplier.tests.common import SupplierCommon


@tagged("post_install", "-at_install")
class TestVpClaimVisibility(SupplierCommon):
    """R-077, R-049, R-050, R-052, R-059, R-060 (000 §3.3, §3.5, §4.2.3;
    第一篇 L25–29): a supplier quality claim is QA's (export: the after-sales
    parts department's), purchasing helps and the committee decides a
    dispute. The supply vice president approves parts, abnormal requisitions
    and local purchases, the export sales vice president the abnormal parts
    and returns of export sheets: neither has a step in a claim, and neither
    reads one, domestic or export, nor its costs; the claim's departments
    still read them all, a vice president's seat added or not."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export_unit = cls._create_unit(
            "SN-EXP-VP-1", acceptance=date(2026, 1, 10), market="export"
        )
        cls.domestic_case = cls._supplier_case()
        cls.export_case = cls._supplier_case(unit=cls.export_unit)
        cls.domestic_letter = cls._letter(cls.domestic_case)
        cls.export_letter = cls._letter(cls.export_case)
        cls.domestic_claim = cls._claim(cls.domestic_case)
        cls.domestic_claim.with_user(cls.qa).action_claim()
        cls.export_claim = cls._claim(cls.export_case)
        cls.claims = cls.domestic_claim | cls.export_claim
        # as in the demo: the supply vice president also hears of major issues
        cls.supply_vp = cls._group_user(
            "vp_claims_supply", "group_forklift_supply_vp,group_forklift_leader"
        )
        cls.export_vp = cls._group_user(
            "vp_claims_export",
            "forklift_aftersales_export.group_forklift_sales_vp_export",
        )

    @classmethod
    def _claim(cls, case):
        """A claim of one pump against supplier A for ``case``."""
        return cls._draft_pump_claim(feedback_ids=[Command.set(case.ids)])

    def _claims_read_by(self, user):
        """The claims and claim costs ``user`` finds, every way a list, a
        sheet, a supplier or a report finds them."""
        self.env.invalidate_all()
        claims = self.env["forklift.quality.claim"].with_user(user)
        lines = self.env["forklift.quality.claim.line"].with_user(user)
        cases = (self.domestic_case | self.export_case).with_user(user)
        return {
            "claims": claims.search([]) & self.claims,
            "lines": lines.search([]) & self.claims.line_ids,
            "on the sheets": cases.quality_claim_ids,
            "counted on the sheets": sum(cases.mapped("quality_claim_count")),
            "counted on the supplier": (
                self.supplier_a.with_user(user).forklift_quality_claim_count
            ),
            "in the statistics": lines._read_group(
                [("claim_id", "in", self.claims.ids)], [], ["__count"]
            )[0][0],
        }

    def test_vice_presidents_read_no_claim_nor_its_costs(self):
        """Neither vice president finds a claim or a cost, domestic or
        export, by list, sheet, supplier or statistics, nor reads one by its
        id; the service contact letters stay readable to them, as the sheets
        and service orders they follow (every after-sales group reads them)."""
        for user in (self.supply_vp, self.export_vp):
            with self.subTest(user=user.login):
                found = self._claims_read_by(user)
                self.assertEqual(
                    found,
                    {
                        "claims": self.env["forklift.quality.claim"],
                        "lines": self.env["forklift.quality.claim.line"],
                        "on the sheets": self.env["forklift.quality.claim"],
                        "counted on the sheets": 0,
                        "counted on the supplier": 0,
                        "in the statistics": 0,
                    },
                )
                for claim in self.claims:
                    with self.assertRaises(AccessError):
                        claim.with_user(user).read(["name", "amount_claimed"])
                    with self.assertRaises(AccessError):
                        claim.line_ids.with_user(user).read(["price_unit"])
                letters = self.domestic_letter | self.export_letter
                self.assertEqual(
                    self.env["forklift.supplier.letter"]
                    .with_user(user)
                    .search([("id", "in", letters.ids)]),
                    letters,
                )

    def test_claim_departments_read_every_claim(self):
        """QA, purchasing, the committee and the export after-sales parts
        department read every claim and its costs, also with a vice
        president's seat of their own."""
        readers = {
            "qa": self.qa,
            "purchasing": self.buyer,
            "committee": self._group_user(
                "vp_claims_chief", "group_forklift_chief_engineer"
            ),
            "export parts": self._group_user(
                "vp_claims_parts",
                "forklift_aftersales_export.group_forklift_aftersales_parts",
            ),
            "purchasing and supply vice president": self._group_user(
                "vp_claims_buyer_vp",
                "purchase.group_purchase_user,group_forklift_supply_vp",
            ),
            "QA manager and export sales vice president": self._group_user(
                "vp_claims_qa_vp",
                "group_forklift_qa_manager,"
                "forklift_aftersales_export.group_forklift_sales_vp_export",
            ),
        }
        for name, user in readers.items():
            with self.subTest(reader=name):
                found = self._claims_read_by(user)
                self.assertEqual(found["claims"], self.claims)
                self.assertEqual(found["lines"], self.claims.line_ids)
                self.assertEqual(found["on the sheets"], self.claims)
                self.assertEqual(found["in the statistics"], 2)
                self.claims.with_user(user).read(["name", "amount_claimed"])

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestDutyRouting(SupplierCommon):
    """R-270 (000 §3.3–3.5, 第一篇 L25–29, A-07): quality tracing, supplier
    claims and the assessment of the service center are taken by the
    department the duty table names for the sheet's market, whoever calls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qa_manager_group = cls.env.ref(
            "forklift_aftersales.group_forklift_qa_manager"
        )

    def _give(self, duty, group):
        self.env.ref(f"forklift_aftersales.duty_domestic_{duty}").group_id = group

    def test_claims_follow_the_duty_table(self):
        case = self._supplier_case()
        self._give("claims", self.qa_manager_group)
        with self.assertRaisesRegex(AccessError, "QA Manager"):
            case.with_user(self.qa).action_create_quality_claim()
        self.assertFalse(case.quality_claim_ids)
        case.with_user(self.qa_manager).action_create_quality_claim()
        self.assertEqual(len(case.quality_claim_ids), 1)

    def test_tracing_follows_the_duty_table(self):
        case = self._verified_case()
        vals = {
            "feedback_id": case.id,
            "department": "manufacturing",
            "finding": "Seal fitted without grease.",
            "responsible_name": "Assembly line 2",
        }
        traces = self.env["forklift.responsibility.trace"]
        trace = traces.with_user(self.qa).create(dict(vals))
        self._give("tracing", self.qa_manager_group)
        with self.assertRaises(AccessError):
            traces.with_user(self.qa).create(dict(vals))
        with self.assertRaises(AccessError):
            trace.with_user(self.qa).write({"finding": "Rewritten."})
        traces.with_user(self.qa_manager).create(dict(vals))

    def test_assessment_follows_the_duty_table(self):
        case = self._verified_case()
        self._give("assessment", self.qa_manager_group)
        with self.assertRaises(AccessError):
            self.env["forklift.timeliness.assessment"].with_user(self.qa)._assess(case)

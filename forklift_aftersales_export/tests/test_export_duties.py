from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_export_flow import ExportCommon


@tagged("post_install", "-at_install")
class TestExportDuties(ExportCommon):
    """R-270 / A-07 (000 第一篇 L25–29) and R-074: in the export procedure the
    after-sales parts department holds QA's tracing, claims and assessment of
    the service center and R&D's technical answers; purchasing helps with the
    claims."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parts_department = cls._user(
            "fx_parts_department",
            "forklift_aftersales_export.group_forklift_aftersales_parts",
        )
        cls.rnd = cls._user("fx_rnd", "forklift_aftersales.group_forklift_rnd")
        cls.parts_group = cls.env.ref(
            "forklift_aftersales_export.group_forklift_aftersales_parts"
        )

    def _ask(self, case):
        return (
            self.env["forklift.technical.question"]
            .with_user(self.staff)
            .create({"feedback_id": case.id, "question": "Which hydraulic oil abroad?"})
        )

    def test_export_duties_go_to_the_parts_department(self):
        duties = self.env["forklift.duty.assignment"]
        for duty in ("tracing", "claims", "assessment", "technical"):
            self.assertEqual(duties._get_department(duty, "export"), self.parts_group)
        self.assertEqual(
            duties._get_department("claim_support", "export"),
            self.env.ref("forklift_aftersales.group_forklift_purchasing"),
        )
        self.assertEqual(
            duties._get_department("technical", "domestic"),
            self.env.ref("forklift_aftersales.group_forklift_rnd"),
        )

    def test_export_question_is_answered_by_the_parts_department(self):
        question = self._ask(self._export_case())
        self.assertEqual(question.department_id, self.parts_group)
        self.assertIn(self.parts_department, question.activity_ids.user_id)
        self.assertNotIn(self.rnd, question.activity_ids.user_id)
        with self.assertRaises(AccessError):
            question.with_user(self.rnd).write({"answer": "<p>ISO VG 46.</p>"})
        question.with_user(self.parts_department).write(
            {"answer": "<p>ISO VG 32 below 0 °C.</p>"}
        )
        question.with_user(self.parts_department).action_answer()
        self.assertEqual(question.answered_by_id, self.parts_department)

    def test_domestic_question_stays_with_rnd(self):
        question = self._ask(self._verified_case())
        self.assertEqual(
            question.department_id,
            self.env.ref("forklift_aftersales.group_forklift_rnd"),
        )
        with self.assertRaises(AccessError):
            question.with_user(self.parts_department).write({"answer": "<p>No.</p>"})
        question.with_user(self.rnd).write({"answer": "<p>ISO VG 46.</p>"})
        question.with_user(self.rnd).action_answer()
        self.assertEqual(question.state, "answered")

    def test_export_supplier_at_fault_is_corrected_by_the_parts_department(self):
        """R-049, R-270 / A-07, R-018, R-256: correcting the supplier at fault
        is part of the tracing and claims, which the after-sales parts
        department holds in the export market: QA corrects a domestic sheet's,
        not an export sheet's (the supplier decides whom the claim goes to and
        the statistics by supplier); the parts department does."""
        vendor, other = self.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "supplier_rank": 1}
                for name in ("Export Pump Works", "Export Valve Works")
            ]
        )
        pump = self.env["product.product"].create(
            {
                "name": "Export pump",
                "seller_ids": [Command.create({"partner_id": other.id})],
            }
        )
        vals = {"responsibility": "supplier", "route": "remote"}
        if "supplier_part_id" in self.env["forklift.feedback"]._fields:
            # with the supplier addon, the failed part names the supplier
            vals["supplier_part_id"] = pump.id
        case = self._verified_case(unit=self.export_unit, **vals)
        self.assertEqual(case.market, "export")
        before = case.supplier_id
        with self.assertRaises(AccessError):
            case.with_user(self.qa)._correct_supplier(vendor, "Assembled by them")
        with self.assertRaises(AccessError):
            case.with_user(self.qa).action_correct_supplier()
        self.assertEqual(case.supplier_id, before)
        case.with_user(self.parts_department)._correct_supplier(
            vendor, "Assembled by them"
        )
        self.assertEqual(case.supplier_id, vendor)

from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestResponsibilityTrace(SupplierCommon):
    """Internal responsibility tracing and assessment (质量追溯和考核, 000 §3.3,
    R-019, R-075, R-260)."""

    def _trace(self, user=None, **vals):
        case = vals.pop("case", None) or self._verified_case()
        return (
            self.env["forklift.responsibility.trace"]
            .with_user(user or self.qa)
            .create(
                {
                    "feedback_id": case.id,
                    "department": "manufacturing",
                    "finding": "Seal fitted without grease.",
                    **(
                        {}
                        if "responsible_user_id" in vals
                        else {"responsible_name": "Assembly line 2, team leader Li"}
                    ),
                    **vals,
                }
            )
        )

    def test_qa_traces_responsibility_reported_per_period(self):
        self._trace(date=date(2026, 3, 3))
        self._trace(
            date=date(2026, 3, 20),
            assessment="penalty",
            penalty_amount=200,
        )
        self._trace(date=date(2026, 4, 2), department="purchasing")
        trace = self._trace(
            date=date(2026, 4, 8),
            department="service_center",
            responsible_user_id=self.technician.id,
        )
        self.assertEqual(trace.responsible_name, self.technician.name)
        per_month = self.env["forklift.responsibility.trace"]._read_group(
            [("date", ">=", "2026-03-01"), ("date", "<", "2026-05-01")],
            ["date:month", "department"],
            ["__count", "penalty_amount:sum"],
        )
        rows = {
            (month.month, department): (count, penalty)
            for month, department, count, penalty in per_month
        }
        self.assertEqual(rows[(3, "manufacturing")], (2, 200.0))
        self.assertEqual(rows[(4, "purchasing")], (1, 0.0))
        self.assertEqual(rows[(4, "service_center")], (1, 0.0))

    def test_only_qa_records_responsibility(self):
        """R-049, R-019 (000 §3.3): only QA records the responsibility traced
        to a department; the service center reads it but cannot change it."""
        with self.assertRaises(AccessError):
            self._trace(user=self.staff)
        trace = self._trace()
        with self.assertRaises(AccessError):
            trace.with_user(self.technician).write({"department": "qa"})
        self.assertEqual(trace.department, "manufacturing")
        self.assertEqual(
            trace.with_user(self.technician).read(["department"])[0]["department"],
            "manufacturing",
            "the service center reads it",
        )

    def test_penalty_must_be_positive_and_a_penalty(self):
        with self.assertRaises(ValidationError) as refused:
            self._trace(assessment="penalty", penalty_amount=-50)
        self.assertIn("cannot be negative", str(refused.exception))
        with self.assertRaises(ValidationError) as refused:
            self._trace(assessment="warning", penalty_amount=50)
        self.assertIn("Only a penalty", str(refused.exception))
        self.assertFalse(self.env["forklift.responsibility.trace"].search([]))

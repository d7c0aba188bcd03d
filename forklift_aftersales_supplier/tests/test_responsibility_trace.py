from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
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
        """R-260: a trace counts in the period it was recorded in."""
        with freeze_time("2026-03-03"):
            self._trace()
        with freeze_time("2026-03-20"):
            self._trace(assessment="penalty", penalty_amount=200)
        with freeze_time("2026-04-02"):
            self._trace(department="purchasing")
        with freeze_time("2026-04-08"):
            trace = self._trace(
                department="service_center",
                responsible_user_id=self.technician.id,
            )
        self.assertEqual(trace.date, date(2026, 4, 8))
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

    def test_outsiders_learn_nothing_of_a_trace_by_writing_it(self):
        """R-047, R-019: a portal login (a supplier's, a dealer's) or an
        employee outside after-sales writing a trace over RPC is refused by
        Odoo's access rights before anything of it is read: not told the
        department that holds its tracing nor its market."""
        trace = self._trace()
        outsiders = (
            self.portal_b,
            self._dealer_logins("fa_trace")[0],
            self._group_user("fa_trace_employee", "base.group_user"),
        )
        for user in outsiders:
            with (
                self.subTest(user=user.login),
                self.assertRaises(AccessError) as refused,
                self.env.cr.savepoint(),
            ):
                trace.with_user(user).write({"finding": "Nothing found."})
            self.assertNotIn("market", str(refused.exception))
        self.assertEqual(trace.finding, "Seal fitted without grease.")

    def test_penalty_must_be_positive_and_a_penalty(self):
        with self.assertRaises(ValidationError) as refused:
            self._trace(assessment="penalty", penalty_amount=-50)
        self.assertIn("cannot be negative", str(refused.exception))
        with self.assertRaises(ValidationError) as refused:
            self._trace(assessment="warning", penalty_amount=50)
        self.assertIn("Only a penalty", str(refused.exception))
        self.assertFalse(self.env["forklift.responsibility.trace"].search([]))

    def test_only_the_assessor_changes_the_assessment(self):
        """R-019, R-075, R-260: what a trace says (the department and person,
        the finding, the assessment, the penalty, the note) is its
        assessor's: another QA user's change is refused, by a write or an
        import, and the trace still says what its assessor recorded."""
        with freeze_time("2026-03-03"):
            trace = self._trace(user=self.qa_manager, assessment="warning")
        self.assertEqual(trace.assessed_by_id, self.qa_manager)
        traces = trace.with_user(self.qa)
        for vals in (
            {"assessment": "penalty", "penalty_amount": 5000},
            {"finding": "Rewritten."},
            {"department": "purchasing"},
            {"responsible_name": "Someone else"},
            {"note": "Rewritten."},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "assessment of"),
            ):
                traces.write(vals)
        result = traces.load(
            [".id", "assessment", "penalty_amount"],
            [[str(trace.id), "penalty", "5000"]],
        )
        self.assertFalse(result["ids"])
        trace.invalidate_recordset()
        self.assertEqual(
            (trace.assessment, trace.penalty_amount, trace.finding),
            ("warning", 0.0, "Seal fitted without grease."),
        )
        self.assertEqual(trace.assessed_by_id, self.qa_manager)
        trace.with_user(self.qa_manager).write(
            {"assessment": "penalty", "penalty_amount": 300}
        )
        self.assertEqual(trace.penalty_amount, 300)

    def test_the_date_an_assessment_counts_in_is_not_typed(self):
        """R-260: a trace counts in the period it was recorded in, the server's
        day: not typed at creation, nor moved into another period afterwards,
        by its assessor or anyone."""
        with freeze_time("2026-03-03"):
            with self.assertRaises(AccessError):
                self._trace(date=date(2020, 1, 1))
            trace = self._trace()
        self.assertEqual(trace.date, date(2026, 3, 3))
        for user in (self.qa, self.qa_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                trace.with_user(user).write({"date": "2020-01-01"})
        result = trace.with_user(self.qa).load(
            [".id", "date"], [[str(trace.id), "2020-01-01"]]
        )
        self.assertFalse(result["ids"])
        trace.invalidate_recordset()
        self.assertEqual(trace.date, date(2026, 3, 3))

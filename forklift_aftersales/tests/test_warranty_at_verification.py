from datetime import date, datetime, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestWarrantyAtVerification(ForkliftCommon):
    """The warranty a sheet is verified with (R-211, R-127: 1 year or 1500
    hours, judged on the day of the report) stays the sheet's: the director's
    later changes of a forklift's warranty terms, or an hour reading typed in
    later, apply to the sheets still at intake, never verified."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # out of warranty by date since 9 January 2025
        cls.old_unit = cls._create_unit("SN-OLD-WAR", acceptance=date(2024, 1, 10))

    @staticmethod
    def _warranty(cases):
        cases.invalidate_recordset(["warranty_state", "warranty_verdict"])
        return [(case.warranty_state, case.warranty_verdict) for case in cases]

    def _statistics(self, cases):
        analysis = self.env["forklift.feedback.analysis"]
        analysis.invalidate_model()
        rows = analysis.search([("feedback_id", "in", cases.ids)], order="id")
        return rows.read(["warranty_state", "warranty_verdict"])

    def _change_warranty_terms(self):
        """The director cuts the forklift's warranty hours to 300 (its sheets
        read 320 h and more: out of warranty) and lengthens the old forklift's
        warranty to 3 years (back in warranty in March 2026)."""
        self.unit.with_user(self.director).write({"warranty_hours": 300})
        self.old_unit.with_user(self.director).write({"warranty_months": 36})
        self.assertEqual(self.unit._get_warranty_status(date(2026, 3, 2))[0], "out")
        self.assertEqual(self.old_unit._get_warranty_status(date(2026, 3, 2))[0], "in")

    def _staff_case(self, verification="<p>Leaking lift cylinder seal.</p>", **vals):
        """A sheet at intake, ready to verify (a manufacturing fault, a
        technician to send unless ``vals`` says otherwise), in the service
        center's hands."""
        vals = {"responsibility": "manufacturing", "route": "technician", **vals}
        case = self._create_case(verification=verification, **vals)
        return case.with_user(self.staff)

    def _request_parts(self, case):
        return (
            self.env["forklift.parts.request"]
            .with_user(self.staff)
            .create(self._parts_request_vals(case))
        )

    def test_warranty_term_changes_leave_verified_sheets_as_they_were(self):
        """R-211, R-214, R-217, R-022, R-089, R-259 (000 第四篇 §4, 004 §4.6):
        the director shortens a forklift's warranty hours and lengthens
        another's warranty period after sheets on them were verified: a
        verified and a closed sheet keep the warranty and the guarantee (三包)
        verdict of their verification, and the statistics of their month;
        the sheet verified out of warranty still gets no warranty parts, the
        one verified in warranty still gets them. Sheets never verified
        follow the new terms."""
        in_verified = self._verified_case(hour_meter=320)
        in_closed = self._verified_case(hour_meter=330)
        in_closed.sudo()._write_flow(
            {"state": "closed", "closed_date": datetime(2026, 3, 5, 9)}
        )
        out_verified = self._verified_case(unit=self.old_unit)
        in_draft = self._create_case(
            hour_meter=340,
            verification="<p>Leaking lift cylinder seal.</p>",
            responsibility="manufacturing",
            route="technician",
        )
        out_draft = self._create_case(unit=self.old_unit)
        kept = in_verified | in_closed | out_verified
        self.assertEqual(
            self._warranty(kept),
            [("in", "repair"), ("in", "repair"), ("out", "paid")],
        )
        counted = self._statistics(kept)
        self._change_warranty_terms()
        self.assertEqual(
            self._warranty(kept),
            [("in", "repair"), ("in", "repair"), ("out", "paid")],
        )
        self.assertEqual(self._statistics(kept), counted)
        # never verified: judged by the forklift's terms as they are now
        self.assertEqual(
            self._warranty(in_draft | out_draft), [("out", "paid"), ("in", "repair")]
        )
        requests = self.env["forklift.parts.request"]
        count = requests.search_count([])
        with self.assertRaisesRegex(UserError, "paid service"), self.cr.savepoint():
            self._request_parts(out_verified)
        self.assertEqual(requests.search_count([]), count)
        self.assertEqual(self._request_parts(in_verified).feedback_id, in_verified)
        # verified right after a change, before anything read it again: the
        # sheet is verified with the terms then, and keeps them
        self.unit.with_user(self.director).write({"warranty_hours": 1500})
        in_draft.with_user(self.staff).action_verify()
        self.unit.with_user(self.director).write({"warranty_hours": 300})
        self.assertEqual(self._warranty(in_draft), [("in", "repair")])

    def test_warranty_stays_through_cancelling_and_reopening(self):
        """R-211, R-217, R-259: the service center cancels verified sheets and
        reopens them at intake while the director changes the forklifts'
        warranty terms: verified again, each keeps the warranty of its first
        verification; the diagnosis reopened still decides the verdict
        (misuse is paid). A sheet never verified, cancelled and reopened,
        follows the forklift."""
        case = self._verified_case(hour_meter=320).with_user(self.staff)
        out = self._verified_case(unit=self.old_unit).with_user(self.staff)
        never = self._create_case(hour_meter=340).with_user(self.staff)
        sheets = case | out | never
        sheets.action_cancel()
        self.unit.with_user(self.director).write({"warranty_hours": 300})
        sheets.action_reset_to_draft()
        self.old_unit.with_user(self.director).write({"warranty_months": 36})
        self.assertEqual(
            self._warranty(sheets),
            [("in", "repair"), ("out", "paid"), ("out", "paid")],
        )
        (case | out).action_verify()
        self.assertEqual(
            self._warranty(case | out), [("in", "repair"), ("out", "paid")]
        )
        self.assertEqual((case.state, out.state), ("verified", "verified"))
        # the diagnosis is what a reopening corrects
        case.action_cancel()
        case.action_reset_to_draft()
        case.responsibility = "misuse"
        self.assertEqual(self._warranty(case), [("in", "paid")])
        case.responsibility = "manufacturing"
        self.assertEqual(self._warranty(case), [("in", "repair")])

    def test_later_warranty_terms_never_trip_a_verified_verdict(self):
        """R-211, R-214, R-217 (004 §4.6): the guarantee verdict is checked
        against the warranty while the sheet is at intake. A paid sheet
        verified out of warranty, and a guarantee sheet verified in
        warranty, keep their verdicts when the director then brings the
        first forklift back in warranty and cuts the second's hours; no
        error is raised. Reopened at intake, the paid sheet still refuses a
        guarantee."""
        paid = self._staff_case(unit=self.old_unit)
        paid.action_verify()
        replaced = self._staff_case("<p>Cracked mast weld.</p>", hour_meter=320)
        replaced.warranty_verdict = "replace"
        replaced.action_verify()
        self.assertEqual(
            self._warranty(paid | replaced), [("out", "paid"), ("in", "replace")]
        )
        self._change_warranty_terms()
        (paid | replaced).flush_recordset()
        self.assertEqual(
            self._warranty(paid | replaced), [("out", "paid"), ("in", "replace")]
        )
        paid.action_cancel()
        paid.action_reset_to_draft()
        with (
            self.assertRaisesRegex(ValidationError, "paid service"),
            self.cr.savepoint(),
        ):
            paid.write({"warranty_verdict": "repair"})
            paid.flush_recordset()
        self.assertEqual(self._warranty(paid), [("out", "paid")])

    def test_a_later_hour_reading_leaves_verified_sheets_as_they_were(self):
        """R-127, R-211: a reading of 1600 h taken the day before the report
        is typed in after a sheet was verified in warranty: the verified
        sheet keeps its warranty, a sheet never verified reads out of
        warranty by hours."""
        unit = self._create_unit("SN-HRS-WAR", acceptance=date(2026, 1, 10))
        verified = self._verified_case(unit=unit)
        draft = self._create_case(unit=unit)
        self.assertEqual(self._warranty(verified | draft), [("in", "repair")] * 2)
        self.env["forklift.hour.reading"].with_user(self.staff).create(
            {"unit_id": unit.id, "hours": 1600, "date": datetime(2026, 3, 1, 12)}
        )
        self.assertEqual(unit.hours_limit_reached_on, datetime(2026, 3, 1, 12))
        self.assertEqual(self._warranty(verified), [("in", "repair")])
        self.assertEqual(self._warranty(draft), [("out", "paid")])

    def test_dispatch_time_changed_later_leaves_reopened_sheets(self):
        """R-158, R-259 (000 §4.2.1.1): the dispatch time of the company's
        settings goes from 24 h to 48 h after a sheet was verified; the
        sheet cancelled, reopened and verified again keeps the dispatch
        deadline of its first verification; a sheet verified after the
        change gets the 48 h."""
        case = self._verified_case().with_user(self.staff)
        deadline = case.dispatch_deadline
        self.assertEqual(deadline, case.first_verified_date + timedelta(hours=24))
        self.env.company.forklift_dispatch_hours = 48
        case.action_cancel()
        case.action_reset_to_draft()
        case.action_verify()
        case.invalidate_recordset(["dispatch_deadline"])
        self.assertEqual(case.dispatch_deadline, deadline)
        new = self._verified_case()
        self.assertEqual(new.dispatch_deadline, new.verified_date + timedelta(hours=48))

    def test_paid_diagnosis_is_not_typed_as_a_guarantee(self):
        """R-214, R-216, R-217, R-100 (000 第四篇 §5, 000 §4.3.2.1): a misuse,
        a non-original part or a forklift out of warranty is a paid service;
        the service center chooses among the guarantees (repair, return,
        replace, compensation) only for a sheet that is one. Typed over the
        verdict at intake, a guarantee would be verified and free: no quote,
        no consent signed, warranty parts asked."""
        misuse = self._staff_case(
            "<p>Forks bent by overloading.</p>", responsibility="misuse"
        )
        out = self._staff_case(unit=self.old_unit)
        self.assertEqual(
            self._warranty(misuse | out), [("in", "paid"), ("out", "paid")]
        )
        names = ["warranty_verdict", "responsibility", "warranty_state", "state"]
        before = [self._field_values(case, names) for case in (misuse, out)]
        for case in misuse | out:
            for verdict in ("repair", "replace", "compensation"):
                with (
                    self.subTest(case=case.name, verdict=verdict),
                    self.assertRaisesRegex(ValidationError, "paid service"),
                    self.cr.savepoint(),
                ):
                    case.write({"warranty_verdict": verdict})
                    case.flush_recordset()
        # nor in the same write as the diagnosis, nor at creation
        with (
            self.assertRaisesRegex(ValidationError, "paid service"),
            self.cr.savepoint(),
        ):
            misuse.write(
                {"responsibility": "non_original", "warranty_verdict": "repair"}
            )
            misuse.flush_recordset()
        sheets = self.env["forklift.feedback"].with_user(self.staff)
        count = sheets.search_count([])
        with (
            self.assertRaisesRegex(ValidationError, "paid service"),
            self.cr.savepoint(),
        ):
            sheets.create(
                {
                    "unit_id": self.unit.id,
                    "title": "Forks bent",
                    "received_date": datetime(2026, 3, 2, 8, 0),
                    "responsibility": "misuse",
                    "warranty_verdict": "replace",
                }
            ).flush_recordset()
        self.assertEqual(sheets.search_count([]), count)
        self.assertEqual(
            [self._field_values(case, names) for case in (misuse, out)], before
        )
        # a guarantee sheet still chooses its guarantee
        chosen = self._create_case(responsibility="manufacturing").with_user(self.staff)
        chosen.warranty_verdict = "replace"
        self.assertEqual(self._warranty(chosen), [("in", "replace")])

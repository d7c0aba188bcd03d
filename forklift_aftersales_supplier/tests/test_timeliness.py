from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.forklift_aftersales.tests.common import (
    ShippedPartsCommon,
)

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestTimelinessAssessment(SupplierCommon):
    """QA's assessment of the service center's quality and timeliness
    (质量和及时性考核, 000 §3.3, R-076, R-259), from the stored deadlines."""

    def _done_supplier_case(self):
        """Verified Monday 08:00 (dispatch due Tuesday 08:00); the letter is
        only sent Tuesday 10:00 (2 h late); the supplier answers in 5 h, then
        sends the signed sheet 6 working days after the work (late)."""
        with freeze_time("2026-03-02 08:00:00"):
            case = self._supplier_case()
        with freeze_time("2026-03-03 10:00:00"):
            letter = self._letter(case)
        contact = letter.contact_id
        with freeze_time("2026-03-03 15:00:00"):
            letter._supplier_answer(
                contact,
                {
                    "supplier_technician": "Zhou Lei",
                    "planned_visit_date": datetime(2026, 3, 4, 9, 0),
                },
            )
        with freeze_time("2026-03-04 17:00:00"):
            letter._supplier_report_done(
                contact,
                {
                    "arrival_date": datetime(2026, 3, 4, 9, 0),
                    "finished_date": datetime(2026, 3, 4, 16, 0),
                    "work_done": "<p>Pump replaced.</p>",
                },
            )
        with freeze_time("2026-03-12 18:00:00"):
            letter._supplier_upload_sheet(contact, b"JVBERi0K", "sheet.pdf", "Wang")
            letter.with_user(self.staff).action_confirm_service_center()
            letter.with_user(self.qa).action_confirm_qa()
        return case

    def test_assessment_compares_each_deadline_with_when_it_was_met(self):
        case = self._done_supplier_case()
        self.assertEqual(case.state, "done")
        with freeze_time("2026-03-13 09:00:00"):
            action = case.with_user(self.qa).action_assess_timeliness()
        assessment = self.env["forklift.timeliness.assessment"].browse(action["res_id"])
        lines = {line.deadline_type: line for line in assessment.line_ids}
        self.assertFalse(lines["dispatch"].on_time)
        self.assertEqual(lines["dispatch"].delay_hours, 2)
        self.assertTrue(lines["answer"].on_time)
        self.assertTrue(lines["supplier_reply"].on_time)
        self.assertEqual(lines["supplier_reply"].party, "supplier")
        self.assertFalse(lines["supplier_sheet"].on_time)
        self.assertFalse(
            lines["onsite"].on_time, "on site 49 h after the call, 24 h promised"
        )
        self.assertEqual(lines["onsite"].delay_hours, 25)
        self.assertEqual(assessment.sc_deadline_count, 3, "dispatch, answer, on site")
        self.assertEqual(assessment.sc_late_count, 2)
        self.assertAlmostEqual(assessment.sc_on_time_rate, 100 / 3, places=2)
        self.assertEqual(assessment.period_date.isoformat(), "2026-03-12")
        assessment.with_user(self.qa).write(
            {"service_quality": "4", "comment": "Dispatch late by 2 h."}
        )
        with freeze_time("2026-03-14 09:00:00"):
            case.with_user(self.qa).action_assess_timeliness()
        self.assertEqual(
            len(case.timeliness_assessment_ids), 1, "refreshed, not doubled"
        )
        self.assertEqual(assessment.service_quality, "4")

    def test_only_qa_assesses_a_finished_sheet(self):
        case = self._verified_case()
        with self.assertRaisesRegex(UserError, "once its service is done"):
            case.with_user(self.qa).action_assess_timeliness()
        case = self._done_supplier_case()
        with self.assertRaisesRegex(UserError, "made by QA"):
            case.with_user(self.staff).action_assess_timeliness()
        self.assertFalse(case.timeliness_assessment_ids)

    def test_parts_shipping_counts_for_the_service_center(self):
        """Warranty parts shipped within 2 working days (000 §4.2.2.3) are one of
        the service center's deadlines; QA reads the delivery without stock
        rights."""
        warehouse_user = self._group_user("fa_wh", "group_forklift_warehouse")
        spare_parts = self.env.ref("forklift_aftersales.stock_location_spare_parts")
        self.env["stock.quant"]._update_available_quantity(self.part, spare_parts, 5)
        with freeze_time("2026-03-02 08:00:00"):
            case = self._verified_case()
            request = self.env["forklift.parts.request"].create(
                self._parts_request_vals(case, 1, "unqualified", unit_cost=150)
            )
            request.request_validation()
            request.with_user(self.director).validate_tier()
            order = self._service_order(case)
            order.action_dispatch()
        with freeze_time("2026-03-03 09:00:00"):
            request.picking_id.action_assign()
            request.picking_id.move_ids.quantity = 1
            request.picking_id.with_user(warehouse_user).button_validate()
        with freeze_time("2026-03-03 15:00:00"):
            self._work_and_register(order, "Wang Jun")
        self.assertEqual(case.state, "done")
        with freeze_time("2026-03-04 09:00:00"):
            case.with_user(self.qa).action_assess_timeliness()
        lines = case.timeliness_assessment_ids.line_ids
        shipping = lines.filtered(lambda line: line.deadline_type == "parts_shipping")
        self.assertEqual(shipping.party, "service_center")
        self.assertTrue(shipping.on_time)
        self.assertFalse(lines.filtered(lambda line: line.party == "supplier"))

    def test_only_the_assessor_rates_the_service(self):
        """R-076, R-259: QA's rating and comment are its assessor's: another
        QA user's change is refused, and a refresh by another QA user
        recomputes the deadlines without putting the rating under his name."""
        case = self._done_supplier_case()
        with freeze_time("2026-03-13 09:00:00"):
            assessment = (
                self.env["forklift.timeliness.assessment"]
                .with_user(self.qa_manager)
                ._assess(case)
            )
        assessment.with_user(self.qa_manager).write(
            {"service_quality": "1", "comment": "Dispatch late."}
        )
        for vals in (
            {"service_quality": "5", "comment": "excellent"},
            {"service_quality": "5"},
            {"comment": "excellent"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "assessment of"),
            ):
                assessment.with_user(self.qa).write(vals)
        result = assessment.with_user(self.qa).load(
            [".id", "service_quality"], [[str(assessment.id), "5"]]
        )
        self.assertFalse(result["ids"])
        with freeze_time("2026-03-14 09:00:00"):
            case.with_user(self.qa).action_assess_timeliness()
        assessment.invalidate_recordset()
        self.assertEqual(
            (assessment.service_quality, assessment.comment),
            ("1", "Dispatch late."),
        )
        self.assertEqual(assessment.assessed_by_id, self.qa_manager)
        assessment.with_user(self.qa_manager).service_quality = "2"
        self.assertEqual(assessment.service_quality, "2")


@tagged("post_install", "-at_install")
class TestTimelinessOldparts(ShippedPartsCommon):
    """The dealer's old parts back within 30 days are one of the dealer's
    deadlines of the assessment (000 §4.3.2.5, R-167, R-235, R-259)."""

    def test_old_parts_received_late_are_a_late_dealer_deadline(self):
        note = self._replaced_note()
        case = note.feedback_id
        Assessment = self.env["forklift.timeliness.assessment"]
        with freeze_time("2026-03-20"):
            self.assertFalse(
                Assessment._prepare_oldpart_deadlines(case)[0][3], "not received yet"
            )
        with freeze_time("2026-04-04"):
            note.with_user(self.staff)._mark_received(date(2026, 4, 4))
            lines = Assessment._prepare_deadline_lines(case)
        (line,) = [x for x in lines if x["deadline_type"] == "oldpart_return"]
        self.assertEqual(line["party"], "dealer")
        self.assertFalse(line["on_time"])
        self.assertEqual(line["delay_hours"], note.days_late * 24)
        self.assertEqual(note.days_late, 3)

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.forklift_aftersales.models.forklift_flow_mixin import (
    FLOW_CONTEXT_KEY,
)

from .common import ForkliftCommon

# Context keys a client may send over RPC: none of them lifts the guard.
CLIENT_CONTEXTS = (
    {},
    {FLOW_CONTEXT_KEY: True},
    {"skip_validation_check": True},
    {FLOW_CONTEXT_KEY: True, "skip_validation_check": True},
)


@tagged("post_install", "-at_install")
class TestFlowLifecycle(ForkliftCommon):
    """Controls that hold on vehicle returns, lifecycle services, customer
    care and reports: each test is an attack by a low-privilege user calling
    the ORM as RPC would (``with_user``), refused with nothing changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        cls.office_director = cls._govern_dealers(
            cls._user("fl_office", "group_forklift_office_director")
        )
        cls.sales_vp = cls._user("fl_sales_vp", "group_forklift_sales_vp_domestic")
        cls.two_hats = cls._user(
            "fl_two_hats", "group_forklift_office_director,group_forklift_director"
        )
        cls.planner = cls._user("fl_planner", "group_forklift_production_planning")
        cls.viewer = cls._user("fl_viewer", "group_forklift_viewer")

    # Helpers

    def _return(self, user=None, **vals):
        Return = self.env["forklift.vehicle.return"].with_user(user or self.staff)
        return Return.create(
            {
                "unit_id": self.unit.id,
                "returned_by": "Li Ming (Harbour Logistics)",
                "reason_type": "product",
                "description": "<p>Mast frame cracked at the weld.</p>",
                **vals,
            }
        )

    def _assert_refused(self, record, vals, exception=AccessError):
        """``vals`` written by the record's user, with every context a client
        can send: refused, and the record unchanged."""
        before = self._field_values(record, list(vals))
        for context in CLIENT_CONTEXTS:
            with self.subTest(vals=vals, context=context):
                with self.assertRaises(exception):
                    record.with_context(**context).write(vals)
                self.assertEqual(self._field_values(record, list(vals)), before)

    def _assert_closed(self, record, *actions):
        """Once done, ``record`` refuses each of ``actions`` again, and not
        even the director deletes it."""
        for action in actions:
            with self.subTest(action=action), self.assertRaises(UserError):
                getattr(record, action)()
        with self.assertRaises(UserError):
            record.with_user(self.director).unlink()

    def _assert_not_created(self, Model, vals, exception=AccessError):
        count = Model.sudo().search_count([])
        for context in CLIENT_CONTEXTS:
            with self.subTest(vals=vals, context=context):
                with self.assertRaises(exception):
                    Model.with_context(**context).create(vals)
                self.assertEqual(Model.sudo().search_count([]), count)

    # Whole-vehicle return (000 §4.4)

    def test_return_cannot_be_created_signed_or_late(self):
        """R-205, R-237, 000 §4.4.1: a registration is not created already
        signed by three people, nor handed to QA, nor received."""
        Return = self.env["forklift.vehicle.return"].with_user(self.staff)
        base = {
            "unit_id": self.unit.id,
            "returned_by": "X",
            "description": "<p>Why</p>",
        }
        now = datetime(2026, 3, 2, 8, 0)
        for vals in (
            {"state": "qa"},
            {"state": "done"},
            {
                "office_signed_by_id": self.office_director.id,
                "office_signed_date": now,
                "director_signed_by_id": self.director.id,
                "director_signed_date": now,
                "sales_vp_signed_by_id": self.sales_vp.id,
                "sales_vp_signed_date": now,
            },
            {"handed_to_qa_date": now},
            {"inspected_by_id": self.qa.id},
            {"reinspection_result": "pass"},
            {"market": "export"},
        ):
            self._assert_not_created(Return, {**base, **vals})
        vehicle_return = Return.with_context(default_state="qa").create(base)
        self.assertEqual(vehicle_return.state, "draft")

    def test_return_flow_fields_not_written(self):
        """R-205, R-237, 000 §4.4.1: the state, the signatures and the
        market that chooses the vice president are not written directly."""
        vehicle_return = self._return()
        vehicle_return.action_submit()
        self._assert_refused(vehicle_return, {"state": "qa"})
        self._assert_refused(
            vehicle_return, {"office_signed_by_id": self.office_director.id}
        )
        self._assert_refused(vehicle_return, {"market": "export"})
        self.assertEqual(vehicle_return.validation_status, "pending")

    def test_signatures_are_reviews_approved_in_order(self):
        """R-205, R-237, A-08, 000 §4.4.1: submitting asks for three reviews,
        office director, then service center director, then sales vice
        president; the signatures are read from them."""
        vehicle_return = self._return()
        vehicle_return.action_submit()
        reviews = vehicle_return.sudo().review_ids.sorted("sequence")
        self.assertEqual(
            reviews.definition_id.mapped("reviewer_group_id"),
            self.env.ref("forklift_aftersales.group_forklift_office_director")
            | self.env.ref("forklift_aftersales.group_forklift_director")
            | self.env.ref("forklift_aftersales.group_forklift_sales_vp_domestic"),
        )
        self.assertTrue(all(reviews.mapped("approve_sequence")))
        # the director cannot sign before the office director, not even with
        # OCA's own button
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.director).validate_tier()
        self.assertFalse(vehicle_return.director_signed_by_id)
        vehicle_return.with_user(self.office_director).validate_tier()
        self.assertEqual(vehicle_return.office_signed_by_id, self.office_director)
        vehicle_return.with_user(self.director).action_sign_director()
        vehicle_return.with_user(self.sales_vp).action_sign_sales_vp()
        self.assertEqual(vehicle_return.state, "qa")
        self.assertEqual(vehicle_return.validation_status, "validated")
        self.assertEqual(
            vehicle_return.sudo().review_ids.mapped("done_by"),
            self.office_director | self.director | self.sales_vp,
        )

    def test_submitter_never_signs(self):
        """R-205, 000 §4.4.1: the office director who submitted a return does
        not sign it himself."""
        submitter = self._group_user(
            "fl_office_staff", "group_forklift_user,group_forklift_office_director"
        )
        self._govern_dealers(submitter)
        vehicle_return = self._return(user=submitter)
        vehicle_return.with_user(submitter).action_submit()
        self._assert_steps_refused(
            vehicle_return, submitter, "action_sign_office", "validate_tier"
        )
        self.assertFalse(vehicle_return.office_signed_by_id)
        self.assertEqual(vehicle_return.state, "signing")

    def test_one_person_signs_one_step(self):
        """R-205, 000 §4.4.1: one user who is both office director and
        service center director signs one seat only."""
        self._govern_dealers(self.two_hats)
        vehicle_return = self._return()
        vehicle_return.action_submit()
        vehicle_return.with_user(self.two_hats).action_sign_office()
        self._assert_steps_refused(
            vehicle_return, self.two_hats, "action_sign_director", "validate_tier"
        )
        self.assertFalse(vehicle_return.director_signed_by_id)
        self.assertEqual(
            len(vehicle_return.sudo().review_ids.filtered(lambda r: r.done_by)), 1
        )

    def test_reviews_of_a_return_are_not_written(self):
        """R-205: a signer cannot mark his review approved, nor restart the
        validation to wipe the signatures."""
        vehicle_return = self._return()
        vehicle_return.action_submit()
        review = vehicle_return.review_ids[:1]
        with self.assertRaises(AccessError):
            review.with_user(self.sales_vp).write({"status": "approved"})
        self.assertNotEqual(review.status, "approved")
        vehicle_return.with_user(self.office_director).action_sign_office()
        self._assert_steps_refused(
            vehicle_return, self.staff, "restart_validation", "request_validation"
        )
        self.assertEqual(vehicle_return.office_signed_by_id, self.office_director)
        self.assertEqual(len(vehicle_return.sudo().review_ids), 3)

    def test_cancel_and_reopen_restart_the_signatures(self):
        """R-205: a cancelled registration reopened collects all three
        signatures again."""
        vehicle_return = self._return()
        vehicle_return.action_submit()
        vehicle_return.with_user(self.office_director).action_sign_office()
        vehicle_return.with_user(self.staff).action_cancel()
        self.assertFalse(vehicle_return.sudo().review_ids)
        vehicle_return.with_user(self.staff).action_reset_to_draft()
        vehicle_return.with_user(self.staff).action_submit()
        self.assertFalse(vehicle_return.office_signed_by_id)
        self.assertEqual(
            vehicle_return.sudo().review_ids.mapped("status").count("approved"), 0
        )
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.director).action_sign_director()

    def test_qa_does_not_cancel_nor_reopen_a_return(self):
        """R-236, 000 §4.4: QA edits its inspection of a return, but only the
        service center that registered it cancels or reopens it."""
        vehicle_return = self._return()
        vehicle_return.action_submit()
        self._assert_steps_refused(
            vehicle_return, self.qa, "action_cancel", error=AccessError
        )
        self.assertEqual(vehicle_return.state, "signing")
        self.assertTrue(vehicle_return.sudo().review_ids)
        vehicle_return.with_user(self.staff).action_cancel()
        self._assert_steps_refused(
            vehicle_return, self.qa, "action_reset_to_draft", error=AccessError
        )
        self.assertEqual(vehicle_return.state, "cancel")

    def test_signers_do_not_submit(self):
        """R-236, 000 §4.4.1: the registration is submitted by the service
        center that may edit it, not by a signer who only reads it."""
        vehicle_return = self._return()
        with self.assertRaises(AccessError):
            vehicle_return.with_user(self.sales_vp).action_submit()
        self.assertEqual(vehicle_return.state, "draft")
        self.assertFalse(vehicle_return.sudo().review_ids)

    def test_return_in_progress_not_deleted_nor_cancelled_twice(self):
        """R-236, R-237, 000 §4.4: a submitted registration is not deleted;
        a cancelled one is not cancelled again."""
        vehicle_return = self._return()
        vehicle_return.action_submit()
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.director).unlink()
        self.assertTrue(vehicle_return.exists())
        vehicle_return.with_user(self.staff).action_cancel()
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.staff).action_cancel()

    def test_rework_tasks_and_inspection_items_follow_the_return(self):
        """R-239, R-240, 000 §4.4.2–3: items are recorded while QA inspects,
        tasks after the inspection, changed and deleted during the rework
        only; a task is not done, moved nor deleted directly."""
        vehicle_return = self._return()
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.qa).write(
                {"check_line_ids": [Command.create({"name": "Mast"})]}
            )
        with self.assertRaises(UserError):
            self.env["forklift.vehicle.return.task"].with_user(self.qa).create(
                {
                    "return_id": vehicle_return.id,
                    "department": "planning",
                    "name": "Plan",
                    "user_id": self.planner.id,
                }
            )
        self.assertFalse(vehicle_return.check_line_ids)
        self.assertFalse(vehicle_return.task_ids)
        # a task of another return is not moved onto this one
        other = self._return()
        task = (
            self.env["forklift.vehicle.return.task"]
            .sudo()
            ._create_flow(
                [
                    {
                        "return_id": other.id,
                        "department": "planning",
                        "name": "Plan",
                        "user_id": self.planner.id,
                    }
                ]
            )
        )
        self._assert_refused(task.with_user(self.qa), {"return_id": vehicle_return.id})
        # its return is not in rework (not yet, or no longer): the task is
        # neither replanned nor dropped (the form shows the tasks read-only)
        self._assert_refused(
            task.with_user(self.qa),
            {"name": "Replan", "deadline": date(2026, 3, 9), "result": "Done?"},
            UserError,
        )
        with self.assertRaisesRegex(UserError, "after QA's inspection only"):
            task.with_user(self.qa).unlink()
        self._assert_refused(task.with_user(self.planner), {"state": "done"})
        self._assert_refused(
            task.with_user(self.planner), {"done_date": datetime(2026, 3, 2)}
        )
        task._write_flow({"state": "done"})
        with self.assertRaises(UserError):
            task.with_user(self.qa).unlink()
        with self.assertRaises(UserError):
            task.with_user(self.planner).action_done()
        self.assertTrue(task.exists())

    # Commissioning (000 第四篇 §1)

    def _delivered_unit(self, serial):
        return self.env["forklift.unit"].create(
            {
                "name": serial,
                "product_id": self.forklift_product.id,
                "partner_id": self.customer.id,
                "delivery_date": date(2026, 3, 2),
            }
        )

    @freeze_time("2026-03-05")
    def test_acceptance_is_recorded_by_its_step_only(self):
        """R-041, R-124, 000 第四篇 §1: the acceptance that starts the
        warranty, its date and state are not typed nor created; once
        accepted, the signed acceptance no longer changes nor goes."""
        unit = self._delivered_unit("SN-FL-0001")
        commissioning = unit.commissioning_ids.with_user(self.technician)
        for vals in (
            {"state": "done"},
            {"acceptance_date": date(2026, 3, 3)},
            {"accepted_by_id": self.technician.id},
        ):
            self._assert_refused(commissioning, vals)
        self._assert_not_created(
            self.env["forklift.commissioning"].with_user(self.technician),
            {"unit_id": unit.id, "state": "done", "acceptance_date": date(2026, 3, 3)},
        )
        self.assertFalse(unit.acceptance_date)
        self._check_and_sign(commissioning)
        commissioning.action_accept()
        self.assertEqual(commissioning.acceptance_date, date(2026, 3, 5))
        self.assertEqual(commissioning.accepted_by_id, self.technician)
        self.assertEqual(unit.acceptance_date, date(2026, 3, 5))
        self._assert_refused(commissioning, {"signed_by": "Someone else"}, UserError)
        self._assert_closed(commissioning, "action_accept", "action_cancel")
        self.assertEqual(commissioning.state, "done")

    # Maintenance visits (000 第四篇 §4)

    def test_visit_made_by_its_step_only(self):
        """R-043, R-212, R-213, 000 第四篇 §4: a visit is not marked made, nor
        dated, nor given a reading directly, nor moved in the plan of free
        visits (A-22: which visit, due after how many months or hours, the form
        shows read-only); once made, its hour meter and parts stay, and it is
        not deleted."""
        unit = self._create_unit("SN-FL-0002", acceptance=date(2026, 1, 10))
        visit = unit.maintenance_visit_ids.sorted("sequence")[:1]
        planned_date = visit.planned_date
        visit = visit.with_user(self.technician)
        for vals in (
            {"state": "done"},
            {"done_date": date(2026, 3, 1)},
            {"done_by_id": self.technician.id},
            {"visit_type": "overhaul"},
            {"threshold_months": 11},
            {"threshold_hours": 1400.0},
        ):
            self._assert_refused(visit, vals)
        self.assertEqual(visit.planned_date, planned_date)
        visit.write(
            {
                "hour_meter": 300,
                "line_ids": [Command.create({"product_id": self.part.id})],
            }
        )
        visit.action_done()
        self.assertEqual(visit.done_by_id, self.technician)
        self.assertEqual(visit.reading_id.hours, 300)
        self._assert_refused(visit, {"hour_meter": 3000}, UserError)
        with self.assertRaises(UserError):
            visit.line_ids.write({"quantity": 5})
        with self.assertRaises(UserError):
            visit.write({"line_ids": [Command.create({"product_id": self.part.id})]})
        self.assertEqual(len(visit.line_ids), 1)
        self._assert_closed(visit, "action_done")
        self.assertEqual(unit.current_hours, 300)

    # Trainings (000 第四篇 §2)

    def test_training_held_by_its_step_only(self):
        """R-042, R-125, 000 第四篇 §2: a training is not marked held
        directly; once held, its attendees stay and it is not deleted."""
        training = (
            self.env["forklift.training"]
            .with_user(self.staff)
            .create(
                self._training_vals(
                    topic_ids=[
                        Command.set(
                            self.env.ref(
                                "forklift_aftersales.training_topic_operation"
                            ).ids
                        )
                    ],
                    attendee_ids=[Command.create({"name": "Zhang San"})],
                )
            )
        )
        self._assert_refused(training, {"state": "done"})
        self._assert_not_created(
            self.env["forklift.training"].with_user(self.staff),
            self._training_vals(state="done"),
        )
        training.action_done()
        self.assertEqual(training.done_by_id, self.staff)
        with self.assertRaises(UserError):
            training.write({"attendee_ids": [Command.create({"name": "Ghost"})]})
        with self.assertRaises(UserError):
            training.attendee_ids.write({"attended": False})
        self.assertEqual(training.attendee_count, 1)
        self._assert_closed(training, "action_cancel")

    # Customer care (000 第五篇 (三))

    def test_call_made_by_its_step_only(self):
        """R-027, R-028, 000 第五篇 (三)4–5: a call is not recorded made nor
        timed directly, not tied to an event or a previous call; a made
        call stays in the registry."""
        Call = self.env["forklift.followup.call"].with_user(self.staff)
        call = Call.create({"partner_id": self.customer.id, "call_type": "first"})
        for vals in (
            {"state": "done"},
            {"call_date": datetime(2026, 3, 2, 8, 0)},
        ):
            self._assert_refused(call, vals)
        event = self.env["forklift.care.event"].create(
            {"name": "Gathering", "event_date": date(2030, 5, 25)}
        )
        for vals in (
            {"state": "done"},
            {"event_id": event.id},
            {"previous_call_id": call.id},
        ):
            self._assert_not_created(
                Call, {"partner_id": self.customer.id, "call_type": "event", **vals}
            )
        with self.assertRaises(UserError):
            call.action_reset()
        call.notes = "Fine."
        second = call.action_done()
        self.assertEqual(second.previous_call_id, call)
        self._assert_closed(call, "action_done", "action_cancel")
        self.assertEqual(call.state, "done")

    def test_letter_sent_by_its_step_only(self):
        """R-029, 000 第五篇 (三)8: a letter is not entered in the registry
        as sent directly; a sent letter no longer changes nor goes."""
        Letter = self.env["forklift.care.letter"].with_user(self.staff)
        base = {"partner_id": self.customer.id, "subject": "Maintenance reminder"}
        for vals in (
            {"state": "sent"},
            {"sent_date": date(2026, 3, 2)},
            {"user_id": self.director.id},
        ):
            self._assert_not_created(Letter, {**base, **vals})
        letter = Letter.create(base)
        self._assert_refused(letter, {"state": "sent"})
        letter.action_send()
        self.assertEqual(letter.user_id, self.staff)
        self._assert_refused(letter, {"subject": "Another text"}, UserError)
        self._assert_closed(letter, "action_send")

    def test_event_steps_in_order(self):
        """R-116, 000 第五篇 (三)6: an event is not marked notified or held
        directly; letters follow the notice calls; it is held once notified;
        a notified event is not deleted."""
        event = (
            self.env["forklift.care.event"]
            .with_user(self.staff)
            .create(
                {
                    "name": "Customer gathering",
                    "event_date": date(2030, 5, 25),
                    "partner_ids": [Command.set(self.customer.ids)],
                }
            )
        )
        self._assert_refused(event, {"state": "notified"})
        for action in ("action_send_letters", "action_done"):
            with self.subTest(action=action), self.assertRaises(UserError):
                getattr(event, action)()
        self.assertEqual(event.state, "draft")
        self.assertFalse(event.letter_ids)
        event.action_schedule_notices()
        with self.assertRaises(UserError):
            event.action_schedule_notices()
        self.assertEqual(len(event.call_ids), 1)
        with self.assertRaises(UserError):
            event.with_user(self.director).unlink()

    def _survey(self):
        case = self._create_case()
        return (
            self.env["forklift.satisfaction.survey"]
            ._create_flow([{"feedback_id": case.id, "partner_id": self.customer.id}])
            .with_user(self.staff)
        )

    def test_survey_answer_by_the_answer_step_only(self):
        """R-037, R-120, 001-B L151–153: the answer, its channel and the
        ratings are written by the token-protected page or the service
        center's record of a phone call, never directly; once answered the
        survey stays as the customer gave it."""
        survey = self._survey()
        for vals in (
            {"rating": "5"},
            {"rating_result": "5", "rating_timeliness": "5"},
            {"answer_channel": "link"},
            {"state": "answered"},
            {"comment": "Perfect"},
            {"answered_date": datetime(2026, 3, 2, 8, 0)},
        ):
            self._assert_refused(survey, vals)
        self._assert_not_created(
            self.env["forklift.satisfaction.survey"].with_user(self.staff),
            {
                "feedback_id": survey.feedback_id.id,
                "partner_id": self.customer.id,
                "rating": "5",
            },
        )
        survey.action_send()
        # a viewer does not record a phone answer
        survey.write({"phone_rating": "2", "phone_comment": "Slow."})
        with self.assertRaises(AccessError):
            survey.with_user(self.viewer).action_record_phone_answer()
        self.assertFalse(survey.rating)
        survey.action_record_phone_answer()
        self.assertEqual(
            (survey.state, survey.rating, survey.answer_channel),
            ("answered", "2", "phone"),
        )
        with self.assertRaises(UserError):
            survey.action_record_phone_answer()
        self._assert_refused(survey, {"phone_rating": "5"}, UserError)
        self._assert_closed(survey, "action_cancel")
        self.assertEqual(survey.rating, "2")

    # After-sales reports (000 §4.1.4, §4.1.6)

    def test_report_figures_and_recipients_by_its_steps_only(self):
        """R-004, R-007, R-008, 000 §4.1.4, §4.1.6: a report is not marked
        sent, given figures, files or recipients directly; a produced report
        keeps its period and is not deleted."""
        Report = self.env["forklift.aftersales.report"].with_user(self.staff)
        base = {
            "report_type": "monthly",
            "market": "domestic",
            "date_from": date(2026, 2, 1),
        }
        case = self._create_case()
        for vals in (
            {"state": "sent"},
            {"feedback_count": 3},
            {"recipient_partner_ids": [Command.set(self.customer.ids)]},
            {"feedback_ids": [Command.set(case.ids)]},
        ):
            self._assert_not_created(Report, {**base, **vals})
        report = Report.create(base)
        for vals in (
            {"state": "sent"},
            {"total_cost": 1.0},
            {"send_count": 5},
            {"recipient_partner_ids": [Command.set(self.customer.ids)]},
            {"sent_date": datetime(2026, 3, 5, 8, 0)},
        ):
            self._assert_refused(report, vals)
        report._write_flow({"state": "produced"})
        self._assert_refused(report, {"date_from": date(2026, 1, 1)}, UserError)
        with self.assertRaises(UserError):
            report.with_user(self.director).unlink()
        self.assertTrue(report.exists())

    def test_readers_take_no_step(self):
        """R-041, R-043, R-027, R-029, R-037, R-007, R-238: a user who only
        reads the documents (viewer, a signer) takes none of their steps,
        although the steps write as the server."""
        unit = self._create_unit("SN-FL-0004", acceptance=date(2026, 1, 10))
        visit = unit.maintenance_visit_ids.sorted("sequence")[:1]
        visit.hour_meter = 100
        delivered = self._delivered_unit("SN-FL-0005")
        commissioning = delivered.commissioning_ids
        self._check_and_sign(commissioning)
        call = self.env["forklift.followup.call"].create(
            {"partner_id": self.customer.id, "notes": "Fine."}
        )
        letter = self.env["forklift.care.letter"].create(
            {
                "partner_id": self.customer.id,
                "subject": "Notice",
                "send_method": "post",
            }
        )
        survey = self._survey().with_user(self.env.user)
        report = self.env["forklift.aftersales.report"].create(
            {
                "report_type": "monthly",
                "market": "domestic",
                "date_from": date(2026, 2, 1),
            }
        )
        vehicle_return = self._return()
        vehicle_return.action_submit()
        for record, action in (
            (visit, "action_done"),
            (commissioning, "action_accept"),
            (call, "action_done"),
            (letter, "action_send"),
            (survey, "action_send"),
            (report, "action_produce"),
            (vehicle_return, "action_receive"),
            (vehicle_return, "action_cancel"),
        ):
            state = record.state
            for user in (self.viewer, self.sales_vp):
                with self.subTest(model=record._name, user=user.login):
                    with self.assertRaises(AccessError):
                        getattr(record.with_user(user), action)()
                    record.invalidate_recordset()
                    self.assertEqual(record.state, state)
        self.assertFalse(vehicle_return.picking_id)
        self.assertFalse(delivered.acceptance_date)

    # Companies

    def test_lines_of_another_company_are_not_seen(self):
        """R-005: the lines of the lifecycle documents (inspection items,
        rework tasks, attendees, visit parts) follow their document's
        company."""
        unit = self._create_unit("SN-FL-0003", acceptance=date(2026, 1, 10))
        visit = unit.maintenance_visit_ids[:1]
        visit.write({"line_ids": [Command.create({"product_id": self.part.id})]})
        training = self.env["forklift.training"].create(
            self._training_vals(attendee_ids=[Command.create({"name": "Zhang San"})])
        )
        vehicle_return = self._return()
        vehicle_return._write_flow({"state": "qa"})
        vehicle_return.with_user(self.qa).write(
            {"check_line_ids": [Command.create({"name": "Mast"})]}
        )
        other = self.env["res.company"].create({"name": "Forklift Other Co"})
        outsider = self._company_user("fl_outsider", "group_forklift_director", other)
        for model, record in (
            ("forklift.maintenance.visit.line", visit.line_ids),
            ("forklift.training.attendee", training.attendee_ids),
            ("forklift.vehicle.return.check", vehicle_return.check_line_ids),
        ):
            with self.subTest(model=model):
                self.assertEqual(record.company_id, self.env.company)
                self.assertFalse(
                    self.env[model]
                    .with_user(outsider)
                    .search([("id", "in", record.ids)])
                )
                self._assert_refused(
                    record.with_user(self.director), {"company_id": other.id}
                )

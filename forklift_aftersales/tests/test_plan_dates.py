from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_abnormal_issue import AbnormalIssueCommon


@tagged("post_install", "-at_install")
class TestPlanDates(AbnormalIssueCommon):
    """The dates that make a to-do due or a record true are the procedure's,
    not a user's: a commissioning is due on the delivery (R-177), a training
    is held once it has started (R-042), an abnormal issue is solved within
    the days allowed before it goes to the committee (R-245, R-246)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = cls.env.ref("forklift_aftersales.training_topic_operation")

    def test_commissioning_stays_due_on_the_delivery_date(self):
        """R-177, R-124 (000 第四篇 §1): a forklift is commissioned at once
        when it arrives, its to-do due on the delivery date. A technician
        whose to-do is overdue does not push it back (to 2999 or to the next
        day), on the commissioning planned at the delivery nor on one he
        creates: refused, the to-do stays due and overdue. A commissioning he
        creates without a date is due on the delivery; one of a forklift
        whose delivery is not recorded is due at once. Only the
        service-center director plans it later (the customer not ready)."""
        with freeze_time("2026-10-10"):
            unit = self._create_unit("SN-PD-0001", delivery=date(2026, 10, 6))
            commissioning = unit.commissioning_ids
            self.assertEqual(commissioning.planned_date, date(2026, 10, 6))
            todo = commissioning.activity_ids
            self.assertEqual(todo.date_deadline, date(2026, 10, 6))
            as_technician = commissioning.with_user(self.technician)
            commissionings = self.env["forklift.commissioning"].with_user(
                self.technician
            )
            for day in ("2999-01-01", "2026-10-07"):
                with self.subTest(day=day), self.assertRaises(ValidationError) as cm:
                    as_technician.write({"planned_date": day})
                self.assertIn("commissioned at once", str(cm.exception))
                with self.subTest(day=day), self.assertRaises(ValidationError):
                    commissionings.create({"unit_id": unit.id, "planned_date": day})
            commissioning.invalidate_recordset()
            self.assertEqual(commissioning.planned_date, date(2026, 10, 6))
            self.assertEqual(commissioning.activity_ids, todo)
            self.assertEqual(todo.date_deadline, date(2026, 10, 6))
            self.assertEqual(unit.commissioning_ids, commissioning)
            overdue = self.env["forklift.commissioning"].search(
                [
                    ("id", "=", commissioning.id),
                    ("activity_ids.date_deadline", "<", date(2026, 10, 10)),
                ]
            )
            self.assertEqual(overdue, commissioning, "the to-do stays overdue")
            # written again on the delivery date: nothing moves
            as_technician.write({"planned_date": "2026-10-06", "technician_id": False})
            second = commissionings.create({"unit_id": unit.id})
            self.assertEqual(second.planned_date, date(2026, 10, 6))
            # not delivered yet: due at once, not later
            waiting = self._create_unit("SN-PD-0002")
            self.assertFalse(waiting.commissioning_ids)
            with self.assertRaises(ValidationError):
                commissionings.create(
                    {"unit_id": waiting.id, "planned_date": "2999-01-01"}
                )
            self.assertFalse(waiting.commissioning_ids)
            self.assertEqual(
                commissionings.create({"unit_id": waiting.id}).planned_date,
                date(2026, 10, 10),
            )
            # the director plans it later: the to-do follows
            commissioning.with_user(self.director).write({"planned_date": "2026-10-20"})
            self.assertEqual(commissioning.planned_date, date(2026, 10, 20))
            self.assertEqual(
                commissioning.activity_ids.date_deadline, date(2026, 10, 20)
            )

    def _training_of(self, start, user=None):
        return (
            self.env["forklift.training"]
            .with_user(user or self.technician)
            .create(
                self._training_vals(
                    start_date=start,
                    topic_ids=[Command.set(self.topic.ids)],
                    attendee_ids=[Command.create({"name": "Chen Gang"})],
                )
            )
        )

    def test_training_is_held_once_it_has_started(self):
        """R-042, R-125 (000 第四篇 §2): the training record says a training
        was given. A technician does not record as held today a training
        that starts in 2999, nor one planned for next week: refused, it
        stays planned. A training is planned within the year ahead (not in
        2999, by create or write); once it has started it is recorded as
        held."""
        with freeze_time("2026-12-05 10:00:00"):
            for start in ("2999-01-01 08:00:00", "2028-01-01 08:00:00"):
                with self.subTest(start=start), self.assertRaises(ValidationError):
                    self._training_of(start)
            training = self._training_of(datetime(2026, 12, 14, 8, 0))
            with self.assertRaises(ValidationError):
                training.write({"start_date": "2999-01-01 08:00:00"})
            with self.assertRaises(ValidationError) as cm:
                training.action_done()
            self.assertIn("has not started", str(cm.exception))
            self.assertEqual(training.state, "planned")
            self.assertFalse(training.done_date)
            self.assertEqual(training.start_date, datetime(2026, 12, 14, 8, 0))
        with freeze_time("2026-12-14 07:59:00"), self.assertRaises(ValidationError):
            training.action_done()
        self.assertEqual(training.state, "planned")
        with freeze_time("2026-12-14 12:00:00"):
            training.action_done()
        self.assertEqual(training.state, "done")
        self.assertEqual(training.done_date, datetime(2026, 12, 14, 12, 0))

    def test_abnormal_issue_is_solved_within_the_days_allowed(self):
        """R-245, R-246 (000 §4.2.4): the issue submitted to R&D and QA is to
        be solved by an agreed date, within the days the company allows
        (its setting, 7 by default); one not solved by then cannot be solved
        in the short term and goes to the committee. The service center does
        not agree on 2999 (the departments' to-dos would never fall due, the
        issue never reach the committee), on 1900, on a day before the
        submission nor beyond the days allowed: refused on create, on write
        and at the submission, which changes nothing."""
        days = self.env.company._get_forklift_setting("forklift_abnormal_issue_days")
        self.assertEqual(days, 7)
        with freeze_time("2026-03-02"):
            for agreed in ("2999-01-01", "1900-01-01", "2026-03-01", "2026-03-10"):
                with self.subTest(agreed=agreed):
                    with self.assertRaises(ValidationError) as cm:
                        self._issue(agreed_date=agreed)
                    self.assertIn("between", str(cm.exception))
            issue = self._issue(agreed_date="2026-03-09")
            with self.assertRaises(ValidationError):
                issue.with_user(self.staff).write({"agreed_date": "2999-01-01"})
            issue.with_user(self.staff).write({"agreed_date": "2026-03-04"})
        # submitted after the agreed day: agreed again first
        with freeze_time("2026-03-05"):
            with self.assertRaises(ValidationError):
                issue.with_user(self.staff).action_submit()
            self.assertEqual(issue.state, "draft")
            self.assertFalse(issue.analysis_ids)
            self.assertFalse(issue.activity_ids)
            issue.with_user(self.staff).write({"agreed_date": "2026-03-12"})
            issue.with_user(self.staff).action_submit()
        self.assertEqual(issue.state, "analysis")
        deadlines = set(issue.activity_ids.mapped("date_deadline"))
        self.assertEqual(deadlines, {date(2026, 3, 12)})
        with freeze_time("2026-03-13"):
            self.issue_model._cron_escalate_overdue()
        self.assertEqual(issue.state, "escalated")

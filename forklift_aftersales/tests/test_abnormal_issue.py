from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_committee import CommitteeCommon


class AbnormalIssueCommon(CommitteeCommon):
    """The service center's abnormal issue on a verified sheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.issue_model = cls.env["forklift.abnormal.issue"]

    def _issue(self, case=None, **vals):
        case = case or self._verified_case()
        issue = self.issue_model.with_user(self.staff).create(
            {
                "feedback_id": case.id,
                "title": "Mast chatters after the seal change",
                "description": "<p>Chatter persists with a new seal kit.</p>",
                **vals,
            }
        )
        return issue.with_env(self.env)


@tagged("post_install", "-at_install")
class TestAbnormalIssue(AbnormalIssueCommon):
    """Abnormal issues (售服异常问题反馈单, 000 §4.2.4, R-009, R-245, R-246)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rnd = cls._group_user("fa_rnd", "group_forklift_rnd")

    def test_issue_goes_to_rnd_and_qa_for_analysis(self):
        """R-087, R-051 (000 §4.2.4, §3.4): the service center's abnormal-issue
        sheet asks R&D and QA for their analyses; each department answers its
        own; the sheet closes with the solution."""
        with freeze_time("2026-03-02"):
            issue = self._issue()
            issue.with_user(self.staff).action_submit()
        self.assertEqual(issue.state, "analysis")
        self.assertEqual(issue.agreed_date, date(2026, 3, 9))
        self.assertEqual(sorted(issue.analysis_ids.mapped("department")), ["qa", "rnd"])
        asked = issue.activity_ids.user_id
        self.assertIn(self.rnd, asked)
        self.assertIn(self.qa, asked)

        rnd_analysis = issue.analysis_ids.filtered(lambda a: a.department == "rnd")
        rnd_analysis.with_user(self.rnd).analysis = "<p>Wrong chain tension.</p>"
        with self.assertRaisesRegex(UserError, "Only the R&D department"):
            rnd_analysis.with_user(self.qa).action_answer()
        rnd_analysis.with_user(self.rnd).action_answer()
        self.assertEqual(rnd_analysis.answered_by_id, self.rnd)
        self.assertNotIn(self.rnd, issue.activity_ids.user_id, "the R&D to-do is done")
        with self.assertRaises(AccessError):
            issue.with_user(self.rnd).write({"state": "closed"})

        with self.assertRaisesRegex(UserError, "solution"):
            issue.with_user(self.staff).action_resolve()
        issue.with_user(self.staff).solution = "<p>Chain tension adjusted.</p>"
        issue.with_user(self.staff).action_resolve()
        self.assertEqual(issue.state, "closed")
        self.assertFalse(issue.review_ids, "solved without the committee")

    def test_only_the_issues_company_is_asked(self):
        """R-087 (000 §4.2.4): the departments asked are their members in the
        issue's company; an R&D engineer of another company would get a
        to-do naming an issue he may not read."""
        other = self.env["res.company"].create({"name": "Forklift Overseas Works"})
        rnd_other = self._company_user("fa_rnd_other", "group_forklift_rnd", other)
        with freeze_time("2026-03-02"):
            issue = self._issue()
            issue.with_user(self.staff).action_submit()
        asked = issue.activity_ids.user_id
        self.assertIn(self.rnd, asked)
        self.assertNotIn(rnd_other, asked)
        with self.assertRaises(AccessError):
            issue.with_user(rnd_other).read(["name"])

    def test_issue_needs_a_description(self):
        issue = self._issue(description=False)
        with self.assertRaisesRegex(UserError, "Describe the problem"):
            issue.with_user(self.staff).action_submit()
        self.assertEqual(issue.state, "draft")
        self.assertFalse(issue.analysis_ids)

    def test_major_issue_goes_to_the_committee_at_once(self):
        case = self._verified_case(severity="major")
        issue = self._issue(case=case)
        self.assertTrue(issue.is_major)
        issue.with_user(self.staff).action_submit()
        self.assertEqual(issue.state, "escalated")
        self.assertEqual(len(issue.analysis_ids), 2, "R&D and QA still analyse")
        review = issue.review_ids
        self.assertEqual(review.subject_type, "abnormal_issue")
        self.assertEqual(review.reason, "Major issue")
        self.assertEqual(review.feedback_id, case)

    def test_unsolved_issue_goes_to_the_committee_after_the_agreed_date(self):
        with freeze_time("2026-03-02"):
            issue = self._issue()
            issue.with_user(self.staff).action_submit()
        overdue = [("is_overdue", "=", True)]
        with freeze_time("2026-03-09"):
            self.assertNotIn(issue, self.issue_model.search(overdue))
            self.issue_model._cron_escalate_overdue()
            self.assertEqual(issue.state, "analysis")
        with freeze_time("2026-03-10"):
            self.assertIn(issue, self.issue_model.search(overdue))
            self.issue_model._cron_escalate_overdue()
        self.assertEqual(issue.state, "escalated")
        review = issue.review_ids
        self.assertEqual(review.reason, "Not solved by the agreed date")
        self.assertEqual(review.submitted_by_id, self.staff, "reminders go to the SC")
        self.assertIn(self.chief_engineer, review.activity_ids.user_id)

        review.write(
            {"decision": "<p>Change the chain supplier; retrofit the fleet.</p>"}
        )
        self._confirm(review, self.chief_engineer | self.rnd_manager | self.director)
        review.with_user(self.rnd_manager).request_validation()
        self._sign(review)
        self.assertEqual(issue.state, "decided")
        self.assertIn("retrofit", issue.decision)
        issue.with_user(self.staff).action_close()
        self.assertEqual(issue.state, "closed")

    def test_service_center_may_escalate_by_hand(self):
        issue = self._issue()
        issue.with_user(self.staff).action_submit()
        issue.with_user(self.staff).action_escalate()
        self.assertEqual(issue.state, "escalated")
        with self.assertRaisesRegex(UserError, "already before the committee"):
            issue.with_user(self.staff).action_escalate()
        self.assertEqual(len(issue.review_ids), 1)

    def test_a_withdrawn_review_gives_the_issue_back(self):
        """R-020, R-246 (000 §4.2.4): one member present withdraws the
        committee's review of an issue (no quorum needed). The issue stayed
        "Submitted to the Committee" for good: it could no longer be
        submitted again, resolved, cancelled or closed, nor be shown late.
        It goes back to the state it had when submitted (under analysis,
        late again past its agreed date; a draft escalated by hand to its
        draft), with a note in its chatter, and is handled or submitted
        again."""
        with freeze_time("2026-03-02"):
            issue = self._issue()
            issue.with_user(self.staff).action_submit()
            issue.with_user(self.staff).action_escalate()
            review = issue.review_ids
            self._withdraw(review, self.chief_engineer, issue)
        self.assertEqual(issue.state, "analysis")
        self.assertFalse(issue.escalated_date)
        with freeze_time("2026-03-10"):
            self.assertIn(issue, self.issue_model.search([("is_overdue", "=", True)]))
        issue.with_user(self.staff).action_escalate()
        self.assertEqual(issue.state, "escalated")
        self.assertEqual(len(issue.review_ids), 2)
        second = issue.review_ids - review
        self._decide(second, self.quorum)
        self.assertEqual(issue.state, "decided")

        draft = self._issue()
        draft.with_user(self.staff).action_escalate()
        self.assertEqual(draft.state, "escalated")
        self._withdraw(draft.review_ids, self.director, draft)
        self.assertEqual(draft.state, "draft")
        draft.with_user(self.staff).action_cancel()
        self.assertEqual(draft.state, "cancel")

    def test_a_withdrawn_issue_gets_a_new_short_term_before_the_cron(self):
        """R-246, R-020 (000 §4.2.4): an issue still under analysis past its
        agreed date goes to the committee on the daily run; the committee
        withdraws its review undecided and gives the issue back to the
        service center. Given back with the date that sent it, the next daily
        run would submit it again before anyone handled it. The withdrawal
        gives the departments a new short term (the company's days, from the
        withdrawal) and moves their to-dos to it: the daily run submits the
        issue again only once that term has passed."""
        with freeze_time("2026-03-02"):
            issue = self._issue()
            issue.with_user(self.staff).action_submit()
        with freeze_time("2026-03-10"):
            self.issue_model._cron_escalate_overdue()
        self.assertEqual(issue.state, "escalated")
        review = issue.review_ids
        with freeze_time("2026-03-11"):
            self._withdraw(review, self.chief_engineer, issue)
        self.assertEqual(issue.state, "analysis")
        for day in ("2026-03-12", "2026-03-18"):
            with freeze_time(day):
                self.issue_model._cron_escalate_overdue()
            self.assertEqual(issue.state, "analysis", day)
            self.assertEqual(issue.review_ids, review, day)
        self.assertEqual(issue.agreed_date, date(2026, 3, 18))
        self.assertEqual(
            set(issue.activity_ids.mapped("date_deadline")), {date(2026, 3, 18)}
        )
        with freeze_time("2026-03-19"):
            self.issue_model._cron_escalate_overdue()
        self.assertEqual(issue.state, "escalated")
        second = issue.review_ids - review
        self.assertEqual(second.reason, "Not solved by the agreed date")

    def test_the_review_names_who_submitted_it(self):
        """R-246 (000 §4.2.4): the committee review of an issue the service
        center submits, by hand or as a major issue, names the user who
        submitted it, not the issue's Responsible that he types (a director,
        a colleague); only the server's escalation of an overdue issue names
        its Responsible, on whose behalf it acts."""
        issue = self._issue(user_id=self.director.id)
        issue.with_user(self.staff).action_submit()
        issue.with_user(self.staff).action_escalate()
        self.assertEqual(issue.review_ids.submitted_by_id, self.staff)

        case = self._verified_case(severity="major")
        major = self._issue(case=case)
        major.with_user(self.staff).user_id = self.director
        major.with_user(self.staff).action_submit()
        self.assertEqual(major.state, "escalated")
        self.assertEqual(major.review_ids.submitted_by_id, self.staff)

    def test_an_issue_before_the_committee_keeps_its_subject_and_cause(self):
        """R-009, R-246 (000 §4.2.4): the subject and cause of an issue are
        what the committee reviews: once submitted to it (then decided, closed
        or cancelled) the service center no longer changes them over RPC (the
        form shows them read-only); under analysis it still corrects them. The
        solution, the departments' answer, is likewise written under analysis
        only: before the committee, its decision speaks."""
        issue = self._issue()
        issue.with_user(self.staff).action_submit()
        issue.with_user(self.staff).write(
            {
                "title": "Mast chatters under load",
                "cause_type": "customer",
                "solution": "<p>Chain tension to be checked.</p>",
            }
        )
        self.assertEqual(issue.cause_type, "customer")
        issue.with_user(self.staff).action_escalate()
        self.assertEqual(issue.review_ids.title, "Mast chatters under load")
        self._assert_writes_refused(
            issue,
            self.staff,
            {"title": "Nothing serious", "cause_type": "product"},
            message="subject and cause",
        )
        self._assert_writes_refused(
            issue,
            self.staff,
            {"solution": "<p>Solved without the committee.</p>"},
            message="before the committee, .* its solution cannot change",
        )

    def test_a_department_analysis_given_does_not_change(self):
        """R-087, R-245 (000 §4.2.4): a department gives its analysis once:
        given, it no longer changes over RPC (the form shows it read-only),
        while the other department still writes its own."""
        issue = self._issue()
        issue.with_user(self.staff).action_submit()
        rnd_analysis = issue.analysis_ids.filtered(lambda a: a.department == "rnd")
        qa_analysis = issue.analysis_ids - rnd_analysis
        rnd_analysis.with_user(self.rnd).analysis = "<p>Wrong chain tension.</p>"
        rnd_analysis.with_user(self.rnd).action_answer()
        self.assertTrue(rnd_analysis.answered_date)
        kept = self._field_values(rnd_analysis, ["analysis"])
        with self.assertRaisesRegex(UserError, "analysis of .* is given"):
            rnd_analysis.with_user(self.rnd).write({"analysis": "<p>Other.</p>"})
        self.assertEqual(self._field_values(rnd_analysis, ["analysis"]), kept)
        qa_analysis.with_user(self.qa).analysis = "<p>Seal batch is fine.</p>"
        self.assertIn("Seal batch", qa_analysis.analysis)

    def test_a_new_issue_has_no_solution_yet(self):
        """R-245 (000 §4.2.4): the solution is the departments' answer while
        they analyse the issue: an issue is neither created, imported nor
        copied with one, whoever creates it and however."""
        count = self.issue_model.search_count([])
        with self.assertRaises(UserError) as cm:
            self._issue(solution="<p>Typed at creation.</p>")
        self.assertIn("filled in at their own step", str(cm.exception))
        self.assertIn("Solution", str(cm.exception))
        case = self._verified_case()
        result = self.issue_model.with_user(self.staff).load(
            ["feedback_id/.id", "title", "description", "solution"],
            [[str(case.id), "Forged", "<p>x</p>", "<p>Imported.</p>"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("filled in at their own step", result["messages"][0]["message"])
        self.assertEqual(self.issue_model.search_count([]), count)
        issue = self._issue()
        issue.with_user(self.staff).action_submit()
        issue.with_user(self.staff).solution = "<p>New chain.</p>"
        with self.assertRaises(UserError):
            issue.with_user(self.staff).copy({"solution": "<p>New chain.</p>"})
        self.assertFalse(issue.with_user(self.staff).copy().solution)

    def test_feedback_shows_its_abnormal_issues(self):
        case = self._verified_case()
        action = case.action_view_abnormal_issues()
        self.assertEqual(action["context"]["default_feedback_id"], case.id)
        self._issue(case=case)
        self.assertEqual(case.abnormal_issue_count, 1)

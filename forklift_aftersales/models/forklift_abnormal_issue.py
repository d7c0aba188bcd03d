from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools import assign_counts, company_members, list_action
from .forklift_document_fields import (
    board_state,
    computed_editable,
    document_company,
    responsible_field,
    stamp_datetime,
    stamp_user,
    stamped,
)

_lt = LazyTranslate(__name__)

ISSUE_STATES = [
    ("draft", "Draft"),
    ("analysis", "Under Analysis"),
    ("escalated", "Submitted to the Committee"),
    ("decided", "Decided"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
CAUSE_TYPES = [
    ("customer", "Customer-caused"),
    ("product", "Product-caused"),
]
DEPARTMENTS = [
    ("rnd", "R&D"),
    ("qa", "Quality (QA)"),
]


class ForkliftAbnormalIssue(models.Model):
    """Abnormal service-problem feedback sheet (售服异常问题反馈单, R-009).

    000 §4.2.4: a hard problem, caused by the customer or by the product, that
    the service center cannot solve goes to R&D and QA to analyse (the export
    addon adds the export division for export sheets, 000 外销 L83). A problem
    that cannot be solved within the agreed time, or a major one, is submitted
    to the after-sales committee (R-246), whose decision is recorded on its
    review.
    """

    _name = "forklift.abnormal.issue"
    _description = "Forklift Abnormal Service Issue"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.overdue.mixin",
        "forklift.flow.mixin",
        "forklift.feedback.record.mixin",
        "forklift.committee.subject.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _committee_state = "escalated"
    _committee_review_field = "issue_id"
    _overdue_deadline_field = "agreed_date"
    _overdue_open_states = ("analysis",)
    # the departments asked discuss the issue without editing it
    _mail_post_access = "read"

    state = board_state(ISSUE_STATES)
    title = fields.Char(string="Subject", required=True)
    unit_id = fields.Many2one(related="feedback_id.unit_id", string="Forklift")
    partner_id = fields.Many2one(related="feedback_id.partner_id", string="Customer")
    user_id = responsible_field(index=True)
    cause_type = fields.Selection(
        CAUSE_TYPES,
        string="Caused By",
        required=True,
        default="product",
        tracking=True,
    )
    is_major = computed_editable(
        fields.Boolean,
        "_compute_is_major",
        string="Major Issue",
        tracking=True,
        help="A major issue goes to the after-sales committee as soon as it is "
        "submitted (000 §4.2.4).",
    )
    description = fields.Html(help="The problem and what was already tried.")
    submitted_date = stamp_datetime()
    agreed_date = fields.Date(
        string="To Be Solved By",
        copy=False,
        tracking=True,
        help="Agreed when the issue is submitted for analysis; an issue still open "
        "after this date is submitted to the committee.",
    )
    analysis_ids = fields.One2many(
        "forklift.abnormal.issue.analysis", "issue_id", string="Analyses"
    )
    solution = fields.Html(copy=False)
    review_ids = fields.One2many(
        "forklift.committee.review", "issue_id", string="Committee Reviews"
    )
    review_count = fields.Integer(compute="_compute_review_count")
    decision = stamped(fields.Html, string="Committee Decision")
    escalated_date = stamp_datetime()
    closed_date = stamp_datetime()

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "submitted_date",
            "analysis_ids",
            "review_ids",
            "decision",
            "escalated_date",
            "closed_date",
        }

    @api.model
    def _get_draft_fields(self):
        """What the service center states when it submits: fixed afterwards
        (the sheet, whether it is major and the agreed date that sends it to
        the committee)."""
        return {"feedback_id", "is_major", "agreed_date", "description"}

    @api.model
    def _get_committee_fields(self):
        """What the committee reviews (its review copies the subject): fixed
        once the issue goes to the committee or is cancelled (000 §4.2.4,
        R-246)."""
        return {"title", "cause_type"}

    @api.model
    def _get_state_locked_fields(self):
        """The solution is the departments' answer, written while they
        analyse the issue (not before it is submitted); once it goes to the
        committee, its decision speaks (000 §4.2.4)."""
        locked = dict.fromkeys(self._get_draft_fields(), ("draft",))
        locked.update(
            dict.fromkeys(self._get_committee_fields(), ("draft", "analysis"))
        )
        locked["solution"] = ("analysis",)
        return locked

    def _get_state_locked_message(self, names):
        if names & self._get_draft_fields():
            return self.env._(
                "%s is submitted: its sheet, description and agreed date cannot "
                "change.",
                self.name,
            )
        if names & self._get_committee_fields():
            return self.env._(
                "%s is before the committee, decided, closed or cancelled: its "
                "subject and cause cannot change.",
                self.name,
            )
        if self.state == "draft":
            return self.env._(
                "%s is not submitted: its solution is written while the "
                "departments analyse it.",
                self.name,
            )
        return self.env._(
            "%s is before the committee, decided, closed or cancelled: its "
            "solution cannot change.",
            self.name,
        )

    @api.constrains("agreed_date")
    def _check_agreed_date(self):
        """While the issue is a draft, its agreed date is checked as it is
        typed; the submission checks it again on its own day."""
        self.filtered(lambda i: i.state == "draft")._check_agreed_date_allowed()

    def _check_agreed_date_allowed(self):
        """The issue is to be solved by the agreed date, between the
        submission (today) and the days the company allows (its setting
        ``forklift_abnormal_issue_days``, the short term of 000 §4.2.4): a
        problem that needs longer cannot be solved in the short term, and
        goes to the after-sales committee (R-245, R-246). A date in 2999
        would leave the departments' to-dos never due and the issue never
        before the committee."""
        for issue in self.filtered("agreed_date"):
            company = issue.company_id
            days = company._get_forklift_setting("forklift_abnormal_issue_days")
            today = company._forklift_today()
            last = today + timedelta(days=days)
            if not today <= issue.agreed_date <= last:
                raise ValidationError(
                    self.env._(
                        "%(issue)s cannot be agreed to be solved by %(date)s: the "
                        "agreed date falls between the submission, %(today)s, and "
                        "%(last)s (%(days)s days). An issue that needs longer "
                        "cannot be solved in the short term: submit it to the "
                        "after-sales committee.",
                        issue=issue.name,
                        date=issue.agreed_date,
                        today=today,
                        last=last,
                        days=days,
                    )
                )

    # Compute methods

    @api.depends("feedback_id.severity")
    def _compute_is_major(self):
        for issue in self:
            issue.is_major = issue.feedback_id.severity == "major" or issue.is_major

    def _compute_review_count(self):
        assign_counts(self, review_count=("forklift.committee.review", "issue_id"))

    # CRUD methods

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(issue.state != "draft" or issue.submitted_date for issue in self):
            raise UserError(
                self.env._("A submitted abnormal issue cannot be deleted; cancel it.")
            )

    def _check_staff(self):
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(
                self.env._("Only the service center moves an abnormal issue on.")
            )

    # Actions

    def action_submit(self):
        """Send the issue to the departments that analyse it (R&D and QA,
        000 §4.2.4, R-245); a major issue goes to the committee at once."""
        self._check_staff()
        for issue in self:
            issue._check_state(("draft",), self.env._("%s is already submitted."))
            if not issue.description:
                raise UserError(
                    self.env._(
                        "Describe the problem of %s before submitting it.", issue.name
                    )
                )
            issue._check_agreed_date_allowed()
            now = fields.Datetime.now()
            issue._write_flow(
                {
                    "state": "analysis",
                    "submitted_date": now,
                    "agreed_date": issue.agreed_date or issue._get_short_term_date(),
                    "analysis_ids": [
                        fields.Command.create({"department": department})
                        for department in issue._get_analysis_departments()
                    ],
                }
            )
            issue._ask_departments()
            if issue.is_major:
                issue._escalate(self.env._("Major issue"))

    def _get_short_term_date(self):
        """The date the departments solve the issue by unless another is
        agreed: the company's short term (its setting
        ``forklift_abnormal_issue_days``, 000 §4.2.4) from today."""
        self.ensure_one()
        company = self.company_id
        return company._forklift_deadline(
            company._forklift_today(), "forklift_abnormal_issue_days"
        )

    def _get_analysis_departments(self):
        """The departments asked to analyse the issue; addons add theirs."""
        self.ensure_one()
        return ["rnd", "qa"]

    def _ask_departments(self):
        """One to-do per member of each department asked to analyse."""
        self.ensure_one()
        for analysis in self.analysis_ids:
            self._schedule_todos(
                analysis._get_department_users(),
                self.env._(
                    "Analyse abnormal issue %(issue)s (%(department)s)",
                    issue=self.name,
                    department=analysis._get_department_label(),
                ),
                date_deadline=self.agreed_date,
            )

    def action_resolve(self):
        """The departments' analysis solved the problem without the committee."""
        self._check_staff()
        for issue in self:
            issue._check_state(
                ("analysis",),
                self.env._("Only an issue under analysis can be resolved."),
            )
            if not issue.solution:
                raise UserError(
                    self.env._(
                        "Write the solution of %s before closing it.", issue.name
                    )
                )
        self._write_flow({"state": "closed", "closed_date": fields.Datetime.now()})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_escalate(self):
        """Submit the issue to the after-sales committee (000 §4.2.4, R-246)."""
        self._check_staff()
        for issue in self:
            issue._check_state(
                ("draft", "analysis"), self.env._("%s is already before the committee.")
            )
            issue._escalate(self.env._("Submitted by the service center"))
        return self[:1].action_view_reviews() if len(self) == 1 else True

    def _escalate(self, reason):
        """Submit the issue to the committee: the review names who submitted
        it, the user who took the step; the server's own escalation (the
        scheduled job, the early-warning rules, as superuser) acts on behalf
        of the issue's Responsible, whom its reminders reach. The Responsible
        is typed by the service center: taken as the submitter of a user's
        step, he would make the review say that the director or a colleague
        submitted it (R-246)."""
        self.ensure_one()
        submitter = (self.user_id or self.env.user) if self.env.su else self.env.user
        self.env["forklift.committee.review"]._create_flow(
            [
                {
                    "subject_type": "abnormal_issue",
                    "issue_id": self.id,
                    "title": self.title,
                    "reason": reason,
                    "subject_state": self.state,
                    "company_id": self.company_id.id,
                    "submitted_by_id": submitter.id,
                }
            ]
        )
        self._write_flow(
            {"state": "escalated", "escalated_date": fields.Datetime.now()}
        )

    def _apply_committee_decision(self, review):
        """The committee decided: record its decision on the issue."""
        self._check_committee_decision(review)
        self._write_flow({"state": "decided", "decision": review.decision})
        self.message_post(
            body=self.env._("The after-sales committee decided (%s).", review.name)
        )

    def _prepare_committee_withdrawn_vals(self, review):
        """Given back under analysis, the issue gets a new short term from
        the withdrawal: with the agreed date that sent it to the committee,
        the next daily run would submit it again before anyone handled it
        (R-246: the committee takes an issue the departments cannot solve in
        the short term, not one it has just given back)."""
        vals = super()._prepare_committee_withdrawn_vals(review) | {
            "escalated_date": False
        }
        if review.subject_state in self._overdue_open_states:
            vals["agreed_date"] = max(
                self.agreed_date or date.min, self._get_short_term_date()
            )
        return vals

    def _on_committee_withdrawn(self, review):
        """The departments' to-dos follow the new agreed date."""
        res = super()._on_committee_withdrawn(review)
        if self.state in self._overdue_open_states:
            self.activity_reschedule(
                ["mail.mail_activity_data_todo"], date_deadline=self.agreed_date
            )
        return res

    def action_close(self):
        self._check_staff()
        self._check_state(
            ("decided",),
            self.env._("Only an issue the committee decided can be closed here."),
        )
        self._write_flow({"state": "closed", "closed_date": fields.Datetime.now()})

    def action_cancel(self):
        self._check_staff()
        self._move_state(
            ("draft", "analysis"),
            self.env._(
                "%s is before the committee, decided, closed or cancelled: "
                "it cannot be cancelled."
            ),
            "cancel",
            ["mail.mail_activity_data_todo"],
        )

    def action_view_reviews(self):
        self.ensure_one()
        action = list_action(
            self.env,
            "forklift_aftersales.forklift_committee_review_action",
            [("issue_id", "=", self.id)],
            create=False,
        )
        if len(self.review_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.review_ids.id
        return action

    # Business methods

    @api.model
    def _cron_escalate_overdue(self):
        """Issues still under analysis after the agreed date cannot be solved in
        the short term: they go to the committee (000 §4.2.4)."""
        for issue in self.search(self._get_overdue_domain()):
            issue._as_flow()._escalate(self.env._("Not solved by the agreed date"))


class ForkliftAbnormalIssueAnalysis(models.Model):
    """The analysis and answer of one department asked about an abnormal
    issue (000 §4.2.4: 研发部、品管部协助分析解决)."""

    _name = "forklift.abnormal.issue.analysis"
    _description = "Department Analysis of an Abnormal Issue"
    _inherit = ["forklift.flow.mixin", "forklift.copy.refused.mixin"]
    _copy_refused_message = _lt(
        "A department's analysis is asked by its abnormal issue, once per "
        "department: it is not duplicated."
    )
    _order = "issue_id, id"

    issue_id = fields.Many2one(
        "forklift.abnormal.issue",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = document_company("issue_id")
    department = fields.Selection(DEPARTMENTS, required=True, readonly=True)
    analysis = fields.Html()
    answered_by_id = stamp_user()
    answered_date = stamp_datetime()

    _department_unique = models.Constraint(
        "unique(issue_id, department)", "Each department answers an issue once."
    )

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "issue_id",
            "department",
            "answered_by_id",
            "answered_date",
        }

    def _get_locked_fields(self):
        """A department gives its analysis once, while the issue is under
        analysis."""
        if self.answered_by_id or self.issue_id.state not in ("analysis", "escalated"):
            return {"analysis"}
        return set()

    def _get_state_locked_message(self, names):
        return self.env._(
            "The %(department)s analysis of %(issue)s is given or the issue is no "
            "longer under analysis.",
            department=self._get_department_label(),
            issue=self.issue_id.name,
        )

    def write(self, vals):
        if not self._is_flow_write() and "analysis" in vals:
            self._check_department_member(
                self.env._("Only the %s department writes this analysis.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_asked(self):
        if not self._is_flow_write():
            raise UserError(
                self.env._("An analysis asked from a department cannot be removed.")
            )

    @api.model
    def _get_department_group_xmlids(self):
        """The group of each department; an addon adding a department adds
        its group."""
        return {
            "rnd": "forklift_aftersales.group_forklift_rnd",
            "qa": "forklift_aftersales.group_forklift_qa",
        }

    def _get_department_group(self):
        self.ensure_one()
        return self.env.ref(self._get_department_group_xmlids()[self.department])

    def _is_department_member(self):
        self.ensure_one()
        return self.env.user.has_group(
            self._get_department_group_xmlids()[self.department]
        )

    def _check_department_member(self, message):
        """Refuse a user out of the department of one of these analyses:
        ``message``, translated, with ``%s`` for the department, says what
        only the department does."""
        for analysis in self:
            if not analysis._is_department_member():
                raise AccessError(message % analysis._get_department_label())

    def _get_department_users(self):
        """The members of the department who work in the issue's company: a
        member of another company would get a to-do naming an issue he may
        not read."""
        return company_members(self._get_department_group(), self.company_id)

    def _get_department_label(self):
        self.ensure_one()
        return dict(self._fields["department"]._description_selection(self.env)).get(
            self.department
        )

    def action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_answer(self):
        """A member of the department gives its analysis."""
        for analysis in self:
            analysis._check_department_member(
                self.env._("Only the %s department answers this analysis.")
            )
            analysis.issue_id._check_state(
                ("analysis", "escalated"), self.env._("%s is not under analysis.")
            )
            if analysis.answered_by_id:
                raise UserError(
                    self.env._(
                        "The %(department)s analysis of %(issue)s is already given.",
                        department=analysis._get_department_label(),
                        issue=analysis.issue_id.name,
                    )
                )
            if not analysis.analysis:
                raise UserError(self.env._("Write the analysis first."))
            analysis._write_flow(
                {"answered_by_id": self.env.uid, "answered_date": fields.Datetime.now()}
            )
            analysis.issue_id.activity_feedback(
                ["mail.mail_activity_data_todo"],
                user_id=self.env.uid,
                feedback=self.env._("Analysis given."),
            )
            analysis.issue_id.message_post(
                body=self.env._(
                    "%(department)s analysis given by %(user)s.",
                    department=analysis._get_department_label(),
                    user=self.env.user.name,
                )
            )

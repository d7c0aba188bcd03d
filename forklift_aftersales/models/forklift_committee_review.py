from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_datetime, is_html_empty
from odoo.tools.translate import LazyTranslate

from ..tools import (
    check_plausible_date,
    company_members,
    form_action,
    parents_of_new,
    read_int_param,
    value_differs,
    works_in,
)
from .forklift_deadline_reminder import Reminder
from .forklift_document_fields import (
    board_state,
    company_field,
    current_user,
    document_company,
    sheet_link,
    stamp_datetime,
    stamp_user,
    stamped,
)
from .forklift_overdue_mixin import company_day_passed_domain
from .tier_review import TIER_MARK

_lt = LazyTranslate(__name__)

REVIEW_STATES = [
    ("draft", "To Review"),
    ("decided", "Decided"),
    ("done", "Actions Done"),
    ("cancel", "Cancelled"),
]
SUBJECT_TYPES = [
    ("abnormal_issue", "Abnormal issue"),
    ("oldpart", "Disputed old part or technician liability"),
    ("other", "Other"),
]
COST_BEARERS = [
    ("technician", "Technician"),
    ("company", "Company"),
    ("dealer", "Dealer"),
]


class ForkliftCommitteeReview(models.Model):
    """A review by the after-sales committee (售后处理工作小组 讨论判定, R-020).

    The committee reviews abnormal issues that cannot be solved in the short
    term or are major (000 §4.2.4), disputed old parts and technicians'
    liabilities (000 §4.3.2.4). Each review records the members present (with
    who held each seat then), the decision and its follow-up actions; for a
    disputed old part the decision says who bears the cost (R-228, R-247).
    """

    _name = "forklift.committee.review"
    _description = "Forklift After-Sales Committee Review"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.overdue.mixin",
        "forklift.deadline.reminder",
        "forklift.flow.mixin",
        "tier.validation",
    ]
    _order = "id desc"
    _check_company_auto = True
    _state_from = ["draft"]
    _state_to = ["decided"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False
    _overdue_deadline_field = "review_deadline"
    _overdue_open_states = ("draft",)
    # the service center submits subjects it may then only read and discuss
    _mail_post_access = "read"

    state = board_state(REVIEW_STATES)
    subject_type = fields.Selection(
        SUBJECT_TYPES, string="Subject", required=True, default="other"
    )
    title = fields.Char(required=True)
    reason = fields.Char(string="Submitted Because")
    issue_id = fields.Many2one(
        "forklift.abnormal.issue",
        string="Abnormal Issue",
        index=True,
        readonly=True,
        check_company=True,
    )
    oldpart_return_id = fields.Many2one(
        "forklift.oldpart.return",
        string="Old-Part Return",
        index=True,
        readonly=True,
        check_company=True,
    )
    subject_state = stamped(
        fields.Char,
        help="The state the document had before it was submitted to the "
        "committee: it goes back to it if the committee withdraws the review.",
    )
    feedback_id = sheet_link(
        compute="_compute_feedback_id",
        store=True,
        readonly=False,
        index=True,
        check_company=True,
    )
    company_id = company_field(index=True)
    submitted_by_id = current_user(readonly=True)
    submitted_date = fields.Datetime(
        default=fields.Datetime.now, required=True, readonly=True
    )
    review_deadline = fields.Date(
        string="Review By",
        compute="_compute_review_deadline",
        store=True,
        help="The committee reviews a submitted subject within this date.",
    )
    meeting_date = fields.Datetime(copy=False)
    attendee_ids = stamped(
        fields.Many2many,
        "res.users",
        string="Members Present",
        help="Seat holders present at the meeting; each confirms his own attendance.",
    )
    member_line_ids = stamped(
        fields.One2many,
        "forklift.committee.review.member",
        "review_id",
        string="Seats at the Decision",
    )
    decision = fields.Html(copy=False)
    cost_bearer = fields.Selection(
        COST_BEARERS,
        string="Cost Borne By",
        copy=False,
        tracking=True,
        help="For a disputed old part: who pays for it after the committee's "
        "decision (000 §4.3.2.4).",
    )
    action_ids = fields.One2many(
        "forklift.committee.action", "review_id", string="Follow-up Actions"
    )
    can_edit_actions = fields.Boolean(
        compute="_compute_can_edit_actions",
        help="Whether you set the follow-up actions now: a member present, "
        "while the decision is written (not out for the signatures) or once "
        "it is decided.",
    )
    decided_date = stamp_datetime()
    decided_by_id = stamp_user()

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "issue_id",
            "oldpart_return_id",
            "subject_state",
            "submitted_by_id",
            "submitted_date",
            "attendee_ids",
            "member_line_ids",
            "decided_date",
            "decided_by_id",
        }

    @api.model
    def _get_decision_fields(self):
        """What the committee decides on: fixed once it decided."""
        return {
            "subject_type",
            "title",
            "reason",
            "feedback_id",
            "meeting_date",
            "decision",
            "cost_bearer",
        }

    @api.model
    def _get_state_locked_fields(self):
        return dict.fromkeys(self._get_decision_fields(), ("draft",))

    def _get_state_locked_message(self, names):
        return self.env._(
            "%s is decided or cancelled: what it decided cannot change.", self.name
        )

    # Compute methods

    @api.depends("issue_id", "oldpart_return_id")
    def _compute_feedback_id(self):
        for review in self:
            review.feedback_id = (
                review.issue_id.feedback_id
                or review.oldpart_return_id.feedback_id
                or review.feedback_id
            )

    @api.depends_context("uid")
    @api.depends("state", "attendee_ids", "review_ids")
    def _compute_can_edit_actions(self):
        members = self._get_seat_holders()
        for review in self:
            review.can_edit_actions = (
                review.state in ("draft", "decided")
                and not review._is_out_for_signature()
                and self.env.user in review.attendee_ids & members
            )

    @api.depends("submitted_date")
    def _compute_review_deadline(self):
        """The days the administrator set for the committee to decide
        (R-207), counted from the submission: read-only, so that no member
        pushes the deadline back (a guarded computed field)."""
        for review in self:
            review.review_deadline = review.company_id._forklift_deadline(
                fields.Date.to_date(review.submitted_date),
                "forklift_committee_review_days",
            )

    # Constraints

    @api.constrains("subject_type", "issue_id", "oldpart_return_id")
    def _check_subject(self):
        for review in self:
            if review.subject_type == "abnormal_issue" and not review.issue_id:
                raise ValidationError(
                    self.env._("Choose the abnormal issue the committee reviews.")
                )
            if review.subject_type == "oldpart" and not review.oldpart_return_id:
                raise ValidationError(
                    self.env._("Choose the disputed old-part return.")
                )
            for subject_type, link in self._get_subject_links().items():
                if review[link] and review.subject_type != subject_type:
                    # the subject says what the decision must settle (a
                    # disputed part's cost bearer), on the document linked
                    raise ValidationError(
                        self.env._(
                            "%(review)s reviews %(document)s: its subject stays "
                            "%(subject)s.",
                            review=review.name,
                            document=review[link].display_name,
                            subject=dict(
                                self._fields["subject_type"]._description_selection(
                                    self.env
                                )
                            )[subject_type],
                        )
                    )

    @api.model
    def _get_subject_links(self):
        """The subject of a review submitted from a document, by the field
        linking that document (R-020)."""
        return {"abnormal_issue": "issue_id", "oldpart": "oldpart_return_id"}

    @api.constrains("meeting_date", "submitted_date")
    def _check_meeting_date(self):
        """The meeting date is planned, then held (R-020): not before the
        subject was submitted, nor beyond the years a plan reaches. The
        decision waits for it (``_check_decision_ready``), so that no
        decision predates the meeting it records."""
        now = fields.Datetime.now()
        for review in self:
            if review.meeting_date and review.meeting_date < review.submitted_date:
                raise ValidationError(
                    self.env._(
                        "%(review)s cannot meet (%(meeting)s) before it was "
                        "submitted (%(submitted)s).",
                        review=review.name,
                        meeting=review.meeting_date,
                        submitted=review.submitted_date,
                    )
                )
            check_plausible_date(review, "meeting_date", planned_from=now)

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        reviews._notify_members()
        return reviews

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        for review in self:
            if review.state != "draft" or review.issue_id or review.oldpart_return_id:
                raise UserError(
                    self.env._(
                        "%s is decided or submitted from a document: cancel it "
                        "instead of deleting it.",
                        review.name,
                    )
                )

    # Actions

    def _check_seat_holder(self):
        """The current user holds a committee seat now."""
        user = self.env.user
        # sudo: whoever asks, the seats say who sits on the committee
        if user not in self.env["forklift.committee.seat"].sudo()._get_members():
            raise AccessError(
                self.env._(
                    "%s do not hold a committee seat and cannot be recorded as "
                    "members present.",
                    user.name,
                )
            )

    def _check_attendance_open(self):
        for review in self:
            review._check_state(
                ("draft",), self.env._("%s is already decided or cancelled.")
            )
            if review.review_ids:
                raise UserError(
                    self.env._(
                        "The decision of %s is out for the members' signatures: "
                        "who is present no longer changes.",
                        review.name,
                    )
                )

    def action_confirm_attendance(self):
        """A seat holder confirms he is present; nobody records another."""
        self._check_seat_holder()
        self._check_attendance_open()
        for review in self:
            if self.env.user in review.attendee_ids:
                raise UserError(
                    self.env._(
                        "Your attendance at %s is already confirmed.", review.name
                    )
                )
        self._write_flow({"attendee_ids": [fields.Command.link(self.env.uid)]})

    def action_withdraw_attendance(self):
        """A seat holder who confirmed by mistake withdraws, before the
        decision."""
        self._check_attendance_open()
        for review in self:
            if self.env.user not in review.attendee_ids:
                raise UserError(
                    self.env._(
                        "You did not confirm your attendance at %s.", review.name
                    )
                )
        self._write_flow({"attendee_ids": [fields.Command.unlink(self.env.uid)]})

    def _get_quorum(self):
        return read_int_param(self.env, "forklift_aftersales.committee_quorum", 3)

    def _check_decision_ready(self):
        """The one who submits the decision holds a seat and confirmed his own
        attendance; a quorum of seat holders confirmed theirs; the decision
        is written."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_committee"):
            raise AccessError(
                self.env._("Only a member of the after-sales committee can decide.")
            )
        quorum = self._get_quorum()
        # sudo: whoever asks, the seats say who sits on the committee
        members = self.env["forklift.committee.seat"].sudo()._get_members()
        if self.env.user not in members:
            raise AccessError(
                self.env._(
                    "Only a member of the after-sales committee can decide: "
                    "you hold no seat."
                )
            )
        for review in self:
            review._check_state(("draft",), self.env._("%s is already decided."))
            if review.review_ids:
                raise UserError(
                    self.env._(
                        "The decision of %s is already waiting for the members' "
                        "signatures.",
                        review.name,
                    )
                )
            if self.env.user not in review.attendee_ids:
                raise UserError(
                    self.env._(
                        "Confirm your own attendance at %s before recording its "
                        "decision.",
                        review.name,
                    )
                )
            outsiders = review.attendee_ids - members
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "%s do not hold a committee seat and cannot be recorded "
                        "as members present.",
                        ", ".join(outsiders.mapped("name")),
                    )
                )
            if len(review.attendee_ids) < quorum:
                raise ValidationError(
                    self.env._(
                        "At least %(quorum)s seat holders must be present to "
                        "decide; %(present)s are.",
                        quorum=quorum,
                        present=len(review.attendee_ids),
                    )
                )
            if review.meeting_date and review.meeting_date > fields.Datetime.now():
                raise ValidationError(
                    self.env._(
                        "%(review)s meets on %(meeting)s: the committee decides "
                        "once it has met.",
                        review=review.name,
                        meeting=format_datetime(self.env, review.meeting_date),
                    )
                )
            if is_html_empty(review.decision):
                raise UserError(self.env._("Write the committee's decision."))
            if review.subject_type == "oldpart" and not review.cost_bearer:
                raise UserError(
                    self.env._("Say who bears the cost of the disputed old part.")
                )
            review._check_decision_applicable()

    def _check_decision_applicable(self):
        """The decision can be applied to its subject: refused before the
        members sign, not at the last signature."""
        self.ensure_one()
        # sudo: members may otherwise only read these documents
        for subject in self._get_decided_subjects():
            subject.sudo()._check_committee_decision(self)

    def request_validation(self):
        """A member present submits the decision he wrote: every other member
        present signs it, each on his own review."""
        if TIER_MARK.is_on(self.env):
            return super().request_validation()
        self._check_decision_ready()
        reviews = super().request_validation()
        return reviews | self._split_reviews_per_member(reviews)

    def _split_reviews_per_member(self, reviews):
        """OCA asks one review per definition: the committee's is split into
        one review per member present other than the one who submitted."""
        tier_review = self._as_tier_mechanism().env["tier.review"]
        created = tier_review.browse()
        for review in self:
            voters = review.attendee_ids - self.env.user
            for tier in reviews.filtered(
                lambda r, review=review: r.res_id == review.id and r.model == self._name
            ).with_env(tier_review.env):
                tier.forklift_member_id = voters[:1]
                created |= tier_review.create(
                    [
                        review._prepare_tier_review_vals(
                            tier.definition_id, tier.sequence
                        )
                        | {"forklift_member_id": voter.id, "status": tier.status}
                        for voter in voters[1:]
                    ]
                )
        return created.with_env(self.env)

    def validate_tier(self):
        """A member present signs the decision; the last signature applies
        it."""
        self._check_tier_state(
            ("draft",),
            self.env._("%s is not waiting for the members' signatures."),
        )
        # a member present signs while he holds his seat
        self._check_seat_holder()
        res = super().validate_tier()
        if self._is_tier_concluded("validated"):
            self._decide()
        return res

    def reject_tier(self):
        """A member present refuses the decision as written: it goes back to
        the members for discussion, then a new request."""
        self._check_tier_state(
            ("draft",),
            self.env._("%s is not waiting for the members' signatures."),
        )
        return super().reject_tier()

    def restart_validation(self):
        """A member present takes the decision back to rewrite it: every
        signature given is dropped."""
        self._check_tier_state(
            ("draft",),
            self.env._("%s is decided or cancelled: its decision is final."),
        )
        for review in self:
            if self.env.user not in review.attendee_ids:
                raise AccessError(
                    self.env._(
                        "Only a member present at %s takes its decision back.",
                        review.name,
                    )
                )
        return super().restart_validation()

    def _decide(self):
        """Every member present signed: record the decision and apply it to
        its subject."""
        self.ensure_one()
        # sudo: reading who submitted the decision, whoever signs last
        submitted_by = self.sudo().review_ids.requested_by[:1]
        self._apply_decision()
        self._write_flow(
            {
                "state": "decided",
                "meeting_date": self.meeting_date or fields.Datetime.now(),
                "decided_date": fields.Datetime.now(),
                "decided_by_id": submitted_by.id,
                "member_line_ids": self._prepare_member_lines(),
            }
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        self.action_ids._schedule_activity()
        if not self.action_ids:
            self._write_flow({"state": "done"})

    def _prepare_member_lines(self):
        """Who held each seat in the review's company at the decision, and
        whether they were present: the history stays when the holders change
        later (R-248). The holder of the same position in another company
        sits on that company's committee, not on this one's."""
        self.ensure_one()
        lines = []
        for seat in self.env["forklift.committee.seat"].search([("active", "=", True)]):
            holders = seat.holder_ids.filtered(
                lambda user: works_in(user, self.company_id)
            )
            if not holders:
                lines.append(fields.Command.create({"seat_id": seat.id}))
            for user in holders:
                lines.append(
                    fields.Command.create(
                        {
                            "seat_id": seat.id,
                            "user_id": user.id,
                            "present": user in self.attendee_ids,
                        }
                    )
                )
        return lines

    def _apply_decision(self):
        """Carry the decision over to the subject reviewed."""
        self.ensure_one()
        # every member present signed the decision (validate_tier); members
        # may otherwise only read these documents
        for subject in self._get_decided_subjects():
            subject._as_flow()._apply_committee_decision(self)

    def _get_decided_subjects(self):
        """The documents the decision settles
        (``forklift.committee.subject.mixin``)."""
        self.ensure_one()
        return [
            subject for subject in (self.issue_id, self.oldpart_return_id) if subject
        ]

    def action_cancel(self):
        """The committee withdraws a review it will not decide (R-020,
        R-228): a member present at its meeting (still holding his seat),
        while no decision is out for the members' signatures (a member
        present takes it back first). A seat holder absent from the meeting,
        a party to the dispute say, does not drop it alone."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_committee"):
            raise AccessError(
                self.env._("Only a member of the after-sales committee cancels.")
            )
        to_review = self.filtered(lambda r: r.state == "draft")
        to_review._check_member_present(
            self.env._(
                "Only a member present at %s withdraws it: the committee "
                "decides what is put before it."
            )
        )
        to_review._check_not_out_for_signature(
            self.env._(
                "The decision of %s is out for the members' signatures: a "
                "member present takes it back before the review is "
                "cancelled."
            )
        )
        self._move_state(
            ("draft",),
            self.env._("A decided review cannot be cancelled (%s)."),
            "cancel",
            ["mail.mail_activity_data_todo"],
        )
        self._on_withdrawn()

    def _on_withdrawn(self):
        """The reviews are withdrawn undecided: their documents are no longer
        before the committee and go back to be handled or submitted again
        (R-020)."""
        for review in self:
            # members may otherwise only read these documents
            for subject in review._get_decided_subjects():
                subject._as_flow()._on_committee_withdrawn(review)

    def _get_withdrawn_note(self):
        """The note left on the document of a review withdrawn undecided."""
        self.ensure_one()
        return self.env._(
            "The after-sales committee withdrew its review %s without deciding: "
            "the document is back to be handled or submitted again.",
            self.name,
        )

    def action_view_subject(self):
        self.ensure_one()
        return form_action(self.issue_id or self.oldpart_return_id or self.feedback_id)

    # Business methods

    def _notify_members(self):
        """Ask every committee member of the review's company to review the
        subject (R-073, R-256)."""
        committee = self.env.ref("forklift_aftersales.group_forklift_committee")
        for review in self:
            members = company_members(committee, review.company_id)
            # sudo: the service center submits reviews it cannot edit; the
            # members follow the review and get a to-do to decide it
            review = review.sudo()
            review.message_subscribe(partner_ids=members.partner_id.ids)
            review._schedule_todos(
                members,
                self.env._("Committee review of %(subject)s", subject=review.title),
                date_deadline=review.review_deadline,
            )

    def _check_actions_open(self):
        """The follow-up actions of a review change while it is to review or
        decided; a review closed (its actions done, or cancelled) keeps them."""
        self._check_state(
            ("draft", "decided"),
            self.env._("%s is closed: its follow-up actions cannot change."),
        )

    @api.model
    def _get_seat_holders(self):
        """The users holding a committee seat now."""
        # sudo: whoever asks, the seats say who sits on the committee
        return self.env["forklift.committee.seat"].sudo()._get_members()

    def _is_out_for_signature(self):
        """Whether the decision is out for the members' signatures: asked,
        or refused and not yet taken back (``restart_validation``)."""
        self.ensure_one()
        # sudo: the reviews decide, whoever asks
        return self.state == "draft" and bool(self.sudo().review_ids)

    def _check_actions_editable(self):
        """R-020, 000 §4.2.4: the follow-up actions are part of the decision.
        The members present (still holding their seat) set them while they
        write it; while it is out for their signatures nobody changes them;
        once decided, the members present follow them up. A seat holder who
        was not at the meeting changes none."""
        self._check_actions_open()
        self._check_not_out_for_signature(
            self.env._(
                "The decision of %s is out for the members' signatures: "
                "its follow-up actions are signed with it and no longer "
                "change."
            )
        )
        self._check_member_present(
            self.env._(
                "Only a member present at %s sets or changes its follow-up actions."
            )
        )

    def _check_member_present(self, message):
        """Only a member present at the meeting who still holds his seat acts
        on these reviews; ``message`` (``%s``: the review) says what for."""
        members = self._get_seat_holders()
        for review in self:
            if self.env.user not in review.attendee_ids & members:
                raise AccessError(message % review.name)

    def _check_not_out_for_signature(self, message):
        """Nothing of a decision out for the members' signatures changes;
        ``message`` (``%s``: the review) says what is refused."""
        for review in self:
            if review._is_out_for_signature():
                raise UserError(message % review.name)

    def _check_actions_done(self):
        for review in self.filtered(lambda r: r.state == "decided"):
            if all(review.action_ids.mapped("is_done")):
                review._write_flow({"state": "done"})

    @api.model
    def _get_overdue_reminders(self):
        """A review not decided in time: who submitted it is reminded (the
        committee's late actions are reminded on their review)."""
        return [
            *super()._get_overdue_reminders(),
            Reminder(
                self._get_overdue_domain(),
                self.env._("Committee review not decided in time"),
                lambda review: review.submitted_by_id,
            ),
        ]


class ForkliftCommitteeReviewMember(models.Model):
    """Who held a committee seat when a review was decided, and whether that
    holder was present."""

    _name = "forklift.committee.review.member"
    _description = "Committee Seat at a Review"
    _inherit = ["forklift.flow.mixin", "forklift.copy.refused.mixin"]
    _copy_refused_message = _lt(
        "Who sat at a committee decision is recorded by the decision: it is not"
        " duplicated."
    )
    _order = "review_id, seat_id, id"

    review_id = fields.Many2one(
        "forklift.committee.review", required=True, ondelete="cascade", index=True
    )
    company_id = document_company("review_id")
    seat_id = fields.Many2one("forklift.committee.seat", required=True)
    user_id = fields.Many2one("res.users", string="Holder")
    present = fields.Boolean()

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "review_id",
            "seat_id",
            "user_id",
            "present",
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if not self._is_flow_write():
            raise UserError(
                self.env._("Who sat at a committee decision is kept as history.")
            )


class ForkliftCommitteeAction(models.Model):
    """A follow-up action decided by the committee, with its owner and due
    date; reminded when late."""

    _name = "forklift.committee.action"
    _description = "Committee Follow-up Action"
    _inherit = [
        "forklift.flow.mixin",
        "forklift.deadline.reminder",
        "forklift.overdue.mixin",
    ]
    _order = "date_deadline, id"
    # late once due while the decided review waits for it (_get_overdue_domain)
    _overdue_deadline_field = "date_deadline"
    _overdue_depends = ("is_done", "review_id.state")

    review_id = fields.Many2one(
        "forklift.committee.review", required=True, ondelete="cascade", index=True
    )
    company_id = document_company("review_id")
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one("res.users", string="Owner", required=True)
    date_deadline = fields.Date(string="Due On", required=True)
    is_done = stamped(fields.Boolean, string="Done")
    done_date = stamped(fields.Date)
    activity_id = stamped(fields.Many2one, "mail.activity")
    can_mark_done = fields.Boolean(
        compute="_compute_can_mark_done",
        help="Whether you report this action done: its owner or a member "
        "present at the decision.",
    )

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {"is_done", "done_date", "activity_id"}

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_flow_write():
            # checked before the insert: nothing is written for a closed
            # review, one out for signature, or by a member absent
            parents_of_new(self, vals_list, "review_id")._check_actions_editable()
        actions = super().create(vals_list)
        # an action added once decided is followed up like the others
        actions.filtered(lambda a: a.review_id.state == "decided")._schedule_activity()
        return actions

    def write(self, vals):
        if not self._is_flow_write():
            self._check_review_open()
            if "review_id" in vals:
                raise UserError(self.env._("A follow-up action stays with its review."))
            if self.filtered("is_done"):
                raise UserError(self.env._("A follow-up action done cannot change."))
            if "name" in vals:
                self._check_text_kept(vals["name"])
        res = super().write(vals)
        if {"user_id", "date_deadline"} & set(vals):
            self._move_activity()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        self._check_review_open()
        for action in self:
            if action.review_id.state == "decided":
                raise UserError(
                    self.env._(
                        "The action '%s' was decided: it is done, not deleted.",
                        action.name,
                    )
                )

    def _check_review_open(self):
        self.review_id._check_actions_editable()

    def _check_text_kept(self, name):
        """Once decided, what an action says is the committee's decision
        (R-020): its owner and the date change, its text does not."""
        for action in self:
            if action.review_id.state != "draft" and value_differs(
                action, "name", name
            ):
                raise UserError(
                    self.env._(
                        "The action '%s' was decided: its text is the decision's "
                        "and does not change.",
                        action.name,
                    )
                )

    def _move_activity(self):
        """The to-do of an action reassigned or put to another date goes to
        its owner, due on its date."""
        for action in self.filtered(lambda a: a.activity_id and not a.is_done):
            # sudo: the to-do is the former owner's, which the member present
            # who reassigns the action may not write
            action.activity_id.sudo().write(
                {"user_id": action.user_id.id, "date_deadline": action.date_deadline}
            )

    @api.depends_context("uid")
    @api.depends("user_id", "is_done", "review_id.state", "review_id.attendee_ids")
    def _compute_can_mark_done(self):
        members = self.env["forklift.committee.review"]._get_seat_holders()
        for action in self:
            action.can_mark_done = (
                not action.is_done
                and action.review_id.state == "decided"
                and action._may_report_done(members)
            )

    def _may_report_done(self, members):
        """Whether the current user reports this action done: its owner, or
        a member present at its review who still holds his seat
        (``members``)."""
        self.ensure_one()
        user = self.env.user
        return user == self.user_id or user in self.review_id.attendee_ids & members

    def _get_overdue_domain(self):
        return Domain(
            [("is_done", "=", False), ("review_id.state", "=", "decided")]
        ) & company_day_passed_domain(self, "date_deadline")

    @api.constrains("user_id")
    def _check_owner_is_staff(self):
        """The owner of a follow-up action is a member of the staff: the
        decision gives him a to-do on the review and makes him follow it,
        which a dealer, customer or supplier may not read (R-020, R-055)."""
        for action in self:
            # sudo: whether the owner is an internal user, whoever names him
            owner = action.user_id.sudo()
            if owner.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a member of the staff: a follow-up action "
                        "of the committee is owned by the staff.",
                        user=owner.display_name,
                    )
                )

    @api.constrains("date_deadline", "review_id")
    def _check_deadline(self):
        """Due after the submission, within the years a plan reaches: an
        action due in 2999 would never be late (R-020, R-207)."""
        now = fields.Datetime.now()
        for action in self:
            check_plausible_date(action, "date_deadline", planned_from=now)
            start = fields.Date.to_date(action.review_id.submitted_date)
            if action.date_deadline and start and action.date_deadline < start:
                raise ValidationError(
                    self.env._(
                        "The action '%(action)s' cannot be due (%(due)s) before the "
                        "review was submitted (%(submitted)s).",
                        action=action.name,
                        due=action.date_deadline,
                        submitted=start,
                    )
                )

    def _schedule_activity(self):
        for action in self.filtered(lambda a: not a.is_done and not a.activity_id):
            activity = action.review_id.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=action.date_deadline,
                summary=action.name,
                user_id=action.user_id.id,
            )
            action._write_flow({"activity_id": activity.id})

    def action_mark_done(self):
        """The owner, or a member present at the decision, reports the action
        done (R-020, R-057): a seat holder absent from the meeting closes no
        action of it, and so not the review."""
        members = self.env["forklift.committee.review"]._get_seat_holders()
        for action in self:
            if not action._may_report_done(members):
                raise AccessError(
                    self.env._(
                        "Only the owner of the action '%(action)s' or a member "
                        "present at %(review)s reports it done.",
                        action=action.name,
                        review=action.review_id.name,
                    )
                )
            if action.is_done:
                raise UserError(
                    self.env._("The action '%s' is already done.", action.name)
                )
            action.review_id._check_state(
                ("decided",),
                self.env._("Only actions of a decided review can be done."),
            )
        # the owner checked above may not edit committee reviews otherwise
        actions = self._as_flow()
        for action in actions:
            action.write(
                {"is_done": True, "done_date": action.company_id._forklift_today()}
            )
        for action in actions.filtered("activity_id"):
            action.activity_id.action_feedback(feedback=self.env._("Done."))
        actions.review_id._check_actions_done()

    @api.model
    def _get_overdue_reminders(self):
        """A late follow-up action: its owner is reminded on the review."""
        return [
            *super()._get_overdue_reminders(),
            Reminder(
                self._get_overdue_domain(),
                lambda action: self.env._("Late committee action: %s", action.name),
                target=lambda action: action.review_id,
            ),
        ]

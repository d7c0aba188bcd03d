from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import works_in
from .forklift_flow_mixin import FLOW_MARK
from .tier_review import TIER_MARK


class TierValidation(models.AbstractModel):
    """Reviews written by the mechanism alone, and the separation of duties
    of the after-sales approvals (000 §4.3.1.2, R-005): nobody approves a
    document he applied for, nor two steps of one chain.

    Each public step (request, approve, reject, restart) checks the user, then
    writes the reviews under sudo with the mechanism's marker, which
    ``tier.review`` requires; the user of the environment stays the caller, so
    OCA still knows whose reviews are whose.
    """

    _inherit = "tier.validation"

    # The approval fields come from the reviews, which portal and public users
    # may not read (security/forklift_flow_portal_rules.xml): internal, so a
    # portal read of a document they may see (a supplier's letter) leaves them
    # out instead of failing.
    review_ids = fields.One2many(groups="base.group_user")
    to_validate_message = fields.Html(groups="base.group_user")
    validated_message = fields.Html(groups="base.group_user")
    need_validation = fields.Boolean(groups="base.group_user")
    rejected_message = fields.Html(groups="base.group_user")
    validation_status = fields.Selection(groups="base.group_user")
    reviewer_ids = fields.Many2many(groups="base.group_user")
    can_review = fields.Boolean(groups="base.group_user")
    has_comment = fields.Boolean(groups="base.group_user")
    next_review = fields.Char(groups="base.group_user")
    hide_reviews = fields.Boolean(groups="base.group_user")

    def _as_tier_mechanism(self):
        # reviews are read-only to users (tier_review.py); the caller is a
        # step of the mechanism that checked who acts
        return TIER_MARK.set_on(self)

    def _get_forklift_tier_definitions(self):
        """The tier definitions of the document, highest sequence first, from
        the registry's cache (OCA searches them each time)."""
        self.ensure_one()
        Definition = self.env["tier.definition"]
        return Definition.browse(
            Definition._forklift_get_definition_ids(
                self._name, tuple(self._get_company().ids)
            )
        )

    def _compute_need_validation(self):
        """OCA's formula, with the definitions from the registry's cache; a
        document with reviews needs no new validation: its definitions are
        not read again."""
        for rec in self:
            if not isinstance(rec.id, int) or rec.review_ids:
                rec.need_validation = False
                continue
            rec.need_validation = (
                any(
                    rec.evaluate_tier(tier)
                    for tier in rec._get_forklift_tier_definitions()
                )
                and rec._check_state_from_condition()
            )

    @api.private
    def evaluate_tier(self, tier):
        """Whether ``tier`` (a tier definition) applies to the documents: the
        mechanism's own question, asked by the server with a definition, not
        a method for a client to call with whatever argument."""
        return super().evaluate_tier(tier)

    def _filter_forklift_reviewers(self, review, reviewers):
        """Those of ``reviewers`` (the users ``review``'s definition names)
        who review this document: those working in its company (a reviewer
        of another company would be asked to sign a document he may not
        read, R-073), unless the document narrows them further (the office
        step of a dealer's document is the office director governing the
        dealer's, see ``_filter_forklift_office_reviewers``)."""
        company = self["company_id"] if "company_id" in self else None
        if not company:
            return reviewers
        return reviewers.filtered(lambda user: works_in(user, company))

    def _filter_forklift_office_reviewers(self, review, reviewers, dealer):
        """``reviewers``, the office step's the office director governing
        ``dealer`` alone (000 §4.2.2.3, §4.4.1, R-196, R-205): the director
        of another office never signs for a dealer he does not govern. The
        other steps, and a document without a dealer, keep them all."""
        if dealer and review._is_forklift_office_step():
            return reviewers & dealer._get_forklift_office_director()
        return reviewers

    def _get_tier_applicants(self):
        """Users who applied for the document: they never approve it."""
        self.ensure_one()
        # sudo: reading who requested the reviews, whoever may read them
        return self.sudo().review_ids.requested_by

    def _get_exception_fields(self, extra_domain=None):
        """OCA's field exceptions, from the registry's cache: OCA searches
        them on every write of the document (tier_validation_exception.py)."""
        user = self.env.user
        return list(
            self.env["tier.validation.exception"]._forklift_get_field_names(
                self._name,
                tuple(self._get_company().ids),
                user.id,
                user._get_group_ids(),
                Domain(extra_domain) if extra_domain else None,
            )
        )

    def _check_tier_separation(self):
        """Refuse a reviewer who applied for the document or already approved
        one of its steps."""
        user = self.env.user
        for record in self:
            if user in record._get_tier_applicants():
                raise UserError(
                    self.env._(
                        "You applied for %s: another person approves it.",
                        record.display_name,
                    )
                )
            # sudo: reviews are read by the mechanism, whoever may read them
            if record.sudo().review_ids.filtered(
                lambda r, user=user: r.status == "approved" and r.done_by == user
            ):
                raise UserError(
                    self.env._(
                        "You already approved a step of %s: the next step is "
                        "someone else's.",
                        record.display_name,
                    )
                )

    def _lock_for_the_reviews(self):
        """Reviewers acting on one document at once take turns (R-005):
        each approval counts the reviews still waiting to conclude the
        document, and two last approvals in parallel would each see the
        other's still pending, so that neither concluded it and the document
        stayed waiting with every review approved. Each step first writes the
        document's row: a second step waits for the first, then fails to
        serialize and Odoo runs it again on what the first committed.

        Taken where two steps could otherwise write no row in common: not
        when validation is requested (creating the reviews writes the
        document's ``validation_status``, from "no") nor when the user's
        review is the last one open (two approvers of one review write its
        row); see ``_lock_when_reviews_run_side_by_side``."""
        ids = tuple(id_ for id_ in self._ids if isinstance(id_, int))
        if ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = write_date WHERE id IN %s",
                    SQL.identifier(self._table),
                    ids,
                )
            )

    def request_validation(self):
        # no lock: a second request in parallel writes the document's
        # validation_status too, waits, fails to serialize and runs again on
        # the reviews the first created (it then creates none)
        if TIER_MARK.is_on(self.env):
            res = self._forklift_request_validation()
        else:
            # asking for approval freezes the document under validation: only
            # a user who may change it asks, not one who may only read it
            self.check_access("write")
            with TIER_MARK.running_on(self) as mechanism:
                res = mechanism._forklift_request_validation()
        # need_validation has no dependencies: its value, computed before the
        # reviews were created, is stale
        self.invalidate_recordset(["need_validation"])
        self._check_tier_reviewers_asked(res)
        return res.with_env(self.env)

    def _check_tier_reviewers_asked(self, created):
        """Refuse a request for validation that asked nobody: a document
        whose company has no approval for it would otherwise wait for a
        review no one is asked to give, and could never be approved. The
        definitions are a company's (OCA's ``company_id``): one created later
        has none until the administrator sets them up (R-005).

        :param created: the reviews the request created
        """
        asked = set(created.mapped("res_id"))
        for record in self.filtered(lambda r: r.id not in asked):
            # sudo: the mechanism reads the reviews, whoever asked for them
            if record._check_state_from_condition() and not record.sudo().review_ids:
                company = record._get_company()
                raise UserError(
                    self.env._(
                        "Nobody is set to approve %(document)s in %(company)s: "
                        "ask the administrator to set up the approvals of "
                        "%(company)s.",
                        document=record.display_name,
                        company=company.display_name,
                    )
                )

    def _forklift_request_validation(self):
        """OCA's ``request_validation``, step for step, with the definitions
        from the registry's cache instead of a search per document."""
        # OCA's way for a caller to promote the reviews itself afterwards
        defer = self.env.context.get("tier_validation_defer_compute_can_review")
        vals_list = []
        for rec in self:
            if rec._check_state_from_condition() and rec.need_validation:
                sequence = 0
                for definition in rec._get_forklift_tier_definitions():
                    if rec.evaluate_tier(definition):
                        sequence += 1
                        vals = rec._prepare_tier_review_vals(definition, sequence)
                        # the reviews whose turn it is start pending: the
                        # document had none (need_validation), so they are
                        # its first step, or free of the order. OCA creates
                        # them waiting and promotes them after a grouped read
                        # of every review of the documents.
                        if not defer and (
                            sequence == 1 or not definition.approve_sequence
                        ):
                            vals["status"] = "pending"
                        vals_list.append(vals)
        created = self.env["tier.review"].create(vals_list)
        for review in created:
            if review.status == "pending" and review.definition_id.notify_on_pending:
                review._notify_pending_status(review)
        if any(self.mapped("can_review")):
            self._update_counter({"review_created": True})
        self._notify_review_requested(created)
        return created

    def validate_tier(self):
        """Approve the user's review whose turn it is; OCA would otherwise fall
        back on every review of the document, a later one included."""
        self.ensure_one()
        self._check_review_turn(
            self.env._("%s has no review of yours to approve now.", self.display_name)
        )
        self._lock_when_reviews_run_side_by_side()
        with TIER_MARK.running_on(self) as mechanism:
            res = super(TierValidation, mechanism).validate_tier()
        # the approval and what it recomputes on the reviews are written
        # together, by the approver, not in two updates at the next read
        self.env["tier.review"].flush_model()
        return res

    def reject_tier(self):
        """Reject the user's review whose turn it is. OCA, finding none of the
        user's, would still cancel every review waiting its turn: anyone who
        reads the document could stop its approval."""
        self.ensure_one()
        self._lock_for_the_reviews()
        self._check_review_turn(
            self.env._("%s has no review of yours to reject now.", self.display_name)
        )
        with TIER_MARK.running_on(self) as mechanism:
            return super(TierValidation, mechanism).reject_tier()

    def _lock_when_reviews_run_side_by_side(self):
        """Take the document's lock when another review than the one being
        approved is still open: two approvals could then run in parallel,
        each on its own review's row, and each count the other's as waiting.
        With one review open, two approvers both write its row and take
        turns without it (the e2e fault tests run both cases)."""
        # sudo: the mechanism reads the reviews, whoever may read them
        open_reviews = self.sudo().review_ids.filtered(
            lambda r: r.status in ("waiting", "pending")
        )
        if len(open_reviews) > 1:
            self._lock_for_the_reviews()

    def _check_review_turn(self, message):
        """Refuse, saying ``message``, a user none of whose reviews of the
        document has its turn now."""
        # sudo: the mechanism reads the reviews, whoever may read them
        if not self.sudo()._get_sequences_to_approve(self.env.user):
            raise UserError(message)

    def restart_validation(self):
        """Dropping the reviews given is a change of the document: only who
        may edit it restarts its validation."""
        self.check_access("write")
        self._lock_for_the_reviews()
        with TIER_MARK.running_on(self) as mechanism:
            res = super(TierValidation, mechanism).restart_validation()
        # the reviews are gone: need_validation (no dependencies) is stale
        self.invalidate_recordset(["need_validation"])
        return res

    # The messages of the approvals, worded here so that this addon's
    # translations apply (OCA's own zh_CN leaves them in English).

    def _get_to_validate_message(self):
        """Name every reviewer the document waits for, not only the first
        (the committee's members present sign side by side)."""
        icon = '<i class="fa fa-lg fa-info-circle"></i>'
        todo = [
            review.todo_by
            for review in self.review_ids
            if review.status == "pending" and review.todo_by
        ]
        if todo:
            return self.env._(
                "%(icon)s Pending validation by %(todo_by)s",
                icon=icon,
                todo_by=", ".join(dict.fromkeys(todo)),
            )
        return self.env._(
            "%(icon)s This %(model_name)s needs to be validated",
            icon=icon,
            model_name=self._get_to_validate_message_name(),
        )

    def _get_validated_message(self):
        if self.validation_status != "validated":
            return ""
        return '<i class="fa fa-thumbs-up"></i> ' + self.env._(
            "Operation has been <b>validated</b>!"
        )

    def _get_rejected_message(self):
        if self.validation_status != "rejected":
            return ""
        return '<i class="fa fa-thumbs-down"></i> ' + self.env._(
            "Operation has been <b>rejected</b>."
        )

    def _notify_rejected_review_body(self):
        # sudo: the reviews are read by the mechanism, whoever rejects
        comment = (
            self.sudo()
            .review_ids.filtered(
                lambda r: self.env.user in r.reviewer_ids and r.comment
            )
            .mapped("comment")
        )
        if comment:
            return self.env._(
                "A review was rejected by %(user)s. (%(comment)s)",
                user=self.env.user.name,
                comment=comment[0],
            )
        return self.env._("A review was rejected by %s.", self.env.user.name)

    def _notify_restarted_review_body(self):
        return self.env._("The review has been reset by %s.", self.env.user.name)

    def _notify_requested_review_body(self, tier_reviews=None):
        if tier_reviews:
            requester = tier_reviews[:1].requested_by or self.env.user
            assignees = ", ".join(
                filter(None, tier_reviews.mapped("todo_by"))
            ) or self.env._("the assigned reviewer")
            return self.env._(
                "Review pending for %(assignees)s, requested by %(requester)s.",
                assignees=assignees,
                requester=requester.display_name,
            )
        return self.env._(
            "A review has been requested by %s.", self.env.user.display_name
        )

    def _notify_created_review_body(self):
        return self.env._(
            "A record to be reviewed has been created by %s.", self.env.user.name
        )

    def _validate_tier(self, tiers=False):
        """One step per person and per action: of the reviews the user may
        approve, only the first in sequence, so one user holding two groups
        does not sign both seats of a chain."""
        self.ensure_one()
        user = self.env.user
        sequences = self._get_sequences_to_approve(user)
        reviews = (tiers or self.review_ids).filtered(
            lambda r: (
                r.status in ("waiting", "pending")
                and user in r.reviewer_ids
                and (r.sequence in sequences or r.approve_sequence_bypass)
            )
        )
        if not reviews:
            # nothing of the user's to approve now: OCA would fall back on
            # every review of the document
            return None
        self._check_tier_separation()
        with TIER_MARK.running_on(self) as mechanism:
            return super(TierValidation, mechanism)._validate_tier(
                reviews.sorted("sequence")[:1]
            )

    def _rejected_tier(self, tiers=False):
        with TIER_MARK.running_on(self) as mechanism:
            return super(TierValidation, mechanism)._rejected_tier(tiers)

    def _tier_validation_check_write_allowed(self, vals):
        """OCA lifts its lock under and after validation for
        ``skip_validation_check`` in the context, which any client may send
        with its call: only the server's own steps (sudo and their mark) keep
        it, not a client's call that some code runs with sudo (R-005)."""
        # OCA locks a record only in a state its validation starts from:
        # the others are left out before it reads their reviews
        records = self.filtered(lambda r: r[r._state_field] in r._state_from)
        if self.env.context.get("skip_validation_check") and not (
            TIER_MARK.is_on(self.env) or FLOW_MARK.is_on(self.env)
        ):
            records = records.with_context(skip_validation_check=False)
        return super(TierValidation, records)._tier_validation_check_write_allowed(vals)

    def _check_state_from_condition(self):
        """Whether the document is in a state its validation starts from.
        OCA takes any state for one with ``skip_check_state_condition`` in
        the context, which any client may send with its call, and the
        mechanism would then ask the reviewers, under sudo, of a document not
        ready for them (R-005): the state alone counts."""
        return (
            self._state_field in self._fields
            and self._tier_validation_get_current_state_value() in self._state_from
        )

    def _tier_validation_check_write_remove_reviews(self, vals):
        with TIER_MARK.running_on(self) as mechanism:
            return super(
                TierValidation, mechanism
            )._tier_validation_check_write_remove_reviews(vals)

    def _tier_validation_check_state_on_write(self, vals):
        with TIER_MARK.running_on(self) as mechanism:
            return super(
                TierValidation, mechanism
            )._tier_validation_check_state_on_write(vals)

    def unlink(self):
        # reviews of deleted documents go with them
        self._as_tier_mechanism().review_ids.unlink()
        return super().unlink()

    def _check_tier_state(self, states, message):
        """Refuse an action on a document that is not in one of ``states``."""
        for record in self:
            if record[self._state_field] not in states:
                raise UserError(message % record.display_name)

    def _check_tier_requestable(self):
        """Refuse to ask the approval of a document that is no longer a draft."""
        self._check_tier_state(
            ("draft",),
            self.env._("%s is no longer a draft: its approval cannot be requested."),
        )

    def _check_tier_approvable(self):
        """Refuse to approve a document that is not a draft waiting for it."""
        self._check_tier_state(
            ("draft",),
            self.env._("%s is not a draft waiting for approval: nothing to approve."),
        )

    def _is_tier_concluded(self, status, refresh=True):
        """After the user's review of a draft was approved or rejected: whether
        the validation of the still draft document is now ``status``
        (``validated``: the last approval it needed; ``rejected``), for the
        step that carries it on. With ``refresh``, the approval fields are read
        again: need_validation has no dependencies, so its value computed
        before the reviews were created in this transaction is stale."""
        self.ensure_one()
        if refresh:
            self.invalidate_recordset(
                ["need_validation", "validation_status", "review_ids"]
            )
        return self.validation_status == status and self[self._state_field] == "draft"

    def _check_staff(self, message):
        """Refuse with ``message`` a step that only after-sales staff (or the
        server) take on an approval document: its approvers may review it,
        not cancel, re-open or settle it."""
        if not (
            self.env.su
            or self.env.user.has_group("forklift_aftersales.group_forklift_user")
        ):
            raise AccessError(message)

    def _check_lines_editable(self):
        """The parts of a request or a local purchase, hence the amount that
        chose the approvers, are frozen once approval was requested
        (000 §4.3.1.2)."""
        for record in self:
            if record[self._state_field] not in self._state_from or record.review_ids:
                raise UserError(
                    self.env._(
                        "The parts of %s cannot change once approval was requested.",
                        record.name,
                    )
                )

    def _check_tier_validated(self):
        """Refuse to carry on a document whose reviews are not all approved:
        the reviews themselves are counted, not the stored validation status
        (R-005)."""
        validated_states = self._validated_states()
        for record in self:
            # sudo: the reviews decide, whoever carries the document on
            reviews = record.sudo().review_ids
            if not reviews or any(
                review.status not in validated_states for review in reviews
            ):
                raise UserError(
                    self.env._(
                        "%s is not approved yet: every review it needs must be "
                        "approved first.",
                        record.display_name,
                    )
                )

    # Documents signed step by step, each step a tier (old-part inspection,
    # vehicle return, supplier letter confirmation)

    def _get_open_reviews(self):
        """The reviews of the document still waiting for their approval, in
        the order of the chain."""
        self.ensure_one()
        # sudo: the reviews are read by the mechanism, whoever may read them
        return (
            self.sudo()
            .review_ids.filtered(lambda r: r.status in ("waiting", "pending"))
            .sorted("sequence")
        )

    def _check_next_signer(self, message):
        """Refuse with ``message`` a user who is not a reviewer of the first
        open step: the signatures follow one another, whatever reviews the
        user holds further down the chain."""
        self.ensure_one()
        if self.env.user not in self._get_open_reviews()[:1].reviewer_ids:
            raise UserError(message)

    def _validate_signed_step(self, validate, message, record):
        """Sign the step that waits for the user, one step per call: refuse
        with ``message`` who is not its signer, and a call that approved no
        review; then ``record`` the signature on the document. ``validate`` is
        the document's ``super().validate_tier``, the approval itself."""
        self._check_next_signer(message)
        signed = len(self._get_signed_reviews())
        res = validate()
        if len(self._get_signed_reviews()) == signed:
            raise UserError(message)
        record()
        return res

    def _get_signed_reviews(self):
        """The approved reviews of the document, read anew."""
        self.ensure_one()
        self.invalidate_recordset(["review_ids", "validation_status"])
        # sudo: the reviews are read by the mechanism, whoever may read them
        return self.sudo().review_ids.filtered(lambda r: r.status == "approved")

    def _record_signed_steps(self, steps, signer_field, date_field):
        """Who signed each step of ``steps`` ({step: its tier definitions})
        and when, copied from the step's approved review onto the fields
        ``signer_field`` and ``date_field`` (formatted with the step), for the
        steps not recorded yet. Returns {step: review} of those just recorded.
        """
        self.ensure_one()
        reviews = self._get_signed_reviews()
        # sudo: the recorded signers are read by the mechanism, whoever signs
        document = self.sudo()
        signed = {}
        for step, definitions in steps.items():
            review = reviews.filtered(lambda r, d=definitions: r.definition_id in d)[:1]
            if review and not document[signer_field.format(step)]:
                signed[step] = review
        if signed:
            vals = {}
            for step, review in signed.items():
                vals[signer_field.format(step)] = review.done_by.id
                vals[date_field.format(step)] = review.reviewed_date
            self._write_flow(vals)
        return signed

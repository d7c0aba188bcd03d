from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..tools import (
    MODEL_PATTERN,
    ServerMark,
    check_access_by_search,
    is_aftersales_model,
)

# Set, with sudo, by the tier mechanism of the documents (tier_validation.py)
# around the steps that create, approve, reject and remove reviews; a client
# can send the key, never the mark.
TIER_CONTEXT_KEY = "forklift_tier_mechanism"
TIER_MARK = ServerMark(TIER_CONTEXT_KEY)


class TierReview(models.Model):
    """A review is written by the tier mechanism only (000 §4.3.1.2).

    OCA's access rules let every internal user write reviews, so a user could
    mark his own reviews approved over RPC. Here nobody creates, changes or
    deletes a review directly: requesting, approving, rejecting and restarting
    a validation do, under sudo with the mechanism's marker, after checking
    who the user is.
    """

    _inherit = "tier.review"

    forklift_member_id = fields.Many2one(
        "res.users",
        string="Member",
        readonly=True,
        help="The one member this review waits for, when a document asks each "
        "of several people to sign (the members present at a committee "
        "decision).",
    )

    @api.model
    def _get_reviewer_fields(self):
        return [
            *super()._get_reviewer_fields(),
            "reviewer_group_id.all_user_ids",
            "forklift_member_id",
        ]

    def _get_reviewers(self):
        """The member a review waits for, or every user of the reviewer group,
        those who have it through a group implying it included (OCA offers the
        review to the group's direct members only: a QA manager, whose group
        implies QA, would never be asked to sign as QA); of those, the ones
        the document keeps (``_filter_forklift_reviewers``: the office
        director governing its dealer)."""
        if self.forklift_member_id:
            return self.forklift_member_id
        reviewers = super()._get_reviewers()
        if self.reviewer_group_id:
            # sudo: who holds a group is read by the mechanism, whoever asks
            reviewers |= self.reviewer_group_id.sudo().all_user_ids.filtered(
                lambda u: u.active and not u.share
            )
            if self.definition_id.exclude_requester and self.requested_by:
                reviewers -= self.requested_by
        if not (self.res_id and self._has_resource_model()):
            return reviewers
        # sudo: the mechanism reads the document, whoever may read it (a
        # document deleted takes its reviews with it, as OCA's unlink does)
        document = self.env[self.model].sudo().browse(self.res_id)
        return document._filter_forklift_reviewers(self, reviewers)

    def _is_forklift_office_step(self):
        """Whether the review is the office director's step of its chain."""
        self.ensure_one()
        return self.reviewer_group_id == self.env.ref(
            "forklift_aftersales.group_forklift_office_director"
        )

    @api.model
    def _forklift_recompute_office_reviewers(self):
        """The office director governing a dealer changed: the office steps
        still open are his from now on, no longer his predecessor's. A
        review's reviewers are stored when it is created and do not follow
        the dealer by themselves; the open office steps are few, all are
        recomputed."""
        office = self.env.ref("forklift_aftersales.group_forklift_office_director")
        # sudo: the mechanism reads the reviews, whoever names the director
        reviews = self.sudo().search(
            [
                ("status", "in", ("waiting", "pending")),
                ("definition_id.reviewer_group_id", "=", office.id),
            ]
        )
        if reviews:
            self.env.add_to_compute(self._fields["reviewer_ids"], reviews)
            reviews.flush_recordset(["reviewer_ids"])

    def _check_tier_mechanism(self):
        if not TIER_MARK.is_on(self.env):
            raise AccessError(
                self.env._(
                    "Reviews change only by requesting, approving or rejecting the "
                    "validation of their document."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_tier_mechanism()
        return super().create(vals_list)

    def write(self, vals):
        self._check_tier_mechanism()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_mechanism(self):
        self._check_tier_mechanism()

    @api.model
    def _search(
        self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kw
    ):
        """A review of an after-sales document is read by who reads the
        document: OCA lets every internal user read every review, so the export
        division would read who asked, who approved and why of the domestic
        market's approvals (R-047, 000-I L25). Odoo reads a review's fields
        through this search (``fetch``), so it serves reading by id too."""
        if not (self.env.su or bypass_access):
            domain = Domain(domain) & self._get_readable_documents_domain()
        return super()._search(
            domain, offset, limit, order, bypass_access=bypass_access, **kw
        )

    def _check_access(self, operation):
        """The same for the checks that do not read a column (``check_access``):
        a review of a document the user may not read is forbidden to him."""
        return check_access_by_search(self, operation, super()._check_access(operation))

    @api.model
    def _get_readable_documents_domain(self):
        """The reviews whose document, when it is an after-sales one, the user
        reads, as subqueries of one search (the document's own access rules)."""
        validation = self.pool["tier.validation"]
        domain = Domain("model", "not =like", MODEL_PATTERN)
        for name, model in self.pool.items():
            if (
                is_aftersales_model(name)
                and not model._abstract
                and issubclass(model, validation)
                and self.env[name].has_access("read")
            ):
                domain |= Domain("model", "=", name) & Domain(
                    "res_id",
                    "in",
                    self.env[name].with_context(active_test=False)._search([]),
                )
        return domain

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_amount

from odoo.addons.forklift_aftersales.models.forklift_document_fields import (
    computed_editable,
)
from odoo.addons.forklift_aftersales.tools import form_action, with_defaults


class ForkliftCommitteeReview(models.Model):
    """The after-sales committee also settles supplier disputes: a quality
    claim the supplier contests is referred to it (SPEC: the committee reviews
    supplier and liability disputes)."""

    _inherit = "forklift.committee.review"

    subject_type = fields.Selection(
        selection_add=[("quality_claim", "Disputed quality claim")],
        ondelete={"quality_claim": "set default"},
    )
    quality_claim_id = fields.Many2one(
        "forklift.quality.claim", index=True, readonly=True, check_company=True
    )
    claim_currency_id = fields.Many2one(related="quality_claim_id.currency_id")
    claim_amount_decided = computed_editable(
        fields.Monetary,
        "_compute_claim_amount_decided",
        string="Supplier Pays",
        currency_field="claim_currency_id",
        copy=False,
        tracking=True,
        help="For a disputed quality claim: what the committee decides the "
        "supplier pays, the amount claimed until it says otherwise. The claim "
        "is agreed and settled for this amount (R-018, R-020).",
    )

    @api.model
    def _get_decision_fields(self):
        return super()._get_decision_fields() | {
            "quality_claim_id",
            "claim_amount_decided",
        }

    @api.depends("quality_claim_id")
    def _compute_claim_amount_decided(self):
        for review in self:
            # sudo: the amount claimed, fixed once the claim was sent
            review.claim_amount_decided = review.quality_claim_id.sudo().amount_claimed

    @api.constrains("claim_amount_decided", "quality_claim_id")
    def _check_claim_amount_decided(self):
        """The committee decides what the supplier pays of what was claimed:
        nothing at least, the amount claimed at most."""
        for review in self.filtered("quality_claim_id"):
            claim = review.quality_claim_id.sudo()
            currency = claim.currency_id
            if (
                currency.compare_amounts(review.claim_amount_decided, 0) < 0
                or currency.compare_amounts(
                    review.claim_amount_decided, claim.amount_claimed
                )
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The committee decides that the supplier pays between "
                        "nothing and the %(claimed)s claimed on %(claim)s.",
                        claimed=format_amount(self.env, claim.amount_claimed, currency),
                        claim=claim.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # given or by a default: a ``default_quality_claim_id`` context key a
        # client sends with any call (a user default too) would refer the
        # claim as the value does
        if any(
            vals.get("quality_claim_id")
            for vals in with_defaults(self, vals_list, ["quality_claim_id"])
        ):
            self._check_claim_link_by_flow()
        return super().create(vals_list)

    def write(self, vals):
        if "quality_claim_id" in vals:
            self._check_claim_link_by_flow()
        return super().write(vals)

    def _check_claim_link_by_flow(self):
        """The disputed claim is linked by the claim's own referral (server
        code), never by a user's write: the decision acts on it."""
        if not (self.env.su or self._is_flow_write()):
            raise AccessError(
                self.env._(
                    "A quality claim is referred to the committee from the claim "
                    "itself; the link cannot be set by hand."
                )
            )

    @api.model
    def _get_subject_links(self):
        """A contested claim's review stays a claim's (R-020)."""
        return super()._get_subject_links() | {"quality_claim": "quality_claim_id"}

    @api.depends("quality_claim_id")
    def _compute_feedback_id(self):
        res = super()._compute_feedback_id()
        for review in self.filtered(lambda r: r.quality_claim_id and not r.feedback_id):
            review.feedback_id = review.quality_claim_id.feedback_ids[:1]
        return res

    @api.constrains("subject_type", "quality_claim_id")
    def _check_quality_claim(self):
        for review in self:
            if review.subject_type == "quality_claim" and not review.quality_claim_id:
                raise ValidationError(self.env._("Choose the disputed quality claim."))

    def _apply_decision(self):
        res = super()._apply_decision()
        if self.quality_claim_id:
            # sudo: every member present signed the decision (checked in
            # validate_tier); members may otherwise only read claims
            self.quality_claim_id.sudo()._on_committee_decision(self)
        return res

    def _on_withdrawn(self):
        res = super()._on_withdrawn()
        # the referral changed nothing on the claim: a withdrawn review no
        # longer holds it (``_get_pending_committee_reviews``); sudo: members
        # may otherwise only read claims
        for review in self.filtered("quality_claim_id"):
            review.quality_claim_id.sudo().message_post(
                body=review._get_withdrawn_note()
            )
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_claim(self):
        for review in self:
            if review.quality_claim_id:
                raise ValidationError(
                    self.env._(
                        "%s reviews a disputed claim: cancel it instead of "
                        "deleting it.",
                        review.name,
                    )
                )

    def action_view_subject(self):
        if self.quality_claim_id and not (self.issue_id or self.oldpart_return_id):
            return form_action(self.quality_claim_id)
        return super().action_view_subject()

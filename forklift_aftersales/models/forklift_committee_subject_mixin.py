from odoo import models
from odoo.exceptions import UserError


class ForkliftCommitteeSubjectMixin(models.AbstractModel):
    """A document the after-sales committee decides on (R-020): an abnormal
    issue submitted to it (000 §4.2.4), a disputed old part (000 §4.3.2.4).
    The document waits in ``_committee_state`` under the review whose field
    ``_committee_review_field`` names it; the review checks its decision
    against the document when the members are asked to sign and again when
    the last signature applies it (``forklift.committee.review``). A review
    withdrawn undecided gives the document back its state before."""

    _name = "forklift.committee.subject.mixin"
    _description = "Forklift Committee Subject"
    _committee_state = None
    _committee_review_field = None

    def _check_committee_decision(self, review):
        """The document is before the committee under ``review``."""
        self.ensure_one()
        if (
            self.state != self._committee_state
            or review[self._committee_review_field] != self
        ):
            raise UserError(
                self.env._(
                    "%(subject)s is not before the committee under %(review)s.",
                    subject=self.name,
                    review=review.name,
                )
            )

    def _on_committee_withdrawn(self, review):
        """The committee withdrew ``review`` undecided (R-020): the document
        goes back to the state it had when submitted, which the review keeps
        (``subject_state``), to be handled or submitted again; its chatter
        says so."""
        self.ensure_one()
        if self.state == self._committee_state and review.subject_state:
            self._write_flow(self._prepare_committee_withdrawn_vals(review))
        self.message_post(body=review._get_withdrawn_note())

    def _prepare_committee_withdrawn_vals(self, review):
        """What the submission to ``review`` changed, set back."""
        return {"state": review.subject_state}

    def _apply_committee_decision(self, review):
        """Carry the decision of ``review`` over to the document, once
        :meth:`_check_committee_decision` accepts it."""
        raise NotImplementedError

from odoo import Command, api, fields, models

from .forklift_document_fields import stamped


class ForkliftApprovalEditorMixin(models.AbstractModel):
    """A document its applicants write and others approve (a warranty parts
    request, a local purchase, a payment deferral, a whole-vehicle return's
    registration): whoever wrote what is approved while it was a draft never
    approves it (000 §4.3.1.2, §4.3.2.1, §4.3.2.2, §4.4.1, R-005, R-205).
    Who created it is not the only writer: a user who
    changed another's draft (its parts, their quantities or prices, what is
    asked and why) before its approval was asked wrote it too.

    The server records them in ``forklift_editor_ids``, a flow field: each
    change a user makes of the document's ``_get_forklift_authored_fields``,
    and of its part lines (``forklift.approval.line.mixin``), while it is a
    draft. The document's own steps (sudo and the flow's mark: a cost read
    again, the sheet's supplier at fault reaching the lines, the director's
    consent confirmed) write nobody. A cancelled document re-opened keeps
    them: its approval starts again, its writers stay who they were.
    """

    _name = "forklift.approval.editor.mixin"
    _inherit = ["forklift.flow.mixin", "tier.validation"]
    _description = "Forklift Document Written by its Applicants"

    forklift_editor_ids = stamped(
        fields.Many2many,
        "res.users",
        string="Written By",
        groups="base.group_user",
        help="The users who wrote the draft (besides its creator): set by the "
        "server, they never approve it.",
    )

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {"forklift_editor_ids"}

    @api.model
    def _get_forklift_authored_fields(self):
        """The fields of the document a user writes while it is a draft that
        are what the approvers approve: by default those the draft alone
        lets change (``_get_state_locked_fields``)."""
        return set(self._get_state_locked_fields())

    def _get_forklift_draft_states(self):
        """The states in which the document is a draft its writers write:
        by default those its validation starts from."""
        return self._state_from

    def _get_tier_applicants(self):
        """Who wrote the draft, its creator first, applied for it too."""
        # sudo: reading who wrote the document, whoever may read it
        document = self.sudo()
        return (
            super()._get_tier_applicants()
            | document.create_uid
            | document.forklift_editor_ids
        )

    def _record_forklift_editor(self):
        """Record the user as a writer of these documents that are drafts,
        unless the change is the document's own step; their creator is one
        already (``_get_tier_applicants``)."""
        if self._is_flow_write():
            return
        user = self.env.user
        # sudo: the writers are read by the server, whoever writes
        drafts = self.sudo().filtered(
            lambda d: (
                d[d._state_field] in d._get_forklift_draft_states()
                and user != d.create_uid
                and user not in d.forklift_editor_ids
            )
        )
        if drafts:
            drafts.with_env(self.env)._write_flow(
                {"forklift_editor_ids": [Command.link(user.id)]}
            )

    def write(self, vals):
        authored = self._get_forklift_authored_fields() & set(vals)
        written = self.browse()
        if authored and not self._is_flow_write():
            written = self.filtered(lambda d: d._get_changed_fields(authored, vals))
        res = super().write(vals)
        written._record_forklift_editor()
        return res

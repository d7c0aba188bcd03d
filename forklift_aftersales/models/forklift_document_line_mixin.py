from odoo import api, models
from odoo.exceptions import UserError


class ForkliftDocumentLineMixin(models.AbstractModel):
    """A line of a document that changes only while the document is in one of
    its open states (a visit's parts, a training's attendees, the items of a
    returned forklift's inspection sheet): created, written and deleted then,
    kept as it was afterwards. The line takes its document's company, never
    its own, and stays on the document it was recorded on.

    Each line names the field of its document (``_line_document_field``) and
    the document's open states (``_line_open_states``), and says in
    :meth:`_get_line_closed_message` why the line no longer changes.
    """

    _name = "forklift.document.line.mixin"
    _inherit = ["forklift.flow.mixin"]
    _description = "Forklift Document Line"
    _line_document_field = None
    _line_open_states = ()

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {"company_id"}

    @api.model
    def _get_fixed_fields(self):
        return super()._get_fixed_fields() | {self._line_document_field}

    def _get_line_closed_message(self):
        """The refusal, translated, with ``%s`` for the document's name."""
        raise NotImplementedError

    def _check_document_open(self, documents):
        if self._is_flow_write():
            return
        for document in documents:
            if document.state not in self._line_open_states:
                raise UserError(self._get_line_closed_message() % document.name)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self._check_document_open(lines[self._line_document_field])
        return lines

    def write(self, vals):
        documents = self[self._line_document_field]
        res = super().write(vals)
        self._check_document_open(documents)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_while_document_open(self):
        self._check_document_open(self[self._line_document_field])

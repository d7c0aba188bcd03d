from odoo import api, models


class ForkliftDocumentLineMixin(models.AbstractModel):
    """A line of a document that changes only while the document is in one of
    its open states (a visit's parts, a training's attendees, the items of a
    returned forklift's inspection sheet): created, written and deleted then,
    kept as it was afterwards. The line takes its document's company, never
    its own, and stays on the document it was recorded on.

    Each line names the field of its document (``_line_document_field``) and
    the document's open states (``_line_open_states``), and says in
    :meth:`_get_line_closed_message` why the line no longer changes; a line
    whose document decides otherwise (the part lines of a document under
    approval) overrides :meth:`_check_document_open`.
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
        """Refuse a change of lines of ``documents`` out of their open states."""
        if self._is_flow_write():
            return
        documents._check_state(self._line_open_states, self._get_line_closed_message())

    def _is_line_sync(self, vals):
        """Whether ``vals`` is a write the server makes on the lines of closed
        documents too (none by default)."""
        return False

    @api.model
    def _get_line_documents(self, vals_list, lines):
        """The documents of new ``lines``, from the values they were created
        with when these name them all (not read back from the database)."""
        name = self._line_document_field
        ids = {vals.get(name) for vals in vals_list}
        if all(isinstance(id_, int) and id_ for id_ in ids):
            return self.env[self._fields[name].comodel_name].browse(ids)
        return lines[name]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self._check_document_open(self._get_line_documents(vals_list, lines))
        return lines

    def write(self, vals):
        if not self._is_line_sync(vals):
            self._check_document_open(self[self._line_document_field])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_while_document_open(self):
        self._check_document_open(self[self._line_document_field])

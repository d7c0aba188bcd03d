from odoo import api, models


class ForkliftApprovalLineMixin(models.AbstractModel):
    """A part line of a document under approval (a warranty parts request, a
    local purchase): the lines, hence the amount that chose the approvers,
    are frozen once approval was requested (000 §4.3.1.2), see
    :meth:`tier.validation._check_lines_editable`, whoever writes them. Only
    the server's sync of the sheet's supplier at fault still reaches them.
    Who writes the lines of another's draft wrote the document: he never
    approves it (``forklift.approval.editor.mixin``).
    """

    _name = "forklift.approval.line.mixin"
    _inherit = ["forklift.part.supplier.mixin", "forklift.document.line.mixin"]
    _description = "Forklift Part Line under Approval"

    def _check_document_open(self, documents):
        documents._check_lines_editable()

    def _is_line_sync(self, vals):
        # the sheet's supplier at fault, fixed or corrected, reaches the lines
        # of an approved document (forklift.feedback._sync_part_suppliers)
        return self._is_supplier_sync(vals)

    def _record_document_editor(self, documents=None):
        """The user who created, changed or deleted these lines wrote their
        documents (``documents``, or the lines' own)."""
        if documents is None:
            documents = self[self._line_document_field]
        documents._record_forklift_editor()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._record_document_editor()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if not self._is_line_sync(vals):
            self._record_document_editor()
        return res

    def unlink(self):
        documents = self[self._line_document_field]
        res = super().unlink()
        self._record_document_editor(documents.exists())
        return res

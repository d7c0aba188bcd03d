from odoo import api, models


class ForkliftApprovalLineMixin(models.AbstractModel):
    """A part line of a document under approval (a warranty parts request, a
    local purchase): the lines, hence the amount that chose the approvers,
    are frozen once approval was requested (000 §4.3.1.2), see
    :meth:`tier.validation._check_lines_editable`. Only the server's sync of
    the sheet's supplier at fault still reaches them.

    Each line names the field of its document (``_approval_document_field``)
    and checks its new lines in its own ``create``.
    """

    _name = "forklift.approval.line.mixin"
    _inherit = ["forklift.part.supplier.mixin"]
    _description = "Forklift Part Line under Approval"
    _approval_document_field = None

    def write(self, vals):
        # the sheet's supplier at fault, fixed or corrected, reaches the lines
        # of an approved document (forklift.feedback._sync_part_suppliers)
        if not self._is_supplier_sync(vals):
            self[self._approval_document_field]._check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_under_validation(self):
        self[self._approval_document_field]._check_lines_editable()

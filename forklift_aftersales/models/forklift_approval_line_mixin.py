from odoo import models


class ForkliftApprovalLineMixin(models.AbstractModel):
    """A part line of a document under approval (a warranty parts request, a
    local purchase): the lines, hence the amount that chose the approvers,
    are frozen once approval was requested (000 §4.3.1.2), see
    :meth:`tier.validation._check_lines_editable`, whoever writes them. Only
    the server's sync of the sheet's supplier at fault still reaches them.
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

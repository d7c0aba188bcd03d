from odoo import fields, models

from ..models.forklift_document_fields import sheet_link


class ForkliftFeedbackSupplierCorrection(models.TransientModel):
    """QA corrects the supplier at fault of a verified feedback sheet, with
    the reason; the sheet checks who may and keeps the reason in its chatter
    (R-049, R-224)."""

    _name = "forklift.feedback.supplier.correction"
    _inherit = ["forklift.wizard.mixin"]
    _description = "Correct the Supplier at Fault"

    feedback_id = sheet_link(required=True)
    supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier at Fault",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.feedback_id._correct_supplier(self.supplier_id, self.reason)
        return {"type": "ir.actions.act_window_close"}

from odoo import fields, models


class ForkliftAssistanceRequest(models.TransientModel):
    """The service center may also ask the export division for help
    (004 §4.5, R-132)."""

    _inherit = "forklift.assistance.request"

    department = fields.Selection(
        selection_add=[("export_division", "Export Division")],
        ondelete={"export_division": "cascade"},
    )

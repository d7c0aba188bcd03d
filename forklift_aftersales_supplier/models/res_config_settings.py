from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Settings > After-Sales > Suppliers: the company's supplier deadlines."""

    _inherit = "res.config.settings"

    forklift_supplier_reply_hours = fields.Integer(
        related="company_id.forklift_supplier_reply_hours", readonly=False
    )
    forklift_supplier_sheet_working_days = fields.Integer(
        related="company_id.forklift_supplier_sheet_working_days", readonly=False
    )

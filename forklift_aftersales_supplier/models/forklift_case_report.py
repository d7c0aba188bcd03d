from odoo import api, models
from odoo.tools import SQL


class ForkliftCaseReport(models.Model):
    _inherit = "forklift.case.report"

    _depends = {"forklift.case": ["supplier_id"]}

    @api.model
    def _select_fields(self):
        """The supplier at fault is the one named on the sheet, else the main
        vendor of the first part replaced."""
        return {
            **super()._select_fields(),
            "supplier_id": SQL("COALESCE(c.supplier_id, c.failed_part_supplier_id)"),
        }

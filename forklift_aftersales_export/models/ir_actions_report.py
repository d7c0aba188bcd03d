from odoo import models

EXPORT_PAPERS = (
    "forklift_aftersales_export.report_forklift_proforma_invoice",
    "forklift_aftersales_export.report_forklift_packing_list",
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        """The proforma invoice and the packing list print for the warranty
        parts delivery of an export sheet only (R-287)."""
        if docids and report.report_name in EXPORT_PAPERS:
            pickings = self.env["stock.picking"].browse(docids)
            pickings.check_access("read")
            pickings._check_forklift_export_papers()
        return super()._get_rendering_context(report, docids, data)

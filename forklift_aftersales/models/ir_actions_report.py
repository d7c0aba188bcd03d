from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        """Check that the user may read the records of an after-sales report
        before its template does: an access error raised inside QWeb reaches
        the browser as a server error, raised here it answers 403 (and an id
        that does not exist, 404)."""
        if docids and report.report_name.startswith("forklift_aftersales"):
            self.env[report.model].browse(docids).check_access("read")
        return super()._get_rendering_context(report, docids, data)

from odoo import api, fields, models


class ForkliftAbnormalIssue(models.Model):
    _inherit = "forklift.abnormal.issue"

    def _get_analysis_departments(self):
        """An export issue also asks the export division to analyse it
        (000 外销 L83, R-087)."""
        departments = super()._get_analysis_departments()
        if self.market == "export":
            departments.append("export")
        return departments


class ForkliftAbnormalIssueAnalysis(models.Model):
    _inherit = "forklift.abnormal.issue.analysis"

    department = fields.Selection(
        selection_add=[("export", "Export Division")],
        ondelete={"export": "cascade"},
    )

    @api.model
    def _get_department_group_xmlids(self):
        return {
            **super()._get_department_group_xmlids(),
            "export": "forklift_aftersales_export.group_forklift_export_division",
        }

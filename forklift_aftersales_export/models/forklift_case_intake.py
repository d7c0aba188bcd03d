from odoo import api, models


class ForkliftCase(models.Model):
    _inherit = "forklift.case"

    @api.model
    def _get_sales_company_groups(self):
        """The export division provides the information of export cases as
        the sales company does of domestic ones (000 §3.2, R-268)."""
        return [
            *super()._get_sales_company_groups(),
            "forklift_aftersales_export.group_forklift_export_division",
        ]

    @api.model
    def _get_assistance_group_xmlid(self, department):
        if department == "export_division":
            return "forklift_aftersales_export.group_forklift_export_division"
        return super()._get_assistance_group_xmlid(department)

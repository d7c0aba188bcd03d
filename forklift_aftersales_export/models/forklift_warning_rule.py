from odoo import models


class ForkliftWarningRule(models.Model):
    _inherit = "forklift.warning.rule"

    def _get_issue_case(self, groups):
        """An issue on export forklifts goes to the export division as well:
        its sheet is the latest export one (000 §4.2.4, 外销 L83)."""
        export = [case for case, market, _day in groups if market == "export"]
        return export[0] if export else super()._get_issue_case(groups)

from markupsafe import Markup

from odoo import models


class ForkliftWarningRule(models.Model):
    _inherit = "forklift.warning.rule"

    def _get_issue_case(self, groups):
        """An issue on export forklifts goes to the export division as well:
        its sheet is the latest export one (000 §4.2.4, 外销 L83)."""
        export = [case for case, market, _day in groups if market == "export"]
        return export[0] if export else super()._get_issue_case(groups)

    def _describe(self, figure, today, cases):
        """An issue with export sheets in its window is the export
        division's too, which reads export sheets only (R-047, R-289): its
        description names those, and counts the domestic ones, which the
        list of failures in the window shows to who reads them (its record
        rules choose)."""
        export = cases.filtered(lambda case: case.market == "export")
        domestic = cases - export
        if not export or not domestic:
            return super()._describe(figure, today, cases)
        return super()._describe(figure, today, export) + Markup("<p>%s</p>") % (
            self.env._(
                "%s sheets of the domestic market are in the list of failures "
                "in the window.",
                len(domestic),
            )
        )

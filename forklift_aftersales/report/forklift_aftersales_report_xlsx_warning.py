from odoo import models

from ..models.forklift_aftersales_report_warning import RATE_WINDOWS


class ReportForkliftAftersalesXlsx(models.AbstractModel):
    """The monthly statistics add the failure rates and the warranty cost
    forecast (quality early warning)."""

    _inherit = "report.forklift_aftersales.report_aftersales_xlsx"

    def generate_xlsx_report(self, workbook, data, objs):
        res = super().generate_xlsx_report(workbook, data, objs)
        styles = self._get_styles(workbook)
        for report in objs:
            statistics = report.statistics or {}
            if report.report_type != "monthly":
                continue
            if "failure_rates" in statistics:
                self._write_failure_rates(workbook, styles, report)
            if "warranty_forecast" in statistics:
                self._write_warranty_forecast(workbook, styles, report)
        return res

    def _write_failure_rates(self, workbook, styles, report):
        """Failures per 100 units in service, by dimension, over the last 3
        months, the 3 before and the last 12 months (per 1000 operating hours
        by hour-meter band)."""
        sheet = workbook.add_worksheet(self.env._("Failure Rates"))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 2 * len(RATE_WINDOWS), 14)
        row = self._write_title(sheet, styles, report, report._get_document_title())
        rate_model = "forklift.failure.rate.analysis"
        titles = {
            "last_3": self.env._("Last 3 months"),
            "previous_3": self.env._("Previous 3 months"),
            "last_12": self.env._("Last 12 months"),
        }
        tables = report.statistics["failure_rates"]
        failures = self.env._("failures")
        for dimension in report.env[rate_model]._get_report_dimensions():
            per = (
                self.env._("per 1000 h")
                if dimension == "hour_band"
                else self.env._("per 100 units")
            )
            sheet.write(row, 0, self._label(rate_model, dimension), styles["header"])
            for index, window in enumerate(RATE_WINDOWS):
                col = 1 + 2 * index
                header = f"{titles[window]}: {failures}"
                sheet.write(row, col, header, styles["header"])
                sheet.write(row, col + 1, f"{titles[window]}: {per}", styles["header"])
            row += 1
            for values in tables.get(dimension, []):
                sheet.write(row, 0, values["label"])
                for index, window in enumerate(RATE_WINDOWS):
                    col = 1 + 2 * index
                    sheet.write_number(row, col, values[f"{window}_failures"])
                    self._write_number(
                        sheet, row, col + 1, values[f"{window}_rate"], styles["number"]
                    )
                row += 1
            row += 1
        return sheet

    def _write_warranty_forecast(self, workbook, styles, report):
        """Expected cost of the warranty claims still to come, per model."""
        sheet = workbook.add_worksheet(self.env._("Warranty Forecast"))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 2, 20)
        row = self._write_title(sheet, styles, report, report._get_document_title())
        forecast = report.statistics["warranty_forecast"]
        sheet.write(
            row,
            0,
            self.env._("Forklifts in warranty on %s", forecast["as_of"]),
            styles["bold"],
        )
        row += 2
        headers = [
            self.env._("Model"),
            self.env._("Units in warranty"),
            self.env._("Expected warranty cost"),
        ]
        for col, header in enumerate(headers):
            sheet.write(row, col, header, styles["header"])
        for values in forecast["rows"]:
            row += 1
            sheet.write(row, 0, values["label"])
            sheet.write_number(row, 1, values["units"])
            sheet.write_number(row, 2, values["expected_cost"], styles["number"])
        row += 1
        sheet.write(row, 0, self.env._("Total"), styles["bold"])
        sheet.write_number(row, 1, forecast["units"])
        sheet.write_number(row, 2, forecast["expected_cost"], styles["number"])
        return sheet

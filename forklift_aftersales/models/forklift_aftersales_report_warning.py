from odoo import models

# Windows of the failure rates in the monthly report, in their order.
RATE_WINDOWS = ["last_3", "previous_3", "last_12"]


class ForkliftAftersalesReport(models.Model):
    """The monthly report carries the failure rates and the warranty cost
    forecast of its market (quality early warning; 000 §4.1.6, R-256,
    R-258)."""

    _inherit = "forklift.aftersales.report"

    def _compute_statistics(self):
        statistics = super()._compute_statistics()
        if self.report_type == "monthly":
            statistics["warranty_forecast"] = self._compute_warranty_forecast()
            statistics["failure_rates"] = self._compute_failure_rates()
        return statistics

    def _compute_warranty_forecast(self):
        """The expected warranty cost still to come of the forklifts in
        warranty on the last day of the month, per model."""
        self.ensure_one()
        # sudo: the report carries these figures of its own company and
        # market to its readers (the query filters both)
        forecast = self.env["forklift.warranty.forecast"].sudo()
        rows = forecast._compute_by_model(self.date_to, self.company_id, self.market)
        for row in rows:
            row["key"] = row.pop("model_id")
        self._label_rows(forecast, "model_id", rows)
        return {
            "as_of": self.date_to.isoformat(),
            "units": sum(row["units"] for row in rows),
            "expected_cost": sum(row["expected_cost"] for row in rows),
            "rows": rows,
        }

    def _compute_failure_rates(self):
        """Failures per 100 units in service over the last 3 months, the 3
        before and the last 12 months, by model, fault, part, supplier,
        months in service, hour-meter band and batch."""
        self.ensure_one()
        # sudo: as above, the company and market are the report's own
        rates = self.env["forklift.failure.rate.analysis"].sudo()
        return rates._compute_report_rates(self.date_to, self.company_id, self.market)

    def _draft_analysis(self):
        analysis = super()._draft_analysis()
        forecast = (self.statistics or {}).get("warranty_forecast")
        if not forecast:
            return analysis
        paragraph = self.env._(
            "Expected cost of the warranty claims still to come: %(cost)s for "
            "%(units)s forklifts in warranty on %(date)s.",
            cost=self.currency_id.format(forecast["expected_cost"]),
            units=forecast["units"],
            date=forecast["as_of"],
        )
        return f"{analysis}<p>{paragraph}</p>"

    def _get_pdf_charts(self):
        charts = super()._get_pdf_charts()
        statistics = self.statistics or {}
        if self.report_type != "monthly" or "warranty_forecast" not in statistics:
            return charts
        by_model = [
            row
            for row in statistics.get("failure_rates", {}).get("model_id", [])
            if row["key"]
        ]
        charts += [
            {
                "title": self.env._(
                    "Failures per 100 units in service by model, last 12 months"
                ),
                "bars": self._chart_rows(by_model, "last_12_rate"),
                "fmt": "%.2f",
                "color": "#C44E52",
            },
            {
                "title": self.env._("Expected warranty cost to come, by model"),
                "bars": self._chart_rows(
                    statistics["warranty_forecast"]["rows"], "expected_cost"
                ),
                "fmt": "%.2f",
                "color": "#DD8452",
            },
        ]
        return charts

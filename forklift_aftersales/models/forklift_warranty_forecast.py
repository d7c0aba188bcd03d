from odoo import api, fields, models
from odoo.tools import SQL

from .forklift_document_fields import customer_link, report_column, unit_link
from .forklift_statistics_mixin import merge_depends
from .forklift_unit import MARKETS
from .forklift_unit_exposure import UNITS_DEPENDS, WORK_MEM


class ForkliftWarrantyForecast(models.Model):
    """Warranty cost forecast: for each forklift still in warranty, the
    expected cost of the warranty claims still to come (quality early
    warning; 000 第四篇 §4, 004 §4.6; R-211, R-256).

    A plain actuarial estimate from the cost observed per unit and month in
    service (MIS), by model, in the forklift's company:

    - the cost of a claim is what its feedback sheet cost (parts released and
      bought locally, freight, hours on site at the labour cost), for the
      sheets received in warranty and not turned into paid service;
    - c(m), the cost per unit at MIS m, is the cost of the model's claims
      received at MIS m divided by the number of the model's forklifts that
      were in service at MIS m (the exposure); when no forklift of the model
      has reached MIS m yet, the same figure over all the company's models is
      used;
    - a forklift in warranty at MIS a (its warranty running W months) is
      expected to cost c(a) + c(a + 1) + ... + c(W): the current month is
      counted in full and claims already received this month are not
      deducted; the working-hour limit, which may end the warranty earlier,
      is not forecast.

    One row per forklift in warranty today; the monthly report gives the
    same figures per model as of the last day of its month.
    """

    _name = "forklift.warranty.forecast"
    _inherit = ["forklift.statistics.mixin"]
    _description = "Forklift Warranty Cost Forecast"
    _auto = False
    _order = "expected_cost desc, id"
    _rec_name = "unit_id"
    _depends = merge_depends(
        UNITS_DEPENDS,
        {
            "forklift.unit": [
                "warranty_end_date",
                "warranty_months",
                "hours_limit_reached_on",
            ],
            "forklift.feedback": [
                "state",
                "received_date",
                "unit_id",
                "warranty_state",
                "warranty_verdict",
                "parts_cost",
                "freight_cost",
                "onsite_hours",
            ],
        },
    )
    _work_mem = WORK_MEM

    unit_id = unit_link(readonly=True)
    company_id = report_column(fields.Many2one, "res.company")
    currency_id = fields.Many2one(related="company_id.currency_id")
    market = report_column(fields.Selection, MARKETS)
    model_id = report_column(fields.Many2one, "product.product")
    vehicle_type_id = report_column(fields.Many2one, "product.category")
    dealer_id = report_column(fields.Many2one, "res.partner")
    partner_id = customer_link(readonly=True)
    batch = report_column(fields.Char, string="Production Batch")
    mis = report_column(fields.Integer, string="Months in Service", aggregator="avg")
    warranty_end_date = report_column(fields.Date, string="Warranty Ends On")
    unit_count = report_column(fields.Integer, string="Units in Warranty")
    expected_cost = report_column(
        fields.Monetary,
        string="Expected Warranty Cost",
        help="Expected cost of the warranty claims still to come, from the cost "
        "observed per unit and month in service of the model.",
    )

    @api.model
    def _query(self):
        return self._forecast_sql(self.env["forklift.unit.exposure"]._today())

    @api.model
    def _claim_cost_sql(self):
        labour = self.env["forklift.feedback.analysis"]._labour_hour_cost()
        return SQL(
            """COALESCE(c.parts_cost, 0) + COALESCE(c.freight_cost, 0)
               + COALESCE(c.onsite_hours, 0) * %s""",
            labour,
        )

    @api.model
    def _forecast_sql(self, as_of):
        """One row per forklift in warranty on ``as_of`` (a local date) with
        the expected cost of its claims to come."""
        exposure = self.env["forklift.unit.exposure"]
        day = exposure._local_date_sql(SQL("c.received_date"), SQL("un.tz"))
        return SQL(
            """
            WITH units AS MATERIALIZED (%(units)s),
            aged AS MATERIALIZED (
                SELECT un.*, un.last_idx - un.start_idx AS age FROM units un
            ),
            exposure AS (
                SELECT a.company_id, a.model_id, m.mis, COUNT(*) AS units
                  FROM aged a
                  CROSS JOIN LATERAL generate_series(
                        0, LEAST(a.age, a.warranty_months)) AS m(mis)
                 GROUP BY 1, 2, 3
            ),
            claims AS (
                SELECT un.company_id, un.model_id, f.mis, SUM(%(cost)s) AS cost
                  FROM forklift_feedback c
                  JOIN units un ON un.unit_id = c.unit_id
                  CROSS JOIN LATERAL (
                        SELECT %(day)s AS day,
                               %(idx)s - un.start_idx AS mis
                       ) f
                 WHERE c.state != 'cancel' AND c.warranty_state = 'in'
                   AND (c.warranty_verdict IS NULL OR c.warranty_verdict != 'paid')
                   AND f.day >= un.start_date AND f.day <= %(as_of)s
                   AND (un.end_date IS NULL OR f.day < un.end_date)
                 GROUP BY 1, 2, 3
            ),
            observed AS (
                SELECT e.company_id, e.model_id, e.mis, e.units,
                       COALESCE(cl.cost, 0) AS cost
                  FROM exposure e
                  LEFT JOIN claims cl
                         ON cl.company_id IS NOT DISTINCT FROM e.company_id
                        AND cl.model_id = e.model_id AND cl.mis = e.mis
            ),
            fleet AS (
                SELECT company_id, mis, SUM(cost) / SUM(units) AS rate
                  FROM observed GROUP BY 1, 2
            ),
            in_warranty AS (
                SELECT a.*, u.warranty_end_date
                  FROM aged a
                  JOIN forklift_unit u ON u.id = a.unit_id
                 WHERE u.warranty_end_date >= %(as_of)s
                   AND (a.end_date IS NULL OR a.end_date > %(as_of)s)
                   AND (u.hours_limit_reached_on IS NULL
                        OR %(hours_day)s > %(as_of)s)
            ),
            terms AS (
                SELECT DISTINCT company_id, model_id, warranty_months
                  FROM in_warranty
            ),
            curve AS (
                SELECT t.company_id, t.model_id, t.warranty_months, g.mis,
                       SUM(COALESCE(o.cost / o.units, fl.rate, 0)) OVER (
                           PARTITION BY t.company_id, t.model_id, t.warranty_months
                           ORDER BY g.mis DESC) AS remaining
                  FROM terms t
                  CROSS JOIN LATERAL generate_series(0, t.warranty_months) AS g(mis)
                  LEFT JOIN observed o
                         ON o.company_id IS NOT DISTINCT FROM t.company_id
                        AND o.model_id = t.model_id AND o.mis = g.mis
                  LEFT JOIN fleet fl
                         ON fl.company_id IS NOT DISTINCT FROM t.company_id
                        AND fl.mis = g.mis
            )
            SELECT w.unit_id AS id, w.unit_id, w.company_id, w.market, w.model_id,
                   w.vehicle_type_id, w.dealer_id, w.partner_id, w.batch,
                   w.age AS mis, w.warranty_end_date, 1 AS unit_count,
                   ROUND(COALESCE(cv.remaining, 0)::numeric, 2) AS expected_cost
              FROM in_warranty w
              LEFT JOIN curve cv
                     ON cv.company_id IS NOT DISTINCT FROM w.company_id
                    AND cv.model_id = w.model_id
                    AND cv.warranty_months = w.warranty_months
                    AND cv.mis = w.age
            """,
            units=exposure._units_sql(until=as_of),
            cost=self._claim_cost_sql(),
            day=day,
            idx=exposure._month_index_sql(day),
            as_of=as_of,
            hours_day=exposure._local_date_sql(
                SQL("u.hours_limit_reached_on"), SQL("a.tz")
            ),
        )

    @api.model
    def _compute_by_model(self, as_of, company, market):
        """The forecast per model of a company's market as of ``as_of``, for
        the monthly report: [{model_id, units, expected_cost}], costliest
        first. The report is what carries the figures to its readers, so the
        query filters the company and market itself, whoever produces it."""
        self.env.flush_all()
        self._tune_session()
        self.env.cr.execute(
            SQL(
                """SELECT model_id, COUNT(*), SUM(expected_cost)
                     FROM (%s) forecast
                    WHERE company_id = %s AND market = %s
                    GROUP BY model_id
                    ORDER BY SUM(expected_cost) DESC, model_id""",
                self._forecast_sql(as_of),
                company.id,
                market,
            )
        )
        return [
            {"model_id": model_id, "units": units, "expected_cost": float(cost or 0)}
            for model_id, units, cost in self.env.cr.fetchall()
        ]

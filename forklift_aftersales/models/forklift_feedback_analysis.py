from odoo import api, fields, models
from odoo.tools import SQL

from .forklift_document_fields import (
    customer_link,
    report_column,
    sheet_link,
    unit_link,
)
from .forklift_feedback import (
    CASE_STATES,
    DEADLINE_FIELDS,
    RESPONSIBILITIES,
    ROUTES,
    VERDICTS,
)
from .forklift_sla_policy import SEVERITIES, WARRANTY_STATES
from .forklift_statistics_mixin import merge_depends
from .forklift_unit import MARKETS
from .res_partner import REGIONS

# Cases and costs the statistics measure, by dimension (000 §4.1.6, R-256).
CASE_MEASURES = [
    "major_count",
    "closed_count",
    "parts_replaced_qty",
    "parts_cost",
    "labour_hours",
    "labour_cost",
    "freight_cost",
    "total_cost",
]
# Shares of the deadlines met, in percent: averaged over the cases measured.
CASE_RATES = ["dispatch_on_time", "answer_on_time", "onsite_on_time"]
# What the joins of the forklift model of a sheet
# (``forklift.feedback.analysis._from_forklift_model``) read.
FORKLIFT_MODEL_DEPENDS = {
    "forklift.unit": ["lot_id"],
    "stock.lot": ["product_id"],
    "product.product": ["product_tmpl_id"],
    "product.template": ["categ_id"],
}


class ForkliftFeedbackAnalysis(models.Model):
    """Feedback sheet statistics: one row per feedback sheet (cancelled ones
    left out) with its dimensions, what it cost and whether its deadlines were
    met, for the pivot and graph views and the daily, monthly and annual
    reports (000 §4.1.4, §4.1.6, §6.5; R-256, R-257, R-259).

    Costs, kept on the sheet by the ORM: parts = warranty parts released on
    approved requests plus parts bought locally; labour = hours on site
    (arrival to finish of the service orders) at the hourly cost
    ``forklift_aftersales.labour_hour_cost``; freight = the freight cost of
    the parts requests. A month is thus one scan of the sheets, without a
    subquery per sheet.

    Another addon adds a column with a field and an entry in
    :meth:`_select_fields` (and, when it needs a table, :meth:`_from`); the
    column then appears in the pivot view, and in the reports once listed by
    ``forklift.aftersales.report._get_feedback_measures``.
    """

    _name = "forklift.feedback.analysis"
    _inherit = ["forklift.statistics.mixin", "forklift.feedback.figures.mixin"]
    _description = "Feedback Sheet Statistics"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"
    _depends = merge_depends(
        {
            "forklift.feedback": [
                "name",
                "company_id",
                "market",
                "state",
                "received_date",
                "user_id",
                "unit_id",
                "partner_id",
                "region",
                "dealer_id",
                "fault_category_id",
                "severity",
                "responsibility",
                "warranty_state",
                "warranty_verdict",
                "route",
                "supplier_id",
                "parts_replaced_qty",
                "parts_cost",
                "onsite_hours",
                "freight_cost",
                *DEADLINE_FIELDS,
            ],
            "stock.lot": ["name"],
            "res.partner": ["country_id", "state_id"],
        },
        FORKLIFT_MODEL_DEPENDS,
    )

    # Dimensions
    feedback_id = sheet_link(readonly=True)
    name = report_column(fields.Char, string="Number")
    company_id = report_column(fields.Many2one, "res.company")
    market = report_column(fields.Selection, MARKETS)
    state = report_column(fields.Selection, CASE_STATES, string="Status")
    date = report_column(fields.Datetime, string="Received On")
    user_id = report_column(fields.Many2one, "res.users", string="Responsible")
    unit_id = unit_link(readonly=True)
    serial = report_column(fields.Char, string="Serial Number")
    product_id = report_column(fields.Many2one, "product.product", string="Model")
    vehicle_type_id = report_column(
        fields.Many2one,
        "product.category",
        help="Product category of the forklift model (车辆种类).",
    )
    partner_id = customer_link(readonly=True)
    country_id = report_column(fields.Many2one, "res.country")
    state_id = report_column(fields.Many2one, "res.country.state", string="Province")
    region = report_column(fields.Selection, REGIONS)
    dealer_id = report_column(fields.Many2one, "res.partner")
    fault_category_id = report_column(fields.Many2one, "forklift.fault.category")
    severity = report_column(fields.Selection, SEVERITIES)
    responsibility = report_column(fields.Selection, RESPONSIBILITIES)
    warranty_state = report_column(
        fields.Selection, WARRANTY_STATES, string="Warranty at Report"
    )
    warranty_verdict = report_column(fields.Selection, VERDICTS)
    route = report_column(fields.Selection, ROUTES)
    supplier_id = report_column(
        fields.Many2one,
        "res.partner",
        help="For supplier-caused failures: the supplier at fault fixed on the "
        "sheet when it was verified.",
    )
    # Measures: the figures of the mixin; the shares of deadlines met
    # average over the sheets
    dispatch_on_time = fields.Float(
        aggregator="avg",
        help="Share of the sheets dispatched within 24 h of verification; sheets "
        "whose deadline has not passed yet are not counted.",
    )
    answer_on_time = fields.Float(aggregator="avg")
    onsite_on_time = fields.Float(aggregator="avg")

    @api.model
    def _query(self):
        return SQL(
            "SELECT %s FROM %s WHERE %s",
            SQL(", ").join(
                SQL("%s AS %s", expression, SQL.identifier(name))
                for name, expression in self._select_fields().items()
            ),
            self._from(),
            self._where(),
        )

    @api.model
    def _labour_hour_cost(self):
        return float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("forklift_aftersales.labour_hour_cost", 0.0)
        )

    @api.model
    def _select_fields(self):
        """Column name → SQL expression; ``c`` is the feedback sheet. Override
        to add a column (its field must exist on the model)."""
        # deadlines still running at this moment are not yet met nor missed;
        # the Python clock, so that tests can freeze it
        now = SQL("%s::timestamp", fields.Datetime.now())

        def on_time(deadline, done, extra=None):
            return SQL(
                """CASE WHEN %(deadline)s IS NULL OR %(extra)s THEN NULL
                        WHEN %(done)s IS NOT NULL
                            THEN CASE WHEN %(done)s <= %(deadline)s
                                      THEN 100.0 ELSE 0.0 END
                        WHEN %(deadline)s < %(now)s THEN 0.0
                   END""",
                deadline=deadline,
                done=done,
                extra=extra or SQL("FALSE"),
                now=now,
            )

        labour_cost = SQL("c.onsite_hours * %s", self._labour_hour_cost())
        return {
            "id": SQL("c.id"),
            "feedback_id": SQL("c.id"),
            "name": SQL("c.name"),
            "company_id": SQL("c.company_id"),
            "market": SQL("c.market"),
            "state": SQL("c.state"),
            "date": SQL("c.received_date"),
            "user_id": SQL("c.user_id"),
            "unit_id": SQL("c.unit_id"),
            "serial": SQL("lot.name"),
            "product_id": SQL("lot.product_id"),
            "vehicle_type_id": SQL("model_tmpl.categ_id"),
            "partner_id": SQL("c.partner_id"),
            "country_id": SQL("customer.country_id"),
            "state_id": SQL("customer.state_id"),
            "region": SQL("c.region"),
            "dealer_id": SQL("c.dealer_id"),
            "fault_category_id": SQL("c.fault_category_id"),
            "severity": SQL("c.severity"),
            "responsibility": SQL("c.responsibility"),
            "warranty_state": SQL("c.warranty_state"),
            "warranty_verdict": SQL("c.warranty_verdict"),
            "route": SQL("c.route"),
            "supplier_id": SQL("c.supplier_id"),
            "major_count": SQL("CASE WHEN c.severity = 'major' THEN 1 ELSE 0 END"),
            "closed_count": SQL("CASE WHEN c.state = 'closed' THEN 1 ELSE 0 END"),
            "parts_replaced_qty": SQL("c.parts_replaced_qty"),
            "parts_cost": SQL("c.parts_cost"),
            "labour_hours": SQL("c.onsite_hours"),
            "labour_cost": labour_cost,
            "freight_cost": SQL("c.freight_cost"),
            "total_cost": SQL(
                "COALESCE(c.parts_cost, 0) + COALESCE(c.freight_cost, 0) + %s",
                SQL("COALESCE(%s, 0)", labour_cost),
            ),
            "dispatch_on_time": on_time(
                SQL("c.dispatch_deadline"), SQL("c.dispatched_date")
            ),
            "answer_on_time": on_time(SQL("c.answer_deadline"), SQL("c.answered_date")),
            "onsite_on_time": on_time(
                SQL("c.onsite_deadline"),
                SQL("c.arrival_date"),
                SQL("c.route = 'remote'"),
            ),
        }

    @api.model
    def _from(self):
        return SQL(
            """forklift_feedback c
            %s
            LEFT JOIN res_partner customer ON customer.id = c.partner_id""",
            self._from_forklift_model(),
        )

    @api.model
    def _from_forklift_model(self):
        """Joins of the forklift of the sheet ``c`` (``unit``), its serial
        number (``lot``) and its model (``model``, ``model_tmpl``: the vehicle
        type); the part statistics join them too."""
        return SQL(
            """LEFT JOIN forklift_unit unit ON unit.id = c.unit_id
            LEFT JOIN stock_lot lot ON lot.id = unit.lot_id
            LEFT JOIN product_product model ON model.id = lot.product_id
            LEFT JOIN product_template model_tmpl
                   ON model_tmpl.id = model.product_tmpl_id"""
        )

    @api.model
    def _where(self):
        return SQL("c.state != 'cancel'")

from odoo import fields, models


class ForkliftFeedbackFiguresMixin(models.AbstractModel):
    """The figures of the feedback sheet statistics (000 §4.1.6, R-256):
    what the sheets cost and the shares of their deadlines met, the measures
    ``CASE_MEASURES`` and rates ``CASE_RATES`` of
    ``forklift.feedback.analysis``. The statistics compute them per sheet; a
    produced ``forklift.aftersales.report`` keeps their totals as they were.
    The costs are in the currency of the record's company."""

    _name = "forklift.feedback.figures.mixin"
    _description = "Forklift Feedback Sheet Figures"

    company_id = fields.Many2one("res.company")
    currency_id = fields.Many2one(related="company_id.currency_id")
    major_count = fields.Integer(string="Major Issues", readonly=True)
    closed_count = fields.Integer(string="Closed", readonly=True)
    parts_replaced_qty = fields.Float(
        string="Parts Replaced", readonly=True, digits="Product Unit"
    )
    parts_cost = fields.Monetary(readonly=True)
    labour_hours = fields.Float(readonly=True)
    labour_cost = fields.Monetary(readonly=True)
    freight_cost = fields.Monetary(readonly=True)
    total_cost = fields.Monetary(readonly=True)
    dispatch_on_time = fields.Float(
        string="Dispatched in Time (%)", readonly=True, digits=(16, 1)
    )
    answer_on_time = fields.Float(
        string="Answered in Time (%)", readonly=True, digits=(16, 1)
    )
    onsite_on_time = fields.Float(
        string="On Site in Time (%)", readonly=True, digits=(16, 1)
    )

from odoo import api, fields, models

ESTIMATE_TYPES = [
    ("system", "By system"),
    ("symptom", "By symptom"),
    ("item", "By item"),
]


class SaleOrder(models.Model):
    """An out-of-warranty quote of parts, labour and travel (001 §5.2, R-104)
    the customer accepts or declines on the portal; once accepted it is the
    paid service of its feedback sheet."""

    _inherit = "sale.order"

    forklift_case_id = fields.Many2one(
        "forklift.case",
        string="Feedback Sheet",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    forklift_estimate_type = fields.Selection(
        ESTIMATE_TYPES,
        string="Estimate Type",
        help="By system: every part of the system involved; by symptom: from the "
        "fault as described; by item: a fixed price per job (000 第五篇 §4).",
    )
    forklift_no_guarantee = fields.Boolean(
        string="Parts Without Guarantee",
        compute="_compute_forklift_no_guarantee",
        help="Customer-supplied or non-original parts: no quality guarantee on "
        "them or the work they affect (000 第五篇 §4, R-105).",
    )

    @api.depends("order_line.forklift_part_origin")
    def _compute_forklift_no_guarantee(self):
        for order in self:
            order.forklift_no_guarantee = any(
                line.forklift_part_origin in ("non_original", "customer")
                for line in order.order_line
            )

    def _action_confirm(self):
        res = super()._action_confirm()
        for order in self.filtered("forklift_case_id"):
            order.forklift_case_id._on_quote_accepted(order)
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        for order in self.filtered("forklift_case_id"):
            order.forklift_case_id.message_post(
                body=self.env._("Quote %s declined or cancelled.", order.name)
            )
        return res

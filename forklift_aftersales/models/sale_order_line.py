from odoo import fields, models

PART_ORIGINS = [
    ("original", "Original part"),
    ("non_original", "Non-original part (customer's choice)"),
    ("customer", "Supplied by the customer"),
]


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    forklift_part_origin = fields.Selection(
        PART_ORIGINS,
        string="Part Origin",
        default="original",
        help="Parts the customer supplies, or non-original key parts the customer "
        "insists on, carry no quality guarantee (000 第五篇 §4).",
    )

from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    forklift_destination_country_id = fields.Many2one(
        "res.country", string="Destination Country", readonly=True
    )
    forklift_currency_id = fields.Many2one(
        "res.currency", string="Declared Currency", readonly=True
    )
    forklift_declared_value = fields.Monetary(
        string="Declared Value",
        currency_field="forklift_currency_id",
        readonly=True,
        help="Value of the warranty parts in the case's currency, for the "
        "shipping papers.",
    )

from odoo import fields, models
from odoo.exceptions import AccessError

# Set by the approved request that made the delivery, never by a user
DECLARATION_FIELDS = (
    "forklift_destination_country_id",
    "forklift_currency_id",
    "forklift_declared_value",
)


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

    def write(self, vals):
        if not self.env.su and any(
            picking[name]
            != picking._fields[name].convert_to_record(
                picking._fields[name].convert_to_cache(vals[name], picking), picking
            )
            for name in set(vals) & set(DECLARATION_FIELDS)
            for picking in self
        ):
            raise AccessError(
                self.env._(
                    "The declared destination, currency and value of a warranty "
                    "parts delivery come from its request."
                )
            )
        return super().write(vals)

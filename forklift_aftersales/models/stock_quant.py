from odoo import models
from odoo.fields import Domain


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
    ):
        """A reservation drawing on a location and its children (a sale's
        delivery on WH/Stock, an Odoo repair) skips the after-sales stock
        below it: the spare parts for warranty leave only on an approved
        request's delivery, which draws on them by name (000 §4.3.1.2,
        R-010). Reserving them elsewhere would hold them back from the
        requests, and the transfer would be refused at validation."""
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id, package_id, owner_id, strict
        )
        if strict or not location_id:
            return domain
        skipped = (
            self.env["stock.location"]
            ._forklift_get_held_locations()
            .filtered(lambda held: not location_id._forklift_is_inside(held))
        )
        if not skipped:
            return domain
        return domain & Domain(
            "location_id", "not any", [("id", "child_of", skipped.ids)]
        )

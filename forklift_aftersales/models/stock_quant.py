from odoo import api, models
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

    @api.model
    def _forklift_prefetch(self, products, locations, below=False):
        """Read in one query the quants of ``products`` in ``locations`` (and
        in the locations below them, with ``below``): stock reads the quants
        of each move it reserves or validates on their own, each a query of
        its own in a new transaction. As the user reads them: those he may
        not read are left to the read that refuses them; nothing when he may
        read no quant (see ``stock.location._forklift_prefetch_watched``).
        Nothing either in a transaction that has read quants already: stock
        finds those again in memory, where the search would be a query more."""
        if not products or not locations or not self.browse().has_access("read"):
            return
        if self._fields["quantity"]._get_all_cache_ids(self.env):
            return
        self.search_fetch(
            [
                ("product_id", "in", products.ids),
                ("location_id", "child_of" if below else "in", locations.ids),
            ]
        )

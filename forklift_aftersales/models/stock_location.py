from odoo import api, models, tools

from ..tools import prefetch_readable

# The after-sales locations the stock checks of every validation read, and
# the customers a request's delivery goes to.
FORKLIFT_WATCHED_LOCATIONS = (
    "forklift_aftersales.stock_location_spare_parts",
    "forklift_aftersales.stock_location_quarantine",
    "forklift_aftersales.stock_location_nonwarranty_old_parts",
    "stock.stock_location_customers",
)


class StockLocation(models.Model):
    _name = "stock.location"
    _inherit = ["stock.location", "forklift.cached.mixin"]
    # the locations above the after-sales ones, kept in the registry's cache
    _forklift_cached_fields = ("location_id",)

    @api.model
    def _forklift_get_by_xmlid(self, xmlid, raise_if_not_found=True):
        """The location of ``xmlid``, or an empty recordset.

        From the registry's cache of external ids, without ``env.ref``'s query
        checking the record still exists: deleting a record removes its
        external id, and the stock checks call this for every transfer.
        """
        res_id = self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=raise_if_not_found
        )
        return self.browse(res_id or ())

    @api.model
    @tools.ormcache()
    def _forklift_get_watched_ids(self):
        """Ids of the after-sales locations the stock checks name
        (``FORKLIFT_WATCHED_LOCATIONS``) and of the locations above them, from
        the registry's cache, cleared when a location is moved."""
        Data = self.env["ir.model.data"]
        # sudo: where the locations are in the tree, whoever validates
        locations = (
            self.sudo()
            .with_context(active_test=False)
            .browse(
                res_id
                for xmlid in FORKLIFT_WATCHED_LOCATIONS
                if (res_id := Data._xmlid_to_res_id(xmlid, raise_if_not_found=False))
            )
            .exists()
        )
        return tuple(
            sorted(
                {
                    int(parent_id)
                    for path in locations.mapped("parent_path")
                    for parent_id in path.split("/")
                    if parent_id
                }
            )
        )

    @api.model
    def _forklift_prefetch_watched(self):
        """Read the after-sales locations and those above them in one query:
        stock reads a location when it reaches it (a move's source, its
        removal strategy up the tree, its warehouse) and the checks read the
        after-sales ones, each a query of its own in a new transaction. As
        the user reads them: those he may not read are left to the read that
        refuses them; nothing when he may read no location."""
        prefetch_readable(self.browse(self._forklift_get_watched_ids()))

    @api.model
    def _forklift_get_held_locations(self):
        """The after-sales stock no one takes by hand: the spare parts for
        warranty and the quarantine (old parts, returned forklifts, QA holds).
        """
        return self._forklift_get_by_xmlid(
            "forklift_aftersales.stock_location_spare_parts", raise_if_not_found=False
        ) | self._forklift_get_by_xmlid(
            "forklift_aftersales.stock_location_quarantine", raise_if_not_found=False
        )

    def _forklift_is_inside(self, locations):
        """Whether this location is one of ``locations`` or below one."""
        self.ensure_one()
        return any(
            self.parent_path.startswith(location.parent_path) for location in locations
        )

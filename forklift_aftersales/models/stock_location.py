from odoo import api, models, tools
from odoo.exceptions import AccessError

from ..tools import prefetch_readable

# The after-sales locations the stock checks of every validation read, and
# the customers a request's delivery goes to.
FORKLIFT_WATCHED_LOCATIONS = (
    "forklift_aftersales.stock_location_spare_parts",
    "forklift_aftersales.stock_location_quarantine",
    "forklift_aftersales.stock_location_nonwarranty_old_parts",
    "stock.stock_location_customers",
)
# The after-sales locations the documents receive into and release from by
# name (000 §4.3.1.2, §4.3.2.6-7, §4.4): they keep their place in the tree,
# their type and their active state, and are not deleted.
FORKLIFT_AFTERSALES_LOCATIONS = (
    "forklift_aftersales.stock_location_spare_parts",
    "forklift_aftersales.stock_location_quarantine",
    "forklift_aftersales.stock_location_old_parts",
    "forklift_aftersales.stock_location_nonwarranty_old_parts",
    "forklift_aftersales.stock_location_returned_vehicles",
    "forklift_aftersales.stock_location_qa_hold",
)
FORKLIFT_PLACED_FIELDS = ("location_id", "usage", "active")


class StockLocation(models.Model):
    _name = "stock.location"
    _inherit = ["stock.location", "forklift.cached.mixin"]
    # the locations above the after-sales ones, kept in the registry's cache
    _forklift_cached_fields = ("location_id",)

    # CRUD

    def write(self, vals):
        if not self._may_place_forklift_locations():
            if set(FORKLIFT_PLACED_FIELDS) & set(vals):
                self._check_forklift_locations_kept(children="active" in vals)
            if "location_id" in vals:
                self._check_forklift_held_stock_kept(vals["location_id"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_forklift_locations(self):
        if not self._may_place_forklift_locations():
            self._check_forklift_locations_kept()

    # Business methods

    def _may_place_forklift_locations(self):
        """Whether the user places the after-sales locations: the module's
        data (superuser) or the administrator, never the warehouse's
        managers, who hold no part in the after-sales procedure."""
        return self.env.su or self.env.user.has_group("base.group_system")

    def _check_forklift_locations_kept(self, children=False):
        """Refuse moving, retyping, archiving or deleting an after-sales
        location (``FORKLIFT_AFTERSALES_LOCATIONS``) among these, or among
        their ``children`` too (archiving a location archives them): the
        documents receive into and release from them by name, and their place
        keeps the old parts and the spare parts out of the ordinary stock."""
        kept = set(self._forklift_get_ids(FORKLIFT_AFTERSALES_LOCATIONS))
        # sudo: where the after-sales locations are, whoever changes a location
        touched = self.sudo().with_context(active_test=False)
        if children:
            touched = touched.search([("id", "child_of", self.ids)])
        location = touched.filtered(lambda loc: loc.id in kept)[:1]
        if location:
            raise AccessError(
                self.env._(
                    "%s is an after-sales location: the service center's documents "
                    "receive the old parts and release the spare parts there, kept "
                    "out of the ordinary stock. It is not moved, given another "
                    "type, archived or deleted.",
                    location.display_name,
                )
            )

    def _check_forklift_held_stock_kept(self, parent_id):
        """Refuse carrying stock into or out of the after-sales stock (the
        spare parts for warranty, the quarantine, the non-warranty old parts)
        by moving a location holding it under ``parent_id``: that stock
        enters and leaves only by the validated transfers of its documents
        (000 §4.3.1.2, §4.3.2.6-7; R-226, R-233). Empty locations move
        freely."""
        # sudo: where the locations are and what they hold, whoever moves them
        held = self.env["stock.move.line"].sudo()._forklift_get_done_held_locations()
        if not held:
            return
        parent = self.sudo().browse(parent_id or ())
        inside = held.filtered(lambda h: parent and parent._forklift_is_inside(h))
        moving = self.sudo().filtered(
            lambda loc: held.filtered(loc._forklift_is_inside) != inside
        )
        if not moving:
            return
        stocked = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [("location_id", "child_of", moving.ids), ("quantity", "!=", 0)],
                limit=1,
            )
        )
        if stocked:
            location = moving.filtered(stocked.location_id._forklift_is_inside)[:1]
            raise AccessError(
                self.env._(
                    "%s holds stock: moved there, it would carry it into or out of "
                    "the after-sales stock, which only the validated transfers of "
                    "the service center's documents move. Only an empty location "
                    "is moved in or out.",
                    location.display_name,
                )
            )

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
    def _forklift_get_ids(self, xmlids):
        """Ids of the locations of ``xmlids``, those whose external id is
        known, from the registry's cache (see ``_forklift_get_by_xmlid``)."""
        Data = self.env["ir.model.data"]
        return [
            res_id
            for xmlid in xmlids
            if (res_id := Data._xmlid_to_res_id(xmlid, raise_if_not_found=False))
        ]

    @api.model
    @tools.ormcache()
    def _forklift_get_watched_ids(self):
        """Ids of the after-sales locations the stock checks name
        (``FORKLIFT_WATCHED_LOCATIONS``) and of the locations above them, from
        the registry's cache, cleared when a location is moved."""
        # sudo: where the locations are in the tree, whoever validates
        locations = (
            self.sudo()
            .with_context(active_test=False)
            .browse(self._forklift_get_ids(FORKLIFT_WATCHED_LOCATIONS))
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

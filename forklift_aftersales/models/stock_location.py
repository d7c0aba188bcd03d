from odoo import api, models


class StockLocation(models.Model):
    _inherit = "stock.location"

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

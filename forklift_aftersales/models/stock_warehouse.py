from odoo import api, models, tools


class StockWarehouse(models.Model):
    _name = "stock.warehouse"
    _inherit = ["stock.warehouse", "forklift.cached.mixin"]
    # what the warehouse of a company, kept in the registry's cache, depends on
    _forklift_cached_fields = ("company_id", "active", "sequence")

    @api.model
    @tools.ormcache("company_id")
    def _forklift_get_company_warehouse_id(self, company_id):
        # sudo: the warehouse the parts leave from, whoever releases them
        return (
            self.sudo().search([("company_id", "=", company_id)], limit=1).id or False
        )

    @api.model
    def _forklift_get_company_warehouse(self, company_id):
        """The company's first warehouse, as ``search(limit=1)`` finds it, from
        the registry's cache (cleared when a warehouse is created, deleted,
        archived, re-ordered or moved to another company): a delivery is made
        for every approved request."""
        return self.browse(self._forklift_get_company_warehouse_id(company_id) or ())

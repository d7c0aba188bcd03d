from odoo import api, models, tools

# what the warehouse of a company, kept in the registry's cache, depends on
CACHED_FIELDS = {"company_id", "active", "sequence"}


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if CACHED_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

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

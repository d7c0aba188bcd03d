from odoo import api, models, tools


class StockWarehouse(models.Model):
    _name = "stock.warehouse"
    _inherit = ["stock.warehouse", "forklift.cached.mixin"]
    # what the delivery type of a company's warehouse, kept in the registry's
    # cache, depends on
    _forklift_cached_fields = ("company_id", "active", "sequence", "out_type_id")

    @api.model
    @tools.ormcache("company_id")
    def _forklift_get_company_delivery_type_id(self, company_id):
        """The id of the delivery operation type of the company's first
        warehouse (False when it has none)."""
        # sudo: the warehouse the parts leave from, whoever releases them
        warehouse = self.sudo().search([("company_id", "=", company_id)], limit=1)
        return warehouse.out_type_id.id or False

    @api.model
    def _forklift_get_company_delivery_type(self, company_id):
        """The delivery operation type of the company's first warehouse (as
        ``search(limit=1)`` finds it), from the registry's cache, cleared when
        a warehouse is created, deleted, archived, re-ordered, moved to another
        company or given another delivery type: a delivery is made for every
        approved request."""
        type_id = self._forklift_get_company_delivery_type_id(company_id)
        return self.env["stock.picking.type"].browse(type_id or ())

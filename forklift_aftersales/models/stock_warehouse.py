from odoo import api, models, tools


class StockWarehouse(models.Model):
    _name = "stock.warehouse"
    _inherit = ["stock.warehouse", "forklift.cached.mixin"]
    # what the warehouse of a company and its delivery type, kept in the
    # registry's cache, depend on
    _forklift_cached_fields = ("company_id", "active", "sequence", "out_type_id")

    @api.model
    @tools.ormcache("company_id")
    def _forklift_get_company_warehouse_ids(self, company_id):
        """The ids of the company's first warehouse and of its delivery
        operation type (False, False without a warehouse)."""
        # sudo: the warehouse the parts leave from, whoever releases them
        warehouse = self.sudo().search([("company_id", "=", company_id)], limit=1)
        return warehouse.id or False, warehouse.out_type_id.id or False

    @api.model
    def _forklift_get_company_delivery_type(self, company_id):
        """The delivery operation type of the company's first warehouse (as
        ``search(limit=1)`` finds it), from the registry's cache, cleared when
        a warehouse is created, deleted, archived, re-ordered, moved to another
        company or given another delivery type: a delivery is made for every
        approved request."""
        type_id = self._forklift_get_company_warehouse_ids(company_id)[1]
        return self.env["stock.picking.type"].browse(type_id or ())

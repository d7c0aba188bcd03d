from odoo import api, fields, models
from odoo.exceptions import AccessError


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    forklift_parts_request_id = fields.Many2one(
        "forklift.parts.request",
        string="Urgent Parts Request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The urgent after-sales request this rush purchase serves.",
    )

    def _check_forklift_parts_request_link(self, vals):
        """The link to an urgent parts request is set by the request's own
        step, which creates the rush purchase as server code: never by a
        client, who would tie any purchase to any request."""
        if "forklift_parts_request_id" in vals and not self.env.su:
            raise AccessError(
                self.env._(
                    "A purchase is linked to an urgent parts request only by the "
                    "request itself."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("forklift_parts_request_id"):
                self._check_forklift_parts_request_link(vals)
        return super().create(vals_list)

    def write(self, vals):
        if "forklift_parts_request_id" in vals:
            new = vals["forklift_parts_request_id"] or False
            if any(order.forklift_parts_request_id.id != new for order in self):
                self._check_forklift_parts_request_link(vals)
        return super().write(vals)

from odoo import fields, models


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

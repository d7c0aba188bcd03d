from odoo import api, fields, models

from .forklift_flow_mixin import (
    QUANTITY_CHECK,
    check_context_defaults,
    check_sent_values,
)

SHIP_ITEM_TYPES = [
    ("spare", "Spare part"),
    ("tool", "Tool"),
    ("attachment", "Attachment"),
    ("manual", "Manual"),
    ("document", "Document"),
]


class ForkliftUnitShipItem(models.Model):
    """What ships with a forklift (000 第一篇 L85 under 三包备件: 随车带的配件
    明细、保修卡、说明 — the parts list, the warranty card and the manuals;
    R-023, R-222, R-283): one line per spare part, tool, attachment, manual
    or document, ticked once packed with the forklift; printed on its
    delivery sheet."""

    _name = "forklift.unit.ship.item"
    _description = "Item Shipped with a Forklift"
    _order = "unit_id, sequence, id"
    _check_company_auto = True

    unit_id = fields.Many2one(
        "forklift.unit",
        string="Forklift",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="unit_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    item_type = fields.Selection(
        SHIP_ITEM_TYPES, string="Type", required=True, default="spare"
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        help="The spare part, tool or attachment, when it is a product.",
    )
    name = fields.Char(
        string="Item",
        required=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    shipped = fields.Boolean(
        help="Ticked when the item is packed with the forklift.",
    )

    _quantity_positive = models.Constraint(
        QUANTITY_CHECK, "The quantity of an item shipped must be positive."
    )

    @api.depends("product_id")
    def _compute_name(self):
        for item in self:
            if item.product_id and not item.name:
                item.name = item.product_id.display_name

    @api.model
    def default_get(self, fields):
        check_context_defaults(self, fields)
        return super().default_get(fields)

    @api.model_create_multi
    def create(self, vals_list):
        # master data, not a flow: the values sent are checked all the same
        # (forklift.flow.mixin's check_sent_values)
        check_sent_values(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_sent_values(self, [vals])
        return super().write(vals)

from odoo import fields, models


class ForkliftServiceOrderPart(models.Model):
    """A part replaced during a service, with the failed part's serial
    (000 §4.1.2: details of the damaged parts)."""

    _name = "forklift.service.order.part"
    _description = "Part Replaced in a Service Order"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one(
        "forklift.service.order", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product", string="Part", required=True, domain=[("type", "=", "consu")]
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    failed_serial = fields.Char(string="Failed Part Serial")
    is_warranty = fields.Boolean(
        string="Warranty Part",
        default=True,
        help="Supplied free under the three guarantees; such parts must come back "
        "to the company.",
    )
    note = fields.Char()

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity of a replaced part must be positive."
    )

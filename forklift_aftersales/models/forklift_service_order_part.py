from odoo import api, fields, models
from odoo.exceptions import UserError


class ForkliftServiceOrderPart(models.Model):
    """A part replaced during a service, with the failed part's serial and
    the damage found on it (000 §4.1.2: details of the damaged parts)."""

    _name = "forklift.service.order.part"
    _description = "Part Replaced in a Service Order"
    _order = "order_id, sequence, id"
    _check_company_auto = True

    order_id = fields.Many2one(
        "forklift.service.order", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    # stored for the failure rates: the parts of the sheets read without the
    # service orders
    case_id = fields.Many2one(
        related="order_id.case_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        domain=[("type", "=", "consu")],
        check_company=True,
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    failed_serial = fields.Char(string="Failed Part Serial")
    damage_description = fields.Text(
        string="Damage Found",
        help="What was wrong with the part taken out (000 §4.1.2: the details of "
        "each damaged part replaced); needed before the work is reported done.",
    )
    is_warranty = fields.Boolean(
        string="Warranty Part",
        default=True,
        help="Supplied free under the three guarantees; such parts must come back "
        "to the company.",
    )
    note = fields.Char(groups="base.group_user")

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity of a replaced part must be positive."
    )

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["forklift.service.order"].browse(
            [vals["order_id"] for vals in vals_list if vals.get("order_id")]
        )
        orders._check_parts_open()
        # a part replaced on a paid sheet waits for the customer's consent
        orders.filtered(lambda o: o.state != "draft")._check_paid_consent()
        parts = super().create(vals_list)
        # the first part replaced names the supplier of a supplier-caused
        # failure verified without a known failed part
        # sudo: the sheet's supplier at fault is the server's to set
        parts.sudo().order_id.case_id._set_fault_supplier()
        return parts

    def write(self, vals):
        self.order_id._check_parts_open()
        self.order_id.filtered(lambda o: o.state != "draft")._check_paid_consent()
        if "order_id" in vals and any(
            line.order_id.id != vals["order_id"] for line in self
        ):
            raise UserError(
                self.env._(
                    "A replaced part stays on the service order it was recorded on."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reported(self):
        self.order_id._check_parts_open()

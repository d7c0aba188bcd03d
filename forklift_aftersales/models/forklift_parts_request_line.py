from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from .forklift_document_fields import document_company
from .forklift_flow_mixin import QUANTITY_CHECK

_lt = LazyTranslate(__name__)

# Why a part is given under the three guarantees (004 §4.6.1: "vulnerable
# parts, missing parts or unqualified parts"), counted in the statistics.
WARRANTY_REASONS = [
    ("wear", "Wear part"),
    ("missing", "Missing part"),
    ("unqualified", "Unqualified part"),
]


class ForkliftPartsRequestLine(models.Model):
    """A part of a warranty parts request. Its cost is the product's cost,
    computed on the server: the applicant does not type the amount that
    chooses his approvers (REQUIREMENTS A-03)."""

    _name = "forklift.parts.request.line"
    _description = "Forklift Warranty Parts Request Line"
    _inherit = ["forklift.approval.line.mixin"]
    _order = "request_id, sequence, id"
    _check_company_auto = True
    _not_part_message = _lt("%s is not a part: only goods are requested as parts.")
    _line_document_field = "request_id"

    request_id = fields.Many2one(
        "forklift.parts.request", required=True, ondelete="cascade", index=True
    )
    company_id = document_company("request_id", precompute=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(domain=[("type", "=", "consu")], check_company=True)
    warranty_reason = fields.Selection(
        WARRANTY_REASONS,
        string="Reason",
        required=True,
        help="Why the part is given under warranty (004 §4.6.1, R-093): a wear "
        "part, a part missing on delivery, or an unqualified (defective) part.",
    )
    unit_cost = fields.Float(
        compute="_compute_unit_cost",
        store=True,
        precompute=True,
        digits="Product Price",
    )
    # stored and precomputed, as on Odoo's sale order lines: the amount of a
    # new line is rounded in its currency without reading the other new lines
    # of the batch back from the database
    currency_id = fields.Many2one(
        related="request_id.currency_id", store=True, precompute=True
    )
    amount = fields.Monetary(compute="_compute_amount", store=True, precompute=True)
    # stored for the statistics by supplier
    supplier_id = fields.Many2one(
        help="Set by the server when the part is requested: the sheet's supplier "
        "at fault for the failed part, else the part's main vendor then.",
    )

    _quantity_positive = models.Constraint(
        QUANTITY_CHECK, "The quantity of a requested part must be positive."
    )
    _unit_cost_positive = models.Constraint(
        "CHECK(unit_cost >= 0)", "The unit cost of a part cannot be negative."
    )

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {"unit_cost", "amount"}

    @api.model
    def _drop_typed_cost(self, vals):
        """A cost sent on creation is not kept: the line costs what the product
        costs (REQUIREMENTS A-03), whatever the client sent; once created,
        writing it is refused by the flow guard. A supplier sent is dropped
        too (forklift.part.supplier.mixin): the parts request passes its new
        lines through here before they reach the line's create."""
        if not self._is_flow_write():
            vals.pop("unit_cost", None)
            vals.pop("amount", None)
        return self._drop_sent_supplier(vals)

    @api.model_create_multi
    def create(self, vals_list):
        # copies: the caller's values stay as it sent them
        return super().create([self._drop_typed_cost(dict(vals)) for vals in vals_list])

    @api.depends("product_id")
    def _compute_unit_cost(self):
        for line in self:
            line.unit_cost = line._get_part_cost()

    def _get_part_cost(self):
        """What the line's part costs now, in its request's company."""
        self.ensure_one()
        # sudo: the cost is read for whoever writes the request
        product = self.product_id.sudo()
        if self.request_id.company_id:
            product = product.with_company(self.request_id.company_id)
        return product.standard_price

    def _refresh_unit_cost(self):
        """The parts cost what their products cost when approval is asked
        (REQUIREMENTS A-03): the cost read when the line was written may
        have changed since, and the band would follow a cost the part no
        longer has."""
        for line in self:
            cost = line._get_part_cost()
            if line.unit_cost != cost:
                line._write_flow({"unit_cost": cost})

    def _get_part_feedback(self):
        return self.request_id.feedback_id

    @api.depends("quantity", "unit_cost")
    def _compute_amount(self):
        # the company's row read whole, once: rounding an amount reads its
        # currency alone (the ORM's prefetching off there), and the request's
        # deadlines would then read the rest of the row again
        # sudo: as the rounding and the deadlines' settings read it
        self.company_id.sudo().mapped("currency_id")
        for line in self:
            line.amount = line.quantity * line.unit_cost

    def _prepare_move_vals(self, source, destination):
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "product_uom_qty": self.quantity,
            "product_uom": self.product_id.uom_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": self.request_id.name,
        }

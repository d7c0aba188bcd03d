from odoo import fields, models


class ForkliftMaintenanceVisitLine(models.Model):
    _name = "forklift.maintenance.visit.line"
    _description = "Forklift Maintenance Visit Part"
    _order = "visit_id, id"

    visit_id = fields.Many2one(
        "forklift.maintenance.visit", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one("product.product", string="Part", required=True)
    quantity = fields.Float(default=1.0, required=True)
    supplied_by = fields.Selection(
        [("company", "Us (free)"), ("customer", "The customer")],
        required=True,
        default="company",
        help="At the end-of-warranty overhaul the buyer supplies the oil and "
        "filters (000 第四篇 §4).",
    )

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "A part quantity must be positive."
    )

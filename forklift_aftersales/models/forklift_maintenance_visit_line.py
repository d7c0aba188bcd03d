from odoo import fields, models

from .forklift_document_fields import document_company
from .forklift_flow_mixin import QUANTITY_CHECK


class ForkliftMaintenanceVisitLine(models.Model):
    _name = "forklift.maintenance.visit.line"
    _description = "Forklift Maintenance Visit Part"
    _inherit = ["forklift.document.line.mixin"]
    _order = "visit_id, id"
    # the parts are those of a visit being made: once it is made or
    # cancelled, its list is kept as it was
    _line_document_field = "visit_id"
    _line_open_states = ("planned",)
    _check_company_auto = True

    visit_id = fields.Many2one(
        "forklift.maintenance.visit", required=True, ondelete="cascade", index=True
    )
    company_id = document_company("visit_id", precompute=True)
    product_id = fields.Many2one(
        "product.product", string="Part", required=True, check_company=True
    )
    quantity = fields.Float(default=1.0, required=True)
    supplied_by = fields.Selection(
        [("company", "Us (free)"), ("customer", "The customer")],
        required=True,
        default="company",
        help="At the end-of-warranty overhaul the buyer supplies the oil and "
        "filters (000 第四篇 §4).",
    )

    _quantity_positive = models.Constraint(
        QUANTITY_CHECK, "A part quantity must be positive."
    )

    def _get_line_closed_message(self):
        return self.env._("%s is made or cancelled: its parts no longer change.")

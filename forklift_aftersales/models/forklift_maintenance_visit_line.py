from odoo import api, fields, models
from odoo.exceptions import UserError


class ForkliftMaintenanceVisitLine(models.Model):
    _name = "forklift.maintenance.visit.line"
    _description = "Forklift Maintenance Visit Part"
    _inherit = ["forklift.flow.mixin"]
    _order = "visit_id, id"

    visit_id = fields.Many2one(
        "forklift.maintenance.visit", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="visit_id.company_id", store=True, index=True, precompute=True
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

    @api.model
    def _get_flow_fields(self):
        """A part takes its visit's company, never its own."""
        return {"company_id"}

    @api.model
    def _get_fixed_fields(self):
        return super()._get_fixed_fields() | {"visit_id"}

    def _check_visit_planned(self, visits):
        """The parts are those of a visit being made: once it is made or
        cancelled, its list is kept as it was."""
        if self._is_flow_write():
            return
        for visit in visits:
            if visit.state != "planned":
                raise UserError(
                    self.env._(
                        "%s is made or cancelled: its parts no longer change.",
                        visit.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self._check_visit_planned(lines.visit_id)
        return lines

    def write(self, vals):
        visits = self.visit_id
        res = super().write(vals)
        self._check_visit_planned(visits)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_while_visit_planned(self):
        self._check_visit_planned(self.visit_id)

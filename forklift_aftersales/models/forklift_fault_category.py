from odoo import api, fields, models


class ForkliftFaultCategory(models.Model):
    _name = "forklift.fault.category"
    _inherit = ["forklift.shared.setup.mixin"]
    _description = "Forklift Fault Category"
    _order = "sequence, name"
    _parent_store = True
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    parent_id = fields.Many2one(
        "forklift.fault.category", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint(
        "unique(parent_id, name)",
        "A fault category with this name already exists here.",
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = (
                    f"{category.parent_id.complete_name} / {category.name}"
                )
            else:
                category.complete_name = category.name

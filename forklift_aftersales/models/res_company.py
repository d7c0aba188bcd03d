from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    forklift_planner_id = fields.Many2one(
        "res.users",
        string="After-Sales Service Planner",
        help="Receives the planning activities (commissioning, scheduled "
        "maintenance) no technician has been named for yet.",
    )

    def _get_forklift_planner(self):
        self.ensure_one()
        return self.forklift_planner_id or self.env.user

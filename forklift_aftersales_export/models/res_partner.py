from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    forklift_has_service_staff = fields.Boolean(
        string="Has Service Staff",
        default=True,
        help="The dealer has its own after-sales technicians. Overseas customers "
        "whose dealer has none get remote technical support first "
        "(000 第一篇 §5).",
    )

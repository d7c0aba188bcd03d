from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_forklift = fields.Boolean(
        string="Is a Forklift",
        help="Serial-tracked forklift model: each serial number is a forklift unit "
        "followed by after-sales.",
    )
    forklift_warranty_months = fields.Integer(
        string="Warranty Period (months)",
        default=12,
        help="Warranty length from the acceptance date (000 第四篇 §4: one year).",
    )
    forklift_warranty_hours = fields.Float(
        string="Warranty Working Hours",
        default=1500.0,
        help="Hour-meter limit of the warranty; the warranty ends at whichever of "
        "the period and the hours comes first (000 第四篇 §4).",
    )
    forklift_maintenance_visits = fields.Integer(
        string="Free Maintenance Visits",
        default=3,
        help="Free maintenance and inspection visits within the warranty, spread "
        "evenly over its period and hours; a full overhaul follows at its end "
        "(000 第四篇 §4).",
    )
    forklift_guide_price = fields.Float(
        string="Guide Price for Local Purchase",
        digits="Product Price",
        help="Company guide price a technician may pay when buying this part "
        "locally (000 §4.3.2.2).",
    )
    forklift_important_part = fields.Boolean(
        string="Important Part",
        tracking=True,
        help="An important part given under warranty is exchanged in kind (004 "
        "§4.6.2): its old part comes back to the service center before the new "
        "one leaves the warehouse.",
    )

    def write(self, vals):
        res = super().write(vals)
        if vals.get("forklift_important_part"):
            # approved requests not shipped yet now wait for the old part too
            self.env["forklift.oldpart.return"]._open_exchange_returns_for_products(
                self.product_variant_ids
            )
        return res

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import HOUR_METER_SQL, check_warranty_months, value_differs, with_defaults

# A forklift model's warranty terms, which its forklifts take (000 第四篇 §4,
# configuration of the service-center director, who alone
# changes a forklift's.
WARRANTY_TERM_FIELDS = (
    "forklift_warranty_months",
    "forklift_warranty_hours",
    "forklift_maintenance_visits",
)


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

    _forklift_warranty_terms_positive = models.Constraint(
        "CHECK(forklift_warranty_months >= 0 AND forklift_maintenance_visits >= 0 "
        f"AND forklift_warranty_hours {HOUR_METER_SQL})",
        "The warranty terms of a forklift model cannot be negative, and its "
        "working hours are at most what an hour meter reads.",
    )

    @api.constrains("forklift_warranty_months")
    def _check_forklift_warranty_months(self):
        """A warranty period its forklifts' warranty end can be computed
        from, as a service commitment letter's (R-211)."""
        for template in self:
            check_warranty_months(template, template.forklift_warranty_months)

    def _check_forklift_warranty_terms_rights(self, names):
        """Refuse a change of the warranty terms ``names`` unless the
        service-center director makes it, as he does a forklift's (R-211)."""
        if names and not (
            self.env.su or self.env["forklift.unit"]._may_change_warranty_terms()
        ):
            raise AccessError(
                self.env._(
                    "Only the service-center director changes the warranty terms "
                    "of a forklift model (period, working hours and free "
                    "maintenance visits), which its forklifts take."
                )
            )

    def _check_forklift_important_part_rights(self):
        """Refuse marking or unmarking a part important unless the
        service-center director does: which parts are exchanged in kind, their
        old part back before the new one leaves, is his configuration (004
        §4.6.2, R-097, R-044)."""
        if not (self.env.su or self.env["forklift.unit"]._may_change_warranty_terms()):
            raise AccessError(
                self.env._(
                    "Only the service-center director marks a part important or "
                    "not: an important part given under warranty is exchanged in "
                    "kind, its old part back before the new one leaves."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if any(
            vals.get("forklift_important_part")
            for vals in with_defaults(self, vals_list, ["forklift_important_part"])
        ):
            self._check_forklift_important_part_rights()
        # a new model takes the company's terms (one year or 1500 hours),
        # whatever the call's context or the user's saved defaults say
        for vals in with_defaults(self, vals_list, WARRANTY_TERM_FIELDS):
            self._check_forklift_warranty_terms_rights(
                {
                    name
                    for name in WARRANTY_TERM_FIELDS
                    if vals.get(name) != self._fields[name].default(self)
                }
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_forklift_warranty_terms_rights(
            {
                name
                for name in WARRANTY_TERM_FIELDS
                if name in vals
                and any(value_differs(template, name, vals[name]) for template in self)
            }
        )
        if "forklift_important_part" in vals and any(
            value_differs(
                template,
                "forklift_important_part",
                vals["forklift_important_part"],
            )
            for template in self
        ):
            self._check_forklift_important_part_rights()
        res = super().write(vals)
        if vals.get("forklift_important_part"):
            # approved requests not shipped yet now wait for the old part too
            self.env["forklift.oldpart.return"]._open_exchange_returns_for_products(
                self.product_variant_ids
            )
        return res

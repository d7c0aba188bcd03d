from odoo import api, fields, models

from odoo.addons.forklift_aftersales.tools import read_int_param

# field -> (system parameter that held the value before, procedure's value)
SUPPLIER_COMPANY_SETTINGS = {
    "forklift_supplier_reply_hours": ("forklift_aftersales_supplier.reply_hours", 24),
    "forklift_supplier_sheet_working_days": (
        "forklift_aftersales_supplier.sheet_working_days",
        5,
    ),
}


def _param_default(fname):
    key, default = SUPPLIER_COMPANY_SETTINGS[fname]
    return lambda self: read_int_param(self.env, key, default)


class ResCompany(models.Model):
    _inherit = "res.company"

    forklift_supplier_reply_hours = fields.Integer(
        string="Supplier Replies Within (Hours)",
        default=_param_default("forklift_supplier_reply_hours"),
        help="Hours after the service contact letter is sent within which the "
        "supplier answers it and, coming in time, has its technician on site: "
        "the letter's reply deadline; a later visit is a date the service "
        "center agrees (000 §4.2.3.2, R-163, R-192).",
    )
    forklift_supplier_sheet_working_days = fields.Integer(
        string="Supplier Returns the Signed Sheet Within (Working Days)",
        default=_param_default("forklift_supplier_sheet_working_days"),
        help="Working days of the company's calendar after the supplier "
        "finished the work within which it sends the customer-signed service "
        "order (000 §4.2.3.3, R-164).",
    )

    @api.model
    def _get_forklift_setting_params(self):
        return dict(super()._get_forklift_setting_params(), **SUPPLIER_COMPANY_SETTINGS)

from odoo import fields, models


class ForkliftPartsDeliveryWizard(models.TransientModel):
    """Asks when the carrier delivered the warranty parts to the buyer; the
    request checks it and records the delivery (000 第四篇 §6, R-178)."""

    _name = "forklift.parts.delivery.wizard"
    _inherit = ["forklift.wizard.mixin"]
    _description = "Record the Delivery of Warranty Parts"

    request_id = fields.Many2one(
        "forklift.parts.request", string="Warranty Parts Request", required=True
    )
    shipped_date = fields.Datetime(related="request_id.shipped_date")
    supply_deadline = fields.Datetime(related="request_id.supply_deadline")
    delivered_date = fields.Datetime(
        string="Delivered to the Buyer On",
        required=True,
        default=fields.Datetime.now,
        help="The carrier's delivery time, or when the buyer said the parts arrived.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.request_id._mark_delivered(self.delivered_date)
        return {"type": "ir.actions.act_window_close"}

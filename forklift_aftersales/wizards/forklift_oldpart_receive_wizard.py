from odoo import fields, models


class ForkliftOldpartReceiveWizard(models.TransientModel):
    """Asks the day the old parts of a return were received; the return
    checks it and records the receipt (000 §4.3.2.5, R-229)."""

    _name = "forklift.oldpart.receive.wizard"
    _inherit = ["forklift.wizard.mixin"]
    _description = "Record the Receipt of Old Parts"

    return_id = fields.Many2one(
        "forklift.oldpart.return", string="Old-Part Return", required=True
    )
    shipped_date = fields.Date(related="return_id.shipped_date")
    due_date = fields.Date(related="return_id.due_date")
    received_date = fields.Date(
        string="Received On",
        required=True,
        default=fields.Date.context_today,
    )

    def action_confirm(self):
        self.ensure_one()
        self.return_id._mark_received(self.received_date)
        return {"type": "ir.actions.act_window_close"}

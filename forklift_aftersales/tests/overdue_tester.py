from odoo import fields, models


class ForkliftOverdueTester(models.Model):
    _name = "forklift.overdue.tester"
    _description = "Forklift Overdue Mixin Tester"
    _inherit = ["forklift.overdue.mixin"]
    _overdue_deadline_field = "due_on"
    _overdue_open_states = ("open", "waiting")

    state = fields.Selection(
        [("open", "Open"), ("waiting", "Waiting"), ("done", "Done")], default="open"
    )
    due_on = fields.Date()

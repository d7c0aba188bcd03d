from odoo import fields, models

ATTENDEE_ROLES = [
    ("engineer", "Engineer"),
    ("operator", "Operator"),
    ("maintenance", "Maintenance staff"),
    ("other", "Other"),
]


class ForkliftTrainingAttendee(models.Model):
    _name = "forklift.training.attendee"
    _description = "Forklift Training Attendee"
    _order = "training_id, id"

    training_id = fields.Many2one(
        "forklift.training", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(required=True)
    role = fields.Selection(ATTENDEE_ROLES, required=True, default="operator")
    attended = fields.Boolean(default=True)

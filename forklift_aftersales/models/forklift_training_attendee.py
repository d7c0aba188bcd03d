from odoo import fields, models

from .forklift_document_fields import document_company

ATTENDEE_ROLES = [
    ("engineer", "Engineer"),
    ("operator", "Operator"),
    ("maintenance", "Maintenance staff"),
    ("other", "Other"),
]


class ForkliftTrainingAttendee(models.Model):
    _name = "forklift.training.attendee"
    _description = "Forklift Training Attendee"
    _inherit = ["forklift.document.line.mixin"]
    _order = "training_id, id"
    # who attended is recorded before the training is marked held; then the
    # list is kept as it was
    _line_document_field = "training_id"
    _line_open_states = ("planned",)

    training_id = fields.Many2one(
        "forklift.training", required=True, ondelete="cascade", index=True
    )
    company_id = document_company("training_id", precompute=True)
    name = fields.Char(required=True)
    role = fields.Selection(ATTENDEE_ROLES, required=True, default="operator")
    attended = fields.Boolean(default=True)

    def _get_line_closed_message(self):
        return self.env._("%s is held or cancelled: its attendees no longer change.")

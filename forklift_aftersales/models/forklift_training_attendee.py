from odoo import api, fields, models
from odoo.exceptions import UserError

ATTENDEE_ROLES = [
    ("engineer", "Engineer"),
    ("operator", "Operator"),
    ("maintenance", "Maintenance staff"),
    ("other", "Other"),
]


class ForkliftTrainingAttendee(models.Model):
    _name = "forklift.training.attendee"
    _description = "Forklift Training Attendee"
    _inherit = ["forklift.flow.mixin"]
    _order = "training_id, id"

    training_id = fields.Many2one(
        "forklift.training", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="training_id.company_id", store=True, index=True, precompute=True
    )
    name = fields.Char(required=True)
    role = fields.Selection(ATTENDEE_ROLES, required=True, default="operator")
    attended = fields.Boolean(default=True)

    @api.model
    def _get_flow_fields(self):
        """An attendee takes the training's company, never his own."""
        return {"company_id"}

    @api.model
    def _get_fixed_fields(self):
        return super()._get_fixed_fields() | {"training_id"}

    def _check_training_planned(self, trainings):
        """Who attended is recorded before the training is marked held; then
        the list is kept as it was."""
        if self._is_flow_write():
            return
        for training in trainings:
            if training.state != "planned":
                raise UserError(
                    self.env._(
                        "%s is held or cancelled: its attendees no longer change.",
                        training.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        attendees = super().create(vals_list)
        self._check_training_planned(attendees.training_id)
        return attendees

    def write(self, vals):
        trainings = self.training_id
        res = super().write(vals)
        self._check_training_planned(trainings)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_while_training_planned(self):
        self._check_training_planned(self.training_id)

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import is_aftersales_model
from .forklift_flow_mixin import FLOW_MARK

# the activity types only the after-sales flow plans: the reminders of passed
# deadlines (``_cron_remind_overdue``) and the service center's requests for
# help (``_request_assistance``, R-132)
FLOW_ACTIVITY_TYPES = (
    "forklift_aftersales.mail_activity_type_deadline",
    "forklift_aftersales.mail_activity_type_assistance",
)
# where an activity is: the fields that move it to another document
LOCATION_FIELDS = ("res_model_id", "res_model", "res_id")


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        """Activities of the flow's own types are planned by the flow's steps
        only (R-132, 000 §5 deadlines): a "Deadline Passed" planted by a user
        would silence the reminder the scheduled job owes, and an assistance
        request made directly would skip who may ask, and on which sheet."""
        flow_types = self._get_flow_activity_types()
        if (
            flow_types
            and not FLOW_MARK.is_on(self.env)
            and any(
                vals.get("activity_type_id") in flow_types.ids for vals in vals_list
            )
        ):
            self._raise_flow_activity_type()
        activities = super().create(vals_list)
        if (
            flow_types
            and not FLOW_MARK.is_on(self.env)
            and activities.activity_type_id & flow_types
        ):
            # given by a default rather than by the caller; raising rolls the
            # creation back
            self._raise_flow_activity_type()
        return activities

    def write(self, vals):
        if not self.env.su and set(LOCATION_FIELDS) & set(vals):
            self._check_forklift_not_moved(vals)
        if not FLOW_MARK.is_on(self.env):
            self._check_flow_activity_write(vals)
        return super().write(vals)

    @api.model
    def _get_flow_activity_types(self):
        """The activity types only the after-sales flow plans."""
        types = self.env["mail.activity.type"]
        for xmlid in FLOW_ACTIVITY_TYPES:
            types |= self.env.ref(xmlid, raise_if_not_found=False) or types
        return types

    def _raise_flow_activity_type(self):
        raise AccessError(
            self.env._(
                "Deadline reminders are planned by the scheduled job and "
                "assistance requests by the Ask for Help button: no one plans "
                "them by hand."
            )
        )

    def _check_flow_activity_write(self, vals):
        """Nobody gives an activity one of the flow's types, nor rewrites the
        summary of one, which names the deadline it reminds (a reminder
        renamed after another deadline would silence that one), nor moves its
        due date: a reminder put off no longer shows late and the job plans no
        other (R-158..R-160), and the service center sets when the help it
        asks is due (R-132). Only the flow's steps, with its mark, set it."""
        flow_types = self._get_flow_activity_types()
        if not flow_types:
            return
        if vals.get("activity_type_id") in flow_types.ids and any(
            activity.activity_type_id.id != vals["activity_type_id"]
            for activity in self
        ):
            self._raise_flow_activity_type()
        if "summary" in vals and any(
            activity.activity_type_id in flow_types
            and (activity.summary or False) != (vals["summary"] or False)
            for activity in self
        ):
            raise AccessError(
                self.env._(
                    "The summary of a deadline reminder or an assistance "
                    "request says what it is about: it is kept as planned."
                )
            )
        if "date_deadline" in vals:
            due = fields.Date.to_date(vals["date_deadline"])
            if any(
                activity.activity_type_id in flow_types
                and activity.date_deadline != due
                for activity in self
            ):
                raise AccessError(
                    self.env._(
                        "The due date of a deadline reminder or an assistance "
                        "request is set by the after-sales flow: the reminder "
                        "stays late until it is done, and the help is due when "
                        "the service center asked it. Nobody moves it."
                    )
                )

    def _check_forklift_not_moved(self, vals):
        """Odoo checks, on a write, the document an activity is on, never the
        one it is moved to: moved onto an after-sales document, an activity
        would show that document's name and post its feedback and files there
        as superuser, for a user who may neither read nor write it (R-047).
        Activities are planned on the document they belong to; those on an
        after-sales document stay there, and none is moved onto one."""
        new_models = set()
        if "res_model_id" in vals:
            # sudo: the name of the model asked for, whoever asks
            model = (
                self.env["ir.model"].sudo().browse(vals["res_model_id"] or ()).exists()
            )
            new_models.add(model.model or False)
        if "res_model" in vals:
            new_models.add(vals["res_model"] or False)
        # sudo: where each activity is now, whoever asks
        for activity in self.sudo():
            old_model = activity.res_model or False
            targets = new_models or {old_model}
            moved = targets != {old_model} or (
                "res_id" in vals and (vals["res_id"] or 0) != (activity.res_id or 0)
            )
            if moved and (
                is_aftersales_model(old_model)
                or any(is_aftersales_model(model) for model in targets)
            ):
                raise AccessError(
                    self.env._(
                        "An activity stays on the document it was planned on: "
                        "none is moved onto or off an after-sales document. "
                        "Plan a new activity on the document instead."
                    )
                )

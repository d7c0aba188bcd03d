from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError

from ..tools import StepMark, is_aftersales_model, value_differs
from .forklift_flow_mixin import FLOW_MARK

# the mark of the steps that end or archive activities as their user: marking
# an activity done (its archive and feedback, once its closer is checked) and
# the flow documents' helpers ending their to-dos (``activity_feedback``,
# ``activity_unlink``, see mail_activity_mixin.py), which no client calls
ACTIVITY_STEP_MARK = StepMark("forklift_activity_step")
# the mark of the flow's steps planning their to-dos (``activity_schedule``,
# which Odoo marks ``automated`` and no client calls on an after-sales
# document, see mail_activity_mixin.py)
ACTIVITY_PLAN_MARK = StepMark("forklift_activity_plan")

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
        activities._check_flow_todo_planned()
        return activities

    def _check_flow_todo_planned(self):
        """A to-do of the after-sales flow (``automated``: only whoever it
        is given to ends it, ``_check_flow_todo_assignee``) is planned by
        the flow's steps only (``ACTIVITY_PLAN_MARK``): a user planting one
        with the summary of a committee member's, a director's or a signer's
        to-do would pass his own off as the flow's (R-057, R-130, R-246). Checked on
        the created activities: ``automated`` comes as a value or as a
        ``default_automated`` context key."""
        if self.env.su or ACTIVITY_PLAN_MARK.is_on(self.env):
            return
        if any(
            activity.automated and is_aftersales_model(activity.res_model)
            # sudo: what each activity is, whoever plans it
            for activity in self.sudo()
        ):
            raise AccessError(
                self.env._(
                    "The to-dos of the after-sales flow are planned by its "
                    "steps: an activity you plan is your own, not the flow's."
                )
            )

    def write(self, vals):
        if not self.env.su and set(LOCATION_FIELDS) & set(vals):
            self._check_forklift_not_moved(vals)
        if not self.env.su and "automated" in vals:
            self._check_flow_planning_kept(vals)
        if not FLOW_MARK.is_on(self.env):
            self._check_flow_activity_write(vals)
        self._check_flow_todo_assignee(vals)
        return super().write(vals)

    def unlink(self):
        # checked as the caller: Odoo deletes activities as superuser once it
        # has checked his rights (so an ondelete hook would see no caller)
        self._check_flow_activity_unlink()
        return super().unlink()

    def _check_flow_activity_unlink(self):
        """A deadline reminder or an assistance request is not deleted; a
        to-do the flow gave someone is deleted by him only
        (``_check_flow_todo_assignee``)."""
        if self.env.su or ACTIVITY_STEP_MARK.is_on(self.env):
            return
        if self.sudo().activity_type_id & self._get_flow_activity_types():
            raise AccessError(
                self.env._(
                    "A deadline reminder or an assistance request is not "
                    "deleted: it stays open until its person marks it done."
                )
            )
        self._check_flow_todo_assignee()

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking done archives the activity and writes its feedback: the
        closer is checked here, once (``_check_flow_todo_assignee``), and
        those writes then go through with the step's mark."""
        self._check_flow_todo_assignee()
        with ACTIVITY_STEP_MARK.running():
            return super()._action_done(
                feedback=feedback, attachment_ids=attachment_ids
            )

    def _get_flow_todos(self):
        """Those of these activities, as superuser, that the after-sales
        flow planned on an after-sales document: its own types, and what
        its steps plan through ``activity_schedule``, which Odoo marks
        ``automated`` (what a user plans in the activity form or the
        Schedule Activity dialog is not)."""
        flow_types = self._get_flow_activity_types()
        # sudo: what each activity is, whoever asks
        return self.sudo().filtered(
            lambda activity: (
                is_aftersales_model(activity.res_model)
                and (activity.automated or activity.activity_type_id in flow_types)
            )
        )

    def _check_flow_todo_assignee(self, vals=None):
        """A to-do the flow gave someone (a member's committee review, a
        department's analysis, a signature, the director's instructions, a
        deadline reminder) is his: nobody else marks it done, deletes,
        hands on, postpones, archives or rewrites it; core Odoo lets anyone
        who may write the document do so, or only read it where its
        ``_mail_post_access`` is ``read``. ``vals``: the write, whose
        unchanged values change nothing. A to-do the flow gives each member
        of a group is each member's too: marked done with one's own, or
        renamed after it, it would close another member's review or
        analysis unasked (R-246, R-051). The superuser and the steps' mark
        (``ACTIVITY_STEP_MARK``) pass: the flow's own steps end their
        to-dos, those of a group together where one member's step stands
        for all (one director's review, R-130)."""
        if self.env.su or ACTIVITY_STEP_MARK.is_on(self.env):
            return
        todos = self._get_flow_todos()
        if vals is not None:
            todos = todos.filtered(
                lambda activity: any(
                    value_differs(activity, name, value) for name, value in vals.items()
                )
            )
        user = self.env.user
        # one given to nobody in particular (none, or OdooBot's when its
        # document has no responsible) is the document's, as in core Odoo
        others = todos.filtered(
            lambda activity: (
                activity.user_id
                and activity.user_id.id != SUPERUSER_ID
                and activity.user_id != user
            )
        )
        if others:
            raise AccessError(
                self.env._(
                    "This activity was given to one person by the after-sales "
                    "flow: only they mark it done, delete it, hand it on, "
                    "postpone it or change it."
                )
            )

    def _check_flow_planning_kept(self, vals):
        """Whether an activity of an after-sales document was planned by the
        flow (``automated``) says who may end it: nobody turns a to-do of
        the flow into an ordinary one, nor the reverse."""
        if any(
            is_aftersales_model(activity.res_model)
            and activity.automated != bool(vals["automated"])
            # sudo: what each activity is, whoever asks
            for activity in self.sudo()
        ):
            raise AccessError(
                self.env._(
                    "Whether an activity of an after-sales document was planned "
                    "by the flow or by a user stays as it was created."
                )
            )

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
        if ("user_id" in vals or "active" in vals) and any(
            activity.activity_type_id in flow_types
            and (
                (
                    "user_id" in vals
                    and activity.user_id.id != (vals["user_id"] or False)
                )
                or (
                    "active" in vals
                    and activity.active != bool(vals["active"])
                    and not ACTIVITY_STEP_MARK.is_on(self.env)
                )
            )
            # sudo: who each is for, whoever asks
            for activity in self.sudo()
        ):
            raise AccessError(
                self.env._(
                    "A deadline reminder or an assistance request stays with the "
                    "person it was planned for, open until they mark it done: "
                    "nobody hands it on or archives it."
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

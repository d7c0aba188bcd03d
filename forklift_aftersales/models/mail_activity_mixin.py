from odoo import api, models

from ..tools import without_context_keys
from .mail_activity import ACTIVITY_PLAN_MARK, ACTIVITY_STEP_MARK

# the context key with which a caller skips the activities the automation plans
ACTIVITY_SKIP_KEY = "mail_activity_automation_skip"


class MailActivityMixin(models.AbstractModel):
    """The activities of a document that follows a flow are planned, ended
    and found whatever context the client sent: ``mail_activity_automation_skip``
    would let him take a step without the follow-up it asks of someone (the
    office supervisor's follow-up of a dealer's order, R-002) or leave a
    finished step's to-do open (R-005). Kept here, by the guard it completes:
    the flow mixin does not carry activities itself, and most documents list
    ``mail.activity.mixin`` before it."""

    _inherit = "mail.activity.mixin"

    def _with_flow_activities(self, step=False):
        """These records without the key that skips the automated
        activities, if they are a document that follows a flow; with
        ``step``, as the flow's step that ends its to-dos (``ACTIVITY_STEP_MARK``,
        see ``ForkliftFlowMixin``), whoever they were given to."""
        if not isinstance(self, self.pool["forklift.flow.mixin"]):
            return self
        records = without_context_keys(self, lambda key: key == ACTIVITY_SKIP_KEY)
        return ACTIVITY_STEP_MARK.set_on(records) if step else records

    def activity_search(self, *args, **kwargs):
        return super(MailActivityMixin, self._with_flow_activities()).activity_search(
            *args, **kwargs
        )

    def activity_schedule(self, *args, **kwargs):
        # the to-dos a step plans are the flow's (``automated``): planned
        # here only, which no client calls on a flow document (see below)
        with ACTIVITY_PLAN_MARK.running():
            activities = super(
                MailActivityMixin, self._with_flow_activities()
            ).activity_schedule(*args, **kwargs)
        return activities.with_env(self.env)

    def _activity_schedule_with_view(self, *args, **kwargs):
        return super(
            MailActivityMixin, self._with_flow_activities()
        )._activity_schedule_with_view(*args, **kwargs)

    def activity_reschedule(self, *args, **kwargs):
        return super(
            MailActivityMixin, self._with_flow_activities()
        ).activity_reschedule(*args, **kwargs)

    def activity_feedback(self, *args, **kwargs):
        return super(
            MailActivityMixin, self._with_flow_activities(step=True)
        ).activity_feedback(*args, **kwargs)

    def activity_unlink(self, *args, **kwargs):
        return super(
            MailActivityMixin, self._with_flow_activities(step=True)
        ).activity_unlink(*args, **kwargs)


class ForkliftFlowMixin(models.AbstractModel):
    """The helpers with which a document's steps end its to-dos, whoever
    they were given to (``activity_feedback``, ``activity_unlink``: one to-do
    per member of a group, closed by the step of the one who acted), are the
    server's on a document that follows a flow: no client calls them over
    RPC, where they would close or delete the to-dos of others that
    ``mail.activity`` keeps for their assignee. Nor does a client plan a
    to-do as the flow's (``activity_schedule`` marks it ``automated``): one
    of his own, named as a group's to-do, would close the others' with it.
    Odoo refuses a remote call of a method marked private anywhere in the
    model's classes; the web client plans a user's activities by creating
    them."""

    _inherit = "forklift.flow.mixin"

    @api.private
    def activity_schedule(self, *args, **kwargs):
        return super().activity_schedule(*args, **kwargs)

    @api.private
    def activity_feedback(self, *args, **kwargs):
        return super().activity_feedback(*args, **kwargs)

    @api.private
    def activity_unlink(self, *args, **kwargs):
        return super().activity_unlink(*args, **kwargs)

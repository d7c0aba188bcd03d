from odoo import models

from ..tools import without_context_keys

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

    def _with_flow_activities(self):
        """These records without the key that skips the automated
        activities, if they are a document that follows a flow."""
        if not isinstance(self, self.pool["forklift.flow.mixin"]):
            return self
        return without_context_keys(self, lambda key: key == ACTIVITY_SKIP_KEY)

    def activity_search(self, *args, **kwargs):
        return super(MailActivityMixin, self._with_flow_activities()).activity_search(
            *args, **kwargs
        )

    def activity_schedule(self, *args, **kwargs):
        return super(MailActivityMixin, self._with_flow_activities()).activity_schedule(
            *args, **kwargs
        )

    def _activity_schedule_with_view(self, *args, **kwargs):
        return super(
            MailActivityMixin, self._with_flow_activities()
        )._activity_schedule_with_view(*args, **kwargs)

    def activity_reschedule(self, *args, **kwargs):
        return super(
            MailActivityMixin, self._with_flow_activities()
        ).activity_reschedule(*args, **kwargs)

    def activity_feedback(self, *args, **kwargs):
        return super(MailActivityMixin, self._with_flow_activities()).activity_feedback(
            *args, **kwargs
        )

    def activity_unlink(self, *args, **kwargs):
        return super(MailActivityMixin, self._with_flow_activities()).activity_unlink(
            *args, **kwargs
        )

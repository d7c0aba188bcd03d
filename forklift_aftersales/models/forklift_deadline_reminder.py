from typing import NamedTuple

from odoo import api, models
from odoo.fields import Domain

from .forklift_flow_mixin import FLOW_MARK


class Reminder(NamedTuple):
    """One named deadline of a model, as the reminders follow it.

    ``domain`` finds the records whose deadline has passed; ``summary`` names
    the deadline (a string, or a function of the record when it names the
    record); ``users(record)`` are the people reminded, the record's
    responsible (``user_id``) by default; ``target(record)`` is
    the document the activity is put on, the record itself by default (a
    committee's late action is reminded on its review)."""

    domain: Domain
    summary: object
    users: object = None
    target: object = None


class ForkliftDeadlineReminder(models.AbstractModel):
    """Reminders of passed deadlines, the same for every document: each model
    declares its deadlines (``_get_overdue_reminders``) and one scheduled job
    puts a "Deadline" activity on each late document, once per document and
    deadline, for the people the model names."""

    _name = "forklift.deadline.reminder"
    _description = "Forklift Deadline Reminders"

    @api.model
    def _get_overdue_reminders(self):
        """The model's deadlines: a list of ``Reminder``."""
        return []

    @api.model
    def _cron_remind_all(self):
        """The one scheduled job: every model's passed deadlines."""
        names = self.env.registry.descendants([self._name], "_inherit")
        for name in names:
            model = self.env[name]
            if not model._abstract:
                model._cron_remind_overdue()

    @api.model
    def _cron_remind_overdue(self):
        activity_type = self.env.ref("forklift_aftersales.mail_activity_type_deadline")
        for reminder in self._get_overdue_reminders():
            records = self.search(reminder.domain)
            if not records:
                continue
            targets = {
                record: reminder.target(record) if reminder.target else record
                for record in records
            }
            reminded = {
                (activity.res_model, activity.res_id, activity.summary)
                for activity in self.env["mail.activity"].search(
                    [
                        ("res_model", "in", list({t._name for t in targets.values()})),
                        ("res_id", "in", [t.id for t in targets.values()]),
                        ("activity_type_id", "=", activity_type.id),
                    ]
                )
            }
            for record, target in targets.items():
                summary = (
                    reminder.summary(record)
                    if callable(reminder.summary)
                    else reminder.summary
                )
                if (target._name, target.id, summary) in reminded:
                    continue
                users = reminder.users(record) if reminder.users else record.user_id
                for user in users or self.env.user:
                    # the flow's mark: only this job plans "Deadline Passed"
                    # activities (mail.activity refuses them to anyone else)
                    FLOW_MARK.set_on(target).activity_schedule(
                        activity_type_id=activity_type.id,
                        summary=summary,
                        user_id=user.id,
                    )
                reminded.add((target._name, target.id, summary))
                record._on_overdue_reminded(summary)

    def _on_overdue_reminded(self, summary):
        """Hook: what else happens once ``self`` is reminded of a deadline."""

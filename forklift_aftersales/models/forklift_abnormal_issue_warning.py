from odoo import api, fields, models
from odoo.exceptions import UserError

from .forklift_document_fields import stamped


class ForkliftAbnormalIssue(models.Model):
    """Abnormal issues raised by the quality early-warning rules
    (000 §4.2.4, R-245): the rule, its window and the evidence, kept on the
    issue; a rule raises one issue per window."""

    _inherit = "forklift.abnormal.issue"

    warning_rule_id = stamped(
        fields.Many2one,
        "forklift.warning.rule",
        string="Early-Warning Rule",
        index="btree_not_null",
        ondelete="restrict",
    )
    warning_window_start = stamped(fields.Date, string="Window Start")
    warning_window_end = stamped(fields.Date, string="Window End")
    warning_value = stamped(fields.Float, string="Figure", digits=(16, 2))
    warning_failures = stamped(fields.Integer, string="Failures")
    warning_units = stamped(fields.Float, string="Units in Service", digits=(16, 1))
    warning_feedback_ids = stamped(
        fields.Many2many,
        "forklift.feedback",
        "forklift_abnormal_issue_warning_feedback_rel",
        "issue_id",
        "feedback_id",
        string="Failures in the Window",
    )

    _warning_window_uniq = models.Constraint(
        "unique(warning_rule_id, warning_window_start)",
        "An early-warning rule raises one abnormal issue per window.",
    )

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "warning_rule_id",
            "warning_window_start",
            "warning_window_end",
            "warning_value",
            "warning_failures",
            "warning_units",
            "warning_feedback_ids",
        }

    def _check_staff(self):
        """The daily evaluation of the early-warning rules submits the issues
        it raises as the service center would (000 §4.2.4)."""
        if self._is_flow_write():
            return
        super()._check_staff()

    def action_cancel(self):
        """An issue a rule raised is QA's warning for its window: cancelled,
        it would silence the rule until the window moves on (a rule raises
        once per window). It ends with its solution or the committee's
        decision; QA archives a rule that warns wrongly (000 §4.2.4, R-245)."""
        warned = self.filtered("warning_rule_id")
        if warned:
            raise UserError(
                self.env._(
                    "%(issue)s was raised by the early-warning rule %(rule)s: it "
                    "is not cancelled. Resolve it with its solution or submit it "
                    "to the committee; QA archives a rule that warns wrongly.",
                    issue=warned[0].name,
                    rule=warned[0].warning_rule_id.sudo().name,
                )
            )
        return super().action_cancel()

    def action_resolve(self):
        """The solution of an issue a rule raised answers QA's warning: it is
        written once the departments asked (R&D and QA) gave their analysis
        (000 §4.2.4, R-245)."""
        for issue in self.filtered("warning_rule_id"):
            waiting = issue.analysis_ids.filtered(lambda a: not a.answered_by_id)
            if waiting:
                raise UserError(
                    self.env._(
                        "%(issue)s was raised by the early-warning rule %(rule)s: "
                        "it is resolved once the %(departments)s analysis is "
                        "given.",
                        issue=issue.name,
                        rule=issue.warning_rule_id.sudo().name,
                        departments=", ".join(
                            waiting.mapped(lambda a: a._get_department_label())
                        ),
                    )
                )
        return super().action_resolve()

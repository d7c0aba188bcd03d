from odoo import api, fields, models


class ForkliftAbnormalIssue(models.Model):
    """Abnormal issues raised by the quality early-warning rules
    (000 §4.2.4, R-245): the rule, its window and the evidence, kept on the
    issue; a rule raises one issue per window."""

    _inherit = "forklift.abnormal.issue"

    warning_rule_id = fields.Many2one(
        "forklift.warning.rule",
        string="Early-Warning Rule",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    warning_window_start = fields.Date(string="Window Start", readonly=True, copy=False)
    warning_window_end = fields.Date(string="Window End", readonly=True, copy=False)
    warning_value = fields.Float(
        string="Figure", readonly=True, copy=False, digits=(16, 2)
    )
    warning_failures = fields.Integer(string="Failures", readonly=True, copy=False)
    warning_units = fields.Float(
        string="Units in Service", readonly=True, copy=False, digits=(16, 1)
    )
    warning_feedback_ids = fields.Many2many(
        "forklift.feedback",
        "forklift_abnormal_issue_warning_feedback_rel",
        "issue_id",
        "feedback_id",
        string="Failures in the Window",
        readonly=True,
        copy=False,
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

from odoo import api, fields, models

from ..models.forklift_document_fields import computed_editable, sheet_link
from ..models.forklift_feedback_assistance import ASSISTANCE_DEPARTMENTS


class ForkliftAssistanceRequest(models.TransientModel):
    """Asks a department for help with a feedback sheet (004 §4.5, R-132):
    the department, the person in it, the due date and what is needed. The
    sheet checks and schedules the request."""

    _name = "forklift.assistance.request"
    _inherit = ["forklift.wizard.mixin"]
    _description = "Ask a Department for Help"

    feedback_id = sheet_link(required=True)
    department = fields.Selection(ASSISTANCE_DEPARTMENTS, required=True)
    allowed_user_ids = fields.Many2many(
        "res.users", compute="_compute_allowed_user_ids"
    )
    user_id = computed_editable(
        fields.Many2one,
        "_compute_user_id",
        "res.users",
        string="Asked Of",
        required=True,
        precompute=True,
        domain="[('id', 'in', allowed_user_ids)]",
    )
    date_deadline = fields.Date(
        string="Due Date",
        required=True,
        default=lambda self: fields.Date.add(fields.Date.context_today(self), days=1),
    )
    note = fields.Text(string="Help Needed", required=True)

    @api.depends("department", "feedback_id")
    def _compute_allowed_user_ids(self):
        for wizard in self:
            wizard.allowed_user_ids = wizard._get_offered_users()

    @api.depends("department", "feedback_id")
    def _compute_user_id(self):
        for wizard in self:
            users = wizard._get_offered_users()
            if wizard.user_id not in users:
                wizard.user_id = users[:1]

    def _get_offered_users(self):
        """The department's members working in the sheet's company: one of
        another company may not read the sheet, and would be refused."""
        self.ensure_one()
        if not self.department:
            return self.env["res.users"]
        company = self.feedback_id.company_id or self.env.company
        return self.env["forklift.feedback"]._get_assistance_users(
            self.department, company
        )

    def action_confirm(self):
        self.ensure_one()
        self.feedback_id._request_assistance(
            self.department, self.user_id, self.date_deadline, self.note
        )
        return {"type": "ir.actions.act_window_close"}

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.forklift_aftersales.models.forklift_document_fields import (
    computed_editable,
    current_user,
)

DEPARTMENTS = [
    ("service_center", "Service Center"),
    ("rnd", "R&D"),
    ("production_planning", "Production Planning"),
    ("manufacturing", "Manufacturing"),
    ("purchasing", "Purchasing / Supply"),
    ("qa", "Quality (QA)"),
    ("materials", "Materials Management"),
    ("sales", "Sales Company"),
    ("other", "Other"),
]
ASSESSMENTS = [
    ("none", "No sanction"),
    ("notice", "Notice"),
    ("warning", "Warning"),
    ("penalty", "Penalty"),
]


class ForkliftResponsibilityTrace(models.Model):
    """Internal quality responsibility tracing and assessment (质量追溯和考核,
    R-019, R-075).

    000 §3.3: QA traces a feedback sheet's problem to the internal department
    and person responsible and records the assessment; reported by department,
    person and period (R-260).
    """

    _name = "forklift.responsibility.trace"
    _description = "Forklift Internal Responsibility Tracing"
    _inherit = [
        "mail.thread",
        "forklift.assessor.mixin",
        "forklift.feedback.record.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True

    fault_category_id = fields.Many2one(
        related="feedback_id.fault_category_id", store=True
    )
    date = fields.Date(
        string="Assessed On",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The day QA recorded the assessment, the period it counts in.",
    )
    department = fields.Selection(DEPARTMENTS, required=True, tracking=True)
    responsible_user_id = fields.Many2one(
        "res.users",
        string="Responsible Person",
        tracking=True,
        help="When the person responsible is an Odoo user.",
    )
    responsible_name = computed_editable(
        fields.Char, "_compute_responsible_name", string="Person", tracking=True
    )
    finding = fields.Text(required=True, help="What QA found and why it is theirs.")
    assessment = fields.Selection(
        ASSESSMENTS, required=True, default="none", tracking=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    penalty_amount = fields.Monetary(tracking=True)
    assessed_by_id = current_user(readonly=True)
    note = fields.Text(string="Assessment Note")

    @api.model
    def _get_flow_fields(self):
        """QA's assessor is whoever records the assessment, on the day the
        server records it, the period it counts in (R-260): never typed."""
        return super()._get_flow_fields() | {"assessed_by_id", "date"}

    @api.model
    def _get_fixed_fields(self):
        """An assessment is of one feedback sheet."""
        return super()._get_fixed_fields() | {"feedback_id"}

    @api.model_create_multi
    def create(self, vals_list):
        traces = super().create(vals_list)
        traces._check_tracing_duty()
        return traces

    def write(self, vals):
        # Odoo's access rights answer first: who may not write the traces
        # learns nothing of their market from the duty's refusal
        self.check_access("write")
        self._check_tracing_duty()
        return super().write(vals)

    def _check_tracing_duty(self):
        """QA traces and assesses (export: the department holding the tracing
        of the market, 000 第一篇 L25, A-07, R-270), whoever calls."""
        duties = self.env["forklift.duty.assignment"]
        # sudo: the sheets' market decides, whoever records
        for market, company in {(t.market, t.company_id) for t in self.sudo()}:
            duties._check_duty("tracing", market, company)

    @api.depends("feedback_id.name", "department")
    def _compute_display_name(self):
        labels = dict(self._fields["department"]._description_selection(self.env))
        for trace in self:
            trace.display_name = (
                f"{trace.feedback_id.name or ''} - {labels.get(trace.department, '')}"
            )

    @api.depends("responsible_user_id")
    def _compute_responsible_name(self):
        for trace in self:
            trace.responsible_name = (
                trace.responsible_user_id.name or trace.responsible_name
            )

    @api.constrains("assessment", "penalty_amount")
    def _check_penalty(self):
        for trace in self:
            if trace.penalty_amount < 0:
                raise ValidationError(self.env._("A penalty cannot be negative."))
            if trace.penalty_amount and trace.assessment != "penalty":
                raise ValidationError(
                    self.env._("Only a penalty assessment carries an amount.")
                )

from odoo import api, fields, models

from .res_partner import REGIONS

SEVERITIES = [
    ("normal", "Normal"),
    ("difficult", "Difficult question"),
    ("emergency", "Emergency repair"),
    ("major", "Major quality issue"),
]
WARRANTY_STATES = [
    ("none", "Not started"),
    ("in", "In warranty"),
    ("out", "Out of warranty"),
]


class ForkliftSlaPolicy(models.Model):
    """Response commitment: how fast the service center answers and how fast
    someone is on site (000 第四篇 §8, 004 §4.1–4.2).

    The first active policy, by sequence, whose criteria all match a feedback
    sheet gives its deadlines; an empty criterion matches anything.
    """

    _name = "forklift.sla.policy"
    _description = "Forklift Response Commitment"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    warranty_state = fields.Selection(
        [("in", "In warranty"), ("out", "Out of warranty")],
        help="Leave empty to apply in and out of warranty.",
    )
    severity = fields.Selection(
        SEVERITIES, help="Leave empty to apply to any severity."
    )
    region = fields.Selection(REGIONS, help="Leave empty to apply to any region.")
    answer_hours = fields.Float(
        string="Answer Within (hours)",
        required=True,
        help="Time from receiving the report to the first answer to the customer.",
    )
    onsite_hours = fields.Float(
        string="On Site Within (hours)",
        help="Time from receiving the report to a technician's arrival on site; "
        "0 means no on-site commitment.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    _answer_hours_positive = models.Constraint(
        "CHECK(answer_hours > 0 AND onsite_hours >= 0)",
        "Response times must be positive.",
    )

    @api.model
    def _find_policy(self, warranty_state, severity, region, company):
        """Return the first policy matching the given criteria (or an empty set)."""
        policies = self.search(
            [("company_id", "in", [company.id, False])], order="sequence, id"
        )
        for policy in policies:
            if policy.warranty_state and policy.warranty_state != warranty_state:
                continue
            if policy.severity and policy.severity != severity:
                continue
            if policy.region and policy.region != region:
                continue
            return policy
        return self.browse()

from odoo import api, fields, models
from odoo.exceptions import UserError

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
    _inherit = ["forklift.shared.setup.line.mixin"]
    _description = "Forklift Response Commitment"
    _order = "sequence, id"
    _check_company_auto = True

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
    commitment_id = fields.Many2one(
        "forklift.service.commitment",
        string="Service Commitment",
        ondelete="cascade",
        index="btree_not_null",
        check_company=True,
        help="A line of a customer's service commitment letter: it applies to "
        "that customer's forklifts only, before the general commitments.",
    )

    _answer_hours_positive = models.Constraint(
        "CHECK(answer_hours > 0 AND onsite_hours >= 0)",
        "Response times must be positive.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        policies._check_commitment_open()
        return policies

    def write(self, vals):
        # Odoo's rights first: the check below reads the letters as superuser
        # and names them in its refusal
        self.check_access("write")
        self._check_commitment_open()
        res = super().write(vals)
        if "commitment_id" in vals:
            self._check_commitment_open()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed_commitment(self):
        self._check_commitment_open()

    def _check_commitment_open(self):
        """The response times of a signed service commitment letter are what
        the customer was promised: they do not change (R-025)."""
        # sudo: the letter's state decides, whoever edits the line
        for policy in self.sudo().filtered("commitment_id"):
            if policy.commitment_id.state != "draft":
                raise UserError(
                    self.env._(
                        "%s is signed: its response times no longer change. Cancel "
                        "it and sign a new letter.",
                        policy.commitment_id.name,
                    )
                )

    @api.model
    def _get_candidates(self, companies, commitments):
        """The policies that may apply to sheets of ``companies`` whose
        forklifts have the service ``commitments``, in their order: the
        general ones and the lines of those letters, in one query."""
        return self.search(
            [
                ("company_id", "in", [*companies.ids, False]),
                ("commitment_id", "in", [*commitments.ids, False]),
            ],
            order="sequence, id",
        )

    @api.model
    def _find_policy(
        self,
        warranty_state,
        severity,
        region,
        company,
        commitment=None,
        at=None,
        chosen=None,
        candidates=None,
    ):
        """Return the first policy matching the given criteria (or an empty
        set): the lines of the customer's service commitment signed by ``at``
        first (R-025), then the general ones.

        ``chosen`` is the commitment chosen for the customer (R-173): it
        stands in for the general policies that do not name a severity (the
        zone policies), from the first of them on; a policy of the sheet's
        severity placed before, or a line of the signed letter, still applies.
        It is ignored when archived, of another company or of the other
        warranty state. ``candidates`` are the policies ``_get_candidates``
        read for a batch of sheets, so that the batch reads them once."""
        # sudo: the letter's state decides, whoever reports the problem
        letter = (commitment or self.env["forklift.service.commitment"]).sudo()
        chosen = (chosen or self.browse()).filtered(
            lambda p: (
                p.active
                and not p.severity
                and (not p.company_id or p.company_id == company)
                and (not p.warranty_state or p.warranty_state == warranty_state)
            )
        )[:1]
        active = letter._get_active(at)
        if candidates is None:
            candidates = self._get_candidates(company, active)
        policies = candidates.filtered(
            lambda p: (
                (not p.company_id or p.company_id == company)
                and (not p.commitment_id or p.commitment_id in active)
            )
        ).sorted(lambda p: not p.commitment_id)
        for policy in policies:
            if policy.warranty_state and policy.warranty_state != warranty_state:
                continue
            if policy.severity and policy.severity != severity:
                continue
            if chosen and not policy.severity and not policy.commitment_id:
                return chosen
            if policy.region and policy.region != region:
                continue
            return policy
        return chosen

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import company_members
from .forklift_unit import MARKETS

DUTIES = [
    ("tracing", "Quality tracing and assessment of departments"),
    ("claims", "Supplier quality claims"),
    ("assessment", "Assessment of the service center"),
    ("technical", "Technical, commissioning and process answers"),
    ("claim_support", "Help with supplier claims"),
]


class ForkliftDutyAssignment(models.Model):
    """Which department holds which duty of the procedure, per market
    (000 §3.3–3.5, 第一篇 L25–29, R-050, R-270, A-07).

    The domestic procedure gives tracing, supplier claims and the assessment
    of the service center to QA, technical answers to R&D and the help with
    claims to supply; the export procedure gives the first four to the
    after-sales parts department and the help to purchasing. The routing asks
    this table who gets a question or a claim, and who may act on it.
    """

    _name = "forklift.duty.assignment"
    _inherit = ["forklift.shared.setup.mixin"]
    _description = "Forklift After-Sales Duty of a Department"
    _order = "duty, market, company_id"

    duty = fields.Selection(DUTIES, required=True)
    market = fields.Selection(MARKETS, required=True, default="domestic")
    group_id = fields.Many2one(
        "res.groups",
        string="Department",
        required=True,
        ondelete="restrict",
        help="The user group of the department: its members get the duty's "
        "to-dos and may act on it.",
    )
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty for every company; a line of a company replaces it "
        "for that company.",
    )
    note = fields.Char(help="Where the procedure says so.")

    @api.constrains("duty", "market", "company_id")
    def _check_one_department_per_duty(self):
        for line in self:
            clashes = self.search_count(
                [
                    ("id", "!=", line.id),
                    ("duty", "=", line.duty),
                    ("market", "=", line.market),
                    ("company_id", "=", line.company_id.id),
                ]
            )
            if clashes:
                raise ValidationError(
                    self.env._(
                        "One department holds %(duty)s for the %(market)s market.",
                        duty=dict(
                            self._fields["duty"]._description_selection(self.env)
                        )[line.duty],
                        market=dict(
                            self._fields["market"]._description_selection(self.env)
                        )[line.market],
                    )
                )

    @api.constrains("group_id")
    def _check_not_the_service_center(self):
        """The duties check, assess, answer or claim on the service center's
        work: they go to another department than the service center, whose
        staff would otherwise judge their own work (R-049, as the committee
        seats refuse the like, R-248)."""
        service_center = self.env.ref("forklift_aftersales.group_forklift_user")
        for line in self:
            # sudo: the groups a department implies, whoever edits the line
            if service_center in line.group_id.sudo().all_implied_ids:
                raise ValidationError(
                    self.env._(
                        "%(department)s is or includes the service center's "
                        "staff: the duty %(duty)s goes to another department, "
                        "so that nobody checks or assesses their own work.",
                        department=line.group_id.display_name,
                        duty=dict(
                            self._fields["duty"]._description_selection(self.env)
                        )[line.duty],
                    )
                )

    @api.model
    def _get_department(self, duty, market, company=None):
        """The group holding ``duty`` for ``market`` in ``company`` (its own
        line, else the line for every company)."""
        company = company or self.env.company
        # sudo: the routing reads the table for whoever asks or acts
        lines = self.sudo().search(
            [
                ("duty", "=", duty),
                ("market", "=", market or "domestic"),
                ("company_id", "in", [company.id, False]),
            ]
        )
        line = lines.filtered("company_id")[:1] or lines[:1]
        if not line:
            raise UserError(
                self.env._(
                    "No department holds the duty %(duty)s for the %(market)s "
                    "market: set it in After-Sales ‣ Configuration ‣ Duties of "
                    "Departments.",
                    duty=dict(self._fields["duty"]._description_selection(self.env))[
                        duty
                    ],
                    market=dict(
                        self._fields["market"]._description_selection(self.env)
                    )[market or "domestic"],
                )
            )
        return line.group_id

    @api.model
    def _get_duty_users(self, duty, market, company=None):
        """The active internal users of the department holding the duty who
        work in ``company`` (the current one by default, R-073, R-256)."""
        group = self._get_department(duty, market, company)
        return company_members(group, company or self.env.company)

    @api.model
    def _user_has_duty(self, duty, market, company=None, user=None):
        user = user or self.env.user
        group = self._get_department(duty, market, company)
        # sudo: the user's own groups, implied ones included
        return group in user.sudo().all_group_ids

    @api.model
    def _check_duty(self, duty, market, company=None):
        """Refuse the step to a user outside the department holding the duty
        for the market, whoever calls."""
        if self.env.su:
            return
        if not self._user_has_duty(duty, market, company):
            group = self._get_department(duty, market, company)
            raise AccessError(
                self.env._(
                    "Only %(department)s acts on this (%(duty)s, %(market)s market).",
                    department=group.sudo().name,
                    duty=dict(self._fields["duty"]._description_selection(self.env))[
                        duty
                    ],
                    market=dict(
                        self._fields["market"]._description_selection(self.env)
                    )[market or "domestic"],
                )
            )

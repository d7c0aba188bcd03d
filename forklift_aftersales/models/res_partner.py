from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import (
    aftersales_record_naming,
    assign_counts,
    company_members,
    related_action,
    with_defaults,
)

REGIONS = [
    ("local", "Local (near a service point)"),
    ("province", "Same province"),
    ("domestic", "Rest of the country"),
    ("remote", "Remote area"),
]


# Who is a dealer, whether it can repair, which office supervises it and
# which territory it serves decide what its portal users see, what it may
# apply for and where its mail opens sheets: set by after-sales staff only.
DEALER_FIELDS = (
    "is_forklift_dealer",
    "forklift_has_service_staff",
    "forklift_supervisor_id",
    "forklift_territory_state_ids",
)
# The member of the service center making a customer's follow-up calls is
# the service center's to name: set by after-sales staff only.
CARE_FIELDS = ("forklift_followup_user_id",)
# A customer's zone and commitment choose the response deadlines of his
# sheets: configuration of the service center director's
# as the policies themselves.
COMMITMENT_FIELDS = ("forklift_region", "forklift_sla_policy_id")
# The office director governing a dealer alone confirms its warranty parts
# applications and signs the return of its forklifts (000 §4.2.2.3, §4.4.1):
# named by the service center director only.
OFFICE_DIRECTOR_FIELDS = ("forklift_office_director_id",)
OFFICE_DIRECTOR_GROUP = "forklift_aftersales.group_forklift_office_director"


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_forklift_dealer = fields.Boolean(
        string="Forklift Dealer",
        help="Dealer or agent serving forklift customers in its territory; it "
        "receives service orders and sees its own sheets on the portal.",
    )
    forklift_has_service_staff = fields.Boolean(
        string="Service-Capable Dealer",
        help="The dealer has its own after-sales technicians: it may apply for "
        "warranty parts (000 §4.3.1.3, R-091), and its overseas customers are "
        "served on site at once instead of by remote support first "
        "(000 第一篇 §5).",
    )
    forklift_supervisor_id = fields.Many2one(
        "res.users",
        string="Office Supervisor",
        help="Supervisor of the sales office in charge of this dealer: follows the "
        "service orders sent to it (000 §4.2.2.1).",
    )
    forklift_office_director_id = fields.Many2one(
        "res.users",
        string="Office Director",
        domain=lambda self: [
            ("all_group_ids", "in", self.env.ref(OFFICE_DIRECTOR_GROUP).ids),
            ("share", "=", False),
        ],
        help="Director of the company's sales office governing this dealer: he "
        "alone confirms its warranty parts applications and signs the return "
        "of its forklifts (000 §4.2.2.3, §4.4.1). Named by the service center "
        "director.",
    )
    forklift_territory_state_ids = fields.Many2many(
        "res.country.state",
        "res_partner_forklift_territory_rel",
        "partner_id",
        "state_id",
        string="Served Territory",
        help="States or provinces this dealer is responsible for: a feedback "
        "sheet whose forklift has no dealer goes to the dealer serving its "
        "customer's state (000 §4.2.2.1, R-081).",
    )
    forklift_region = fields.Selection(
        REGIONS,
        string="Service Region",
        help="Distance zone used by the response commitments: arrival within 4 h "
        "locally, 12 h in the same province, 24 h in the rest of the country, 5 "
        "days in remote areas (004 §4.2, A-19).",
    )
    forklift_sla_policy_id = fields.Many2one(
        "forklift.sla.policy",
        string="Response Commitment",
        domain=[("severity", "=", False)],
        help="The commitment chosen for this customer (a contract's, the 12 h "
        "zone, the 5-day remote area...): its sheets follow it instead of the "
        "commitment of its service region. Emergencies, major faults and "
        "difficult questions keep their own. Set by the service-center director.",
    )
    forklift_unit_ids = fields.One2many(
        "forklift.unit", "partner_id", string="Forklifts"
    )
    forklift_feedback_ids = fields.One2many(
        "forklift.feedback", "partner_id", string="After-Sales Feedback Sheets"
    )
    forklift_training_ids = fields.One2many(
        "forklift.training", "partner_id", string="Forklift Trainings"
    )
    forklift_unit_count = fields.Integer(compute="_compute_forklift_counts")
    forklift_training_count = fields.Integer(compute="_compute_forklift_counts")
    forklift_feedback_count = fields.Integer(compute="_compute_forklift_counts")

    # Customer archive (客户档案, R-026): calls, letters and satisfaction of the
    # customer next to its forklifts and feedback sheets (000 第五篇 (二)1).
    forklift_followup_user_id = fields.Many2one(
        "res.users",
        string="Follow-Up Staff",
        help="Service center member who makes this customer's follow-up calls "
        "(000 第五篇 (三)1).",
    )
    forklift_call_ids = fields.One2many(
        "forklift.followup.call", "partner_id", string="Follow-Up Calls"
    )
    forklift_letter_ids = fields.One2many(
        "forklift.care.letter", "partner_id", string="Follow-Up Letters"
    )
    forklift_survey_ids = fields.One2many(
        "forklift.satisfaction.survey", "partner_id", string="Satisfaction Surveys"
    )
    forklift_call_count = fields.Integer(compute="_compute_forklift_care")
    forklift_letter_count = fields.Integer(compute="_compute_forklift_care")
    forklift_survey_count = fields.Integer(compute="_compute_forklift_care")
    forklift_satisfaction = fields.Float(
        string="Average Satisfaction",
        compute="_compute_forklift_care",
        digits=(2, 1),
        help="Average overall rating (1 to 5) of the answered surveys.",
    )

    @api.model
    def get_import_templates(self):
        return super().get_import_templates() + [
            {
                "label": self.env._(
                    "Import Template for Forklift Dealers and Customers"
                ),
                "template": "/forklift_aftersales/static/xls/"
                "forklift_partners_import_template.xlsx",
            }
        ]

    def _get_forklift_territory_dealer(self, company=None):
        """The dealer responsible for this customer's state, when exactly one
        dealer serves it (R-081); none when several do: the service center
        chooses."""
        self.ensure_one()
        state = self.state_id or self.commercial_partner_id.state_id
        if not state:
            return self.browse()
        company = company or self.env.company
        # sudo: which dealer serves the state, whoever files the sheet; only
        # its id is used
        dealers = (
            self.sudo()
            .search(
                [
                    ("is_forklift_dealer", "=", True),
                    ("forklift_territory_state_ids", "in", state.ids),
                    ("company_id", "in", [False, company.id]),
                ],
                limit=2,
            )
            .with_env(self.env)
        )
        return dealers if len(dealers) == 1 else self.browse()

    @api.model
    def _get_forklift_group_partners(self, *group_xmlids, companies):
        """The partners of the members of the groups ``group_xmlids`` who
        work in ``companies`` (the documents'), told of a document's step: a
        member of another company would be mailed about a document he may
        not read."""
        groups = self.env["res.groups"]
        for xmlid in group_xmlids:
            groups |= self.env.ref(xmlid)
        return company_members(groups, companies).partner_id

    def _may_set_forklift_dealer(self):
        return self.env.su or self.env.user.has_group(
            "forklift_aftersales.group_forklift_user"
        )

    def _raise_forklift_dealer(self):
        raise AccessError(
            self.env._(
                "Only after-sales staff make a partner a forklift dealer or name "
                "its office supervisor."
            )
        )

    def _may_set_forklift_office_director(self):
        return self.env.su or self.env.user.has_group(
            "forklift_aftersales.group_forklift_director"
        )

    def _raise_forklift_office_director(self):
        raise AccessError(
            self.env._(
                "Only the service center director names the office director "
                "governing a forklift dealer: he confirms its warranty parts "
                "applications and signs the return of its forklifts."
            )
        )

    def _get_forklift_office_director(self):
        """The director of the sales office governing this dealer (its
        company's), who alone confirms its warranty parts applications and
        signs the return of its forklifts (000 §4.2.2.3, §4.4.1, R-196,
        R-205); none when he is not named, archived or no longer an office
        director."""
        self.ensure_one()
        # sudo: who governs the dealer decides, whoever asks
        director = self.sudo().commercial_partner_id.forklift_office_director_id
        if not (director.active and director.has_group(OFFICE_DIRECTOR_GROUP)):
            return self.env["res.users"]
        return director.with_env(self.env)

    def _check_forklift_office_director(self):
        """The office director governing this dealer
        (``_get_forklift_office_director``). Refused when there is none: the
        office step would otherwise wait for nobody, and letting any office
        director take it would let the director of another office approve
        for a dealer he does not govern."""
        director = self._get_forklift_office_director()
        if not director:
            raise UserError(
                self.env._(
                    "%s has no office director: the service center director "
                    "names the director of the sales office governing it on "
                    "the dealer's form first.",
                    self.sudo().commercial_partner_id.display_name,
                )
            )
        return director

    def _check_forklift_dealer_of(self, record):
        """Refused unless this partner, named the dealer of ``record`` (a
        forklift, a service order, a commitment letter), is a forklift
        dealer: an import names the dealer by name, and a customer's name
        there is refused rather than taken for a dealer; the portal rules open
        the record to the dealer it names (R-025, R-055, 000 §4.2.2.1)."""
        if self and not self.is_forklift_dealer:
            raise ValidationError(
                self.env._(
                    "%(partner)s is not a forklift dealer: it cannot be the "
                    "dealer of %(record)s.",
                    partner=self.display_name,
                    record=record.display_name,
                )
            )

    def _forklift_dealers(self):
        """The forklift dealers among these partners."""
        # sudo: whether the partner is a dealer, as stored
        return self.sudo().filtered("is_forklift_dealer").with_env(self.env)

    def _raise_forklift_dealer_removal(self):
        raise AccessError(
            self.env._(
                "Only after-sales staff archive, restore, delete or merge a "
                "forklift dealer: the sheets of its territory go with it."
            )
        )

    def _raise_forklift_commitment(self):
        raise AccessError(
            self.env._(
                "Only the service-center director chooses a customer's service "
                "region and response commitment: they set the response deadlines "
                "of his sheets."
            )
        )

    def _raise_forklift_care(self):
        raise AccessError(
            self.env._("Only after-sales staff name a customer's follow-up staff.")
        )

    def _forklift_fields_change(self, vals, names):
        """Whether ``vals`` changes one of the fields ``names`` of one of these
        partners."""
        for partner in self:
            for name in names:
                if name not in vals:
                    continue
                field = self._fields[name]
                new = field.convert_to_record(
                    field.convert_to_cache(vals[name], partner), partner
                )
                # sudo: comparing with the stored value only
                if new != partner.sudo()[name]:
                    return True
        return False

    def _check_forklift_company_tz(self, vals):
        """The time zone of a company's address is the company's: the day
        the server records each step in and when the deadlines counted in
        days end (R-288, R-103, R-166, R-167). Only who manages the companies
        changes it, not whoever may edit contacts."""
        if self.env.su or self.env.user.has_group("base.group_erp_manager"):
            return
        # sudo: which companies these partners are the address of, archived
        # ones included, whoever edits them; the companies' ids are kept in
        # the registry's cache, as the deadlines read them
        Company = self.env["res.company"].sudo()
        partner_ids = set(self.ids)
        companies = Company.browse(Company._forklift_all_company_ids()).filtered(
            lambda company: company.partner_id.id in partner_ids
        )
        changed = companies.partner_id.with_env(self.env)
        if changed._forklift_fields_change(vals, ("tz",)):
            raise AccessError(
                self.env._(
                    "The time zone of %(company)s sets the day each after-sales "
                    "step is recorded on and when its deadlines end: only an "
                    "administrator changes it.",
                    company=companies[:1].name,
                )
            )

    @api.constrains("forklift_followup_user_id")
    def _check_forklift_followup_user(self):
        """The follow-up calls are the service center's (000 第五篇 (三)1)."""
        for partner in self.filtered("forklift_followup_user_id"):
            # sudo: the caller's groups, whoever names him
            if not partner.forklift_followup_user_id.sudo().has_group(
                "forklift_aftersales.group_forklift_user"
            ):
                raise ValidationError(
                    self.env._(
                        "%s is not of the service center: its members make the "
                        "follow-up calls.",
                        partner.forklift_followup_user_id.sudo().name,
                    )
                )

    @api.constrains("forklift_office_director_id")
    def _check_forklift_office_director_group(self):
        """The office director named is one (000 §4.2.2.3)."""
        for partner in self.filtered("forklift_office_director_id"):
            # sudo: the director's groups, whoever names him
            director = partner.forklift_office_director_id.sudo()
            if director.share or not director.has_group(OFFICE_DIRECTOR_GROUP):
                raise ValidationError(
                    self.env._(
                        "%s is not an office director: choose the director of "
                        "the sales office governing the dealer.",
                        director.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._may_set_forklift_office_director():
            director_fields = (*OFFICE_DIRECTOR_FIELDS, *COMMITMENT_FIELDS)
            given = with_defaults(self, vals_list, director_fields)
            if any(vals.get(name) for vals in given for name in OFFICE_DIRECTOR_FIELDS):
                self._raise_forklift_office_director()
            if any(vals.get(name) for vals in given for name in COMMITMENT_FIELDS):
                self._raise_forklift_commitment()
        if not self._may_set_forklift_dealer():
            given = with_defaults(self, vals_list, (*DEALER_FIELDS, *CARE_FIELDS))
            if any(vals.get(name) for vals in given for name in DEALER_FIELDS):
                self._raise_forklift_dealer()
            if any(vals.get(name) for vals in given for name in CARE_FIELDS):
                self._raise_forklift_care()
        return super().create(vals_list)

    def write(self, vals):
        if (
            any(name in vals for name in (*OFFICE_DIRECTOR_FIELDS, *COMMITMENT_FIELDS))
            and not self._may_set_forklift_office_director()
        ):
            if self._forklift_fields_change(vals, OFFICE_DIRECTOR_FIELDS):
                self._raise_forklift_office_director()
            if self._forklift_fields_change(vals, COMMITMENT_FIELDS):
                self._raise_forklift_commitment()
        if (
            any(name in vals for name in (*CARE_FIELDS, *DEALER_FIELDS, "active"))
            and not self._may_set_forklift_dealer()
        ):
            if self._forklift_fields_change(vals, CARE_FIELDS):
                self._raise_forklift_care()
            if self._forklift_fields_change(vals, DEALER_FIELDS):
                self._raise_forklift_dealer()
            # an archived dealer serves no territory: the other dealer of its
            # states would receive their sheets; restored, it takes
            # them back
            if self._forklift_dealers()._forklift_fields_change(vals, ("active",)):
                self._raise_forklift_dealer_removal()
        if "tz" in vals:
            self._check_forklift_company_tz(vals)
        if "parent_id" in vals and not self.env.su:
            # sudo: whether the contacts have a login, whoever moves them
            with_login = self.filtered(
                lambda partner: partner.sudo().with_context(active_test=False).user_ids
            )
            if with_login._forklift_fields_change(vals, ("parent_id",)):
                # the company it leaves, and the one it joins
                with_login._check_forklift_portal_access()
                self.browse(vals["parent_id"] or ())._check_forklift_portal_access()
        res = super().write(vals)
        if "forklift_office_director_id" in vals:
            self.env["tier.review"]._forklift_recompute_office_reviewers()
        return res

    def _check_forklift_portal_access(self):
        """A login of a contact of a forklift dealer reads the dealer's
        sheets, orders and customers on the portal (R-055): Odoo lets a
        partner manager grant portal access and move contacts between
        companies, so a login of his choosing would read them. Given, and
        moved into or out of a dealer, by after-sales staff only (R-081).
        ``self`` are the contacts; their company decides."""
        if self.env.su:
            return
        # sudo: the company the contacts work for, as stored
        companies = self.sudo().commercial_partner_id
        if companies.filtered("is_forklift_dealer") and not (
            self._may_set_forklift_dealer()
        ):
            raise AccessError(
                self.env._(
                    "Only after-sales staff give a contact of a forklift dealer a "
                    "portal login, or move a contact with a login into or out of a "
                    "dealer: the login reads the dealer's documents."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_forklift_record(self):
        """A customer, dealer or contact an after-sales record names stays:
        the record would lose it (customer archive R-026, R-001, R-082). A
        dealer is removed by after-sales staff only: the other dealer of its
        states would receive their sheets (R-081)."""
        self._check_forklift_partner_removal()

    def _check_forklift_partner_removal(self, merge=False):
        """These contacts are deleted, or (``merge``) merged into another
        contact, which deletes them: a dealer by after-sales staff only, and
        none an after-sales record names (see
        ``_unlink_except_forklift_record``)."""
        if self._forklift_dealers() and not self._may_set_forklift_dealer():
            self._raise_forklift_dealer_removal()
        kept = aftersales_record_naming(self)
        if not kept:
            return
        partner, model = kept
        names = {"partner": partner.display_name, "record": model._description}
        if merge:
            raise UserError(
                self.env._(
                    "%(partner)s cannot be merged into another contact: a "
                    "record of type %(record)s names it.",
                    **names,
                )
            )
        raise UserError(
            self.env._(
                "%(partner)s cannot be deleted: a record of type "
                "%(record)s names it. Archive it instead.",
                **names,
            )
        )

    def _compute_forklift_counts(self):
        assign_counts(
            self,
            forklift_unit_count=("forklift.unit", "partner_id"),
            forklift_feedback_count=("forklift.feedback", "partner_id"),
            forklift_training_count=("forklift.training", "partner_id"),
        )

    def action_view_forklift_units(self):
        return self._forklift_care_action("forklift_aftersales.forklift_unit_action")

    def action_view_forklift_feedback_sheets(self):
        return self._forklift_care_action(
            "forklift_aftersales.forklift_feedback_action"
        )

    def action_view_forklift_trainings(self):
        return self._forklift_care_action(
            "forklift_aftersales.forklift_training_action"
        )

    def _compute_forklift_care(self):
        assign_counts(
            self,
            forklift_call_count=("forklift.followup.call", "partner_id"),
            forklift_letter_count=("forklift.care.letter", "partner_id"),
            forklift_survey_count=("forklift.satisfaction.survey", "partner_id"),
        )
        ratings = {
            partner: score
            for partner, score in self.env["forklift.satisfaction.survey"]._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "answered")],
                ["partner_id"],
                ["rating_score:avg"],
            )
        }
        for partner in self:
            partner.forklift_satisfaction = ratings.get(partner, 0.0)

    def _forklift_care_action(self, xmlid):
        return related_action(self, xmlid, "partner_id")

    def action_view_forklift_calls(self):
        return self._forklift_care_action(
            "forklift_aftersales.forklift_followup_call_action"
        )

    def action_view_forklift_letters(self):
        return self._forklift_care_action(
            "forklift_aftersales.forklift_care_letter_action"
        )

    def action_view_forklift_surveys(self):
        return self._forklift_care_action(
            "forklift_aftersales.forklift_satisfaction_survey_action"
        )

    def _is_forklift_vendor_of(self, company):
        """Whether this partner is a vendor of ``company``: it has a vendor
        rank (purchases or bills) or a vendor price line of the company or
        shared. An addon that knows other ways of buying from a partner (a
        quality agreement) extends it."""
        self.ensure_one()
        return self.supplier_rank > 0 or bool(
            self.env["product.supplierinfo"].search_count(
                [
                    ("partner_id", "=", self.id),
                    ("company_id", "in", [company.id, False]),
                ],
                limit=1,
            )
        )

    def _is_forklift_supplier_company_of(self, company):
        """Whether this partner may be named as a supplier of ``company``: an
        active company, shared or of ``company``, that ``company`` buys from
        (``_is_forklift_vendor_of``): a sheet's supplier at fault, as QA
        corrects it, and a quality claim's supplier. Never a customer company
        nor a person, so that claims, credit notes and statistics never land
        on them (000 §3.3, §4.2.3; R-049, R-224, R-256). The caller reads the
        partner with sudo: the vendor price lines are purchasing's."""
        self.ensure_one()
        return bool(
            self.active
            and self.is_company
            and self.company_id in (company, company.browse())
            and self._is_forklift_vendor_of(company)
        )

    def signup_prepare(self, signup_type="signup"):
        """Write the signup type only where it changes. Every mail about a
        feedback sheet or service order asks for its customer's signup link,
        and rewriting the same value locks the customer's row: concurrent
        dispatches for one customer then fail and retry."""
        partners = self.filtered(lambda partner: partner.signup_type != signup_type)
        return super(ResPartner, partners).signup_prepare(signup_type=signup_type)

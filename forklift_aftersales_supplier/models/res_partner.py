from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.forklift_aftersales.tools import (
    assign_counts,
    list_action,
    related_action,
    with_defaults,
)

# What qualifies a supplier to be sent its failures: recorded
# by QA or purchasing, tracked.
QUALIFICATION_FIELDS = {
    "forklift_quality_agreement",
    "forklift_quality_agreement_date",
    "forklift_service_capable",
    "forklift_service_contact_id",
}
QUALIFICATION_GROUPS = (
    "forklift_aftersales.group_forklift_qa",
    "forklift_aftersales.group_forklift_purchasing",
    "forklift_aftersales.group_forklift_director",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    forklift_quality_agreement = fields.Char(
        string="Quality Agreement",
        tracking=True,
        help="Reference of the quality agreement (质量协议) signed with this "
        "supplier (000 §4.1.3).",
    )
    forklift_quality_agreement_date = fields.Date(
        string="Quality Agreement Date", tracking=True
    )
    forklift_service_capable = fields.Boolean(
        string="Serves On Site",
        tracking=True,
        help="The supplier has an after-sales department able to send its own "
        "technicians to the customer (000 §4.2.3.1).",
    )
    forklift_can_serve = fields.Boolean(
        string="Handles Its Failures",
        compute="_compute_forklift_can_serve",
        store=True,
        help="With a quality agreement and service capability, the supplier is "
        "sent the failures caused by its parts (R-021, R-085).",
    )
    forklift_service_contact_id = fields.Many2one(
        "res.partner",
        string="After-Sales Contact",
        domain="[('parent_id', '=', id)]",
        help="The supplier's after-sales department: receives the service contact "
        "letters (000 §4.2.3.2).",
    )
    forklift_supplier_letter_ids = fields.One2many(
        "forklift.supplier.letter", "supplier_id", string="Service Contact Letters"
    )
    forklift_quality_claim_ids = fields.One2many(
        "forklift.quality.claim", "supplier_id", string="Quality Claims"
    )
    forklift_supplier_letter_count = fields.Integer(
        compute="_compute_forklift_supplier_counts"
    )
    forklift_quality_claim_count = fields.Integer(
        compute="_compute_forklift_supplier_counts"
    )

    def _may_record_forklift_qualification(self):
        """Whether the user records suppliers' quality agreements: QA or
        purchasing (R-021, R-085)."""
        return self.env.su or any(
            self.env.user.has_group(group) for group in QUALIFICATION_GROUPS
        )

    def _check_forklift_qualification_rights(self, vals):
        if set(vals) & QUALIFICATION_FIELDS and not (
            self._may_record_forklift_qualification()
        ):
            raise AccessError(
                self.env._(
                    "A supplier's quality agreement and service capability are "
                    "recorded by QA or purchasing."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in with_defaults(self, vals_list, QUALIFICATION_FIELDS):
            self._check_forklift_qualification_rights(
                {name for name in vals if vals[name]}
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_forklift_qualification_rights(vals)
        if vals.get("forklift_quality_agreement") and not self.env.su:
            self._check_forklift_logins_before_agreement()
        if "active" in vals:
            self._check_forklift_qualified_archive(vals["active"])
        return super().write(vals)

    def _check_forklift_qualified_archive(self, active):
        """A supplier with a quality agreement is archived or restored by QA
        or purchasing, who record the agreement: archived by another contact
        editor, no quality claim could be opened against it, nor a sheet
        name it as the supplier at fault (R-021, R-224). Odoo's access
        rights answer first: a user who may not edit the partners (another
        supplier's portal login) learns nothing of them from the refusal."""
        if self._may_record_forklift_qualification():
            return
        self.check_access("write")
        # sudo: whether the partner is a qualified supplier, as stored
        qualified = self.sudo().filtered(
            lambda partner: (
                partner.forklift_quality_agreement and partner.active != bool(active)
            )
        )
        if qualified:
            raise AccessError(
                self.env._(
                    "%s has a quality agreement: QA or purchasing archive or "
                    "restore it.",
                    qualified[0].display_name,
                )
            )

    def _check_forklift_portal_access(self):
        """A login of a contact of an after-sales supplier reads its service
        contact letters and quality claims on the portal (R-056, R-086):
        given, and moved into or out of such a supplier, by QA or purchasing
        only, who record the agreement. ``self`` are the contacts; their
        company decides."""
        super()._check_forklift_portal_access()
        if self._may_record_forklift_qualification():
            return
        # sudo: the company the contacts work for, its agreement, letters and
        # claims, as stored, of every company
        served = self.sudo().commercial_partner_id._forklift_aftersales_suppliers()
        if served:
            raise AccessError(
                self.env._(
                    "%s is an after-sales supplier: QA or purchasing give its "
                    "contacts a portal login, or move a contact with a login "
                    "into or out of it: the login reads its letters and claims.",
                    served[0].display_name,
                )
            )

    def _check_forklift_logins_before_agreement(self):
        """QA or purchasing record the quality agreement of these partners:
        their contacts' portal logins then read the supplier's service
        contact letters (R-021, R-056, R-086). A login given while the
        partner was no after-sales supplier (no agreement, letter nor claim)
        was given by whoever manages contacts, not by QA or purchasing
        (``_check_forklift_portal_access``): the agreement waits until these
        logins are revoked, and QA or purchasing give them again."""
        self._check_forklift_logins_given_before(
            self.env._(
                "%(supplier)s: %(contacts)s hold a portal login given "
                "before its quality agreement, by whoever manages "
                "contacts; with the agreement the login would read its "
                "service contact letters. Revoke these logins with the "
                "portal wizard, record the agreement, then give the "
                "supplier's contacts their logins again."
            )
        )

    def _check_forklift_logins_before_claim(self):
        """A quality claim is opened against these vendors, agreement or not
        (000 §3.3, §3.5): the portal logins of their contacts, and of a
        company above them, then read it (R-056, R-086). A login given while
        the vendor was no after-sales supplier was given by whoever manages
        contacts (for Odoo's purchase portal), not by QA or purchasing: the
        claim waits until these logins are revoked, and QA or purchasing
        give them again."""
        self._check_forklift_logins_given_before(
            self.env._(
                "%(supplier)s: %(contacts)s hold a portal login given "
                "before any quality claim against it, by whoever manages "
                "contacts; with the claim the login would read it on the "
                "portal. Revoke these logins with the portal wizard, open "
                "the claim, then give the supplier's contacts their logins "
                "again."
            )
        )

    def _check_forklift_logins_given_before(self, message):
        """Refuse with ``message`` (translated, with ``%(supplier)s`` and
        ``%(contacts)s``) when the documents of these partners, once they
        are after-sales suppliers, would be read on the portal by logins QA
        or purchasing did not give: the logins of any company that reads
        them (the partner or a company above it, as the portal rules read
        ``child_of`` the login's company) which is no after-sales supplier
        yet (``_check_forklift_portal_access``)."""
        # sudo: the partners' letters, claims and logins, as stored
        partners = self.sudo()
        for partner in partners - partners._forklift_aftersales_suppliers():
            readers = partners.with_context(active_test=False).search(
                [("id", "parent_of", partner.id)]
            )
            readers -= readers._forklift_aftersales_suppliers()
            logins = (
                self.env["res.users"]
                .sudo()
                .search(
                    [
                        ("partner_id.commercial_partner_id", "in", readers.ids),
                        ("share", "=", True),
                    ]
                )
            )
            if logins:
                raise UserError(
                    message
                    % {
                        "supplier": partner.display_name,
                        "contacts": ", ".join(logins.partner_id.mapped("display_name")),
                    }
                )

    def _forklift_aftersales_suppliers(self):
        """The companies among ``self`` whose logins read service contact
        letters or quality claims on the portal: those with a quality
        agreement, and any vendor named (itself or a company under it, as the
        portal rules read) by a letter or a claim, whatever its state: a
        claim is opened against any vendor, and a letter stays once the
        agreement is withdrawn. Called with sudo."""
        return self.filtered(
            lambda company: (
                company.forklift_quality_agreement
                or any(
                    self.env[model].search_count(
                        [("supplier_id", "child_of", company.id)], limit=1
                    )
                    for model in ("forklift.supplier.letter", "forklift.quality.claim")
                )
            )
        )

    def _is_forklift_vendor_of(self, company):
        """A supplier with a quality agreement is one the company buys from
        (000 §4.1.3), purchases recorded or not."""
        return bool(self.forklift_quality_agreement) or super()._is_forklift_vendor_of(
            company
        )

    @api.depends("forklift_quality_agreement", "forklift_service_capable")
    def _compute_forklift_can_serve(self):
        for partner in self:
            partner.forklift_can_serve = bool(
                partner.forklift_quality_agreement and partner.forklift_service_capable
            )

    def _compute_forklift_supplier_counts(self):
        assign_counts(
            self,
            forklift_supplier_letter_count=("forklift.supplier.letter", "supplier_id"),
            forklift_quality_claim_count=("forklift.quality.claim", "supplier_id"),
        )

    def _get_forklift_service_recipient(self):
        """Who receives a service contact letter: the after-sales contact, else
        the supplier itself."""
        self.ensure_one()
        return self.forklift_service_contact_id or self

    def action_view_forklift_supplier_letters(self):
        # no defaults: a letter is sent from its service order, never made here
        return list_action(
            self.env,
            "forklift_aftersales_supplier.forklift_supplier_letter_action",
            [("supplier_id", "=", self.id)],
        )

    def action_view_forklift_quality_claims(self):
        return related_action(
            self,
            "forklift_aftersales_supplier.forklift_quality_claim_action",
            "supplier_id",
        )

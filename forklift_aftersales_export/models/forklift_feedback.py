from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from odoo.addons.forklift_aftersales.models.forklift_document_fields import (
    computed_editable,
)
from odoo.addons.forklift_aftersales.models.forklift_feedback import DEADLINE_FIELDS

EXPORT_GROUPS = (
    "forklift_aftersales_export.group_forklift_export_division",
    "forklift_aftersales_export.group_forklift_export_company",
)


class ForkliftFeedback(models.Model):
    """Overseas cases (000 第一篇): the export division provides the case
    information and receives the reports instead of QA; overseas dealers are
    dispatched the same day where conditions permit; a customer without dealer
    service staff gets remote technical support first."""

    _inherit = "forklift.feedback"

    export_currency_id = computed_editable(
        fields.Many2one,
        "_compute_export_defaults",
        "res.currency",
        string="Sheet Currency",
        help="Currency of the overseas partner: parts shipped or sold for this "
        "sheet carry their value in it.",
        groups="base.group_user",
    )
    destination_country_id = computed_editable(
        fields.Many2one,
        "_compute_export_defaults",
        "res.country",
        help="Where parts for this sheet are shipped.",
    )
    needs_remote_support_first = fields.Boolean(
        compute="_compute_remote_support",
        help="Export customer without dealer service staff: remote technical "
        "support comes before anyone is sent (000 第一篇 §5).",
        groups="base.group_user",
    )
    remote_support_done = fields.Boolean(
        compute="_compute_remote_support",
        help="A remote technical support service order is finished.",
        groups="base.group_user",
    )
    dispatch_delay_reason = fields.Text(
        help="Why an overseas dispatch could not be made within 24 h: the "
        "procedure allows it where conditions do not permit (REQUIREMENTS A-13).",
        tracking=True,
        # a copy is a new case, its dispatch not excused in advance
        copy=False,
        groups="base.group_user",
    )

    @api.depends("market", "dealer_id", "partner_id")
    def _compute_export_defaults(self):
        company_currency = self.env.company.currency_id
        for case in self:
            if case.market != "export":
                case.export_currency_id = case.export_currency_id or False
                case.destination_country_id = case.destination_country_id or False
                continue
            partner = case.dealer_id or case.partner_id
            pricelist = partner.commercial_partner_id.property_product_pricelist
            case.export_currency_id = (
                case.export_currency_id
                or pricelist.currency_id
                or case.company_id.currency_id
                or company_currency
            )
            case.destination_country_id = (
                case.destination_country_id
                or case.partner_id.country_id
                or case.dealer_id.country_id
            )

    @api.depends(
        "market",
        "dealer_id.forklift_has_service_staff",
        "service_order_ids.performer_type",
        "service_order_ids.state",
    )
    def _compute_remote_support(self):
        for case in self:
            case.needs_remote_support_first = case.market == "export" and not (
                case.dealer_id.commercial_partner_id.forklift_has_service_staff
            )
            case.remote_support_done = any(
                order.performer_type == "remote"
                and order.state in ("done", "signed", "registered")
                for order in case.service_order_ids
            )

    @api.depends_context("uid")
    @api.depends(*DEADLINE_FIELDS, "state", "dispatch_delay_reason")
    def _compute_overdue(self):
        """The flags follow their domains, an excused late dispatch left out
        (``_get_dispatch_overdue_domain``): recomputed when the reason
        changes too."""
        return super()._compute_overdue()

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        # the sheet as created: a reason given in the values, by a context
        # default or a user default alike
        if not self._is_flow_write() and any(cases.mapped("dispatch_delay_reason")):
            self._check_dispatch_delay_excuser()
        return cases

    def write(self, vals):
        if "dispatch_delay_reason" in vals and not self._is_flow_write():
            self._check_dispatch_delay_reason(vals["dispatch_delay_reason"])
        return super().write(vals)

    @api.model
    def _check_dispatch_delay_excuser(self):
        """The service center, which dispatches and answers for the 24 h (its
        director is alerted, R-158), states why conditions did not permit an
        overseas dispatch (R-159, A-13). The export division, which follows
        and files the sheet, or the department assessing the service
        center's timeliness (R-259, R-050) would excuse the service center's
        lateness for it, also by filing a sheet excused in advance."""
        if not self.env.su and not self.env.user.has_group(
            "forklift_aftersales.group_forklift_user"
        ):
            raise AccessError(
                self.env._(
                    "Only the service center, which dispatches, states why an "
                    "overseas dispatch could not be made within 24 h."
                )
            )

    def _check_dispatch_delay_reason(self, reason):
        """A reason excuses a late overseas dispatch, stated by the service
        center (``_check_dispatch_delay_excuser``) while the dispatch is
        pending: once the sheet is dispatched, a reason written or changed
        afterwards would excuse, or unexcuse, a lateness already past."""
        self._check_dispatch_delay_excuser()
        # Odoo's access rights answer first: staff of another company are
        # not told which of its sheets is dispatched
        self.check_access("write")
        # sudo: when the sheet was dispatched, whoever writes
        for case in self.sudo():
            if case.dispatched_date and (case.dispatch_delay_reason or False) != (
                reason or False
            ):
                raise UserError(
                    self.env._(
                        "%s is dispatched: the reason that excused a late "
                        "dispatch stays as it was stated while the dispatch "
                        "was pending.",
                        case.name,
                    )
                )

    @api.model
    def _get_declared_fields(self):
        """What the warranty parts deliveries of the sheet declare (R-286,
        R-287)."""
        return {"export_currency_id", "destination_country_id"}

    def _has_declared_parts(self):
        """Whether a warranty parts request of the sheet is asked for
        approval, approved or shipped: its approvers read the sheet's
        currency and destination, its delivery declares them."""
        # sudo: the requests decide, whoever writes the sheet
        return any(
            request.state in ("approved", "shipped")
            or request._is_flow_under_approval()
            for request in self.sudo().parts_request_ids
        )

    def _get_locked_fields(self):
        """The currency and the destination stay what the sheet's warranty
        parts were asked and approved with, until those requests are
        cancelled."""
        locked = super()._get_locked_fields()
        if self._has_declared_parts():
            locked |= self._get_declared_fields()
        return locked

    def _get_state_locked_message(self, names):
        declared = names & self._get_declared_fields()
        if declared and self._has_declared_parts():
            return self.env._(
                "%(case)s has warranty parts under approval or approved: "
                "%(fields)s stay what their request declares. Cancel the "
                "request to correct them.",
                case=self.name,
                fields=self._get_field_labels(declared),
            )
        return super()._get_state_locked_message(names)

    @api.model
    def _get_dispatch_delay_excused_domain(self):
        """The one rule of the form, the filter and the reminder: a delay
        reason excuses a late dispatch of an overseas sheet only (000 第一篇,
        REQUIREMENTS A-13); a domestic sheet stays overdue whatever it says."""
        return Domain("market", "=", "export") & Domain(
            "dispatch_delay_reason", "!=", False
        )

    def _get_dispatch_overdue_domain(self):
        return (
            super()._get_dispatch_overdue_domain()
            & ~self._get_dispatch_delay_excused_domain()
        )

    def action_verify(self):
        self._check_remote_support_first(
            lambda case: case.route != "remote",
            self.env._(
                "%(customer)s has no dealer service staff: give remote "
                "technical support first (route: remote) on %(case)s."
            ),
        )
        return super().action_verify()

    def _check_remote_support_first(self, refused, message):
        """Refuse a step on an overseas case whose customer has no dealer
        service staff while ``refused(case)`` says remote technical support
        has not come first (000 第一篇 §5, R-079): ``message`` is the
        translated refusal, with ``%(customer)s`` and ``%(case)s``."""
        for case in self.filtered("needs_remote_support_first"):
            if refused(case):
                raise UserError(
                    message
                    % {
                        "customer": case.partner_id.display_name or "-",
                        "case": case.name,
                    }
                )

    def _get_sequence_code(self, vals):
        """Export sheets are numbered from the export series (FB-E…), apart
        from the domestic ones (000-I L103, R-269)."""
        if vals.get("market") == "export":
            return "forklift.feedback.export"
        return super()._get_sequence_code(vals)

    def _get_export_partners(self):
        return self.env["res.partner"]._get_forklift_group_partners(
            *EXPORT_GROUPS, companies=self.company_id
        )

    def _get_report_recipients(self):
        """Export cases are reported to the export division and the export
        company instead of QA (000 第一篇 §4)."""
        if self and all(case.market == "export" for case in self):
            return self._get_export_partners()
        return super()._get_report_recipients()

    def _get_major_issue_recipients(self):
        """A major issue on an export sheet goes to the export company, the
        export division and the leaders in charge (000 第一篇 §4)."""
        self.ensure_one()
        if self.market != "export":
            return super()._get_major_issue_recipients()
        leaders = self.env["res.partner"]._get_forklift_group_partners(
            "forklift_aftersales.group_forklift_leader", companies=self.company_id
        )
        return leaders | self._get_export_partners()

    @api.model
    def _get_sales_company_groups(self):
        """The export division provides the information of export sheets as
        the sales company does of domestic ones (000 §3.2, R-268)."""
        return [
            *super()._get_sales_company_groups(),
            "forklift_aftersales_export.group_forklift_export_division",
        ]

    @api.model
    def _get_assistance_group_xmlid(self, department):
        if department == "export_division":
            return "forklift_aftersales_export.group_forklift_export_division"
        return super()._get_assistance_group_xmlid(department)

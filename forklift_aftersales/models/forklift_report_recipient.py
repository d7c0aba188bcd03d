from odoo import api, fields, models

from ..tools import company_members
from .forklift_unit import MARKETS

RECIPIENT_REPORTS = [
    ("daily", "Daily repair-record summary"),
    ("monthly", "Monthly and annual statistics"),
]


class ForkliftReportRecipient(models.Model):
    """Who receives the after-sales reports of a market.

    000 §4.1.4: the daily repair-record summary goes to QA and R&D, copied to
    the departments and leaders concerned. 000 §4.1.6: the monthly statistics
    and analysis report go to the sales company, QA and the leaders in charge.
    A market's reports are made and mailed only where it has a list: the export
    addon gives the export market its own (000 第一篇). Members of the groups
    receive them, plus the partners listed; the lists are data.
    """

    _name = "forklift.report.recipient"
    _inherit = ["forklift.shared.setup.line.mixin"]
    _description = "Forklift After-Sales Report Recipients"
    _order = "report_type, market, sequence, id"
    _check_company_auto = True

    report_type = fields.Selection(RECIPIENT_REPORTS, string="Report", required=True)
    market = fields.Selection(MARKETS, required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    group_ids = fields.Many2many(
        "res.groups",
        "forklift_report_recipient_group_rel",
        "recipient_id",
        "group_id",
        string="To Groups",
        help="Every user of these groups receives the report.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "forklift_report_recipient_partner_rel",
        "recipient_id",
        "partner_id",
        string="To Contacts",
        check_company=True,
    )
    cc_group_ids = fields.Many2many(
        "res.groups",
        "forklift_report_recipient_cc_group_rel",
        "recipient_id",
        "group_id",
        string="Copy to Groups",
    )
    cc_partner_ids = fields.Many2many(
        "res.partner",
        "forklift_report_recipient_cc_partner_rel",
        "recipient_id",
        "partner_id",
        string="Copy to Contacts",
        check_company=True,
    )

    @api.model
    def _get_recipients(self, report_type, market, company=None):
        """Partners the report goes to and partners copied, for a market.

        :param report_type: ``daily`` or ``monthly`` (the annual statistics
            follow the monthly list)
        :return: (to, cc) partner recordsets; nobody is in both; only the
            active lists and their active contacts, whatever the caller's
            context (``active_test=False`` sent over RPC would otherwise
            mail the lists and contacts the director retired, R-170)
        """
        company = company or self.env.company
        lists = self.with_context(active_test=True).search(
            [
                ("report_type", "=", report_type),
                ("market", "=", market),
                ("company_id", "in", [company.id, False]),
            ]
        )
        # sudo: reading who belongs to a group, to address a report; users of
        # the report may not read other users' groups
        lists = lists.sudo()
        # a list shared by the companies names groups of every company: their
        # users of the report's company only
        to = lists.partner_ids | company_members(lists.group_ids, company).partner_id
        cc = (
            lists.cc_partner_ids
            | company_members(lists.cc_group_ids, company).partner_id
        )
        # the contacts archived on a list are retired too, said explicitly
        # rather than left to how the relations are read; a contact of
        # another company, or an internal user of other companies only,
        # receives none of this company's figures
        to = to.filtered(
            lambda partner: self._receives_company_reports(partner, company)
        )
        cc = (cc - to).filtered(
            lambda partner: self._receives_company_reports(partner, company)
        )
        return to.with_env(self.env), cc.with_env(self.env)

    @api.model
    def _receives_company_reports(self, partner, company):
        """Whether ``partner`` (read as superuser) may receive the reports of
        ``company``: an active contact of no company or of this one, and, if
        he is an internal user, a user of this company."""
        if not partner.active or (partner.company_id and partner.company_id != company):
            return False
        internal = partner.with_context(active_test=True).user_ids.filtered(
            lambda user: not user.share
        )
        return not internal or company in internal.company_ids

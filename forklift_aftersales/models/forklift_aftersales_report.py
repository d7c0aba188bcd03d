import logging
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..tools import company_members, list_action, read_int_param, value_differs
from .forklift_document_fields import (
    company_field,
    stamp_datetime,
    stamped,
    workflow_state,
)
from .forklift_feedback_analysis import CASE_MEASURES, CASE_RATES
from .forklift_flow_mixin import FLOW_MARK
from .forklift_unit import MARKETS

_lt = LazyTranslate(__name__)

_logger = logging.getLogger(__name__)

REPORT_TYPES = [
    ("daily", "Daily repair-record summary"),
    ("monthly", "Monthly statistics and analysis"),
    ("annual", "Annual statistics"),
]
REPORT_STATES = [
    ("draft", "Draft"),
    ("produced", "Produced"),
    ("sent", "Sent"),
]
# Dimensions of the feedback sheet statistics (R-256), in the reports' order.
CASE_DIMENSIONS = [
    "fault_category_id",
    "product_id",
    "vehicle_type_id",
    "responsibility",
    "supplier_id",
    "dealer_id",
    "region",
    "country_id",
    "state_id",
    "severity",
    "warranty_state",
    "warranty_verdict",
    "route",
]
# Measures of the part statistics.
PART_MEASURES = ["quantity_replaced", "quantity_released", "cost"]


class ForkliftAftersalesReport(models.Model):
    """A produced after-sales report, kept with its figures, its files and
    whom it was mailed to, so that it can be checked and sent again.

    - Daily repair-record summary (维修记录汇总表, 000 §4.1.4, R-004, R-255):
      the feedback sheets handled the day before, mailed every morning with
      an XLSX file, to the recipients of its market (domestic: QA and R&D).
    - Monthly statistics (统计分析汇总表(二)) and analysis report (分析报告)
      of the previous month, produced on the 1st and mailed before the 5th
      (000 §4.1.6, §6.5, §6.11; R-007, R-008, R-170, R-256, R-258, A-10).
    - Annual statistics by spare part and by vehicle type (统计分析汇总表(一),
      000 §6.5, R-006, R-257), produced in January for the previous year.

    The figures come from one grouped query on ``forklift.feedback.analysis`` and
    one on ``forklift.part.analysis`` (GROUPING SETS), never from a loop over
    the feedback sheets.
    """

    _name = "forklift.aftersales.report"
    _description = "Forklift After-Sales Report"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "forklift.flow.mixin",
        "forklift.feedback.figures.mixin",
        "forklift.copy.refused.mixin",
        "forklift.overdue.mixin",
    ]
    # mailed by its due date: overdue until sent
    _overdue_deadline_field = "due_date"
    _overdue_open_states = ("draft", "produced")
    _copy_refused_message = _lt(
        "A report is the one of its period and market: it is not duplicated. "
        "Create the report of another period or market instead."
    )
    _order = "date_from desc, report_type, market, id desc"
    _flow_deletable_states = ("draft",)

    name = fields.Char(compute="_compute_name", store=True)
    report_type = fields.Selection(
        REPORT_TYPES, string="Report", required=True, default="monthly"
    )
    market = fields.Selection(MARKETS, required=True, default="domestic")
    company_id = company_field(index=True)
    date_from = fields.Date(
        string="Period Start",
        required=True,
        help="The day of a daily summary, the first day of the month or of the "
        "year of the statistics.",
    )
    date_to = fields.Date(
        string="Period End", compute="_compute_date_to", store=True, readonly=True
    )
    due_date = fields.Date(
        string="Due On",
        compute="_compute_date_to",
        store=True,
        help="Mailed by then: the day after for a daily summary, the "
        "configured day of the next month (the 5th) for the statistics.",
    )
    state = workflow_state(REPORT_STATES)
    feedback_ids = stamped(
        fields.Many2many,
        "forklift.feedback",
        "forklift_aftersales_report_feedback_rel",
        "report_id",
        "feedback_id",
        string="Feedback Sheets",
        help="For a daily summary: the sheets received or handled that day.",
    )
    # Figures, frozen when the report is produced: the number of sheets and the
    # statistics' own figures (forklift.feedback.figures.mixin)
    feedback_count = fields.Integer(string="Feedback Sheets Received", readonly=True)
    parts_stock_value = fields.Monetary(
        string="Spare-Parts Stock Value",
        readonly=True,
        help="Value at cost of the after-sales spare-parts stock when the report "
        "was produced (000 第四篇 §6).",
    )
    parts_stock_commitment = fields.Monetary(
        string="Committed Stock Value",
        readonly=True,
        help="The value of spare-parts stock the company commits to keep, as set "
        "on the company when the report was produced.",
    )
    parts_stock_shortfall = fields.Monetary(
        string="Stock Below Commitment",
        compute="_compute_parts_stock_shortfall",
        help="How much the stock lacks to reach the committed value.",
    )
    statistics = stamped(
        fields.Json, help="Figures by dimension and by part, as produced."
    )
    analysis = fields.Html(
        help="The analysis report: drafted from the figures when the report is "
        "produced, then completed by the service center."
    )
    xlsx_attachment_id = stamped(
        fields.Many2one, "ir.attachment", string="Statistics (XLSX)"
    )
    pdf_attachment_id = stamped(
        fields.Many2one, "ir.attachment", string="Analysis Report (PDF)"
    )
    produced_date = stamp_datetime("Produced On")
    sent_date = stamp_datetime("Last Sent On")
    send_count = stamped(fields.Integer, string="Times Sent")
    recipient_partner_ids = stamped(
        fields.Many2many,
        "res.partner",
        "forklift_aftersales_report_recipient_rel",
        "report_id",
        "partner_id",
        string="Mailed To",
    )
    cc_partner_ids = stamped(
        fields.Many2many,
        "res.partner",
        "forklift_aftersales_report_cc_rel",
        "report_id",
        "partner_id",
        string="Copied To",
    )

    _period_uniq = models.Constraint(
        "unique(report_type, market, date_from, company_id)",
        "This report already exists for this period and market.",
    )

    # Compute methods

    @api.depends("report_type", "market", "date_from")
    def _compute_name(self):
        types = dict(self._fields["report_type"]._description_selection(self.env))
        markets = dict(self._fields["market"]._description_selection(self.env))
        for report in self:
            if not report.date_from:
                report.name = types.get(report.report_type)
                continue
            period = {
                "daily": report.date_from.isoformat(),
                "monthly": report.date_from.strftime("%Y-%m"),
                "annual": str(report.date_from.year),
            }[report.report_type]
            report.name = self.env._(
                "%(report)s %(period)s (%(market)s)",
                report=types.get(report.report_type),
                period=period,
                market=markets.get(report.market),
            )

    @api.depends("report_type", "date_from")
    def _compute_date_to(self):
        last_day = self._get_monthly_deadline_day()
        for report in self:
            start = report.date_from
            if not start:
                report.date_to = report.due_date = False
                continue
            if report.report_type == "daily":
                report.date_to = start
                report.due_date = start + timedelta(days=1)
                continue
            length = relativedelta(months=1 if report.report_type == "monthly" else 12)
            report.date_to = start + length - timedelta(days=1)
            report.due_date = start + length + timedelta(days=last_day - 1)

    @api.depends("parts_stock_value", "parts_stock_commitment")
    def _compute_parts_stock_shortfall(self):
        for report in self:
            report.parts_stock_shortfall = max(
                report.parts_stock_commitment - report.parts_stock_value, 0.0
            )

    # Constraints

    @api.constrains("report_type", "date_from")
    def _check_period_start(self):
        for report in self:
            start = report.date_from
            if report.report_type == "monthly" and start.day != 1:
                raise ValidationError(
                    self.env._("Monthly statistics start on the first day of a month.")
                )
            if report.report_type == "annual" and (start.month, start.day) != (1, 1):
                raise ValidationError(
                    self.env._("Annual statistics start on the 1st of January.")
                )
            if start > self._today():
                raise ValidationError(
                    self.env._("A report cannot cover a period in the future.")
                )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        """What the report says and to whom it went is written by producing
        and sending it (000 §4.1.4, §4.1.6): the state, the sheets, the
        figures, the files and the recipients."""
        return {
            "state",
            "feedback_ids",
            "feedback_count",
            *CASE_MEASURES,
            *CASE_RATES,
            "parts_stock_value",
            "parts_stock_commitment",
            "statistics",
            "xlsx_attachment_id",
            "pdf_attachment_id",
            "produced_date",
            "sent_date",
            "send_count",
            "recipient_partner_ids",
            "cc_partner_ids",
        }

    @api.model
    def _get_state_locked_fields(self):
        """The figures are produced for a period and a market: once produced,
        the report keeps them. The analysis text may still be completed
        until the report is sent: then it is what the PDF mailed shows,
        which "Send again" mails as it is (R-007, R-170)."""
        return {
            **dict.fromkeys(("report_type", "market", "date_from"), ("draft",)),
            "analysis": ("draft", "produced"),
        }

    def _get_locked_fields(self):
        """The files are what the report is read and mailed with (R-007,
        R-170, R-256): once produced, nobody deletes, rewrites or moves them
        through the attachments (``ir.attachment._check_forklift_files_kept``);
        producing the report again, until it is sent, replaces them."""
        locked = super()._get_locked_fields()
        if self.state != "draft":
            locked |= {"xlsx_attachment_id", "pdf_attachment_id"}
        return locked

    def _get_state_locked_message(self, names):
        if "analysis" in names:
            return self.env._(
                "%s was sent: its analysis stays as the PDF its recipients "
                "received shows it. Add any further comment in the chatter.",
                self.name,
            )
        return self.env._(
            "The figures of %s are produced for its period and market: create "
            "another report instead.",
            self.name,
        )

    def _get_flow_kept_message(self):
        return self.env._("A report produced or sent is kept: it cannot be deleted.")

    def write(self, vals):
        """The analysis completed on a report produced and not sent yet is
        drawn again in its PDF: the PDF it is mailed with shows the analysis
        the report shows (once sent, the analysis is locked)."""
        redraw = self.browse()
        if "analysis" in vals and not self._is_flow_write():
            redraw = self.filtered(
                lambda report: (
                    report.state == "produced"
                    and report.report_type != "daily"
                    and value_differs(report, "analysis", vals["analysis"])
                )
            )
        res = super().write(vals)
        for report in redraw:
            report._render_attachments(xlsx=False)
        return res

    # Actions

    def action_produce(self):
        """Compute the figures, draft the analysis and render the files.

        A report sent is what its recipients received (000 §4.1.4, §4.1.6):
        it keeps its figures and files, and is only sent again."""
        # a step of the document is taken by who may edit it, not a reader
        self.check_access("write")
        self._check_state(
            ("draft", "produced"),
            self.env._(
                "%s was already sent: it keeps the figures and files it was "
                "mailed with and is not produced again (send it again instead)."
            ),
        )
        for report in self:
            # produced again, a daily summary lists the day's sheets as they
            # are now (a sheet since cancelled, or handled late that day)
            if report.report_type == "daily":
                report._write_flow(
                    {"feedback_ids": [Command.set(report._find_daily_cases().ids)]}
                )
            statistics = report._compute_statistics()
            report._write_flow(
                {
                    **report._prepare_figure_vals(statistics),
                    **report._prepare_parts_stock_vals(),
                    "statistics": statistics,
                    "state": "produced",
                    "produced_date": fields.Datetime.now(),
                }
            )
            if not report.analysis and report.report_type != "daily":
                # drawn in the PDF rendered just below
                report._write_flow({"analysis": report._draft_analysis()})
            report._render_attachments()
        return True

    def action_send(self):
        """Mail the report with its files to the market's recipients
        (000 §4.1.4, §4.1.6)."""
        # a step of the document is taken by who may edit it, not a reader
        self.check_access("write")
        template = self.env.ref(
            "forklift_aftersales.mail_template_forklift_aftersales_report"
        )
        recipient_model = self.env["forklift.report.recipient"]
        for report in self:
            if report.state == "draft":
                raise UserError(
                    self.env._("Produce %s before sending it.", report.name)
                )
            # produced while its period runs, a report shows the figures so
            # far; sent, it would give the management part of them, and the
            # scheduled job, finding it sent, would never mail the whole period
            if report.date_to >= report.company_id._forklift_today():
                raise UserError(
                    self.env._(
                        "The period of %(report)s is not over: it is sent from "
                        "%(day)s, with the figures of the whole period.",
                        report=report.name,
                        day=report.date_to + timedelta(days=1),
                    )
                )
            to, cc = recipient_model._get_recipients(
                "daily" if report.report_type == "daily" else "monthly",
                report.market,
                report.company_id,
            )
            to, cc = to.filtered("email"), cc.filtered("email")
            if not to:
                raise UserError(
                    self.env._(
                        "Nobody with an e-mail address receives %s: set the report "
                        "recipients in the configuration.",
                        report.name,
                    )
                )
            attachments = report.xlsx_attachment_id | report.pdf_attachment_id
            template.send_mail(
                report.id,
                email_values={
                    "recipient_ids": [Command.set(to.ids)],
                    "email_cc": ", ".join(cc.mapped("email_formatted")),
                    "attachment_ids": [Command.set(attachments.ids)],
                },
            )
            report._write_flow(
                {
                    "state": "sent",
                    "sent_date": fields.Datetime.now(),
                    "send_count": report.send_count + 1,
                    "recipient_partner_ids": [Command.set(to.ids)],
                    "cc_partner_ids": [Command.set(cc.ids)],
                }
            )
            report.message_post(
                body=self.env._(
                    "Mailed to %(to)s%(cc)s.",
                    to=", ".join(to.mapped("display_name")),
                    cc=self.env._(
                        "; copied to %s", ", ".join(cc.mapped("display_name"))
                    )
                    if cc
                    else "",
                ),
                attachment_ids=attachments.ids,
            )
        return True

    @api.readonly
    def action_view_cases(self):
        """The feedback sheet statistics of the report's period and market.
        Only reads: served by a read replica where there is one."""
        self.ensure_one()
        if self.report_type == "daily":
            domain = [("feedback_id", "in", self.feedback_ids.ids)]
        else:
            start, end = self._get_period_bounds()
            domain = [
                ("date", ">=", fields.Datetime.to_string(start)),
                ("date", "<", fields.Datetime.to_string(end)),
                ("market", "=", self.market),
                ("company_id", "=", self.company_id.id),
            ]
        action = list_action(
            self.env, "forklift_aftersales.forklift_feedback_analysis_action", domain
        )
        action["display_name"] = self.name
        return action

    # Crons

    @api.model
    def _cron_daily_summary(self):
        """Mail yesterday's repair-record summary of each market to its
        recipients (000 §4.1.4); nothing is sent for a day without sheets."""
        day = self._today() - timedelta(days=1)
        for company, market in self._get_cron_scopes("daily"):
            report = self.search(self._get_period_domain("daily", market, day, company))
            if not report:
                scoped = self.with_company(company)
                cases = scoped._find_daily_cases(market=market, day=day)
                if not cases:
                    continue
                report = scoped._create_flow(
                    {
                        "report_type": "daily",
                        "market": market,
                        "date_from": day,
                        "company_id": company.id,
                        "feedback_ids": [Command.set(cases.ids)],
                    }
                )
            if report.state != "sent":
                report._produce_and_send_safely()

    @api.model
    def _cron_monthly_reports(self):
        """Produce and mail the previous month's statistics and analysis report
        of each market from the 1st; a failed run is retried every day until
        the deadline day (the 5th, 000 §4.1.6, A-10). In January the annual
        statistics of the previous year go out as well. After the deadline
        the service center directors are reminded of what was not sent."""
        today = self._today()
        periods = [("monthly", (today - relativedelta(months=1)).replace(day=1))]
        if today.month == 1:
            periods.append(("annual", date(today.year - 1, 1, 1)))
        late = today.day > self._get_monthly_deadline_day()
        for company, market in self._get_cron_scopes("monthly"):
            for report_type, start in periods:
                domain = self._get_period_domain(report_type, market, start, company)
                report = self.search(domain)
                if not report:
                    report = self.with_company(company).create(
                        {
                            "report_type": report_type,
                            "market": market,
                            "date_from": start,
                            "company_id": company.id,
                        }
                    )
                if report.state == "sent":
                    continue
                if late:
                    report._remind_unsent()
                else:
                    report._produce_and_send_safely()

    # Business methods

    @api.model
    def _today(self):
        """Today in the report time zone, the company's (freezegun-aware)."""
        return self.env.company._forklift_today()

    @api.model
    def _get_report_tz(self, company=None):
        """The company's time zone (its partner's), which decides where a day
        or a month starts; UTC when not set."""
        return (company or self.env.company)._forklift_tz()

    @api.model
    def _get_monthly_deadline_day(self):
        return read_int_param(self.env, "forklift_aftersales.monthly_report_day", 5)

    @api.model
    def _get_cron_scopes(self, recipient_type):
        """(company, market) pairs that have an active recipient list."""
        # archived lists are retired, whatever the caller's context says
        lists = (
            self.env["forklift.report.recipient"]
            .with_context(active_test=True)
            .search([("report_type", "=", recipient_type)])
        )
        # companies that have feedback sheets
        companies = [
            company
            for (company,) in self.env["forklift.feedback"]._read_group(
                [], ["company_id"]
            )
        ]
        return [
            (company, market)
            for company in companies
            for market, _label in MARKETS
            if lists.filtered(
                lambda r, c=company, m=market: (
                    r.market == m and r.company_id in (c, self.env["res.company"])
                )
            )
        ]

    @api.model
    def _get_period_domain(self, report_type, market, start, company):
        return [
            ("report_type", "=", report_type),
            ("market", "=", market),
            ("date_from", "=", start),
            ("company_id", "=", company.id),
        ]

    def _produce_and_send_safely(self):
        """Produce and send in a savepoint: a failure is logged on the report
        and left for the next run, the other reports go on."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.action_produce()
                self.action_send()
        except Exception as error:  # noqa: BLE001 - any failure is retried later
            _logger.warning("Could not produce or send %s: %s", self.name, error)
            self.message_post(
                body=self.env._(
                    "The report could not be produced or sent (%s); the next run "
                    "retries it.",
                    error,
                )
            )

    def _remind_unsent(self):
        """One reminder per report to the service center directors of its
        company (R-073): the assignee of an activity follows the report, so a
        director of another company would be told of it and read what is
        written on it."""
        activity_type = self.env.ref("forklift_aftersales.mail_activity_type_deadline")
        directors = self.env.ref("forklift_aftersales.group_forklift_director")
        for report in self:
            if report.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            ):
                continue
            for director in company_members(directors, report.company_id):
                # the flow's mark: the report's own reminder (mail.activity
                # refuses "Deadline Passed" activities to anyone else)
                FLOW_MARK.set_on(report).activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._("%s not sent in time", report.name),
                    user_id=director.id,
                    date_deadline=report.due_date,
                )

    def _get_period_bounds(self):
        """UTC start and end (excluded) of the period, from midnight in the
        report time zone."""
        self.ensure_one()
        tz = self._get_report_tz(self.company_id)

        def to_utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return to_utc(self.date_from), to_utc(self.date_to + timedelta(days=1))

    def _get_feedback_domain(self):
        """Rows of the statistics: the period's sheets of the market, or for a
        daily summary the sheets it lists."""
        self.ensure_one()
        if self.report_type == "daily":
            return Domain("feedback_id", "in", self.feedback_ids.ids)
        start, end = self._get_period_bounds()
        return Domain(
            [
                ("date", ">=", start),
                ("date", "<", end),
                ("market", "=", self.market),
                ("company_id", "=", self.company_id.id),
            ]
        )

    def _find_daily_cases(self, market=None, day=None):
        """Feedback sheets received or handled that day: received, verified,
        dispatched, done, reported or closed, or one of their service orders
        on site, finished or registered that day (R-004)."""
        if self:
            self.ensure_one()
            market, day = self.market, self.date_from
            start, end = self._get_period_bounds()
        else:
            tz = self._get_report_tz()
            start = (
                tz.localize(datetime.combine(day, time.min))
                .astimezone(pytz.utc)
                .replace(tzinfo=None)
            )
            end = start + timedelta(days=1)
        feedback_dates = [
            "received_date",
            "verified_date",
            "dispatched_date",
            "done_date",
            "reported_date",
            "closed_date",
        ]
        order_dates = ["arrival_date", "finished_date", "registered_date"]
        touched = Domain.OR(
            [
                Domain(name, ">=", start) & Domain(name, "<", end)
                for name in feedback_dates
            ]
            + [
                Domain(f"service_order_ids.{name}", ">=", start)
                & Domain(f"service_order_ids.{name}", "<", end)
                for name in order_dates
            ]
        )
        return self.env["forklift.feedback"].search(
            Domain(
                [
                    ("market", "=", market),
                    ("company_id", "=", (self.company_id or self.env.company).id),
                    ("state", "!=", "cancel"),
                ]
            )
            & touched,
            order="received_date, id",
        )

    @api.model
    def _get_feedback_dimensions(self):
        """Fields of ``forklift.feedback.analysis`` the statistics are split by."""
        return list(CASE_DIMENSIONS)

    @api.model
    def _get_feedback_measures(self):
        """Summed fields of ``forklift.feedback.analysis`` in the statistics; an
        addon that adds a measure column (claims recovered, say) lists it."""
        return list(CASE_MEASURES)

    @api.model
    def _get_feedback_rates(self):
        return list(CASE_RATES)

    @api.model
    def _get_part_dimensions(self):
        """Fields of ``forklift.part.analysis`` the part statistics are split
        by: the part, its supplier and category, and why it was given under
        warranty (004 §4.6.1, R-093)."""
        return ["product_id", "supplier_id", "part_categ_id", "warranty_reason"]

    @api.model
    def _get_part_measures(self):
        return list(PART_MEASURES)

    def _compute_statistics(self):
        """All the figures of the report in two grouped queries: one on the
        feedback sheets, one on the part lines, each grouped by every
        dimension at once (and, for the annual statistics, by month)."""
        self.ensure_one()
        self.env.flush_all()
        domain = self._get_feedback_domain()
        feedback_analysis = self.env["forklift.feedback.analysis"]
        feedback_analysis._tune_session()
        annual = self.report_type == "annual"
        aggregates = (
            [("feedback_count", SQL("COUNT(*)"))]
            + [
                (m, SQL("COALESCE(SUM(%s), 0)", self._column(feedback_analysis, m)))
                for m in self._get_feedback_measures()
            ]
            + [
                (r, SQL("AVG(%s)", self._column(feedback_analysis, r)))
                for r in self._get_feedback_rates()
            ]
        )
        dimensions = self._get_feedback_dimensions()
        totals, rows, months = self._grouping_sets(
            feedback_analysis,
            domain,
            dimensions,
            aggregates,
            by_month=["vehicle_type_id", "product_id"] if annual else [],
        )
        statistics = {
            "totals": totals,
            "dimensions": [
                {
                    "field": dimension,
                    "label": feedback_analysis._fields[dimension]._description_string(
                        self.env
                    ),
                    "rows": rows.get(dimension, []),
                }
                for dimension in dimensions
            ],
        }
        part_analysis = self.env["forklift.part.analysis"]
        part_aggregates = [
            (m, SQL("COALESCE(SUM(%s), 0)", self._column(part_analysis, m)))
            for m in self._get_part_measures()
        ]
        _part_totals, part_rows, part_months = self._grouping_sets(
            part_analysis,
            domain,
            self._get_part_dimensions(),
            part_aggregates,
            by_month=["product_id"] if annual else [],
        )
        statistics["parts"] = {
            dimension: part_rows.get(dimension, [])
            for dimension in self._get_part_dimensions()
        }
        statistics["oldparts"] = self._compute_oldpart_statistics()
        if annual:
            # annual statistics (一): by vehicle type and by part, month by month
            statistics["months"] = {
                "vehicle_types": months["vehicle_type_id"],
                "models": months["product_id"],
                "parts": part_months["product_id"],
            }
        return statistics

    def _compute_oldpart_statistics(self):
        """Warranty old parts received in the period from each dealer of the
        market: how many returns, how many late and the days late, counted
        from the 30-day due date (000 §4.3.2.5, R-167, R-235), in one
        grouped query."""
        self.ensure_one()
        returns = self.env["forklift.oldpart.return"]
        if self.report_type == "daily" or not returns.has_access("read"):
            return []
        groups = returns._read_group(
            [
                ("returned_by_type", "=", "dealer"),
                ("received_date", ">=", self.date_from),
                ("received_date", "<=", self.date_to),
                ("company_id", "=", self.company_id.id),
                ("feedback_id.market", "=", self.market),
            ],
            ["dealer_id"],
            ["__count", "late_return_count:sum", "days_late:sum"],
        )
        rows = [
            {
                "key": dealer.id,
                # sudo: the name of the dealer the row counts
                "label": dealer.sudo().display_name or self.env._("Not set"),
                "received_count": count,
                "late_return_count": late or 0,
                "days_late": days or 0,
            }
            for dealer, count, late, days in groups
        ]
        rows.sort(key=lambda r: (-r["days_late"], -r["late_return_count"], r["label"]))
        return rows

    @api.model
    def _column(self, model, field_name, query=None):
        return model._field_to_sql(model._table, field_name, query)

    def _grouping_sets(self, model, domain, dimensions, aggregates, by_month=()):
        """One query grouped by nothing, by each dimension alone and by each
        of ``by_month`` and the month.

        :return: (totals, {dimension: rows}, {dimension: month rows}); a row
            has ``key`` (the raw value), ``label`` and the aggregates, rows
            sorted by the first aggregate, largest first; a month row has
            ``months`` (the first aggregate in each month) and ``total``
        """
        query = model._search(domain)
        names = list(dict.fromkeys([*dimensions, *by_month]))
        columns = {name: self._column(model, name, query) for name in names}
        if by_month:
            # months of the report's time zone
            columns["month"] = SQL(
                "EXTRACT(MONTH FROM %s AT TIME ZONE 'UTC' AT TIME ZONE %s)::int",
                self._column(model, "date", query),
                self._get_report_tz(self.company_id).zone,
            )
        sets = (
            [SQL("()")]
            + [SQL("(%s)", columns[name]) for name in dimensions]
            + [SQL("(%s, %s)", columns[name], columns["month"]) for name in by_month]
        )
        query.groupby = SQL("GROUPING SETS (%s)", SQL(", ").join(sets))
        query.order = None
        keys = list(columns)
        self.env.cr.execute(
            query.select(
                *columns.values(),
                *[SQL("GROUPING(%s)", column) for column in columns.values()],
                *[expression for _name, expression in aggregates],
            )
        )
        count = len(keys)
        totals, rows, month_values = {}, {}, {}
        for row in self.env.cr.fetchall():
            grouped = {k for i, k in enumerate(keys) if row[count + i] == 0}
            # an average over no measured sheet stays None ("not measured")
            values = {
                name: float(value) if value is not None else None
                for (name, _expression), value in zip(
                    aggregates, row[2 * count :], strict=True
                )
            }
            if not grouped:
                totals = values
            elif "month" in grouped:
                (name,) = grouped - {"month"}
                key = row[keys.index(name)]
                months = month_values.setdefault(name, {}).setdefault(key, [0.0] * 12)
                months[row[keys.index("month")] - 1] += values[aggregates[0][0]] or 0.0
            else:
                (name,) = grouped
                values["key"] = row[keys.index(name)]
                rows.setdefault(name, []).append(values)
        first = aggregates[0][0]
        for name, dimension_rows in rows.items():
            self._label_rows(model, name, dimension_rows)
            dimension_rows.sort(key=lambda r: (-(r[first] or 0), r["label"]))
        months = {}
        for name in by_month:
            month_rows = [
                {"key": key, "months": values, "total": sum(values)}
                for key, values in month_values.get(name, {}).items()
            ]
            self._label_rows(model, name, month_rows)
            month_rows.sort(key=lambda r: (-r["total"], r["label"]))
            months[name] = month_rows
        return totals, rows, months

    def _label_rows(self, model, dimension, rows):
        field = model._fields[dimension]
        if field.type == "many2one":
            # sudo: names of records the report rows point to; the rows were
            # read with the user's rights
            records = (
                self.env[field.comodel_name]
                .sudo()
                .browse([r["key"] for r in rows if r["key"]])
            )
            names = {record.id: record.display_name for record in records}
        elif field.type == "selection":
            names = dict(field._description_selection(self.env))
        else:
            names = {}
        for row in rows:
            key = row["key"]
            row["label"] = (
                names.get(key, str(key)) if key not in (None, False) else ""
            ) or self.env._("Not set")

    def _prepare_figure_vals(self, statistics):
        totals = statistics["totals"]
        vals = {"feedback_count": int(totals.get("feedback_count") or 0)}
        for name in self._get_feedback_measures() + self._get_feedback_rates():
            if name in self._fields:
                vals[name] = totals.get(name) or 0.0
        for name in ("major_count", "closed_count"):
            vals[name] = int(vals.get(name) or 0)
        return vals

    def _prepare_parts_stock_vals(self):
        """The spare-parts stock on hand against the value the company
        commits to keep (000 第四篇 §6, R-099, R-266), for the monthly
        statistics."""
        self.ensure_one()
        if self.report_type != "monthly":
            return {}
        company = self.company_id
        return {
            "parts_stock_value": company._get_forklift_parts_stock_value(),
            "parts_stock_commitment": company.forklift_parts_stock_commitment,
        }

    def _draft_analysis(self):
        """A first analysis written from the figures (000 §6.11), for the
        service center to complete."""
        self.ensure_one()
        statistics = self.statistics or {}
        dimensions = {d["field"]: d for d in statistics.get("dimensions", [])}

        def top(field, limit=3):
            rows = [r for r in dimensions.get(field, {}).get("rows", []) if r["key"]]
            return ", ".join(
                f"{row['label']} ({int(row['feedback_count'])})" for row in rows[:limit]
            ) or self.env._("none")

        parts = [
            r for r in statistics.get("parts", {}).get("product_id", []) if r["key"]
        ]
        top_parts = ", ".join(
            f"{row['label']} ({row['quantity_replaced']:g})" for row in parts[:3]
        ) or self.env._("none")
        currency = self.currency_id
        reasons = [
            r
            for r in statistics.get("parts", {}).get("warranty_reason", [])
            if r["key"]
        ]
        by_reason = ", ".join(
            f"{row['label']} {row['quantity_released']:g} "
            f"({currency.format(row['cost'])})"
            for row in reasons
        ) or self.env._("none")
        paragraphs = [
            self.env._(
                "%(count)s feedback sheets were received, %(major)s of them major "
                "quality issues; %(closed)s are closed.",
                count=self.feedback_count,
                major=self.major_count,
                closed=self.closed_count,
            ),
            self.env._(
                "Cost: parts %(parts)s, labour %(labour)s, freight %(freight)s, "
                "total %(total)s.",
                parts=currency.format(self.parts_cost),
                labour=currency.format(self.labour_cost),
                freight=currency.format(self.freight_cost),
                total=currency.format(self.total_cost),
            ),
            self.env._(
                "Most frequent faults: %(faults)s. Models most concerned: "
                "%(models)s. Parts most replaced: %(parts)s.",
                faults=top("fault_category_id"),
                models=top("product_id"),
                parts=top_parts,
            ),
            self.env._(
                "Responsibility: %(responsibility)s.",
                responsibility=top("responsibility", limit=5),
            ),
            self.env._(
                "Warranty parts released by reason: %(reasons)s.",
                reasons=by_reason,
            ),
            self.env._(
                "Deadlines met: dispatch within 24 h %(dispatch)s, answer "
                "%(answer)s, on site %(onsite)s.",
                dispatch=self._format_rate("dispatch_on_time"),
                answer=self._format_rate("answer_on_time"),
                onsite=self._format_rate("onsite_on_time"),
            ),
        ]
        if self.report_type == "monthly" and self.parts_stock_commitment:
            paragraphs.append(
                self.env._(
                    "Spare-parts stock: %(value)s against the %(committed)s "
                    "committed; %(verdict)s.",
                    value=currency.format(self.parts_stock_value),
                    committed=currency.format(self.parts_stock_commitment),
                    verdict=self.env._(
                        "%s short of the commitment",
                        currency.format(self.parts_stock_shortfall),
                    )
                    if self.parts_stock_shortfall
                    else self.env._("the commitment is kept"),
                )
            )
        return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)

    def _format_rate(self, name):
        """A share of deadlines met, or "not measured" when no deadline of
        the period has come yet."""
        self.ensure_one()
        rate = (self.statistics or {}).get("totals", {}).get(name)
        if rate is None:
            return self.env._("not measured")
        return f"{rate:.1f} %"

    def _render_attachments(self, xlsx=True):
        """Render the XLSX statistics (unless ``xlsx`` is false) and, except
        for a daily summary, the analysis report, and keep them on the
        report. The old files go, except those a message carries (posted or
        mailed): what was sent stays with what it was sent with."""
        self.ensure_one()
        report_model = self.env["ir.actions.report"]
        vals = {}
        if xlsx:
            content, _xlsx_format = report_model._render_xlsx(
                "forklift_aftersales.report_forklift_aftersales_xlsx",
                self.ids,
                data=None,
            )
            vals["xlsx_attachment_id"] = self._attach(content, "xlsx").id
        if self.report_type != "daily":
            content, content_format = report_model._render_qweb_pdf(
                "forklift_aftersales.action_report_forklift_aftersales_analysis",
                self.ids,
            )
            vals["pdf_attachment_id"] = self._attach(content, content_format).id
        old = self.env["ir.attachment"].union(*(self[name] for name in vals))
        self._write_flow(vals)
        # sudo: the messages carrying the files, whoever produces (a mail
        # queued or sent is a mail.message too), and the report's own files,
        # replaced by the ones just rendered: locked to users once produced
        # (_get_locked_fields), they go only by this step, which the caller
        # may take (action_produce checked write and the state)
        mailed = (
            self.env["mail.message"]
            .sudo()
            .search([("attachment_ids", "in", old.ids)])
            .attachment_ids
        )
        (old - mailed).sudo().unlink()

    def _attach(self, content, extension):
        return self.env["ir.attachment"].create(
            {
                "name": f"{self.name}.{extension}",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    # Report helpers

    def _get_document_title(self):
        """The form's title in the procedure (000 §6.4, §6.5, §6.11)."""
        self.ensure_one()
        domestic = self.market == "domestic"
        if self.report_type == "daily":
            return (
                self.env._("Domestic Forklift After-Sales Service and Repair Records")
                if domestic
                else self.env._(
                    "Export Forklift After-Sales Service and Repair Records"
                )
            )
        if self.report_type == "annual":
            return (
                self.env._(
                    "Annual Domestic Forklift After-Sales Statistical Analysis (I)"
                )
                if domestic
                else self.env._(
                    "Annual Export Forklift After-Sales Statistical Analysis (I)"
                )
            )
        return (
            self.env._(
                "Monthly Domestic Forklift After-Sales Statistical Analysis (II)"
            )
            if domestic
            else self.env._(
                "Monthly Export Forklift After-Sales Statistical Analysis (II)"
            )
        )

    def _get_analysis_title(self):
        self.ensure_one()
        if self.market == "domestic":
            return self.env._("Domestic Forklift After-Sales Analysis Report")
        return self.env._("Export Forklift After-Sales Analysis Report")

    def _get_dimension(self, field):
        self.ensure_one()
        for dimension in (self.statistics or {}).get("dimensions", []):
            if dimension["field"] == field:
                return dimension
        return {"field": field, "label": field, "rows": []}

    def _chart_rows(self, rows, measure, limit=8, width=300.0, maximum=None):
        """Bars of a chart drawn in the PDF: label, value and length."""
        rows = [r for r in rows if r.get(measure) is not None][:limit]
        top = maximum or max([r[measure] for r in rows] or [0]) or 1.0
        return [
            {
                "label": row["label"],
                "value": row[measure],
                "width": round(width * row[measure] / top, 1),
            }
            for row in rows
        ]

    def _get_pdf_charts(self):
        """The charts of the analysis report: what failed, on which models,
        who is responsible for the cost, which parts, and the deadlines met."""
        self.ensure_one()
        statistics = self.statistics or {}
        feedback_analysis = self.env["forklift.feedback.analysis"]
        costs = [
            {
                "label": feedback_analysis._fields[name]._description_string(self.env),
                "cost": self[name],
            }
            for name in ("parts_cost", "labour_cost", "freight_cost")
        ]
        rates = [
            {
                "label": feedback_analysis._fields[name]._description_string(self.env),
                "rate": self[name],
            }
            for name in self._get_feedback_rates()
        ]
        parts = [
            r for r in statistics.get("parts", {}).get("product_id", []) if r["key"]
        ]
        charts = [
            {
                "title": self.env._("Feedback sheets by fault category"),
                "bars": self._chart_rows(
                    self._get_dimension("fault_category_id")["rows"], "feedback_count"
                ),
                "fmt": "%.0f",
            },
            {
                "title": self.env._("Feedback sheets by model"),
                "bars": self._chart_rows(
                    self._get_dimension("product_id")["rows"], "feedback_count"
                ),
                "fmt": "%.0f",
            },
            {
                "title": self.env._("Total cost by responsibility"),
                "bars": self._chart_rows(
                    self._get_dimension("responsibility")["rows"], "total_cost"
                ),
                "fmt": "%.2f",
                "color": "#DD8452",
            },
            {
                "title": self.env._("Cost by kind"),
                "bars": self._chart_rows(costs, "cost"),
                "fmt": "%.2f",
                "color": "#DD8452",
            },
            {
                "title": self.env._("Parts most replaced"),
                "bars": self._chart_rows(parts, "quantity_replaced", limit=10),
                "fmt": "%g",
                "color": "#55A868",
            },
            {
                "title": self.env._("Warranty parts cost by reason"),
                "bars": self._chart_rows(
                    [
                        r
                        for r in statistics.get("parts", {}).get("warranty_reason", [])
                        if r["key"]
                    ],
                    "cost",
                ),
                "fmt": "%.2f",
                "color": "#55A868",
            },
            {
                "title": self.env._("Deadlines met (%)"),
                "bars": self._chart_rows(rates, "rate", maximum=100.0),
                "fmt": "%.1f",
                "color": "#8172B3",
            },
        ]
        if self.report_type == "annual":
            months = [0.0] * 12
            for row in statistics.get("months", {}).get("vehicle_types", []):
                months = [a + b for a, b in zip(months, row["months"], strict=True)]
            by_month = [
                {"label": f"{self.date_from.year}-{number:02d}", "count": count}
                for number, count in enumerate(months, start=1)
            ]
            charts.insert(
                0,
                {
                    "title": self.env._("Feedback sheets by month"),
                    "bars": self._chart_rows(by_month, "count", limit=12),
                    "fmt": "%.0f",
                },
            )
        return charts

import logging

import psycopg2
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import assign_counts, list_action
from .forklift_document_fields import (
    company_field,
    responsible_field,
    stamp_datetime,
    stamped,
)
from .forklift_failure_rate_analysis import PARTS_CONTEXT_KEY, WATCHED_CONTEXT_KEY
from .forklift_unit import MARKETS
from .forklift_unit_exposure import (
    BANDS_CONTEXT_KEY,
    FIELDS_CONTEXT_KEY,
    GRAIN_CONTEXT_KEY,
    MONTHS_CONTEXT_KEY,
    PERIODS_CONTEXT_KEY,
    month_index,
)

_logger = logging.getLogger(__name__)

THRESHOLD_TYPES = [
    ("rate", "Failures per 100 units in service"),
    ("count", "Number of failures"),
]
# How many sheets the description of a raised issue lists (all of them are
# linked to it).
LISTED_SHEETS = 50


class ForkliftWarningRule(models.Model):
    """A quality early-warning rule set by QA (000 §3.3, §4.2.4; R-245,
    R-267): when the failures of a model, a part or a supplier's parts over
    the last months exceed the rule's threshold, the daily job raises an
    abnormal issue to the departments that analyse it (R&D and QA) with the
    evidence, once per rule and window.

    The window is made of whole months: the current month and the months
    before it, ``window_months`` in all; it starts on the first day of its
    first month, which is the key of what was raised: the rule raises again
    at the earliest when the window has moved on by a month. The rate divides
    the failures by the average units in service of the window (the units of
    the rule's model and market; a part or a supplier narrows the failures
    only), the current month counted as a whole month.
    """

    _name = "forklift.warning.rule"
    _description = "Quality Early-Warning Rule"
    _inherit = ["mail.thread", "forklift.flow.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = company_field(index=True)
    user_id = responsible_field(
        help="Responsible of the abnormal issues the rule raises."
    )
    market = fields.Selection(
        MARKETS, tracking=True, help="Leave empty to watch both markets."
    )
    model_id = fields.Many2one(
        "product.product",
        string="Forklift Model",
        domain=[("is_forklift", "=", True)],
        tracking=True,
        help="Leave empty to watch every model.",
    )
    part_id = fields.Many2one(
        "product.product",
        domain=[("is_forklift", "=", False)],
        tracking=True,
        help="Count only the failures where this part was replaced.",
    )
    supplier_id = fields.Many2one(
        "res.partner",
        tracking=True,
        help="Count only the failures where a part of this supplier was "
        "replaced: the supplier stored on the part when it was recorded.",
        check_company=True,
    )
    window_months = fields.Integer(
        string="Window (months)",
        required=True,
        default=3,
        tracking=True,
        help="The current month and the months before it, this many in all.",
    )
    threshold_type = fields.Selection(
        THRESHOLD_TYPES, string="Threshold On", required=True, default="rate"
    )
    threshold = fields.Float(
        required=True,
        tracking=True,
        help="An abnormal issue is raised when the figure of the window is "
        "above this value.",
    )
    min_units = fields.Integer(
        string="Minimum Units in Service",
        default=10,
        tracking=True,
        help="The rule is not applied while fewer forklifts of its model and "
        "market are in service on average over the window.",
    )
    # Written by the evaluation only
    last_evaluated_date = stamp_datetime("Last Evaluated On")
    last_window_start = stamped(fields.Date)
    last_failures = stamped(fields.Integer)
    last_units = stamped(fields.Float, string="Last Units in Service", digits=(16, 1))
    last_value = stamped(fields.Float, string="Last Figure", digits=(16, 2))
    is_exceeded = stamped(
        fields.Boolean, string="Exceeded", help="At the last evaluation."
    )
    issue_ids = fields.One2many(
        "forklift.abnormal.issue",
        "warning_rule_id",
        string="Abnormal Issues Raised",
        readonly=True,
    )
    issue_count = fields.Integer(compute="_compute_issue_count")

    # Constraints

    @api.constrains("window_months", "threshold", "min_units")
    def _check_figures(self):
        for rule in self:
            if not 1 <= rule.window_months <= 24:
                raise ValidationError(
                    self.env._("The window of a rule is 1 to 24 months.")
                )
            if rule.threshold <= 0:
                raise ValidationError(
                    self.env._("The threshold of a rule must be above zero.")
                )
            if rule.min_units < 0:
                raise ValidationError(
                    self.env._("The minimum units in service cannot be negative.")
                )

    @api.constrains("model_id", "part_id")
    def _check_products(self):
        for rule in self:
            if rule.model_id and not rule.model_id.is_forklift:
                raise ValidationError(
                    self.env._(
                        "%s is not a forklift model.", rule.model_id.display_name
                    )
                )
            if rule.part_id and rule.part_id.is_forklift:
                raise ValidationError(
                    self.env._(
                        "%s is a forklift model, not a part.",
                        rule.part_id.display_name,
                    )
                )

    # Compute methods

    def _compute_issue_count(self):
        assign_counts(self, issue_count=("forklift.abnormal.issue", "warning_rule_id"))

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        """The figures of the last evaluation and the issues raised are the
        daily job's."""
        return super()._get_flow_fields() | {
            "last_evaluated_date",
            "last_window_start",
            "last_failures",
            "last_units",
            "last_value",
            "is_exceeded",
            "issue_ids",
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_raised(self):
        if self.sudo().issue_ids:
            raise UserError(
                self.env._(
                    "A rule that raised abnormal issues is kept with them: archive "
                    "it instead."
                )
            )

    # Actions

    def action_evaluate(self):
        """Evaluate the rules now, as the daily job does."""
        # the rule's managers, not its readers, run it
        self.check_access("write")
        self._evaluate()
        return True

    def action_view_issues(self):
        self.ensure_one()
        return list_action(
            self.env,
            "forklift_aftersales.forklift_abnormal_issue_action",
            [("warning_rule_id", "=", self.id)],
            create=False,
        )

    def action_view_rates(self):
        """The failure rates the rule watches, over its current window."""
        self.ensure_one()
        today = self.env["forklift.unit.exposure"]._today()
        action = list_action(
            self.env,
            "forklift_aftersales.forklift_failure_rate_analysis_action",
            self._get_failure_domain(self._get_window_start(today), today),
            pivot_row_groupby=["date:month"],
        )
        action["display_name"] = self.name
        return action

    # Evaluation

    @api.model
    def _cron_evaluate(self):
        """Evaluate every active rule (000 §4.2.4)."""
        self.search([("active", "=", True)])._evaluate()

    def _get_window_start(self, today):
        self.ensure_one()
        first = today.replace(day=1)
        return first - relativedelta(months=self.window_months - 1)

    def _get_failure_domain(self, start, end):
        """The rule's failures of a window, on ``forklift.failure.rate.analysis``."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date", ">=", start),
            ("date", "<=", end),
        ]
        for name in ("market", "model_id", "part_id", "supplier_id"):
            if self[name]:
                value = self[name].id if name != "market" else self[name]
                domain.append((name, "=", value))
        return domain

    def _evaluate(self):
        """Compute the figure of every rule in a few grouped queries, keep it
        on the rule and raise an abnormal issue for each rule exceeded in a
        window that has none yet."""
        if not self:
            return
        # sudo: the evaluation counts every failure and unit of the rules'
        # companies, whoever runs it; it writes only the rules' figures and
        # the issues it raises
        rules = self.sudo()
        today = self.env["forklift.unit.exposure"]._today()
        figures = rules._compute_figures(today)
        now = fields.Datetime.now()
        for rule in rules:
            figure = figures[rule.id]
            rule._write_flow(
                {
                    "last_evaluated_date": now,
                    "last_window_start": figure["start"],
                    "last_failures": figure["failures"],
                    "last_units": figure["units"],
                    "last_value": figure["value"],
                    "is_exceeded": figure["exceeded"],
                }
            )
        exceeded = rules.filtered(lambda r: figures[r.id]["exceeded"])
        return exceeded._raise_issues(figures, today)

    def _compute_figures(self, today):
        """{rule id: {start, failures, units, value, exceeded}} for the
        window of each rule ending ``today``: one grouped query on the
        failures (by model, part and supplier in grouping sets) and one on
        the units in service, for all the rules."""
        self.env["forklift.unit.exposure"]._tune_session()
        starts = {rule.id: rule._get_window_start(today) for rule in self}
        first = min(starts.values())
        period = [
            ("date", ">=", first),
            ("date", "<=", today),
            ("company_id", "in", self.company_id.ids),
        ]
        dimensions = ["company_id", "market", "model_id", "date:month"]
        # each sheet counted once, or once for each part or supplier replaced;
        # the parts are read only when a rule watches one
        rates = self.env["forklift.failure.rate.analysis"]
        counts = ["sheet_count:sum", "part_count:sum", "supplier_count:sum"]
        by_part = by_supplier = []
        if self.filtered(lambda r: r.part_id or r.supplier_id):
            # the parts of the rules only: a sheet without them still counts
            # once for its model
            watched = (self.part_id.ids, self.supplier_id.ids)
            by_model, by_part, by_supplier = rates.with_context(
                **{WATCHED_CONTEXT_KEY: watched}
            )._read_grouping_sets(
                period,
                [
                    dimensions,
                    [*dimensions, "part_id", "supplier_id"],
                    [*dimensions, "supplier_id"],
                ],
                counts,
            )
        else:
            (by_model,) = rates.with_context(
                **{PARTS_CONTEXT_KEY: False}
            )._read_grouping_sets(period, [dimensions], counts)
        by_model = [(*row[:4], row[4]) for row in by_model]
        by_part = [(*row[:6], row[7]) for row in by_part]
        by_supplier = [(*row[:5], row[7]) for row in by_supplier]
        # units in service: one query, a row per forklift, MIS band and
        # window start (the rules' windows are of a few lengths)
        periods = sorted(set(starts.values()))
        rows = (
            self.env["forklift.unit.exposure"]
            .with_context(
                **{
                    MONTHS_CONTEXT_KEY: (month_index(first), month_index(today)),
                    GRAIN_CONTEXT_KEY: "period",
                    BANDS_CONTEXT_KEY: False,
                    FIELDS_CONTEXT_KEY: ["company_id", "market", "model_id"],
                    PERIODS_CONTEXT_KEY: [
                        (month_index(start), month_index(today)) for start in periods
                    ],
                }
            )
            ._read_group(
                [*period, ("kind", "=", "unit")],
                ["period", "company_id", "market", "model_id"],
                ["unit_count:sum"],
            )
        )
        exposure = {start: [] for start in periods}
        for index, *values in rows:
            exposure[periods[index]].append(values)
        result = {}
        for rule in self:
            start = starts[rule.id]
            if rule.part_id:
                rows = [
                    row
                    for row in by_part
                    if row[4] == rule.part_id
                    and (not rule.supplier_id or row[5] == rule.supplier_id)
                ]
            elif rule.supplier_id:
                rows = [row for row in by_supplier if row[4] == rule.supplier_id]
            else:
                rows = by_model
            failures = sum(row[-1] for row in rows if rule._matches(row, start))
            unit_months = sum(
                row[-1]
                for row in exposure[start]
                if rule._matches((*row[:3], start), start)
            )
            units = unit_months / rule.window_months
            rate = failures * 100.0 / units if units else 0.0
            value = rate if rule.threshold_type == "rate" else float(failures)
            result[rule.id] = {
                "start": start,
                "failures": failures,
                "units": units,
                "rate": rate,
                "value": value,
                "exceeded": bool(
                    units >= rule.min_units and failures and value > rule.threshold
                ),
            }
        return result

    def _matches(self, row, start):
        """A row (company, market, model, month, ...) is in the rule's scope
        and window."""
        company, market, model, month = row[:4]
        return (
            company == self.company_id
            and (not self.market or market == self.market)
            and (not self.model_id or model == self.model_id)
            and month >= start
        )

    def _raise_issues(self, figures, today):
        """One abnormal issue per rule and window (000 §4.2.4, R-245): the
        rules that already raised one for their current window raise none."""
        issue_model = self.env["forklift.abnormal.issue"]
        raised = {
            (issue.warning_rule_id.id, issue.warning_window_start)
            for issue in issue_model.with_context(active_test=False).search(
                [("warning_rule_id", "in", self.ids)]
            )
        }
        issues = issue_model
        for rule in self:
            figure = figures[rule.id]
            if (rule.id, figure["start"]) in raised:
                continue
            try:
                with self.env.cr.savepoint():
                    issues |= rule._raise_issue(figure, today)
            except psycopg2.IntegrityError:
                # raised meanwhile by another run for the same window
                _logger.info("Rule %s already raised for %s", rule.id, figure["start"])
        return issues

    def _get_issue_case(self, groups):
        """The sheet the raised issue hangs on, from the failing sheets of
        the window as (case, market, last failure day), latest first: the
        latest one. The export addon picks the latest export sheet, so that
        the issue goes to its export division too."""
        return groups[0][0]

    def _raise_issue(self, figure, today):
        self.ensure_one()
        rate_model = self.env["forklift.failure.rate.analysis"]
        # the parts the rule watches only, if any
        if self.part_id or self.supplier_id:
            rate_model = rate_model.with_context(
                **{WATCHED_CONTEXT_KEY: (self.part_id.ids, self.supplier_id.ids)}
            )
        else:
            rate_model = rate_model.with_context(**{PARTS_CONTEXT_KEY: False})
        groups = rate_model._read_group(
            self._get_failure_domain(figure["start"], today),
            ["feedback_id"],
            ["market:max", "date:max"],
        )
        groups.sort(key=lambda g: (g[2], g[0].id), reverse=True)
        cases = self.env["forklift.feedback"].browse(
            [case.id for case, *_rest in groups]
        )
        case = self._get_issue_case(groups)
        issue = self.env["forklift.abnormal.issue"]._create_flow(
            [
                {
                    "title": self.env._("Early warning: %s", self.name),
                    "feedback_id": case.id,
                    "cause_type": "product",
                    "user_id": self.user_id.id,
                    "description": self._describe(figure, today, cases),
                    "warning_rule_id": self.id,
                    "warning_window_start": figure["start"],
                    "warning_window_end": today,
                    "warning_value": figure["value"],
                    "warning_failures": figure["failures"],
                    "warning_units": figure["units"],
                    "warning_feedback_ids": [Command.set(cases.ids)],
                }
            ]
        )
        issue._as_flow().action_submit()
        self.message_post(
            body=self.env._(
                "Threshold exceeded from %(start)s to %(end)s: abnormal issue "
                "%(issue)s raised.",
                start=figure["start"],
                end=today,
                issue=issue.name,
            )
        )
        return issue

    def _describe(self, figure, today, cases):
        """The evidence of a raised issue, in its description."""
        self.ensure_one()
        lines = [
            self.env._(
                "Early-warning rule %(rule)s: %(failures)s failures from %(start)s "
                "to %(end)s, %(units).1f units in service on average, i.e. "
                "%(rate).2f failures per 100 units.",
                rule=self.name,
                failures=figure["failures"],
                start=figure["start"],
                end=today,
                units=figure["units"],
                rate=figure["rate"],
            ),
            self.env._(
                "Threshold: %(type)s above %(threshold)s.",
                type=dict(
                    self._fields["threshold_type"]._description_selection(self.env)
                )[self.threshold_type],
                threshold=self.threshold,
            ),
        ]
        items = Markup("").join(
            Markup("<li>%s</li>") % case.display_name for case in cases[:LISTED_SHEETS]
        )
        more = (
            Markup("<p>%s</p>")
            % self.env._("… and %s more.", len(cases) - LISTED_SHEETS)
            if len(cases) > LISTED_SHEETS
            else ""
        )
        return Markup("").join(Markup("<p>%s</p>") % line for line in lines) + Markup(
            "<p>%s</p><ul>%s</ul>%s"
        ) % (self.env._("Feedback sheets:"), items, more)

from datetime import datetime, time, timedelta
from operator import attrgetter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.forklift_aftersales.models.forklift_document_fields import (
    document_company,
)

_lt = LazyTranslate(__name__)

DEADLINE_TYPES = [
    ("dispatch", "Dispatch within 24 h"),
    ("answer", "Answer to the customer"),
    ("onsite", "On site"),
    ("parts_shipping", "Warranty parts shipped"),
    ("dealer_sheet", "Dealer's signed sheet"),
    ("oldpart_return", "Dealer's old parts back"),
    ("supplier_reply", "Supplier's reply"),
    ("supplier_sheet", "Supplier's signed sheet"),
    ("deferred_payment", "Deferred payment collected"),
    ("reimbursement", "Local purchase claimed"),
]
PARTIES = [
    ("service_center", "Service Center"),
    ("dealer", "Dealer"),
    ("supplier", "Supplier"),
]
RATINGS = [
    ("1", "Poor"),
    ("2", "Fair"),
    ("3", "Good"),
    ("4", "Very good"),
    ("5", "Excellent"),
]


def _day_end(day):
    """A deadline or a step given as a day: the end of that day."""
    return datetime.combine(day + timedelta(days=1), time.min)


class ForkliftTimelinessAssessment(models.Model):
    """QA's assessment of the service quality and timeliness of the service
    center's handling of one feedback sheet (质量和及时性考核, R-076, R-259).

    000 §3.3: every deadline stored on the sheet, its service orders, parts
    requests and supplier letters is compared with when it was met; the
    service center's on-time rate and QA's quality rating are stored for the
    statistics by period.
    """

    _name = "forklift.timeliness.assessment"
    _description = "Forklift Service Quality and Timeliness Assessment"
    _inherit = [
        "mail.thread",
        "forklift.assessor.mixin",
        "forklift.feedback.record.mixin",
    ]
    _order = "period_date desc, id desc"
    _rec_name = "feedback_id"
    _check_company_auto = True

    feedback_user_id = fields.Many2one(
        related="feedback_id.user_id", string="Handled By", store=True
    )
    period_date = fields.Date(
        string="Period",
        required=True,
        help="The day the sheet's service was done, for the statistics by period.",
    )
    assessed_by_id = fields.Many2one("res.users", readonly=True)
    assessed_date = fields.Datetime(readonly=True)
    line_ids = fields.One2many(
        "forklift.timeliness.assessment.line", "assessment_id", string="Deadlines"
    )
    sc_deadline_count = fields.Integer(
        string="Service Center Deadlines", compute="_compute_rates", store=True
    )
    sc_late_count = fields.Integer(
        string="Service Center Late", compute="_compute_rates", store=True
    )
    sc_on_time_rate = fields.Float(
        string="Service Center On Time (%)",
        compute="_compute_rates",
        store=True,
        aggregator="avg",
    )
    deadline_count = fields.Integer(
        string="Deadlines Counted", compute="_compute_rates", store=True
    )
    met_count = fields.Integer(string="Met", compute="_compute_rates", store=True)
    missed_count = fields.Integer(string="Missed", compute="_compute_rates", store=True)
    service_quality = fields.Selection(
        RATINGS, tracking=True, help="QA's rating of the service quality."
    )
    comment = fields.Text(tracking=True)

    _feedback_unique = models.Constraint(
        "unique(feedback_id)", "A feedback sheet is assessed once; refresh it instead."
    )

    @api.model
    def _get_flow_fields(self):
        """The deadlines, the rates and who assessed when are computed from
        the sheet by QA's assessment, never typed (R-076, R-259)."""
        return super()._get_flow_fields() | {
            "period_date",
            "assessed_by_id",
            "assessed_date",
            "line_ids",
            "sc_deadline_count",
            "sc_late_count",
            "sc_on_time_rate",
            "deadline_count",
            "met_count",
            "missed_count",
        }

    @api.model
    def _get_fixed_fields(self):
        return super()._get_fixed_fields() | {"feedback_id"}

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_flow_write():
            raise UserError(
                self.env._(
                    "A timeliness assessment is made from its feedback sheet by "
                    "QA's assessment, never typed."
                )
            )
        return super().create(vals_list)

    @api.depends("line_ids.on_time", "line_ids.party")
    def _compute_rates(self):
        for assessment in self:
            lines = assessment.line_ids.filtered(
                lambda line: line.party == "service_center"
            )
            late = lines.filtered(lambda line: not line.on_time)
            assessment.sc_deadline_count = len(lines)
            assessment.sc_late_count = len(late)
            assessment.sc_on_time_rate = (
                100.0 * (len(lines) - len(late)) / len(lines) if lines else 100.0
            )
            missed = assessment.line_ids.filtered(lambda line: not line.on_time)
            assessment.deadline_count = len(assessment.line_ids)
            assessment.missed_count = len(missed)
            assessment.met_count = len(assessment.line_ids) - len(missed)

    @api.model
    def _assess(self, case):
        """Create or refresh the assessment of a feedback sheet."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_qa"):
            raise UserError(self.env._("The timeliness assessment is made by QA."))
        # export: the department holding the assessment of the market
        self.env["forklift.duty.assignment"]._check_duty(
            "assessment", case.market, case.company_id
        )
        case._check_state(
            ("done", "reported", "closed"),
            self.env._("Assess %s once its service is done."),
        )
        assessment = case.timeliness_assessment_ids[:1]
        vals = {
            "period_date": fields.Date.to_date(case.done_date or fields.Datetime.now()),
            "assessed_date": fields.Datetime.now(),
            "line_ids": [fields.Command.clear()]
            + [
                fields.Command.create(line)
                for line in self._prepare_deadline_lines(case)
            ],
        }
        if assessment:
            # a refresh recomputes the deadlines: the rating stays its
            # assessor's, under his name, whoever refreshes
            assessment._write_flow(vals)
        else:
            assessment = self._create_flow(
                [dict(vals, feedback_id=case.id, assessed_by_id=self.env.uid)]
            )
        return assessment

    def action_refresh(self):
        for assessment in self:
            self._assess(assessment.feedback_id)

    @api.model
    def _prepare_deadline_lines(self, case):
        """Every deadline stored for the sheet with when it was met. A deadline
        not met yet counts only once it has passed."""
        now = fields.Datetime.now()
        deadlines = [
            (
                "dispatch",
                "service_center",
                case.dispatch_deadline,
                case.dispatched_date,
            ),
            ("answer", "service_center", case.answer_deadline, case.answered_date),
        ]
        if case.route != "remote":
            deadlines.append(
                ("onsite", "service_center", case.onsite_deadline, case.arrival_date)
            )
        for request in case.parts_request_ids.filtered(lambda r: r.state != "cancel"):
            deadlines.append(
                (
                    "parts_shipping",
                    "service_center",
                    request.ship_deadline,
                    # sudo: QA reads when the delivery left without stock rights
                    request.picking_id.sudo().date_done,
                )
            )
        for order in case.service_order_ids.filtered(
            lambda o: o.performer_type == "dealer" and o.state != "cancel"
        ):
            # the signed sheet is back when the dealer sent it on the portal,
            # or when the service center registered the paper one
            returned = [
                d for d in (order.signed_sheet_date, order.registered_date) if d
            ]
            deadlines.append(
                (
                    "dealer_sheet",
                    "dealer",
                    order.return_deadline,
                    min(returned, default=False),
                )
            )
        deadlines += self._prepare_oldpart_deadlines(case)
        deadlines += self._prepare_payment_deadlines(case)
        deadlines += self._prepare_reimbursement_deadlines(case)
        for letter in case.supplier_letter_ids.filtered(lambda x: x.state != "cancel"):
            deadlines += [
                (
                    "supplier_reply",
                    "supplier",
                    letter.reply_deadline,
                    letter.replied_date,
                ),
                (
                    "supplier_sheet",
                    "supplier",
                    letter.sheet_deadline,
                    letter.sheet_received_date,
                ),
            ]
        lines = []
        for deadline_type, party, due, done in deadlines:
            if not due or (not done and due >= now):
                continue
            late_by = ((done or now) - due).total_seconds() / 3600
            lines.append(
                {
                    "deadline_type": deadline_type,
                    "party": party,
                    "due_date": due,
                    "done_date": done,
                    "on_time": bool(done) and done <= due,
                    "delay_hours": max(late_by, 0.0),
                }
            )
        return lines

    @api.model
    def _prepare_oldpart_deadlines(self, case):
        """The dealer's warranty old parts, due back within 30 days
        (000 §4.3.2.5, R-167, R-235): due by the end of their due day, met by
        the end of the day the service center received them, so the delay is
        the return's days late in hours."""

        notes = case.parts_request_ids.oldpart_return_ids.filtered(
            lambda n: (
                n.returned_by_type == "dealer" and n.state != "cancel" and n.due_date
            )
        )
        return self._day_deadlines(
            "oldpart_return",
            "dealer",
            notes,
            attrgetter("due_date"),
            attrgetter("received_date"),
        )

    @api.model
    def _prepare_payment_deadlines(self, case):
        """A deferred paid-service payment is collected within 30 days of the
        service (000 §4.3.2.1, R-165) by the technician: due by the end of the
        invoice's due day, met by the end of the day it was paid."""
        # sudo: QA reads the invoices and their payments without accounting rights
        case = case.sudo()
        if case.payment_mode != "deferred":
            return []
        invoices = case.sale_order_id.invoice_ids.filtered(
            lambda i: (
                i.state == "posted"
                and i.move_type == "out_invoice"
                and i.invoice_date_due
            )
        )
        return self._day_deadlines(
            "deferred_payment",
            "service_center",
            invoices,
            attrgetter("invoice_date_due"),
            self._get_paid_date,
        )

    @api.model
    def _get_paid_date(self, invoice):
        """The day the invoice was paid in full, or False."""
        if invoice.payment_state not in ("paid", "in_payment"):
            return False
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        # reconciled with a payment's entry, or matched with a payment that
        # waits for the bank statement
        dates = receivable.matched_credit_ids.mapped("max_date") + [
            payment.date
            for payment in invoice.matched_payment_ids
            if payment.state in ("in_process", "paid")
        ]
        return max(dates, default=False)

    @api.model
    def _prepare_reimbursement_deadlines(self, case):
        """A local purchase is claimed for reimbursement within 30 days of the
        purchase (000 §4.3.2.2, R-166), by the service center's technician."""
        # sudo: QA reads the local purchases of the sheet
        purchases = case.sudo().local_purchase_ids.filtered(
            lambda p: p.state != "cancel" and p.claim_deadline
        )
        return self._day_deadlines(
            "reimbursement",
            "service_center",
            purchases,
            attrgetter("claim_deadline"),
            attrgetter("claim_date"),
        )

    @api.model
    def _day_deadlines(self, deadline_type, party, records, due, done):
        """The ``deadline_type`` deadline of ``party`` on each of ``records``,
        counted in days: due by the end of the day ``due(record)``, met by the
        end of the day ``done(record)`` (nothing yet: not met)."""
        return [
            (
                deadline_type,
                party,
                _day_end(due(record)),
                (done_day := done(record)) and _day_end(done_day),
            )
            for record in records
        ]


class ForkliftTimelinessAssessmentLine(models.Model):
    """One deadline of an assessed feedback sheet and whether it was met."""

    _name = "forklift.timeliness.assessment.line"
    _description = "Forklift Assessed Deadline"
    _inherit = ["forklift.flow.mixin", "forklift.copy.refused.mixin"]
    _copy_refused_message = _lt(
        "Assessed deadlines are computed by the assessment: a deadline is not "
        "duplicated; refresh the assessment instead."
    )
    _order = "assessment_id, due_date, id"

    assessment_id = fields.Many2one(
        "forklift.timeliness.assessment",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = document_company("assessment_id")
    feedback_id = fields.Many2one(related="assessment_id.feedback_id", store=True)
    period_date = fields.Date(related="assessment_id.period_date", store=True)
    deadline_type = fields.Selection(DEADLINE_TYPES, string="Deadline", required=True)
    party = fields.Selection(PARTIES, string="Owed By", required=True)
    due_date = fields.Datetime(string="Due", required=True)
    done_date = fields.Datetime(string="Met On")
    on_time = fields.Boolean()
    delay_hours = fields.Float(string="Late By (h)", aggregator="avg")

    @api.model
    def _get_flow_fields(self):
        """Every deadline line is computed by the assessment."""
        return super()._get_flow_fields() | {
            "assessment_id",
            "deadline_type",
            "party",
            "due_date",
            "done_date",
            "on_time",
            "delay_hours",
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_assessment(self):
        if not self._is_flow_write():
            raise AccessError(
                self.env._(
                    "Assessed deadlines change only by refreshing the assessment."
                )
            )

import math

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, mute_logger

from ..controllers.portal import UPLOAD_MAX_SIZE_DEFAULT, UPLOAD_MAX_SIZE_PARAM
from .forklift_unit_exposure import DEFAULT_BATCH_PATTERN


class ResConfigSettings(models.TransientModel):
    """Settings > After-Sales: the deadlines of the procedure a company sets
    for itself (on the company), and the numbers the whole database shares
    (system parameters). Only a Settings administrator saves them (R-044)."""

    _inherit = "res.config.settings"

    # The company's deadlines

    forklift_dispatch_hours = fields.Integer(
        related="company_id.forklift_dispatch_hours", readonly=False
    )
    forklift_dealer_return_days = fields.Integer(
        related="company_id.forklift_dealer_return_days", readonly=False
    )
    forklift_report_backdate_days = fields.Integer(
        related="company_id.forklift_report_backdate_days", readonly=False
    )
    forklift_parts_ship_working_days = fields.Integer(
        related="company_id.forklift_parts_ship_working_days", readonly=False
    )
    forklift_parts_supply_common_hours = fields.Integer(
        related="company_id.forklift_parts_supply_common_hours", readonly=False
    )
    forklift_parts_supply_urgent_hours = fields.Integer(
        related="company_id.forklift_parts_supply_urgent_hours", readonly=False
    )
    forklift_oldpart_return_days = fields.Integer(
        related="company_id.forklift_oldpart_return_days", readonly=False
    )
    forklift_local_purchase_claim_days = fields.Integer(
        related="company_id.forklift_local_purchase_claim_days", readonly=False
    )
    forklift_payment_deferral_days = fields.Integer(
        related="company_id.forklift_payment_deferral_days", readonly=False
    )
    forklift_technical_answer_working_days = fields.Integer(
        related="company_id.forklift_technical_answer_working_days", readonly=False
    )
    forklift_vehicle_inspection_days = fields.Integer(
        related="company_id.forklift_vehicle_inspection_days", readonly=False
    )
    forklift_abnormal_issue_days = fields.Integer(
        related="company_id.forklift_abnormal_issue_days", readonly=False
    )
    forklift_committee_review_days = fields.Integer(
        related="company_id.forklift_committee_review_days", readonly=False
    )

    # Shared by all companies (system parameters)

    forklift_committee_quorum = fields.Integer(
        string="Committee Quorum (Seats)",
        config_parameter="forklift_aftersales.committee_quorum",
        default=3,
        help="Seat holders of the after-sales committee who must confirm their "
        "attendance before a decision is submitted; the committee has five "
        "seats (000 §5, R-248).",
    )
    forklift_monthly_report_day = fields.Integer(
        string="Monthly Statistics Due Day",
        config_parameter="forklift_aftersales.monthly_report_day",
        default=5,
        help="Day of the month by the end of which the monthly statistics and "
        "analysis report are mailed (000 §4.1.6, R-073, R-170, A-10).",
    )
    forklift_labour_hour_cost = fields.Float(
        string="Labour Hour Cost",
        config_parameter="forklift_aftersales.labour_hour_cost",
        help="Cost of one hour of work on site, in the company currency, used "
        "by the after-sales statistics to value the labour (000 §4.3.2.1, "
        "R-256, R-259).",
    )
    forklift_followup_first_start_days = fields.Integer(
        string="First Follow-Up Call From (Days)",
        config_parameter="forklift_aftersales.followup_first_start_days",
        default=3,
        help="Days after the feedback sheet is closed when the first follow-up "
        "call window opens (000 第五篇 (三)4, R-112, R-184).",
    )
    forklift_followup_first_end_days = fields.Integer(
        string="First Follow-Up Call Until (Days)",
        config_parameter="forklift_aftersales.followup_first_end_days",
        default=7,
        help="Days after the feedback sheet is closed when the first follow-up "
        "call is due (000 第五篇 (三)4, R-112, R-184).",
    )
    forklift_followup_second_start_days = fields.Integer(
        string="Second Follow-Up Call From (Days)",
        config_parameter="forklift_aftersales.followup_second_start_days",
        default=7,
        help="Days after the first call when the second follow-up call window "
        "opens (000 第五篇 (三)5, R-185).",
    )
    forklift_followup_second_end_days = fields.Integer(
        string="Second Follow-Up Call Until (Days)",
        config_parameter="forklift_aftersales.followup_second_end_days",
        default=14,
        help="Days after the first call when the second follow-up call is due "
        "(000 第五篇 (三)5, R-185).",
    )
    forklift_event_notice_days = fields.Integer(
        string="Event Notice Ahead (Days)",
        config_parameter="forklift_aftersales.event_notice_days",
        default=14,
        help="Days before a customer event when its customers are phoned "
        "(000 第五篇 (三)6, R-116, R-187); applies to events dated afterwards.",
    )
    forklift_event_letter_days = fields.Integer(
        string="Event Letter After the Call (Days)",
        config_parameter="forklift_aftersales.event_letter_days",
        default=2,
        help="Days after the call within which the event's notice letter is "
        "sent (000 第五篇 (三)6, R-116, R-187).",
    )
    forklift_survey_answer_days = fields.Integer(
        string="Survey Open For (Days)",
        config_parameter="forklift_aftersales.survey_answer_days",
        default=30,
        help="Days the mailed satisfaction survey link stays open for the "
        "customer's answer (R-037, R-120).",
    )
    forklift_batch_pattern = fields.Char(
        string="Production Batch Pattern",
        config_parameter="forklift_aftersales.batch_pattern",
        default=DEFAULT_BATCH_PATTERN,
        help="PostgreSQL regular expression applied to a forklift's serial "
        "number; its first group is the production batch the quality early "
        "warnings and failure rates group by (000 §4.2.4). By default the "
        "serial number before its last dash.",
    )
    forklift_portal_upload_max_size = fields.Integer(
        string="Largest Portal Upload (Bytes)",
        config_parameter=UPLOAD_MAX_SIZE_PARAM,
        default=UPLOAD_MAX_SIZE_DEFAULT,
        help="Largest file, in bytes, a portal user may upload or sign with "
        "(signed sheets, signatures); 10485760 bytes = 10 MB.",
    )

    @api.constrains(
        "forklift_committee_quorum",
        "forklift_monthly_report_day",
        "forklift_labour_hour_cost",
        "forklift_followup_first_start_days",
        "forklift_followup_first_end_days",
        "forklift_followup_second_start_days",
        "forklift_followup_second_end_days",
        "forklift_event_notice_days",
        "forklift_event_letter_days",
        "forklift_survey_answer_days",
        "forklift_portal_upload_max_size",
    )
    def _check_forklift_numbers(self):
        for settings in self:
            if not math.isfinite(settings.forklift_labour_hour_cost):
                # every report's cost figures are counted from it
                raise ValidationError(
                    self.env._("The labour hour cost is not a number.")
                )
            if not 1 <= settings.forklift_monthly_report_day <= 28:
                raise ValidationError(
                    self.env._(
                        "The monthly statistics are due on a day from 1 to 28 "
                        "of the month."
                    )
                )
            if settings.forklift_committee_quorum < 1:
                raise ValidationError(
                    self.env._("The committee quorum is at least one seat.")
                )
            if (
                settings.forklift_followup_first_start_days
                > settings.forklift_followup_first_end_days
                or settings.forklift_followup_second_start_days
                > settings.forklift_followup_second_end_days
            ):
                raise ValidationError(
                    self.env._("A follow-up call window cannot close before it opens.")
                )
            if any(
                settings[fname] < 0
                for fname in (
                    "forklift_labour_hour_cost",
                    "forklift_followup_first_start_days",
                    "forklift_followup_second_start_days",
                    "forklift_event_notice_days",
                    "forklift_event_letter_days",
                    "forklift_survey_answer_days",
                    "forklift_portal_upload_max_size",
                )
            ):
                raise ValidationError(
                    self.env._(
                        "The after-sales days, sizes and costs cannot be negative."
                    )
                )

    @api.constrains("forklift_batch_pattern")
    def _check_forklift_batch_pattern(self):
        for settings in self.filtered("forklift_batch_pattern"):
            # the statistics run the pattern in PostgreSQL: let it judge it
            # (quietly: a wrong pattern is the user's typing, not a server error)
            try:
                with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                    self.env.cr.execute(
                        SQL(
                            "SELECT regexp_match('', %s)",
                            settings.forklift_batch_pattern,
                        )
                    )
            except psycopg2.Error as error:
                raise ValidationError(
                    self.env._(
                        "The production batch pattern is not a valid regular "
                        "expression: %(error)s",
                        error=error.diag.message_primary or str(error),
                    )
                ) from None

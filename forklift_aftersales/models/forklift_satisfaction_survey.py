from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import read_int_param, readable_parents_of_new
from .forklift_document_fields import (
    current_user,
    customer_link,
    stamp_datetime,
    stamped,
    workflow_state,
)

RATINGS = [
    ("1", "Very dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very satisfied"),
]
ANSWER_CHANNELS = [("link", "Mailed link"), ("phone", "Phone"), ("visit", "Visit")]


class ForkliftSatisfactionSurvey(models.Model):
    """Satisfaction survey on a closed case (满意度调查, R-037, R-120).

    001-B L151–153, L203: once the problem is solved the customer rates the
    service: the result, the timeliness and the attitude, plus a comment. The
    survey is mailed with a link protected by its access token; the customer
    may also answer by phone, recorded by the service center.
    """

    _name = "forklift.satisfaction.survey"
    _description = "Forklift Customer Satisfaction Survey"
    _inherit = [
        "forklift.sequence.mixin",
        "forklift.secret.token.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.flow.mixin",
        "forklift.feedback.record.mixin",
    ]
    _order = "id desc"
    _flow_editable_states = ("draft", "sent")
    _flow_deletable_states = ("draft",)

    state = workflow_state(
        [
            ("draft", "Not Sent"),
            ("sent", "Sent"),
            ("answered", "Answered"),
            ("cancel", "Cancelled"),
        ],
        index=True,
    )
    feedback_id = fields.Many2one(ondelete="cascade")
    unit_id = fields.Many2one(related="feedback_id.unit_id", string="Forklift")
    partner_id = customer_link(required=True, index=True)
    user_id = current_user(string="Responsible", index=True)
    sent_date = stamp_datetime()
    expiry_date = stamped(
        fields.Date,
        string="Answer By",
        help="No answer is recorded after this day, by the mailed link or by "
        "phone: set by the server when the survey is made, and when it is "
        "mailed.",
    )
    answered_date = stamp_datetime(tracking=True)
    answer_channel = stamped(fields.Selection, ANSWER_CHANNELS, string="Answered By")
    rating = stamped(fields.Selection, RATINGS, string="Overall", tracking=True)
    rating_result = stamped(fields.Selection, RATINGS, string="Result of the Repair")
    rating_timeliness = stamped(fields.Selection, RATINGS, string="Timeliness")
    rating_attitude = stamped(fields.Selection, RATINGS, string="Attitude")
    rating_score = fields.Integer(
        string="Score",
        compute="_compute_rating_score",
        store=True,
        aggregator="avg",
        help="The overall rating, 1 to 5, for averages.",
    )
    comment = stamped(fields.Text)
    # What the customer says on the phone, typed by the service center, then
    # recorded as the answer by "Record Answer Given by Phone"
    phone_rating = fields.Selection(RATINGS, string="Overall (Phone)", copy=False)
    phone_rating_result = fields.Selection(
        RATINGS, string="Result of the Repair (Phone)", copy=False
    )
    phone_rating_timeliness = fields.Selection(
        RATINGS, string="Timeliness (Phone)", copy=False
    )
    phone_rating_attitude = fields.Selection(
        RATINGS, string="Attitude (Phone)", copy=False
    )
    phone_comment = fields.Text(string="Comment (Phone)", copy=False)

    @api.constrains("feedback_id", "state")
    def _check_one_survey_per_sheet(self):
        """The customer rates a closed sheet once (R-037, R-120): a sheet has
        one survey out or answered; a cancelled one leaves room for another."""
        counted = self.filtered(lambda s: s.state != "cancel").feedback_id
        # sudo: every survey of the sheet counts, whoever adds one
        twice = self.sudo()._read_group(
            [("feedback_id", "in", counted.ids), ("state", "!=", "cancel")],
            ["feedback_id"],
            having=[("__count", ">", 1)],
        )
        if twice:
            raise ValidationError(self._get_surveyed_message(twice[0][0]))

    @api.depends("rating")
    def _compute_rating_score(self):
        for survey in self:
            survey.rating_score = int(survey.rating) if survey.rating else 0

    def _compute_access_url(self):
        for survey in self:
            survey.access_url = f"/forklift/satisfaction/{survey.id}"

    def _get_secret_token_refusal(self):
        """The key of the survey's link is the customer's, to answer it
        (001-B L151–153, R-037, R-120)."""
        return self.env._(
            "The link of a satisfaction survey is mailed to the customer "
            "only: nobody else is given its key."
        )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        """The customer's answer is written by the answer step only: the
        token-protected page, or the service center's record of a phone call
        (001-B L151–153, R-037)."""
        return {
            "state",
            "sent_date",
            "expiry_date",
            "answered_date",
            "answer_channel",
            "rating",
            "rating_result",
            "rating_timeliness",
            "rating_attitude",
            "comment",
        }

    @api.model
    def _get_fixed_fields(self):
        """A survey stays on the sheet it asks about."""
        return super()._get_fixed_fields() | {"feedback_id"}

    @api.model
    def _get_state_locked_fields(self):
        return {"partner_id": ("draft",)}

    @api.model
    def _get_phone_answer_fields(self):
        """What the customer says on the phone, as typed before it is
        recorded as his answer."""
        return {
            "phone_rating",
            "phone_rating_result",
            "phone_rating_timeliness",
            "phone_rating_attitude",
            "phone_comment",
        }

    def _get_rated_users(self):
        """Whose service the survey asks the customer to rate, and who are
        assessed on it (001-B L65): the sheet's responsible and the
        technicians of its service orders."""
        # sudo: the sheet's people decide, whoever writes the survey
        sheets = self.sudo().feedback_id
        return sheets.user_id | sheets.service_order_ids.technician_id

    def _is_rated_by_user(self):
        """Whether the user is one of those the survey rates (the server's
        own steps are not a person's)."""
        return not self.env.su and self.env.user in self._get_rated_users()

    def _get_rated_user_message(self):
        return self.env._(
            "%s rates your service: another person of the service center types "
            "and records its answer, or cancels it, as nobody assesses their own "
            "work.",
            self.name,
        )

    def _check_not_rated(self):
        """Refuse the steps that decide the answer (record it, cancel the
        survey) to whom the survey rates (R-037, R-120, R-049)."""
        for survey in self:
            if survey._is_rated_by_user():
                raise AccessError(survey._get_rated_user_message())

    def _get_locked_fields(self):
        """Whom the survey rates neither types nor records the answer given
        by phone (001-B L65, L151–153; R-037, R-120): nobody assesses their
        own work (R-049)."""
        locked = super()._get_locked_fields()
        if self._is_rated_by_user():
            locked |= self._get_phone_answer_fields()
        return locked

    def _get_state_locked_message(self, names):
        """A sent survey keeps its customer; an answered or cancelled survey
        is kept as it is; whom it rates does not type its answer."""
        if names & self._get_phone_answer_fields() and self._is_rated_by_user():
            return self._get_rated_user_message()
        if "partner_id" in names:
            return self.env._(
                "%s was sent to its customer: the customer no longer changes.",
                self.name,
            )
        return self.env._(
            "%s is answered or cancelled: it no longer changes.", self.name
        )

    def _get_flow_kept_message(self):
        return self.env._("A survey sent to the customer is kept: cancel it instead.")

    @api.model_create_multi
    def create(self, vals_list):
        """A survey asks the customer of a closed sheet to rate it, once
        (R-037, R-120): the server makes one when the sheet is closed
        (``_create_for_cases``); a user asks again only once that one is
        cancelled (``_check_one_survey_per_sheet``), the sheet's customer or
        one of its contacts, without an answer typed in by whom the survey
        rates (``_get_rated_users``). Refused after the flow's own checks, and
        then nothing is kept. Every survey gets its last day
        (``_set_last_day``)."""
        if self._is_flow_write():
            surveys = super().create(vals_list)
            surveys._set_last_day()
            return surveys
        # Odoo's access rights answer first: the one-survey check reads the
        # sheets with sudo, and names them
        readable_parents_of_new(self, vals_list, "feedback_id")
        with self.env.cr.savepoint():
            surveys = super().create(vals_list)
            # sudo: the sheet's state and customer decide, whoever asks
            for survey in surveys.sudo():
                sheet = survey.feedback_id
                if sheet.state != "closed":
                    raise UserError(
                        self.env._(
                            "%s is not closed: its customer is asked to rate the "
                            "service once the sheet is closed.",
                            sheet.display_name,
                        )
                    )
                self._check_partner_is_the_customer(
                    sheet, survey.with_env(self.env).partner_id
                )
            for survey in surveys.with_env(self.env):
                if survey._is_rated_by_user() and any(
                    survey[name] for name in self._get_phone_answer_fields()
                ):
                    raise UserError(survey._get_rated_user_message())
        surveys._set_last_day()
        return surveys

    def _set_last_day(self):
        """A survey takes answers as long after the day it is made as a
        mailed link stays open (R-037, R-120): one never mailed (its customer
        has no e-mail) closes to answers by phone too."""
        days = self._get_answer_days()
        for survey in self.filtered(lambda s: not s.expiry_date):
            survey._write_flow(
                {
                    "expiry_date": survey.company_id._forklift_today()
                    + timedelta(days=days)
                }
            )

    @api.model
    def _get_answer_days(self):
        """How many days a survey takes answers (the settings')."""
        return read_int_param(self.env, "forklift_aftersales.survey_answer_days", 30)

    def _check_locked_fields(self, vals):
        """A draft survey changes its customer for the sheet's customer or
        one of its contacts only."""
        res = super()._check_locked_fields(vals)
        if "partner_id" in vals:
            partner = self.env["res.partner"].browse(vals["partner_id"])
            for survey in self:
                # sudo: the sheet of a survey the user writes
                self._check_partner_is_the_customer(survey.sudo().feedback_id, partner)
        return res

    @api.model
    def _get_surveyed_message(self, sheet):
        return self.env._(
            "%s already has its survey: the customer rates a sheet once. Cancel "
            "that survey to ask him again.",
            sheet.sudo().display_name,
        )

    @api.model
    def _check_partner_is_the_customer(self, sheet, partner):
        """The survey of ``sheet`` asks its customer or one of its contacts:
        ``partner`` rates the service in no one else's name."""
        customer = sheet.sudo().partner_id.commercial_partner_id
        # sudo: the partner's company decides, whoever names him
        if not customer or partner.sudo().commercial_partner_id != customer:
            raise ValidationError(
                self.env._(
                    "%(partner)s is not the customer of %(sheet)s, nor one of "
                    "its contacts: the survey asks the sheet's customer.",
                    partner=partner.display_name,
                    sheet=sheet.sudo().display_name,
                )
            )

    # Actions

    def action_send(self):
        """Mail the survey link to the customer and register the letter. The
        link, with its key, is in the customer's e-mail only
        (``_mail_link_privately``), never in the survey's chatter (R-037,
        R-120)."""
        # a step of the document is taken by who may edit it, not a reader
        self.check_access("write")
        days = self._get_answer_days()
        template = self.env.ref("forklift_aftersales.mail_template_satisfaction_survey")
        letter_model = self.env["forklift.care.letter"]
        for survey in self:
            survey._check_state(
                ("draft", "sent"), self.env._("%s is already answered.")
            )
            # mailed now, it would reopen a survey past its last day
            survey._check_not_expired(
                self.env._(
                    "%(survey)s closed on %(date)s: it is no longer mailed. "
                    "Cancel it to ask the customer again."
                )
            )
            if not survey.partner_id.email:
                raise UserError(
                    self.env._(
                        "%s has no e-mail address: ask the questions by phone.",
                        survey.partner_id.display_name,
                    )
                )
            # sudo: the link's key is the server's (see _portal_ensure_token)
            survey.sudo()._portal_ensure_token()
            survey._write_flow(
                {
                    "state": "sent",
                    "sent_date": fields.Datetime.now(),
                    "expiry_date": survey.company_id._forklift_today()
                    + timedelta(days=days),
                }
            )
            # the link with its key goes to the customer's mailbox only, not
            # to the survey's chatter, which every reader of surveys reads;
            # the chatter says, in the user's name, that it was mailed
            survey._mail_link_privately(template, survey.partner_id)
            survey._message_log(
                body=self.env._(
                    "Satisfaction survey mailed to %s.",
                    survey.partner_id.display_name,
                )
            )
            letter_model._create_flow(
                {
                    "letter_type": "survey",
                    "partner_id": survey.partner_id.id,
                    "feedback_id": survey.feedback_id.id,
                    "survey_id": survey.id,
                    "company_id": survey.company_id.id,
                    "subject": self.env._("Satisfaction survey %s", survey.name),
                    "send_method": "email",
                    "state": "sent",
                    "sent_date": survey.company_id._forklift_today(),
                }
            )

    def action_record_phone_answer(self):
        """The service center records the answers given on the phone."""
        # a step of the document is taken by who may edit it, not a reader
        self.check_access("write")
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(
                self.env._("Only the service center records answers given by phone.")
            )
        self._check_not_rated()
        for survey in self:
            survey._record_answer(
                {
                    "rating": survey.phone_rating,
                    "rating_result": survey.phone_rating_result,
                    "rating_timeliness": survey.phone_rating_timeliness,
                    "rating_attitude": survey.phone_rating_attitude,
                    "comment": survey.phone_comment,
                },
                channel="phone",
            )

    def action_cancel(self):
        self._check_not_rated()
        self._take_state_step(
            ("draft", "sent"),
            self.env._("%s is answered or cancelled already: it cannot be cancelled."),
            "cancel",
        )

    # Business methods

    def _is_open_for_answers(self):
        """Whether the mailed link takes the customer's answer."""
        self.ensure_one()
        return self.state == "sent" and not self._is_expired()

    def _is_expired(self):
        """Whether the survey's last day, where the company is, has passed."""
        self.ensure_one()
        return self._get_last_day() < self.company_id._forklift_today()

    def _check_not_expired(self, message):
        """Refused once the survey's last day has passed: ``message``, already
        translated, says what is refused, of the ``%(survey)s`` closed on
        its last day ``%(date)s``."""
        self.ensure_one()
        if self._is_expired():
            raise UserError(
                message % {"survey": self.name, "date": self._get_last_day()}
            )

    def _get_last_day(self):
        """The survey's last day: the one the server set; for a survey made
        before every survey had one, as long after the day it was made."""
        self.ensure_one()
        if self.expiry_date:
            return self.expiry_date
        made = self.company_id._forklift_local_date(
            self.create_date or fields.Datetime.now()
        )
        return made + timedelta(days=self._get_answer_days())

    def _record_answer(self, answers, channel="link"):
        """Store the customer's ratings and comment. Every rating is 1 to 5
        and the overall one is required; a survey is answered once."""
        self.ensure_one()
        if self.state == "answered":
            raise UserError(self.env._("This survey has already been answered."))
        self._check_state(("draft", "sent"), self.env._("This survey is cancelled."))
        if channel == "link" and not self._is_open_for_answers():
            raise UserError(self.env._("This survey is closed."))
        # the last day closes the survey to every answer, not the link only
        self._check_not_expired(
            self.env._(
                "%(survey)s closed on %(date)s: no answer is recorded after its "
                "last day, by phone either."
            )
        )
        valid = {key for key, _label in RATINGS}
        vals = {}
        for field in (
            "rating",
            "rating_result",
            "rating_timeliness",
            "rating_attitude",
        ):
            value = answers.get(field) or False
            if value and value not in valid:
                raise ValidationError(self.env._("A rating goes from 1 to 5."))
            vals[field] = value
        if not vals["rating"]:
            raise ValidationError(self.env._("Give an overall rating from 1 to 5."))
        comment = (answers.get("comment") or "").strip()
        vals.update(
            {
                "comment": comment[:5000] or False,
                "state": "answered",
                "answered_date": fields.Datetime.now(),
                "answer_channel": channel,
            }
        )
        self._write_flow(vals)
        self.message_post(
            body=self.env._(
                "Satisfaction survey answered: %(rating)s.",
                rating=dict(self._fields["rating"]._description_selection(self.env))[
                    self.rating
                ],
            ),
            subtype_xmlid="mail.mt_note",
        )
        if self.rating_score <= 2:
            # a dissatisfied customer is a complaint to handle (000 第五篇 接待§14)
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Dissatisfied customer: call back"),
                note=self.comment,
                user_id=(self.user_id or self.feedback_id.user_id or self.env.user).id,
            )
        return True

    @api.model
    def _create_for_cases(self, cases):
        """One survey on every closed case, mailed when the customer has an
        e-mail address (otherwise asked by phone)."""
        surveys = self._create_flow(
            [
                {
                    "feedback_id": case.id,
                    "partner_id": case.partner_id.commercial_partner_id.id,
                    "user_id": (case.user_id or self.env.user).id,
                }
                for case in cases.filtered("partner_id")
            ]
        )
        surveys.filtered(lambda s: s.partner_id.email).action_send()
        return surveys

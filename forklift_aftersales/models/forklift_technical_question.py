from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date, html2plaintext, is_html_empty

from ..tools import readable_parents_of_new, value_differs
from .forklift_document_fields import (
    stamp_datetime,
    stamp_user,
    stamped,
    workflow_state,
)

QUESTION_TOPICS = [
    ("technical", "Technical"),
    ("commissioning", "Commissioning"),
    ("process", "Process"),
    ("judgement", "Major quality judgement"),
]
QUESTION_STATES = [
    ("open", "Waiting for the Answer"),
    ("answered", "Answered"),
    ("cancel", "Cancelled"),
]


class ForkliftTechnicalQuestion(models.Model):
    """A question of the service center to R&D about a feedback sheet
    (000 §3.4, 第一篇 L27, R-074).

    R&D (export: the after-sales parts department, A-07) answers the
    technical, commissioning and process questions of a sheet and takes part
    in judging its major quality issues. The question goes to the department
    holding the "technical answers" duty of the sheet's market (R-270), with a
    due date in working days of the company's calendar; its members get a
    to-do, only they may answer, and the answer is posted on the sheet. An
    answer still missing after the due date is reminded by the sheet's
    overdue reminders.
    """

    _name = "forklift.technical.question"
    _description = "Forklift Technical Question to R&D"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.overdue.mixin",
        "forklift.flow.mixin",
        "forklift.feedback.record.mixin",
    ]
    _order = "id desc"
    _flow_deletable_states = ("cancel",)
    _overdue_deadline_field = "due_date"
    _overdue_open_states = ("open",)
    # the department answering reads the sheet; it discusses without editing it
    _mail_post_access = "read"

    state = workflow_state(QUESTION_STATES, default="open", index=True)
    feedback_id = fields.Many2one(ondelete="cascade")
    unit_id = fields.Many2one(related="feedback_id.unit_id", string="Forklift")
    topic = fields.Selection(
        QUESTION_TOPICS, required=True, default="technical", tracking=True
    )
    question = fields.Text(required=True, tracking=True)
    department_id = stamped(
        fields.Many2one,
        "res.groups",
        string="Asked To",
        help="The department holding the technical answers of the sheet's market "
        "when the question was asked.",
    )
    asked_by_id = stamp_user()
    asked_date = stamp_datetime("Asked On")
    due_date = stamped(
        fields.Date,
        string="Answer Due",
        help="Working days after the question on the company's calendar "
        "(system parameter forklift_aftersales.technical_answer_working_days).",
    )
    answer = fields.Html(copy=False)
    answered_by_id = stamp_user()
    answered_date = stamp_datetime("Answered On")

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "department_id",
            "asked_by_id",
            "asked_date",
            "due_date",
            "answered_by_id",
            "answered_date",
        }

    @api.model
    def _get_fixed_fields(self):
        """A question stays on the sheet it was asked about."""
        return super()._get_fixed_fields() | {"feedback_id"}

    @api.model
    def _get_asked_fields(self):
        """What the question asks: its topic and its text (its sheet is
        fixed, the department it goes to the server's)."""
        return {"topic", "question"}

    @api.model
    def _get_state_locked_fields(self):
        """What was asked stays as the department read it."""
        return dict.fromkeys(self._get_asked_fields(), ("open",))

    def _get_locked_fields(self):
        """Once the department has saved an answer, even one not sent yet,
        what was asked stays as it read it: the answer sent answers that
        question (R-074)."""
        locked = super()._get_locked_fields()
        # sudo: the stored answer decides, whoever writes
        if self.sudo().answer:
            locked |= self._get_asked_fields()
        return locked

    def _get_state_locked_message(self, names):
        if self.state == "open":
            return self.env._(
                "%s is being answered: the question no longer changes. Withdraw "
                "it and ask a new question.",
                self.name,
            )
        return self.env._(
            "%s is answered or cancelled: the question no longer changes.", self.name
        )

    @api.model
    def _get_defaultless_fields(self):
        """The answer is given at its own step: no ``default_answer`` context
        key nor user default fills it (R-074)."""
        return super()._get_defaultless_fields() | {"answer"}

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_flow_write():
            if any(not is_html_empty(vals.get("answer")) for vals in vals_list):
                raise UserError(
                    self.env._("A question is answered once it has been asked.")
                )
            self._check_asker()
        for vals in vals_list:
            if "answer" in vals and is_html_empty(vals["answer"]):
                # an empty editor is no answer: it locks nothing
                vals["answer"] = False
        # the sheets the questions get, given or by a context default, which
        # the user reads (the refusal names them); sudo: the sheet's state
        # decides, whoever asks
        for case in readable_parents_of_new(self, vals_list, "feedback_id").sudo():
            if case.state in ("closed", "cancel"):
                raise UserError(
                    self.env._(
                        "%s is closed or cancelled: no question is asked about it.",
                        case.name,
                    )
                )
        questions = super().create(vals_list)
        questions._ask()
        return questions

    def write(self, vals):
        if not self._is_flow_write():
            if "answer" in vals:
                for question in self:
                    question._check_answerer()
            if self._get_asked_fields() & set(vals):
                self._check_asker()
        if "answer" in vals and is_html_empty(vals["answer"]):
            # an answer emptied in the editor is no answer started: it locks
            # the question no more than no answer (the form reads it so)
            vals = {**vals, "answer": False}
        asked = self._get_asked_fields() & set(vals)
        corrected = self.filtered(
            lambda question: (
                question.state == "open"
                and any(value_differs(question, n, vals[n]) for n in asked)
            )
        )
        res = super().write(vals)
        corrected._on_question_corrected()
        return res

    def _get_flow_kept_message(self):
        return self.env._("A question asked is kept: cancel it instead of deleting it.")

    # Actions

    def action_answer(self):
        """The department gives its answer: stored on the question and posted
        on the sheet for the service center (R-074)."""
        for question in self:
            question._check_answerer()
            if is_html_empty(question.answer):
                raise UserError(self.env._("Write the answer to %s.", question.name))
        now = fields.Datetime.now()
        self._write_flow(
            {"state": "answered", "answered_by_id": self.env.uid, "answered_date": now}
        )
        for question in self:
            question.activity_feedback(
                ["mail.mail_activity_data_todo"],
                feedback=self.env._("Answered."),
            )
            question.feedback_id._on_technical_question_answered(question)

    def action_cancel(self):
        self._check_asker()
        self._move_state(
            ("open",),
            self.env._("Only a question waiting for its answer can be cancelled (%s)."),
            "cancel",
            ["mail.mail_activity_data_todo"],
        )

    # Business methods

    def _check_asker(self):
        """The service center asks, changes and withdraws its questions."""
        if self.env.su:
            return
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(
                self.env._("Only the service center asks R&D a technical question.")
            )

    def _check_answerer(self):
        """Only the department holding the technical answers of the sheet's
        market answers, a question still waiting and asked by someone else
        (R-074, R-270)."""
        self.ensure_one()
        # Odoo's access rights first: R&D of another company, which
        # may hold the duty, is not told the question's state
        self.check_access("write")
        # sudo: the question's own state and sheet decide, whoever answers
        question = self.sudo()
        self.env["forklift.duty.assignment"]._check_duty(
            "technical", question.market, question.company_id
        )
        question._check_state(
            ("open",),
            self.env._("%s is answered or cancelled: its answer no longer changes."),
        )
        if not self.env.su and question.asked_by_id == self.env.user:
            # a member of both who asked would judge his own major sheet
            # and close it without R&D's judgement
            raise AccessError(
                self.env._(
                    "You asked %s: another member of the department answers it.",
                    question.name,
                )
            )

    def _ask(self):
        """Send each new question to the department holding the technical
        answers of its market, with its due date, and give every member a
        to-do (R-074)."""
        duty_model = self.env["forklift.duty.assignment"]
        now = fields.Datetime.now()
        for question in self:
            case = question.feedback_id
            department = duty_model._get_department(
                "technical", case.market, case.company_id
            )
            due = case.company_id._forklift_deadline(
                now, "forklift_technical_answer_working_days", "working_days"
            )
            question._write_flow(
                {
                    "department_id": department.id,
                    "asked_by_id": self.env.uid,
                    "asked_date": now,
                    "due_date": case.company_id._forklift_local_date(due),
                }
            )
            users = duty_model._get_duty_users(
                "technical", case.market, case.company_id
            )
            question.message_subscribe(partner_ids=users.partner_id.ids)
            question._schedule_todos(
                users,
                self.env._(
                    "Answer %(question)s about %(case)s",
                    question=question.name,
                    case=case.name,
                ),
                date_deadline=question.due_date,
                note=question._get_todo_note(),
            )
            case.message_post(
                body=self.env._(
                    "%(topic)s question %(question)s asked to %(department)s, "
                    "answer due %(due)s: %(text)s",
                    topic=question._get_topic_label(),
                    question=question.name,
                    department=department.sudo().name,
                    due=format_date(self.env, question.due_date),
                    text=question.question,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _get_topic_label(self):
        self.ensure_one()
        return dict(self._fields["topic"]._description_selection(self.env))[self.topic]

    def _get_todo_note(self):
        """The note of the department's to-do: the question as it reads."""
        self.ensure_one()
        return Markup("<p>%s</p><p>%s</p>") % (self._get_topic_label(), self.question)

    def _on_question_corrected(self):
        """The service center corrected questions not answered yet: the
        to-dos of the department say the question as it now reads, and the
        sheet's log says what it was corrected to (R-074)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for question in self:
            # sudo and the flow's mark: the department's to-dos, which the
            # asker does not edit, follow the question he may correct
            question._as_flow().activity_ids.filtered(
                lambda activity: activity.activity_type_id == todo
            ).write({"note": question._get_todo_note()})
            # sudo: logged on the sheet in the asker's name, whatever the
            # sheet's state lets him post
            question.feedback_id.sudo().message_post(
                author_id=self.env.user.partner_id.id,
                body=self.env._(
                    "%(topic)s question %(question)s corrected before any answer: "
                    "%(text)s",
                    topic=question._get_topic_label(),
                    question=question.name,
                    text=question.question,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _get_answer_text(self):
        self.ensure_one()
        return html2plaintext(self.answer or "").strip()

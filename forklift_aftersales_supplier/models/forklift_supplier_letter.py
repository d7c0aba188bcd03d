import base64
import binascii
import os

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime, is_html_empty

from odoo.addons.forklift_aftersales.controllers.portal import (
    UPLOAD_EXTENSIONS,
    check_portal_upload,
)
from odoo.addons.forklift_aftersales.models.forklift_deadline_reminder import Reminder
from odoo.addons.forklift_aftersales.models.forklift_document_fields import (
    board_state,
    computed_editable,
    document_company,
    responsible_field,
    stamp_datetime,
    stamp_user,
    stamped,
)
from odoo.addons.forklift_aftersales.models.forklift_overdue_mixin import (
    compute_flags,
    deadline_passed_domain,
    search_flag,
)
from odoo.addons.forklift_aftersales.tools import (
    form_action,
    readable_parents_of_new,
)

LETTER_STATES = [
    ("draft", "Draft"),
    ("sent", "Waiting for Reply"),
    ("answered", "Answered"),
    ("done", "Work Done"),
    ("sheet_received", "Signed Sheet Received"),
    ("filed", "Confirmed and Filed"),
    ("cancel", "Cancelled"),
]
# What the service center writes on the letter before sending it, and what
# it records of the supplier's answer before the answer is in: frozen once
# the letter has moved on.
DRAFT_FIELDS = {"product_id", "judged_by", "sc_opinion", "contact_id"}
ANSWER_FIELDS = {
    "supplier_technician",
    "technician_phone",
    "planned_visit_date",
    "cannot_come_in_time",
    "proposed_date",
    "delay_reason",
}
JUDGED_BY = [
    ("on_site", "On site"),
    ("phone", "By phone"),
    ("dealer", "From the dealer's report"),
]


class ForkliftSupplierLetter(models.Model):
    """After-sales service contact letter (售后服务联系函, R-003).

    000 §4.2.3: when the failure comes from a supplier's part and the supplier
    can serve, the service center sends this letter with its opinion and the
    service order to the supplier's after-sales department. The supplier
    answers the same day (at most 24 h) and names its technician, or agrees a
    new date with the service center when it cannot come in time
    (§4.2.3.2); it sends the customer-signed service order within 5 working
    days after finishing (§4.2.3.3), which the service center and QA confirm
    and file. Each deadline is stored, searchable and reminded.
    """

    _name = "forklift.supplier.letter"
    _description = "Forklift Service Contact Letter to a Supplier"
    _inherit = [
        "forklift.sequence.mixin",
        "forklift.secret.token.mixin",
        "mail.thread",
        # before mail.activity.mixin: the supplier neither searches nor
        # groups its documents by the staff's reminders
        "forklift.portal.document",
        "mail.activity.mixin",
        "forklift.flow.mixin",
        "forklift.deadline.reminder",
        "tier.validation",
    ]
    _order = "id desc"
    _flow_deletable_states = ("draft",)
    # a letter once sent to the supplier is kept as well
    _flow_kept_field = "sent_date"
    _check_company_auto = True
    # the signed sheet is confirmed by the service center, then QA
    # (000 §4.2.3.3): the reviews are requested when the sheet comes in
    _state_from = ["sheet_received"]
    _state_to = ["filed"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    # who reviews the letter is internal: the supplier's portal shows none of it
    review_ids = fields.One2many(groups="forklift_aftersales.group_forklift_viewer")
    reviewer_ids = fields.Many2many(groups="forklift_aftersales.group_forklift_viewer")
    next_review = fields.Char(groups="forklift_aftersales.group_forklift_viewer")
    state = board_state(LETTER_STATES)
    service_order_id = fields.Many2one(
        "forklift.service.order",
        required=True,
        ondelete="restrict",
        index=True,
        domain=[("performer_type", "=", "supplier")],
    )
    feedback_id = fields.Many2one(
        related="service_order_id.feedback_id", store=True, index=True
    )
    company_id = document_company("service_order_id")
    market = fields.Selection(related="service_order_id.market", store=True)
    partner_id = fields.Many2one(
        related="service_order_id.partner_id", string="Customer", store=True
    )
    unit_id = fields.Many2one(related="service_order_id.unit_id", string="Forklift")
    supplier_id = fields.Many2one(
        related="service_order_id.supplier_id", store=True, index=True
    )
    contact_id = computed_editable(
        fields.Many2one,
        "_compute_contact_id",
        "res.partner",
        string="After-Sales Contact",
    )
    user_id = responsible_field(
        index=True, groups="forklift_aftersales.group_forklift_viewer"
    )
    product_id = computed_editable(
        fields.Many2one, "_compute_from_case", "product.product", string="Failed Part"
    )
    judged_by = computed_editable(
        fields.Selection,
        "_compute_from_case",
        JUDGED_BY,
        string="Supplier Cause Judged",
        help="How the service center found the supplier's part at fault "
        "(000 §4.2.3.1).",
        groups="forklift_aftersales.group_forklift_viewer",
    )
    sc_opinion = computed_editable(
        fields.Html,
        "_compute_from_case",
        string="Service Center's Opinion",
        help="What the service center asks the supplier to do (处理意见).",
    )
    sent_date = stamp_datetime(tracking=True)
    reply_deadline = stamp_datetime(
        "Reply Due",
        help="The supplier answers the same day, at most 24 h after the letter "
        "was sent (000 §4.2.3.2).",
    )
    replied_date = stamp_datetime(tracking=True)
    replied_by_id = stamped(fields.Many2one, "res.partner", string="Answered By")
    reply_hours = fields.Float(
        string="Reply Time (h)",
        compute="_compute_reply_hours",
        store=True,
        aggregator="avg",
    )
    supplier_technician = fields.Char(string="Supplier's Technician", copy=False)
    technician_phone = fields.Char(copy=False)
    planned_visit_date = fields.Datetime(string="Planned Visit", copy=False)
    cannot_come_in_time = fields.Boolean(copy=False, tracking=True)
    delay_reason = fields.Text(copy=False)
    proposed_date = fields.Datetime(string="Date Proposed", copy=False)
    agreed_visit_date = fields.Datetime(
        string="Visit Date Agreed", copy=False, tracking=True
    )
    date_agreed_by_id = stamp_user("New Date Agreed By")
    date_agreed_on = stamp_datetime(groups="forklift_aftersales.group_forklift_viewer")
    visit_deadline = fields.Datetime(
        string="On Site By",
        compute="_compute_visit_deadline",
        store=True,
        help="The planned visit, or the new date agreed with the service center "
        "when the supplier could not come in time (000 §4.2.3.2).",
    )
    arrival_date = fields.Datetime(
        related="service_order_id.arrival_date", store=True, string="Arrived On Site"
    )
    finished_date = fields.Datetime(
        related="service_order_id.finished_date", store=True, string="Work Finished"
    )
    sheet_deadline = fields.Datetime(
        string="Signed Sheet Due",
        compute="_compute_sheet_deadline",
        store=True,
        help="The customer-signed service order comes back within 5 working days "
        "after the work (000 §4.2.3.3), on the company's working calendar.",
    )
    sheet_received_date = stamp_datetime(tracking=True)
    sc_confirmed_by_id = stamp_user(
        "Confirmed by Service Center",
        groups="forklift_aftersales.group_forklift_viewer",
    )
    sc_confirmed_date = stamp_datetime(
        groups="forklift_aftersales.group_forklift_viewer"
    )
    qa_confirmed_by_id = stamp_user(
        "Confirmed by QA", groups="forklift_aftersales.group_forklift_viewer"
    )
    qa_confirmed_date = stamp_datetime(
        groups="forklift_aftersales.group_forklift_viewer"
    )
    is_reply_overdue = fields.Boolean(
        string="Reply Overdue",
        compute="_compute_overdue",
        search="_search_is_reply_overdue",
    )
    is_visit_overdue = fields.Boolean(
        string="Visit Overdue",
        compute="_compute_overdue",
        search="_search_is_visit_overdue",
    )
    is_sheet_overdue = fields.Boolean(
        string="Signed Sheet Overdue",
        compute="_compute_overdue",
        search="_search_is_sheet_overdue",
    )

    # Compute methods

    @api.depends("supplier_id")
    def _compute_contact_id(self):
        for letter in self:
            letter.contact_id = (
                letter.supplier_id._get_forklift_service_recipient()
                if letter.supplier_id
                else False
            )

    @api.depends("feedback_id")
    def _compute_from_case(self):
        for letter in self:
            case = letter.feedback_id
            letter.product_id = case.supplier_part_id or letter.product_id
            letter.judged_by = case.supplier_judged_by or letter.judged_by
            if is_html_empty(letter.sc_opinion):
                letter.sc_opinion = case.verification

    @api.depends("sent_date", "replied_date")
    def _compute_reply_hours(self):
        for letter in self:
            letter.reply_hours = (
                (letter.replied_date - letter.sent_date).total_seconds() / 3600
                if letter.sent_date and letter.replied_date
                else 0.0
            )

    @api.depends(
        "planned_visit_date",
        "cannot_come_in_time",
        "proposed_date",
        "agreed_visit_date",
        "date_agreed_by_id",
    )
    def _compute_visit_deadline(self):
        for letter in self:
            if letter.cannot_come_in_time:
                letter.visit_deadline = (
                    letter.date_agreed_by_id and letter.agreed_visit_date
                ) or letter.proposed_date
            else:
                letter.visit_deadline = letter.planned_visit_date

    @api.depends("finished_date", "company_id")
    def _compute_sheet_deadline(self):
        """The company's working days (5) on its calendar after the supplier
        finished the work (000 §4.2.3.3, R-164)."""
        for letter in self:
            letter.sheet_deadline = letter.company_id._forklift_deadline(
                letter.finished_date,
                "forklift_supplier_sheet_working_days",
                "working_days",
            )

    @api.depends(
        "state", "reply_deadline", "visit_deadline", "arrival_date", "sheet_deadline"
    )
    def _compute_overdue(self):
        compute_flags(
            self,
            {
                "is_reply_overdue": self._get_reply_overdue_domain(),
                "is_visit_overdue": self._get_visit_overdue_domain(),
                "is_sheet_overdue": self._get_sheet_overdue_domain(),
            },
        )

    def _search_is_reply_overdue(self, operator, value):
        return search_flag(self._get_reply_overdue_domain(), operator, value)

    def _search_is_visit_overdue(self, operator, value):
        return search_flag(self._get_visit_overdue_domain(), operator, value)

    def _search_is_sheet_overdue(self, operator, value):
        return search_flag(self._get_sheet_overdue_domain(), operator, value)

    def _get_reply_overdue_domain(self):
        return deadline_passed_domain("sent", "reply_deadline")

    def _get_visit_overdue_domain(self):
        return deadline_passed_domain("answered", "visit_deadline", "arrival_date")

    def _get_sheet_overdue_domain(self):
        return deadline_passed_domain("done", "sheet_deadline")

    def _compute_access_url(self):
        for letter in self:
            letter.access_url = f"/my/forklift/letters/{letter.id}"

    def _get_report_base_filename(self):
        """The name of the printed letter downloaded from the portal."""
        self.ensure_one()
        return self.env._("Service Contact Letter %s", self.name)

    def _get_secret_token_refusal(self):
        """The key of the letter's link is the supplier's contact's: with it
        alone, logged out, he answers the letter, reports the work and sends
        the signed sheet in his name (000 §4.2.3.2–3, R-086, R-163, R-164)."""
        return self.env._(
            "The link of a service contact letter is mailed to the supplier's "
            "after-sales contact only: nobody else is given its key."
        )

    def _get_share_url(
        self, redirect=False, signup_partner=False, pid=None, share_token=True
    ):
        """A user's link to the letter (the share wizard, the supplier's
        portal user opening a notification) opens it with his own rights,
        without the key: only the server puts the key in a link (R-086)."""
        return super()._get_share_url(
            redirect=redirect,
            signup_partner=signup_partner,
            pid=pid,
            share_token=share_token and self.env.su,
        )

    # Constraints

    @api.constrains(
        "sent_date",
        "replied_date",
        "planned_visit_date",
        "proposed_date",
        "agreed_visit_date",
    )
    def _check_dates_after_sending(self):
        for letter in self:
            if not letter.sent_date:
                continue
            for date, label in (
                (letter.replied_date, self.env._("answer")),
                (letter.planned_visit_date, self.env._("planned visit")),
                (letter.proposed_date, self.env._("proposed date")),
                (letter.agreed_visit_date, self.env._("agreed visit")),
            ):
                if date and date < letter.sent_date:
                    raise ValidationError(
                        self.env._(
                            "On %(letter)s the %(what)s (%(date)s) cannot come before "
                            "the letter was sent (%(sent)s).",
                            letter=letter.name,
                            what=label,
                            date=date,
                            sent=letter.sent_date,
                        )
                    )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "sent_date",
            "reply_deadline",
            "replied_date",
            "replied_by_id",
            "date_agreed_by_id",
            "date_agreed_on",
            "sheet_received_date",
            "sc_confirmed_by_id",
            "sc_confirmed_date",
            "qa_confirmed_by_id",
            "qa_confirmed_date",
            # computed by the server from the steps' dates
            "reply_hours",
            "visit_deadline",
            "sheet_deadline",
        }

    @api.model
    def _get_fixed_fields(self):
        """The letter goes with one service order: the order its steps
        dispatch, finish and register is never re-pointed."""
        return super()._get_fixed_fields() | {"service_order_id"}

    @api.model
    def _get_state_locked_fields(self):
        """Fields a user edits only while the letter is in the given states."""
        locked = dict.fromkeys(DRAFT_FIELDS, ("draft",))
        locked.update(dict.fromkeys(ANSWER_FIELDS, ("draft", "sent")))
        locked["agreed_visit_date"] = ("answered",)
        return locked

    def _get_locked_fields(self):
        """The new date is agreed once (000 §4.2.3.2, R-192): it stays the
        visit deadline with who agreed it and when."""
        locked = super()._get_locked_fields()
        if self.date_agreed_by_id:
            locked.add("agreed_visit_date")
        return locked

    def _get_state_locked_message(self, names):
        if "agreed_visit_date" in names and self.date_agreed_by_id:
            return self._get_date_agreed_message()
        return super()._get_state_locked_message(names)

    def _get_date_agreed_message(self):
        return self.env._(
            "The visit date of %(letter)s was already agreed with the supplier "
            "(%(date)s, by %(user)s): it no longer changes.",
            letter=self.name,
            date=format_datetime(self.env, self.agreed_visit_date),
            user=self.date_agreed_by_id.name,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_sent_values(vals_list)
        # the orders the letters get, given or by a default (a
        # ``default_service_order_id`` context key a client sends with any
        # call, a user default), which Odoo's create would store unchecked
        self._check_service_order_free(
            readable_parents_of_new(self, vals_list, "service_order_id")
        )
        return super().create(vals_list)

    @api.model
    def _check_service_order_free(self, orders):
        """A letter is written for a supplier's service order not yet
        dispatched, one letter at a time (R-003, R-086). ``orders`` are
        those the user may read (``readable_parents_of_new``): the orders'
        state and letters read below name none he may not read (the order
        of another company or of another supplier, to a supplier's portal
        user or an employee outside after-sales, R-047, R-056)."""
        # sudo: checking the orders and their letters, whoever may read them
        for order in orders.sudo():
            if order.performer_type != "supplier" or order.state != "draft":
                raise UserError(
                    self.env._(
                        "%s is not a supplier's service order waiting to be "
                        "dispatched: no contact letter can be written for it.",
                        order.display_name,
                    )
                )
            if order.supplier_letter_ids.filtered(lambda x: x.state != "cancel"):
                raise UserError(
                    self.env._(
                        "Service order %s already has its contact letter.",
                        order.display_name,
                    )
                )

    def _get_flow_kept_message(self):
        return self.env._(
            "A letter sent to a supplier cannot be deleted: cancel it instead."
        )

    # Actions

    def _check_service_center(self):
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(
                self.env._("Only the service center acts on service contact letters.")
            )

    def action_send(self):
        """Send the letter with the service order to the supplier's after-sales
        department and dispatch the order (000 §4.2.3.2); the 24 h reply clock
        starts. The link to answer, with its key, is in the contact's e-mail
        only (``_mail_link_privately``), never in the letter's chatter
        (R-086)."""
        self._check_service_center()
        template = self.env.ref(
            "forklift_aftersales_supplier.mail_template_supplier_letter"
        )
        for letter in self:
            letter._check_state(("draft",), self.env._("%s is already sent."))
            order = letter.service_order_id
            if order.state != "draft" or order.performer_type != "supplier":
                raise UserError(
                    self.env._("Service order %s is already dispatched.", order.name)
                )
            order.feedback_id._check_state(
                ("verified", "dispatched"),
                self.env._("Verify feedback sheet %s before contacting the supplier."),
            )
            supplier = letter.supplier_id
            if not supplier.forklift_can_serve:
                raise UserError(
                    self.env._(
                        "%s has no quality agreement or cannot serve on site: the "
                        "service center handles the failure itself.",
                        supplier.display_name,
                    )
                )
            if not letter.contact_id.email:
                raise UserError(
                    self.env._(
                        "Give the e-mail address of %s's after-sales contact.",
                        supplier.display_name,
                    )
                )
            if letter.contact_id.commercial_partner_id != (
                supplier.commercial_partner_id
            ):
                raise UserError(
                    self.env._(
                        "%(contact)s is not a contact of %(supplier)s.",
                        contact=letter.contact_id.display_name,
                        supplier=supplier.display_name,
                    )
                )
            if is_html_empty(letter.sc_opinion):
                raise UserError(self.env._("Write the service center's opinion."))
            now = fields.Datetime.now()
            letter._write_flow(
                {
                    "state": "sent",
                    "sent_date": now,
                    "reply_deadline": letter.company_id._forklift_deadline(
                        now, "forklift_supplier_reply_hours", "hours"
                    ),
                }
            )
            order._set_dispatched(now)
            partners = letter.contact_id | supplier
            letter.message_subscribe(partner_ids=partners.ids)
            order.message_subscribe(partner_ids=partners.ids)
            # the letter, its service order and the link with its key go to
            # the contact's mailbox only, not to the letter's chatter, which
            # every reader of letters reads; the chatter says, in the user's
            # name, that they were mailed
            letter._mail_link_privately(template, letter.contact_id)
            letter._message_log(
                body=self.env._(
                    "Letter and service order %(order)s mailed to %(contact)s.",
                    order=order.name,
                    contact=letter.contact_id.display_name,
                )
            )

    def action_record_answer(self):
        """The service center records an answer the supplier gave by phone,
        fax or e-mail."""
        self._check_service_center()
        for letter in self:
            letter._supplier_answer(
                letter.contact_id or letter.supplier_id,
                {field: letter[field] for field in ANSWER_FIELDS},
            )

    def action_agree_date(self):
        """The service center agrees the new date the supplier proposed (or
        another one it entered), recording who agreed and when
        (000 §4.2.3.2)."""
        self._check_service_center()
        for letter in self:
            if letter.state != "answered" or not letter.cannot_come_in_time:
                raise UserError(
                    self.env._(
                        "%s has no new date to agree: the supplier did not ask for "
                        "one.",
                        letter.name,
                    )
                )
            if letter.date_agreed_by_id:
                raise UserError(letter._get_date_agreed_message())
            date = letter.agreed_visit_date or letter.proposed_date
            if not date:
                raise UserError(self.env._("Enter the agreed visit date."))
            # a visit agreed when its date is gone is no plan: overdue the
            # moment it is agreed; the minute of the
            # agreement itself is still to come, as for the supplier's answer
            now = fields.Datetime.now()
            if letter._is_before_answer(date, now):
                raise UserError(
                    self.env._(
                        "%(letter)s: the visit date to agree (%(date)s) is already "
                        "past. Ask the supplier for a new date still to come.",
                        letter=letter.name,
                        date=format_datetime(self.env, date),
                    )
                )
            # _check_dates_after_sending: never before the letter was sent
            letter._write_flow(
                {
                    "agreed_visit_date": date,
                    "date_agreed_by_id": self.env.uid,
                    "date_agreed_on": now,
                }
            )
            letter.activity_feedback(
                ["mail.mail_activity_data_todo"],
                feedback=self.env._("New date agreed."),
            )
            letter.message_post(
                body=self.env._("New visit date agreed: %s.", date),
                partner_ids=letter.contact_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def action_confirm_service_center(self):
        self._confirm_sheet("sc")

    def action_confirm_qa(self):
        self._confirm_sheet("qa")

    def _confirm_sheet(self, step):
        """The signed sheet is confirmed and filed by the service center, then
        QA (000 §4.2.3.3), each on its own tier review: ``step`` is a key of
        ``_get_confirmation_steps``."""
        definition = self._get_confirmation_steps()[step]
        for letter in self:
            letter._check_tier_state(
                ["sheet_received"],
                self.env._("%s has no signed sheet waiting for confirmation."),
            )
            reviews = letter._get_open_reviews().filtered(
                lambda r, d=definition: r.definition_id == d
            )
            if not reviews or self.env.user not in reviews.reviewer_ids:
                raise AccessError(
                    self.env._(
                        "You are not allowed to confirm this sheet (%s).", letter.name
                    )
                )
            letter.validate_tier()

    def validate_tier(self):
        """One confirmation per call, in the order of the chain: the service
        center first, then QA; the last one files the letter."""
        self.ensure_one()
        self._check_tier_state(
            ["sheet_received"],
            self.env._("%s has no signed sheet waiting for confirmation."),
        )
        # sudo: the mechanism reads the reviews, whoever may read them
        if not self.sudo()._get_sequences_to_approve(self.env.user):
            raise UserError(
                self.env._(
                    "%s is not yours to confirm now: the service center confirms "
                    "first, then QA.",
                    self.name,
                )
            )
        res = super().validate_tier()
        self._record_confirmations()
        return res

    def restart_validation(self):
        """The confirmations given go with their reviews (R-279, R-005): a
        letter naming a signer whose review is gone would have him confirm
        another step on the reviews asked again, one person in two seats."""
        waiting = self.filtered(lambda letter: letter.state in self._state_from)
        res = super().restart_validation()
        vals = {}
        for step in self._get_confirmation_steps():
            vals |= {f"{step}_confirmed_by_id": False, f"{step}_confirmed_date": False}
        waiting._write_flow(vals)
        return res

    @api.model
    def _get_confirmation_steps(self):
        """The tier definition of each confirmation step, by the prefix of
        the fields that record who confirmed it and when."""
        return {
            "sc": self.env.ref(
                "forklift_aftersales_supplier.tier_supplier_letter_service_center"
            ),
            "qa": self.env.ref("forklift_aftersales_supplier.tier_supplier_letter_qa"),
        }

    def _record_confirmations(self):
        """Who confirmed each step, and when, from the approved reviews; the
        letter is filed and its service order registered once both are in."""
        self._record_signed_steps(
            self._get_confirmation_steps(), "{}_confirmed_by_id", "{}_confirmed_date"
        )
        # need_validation and the status have no dependencies: computed before
        # the review was approved, their cached values are stale
        self.invalidate_recordset(["need_validation", "validation_status"])
        if self.validation_status == "validated":
            self._write_flow({"state": "filed"})
            self.service_order_id._as_flow().action_register()
            self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_cancel(self):
        """Cancel the letter. A letter sent is the dispatch of its service
        order, which no other letter can dispatch again: the order still
        dispatched is cancelled with it, not left waiting for a supplier
        told nothing, its deadlines counting on the supplier's route
        (000 §4.2.3.2, R-086, R-163, R-192). The service center routes the
        sheet again."""
        self._check_service_center()
        orders = self.service_order_id.filtered(lambda o: o.state == "dispatched")
        self._cancel_flow(
            ("sheet_received", "filed"),
            self.env._("%s is already completed by the supplier."),
        )
        # its to-dos (a new date to agree) go with it
        self.activity_unlink(["mail.mail_activity_data_todo"])
        # as the user: cancelling the order is a step of its own flow
        orders.action_cancel()
        for order in orders:
            order._message_log(
                body=self.env._(
                    "Cancelled with its withdrawn contact letter %s.",
                    ", ".join((self & order.supplier_letter_ids).mapped("name")),
                )
            )

    def action_view_service_order(self):
        self.ensure_one()
        return form_action(self.service_order_id)

    # Supplier answers (portal)

    def _supplier_answer(self, partner, vals):
        """The supplier answers the letter: its technician and planned visit, on
        site by the letter's deadline when it comes in time, or the date it
        proposes when it cannot (000 §4.2.3.2, R-192)."""
        self.ensure_one()
        self._check_state(("sent",), self.env._("%s is already answered."))
        # sudo: the order's own state decides, whoever answers
        if self.sudo().service_order_id.state != "dispatched":
            raise UserError(
                self.env._(
                    "The service order of %s is no longer waiting for your "
                    "technician: the letter is withdrawn.",
                    self.name,
                )
            )
        cannot_come = bool(vals.get("cannot_come_in_time"))
        now = fields.Datetime.now()
        values = {
            "state": "answered",
            "replied_date": now,
            "replied_by_id": partner.id,
            "cannot_come_in_time": cannot_come,
            "supplier_technician": (vals.get("supplier_technician") or "").strip(),
            "technician_phone": (vals.get("technician_phone") or "").strip(),
        }
        if cannot_come:
            if not vals.get("proposed_date"):
                raise UserError(
                    self.env._("Propose the date your technician can come.")
                )
            if not (vals.get("delay_reason") or "").strip():
                raise UserError(self.env._("Say why you cannot come in time."))
            proposed = self._get_answered_date(
                vals["proposed_date"],
                now,
                self.env._(
                    "The date you propose (%(date)s) is before your answer "
                    "(%(now)s): propose a date still to come."
                ),
            )
            values.update(
                proposed_date=proposed,
                delay_reason=vals["delay_reason"].strip(),
            )
        else:
            if not values["supplier_technician"]:
                raise UserError(self.env._("Name the technician you send."))
            if not vals.get("planned_visit_date"):
                raise UserError(self.env._("Give the date your technician arrives."))
            planned = self._get_answered_date(
                vals["planned_visit_date"],
                now,
                self.env._(
                    "The planned visit (%(date)s) is before your answer "
                    "(%(now)s): give the date your technician will be on site."
                ),
            )
            # coming in time is on site within the letter's 24 h: a
            # later visit is the new date the service center agrees
            if planned > self.reply_deadline:
                raise UserError(
                    self.env._(
                        "To come in time, your technician must be on site by "
                        "%(deadline)s. For a later visit, answer that you cannot "
                        "come in time and propose the date for the service center "
                        "to agree.",
                        deadline=format_datetime(self.env, self.reply_deadline),
                    )
                )
            values["planned_visit_date"] = planned
        self._write_flow(values)
        self._post_supplier_message(
            self,
            partner,
            self.env._(
                "%(supplier)s answered: %(answer)s",
                supplier=partner.display_name,
                answer=self.env._(
                    "cannot come in time, proposes %(date)s (%(reason)s).",
                    date=self.proposed_date,
                    reason=self.delay_reason,
                )
                if cannot_come
                else self.env._(
                    "technician %(technician)s on site on %(date)s.",
                    technician=self.supplier_technician,
                    date=self.planned_visit_date,
                ),
            ),
        )
        if cannot_come:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Agree the new date proposed by the supplier"),
                user_id=(self.sudo().user_id or self.env.user).id,
            )

    @api.model
    def _is_before_answer(self, date, now):
        """Whether a visit planned or proposed at ``date`` is already gone when
        the supplier answers at ``now`` (R-163, R-192): overdue the moment it
        is planned, it would make the reminder of the technician on site
        meaningless."""
        # the page's date input has no seconds: the minute of the answer
        # itself is still to come
        return date < now.replace(second=0, microsecond=0)

    @api.model
    def _get_answered_date(self, value, now, message):
        """The visit date ``value`` the supplier sends with his answer at
        ``now``, refused with ``message`` (translated, ``%(date)s`` and
        ``%(now)s`` for the two) when it is already gone."""
        date = fields.Datetime.to_datetime(value)
        if self._is_before_answer(date, now):
            raise ValidationError(
                message
                % {
                    "date": format_datetime(self.env, date),
                    "now": format_datetime(self.env, now),
                }
            )
        return date

    def _supplier_report_done(self, partner, vals):
        """The supplier's technician finished: arrival, finish and work done go
        on the service order; the 5-working-day clock for the signed sheet
        starts (000 §4.2.3.3)."""
        self.ensure_one()
        self._check_state(
            ("answered",), self.env._("Answer %s before reporting the work.")
        )
        arrival = vals.get("arrival_date")
        finished = vals.get("finished_date")
        if not (arrival and finished and not is_html_empty(vals.get("work_done"))):
            raise UserError(
                self.env._("Give the arrival, the finish and the work done.")
            )
        if finished > fields.Datetime.now():
            raise UserError(self.env._("The work cannot finish in the future."))
        if arrival > finished:
            raise UserError(self.env._("The work cannot finish before it started."))
        if arrival < self.sent_date:
            raise UserError(
                self.env._("The technician cannot arrive before the letter was sent.")
            )
        order = self.service_order_id._as_flow()
        order.write(
            {
                "arrival_date": arrival,
                # typed by the supplier, whom the director is told of by name
                "arrival_source": "typed",
                "finished_date": finished,
                "work_done": vals["work_done"],
            }
        )
        order._tell_arrival_typed(partner.display_name)
        order.action_done()
        self._write_flow({"state": "done"})
        self._post_supplier_message(
            order,
            partner,
            self.env._("Work reported done by %s.", partner.display_name),
        )

    def _supplier_upload_sheet(self, partner, sheet, filename, signed_by):
        """The supplier sends the customer-signed service order (000 §4.2.3.3)."""
        self.ensure_one()
        order = self.service_order_id._as_flow()
        order.write(self._prepare_sheet_vals(sheet, filename, signed_by))
        order.action_confirm_signature()
        self._post_supplier_message(
            self,
            partner,
            self.env._("Signed service order sent by %s.", partner.display_name),
        )

    def _prepare_sheet_vals(self, sheet, filename, signed_by):
        """The service order's values for the customer-signed sheet sent for
        this letter (base64 ``sheet``), with the checks of the portal form,
        whoever sends it (000 §4.2.3.3, R-080, R-164): the work reported on
        the letter, who signed, a PDF, JPEG or PNG within the size cap judged
        by its content, stored under the sent file's name with the extension
        of that type (never the type the name claims)."""
        self.ensure_one()
        self._check_state(
            ("done",), self.env._("Report the work on %s before sending the sheet.")
        )
        signed_by = (signed_by or "").strip()
        if not sheet or not signed_by:
            raise UserError(
                self.env._("Attach the signed sheet and give who signed it.")
            )
        try:
            content = base64.b64decode(sheet, validate=True)
        except (binascii.Error, TypeError, ValueError) as error:
            raise UserError(self.env._("The signed sheet is not a file.")) from error
        extension = self._check_sheet_content(content)
        # the name a browser on Windows sends may hold its folders too
        basename = os.path.basename((filename or "").replace("\\", "/"))
        stem = os.path.splitext(basename)[0] or self.service_order_id.name
        return {
            "supplier_sheet": sheet,
            "supplier_sheet_name": stem + extension,
            "signed_by": signed_by,
        }

    @api.model
    def _check_sheet_content(self, content):
        """A signed sheet is a PDF, JPEG or PNG file (judged by its content)
        under the portal's size cap; returns the extension of its type."""
        mimetype = check_portal_upload(self.env, content)
        return "." + UPLOAD_EXTENSIONS[mimetype]

    def _on_sheet_received(self):
        """The service order came back signed: the service center and QA
        confirm and file it (000 §4.2.3.3), on tier reviews requested now."""
        letters = self.filtered(lambda x: x.state == "done")
        letters._write_flow(
            {"state": "sheet_received", "sheet_received_date": fields.Datetime.now()}
        )
        # need_validation has no dependencies: computed before the state
        # changed, its cached value is stale
        letters.invalidate_recordset(["need_validation", "review_ids"])
        letters.request_validation()
        for letter in letters:
            letter.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Confirm and file the signed sheet"),
                user_id=(letter.sudo().user_id or self.env.user).id,
            )

    # Business methods

    def _post_supplier_message(self, record, partner, body):
        """Post on ``record`` (the letter or its service order) what the
        supplier ``partner`` did, as a comment of its author: the supplier
        writing through the portal, or the internal user recording it."""
        author = partner if self.env.user.share else self.env.user.partner_id
        record.message_post(
            body=body,
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    @api.model
    def _get_overdue_reminders(self):
        """Every passed deadline of a letter: the supplier's answer within 24 h,
        its technician on site by the agreed date, the signed sheet within 5
        working days (R-163, R-164, R-192). The responsible is reminded and
        the supplier's contact told."""
        return [
            *super()._get_overdue_reminders(),
            Reminder(
                self._get_reply_overdue_domain(),
                self.env._("Supplier has not answered within 24 h"),
            ),
            Reminder(
                self._get_visit_overdue_domain(),
                self.env._("Supplier's technician not on site by the agreed date"),
            ),
            Reminder(
                self._get_sheet_overdue_domain(),
                self.env._("Signed sheet not sent within 5 working days"),
            ),
        ]

    def _on_overdue_reminded(self, summary):
        res = super()._on_overdue_reminded(summary)
        self.message_post(
            subject=summary,
            body=self.env._(
                "Reminder about %(letter)s: %(summary)s.",
                letter=self.name,
                summary=summary,
            ),
            partner_ids=self.contact_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        return res


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        res = super()._get_tier_validation_model_names()
        res.append("forklift.supplier.letter")
        return res

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import is_html_empty

LETTER_STATES = [
    ("draft", "Draft"),
    ("sent", "Waiting for Reply"),
    ("answered", "Answered"),
    ("done", "Work Done"),
    ("sheet_received", "Signed Sheet Received"),
    ("filed", "Confirmed and Filed"),
    ("cancel", "Cancelled"),
]
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
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"

    state = fields.Selection(
        LETTER_STATES,
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
        group_expand=True,
    )
    service_order_id = fields.Many2one(
        "forklift.service.order",
        required=True,
        ondelete="restrict",
        index=True,
        domain=[("performer_type", "=", "supplier")],
    )
    case_id = fields.Many2one(
        related="service_order_id.case_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="service_order_id.company_id", store=True, index=True
    )
    market = fields.Selection(related="service_order_id.market", store=True)
    partner_id = fields.Many2one(
        related="service_order_id.partner_id", string="Customer", store=True
    )
    unit_id = fields.Many2one(related="service_order_id.unit_id", string="Forklift")
    supplier_id = fields.Many2one(
        related="service_order_id.supplier_id", store=True, index=True
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="After-Sales Contact",
        compute="_compute_contact_id",
        store=True,
        readonly=False,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Failed Part",
        compute="_compute_from_case",
        store=True,
        readonly=False,
    )
    judged_by = fields.Selection(
        JUDGED_BY,
        string="Supplier Cause Judged",
        compute="_compute_from_case",
        store=True,
        readonly=False,
        help="How the service center found the supplier's part at fault "
        "(000 §4.2.3.1).",
    )
    sc_opinion = fields.Html(
        string="Service Center's Opinion",
        compute="_compute_from_case",
        store=True,
        readonly=False,
        help="What the service center asks the supplier to do (处理意见).",
    )
    sent_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    reply_deadline = fields.Datetime(
        string="Reply Due",
        readonly=True,
        copy=False,
        help="The supplier answers the same day, at most 24 h after the letter "
        "was sent (000 §4.2.3.2).",
    )
    replied_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    replied_by_id = fields.Many2one(
        "res.partner", string="Answered By", readonly=True, copy=False
    )
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
    date_agreed_by_id = fields.Many2one(
        "res.users", string="New Date Agreed By", readonly=True, copy=False
    )
    date_agreed_on = fields.Datetime(readonly=True, copy=False)
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
    sheet_received_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    sc_confirmed_by_id = fields.Many2one(
        "res.users", string="Confirmed by Service Center", readonly=True, copy=False
    )
    sc_confirmed_date = fields.Datetime(readonly=True, copy=False)
    qa_confirmed_by_id = fields.Many2one(
        "res.users", string="Confirmed by QA", readonly=True, copy=False
    )
    qa_confirmed_date = fields.Datetime(readonly=True, copy=False)
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

    @api.depends("case_id")
    def _compute_from_case(self):
        for letter in self:
            case = letter.case_id
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
        # sudo: reads a system parameter only
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("forklift_aftersales_supplier.sheet_working_days", 5)
        )
        for letter in self:
            calendar = letter.company_id.resource_calendar_id
            if not (letter.finished_date and calendar):
                letter.sheet_deadline = False
                continue
            letter.sheet_deadline = calendar.plan_hours(
                days * (calendar.hours_per_day or 8),
                letter.finished_date,
                compute_leaves=True,
            )

    @api.depends(
        "state", "reply_deadline", "visit_deadline", "arrival_date", "sheet_deadline"
    )
    def _compute_overdue(self):
        now = fields.Datetime.now()
        for letter in self:
            letter.is_reply_overdue = bool(
                letter.state == "sent"
                and letter.reply_deadline
                and letter.reply_deadline < now
            )
            letter.is_visit_overdue = bool(
                letter.state == "answered"
                and not letter.arrival_date
                and letter.visit_deadline
                and letter.visit_deadline < now
            )
            letter.is_sheet_overdue = bool(
                letter.state == "done"
                and letter.sheet_deadline
                and letter.sheet_deadline < now
            )

    def _search_is_reply_overdue(self, operator, value):
        return self._search_overdue(self._get_reply_overdue_domain(), operator, value)

    def _search_is_visit_overdue(self, operator, value):
        return self._search_overdue(self._get_visit_overdue_domain(), operator, value)

    def _search_is_sheet_overdue(self, operator, value):
        return self._search_overdue(self._get_sheet_overdue_domain(), operator, value)

    @api.model
    def _search_overdue(self, domain, operator, value):
        if operator != "in":
            return NotImplemented
        return domain if True in value else ~domain

    def _get_reply_overdue_domain(self):
        return Domain(
            [("state", "=", "sent"), ("reply_deadline", "<", fields.Datetime.now())]
        )

    def _get_visit_overdue_domain(self):
        return Domain(
            [
                ("state", "=", "answered"),
                ("arrival_date", "=", False),
                ("visit_deadline", "<", fields.Datetime.now()),
            ]
        )

    def _get_sheet_overdue_domain(self):
        return Domain(
            [("state", "=", "done"), ("sheet_deadline", "<", fields.Datetime.now())]
        )

    def _compute_access_url(self):
        for letter in self:
            letter.access_url = f"/my/forklift/letters/{letter.id}"

    # Constraints

    @api.constrains("sent_date", "replied_date", "planned_visit_date", "proposed_date")
    def _check_dates_after_sending(self):
        for letter in self:
            if not letter.sent_date:
                continue
            for date, label in (
                (letter.replied_date, self.env._("answer")),
                (letter.planned_visit_date, self.env._("planned visit")),
                (letter.proposed_date, self.env._("proposed date")),
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(letter.state not in ("draft", "cancel") for letter in self):
            raise UserError(
                self.env._("A letter sent to a supplier cannot be deleted.")
            )

    # Actions

    def action_send(self):
        """Send the letter with the service order to the supplier's after-sales
        department and dispatch the order (000 §4.2.3.2); the 24 h reply clock
        starts."""
        # sudo: reads a system parameter only
        hours = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("forklift_aftersales_supplier.reply_hours", 24)
        )
        template = self.env.ref(
            "forklift_aftersales_supplier.mail_template_supplier_letter"
        )
        for letter in self:
            if letter.state != "draft":
                raise UserError(self.env._("%s is already sent.", letter.name))
            order = letter.service_order_id
            if order.state != "draft":
                raise UserError(
                    self.env._("Service order %s is already dispatched.", order.name)
                )
            if order.case_id.state not in ("verified", "dispatched"):
                raise UserError(
                    self.env._(
                        "Verify feedback sheet %s before contacting the supplier.",
                        order.case_id.name,
                    )
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
            if is_html_empty(letter.sc_opinion):
                raise UserError(self.env._("Write the service center's opinion."))
            now = fields.Datetime.now()
            letter.write(
                {
                    "state": "sent",
                    "sent_date": now,
                    "reply_deadline": now + timedelta(hours=hours),
                }
            )
            order.write({"state": "dispatched", "dispatched_date": now})
            order.case_id._on_service_order_dispatched(now)
            partners = letter.contact_id | supplier
            letter.message_subscribe(partner_ids=partners.ids)
            order.message_subscribe(partner_ids=partners.ids)
            letter.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=letter.contact_id.ids,
            )

    def action_record_answer(self):
        """The service center records an answer the supplier gave by phone,
        fax or e-mail."""
        for letter in self:
            letter._supplier_answer(
                letter.contact_id or letter.supplier_id,
                {
                    field: letter[field]
                    for field in (
                        "cannot_come_in_time",
                        "supplier_technician",
                        "technician_phone",
                        "planned_visit_date",
                        "proposed_date",
                        "delay_reason",
                    )
                },
            )

    def action_agree_date(self):
        """The service center agrees the new date the supplier proposed (or
        another one it entered), recording who agreed and when
        (000 §4.2.3.2)."""
        for letter in self:
            if letter.state != "answered" or not letter.cannot_come_in_time:
                raise UserError(
                    self.env._(
                        "%s has no new date to agree: the supplier did not ask for "
                        "one.",
                        letter.name,
                    )
                )
            date = letter.agreed_visit_date or letter.proposed_date
            if not date:
                raise UserError(self.env._("Enter the agreed visit date."))
            if date < letter.sent_date:
                raise ValidationError(
                    self.env._("The agreed visit cannot precede the letter.")
                )
            letter.write(
                {
                    "agreed_visit_date": date,
                    "date_agreed_by_id": self.env.uid,
                    "date_agreed_on": fields.Datetime.now(),
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
        self._confirm_sheet("sc", "forklift_aftersales.group_forklift_user")

    def action_confirm_qa(self):
        self._confirm_sheet("qa", "forklift_aftersales.group_forklift_qa")

    def _confirm_sheet(self, who, group):
        """The signed sheet is confirmed and filed by the service center and QA
        (000 §4.2.3.3); then the service order is registered."""
        if not self.env.user.has_group(group):
            raise UserError(self.env._("You are not allowed to confirm this sheet."))
        for letter in self:
            if letter.state != "sheet_received":
                raise UserError(
                    self.env._(
                        "%s has no signed sheet waiting for confirmation.", letter.name
                    )
                )
            # sudo: QA confirms without editing letters otherwise
            letter.sudo().write(
                {
                    f"{who}_confirmed_by_id": self.env.uid,
                    f"{who}_confirmed_date": fields.Datetime.now(),
                }
            )
            if letter.sc_confirmed_by_id and letter.qa_confirmed_by_id:
                letter = letter.sudo()
                letter.state = "filed"
                letter.service_order_id.action_register()
                letter.activity_unlink(["mail.mail_activity_data_todo"])

    def action_cancel(self):
        for letter in self:
            if letter.state in ("sheet_received", "filed"):
                raise UserError(
                    self.env._("%s is already completed by the supplier.", letter.name)
                )
        self.write({"state": "cancel"})

    def action_view_service_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "forklift.service.order",
            "res_id": self.service_order_id.id,
            "view_mode": "form",
        }

    # Supplier answers (portal)

    def _supplier_answer(self, partner, vals):
        """The supplier answers the letter: its technician and planned visit, or
        the date it proposes when it cannot come in time (000 §4.2.3.2)."""
        self.ensure_one()
        if self.state != "sent":
            raise UserError(self.env._("%s is already answered.", self.name))
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
            values.update(
                proposed_date=vals["proposed_date"],
                delay_reason=vals["delay_reason"].strip(),
            )
        else:
            if not values["supplier_technician"]:
                raise UserError(self.env._("Name the technician you send."))
            if not vals.get("planned_visit_date"):
                raise UserError(self.env._("Give the date your technician arrives."))
            values["planned_visit_date"] = vals["planned_visit_date"]
        self.write(values)
        self.message_post(
            body=self.env._(
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
            author_id=self._get_author(partner).id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        if cannot_come:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Agree the new date proposed by the supplier"),
                user_id=(self.user_id or self.env.user).id,
            )

    def _supplier_report_done(self, partner, vals):
        """The supplier's technician finished: arrival, finish and work done go
        on the service order; the 5-working-day clock for the signed sheet
        starts (000 §4.2.3.3)."""
        self.ensure_one()
        if self.state != "answered":
            raise UserError(
                self.env._("Answer %s before reporting the work.", self.name)
            )
        arrival = vals.get("arrival_date")
        finished = vals.get("finished_date")
        if not (arrival and finished and not is_html_empty(vals.get("work_done"))):
            raise UserError(
                self.env._("Give the arrival, the finish and the work done.")
            )
        if finished > fields.Datetime.now():
            raise UserError(self.env._("The work cannot finish in the future."))
        order = self.service_order_id
        order.write(
            {
                "arrival_date": arrival,
                "finished_date": finished,
                "work_done": vals["work_done"],
            }
        )
        order.action_done()
        self.state = "done"
        order.message_post(
            body=self.env._("Work reported done by %s.", partner.display_name),
            author_id=self._get_author(partner).id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _supplier_upload_sheet(self, partner, sheet, filename, signed_by):
        """The supplier sends the customer-signed service order (000 §4.2.3.3)."""
        self.ensure_one()
        if self.state != "done":
            raise UserError(
                self.env._("Report the work on %s before sending the sheet.", self.name)
            )
        if not sheet or not (signed_by or "").strip():
            raise UserError(
                self.env._("Attach the signed sheet and give who signed it.")
            )
        order = self.service_order_id
        order.write(
            {
                "supplier_sheet": sheet,
                "supplier_sheet_name": filename or f"{order.name}.pdf",
                "signed_by": signed_by.strip(),
            }
        )
        order.action_confirm_signature()
        self.message_post(
            body=self.env._("Signed service order sent by %s.", partner.display_name),
            author_id=self._get_author(partner).id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _on_sheet_received(self):
        """The service order came back signed: the service center and QA
        confirm and file it (000 §4.2.3.3)."""
        self.write(
            {"state": "sheet_received", "sheet_received_date": fields.Datetime.now()}
        )
        for letter in self:
            letter.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Confirm and file the signed sheet"),
                user_id=(letter.user_id or self.env.user).id,
            )

    # Business methods

    def _get_author(self, partner):
        """The supplier writes through the portal; internal users record for it."""
        return partner if self.env.user.share else self.env.user.partner_id

    @api.model
    def _cron_remind_overdue(self):
        """Remind the responsible and the supplier of every passed deadline,
        once per letter and deadline (R-163, R-164, R-192)."""
        activity_type = self.env.ref("forklift_aftersales.mail_activity_type_deadline")
        reminders = (
            (
                self._get_reply_overdue_domain(),
                self.env._("Supplier has not answered within 24 h"),
            ),
            (
                self._get_visit_overdue_domain(),
                self.env._("Supplier's technician not on site by the agreed date"),
            ),
            (
                self._get_sheet_overdue_domain(),
                self.env._("Signed sheet not sent within 5 working days"),
            ),
        )
        for domain, summary in reminders:
            letters = self.search(domain)
            reminded = set(
                self.env["mail.activity"]
                .search(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", letters.ids),
                        ("activity_type_id", "=", activity_type.id),
                        ("summary", "=", summary),
                    ]
                )
                .mapped("res_id")
            )
            for letter in letters.filtered(lambda r, done=reminded: r.id not in done):
                letter.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=summary,
                    user_id=(letter.user_id or self.env.user).id,
                )
                letter.message_post(
                    subject=summary,
                    body=self.env._(
                        "Reminder about %(letter)s: %(summary)s.",
                        letter=letter.name,
                        summary=summary,
                    ),
                    partner_ids=letter.contact_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )

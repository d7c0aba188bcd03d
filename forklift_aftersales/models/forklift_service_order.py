from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

PERFORMER_TYPES = [
    ("technician", "Own technician"),
    ("dealer", "Dealer"),
    ("remote", "Remote technical support"),
]
ORDER_STATES = [
    ("draft", "Draft"),
    ("dispatched", "Dispatched"),
    ("done", "Work Done"),
    ("signed", "Signed"),
    ("registered", "Registered"),
    ("cancel", "Cancelled"),
]


class ForkliftServiceOrder(models.Model):
    """After-sales service order (售后服务处理单, R-002).

    Taken to the site by an own technician or sent to the dealer (000 §4.2.1,
    §4.2.2): work done and parts replaced are recorded, the customer writes an
    opinion, signs and stamps it; the signed sheet is registered at the
    service center and a copy goes to QA (000 §4.2.1.2). A dealer that used no
    warranty parts returns the signed sheet within 7 days (000 §4.2.2.2).
    """

    _name = "forklift.service.order"
    _description = "Forklift After-Sales Service Order"
    _inherit = [
        "forklift.sequence.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"

    state = fields.Selection(
        ORDER_STATES,
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
        group_expand=True,
    )
    case_id = fields.Many2one(
        "forklift.case",
        string="Feedback Sheet",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    market = fields.Selection(related="case_id.market", store=True)
    partner_id = fields.Many2one(
        related="case_id.partner_id", string="Customer", store=True
    )
    unit_id = fields.Many2one(related="case_id.unit_id", string="Forklift", store=True)
    product_id = fields.Many2one(related="case_id.product_id", string="Model")
    description = fields.Html(related="case_id.description", string="Fault Description")
    performer_type = fields.Selection(
        PERFORMER_TYPES, string="Performed By", required=True, default="technician"
    )
    technician_id = fields.Many2one("res.users", tracking=True, index=True)
    dealer_id = fields.Many2one(
        "res.partner",
        domain=[("is_forklift_dealer", "=", True)],
        tracking=True,
        index=True,
    )
    supervisor_id = fields.Many2one(
        "res.users",
        string="Office Supervisor",
        compute="_compute_supervisor_id",
        store=True,
        readonly=False,
        help="Follows up the dealer's service (000 §4.2.2.1).",
    )
    dispatch_deadline = fields.Datetime(related="case_id.dispatch_deadline")
    dispatched_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    arrival_date = fields.Datetime(string="Arrived On Site", tracking=True, copy=False)
    finished_date = fields.Datetime(string="Work Finished On", copy=False)
    hour_meter = fields.Float(string="Hour Meter on Site")
    work_done = fields.Html()
    part_ids = fields.One2many(
        "forklift.service.order.part", "order_id", string="Parts Replaced"
    )
    has_warranty_parts = fields.Boolean(
        compute="_compute_has_warranty_parts", store=True
    )
    photo_ids = fields.Many2many(
        "ir.attachment",
        "forklift_service_order_photo_rel",
        "order_id",
        "attachment_id",
        string="Photos",
    )
    customer_opinion = fields.Text(string="Customer's Opinion")
    signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024
    )
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False, readonly=True)
    stamp = fields.Image(
        string="Company Stamp", copy=False, max_width=1024, max_height=1024
    )
    return_deadline = fields.Datetime(
        string="Signed Sheet Due",
        compute="_compute_return_deadline",
        store=True,
        help="A dealer that used no warranty parts returns the signed sheet within "
        "7 days of finishing (000 §4.2.2.2).",
    )
    is_return_overdue = fields.Boolean(
        string="Signed Sheet Overdue",
        compute="_compute_is_return_overdue",
        search="_search_is_return_overdue",
    )
    registered_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    registered_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    qa_copy_date = fields.Datetime(
        string="Copy Sent to QA On", readonly=True, copy=False
    )

    _hour_meter_positive = models.Constraint(
        "CHECK(hour_meter >= 0)", "The hour meter cannot be negative."
    )

    # Compute methods

    @api.depends("dealer_id")
    def _compute_supervisor_id(self):
        for order in self:
            order.supervisor_id = (
                order.dealer_id.commercial_partner_id.forklift_supervisor_id
                or order.supervisor_id
            )

    @api.depends("part_ids.is_warranty")
    def _compute_has_warranty_parts(self):
        for order in self:
            order.has_warranty_parts = any(order.part_ids.mapped("is_warranty"))

    @api.depends("performer_type", "finished_date", "has_warranty_parts")
    def _compute_return_deadline(self):
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("forklift_aftersales.dealer_return_days", 7)
        )
        for order in self:
            order.return_deadline = (
                order.finished_date + timedelta(days=days)
                if order.performer_type == "dealer"
                and order.finished_date
                and not order.has_warranty_parts
                else False
            )

    @api.depends("return_deadline", "state")
    def _compute_is_return_overdue(self):
        now = fields.Datetime.now()
        for order in self:
            order.is_return_overdue = bool(
                order.return_deadline
                and order.state in ("dispatched", "done")
                and order.return_deadline < now
            )

    def _search_is_return_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = self._get_return_overdue_domain()
        return domain if True in value else ~domain

    def _get_return_overdue_domain(self):
        return Domain(
            [
                ("state", "in", ("dispatched", "done")),
                ("return_deadline", "<", fields.Datetime.now()),
            ]
        )

    def _compute_access_url(self):
        for order in self:
            order.access_url = f"/my/forklift/service-orders/{order.id}"

    def _get_report_base_filename(self):
        """The name of the printed order downloaded from the portal."""
        self.ensure_one()
        return self.env._("Service Order %s", self.name)

    # Constraints

    @api.constrains("dispatched_date", "arrival_date", "finished_date")
    def _check_dates_in_order(self):
        for order in self:
            steps = [
                (order.dispatched_date, self.env._("dispatch")),
                (order.arrival_date, self.env._("arrival")),
                (order.finished_date, self.env._("finish")),
            ]
            known = [(date, label) for date, label in steps if date]
            for (before, before_label), (after, after_label) in zip(
                known, known[1:], strict=False
            ):
                if after < before:
                    raise ValidationError(
                        self.env._(
                            "On %(order)s the %(after)s (%(after_date)s) cannot come "
                            "before the %(before)s (%(before_date)s).",
                            order=order.name,
                            after=after_label,
                            after_date=after,
                            before=before_label,
                            before_date=before,
                        )
                    )

    # CRUD methods

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dispatched(self):
        if any(order.state not in ("draft", "cancel") for order in self):
            raise UserError(self.env._("A dispatched service order cannot be deleted."))

    # Actions

    def action_dispatch(self):
        """Send the order to its performer (000 §4.2.1.1, §4.2.2.1)."""
        for order in self:
            if order.state != "draft":
                raise UserError(self.env._("%s is already dispatched.", order.name))
            if order.case_id.state not in ("verified", "dispatched"):
                raise UserError(
                    self.env._(
                        "Verify feedback sheet %s before dispatching.",
                        order.case_id.name,
                    )
                )
            if order.performer_type == "dealer" and not order.dealer_id:
                raise UserError(
                    self.env._("Choose the dealer who will do the service.")
                )
            if order.performer_type != "dealer" and not order.technician_id:
                raise UserError(
                    self.env._("Choose the technician who will do the service.")
                )
            now = fields.Datetime.now()
            order.write({"state": "dispatched", "dispatched_date": now})
            order.case_id._on_service_order_dispatched(now)
            if order.performer_type == "dealer":
                order._send_to_dealer()
            else:
                order.message_subscribe(partner_ids=order.technician_id.partner_id.ids)
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Go on site for %s", order.case_id.name),
                    user_id=order.technician_id.id,
                )

    def _send_to_dealer(self):
        """Mail the order (with its PDF) to the dealer and ask the office
        supervisor to follow it up (000 §4.2.2.1)."""
        template = self.env.ref(
            "forklift_aftersales.mail_template_service_order_dealer"
        )
        for order in self:
            dealer = order.dealer_id
            order.message_subscribe(partner_ids=dealer.ids)
            order.message_post_with_source(
                template, subtype_xmlid="mail.mt_comment", partner_ids=dealer.ids
            )
            if order.supervisor_id:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Follow up dealer %s", dealer.display_name),
                    user_id=order.supervisor_id.id,
                )

    def action_done(self):
        for order in self:
            if order.state != "dispatched":
                raise UserError(
                    self.env._("Dispatch %s before finishing it.", order.name)
                )
            if order.performer_type != "remote" and not order.arrival_date:
                raise UserError(
                    self.env._("Record when the performer arrived on site.")
                )
            if not order.work_done:
                raise UserError(self.env._("Describe the work done on %s.", order.name))
            order.write(
                {
                    "state": "done",
                    "finished_date": order.finished_date or fields.Datetime.now(),
                }
            )

    def action_confirm_signature(self):
        for order in self:
            order._check_can_sign()
        self.write({"state": "signed"})

    def _check_can_sign(self):
        self.ensure_one()
        if self.state != "done":
            raise UserError(
                self.env._("Only finished work can be signed (%s).", self.name)
            )
        if not (self.signature or self.stamp):
            raise UserError(self.env._("The customer's signature or stamp is missing."))
        if not self.signed_by:
            raise UserError(self.env._("Enter the name of the person who signed."))

    def _sign(self, name, signature, opinion=None):
        """Record the customer's signature captured on screen or on the portal."""
        self.ensure_one()
        if not name or not signature:
            raise UserError(
                self.env._("Both the signer's name and the signature are needed.")
            )
        vals = {"signed_by": name, "signature": signature}
        if opinion:
            vals["customer_opinion"] = opinion
        self.write(vals)
        self._check_can_sign()
        self.write({"state": "signed"})

    def write(self, vals):
        if "signature" in vals or "stamp" in vals:
            vals = dict(vals, signed_on=fields.Datetime.now())
        return super().write(vals)

    def action_register(self):
        """Register the signed sheet at the service center and send a copy to
        QA (000 §4.2.1.2, R-080)."""
        for order in self:
            if order.state != "signed":
                raise UserError(
                    self.env._(
                        "Only a signed service order can be registered (%s).",
                        order.name,
                    )
                )
        now = fields.Datetime.now()
        self.write(
            {
                "state": "registered",
                "registered_date": now,
                "registered_by_id": self.env.uid,
                "qa_copy_date": now,
            }
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Signed service order registered; copy sent to %s.",
                    order._get_copy_department(),
                ),
                partner_ids=order._get_copy_recipients().ids,
                subtype_xmlid="mail.mt_comment",
            )
        self.case_id._on_service_order_registered()

    def _get_copy_department(self):
        """Name of the department that files the copy, for the chatter."""
        return self.env._("QA")

    def _get_copy_recipients(self):
        """Who receives the copy of a registered order: QA (domestic)."""
        return self.case_id._get_report_recipients()

    def action_cancel(self):
        if any(order.state == "registered" for order in self):
            raise UserError(
                self.env._("A registered service order cannot be cancelled.")
            )
        self.write({"state": "cancel"})

    @api.model
    def _cron_remind_overdue(self):
        """Remind the supervisor (or the responsible) of signed sheets a dealer
        has not returned in time, once per order."""
        activity_type = self.env.ref("forklift_aftersales.mail_activity_type_deadline")
        orders = self.search(self._get_return_overdue_domain())
        already = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", orders.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        reminded = set(already.mapped("res_id"))
        for order in orders.filtered(lambda o, done=reminded: o.id not in done):
            order.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._(
                    "Signed sheet not returned by %s", order.dealer_id.name
                ),
                user_id=(
                    order.supervisor_id or order.case_id.user_id or self.env.user
                ).id,
            )

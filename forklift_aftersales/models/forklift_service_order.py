import base64
import binascii
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

PERFORMER_TYPES = [
    ("technician", "Own technician"),
    ("dealer", "Dealer"),
    ("remote", "Remote technical support"),
]
# what a signature may hold: PNG or JPEG, never SVG or HTML
SIGNATURE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
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
        "forklift.flow.mixin",
        "forklift.sequence.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

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
    technician_id = fields.Many2one(
        "res.users", tracking=True, index=True, check_company=True
    )
    dealer_id = fields.Many2one(
        "res.partner",
        domain=[("is_forklift_dealer", "=", True)],
        tracking=True,
        index=True,
        check_company=True,
    )
    supervisor_id = fields.Many2one(
        "res.users",
        string="Office Supervisor",
        compute="_compute_supervisor_id",
        store=True,
        readonly=False,
        groups="base.group_user",
        help="Follows up the dealer's service (000 §4.2.2.1).",
    )
    dispatch_deadline = fields.Datetime(related="case_id.dispatch_deadline")
    dispatched_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    arrival_date = fields.Datetime(string="Arrived On Site", tracking=True, copy=False)
    finished_date = fields.Datetime(string="Work Finished On", copy=False)
    hour_meter = fields.Float(string="Hour Meter on Site")
    reading_id = fields.Many2one(
        "forklift.hour.reading",
        string="Hour Reading",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The hour meter read on site, recorded on the forklift.",
    )
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
    customer_opinion = fields.Text(string="Customer's Opinion", copy=False)
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
    signed_sheet_date = fields.Datetime(
        string="Signed Sheet Returned On",
        readonly=True,
        copy=False,
        help="When the dealer sent the signed sheet on the portal.",
    )
    is_sheet_returned_late = fields.Boolean(
        string="Signed Sheet Returned Late",
        compute="_compute_is_sheet_returned_late",
        store=True,
    )
    registered_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    registered_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, groups="base.group_user"
    )
    qa_copy_date = fields.Datetime(
        string="Copy Sent to QA On",
        readonly=True,
        copy=False,
        groups="base.group_user",
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

    @api.depends("return_deadline", "state", "signed_sheet_date")
    def _compute_is_return_overdue(self):
        now = fields.Datetime.now()
        for order in self:
            order.is_return_overdue = bool(
                order.return_deadline
                and order.state in ("dispatched", "done")
                and not order.signed_sheet_date
                and order.return_deadline < now
            )

    @api.depends("return_deadline", "signed_sheet_date")
    def _compute_is_sheet_returned_late(self):
        """The 7-day deadline is met or missed at the upload (000 §4.2.2.2,
        R-082, R-161)."""
        for order in self:
            order.is_sheet_returned_late = bool(
                order.return_deadline
                and order.signed_sheet_date
                and order.signed_sheet_date > order.return_deadline
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
                ("signed_sheet_date", "=", False),
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

    @api.constrains("performer_type", "dealer_id", "technician_id")
    def _check_performer(self):
        """The dealer named is a dealer and the technician an employee: the
        portal rules open the order to the dealer it names (000 §4.2.2.1)."""
        for order in self:
            if order.dealer_id and not order.dealer_id.is_forklift_dealer:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a forklift dealer (%(order)s).",
                        partner=order.dealer_id.display_name,
                        order=order.name,
                    )
                )
            if order.technician_id and order.technician_id.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an employee and cannot be the technician "
                        "of %(order)s.",
                        user=order.technician_id.display_name,
                        order=order.name,
                    )
                )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        """The number the service center registers the order under, and the
        steps of the order: dispatch, signature, registration (R-002, R-080,
        R-206)."""
        return super()._get_flow_fields() | {
            "name",
            "state",
            "dispatched_date",
            "signed_sheet_date",
            "is_sheet_returned_late",
            "customer_opinion",
            "signature",
            "signed_by",
            "signed_on",
            "stamp",
            "registered_date",
            "registered_by_id",
            "qa_copy_date",
            "reading_id",
        }

    @api.model
    def _get_fixed_fields(self):
        """The order belongs to one feedback sheet for good."""
        return super()._get_fixed_fields() | {"case_id"}

    @api.model
    def _get_performer_fields(self):
        """Who does the service: chosen before the order is dispatched."""
        return {"performer_type", "technician_id", "dealer_id"}

    @api.model
    def _get_work_fields(self):
        """What the performer reports from the site while the order is
        dispatched (000 §4.2.1.2)."""
        return {"arrival_date", "finished_date", "work_done", "hour_meter", "photo_ids"}

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_flow_write():
            for vals in vals_list:
                reported = self._get_work_fields() & {
                    name for name, value in vals.items() if value
                }
                if reported:
                    raise UserError(
                        self.env._(
                            "Record the work on site once the service order is "
                            "dispatched."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self._is_flow_write():
            self._check_writable(vals)
            if "hour_meter" in vals:
                self._check_hour_meter(vals["hour_meter"])
        res = super().write(vals)
        if {"hour_meter", "arrival_date"} & set(vals):
            self._record_hour_meter()
        return res

    def _check_writable(self, vals):
        """Each part of the order changes only at its step: the performer
        before dispatch, the work on site while dispatched."""
        performer = self._get_performer_fields() & set(vals)
        work = self._get_work_fields() & set(vals)
        for order in self:
            changed = {
                name
                for name in performer | work
                if self._flow_value_differs(order, name, vals[name])
            }
            if changed & performer and order.state != "draft":
                raise UserError(
                    self.env._(
                        "%s is no longer a draft: its performer cannot change; "
                        "cancel it and create another order.",
                        order.name,
                    )
                )
            if changed & work and order.state != "dispatched":
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "The work on site of %(order)s is recorded while it is "
                        "dispatched, not once it is %(state)s.",
                        order=order.name,
                        state=states[order.state],
                    )
                )
        if "part_ids" in vals:
            self._check_parts_open()

    def _check_parts_open(self):
        """The parts replaced change only until the work is reported done:
        they are what the customer signs for (000 §4.2.1.2, R-080)."""
        # sudo: the state decides, whoever may read the order
        for order in self.sudo():
            if order.state not in ("draft", "dispatched"):
                raise UserError(
                    self.env._(
                        "The parts replaced on %s are fixed once the work is "
                        "reported done.",
                        order.name,
                    )
                )

    def _check_hour_meter(self, hours):
        """The meter read on site cannot be below the forklift's last reading
        (R-127)."""
        for order in self.filtered("unit_id"):
            # sudo: comparing with the forklift's readings, whoever may read them
            readings = order.unit_id.sudo().reading_ids - order.sudo().reading_id
            last = readings.sorted(lambda r: (r.date, r.id))[-1:]
            if hours and last and hours < last.hours:
                raise UserError(
                    self.env._(
                        "The hour meter of %(unit)s cannot go backwards: %(hours)s h "
                        "on %(order)s is below the %(last)s h read on %(date)s.",
                        unit=order.unit_id.name,
                        hours=hours,
                        order=order.name,
                        last=last.hours,
                        date=last.date,
                    )
                )

    def _record_hour_meter(self):
        """The hour meter read on site becomes a reading of the forklift
        (R-127): the order's own reading, kept in step with it."""
        for order in self.filtered(lambda o: o.unit_id and o.hour_meter):
            vals = {
                "hours": order.hour_meter,
                "date": order.arrival_date or order.dispatched_date,
                "source": "service",
                "case_id": order.case_id.id,
                "service_order_id": order.id,
            }
            # sudo: the order's reading is read and kept by the order itself
            reading = order.sudo().reading_id
            if reading:
                reading._write_flow(vals)
            else:
                reading = self.env["forklift.hour.reading"]._create_flow(
                    [dict(vals, unit_id=order.unit_id.id)]
                )
                order._write_flow({"reading_id": reading.id})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dispatched(self):
        if any(
            order.state != "draft"
            and not (order.state == "cancel" and not order.dispatched_date)
            for order in self
        ):
            raise UserError(
                self.env._(
                    "A dispatched service order cannot be deleted: cancel it instead."
                )
            )

    # Actions

    def _check_step_access(self):
        """A step of the order is taken by who may edit it (service-center
        staff, the export division on export orders), whatever the button's
        visibility; the step writes as the flow itself."""
        self.check_access("write")

    def action_dispatch(self):
        """Send the order to its performer (000 §4.2.1.1, §4.2.2.1)."""
        self._check_step_access()
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
            order._set_dispatched(fields.Datetime.now())
            if order.performer_type == "dealer":
                order._send_to_dealer()
            else:
                order.message_subscribe(partner_ids=order.technician_id.partner_id.ids)
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Go on site for %s", order.case_id.name),
                    user_id=order.technician_id.id,
                )

    def _set_dispatched(self, dispatched_at):
        """The order leaves the service center: by the dispatch button, or by
        the contact letter sent to the supplier."""
        for order in self:
            if order.state != "draft":
                raise UserError(self.env._("%s is already dispatched.", order.name))
        self._write_flow({"state": "dispatched", "dispatched_date": dispatched_at})
        self.case_id._on_service_order_dispatched(dispatched_at)

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
            # sudo: the follow-up person is internal data the dispatcher reads
            supervisor = order.sudo().supervisor_id
            if supervisor:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Follow up dealer %s", dealer.display_name),
                    user_id=supervisor.id,
                )

    def action_done(self):
        """The performer reports the work done (000 §4.2.1.2)."""
        self._check_step_access()
        self._mark_done()

    def _mark_done(self):
        for order in self:
            if order.state != "dispatched":
                raise UserError(
                    self.env._(
                        "%s is not dispatched: its work cannot be reported done.",
                        order.name,
                    )
                )
            if order.performer_type != "remote" and not order.arrival_date:
                raise UserError(
                    self.env._("Record when the performer arrived on site.")
                )
            if not order.work_done:
                raise UserError(self.env._("Describe the work done on %s.", order.name))
            order._write_flow(
                {
                    "state": "done",
                    "finished_date": order.finished_date or fields.Datetime.now(),
                }
            )

    # Portal: the dealer reports the work

    def _check_portal_dealer(self):
        """The portal user works for the dealer that performs this order."""
        self.ensure_one()
        user = self.env.user
        dealer = self.sudo().dealer_id.commercial_partner_id
        if not (
            user.share
            and not user._is_public()
            and self.sudo().performer_type == "dealer"
            and dealer
            and user.partner_id.commercial_partner_id == dealer
        ):
            raise AccessError(
                self.env._(
                    "Only the dealer that performs %s reports its work.", self.name
                )
            )

    def _get_received_warranty_parts(self):
        """Quantity of each part shipped to this order's sheet by approved
        warranty parts requests: what the dealer may say it replaced."""
        self.ensure_one()
        # sudo: the requests of the sheet, whoever reports the work
        requests = self.sudo().case_id.parts_request_ids.filtered(
            lambda r: r.state == "shipped"
        )
        received = {}
        for line in requests.line_ids:
            received[line.product_id] = received.get(line.product_id, 0) + line.quantity
        return received

    def _portal_report_work(self, arrival, work_done, hour_meter, parts, photos):
        """The dealer reports the work on site from the portal (000 §4.2.2.2,
        R-082, R-127): arrival, work done, the hour meter (a reading, refused
        when going backwards), the parts replaced out of the warranty parts it
        received, photos of the failed part (``ir.attachment`` values already
        checked). The order is then done and waits for the customer's
        signature. Everything is checked before anything is written."""
        self.ensure_one()
        self._check_portal_dealer()
        order = self.sudo()
        if order.state != "dispatched":
            raise UserError(
                self.env._(
                    "%s is not dispatched: its work cannot be reported.", order.name
                )
            )
        now = fields.Datetime.now()
        # the page gives the arrival to the minute: the minute of the dispatch
        # itself is accepted (the page's own default, when the dealer reports
        # at once) and recorded as the dispatch
        dispatch_minute = order.dispatched_date.replace(second=0, microsecond=0)
        if not arrival or arrival > now or arrival < dispatch_minute:
            raise UserError(
                self.env._(
                    "The arrival on site must be between the dispatch of %(order)s "
                    "(%(dispatched)s) and now.",
                    order=order.name,
                    dispatched=order.dispatched_date,
                )
            )
        arrival = max(arrival, order.dispatched_date)
        text = (work_done or "").strip()
        if not text:
            raise UserError(self.env._("Describe the work done on %s.", order.name))
        if hour_meter is None or hour_meter < 0:
            raise UserError(self.env._("Enter the hour meter read on site."))
        order._check_hour_meter(hour_meter)
        received = order._get_received_warranty_parts()
        lines = []
        for product_id, quantity, failed_serial in parts:
            product = order.env["product.product"].browse(product_id)
            if product not in received:
                raise UserError(
                    self.env._(
                        "Only the warranty parts shipped for %s can be reported "
                        "replaced.",
                        order.case_id.name,
                    )
                )
            if quantity <= 0 or quantity > received[product]:
                raise UserError(
                    self.env._(
                        "%(part)s: between 0 and the %(received)s received.",
                        part=product.display_name,
                        received=received[product],
                    )
                )
            lines.append(
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "quantity": quantity,
                        "failed_serial": (failed_serial or "").strip(),
                        "is_warranty": True,
                    }
                )
            )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [dict(photo, res_model=self._name, res_id=order.id) for photo in photos]
            )
        )
        order._as_flow().write(
            {
                "arrival_date": arrival,
                "work_done": Markup("<p>%s</p>")
                % Markup("<br/>").join(escape(line) for line in text.splitlines()),
                "hour_meter": hour_meter,
                "part_ids": lines,
                "photo_ids": [fields.Command.link(a.id) for a in attachments],
            }
        )
        order._as_flow()._mark_done()
        order.message_post(
            body=self.env._("Work reported on the portal by %s.", self.env.user.name),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def action_confirm_signature(self):
        """Confirm the order signed, from a signature or sheet its sign step
        recorded (R-080)."""
        self._check_step_access()
        for order in self:
            order._check_can_sign()
        self._write_flow({"state": "signed"})

    def action_open_sign_page(self):
        """The customer signs on the staff member's screen, on the order's
        page (R-206)."""
        self.ensure_one()
        self._check_step_access()
        if self.state != "done":
            raise UserError(
                self.env._("Only finished work can be signed (%s).", self.name)
            )
        return {
            "type": "ir.actions.act_url",
            "url": self.get_portal_url(),
            "target": "self",
        }

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

    def _check_signer(self):
        """Who signs: the customer (or the order's dealer, on whose screen the
        customer signs) on the portal, someone holding the order's access link
        (checked by the page), or a staff member who may edit the order
        capturing the signature on screen (R-206, 000 §4.2.2.2)."""
        self.ensure_one()
        user = self.env.user
        if user._is_public():
            return
        if user.share:
            signers = self.partner_id.commercial_partner_id
            if self.performer_type == "dealer":
                signers |= self.dealer_id.commercial_partner_id
            if user.commercial_partner_id not in signers:
                raise AccessError(
                    self.env._(
                        "Only the customer of %s signs it.",
                        self.name,
                    )
                )
            return
        # an internal user's own rights, not the page's sudo
        self.with_user(user).check_access("write")

    @api.model
    def _check_signature_image(self, image):
        """A signature or stamp is a PNG or JPEG image."""
        try:
            data = base64.b64decode(image, validate=True)
        except (binascii.Error, TypeError, ValueError) as error:
            raise UserError(self.env._("Invalid signature data.")) from error
        if not data.startswith(SIGNATURE_MAGIC):
            raise UserError(self.env._("A signature must be a PNG or JPEG image."))

    def _sign(self, name, signature, opinion=None, stamp=None):
        """Record the customer's signature captured on screen or on the portal,
        and with it the order signed (R-206, R-080). Checked before anything
        is written: a refused signature leaves nothing behind."""
        self.ensure_one()
        if self.state != "done":
            raise UserError(
                self.env._("Only finished work can be signed (%s).", self.name)
            )
        self._check_signer()
        name = (name or "").strip()
        if not name or not signature:
            raise UserError(
                self.env._("Both the signer's name and the signature are needed.")
            )
        self._check_signature_image(signature)
        vals = {
            "state": "signed",
            "signed_by": name,
            "signature": signature,
            "signed_on": fields.Datetime.now(),
        }
        if stamp:
            self._check_signature_image(stamp)
            vals["stamp"] = stamp
        if opinion:
            vals["customer_opinion"] = opinion
        self._write_flow(vals)

    def action_register(self):
        """Register the signed sheet at the service center and send a copy to
        QA (000 §4.2.1.2, R-080)."""
        self._check_step_access()
        for order in self:
            if order.state != "signed":
                raise UserError(
                    self.env._(
                        "Only a signed service order can be registered (%s).",
                        order.name,
                    )
                )
        now = fields.Datetime.now()
        self._write_flow(
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
        self._check_step_access()
        for order in self:
            if order.state == "registered":
                raise UserError(
                    self.env._(
                        "%s is registered: a registered service order cannot be "
                        "cancelled.",
                        order.name,
                    )
                )
            if order.state == "cancel":
                raise UserError(self.env._("%s is already cancelled.", order.name))
        self._write_flow({"state": "cancel"})

    def _cancel_with_case(self):
        """The feedback sheet is cancelled: its open orders go with it."""
        self.filtered(lambda o: o.state not in ("registered", "cancel"))._write_flow(
            {"state": "cancel"}
        )

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

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..tools import company_members, form_action, prefetch_readable, wizard_action
from .forklift_document_fields import (
    board_state,
    dealer_link,
    stamp_datetime,
    stamp_user,
    stamped,
)
from .forklift_overdue_mixin import search_flag

REQUEST_TYPES = [
    ("normal", "Warranty parts"),
    ("abnormal", "Abnormal warranty parts"),
]
REQUEST_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("shipped", "Shipped"),
    ("cancel", "Cancelled"),
]
SHIPPING_MODES = [("express", "Express"), ("freight", "Consignment freight")]
URGENCIES = [("common", "Common part (2 days)"), ("urgent", "Urgent (24 h)")]
SUPPLY_STATES = [("pending", "Not delivered"), ("on_time", "On time"), ("late", "Late")]
# Until shipped, the parts are owed by the service center; until the
# buyer has them, the supply commitment runs.
SHIP_OPEN_STATES = ("draft", "approved")
SUPPLY_OPEN_STATES = ("draft", "approved", "shipped")
# Verdicts of a sheet under which parts are given under warranty (三包: repair,
# return, replace; 004 §4.6); anything else goes through paid service.
GUARANTEE_VERDICTS = ("repair", "return", "replace")
# States of a sheet for which warranty parts are asked: verified, until its
# service is over (the portal offers the form while the work is open)
PARTS_SHEET_STATES = ("verified", "dispatched", "done", "reported")
PORTAL_PARTS_SHEET_STATES = ("verified", "dispatched")


class ForkliftPartsRequest(models.Model):
    """Warranty parts application (三包备件申请单, R-010) and abnormal warranty
    parts requisition (三包服务非正常备件领取单, R-012).

    Approved by amount with OCA tier validation (000 §4.3.1.2, §4.3.1.4): the
    bands are tier definitions shipped as data. Once approved, the parts leave
    the spare-parts stock on a real delivery, to be shipped within 2 working
    days (000 §4.2.2.3).

    The bands count the sheet's warranty parts total, so splitting a need
    into several requests does not lower the approvers (REQUIREMENTS A-03). A
    dealer's application is first confirmed by the director of the sales
    office in charge, as the first step of the chain.
    """

    _name = "forklift.parts.request"
    _description = "Forklift Warranty Parts Request"
    _inherit = [
        "forklift.approval.editor.mixin",
        "forklift.sequence.mixin",
        "forklift.flow.mixin",
        "forklift.feedback.record.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "tier.validation",
    ]
    _order = "id desc"
    _check_company_auto = True
    _state_from = ["draft"]
    _state_to = ["approved"]
    _flow_locked_under_approval = True
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    state = board_state(REQUEST_STATES)
    request_type = fields.Selection(
        REQUEST_TYPES,
        required=True,
        default="normal",
        tracking=True,
        help="Abnormal parts go beyond what the product quality warranty "
        "certificate covers and need more approvals (000 §4.3.1.4).",
    )
    unit_id = fields.Many2one(related="feedback_id.unit_id", string="Forklift")
    applicant_type = fields.Selection(
        [("technician", "Own technician"), ("dealer", "Dealer")],
        required=True,
        default="technician",
    )
    dealer_id = dealer_link(index=True, check_company=True)
    technician_id = fields.Many2one("res.users")
    office_confirmed_by_id = fields.Many2one(
        "res.users",
        string="Office Director",
        compute="_compute_office_confirmation",
        help="The director of the sales office in charge of the dealer confirms a "
        "dealer's application, as the first step of its approval (000 §4.2.2.3).",
    )
    office_confirmed_on = fields.Datetime(
        string="Confirmed by the Office On", compute="_compute_office_confirmation"
    )
    # Typed on the paper form before the confirmation became the first step
    # of the chain: kept for the records that have them, set by no client and
    # trusted by no step.
    office_confirmed_by = fields.Char(string="Office Director (paper form)")
    office_confirmed_date = fields.Date(string="Confirmed on the Paper Form")
    reason = fields.Text(
        help="For abnormal parts: why the request goes beyond the warranty certificate."
    )
    line_ids = fields.One2many(
        "forklift.parts.request.line", "request_id", string="Parts", copy=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(
        string="Amount", compute="_compute_amount_total", store=True, precompute=True
    )
    feedback_parts_total = fields.Monetary(
        string="Sheet's Warranty Parts Total",
        compute="_compute_feedback_parts_total",
        store=True,
        precompute=True,
        help="The amount of every request of the sheet that is not cancelled, "
        "this one included: it chooses the approvers (REQUIREMENTS A-03).",
    )
    approved_date = stamp_datetime()
    ship_deadline = fields.Datetime(
        string="Ship By",
        compute="_compute_ship_deadline",
        store=True,
        precompute=True,
        help="2 working days after the application was received, on the "
        "company's working calendar (000 §4.2.2.3, R-162): the approvals run "
        "inside these 2 days.",
    )
    shipping_mode = fields.Selection(SHIPPING_MODES, required=True, default="express")
    freight_consent_by = fields.Char(
        string="Freight Agreed By",
        help="Heavy or expensive parts go by consignment freight once the "
        "applicant agreed (000 §4.2.2.3).",
    )
    freight_consent_date = fields.Date(string="Freight Agreed On")
    freight_cost = fields.Monetary(
        copy=False,
        tracking=True,
        help="What shipping the parts cost the company (000 §4.2.2.3); counted in "
        "the after-sales statistics.",
    )
    picking_id = stamped(
        fields.Many2one, "stock.picking", string="Delivery", check_company=True
    )
    oldpart_return_ids = fields.One2many(
        "forklift.oldpart.return", "request_id", string="Old-Part Returns"
    )
    is_ship_overdue = fields.Boolean(
        compute="_compute_is_ship_overdue", search="_search_is_ship_overdue"
    )
    # Parts-supply commitment (000 第四篇 §6–7, R-178, R-179)
    urgency = fields.Selection(
        URGENCIES,
        required=True,
        default="common",
        tracking=True,
        help="Common parts reach the customer within 2 days of the request, urgent "
        "parts within 24 h; an urgent part out of stock is bought at once and "
        "takes stock before other reservations.",
    )
    requested_date = stamp_datetime(
        string="Application Received On",
        required=True,
        default=fields.Datetime.now,
        help="When the service center received the application: set by the server "
        "when the request is made (a dealer's portal application, or the faxed "
        "one the service center enters). The 2 working days to ship the parts "
        "and the parts-supply commitment run from it (R-162, R-178).",
    )
    supply_deadline = fields.Datetime(
        string="Supply Commitment",
        compute="_compute_supply_deadline",
        store=True,
        precompute=True,
    )
    # set by the shipment itself (:meth:`_on_picking_done`): a stored related
    # field on the delivery would search the requests on every transfer's
    # validation
    shipped_date = stamp_datetime("Shipped On")
    # Delivery to the buyer (000 第四篇 §6, R-178): the supply commitment is
    # met when the parts reach the dealer or the customer, not when the
    # warehouse ships them.
    delivered_date = stamp_datetime(
        "Delivered to the Buyer On",
        tracking=True,
        help="When the buyer received the parts: confirmed by the dealer on the "
        "portal, or the carrier's delivery time recorded by the service center "
        "or the warehouse.",
    )
    delivery_recorded_by_id = stamp_user()
    supply_state = fields.Selection(
        SUPPLY_STATES,
        string="Commitment",
        compute="_compute_supply_state",
        store=True,
        precompute=True,
    )
    supply_on_time_pct = fields.Float(
        string="Supplied On Time (%)",
        compute="_compute_supply_state",
        store=True,
        precompute=True,
        aggregator="avg",
        help="100 when delivered within the commitment, 0 when late: averaged "
        "over delivered requests it gives the on-time rate.",
    )
    is_supply_overdue = fields.Boolean(
        compute="_compute_is_supply_overdue", search="_search_is_supply_overdue"
    )

    # Compute methods

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for request in self:
            request.amount_total = sum(request.line_ids.mapped("amount"))

    @api.depends(
        "amount_total",
        "state",
        "feedback_id.parts_request_ids.amount_total",
        "feedback_id.parts_request_ids.state",
    )
    def _compute_feedback_parts_total(self):
        for request in self:
            # sudo: the band counts every request of the sheet, whoever may
            # read them
            siblings = request.feedback_id.sudo().parts_request_ids.filtered(
                lambda r: r.state != "cancel"
            )
            total = sum(siblings.mapped("amount_total"))
            if request.state != "cancel" and request._origin not in siblings:
                total += request.amount_total
            request.feedback_parts_total = total

    @api.depends("review_ids.status", "review_ids.done_by", "review_ids.reviewed_date")
    def _compute_office_confirmation(self):
        office = self.env.ref("forklift_aftersales.group_forklift_office_director")
        for request in self:
            # sudo: who confirmed is shown to whoever reads the request
            review = request.sudo().review_ids.filtered(
                lambda r: r.status == "approved" and r.reviewer_group_id == office
            )[:1]
            request.office_confirmed_by_id = review.done_by
            request.office_confirmed_on = review.reviewed_date

    @api.depends("requested_date", "urgency")
    def _compute_supply_deadline(self):
        """The letter in force when the application was received keeps its
        promise for the request: a letter cancelled or replaced later gives
        the general times to the requests to come, not to those made
        (R-025, R-178); hence no dependency on the forklift's letter."""
        for request in self:
            company = request.company_id
            hours = {
                "common": company._get_forklift_setting(
                    "forklift_parts_supply_common_hours"
                ),
                "urgent": company._get_forklift_setting(
                    "forklift_parts_supply_urgent_hours"
                ),
            }
            # the customer's signed service commitment may promise other times
            # (000 第四篇 §6–7, R-025); sudo: its terms, whoever asks for parts
            letter = request.feedback_id.unit_id.sudo().commitment_id._get_active(
                request.requested_date
            )
            promised = {
                "common": letter.parts_common_hours,
                "urgent": letter.parts_urgent_hours,
            }
            request.supply_deadline = request.requested_date and (
                request.requested_date
                + timedelta(hours=promised[request.urgency] or hours[request.urgency])
            )

    @api.depends("requested_date", "company_id")
    def _compute_ship_deadline(self):
        """The company's working days (2) on its calendar from the receipt of
        the application, weekends and leaves skipped (000 §4.2.2.3, R-162)."""
        for request in self:
            # a new request in the form has no sheet, hence no company, yet
            company = request.company_id or self.env.company
            request.ship_deadline = company._forklift_deadline(
                request.requested_date,
                "forklift_parts_ship_working_days",
                "working_days",
            )

    @api.depends("delivered_date", "supply_deadline")
    def _compute_supply_state(self):
        for request in self:
            if not request.delivered_date:
                request.supply_state, request.supply_on_time_pct = "pending", 0.0
            elif request.delivered_date <= request.supply_deadline:
                request.supply_state, request.supply_on_time_pct = "on_time", 100.0
            else:
                request.supply_state, request.supply_on_time_pct = "late", 0.0

    @api.depends("supply_deadline", "supply_state", "state")
    def _compute_is_supply_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_supply_overdue = bool(
                request.state in SUPPLY_OPEN_STATES
                and request.supply_state == "pending"
                and request.supply_deadline
                and request.supply_deadline < now
            )

    def _search_is_supply_overdue(self, operator, value):
        domain = Domain(
            [
                ("state", "in", SUPPLY_OPEN_STATES),
                ("supply_state", "=", "pending"),
                ("supply_deadline", "<", fields.Datetime.now()),
            ]
        )
        return search_flag(domain, operator, value)

    @api.depends("ship_deadline", "state")
    def _compute_is_ship_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_ship_overdue = bool(
                request.state in SHIP_OPEN_STATES
                and request.ship_deadline
                and request.ship_deadline < now
            )

    def _search_is_ship_overdue(self, operator, value):
        domain = Domain(
            [
                ("state", "in", SHIP_OPEN_STATES),
                ("ship_deadline", "<", fields.Datetime.now()),
            ]
        )
        return search_flag(domain, operator, value)

    @api.constrains("feedback_id", "request_type")
    def _check_warranty_scope(self):
        for request in self:
            request._check_feedback_open_for_parts()
            request._check_feedback_under_warranty()

    @api.constrains("dealer_id", "feedback_id")
    def _check_dealer_of_sheet(self):
        """A dealer applies for its own sheets only, as on the portal
        (``_check_portal_applicant``): the dealer named is the sheet's, who
        receives the parts and owes the old parts (000 §4.2.2.3, R-083,
        R-091)."""
        for request in self.filtered("dealer_id"):
            # sudo: the sheet's dealer decides, whoever writes the request
            case = request.feedback_id.sudo()
            dealer = request.dealer_id.commercial_partner_id
            if dealer != case.dealer_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(dealer)s is not the dealer of %(sheet)s: a dealer "
                        "applies for warranty parts for its own sheets only.",
                        dealer=dealer.display_name,
                        sheet=case.display_name,
                    )
                )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "requested_date",
            "approved_date",
            "ship_deadline",
            "picking_id",
            "shipped_date",
            "delivered_date",
            "delivery_recorded_by_id",
            "amount_total",
            "feedback_parts_total",
            "office_confirmed_by_id",
            "office_confirmed_on",
            "office_confirmed_by",
            "office_confirmed_date",
            "supply_deadline",
            "supply_state",
            "supply_on_time_pct",
        }

    @api.model
    def _get_fixed_fields(self):
        """A request is for the sheet it was made from: the sheet's warranty
        verdict allowed it and the sheet's total of warranty parts chose its
        approvers (000 §4.3.1.2, REQUIREMENTS A-03); moved to another sheet,
        neither would hold. A request made on the wrong sheet is cancelled."""
        return super()._get_fixed_fields() | {"feedback_id"}

    @api.model
    def _get_state_locked_fields(self):
        """The application changes only while the request is a draft: what is
        asked, for whom, how urgently, why and how it ships, and who agreed to
        consignment freight (000 §4.2.2.3, R-084, R-196). Tier validation
        refuses it under validation and after approval, not once the parts
        are shipped or the request cancelled. The freight paid is recorded
        until the request is cancelled."""
        locked = dict.fromkeys(
            (
                "request_type",
                "applicant_type",
                "dealer_id",
                "technician_id",
                "urgency",
                "reason",
                "shipping_mode",
                "freight_consent_by",
                "freight_consent_date",
            ),
            ("draft",),
        )
        locked["freight_cost"] = ("draft", "approved", "shipped")
        return locked

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            for command in vals.get("line_ids") or []:
                if isinstance(command, (list, tuple)) and command[0] == 0:
                    self.env["forklift.parts.request.line"]._drop_typed_cost(command[2])
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_unused(self):
        """An approved or shipped request keeps its delivery under the
        approval check: cancel it instead (R-005)."""
        self._check_unlink_unused("picking_id")

    # Actions

    def request_validation(self):
        """Check the request is complete, then ask the reviewers its amount
        needs. An urgent part the warehouse does not have is bought at once
        (000 第四篇 §7, R-094)."""
        self._check_tier_requestable()
        for request in self:
            request._check_feedback_open_for_parts()
            request._check_ready_for_validation()
        self._refresh_part_costs()
        res = super().request_validation()
        for request in self.filtered(lambda r: r.urgency == "urgent"):
            shortages = request._get_supply_shortages()
            if shortages:
                request._raise_rush_purchase(shortages)
        return res

    def _refresh_part_costs(self):
        """The band counts the parts at their cost when approval is asked
        (REQUIREMENTS A-03), by who may change the request; a request already
        asked keeps the cost its approvers were asked for."""
        self.check_access("write")
        # sudo: the mechanism reads the reviews, whoever asks
        asking = self.filtered(lambda request: not request.sudo().review_ids)
        asking.line_ids._refresh_unit_cost()

    def _check_feedback_open_for_parts(self):
        """Warranty parts are asked for a sheet the service center verified
        (its verdict is then the verification's) and whose service is not
        over: not at intake, nor once the sheet is closed or cancelled
        (000 §4.3.1.2, §4.3.1.3)."""
        # sudo: the sheet's state decides, whoever may read the sheet
        case = self.feedback_id.sudo()
        if case.state not in PARTS_SHEET_STATES:
            raise UserError(
                self.env._(
                    "%(sheet)s is %(state)s: warranty parts are asked for a "
                    "verified sheet, until its service is over.",
                    sheet=case.display_name,
                    state=case._fields["state"].convert_to_export(case.state, case),
                )
            )

    def _check_feedback_under_warranty(self, case=None):
        """Warranty parts only on a sheet judged a guarantee (三包) whose unit is
        in warranty; otherwise the parts are sold through paid service
        (R-022, R-089, R-215)."""
        # sudo: the sheet's verdict decides, whoever may read the sheet
        case = (case or self.feedback_id).sudo()
        if case.warranty_verdict not in GUARANTEE_VERDICTS:
            raise UserError(
                self.env._(
                    "%(sheet)s is not judged a guarantee (三包): its parts go "
                    "through paid service (a quotation on the sheet), not a "
                    "warranty parts request.",
                    sheet=case.display_name,
                )
            )
        if case.warranty_state != "in":
            raise UserError(
                self.env._(
                    "The forklift of %(sheet)s is not in warranty on the sheet's "
                    "date: its parts go through paid service, not a warranty parts "
                    "request.",
                    sheet=case.display_name,
                )
            )

    def _check_ready_for_validation(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Add the parts needed on %s.", self.name))
        self._check_feedback_under_warranty()
        if self.applicant_type == "dealer" and not self.dealer_id:
            raise UserError(
                self.env._("Choose the dealer who applies for %s.", self.name)
            )
        # sudo: the dealer's capability decides, whoever applies
        dealer = self.sudo().dealer_id.commercial_partner_id
        if self.applicant_type == "dealer" and not dealer.forklift_has_service_staff:
            raise UserError(
                self.env._(
                    "%s is not a service-capable dealer: it cannot apply for "
                    "warranty parts (R-091).",
                    dealer.display_name,
                )
            )
        if self.applicant_type == "dealer":
            # the office director governing the dealer confirms first
            # (000 §4.2.2.3): refused while none is named
            dealer._check_forklift_office_director()
        if self.shipping_mode == "freight" and not self.freight_consent_by:
            raise UserError(
                self.env._("Record who agreed to ship by consignment freight.")
            )

    @api.model
    def _check_portal_applicant(self, case):
        """The portal user works for ``case``'s dealer, a service-capable one
        (R-091), and the sheet's service is open (000 §4.3.1.3): checked when
        the page offers the form and when it is posted."""
        user = self.env.user
        commercial = user.partner_id.commercial_partner_id
        if (
            not user.share
            or user._is_public()
            or not case
            or case.dealer_id.commercial_partner_id != commercial
        ):
            raise AccessError(
                self.env._("A dealer applies for parts for its own sheets only.")
            )
        if not commercial.forklift_has_service_staff:
            raise UserError(
                self.env._(
                    "%s is not a service-capable dealer: it cannot apply for "
                    "warranty parts (R-091).",
                    commercial.display_name,
                )
            )
        case._check_state(
            PORTAL_PARTS_SHEET_STATES,
            self.env._(
                "Warranty parts are applied for on the portal while the "
                "service of the sheet is open (verified or dispatched)."
            ),
        )

    @api.model
    def _portal_apply(self, feedback_id, lines, reason):
        """A service-capable dealer applies on the portal for warranty parts
        for its own sheet (000 §4.3.1.3, R-091): the request is created and
        sent for approval by the server, the office director first; the
        dealer, the sheet and the parts' costs come from the server, never
        from the page. ``lines`` are (product id, quantity, reason), the
        reason one of the warranty reasons (004 §4.6.1, R-093)."""
        # sudo: portal users do not read the sheet's internal fields
        case = self.env["forklift.feedback"].sudo().browse(feedback_id).exists()
        self._check_portal_applicant(case)
        products = self._get_portal_parts()
        Line = self.env["forklift.parts.request.line"]
        reasons = dict(Line._fields["warranty_reason"]._description_selection(self.env))
        vals_lines = []
        for product_id, quantity, warranty_reason in lines:
            product = products.filtered(lambda p, pid=product_id: p.id == pid)
            if not product:
                raise UserError(self.env._("Choose the parts from the list."))
            if quantity <= 0:
                raise UserError(self.env._("Quantities must be positive."))
            if warranty_reason not in reasons:
                raise UserError(
                    self.env._(
                        "%(part)s: say why it is needed under warranty: %(reasons)s.",
                        part=product.display_name,
                        reasons=", ".join(reasons.values()),
                    )
                )
            vals_lines.append(
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "quantity": quantity,
                        "warranty_reason": warranty_reason,
                    }
                )
            )
        if not vals_lines:
            raise UserError(self.env._("Add the parts needed."))
        request = self._create_flow(
            [
                {
                    "feedback_id": case.id,
                    "applicant_type": "dealer",
                    "dealer_id": case.dealer_id.commercial_partner_id.id,
                    "reason": (reason or "").strip() or False,
                    "line_ids": vals_lines,
                }
            ]
        ).sudo()
        request._check_ready_for_validation()
        request.request_validation()
        return request

    @api.model
    def _get_portal_parts(self):
        """The parts a dealer may ask for: the spare parts the company stocks."""
        # sudo: portal users do not read products or quants
        spare_parts = self.env.ref(
            "forklift_aftersales.stock_location_spare_parts", raise_if_not_found=False
        )
        if not spare_parts:
            return self.env["product.product"]
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search([("location_id", "child_of", spare_parts.id), ("quantity", ">", 0)])
        )
        return quants.product_id.sorted("name")

    def _filter_portal_own(self):
        """Those of these requests that are the logged-in portal user's own:
        the applications of his dealer company (R-055). None for staff, for
        the customer of the sheet or for a visitor holding the sheet's
        link."""
        user = self.env.user
        if not user.share or user._is_public():
            return self.browse()
        commercial = user.partner_id.commercial_partner_id
        return self.filtered(
            lambda request: (
                request.applicant_type == "dealer"
                and request.dealer_id.commercial_partner_id == commercial
            )
        )

    def _get_portal_progress(self):
        """Where the approval stands, as the dealer may see it: the step
        waited for, not who approved what."""
        self.ensure_one()
        # sudo: the reviews are read by the server for the portal page
        pending = self.sudo().review_ids.filtered(lambda r: r.status == "pending")
        return ", ".join(pending.mapped("name"))

    def action_approve(self):
        """Move a fully validated request to approved and prepare the
        delivery: the form's *Approve* of after-sales staff, or the last
        review's step (sudo). A user who only reads or reviews the request
        does not carry it on over RPC (R-005, R-206)."""
        self._check_staff(
            self.env._(
                "Only after-sales staff carry an approved warranty parts request "
                "on to its delivery."
            )
        )
        self._check_tier_approvable()
        self._check_tier_validated()
        for request in self:
            request._check_ready_for_validation()
        # tier validation refuses this write while a review is missing
        self._write_flow({"state": "approved", "approved_date": fields.Datetime.now()})
        for request in self:
            request._create_picking()
        # important parts are exchanged in kind: their old parts are expected
        # back before the delivery leaves (004 §4.6.2, R-097)
        self.env["forklift.oldpart.return"]._open_exchange_returns(self)

    def validate_tier(self):
        self._check_tier_approvable()
        res = super().validate_tier()
        # no refresh: validation_status follows the reviews' status, and
        # reading the reviews again would cost the approval path queries
        if self._is_tier_concluded("validated", refresh=False):
            # the reviewer just gave the last approval the request needed;
            # approvers may not edit requests
            with self._flow_running() as request:
                request.action_approve()
        return res

    def action_cancel(self):
        """Cancel the request and its delivery; the reviews go with the
        cancellation, so re-opening it restarts the whole validation."""
        self._check_staff(
            self.env._("Only after-sales staff cancel warranty parts requests.")
        )
        self._check_tier_state(
            ("draft", "approved"),
            self.env._("%s is shipped or already cancelled: it cannot be cancelled."),
        )
        for request in self:
            pickings = request._get_own_deliveries()
            if "done" in pickings.mapped("state"):
                raise UserError(
                    self.env._("%s is shipped: it cannot be cancelled.", request.name)
                )
            pickings.filtered(
                lambda p: p.state != "cancel"
            )._forklift_cancel_request_delivery()
        self._write_flow({"state": "cancel"})
        self.env["forklift.oldpart.return"]._cancel_exchange_returns(self)

    def _get_delivery_chain(self):
        """The delivery each request's approval made and every backorder of
        it, by their backorder chain: one query per step, where a search
        would first write the transfers a validation is changing."""
        # sudo: after-sales staff have no stock rights
        chains = self.env["stock.picking"].sudo()
        for request in self.sudo():
            chain = request.picking_id
            while chain:
                chains |= chain
                chain = chain.backorder_ids - chains
        return chains

    def _get_own_deliveries(self):
        """The requests' own deliveries and their backorders
        (``stock.picking._is_forklift_request_delivery``), never a transfer
        pointed at a request from elsewhere."""
        return self._get_delivery_chain().filtered(
            lambda p: (
                p.forklift_parts_request_id in self
                and p._is_forklift_request_delivery()
            )
        )

    def _cancel_rest_with_case(self):
        """The feedback sheet is cancelled: what its shipped requests still
        have on an open backorder is not sent to a sheet nobody services
        (000 §4.3.1.2, R-010); what was shipped stays shipped, and its old
        parts are still owed back (R-167)."""
        self._get_own_deliveries().filtered(
            lambda p: p.state not in ("done", "cancel")
        )._forklift_cancel_request_delivery()

    def action_draft(self):
        """Re-open a cancelled request: its validation starts again from the
        first step (000 §4.3.1.2)."""
        self._check_staff(
            self.env._("Only after-sales staff re-open warranty parts requests.")
        )
        self._check_tier_state(
            ("cancel",),
            self.env._("Only a cancelled request is re-opened; %s is not cancelled."),
        )
        self._write_flow(
            {
                "state": "draft",
                "approved_date": False,
                "picking_id": False,
            }
        )
        self.restart_validation()

    def _filter_forklift_reviewers(self, review, reviewers):
        """The office step of a dealer's application is confirmed by the
        director of the office governing the dealer alone
        (经公司所辖办事处主任签字确认, 000 §4.2.2.3, R-196). A dealer without
        one is not sent for approval (``_check_ready_for_validation``)."""
        reviewers = super()._filter_forklift_reviewers(review, reviewers)
        if self.applicant_type != "dealer":
            return reviewers
        return self._filter_forklift_office_reviewers(review, reviewers, self.dealer_id)

    def _get_tier_applicants(self):
        """The technician or the dealer's users who apply, and whoever wrote
        the request (created it, or changed the draft: see
        ``forklift.approval.editor.mixin``), never approve it (000 §4.3.1.2)."""
        applicants = super()._get_tier_applicants()
        # sudo: reading who applied, whoever may read the request
        request = self.sudo()
        return (
            applicants
            | request.technician_id
            | request.dealer_id.user_ids
            | request.dealer_id.child_ids.user_ids
        )

    def action_view_picking(self):
        self.ensure_one()
        return form_action(self.picking_id)

    # Business methods

    def _get_recipient(self):
        self.ensure_one()
        if self.applicant_type == "dealer":
            return self.dealer_id
        return self.technician_id.partner_id or self.feedback_id.partner_id

    def _create_picking(self):
        """The approved parts leave the spare-parts location on a delivery that
        only the warehouse may validate."""
        self.ensure_one()
        delivery_type = self.env["stock.warehouse"]._forklift_get_company_delivery_type(
            self.company_id.id
        )
        Location = self.env["stock.location"]
        source = Location._forklift_get_by_xmlid(
            "forklift_aftersales.stock_location_spare_parts"
        )
        destination = Location._forklift_get_by_xmlid("stock.stock_location_customers")
        # stock reads them one by one as it confirms and reserves the moves
        Location._forklift_prefetch_watched()
        recipient = self._get_recipient()
        # stock reads the recipient, the delivery's numbering the user's time
        # zone: both partners in one query
        prefetch_readable(recipient | self.env.user.partner_id)
        picking_vals = {
            "picking_type_id": delivery_type.id,
            "partner_id": recipient.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": self.name,
            "forklift_parts_request_id": self.id,
        }
        if self.urgency == "urgent":
            picking_vals["priority"] = "1"
        # sudo: after-sales staff and approvers have no stock rights; the
        # delivery is made for a request that passed every approval. The
        # approver who released it does not become a follower of the
        # warehouse's transfer.
        Picking = self.env["stock.picking"].sudo()
        # Its origin names the request, whose chatter tells the approval: the
        # transfer logs no line of its own creation.
        picking = (
            Picking.with_context(mail_create_nosubscribe=True, mail_create_nolog=True)
            .create(picking_vals)
            .with_env(Picking.env)
        )
        # the moves are created on the transfer with the date to ship by: its
        # scheduled date is theirs, without writing every move's date twice
        # (once to the transfer's default, once to the deadline)
        move_vals_list = []
        for line in self.line_ids:
            move_vals = line._prepare_move_vals(source, destination)
            move_vals["picking_id"] = picking.id
            if self.ship_deadline:
                move_vals["date"] = self.ship_deadline
            move_vals_list.append(move_vals)
        self.env["stock.move"].sudo().create(move_vals_list)
        # the reservation reads the quants of each part on their own otherwise
        self.env["stock.quant"]._forklift_prefetch(
            self.line_ids.product_id, source, below=True
        )
        picking.action_confirm()
        if self.urgency == "urgent":
            self._reserve_before_other_demands(picking)
        self._write_flow({"picking_id": picking.id})

    def _get_supply_shortages(self):
        """Parts the spare-parts stock cannot cover now.

        :return: list of (product, missing quantity)
        """
        self.ensure_one()
        source = self.env.ref("forklift_aftersales.stock_location_spare_parts")
        needed = {}
        for line in self.line_ids:
            needed[line.product_id] = needed.get(line.product_id, 0.0) + line.quantity
        shortages = []
        for product, quantity in needed.items():
            # sudo: reading free stock for a request the user may see
            free = product.sudo().with_context(location=source.id).free_qty
            if quantity > free:
                shortages.append((product, quantity - max(free, 0.0)))
        return shortages

    def _raise_rush_purchase(self, shortages):
        """Tell purchasing at once; the supplier addon also places the order."""
        self.ensure_one()
        items = ", ".join(
            f"{product.display_name} × {quantity:g}" for product, quantity in shortages
        )
        # purchasing of the request's company
        purchasers = company_members(
            self.env.ref("forklift_aftersales.group_forklift_purchasing"),
            self.company_id,
        )
        user = purchasers[:1] or self.company_id._get_forklift_planner()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self),
            summary=self.env._("Rush purchase: urgent parts out of stock"),
            note=items,
            user_id=user.id,
        )
        self.message_post(
            body=self.env._(
                "Urgent parts out of stock, rush purchase needed: %s", items
            )
        )

    def _reserve_before_other_demands(self, picking):
        """Customer before production (004 §4.6.1): an urgent after-sales need
        takes the spare parts other demands have reserved, which then wait
        for the next stock."""
        short = picking.move_ids.filtered(
            lambda m: m.state in ("confirmed", "partially_available")
        )
        if not short:
            return
        # sudo: re-reserving stock for a request that passed every approval
        competing = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("product_id", "in", short.product_id.ids),
                    ("location_id", "child_of", picking.location_id.id),
                    ("picked", "=", False),
                    ("move_id.state", "in", ("assigned", "partially_available")),
                    ("move_id.picking_id.forklift_parts_request_id", "=", False),
                ]
            )
            .move_id
        )
        if not competing:
            return
        competing._do_unreserve()
        short._action_assign()
        competing._action_assign()
        self.message_post(
            body=self.env._(
                "Urgent parts taken before other reservations: %s",
                ", ".join(competing.mapped("reference")),
            )
        )

    # Delivery to the buyer (000 第四篇 §6, R-178)

    def _check_awaiting_delivery(self):
        """The parts left the warehouse and their delivery is not recorded."""
        for request in self:
            if request.state != "shipped" or not request.shipped_date:
                raise UserError(
                    self.env._(
                        "%s is not shipped: its delivery cannot be recorded.",
                        request.name,
                    )
                )
            if request.delivered_date:
                raise UserError(
                    self.env._(
                        "The delivery of %(request)s was already recorded on %(date)s.",
                        request=request.name,
                        date=request.delivered_date,
                    )
                )

    def _mark_delivered(self, delivered_at):
        """The service center or the warehouse records when the carrier
        delivered the parts to the buyer (R-178): not before the shipment,
        never in the future. The supply commitment is measured to it."""
        user = self.env.user
        if not (
            user.has_group("forklift_aftersales.group_forklift_user")
            or user.has_group("forklift_aftersales.group_forklift_warehouse")
        ):
            raise AccessError(
                self.env._(
                    "Only the service center or the warehouse records the delivery "
                    "of warranty parts."
                )
            )
        delivered_at = fields.Datetime.to_datetime(delivered_at)
        if not delivered_at:
            raise UserError(self.env._("Give when the parts were delivered."))
        if delivered_at > fields.Datetime.now():
            raise ValidationError(
                self.env._(
                    "The parts cannot be delivered on %s: the time is in the future.",
                    delivered_at,
                )
            )
        self._check_awaiting_delivery()
        for request in self:
            if delivered_at < request.shipped_date:
                raise ValidationError(
                    self.env._(
                        "%(request)s cannot be delivered on %(delivered)s, before it "
                        "was shipped on %(shipped)s.",
                        request=request.name,
                        delivered=delivered_at,
                        shipped=request.shipped_date,
                    )
                )
        self._write_flow(
            {"delivered_date": delivered_at, "delivery_recorded_by_id": user.id}
        )
        self._on_parts_delivered()
        return True

    @api.model
    def _portal_confirm_delivery(self, request_id):
        """The dealer confirms on the portal that the parts of its own
        application arrived (R-178): the time is the server's."""
        user = self.env.user
        # sudo: portal users do not read parts requests
        request = self.sudo().browse(request_id).exists()._filter_portal_own()
        if not request:
            raise AccessError(
                self.env._("A dealer confirms the receipt of its own parts only.")
            )
        request._check_awaiting_delivery()
        request._as_flow().write(
            {
                "delivered_date": fields.Datetime.now(),
                "delivery_recorded_by_id": user.id,
            }
        )
        request._on_parts_delivered()
        request.message_post(
            body=self.env._(
                "Parts received, confirmed on the portal by %s.", user.name
            ),
            author_id=user.partner_id.id,
        )
        return request

    def action_open_delivery_wizard(self):
        """Ask when the carrier delivered the parts (the wizard only collects
        it; :meth:`_mark_delivered` decides)."""
        name = self.env._("Record the Delivery")
        return wizard_action(self, "forklift.parts.delivery.wizard", "request_id", name)

    def _on_parts_delivered(self):
        """The old parts are due 30 days after the replacement, or after the
        delivery when it came later (R-167, A-15)."""
        # sudo: the returns of the request, whoever recorded the delivery
        self.sudo().oldpart_return_ids._update_due_date()

    def _on_picking_done(self, pickings):
        """Parts shipped by ``pickings``, the request's deliveries just
        validated (the first one or a backorder): the replaced warranty parts
        of what they shipped are now expected back (R-167, R-229). The
        returns count every delivery of the request, these among them, so
        the first shipment and its backorders go through the same code."""
        # the warehouse, which may not edit requests, has just shipped the
        # parts of an approved request
        with self._flow_running() as requests:
            shipped = requests.filtered(lambda r: r.state == "approved")
            shipped.write({"state": "shipped"})
            # once shipped, out of the approval's reach (it guards the
            # approved state): the day is the delivery's
            for request in shipped:
                request.shipped_date = (
                    request.picking_id.date_done or fields.Datetime.now()
                )
            # sudo: the warehouse ships, the returns are the service center's
            self.env["forklift.oldpart.return"].sudo()._open_for_shipped_requests(
                requests
            )

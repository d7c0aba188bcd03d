from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

RETURN_STATES = [
    ("expected", "Expected"),
    ("inspected", "Inspected"),
    ("accepted", "Accepted into Stock"),
    ("rejected", "Rejected and Billed"),
    ("charged", "Charged to Technician"),
    ("disputed", "Disputed"),
    ("company", "Borne by the Company"),
    ("cancel", "Cancelled"),
]
VERDICTS = [
    ("accepted", "Accepted"),
    ("incomplete", "Rejected: incomplete part"),
    ("out_of_scope", "Rejected: outside the warranty scope"),
    ("non_original", "Rejected: non-original part"),
    ("misuse", "Rejected: user-caused damage"),
]


class ForkliftOldpartReturn(models.Model):
    """Warranty old-part return note (三包旧件退货单, R-011).

    Every warranty part replaced must come back (000 §4.3.2.3–6): dealers
    within 30 days. The service center and QA both inspect and sign before the
    part enters the old-parts stock; a rejected part is explained in writing to
    the dealer and the application becomes a paid part sale billed to it.
    """

    _name = "forklift.oldpart.return"
    _description = "Forklift Warranty Old-Part Return"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.overdue.mixin",
    ]
    _order = "id desc"
    _overdue_deadline_field = "due_date"
    _overdue_open_states = ("expected",)

    state = fields.Selection(
        RETURN_STATES,
        required=True,
        default="expected",
        tracking=True,
        copy=False,
        index=True,
        group_expand=True,
    )
    request_id = fields.Many2one(
        "forklift.parts.request",
        string="Warranty Parts Request",
        required=True,
        index=True,
    )
    case_id = fields.Many2one(related="request_id.case_id", store=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    returned_by_type = fields.Selection(related="request_id.applicant_type", store=True)
    dealer_id = fields.Many2one(related="request_id.dealer_id", store=True)
    technician_id = fields.Many2one(related="request_id.technician_id", store=True)
    line_ids = fields.One2many(
        "forklift.oldpart.return.line", "return_id", string="Old Parts"
    )
    due_date = fields.Date(
        string="Due Back On",
        help="Dealers send replaced warranty parts back within 30 days (000 §4.3.2.5).",
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Receipt", readonly=True, copy=False
    )
    verdict = fields.Selection(VERDICTS, tracking=True)
    explanation = fields.Html(
        help="Written explanation sent to the dealer when the part is rejected."
    )
    sc_inspected_by_id = fields.Many2one(
        "res.users", string="Service Center Inspector", readonly=True, copy=False
    )
    sc_inspected_date = fields.Datetime(readonly=True, copy=False)
    qa_inspected_by_id = fields.Many2one(
        "res.users", string="QA Inspector", readonly=True, copy=False
    )
    qa_inspected_date = fields.Datetime(readonly=True, copy=False)
    sale_order_id = fields.Many2one(
        "sale.order", string="Paid Part Sale", readonly=True, copy=False
    )
    invoice_ids = fields.Many2many(
        related="sale_order_id.invoice_ids", string="Invoices"
    )
    not_returned_reason = fields.Text(
        help="Why a technician cannot return the part; the director accepts it or "
        "the cost is charged to the technician (000 §4.3.2.4)."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    charged_amount = fields.Monetary(readonly=True, copy=False, tracking=True)
    charged_user_id = fields.Many2one(
        "res.users", string="Charged To", readonly=True, copy=False, index=True
    )
    cost_bearer = fields.Selection(
        [("technician", "Technician"), ("company", "Company"), ("dealer", "Dealer")],
        string="Cost Borne By",
        compute="_compute_cost_bearer",
        store=True,
        help="Who pays for the part: the company when it is accepted, the dealer "
        "when it is rejected and billed, the technician when it is charged; the "
        "after-sales committee settles disputes (000 §4.3.2.4).",
    )
    committee_review_ids = fields.One2many(
        "forklift.committee.review", "oldpart_return_id", string="Committee Reviews"
    )

    @api.depends("state")
    def _compute_cost_bearer(self):
        bearers = {
            "accepted": "company",
            "company": "company",
            "cancel": "company",
            "rejected": "dealer",
            "charged": "technician",
        }
        for note in self:
            note.cost_bearer = bearers.get(note.state, note.cost_bearer)

    # Actions

    def action_sign_service_center(self):
        self._sign_inspection("sc", "forklift_aftersales.group_forklift_user")

    def action_sign_qa(self):
        self._sign_inspection("qa", "forklift_aftersales.group_forklift_qa")

    def _sign_inspection(self, who, group):
        if not self.env.user.has_group(group):
            raise UserError(self.env._("You are not allowed to sign this inspection."))
        for note in self:
            if note.state != "expected":
                raise UserError(self.env._("%s is already inspected.", note.name))
            if not note.verdict:
                raise UserError(self.env._("Give the inspection verdict first."))
            if note.verdict != "accepted" and not note.explanation:
                raise UserError(
                    self.env._(
                        "Write the explanation sent to the dealer before rejecting "
                        "the part."
                    )
                )
            # sudo: QA inspectors sign without editing return notes otherwise
            note.sudo().write(
                {
                    f"{who}_inspected_by_id": self.env.uid,
                    f"{who}_inspected_date": fields.Datetime.now(),
                }
            )
            if note.sc_inspected_by_id and note.qa_inspected_by_id:
                note.sudo()._on_inspected()

    def _on_inspected(self):
        """Both signatures are in: accept the part into old-parts stock or
        reject it and bill the dealer (000 §4.3.2.5)."""
        self.ensure_one()
        self.state = "inspected"
        if self.verdict == "accepted":
            self._receive_old_parts()
            self.state = "accepted"
        else:
            self._reject()

    def _receive_old_parts(self):
        self.ensure_one()
        source = self.env.ref("stock.stock_location_customers")
        destination = self.env.ref("forklift_aftersales.stock_location_old_parts")
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "partner_id": (self.dealer_id or self.technician_id.partner_id).id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "origin": self.name,
                "move_ids": [
                    fields.Command.create(
                        {
                            "product_id": line.product_id.id,
                            "product_uom_qty": line.quantity,
                            "product_uom": line.product_id.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                    for line in self.line_ids
                ],
            }
        )
        picking.action_confirm()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.picking_id = picking

    def _reject(self):
        self.ensure_one()
        partner = self.dealer_id or self.case_id.partner_id
        order = self.env["sale.order"].create(self._prepare_sale_order_vals(partner))
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.write({"sale_order_id": order.id, "state": "rejected"})
        template = self.env.ref("forklift_aftersales.mail_template_oldpart_rejected")
        self.message_post_with_source(
            template, subtype_xmlid="mail.mt_comment", partner_ids=partner.ids
        )

    def _prepare_sale_order_vals(self, partner):
        self.ensure_one()
        return {
            "partner_id": partner.id,
            "origin": f"{self.request_id.name} / {self.name}",
            "user_id": self.request_id.technician_id.id or self.env.uid,
            "order_line": [
                fields.Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.quantity,
                        "price_unit": line.product_id.lst_price,
                    }
                )
                for line in self.line_ids
            ],
        }

    def action_charge_technician(self):
        """A technician's part that does not come back, without an accepted
        reason, is charged to the technician (000 §4.3.2.4)."""
        for note in self:
            if note.returned_by_type != "technician" or note.state != "expected":
                raise UserError(
                    self.env._(
                        "Only a technician's part still expected can be charged."
                    )
                )
            note.write(
                {
                    "state": "charged",
                    "charged_user_id": note.technician_id.id,
                    "charged_amount": sum(
                        note.line_ids.mapped(
                            lambda line: line.quantity * line.unit_cost
                        )
                    ),
                }
            )

    def action_accept_not_returned(self):
        if not self.env.user.has_group("forklift_aftersales.group_forklift_director"):
            raise UserError(
                self.env._("Only the service center director accepts a missing part.")
            )
        for note in self:
            if not note.not_returned_reason:
                raise UserError(self.env._("Write why the part cannot be returned."))
        self.write({"state": "cancel"})

    def action_dispute(self):
        """Disputed verdicts or charges go to the after-sales committee
        (000 §4.3.2.4): a committee review is opened for each note."""
        for note in self:
            if note.state not in ("rejected", "charged"):
                raise UserError(
                    self.env._(
                        "Only a rejected or charged old part can be disputed (%s).",
                        note.name,
                    )
                )
        self.write({"state": "disputed"})
        self.env["forklift.committee.review"].create(
            [
                {
                    "subject_type": "oldpart",
                    "oldpart_return_id": note.id,
                    "title": self.env._("Disputed old part %s", note.name),
                    "reason": self.env._("Disputed by the service center"),
                }
                for note in self
            ]
        )

    def _apply_committee_decision(self, bearer, review):
        """The committee decided who pays for a disputed part (000 §4.3.2.4):
        the technician is charged its cost, the dealer is invoiced, or the
        company bears it and any charge or invoice is withdrawn."""
        self.ensure_one()
        if bearer == "technician" and self.returned_by_type != "technician":
            raise ValidationError(
                self.env._("%s was not returned by a technician.", self.name)
            )
        if bearer == "dealer" and self.returned_by_type != "dealer":
            raise ValidationError(
                self.env._("%s was not returned by a dealer.", self.name)
            )
        if bearer == "technician":
            self.write(
                {
                    "state": "charged",
                    "charged_user_id": self.technician_id.id,
                    "charged_amount": sum(
                        self.line_ids.mapped(
                            lambda line: line.quantity * line.unit_cost
                        )
                    ),
                }
            )
        elif bearer == "dealer":
            if self.sale_order_id:
                self.state = "rejected"
            else:
                self._reject()
        else:
            invoices = self.invoice_ids.filtered(
                lambda i: (
                    i.state == "posted"
                    and i.move_type == "out_invoice"
                    and i.payment_state != "reversed"
                )
            )
            if invoices:
                invoices._reverse_moves(
                    [
                        {"ref": self.env._("Committee decision %s", review.name)}
                        for __ in invoices
                    ],
                    cancel=True,
                )
            self.write(
                {"state": "company", "charged_user_id": False, "charged_amount": 0}
            )
        self.message_post(
            body=self.env._(
                "After-sales committee decision %(review)s: cost borne by %(bearer)s.",
                review=review.name,
                bearer=dict(
                    self._fields["cost_bearer"]._description_selection(self.env)
                )[bearer],
            )
        )

    @api.model
    def _cron_remind_overdue(self):
        """Remind the dealer's supervisor (or the responsible) once per note."""
        activity_type = self.env.ref("forklift_aftersales.mail_activity_type_deadline")
        notes = self.search(self._get_overdue_domain())
        already = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", notes.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        reminded = set(already.mapped("res_id"))
        for note in notes.filtered(lambda n, done=reminded: n.id not in done):
            user = (
                note.dealer_id.forklift_supervisor_id
                or note.technician_id
                or note.case_id.user_id
                or self.env.user
            )
            note.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Old parts not returned in time"),
                user_id=user.id,
            )

    @api.model
    def _prepare_from_request(self, request):
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("forklift_aftersales.oldpart_return_days", 30)
        )
        return {
            "request_id": request.id,
            "due_date": fields.Date.context_today(self) + timedelta(days=days),
            "line_ids": [
                fields.Command.create(
                    {
                        "product_id": line.product_id.id,
                        "quantity": line.quantity,
                        "unit_cost": line.unit_cost,
                    }
                )
                for line in request.line_ids
            ],
        }


class ForkliftOldpartReturnLine(models.Model):
    _name = "forklift.oldpart.return.line"
    _description = "Forklift Old-Part Return Line"

    return_id = fields.Many2one(
        "forklift.oldpart.return", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one("product.product", string="Part", required=True)
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    unit_cost = fields.Float(digits="Product Price")
    failed_serial = fields.Char(string="Failed Part Serial")

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity of a returned part must be positive."
    )

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import HOUR_METER_SQL, check_signature_image
from .forklift_document_fields import stamp_user, stamped, unit_link

COMMISSIONING_STATES = [
    ("planned", "Planned"),
    ("done", "Accepted"),
    ("cancel", "Cancelled"),
]


class ForkliftCommissioning(models.Model):
    """Delivery commissioning and acceptance (交车服务 / 验收).

    When a forklift reaches the buyer's site a technician installs and
    commissions it free of charge at once, both sides check its quality and
    performance, and the customer signs the acceptance, whose date starts the
    warranty (000 第四篇 §1, §4; 004 §4.3; R-041, R-124). Contracts that require
    installation supervision get a scheduled visit (R-128).
    """

    _name = "forklift.commissioning"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.flow.mixin",
        "forklift.unit.company.mixin",
    ]
    _description = "Forklift Delivery Commissioning"
    _order = "planned_date desc, id desc"
    _flow_editable_states = ("planned",)
    _flow_deletable_states = ("planned",)
    _check_company_auto = True

    state = fields.Selection(
        COMMISSIONING_STATES, required=True, default="planned", tracking=True
    )
    unit_id = unit_link(required=True, index=True, tracking=True, check_company=True)
    partner_id = fields.Many2one(
        related="unit_id.partner_id", store=True, check_company=True
    )
    dealer_id = fields.Many2one(
        related="unit_id.dealer_id", store=True, check_company=True
    )
    planned_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Commissioning is due at once when the forklift arrives (R-177).",
    )
    technician_id = fields.Many2one("res.users", tracking=True, check_company=True)
    supervision_required = fields.Boolean(
        string="Installation Supervision",
        help="The contract requires our staff at the installation and its "
        "quality acceptance (004 §4.3).",
    )
    supervision_date = fields.Datetime(string="Supervision Visit", tracking=True)
    quality_ok = fields.Boolean(string="Quality Checked")
    performance_ok = fields.Boolean(string="Performance Checked")
    check_notes = fields.Html(string="Inspection Results")
    hour_meter = fields.Float(string="Hour Meter at Acceptance")
    acceptance_date = stamped(fields.Date, tracking=True)
    accepted_by_id = stamp_user(
        "Acceptance Recorded By", help="Who recorded the customer's signed acceptance."
    )
    signature = fields.Image(
        string="Customer Signature",
        copy=False,
        attachment=True,
        max_width=1024,
        max_height=1024,
    )
    signed_by = fields.Char(copy=False)

    _hour_meter_positive = models.Constraint(
        f"CHECK(hour_meter {HOUR_METER_SQL})",
        "An hour meter reads from 0 to 999999 hours.",
    )

    @api.constrains("signature")
    def _check_signature(self):
        """The customer signs the acceptance on the technician's screen: a PNG
        or JPEG image, as the service order's signature."""
        for commissioning in self.filtered("signature"):
            check_signature_image(self.env, commissioning.signature)

    @api.constrains("planned_date", "unit_id")
    def _check_planned_after_delivery(self):
        """The forklift is commissioned at once when it arrives, due on its
        delivery date (000 第四篇 §1, R-177, R-124): never before it, and a
        user does not push the to-do back. A forklift whose delivery is not
        recorded yet is due at once. Only the service-center director (he
        sets the delivery date and the warranty terms) or the flow plans it
        later, when the customer is not ready."""
        may_postpone = self._may_postpone()
        for commissioning in self:
            delivery = commissioning.unit_id.delivery_date
            if delivery and commissioning.planned_date < delivery:
                raise ValidationError(
                    self.env._(
                        "%(unit)s cannot be commissioned before its delivery on "
                        "%(date)s.",
                        unit=commissioning.unit_id.name,
                        date=delivery,
                    )
                )
            due = delivery or commissioning.company_id._forklift_today()
            if commissioning.planned_date > due and not may_postpone:
                raise ValidationError(
                    self.env._(
                        "%(unit)s is commissioned at once on its arrival, on "
                        "%(date)s: only the service-center director plans its "
                        "commissioning later.",
                        unit=commissioning.unit_id.name,
                        date=due,
                    )
                )

    def _may_postpone(self):
        return self._is_flow_write() or self.env.user.has_group(
            "forklift_aftersales.group_forklift_director"
        )

    @api.model
    def _get_flow_fields(self):
        """The signed acceptance starts the warranty (000 第四篇 §1, R-041):
        it is recorded by its button only, on the day it is given."""
        return {"state", "acceptance_date", "accepted_by_id"}

    @api.model
    def _get_fixed_fields(self):
        """The commissioning of one forklift never moves to another."""
        return super()._get_fixed_fields() | {"unit_id"}

    @api.onchange("unit_id")
    def _onchange_unit_id(self):
        """Due on the delivery date (R-177)."""
        if self.unit_id.delivery_date:
            self.planned_date = self.unit_id.delivery_date

    @api.model_create_multi
    def create(self, vals_list):
        # due on the delivery date, not on the day it is recorded
        units = self.env["forklift.unit"].browse(
            [vals["unit_id"] for vals in vals_list if vals.get("unit_id")]
        )
        deliveries = {unit.id: unit.delivery_date for unit in units}
        for vals in vals_list:
            if not vals.get("planned_date") and deliveries.get(vals.get("unit_id")):
                vals["planned_date"] = deliveries[vals["unit_id"]]
        records = super().create(vals_list)
        records._check_unit_not_accepted()
        records._schedule_activities()
        return records

    def write(self, vals):
        res = super().write(vals)
        if {"technician_id", "planned_date", "supervision_date"} & set(vals):
            self._schedule_activities()
        return res

    def _get_state_locked_message(self, names):
        """A signed acceptance is the customer's: once accepted or cancelled,
        nothing of the commissioning changes."""
        return self.env._(
            "%s is accepted or cancelled: it no longer changes.", self.name
        )

    def _get_flow_kept_message(self):
        return self.env._(
            "An accepted or cancelled commissioning is kept: it cannot be deleted."
        )

    def _check_unit_not_accepted(self):
        """The acceptance signed on the commissioning starts the warranty of a
        forklift that has none yet, 1 year or 1500 hours from it (000 第四篇
        §4, R-041, R-211): a forklift accepted already is not commissioned
        again, so its warranty, over or running, never restarts."""
        for commissioning in self:
            unit = commissioning.unit_id
            if unit.acceptance_date:
                raise UserError(
                    self.env._(
                        "Forklift %(unit)s was already accepted on %(date)s: its "
                        "warranty started then, and another commissioning cannot "
                        "start it again.",
                        unit=unit.name,
                        date=unit.acceptance_date,
                    )
                )

    def action_accept(self):
        """The customer signs the acceptance: its date starts the warranty."""
        self._check_step_state(
            ("planned",), self.env._("%s is not waiting for acceptance.")
        )
        self._check_unit_not_accepted()
        for commissioning in self:
            if not (commissioning.quality_ok and commissioning.performance_ok):
                raise UserError(
                    self.env._(
                        "Check the quality and the performance with the customer "
                        "before the acceptance."
                    )
                )
            if not (commissioning.signature and commissioning.signed_by):
                raise UserError(
                    self.env._(
                        "The customer must sign the acceptance of %s.",
                        commissioning.unit_id.name,
                    )
                )
            # the company's day, whatever time zone the call names: the
            # warranty runs from it
            accepted = commissioning.company_id._forklift_today()
            commissioning._check_warranty_not_ended(accepted)
            commissioning._write_flow(
                {
                    "state": "done",
                    "acceptance_date": accepted,
                    "accepted_by_id": self.env.uid,
                }
            )
            unit = commissioning.unit_id
            # sudo: the acceptance of the unit's own commissioning starts its
            # warranty and reads its hour meter; the checks above were made
            flow_env = commissioning._as_flow().env
            if commissioning.hour_meter:
                flow_env["forklift.hour.reading"].create(
                    {
                        "unit_id": unit.id,
                        "hours": commissioning.hour_meter,
                        # read now: the midnight of the company's day may be
                        # ahead of the server's clock
                        "date": fields.Datetime.now(),
                        "source": "commissioning",
                    }
                )
            unit.with_env(flow_env).write({"acceptance_date": accepted})
            commissioning.activity_unlink(["mail.mail_activity_data_todo"])
            unit.message_post(
                body=self.env._(
                    "Accepted by %(customer)s on %(date)s (%(commissioning)s): the "
                    "warranty starts.",
                    customer=commissioning.signed_by,
                    date=accepted,
                    commissioning=commissioning.name,
                )
            )

    def _check_warranty_not_ended(self, accepted):
        """A forklift never accepted has its warranty from its delivery
        (A-23): an acceptance signed on ``accepted``, after that warranty
        ended, would start a new one (R-211) for a forklift long in use. Only
        the service-center director, who sets the warranty terms, records
        it; a technician records an acceptance given while the warranty from
        the delivery still runs."""
        self.ensure_one()
        unit = self.unit_id
        end = unit.warranty_end_date
        if end and accepted > end and not unit._may_change_warranty_terms():
            raise AccessError(
                self.env._(
                    "Forklift %(unit)s was delivered on %(delivery)s and its "
                    "warranty counted from the delivery ended on %(end)s: an "
                    "acceptance signed now would start a new one. Only the "
                    "service-center director records it.",
                    unit=unit.name,
                    delivery=unit.delivery_date,
                    end=end,
                )
            )

    def action_cancel(self):
        self._take_state_step(
            ("planned",),
            self.env._("%s is accepted or cancelled already: it cannot be cancelled."),
            "cancel",
            ["mail.mail_activity_data_todo"],
        )

    def _schedule_activities(self):
        """The technician (or the service planner) commissions on arrival and
        attends the installation supervision when the contract requires it."""
        for commissioning in self.filtered(lambda c: c.state == "planned"):
            user = (
                commissioning.technician_id
                or commissioning.company_id._get_forklift_planner()
            )
            commissioning.activity_unlink(["mail.mail_activity_data_todo"])
            commissioning.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=commissioning.planned_date,
                summary=self.env._(
                    "Commission %s on arrival", commissioning.unit_id.name
                ),
                user_id=user.id,
            )
            if commissioning.supervision_required and commissioning.supervision_date:
                commissioning.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=commissioning.supervision_date.date(),
                    summary=self.env._("Installation supervision visit"),
                    user_id=user.id,
                )

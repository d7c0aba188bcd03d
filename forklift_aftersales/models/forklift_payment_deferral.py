from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .forklift_document_fields import (
    sheet_link,
    stamp_datetime,
    stamp_user,
    workflow_state,
)
from .forklift_feedback import PAID_SERVICE_STATES

DEFERRAL_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]


class ForkliftPaymentDeferral(models.Model):
    """The service center director's consent to a deferred payment (up to 30
    days) of a paid service (000 §4.3.2.1, R-102, R-165).

    Staff ask for it from the feedback sheet; the director approves it through
    the tier validation (never the person who asked). Only the approval writes
    the payment mode, who agreed and when on the sheet.
    """

    _name = "forklift.payment.deferral"
    _description = "Forklift Paid-Service Payment Deferral"
    _inherit = [
        "forklift.approval.editor.mixin",
        "forklift.flow.mixin",
        "mail.thread",
        "tier.validation",
    ]
    _order = "id desc"
    _check_company_auto = True
    _state_from = ["draft"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    state = workflow_state(DEFERRAL_STATES, index=True)
    feedback_id = sheet_link(required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="feedback_id.company_id", store=True)
    partner_id = fields.Many2one(related="feedback_id.partner_id", string="Customer")
    reason = fields.Text(help="Why the customer pays later than on the spot.")
    requested_by_id = stamp_user()
    requested_date = stamp_datetime("Requested On")
    approved_by_id = stamp_user("Agreed By", tracking=True)
    approved_date = stamp_datetime("Agreed On")
    payment_due_date = fields.Date(
        string="Pay By",
        compute="_compute_payment_due_date",
        help="30 days after the service date, the day the work was finished on "
        "site (000 §4.3.2.1, R-165): the invoice is due then, whenever it is "
        "made. Known once the work is reported done.",
    )

    @api.depends(
        "feedback_id.service_order_ids.state",
        "feedback_id.service_order_ids.finished_date",
    )
    def _compute_payment_due_date(self):
        for deferral in self:
            deferral.payment_due_date = deferral._get_payment_due_date()

    def _get_payment_due_date(self):
        """The service date plus the deferral (30 days, R-165); False while
        the work is not done."""
        self.ensure_one()
        # sudo: the sheet's service orders, whoever reads the deferral
        service_day = self.feedback_id.sudo()._get_service_day()
        return self.company_id._forklift_deadline(
            service_day, "forklift_payment_deferral_days"
        )

    @api.depends("feedback_id")
    def _compute_display_name(self):
        for deferral in self:
            deferral.display_name = self.env._(
                "Payment deferral of %s", deferral.feedback_id.sudo().name or "/"
            )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "requested_by_id",
            "requested_date",
            "approved_by_id",
            "approved_date",
        }

    @api.model
    def _get_fixed_fields(self):
        """A consent is given for one sheet and never moves to another."""
        return super()._get_fixed_fields() | {"feedback_id"}

    @api.model
    def _get_forklift_authored_fields(self):
        """The reason is what the director agrees to: who wrote it asked for
        the deferral (R-102)."""
        return {"reason"}

    def _get_locked_fields(self):
        """The director agrees or refuses to the reason staff asked with: it
        stays once the request is made (R-102)."""
        locked = super()._get_locked_fields()
        if self.requested_by_id:
            locked.add("reason")
        return locked

    def _get_state_locked_message(self, names):
        return self.env._(
            "%s has been requested: the reason it was asked with no longer changes.",
            self.display_name,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for deferral in self:
            if deferral.state != "draft" or deferral.requested_by_id:
                raise UserError(
                    self.env._(
                        "%s has been requested: cancel it instead of deleting it.",
                        deferral.display_name,
                    )
                )

    # Actions

    def _check_feedback_open(self):
        """Only a paid service still open and not invoiced is deferred, once."""
        for deferral in self:
            # sudo: the sheet's state decides, whoever may read the request
            case = deferral.feedback_id.sudo()
            case._check_state(
                PAID_SERVICE_STATES, self.env._("%s is not open for a paid service.")
            )
            if case.warranty_verdict != "paid":
                raise UserError(self.env._("%s is not a paid service.", case.name))
            if case.invoice_ids or case.sale_order_id:
                raise UserError(self.env._("%s is already invoiced.", case.name))
            if case.deferral_approved_by_id:
                raise UserError(
                    self.env._(
                        "The deferral of %(case)s was already agreed by %(user)s.",
                        case=case.name,
                        user=case.deferral_approved_by_id.name,
                    )
                )
            others = case.payment_deferral_ids.filtered(
                lambda d, deferral=deferral: (
                    d != deferral and d.state == "draft" and d.requested_by_id
                )
            )
            if others:
                raise UserError(
                    self.env._(
                        "The deferral of %s is already waiting for the director.",
                        case.name,
                    )
                )

    def request_validation(self):
        """Ask the service center director to agree to the deferral."""
        self._check_staff(
            self.env._("Only after-sales staff ask for a deferred payment.")
        )
        self.check_access("write")
        self._check_tier_requestable()
        for deferral in self:
            if deferral.requested_by_id:
                raise UserError(
                    self.env._(
                        "%s is already waiting for approval.", deferral.display_name
                    )
                )
        self._check_feedback_open()
        self._write_flow(
            {"requested_by_id": self.env.uid, "requested_date": fields.Datetime.now()}
        )
        return super().request_validation()

    def validate_tier(self):
        """The director's approval: once the review is approved, the server
        records the consent on the sheet."""
        self._check_tier_state(
            ("draft",),
            self.env._("%s is not waiting for approval: nothing to approve."),
        )
        self._check_feedback_open()
        user = self.env.user
        res = super().validate_tier()
        if self._is_tier_concluded("validated"):
            self._approve(user)
        return res

    def _approve(self, user):
        self.ensure_one()
        if not user.has_group("forklift_aftersales.group_forklift_director"):
            raise AccessError(
                self.env._("Only the service center director may defer a payment.")
            )
        now = fields.Datetime.now()
        self._write_flow(
            {"state": "approved", "approved_by_id": user.id, "approved_date": now}
        )
        self.feedback_id.sudo()._write_flow(
            {
                "payment_mode": "deferred",
                "deferral_approved_by_id": user.id,
                "deferral_approved_date": now,
            }
        )
        self.feedback_id._on_payment_mode_changed()

    def reject_tier(self):
        self._check_tier_state(
            ("draft",),
            self.env._("%s is not waiting for approval: nothing to reject."),
        )
        res = super().reject_tier()
        if self._is_tier_concluded("rejected"):
            self._write_flow({"state": "rejected"})
        return res

    def action_cancel(self):
        """Withdraw a request, or an agreed deferral before the invoice: the
        sheet is paid on the spot again."""
        self._check_staff(
            self.env._("Only after-sales staff cancel a deferred payment.")
        )
        self.check_access("write")
        self._check_tier_state(
            ("draft", "approved"),
            self.env._("%s is rejected or already cancelled."),
        )
        for deferral in self:
            case = deferral.feedback_id.sudo()
            if case.invoice_ids or case.sale_order_id:
                raise UserError(
                    self.env._("%s is already invoiced: its deferral stays.", case.name)
                )
        for deferral in self.filtered(lambda d: d.state == "approved"):
            deferral.feedback_id.sudo()._write_flow(
                {
                    "payment_mode": "on_the_spot",
                    "deferral_approved_by_id": False,
                    "deferral_approved_date": False,
                }
            )
            deferral.feedback_id._on_payment_mode_changed()
        self._write_flow({"state": "cancel"})

    def _get_tier_applicants(self):
        """Whoever asked for or wrote the request (created it, or changed its
        reason: see ``forklift.approval.editor.mixin``) never agrees to it."""
        applicants = super()._get_tier_applicants()
        # sudo: reading who applied, whoever may read the request
        deferral = self.sudo()
        return applicants | deferral.requested_by_id

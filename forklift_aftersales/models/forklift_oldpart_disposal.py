from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .forklift_document_fields import (
    company_field,
    stamp_datetime,
    stamp_user,
    stamped,
    workflow_state,
)

DISPOSAL_STATES = [
    ("draft", "To Decide"),
    ("done", "Disposed"),
    ("cancel", "Cancelled"),
]


class ForkliftOldpartDisposal(models.Model):
    """Disposal of non-warranty old parts (R-233, 000 §4.3.2.7).

    Old parts a technician takes back from a customer or a dealer outside the
    warranty are handed to the service center and kept in the
    "Non-Warranty Old Parts" location: nobody disposes of them privately.
    They leave that location only by this decision of the service-center
    director, which scraps them; a stock user's own scrap, transfer or
    inventory adjustment out of the location is refused (see
    ``stock.move._check_forklift_nonwarranty_disposal``).
    """

    _name = "forklift.oldpart.disposal"
    _description = "Forklift Non-Warranty Old Part Disposal"
    _inherit = [
        "forklift.sequence.mixin",
        "forklift.flow.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    state = workflow_state(DISPOSAL_STATES, index=True)
    company_id = company_field(index=True)
    product_id = fields.Many2one(
        "product.product",
        string="Old Part",
        required=True,
        check_company=True,
        domain=[("is_storable", "=", True)],
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    reason = fields.Text(
        string="Why Dispose of It",
        required=True,
        help="Why the part is scrapped rather than kept (worn beyond repair, "
        "no value...): the director decides on it.",
    )
    decided_by_id = stamp_user()
    decided_date = stamp_datetime("Decided On")
    scrap_id = stamped(fields.Many2one, "stock.scrap", check_company=True)

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity to dispose of must be positive."
    )

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            "decided_by_id",
            "decided_date",
            "scrap_id",
        }

    @api.model
    def _get_state_locked_fields(self):
        """What is disposed of is decided on as the director saw it."""
        return dict.fromkeys(("product_id", "quantity", "reason"), ("draft",))

    def _get_state_locked_message(self, names):
        return self.env._(
            "%s is decided: what it disposed of cannot change.", self.name
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        self._check_unlink_unused("scrap_id")

    @api.model
    def _get_location(self):
        return self.env.ref("forklift_aftersales.stock_location_nonwarranty_old_parts")

    def action_dispose(self):
        """The service-center director decides the disposal: the parts are
        scrapped from the non-warranty old parts at once, under this
        decision (000 §4.3.2.7)."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_director"):
            raise AccessError(
                self.env._(
                    "Only the service-center director decides to dispose of old parts."
                )
            )
        location = self._get_location()
        for disposal in self:
            disposal._check_state(("draft",), self.env._("%s is already decided."))
            if not (disposal.reason or "").strip():
                raise UserError(
                    self.env._("Say why %s disposes of the parts.", disposal.name)
                )
            # sudo: the director decides without stock rights; the scrap is
            # made for this decision only
            scrap = (
                self.env["stock.scrap"]
                .sudo()
                .with_company(disposal.company_id)
                .create(
                    {
                        "product_id": disposal.product_id.id,
                        "product_uom_id": disposal.product_id.uom_id.id,
                        "scrap_qty": disposal.quantity,
                        "location_id": location.id,
                        "origin": disposal.name,
                        "company_id": disposal.company_id.id,
                    }
                )
            )
            if not scrap.check_available_qty():
                raise UserError(
                    self.env._(
                        "%(location)s holds less than %(quantity)s %(part)s.",
                        location=location.display_name,
                        quantity=disposal.quantity,
                        part=disposal.product_id.display_name,
                    )
                )
            # the decision is recorded before the scrap moves the parts: the
            # stock checks it
            disposal._write_flow(
                {
                    "decided_by_id": self.env.uid,
                    "decided_date": fields.Datetime.now(),
                    "scrap_id": scrap.id,
                }
            )
            scrap.do_scrap()
            disposal._write_flow({"state": "done"})
            disposal.message_post(
                body=self.env._(
                    "Disposal decided by %(user)s: %(scrap)s.",
                    user=self.env.user.name,
                    scrap=scrap.name,
                )
            )

    def action_cancel(self):
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(self.env._("Only the service center cancels a disposal."))
        self._move_state(
            ("draft",),
            self.env._("%s is decided or cancelled: it cannot be cancelled."),
            "cancel",
        )

    @api.model
    def _is_decided_scrap(self, scrap):
        """Whether ``scrap`` is the scrap of a decided disposal."""
        # sudo: the decision is checked whoever moves the stock
        return bool(
            scrap
            and self.sudo().search_count(
                [("scrap_id", "=", scrap.id), ("decided_by_id", "!=", False)], limit=1
            )
        )

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.forklift_aftersales.models.forklift_document_fields import stamped
from odoo.addons.forklift_aftersales.tools import with_defaults


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    forklift_parts_request_id = stamped(
        fields.Many2one,
        "forklift.parts.request",
        string="Urgent Parts Request",
        index="btree_not_null",
        help="The urgent after-sales request this rush purchase serves.",
    )

    def _check_forklift_parts_request_link(self, vals):
        """The link to an urgent parts request is set by the request's own
        step, which creates the rush purchase as server code: never by a
        client, who would tie any purchase to any request."""
        if "forklift_parts_request_id" in vals and not self.env.su:
            raise AccessError(
                self.env._(
                    "A purchase is linked to an urgent parts request only by the "
                    "request itself."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in with_defaults(self, vals_list, ["forklift_parts_request_id"]):
            if vals.get("forklift_parts_request_id"):
                self._check_forklift_parts_request_link(vals)
        return super().create(vals_list)

    def write(self, vals):
        if "forklift_parts_request_id" in vals:
            new = vals["forklift_parts_request_id"] or False
            if any(order.forklift_parts_request_id.id != new for order in self):
                self._check_forklift_parts_request_link(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_forklift_rush(self):
        """The rush purchase of an urgent parts request stays with it: the
        request names it and the flow never deletes it (R-094, R-179).
        Purchasing may cancel it, as Odoo lets it, not delete it."""
        # sudo: only whether the orders are rush purchases, whoever deletes
        for order in self.sudo().filtered("forklift_parts_request_id"):
            raise UserError(
                self.env._(
                    "%(order)s is the rush purchase of urgent parts request "
                    "%(request)s: it is kept, never deleted; cancel it instead.",
                    order=order.name,
                    request=order.forklift_parts_request_id.name,
                )
            )

    def message_post(self, **kwargs):
        # purchase marks a draft RFQ as sent when purchasing mails it
        if self.env.context.get("mark_rfq_as_sent"):
            self._check_forklift_rush_sender()
        return super().message_post(**kwargs)

    def _check_forklift_rush_sender(self):
        """Purchasing mails a rush purchase the same day it is raised (R-094,
        R-179): ``mark_rfq_as_sent`` in the context of the message it posts
        marks it sent. Odoo's ``/mail/message/post`` posts as superuser with
        the context the client sends, to whoever holds the order's link: a
        rush purchase is so marked sent only by an internal purchase user."""
        user = self.env.user
        if user._is_internal() and user.has_group("purchase.group_purchase_user"):
            return
        # sudo: only whether the orders are rush purchases, whoever posts
        if self.sudo().filtered("forklift_parts_request_id"):
            raise AccessError(
                self.env._(
                    "Only purchasing marks the rush purchase of an urgent parts "
                    "request as sent, by mailing it to the vendor."
                )
            )

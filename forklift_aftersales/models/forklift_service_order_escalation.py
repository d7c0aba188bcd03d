from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import company_members
from .forklift_document_fields import stamp_datetime, stamp_user, stamped

ESCALATION_LEVELS = [
    ("director", "Service Center Director"),
    ("leaders", "Company Leaders"),
]


class ForkliftServiceOrder(models.Model):
    """Escalation from the field (004 §4.4 B, R-251).

    A technician who meets a major problem on site asks the minister (the
    service center director) for instructions, or reports directly to the
    company leadership. The order keeps who escalated, when, why and to whom;
    the directors (and the leaders) are notified and the directors get an
    activity to answer.
    """

    _inherit = "forklift.service.order"  # pylint: disable=consider-merging-classes-inherited

    escalation_reason = fields.Text(
        tracking=True,
        copy=False,
        groups="base.group_user",
        help="The problem met on site that needs the director's instructions.",
    )
    escalation_level = stamped(
        fields.Selection,
        ESCALATION_LEVELS,
        string="Escalated To",
        groups="base.group_user",
    )
    escalated_date = stamp_datetime("Escalated On", groups="base.group_user")
    escalated_by_id = stamp_user(groups="base.group_user")

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "escalation_level",
            "escalated_date",
            "escalated_by_id",
        }

    def action_escalate(self):
        """Ask the service center director for instructions."""
        self._escalate("director")

    def action_escalate_to_leaders(self):
        """Report directly to the company leadership (and the director)."""
        self._escalate("leaders")

    def _escalate(self, level):
        self._check_step_access()
        levels = [code for code, _label in ESCALATION_LEVELS]
        for order in self:
            order._check_state(
                ("dispatched", "done"),
                self.env._("Only an order being worked on site can be escalated (%s)."),
            )
            if not (order.escalation_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Describe the problem met on site before escalating %s.",
                        order.name,
                    )
                )
            if order.escalation_level and levels.index(
                order.escalation_level
            ) >= levels.index(level):
                raise UserError(
                    self.env._(
                        "%(order)s is already escalated to the %(level)s.",
                        order=order.name,
                        level=dict(
                            self._fields["escalation_level"].get_description(self.env)[
                                "selection"
                            ]
                        )[order.escalation_level],
                    )
                )
            order._notify_escalation(level)
            order._write_flow(
                {
                    "escalation_level": level,
                    "escalated_date": fields.Datetime.now(),
                    "escalated_by_id": self.env.uid,
                }
            )

    def _get_escalation_users(self, level):
        """The service center directors of the order's company; with its
        leaders for ``leaders`` (R-073, R-256)."""
        self.ensure_one()
        groups = self.env.ref("forklift_aftersales.group_forklift_director")
        if level == "leaders":
            groups |= self.env.ref("forklift_aftersales.group_forklift_leader")
        return company_members(groups, self.company_id).sudo(False)

    def _notify_escalation(self, level):
        self.ensure_one()
        users = self._get_escalation_users(level)
        directors = users.filtered(
            lambda user: user.has_group("forklift_aftersales.group_forklift_director")
        )
        body = self.env._(
            "Escalated from the field by %(user)s on %(order)s (%(case)s): %(reason)s",
            user=self.env.user.name,
            order=self.name,
            case=self.feedback_id.name,
            reason=self.escalation_reason,
        )
        # sudo: the escalation notifies people the technician may not follow
        # the order with; the message is authored by the technician
        order = self.sudo()
        order.message_subscribe(partner_ids=users.partner_id.ids)
        order.message_post(
            subject=self.env._("Escalation: %s", self.name),
            body=body,
            partner_ids=users.partner_id.ids,
            # an internal note: the people named are told, the portal does
            # not read the escalation
            subtype_xmlid="mail.mt_note",
            message_type="notification",
        )
        order._schedule_todos(
            directors, self.env._("Instructions asked from the field"), note=body
        )

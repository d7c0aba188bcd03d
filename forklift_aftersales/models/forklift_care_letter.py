from odoo import api, fields, models
from odoo.exceptions import UserError

from .forklift_document_fields import (
    company_field,
    current_user,
    customer_link,
    sheet_link,
    stamped,
    workflow_state,
)

LETTER_TYPES = [
    ("notice", "Notice"),
    ("invitation", "Invitation"),
    ("reply", "Reply"),
    ("survey", "Satisfaction survey"),
]
SEND_METHODS = [("email", "E-mail"), ("post", "Post"), ("fax", "Fax")]


class ForkliftCareLetter(models.Model):
    """Follow-up letter; the list of all of them is the letter registry
    (跟踪服务信函登记表, R-029).

    000 第五篇 (三)8, 002 (三)8: every letter sent to a customer (notice,
    invitation, reply) is entered in the registry and kept. Sending one by
    e-mail posts it to the customer from here.
    """

    _name = "forklift.care.letter"
    _description = "Forklift Customer Follow-Up Letter"
    _inherit = [
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.flow.mixin",
    ]
    _order = "sent_date desc, id desc"
    _flow_editable_states = ("draft",)
    _flow_deletable_states = ("draft",)
    _check_company_auto = True

    state = workflow_state([("draft", "Draft"), ("sent", "Sent")], index=True)
    letter_type = fields.Selection(
        LETTER_TYPES, string="Type", required=True, default="notice"
    )
    company_id = company_field(index=True)
    partner_id = customer_link(required=True, index=True, check_company=True)
    subject = fields.Char(required=True)
    body = fields.Html()
    send_method = fields.Selection(SEND_METHODS, required=True, default="email")
    sent_date = stamped(fields.Date, string="Sent On")
    user_id = current_user(string="Sent By", readonly=True)
    feedback_id = sheet_link(index=True, check_company=True)
    event_id = fields.Many2one(
        "forklift.care.event", index=True, readonly=True, check_company=True
    )
    survey_id = fields.Many2one(
        "forklift.satisfaction.survey",
        string="Satisfaction Survey",
        index=True,
        readonly=True,
        check_company=True,
    )

    @api.model
    def _get_flow_fields(self):
        """A letter enters the registry when it is sent, by its button: the
        day, who sent it, and the event or survey it belongs to (R-029)."""
        return {"state", "sent_date", "user_id", "event_id", "survey_id"}

    def _get_state_locked_message(self, names):
        """A letter in the registry is kept as it was sent."""
        return self.env._("%s is sent: it no longer changes.", self.name)

    def _get_flow_kept_message(self):
        return self.env._("A letter sent stays in the registry: it cannot be deleted.")

    def action_send(self):
        """Send the letter (by e-mail from here, or record that it was posted)
        and enter it in the registry."""
        self._check_step_state(("draft",), self.env._("%s is already sent."))
        for letter in self:
            if letter.send_method == "email":
                if not letter.partner_id.email:
                    raise UserError(
                        self.env._(
                            "%s has no e-mail address: send the letter by post.",
                            letter.partner_id.display_name,
                        )
                    )
                letter.message_post(
                    subject=letter.subject,
                    body=letter.body or letter.subject,
                    partner_ids=letter.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )
        for letter in self:
            letter._write_flow(
                {
                    "state": "sent",
                    "sent_date": letter.company_id._forklift_today(),
                    "user_id": self.env.uid,
                }
            )

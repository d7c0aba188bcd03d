from odoo import fields, models
from odoo.exceptions import UserError

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
    _inherit = ["forklift.sequence.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "sent_date desc, id desc"

    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
    )
    letter_type = fields.Selection(
        LETTER_TYPES, string="Type", required=True, default="notice"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    subject = fields.Char(required=True)
    body = fields.Html()
    send_method = fields.Selection(SEND_METHODS, required=True, default="email")
    sent_date = fields.Date(string="Sent On", copy=False, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Sent By", default=lambda self: self.env.user
    )
    case_id = fields.Many2one("forklift.case", string="Feedback Sheet", index=True)
    event_id = fields.Many2one("forklift.care.event", index=True)
    survey_id = fields.Many2one(
        "forklift.satisfaction.survey", string="Satisfaction Survey", index=True
    )

    def action_send(self):
        """Send the letter (by e-mail from here, or record that it was posted)
        and enter it in the registry."""
        for letter in self:
            if letter.state != "draft":
                raise UserError(self.env._("%s is already sent.", letter.name))
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
        self.write({"state": "sent", "sent_date": fields.Date.context_today(self)})

from odoo import SUPERUSER_ID, Command, fields, models
from odoo.exceptions import AccessError


class ForkliftSecretTokenMixin(models.AbstractModel):
    """A document whose access token is a person's key to act on it, logged
    out, in his name (a survey's answer, a supplier's reply to a letter):
    the server alone reads the token and makes the links that carry it
    (``groups=fields.NO_ACCESS``), and mails them to that person only, never
    to the document's chatter, which every reader of the document reads
    (R-037, R-086, R-120)."""

    _name = "forklift.secret.token.mixin"
    _inherit = "portal.mixin"
    _description = "Forklift Document with a Server-Only Access Token"

    access_token = fields.Char(groups=fields.NO_ACCESS)

    def _get_secret_token_refusal(self):
        """The message refusing a user the document's key."""
        raise NotImplementedError

    def _portal_ensure_token(self):
        """The key of the document's link, made and read by the server only:
        the mail to its person renders it as the server
        (``_mail_link_privately``), and so do Odoo's notifications; a user's
        call for it (``get_portal_url`` by RPC, the share wizard, the mail
        composer rendering the document's template) is refused."""
        if not self.env.su:
            raise AccessError(self._get_secret_token_refusal())
        return super()._portal_ensure_token()

    def _sign_token(self, pid):
        # sudo: the hash Odoo's notifications mail to a partner is made of the
        # token, which only the server reads; the hash does not give it
        return super(ForkliftSecretTokenMixin, self.sudo())._sign_token(pid)

    def _mail_link_privately(self, template, partners):
        """Mail ``template`` rendered on this document to ``partners`` only,
        as the server: the mail holds the link with the document's key. The
        mail is not a message of the document's chatter: it is a message for
        its recipients (``user_notification``), made by the superuser, so that
        neither a reader of the document nor the user who sent it reads it
        back (as its author or creator). Its recipients are ``partners``,
        never the document's default ones (a letter's customer is not its
        recipient); it comes from the document's responsible, else the user,
        as the templates say. Sent after the commit, as Odoo's notifications
        are (unless ``mail_notify_force_send`` is False: then the mail queue
        sends it). Returns the ``mail.mail``."""
        self.ensure_one()
        # sudo: the responsible's address only
        email_from = (
            self.sudo().user_id.email_formatted or self.env.user.email_formatted
        )
        email_values = {
            "message_type": "user_notification",
            "partner_ids": [Command.set(partners.ids)],
            "recipient_ids": [Command.set(partners.ids)],
            "email_to": False,
            "email_cc": False,
        }
        if email_from:
            email_values["email_from"] = email_from
        # superuser: renders the token and owns the mail (see above); the
        # caller checked the user's right to send it
        mail_id = template.with_user(SUPERUSER_ID).send_mail(
            self.id, email_values=email_values
        )
        mail = self.env["mail.mail"].sudo().browse(mail_id)
        if self.env.context.get("mail_notify_force_send", True):
            mail.send_after_commit()
        return mail

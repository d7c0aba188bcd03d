from odoo import api, models

from ..tools import with_defaults


class MailNotification(models.Model):
    _inherit = "mail.notification"

    @api.model_create_multi
    def create(self, vals_list):
        """Odoo lets every internal user create a notification of a message
        he reads, for anyone (directly, or with a post by its
        ``notification_ids``): the partner notified then reads the message.
        On an after-sales document he is checked as a recipient of a post
        (``mail.message._check_forklift_recipients``): staff do not open a
        message of customer A's sheet to dealer B (R-055, R-063). Odoo's own
        notifying runs as superuser. The message and the partner are read
        given or by a default (a ``default_res_partner_id`` context key a
        client sends with any call), which create() would store alike."""
        if not self.env.su:
            for vals in with_defaults(
                self, vals_list, ["mail_message_id", "res_partner_id"]
            ):
                partner_id = vals.get("res_partner_id")
                self.env["mail.message"].browse(
                    vals.get("mail_message_id") or ()
                )._check_forklift_recipients([partner_id] if partner_id else [])
        return super().create(vals_list)

from odoo import models

from ..tools import is_aftersales_model


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _action_send_mail_mass_mail(self, res_ids, auto_commit=False):
        """The mass-mail mode mails its recipients the rendered document
        without posting on it: on an after-sales document, the recipients a
        user names are those a post on it may have
        (``mail.thread._check_forklift_audience``), so that no customer,
        dealer or supplier is mailed a document he may not read (R-055,
        R-063)."""
        if is_aftersales_model(self.model) and self.partner_ids:
            for record in self.env[self.model].browse(res_ids):
                record._check_forklift_audience(self.partner_ids.ids)
        return super()._action_send_mail_mass_mail(res_ids, auto_commit=auto_commit)

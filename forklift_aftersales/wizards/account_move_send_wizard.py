from odoo import api, models


class AccountMoveSendWizard(models.TransientModel):
    _inherit = "account.move.send.wizard"

    @api.model
    def _check_forklift_move_read(self, move):
        """Odoo's "Send" wizard of an invoice renders its template (number,
        customer, amounts, recipients) and lists its files as superuser: a
        billing user of another company naming an invoice (a feedback
        sheet's paid service, old parts billed to a dealer) would read it on
        the wizard. The invoice is sent by those who read it (R-101)."""
        # as the user himself: the wizard's computes run as superuser, his
        # uid kept (the scheduler's sending does not use the wizard)
        move.sudo(False).check_access("read")

    @api.model
    def _get_mail_default_field_value_from_template(
        self, mail_template, lang, move, field, **kwargs
    ):
        self._check_forklift_move_read(move)
        return super()._get_mail_default_field_value_from_template(
            mail_template, lang, move, field, **kwargs
        )

    @api.model
    def _get_default_mail_attachments_widget(self, move, mail_template, **kwargs):
        self._check_forklift_move_read(move)
        return super()._get_default_mail_attachments_widget(
            move, mail_template, **kwargs
        )

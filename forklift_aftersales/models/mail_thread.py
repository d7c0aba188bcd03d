from odoo import models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..tools import is_aftersales_model


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        """The mail gateway creates and posts on records as superuser, with
        the values its caller sends (``custom_values``, ``thread_id``). Into
        the after-sales records it is run by the server itself (the incoming
        mail server's job) or by an administrator (the mail gateway script's
        user), never by another user over RPC, whatever model he calls it on
        and whoever the mail claims to be from: he would open a sheet of a
        market or company he may not, post on a sheet he may not read, or
        create records he has no right to (R-065)."""
        if not (self.env.su or self.env.user._is_system()) and any(
            is_aftersales_model(route[0]) for route in routes or ()
        ):
            raise AccessError(
                self.env._(
                    "Only the mail gateway brings mail into the after-sales "
                    "records: use the forms to open or answer them."
                )
            )
        return super()._message_route_process(message, message_dict, routes)

    def _get_mail_thread_data_attachments(self):
        """The files of the thread's data (``/mail/data``, the chatter's
        attachment box) carry each its download token. On an after-sales
        document a dealer, customer or supplier, logged in or holding the
        document's access token (which reads it as superuser), gets no more
        files than its chatter shows him (R-055, R-056, R-063): those of the
        messages Odoo shows a portal user (``_get_search_domain_share``: no
        internal note, log or internal message) and of his own messages, as
        he reads them (``mail.message._get_forbidden_access``); not the files
        of the staff's notes, nor files linked to no message."""
        attachments = super()._get_mail_thread_data_attachments()
        user = self.env.user
        if not is_aftersales_model(self._name) or user._is_internal():
            return attachments
        shown = self.env["mail.message"]._get_search_domain_share()
        if not user._is_public():
            shown |= Domain("author_id", "=", user.partner_id.id)
        # sudo: the messages of this document, which its caller reaches; only
        # those its chatter shows him are kept
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                Domain("model", "=", self._name)
                & Domain("res_id", "=", self.id)
                & Domain("attachment_ids", "!=", False)
                & shown
            )
        )
        return attachments & messages.attachment_ids

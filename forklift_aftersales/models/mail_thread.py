from odoo import models
from odoo.exceptions import AccessError

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

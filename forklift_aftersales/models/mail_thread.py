from odoo import models
from odoo.exceptions import AccessError

from .forklift_flow_mixin import FLOW_MARK


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _process_attachments_for_post(
        self, attachments, attachment_ids, message_values
    ):
        """A dealer, customer or supplier sends files to an after-sales
        document only through the forms of its portal page, which check them
        (a PDF, JPEG or PNG within the size cap, at the step that asks for
        it: the signed sheet, 000 §4.2.2.2, R-082; the photos of a report,
        R-068). Odoo's mail routes (upload, then post or edit a message with
        the file) check none of it: there a portal user attaches no file to
        the messages of an after-sales document, whatever the context he
        sends. The forms post as the superuser (``_document_check_access``)
        or as server code (the flow mark, which no client sends)."""
        model = (
            message_values.get("model") if "res_id" in message_values else self._name
        )
        if (
            (attachments or attachment_ids)
            and (model or "").startswith("forklift.")
            and self.env.user.share
            and not FLOW_MARK.is_on(self.env)
        ):
            raise self.env["ir.attachment"]._forklift_portal_files_error()
        return super()._process_attachments_for_post(
            attachments, attachment_ids, message_values
        )

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
            isinstance(route[0], str) and route[0].startswith("forklift.")
            for route in routes or ()
        ):
            raise AccessError(
                self.env._(
                    "Only the mail gateway brings mail into the after-sales "
                    "records: use the forms to open or answer them."
                )
            )
        return super()._message_route_process(message, message_dict, routes)

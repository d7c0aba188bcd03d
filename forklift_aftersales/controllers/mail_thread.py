"""Odoo's routes suggesting the recipients of a message
(``/mail/thread/recipients``, ``/mail/thread/recipients/get_suggested_recipients``)
on an after-sales document the user may not read.

Odoo fetches the document with ``_get_thread_with_access``, which gives an
empty record to a user who may not read it, then asks that empty record for
its recipients: a server error (``Expected singleton``) that tells a dealer,
or an internal user without the after-sales rights, no more than its other
mail routes do, but answers them as a crash. Like those routes
(``/mail/message/post``, ``/mail/attachment/upload``), these answer "not
found" (R-055, R-063)."""

from odoo import http

from odoo.addons.mail.controllers.thread import ThreadController

from .mail_token import check_own_read


class ForkliftMailThreadController(ThreadController):
    @http.route()
    def mail_thread_recipients(self, thread_model, thread_id, message_id=None):
        check_own_read(thread_model, thread_id)
        return super().mail_thread_recipients(
            thread_model, thread_id, message_id=message_id
        )

    @http.route()
    def mail_thread_recipients_get_suggested_recipients(
        self, thread_model, thread_id, partner_ids=None, main_email=False
    ):
        check_own_read(thread_model, thread_id)
        return super().mail_thread_recipients_get_suggested_recipients(
            thread_model, thread_id, partner_ids=partner_ids, main_email=main_email
        )

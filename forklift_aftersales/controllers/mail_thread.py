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

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.mail.controllers.thread import ThreadController

from ..tools import is_aftersales_model


class ForkliftMailThreadController(ThreadController):
    def _forklift_check_thread_read(self, thread_model, thread_id):
        """Not found, unless the user reads the after-sales document
        ``thread_model``/``thread_id``; other models keep Odoo's answer."""
        if (
            is_aftersales_model(thread_model)
            and thread_model in request.env.registry
            and not self._get_thread_with_access(thread_model, thread_id, mode="read")
        ):
            raise NotFound()

    @http.route()
    def mail_thread_recipients(self, thread_model, thread_id, message_id=None):
        self._forklift_check_thread_read(thread_model, thread_id)
        return super().mail_thread_recipients(
            thread_model, thread_id, message_id=message_id
        )

    @http.route()
    def mail_thread_recipients_get_suggested_recipients(
        self, thread_model, thread_id, partner_ids=None, main_email=False
    ):
        self._forklift_check_thread_read(thread_model, thread_id)
        return super().mail_thread_recipients_get_suggested_recipients(
            thread_model, thread_id, partner_ids=partner_ids, main_email=main_email
        )

"""Odoo's mail routes (``/mail/message/post``, ``/mail/message/update_content``,
``/mail/message/reaction``) on after-sales documents, for a visitor who is not
logged in.

Odoo lets whoever holds a document's access token post, edit and react in its
chatter logged out, in the name of the document's customer
(``portal.utils.get_portal_partner``): on an after-sales document the token
reads the page, it does not act as the customer (README "What no user can
do"; ``forklift.service.order._check_signer``). Logged out, only the link the
server mailed to a person (``pid`` and the ``hash`` made of him and the
token) writes, in his own name: a plain message, never an internal note nor
a message of the system's kind, and he does not edit it afterwards (what was
said on an after-sales document stays as posted, R-055, R-063, R-080).
Logged-in users keep Odoo's behaviour on the documents they read with their
own rights (the token lets a reader post), and get nothing from a token on
the others."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.message_reaction import (
    PortalMessageReactionController,
)
from odoo.addons.portal.controllers.thread import PortalThreadController
from odoo.addons.portal.utils import validate_thread_with_hash_pid

from ..models.mail_message import CHATTER_MARK
from ..tools import is_aftersales_model

# what a visitor from a mailed link posts: a plain message to the staff
LINK_MESSAGE_TYPE = "comment"
LINK_SUBTYPE = "mail.mt_comment"


def is_logged_out_on_aftersales(model_name):
    """Whether the caller is not logged in (the public user, a guest) and
    acts on an after-sales document of the model ``model_name``."""
    return (
        request.env.user._is_public()
        and is_aftersales_model(model_name)
        and model_name in request.env.registry
    )


def check_own_read(model_name, res_id):
    """Logged in, one writes or reacts on an after-sales document one reads
    with one's own rights: its access token, or a link mailed to another,
    lets a reader post where Odoo asks for more than reading; it does not
    open the chatter of a document not his to another dealer, customer or
    supplier. To him the document is not there, as on Odoo's other mail
    routes (R-055, R-063)."""
    if not (
        is_aftersales_model(model_name)
        and model_name in request.env.registry
        and not request.env.user._is_public()
    ):
        return
    # the user's own rights, record rules included
    record = request.env[model_name].browse(int(res_id)).exists()
    if not (record and record.has_access("read")):
        raise NotFound()


def get_link_partner(thread_sudo, pid, link_hash):
    """The person a link mailed by the server names: ``pid``, when ``hash``
    is the one ``_sign_token`` makes of him and the document's token (which
    only the server can); else no one."""
    partners = thread_sudo.env["res.partner"]
    pid = str(pid or "")
    token_field = thread_sudo._mail_post_token_field
    if not (
        thread_sudo
        and pid.isdigit()
        and isinstance(link_hash, str)
        and token_field in thread_sudo._fields
        and thread_sudo[token_field]
        and validate_thread_with_hash_pid(thread_sudo, link_hash, int(pid))
    ):
        return partners
    return partners.browse(int(pid)).exists()


def check_link_partner(thread_sudo, pid, link_hash):
    """The person of the mailed link, who acts logged out on ``thread_sudo``;
    refused without one: the access token alone only shows the page."""
    partner = get_link_partner(thread_sudo, pid, link_hash)
    if not partner:
        raise AccessError(
            request.env._(
                "Sign in, or open the link mailed to you, to write on %s: its "
                "access token only shows the page.",
                thread_sudo.display_name,
            )
        )
    return partner


class ForkliftMailTokenController(PortalThreadController):
    @http.route()
    def mail_message_post(
        self, thread_model, thread_id, post_data, context=None, **kwargs
    ):
        if is_logged_out_on_aftersales(thread_model):
            post_data = self._forklift_check_link_post(
                thread_model, thread_id, post_data, **kwargs
            )
        else:
            check_own_read(thread_model, thread_id)
            if request.env.user._is_portal() and is_aftersales_model(thread_model):
                post_data = self._forklift_check_plain_post(post_data)
        # what the user writes himself: his comment, not one the flow posts
        # in his name (mail.thread._is_forklift_flow_comment)
        request.update_context(**{CHATTER_MARK.key: CHATTER_MARK})
        return super().mail_message_post(
            thread_model, thread_id, post_data, context=context, **kwargs
        )

    def _forklift_check_link_post(self, thread_model, thread_id, post_data, **kwargs):
        """What a visitor not logged in posts on an after-sales document: a
        plain message, from the link mailed to him, else nothing. The post
        data, its subtype set (Odoo makes a message without one a note)."""
        # sudo: the document the visitor names; the mail route checks his
        # access to it after this
        thread_sudo = request.env[thread_model].sudo().browse(int(thread_id)).exists()
        if not thread_sudo:
            return post_data  # the mail route answers "not found"
        check_link_partner(thread_sudo, kwargs.get("pid"), kwargs.get("hash"))
        return self._forklift_check_plain_post(post_data)

    def _forklift_check_plain_post(self, post_data):
        """What a dealer, customer or supplier posts on an after-sales
        document, logged in or from his mailed link: a plain message to the
        service center, never an internal note nor a message of the system's
        kind. The post data, its subtype set (Odoo makes a message without
        one a note)."""
        if (
            not isinstance(post_data, dict)
            or post_data.get("message_type", LINK_MESSAGE_TYPE) != LINK_MESSAGE_TYPE
            or (post_data.get("subtype_xmlid") or LINK_SUBTYPE) != LINK_SUBTYPE
        ):
            raise AccessError(
                request.env._(
                    "You write a message to the service center: not an internal "
                    "note, nor a message of the system."
                )
            )
        return {**post_data, "subtype_xmlid": LINK_SUBTYPE}

    @http.route()
    def mail_message_update_content(self, message_id, update_data, **kwargs):
        # sudo: the document the message is on, whoever asks
        message_sudo = (
            request.env["mail.message"].sudo().browse(int(message_id)).exists()
        )
        if is_logged_out_on_aftersales(message_sudo.model):
            raise AccessError(
                request.env._(
                    "A message on an after-sales document stays as it was "
                    "posted: it is not edited without signing in."
                )
            )
        return super().mail_message_update_content(message_id, update_data, **kwargs)


class ForkliftMessageReactionController(PortalMessageReactionController):
    def _get_reaction_author(self, message, **kwargs):
        """Logged out, one reacts on an after-sales document as the person of
        the link mailed to him, not as its customer by its access token. And
        one reacts only to a message one reads (``_is_forklift_shown``):
        Odoo lets whoever may post on the document react to any of its
        messages, the staff's internal notes included (R-055, R-063)."""
        # sudo: the document the message is on, whoever asks
        message_sudo = message.sudo()
        if is_aftersales_model(message_sudo.model) and not self._is_forklift_shown(
            message_sudo
        ):
            # to him the message is not there, as one that does not exist
            raise NotFound()
        if not is_logged_out_on_aftersales(message_sudo.model):
            check_own_read(message_sudo.model, message_sudo.res_id)
            return super()._get_reaction_author(message, **kwargs)
        thread_sudo = request.env[message_sudo.model].sudo().browse(message_sudo.res_id)
        partner = check_link_partner(
            thread_sudo.exists(), kwargs.get("pid"), kwargs.get("hash")
        )
        return partner, request.env["mail.guest"]

    @staticmethod
    def _is_forklift_shown(message_sudo):
        """Whether the user reads ``message_sudo`` in the chatter of its
        after-sales document: the staff do; a dealer, customer or supplier,
        logged in or by the document's token, reads the messages Odoo shows
        a portal user (no internal note, log or internal message) and, logged
        in, his own (as ``mail.message._search`` and the chatter's files)."""
        user = request.env.user
        if user._is_internal():
            return True
        shown = request.env["mail.message"]._get_search_domain_share()
        if not user._is_public():
            shown |= Domain("author_id", "=", user.partner_id.id)
        return bool(message_sudo.filtered_domain(shown))

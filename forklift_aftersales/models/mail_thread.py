from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import email_normalize

from ..tools import (
    StepMark,
    is_aftersales_model,
    named_id,
    readable_name,
    without_context_keys,
)
from .forklift_flow_mixin import CREATION_LOG_KEYS, FLOW_MARK, TRACKING_OFF_KEYS
from .mail_message import CHATTER_MARK, ORIGIN_FIELDS, POST_MARK

# Set by the mail gateway around its routing of an incoming mail: it posts the
# mail in its sender's name, to the people it was sent to
GATEWAY_MARK = StepMark("forklift_mail_gateway")
# what a post's keywords would set of a message's origin (its date, its
# tracking): the posting routes set it; their parameters (author, type,
# subtype) they check or set themselves
POSTED_ORIGIN_FIELDS = ORIGIN_FIELDS - {
    "author_id",
    "email_from",
    "message_type",
    "subtype_id",
}
# the layouts Odoo's own flows wrap the mails of an after-sales document in:
# its default, the portal's share link and the "Add followers" invitation;
# not one signed with the responsible's signature, nor one of another
# company or made for another purpose
FORKLIFT_MAIL_LAYOUTS = frozenset(
    {
        "mail.mail_notification_layout",
        "mail.mail_notification_light",
        "mail.mail_notification_invite",
        "mail.mail_notification_multi_invite",
    }
)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    # The chatter keeps every change of an after-sales document

    def _forklift_tracked(self):
        """These records without the context keys that switch off the
        chatter's tracking (``TRACKING_OFF_KEYS``), on an after-sales
        document: the forms are quality records whose full change history
        is in the chatter (R-137), and the keys come with any client's call
        (RPC, ``/json/2``, an import's "track history" left unchecked), so a
        user's own change of a tracked field, an amount, a responsible, is
        tracked whoever writes it."""
        if not self._forklift_tracking_switched_off():
            return self
        return without_context_keys(self, lambda key: key in TRACKING_OFF_KEYS)

    def _forklift_tracking_switched_off(self):
        """Whether the call's context switches off the tracking of this
        after-sales document (``_forklift_tracked``)."""
        context = self.env.context
        return is_aftersales_model(self._name) and any(
            context.get(key) for key in TRACKING_OFF_KEYS
        )

    def _forklift_creation_logged(self):
        """These records without the context keys that leave out, at the
        creation of an after-sales document, the line saying who created it
        and his following it (``CREATION_LOG_KEYS``), but for the server's
        own creation (``_is_forklift_server_post``: the mail gateway, a step
        of the flow, which strips a client's keys and sets its own): a
        client sending them over RPC would have a sheet stand in its record
        as created by no one (R-137, R-005)."""
        if not is_aftersales_model(self._name) or self._is_forklift_server_post():
            return self
        return without_context_keys(self, lambda key: key in CREATION_LOG_KEYS)

    @api.model_create_multi
    def create(self, vals_list):
        threads = self._forklift_tracked()._forklift_creation_logged()
        records = super(MailThread, threads).create(vals_list)
        return records.with_env(self.env)

    def write(self, vals):
        return super(MailThread, self._forklift_tracked()).write(vals)

    def _compute_field_value(self, field):
        # the totals a change of its lines recomputes (a claim's amounts),
        # which mail.thread leaves untracked under the keys
        if self._forklift_tracking_switched_off():
            self._track_prepare(
                f.name for f in self.pool.field_computed[field] if f.store
            )
        return super()._compute_field_value(field)

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
        self._forget_forklift_outside_author(message_dict, routes)
        with GATEWAY_MARK.running():
            return super()._message_route_process(message, message_dict, routes)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An after-sales record is opened from a mail by the mail gateway
        only (``_message_route_process``, ``GATEWAY_MARK``), which has routed
        and checked the mail (a known sender, by an alias): called over RPC,
        with the sender (``author_id``, ``email_from``) and values
        (``custom_values``) of its caller's choosing, it would open a sheet
        that reads as mailed in by a customer or dealer (R-065, R-001)."""
        if is_aftersales_model(self._name) and not GATEWAY_MARK.is_on(self.env):
            raise AccessError(
                self.env._(
                    "Only the mail gateway opens an after-sales record from a "
                    "mail: use the form to create it."
                )
            )
        return super().message_new(msg_dict, custom_values=custom_values)

    def _forget_forklift_outside_author(self, message_dict, routes):
        """A reply to an after-sales document is posted in the name of the
        contact its From names only when he may be written to on it
        (``_is_forklift_audience``): else it stands as mail from that address,
        in no contact's name. Odoo posts a reply in the name the From header
        claims: dealer B, or whoever writes as him, would post in his name on
        dealer A's service order (R-055, R-063, R-065). A forged From of the
        staff is the mail server's to refuse (SPF, DKIM, DMARC)."""
        author = self.env["res.partner"].browse(message_dict.get("author_id") or ())
        for model, thread_id, *__ in routes or ():
            if not (author and thread_id and is_aftersales_model(model)):
                continue
            # sudo: who may be written to on the document, whoever mails
            record = self.env[model].sudo().browse(thread_id).exists()
            if record and not record._is_forklift_audience(author, following=False):
                message_dict["author_id"] = False
                author = author.browse()

    # Who follows an after-sales document, who is written to on it, and in
    # whose name

    def _is_forklift_server_post(self):
        """The document's own steps (sudo and the flow's mark) and the mail
        gateway, which choose who follows, who is told and in whose name."""
        return FLOW_MARK.is_on(self.env) or GATEWAY_MARK.is_on(self.env)

    def _is_forklift_client_post(self):
        """A post on an after-sales document whose keywords a caller chose:
        not the server's own code (superuser, the flow, the mail gateway),
        which sets them itself."""
        return not (
            self.env.su
            or not is_aftersales_model(self._name)
            or self._is_forklift_server_post()
        )

    def _get_forklift_parties(self):
        """The commercial partners whose document this is: those its own
        partner fields name (a field kept to the staff, such as the supplier
        a sheet blames, names no party), and those of the feedback sheet it
        belongs to."""
        self.ensure_one()
        # sudo: who the document names, whoever acts on it
        record = self.sudo()
        parties = self.env["res.partner"]
        for name, field in record._fields.items():
            if (
                field.type in ("many2one", "many2many")
                and field.comodel_name == "res.partner"
                and not field.groups
                and not name.startswith(("message_", "activity_"))
            ):
                parties |= record[name]
        field = record._fields.get("feedback_id")
        if field and field.comodel_name == "forklift.feedback" and record.feedback_id:
            parties |= record.feedback_id._get_forklift_parties()
        return parties.commercial_partner_id

    def _is_forklift_audience(self, partner, following):
        """Whether ``partner`` follows (``following``) or is written to on
        this document: a member of the staff; a customer, dealer or supplier
        whose portal login reads it; else, to follow, one without a login
        whose document it is (``_get_forklift_parties``), and, to be
        written to, anyone whose document it is (the flow writes to a
        customer about a document his portal does not list: his care
        letter, the old parts billed to him)."""
        self.ensure_one()
        # staff: also OdooBot and former staff, whose logins are archived
        users = partner.with_context(active_test=False).user_ids
        if any(not user.share for user in users):
            return True
        users = users.filtered("active")
        # the record as the portal user reads it: his rules, his companies
        record = without_context_keys(self, lambda key: key == "allowed_company_ids")
        if any(record.with_user(user).has_access("read") for user in users):
            return True
        if users and following:
            return False
        return partner.commercial_partner_id in self._get_forklift_parties()

    def _check_forklift_audience(self, partner_ids, following=False):
        """Refuse, on an after-sales document, a customer, dealer or supplier
        (``partner_ids``) who may not follow it (``following``) or be written
        to on it (``_is_forklift_audience``): subscribed, he would read on
        his portal what is posted on it and be mailed every comment; named
        as a recipient, he would be mailed the message and read it (R-055,
        R-056, R-063). The document's own steps and the mail gateway choose
        their recipients."""
        if (
            not partner_ids
            or not is_aftersales_model(self._name)
            or self._is_forklift_server_post()
        ):
            return
        # sudo: who the partners are and their logins, whoever names them
        partners = self.env["res.partner"].sudo().browse(set(partner_ids)).exists()
        for record in self:
            refused = partners.filtered(
                lambda partner, record=record: (
                    not record._is_forklift_audience(partner, following)
                )
            )
            if not refused:
                continue
            # the names of the contacts, once the caller may read them
            names = ", ".join(
                readable_name(partner, "display_name") for partner in refused
            )
            # the name of the document the caller acts on, once he may read it
            document = readable_name(record, "display_name")
            if following:
                raise AccessError(
                    self.env._(
                        "%(partners)s may not read %(document)s, so cannot follow "
                        "it: a customer, dealer or supplier follows only his own "
                        "documents, those his portal shows him.",
                        partners=names,
                        document=document,
                    )
                )
            raise AccessError(
                self.env._(
                    "%(partners)s may not read %(document)s, so nothing on it is "
                    "sent to them: a customer, dealer or supplier is written to "
                    "only on his own documents.",
                    partners=names,
                    document=document,
                )
            )

    def _check_forklift_author(self, author_id, email_from):
        """On an after-sales document a user posts in his own name, not in a
        customer's, dealer's or supplier's (``author_id``, or the author
        Odoo finds from ``email_from``), nor as nobody: the message would
        read as the customer's word (R-063). Odoo's templates post in the
        name of the document's responsible, a member of the staff (OdooBot
        for a document the server made), which stays allowed; the server's
        own code (sudo: the document's steps, the portal's and the
        mailed link's posts in their person's name) and the mail gateway
        choose the author."""
        if not self._is_forklift_client_post() or (
            author_id is None and not email_from
        ):
            return
        author_id, _email_from = self._message_compute_author(author_id, email_from)
        user_partner = self.env.user.partner_id
        # sudo: whether the author is a member of the staff
        author = self.env["res.partner"].sudo().browse(author_id or ()).exists()
        staff = author.with_context(active_test=False).user_ids
        if author == user_partner or any(not user.share for user in staff):
            return
        raise AccessError(
            self.env._(
                "On %(document)s you post in your own name, not in the name of "
                "%(author)s.",
                # the name of the document the caller posts on, once he may
                # read it
                document=readable_name(self, "display_name"),
                author=author.display_name or self.env._("nobody"),
            )
        )

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        """Whatever the route (``message_subscribe``, the "Add followers"
        wizard, a post that subscribes its recipients), a customer, dealer
        or supplier follows an after-sales document only if he may read it
        (``_check_forklift_audience``)."""
        self._check_forklift_audience(partner_ids, following=True)
        return super()._message_subscribe(
            partner_ids, subtype_ids=subtype_ids, customer_ids=customer_ids
        )

    def message_post(self, **kwargs):
        """The recipients and the author of a post on an after-sales document,
        also from the chatter's route, which posts as superuser
        (``_check_forklift_audience``, ``_check_forklift_author``); and its
        type (``_is_forklift_flow_comment``)."""
        self._check_forklift_author(kwargs.get("author_id"), kwargs.get("email_from"))
        self._check_forklift_audience(kwargs.get("partner_ids"))
        self._check_forklift_origin_sent(kwargs)
        self._check_forklift_message_id_sent(kwargs)
        self._check_forklift_parent_sent(kwargs)
        self._check_forklift_sending_sent(kwargs)
        self._check_forklift_addresses_sent(kwargs)
        if self._is_forklift_flow_comment(kwargs):
            kwargs = {**kwargs, "message_type": "auto_comment"}
        return super().message_post(**kwargs)

    def _is_forklift_flow_comment(self, post_kwargs):
        """Whether the post ``post_kwargs`` is a comment the server's code
        (sudo) posts on an after-sales document in the name it gives of a
        customer, dealer or supplier: it records what he did through the
        flow (the work he reported, the customer's signature, the signed
        sheet he returned, his answer, R-080, R-082, R-206), not what he
        wrote, and is posted as an automated message. Odoo lets the author
        of a comment rewrite it or take its files off
        (``/mail/message/update_content``), never a message of another type.
        What he writes himself, in the chatter (``CHATTER_MARK``, which
        posts as superuser) or by his own call, stays his comment."""
        author_id = post_kwargs.get("author_id")
        if (
            not self.env.su
            or CHATTER_MARK.is_on(self.env)
            or not is_aftersales_model(self._name)
            or post_kwargs.get("message_type") != "comment"
            or not isinstance(author_id, int)
        ):
            return False
        # sudo: the logins of the author, whoever posts in his name
        author = self.env["res.partner"].sudo().browse(author_id).exists()
        users = author.with_context(active_test=False).user_ids
        # staff: also OdooBot and former staff, whose logins are archived
        return bool(author) and not any(not user.share for user in users)

    def message_notify(self, **kwargs):
        """A notification about an after-sales document (on it, or through
        ``mail.thread`` with its ``model`` and ``res_id``) has the same
        recipients and author as a post on it."""
        record = self
        model, res_id = kwargs.get("model"), kwargs.get("res_id")
        if not self and is_aftersales_model(model) and model in self.env:
            if isinstance(res_id, int) and res_id:
                record = self.env[model].browse(res_id).exists()
        if record:
            record._check_forklift_author(
                kwargs.get("author_id"), kwargs.get("email_from")
            )
            record._check_forklift_audience(kwargs.get("partner_ids"))
            record._check_forklift_origin_sent(kwargs)
            record._check_forklift_sending_sent(kwargs, own_reply_to=True)
        return super().message_notify(**kwargs)

    def _check_forklift_origin_sent(self, post_kwargs):
        """``message_post`` and ``message_notify`` take any field of the
        message as a keyword (``post_kwargs``): on an after-sales document a
        caller does not send when it was posted nor what it tracked
        (``POSTED_ORIGIN_FIELDS``, such as ``date``): a backdated comment
        ("the customer was told on the day") would stand before the steps it
        follows in the document's record, as a message created directly may
        not (``mail.message.create``, R-137, R-063). The server's own posts
        (superuser, the flow, the mail gateway) set them."""
        if (
            not self._is_forklift_client_post()
            or not post_kwargs.keys() & POSTED_ORIGIN_FIELDS
        ):
            return
        raise UserError(
            self.env._(
                "A message on %s is dated and tracked by the server when it is "
                "posted: its date and tracking are not sent with it.",
                # the name of the document the caller posts on, once he may
                # read it
                readable_name(self, "display_name"),
            )
        )

    def _check_forklift_message_id_sent(self, post_kwargs):
        """A post on an after-sales document is given its Message-Id by the
        server, or by the mail gateway, which records the mail it brings
        under its own: a ``message_id`` a caller sends with ``message_post``
        (``post_kwargs``) would have the replies to another document's mail,
        or to a mail of his choosing, threaded into this one
        (``mail.message._check_forklift_message_ids``, R-055, R-063,
        R-065)."""
        if "message_id" not in post_kwargs or not self._is_forklift_client_post():
            return
        raise UserError(self.env["mail.message"]._forklift_message_id_error())

    def _check_forklift_parent_sent(self, post_kwargs):
        """A post on an after-sales document answers (``parent_id`` of
        ``post_kwargs``) a message of that document only, as a reply in its
        chatter does: a message of another document (another company's
        sheet, another dealer's order, a supplier's claim), which a caller
        names over RPC or through the composer, is refused, not threaded
        under this document's last message as Odoo's ``message_post`` would
        silently do, nor given as it is to the mails of the composer's mass
        mode; the composer would also copy its subject and recipients
        (``mail.compose.message._check_forklift_parent_read``, R-055, R-063,
        R-065). The server's own posts (superuser, the flow, the mail
        gateway) keep Odoo's threading."""
        parent_id = post_kwargs.get("parent_id")
        if not parent_id or not self._is_forklift_client_post():
            return
        self.ensure_one()
        # sudo: whether the message answered is one of this document,
        # whoever names it
        if isinstance(parent_id, int) and self.env["mail.message"].sudo().search_count(
            [
                ("id", "=", parent_id),
                ("model", "=", self._name),
                ("res_id", "=", self.id),
            ],
            limit=1,
        ):
            return
        raise UserError(
            self.env._(
                "A message on %s answers only a message of that same document, "
                "not one of another document.",
                # the name of the document the caller posts on, once he may
                # read it
                readable_name(self, "display_name"),
            )
        )

    def _check_forklift_sending_sent(self, post_kwargs, own_reply_to=False):
        """``message_post`` takes the fields of the message as keywords
        (``post_kwargs``), and its mails take them from it: on an after-sales
        document a caller (over RPC, or through the composer he fills in)
        does not send the Reply-To of the mails
        (``reply_to``), nor asks their answers into a new thread
        (``reply_to_force_new``): the customer's or dealer's answers would
        go to an outside address instead of into the document; nor, but for
        the administrator, who sets up the outgoing servers, the server it
        leaves by (``mail_server_id``); nor another company or alias domain
        than the document's (``_forklift_record_environment_sent``), nor a
        layout other than those of Odoo's own flows
        (``FORKLIFT_MAIL_LAYOUTS``, ``email_layout_xmlid``): the mail would
        read as another company's, or be signed with the responsible's
        signature. The server's own posts (superuser, the flow, the mail
        gateway) set them (R-055, R-063, R-065). With ``own_reply_to`` (a
        notification, such as Odoo's invitation to follow a document) the
        answers may go to the caller's own address, in a thread of their
        own, never to another's."""
        if not self._is_forklift_client_post():
            return
        reply_to = post_kwargs.get("reply_to")
        if (
            own_reply_to
            and reply_to
            and self.env.user.email_normalized
            and email_normalize(reply_to) == self.env.user.email_normalized
        ):
            reply_to = False
        sent = ["reply_to"] if reply_to else []
        if post_kwargs.get("reply_to_force_new") and (
            reply_to or not post_kwargs.get("reply_to")
        ):
            sent.append("reply_to_force_new")
        if post_kwargs.get("mail_server_id") and not self.env.user._is_system():
            sent.append("mail_server_id")
        sent += self._forklift_record_environment_sent(post_kwargs)
        layout = post_kwargs.get("email_layout_xmlid")
        if layout and not (isinstance(layout, str) and layout in FORKLIFT_MAIL_LAYOUTS):
            sent.append("email_layout_xmlid")
        if not sent:
            return
        raise UserError(
            self.env._(
                "The mails of a message on %(document)s leave by the outgoing "
                "server Odoo picks, as the document's company, from its alias "
                "domain and in Odoo's own layout, and their answers come back "
                "into the document: a reply-to address, a new thread for the "
                "answers, an outgoing server, another company, alias domain or "
                "layout (%(keywords)s) are not sent with it.",
                # the name of the document the caller posts on, once he may
                # read it
                document=readable_name(self, "display_name"),
                keywords=", ".join(sent),
            )
        )

    def _forklift_record_environment_sent(self, post_kwargs):
        """The keywords of ``post_kwargs`` (``record_company_id``,
        ``record_alias_domain_id``) that name another company or alias domain
        than those Odoo's ``message_post`` gives a message on this document
        itself (its company, else the caller's current one, and its alias
        domain): the composer's "Send" passes these, computed from the
        document; another would have its mails leave as another company's,
        with bounces and the notification address of another domain."""
        if not post_kwargs.keys() & {"record_company_id", "record_alias_domain_id"}:
            return []
        self.ensure_one()
        # sudo: the document's company and alias domain, as Odoo finds them
        record = self.sudo()
        company = self.env.company
        own = {
            "record_company_id": record._mail_get_companies(default=company),
            "record_alias_domain_id": record._mail_get_alias_domains(
                default_company=company
            ),
        }
        return [
            key
            for key, values in own.items()
            if key in post_kwargs and named_id(post_kwargs[key]) != values[record.id].id
        ]

    def _check_forklift_addresses_sent(self, post_kwargs):
        """``message_post`` also mails the addresses ``outgoing_email_to``
        names, and records a mail as sent to those of ``incoming_email_to``
        and ``incoming_email_cc`` (the contacts they name are then not
        notified): on an after-sales document its recipients are the
        followers and the contacts it names, checked as such
        (``_check_forklift_audience``); an address a caller sends
        (``post_kwargs``) would have the document mailed to an outsider, with
        its Reply-To, or a dealer left out of a comment that reads as mailed
        to him (R-055, R-063, R-065). Odoo's ``message_notify`` refuses them;
        the mail gateway, which records the mail it brings, sets them."""
        if not self._is_forklift_client_post():
            return
        sent = sorted(
            key
            for key in ("outgoing_email_to", "incoming_email_to", "incoming_email_cc")
            if post_kwargs.get(key)
        )
        if not sent:
            return
        raise UserError(
            self.env._(
                "A message on %(document)s is mailed to its followers and the "
                "contacts it names: addresses (%(keywords)s) are not sent with it.",
                # the name of the document the caller posts on, once he may
                # read it
                document=readable_name(self, "display_name"),
                keywords=", ".join(sent),
            )
        )

    def _message_update_content(self, message, /, **kwargs):
        """Who an edited message is sent to: the people it adds are checked
        as those of a post (``_check_forklift_audience``)."""
        partner_ids = kwargs.get("partner_ids")
        if partner_ids and is_aftersales_model(self._name):
            # sudo: the recipients the message already has
            added = {int(pid) for pid in partner_ids} - set(
                message.sudo().partner_ids.ids
            )
            self._check_forklift_audience(added)
        return super()._message_update_content(message, **kwargs)

    def _message_create(self, values_list):
        """The messages a document's posting routes create (a post, a
        notification, a log, the tracking): mail.message refuses any other
        creation on an after-sales document (``POST_MARK``)."""
        with POST_MARK.running():
            return super()._message_create(values_list)

    @api.model
    def _get_thread_with_access(self, thread_id, *, token=None, **kwargs):
        """Odoo's mail routes (post, edit, react) reach a document the user
        may not by the access token sent with the call; compared with a
        document that has no token (a sheet never shared), or sent as no
        text, the comparison fails with a server error. A document without a
        token is shared with no one: such a token gives no access, as a
        wrong one, and the routes answer "not found" (R-055)."""
        if token is not None:
            token_field = self._mail_post_token_field
            # sudo: only whether the document has a token, whoever asks
            thread_sudo = (
                self.sudo().browse(thread_id).exists()
                if isinstance(thread_id, int)
                else self.browse()
            )
            if not (
                isinstance(token, str)
                and token_field in self._fields
                and thread_sudo
                and thread_sudo[token_field]
            ):
                token = None
        return super()._get_thread_with_access(thread_id, token=token, **kwargs)

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

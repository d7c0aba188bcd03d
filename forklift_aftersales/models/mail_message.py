from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import MODEL_PATTERN, StepMark, is_aftersales_model, x2many_ids_after

# Set by the posting routes of mail.thread (``_message_create``): a message of
# an after-sales document is created through them, whose checks say who posts
# it, as what and to whom
POST_MARK = StepMark("forklift_message_post")

# Set by the chatter's post route (``/mail/message/post``) around the message
# a user writes himself: his comment, which Odoo lets him edit, where the flow
# posts in his name a message he does not (``mail.thread.message_post``)
CHATTER_MARK = StepMark("forklift_chatter_post")

# what a message of an after-sales document says and to whom: its author
# edits it in his own comment, nobody in another's message
CONTENT_FIELDS = frozenset({"body", "subject", "partner_ids", "is_internal"})
# who posted it, when, as what, and what it tracked: stays as posted
ORIGIN_FIELDS = frozenset(
    {
        "author_id",
        "author_guest_id",
        "email_from",
        "date",
        "message_type",
        "subtype_id",
        "tracking_value_ids",
    }
)
# what the mails of a message read of it when the queue sends them, or a
# resend builds them again (``mail.mail`` inherits the message): where their
# answers go, the server and domain they leave by, the addresses they also go
# to, those a mail it records was sent to (skipped by its notifications), what
# it answers, their layout, the activity it closed: set as it is posted
POSTED_FIELDS = frozenset(
    {
        "reply_to",
        "reply_to_force_new",
        "mail_server_id",
        "record_alias_domain_id",
        "record_company_id",
        "outgoing_email_to",
        "incoming_email_to",
        "incoming_email_cc",
        "parent_id",
        "email_layout_xmlid",
        "email_add_signature",
        "mail_activity_type_id",
    }
)


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _search(
        self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kw
    ):
        """A search through a document's ``message_ids`` (or
        ``website_message_ids``) skips the access rules of the messages: a
        dealer, customer or supplier searching his own after-sales document by
        the text of its messages would match its internal notes and logs, and
        guess them letter by letter (R-055, R-056, R-063). There he matches
        only the messages Odoo shows a portal user
        (``_get_search_domain_share``) and those he wrote himself, as he
        reads them (``_get_forbidden_access``)."""
        if bypass_access and not self.env.su and not self.env.user._is_internal():
            domain = Domain(domain) & (
                Domain("model", "not =like", MODEL_PATTERN)
                | Domain("author_id", "=", self.env.user.partner_id.id)
                | self._get_search_domain_share()
            )
        return super()._search(
            domain, offset, limit, order, bypass_access=bypass_access, **kw
        )

    @api.model_create_multi
    def create(self, vals_list):
        """A message of an after-sales document is posted through the
        document (``message_post`` and the server's own logs), which check its
        author, type and recipients: created directly by RPC, a message in the
        director's or the customer's name, a system notification, a backdated
        or tracking entry would forge the document's record (R-063, R-130).
        The administrator still does."""
        if not (self.env.su or POST_MARK.is_on(self.env) or self.env.user._is_system()):
            default_model = self.env.context.get("default_model")
            if any(
                is_aftersales_model(vals.get("model", default_model))
                for vals in vals_list
            ):
                raise UserError(
                    self.env._(
                        "A message of an after-sales document is posted on the "
                        "document (its chatter), not created on its own."
                    )
                )
        if not self.env.su:
            self._check_forklift_message_ids(
                vals.get("message_id") for vals in vals_list
            )
        return super().create(vals_list)

    def write(self, vals):
        if (
            not self.env.su
            and not self.env.user._is_internal()
            and is_aftersales_model(vals.get("model"))
        ):
            # nor moves a message of his onto an after-sales document
            raise AccessError(
                self.env._(
                    "Messages are posted on an after-sales document, not moved onto it."
                )
            )
        content = vals.keys() & (CONTENT_FIELDS | ORIGIN_FIELDS)
        if content and not self.env.su:
            # Odoo's rights first: who may not write the messages is told so
            self.check_access("write")
            self._check_forklift_messages_kept(content)
        posted = vals.keys() & POSTED_FIELDS
        if posted and not self.env.su:
            self.check_access("write")
            self._check_forklift_posted_kept(posted)
        if "message_id" in vals and not self.env.su:
            self._check_forklift_message_id_kept()
            self._check_forklift_message_ids([vals["message_id"]])
        if "attachment_ids" in vals and not self.env.su:
            self.check_access("write")
            self._check_forklift_files_carried(vals["attachment_ids"])
        if "partner_ids" in vals and not self.env.su:
            # sudo: the recipients each message already has
            for message in self.sudo():
                new_ids, __ = x2many_ids_after(
                    message.partner_ids.ids, vals["partner_ids"]
                )
                message.with_env(self.env)._check_forklift_recipients(
                    new_ids - set(message.partner_ids.ids)
                )
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self.check_access("unlink")
            self._check_forklift_messages_kept()
            # a message deleted takes its files off with it
            self._check_forklift_files_carried([Command.clear()])
        return super().unlink()

    def _get_forklift_kept(self):
        """Those of these messages that are the record of what was said and
        done: the messages of the after-sales documents, and those of a
        feedback sheet's quote, where Odoo posts the customer's accept in his
        name with the signed quote's PDF, his consent before the paid work
        (R-100, R-206, R-104)."""
        # sudo: the document of each message, whoever asks
        messages = self.sudo()
        kept = messages.filtered(lambda message: is_aftersales_model(message.model))
        on_orders = (messages - kept).filtered(
            lambda message: message.model == "sale.order" and message.res_id
        )
        if on_orders:
            quotes = (
                self.env["sale.order"]
                .sudo()
                .browse(set(on_orders.mapped("res_id")))
                .exists()
                .filtered("forklift_feedback_id")
            )
            kept |= on_orders.filtered(lambda message: message.res_id in quotes.ids)
        return self.browse([message.id for message in self if message in kept])

    @api.model
    def _check_forklift_message_ids(self, message_ids):
        """The mail gateway threads a reply into the document of the newest
        message whose Message-Id it answers (``message_route``): a message
        given the Message-Id of a message of an after-sales document
        (``message_ids``, sent with a post, a creation or a write), on any
        record, would have the replies to that document's mail posted where
        its sender chose, and read in its recipients' mail boxes as part of
        their thread (R-055, R-063, R-065). Only the gateway (superuser)
        records a mail under a Message-Id already known."""
        taken = [mid for mid in message_ids if isinstance(mid, str) and mid]
        # sudo: whether an after-sales document's message has it, whoever
        # posts
        if taken and self.sudo().search_count(
            [("message_id", "in", taken), ("model", "=like", MODEL_PATTERN)], limit=1
        ):
            raise UserError(
                self.env._(
                    "This Message-Id is that of a message of an after-sales "
                    "document: no other message takes it."
                )
            )

    def _check_forklift_message_id_kept(self):
        """The Message-Id of a message of an after-sales document (a
        sheet's, or a quote's, ``_get_forklift_kept``) is the server's: the
        replies to its mail are threaded by it into the document
        (``_check_forklift_message_ids``)."""
        if self._get_forklift_kept():
            raise UserError(self._forklift_message_id_error())

    @api.model
    def _forklift_message_id_error(self):
        return self.env._(
            "A message of an after-sales document is given its Message-Id by "
            "the server: it is neither sent with it nor changed afterwards."
        )

    def _check_forklift_recipients(self, partner_ids):
        """``partner_ids`` made recipients of these messages once posted (named
        on a message, or given a notification of it): on an after-sales
        document they are checked as the recipients of a post
        (``_check_forklift_audience``): a customer, dealer or supplier named
        on a message reads it, on a document he may not open (R-055, R-063).
        Odoo's own notifying runs as superuser."""
        if self.env.su or not partner_ids:
            return
        # sudo: the document of each message, whoever names its recipients
        for message in self.sudo().exists():
            if is_aftersales_model(message.model) and message.model in self.env:
                document = self.env[message.model].browse(message.res_id).exists()
                document._check_forklift_audience(partner_ids)

    def _check_forklift_messages_kept(self, field_names=None):
        """The messages of an after-sales document are its record of what
        was said and done: R&D's answers (R-074), the director's review
        (R-130), an escalation (R-251), the tracking of its states and
        amounts. Odoo lets whoever may write the document rewrite or delete
        them by RPC; here a user edits (``field_names``: the content fields
        written) or deletes (``None``) only his own comment, as the chatter's
        edit does, and never changes who posted a message, when, as what,
        nor what it tracked. The server's own steps and Odoo's cleanup run as
        superuser; the administrator still does."""
        if self.env.su or self.env.user._is_system():
            return
        partner = self.env.user.partner_id
        # sudo: the document, author, type and tracking of each message,
        # whoever writes it
        for message in self._get_forklift_kept().sudo():
            if (
                message.author_id != partner
                or message.message_type != "comment"
                or message.tracking_value_ids
            ):
                raise UserError(
                    self.env._(
                        "A message of an after-sales document stays as it was "
                        "posted: only the author of a comment edits or deletes "
                        "it; the tracking and the messages of the system are "
                        "kept."
                    )
                )
            if field_names and field_names & ORIGIN_FIELDS:
                raise UserError(
                    self.env._(
                        "The author, date, type and tracking of a message of an "
                        "after-sales document stay as they were posted."
                    )
                )

    def _check_forklift_posted_kept(self, field_names):
        """What a message of an after-sales document was posted with and its
        mails read (``field_names``, of ``POSTED_FIELDS``): a post does not
        send its Reply-To, outgoing server or extra addresses
        (``mail.thread._check_forklift_sending_sent``,
        ``_check_forklift_addresses_sent``), and nobody, its author
        included, changes them afterwards: the mails of a comment still in
        the queue, or resent, would have the dealer's answers go to an
        outside address, or the document mailed to one (R-055, R-063,
        R-065). The server's own steps run as superuser; the administrator,
        who sets up the outgoing servers, still does."""
        if self.env.user._is_system() or not self._get_forklift_kept():
            return
        raise UserError(
            self.env._(
                "A message of an after-sales document keeps what it was posted "
                "with: where its mails go and leave by, what it answers and "
                "what it records (%(fields)s) are not changed afterwards.",
                fields=", ".join(sorted(field_names)),
            )
        )

    def _check_forklift_files_carried(self, commands):
        """The files a message of an after-sales document carries are what
        it carried: mailed with a report (its "Mailed to" message and its
        mail, R-007, R-170, R-256), returned by a dealer (his signed sheet,
        R-082), posted. Odoo lets whoever may write the document change or
        delete its messages; here the x2many ``commands`` (or the deletion)
        change the files of a comment only as its author edits it, and never
        take off a file the document keeps
        (``ir.attachment._check_forklift_files_kept``). The server's own
        steps run as superuser."""
        partner = self.env.user.partner_id
        # sudo: the document, author, type and files of each message,
        # whoever writes it
        for message in self._get_forklift_kept().sudo():
            old = message.attachment_ids
            new_ids, touched = x2many_ids_after(old.ids, commands)
            if not touched and new_ids == set(old.ids):
                continue
            if message.author_id != partner or message.message_type != "comment":
                raise UserError(
                    self.env._(
                        "The files of a message on an after-sales document are "
                        "what it carried (mailed, returned or posted): only the "
                        "author of a comment changes the files of his own comment."
                    )
                )
            removed = old.browse(list(set(old.ids) - new_ids))
            if not removed:
                continue
            for document, field_name in removed._get_forklift_file_keepers():
                raise UserError(
                    self.env._(
                        "%(document)s holds this file as %(field)s and no longer "
                        "lets it change: it stays on the messages that carry it.",
                        document=document.display_name,
                        field=document._fields[field_name].get_description(self.env)[
                            "string"
                        ],
                    )
                )

    def _get_forbidden_access(self, operation):
        """A dealer, customer or supplier reads on an after-sales document no
        more than its chatter shows him (R-055, R-056, R-063). Odoo hides the
        internal notes and logs from portal users when it searches a chatter,
        but by id it forbids only the internal notes posted as comments: the
        internal logs (a question asked to R&D, a quote prepared, a record
        created) stay readable to whoever reads the document. Here they are
        not, on after-sales documents, unless he wrote them himself."""
        forbidden = super()._get_forbidden_access(operation)
        rest = self - forbidden
        if not rest or self.env.user._is_internal():
            return forbidden
        if operation in ("write", "unlink"):
            # what was said and returned on an after-sales document, and the
            # customer's accept of a sheet's quote, stay as posted: Odoo lets
            # an author rewrite his message by RPC (its text, its document,
            # its files), past the edit the chatter marks as such (R-082,
            #
            return forbidden + rest._get_forklift_kept()
        if operation != "read":
            return forbidden
        rows = self.env.execute_query(
            SQL(
                """SELECT message.id
                     FROM mail_message AS message
                LEFT JOIN mail_message_subtype AS subtype
                       ON message.subtype_id = subtype.id
                    WHERE message.id = ANY(%s)
                      AND message.model LIKE %s
                      AND message.author_id IS DISTINCT FROM %s
                      AND (message.is_internal IS TRUE
                           OR message.subtype_id IS NULL
                           OR subtype.internal IS TRUE)""",
                rest.ids,
                MODEL_PATTERN,
                self.env.user.partner_id.id,
            )
        )
        return forbidden + self.browse(id_ for [id_] in rows)

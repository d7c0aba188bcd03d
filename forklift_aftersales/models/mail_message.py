from odoo import api, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import MODEL_PATTERN, is_aftersales_model


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
        return super().write(vals)

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
            # what was said and returned on an after-sales document stays as
            # posted: Odoo lets an author rewrite his message by RPC (its
            # text, its document), past the edit the chatter marks as such
            #
            # sudo: the document of each message, whoever asks
            return forbidden + rest.filtered(
                lambda message: is_aftersales_model(message.sudo().model)
            )
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

"""What the access token of an after-sales document lets its holder do in the
document's chatter through Odoo's mail routes, logged out: read the page and
the files of the messages it shows, not the staff's internal notes and their
files, and neither post nor edit as the customer. Only the link mailed to a
person (``pid`` and ``hash``, made by the server) posts, a plain message in
his name (R-055, R-056, R-063, R-080; 000 §4.1.2, §4.2.2.2; README "What no
user can do")."""

from markupsafe import Markup

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, json_rpc


class TokenChatterCases:
    """The token chatter tests, run on ``cls.record`` (an after-sales
    document with an access token), read on the portal by ``cls.reader`` and
    not by ``cls.outsider`` (portal users, login = password), and mailed to
    ``cls.link_partner``."""

    @classmethod
    def _chatter_setup(cls):
        """The staff's messages on the record: an internal note, an internal
        log and a comment marked internal, each with a file, and a comment to
        the customer with its file; the customer's own comment."""
        record = cls.record
        cls.token = record._portal_ensure_token()
        author = cls.technician.partner_id.id
        cls.note = record.message_post(
            body=Markup("<p>INTERNAL: cost 12000, do not tell the customer</p>"),
            message_type="comment",  # as the form's "Log note" posts it
            subtype_xmlid="mail.mt_note",
            author_id=author,
            attachments=[("internal-cost.txt", b"cost 12000")],
        )
        log_file = cls.env["ir.attachment"].create(
            {
                "name": "rd-analysis.txt",
                "raw": b"batch defect",
                "res_model": record._name,
                "res_id": record.id,
            }
        )
        cls.log = record._message_log(
            body=Markup("<p>INTERNAL LOG: R&amp;D analysis</p>"),
            author_id=author,
            attachment_ids=log_file.ids,
        )
        cls.internal_comment = record.message_post(
            body=Markup("<p>INTERNAL comment</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=author,
            attachments=[("internal-comment.txt", b"internal")],
        )
        cls.internal_comment.is_internal = True
        cls.public = record.message_post(
            body=Markup("<p>PUBLIC: parts shipped</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=author,
            attachments=[("delivery-note.txt", b"delivery note")],
        )
        cls.customer_comment = record.message_post(
            body=Markup("<p>Thank you.</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=cls.link_partner.id,
        )
        cls.hidden_files = (
            cls.note.attachment_ids
            | cls.log.attachment_ids
            | cls.internal_comment.attachment_ids
        )
        cls.unlinked_files = (
            cls.env["ir.attachment"].search(
                [("res_model", "=", record._name), ("res_id", "=", record.id)]
            )
            - cls.env["mail.message"]
            .search([("model", "=", record._name), ("res_id", "=", record.id)])
            .attachment_ids
        )

    # helpers

    def _thread_data(self, **access_params):
        """The answer of ``/mail/data`` to the chatter's request for the
        record's files."""
        return json_rpc(
            self,
            "/mail/data",
            {
                "fetch_params": [
                    [
                        "mail.thread",
                        {
                            "thread_model": self.record._name,
                            "thread_id": self.record.id,
                            "request_list": ["attachments"],
                            "access_params": access_params,
                        },
                    ]
                ]
            },
        )

    def _thread_files(self, **access_params):
        """The attachments the thread data of ``/mail/data`` hands out:
        {id: raw_access_token}."""
        answer = self._thread_data(**access_params)
        self.assertIn("result", answer, answer)
        return {
            attachment["id"]: attachment.get("raw_access_token")
            for attachment in answer["result"].get("ir.attachment", [])
        }

    def _link(self):
        """The access params of the link mailed to ``link_partner``."""
        return {
            "token": self.token,
            "pid": self.link_partner.id,
            "hash": self.record._sign_token(self.link_partner.id),
        }

    def _post(self, post_data, **access_params):
        return json_rpc(
            self,
            "/mail/message/post",
            {
                "thread_model": self.record._name,
                "thread_id": self.record.id,
                "post_data": post_data,
                **access_params,
            },
        )

    def _react(self, message, content, **access_params):
        return json_rpc(
            self,
            "/mail/message/reaction",
            {
                "message_id": message.id,
                "content": content,
                "action": "add",
                **access_params,
            },
        )

    def _chatter(self):
        """Every message of the record, with what an edit would change."""
        self.env.invalidate_all()
        return {
            message: (message.body, message.attachment_ids, message.reaction_ids)
            for message in self.env["mail.message"].search(
                [("model", "=", self.record._name), ("res_id", "=", self.record.id)]
            )
        }

    def _assert_refused(self, answer):
        self.assertIn("error", answer, answer)
        self.assertEqual(
            answer["error"]["data"]["name"], "odoo.exceptions.AccessError", answer
        )

    def _assert_posts_refused(self, posts, **access_params):
        """Each of ``posts`` (a ``post_data``), posted with
        ``access_params``, is refused and leaves the chatter as it was."""
        before = self._chatter()
        for post_data in posts:
            with self.subTest(post_data=post_data):
                self._assert_refused(self._post(post_data, **access_params))
                self.assertEqual(self._chatter(), before)

    def _assert_edit_refused(self, message, body, **access_params):
        """Editing ``message`` to ``body`` with ``access_params`` is refused
        and leaves the chatter as it was."""
        before = self._chatter()
        answer = json_rpc(
            self,
            "/mail/message/update_content",
            {
                "message_id": message.id,
                "update_data": {"body": body},
                **access_params,
            },
        )
        self._assert_refused(answer)
        self.assertEqual(self._chatter(), before)

    # tests

    @mute_logger("odoo.http")
    def test_token_gets_only_the_files_of_the_messages_it_shows(self):
        """R-055, R-056, R-063, 000 §4.1.2: logged out, the document's access
        token gets from ``/mail/data`` the files of the messages its chatter
        shows (the comment to the customer, which it downloads), not those
        of the staff's internal notes, logs and internal comments, nor files
        linked to no message (no download token is handed out for them); a
        logged-in portal user holding the token gets no more; the staff get
        all."""
        self.authenticate(None, None)
        files = self._thread_files(token=self.token)
        self.assertIn(self.public.attachment_ids.id, files)
        self.assertFalse(
            set(files) & set((self.hidden_files | self.unlinked_files).ids), files
        )
        shown = self.public.attachment_ids
        response = self.url_open(
            f"/web/content/{shown.id}?access_token={files[shown.id]}"
        )
        self.assertEqual(response.content, b"delivery note")
        for hidden in self.hidden_files:
            with self.subTest(file=hidden.name):
                response = self.url_open(f"/web/content/{hidden.id}")
                self.assertNotEqual(response.status_code, 200)
        # logged in: a reader of the document is refused the files by Odoo
        # (portal users read no attachment by themselves); another portal
        # user holding the token gets those the token gets
        self.assertTrue(self.record.with_user(self.reader).has_access("read"))
        self.authenticate(self.reader.login, self.reader.login)
        self._assert_refused(self._thread_data())
        self.assertFalse(self.record.with_user(self.outsider).has_access("read"))
        self.authenticate(self.outsider.login, self.outsider.login)
        files = self._thread_files(token=self.token)
        self.assertIn(self.public.attachment_ids.id, files)
        self.assertFalse(
            set(files) & set((self.hidden_files | self.unlinked_files).ids), files
        )
        # the staff, as in the form's chatter
        self.authenticate("fa_staff", "fa_staff")
        files = self._thread_files()
        self.assertLessEqual(
            set((self.hidden_files | self.public.attachment_ids).ids), set(files)
        )

    @mute_logger("odoo.http")
    def test_token_alone_neither_posts_nor_edits_as_the_customer(self):
        """README "What no user can do", R-063, R-080: logged out, the access
        token alone posts nothing in the customer's name (a comment, an
        internal note, a system message copying the server's), edits none
        of his messages, nor reacts as him; nothing changes."""
        self.authenticate(None, None)
        before = self._chatter()
        posts = (
            {"body": "I accept the extra cost.", "message_type": "comment"},
            {
                "body": "I accept the extra cost.",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
            {"body": "Customer refuses.", "subtype_xmlid": "mail.mt_note"},
            {
                "body": "Service order signed by Li Ming on the portal.",
                "message_type": "auto_comment",
                "subtype_xmlid": "mail.mt_comment",
            },
        )
        self._assert_posts_refused(posts, token=self.token)
        for access in ({"token": self.token}, self._link()):
            with self.subTest(edit=access):
                self._assert_edit_refused(
                    self.customer_comment, "I refuse the work.", **access
                )
        answer = self._react(self.public, "👎", token=self.token)
        self._assert_refused(answer)
        self.assertEqual(self._chatter(), before)

    @mute_logger("odoo.http")
    def test_mailed_link_posts_a_plain_comment_only(self):
        """R-063, R-080: logged out, the person the link was mailed to posts
        a plain comment in his own name; not an internal note, nor a system
        message, and he does not edit it afterwards."""
        self.authenticate(None, None)
        posts = (
            {"body": "Customer refuses.", "subtype_xmlid": "mail.mt_note"},
            {
                "body": "Customer refuses.",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_note",
            },
            {"body": "Signed on the portal.", "message_type": "auto_comment"},
            {
                "body": "Signed on the portal.",
                "message_type": "notification",
                "subtype_xmlid": "mail.mt_comment",
            },
        )
        self._assert_posts_refused(posts, **self._link())
        # a forged hash is no link
        forged = {**self._link(), "hash": "0" * 64}
        self._assert_posts_refused(
            ({"body": "Hello", "subtype_xmlid": "mail.mt_comment"},), **forged
        )
        # as the portal chatter posts it
        answer = self._post(
            {
                "body": "The forklift runs fine again.",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
            **self._link(),
        )
        self.assertIn("result", answer, answer)
        message = self.env["mail.message"].browse(answer["result"]["message_id"])
        self.assertEqual(message.author_id, self.link_partner)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(message, self.record.website_message_ids)
        self._assert_edit_refused(message, "It broke again.", **self._link())

    @mute_logger("odoo.http")
    def test_a_portal_reader_posts_only_a_plain_message(self):
        """R-063: logged in, a reader of the document on the portal writes
        the service center (from the page, which carries the token) a plain
        message in his own name; not an internal note, nor a message that
        reads as the system's."""
        login = self.reader.login
        self.authenticate(login, login)
        self._assert_posts_refused(
            (
                {"body": "Parts fitted.", "subtype_xmlid": "mail.mt_note"},
                {"body": "Signed sheet returned.", "message_type": "auto_comment"},
            ),
            token=self.token,
        )
        answer = self._post(
            {"body": "Parts fitted.", "message_type": "comment"}, token=self.token
        )
        self.assertIn("result", answer, answer)
        message = self.env["mail.message"].browse(answer["result"]["message_id"])
        self.assertEqual(message.author_id, self.reader.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))

    @mute_logger("odoo.http")
    def test_an_outsider_logged_in_does_not_post_with_the_token(self):
        """R-055, R-063: a portal user who may not read the document (another
        dealer's, another supplier's), holding its access token (a
        forwarded link), writes nothing on it in his own name, logged in,
        nor reacts to its messages: the token shows the page, it does not
        open the chatter of a document not his to him; nothing changes."""
        login = self.outsider.login
        self.authenticate(login, login)
        before = self._chatter()
        answer = self._post(
            {
                "body": "Your forklift is a lemon.",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
            token=self.token,
        )
        self.assertIn("error", answer, answer)
        answer = self._react(self.public, "👎", token=self.token)
        self.assertIn("error", answer, answer)
        self.assertEqual(self._chatter(), before)


@tagged("post_install", "-at_install")
class TestTokenChatter(TokenChatterCases, HttpCase, ForkliftCommon):
    """A service order done by the company's technician in dealer A's
    territory: dealer A reads it on the portal, its customer gets the mailed
    link (R-055, R-063, R-080)."""

    # the tests are those of TokenChatterCases, shared with the supplier letter
    allow_inherited_tests_method = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader, cls.outsider = cls._dealer_portal_users(
            ("chatter_dealer_a", "Zhou (dealer A)"),
            ("chatter_dealer_b", "Wang (dealer B)"),
        )
        cls.record = cls._service_order(
            cls._verified_case(), performer="technician", dealer_id=cls.dealer_a.id
        )
        cls.record.action_dispatch()
        cls._record_work(cls.record)
        cls.record.action_done()
        cls.link_partner = cls.customer
        cls._chatter_setup()

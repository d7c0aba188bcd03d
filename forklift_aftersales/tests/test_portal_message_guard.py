"""What a dealer or a customer logged in on the portal does through Odoo's
mail routes (``/mail/message/post``, ``/mail/message/update_content``,
``/mail/message/reaction``) with a document's access token: the messages the
flow posts in his name (his work report, the customer's signature on the
service order, his accept of a sheet's quote with its signed PDF) are the
record kept, not comments he rewrites (R-080, R-206, R-100); a document
without a token is no access, not a crash; and he reacts only to the
messages he reads (R-055, R-063; README "What no user can do")."""

from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SIGNATURE, ForkliftCommon, call_kw, json_rpc

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PHOTO = {"name": "seal.jpg", "raw": JPEG, "mimetype": "image/jpeg"}


@tagged("post_install", "-at_install")
class TestPortalMessageGuard(HttpCase, ForkliftCommon):
    """Dealer A's portal login, a contact of the customer with a portal
    login, and a salesman, on the mail routes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer_user, cls.other_dealer = cls._dealer_logins("pmg")
        cls.customer_user = cls._portal_user(
            "pmg_customer", cls.customer, "Li Ming (customer)"
        )
        cls.salesman = new_test_user(
            cls.env,
            login="pmg_sales",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.old_unit = cls._create_unit("SN-OLD-PMG", acceptance=date(2024, 1, 10))

    # helpers

    def _messages(self, record, text=None):
        """The messages of ``record``, those saying ``text`` if given."""
        domain = [("model", "=", record._name), ("res_id", "=", record.id)]
        if text:
            domain.append(("body", "ilike", text))
        return self.env["mail.message"].search(domain)

    def _update(self, message, token, **update_data):
        return json_rpc(
            self,
            "/mail/message/update_content",
            {
                "message_id": message.id,
                "token": token,
                "update_data": {"body": "edited", "attachment_ids": [], **update_data},
            },
        )

    def _post(self, record, token, body):
        """Post ``body`` as a comment on ``record`` through the portal's
        chatter route: the route's answer."""
        return json_rpc(
            self,
            "/mail/message/post",
            {
                "thread_model": record._name,
                "thread_id": record.id,
                "token": token,
                "post_data": {"body": body, "message_type": "comment"},
            },
        )

    def _comment(self, record, token, body):
        """The comment posted by ``_post``."""
        answer = self._post(record, token, body)
        return self.env["mail.message"].browse(answer["result"]["message_id"])

    def _kept(self, message):
        self.env.invalidate_all()
        return message.body, message.message_type, message.attachment_ids

    def _assert_edit_refused(self, message, token):
        """The edit through the route, then the RPC writes of the message's
        text and files: refused, the message unchanged."""
        before = self._kept(message)
        self.assertTrue(message.exists())
        answer = self._update(message, token)
        self.assertIn("error", answer, answer)
        self.assertEqual(self._kept(message), before)
        for vals in ({"body": "edited"}, {"attachment_ids": [(5, 0, 0)]}):
            with self.subTest(vals=vals):
                answer = call_kw(self, "mail.message", "write", [message.ids, vals])
                self.assertIn("error", answer, answer)
                self.assertEqual(self._kept(message), before)

    # tests

    @mute_logger("odoo.http", "odoo.models")
    def test_dealer_does_not_rewrite_his_work_report_or_the_signature(self):
        """R-080, R-206, R-082: the messages the portal posts in the dealer's
        name as the customer signs and as he reports the work are the
        record of who worked and who signed: he edits them through
        ``/mail/message/update_content`` neither with the order's token nor
        without; his own plain comment he still edits as Odoo lets him."""
        order = self._service_order(self._verified_case(route="dealer"), "dealer")
        order.action_dispatch()
        order.with_user(self.dealer_user)._portal_report_work(
            order.dispatched_date, "Replaced the seal kit", 520, [], [PHOTO]
        )
        token = order._portal_ensure_token()
        self.authenticate(self.dealer_user.login, self.dealer_user.login)
        answer = self.make_jsonrpc_request(
            f"/my/forklift/service-orders/{order.id}/sign",
            {"name": "Wang Jun", "signature": SIGNATURE, "opinion": "Fine"},
        )
        self.assertNotIn("error", answer, answer)
        self.assertEqual(order.state, "signed")
        report = self._messages(order, "Work reported on the portal")
        signed = self._messages(order, "Service order signed by Wang Jun")
        self.assertEqual(len(report), 1)
        self.assertEqual(len(signed), 1)
        self.assertEqual(report.author_id, self.dealer_user.partner_id)
        for message in report | signed:
            for access in (token, None):
                with self.subTest(message=message.body, token=bool(access)):
                    self._assert_edit_refused(message, access)
        # his own comment: Odoo's edit stays
        comment = self._comment(order, token, "Back on Monday.")
        answer = self._update(comment, token, body="Back on Tuesday.")
        self.assertNotIn("error", answer, answer)
        self.assertIn("Back on Tuesday.", comment.body)

    @mute_logger("odoo.http", "odoo.models")
    def test_what_the_flow_posts_in_his_name_is_not_his_comment(self):
        """R-080, R-206: whatever step of the flow posts on an after-sales
        document in a dealer's name (server code, as the consent, the signed
        sheet or a supplier's answer are posted), the message records what
        he did: an automated message he does not rewrite; what he writes in
        the chatter stays his comment."""
        sheet = self._verified_case()
        token = sheet._portal_ensure_token()
        step = sheet.sudo().message_post(
            body="Consent signed by Zhou on the portal.",
            author_id=self.dealer_user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(step.message_type, "auto_comment")
        self.assertIn(step, sheet.website_message_ids, "shown on his portal")
        self.authenticate(self.dealer_user.login, self.dealer_user.login)
        for access in (token, None):
            with self.subTest(token=bool(access)):
                self._assert_edit_refused(step, access)
        comment = self._comment(sheet, token, "Seal leaks again.")
        self.assertEqual(comment.message_type, "comment")

    @mute_logger("odoo.http", "odoo.models")
    def test_customer_does_not_rewrite_his_accept_of_a_sheet_quote(self):
        """R-100, R-206, R-104 (000 §4.3.2.1): the customer's accept of a
        sheet's quote, posted by Odoo in his name with the signed quote's
        PDF, is his consent before the paid work: neither he (through
        ``/mail/message/update_content`` with the quote's token, or by RPC)
        nor a salesman rewrites it or takes its PDF off."""
        case, quote = self._sheet_quote(self.old_unit)
        token = quote.sudo()._portal_ensure_token()
        self.authenticate(self.customer_user.login, self.customer_user.login)
        answer = json_rpc(
            self,
            f"/my/orders/{quote.id}/accept",
            {"access_token": token, "name": "Li Ming", "signature": SIGNATURE},
        )
        self.assertNotIn("error", answer, answer)
        signed = self._messages(quote, "signed by Li Ming")
        self.assertEqual(len(signed), 1)
        self.assertEqual(signed.author_id, self.customer_user.partner_id)
        self.assertTrue(signed.attachment_ids, "the signed quote's PDF")
        pdf = signed.attachment_ids
        for access in (token, None):
            with self.subTest(customer_token=bool(access)):
                self._assert_edit_refused(signed, access)
        self.authenticate(self.salesman.login, self.salesman.login)
        self._assert_edit_refused(signed, None)
        self.assertTrue(pdf.exists())

    @mute_logger("odoo.http")
    def test_a_document_without_token_is_no_access(self):
        """R-055: a token sent for an after-sales document that has none (a
        sheet of dealer B's territory dealer A does not read) gives no
        access: the routes answer "not found", not a server error, and
        nothing is posted."""
        sheet = self._verified_case(unit=self.unit_b)
        self.assertFalse(sheet.access_token)
        self.assertFalse(sheet.with_user(self.dealer_user).has_access("read"))
        message = sheet.message_post(
            body="Parts shipped.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=self.staff.partner_id.id,
        )
        before = self._messages(sheet)
        self.authenticate(self.dealer_user.login, self.dealer_user.login)
        for token in ("anything", ""):
            with self.subTest(token=token):
                answer = self._post(sheet, token, "x")
                self.assertEqual(
                    answer["error"]["data"]["name"],
                    "werkzeug.exceptions.NotFound",
                    answer,
                )
                answer = json_rpc(
                    self,
                    "/mail/message/reaction",
                    {
                        "message_id": message.id,
                        "content": "👍",
                        "action": "add",
                        "token": token,
                    },
                )
                self.assertEqual(
                    answer["error"]["data"]["name"],
                    "werkzeug.exceptions.NotFound",
                    answer,
                )
                self.assertEqual(self._messages(sheet), before)
                self.assertFalse(message.reaction_ids)

    @mute_logger("odoo.http")
    def test_dealer_reacts_only_to_messages_he_reads(self):
        """R-055, R-063: on his own sheet, with its token, the dealer reacts
        to the messages its chatter shows him, not to the staff's internal
        note he may not read (the reaction would tell it exists)."""
        sheet = self._verified_case()
        self.assertTrue(sheet.with_user(self.dealer_user).has_access("read"))
        token = sheet._portal_ensure_token()
        note = sheet.message_post(
            body="INTERNAL: the dealer's claim looks inflated",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            author_id=self.staff.partner_id.id,
        )
        public = sheet.message_post(
            body="Parts shipped.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=self.staff.partner_id.id,
        )
        self.authenticate(self.dealer_user.login, self.dealer_user.login)
        for access in ({"token": token}, {}):
            with self.subTest(token=bool(access)):
                answer = json_rpc(
                    self,
                    "/mail/message/reaction",
                    {
                        "message_id": note.id,
                        "content": "👍",
                        "action": "add",
                        **access,
                    },
                )
                self.assertIn("error", answer, answer)
                self.env.invalidate_all()
                self.assertFalse(note.reaction_ids)
        answer = json_rpc(
            self,
            "/mail/message/reaction",
            {"message_id": public.id, "content": "👍", "action": "add", "token": token},
        )
        self.assertNotIn("error", answer, answer)
        self.env.invalidate_all()
        self.assertEqual(public.reaction_ids.partner_id, self.dealer_user.partner_id)

import re

from markupsafe import Markup

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import (
    SIGNATURE,
    ForkliftCommon,
    assert_link_puts_nothing,
    assert_list_link_breaks_nothing,
    assert_portal_lists_own,
    json_rpc,
    portal_post,
    post_signed_sheet,
    rpc_error,
)

# an 11 MB Windows program named as a signed sheet
EXE = b"MZ\x90\x00" + b"\x00" * (11 * 1024 * 1024)


@tagged("post_install", "-at_install")
class TestForkliftPortal(HttpCase, ForkliftCommon):
    """A dealer sees only its own sheets and service orders, through the portal
    pages and through RPC, and has the customer sign there (000 §4.2.2.2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a, cls.portal_b = cls._dealer_portal_users(
            ("dealer_a_portal", "Chen (dealer A)"),
            ("dealer_b_portal", "Liu (dealer B)"),
        )
        cls.feedback_a = cls._verified_case(route="dealer")
        cls.order_a = cls._done_order(cls.feedback_a, performer="dealer")
        cls.feedback_b = cls._create_case(unit=cls.unit_b, title="Dealer B problem")

    def test_rpc_shows_each_dealer_only_its_own_records(self):
        cases_a = self.env["forklift.feedback"].with_user(self.portal_a).search([])
        self.assertEqual(cases_a, self.feedback_a)
        cases_b = self.env["forklift.feedback"].with_user(self.portal_b).search([])
        self.assertEqual(cases_b, self.feedback_b)
        orders_b = (
            self.env["forklift.service.order"].with_user(self.portal_b).search([])
        )
        self.assertFalse(orders_b)

    @mute_logger("odoo.http")
    def test_json_rpc_refuses_another_dealers_sheet(self):
        self.authenticate("dealer_b_portal", "dealer_b_portal")
        error = rpc_error(
            self,
            "forklift.feedback",
            "read",
            [[self.feedback_a.id], ["name", "description"]],
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        rpc_error(
            self,
            "forklift.feedback",
            "write",
            [[self.feedback_b.id], {"severity": "major"}],
        )
        self.assertEqual(self.feedback_b.severity, "normal")

    def test_portal_pages_list_only_own_records(self):
        self.authenticate("dealer_a_portal", "dealer_a_portal")
        # dealer A lists and opens his sheet; dealer B's sends him back home
        assert_portal_lists_own(
            self, "/my/forklift/sheets", self.feedback_a, self.feedback_b
        )
        page = self.url_open("/my/forklift/service-orders").text
        self.assertIn(self.order_a.name, page)

    def test_a_link_puts_no_text_nor_value_on_a_page(self):
        """An error on a portal page is the reason the server refused a post,
        never a text a link carries (it would read as ours); a query string
        naming the page's own arguments opens the page, not an error 500."""
        self.authenticate("dealer_a_portal", "dealer_a_portal")
        for url, shown in (
            (f"/my/forklift/sheets/{self.feedback_a.id}", self.feedback_a.name),
            (f"/my/forklift/service-orders/{self.order_a.id}", self.order_a.name),
        ):
            with self.subTest(url=url):
                assert_link_puts_nothing(self, url, shown)

    @mute_logger("odoo.http")
    def test_a_link_breaks_no_list(self):
        """R-055 (000 §4.2.2.2): a link to the dealer's lists that sorts by
        what the list does not offer (a field list, SQL), or names Odoo's
        other search arguments, shows the dealer's own list as the page
        sorts it, not an error 500."""
        self.authenticate("dealer_a_portal", "dealer_a_portal")
        for url, shown in (
            ("/my/forklift/sheets", self.feedback_a.name),
            ("/my/forklift/service-orders", self.order_a.name),
        ):
            assert_list_link_breaks_nothing(self, url, shown, [self.feedback_b.name])

    @mute_logger("odoo.http")
    def test_report_urls_refuse_another_dealers_record(self):
        report = "/report/{}/forklift_aftersales.report_forklift_service_order/{}"
        # a dealer prints its own service order from its portal page
        self.authenticate("dealer_a_portal", "dealer_a_portal")
        page = f"/my/forklift/service-orders/{self.order_a.id}"
        self.assertIn("report_type=pdf", self.url_open(page).text)
        response = self.url_open(f"{page}?report_type=html")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order_a.name, response.text)
        response = self.url_open(f"{page}?report_type=pdf&download=true")
        self.assertEqual(response.status_code, 200)
        # the file is named after the order (non-word characters as "_")
        filename = re.sub(r"\W+", "_", f"Service Order {self.order_a.name}")
        self.assertIn(f"{filename}.pdf", response.headers["Content-Disposition"])
        self.authenticate("dealer_b_portal", "dealer_b_portal")
        response = self.url_open(f"{page}?report_type=html", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        for converter in ("html", "pdf"):
            with self.subTest(converter=converter):
                response = self.url_open(report.format(converter, self.order_a.id))
                self.assertEqual(response.status_code, 403)
                self.assertNotIn(self.order_a.name, response.text)
        # an id that does not exist is not found, not a server error
        response = self.url_open(report.format("html", 999999))
        self.assertEqual(response.status_code, 404)

    def test_dealer_has_the_customer_sign_on_the_portal(self):
        self.authenticate("dealer_b_portal", "dealer_b_portal")
        refused = self.make_jsonrpc_request(
            f"/my/forklift/service-orders/{self.order_a.id}/sign",
            {"name": "Intruder", "signature": SIGNATURE},
        )
        self.assertIn("error", refused)
        self.assertEqual(self.order_a.state, "done")
        self.authenticate("dealer_a_portal", "dealer_a_portal")
        result = self.make_jsonrpc_request(
            f"/my/forklift/service-orders/{self.order_a.id}/sign",
            {"name": "Wang Jun", "signature": SIGNATURE, "opinion": "Good service"},
        )
        self.assertNotIn("error", result)
        self.assertEqual(self.order_a.state, "signed")
        self.assertEqual(self.order_a.signed_by, "Wang Jun")
        self.assertEqual(self.order_a.customer_opinion, "Good service")
        self.assertFalse(self.order_a.is_return_overdue)

    def _mail_upload(self, record, filename, content, is_pending):
        """Upload a file to ``record`` through Odoo's mail route, with the
        record's access token, as the chatter does; the new attachment and
        its ownership token."""
        response = portal_post(
            self,
            "/mail/attachment/upload",
            {
                "thread_model": record._name,
                "thread_id": record.id,
                "is_pending": is_pending,
                "token": record._portal_ensure_token(),
            },
            files={"ufile": (filename, content, "application/octet-stream")},
        )
        attachment = self.env["ir.attachment"].browse(
            response.json()["data"]["attachment_id"]
        )
        return attachment, attachment._get_ownership_token()

    def _mail_post(self, record, body, attachment=None, token=None, context=None):
        """Post ``body`` (with ``attachment``) on the chatter of ``record``
        through Odoo's mail route; the decoded answer."""
        post_data = {"body": body, "message_type": "comment"}
        if attachment:
            post_data.update(attachment_ids=attachment.ids, attachment_tokens=[token])
        return json_rpc(
            self,
            "/mail/message/post",
            {
                "thread_model": record._name,
                "thread_id": record.id,
                "post_data": post_data,
                "token": record.access_token,
                "context": context or {},
            },
        )

    @mute_logger("odoo.http")
    def test_mail_routes_attach_no_file_to_after_sales_records(self):
        """R-082, 000 §4.2.2.2, README "upload anything but a PDF, JPEG or PNG
        within the size cap": a dealer's files reach a service order or a
        sheet only through the checks of the portal forms. Through Odoo's mail
        routes (upload, then post with the file), whatever the file, the
        state, the access token or a context sent with it, no message carries
        it; a plain comment still posts, and the signed-sheet form still
        attaches its PDF."""
        self.authenticate("dealer_a_portal", "dealer_a_portal")
        for record, is_pending, context in (
            (self.order_a, "true", None),
            (self.order_a, "true", {"forklift_flow_write": True}),
            (self.feedback_a, "true", None),
        ):
            with self.subTest(record=record.name, is_pending=is_pending):
                messages = record.message_ids
                attachment, token = self._mail_upload(
                    record, "signed_sheet.pdf.exe", EXE, is_pending
                )
                answer = self._mail_post(
                    record,
                    "Signed sheet returned on the portal.",
                    attachment,
                    token,
                    context,
                )
                self.assertIn("error", answer)
                self.assertIn("forms of its page", answer["error"]["data"]["message"])
                record.invalidate_recordset()
                self.assertEqual(record.message_ids, messages)
                self.assertFalse(
                    self.env["mail.message"].search(
                        [("attachment_ids", "in", attachment.ids)]
                    )
                )
        # a plain comment on his own order still posts, as the dealer
        answer = self._mail_post(self.order_a, "Customer will call back.")
        self.assertNotIn("error", answer)
        message = self.env["mail.message"].browse(answer["result"]["message_id"])
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertEqual(message.model, self.order_a._name)
        self.assertFalse(message.attachment_ids)
        # the portal form returning the signed sheet still attaches its PDF
        messages = self.order_a.message_ids
        post_signed_sheet(self, self.order_a)
        self.order_a.invalidate_recordset()
        sheet = (self.order_a.message_ids - messages).attachment_ids
        self.assertEqual(sheet.mapped("mimetype"), ["application/pdf"])

    def test_mail_upload_stores_no_file_on_after_sales_records(self):
        """R-082, 000 §4.2.2.2: an upload through Odoo's mail route straight
        onto a service order or a sheet (not pending a message), with the
        record's access token, is refused: no file of his lies in the
        record's attachments for the staff to open."""
        self.authenticate("dealer_a_portal", "dealer_a_portal")
        Attachment = self.env["ir.attachment"]
        for record in (self.order_a, self.feedback_a):
            with self.subTest(record=record.name):
                files = Attachment.search(
                    [("res_model", "=", record._name), ("res_id", "=", record.id)]
                )
                response = portal_post(
                    self,
                    "/mail/attachment/upload",
                    {
                        "thread_model": record._name,
                        "thread_id": record.id,
                        "is_pending": "false",
                        "token": record._portal_ensure_token(),
                    },
                    files={"ufile": ("tool.exe", EXE, "application/octet-stream")},
                )
                self.assertIn("error", response.json())
                self.assertEqual(
                    Attachment.search(
                        [("res_model", "=", record._name), ("res_id", "=", record.id)]
                    ),
                    files,
                )

    def test_portal_user_rewrites_no_message_of_a_record_by_rpc(self):
        """R-082, R-055: the messages of an after-sales document record what
        was said and returned (the signed sheet's post): a dealer rewrites or
        deletes none by RPC, not even his own; the message stays as posted."""
        comment = (
            self.order_a.with_user(self.portal_a)
            .sudo()
            .message_post(
                body="Customer will call back.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.portal_a.partner_id.id,
            )
        )
        self.assertEqual(comment.author_id, self.portal_a.partner_id)
        self.assertTrue(comment.with_user(self.portal_a).sudo(False).read(["body"]))
        message = comment.with_user(self.portal_a).sudo(False)
        elsewhere = (
            self.env["mail.message"]
            .with_user(self.portal_a)
            .sudo()
            .create({"body": "Hello", "model": "res.partner", "res_id": 1})
            .sudo(False)
        )
        for attack in (
            lambda: message.write({"body": "Never said."}),
            message.unlink,
            lambda: elsewhere.write(
                {"model": self.order_a._name, "res_id": self.order_a.id}
            ),
        ):
            with self.subTest(attack=attack), self.assertRaises(AccessError):
                attack()
        self.assertIn("Customer will call back.", str(comment.exists().body))

    def test_portal_user_adds_no_file_to_a_message_by_the_orm(self):
        """R-082: what the mail routes run (a post or an edit of his own
        comment in sudo, as the dealer) attaches no file of his to an
        after-sales record; the post or the edit leaves nothing."""
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.portal_a)
            .sudo()
            .create(
                {
                    "name": "notes.html",
                    "raw": b"<script>alert(1)</script>",
                    "res_model": "mail.compose.message",
                    "res_id": 0,
                }
            )
        )
        feedback = self.feedback_a.with_user(self.portal_a).sudo()
        comment = feedback.message_post(
            body="Seal leaks again.", message_type="comment"
        )
        messages = self.feedback_a.message_ids
        with self.assertRaises(AccessError):
            feedback.message_post(body="Photos", attachment_ids=attachment.ids)
        with self.assertRaises(AccessError):
            feedback.message_post(body="Photos", attachments=[("a.svg", b"<svg/>")])
        with self.assertRaises(AccessError):
            self.feedback_a.with_user(self.portal_a)._message_update_content(
                comment, body="Seal leaks again.", attachment_ids=attachment.ids
            )
        self.feedback_a.invalidate_recordset()
        self.assertEqual(self.feedback_a.message_ids, messages)
        self.assertFalse(comment.attachment_ids)
        self.assertEqual(attachment.res_model, "mail.compose.message")

    def test_portal_search_on_messages_finds_no_internal_note(self):
        """R-055, 000 §4.1.2: a dealer searching his own sheet by the text of
        its messages matches only what its chatter shows him: an internal note
        or log of the staff is never matched (no guessing it letter by
        letter); the staff's searches match them."""
        self.feedback_a.message_post(
            body=Markup("<p>INTERNAL: R&amp;D suspects batch defect</p>"),
            message_type="comment",  # as the form's "Log note" posts it
            subtype_xmlid="mail.mt_note",
            author_id=self.technician.partner_id.id,
        )
        self.feedback_a._message_log(body=Markup("<p>INTERNAL LOG: quote ready</p>"))
        self.feedback_a.message_post(
            body=Markup("<p>PUBLIC: parts shipped</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        Feedback = self.env["forklift.feedback"]
        for field in ("message_ids", "website_message_ids"):
            for pattern, user, found in (
                ("<p>INTERNAL: R%", self.portal_a, False),
                ("<p>INTERNAL LOG%", self.portal_a, False),
                ("<p>PUBLIC: parts%", self.portal_a, True),
                ("<p>INTERNAL: R%", self.staff, True),
                ("<p>INTERNAL LOG%", self.staff, field == "message_ids"),
            ):
                with self.subTest(field=field, pattern=pattern, user=user.login):
                    domain = [
                        ("id", "=", self.feedback_a.id),
                        (f"{field}.body", "=like", pattern),
                    ]
                    result = Feedback.with_user(user).search(domain)
                    self.assertEqual(bool(result), found)

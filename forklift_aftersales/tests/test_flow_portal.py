import base64
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.forklift_aftersales.controllers.portal import (
    UPLOAD_MAX_SIZE_PARAM,
    check_portal_upload,
)

from .common import (
    PDF,
    SIGNATURE,
    ForkliftCommon,
    json_rpc,
    post_signed_sheet,
)

SVG_SIGNATURE = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
).decode()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@tagged("post_install", "-at_install")
class TestFlowPortal(HttpCase, ForkliftCommon):
    """The dealer/customer portal as a hostile dealer would use it: links to
    records the portal rules hide, posts that fail half-way, uploads and
    signatures of any type, and RPC reads of internal fields and of the tier
    reviews (R-055, R-063, R-082; 000 §4.2.2.2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a, cls.portal_b = cls._dealer_logins("flow")
        # dealer A's territory: the sheet is dealer A's, the service order is
        # done by the company's own technician, for a customer that is not
        # dealer A's company, so the portal rules hide it from dealer A
        cls.feedback_a = cls._verified_case()
        cls.hidden_order = cls._done_order(cls.feedback_a, performer="technician")
        # a service order dealer A performs, finished and waiting for the
        # customer's signature
        cls.feedback_dealer = cls._verified_case(route="dealer")
        cls.order_a = cls._done_order(cls.feedback_dealer, performer="dealer")
        # dispatched, the work not reported yet: it cannot be signed
        cls.feedback_open = cls._verified_case(route="dealer")
        cls.open_order = cls._service_order(cls.feedback_open, performer="dealer")
        cls.open_order.action_dispatch()

    def _sign(self, order, signature, name="Wang Jun", **params):
        return self.make_jsonrpc_request(
            f"/my/forklift/service-orders/{order.id}/sign",
            {"name": name, "signature": signature, "opinion": "Fine", **params},
        )

    def _signature_state(self, order):
        return self._field_values(
            order, ["state", "signature", "signed_by", "signed_on", "customer_opinion"]
        )

    # Links and tokens

    def test_sheet_page_links_only_orders_the_dealer_may_read(self):
        """R-055, 000 §4.2.2.1: the sheet page of dealer A does not print the
        access-token link of a service order the portal rules hide from it, so
        it cannot sign that order as the customer."""
        self.assertFalse(
            self.hidden_order.with_user(self.portal_a).has_access("read"),
            "the portal rules hide the technician's order from dealer A",
        )
        self.assertTrue(self.feedback_a.with_user(self.portal_a).has_access("read"))
        token = self.hidden_order._portal_ensure_token()
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        response = self.url_open(f"/my/forklift/sheets/{self.feedback_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.feedback_a.name, response.text)
        self.assertNotIn(token, response.text)
        self.assertNotIn(
            f"/my/forklift/service-orders/{self.hidden_order.id}", response.text
        )
        # without the token, the order and its signature are refused
        before = self._signature_state(self.hidden_order)
        result = self._sign(self.hidden_order, SIGNATURE)
        self.assertIn("error", result)
        self.assertEqual(self._signature_state(self.hidden_order), before)

    def test_sheet_page_still_links_the_dealers_own_order(self):
        """R-055, R-082: the dealer's own service order stays linked on its
        sheet page."""
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        page = self.url_open(f"/my/forklift/sheets/{self.feedback_dealer.id}").text
        self.assertIn(f"/my/forklift/service-orders/{self.order_a.id}", page)
        self.assertIn(self.order_a.name, page)

    def test_token_of_one_order_does_not_open_another(self):
        """R-063, 000 §4.2.2.2: the access token is checked against the order
        being signed: dealer B, holding the token of one order, cannot sign
        another one with it."""
        token = self.order_a._portal_ensure_token()
        self.authenticate("flow_dealer_b", "flow_dealer_b")
        before = self._signature_state(self.hidden_order)
        result = self._sign(self.hidden_order, SIGNATURE, access_token=token)
        self.assertIn("error", result)
        self.assertEqual(self._signature_state(self.hidden_order), before)

    # All or nothing

    def test_refused_sign_saves_nothing(self):
        """R-002, 000 §4.2.2.2: a sign refused because the work is not reported
        leaves no signature, signer, date or opinion behind."""
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        before = self._signature_state(self.open_order)
        result = self._sign(self.open_order, SIGNATURE)
        self.assertIn("error", result)
        self.assertEqual(self._signature_state(self.open_order), before)
        self.assertEqual(self.open_order.state, "dispatched")
        self.assertFalse(self.open_order.signature)

    def test_sign_failing_after_the_signature_saves_nothing(self):
        """R-002, 000 §4.2.2.2: when a later step of the same post fails (here
        the chatter message), the signature written before is undone too."""
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        before = self._signature_state(self.order_a)
        order_class = type(self.env["forklift.service.order"])

        def message_post(self, **kwargs):
            raise UserError(self.env._("The chatter is down."))

        with patch.object(order_class, "message_post", message_post):
            result = self._sign(self.order_a, SIGNATURE)
        self.assertIn("error", result)
        self.assertEqual(self._signature_state(self.order_a), before)
        self.assertEqual(self.order_a.state, "done")

    # Signatures and uploads

    def test_svg_signature_refused(self):
        """R-002, R-063: a signature is a PNG or JPEG image; an SVG (which can
        carry a script shown to the staff) is refused and nothing is saved."""
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        before = self._signature_state(self.order_a)
        for signature in (
            SVG_SIGNATURE,
            base64.b64encode(HTML).decode(),
            base64.b64encode(PDF).decode(),
            "not base64 at all",
        ):
            with self.subTest(signature=signature[:20]):
                result = self._sign(self.order_a, signature)
                self.assertIn("error", result)
                self.assertEqual(self._signature_state(self.order_a), before)

    def test_sign_with_a_name_or_opinion_that_is_no_text_is_refused(self):
        """R-206, R-002: the widget posts the signer's name and opinion as
        text; a client posting an object, a list, a number or a boolean
        instead is refused with a clear reason, not an error: nothing is
        saved, nothing is logged."""
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        before = self._signature_state(self.order_a)
        odd_values = ({"first": "Wang"}, ["Wang Jun"], 42, 4.2, True)
        for field in ("name", "opinion"):
            for value in odd_values:
                with (
                    self.subTest(field=field, value=value),
                    self.assertNoLogs(level="WARNING"),
                ):
                    result = self._sign(self.order_a, SIGNATURE, **{field: value})
                    self.assertIn("as text", result.get("error") or "")
                    self.assertEqual(self._signature_state(self.order_a), before)
        result = self._sign(self.order_a, SIGNATURE, opinion=None)
        self.assertNotIn("error", result, "no opinion is no refusal")

    def test_oversized_signature_refused(self):
        """R-002: the size cap (a system parameter) applies to signatures."""
        self.env["ir.config_parameter"].sudo().set_param(UPLOAD_MAX_SIZE_PARAM, "16")
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        before = self._signature_state(self.order_a)
        result = self._sign(self.order_a, SIGNATURE)
        self.assertIn("error", result)
        self.assertEqual(self._signature_state(self.order_a), before)

    def test_png_signature_accepted(self):
        """R-002, 000 §4.2.2.2: the customer's PNG signature on the dealer's
        screen signs the finished order."""
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        result = self._sign(self.order_a, SIGNATURE)
        self.assertNotIn("error", result)
        self.order_a.invalidate_recordset()
        self.assertEqual(self.order_a.state, "signed")
        self.assertEqual(self.order_a.signed_by, "Wang Jun")

    def test_clerk_cannot_sign_on_the_sign_page(self):
        """R-206, R-080 (000 §4.2.1.2): a service-center clerk who may edit the
        technician's order, logged in, posts "the customer's signature" to
        its sign page with the token the staff's button opens it with:
        refused, nothing saved. The order's technician has the customer sign
        it on his screen."""
        order = self.hidden_order
        token = order._portal_ensure_token()
        before = self._signature_state(order)
        self.authenticate("fa_staff", "fa_staff")
        result = self._sign(order, SIGNATURE, access_token=token)
        self.assertIn("error", result)
        self.assertEqual(self._signature_state(order), before)
        self.authenticate("fa_technician", "fa_technician")
        result = self._sign(order, SIGNATURE, access_token=token)
        self.assertNotIn("error", result)
        order.invalidate_recordset()
        self.assertEqual((order.state, order.signed_by), ("signed", "Wang Jun"))

    def test_upload_check_by_content(self):
        """R-082, R-070: an uploaded signed sheet is a PDF, JPEG or PNG judged by
        its content (not its name), within the size cap; HTML named .pdf, SVG
        and empty files are refused."""
        env = self.env
        self.assertEqual(check_portal_upload(env, PDF), "application/pdf")
        self.assertEqual(check_portal_upload(env, JPEG), "image/jpeg")
        self.assertEqual(
            check_portal_upload(env, base64.b64decode(SIGNATURE)), "image/png"
        )
        for content in (HTML, base64.b64decode(SVG_SIGNATURE), b"", b"GIF89a...."):
            with self.subTest(content=content[:10]), self.assertRaises(UserError):
                check_portal_upload(env, content)
        env["ir.config_parameter"].sudo().set_param(UPLOAD_MAX_SIZE_PARAM, "10")
        with self.assertRaises(UserError):
            check_portal_upload(env, PDF)

    def _order_files(self, order):
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id)]
        )
        return attachments, len(order.message_ids)

    def test_signed_sheet_upload_refuses_other_types(self):
        """R-082, 000 §4.2.2.2: an HTML page (or an SVG) sent as the signed
        sheet, even named .pdf, is refused and nothing is attached or posted."""
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        before = self._order_files(self.order_a)
        for filename, content in (
            ("signed.pdf", HTML),
            ("signed.svg", base64.b64decode(SVG_SIGNATURE)),
            ("signed.pdf", b""),
        ):
            with self.subTest(filename=filename, content=content[:10]):
                response = post_signed_sheet(self, self.order_a, content, filename)
                self.assertEqual(response.status_code, 200)
                self.assertIn("alert-danger", response.text)
                self.order_a.invalidate_recordset()
                self.assertEqual(self._order_files(self.order_a), before)

    def test_signed_sheet_upload_refuses_over_the_cap(self):
        """R-082: a file over the size cap (system parameter) is refused."""
        self.env["ir.config_parameter"].sudo().set_param(UPLOAD_MAX_SIZE_PARAM, "20")
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        before = self._order_files(self.order_a)
        post_signed_sheet(self, self.order_a, PDF)
        self.order_a.invalidate_recordset()
        self.assertEqual(self._order_files(self.order_a), before)

    def test_signed_sheet_upload_only_by_the_orders_dealer(self):
        """R-055, R-082: another dealer, or the order's dealer before the work
        is done, attaches nothing."""
        self.authenticate("flow_dealer_b", "flow_dealer_b")
        before = self._order_files(self.order_a)
        post_signed_sheet(self, self.order_a, PDF)
        self.order_a.invalidate_recordset()
        self.assertEqual(self._order_files(self.order_a), before)
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        for order in (self.open_order, self.hidden_order):
            with self.subTest(order=order.name):
                before = self._order_files(order)
                post_signed_sheet(self, order, PDF)
                order.invalidate_recordset()
                self.assertEqual(self._order_files(order), before)

    def test_signed_sheet_stored_by_its_content(self):
        """R-082, 000 §4.2.2.2: a PDF signed sheet is attached to the order as
        a PDF (its type found in its content, the name following it) and the
        staff download it as a PDF."""
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        attachments, messages = self._order_files(self.order_a)
        response = post_signed_sheet(self, self.order_a, JPEG, "signed.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertIn("signed sheet is sent", response.text)
        self.order_a.invalidate_recordset()
        new, new_messages = self._order_files(self.order_a)
        sheet = new - attachments
        self.assertEqual(len(sheet), 1)
        self.assertEqual(sheet.mimetype, "image/jpeg")
        self.assertEqual(sheet.name, "signed.jpg")
        self.assertEqual(new_messages, messages + 1)
        self.authenticate("fa_staff", "fa_staff")
        response = self.url_open(f"/web/content/{sheet.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/jpeg")
        self.assertIn("attachment", response.headers["Content-Disposition"])

    @mute_logger("odoo.http")
    def test_dealer_cannot_delete_or_replace_the_returned_signed_sheet(self):
        """R-082, 000 §4.2.2.2: the signed sheet the dealer returned on the
        portal stays as returned. He posted it, but editing that post through
        Odoo's ``/mail/message/update_content`` (with the order's token) to
        empty it, delete its file or change its text is refused, and nothing
        changes: the file, its message, the date it was returned. His post
        still shows in the order's portal chatter."""
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        attachments, _messages = self._order_files(self.order_a)
        post_signed_sheet(self, self.order_a, PDF)
        self.order_a.invalidate_recordset()
        sheet = self._order_files(self.order_a)[0] - attachments
        self.assertEqual(len(sheet), 1)
        message = self.env["mail.message"].search([("attachment_ids", "in", sheet.ids)])
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        # still shown in the order's portal chatter
        self.assertIn(message, self.order_a.website_message_ids)

        def state():
            self.env.invalidate_all()
            return (
                sheet.exists(),
                sheet.checksum,
                message.body,
                message.attachment_ids,
                self.order_a.signed_sheet_date,
            )

        before = state()
        self.assertTrue(before[-1])
        token = self.order_a._portal_ensure_token()
        for update in (
            {"body": "", "attachment_ids": []},
            {"body": "Nothing was returned."},
        ):
            with self.subTest(update=update):
                answer = json_rpc(
                    self,
                    "/mail/message/update_content",
                    {"message_id": message.id, "update_data": update, "token": token},
                )
                self.assertIn("error", answer)
                self.assertEqual(state(), before)

    # RPC reads

    def test_portal_rpc_cannot_read_internal_fields(self):
        """R-055, R-019: a dealer reads its sheets and service orders by RPC,
        but not the service center's diagnosis, the responsibility, the costs
        or the paid-service terms; fields_get leaves them out."""
        case = self.feedback_dealer.with_user(self.portal_a)
        self.assertEqual(case.read(["name", "description"])[0]["name"], case.name)
        for field in (
            "verification",
            "responsibility",
            "parts_cost",
            "freight_cost",
            "amount_to_collect",
            "sale_order_id",
            "supplier_id",
            "parts_request_ids",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                case.read([field])
        # the fields a portal user is told of leave them out too
        fields = case.fields_get(attributes=["type"])
        self.assertIn("description", fields)
        self.assertNotIn("verification", fields)
        self.assertNotIn("parts_cost", fields)
        order = self.order_a.with_user(self.portal_a)
        self.assertTrue(order.read(["name", "work_done"]))
        for field in ("registered_by_id", "supervisor_id", "qa_copy_date"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                order.read([field])
        with self.assertRaises(AccessError):
            order.part_ids.read(["note"])
        with self.assertRaises(AccessError):
            self.env["forklift.feedback"].with_user(self.portal_a).search(
                [("verification", "ilike", "seal")]
            )

    def test_portal_rpc_cannot_read_internal_logs_by_id(self):
        """R-055: the internal logs of a dealer's own sheet (a question asked
        to R&D, a record created) are not read by id over RPC any more than
        its chatter shows them; what is posted to him, and what is logged as
        his, is read."""
        case = self.feedback_dealer
        dealer = self.portal_a.partner_id.id
        internal_log = case._message_log(body="Question TQ-X asked to R&D")
        # (body, subtype, type, author): an internal note; a comment to him;
        # a log in his name, as the portal's own pages write when he acts
        internal_note, public, own = (
            case.message_post(
                body=body, subtype_xmlid=subtype, message_type=kind, author_id=author
            )
            for body, subtype, kind, author in (
                (
                    "Batch of master cylinders suspected",
                    "mail.mt_note",
                    "notification",
                    None,
                ),
                ("A technician comes tomorrow", "mail.mt_comment", "comment", None),
                (
                    "Signed sheet returned on the portal.",
                    "mail.mt_note",
                    "notification",
                    dealer,
                ),
            )
        )
        messages = self.env["mail.message"].with_user(self.portal_a)
        for message in internal_log | internal_note:
            with self.subTest(body=message.body), self.assertRaises(AccessError):
                messages.browse(message.id).read(["body"])
        self.assertNotIn(
            internal_log, messages.search([("model", "=", "forklift.feedback")])
        )
        read = messages.browse((public | own).ids).read(["body"])
        self.assertEqual({row["id"] for row in read}, set((public | own).ids))

    @mute_logger("odoo.http")
    def test_portal_rpc_cannot_read_tier_reviews(self):
        """R-055, R-193: the tier reviews of the approvals are internal: a
        portal or public user reads none by RPC (OCA grants them read)."""
        self.env["tier.review"].flush_model()
        for user in (self.portal_a, self.env.ref("base.public_user")):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["tier.review"].with_user(user).search_read([], ["status"])
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        with self.assertRaises(Exception) as raised:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/tier.review/search_read",
                {
                    "model": "tier.review",
                    "method": "search_read",
                    "args": [[], ["status", "res_id", "model"]],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(raised.exception))

    def test_portal_reads_no_approval_fields(self):
        """R-055, R-193: on every document under tier validation the approval
        fields (reviews, reviewers, status) are internal, so a portal read of a
        document it may see leaves them out instead of reading the reviews."""
        mixin = self.env.registry["tier.validation"]
        models = [
            name
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, mixin)
        ]
        self.assertIn("forklift.parts.request", models)
        for name in models:
            model = self.env[name]
            for field in ("review_ids", "validation_status", "reviewer_ids"):
                with self.subTest(model=name, field=field):
                    self.assertFalse(
                        model.with_user(self.portal_a)._has_field_access(
                            model._fields[field], "read"
                        )
                    )
                    self.assertTrue(
                        model.with_user(self.staff)._has_field_access(
                            model._fields[field], "read"
                        )
                    )

    def test_portal_pages_still_render(self):
        """R-055: with the internal fields closed to portal users, the list and
        detail pages of sheets and service orders still render."""
        self.authenticate("flow_dealer_a", "flow_dealer_a")
        for url, name in (
            ("/my", "Forklift"),
            ("/my/forklift/sheets", self.feedback_dealer.name),
            (
                f"/my/forklift/sheets/{self.feedback_dealer.id}",
                self.feedback_dealer.name,
            ),
            ("/my/forklift/service-orders", self.order_a.name),
            (f"/my/forklift/service-orders/{self.order_a.id}", self.order_a.name),
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn(name, response.text)

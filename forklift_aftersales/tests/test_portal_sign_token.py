"""Who signs a service order through its access token: the token opens the
order's page to whoever holds it, and a dealer reads it on the orders of its
territory it does not perform; the customer's own link signs, the token
alone does not (R-080, R-206, 000 §4.2.2.2)."""

import html
import json
import re
from urllib.parse import parse_qs, urlparse

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import SIGNATURE, ForkliftCommon, call_kw


@tagged("post_install", "-at_install")
class TestPortalSignToken(HttpCase, ForkliftCommon):
    """A service order done by the company's technician in dealer A's
    territory (``dealer_id`` set): dealer A reads it on the portal, but only
    its customer signs it (R-080, R-206, 000 §4.2.2.2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_dealer = cls._portal_user(
            "token_dealer_a", cls.dealer_a, "Zhou (dealer A)"
        )
        cls.order = cls._service_order(
            cls._verified_case(), performer="technician", dealer_id=cls.dealer_a.id
        )
        cls.order.action_dispatch()
        cls._record_work(cls.order)
        cls.order.action_done()
        # the staff's sign page, or a mail to the customer, made one
        cls.token = cls.order._portal_ensure_token()

    def _sign(self, url, name="Customer Boss", **params):
        """Post a signature to the sign route ``url``, as the page's widget
        does."""
        return self.make_jsonrpc_request(
            url,
            {"name": name, "signature": SIGNATURE, "opinion": "All fine", **params},
        )

    def _sign_url(self, **query):
        query = "&".join(f"{key}={value}" for key, value in query.items())
        return f"/my/forklift/service-orders/{self.order.id}/sign?{query}"

    def _state(self):
        """What a signature changes on the order."""
        return self._field_values(
            self.order,
            ("state", "signature", "signed_by", "signed_on", "customer_opinion"),
        )

    @staticmethod
    def _page_sign_url(page):
        """The URL the page's signature widget posts to."""
        props = re.search(r'name="portal.signature_form" props="([^"]*)"', page)
        return json.loads(html.unescape(props.group(1)))["callUrl"]

    def test_dealer_holding_the_token_cannot_sign_as_the_customer(self):
        """R-080, R-206, 000 §4.2.2.2: dealer A reads the order of its
        territory it does not perform, and its access token (over RPC and on
        the page); logged in, its signature is refused; logged out, posting
        the token with any name and a PNG, or with a forged customer's hash,
        or the link the staff shared with the dealer, is refused too: the
        order stays unsigned."""
        self.assertTrue(self.order.with_user(self.portal_dealer).has_access("read"))
        before = self._state()
        self.authenticate("token_dealer_a", "token_dealer_a")
        answer = call_kw(
            self, "forklift.service.order", "read", [[self.order.id], ["access_token"]]
        )
        self.assertEqual(answer["result"][0]["access_token"], self.token)
        page = self.url_open(f"/my/forklift/service-orders/{self.order.id}").text
        self.assertIn(self.token, page)
        self.assertIn("error", self._sign(self._sign_url()), "logged in: refused")
        self.assertEqual(self._state(), before)
        # logged out, as the public user holding the token
        self.authenticate(None, None)
        shared = self.order._get_share_url(pid=self.dealer_a.id).split("?", 1)[1]
        for url in (
            self._sign_url(access_token=self.token),
            self._sign_url(
                access_token=self.token, pid=self.customer.id, hash="0" * 64
            ),
            f"/my/forklift/service-orders/{self.order.id}/sign?{shared}",
        ):
            with self.subTest(url=url):
                self.assertIn("error", self._sign(url))
                self.assertEqual(self._state(), before)
        # the route's own call, as the public user holding the token
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            self.order.with_user(public).sudo()._sign("Customer Boss", SIGNATURE)
        self.assertEqual(self._state(), before)

    def test_customer_without_login_signs_from_the_mailed_link(self):
        """R-080, R-206: the customer, who has no login, opens the link of
        the mail the service center sent him and signs on the order's page."""
        self.assertFalse(self.customer.user_ids)
        message = self.order.with_context(mail_notify_force_send=False).message_post(
            body="Please sign the service order.",
            partner_ids=self.customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        mail = self.env["mail.mail"].search(
            [
                ("mail_message_id", "=", message.id),
                ("recipient_ids", "in", self.customer.ids),
            ]
        )
        link = re.search(r'href="([^"]*/mail/view\?[^"]*)"', mail.body_html)
        self.assertTrue(link, "the mail links the order")
        self.authenticate(None, None)
        response = self.url_open(html.unescape(link.group(1)))
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        result = self._sign(self._page_sign_url(response.text), name="Li Ming")
        self.assertNotIn("error", result)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.state, "signed")
        self.assertEqual(self.order.signed_by, "Li Ming")

    def test_customer_logged_in_signs(self):
        """R-080, R-206: the customer with a login signs on the order's
        page, as himself."""
        self._portal_user("token_customer", self.customer, "Li (Harbour Logistics)")
        self.authenticate("token_customer", "token_customer")
        page = self.url_open(f"/my/forklift/service-orders/{self.order.id}").text
        result = self._sign(self._page_sign_url(page), name="Li Ming")
        self.assertNotIn("error", result)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.state, "signed")
        self.assertEqual(self.order.signed_by, "Li Ming")

    def test_signer_is_sent_back_with_no_key_he_did_not_bring(self):
        """R-080, R-206: after the signature, the page the signer goes back
        to carries no token he did not bring: logged in, none (his own
        rights open it); logged out from the mailed link, his own token,
        recipient and hash, the same."""
        self._portal_user("token_customer", self.customer, "Li (Harbour Logistics)")
        self.authenticate("token_customer", "token_customer")
        page = self.url_open(f"/my/forklift/service-orders/{self.order.id}").text
        result = self._sign(self._page_sign_url(page), name="Li Ming")
        self.assertNotIn("error", result)
        url = urlparse(result["redirect_url"])
        self.assertEqual(url.path, f"/my/forklift/service-orders/{self.order.id}")
        self.assertEqual(parse_qs(url.query), {"message": ["sign_ok"]})
        # logged out, from a mailed link naming the customer
        order = self._service_order(
            self._verified_case(), performer="technician", dealer_id=self.dealer_a.id
        )
        order.action_dispatch()
        self._record_work(order)
        order.action_done()
        shared = order._get_share_url(pid=self.customer.id).split("?", 1)[1]
        query = parse_qs(shared)
        self.authenticate(None, None)
        result = self._sign(
            f"/my/forklift/service-orders/{order.id}/sign?{shared}", name="Li Ming"
        )
        self.assertNotIn("error", result)
        url = urlparse(result["redirect_url"])
        self.assertEqual(
            parse_qs(url.query),
            {
                "access_token": query["access_token"],
                "pid": query["pid"],
                "hash": query["hash"],
                "message": ["sign_ok"],
            },
        )
        self.assertEqual(self.url_open(result["redirect_url"]).status_code, 200)

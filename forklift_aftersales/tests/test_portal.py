import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import (
    SIGNATURE,
    ForkliftCommon,
    assert_link_puts_nothing,
    assert_sent_home,
    rpc_error,
)


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
        page = self.url_open("/my/forklift/sheets").text
        self.assertIn(self.feedback_a.name, page)
        self.assertNotIn(self.feedback_b.name, page)
        page = self.url_open(f"/my/forklift/sheets/{self.feedback_a.id}").text
        self.assertIn(self.feedback_a.name, page)
        # another dealer's sheet: sent back to the portal home
        assert_sent_home(self, f"/my/forklift/sheets/{self.feedback_b.id}")
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

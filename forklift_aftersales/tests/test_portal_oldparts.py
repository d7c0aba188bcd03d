from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import (
    ShippedPartsCommon,
    assert_link_puts_nothing,
    assert_redirected_home,
    assert_sent_home,
    portal_post,
    rpc_error,
)


@tagged("post_install", "-at_install")
class TestPortalOldparts(HttpCase, ShippedPartsCommon):
    """A dealer follows the old parts it owes back on the portal and marks
    them shipped with carrier and waybill; another dealer can neither see
    nor ship them (000 §4.3.2.5; R-229, R-235)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        cls.portal_a, cls.portal_b = cls._dealer_logins("oldparts_http")
        cls.note = cls._replaced_note()

    def _ship(self, note, **post):
        return portal_post(
            self,
            f"/my/forklift/old-parts/{note.id}/ship",
            data=post,
            allow_redirects=False,
        )

    def _shipment(self, note):
        note.invalidate_recordset()
        return (note.shipped_date, note.carrier, note.waybill)

    def test_a_link_puts_no_text_nor_value_on_the_page(self):
        """R-229: the return's page shows the reason of a refused shipment,
        and the carrier and waybill posted with it, never what a link
        carries."""
        self.authenticate("oldparts_http_dealer_a", "oldparts_http_dealer_a")
        assert_link_puts_nothing(
            self, f"/my/forklift/old-parts/{self.note.id}", self.note.name
        )

    def test_dealer_ships_its_own_return(self):
        self.authenticate("oldparts_http_dealer_a", "oldparts_http_dealer_a")
        home = self.url_open("/my/home").text
        self.assertIn("/my/forklift/old-parts", home)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["forklift_oldpart_return_count"]}
        )
        self.assertEqual(counters["forklift_oldpart_return_count"], 1)
        page = self.url_open("/my/forklift/old-parts").text
        self.assertIn(self.note.name, page)
        page = self.url_open(f"/my/forklift/old-parts/{self.note.id}").text
        self.assertIn("forklift_oldpart_ship", page, "the shipment form is offered")

        response = self._ship(self.note, carrier="SF Express", waybill="SF1234567")
        self.assertEqual(response.status_code, 303)
        self.assertIn(
            f"/my/forklift/old-parts/{self.note.id}", response.headers["Location"]
        )
        shipped_date, carrier, waybill = self._shipment(self.note)
        self.assertTrue(shipped_date)
        self.assertEqual((carrier, waybill), ("SF Express", "SF1234567"))
        self.assertEqual(self.note.shipped_by_id, self.portal_a)

        # already shipped: refused with the reason, nothing changes
        response = self._ship(self.note, carrier="ZTO", waybill="ZT-9")
        self.assertEqual(response.status_code, 200)
        self.assertIn("already marked shipped", response.text)
        self.assertEqual(self._shipment(self.note)[1:], ("SF Express", "SF1234567"))

    def test_shipment_needs_carrier_and_waybill(self):
        self.authenticate("oldparts_http_dealer_a", "oldparts_http_dealer_a")
        response = self._ship(self.note, carrier="SF Express", waybill=" ")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Give both the carrier and the waybill number", response.text)
        self.assertEqual(self._shipment(self.note), (False, False, False))

    def test_received_return_cannot_be_shipped(self):
        self.note.with_user(self.staff)._mark_received(self.note.create_date.date())
        self.authenticate("oldparts_http_dealer_a", "oldparts_http_dealer_a")
        page = self.url_open(f"/my/forklift/old-parts/{self.note.id}").text
        self.assertNotIn("forklift_oldpart_ship", page)
        response = self._ship(self.note, carrier="ZTO", waybill="ZT-9")
        self.assertIn("already received", response.text)
        self.assertEqual(self._shipment(self.note), (False, False, False))

    @mute_logger("odoo.http")
    def test_another_dealer_sees_and_ships_nothing(self):
        self.authenticate("oldparts_http_dealer_b", "oldparts_http_dealer_b")
        page = self.url_open("/my/forklift/old-parts").text
        self.assertNotIn(self.note.name, page)
        assert_sent_home(self, f"/my/forklift/old-parts/{self.note.id}")
        response = self._ship(self.note, carrier="ZTO", waybill="ZT-1")
        assert_redirected_home(self, response)
        self.assertEqual(self._shipment(self.note), (False, False, False))
        self.assertFalse(
            self.env["forklift.oldpart.return"].with_user(self.portal_b).search([])
        )

    @mute_logger("odoo.http")
    def test_dealer_cannot_write_the_receipt_over_rpc(self):
        """R-005, R-206: the lateness and the receipt are the server's."""
        self.authenticate("oldparts_http_dealer_a", "oldparts_http_dealer_a")
        for vals in ({"days_late": 7}, {"received_date": "2026-03-03"}):
            error = rpc_error(
                self, "forklift.oldpart.return", "write", [[self.note.id], vals]
            )
            self.assertEqual(error, "odoo.exceptions.AccessError")
        self.note.invalidate_recordset()
        self.assertFalse(self.note.received_date)
        self.assertEqual(self.note.days_late, 0)

    def test_portal_rpc_reads_only_what_the_page_shows(self):
        """R-055, R-229: the dealer reads its return's parts, dates and
        shipment by RPC, not the internal links, costs or inspectors."""
        note = self.note.with_user(self.portal_a)
        self.assertEqual(
            note.read(["name", "due_date", "waybill", "days_late"])[0]["name"],
            self.note.name,
        )
        for field in ("request_id", "charged_amount", "invoice_id", "picking_id"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                note.read([field])
        with self.assertRaises(AccessError):
            note.line_ids.read(["unit_cost"])
        self.assertTrue(note.line_ids.read(["product_id", "quantity"]))

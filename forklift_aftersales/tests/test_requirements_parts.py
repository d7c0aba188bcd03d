from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestRequirementsDeparturePermit(ShippedPartsCommon):
    """The parts that leave the warehouse carry a departure permit and their
    waybill (004 §4.6.4, §4.9.1 D)."""

    def _permit(self, picking):
        return self._report_html(
            "forklift_aftersales.action_report_forklift_departure_permit", picking
        )

    def test_shipped_parts_have_a_permit_and_their_waybill(self):
        """R-033, R-098 (004 §4.6.4, §4.9.1 D): the delivery of approved
        warranty parts prints a departure permit naming where they go, the
        forklift model, the time, each part and its quantity, and what it
        rests on; the warehouse keeps the carrier and waybill on the delivery,
        which the list of warranty-parts deliveries registers. The service
        center cannot write the waybill."""
        with freeze_time("2026-03-04 09:00:00"):
            request = self._shipped_request()
        picking = request.picking_id
        self.assertEqual(picking.state, "done")

        html = self._permit(picking)
        self.assertIn("Departure Permit", html)
        for expected in (
            picking.name,
            self.dealer_a.name,
            self.forklift_product.name,
            self.unit.name,
            self.part.name,
            request.name,
            request.feedback_id.name,
            "03/04/2026",  # shipped on 4 March, the day in any time zone
        ):
            with self.subTest(expected=expected):
                self.assertIn(expected, html)
        # the quantity is the cell after the part's name
        self.assertRegex(html, r"(?s)seal kit(?:(?!seal kit).)*?>\s*2(\.0+)?\s*<")

        with self.assertRaises(AccessError):
            picking.with_user(self.staff).write({"forklift_waybill": "SF0000000000"})
        self.assertFalse(picking.forklift_waybill)
        picking.with_user(self.warehouse_user).write(
            {"forklift_carrier": "SF Express", "forklift_waybill": "SF1234567890"}
        )
        registry = self.env["stock.picking"].search(
            [("forklift_parts_request_id", "!=", False), ("state", "=", "done")]
        )
        self.assertIn(picking, registry)
        self.assertEqual(
            (picking.forklift_carrier, picking.forklift_waybill),
            ("SF Express", "SF1234567890"),
        )

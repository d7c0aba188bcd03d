from datetime import datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestPartsSupply(ForkliftCommon):
    """Parts-supply commitments: common parts within 2 days, urgent ones
    within 24 h, bought at once when out of stock and served before other
    reservations (000 第四篇 §6–7; 004 §4.6.1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_user = cls._group_user("fa_supply_wh", "group_forklift_warehouse")
        cls.purchaser = cls._group_user(
            "fa_supply_purchaser", "group_forklift_purchasing"
        )
        cls.spare_parts = cls.env.ref("forklift_aftersales.stock_location_spare_parts")
        cls.case = cls._verified_case()

    def _request(self, quantity=1, urgency="common"):
        return self.env["forklift.parts.request"].create(
            {
                **self._parts_request_vals(self.case, quantity, "unqualified"),
                "urgency": urgency,
            }
        )

    def _approve(self, request):
        request.request_validation()
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")

    def _deliver(self, request):
        """Shipped, and delivered to the buyer at once (R-178 measures the
        supply to the buyer's receipt)."""
        request.picking_id.with_user(self.warehouse_user).button_validate()
        self.assertEqual(request.picking_id.state, "done")
        request.with_user(self.warehouse_user)._mark_delivered(fields.Datetime.now())

    def test_missed_two_day_commitment_lowers_the_rate(self):
        self.env["stock.quant"]._update_available_quantity(
            self.part, self.spare_parts, 5
        )
        with freeze_time("2026-03-02 09:00:00"):
            on_time = self._request()
            late = self._request()
            self.assertEqual(on_time.supply_deadline, datetime(2026, 3, 4, 9, 0))
            self._approve(on_time)
            self._approve(late)
        with freeze_time("2026-03-04 08:30:00"):
            self._deliver(on_time)
        with freeze_time("2026-03-05 10:00:00"):
            self.assertTrue(late.is_supply_overdue)
            self._deliver(late)
        self.assertEqual(on_time.supply_state, "on_time")
        self.assertEqual(late.supply_state, "late")
        self.assertFalse(late.is_supply_overdue)
        [(rate,)] = self.env["forklift.parts.request"]._read_group(
            [("id", "in", (on_time | late).ids), ("supply_state", "!=", "pending")],
            aggregates=["supply_on_time_pct:avg"],
        )
        self.assertEqual(rate, 50.0)

    def test_urgent_parts_are_due_within_24_hours(self):
        with freeze_time("2026-03-02 09:00:00"):
            request = self._request(urgency="urgent")
        self.assertEqual(request.supply_deadline, datetime(2026, 3, 3, 9, 0))

    def test_urgent_request_without_stock_alerts_purchasing_at_once(self):
        self.env["stock.quant"]._update_available_quantity(
            self.part, self.spare_parts, 1
        )
        request = self._request(quantity=3, urgency="urgent")
        request.request_validation()
        activity = request.activity_ids.filtered(
            lambda a: "Rush purchase" in (a.summary or "")
        )
        self.assertEqual(activity.user_id, self.purchaser)
        self.assertIn("× 2", activity.note)

    def test_urgent_request_with_stock_raises_no_purchase(self):
        self.env["stock.quant"]._update_available_quantity(
            self.part, self.spare_parts, 5
        )
        request = self._request(quantity=3, urgency="urgent")
        request.request_validation()
        self.assertFalse(
            request.activity_ids.filtered(
                lambda a: "Rush purchase" in (a.summary or "")
            )
        )

    def test_urgent_customer_need_goes_before_other_reservations(self):
        """R-094, 004 §4.6.1 (customer before production): an urgent request
        takes the spare parts another demand reserved."""
        self.env["stock.quant"]._update_available_quantity(
            self.part, self.spare_parts, 2
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        # another demand drawing on the spare parts themselves (e.g. a
        # production picking list) reserved them; one drawing on WH/Stock
        # does not reserve them at all
        # (TestFlowApprovals.test_an_ordinary_delivery_does_not_reserve_the_spare_parts)
        other = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": self.spare_parts.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": 2,
                            "location_id": self.spare_parts.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                ],
            }
        )
        other.action_confirm()
        other.action_assign()
        self.assertEqual(other.state, "assigned")
        request = self._request(quantity=2, urgency="urgent")
        self._approve(request)
        self.assertEqual(request.picking_id.state, "assigned")
        self.assertEqual(request.picking_id.priority, "1")
        self.assertEqual(other.state, "confirmed", "the other demand waits")
        self._deliver(request)
        self.assertEqual(request.supply_state, "on_time")

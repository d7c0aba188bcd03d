from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, call_kw


@tagged("post_install", "-at_install")
class TestPartsReleaseRpc(HttpCase, ForkliftCommon):
    """The release rule holds for an integrating system too: JSON-RPC calls
    are refused unless they come from the warehouse after approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_only = cls._group_user(
            "fa_rpc_stock", "stock.group_stock_manager", password="fa_rpc_stock_pw"
        )
        cls.warehouse = cls._group_user(
            "fa_rpc_warehouse",
            "group_forklift_warehouse",
            password="fa_rpc_warehouse_pw",
        )
        cls.spare_parts = cls.env.ref("forklift_aftersales.stock_location_spare_parts")
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.spare_parts, 5)
        cls.request = cls.env["forklift.parts.request"].create(
            cls._parts_request_vals(cls._verified_case(), 2, "unqualified")
        )
        cls.request.request_validation()
        cls.request.with_user(cls.director).validate_tier()

    def _call(self, login, model, method, ids):
        self.authenticate(login, f"{login}_pw")
        return call_kw(self, model, method, [ids])

    def _on_hand(self):
        return self.part.with_context(location=self.spare_parts.id).qty_available

    def _assert_release_refused(self, login, picking, error, message):
        """``login`` validating ``picking`` over RPC gets the ``error`` that
        says ``message``, and no part leaves the stock."""
        body = self._call(login, "stock.picking", "button_validate", picking.ids)
        self.assertEqual(body["error"]["data"]["name"], f"odoo.exceptions.{error}")
        self.assertIn(message, body["error"]["data"]["message"])
        self.assertEqual(self._on_hand(), 5)

    @mute_logger("odoo.http")
    def test_stock_manager_outside_the_warehouse_group_cannot_release(self):
        picking = self.request.picking_id
        self.assertEqual(picking.state, "assigned")
        self._assert_release_refused(
            "fa_rpc_stock", picking, "AccessError", "after-sales warehouse"
        )
        self.assertEqual(picking.state, "assigned")

    @mute_logger("odoo.http")
    def test_warehouse_cannot_release_before_approval_through_rpc(self):
        request = self.env["forklift.parts.request"].create(
            self._parts_request_vals(self.request.feedback_id, 1, "unqualified")
        )
        request.request_validation()
        # a delivery prepared by hand for the unapproved request
        picking = self._hand_made_delivery(
            request, self.part, self.request.picking_id.picking_type_id
        )
        picking.action_assign()
        self._assert_release_refused(
            "fa_rpc_warehouse", picking, "UserError", "waits for the approval"
        )
        self.assertNotEqual(picking.state, "done")

    def test_warehouse_releases_the_approved_parts_through_rpc(self):
        picking = self.request.picking_id
        body = self._call(
            "fa_rpc_warehouse", "stock.picking", "button_validate", picking.ids
        )
        self.assertNotIn("error", body)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.request.state, "shipped")
        self.assertEqual(self._on_hand(), 3)

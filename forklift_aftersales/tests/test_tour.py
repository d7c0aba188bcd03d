from odoo.tests import HttpCase, new_test_user, tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestForkliftTour(HttpCase, ForkliftCommon):
    def test_feedback_from_intake_to_signed_service_order(self):
        """Staff take a call, verify, dispatch, record the work with a photo
        (R-068); the customer signs on the portal page and the staff register
        the signed order."""
        self.technician.name = "Tour Technician"
        self.start_tour(
            "/odoo/action-forklift_aftersales.forklift_feedback_action",
            "forklift_feedback_intake_to_signature",
            login="fa_director",
            # a long walk through two interfaces: room for a busy machine
            timeout=180,
        )
        case = self.env["forklift.feedback"].search(
            [("title", "=", "Tour: mast drops")]
        )
        self.assertEqual(case.state, "done")
        order = case.service_order_ids
        self.assertEqual(order.state, "registered")
        self.assertEqual(order.signed_by, "Wang Jun")
        self.assertTrue(order.signature)
        self.assertEqual(order.photo_ids.mimetype, "image/png", "R-068")

    def test_count_graph_shows_whole_numbers(self):
        """R-256 (000 §4.1.6): the statistics are read as counts of sheets; a
        graph of a few sheets reads 0, 1 on its axis, not 0.5 or 1.00."""
        self._verified_case(title="Graph: one sheet")
        self.start_tour(
            "/odoo/action-forklift_aftersales.forklift_feedback_action?view_type=graph",
            "forklift_graph_whole_numbers",
            login="fa_director",
        )

    def test_parts_request_approved_by_two_users_and_released(self):
        """Above 2000 the service center applies, both vice presidents approve
        in turn, and only then the warehouse validates the delivery."""
        self.technician.name = "Tour Technician"
        vps = {
            login: new_test_user(
                self.env, login=login, groups=f"forklift_aftersales.{group}"
            )
            for login, group in [
                ("fa_tour_aftersales_vp", "group_forklift_aftersales_vp"),
                ("fa_tour_supply_vp", "group_forklift_supply_vp"),
            ]
        }
        warehouse = self._group_user("fa_tour_warehouse", "group_forklift_warehouse")
        controller = self.env["product.product"].create(
            {"name": "Tour Controller", "is_storable": True, "standard_price": 2400}
        )
        spare_parts = self.env.ref("forklift_aftersales.stock_location_spare_parts")
        self.env["stock.quant"]._update_available_quantity(controller, spare_parts, 3)
        self._verified_case(title="Tour: parts")

        self.start_tour(
            "/odoo/action-forklift_aftersales.forklift_parts_request_action",
            "forklift_parts_request_apply",
            login="fa_staff",
        )
        request = self.env["forklift.parts.request"].search(
            [("feedback_id.title", "=", "Tour: parts")]
        )
        self.assertEqual(request.amount_total, 2400)
        self.assertEqual(request.line_ids.warranty_reason, "unqualified", "R-093")
        self.assertEqual(len(request.review_ids), 2)
        self.assertEqual(request.state, "draft")

        action = "forklift_aftersales.forklift_parts_request_action"
        url = f"/odoo/action-{action}/{request.id}"
        for login in vps:
            self.start_tour(url, "forklift_parts_request_validate", login=login)
        self.assertEqual(request.state, "approved")
        self.assertEqual(set(request.review_ids.mapped("done_by.login")), set(vps))
        self.assertEqual(request.picking_id.state, "assigned")

        self.start_tour(url, "forklift_parts_request_release", login=warehouse.login)
        self.assertEqual(request.picking_id.state, "done")
        self.assertEqual(request.state, "shipped")
        self.assertEqual(
            controller.with_context(location=spare_parts.id).qty_available, 2
        )

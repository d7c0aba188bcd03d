from odoo.tests import HttpCase, tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestForkliftTour(HttpCase, ForkliftCommon):
    def test_case_from_intake_to_signed_service_order(self):
        """Staff take a call, verify, dispatch, record the work; the customer
        signs on the portal page and the staff register the signed order."""
        self.technician.name = "Tour Technician"
        self.start_tour(
            "/odoo/action-forklift_aftersales.forklift_case_action",
            "forklift_case_intake_to_signature",
            login="fa_director",
        )
        case = self.env["forklift.case"].search([("title", "=", "Tour: mast drops")])
        self.assertEqual(case.state, "done")
        order = case.service_order_ids
        self.assertEqual(order.state, "registered")
        self.assertEqual(order.signed_by, "Wang Jun")
        self.assertTrue(order.signature)

from odoo.tests import tagged

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestSupplierDocumentCode(SupplierCommon):
    """R-136 (000 §6.3): the service contact letter and the service order sent
    with it print their document codes at the top of the page body."""

    def test_letter_and_its_service_order_print_their_codes(self):
        self.env.ref(
            "forklift_aftersales_supplier.document_code_contact_letter"
        ).with_user(self.director).code = "MC·JL-03-XS"
        letter = self._letter(send=False)
        reports = self.env["ir.actions.report"]
        html = reports._render_qweb_html(
            "forklift_aftersales_supplier.action_report_forklift_supplier_letter",
            letter.ids,
        )[0].decode()
        page = html[html.index('class="page"') :]
        self.assertIn("MC·JL-03-XS《After-Sales Service Contact Letter》", page)
        self.assertLess(
            page.index("MC·JL-03-XS"), page.index("Service Contact Letter ")
        )
        html = reports._render_qweb_html(
            "forklift_aftersales_supplier."
            "action_report_forklift_supplier_letter_service_order",
            letter.ids,
        )[0].decode()
        self.assertIn("《After-Sales Service Handling Sheet》", html)

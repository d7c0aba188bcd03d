from odoo import models


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    def _create_invoices(self, sale_orders):
        """A down payment is billed without ``sale.order._create_invoices``:
        an order of the after-sales flow is billed by its document only
        (``sale.order._check_forklift_billed_by_flow``)."""
        sale_orders._check_forklift_billed_by_flow()
        return super()._create_invoices(sale_orders)

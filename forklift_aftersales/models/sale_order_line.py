from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import parents_of_new

PART_ORIGINS = [
    ("original", "Original part"),
    ("non_original", "Non-original part (customer's choice)"),
    ("customer", "Supplied by the customer"),
]


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    forklift_part_origin = fields.Selection(
        PART_ORIGINS,
        string="Part Origin",
        default="original",
        help="Parts the customer supplies, or non-original key parts the customer "
        "insists on, carry no quality guarantee (000 第五篇 §4).",
    )

    @api.model
    def _get_forklift_quote_fields(self):
        """What a quote line says to the customer: the part, how many, at
        what price and taxes, and whether it is guaranteed; and how many
        were delivered, which a line invoiced on delivery bills (stock's
        moves set it, not a user)."""
        return {
            "qty_delivered",
            "order_id",
            "product_id",
            "product_template_id",
            "name",
            "product_uom_qty",
            "product_uom_id",
            "price_unit",
            "discount",
            "tax_ids",
            "forklift_part_origin",
        }

    @api.model
    def _get_forklift_consented_fields(self):
        """What a line of a confirmed order of the after-sales flow bills, as
        its customer accepted it (``sale.order._check_forklift_consented_write``):
        Odoo's fields of a locked order, the part's origin (its guarantee), and
        the order it belongs to."""
        return set(self._get_protected_fields()) - {"analytic_distribution"} | {
            "order_id",
            "product_template_id",
            "forklift_part_origin",
        }

    @api.model_create_multi
    def create(self, vals_list):
        # the order of each line as create() will set it, a default included
        orders = parents_of_new(self, vals_list, "order_id")
        orders._check_forklift_quote_editor()
        orders._check_forklift_consented_write()
        lines = super().create(vals_list)
        if any("invoice_lines" in vals for vals in vals_list):
            # the invoice lines named from the new order lines' side, as write
            lines.invoice_lines._check_forklift_billed_order_lines()
        return lines

    def write(self, vals):
        if self._get_forklift_quote_fields() & set(vals):
            self.order_id._check_forklift_quote_editor()
            if vals.get("order_id"):
                self.order_id.browse(vals["order_id"])._check_forklift_quote_editor()
        if self._get_forklift_consented_fields() & set(vals):
            orders = self.order_id
            if vals.get("order_id"):
                orders |= orders.browse(vals["order_id"])
            orders._check_forklift_consented_write()
        result = super().write(vals)
        if "state" in vals:
            self._check_forklift_line_state()
        if "invoice_lines" in vals:
            # the invoice lines named from the order's side
            self.invoice_lines._check_forklift_billed_order_lines()
        return result

    def _check_forklift_line_state(self):
        """A line's status is its order's (a stored copy that invoicing and
        delivery read): on an order of the after-sales flow no user writes
        another on a line, as none writes the order's (``sale.order``'s
        ``_check_forklift_step_write``). A line "confirmed" on a draft sheet
        quote would be invoiced without the customer's consent (000
        §4.3.2.1); one "cancelled" or "draft" on the paid service or the
        old-part sale would no longer be invoiced."""
        if self.env.su:
            return
        apart = self.filtered(lambda line: line.state != line.order_id.state)
        if apart.order_id._get_forklift_flow_orders():
            raise AccessError(
                self.env._(
                    "A line of a feedback sheet's quote or order, or of an "
                    "old-part return's sale, has its order's status: it changes "
                    "with the order's steps only, never written on the line."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_forklift_quote(self):
        self.order_id._check_forklift_quote_editor()
        self.order_id._check_forklift_consented_write()

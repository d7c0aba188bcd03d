from odoo import api, models

# what a line pays or credits, and to whom
FORKLIFT_AMOUNT_FIELDS = frozenset(
    {
        "move_id",
        "partner_id",
        "currency_id",
        "account_id",
        "product_id",
        "quantity",
        "price_unit",
        "discount",
        "tax_ids",
        "balance",
        "debit",
        "credit",
        "amount_currency",
        "date_maturity",
        "product_uom_id",
        "sale_line_ids",
    }
)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if any("sale_line_ids" in vals for vals in vals_list):
            lines._check_forklift_billed_order_lines()
        lines.move_id._check_forklift_flow_moves_as_decided()
        return lines

    def write(self, vals):
        moves = self.move_id
        # the orders the flow's invoices bill, before a line stops naming
        # one: Odoo's form only shows the lines' order lines read-only
        held = (
            set(moves._get_forklift_move_holders())
            if "sale_line_ids" in vals and not self.env.su
            else set()
        )
        res = super().write(vals)
        moves |= self.move_id
        holders = None
        if "sale_line_ids" in vals:
            self._check_forklift_billed_order_lines()
            # the flow's moves as the write leaves them, checked below as well
            holders = list(moves._get_forklift_move_holders())
            # an invoice no longer naming its order would be the flow's no
            # more (cancelled, posted again otherwise), even as a draft
            for record, move in held - set(holders):
                record._check_posted_flow_move(move)
        if FORKLIFT_AMOUNT_FIELDS & set(vals):
            # a line's edit on a posted move, which Odoo refuses only in a
            # locked period: the after-sales record checks its move again
            moves._check_forklift_flow_moves_as_decided(holders)
        return res

    def unlink(self):
        moves = self.move_id
        res = super().unlink()
        moves.exists()._check_forklift_flow_moves_as_decided()
        return res

    def _check_forklift_billed_order_lines(self):
        """A customer invoice's line names the lines of an order it bills as
        "Create Invoice" makes it: on an order of the after-sales flow, one
        of a user's own invoice (created so, linked afterwards, a copy of
        the flow's invoice, a credit note switched to an invoice) would bill
        it as well, and a credit note of his own would count against it, the
        sheet then refusing its own step as already invoiced
        (``sale.order._check_forklift_billed_by_flow``). A credit note
        reversing an invoice still names the lines that invoice billed."""
        if self.env.su:
            return
        # sudo: which orders the customer lines bill, whoever writes them
        lines = self.sudo().filtered(
            lambda line: (
                line.move_id.move_type == "out_invoice"
                or (
                    line.move_id.move_type == "out_refund"
                    and line.sale_line_ids
                    - line.move_id.reversed_entry_id.line_ids.sale_line_ids
                )
            )
        )
        lines.sale_line_ids.order_id.with_env(self.env)._check_forklift_billed_by_flow()

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
    }
)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.move_id._check_forklift_flow_moves_as_decided()
        return lines

    def write(self, vals):
        moves = self.move_id
        res = super().write(vals)
        if FORKLIFT_AMOUNT_FIELDS & set(vals):
            # a line's edit on a posted move, which Odoo refuses only in a
            # locked period: the after-sales record checks its move again
            (moves | self.move_id)._check_forklift_flow_moves_as_decided()
        return res

    def unlink(self):
        moves = self.move_id
        res = super().unlink()
        moves.exists()._check_forklift_flow_moves_as_decided()
        return res

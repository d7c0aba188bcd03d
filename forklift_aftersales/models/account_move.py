from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _get_forklift_move_links(self):
        """The fields of after-sales records naming a move their flow made:
        the bill reimbursing a local purchase, the invoice of an old-part
        return's parts not returned. (An addon adds its own.)"""
        return [
            ("forklift.local.purchase", "bill_id"),
            ("forklift.oldpart.return", "invoice_id"),
        ]

    def _get_forklift_move_holders(self):
        """The moves among these that the after-sales flow made, each with
        the record that decided it, as ``(record, move)`` pairs: a record
        naming it (``_get_forklift_move_links``), or the order of the flow
        it invoices (a sheet's paid service, an old-part return's sale of
        parts not returned); not the credit notes accounting makes against
        them. Both as superuser."""
        # sudo: only which moves the flow made, whoever writes or deletes them
        moves = self.sudo()
        invoices = moves.filtered(lambda move: move.move_type == "out_invoice")
        orders = invoices.line_ids.sale_line_ids.order_id._get_forklift_flow_orders()
        for invoice in invoices:
            for order in invoice.line_ids.sale_line_ids.order_id & orders:
                yield order, invoice
        for model, fname in self._get_forklift_move_links():
            holders = (
                self.env[model].sudo().search_fetch([(fname, "in", moves.ids)], [fname])
            )
            for holder in holders:
                yield holder, holder[fname]

    def _get_forklift_flow_moves(self):
        """Those of these moves the after-sales flow made."""
        flow_ids = {move.id for _record, move in self._get_forklift_move_holders()}
        return self.filtered(lambda move: move.id in flow_ids)

    # what a move pays or credits, to whom: a flow's move is checked again
    # when one of them changes on it posted
    _FORKLIFT_AMOUNT_FIELDS = frozenset(
        {
            "move_type",
            "partner_id",
            "commercial_partner_id",
            "currency_id",
            "company_id",
            "line_ids",
            "invoice_line_ids",
            "invoice_date",
            "invoice_date_due",
            "invoice_payment_term_id",
        }
    )

    def write(self, vals):
        if vals.get("state") == "cancel":
            self._check_forklift_flow_not_cancelled()
        res = super().write(vals)
        if "move_type" in vals:
            # a credit note naming an order's lines, switched to an invoice
            self.line_ids._check_forklift_billed_order_lines()
        if vals.get("state") == "posted" or self._FORKLIFT_AMOUNT_FIELDS & set(vals):
            self._check_forklift_flow_moves_as_decided()
        return res

    def button_cancel(self):
        # before Odoo resets a posted move to draft to cancel it
        self._check_forklift_flow_not_cancelled()
        return super().button_cancel()

    def _check_forklift_flow_not_cancelled(self):
        """A move the after-sales flow made is not cancelled either (Odoo's
        "Cancel", which resets a posted one to draft first): the record that
        names it would stay reimbursed, settled or invoiced for nothing."""
        moves = self._get_forklift_flow_moves()
        if moves:
            raise UserError(
                self.env._(
                    "%s is a bill, invoice or credit note of the after-sales flow: "
                    "it is not cancelled; reverse it with a credit note instead.",
                    moves[0].display_name,
                )
            )

    def _check_forklift_flow_moves_as_decided(self, holders=None):
        """A posted move an after-sales record names says what the record
        decided: each record checks its own (a local purchase's reimbursement
        the approved total, a claim's credit note the amount agreed with its
        supplier, an order's invoice the order). Accounting may reset it to
        draft, as Odoo lets it, and post it again, but not for another
        amount or partner. ``holders``: these moves'
        ``_get_forklift_move_holders``, when the caller has them already."""
        posted = self.filtered(lambda move: move.state == "posted")
        if not posted:
            return
        if holders is None:
            holders = posted._get_forklift_move_holders()
        # the records deciding the moves check them, whoever posts; the
        # billing user may not read them
        for record, move in holders:
            if move in posted:
                record._check_posted_flow_move(move)

    def unlink(self):
        # as an ondelete hook (at_uninstall=False), but before Odoo deletes
        # the move's lines first: they tell the paid service's invoice
        if not self.env.context.get(MODULE_UNINSTALL_FLAG):
            self._unlink_except_forklift_flow()
        return super().unlink()

    def _unlink_except_forklift_flow(self):
        """A move the after-sales flow made is kept: the record that names
        it would stay reimbursed or invoiced with no bill (R-005, R-013).
        Odoo would let a billing user delete a draft one (or one reset to
        draft)."""
        moves = self._get_forklift_flow_moves()
        if moves:
            raise UserError(
                self.env._(
                    "%s is a bill or invoice of the after-sales flow (a local "
                    "purchase's reimbursement, a paid service, an old-part "
                    "return's sale): it is kept, never deleted; reverse it with a "
                    "credit note instead.",
                    moves[0].display_name,
                )
            )

from odoo import models

from ..models.stock_picking import RETURN_MARK


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _create_return(self):
        self._check_forklift_returned_moves()
        # stock's own step: the moves it makes return the moves its lines
        # name (``stock.move._check_forklift_return_link_vals``)
        with RETURN_MARK.running():
            return super()._create_return()

    def _create_exchange(self, return_picking):
        with RETURN_MARK.running():
            return super()._create_exchange(return_picking)

    def _check_forklift_returned_moves(self):
        """A return returns moves of the transfer it returns: a line of the
        wizard naming a move of a warranty parts request's delivery (or of
        an after-sales document's own transfer) from another transfer, or
        from none, is refused (R-005, R-167, R-230)."""
        for wizard in self:
            # sudo: which moves are an after-sales document's, whoever returns
            moves = wizard.sudo().product_return_moves.move_id
            foreign = moves - wizard.sudo().picking_id.move_ids
            if foreign.picking_id._forklift_aftersales_transfers():
                raise self.env["stock.move"]._forklift_return_link_error()

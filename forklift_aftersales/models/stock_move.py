from odoo import api, models
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.constrains("quantity", "state")
    def _check_forklift_approved_quantities(self):
        # what a done move moved changes on a done transfer edited afterwards
        # or a move added to it, by the move or its lines: a request's
        # delivery still ships no more than approved (000 §4.3.1.2, R-005)
        self.filtered(
            lambda m: m.state == "done"
        ).picking_id._check_forklift_approved_quantities()

    def _action_done(self, cancel_backorder=False):
        self._check_forklift_nonwarranty_disposal()
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _check_forklift_nonwarranty_disposal(self):
        """Non-warranty old parts are handed to the service center and never
        disposed of privately (000 §4.3.2.7, R-233): nothing leaves the
        "Non-Warranty Old Parts" location — scrap, transfer, delivery or
        inventory adjustment — but the scrap of a disposal the service-center
        director decided. Checked here, where every stock route ends."""
        location = self.env["stock.location"]._forklift_get_by_xmlid(
            "forklift_aftersales.stock_location_nonwarranty_old_parts",
            raise_if_not_found=False,
        )
        if not location:
            return
        # sudo: where the stock comes from, whoever validates
        for move in self.sudo():
            sources = move.location_id | move.move_line_ids.location_id
            destinations = move.location_dest_id | move.move_line_ids.location_dest_id
            leaves = any(
                source.parent_path.startswith(location.parent_path)
                for source in sources
            ) and any(
                not destination.parent_path.startswith(location.parent_path)
                for destination in destinations
            )
            if leaves and not self.env["forklift.oldpart.disposal"]._is_decided_scrap(
                move.scrap_id
            ):
                raise UserError(
                    self.env._(
                        "%(part)s is a non-warranty old part kept by the service "
                        "center: it leaves %(location)s only by a disposal the "
                        "service-center director decided, never by a scrap, "
                        "transfer or adjustment of one's own.",
                        part=move.product_id.display_name,
                        location=location.display_name,
                    )
                )

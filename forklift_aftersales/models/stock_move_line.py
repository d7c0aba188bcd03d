from odoo import api, models
from odoo.exceptions import AccessError

# what a line reserves or moves, and on which move of which transfer
HELD_STOCK_FIELDS = {
    "location_id",
    "location_dest_id",
    "move_id",
    "picking_id",
    "product_id",
    "lot_id",
    "quantity",
}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_forklift_held_stock_rights()
        return lines

    def write(self, vals):
        if HELD_STOCK_FIELDS & set(vals):
            # taken off the after-sales stock, or put on it
            self._check_forklift_held_stock_rights()
            res = super().write(vals)
            self._check_forklift_held_stock_rights()
            return res
        return super().write(vals)

    def _check_forklift_held_stock_rights(self):
        """Odoo lets every internal user write stock move lines; the lines of
        the after-sales stock (spare parts for warranty, quarantined old
        parts and returned forklifts) are the warehouse's alone: another user
        reserving them would hold back the document that releases them, or
        hand them to a transfer of his choice (000 §4.3.1.2, §4.4; R-005).
        The documents' own steps run on the server (sudo)."""
        if self.env.su or self.env.user.has_group("stock.group_stock_user"):
            return
        held = self.env["stock.location"]._forklift_get_held_locations()
        if not held:
            return
        # sudo: where the lines' stock is, whoever wrote them; a line counts
        # by its own locations and those of its move and transfer (a line
        # joined to a done move of the held stock changes what it moved)
        for line in self.sudo():
            locations = (
                line.location_id
                | line.location_dest_id
                | line.move_id.location_id
                | line.move_id.location_dest_id
                | line.picking_id.location_id
                | line.picking_id.location_dest_id
            )
            if any(location._forklift_is_inside(held) for location in locations):
                raise AccessError(
                    self.env._(
                        "Only the after-sales warehouse reserves or moves the "
                        "spare parts for warranty and the quarantined stock "
                        "(%s).",
                        line.product_id.display_name,
                    )
                )

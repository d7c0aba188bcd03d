from odoo import api, models
from odoo.exceptions import AccessError, UserError

from ..tools import access_answers_first
from .stock_picking import MOVE_STATE_MARK

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
# what a done line has moved: stock moves its quants again on any change of
# these (``quant_id`` brings a quant's location, lot, package and owner; a
# line's state is its move's)
DONE_STOCK_FIELDS = HELD_STOCK_FIELDS | {
    "owner_id",
    "package_id",
    "product_uom_id",
    "quant_id",
    "result_package_id",
    "state",
}
# what an open line reserves and moves, which on an after-sales document's
# own transfer only the after-sales warehouse changes (see
# ``_check_forklift_transfer_edit``)
OPEN_LINE_FIELDS = {
    "location_id",
    "location_dest_id",
    "lot_id",
    "lot_name",
    "owner_id",
    "package_id",
    "product_id",
    "product_uom_id",
    "quant_id",
    "quantity",
    # the package the line is put in (``action_put_in_pack``), in which it
    # reaches its destination
    "result_package_id",
    # the validation moves only what is picked, once any of it is
    "picked",
}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        # a line created on a done move moves the quants within create
        for vals in vals_list:
            self.browse()._check_forklift_done_held_stock(vals)
        self._check_forklift_transfer_additions(vals_list)
        lines = super().create(vals_list)
        lines._check_forklift_held_stock_rights()
        lines._check_forklift_done_held_stock()
        return lines

    def write(self, vals):
        written = set(vals)
        # the checks read the lines' moves and transfers with sudo, and name
        # them: Odoo's access rights answer first a caller who may not write
        # the lines
        with access_answers_first(self, "write"):
            if "state" in written and not self.env.su:
                self._check_forklift_transfer_line_state(vals["state"])
            if "location_dest_id" in written and not self.env.su:
                self._check_forklift_request_delivery_write(vals)
            if HELD_STOCK_FIELDS & written:
                # taken off the after-sales stock, or put on it
                self._check_forklift_held_stock_rights(vals)
            if DONE_STOCK_FIELDS & written:
                # a done line edited moves its quants before the write returns:
                # checked on what it moved and on what it would move
                self._check_forklift_done_held_stock(vals)
            if {"move_id", "picking_id"} & written:
                # an open line of an after-sales document's transfer re-pointed
                self._check_forklift_transfer_change(vals)
            if OPEN_LINE_FIELDS & written:
                # or what it reserves and moves changed
                self._check_forklift_transfer_edit()
        res = super().write(vals)
        if HELD_STOCK_FIELDS & written:
            self._check_forklift_held_stock_rights()
        if DONE_STOCK_FIELDS & written:
            self._check_forklift_done_held_stock()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_forklift_transfer_edit(self):
        # a reserved line deleted leaves its move with less than it reserved,
        # as its quantity written lower would; stock's unreserve and
        # validation delete lines with the mark
        self._check_forklift_transfer_edit()

    @api.model
    def _check_forklift_transfer_additions(self, vals_list):
        """A line is added to an after-sales document's own transfer, by its
        move or its transfer, only as a move is (see
        ``stock.picking._check_forklift_transfer_additions``)."""
        context = self.env.context
        # sudo: which transfers the lines' moves are on, whoever creates
        Move = self.env["stock.move"].sudo()
        picking_ids = []
        for vals in vals_list:
            move_id = vals.get("move_id", context.get("default_move_id"))
            move = Move.browse(move_id if isinstance(move_id, int) else ())
            picking_ids += [
                vals.get("picking_id", context.get("default_picking_id")),
                move.picking_id.id,
            ]
        self.env["stock.picking"]._check_forklift_transfer_additions(picking_ids)

    def _check_forklift_transfer_change(self, vals):
        """A line of an after-sales document's own transfer (a warranty parts
        request's delivery, an old-part receipt, a returned forklift's
        receipt or release) keeps its move, and a line of another move is
        not put on it, but by stock's own steps (``MOVE_STATE_MARK``: its
        reservation, the merge of moves at confirmation, its validation and
        backorder), as for its moves (see ``stock.move``). Odoo lets a stock
        user re-point a line: the delivery's reserved spare parts handed to
        a move of his own, or his own stock, lot or part shipped on the
        request's delivery in their place (R-005, R-010, R-230). A line
        follows its move to a transfer (stock's split of a delivery writes
        the move first), and a line added to a transfer with no move joins a
        move of that transfer, as stock's creation of a line does."""
        if self.env.su or MOVE_STATE_MARK.is_on(self.env):
            return
        # sudo: which transfers the lines and moves are on, whoever writes
        lines = self.sudo()
        new_move = lines.move_id.browse(vals.get("move_id") or ())
        new_picking = lines.picking_id.browse(vals.get("picking_id") or ())
        pickings = lines.picking_id.browse()
        for line in lines:
            old_move, old_picking = line.move_id, line.picking_id
            move = new_move if "move_id" in vals else old_move
            picking = new_picking if "picking_id" in vals else old_picking
            if move == old_move:
                if picking == old_picking or (move and picking == move.picking_id):
                    continue
            elif not old_move and picking == old_picking == move.picking_id:
                continue
            pickings |= old_move.picking_id | old_picking | move.picking_id | picking
        transfers = pickings._forklift_aftersales_transfers()
        if transfers:
            raise transfers[0]._forklift_transfer_links_error()

    def _check_forklift_transfer_edit(self):
        """What an open line of an after-sales document's own transfer
        reserves and moves (``OPEN_LINE_FIELDS``) is changed by stock's own
        steps (``MOVE_STATE_MARK``), the document (sudo) or the after-sales
        warehouse, as a line is added (see
        ``stock.picking._check_forklift_transfer_additions``). Done lines
        are ``_check_forklift_done_held_stock``'s."""
        if self.env.su or MOVE_STATE_MARK.is_on(self.env):
            return
        # sudo: which transfers the open lines are on, whoever writes
        lines = self.sudo().filtered(lambda line: line.state not in ("done", "cancel"))
        self.env["stock.picking"]._check_forklift_transfer_additions(
            (lines.picking_id | lines.move_id.picking_id).ids, edit=True
        )

    def _check_forklift_transfer_line_state(self, state):
        """A line's state is its move's, which stock never writes on the
        line: written on a line of an after-sales document's own transfer
        (``stock.picking._forklift_aftersales_transfers``), whoever writes,
        it would show old parts received or warranty parts shipped in the
        stock's history with nothing moved, or a done line open again (see
        ``stock.move._check_forklift_transfer_move_state``)."""
        # sudo: which transfers the lines are on, whoever writes
        lines = self.sudo().filtered(lambda line: line.state != state)
        transfer = (
            lines.picking_id | lines.move_id.picking_id
        )._forklift_aftersales_transfers()[:1]
        if transfer:
            raise transfer._forklift_transfer_state_error()

    def _check_forklift_request_delivery_write(self, vals):
        """The lines of a warranty parts request's delivery go where the
        request sends it, to its applicant (R-010): their destination is not
        changed."""
        # sudo: which lines are a request's delivery, whoever writes
        for line in self.sudo():
            picking = line.picking_id | line.move_id.picking_id
            if not picking.forklift_parts_request_id:
                continue
            new = line._fields["location_dest_id"].convert_to_cache(
                vals["location_dest_id"], line
            )
            if line.location_dest_id.id != (new or False):
                raise picking[:1]._forklift_request_delivery_error()

    def _forklift_get_own_locations(self):
        """Where the line's stock comes from and goes: its own locations and
        its move's."""
        return (
            self.location_id
            | self.location_dest_id
            | self.move_id.location_id
            | self.move_id.location_dest_id
        )

    def _check_forklift_held_stock_rights(self, vals=None):
        """Odoo lets every internal user write stock move lines; the lines of
        the after-sales stock (spare parts for warranty, quarantined old
        parts and returned forklifts) are the warehouse's alone: another user
        reserving them would hold back the document that releases them, or
        hand them to a transfer of his choice (000 §4.3.1.2, §4.4; R-005).
        The documents' own steps run on the server (sudo). ``vals`` are
        those about to be written; without them, the lines as they are now."""
        if self.env.su or self.env.user.has_group("stock.group_stock_user"):
            return
        held = self.env["stock.location"]._forklift_get_held_locations()
        if not held:
            return
        new_locations = self._forklift_get_vals_locations(vals or {})
        # sudo: where the lines' stock is, whoever wrote them; a line counts
        # by its own locations and those of its move and transfer (a line
        # joined to a done move of the held stock changes what it moved)
        for line in self.sudo():
            locations = (
                new_locations
                | line._forklift_get_own_locations()
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

    def _check_forklift_done_held_stock(self, vals=None):
        """Done stock of the after-sales locations moves only by new validated
        documents (000 §4.3.1.2, §4.3.2.6–7, §4.4; R-005, R-230, R-233).

        Odoo lets a stock user edit done move lines, and moves their quants at
        once, outside the validation that checks the after-sales stock leaves
        only by its documents: a done line whose stock is or was in the held
        locations (the spare parts for warranty, the quarantine, the
        non-warranty old parts), by its own locations or its move's, before
        or after the change, is neither created, re-pointed nor changed,
        whoever calls. ``vals`` are those about to be written (or created,
        on an empty recordset); without them, the lines as they are now.
        The documents' own steps run on the server (sudo)."""
        if self.env.su:
            return
        held = self._forklift_get_done_held_locations()
        if not held:
            return
        vals = vals or {}
        # read once a line is found done (most are not: checked as they are
        # reserved and picked)
        new_locations = None
        # sudo: where the stock of the lines is and goes, whoever writes them
        new_move = self.env["stock.move"].sudo().browse(vals.get("move_id") or ())
        new_picking = (
            self.env["stock.picking"].sudo().browse(vals.get("picking_id") or ())
        )
        # on create, an empty line stands for the one about to be created
        for line in self.sudo() or [self.sudo()]:
            move = new_move if "move_id" in vals else line.move_id
            picking = new_picking if "picking_id" in vals else line.picking_id
            done = (
                line.state == "done"
                or move.state == "done"
                or vals.get("state") == "done"
                # a line added to a done transfer gets a done move of its own
                or (not move and picking.state == "done")
            )
            if not done:
                continue
            if new_locations is None:
                new_locations = self._forklift_get_vals_locations(vals)
            locations = new_locations | line._forklift_get_own_locations()
            if not move:
                locations |= picking.location_id | picking.location_dest_id
            location = next(
                (
                    h
                    for h in held
                    if any(loc._forklift_is_inside(h) for loc in locations)
                ),
                None,
            )
            if location:
                raise UserError(line._forklift_done_held_stock_message(location, vals))

    def _forklift_get_vals_locations(self, vals):
        """The locations ``vals`` would give lines: their own, their quant's,
        and those of their move and transfer."""
        # sudo: where the stock would go, whoever writes the lines
        env = self.sudo().env
        move = env["stock.move"].browse(vals.get("move_id") or ())
        picking = env["stock.picking"].browse(vals.get("picking_id") or ())
        return (
            env["stock.location"].browse(vals.get("location_id") or ())
            | env["stock.location"].browse(vals.get("location_dest_id") or ())
            | env["stock.quant"].browse(vals.get("quant_id") or ()).location_id
            | move.location_id
            | move.location_dest_id
            | picking.location_id
            | picking.location_dest_id
        )

    def _forklift_done_held_stock_message(self, location, vals):
        """Why this done line of ``location`` is not edited."""
        product = self.product_id or self.env["product.product"].sudo().browse(
            vals.get("product_id") or ()
        )
        spare_parts = self.env["stock.location"]._forklift_get_by_xmlid(
            "forklift_aftersales.stock_location_spare_parts", raise_if_not_found=False
        )
        if location == spare_parts:
            return self.env._(
                "%(part)s was moved by a done transfer of %(location)s, which is "
                "not edited afterwards: warranty parts leave only as approved, on "
                "a new validated delivery of an approved request (a stock count "
                "is a new inventory adjustment).",
                part=product.display_name,
                location=location.display_name,
            )
        return self.env._(
            "%(part)s was moved by a done transfer of %(location)s, which is not "
            "edited afterwards: the stock held there moves only by a new "
            "validated transfer of the after-sales document that holds it.",
            part=product.display_name,
            location=location.display_name,
        )

    @api.model
    def _forklift_get_done_held_locations(self):
        """The held locations, and the non-warranty old parts kept by the
        service center wherever they are placed (000 §4.3.2.7)."""
        Location = self.env["stock.location"]
        return (
            Location._forklift_get_held_locations()
            | Location._forklift_get_by_xmlid(
                "forklift_aftersales.stock_location_nonwarranty_old_parts",
                raise_if_not_found=False,
            )
        )

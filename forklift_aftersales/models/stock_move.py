from odoo import api, models
from odoo.exceptions import AccessError, UserError

from ..tools import access_answers_first, readable_name
from .stock_picking import MOVE_STATE_MARK, RELEASE_CHECKED, RETURN_MARK

# what an open move reserves and moves, which on an after-sales document's
# own transfer only the after-sales warehouse changes (see
# ``_check_forklift_transfer_edit``)
OPEN_MOVE_FIELDS = {
    "location_dest_id",
    "location_id",
    "product_id",
    "product_uom",
    "product_uom_qty",
    "quantity",
    # the validation moves only what is picked, once any of it is
    "picked",
}


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.constrains("quantity", "state")
    def _check_forklift_approved_quantities(self):
        # what a done move moved changes on a done transfer edited afterwards
        # or a move added to it, by the move or its lines: a request's
        # delivery still ships no more than approved (000 §4.3.1.2, R-005);
        # but not the moves the validation's button has just checked and is
        # marking done, within its own call
        checked = RELEASE_CHECKED.get()
        self.filtered(
            lambda m: m.state == "done" and m.picking_id.id not in checked
        ).picking_id._check_forklift_approved_quantities()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_forklift_return_link_vals(vals_list)
        self._check_forklift_request_move_create_state(vals_list)
        context = self.env.context
        self.env["stock.picking"]._check_forklift_transfer_additions(
            vals.get("picking_id", context.get("default_picking_id"))
            for vals in vals_list
        )
        moves = super().create(vals_list)
        if not self.env.su:
            # a default in the context or a copied move links a scrap as well
            moves._check_forklift_scrap_link()
        return moves

    def write(self, vals):
        # the checks read the moves' transfers with sudo, and name them:
        # Odoo's access rights answer first a caller who may not write them
        with access_answers_first(self, "write"):
            # a move belongs to a scrap only as the scrap makes it; stock never
            # re-links a move afterwards
            if (
                "scrap_id" in vals
                and not self.env.su
                and any(
                    move.scrap_id.id != (vals["scrap_id"] or False) for move in self
                )
            ):
                raise self._forklift_scrap_link_error()
            if not self.env.su:
                self._check_forklift_request_delivery_write(vals)
                if "picking_id" in vals:
                    self._check_forklift_transfer_change(vals["picking_id"])
                if OPEN_MOVE_FIELDS & set(vals):
                    self._check_forklift_transfer_edit()
            if "origin_returned_move_id" in vals:
                self._check_forklift_return_link_write(vals["origin_returned_move_id"])
            step = False
            if "state" in vals:
                self._check_forklift_request_move_state(vals["state"])
                if vals["state"] == "cancel" and not MOVE_STATE_MARK.is_on(self.env):
                    # cancelling the moves cancels their transfer
                    # sudo: which transfers the open moves are on, whoever writes
                    self.sudo().filtered(
                        lambda m: m.state not in ("done", "cancel")
                    ).picking_id.with_env(self.env)._check_forklift_receipt_cancel()
                self._check_forklift_transfer_move_state(vals["state"])
            elif "product_uom_qty" in vals and not any(
                self._fields[name].type in ("one2many", "many2many")
                for name in vals
                if name in self._fields
            ):
                # stock's own write of a changed demand puts a reserved move back
                # to partially available: its own step, the values written being
                # the user's plain values, none of them reaching another record
                step = True
        if step:
            with MOVE_STATE_MARK.running():
                return super().write(vals)
        return super().write(vals)

    def unlink(self):
        # checked before stock deletes the moves' lines, on the moves as
        # they are
        self._check_forklift_transfer_unlink()
        return super().unlink()

    def _check_forklift_transfer_unlink(self):
        """A move of an after-sales document's own transfer
        (``stock.picking._forklift_aftersales_transfers``) is deleted by
        stock's own steps alone (``MOVE_STATE_MARK``: the merge of moves at
        confirmation, the deletion of a transfer, which
        ``stock.picking.unlink`` guards), by the document (sudo), or, on an
        open receipt or release, by the after-sales warehouse, as it cancels
        one (see ``stock.picking._check_forklift_receipt_cancel``). Odoo lets
        a stock manager delete a move not yet reserved, or cancelled: on a
        request's delivery, which nobody cancels but the request's own
        cancellation, it would ship less than approved and leave the rest
        unshipped with the request marked shipped, the warehouse's deletion
        included (R-005, R-010, R-162); on a receipt of old parts or of a
        returned forklift it would leave what was handed in received nowhere
        (R-230, R-233, R-238)."""
        if self.env.su or MOVE_STATE_MARK.is_on(self.env):
            return
        # Odoo's access rights answer first: what follows names the transfers
        self.check_access("unlink")
        # sudo: which transfers the moves are on, whoever deletes
        transfers = self.sudo().picking_id._forklift_aftersales_transfers()
        delivery = transfers.filtered("forklift_parts_request_id")[:1]
        if delivery:
            raise AccessError(
                self.env._(
                    "%(picking)s is the delivery of %(request)s: its moves are "
                    "deleted by no one, as only after-sales staff cancelling "
                    "the request cancel it.",
                    **delivery._forklift_delivery_names(),
                )
            )
        transfers = transfers._forklift_closed_to_user()
        if transfers:
            raise AccessError(
                self.env._(
                    "%s is the transfer of an after-sales document: only the "
                    "after-sales warehouse deletes a move of it, and only while "
                    "it is open.",
                    readable_name(transfers[0]),
                )
            )

    def _check_forklift_request_move_state(self, state):
        """A move of a request's delivery takes its state from stock's own
        steps alone (``MOVE_STATE_MARK``): its reservation, its validation
        (which checks what the request approved and moves the stock), its
        cancellation (reached through the delivery's guarded
        ``action_cancel`` or stock's validation leaving no backorder). A
        state written on it would ship the parts with no validation, cancel
        the delivery behind the request's back, or reopen what was shipped
        (R-005, R-010, R-162)."""
        if self.env.su or MOVE_STATE_MARK.is_on(self.env):
            return
        # sudo: which moves are a request's delivery, whoever writes
        for move in self.sudo().filtered(
            lambda m: m.state != state and m.picking_id._is_forklift_request_delivery()
        ):
            if state == "cancel" and move.state != "done":
                raise move.picking_id._forklift_request_cancel_error()
            raise self._forklift_request_move_state_error(move.picking_id)

    def _check_forklift_transfer_move_state(self, state):
        """A move of another after-sales document's own transfer (a receipt
        into the quarantine: the old parts accepted, a returned forklift,
        the non-warranty old parts handed in; a returned forklift's release)
        takes its state from stock's own steps (``MOVE_STATE_MARK``: the
        validation the after-sales warehouse runs, the cancellation), from
        the document (sudo) or from the after-sales warehouse. A stock user
        of no after-sales group writing ``done`` on it would show the old
        parts or the forklift received with no validation and nothing
        received; ``assigned`` or ``draft`` would reopen what was received,
        ``cancel`` take it back (000 §4.3.2.5–7, §4.4; R-230, R-233, R-238).
        A request's delivery is ``_check_forklift_request_move_state``'s,
        the warehouse's writes included."""
        if (
            MOVE_STATE_MARK.is_on(self.env)
            or self.env["stock.picking"]._forklift_by_warehouse()
        ):
            return
        # sudo: which transfers the moves are on, whoever writes
        moves = self.sudo().filtered(lambda m: m.state != state)
        transfer = moves.picking_id._forklift_aftersales_transfers()[:1]
        if transfer:
            raise transfer._forklift_transfer_state_error()

    @api.model
    def _check_forklift_request_move_create_state(self, vals_list):
        """A move added to a request's delivery starts in draft, or in the
        delivery's own state, as stock adds one for a line added to the
        delivery (``stock.move.line._prepare_stock_move_vals``): a move
        created done on the open delivery would count as shipped with no
        validation and no stock moved (see
        ``_check_forklift_request_move_state``); a default in the context
        neither."""
        if self.env.su or MOVE_STATE_MARK.is_on(self.env):
            return
        context = self.env.context
        # sudo: which transfers are a request's delivery, whoever creates
        Picking = self.env["stock.picking"].sudo()
        for vals in vals_list:
            state = vals.get("state", context.get("default_state")) or "draft"
            picking_id = vals.get("picking_id", context.get("default_picking_id"))
            picking = Picking.browse(picking_id if isinstance(picking_id, int) else ())
            if (
                state not in ("draft", picking.state)
                and picking._is_forklift_request_delivery()
            ):
                raise self._forklift_request_move_state_error(picking)

    def _forklift_request_move_state_error(self, picking):
        """The refusal of a state written on a move of ``picking``, a
        request's delivery (read with sudo)."""
        return AccessError(
            self.env._(
                "%(picking)s is the delivery of %(request)s: its moves are "
                "reserved, validated or cancelled by stock's own steps, never "
                "by writing their state.",
                **picking._forklift_delivery_names(),
            )
        )

    # stock's own steps that write the state of moves (see
    # ``_check_forklift_request_move_state``), run with the mark on while
    # their code runs; what they return goes back without it

    def _action_confirm(self, merge=True, merge_into=False, create_proc=True):
        with MOVE_STATE_MARK.running():
            return super()._action_confirm(
                merge=merge, merge_into=merge_into, create_proc=create_proc
            )

    def _action_assign(self, force_qty=False):
        with MOVE_STATE_MARK.running():
            return super()._action_assign(force_qty=force_qty)

    def _action_cancel(self):
        with MOVE_STATE_MARK.running():
            return super()._action_cancel()

    def _recompute_state(self):
        with MOVE_STATE_MARK.running():
            return super()._recompute_state()

    def _do_unreserve(self):
        # stock's unreserve deletes the moves' reserved lines
        # (``stock.move.line._unlink_except_forklift_transfer_edit``)
        with MOVE_STATE_MARK.running():
            return super()._do_unreserve()

    def _check_forklift_return_link_vals(self, vals_list):
        """A move returns a move of a warranty parts request's delivery (or of
        an after-sales document's own transfer, out of the quarantine or
        its receipt into it), or is one of their moves returning another,
        only as stock's return wizard makes it, or as stock splits such a
        return for its backorder (a copy of a move of the same transfer,
        part and returned move): a move of one's own claimed to return the
        delivery would take off what it shipped, and let it ship more than
        approved with no old part expected back (R-005, R-010, R-167,
        R-230); claimed to return a receipt, it would show the old parts or
        the returned forklift received there gone back (R-014, R-230,
        R-233, R-236, R-238)."""
        if self.env.su or RETURN_MARK.is_on(self.env):
            return
        context = self.env.context
        # sudo: which moves are an after-sales document's, whoever creates
        Move = self.sudo()
        Picking = Move.env["stock.picking"]
        for vals in vals_list:
            origin_id = vals.get(
                "origin_returned_move_id",
                context.get("default_origin_returned_move_id"),
            )
            origin = Move.browse(origin_id if isinstance(origin_id, int) else ())
            if not origin:
                continue
            picking_id = vals.get("picking_id", context.get("default_picking_id"))
            picking = Picking.browse(picking_id if isinstance(picking_id, int) else ())
            if not (origin.picking_id | picking)._forklift_aftersales_transfers():
                continue
            product_id = vals.get("product_id", context.get("default_product_id"))
            if not picking.move_ids.filtered(
                lambda m, o=origin, p=product_id: (
                    m.origin_returned_move_id == o and m.product_id.id == p
                )
            ):
                raise self._forklift_return_link_error()

    def _check_forklift_return_link_write(self, value):
        """The returned move of a move is not changed on a move of a warranty
        parts request's delivery or of an after-sales document's own
        transfer, nor to or from one of their moves, but by stock's return
        wizard (see ``_check_forklift_return_link_vals``)."""
        if self.env.su or RETURN_MARK.is_on(self.env):
            return
        # sudo: which moves are an after-sales document's, whoever writes
        moves = self.sudo()
        new = moves.browse(value if isinstance(value, int) else ())
        changed = moves.filtered(lambda m: m.origin_returned_move_id != new)
        if not changed:
            return
        if (
            changed | changed.origin_returned_move_id | new
        ).picking_id._forklift_aftersales_transfers():
            raise self._forklift_return_link_error()

    def _forklift_return_link_error(self):
        return AccessError(
            self.env._(
                "A stock move returns a move of a warranty parts request's "
                "delivery or of an after-sales document's transfer only when "
                "stock's return wizard makes it."
            )
        )

    def _check_forklift_request_delivery_write(self, vals):
        """The moves of a warranty parts request's delivery go where the
        request sends them, to its applicant (R-010): their destination and
        recipient are not changed (``stock.picking.write`` guards the
        delivery's own)."""
        names = {"location_dest_id", "partner_id"} & set(vals)
        if not names:
            return
        # sudo: which moves are a request's delivery, whoever writes
        for move in self.sudo().filtered("picking_id.forklift_parts_request_id"):
            for name in names:
                new = move._fields[name].convert_to_cache(vals[name], move)
                if move[name].id != (new or False):
                    raise move.picking_id._forklift_request_delivery_error()

    def _check_forklift_transfer_change(self, value):
        """A move is put on an after-sales document's own transfer (a
        warranty parts request's delivery or its backorders, an old-part
        receipt, a returned forklift's receipt or release), or taken off it,
        by stock's own steps alone (``MOVE_STATE_MARK``): the confirmation
        assigning a move its transfer, the validation moving the rest to the
        backorder; or, as stock's split of a request's delivery does, an open
        move of it moved to its own backorder. A move of one's own put on the
        request's delivery, done, would count as shipped with no validation
        (and its old parts due back); put on a returned forklift's release,
        the one transfer that takes stock out of the quarantine, and
        validated there, it would take quarantined old parts away; a move
        taken off would hide a shipment, leave the approved parts unshipped
        or the receipt of old parts blank (R-005, R-010, R-167, R-230,
        R-238, R-241)."""
        if MOVE_STATE_MARK.is_on(self.env):
            return
        # sudo: which transfers are an after-sales document's, whoever writes
        pickings = self.env["stock.picking"].sudo()
        for move in self.sudo():
            new = pickings.browse(
                move._fields["picking_id"].convert_to_cache(value, move) or ()
            )
            old = move.picking_id
            if new == old or (
                move.state not in ("done", "cancel")
                and old.forklift_parts_request_id
                and new.backorder_id == old
                and new.forklift_parts_request_id == old.forklift_parts_request_id
            ):
                continue
            pickings |= old | new
        transfers = pickings._forklift_aftersales_transfers()
        if transfers:
            raise transfers[0]._forklift_transfer_links_error()

    def _check_forklift_transfer_edit(self):
        """What an open move of an after-sales document's own transfer
        reserves and moves (``OPEN_MOVE_FIELDS``: its part, demand, quantity,
        source and destination) is changed by stock's own steps
        (``MOVE_STATE_MARK``), the document (sudo) or the after-sales
        warehouse, as a move is added (see
        ``stock.picking._check_forklift_transfer_additions``)."""
        if MOVE_STATE_MARK.is_on(self.env):
            return
        # sudo: which transfers the open moves are on, whoever writes
        moves = self.sudo().filtered(lambda m: m.state not in ("done", "cancel"))
        self.env["stock.picking"]._check_forklift_transfer_additions(
            moves.picking_id.ids, edit=True
        )

    def _check_forklift_scrap_link(self):
        """A move is a scrap's only when the scrap makes it: its validation
        (``stock.scrap.do_scrap``, as the user who scraps) creates its one
        move while the scrap is not done yet. A move of one's own linked to
        a scrap, at its creation or by copying a scrap's move, would pass
        for the scrap of a disposal the service-center director decided
        (000 §4.3.2.7, R-233)."""
        # sudo: the scrap and its moves, whoever creates the move
        for move in self.sudo().filtered("scrap_id"):
            scrap = move.scrap_id
            if scrap.state == "done" or scrap.move_ids != move:
                raise self._forklift_scrap_link_error()

    def _forklift_scrap_link_error(self):
        return AccessError(
            self.env._(
                "A stock move belongs to a scrap only when the scrap's own "
                "validation makes it."
            )
        )

    def _action_done(self, cancel_backorder=False):
        # the checks and stock's validation read them one by one otherwise
        self.env["stock.location"]._forklift_prefetch_watched()
        self._check_forklift_nonwarranty_disposal()
        self._check_forklift_held_stock()
        with MOVE_STATE_MARK.running():
            return super()._action_done(cancel_backorder=cancel_backorder)

    def _check_forklift_held_stock(self):
        """The after-sales stock leaves only by the documents that hold it,
        checked on each move and each of its lines, whatever transfer, type
        or route carries them (000 §4.3.1.2, §4.3.2.5–7, §4.4; R-005, R-230,
        R-233, R-241):

        - quarantined old parts and returned forklifts are taken only by a
          move from the quarantine itself, never by a line reserved on a
          move drawing on other stock, nor by a sale; and that move is the
          transfer the holding document made for itself (a returned
          forklift's release after QA's re-inspection) or the scrap of a
          disposal the service-center director decided — not a transfer,
          delivery or scrap of one's own, not even within the quarantine,
          which would take the stock from the document holding it;
        - the spare parts for warranty leave only on the delivery of an
          approved warranty parts request (or its backorders).

        For both, a stock count (inventory adjustment) is the after-sales
        warehouse's own; the non-warranty old parts in the quarantine are not counted
        away either (``_check_forklift_nonwarranty_disposal``).
        """
        Location = self.env["stock.location"]
        spare_parts = Location._forklift_get_by_xmlid(
            "forklift_aftersales.stock_location_spare_parts", raise_if_not_found=False
        )
        quarantine = Location._forklift_get_by_xmlid(
            "forklift_aftersales.stock_location_quarantine", raise_if_not_found=False
        )
        by_warehouse = self.env["stock.picking"]._forklift_by_warehouse()
        # sudo: where the stock comes from and goes, whoever validates
        for move in self.sudo():
            counted = move._forklift_is_counted_away()
            if counted and not by_warehouse:
                move._check_forklift_counted_by_warehouse(spare_parts | quarantine)
            sources = move.location_id | move.move_line_ids.location_id
            if quarantine and any(s._forklift_is_inside(quarantine) for s in sources):
                if (
                    not move.location_id._forklift_is_inside(quarantine)
                    or move.sale_line_id
                ):
                    raise UserError(
                        self.env._(
                            "%(part)s is held in %(location)s: no sale and no "
                            "transfer drawing on other stock takes it; it leaves "
                            "only by the after-sales document that holds it.",
                            part=move.product_id.display_name,
                            location=quarantine.display_name,
                        )
                    )
                if not (
                    move.picking_id.forklift_document_transfer
                    or counted
                    or move._forklift_is_decided_disposal()
                ):
                    raise UserError(
                        self.env._(
                            "%(part)s is held in %(location)s: it leaves only by "
                            "the after-sales document that holds it (a returned "
                            "forklift's release after QA's re-inspection, a "
                            "disposal the service-center director decided), not "
                            "by a transfer, delivery or scrap of one's own (a "
                            "stock count is an inventory adjustment).",
                            part=move.product_id.display_name,
                            location=quarantine.display_name,
                        )
                    )
            if not spare_parts or counted:
                continue
            picking = move.picking_id
            request = picking.forklift_parts_request_id
            if move._forklift_leaves(spare_parts) and not (
                request.state in ("approved", "shipped")
                and picking._is_forklift_request_delivery()
            ):
                raise UserError(
                    self.env._(
                        "%(part)s is in %(location)s: it leaves only on the delivery "
                        "of an approved warranty parts request, not by another "
                        "transfer or a scrap (a stock count is an inventory "
                        "adjustment).",
                        part=move.product_id.display_name,
                        location=spare_parts.display_name,
                    )
                )

    def _check_forklift_counted_by_warehouse(self, held):
        """A stock count taking stock out of the after-sales stock (``held``:
        the spare parts for warranty, the quarantine) is the after-sales
        warehouse's own (000 §4.3.1.2, §4.3.2.5–6; R-005, R-230): a stock
        manager of no after-sales group counting it down would make the
        spare parts approved for a request, or the old parts a document
        holds for inspection, vanish with no document."""
        self.ensure_one()
        location = next((h for h in held if self._forklift_leaves(h)), None)
        if location:
            raise UserError(
                self.env._(
                    "%(part)s is held in %(location)s for the after-sales "
                    "documents: only the after-sales warehouse counts it down "
                    "(an inventory adjustment).",
                    part=self.product_id.display_name,
                    location=location.display_name,
                )
            )

    def _forklift_is_decided_disposal(self):
        """Whether this move is the scrap of a disposal the service-center
        director decided (000 §4.3.2.7, R-233): the one move that scrap's
        own validation makes, as it runs, of the scrap's part and quantity,
        from the non-warranty old parts to the scrap location, on no
        transfer, its lines too. A move of one's own linked to that scrap
        (or the scrap itself rewritten afterwards) is not one."""
        self.ensure_one()
        # sudo: the scrap and the decision, whoever scraps
        move = self.sudo()
        scrap = move.scrap_id
        if not self.env["forklift.oldpart.disposal"]._is_decided_scrap(scrap):
            return False
        source = self.env["forklift.oldpart.disposal"]._get_location()
        destination = scrap.scrap_location_id
        unit = move.product_id.uom_id
        return bool(
            scrap.state != "done"
            and scrap.move_ids == move
            and not move.picking_id
            and move.product_id == scrap.product_id
            and move.location_id == source == scrap.location_id
            and move.location_dest_id == destination
            and all(
                line.location_id == source and line.location_dest_id == destination
                for line in move.move_line_ids
            )
            and all(
                unit.compare(
                    move.product_uom._compute_quantity(quantity, unit),
                    scrap.product_uom_id._compute_quantity(scrap.scrap_qty, unit),
                )
                == 0
                for quantity in (move.product_uom_qty, move.quantity)
            )
        )

    def _forklift_is_counted_away(self):
        """Whether this move is a stock count taking stock away: an inventory
        adjustment moves it to the inventory loss and nowhere else. A move of
        one's own flagged as a count, to another location, is not one."""
        self.ensure_one()
        destinations = self.location_dest_id | self.move_line_ids.location_dest_id
        return self.is_inventory and all(d.usage == "inventory" for d in destinations)

    def _forklift_leaves(self, location):
        """Whether this move takes stock out of ``location`` (or a child of
        it), by its own locations or by those of its lines."""
        self.ensure_one()
        sources = self.location_id | self.move_line_ids.location_id
        destinations = self.location_dest_id | self.move_line_ids.location_dest_id
        return any(s._forklift_is_inside(location) for s in sources) and any(
            not d._forklift_is_inside(location) for d in destinations
        )

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
            if (
                move._forklift_leaves(location)
                and not move._forklift_is_decided_disposal()
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

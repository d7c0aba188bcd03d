import contextvars
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import (
    ServerMark,
    StepMark,
    access_answers_first,
    names_for_caller,
    prefetch_readable,
    readable_name,
    release_environments,
)
from .forklift_document_fields import stamped

# The transfers whose release ``button_validate`` has checked and is now
# validating, while it runs, in its thread: stock's ``_action_done`` of them
# within it does not make the same checks again. No client reaches a context
# variable of the server.
RELEASE_CHECKED = contextvars.ContextVar(
    "forklift_release_checked", default=frozenset()
)
# the keys stock's validation puts in the context, for its own wizards
VALIDATION_CONTEXT_KEYS = (
    "button_validate_picking_ids",
    "cancel_backorder",
    "skip_backorder",
    "picking_ids_not_to_backorder",
    "skip_sanity_check",
)
# The value ``_prepare_forklift_transfer_vals`` gives the mark of a document's
# own transfer out of the quarantine. A client's values (JSON-RPC, an import,
# a default in the context) never hold this very object: ``create()`` takes
# the mark from it alone.
DOCUMENT_TRANSFER_MARK = ServerMark("forklift_document_transfer")
# The value ``_prepare_forklift_transfer_vals`` gives the mark of every
# transfer an after-sales document makes (a receipt into the quarantine, a
# release out of it), taken from the server's values alone as the one above:
# the transfer stays the document's own when the document no longer names
# it (a receipt of old parts the warehouse cancelled, handed in again).
DOCUMENT_MADE_MARK = ServerMark("forklift_document_made")
DOCUMENT_MARKS = (DOCUMENT_TRANSFER_MARK, DOCUMENT_MADE_MARK)
# Set around stock's own backorder step (``_create_backorder_picking``, run
# as the user who validates): the copy it makes of a warranty parts
# request's delivery is the rest of that delivery, and keeps its request.
BACKORDER_MARK = StepMark("forklift_request_backorder")
# Set by a warranty parts request's own cancellation (after-sales staff,
# ``forklift.parts.request.action_cancel``) around the cancellation of its
# delivery, run as that user: no other caller cancels it.
REQUEST_CANCEL_MARK = StepMark("forklift_request_cancel")
# Set around stock's return wizard as it creates a return (run as the user
# who returns): the moves it makes return the moves its lines name.
RETURN_MARK = StepMark("forklift_stock_return")
# Set around stock's own steps that write the state of moves, run as the
# user who acts (``stock.move._action_confirm``, ``_action_assign``,
# ``_action_done``, ``_action_cancel``, ``_recompute_state``, and its write
# of a changed demand): a move of a request's delivery takes its state from
# those steps, which its delivery's validation and cancellation guard, never
# from a write of its own.
MOVE_STATE_MARK = StepMark("forklift_move_state")
# The after-sales documents' own receipts into the quarantine, by the model
# and field that hold each: the old parts accepted, the returned
# forklift, the non-warranty old parts handed in.
AFTERSALES_RECEIPT_FIELDS = (
    ("forklift.oldpart.return", "picking_id"),
    ("forklift.vehicle.return", "picking_id"),
    ("forklift.service.order", "oldpart_picking_id"),
)


# What a warranty parts request's delivery keeps as the request made it:
# where the parts go, and to whom.
REQUEST_DELIVERY_FIELDS = ("location_dest_id", "partner_id")


class StockPicking(models.Model):
    _inherit = "stock.picking"

    forklift_parts_request_id = fields.Many2one(
        "forklift.parts.request",
        string="Warranty Parts Request",
        readonly=True,
        index=True,
    )
    forklift_carrier = fields.Char(
        string="Carrier",
        help="Who carries the warranty parts to the dealer or technician; shown "
        "to the dealer on the portal.",
    )
    forklift_waybill = fields.Char(
        string="Waybill Number",
        help="The carrier's waybill number, for the dealer to follow the parts.",
    )
    forklift_document_transfer = stamped(
        fields.Boolean,
        string="After-Sales Document's Release",
        help="Made and validated by the after-sales document that holds the "
        "stock (a returned forklift released after QA's re-inspection): the "
        "one kind of transfer that takes stock out of the quarantine.",
    )
    forklift_document_made = stamped(
        fields.Boolean,
        string="Made by an After-Sales Document",
        help="Made by an after-sales document (a receipt of old parts or of a "
        "returned forklift, a release): kept as its record once done or "
        "cancelled, even when the document no longer names it.",
    )

    @api.model
    def _prepare_forklift_transfer_vals(
        self, picking_type, partner, source, destination, origin, quantities
    ):
        """The values of a transfer of an after-sales document from ``source``
        to ``destination``: one move per ``(product, quantity)`` of
        ``quantities``, in the product's unit. A transfer out of the
        quarantine is marked as the document's own: the document validates
        it at once, and no other transfer takes the stock held there."""
        vals = {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": origin,
            "move_ids": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "product_uom": product.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
                for product, quantity in quantities
            ],
            "forklift_document_made": DOCUMENT_MADE_MARK,
        }
        quarantine = self.env["stock.location"]._forklift_get_by_xmlid(
            "forklift_aftersales.stock_location_quarantine", raise_if_not_found=False
        )
        if quarantine and source._forklift_is_inside(quarantine):
            vals["forklift_document_transfer"] = DOCUMENT_TRANSFER_MARK
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        # the marks of a document's own transfer come from the server's values
        # alone: any other value is refused, a default in the context ignored
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            for server_mark in DOCUMENT_MARKS:
                mark = vals.get(server_mark.key)
                if mark is not server_mark and mark:
                    raise self._forklift_document_transfer_error()
                vals[server_mark.key] = mark is server_mark
            # nor does a default in the context link a transfer to a request
            vals.setdefault("forklift_parts_request_id", False)
        self._check_forklift_request_link(vals_list)
        return super().create(vals_list)

    def _compute_state(self):
        """Stock's state, without its search of the moves of a transfer known
        to have none: a transfer just created, whose moves are created on it
        after (a warranty parts request's delivery, ``_create_picking``), is a
        draft, as stock computes one with no move. Stock reads that state as
        it dates the new transfer and as it creates each move on it; once the
        moves are there, the state is computed from them again."""
        # the moves the ORM holds for each transfer, kept in step with every
        # move created or moved onto it; a transfer not read yet is searched
        moveless = self.filtered(
            lambda p: p.id and "move_ids" in p._cache and not p._cache["move_ids"]
        )
        moveless.state = "draft"
        others = self - moveless
        return super(StockPicking, others)._compute_state() if others else None

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        backorder_step = BACKORDER_MARK.is_on(self.env)
        for picking, vals in zip(self, vals_list, strict=True):
            if backorder_step and picking.forklift_document_made:
                # the rest of a document's transfer (old parts handed in,
                # received partly) stays the document's own record
                vals["forklift_document_made"] = DOCUMENT_MADE_MARK
            if not picking.forklift_parts_request_id:
                continue
            if backorder_step:
                # the rest of the delivery goes where the delivery goes (the
                # destination is computed, and not copied)
                vals.setdefault("location_dest_id", picking.location_dest_id.id)
            elif "forklift_parts_request_id" not in (default or {}):
                # a copy (or a return) of a request's delivery is a transfer
                # of one's own, not the request's
                vals["forklift_parts_request_id"] = False
        return vals_list

    def write(self, vals):
        # the checks read the transfers with sudo, and name them: Odoo's
        # access rights answer first a caller who may not write them
        with access_answers_first(self, "write"):
            if any(
                picking[mark.key] != bool(vals[mark.key])
                for mark in DOCUMENT_MARKS
                if mark.key in vals
                for picking in self
            ):
                raise self._forklift_document_transfer_error()
            # the link to a request is set by the request's own release (server
            # code); a user re-pointing a transfer at a request is refused
            if "forklift_parts_request_id" in vals and not self.env.su:
                if any(
                    picking.forklift_parts_request_id.id
                    != (vals["forklift_parts_request_id"] or False)
                    for picking in self
                ):
                    raise self._forklift_request_link_error()
            if "state" in vals and not self.env.su:
                # stock computes a transfer's state from its moves: a user writing
                # it would show a request's open delivery cancelled or done with
                # its moves still open
                self._check_forklift_request_cancel()
                self._check_forklift_transfer_state(vals["state"])
            if "backorder_id" in vals and not self.env.su:
                # sudo: which transfers are a request's, whoever writes
                backorder = self.sudo().browse(vals["backorder_id"] or ())
                if any(
                    picking.backorder_id != backorder
                    and (
                        picking.forklift_parts_request_id
                        or picking.backorder_id.forklift_parts_request_id
                        or backorder.forklift_parts_request_id
                    )
                    for picking in self.sudo()
                ):
                    raise self._forklift_request_backorder_error()
            deliveries = self.browse()
            if not self.env.su:
                # sudo: which transfers are a request's, whoever writes
                deliveries = self.sudo().filtered("forklift_parts_request_id")
            before = {
                picking: [picking[name] for name in REQUEST_DELIVERY_FIELDS]
                for picking in deliveries
            }
            for picking in deliveries:
                for name in set(REQUEST_DELIVERY_FIELDS) & set(vals):
                    new = picking._fields[name].convert_to_cache(vals[name], picking)
                    if picking[name].id != (new or False):
                        raise picking._forklift_request_delivery_error()
        res = super().write(vals)
        # the operation type or the recipient recompute the destination
        for picking in deliveries:
            if [picking[name] for name in REQUEST_DELIVERY_FIELDS] != before[picking]:
                raise picking._forklift_request_delivery_error()
        return res

    @api.model
    def _check_forklift_request_link(self, vals_list):
        """A transfer is a warranty parts request's only as the request's
        approval makes its delivery (server code), or as stock's validation
        makes the backorder of that delivery, which keeps its request
        (R-005, R-010): a user's own transfer is neither linked to a
        request nor made a backorder of a request's transfer, whatever he
        sends; a default in the context neither."""
        if self.env.su:
            return
        backorder_step = BACKORDER_MARK.is_on(self.env)
        # sudo: which transfers are a request's, whoever creates
        Picking = self.sudo()
        for vals in vals_list:
            origin_id = vals.get(
                "backorder_id", self.env.context.get("default_backorder_id")
            )
            origin = Picking.browse(origin_id if isinstance(origin_id, int) else ())
            request_id = vals.get("forklift_parts_request_id") or False
            if backorder_step and origin:
                # stock's backorder keeps the request of what it continues
                if request_id != origin.forklift_parts_request_id.id:
                    raise self._forklift_request_link_error()
                continue
            if request_id:
                raise self._forklift_request_link_error()
            if origin.forklift_parts_request_id:
                raise self._forklift_request_backorder_error()

    def _create_backorder_picking(self):
        # stock's own step: the backorder of a request's delivery is the
        # rest of that delivery (see ``_check_forklift_request_link``)
        with BACKORDER_MARK.running():
            return super()._create_backorder_picking()

    def action_cancel(self):
        # Odoo's access rights answer first (the cancellation writes the
        # transfer): the checks read it with sudo, and name it
        self.check_access("write")
        self._check_forklift_request_cancel()
        self._check_forklift_receipt_cancel()
        return super().action_cancel()

    def unlink(self):
        # stock cancels the moves of a transfer before it deletes it: an
        # open after-sales receipt, or a request's open delivery (no more
        # deleted than cancelled), is checked while it is still open; a done
        # or cancelled after-sales transfer is the document's record, kept
        self.check_access("unlink")
        self._check_forklift_request_cancel()
        self._check_forklift_receipt_cancel()
        self._check_forklift_transfer_unlink()
        # stock's deletion of the transfer, checked above, deletes its moves
        # (``stock.move._check_forklift_transfer_unlink``)
        with MOVE_STATE_MARK.running():
            return super().unlink()

    def do_unreserve(self):
        self._check_forklift_unreserve()
        return super().do_unreserve()

    def _check_forklift_unreserve(self):
        """What an after-sales document's own transfer
        (``_forklift_aftersales_transfers``) reserves is taken off by the
        after-sales warehouse that ships or receives it, or by stock's own
        steps, as what its moves reserve is changed (see
        ``_check_forklift_transfer_additions``). A stock user or stock
        manager of no after-sales group unreserving a request's delivery
        would free the spare parts approved for it, an urgent request's
        taken before other demands, for any other transfer, the request
        left waiting (000 §4.3.1.2, 004 §4.6.1; R-005, R-010). He still
        checks its availability, as stock's own reservation does."""
        transfer = self._forklift_outsiders_transfer()
        if transfer:
            raise AccessError(
                self.env._(
                    "%s is the transfer of an after-sales document: only the "
                    "after-sales warehouse unreserves it.",
                    readable_name(transfer),
                )
            )

    def action_split_transfer(self):
        self._check_forklift_split()
        return super().action_split_transfer()

    def _check_forklift_split(self):
        """An after-sales document's own transfer
        (``_forklift_aftersales_transfers``) is split into another, its open
        moves' rest moved there, by the after-sales warehouse that ships or
        receives it, as it unreserves one (``_check_forklift_unreserve``).
        A stock user or stock manager of no after-sales group splitting a
        request's delivery, or the receipt of old parts handed in, would
        reshape behind the warehouse's back what it ships to the applicant
        or receives into the service center's keeping (000 §4.3.1.2,
        §4.3.2.7; R-005, R-010, R-233); stock's own steps would refuse him
        only halfway through, on the moves he may not change."""
        transfer = self._forklift_outsiders_transfer()
        if transfer:
            raise AccessError(
                self.env._(
                    "%s is the transfer of an after-sales document: only the "
                    "after-sales warehouse splits it into another transfer.",
                    readable_name(transfer),
                )
            )

    def _forklift_outsiders_transfer(self):
        """The first of these transfers that is an after-sales document's own,
        when the caller is not the after-sales warehouse (nor server code):
        the one a step of that warehouse's, taken by such a caller, is
        refused on (none otherwise), read with sudo."""
        if self._forklift_by_warehouse():
            return self.browse()
        # sudo: which transfers are an after-sales document's, whoever acts
        return self.sudo()._forklift_aftersales_transfers()[:1]

    def _check_forklift_receipt_cancel(self):
        """The receipt of the old parts a service order handed in outside
        the warranty waits for the after-sales warehouse, which receives the
        parts into the service center's keeping (000 §4.3.2.7, R-233,
        R-053); an after-sales document's receipt is no other user's to
        cancel or delete while open, nor its moves': cancelled by a stock
        user of no after-sales group, the parts would be received nowhere,
        free to be disposed of privately. The after-sales warehouse cancels
        one handed in wrongly, and the parts are handed in again."""
        if self._forklift_by_warehouse():
            return
        receipt = self._forklift_open_receipts()[:1]
        if receipt:
            raise receipt._forklift_receipt_cancel_error()

    def _check_forklift_transfer_unlink(self):
        """An after-sales document's own transfer
        (``_forklift_aftersales_transfers``) is its record of what was
        shipped, received or cancelled: a warranty parts request names the
        delivery it approved (its backorders name the request), an old-part
        return, a service order's hand-in and a returned forklift name their
        receipt and release (000 §4.2.2.3, §4.3.2.5–7, §4.4; R-010, R-162,
        R-230, R-233, R-238); a receipt the warehouse cancelled, the parts
        handed in again, is still the order's record of it. Odoo lets a stock
        manager delete a cancelled transfer: the document's link would be
        emptied and its record lost.
        Done or cancelled, such a transfer is deleted by the document's own
        code alone (sudo); open, a request's delivery is deleted by no one
        (``_check_forklift_request_cancel``), a receipt by the after-sales
        warehouse alone, as it cancels one (``_check_forklift_receipt_cancel``)."""
        if self.env.su:
            return
        # sudo: which transfers are an after-sales document's, whoever deletes
        transfers = self.sudo()._forklift_aftersales_transfers()
        transfers = transfers._forklift_closed_to_user()
        if transfers:
            raise AccessError(
                self.env._(
                    "%s is the transfer of an after-sales document, which keeps "
                    "it as its record of what was shipped, received or "
                    "cancelled: it is not deleted once done or cancelled, and "
                    "only the after-sales warehouse deletes it while it is open.",
                    readable_name(transfers[0]),
                )
            )

    def _forklift_by_warehouse(self):
        """Whether the caller handles after-sales transfers as the one who
        receives and ships them: the after-sales warehouse, or server code
        (sudo)."""
        return self.env.su or self.env.user.has_group(
            "forklift_aftersales.group_forklift_warehouse"
        )

    def _forklift_closed_to_user(self):
        """Those of these transfers the user may not change: all of them, but
        for the after-sales warehouse, which changes (adds to, deletes from,
        deletes) an open one it validates, the done and cancelled ones. Read
        on transfers the caller reads with sudo: the user's group decides."""
        if self.env.user.has_group("forklift_aftersales.group_forklift_warehouse"):
            return self.filtered(lambda p: p.state in ("done", "cancel"))
        return self

    def _forklift_open_receipts(self):
        """Those of these transfers that are an after-sales document's open
        receipt into the quarantine (``AFTERSALES_RECEIPT_FIELDS``)."""
        # sudo: which transfers are a document's receipt, whoever asks
        pickings = self.sudo().filtered(lambda p: p.state not in ("done", "cancel"))
        receipts = pickings.browse()
        for model, name in AFTERSALES_RECEIPT_FIELDS if pickings else ():
            # sudo: as above
            documents = (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search([(name, "in", pickings.ids)])
            )
            receipts |= documents[name]
        return receipts.with_env(self.env)

    def _forklift_receipt_cancel_error(self):
        """The refusal of a cancellation of this open receipt (an
        after-sales document's)."""
        self.ensure_one()
        return AccessError(
            self.env._(
                "%s receives into the service center's keeping what an "
                "after-sales document hands in (old parts, a returned "
                "forklift): only the after-sales warehouse cancels or deletes "
                "it, or its moves, while it is open.",
                readable_name(self),
            )
        )

    def _check_forklift_transfer_state(self, state):
        """Stock computes a transfer's state from its moves: on an
        after-sales document's own transfer (``_forklift_aftersales_transfers``)
        a stock user of no after-sales group writing it would show the old
        parts or the returned forklift received, or the receipt reopened,
        with no validation and nothing moved (see
        ``stock.move._check_forklift_transfer_move_state``)."""
        if self._forklift_by_warehouse():
            return
        # sudo: which transfers are an after-sales document's, whoever writes
        changed = self.sudo().filtered(lambda p: p.state != state)
        transfer = changed._forklift_aftersales_transfers()[:1]
        if transfer:
            raise transfer._forklift_transfer_state_error()

    def _forklift_transfer_state_error(self):
        """The refusal of a state written on this transfer, an after-sales
        document's own, or on its moves (read with sudo)."""
        self.ensure_one()
        return AccessError(
            self.env._(
                "%s is the transfer of an after-sales document: it, its moves "
                "and their lines are received, validated or cancelled by "
                "stock's own steps, run by the after-sales warehouse, never by "
                "writing their state.",
                readable_name(self),
            )
        )

    def _check_forklift_receipt_validate(self):
        """An after-sales document's open receipt into the quarantine is
        validated by the after-sales warehouse, which receives what was
        handed in (000 §4.3.2.5–7, §4.4.1; R-230, R-233, R-238), or by the
        document itself (server code, sudo): a stock user of no after-sales
        group validating it would show the old parts or the forklift
        received without the warehouse."""
        if self._forklift_by_warehouse():
            return
        receipt = self._forklift_open_receipts()[:1]
        if receipt:
            raise AccessError(
                self.env._(
                    "%s receives into the service center's keeping what an "
                    "after-sales document hands in (old parts, a returned "
                    "forklift): only the after-sales warehouse validates it.",
                    readable_name(receipt),
                )
            )

    def _check_forklift_return_validate(self):
        """A return of a warranty parts request's delivery (these transfers)
        takes the parts back to stock from the applicant, whose old parts of
        them are then no longer expected back (R-005, R-167, R-230): it is
        validated by the after-sales warehouse that released them, or by
        server code (sudo). A stock user or stock manager of no after-sales
        group validating one would free the applicant of his old parts while
        he keeps the new ones, the request still reading shipped."""
        if not self or self._forklift_by_warehouse():
            return
        raise AccessError(
            self.env._(
                "%s takes back to stock parts shipped on the delivery of a "
                "warranty parts request: only the after-sales warehouse "
                "validates it.",
                readable_name(self[:1]),
            )
        )

    def _forklift_cancel_request_delivery(self):
        """Cancel this delivery as its request's own cancellation does
        (``forklift.parts.request.action_cancel``, which has checked who
        cancels)."""
        with REQUEST_CANCEL_MARK.running():
            return self.action_cancel()

    def _check_forklift_request_cancel(self):
        """An approved request's delivery ships the approved parts within the
        request's deadline (000 §4.2.2.3, R-010, R-162): it and its
        backorders, while open, are cancelled only by the request's own
        cancellation (after-sales staff), never by the warehouse or another
        caller, which would leave the request approved with nothing to ship
        it."""
        if REQUEST_CANCEL_MARK.is_on(self.env):
            return
        # sudo: which transfers are a request's open delivery, whoever cancels
        for picking in self.sudo().filtered(
            lambda p: (
                p._is_forklift_request_delivery() and p.state not in ("done", "cancel")
            )
        ):
            raise picking._forklift_request_cancel_error()

    def _forklift_request_cancel_error(self):
        """The refusal of a cancellation of this request's delivery."""
        return AccessError(
            self.env._(
                "%(picking)s is the delivery of %(request)s: only after-sales "
                "staff cancelling the request cancel it.",
                **self._forklift_delivery_names(),
            )
        )

    def button_validate(self):
        # the checks and stock's validation read them one by one otherwise
        self.env["stock.location"]._forklift_prefetch_watched()
        self._forklift_prefetch_delivery()
        self._check_forklift_receipt_validate()
        self._check_forklift_release()
        checked = RELEASE_CHECKED.set(RELEASE_CHECKED.get() | frozenset(self.ids))
        try:
            return super().button_validate()
        finally:
            RELEASE_CHECKED.reset(checked)
            # stock's validation runs in environments whose context names
            # the transfers validated, new for each validation (those the
            # chatter's tracking of the last one used since included)
            release_environments(self.env, "button_validate_picking_ids")

    def _forklift_prefetch_delivery(self):
        """What the validation of a request's delivery reads one record at a
        time, read in a query per model: the quants it takes and brings
        (stock reads those of each move line on their own), the recipient
        and the user's partner."""
        # sudo: where the delivery's lines go, whoever validates (as the
        # checks read them)
        deliveries = self.sudo().filtered("forklift_parts_request_id")
        lines = deliveries.move_line_ids
        self.env["stock.quant"]._forklift_prefetch(
            lines.product_id, lines.location_id | lines.location_dest_id
        )
        # stock reads the recipients, the old-part returns' numbering the
        # user's time zone: the partners in one query
        if deliveries:
            prefetch_readable(
                self.env["res.partner"].browse(deliveries.partner_id.ids)
                | self.env.user.partner_id
            )

    def _action_done(self):
        # done by another route than the validation's button, or not checked
        # by it
        if not set(self.ids) <= RELEASE_CHECKED.get():
            self._check_forklift_release()
        # a return of a request's delivery (stock's return wizard) takes back
        # to stock parts whose old parts are then not due
        # sudo: which transfers return a request's delivery, whoever validates
        returns = self.sudo().filtered(
            lambda p: (
                p.move_ids.origin_returned_move_id.picking_id.forklift_parts_request_id
            )
        )
        returns.with_env(self.env)._check_forklift_return_validate()
        res = super()._action_done()
        # only the request's own delivery ships it, not a transfer pointed at
        # the request by hand
        deliveries = self.filtered(lambda p: p._is_forklift_request_delivery())
        if deliveries:
            # what follows is the server's, not the validation's: stock's
            # validation keys stay out of the records it writes
            env = self.env(context=self._forklift_follow_up_context())
            deliveries.forklift_parts_request_id.with_env(env)._on_picking_done(
                deliveries.with_env(env)
            )
        if returns:
            env = self.env(context=self._forklift_follow_up_context())
            # sudo: the warehouse returns, the returns are the service center's
            self.env["forklift.oldpart.return"].with_env(
                env
            ).sudo()._on_parts_returned_to_stock(returns.with_env(env).sudo())
        return res

    def _check_forklift_release(self):
        """The checks of a release of warranty parts (see each): by whom and
        after which approval, to whom, once the old part of an important part
        is back, and no more than approved. Made before stock's validation,
        and before the transfers are done by any other route."""
        self._check_forklift_release_allowed()
        self._check_forklift_request_destination()
        self._check_forklift_exchange_in_kind()
        self._check_forklift_approved_quantities()

    def _forklift_follow_up_context(self):
        """The context of the validation without stock's own keys: they name
        the transfers of this one validation, and would hold every record the
        follow-up writes under a context of its own until the end of the
        transaction."""
        return {
            key: value
            for key, value in self.env.context.items()
            if key not in VALIDATION_CONTEXT_KEYS
        }

    def _is_forklift_request_delivery(self):
        """Whether this transfer is the delivery the request made for itself
        (or a backorder of it); no transfer, or one of no request, is not."""
        if not self.forklift_parts_request_id:
            return False
        self.ensure_one()
        # sudo: the request's own delivery, whoever may read the request
        request = self.forklift_parts_request_id.sudo()
        if not request.picking_id:
            return False
        picking = self
        while picking:
            if picking == request.picking_id:
                return True
            picking = picking.backorder_id
        return False

    def _check_forklift_release_allowed(self):
        """Warranty parts leave only once approved, and only through the
        warehouse (000 §4.3.1.2); the spare-parts stock for warranty is served
        only through the delivery of an approved request. Checked here so no
        route can skip it."""
        spare_parts = self.env["stock.location"]._forklift_get_by_xmlid(
            "forklift_aftersales.stock_location_spare_parts", raise_if_not_found=False
        )
        releases = self.filtered("forklift_parts_request_id")
        if spare_parts:
            releases |= (self - releases).filtered(
                lambda p: (
                    p.picking_type_code != "incoming"
                    and p._forklift_leaves_location(spare_parts)
                )
            )
        if not releases:
            return
        if not self._forklift_by_warehouse():
            raise AccessError(
                self.env._("Only the after-sales warehouse may release warranty parts.")
            )
        for picking in releases:
            request = picking.forklift_parts_request_id
            if not request:
                raise UserError(
                    self.env._(
                        "%s takes parts from the spare-parts stock for warranty, "
                        "which only the delivery of an approved warranty parts "
                        "request may take.",
                        picking.display_name,
                    )
                )
            if request.state not in ("approved", "shipped"):
                raise UserError(
                    self.env._(
                        "%(picking)s waits for the approval of %(request)s.",
                        **picking._forklift_delivery_names(),
                    )
                )
            # the request's own delivery is not looked into: it is the one
            # transfer that may take them
            if not picking._is_forklift_request_delivery() and (
                picking._forklift_leaves_location(spare_parts)
            ):
                raise UserError(
                    self.env._(
                        "%(picking)s is not the delivery %(request)s made after "
                        "its approval: the spare-parts stock for warranty leaves "
                        "only on that delivery.",
                        **picking._forklift_delivery_names(),
                    )
                )

    def _check_forklift_request_destination(self):
        """An approved application's delivery takes the parts from the
        spare-parts stock to the applicant (000 §4.3.1.2, R-010), whose old
        parts are then due back (R-167, R-230): the delivery, its moves and
        their lines go to the customer location the request sent its
        delivery to, and nowhere else, whatever was added to it. Checked
        here so no route can skip it."""
        # sudo: where the request's delivery goes, whoever validates
        deliveries = self.sudo().filtered(
            lambda p: p._is_forklift_request_delivery() and p.state != "cancel"
        )
        for picking in deliveries:
            request = picking.forklift_parts_request_id
            destination = request.picking_id.location_dest_id
            moves = picking.move_ids.filtered(lambda m: m.state != "cancel")
            # a line added without a move gets one at validation
            lines = picking.move_line_ids | moves.move_line_ids
            locations = (
                picking.location_dest_id
                | moves.location_dest_id
                | lines.location_dest_id
            )
            for location in locations:
                if location != destination or location.usage != "customer":
                    raise UserError(
                        self.env._(
                            "%(picking)s is the delivery of %(request)s: the "
                            "parts it ships go to %(destination)s, to the "
                            "applicant, not to %(location)s.",
                            **picking._forklift_delivery_names(),
                            destination=destination.display_name,
                            location=location.display_name,
                        )
                    )

    def _check_forklift_approved_quantities(self):
        """Warranty parts leave only as approved (000 §4.3.1.2, R-005): the
        approvers were chosen by the amount. A request's delivery and its
        backorders ship, in all, no more of a part than the request's lines
        approved, and no part they do not name, whatever was written on the
        moves since the approval and whoever validates. Less ships, the rest
        on a backorder. Checked here so no route can skip it, and again once
        the moves are done (stock.move's constraint), as a done delivery may
        be edited."""
        # sudo: the request's lines and deliveries, whoever validates
        deliveries = self.sudo().filtered(
            lambda p: p._is_forklift_request_delivery() and p.state != "cancel"
        )
        if not deliveries:
            return
        requests = deliveries.forklift_parts_request_id
        approved = defaultdict(float)
        for line in requests.line_ids:
            approved[line.request_id, line.product_id] += line.quantity
        # every delivery of the requests: the first one and its backorders
        shipped = requests._get_delivery_chain().filtered(lambda p: p.state == "done")
        # what this validation ships is counted in full, picked or not: at
        # most it refuses what stock would have left behind
        moves = shipped.move_ids.filtered(
            lambda m: m.state == "done"
        ) | deliveries.move_ids.filtered(lambda m: m.state != "cancel")
        leaving = defaultdict(float)
        OldpartReturn = self.env["forklift.oldpart.return"]
        for move in moves:
            # the request's lines count in the part's own unit; what came back
            # to stock on a return of a delivery was not kept, and may ship
            # again
            leaving[move.picking_id.forklift_parts_request_id, move.product_id] += (
                OldpartReturn._get_kept_quantity(move, rounding_method="HALF-UP")
            )
        for move in deliveries.move_ids.filtered(
            lambda m: m.state != "cancel" and m.quantity > 0
        ):
            picking, product = move.picking_id, move.product_id
            key = (picking.forklift_parts_request_id, product)
            if key not in approved:
                raise UserError(
                    self.env._(
                        "%(picking)s ships %(part)s, which %(request)s did not "
                        "approve: warranty parts leave only as approved.",
                        part=product.display_name,
                        **picking._forklift_delivery_names(),
                    )
                )
            if product.uom_id.compare(leaving[key], approved[key]) > 0:
                raise UserError(
                    self.env._(
                        "%(picking)s would bring the %(part)s shipped for "
                        "%(request)s to %(shipped)s %(unit)s, above the "
                        "%(approved)s approved: warranty parts leave only as "
                        "approved.",
                        part=product.display_name,
                        **picking._forklift_delivery_names(),
                        shipped=f"{leaving[key]:g}",
                        unit=product.uom_id.name,
                        approved=f"{approved[key]:g}",
                    )
                )

    def _check_forklift_exchange_in_kind(self):
        """Important parts are exchanged in kind (004 §4.6.2, R-097, R-220,
        R-234): the delivery of a warranty request that releases one is
        validated only once its old part is back at the service center —
        received, or settled as not returned and sold to the dealer
        (R-235). Checked on the server for every route that ships it."""
        for picking in self.filtered("forklift_parts_request_id"):
            if not picking._is_forklift_request_delivery():
                continue
            # sudo: the request's parts and returns, whoever validates
            request = picking.forklift_parts_request_id.sudo()
            moves = picking.sudo().move_ids.filtered(lambda m: m.state != "cancel")
            important = moves.product_id.filtered("forklift_important_part")
            if not important:
                continue
            exchanges = request.oldpart_return_ids.filtered(
                lambda n: n.exchange_in_kind and n.state != "cancel"
            )
            for product in important:
                notes = exchanges.filtered(
                    lambda n, p=product: p in n.line_ids.product_id
                )
                if not notes:
                    raise UserError(
                        self.env._(
                            "%(part)s is an important part, exchanged in kind: "
                            "no old-part return of %(request)s expects it back. "
                            "Ask the service center to open one before "
                            "releasing it.",
                            part=product.display_name,
                            request=picking._forklift_delivery_names()["request"],
                        )
                    )
                waiting = notes.filtered(
                    lambda n: not n.received_date and n.state != "not_returned"
                )
                if waiting:
                    raise UserError(
                        self.env._(
                            "%(part)s is an important part, exchanged in kind: "
                            "%(picking)s ships it once the service center has "
                            "received its old part (%(returns)s).",
                            part=product.display_name,
                            picking=readable_name(picking),
                            returns=names_for_caller(
                                waiting.with_env(self.env),
                                self.env._("its old-part return"),
                            ),
                        )
                    )

    def _forklift_aftersales_transfers(self):
        """Those of these transfers that are an after-sales document's own: a
        warranty parts request's delivery (or its backorders), a document's
        own transfer out of the quarantine, a document's receipt into it
        (``AFTERSALES_RECEIPT_FIELDS``), and any transfer a document made,
        which stays its own once the document names another (a receipt of
        old parts the warehouse cancelled, handed in again)."""
        receipts = self.browse()
        for model, name in AFTERSALES_RECEIPT_FIELDS if self.ids else ():
            # sudo: which documents received them, whoever asks
            documents = (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search([(name, "in", self.ids)])
            )
            receipts |= documents[name]
        return self.filtered(
            lambda p: (
                p.forklift_parts_request_id
                or p.forklift_document_transfer
                or p.forklift_document_made
                or p in receipts
            )
        )

    @api.model
    def _check_forklift_transfer_additions(self, picking_ids, edit=False):
        """A move or a move line is added to an after-sales document's own
        transfer (``_forklift_aftersales_transfers``) by stock's own steps
        (``MOVE_STATE_MARK``: its reservation, confirmation, validation and
        backorder), by the document itself (server code, sudo), or, while
        the transfer is open, by the after-sales warehouse that validates it
        (checked again at the validation: what a request approved, where its
        delivery goes). A stock user of no after-sales group adding one to a
        request's delivery would have it ship other stock than the spare
        parts approved; one added to a done transfer reopens it: on a
        returned forklift's release, the one transfer that takes stock out
        of the quarantine, it would take quarantined old parts away with it
        (000 §4.3.1.2, §4.3.2.5–7, §4.4; R-005, R-010, R-230, R-241).
        ``picking_ids`` are the transfers named by the values created (ids,
        or anything else for none).

        With ``edit``, the same holds for what an open move or line of such a
        transfer reserves and moves (its part, quantity, lot, package, owner,
        source and destination, the package it is put in): a stock user of
        no after-sales group would otherwise ship, on a request's delivery,
        his own lot, another serial or other stock than the spare parts
        approved, or less than approved with nothing left to ship (the
        validation then marks the request shipped), or packed as he chose,
        or receive the non-warranty old parts handed in elsewhere than where
        the service center keeps them, and the after-sales warehouse would
        validate it unawares (R-005, R-010, R-233)."""
        if self.env.su or MOVE_STATE_MARK.is_on(self.env):
            return
        ids = {pid for pid in picking_ids if isinstance(pid, int) and pid}
        # sudo: which transfers are an after-sales document's, whoever adds
        # (the closed ones alone for the warehouse, which changes any open
        # one as its validation picks the moves: looked up first)
        transfers = self.sudo().browse(ids)._forklift_closed_to_user()
        for picking in transfers._forklift_aftersales_transfers():
            if edit:
                raise AccessError(
                    self.env._(
                        "%s is the transfer of an after-sales document: only the "
                        "after-sales warehouse changes what its moves and their "
                        "lines reserve and move (part, quantity, lot, package, "
                        "owner, locations), and only while it is open.",
                        readable_name(picking),
                    )
                )
            raise AccessError(
                self.env._(
                    "%s is the transfer of an after-sales document: only the "
                    "after-sales warehouse adds a move or a line to it, and "
                    "only while it is open.",
                    readable_name(picking),
                )
            )

    def _forklift_transfer_links_error(self):
        """The refusal of a move or line put on or taken off this transfer,
        an after-sales document's own (read with sudo)."""
        self.ensure_one()
        if self.forklift_parts_request_id:
            return AccessError(
                self.env._(
                    "%(picking)s is the delivery of %(request)s: its moves and "
                    "their lines are put on it or taken off it only by stock's "
                    "own steps (its confirmation, reservation, validation, "
                    "backorder).",
                    **self._forklift_delivery_names(),
                )
            )
        return AccessError(
            self.env._(
                "%s is the transfer of an after-sales document: its moves and "
                "their lines are put on it or taken off it only by the document "
                "and by stock's own steps (its confirmation, reservation, "
                "validation, backorder).",
                readable_name(self),
            )
        )

    def _forklift_leaves_location(self, location):
        """Whether the transfer takes stock out of ``location`` (or one of its
        children), by its moves or by the lines reserved on them."""
        self.ensure_one()
        if not location:
            return False
        # sudo: checking where the stock comes from, whoever validates
        picking = self.sudo()
        sources = picking.move_ids.location_id | picking.move_line_ids.location_id
        destinations = picking.location_dest_id
        return any(s._forklift_is_inside(location) for s in sources) and any(
            not d._forklift_is_inside(location) for d in destinations
        )

    def _forklift_request_link_error(self):
        return AccessError(
            self.env._(
                "A transfer is linked to a warranty parts request only by the "
                "request's approval."
            )
        )

    def _forklift_request_backorder_error(self):
        return AccessError(
            self.env._(
                "Only the validation of a warranty parts request's delivery "
                "makes a backorder of it."
            )
        )

    def _forklift_request_delivery_error(self):
        """The refusal of a change of where this request's delivery goes."""
        return AccessError(
            self.env._(
                "%(picking)s is the delivery of %(request)s: it takes the parts "
                "to the applicant the request names, and its destination and "
                "recipient do not change.",
                **self._forklift_delivery_names(),
            )
        )

    def _forklift_delivery_names(self):
        """The numbers a refusal about this transfer, a warranty parts
        request's delivery (or a backorder of it), tells its caller, as
        ``picking`` and ``request``: the transfer's and the request's, or a
        neutral wording for the one he may not read (``names_for_caller``).
        A stock user of no after-sales group reads the delivery but not the
        request; an employee outside stock, or a user of another company,
        reads neither."""
        self.ensure_one()
        # sudo: which request the delivery is for, whoever is refused
        request = self.sudo().forklift_parts_request_id.with_env(self.env)
        return {
            "picking": names_for_caller(self, self.env._("A transfer")),
            "request": names_for_caller(
                request, self.env._("a warranty parts request")
            ),
        }

    def _forklift_document_transfer_error(self):
        return AccessError(
            self.env._(
                "A transfer is an after-sales document's own only when the "
                "document makes it."
            )
        )

from odoo import api, fields, models


class ForkliftPartSupplierMixin(models.AbstractModel):
    """The supplier a part line of a sheet counts under in the statistics by
    supplier (R-005, R-256, R-261, R-262): parts replaced, released on a
    parts request and bought locally.

    The server stores it when the part is recorded (or changed), see
    :meth:`forklift.feedback._get_part_supplier`, so that later changes of
    the part's vendors leave the sheets already counted alone. It is a flow
    field: clients never write it; only the server's sync of the sheet's
    supplier at fault (:meth:`forklift.feedback._sync_part_suppliers`, also
    run by QA's correction) changes it. Each line says in its own ``help``
    what the supplier is for its kind of part, and gives its sheet with
    :meth:`_get_part_feedback`.
    """

    _name = "forklift.part.supplier.mixin"
    _inherit = ["forklift.flow.mixin"]
    _description = "Forklift Part Line Supplier"
    # a supplier a client sends on creation is dropped, the server sets its
    # own; True: refused by the flow guard instead. An empty one is always
    # dropped, else it would keep the server's out.
    _forklift_refuse_sent_supplier = False
    # why a product out of the domain of ``product_id`` (a service: labour)
    # is refused as the part, a lazy translation with %s for its name; None
    # where the line takes any product
    _not_part_message = None

    product_id = fields.Many2one("product.product", string="Part", required=True)
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    supplier_id = fields.Many2one(
        "res.partner",
        compute="_compute_supplier_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        copy=False,
        groups="base.group_user",
    )

    @api.model
    def _get_flow_fields(self):
        """The supplier is the server's to set (R-005)."""
        return super()._get_flow_fields() | {"supplier_id"}

    def _get_part_feedback(self):
        """The sheet whose part this line is."""
        raise NotImplementedError

    @api.constrains("product_id")
    def _check_product_is_part(self):
        """A part is a good, as the list of parts offers: never a service
        (labour), whoever sends it."""
        if self._not_part_message:
            self._check_field_domain("product_id", self.env._(self._not_part_message))

    @api.depends("product_id")
    def _compute_supplier_id(self):
        """See :meth:`forklift.feedback._get_part_supplier`."""
        for line in self:
            line.supplier_id = line._get_part_feedback()._get_part_supplier(
                line.product_id
            )

    @api.model
    def _drop_sent_supplier(self, vals):
        """Leave the supplier a client sent out of ``vals`` (changed in
        place and returned), see ``_forklift_refuse_sent_supplier``."""
        if (
            "supplier_id" in vals
            and not self._is_flow_write()
            and not (self._forklift_refuse_sent_supplier and vals["supplier_id"])
        ):
            del vals["supplier_id"]
        return vals

    def _is_supplier_sync(self, vals):
        """Whether this write is the server's own change of the supplier (the
        sheet's supplier at fault fixed or corrected by QA), which reaches the
        lines of a document no longer open to changes."""
        return self._is_flow_write() and set(vals) <= {"supplier_id"}

    @api.model_create_multi
    def create(self, vals_list):
        # copies: the caller's values stay as it sent them
        return super().create(
            [self._drop_sent_supplier(dict(vals)) for vals in vals_list]
        )

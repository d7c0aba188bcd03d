from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import value_differs
from .forklift_document_fields import computed_editable, document_company, unit_link
from .forklift_flow_mixin import (
    QUANTITY_CHECK,
    check_context_defaults,
    check_sent_values,
)

SHIP_ITEM_TYPES = [
    ("spare", "Spare part"),
    ("tool", "Tool"),
    ("attachment", "Attachment"),
    ("manual", "Manual"),
    ("document", "Document"),
]


class ForkliftUnitShipItem(models.Model):
    """What ships with a forklift (000 第一篇 L85 under 三包备件: 随车带的配件
    明细、保修卡、说明 — the parts list, the warranty card and the manuals;
    R-023, R-222, R-283): one line per spare part, tool, attachment, manual
    or document, ticked once packed with the forklift; printed on its
    delivery sheet. Checked with the customer at the acceptance: once he has
    signed it, the list no longer changes (000 第四篇 §1, §4; R-041, R-211)."""

    _name = "forklift.unit.ship.item"
    _description = "Item Shipped with a Forklift"
    _order = "unit_id, sequence, id"
    _check_company_auto = True

    unit_id = unit_link(required=True, ondelete="cascade", index=True)
    company_id = document_company("unit_id", precompute=True)
    sequence = fields.Integer(default=10)
    item_type = fields.Selection(
        SHIP_ITEM_TYPES, string="Type", required=True, default="spare"
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        help="The spare part, tool or attachment, when it is a product.",
    )
    name = computed_editable(
        fields.Char, "_compute_name", string="Item", required=True, precompute=True
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    shipped = fields.Boolean(
        help="Ticked when the item is packed with the forklift.",
    )

    _quantity_positive = models.Constraint(
        QUANTITY_CHECK, "The quantity of an item shipped must be positive."
    )

    @api.depends("product_id")
    def _compute_name(self):
        for item in self:
            if item.product_id and not item.name:
                item.name = item.product_id.display_name

    @api.model
    def default_get(self, fields):
        check_context_defaults(self, fields)
        return super().default_get(fields)

    @api.model_create_multi
    def create(self, vals_list):
        # master data, not a flow: the values sent are checked all the same
        # (forklift.flow.mixin's check_sent_values)
        check_sent_values(self, vals_list)
        items = super().create(vals_list)
        # on the records made: the forklift may come from a default
        self._check_acceptance_not_signed(items.unit_id)
        return items

    def write(self, vals):
        check_sent_values(self, [vals])
        # Odoo's own refusal first: the guard's message names the forklift
        # and its acceptance, which a user who may not write the items (the
        # export division, a domestic forklift's) is not told
        self.check_access("write")
        # writing the values an item already has changes nothing (a form
        # sending them again)
        changed = self.filtered(
            lambda item: any(value_differs(item, name, vals[name]) for name in vals)
        )
        self._check_acceptance_not_signed(changed.unit_id)
        res = super().write(vals)
        if "unit_id" in vals:
            # nor is an item moved onto the list of a forklift accepted
            self._check_acceptance_not_signed(changed.unit_id)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_acceptance_signed(self):
        self._check_acceptance_not_signed(self.unit_id)

    @api.model
    def _check_acceptance_not_signed(self, units):
        """Refuse a change of what ships with ``units`` once the customer has
        signed the acceptance of one of them on its commissioning (000 第四篇
        §1, §4; R-023, R-041, R-211): the items were checked with him then,
        and the list is what he signed. Only the flow and the service-center
        director, who corrects the warranty terms of a forklift as well
        (``forklift.unit._may_change_warranty_terms``), change it afterwards;
        a data file as the server loads it too."""
        if not units or units._may_change_warranty_terms():
            return
        accepted = units._get_signed_acceptances()
        if accepted:
            raise UserError(
                self.env._(
                    "Forklift %(unit)s was accepted on %(date)s: the items shipped "
                    "with it are part of the acceptance the customer signed and "
                    "can no longer be added, changed or removed. Only the "
                    "service-center director corrects them.",
                    unit=accepted[0].unit_id.name,
                    date=accepted[0].acceptance_date,
                )
            )

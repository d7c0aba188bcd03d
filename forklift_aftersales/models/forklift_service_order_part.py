from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools import readable_parents_of_new
from .forklift_document_fields import document_company
from .forklift_flow_mixin import QUANTITY_CHECK

_lt = LazyTranslate(__name__)


class ForkliftServiceOrderPart(models.Model):
    """A part replaced during a service, with the failed part's serial and
    the damage found on it (000 §4.1.2: details of the damaged parts)."""

    _name = "forklift.service.order.part"
    _description = "Part Replaced in a Service Order"
    _inherit = ["forklift.part.supplier.mixin"]
    _order = "order_id, sequence, id"
    _check_company_auto = True
    # a supplier sent with the part is refused, see forklift.part.supplier.mixin
    _forklift_refuse_sent_supplier = True
    _not_part_message = _lt("%s is not a part: only goods are replaced as parts.")

    order_id = fields.Many2one(
        "forklift.service.order", required=True, ondelete="cascade", index=True
    )
    company_id = document_company("order_id", precompute=True)
    # stored for the failure rates: the parts of the sheets read without the
    # service orders
    feedback_id = fields.Many2one(
        related="order_id.feedback_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(domain=[("type", "=", "consu")], check_company=True)
    failed_serial = fields.Char(string="Failed Part Serial")
    damage_description = fields.Text(
        string="Damage Found",
        help="What was wrong with the part taken out (000 §4.1.2: the details of "
        "each damaged part replaced); needed before the work is reported done.",
    )
    is_warranty = fields.Boolean(
        string="Warranty Part",
        default=True,
        help="Supplied free under the three guarantees; such parts must come back "
        "to the company.",
    )
    note = fields.Char(groups="base.group_user")
    # stored for the statistics by supplier: the vendors of the part may
    # change, the sheets already counted keep theirs
    supplier_id = fields.Many2one(
        help="Set by the server when the part is recorded: the sheet's supplier "
        "at fault for the failed part, else the part's main vendor then. Later "
        "changes of the part's vendors do not change it; QA corrects it with "
        "the sheet's supplier at fault.",
    )

    _quantity_positive = models.Constraint(
        QUANTITY_CHECK, "The quantity of a replaced part must be positive."
    )

    def _get_part_feedback(self):
        return self.order_id.feedback_id

    @api.constrains("product_id", "quantity", "is_warranty", "order_id")
    def _check_warranty_parts_received(self):
        """Whoever records a part, no more warranty parts replaced than the
        sheet received (R-082, R-167), as the portal's report checks; a
        draft's parts are planned, checked when its work is reported done."""
        self.order_id.filtered(
            lambda o: o.state != "draft"
        )._check_warranty_parts_received()

    @api.depends("product_id")
    def _compute_supplier_id(self):
        """The supplier of the part when it is recorded (or changed), see
        :meth:`forklift.feedback._get_part_supplier`; a part already replaced on
        the sheet keeps its supplier for the same part."""
        for line in self:
            case = line._get_part_feedback()
            recorded = (
                case.service_order_ids.filtered(lambda o: o.state != "cancel").part_ids
                - line
            )
            line.supplier_id = case._get_part_supplier(line.product_id, recorded)

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        # first: the orders are read from the values as sent
        self._check_sent_values(vals_list)
        # the order of each line as create() will set it, one the user reads:
        # the checks below read it as superuser and name it
        orders = readable_parents_of_new(self, vals_list, "order_id")
        orders._check_parts_open()
        # a part replaced on a paid sheet waits for the customer's consent
        orders.filtered(lambda o: o.state != "draft")._check_paid_consent()
        parts = super().create(vals_list)
        # the first part replaced names the supplier of a supplier-caused
        # failure verified without a known failed part
        # sudo: the sheet's supplier at fault is the server's to set
        cases = parts.sudo().order_id.feedback_id
        cases._set_fault_supplier()
        cases._sync_part_suppliers()
        return parts

    def write(self, vals):
        # the server's own correction of the supplier (the sheet's supplier at
        # fault fixed or corrected by QA) reaches the parts of a reported order
        if not self._is_supplier_sync(vals):
            self.order_id._check_parts_open()
            self.order_id.filtered(lambda o: o.state != "draft")._check_paid_consent()
        if "order_id" in vals and any(
            line.order_id.id != vals["order_id"] for line in self
        ):
            raise UserError(
                self.env._(
                    "A replaced part stays on the service order it was recorded on."
                )
            )
        res = super().write(vals)
        if "product_id" in vals:
            # sudo: the failed part may have changed, see create()
            self.sudo().feedback_id._sync_part_suppliers()
        return res

    def unlink(self):
        # sudo: the failed part may change, see create()
        cases = self.sudo().feedback_id
        res = super().unlink()
        cases.exists()._sync_part_suppliers()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reported(self):
        self.order_id._check_parts_open()

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ForkliftServiceOrder(models.Model):
    """A service order can be carried out by the supplier whose part failed
    (000 §4.2.3): it is sent with a service contact letter, and the supplier
    returns the customer-signed sheet as a scan."""

    _inherit = "forklift.service.order"

    performer_type = fields.Selection(
        selection_add=[("supplier", "Supplier")],
        ondelete={"supplier": "set default"},
    )
    supplier_id = fields.Many2one(
        "res.partner",
        domain=[("forklift_can_serve", "=", True)],
        tracking=True,
        index=True,
    )
    supplier_letter_ids = fields.One2many(
        "forklift.supplier.letter", "service_order_id", string="Contact Letters"
    )
    supplier_sheet = fields.Binary(
        string="Signed Sheet",
        attachment=True,
        copy=False,
        help="Scan of the service order signed by the customer, sent by the "
        "supplier (000 §4.2.3.3).",
    )
    supplier_sheet_name = fields.Char(copy=False)

    @api.constrains("performer_type", "supplier_id")
    def _check_supplier(self):
        for order in self:
            if order.performer_type == "supplier" and not order.supplier_id:
                raise ValidationError(
                    self.env._("Choose the supplier who will do the service.")
                )

    def write(self, vals):
        if vals.get("supplier_sheet"):
            vals = dict(vals, signed_on=fields.Datetime.now())
        res = super().write(vals)
        if vals.get("state") == "signed":
            self.filtered(
                lambda o: o.performer_type == "supplier"
            ).supplier_letter_ids.filtered(
                lambda letter: letter.state == "done"
            )._on_sheet_received()
        return res

    def action_dispatch(self):
        """A supplier's order is dispatched by sending its contact letter."""
        supplier_orders = self.filtered(lambda o: o.performer_type == "supplier")
        for order in supplier_orders:
            letter = (
                order.supplier_letter_ids.filtered(
                    lambda letter: letter.state == "draft"
                )[:1]
                or order._create_supplier_letter()
            )
            letter.action_send()
        return super(ForkliftServiceOrder, self - supplier_orders).action_dispatch()

    def _create_supplier_letter(self):
        self.ensure_one()
        return self.env["forklift.supplier.letter"].create(
            {"service_order_id": self.id}
        )

    def _check_can_sign(self):
        """The supplier's scan of the signed paper sheet stands for the
        signature captured on screen."""
        self.ensure_one()
        if self.performer_type == "supplier" and self.supplier_sheet:
            if self.state != "done":
                raise UserError(
                    self.env._("Only finished work can be signed (%s).", self.name)
                )
            if not self.signed_by:
                raise UserError(self.env._("Enter the name of the person who signed."))
            return
        return super()._check_can_sign()

    def action_view_supplier_letters(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "forklift_aftersales_supplier.forklift_supplier_letter_action"
        )
        action["domain"] = [("service_order_id", "=", self.id)]
        action["context"] = {"default_service_order_id": self.id}
        if len(self.supplier_letter_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.supplier_letter_ids.id
        return action

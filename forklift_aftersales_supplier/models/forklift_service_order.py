from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.forklift_aftersales.tools import related_action


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
        check_company=True,
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

    @api.model
    def _get_flow_fields(self):
        """The supplier's scan of the signed sheet is its signature."""
        return super()._get_flow_fields() | {"supplier_sheet", "supplier_sheet_name"}

    @api.model
    def _get_performer_fields(self):
        return super()._get_performer_fields() | {"supplier_id"}

    def write(self, vals):
        if not self._is_flow_write():
            if self._is_dispatch_by_letter(vals):
                # the contact letter was sent: the order leaves with it
                return self._write_flow(vals)
            if vals.get("supplier_sheet") and set(vals) <= {
                "supplier_sheet",
                "supplier_sheet_name",
                "signed_by",
            }:
                # the signed sheet the supplier sent by mail or fax, recorded
                # by who may edit the order (not a portal user, read-only
                # here: the supplier sends it with its letter's form), with
                # the checks of the letter's step
                self.check_access("write")
                for order in self:
                    order._sign_with_sheet(
                        vals["supplier_sheet"],
                        vals.get("supplier_sheet_name"),
                        vals.get("signed_by"),
                        confirm=False,
                    )
                return True
        res = super().write(vals)
        if vals.get("state") == "cancel":
            self._withdraw_supplier_letters()
        if vals.get("state") == "signed":
            self.filtered(
                lambda o: o.performer_type == "supplier"
            ).supplier_letter_ids.filtered(
                lambda letter: letter.state == "done"
            )._on_sheet_received()
        return res

    def _withdraw_supplier_letters(self):
        """The cancelled order withdraws its open contact letter: the
        supplier answers it no more, nor is it reminded (000 §4.2.3.2,
        R-192). Called as the flow, whoever cancels the order or its sheet."""
        # sudo: the letters go with their order, whoever cancels it
        letters = self.sudo().supplier_letter_ids.filtered(
            lambda letter: letter.state in ("draft", "sent", "answered")
        )
        for letter in letters:
            letter._as_flow().write({"state": "cancel"})
            letter.activity_unlink(["mail.mail_activity_data_todo"])
            letter._message_log(
                body=self.env._(
                    "Withdrawn with its cancelled service order %s.",
                    letter.service_order_id.name,
                )
            )

    def action_dispatch(self):
        """A supplier's order is dispatched by sending its contact letter."""
        self._check_step_access()
        supplier_orders = self.filtered(lambda o: o.performer_type == "supplier")
        for order in supplier_orders:
            letter = (
                order.supplier_letter_ids.filtered(
                    lambda letter: letter.state == "draft"
                )[:1]
                or order._create_supplier_letter()
            )
            # the letter dispatches the order: a step of the order's own flow,
            # which the user may take (checked above)
            letter.with_env(order._as_flow().env).action_send()
        return super(ForkliftServiceOrder, self - supplier_orders).action_dispatch()

    def _create_supplier_letter(self):
        self.ensure_one()
        return self.env["forklift.supplier.letter"].create(
            {"service_order_id": self.id}
        )

    def _is_dispatch_by_letter(self, vals):
        """The dispatch of a supplier's order is written by its contact letter
        once sent, at the moment it was sent (000 §4.2.3.2): only the letter's
        own send step leaves a sent letter of this order with that date."""
        if set(vals) != {"state", "dispatched_date"} or vals["state"] != "dispatched":
            return False
        dispatched = fields.Datetime.to_datetime(vals["dispatched_date"])
        # sudo: the letters' own state and date decide, whoever reads them
        return bool(self) and all(
            order.state == "draft"
            and order.performer_type == "supplier"
            and order.sudo().supplier_letter_ids.filtered(
                lambda letter: letter.state == "sent" and letter.sent_date == dispatched
            )
            for order in self
        )

    def _sign_with_sheet(self, sheet, filename, signed_by, confirm=True):
        """The supplier sends the scan of the service order its customer signed
        (000 §4.2.3.3, R-080): the order is signed (or, without ``confirm``,
        waits for the service center's confirmation). The sheet takes the
        checks of the letter's portal form (``_prepare_sheet_vals``): the
        letter at its step, the size cap, the type found in the content and
        a file name of that type. Checked before anything is written."""
        self.ensure_one()
        if self.performer_type != "supplier":
            raise UserError(self.env._("%s is not served by a supplier.", self.name))
        self._check_state(
            ("done",), self.env._("Only finished work can be signed (%s).")
        )
        user = self.env.user
        if user.share and not user._is_public():
            if user.commercial_partner_id != self.supplier_id.commercial_partner_id:
                raise AccessError(
                    self.env._(
                        "Only the supplier serving %s sends its signed sheet.",
                        self.name,
                    )
                )
        elif not user._is_public():
            self.with_user(user).check_access("write")
        # sudo: the letter's own state decides, whoever reads it
        letter = self.sudo().supplier_letter_ids.filtered(
            lambda letter: letter.state == "done"
        )[:1]
        if not letter:
            raise UserError(
                self.env._("Report the work on %s before sending the sheet.", self.name)
            )
        vals = letter._prepare_sheet_vals(sheet, filename, signed_by)
        vals["signed_on"] = fields.Datetime.now()
        if confirm:
            vals["state"] = "signed"
        self._write_flow(vals)

    def _check_signer(self):
        """A supplier's order is open to its supplier on the portal, and its
        page carries the order's access token: holding the token does not make
        one its customer. The customer signs the sheet the supplier sends back
        (000 §4.2.3.3), or on screen logged in as himself or on a staff
        member's screen (R-080, R-206), never through the token alone."""
        self.ensure_one()
        if self.performer_type == "supplier" and self.env.user._is_public():
            raise AccessError(
                self.env._(
                    "%s is served by a supplier: its customer signs the sheet the "
                    "supplier sends back, or signs it logged in.",
                    self.name,
                )
            )
        return super()._check_signer()

    def _check_can_sign(self):
        """The supplier's scan of the signed paper sheet stands for the
        signature captured on screen."""
        self.ensure_one()
        if self.performer_type == "supplier" and self.supplier_sheet:
            self._check_state(
                ("done",), self.env._("Only finished work can be signed (%s).")
            )
            if not self.signed_by:
                raise UserError(self.env._("Enter the name of the person who signed."))
            return
        return super()._check_can_sign()

    def action_view_supplier_letters(self):
        action = related_action(
            self,
            "forklift_aftersales_supplier.forklift_supplier_letter_action",
            "service_order_id",
        )
        if len(self.supplier_letter_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.supplier_letter_ids.id
        return action

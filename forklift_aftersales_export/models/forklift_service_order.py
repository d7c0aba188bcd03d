from odoo import api, models
from odoo.exceptions import AccessError


class ForkliftServiceOrder(models.Model):
    _inherit = "forklift.service.order"

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # the orders as created: a technician given in the values, by a
        # context default or a user default alike
        orders.filtered("technician_id")._check_technician_chooser()
        return orders

    def write(self, vals):
        if self._get_changed_fields({"technician_id"}, vals):
            self._check_technician_chooser()
        return super().write(vals)

    def _check_technician_chooser(self):
        """The service center, which dispatches the orders (000 第一篇 §5,
        R-081, R-276), chooses the technician who performs one. The export
        division files and follows the orders of export sheets: naming,
        changing or clearing their technician would send him the order's
        to-do and on site in the service center's stead."""
        if (
            not self
            or self.env.su
            or self._is_flow_write()
            or self.env.user.has_group("forklift_aftersales.group_forklift_user")
        ):
            return
        raise AccessError(
            self.env._(
                "Only the service center chooses the technician who performs "
                "%s: it dispatches the order.",
                self[0].name,
            )
        )

    def action_dispatch(self):
        """Nobody goes on site for an overseas customer without dealer service
        staff before remote technical support was given and recorded
        (000 第一篇 §5, R-079)."""
        self._check_step_access()
        # a remote support order is the support itself
        self.filtered(
            lambda order: order.performer_type != "remote"
        ).feedback_id._check_remote_support_first(
            lambda case: not case.remote_support_done,
            self.env._(
                "%(customer)s has no dealer service staff: record the remote "
                "technical support on %(case)s before sending anyone."
            ),
        )
        return super().action_dispatch()

    def _get_copy_department(self):
        if self.feedback_id.market == "export":
            return self.env._("the export division")
        return super()._get_copy_department()

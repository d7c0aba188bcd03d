from odoo import models
from odoo.exceptions import UserError


class ForkliftServiceOrder(models.Model):
    _inherit = "forklift.service.order"

    def action_dispatch(self):
        """Nobody goes on site for an overseas customer without dealer service
        staff before remote technical support was given and recorded
        (000 第一篇 §5, R-079)."""
        self._check_step_access()
        for order in self:
            case = order.feedback_id
            if (
                order.performer_type != "remote"
                and case.needs_remote_support_first
                and not case.remote_support_done
            ):
                raise UserError(
                    self.env._(
                        "%(customer)s has no dealer service staff: record the remote "
                        "technical support on %(case)s before sending anyone.",
                        customer=case.partner_id.display_name or "-",
                        case=case.name,
                    )
                )
        return super().action_dispatch()

    def _get_copy_department(self):
        if self.feedback_id.market == "export":
            return self.env._("the export division")
        return super()._get_copy_department()

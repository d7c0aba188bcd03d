from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    forklift_parts_request_id = fields.Many2one(
        "forklift.parts.request",
        string="Warranty Parts Request",
        readonly=True,
        index=True,
    )

    def button_validate(self):
        self._check_forklift_release_allowed()
        return super().button_validate()

    def _action_done(self):
        self._check_forklift_release_allowed()
        res = super()._action_done()
        self.filtered(
            "forklift_parts_request_id"
        ).forklift_parts_request_id._on_picking_done()
        return res

    def _check_forklift_release_allowed(self):
        """Warranty parts leave only once approved, and only through the
        warehouse (000 §4.3.1.2); checked here so no route can skip it."""
        releases = self.filtered("forklift_parts_request_id")
        if not releases:
            return
        if not self.env.su and not self.env.user.has_group(
            "forklift_aftersales.group_forklift_warehouse"
        ):
            raise AccessError(
                self.env._("Only the after-sales warehouse may release warranty parts.")
            )
        for picking in releases:
            if picking.forklift_parts_request_id.state not in ("approved", "shipped"):
                raise UserError(
                    self.env._(
                        "%(picking)s waits for the approval of %(request)s.",
                        picking=picking.name,
                        request=picking.forklift_parts_request_id.name,
                    )
                )

from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _get_forklift_move_links(self):
        """The credit note a quality claim settles with its supplier (R-224)
        is the claim's as well."""
        return [
            *super()._get_forklift_move_links(),
            ("forklift.quality.claim", "refund_move_id"),
        ]

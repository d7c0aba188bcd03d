from odoo import models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def action_grant_access(self):
        """A portal login of a dealer's contact reads the dealer's documents:
        granted as ``res.partner._check_forklift_portal_access`` says."""
        self.partner_id._check_forklift_portal_access()
        return super().action_grant_access()

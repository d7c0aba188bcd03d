from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """A customer, dealer or supplier an after-sales record names is not
        merged into another contact: Odoo's merge moves every link to it in
        SQL, past the flow guard (a signed order's customer, a sheet's
        dealer, a forklift's owner), then deletes it (customer archive R-026,
        R-001, R-082); a dealer is merged by after-sales staff only (R-081).
        The contact it is merged into may be named."""
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if not self.env.su and len(partners) > 1:
            if not dst_partner or dst_partner not in partners:
                # the contact Odoo keeps when none is chosen
                dst_partner = self._get_ordered_partner(partners.ids)[-1]
            # deleted under sudo by Odoo: the guard of deletion would not see
            # who merges
            (partners - dst_partner)._check_forklift_partner_removal(merge=True)
        return super()._merge(partner_ids, dst_partner, extra_checks=extra_checks)

from odoo import models
from odoo.exceptions import UserError

from ..tools import aftersales_record_naming


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
            merged = partners - dst_partner
            # deleted under sudo by Odoo: the dealer guard of deletion would
            # not see who merges
            if merged._forklift_dealers() and not merged._may_set_forklift_dealer():
                merged._raise_forklift_dealer_removal()
            kept = aftersales_record_naming(merged)
            if kept:
                partner, model = kept
                raise UserError(
                    self.env._(
                        "%(partner)s cannot be merged into another contact: a "
                        "record of type %(record)s names it.",
                        partner=partner.display_name,
                        record=model._description,
                    )
                )
        return super()._merge(partner_ids, dst_partner, extra_checks=extra_checks)

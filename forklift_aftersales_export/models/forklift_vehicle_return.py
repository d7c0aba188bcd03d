from odoo import models


class ForkliftVehicleReturn(models.Model):
    _inherit = "forklift.vehicle.return"

    def _get_signature_group_xmlid(self, step):
        """Export returns are signed by the export sales vice president; the
        text's "内销副总" in the export procedure is a copy-paste leftover
        (000 第一篇 §11, REQUIREMENTS A-08)."""
        if step == "sales_vp" and self.market == "export":
            return "forklift_aftersales_export.group_forklift_sales_vp_export"
        return super()._get_signature_group_xmlid(step)

    def _get_signature_definitions(self):
        res = super()._get_signature_definitions()
        res["sales_vp"] = res["sales_vp"] | self.env.ref(
            "forklift_aftersales_export.tier_vehicle_return_export_vp"
        )
        return res

    def evaluate_tier(self, tier):
        """The domestic vice president's step does not apply to an export
        return: the export vice president's does (A-08)."""
        res = super().evaluate_tier(tier)
        if tier == self.env.ref("forklift_aftersales.tier_vehicle_return_sales_vp"):
            res = res.filtered(lambda r: r.market != "export")
        return res

    def _get_handover_recipients(self):
        """The export company sets the rework requirements of an export unit
        and the export service center joins its inspection (000 第一篇 §11)."""
        recipients = super()._get_handover_recipients()
        if self.market == "export":
            recipients |= self.env["forklift.feedback"]._get_export_partners()
        return recipients

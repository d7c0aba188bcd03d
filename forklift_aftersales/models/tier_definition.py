from odoo import api, models, tools

# Tier definitions of the after-sales approvals shipped with the module, and
# their place in the chain: OCA asks the highest sequence first (000 §4.3.1.2,
# §4.3.1.4, §4.3.2.2: the director and the QA manager sign, the after-sales
# vice president confirms, then the supply and the sales vice presidents).
APPROVAL_DEFINITIONS = {
    "tier_parts_normal_director": 90,
    "tier_parts_normal_qa_manager": 80,
    "tier_parts_normal_aftersales_vp": 70,
    "tier_parts_normal_supply_vp": 60,
    "tier_parts_abnormal_director": 90,
    "tier_parts_abnormal_qa_manager": 80,
    "tier_parts_abnormal_aftersales_vp": 70,
    "tier_parts_abnormal_supply_vp": 60,
    "tier_parts_abnormal_sales_vp_domestic": 50,
    "tier_local_purchase_director": 90,
    "tier_local_purchase_qa_manager": 80,
    "tier_local_purchase_aftersales_vp": 70,
    "tier_local_purchase_supply_vp": 60,
}
MIGRATED_PARAM = "forklift_aftersales.approval_chains_migrated"


class TierDefinition(models.Model):
    _name = "tier.definition"
    # The definitions of a model are kept in the registry's cache
    # (:meth:`_forklift_get_definition_ids`): any change clears it.
    _inherit = ["tier.definition", "forklift.cached.mixin"]

    @api.model
    @tools.ormcache("model_name", "company_ids")
    def _forklift_get_definition_ids(self, model_name, company_ids):
        """The active definitions of ``model_name`` for the companies (and the
        shared ones), highest sequence first, as OCA searches them when a
        document asks for validation. Kept in the registry's cache, cleared
        when a definition changes: OCA would search them twice per request."""
        # sudo: the definitions apply whoever asks for validation, as in OCA
        return tuple(
            self.sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("model", "=", model_name),
                    ("company_id", "in", [False, *company_ids]),
                ],
                order="sequence desc, id",
            )
            .ids
        )

    @api.model
    def _get_tier_validation_model_names(self):
        res = super()._get_tier_validation_model_names()
        res.extend(
            [
                "forklift.parts.request",
                "forklift.local.purchase",
                "forklift.vehicle.return",
                "forklift.payment.deferral",
                "forklift.oldpart.return",
                "forklift.committee.review",
            ]
        )
        return res

    @api.model
    def _forklift_migrate_approval_chains(self):
        """Bring the definitions of a database installed before the sheet's
        total (REQUIREMENTS A-03) and the ordered chains to them, once. The
        definitions are data under ``noupdate``: thresholds edited since are
        kept, only the amount they are compared with changes."""
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(MIGRATED_PARAM):
            return
        for xmlid, sequence in APPROVAL_DEFINITIONS.items():
            definition = self.env.ref(
                f"forklift_aftersales.{xmlid}", raise_if_not_found=False
            )
            if not definition:
                continue
            vals = {"approve_sequence": True, "sequence": sequence}
            if definition.model == "forklift.parts.request" and (
                "'amount_total'" in (definition.definition_domain or "")
            ):
                vals["definition_domain"] = definition.definition_domain.replace(
                    "'amount_total'", "'feedback_parts_total'"
                )
            definition.sudo().write(vals)
        params.set_param(MIGRATED_PARAM, "1")

from odoo import api, models, tools
from odoo.fields import Domain


class TierValidationException(models.Model):
    """The field exceptions are read on every write of a document under
    approval (OCA checks them before and after validation): they are kept in
    the registry's cache, cleared when an exception changes, instead of two
    queries per write."""

    _name = "tier.validation.exception"
    _inherit = ["tier.validation.exception", "forklift.cached.mixin"]

    @api.model
    @tools.ormcache("model_name", "company_ids", "uid", "group_ids", "extra_domain")
    def _forklift_get_field_names(
        self, model_name, company_ids, uid, group_ids, extra_domain
    ):
        """Names of the fields the exceptions of ``model_name`` allow the user
        ``uid`` to write, as OCA's ``_get_exception_fields`` finds them.
        ``group_ids`` are the user's groups: a change of them is a new key."""
        domain = (
            Domain("model_name", "=", model_name)
            & Domain("company_id", "in", [False, *company_ids])
            & (
                Domain("group_ids.all_user_ids", "in", [uid])
                | Domain("group_ids", "=", False)
            )
        )
        if extra_domain:
            domain &= Domain(extra_domain)
        # sudo: the exceptions apply whoever writes, as in OCA
        return tuple(self.sudo().search(domain).mapped("field_ids.name"))

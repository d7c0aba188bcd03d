from odoo import api, models


class ForkliftCachedMixin(models.AbstractModel):
    """Records some after-sales method keeps in the registry's cache
    (``tools.ormcache``): changing one clears the cache, in every worker.
    ``_forklift_cached_fields`` names the fields the cached values depend on;
    empty, any change clears it."""

    _name = "forklift.cached.mixin"
    _description = "Forklift Cached Records"
    _forklift_cached_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if not self._forklift_cached_fields or set(self._forklift_cached_fields) & set(
            vals
        ):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

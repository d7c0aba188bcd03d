from odoo import api, fields, models


class ForkliftSequenceMixin(models.AbstractModel):
    """A record numbered on creation from the ``ir.sequence`` whose code is
    the model's name; a model numbered from several sequences overrides
    ``_get_sequence_code``."""

    _name = "forklift.sequence.mixin"
    _description = "Forklift Numbered Record"

    name = fields.Char(
        string="Number",
        required=True,
        copy=False,
        readonly=True,
        default="/",
        index="trigram",
    )

    def _get_sequence_code(self, vals):
        return self._name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"]._forklift_next_by_code(
                    self._get_sequence_code(vals)
                ) or self.env._("New")
        return super().create(vals_list)

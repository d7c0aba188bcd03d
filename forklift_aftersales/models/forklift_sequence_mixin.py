from odoo import api, fields, models

from .forklift_document_fields import stamped

# what a creation sends when it leaves the number to the sequence
NO_NUMBER = (None, False, "", "/")


class ForkliftSequenceMixin(models.AbstractModel):
    """A record numbered on creation from the ``ir.sequence`` whose code is
    the model's name; a model numbered from several sequences overrides
    ``_get_sequence_code``. Used with ``forklift.flow.mixin``: the number is
    the server's, never sent on creation (refused here) nor changed (a fixed
    field of the flow)."""

    _name = "forklift.sequence.mixin"
    _description = "Forklift Numbered Record"

    name = stamped(
        fields.Char, string="Number", required=True, default="/", index="trigram"
    )

    def _get_sequence_code(self, vals):
        return self._name

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_flow_write() and any(
            vals.get("name") not in NO_NUMBER for vals in vals_list
        ):
            self._raise_flow_fields({"name"})
        # copies: the caller's values stay as it sent them (an import retries
        # a row with its values, a caller may create twice from one dict)
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("name") in NO_NUMBER:
                vals["name"] = self.env["ir.sequence"]._forklift_next_by_code(
                    self._get_sequence_code(vals)
                ) or self.env._("New")
        return super().create(vals_list)

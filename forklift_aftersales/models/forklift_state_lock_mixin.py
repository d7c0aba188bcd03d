from odoo import api, models
from odoo.exceptions import UserError


class ForkliftStateLockMixin(models.AbstractModel):
    """Fields a user edits only while the document is in given states: the
    terms of a service commitment, what QA claims, what the service center
    writes to the supplier, frozen once the document has moved on. The
    document's own steps (``_write_flow``) still write them.

    List this mixin first in ``_inherit`` so that the check runs before any
    other mixin's ``write``.
    """

    _name = "forklift.state.lock.mixin"
    _inherit = "forklift.flow.mixin"
    _description = "Forklift Fields Locked by State"

    @api.model
    def _get_state_locked_fields(self):
        """{field name: the states in which a user may still change it}."""
        return {}

    def _get_state_locked_message(self, field_label):
        """The message refusing a change of the field ``field_label`` on this
        record in its state."""
        raise NotImplementedError

    def _check_state_locked_fields(self, vals):
        locked = self._get_state_locked_fields()
        for name in set(vals) & set(locked):
            for record in self:
                if record.state not in locked[name] and record._flow_value_differs(
                    record, name, vals[name]
                ):
                    raise UserError(
                        record._get_state_locked_message(
                            self._fields[name].get_description(self.env)["string"]
                        )
                    )

    def write(self, vals):
        if not self._is_flow_write():
            self._check_state_locked_fields(vals)
        return super().write(vals)

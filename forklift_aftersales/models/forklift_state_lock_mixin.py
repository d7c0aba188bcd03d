from odoo import api, models
from odoo.exceptions import UserError


class ForkliftStateLockMixin(models.AbstractModel):
    """Fields a user edits only while the document is in given states: the
    terms of a service commitment, what QA claims, what the service center
    writes to the supplier, frozen once the document has moved on. The
    document's own steps (``_write_flow``) still write them.

    A model declares its fields and their states in
    ``_get_state_locked_fields``; a field that something other than the state
    locks (the paid service once its order exists, a major problem once
    reported) is added by the record's ``_get_locked_fields``.

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

    def _get_locked_fields(self):
        """Names of the fields a user may no longer change on this record: by
        default those of ``_get_state_locked_fields`` out of their states."""
        self.ensure_one()
        return {
            name
            for name, states in self._get_state_locked_fields().items()
            if self.state not in states
        }

    def _get_state_locked_message(self, names):
        """The message refusing a change of the locked fields ``names`` (a
        set) of this record."""
        raise NotImplementedError

    def _check_state_locked_fields(self, vals):
        for record in self:
            changed = {
                name
                for name in record._get_locked_fields() & set(vals)
                if record._flow_value_differs(record, name, vals[name])
            }
            if changed:
                raise UserError(record._get_state_locked_message(changed))

    def write(self, vals):
        if not self._is_flow_write():
            self._check_state_locked_fields(vals)
        return super().write(vals)

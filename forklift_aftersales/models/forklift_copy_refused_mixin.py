from odoo import models
from odoo.exceptions import UserError


class ForkliftCopyRefusedMixin(models.AbstractModel):
    """Records that are not duplicated: each is one of a kind by what it
    belongs to (a visit's place in its forklift's plan, a period's report, a
    seat's position, the lines a document fills in itself, a statistics
    row). A copy would break that uniqueness in the database; the user is
    told why instead. The model says why in ``_copy_refused_message`` (a
    lazy translation)."""

    _name = "forklift.copy.refused.mixin"
    _description = "Forklift Record Not Duplicated"

    _copy_refused_message = None

    def copy(self, default=None):
        if self:
            raise UserError(self.env._(self._copy_refused_message))
        return super().copy(default=default)

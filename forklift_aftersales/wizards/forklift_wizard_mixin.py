from odoo import api, models

from ..tools import named_id, with_defaults


class ForkliftWizardMixin(models.AbstractModel):
    """What the after-sales wizards share: the records a wizard names (its
    document, a supplier, a person) are records the user may read. A
    wizard's related fields and the names of its links are read as
    superuser (Odoo's related fields, a many2one's name): naming another
    company's document, by a value, a ``default_*`` context key or an
    onchange, would show its number, title and dates."""

    _name = "forklift.wizard.mixin"
    _description = "Forklift After-Sales Wizard"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in with_defaults(self, vals_list, self._forklift_named_fields()):
            self._check_named_readable(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_named_readable(vals)
        return super().write(vals)

    def onchange(self, values, field_names, fields_spec):
        # a new wizard takes its defaults here
        [given] = with_defaults(self, [values], self._forklift_named_fields())
        self._check_named_readable(given)
        return super().onchange(values, field_names, fields_spec)

    @api.model
    def _forklift_named_fields(self):
        return [name for name, f in self._fields.items() if f.type == "many2one"]

    def _check_named_readable(self, values):
        """Refuse ``values`` naming, in a many2one of the wizard, a record
        the user may not read."""
        for name in self._forklift_named_fields():
            value = named_id(values.get(name))
            if value:
                self.env[self._fields[name].comodel_name].browse(value).check_access(
                    "read"
                )

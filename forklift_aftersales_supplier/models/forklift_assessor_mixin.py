from odoo import models


class ForkliftAssessorMixin(models.AbstractModel):
    """An assessment QA records (a responsibility trace, a timeliness
    assessment): what it says is its assessor's. Another user changes none of
    it while it names the assessor, but records his own (R-019, R-075, R-076,
    R-259); with no assessor left, nobody does."""

    _name = "forklift.assessor.mixin"
    _description = "Forklift Assessment Kept by Its Assessor"
    _inherit = ["forklift.flow.mixin"]

    def _get_locked_fields(self):
        locked = super()._get_locked_fields()
        # sudo: the stored assessor decides, whoever writes (none: nobody)
        if self.sudo().assessed_by_id != self.env.user:
            locked |= self._get_user_fields()
        return locked

    def _get_state_locked_message(self, names):
        return self.env._(
            "%(document)s is the assessment of %(assessor)s: only they change "
            "%(fields)s.",
            document=self.display_name,
            # sudo: the assessor's name, whoever writes
            assessor=self.sudo().assessed_by_id.name or "-",
            fields=self._get_field_labels(names),
        )

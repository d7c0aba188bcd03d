from odoo import api, fields, models

from .forklift_document_fields import computed_editable


class ForkliftUnitCompanyMixin(models.AbstractModel):
    """A record of one forklift, of the forklift's company whichever company
    the step that plans it is recorded from (R-002): a commissioning planned
    at delivery (R-124), a maintenance visit planned at acceptance (R-212).
    The inheriting model has ``unit_id``."""

    _name = "forklift.unit.company.mixin"
    _description = "Forklift After-Sales: Record of a Forklift's Company"

    company_id = computed_editable(
        fields.Many2one,
        "_compute_company_id",
        "res.company",
        required=True,
        precompute=True,
    )

    @api.depends("unit_id")
    def _compute_company_id(self):
        for record in self:
            record.company_id = (
                record.unit_id.company_id or record.company_id or self.env.company
            )

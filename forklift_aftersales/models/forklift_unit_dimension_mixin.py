from odoo import fields, models

from .forklift_document_fields import customer_link, unit_link
from .forklift_unit import MARKETS

# Months in service (MIS) bands of the failure rates (quality early warning).
MIS_BANDS = [
    ("0_3", "0–3 months"),
    ("4_6", "4–6 months"),
    ("7_12", "7–12 months"),
    ("over_12", "Over 12 months"),
]
# Hour-meter bands: (code, label, lower bound, upper bound or None), bounds in
# working hours, the lower one included.
HOUR_BANDS = [
    ("0_500", "0–500 h", 0.0, 500.0),
    ("500_1000", "500–1000 h", 500.0, 1000.0),
    ("1000_1500", "1000–1500 h", 1000.0, 1500.0),
    ("1500_3000", "1500–3000 h", 1500.0, 3000.0),
    ("over_3000", "Over 3000 h", 3000.0, None),
]
HOUR_BAND_SELECTION = [(code, label) for code, label, _low, _high in HOUR_BANDS]


class ForkliftUnitDimensionMixin(models.AbstractModel):
    """The forklift's dimensions a failure rate is grouped and filtered by:
    the failures and the units in service declare them alike, so that a rate
    divides by the units of the same group."""

    _name = "forklift.unit.dimension.mixin"
    _description = "Forklift Unit Dimensions"

    company_id = fields.Many2one("res.company", readonly=True)
    market = fields.Selection(MARKETS, readonly=True)
    unit_id = unit_link(readonly=True)
    model_id = fields.Many2one("product.product", readonly=True)
    vehicle_type_id = fields.Many2one("product.category", readonly=True)
    dealer_id = fields.Many2one("res.partner", readonly=True)
    partner_id = customer_link(readonly=True)
    mis_band = fields.Selection(MIS_BANDS, string="MIS Band", readonly=True)
    hour_band = fields.Selection(
        HOUR_BAND_SELECTION, string="Hour-Meter Band", readonly=True
    )

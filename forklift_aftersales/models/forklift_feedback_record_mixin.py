from odoo import fields, models

from .forklift_document_fields import document_company, sheet_link


class ForkliftFeedbackRecordMixin(models.AbstractModel):
    """A record raised on a feedback sheet: it cannot exist without the
    sheet, and belongs to the sheet's company and market, so that the
    company and market rules of the sheet reach it too. A record deleted with
    its sheet says ``ondelete="cascade"`` on its own ``feedback_id``."""

    _name = "forklift.feedback.record.mixin"
    _description = "Forklift Feedback Sheet Record"

    feedback_id = sheet_link(required=True, index=True)
    # from the sheet, computed before the record is inserted (not in an
    # update right after)
    company_id = document_company("feedback_id", precompute=True)
    market = fields.Selection(related="feedback_id.market", store=True, precompute=True)

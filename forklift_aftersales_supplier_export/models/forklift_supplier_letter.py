from odoo import api, models

from odoo.addons.forklift_aftersales.models.forklift_document_fields import (
    stamp_datetime,
    stamp_user,
)


class ForkliftSupplierLetter(models.Model):
    """The supplier's signed sheet of an export sheet is confirmed by the
    service center, then the overseas (export) division instead of QA
    (000 第一篇 L81 vs 000 §4.2.3.3, R-279)."""

    _inherit = "forklift.supplier.letter"

    export_confirmed_by_id = stamp_user(
        "Confirmed by the Overseas Division",
        groups="forklift_aftersales.group_forklift_viewer,"
        "forklift_aftersales_export.group_forklift_export_division",
        help="An export sheet's signed sheet is confirmed by the service center "
        "and the overseas division (000 第一篇 L81, R-279).",
    )
    export_confirmed_date = stamp_datetime(
        "Confirmed by the Overseas Division On",
        groups="forklift_aftersales.group_forklift_viewer,"
        "forklift_aftersales_export.group_forklift_export_division",
    )

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "export_confirmed_by_id",
            "export_confirmed_date",
        }

    @api.model
    def _get_confirmation_steps(self):
        return {
            **super()._get_confirmation_steps(),
            "export": self.env.ref(
                "forklift_aftersales_supplier_export."
                "tier_supplier_letter_export_division"
            ),
        }

    def action_confirm_export_division(self):
        """An export sheet's signed sheet is confirmed by the overseas division
        after the service center (000 第一篇 L81, R-279)."""
        self._confirm_sheet("export")

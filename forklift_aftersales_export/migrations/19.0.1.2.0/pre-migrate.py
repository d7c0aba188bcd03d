# Copyright 2026 Forklift After-Sales Team
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The export division, the export sales vice president and what names them
(rights, record rules, report recipients, the abnormal-parts tier, the export
numbering) moved from the core to this addon: their records keep their ids and
change owner, instead of being deleted with the core's update and created
again here (the groups' names are unique)."""

MOVED = (
    "group_forklift_export_division",
    "group_forklift_sales_vp_export",
    "report_recipient_daily_export",
    "report_recipient_monthly_export",
    "tier_parts_abnormal_sales_vp_export",
    "seq_forklift_feedback_export",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        r"""
        UPDATE ir_model_data
           SET module = 'forklift_aftersales_export'
         WHERE module = 'forklift_aftersales'
           AND (name IN %s
                OR name LIKE 'access\_%%\_export\_division'
                OR name LIKE '%%\_rule\_export\_division')
           AND name NOT IN (
               SELECT name FROM ir_model_data
                WHERE module = 'forklift_aftersales_export'
           )
        """,
        (MOVED,),
    )

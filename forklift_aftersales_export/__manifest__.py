# Copyright 2026 Forklift After-Sales Team
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Forklift After-Sales: Export",
    "summary": "Overseas cases handled with the export division and overseas dealers",
    "version": "19.0.1.2.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/forklift-aftersales/forklift-aftersales",
    "author": "Forklift After-Sales Team",
    "maintainers": ["forklift-aftersales"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["forklift_aftersales", "account"],
    "data": [
        "security/forklift_aftersales_export_security.xml",
        "security/ir.model.access.csv",
        "security/forklift_export_flow_rules.xml",
        "data/ir_sequence_data.xml",
        "data/forklift_duty_assignment_data.xml",
        "data/forklift_export_division_data.xml",
        "data/forklift_document_code_data.xml",
        "views/forklift_export_views.xml",
        "views/forklift_export_division_views.xml",
        "report/stock_picking_templates.xml",
        "report/stock_picking_reports.xml",
        "report/stock_picking_paper_templates.xml",
        "data/forklift_export_flow_data.xml",
    ],
    "demo": [
        "demo/forklift_aftersales_export_demo.xml",
    ],
}

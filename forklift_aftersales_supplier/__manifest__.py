# Copyright 2026 Forklift After-Sales Team
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Forklift After-Sales: Suppliers",
    "summary": "Supplier-caused failures: service contact letters, supplier portal, "
    "quality claims, responsibility tracing, timeliness assessment",
    "version": "19.0.1.0.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/forklift-aftersales/forklift-aftersales",
    "author": "Forklift After-Sales Team",
    "maintainers": ["forklift-aftersales"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["forklift_aftersales", "purchase", "purchase_stock"],
    "data": [
        "security/forklift_aftersales_supplier_security.xml",
        "security/ir.model.access.csv",
        "security/forklift_supplier_flow_rules.xml",
        "data/ir_sequence_data.xml",
        "data/ir_config_parameter_data.xml",
        "data/product_data.xml",
        "report/forklift_supplier_letter_reports.xml",
        "report/forklift_supplier_letter_templates.xml",
        "report/forklift_quality_claim_templates.xml",
        "report/forklift_document_code_templates.xml",
        "data/forklift_document_code_data.xml",
        "data/mail_template_data.xml",
        "views/forklift_supplier_letter_views.xml",
        "views/forklift_quality_claim_views.xml",
        "views/forklift_quality_views.xml",
        "views/forklift_feedback_views.xml",
        "views/forklift_supplier_portal_templates.xml",
        "views/forklift_parts_request_views.xml",
        "views/res_config_settings_views.xml",
        "data/forklift_supplier_flow_data.xml",
    ],
    "demo": [
        "demo/forklift_aftersales_supplier_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "forklift_aftersales_supplier/static/tests/tours/*.js",
        ],
    },
}

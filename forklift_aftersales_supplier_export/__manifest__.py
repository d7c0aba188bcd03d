# Copyright 2026 Forklift After-Sales Team
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Forklift After-Sales: Suppliers Abroad",
    "summary": "The export division confirms the supplier's signed sheet of an "
    "export sheet",
    "version": "19.0.1.0.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/forklift-aftersales/forklift-aftersales",
    "author": "Forklift After-Sales Team",
    "maintainers": ["forklift-aftersales"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": ["forklift_aftersales_supplier", "forklift_aftersales_export"],
    "data": [
        "security/ir.model.access.csv",
        "security/forklift_supplier_export_security.xml",
        "views/forklift_supplier_letter_views.xml",
        "data/forklift_supplier_export_flow_data.xml",
    ],
}

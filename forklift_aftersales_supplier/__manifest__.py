# Copyright 2026 Forklift After-Sales Team
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Forklift After-Sales: Suppliers",
    "summary": "Supplier-caused failures: service contact letters, supplier portal, "
    "quality claims",
    "version": "19.0.1.0.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/forklift-aftersales/forklift-aftersales",
    "author": "Forklift After-Sales Team",
    "maintainers": ["forklift-aftersales"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["forklift_aftersales", "purchase"],
    "data": [
        "security/forklift_aftersales_supplier_security.xml",
        "views/forklift_parts_request_views.xml",
    ],
}

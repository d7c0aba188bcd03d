"""Provision an end-to-end database, run inside ``odoo shell``.

Creates the people of the after-sales procedure (one user per role, two
dealers with their portal users), a forklift model, spare parts in stock and
forklifts, and one API key per user for ``/json/2``; prints them as JSON on
the last line of standard output. Everything the tests then do goes through
HTTP like any client would.
"""
# ruff: noqa: F821 (env is given by odoo shell)

import json
from datetime import date, datetime, timedelta

USERS = {
    "staff": ["forklift_aftersales.group_forklift_user"],
    "director": ["forklift_aftersales.group_forklift_director"],
    "director2": ["forklift_aftersales.group_forklift_director"],
    "technician": ["forklift_aftersales.group_forklift_user"],
    "qa": ["forklift_aftersales.group_forklift_qa"],
    "warehouse": ["forklift_aftersales.group_forklift_warehouse"],
    "export": ["forklift_aftersales_export.group_forklift_export_division"],
    "viewer": ["forklift_aftersales.group_forklift_viewer"],
    "integration": ["forklift_aftersales.group_forklift_user"],
    "aftersales_vp": ["forklift_aftersales.group_forklift_aftersales_vp"],
    "supply_vp": ["forklift_aftersales.group_forklift_supply_vp"],
    # committee seat holders
    "chief": ["forklift_aftersales.group_forklift_chief_engineer"],
    "qa_manager": ["forklift_aftersales.group_forklift_qa_manager"],
    "buyer": [
        "purchase.group_purchase_user",
        "forklift_aftersales.group_forklift_purchasing",
    ],
}


def user(login, groups, partner=None):
    vals = {
        "name": f"E2E {login}",
        "login": f"e2e_{login}",
        "password": f"e2e_{login}_pw",
        "email": f"e2e_{login}@example.com",
        "group_ids": [(6, 0, [env.ref(g).id for g in groups])],
    }
    if partner:
        vals["partner_id"] = partner.id
    record = env["res.users"].with_context(no_reset_password=True).create(vals)
    key = (
        env["res.users.apikeys"]
        .with_user(record)
        ._generate("rpc", "e2e", datetime.now() + timedelta(days=1))
    )
    return {
        "id": record.id,
        "login": vals["login"],
        "password": vals["password"],
        "key": key,
    }


out = {"users": {}}
for login, groups in USERS.items():
    out["users"][login] = user(login, groups)

Partner = env["res.partner"]
dealers = {}
for code in ("a", "b"):
    dealer = Partner.create(
        {
            "name": f"E2E Dealer {code.upper()}",
            "is_company": True,
            "is_forklift_dealer": True,
            "forklift_has_service_staff": True,
            "email": f"dealer_{code}@example.com",
        }
    )
    contact = Partner.create(
        {"name": f"E2E Dealer {code.upper()} Service", "parent_id": dealer.id}
    )
    dealers[code] = dealer
    out["users"][f"dealer_{code}"] = user(
        f"dealer_{code}", ["base.group_portal"], contact
    )
    out[f"dealer_{code}_id"] = dealer.id

customer = Partner.create(
    {
        "name": "E2E Harbour Logistics",
        "is_company": True,
        "email": "harbour@example.com",
    }
)
forklift = env["product.product"].create(
    {
        "name": "E2E CPCD30",
        "is_forklift": True,
        "is_storable": True,
        "tracking": "serial",
    }
)
part = env["product.product"].create(
    {
        "name": "E2E seal kit",
        "is_storable": True,
        "standard_price": 120,
        "lst_price": 260,
    }
)
spare = env.ref("forklift_aftersales.stock_location_spare_parts")
env["stock.quant"]._update_available_quantity(part, spare, 100000)
# a large release for the fault test: many distinct parts, one move each
many_parts = env["product.product"].create(
    [
        {"name": f"E2E part {i:02d}", "is_storable": True, "standard_price": 5}
        for i in range(60)
    ]
)
for product in many_parts:
    env["stock.quant"]._update_available_quantity(product, spare, 100)
units = {}
for code, dealer in dealers.items():
    for index in range(3):
        unit = env["forklift.unit"].create(
            {
                "name": f"E2E-{code.upper()}-{index}",
                "product_id": forklift.id,
                "partner_id": customer.id,
                "dealer_id": dealer.id,
                "delivery_date": date.today() - timedelta(days=60),
                "acceptance_date": date.today() - timedelta(days=60),
            }
        )
        units[unit.name] = unit.id
out.update(
    customer_id=customer.id,
    part_id=part.id,
    units=units,
    spare_id=spare.id,
    many_part_ids=many_parts.ids,
)

# Browser tours (static/tests/tours) look for these names.
env["res.users"].browse(out["users"]["technician"]["id"]).name = "Tour Technician"
controller = env["product.product"].create(
    {"name": "Tour Controller", "is_storable": True, "standard_price": 2400}
)
env["stock.quant"]._update_available_quantity(controller, spare, 5)
Case = env["forklift.feedback"]
diagnosis = {
    "verification": "<p>Checked on site.</p>",
    "responsibility": "manufacturing",
    "route": "technician",
}
parts_case = Case.create(
    {"unit_id": units["E2E-A-0"], "title": "Tour: parts", "description": "<p>x</p>"}
    | diagnosis
)
parts_case.action_verify()
for code, title in (("A", "own"), ("B", "other")):
    Case.create(
        {
            "unit_id": units[f"E2E-{code}-1"],
            "title": f"Dealer portal: {title} sheet",
            "description": "<p>Hydraulic pump noisy.</p>",
        }
    )
old_unit = env["forklift.unit"].create(
    {
        "name": "E2E-OLD-0",
        "product_id": forklift.id,
        "partner_id": customer.id,
        "acceptance_date": date.today() - timedelta(days=800),
    }
)
paid_case = Case.create(
    {"unit_id": old_unit.id, "title": "E2E paid repair", "description": "<p>x</p>"}
    | diagnosis
    | {"responsibility": "out_of_warranty"}
)
paid_case.action_verify()
quote = env["sale.order"].browse(paid_case.action_create_quote()["res_id"])
shoe = env["product.product"].create(
    {"name": "Aftermarket brake shoe", "lst_price": 80}
)
quote.order_line = [
    (
        0,
        0,
        {
            "product_id": shoe.id,
            "product_uom_qty": 2,
            "forklift_part_origin": "non_original",
        },
    )
]
out.update(quote_id=quote.id, quote_url=quote.get_portal_url())

# A supplier-caused failure: the contact letter waits for the supplier's answer.
supplier = Partner.create(
    {
        "name": "E2E Hydraulics Co.",
        "is_company": True,
        "supplier_rank": 1,
        "forklift_quality_agreement": "QA-2025-017",
        "forklift_service_capable": True,
    }
)
supplier.forklift_service_contact_id = Partner.create(
    {
        "name": "E2E Hydraulics after-sales",
        "parent_id": supplier.id,
        "email": "s@example.com",
    }
)
out["users"]["supplier"] = user(
    "supplier", ["base.group_portal"], supplier.forklift_service_contact_id
)
supplier_case = Case.create(
    {"unit_id": units["E2E-B-0"], "title": "E2E pump whines", "description": "<p>x</p>"}
    | diagnosis
    | {
        "responsibility": "supplier",
        "route": "supplier",
        "supplier_id": supplier.id,
        "supplier_part_id": part.id,
        "supplier_judged_by": "on_site",
    }
)
supplier_case.action_verify()
letter = env["forklift.supplier.letter"].browse(
    supplier_case.action_contact_supplier()["res_id"]
)
letter.action_send()
out["letter_id"] = letter.id
out["supplier_feedback_id"] = supplier_case.id

# An overseas customer served by a dealer abroad.
overseas_dealer = Partner.create(
    {
        "name": "E2E Gulf Equipment LLC",
        "is_company": True,
        "is_forklift_dealer": True,
        "forklift_has_service_staff": True,
        "email": "service@gulf.example.com",
        "country_id": env.ref("base.ae").id,
    }
)
overseas_customer = Partner.create(
    {
        "name": "E2E Jebel Ali Logistics",
        "is_company": True,
        "country_id": env.ref("base.ae").id,
    }
)
export_unit = env["forklift.unit"].create(
    {
        "name": "E2E-EXP-0",
        "product_id": forklift.id,
        "partner_id": overseas_customer.id,
        "dealer_id": overseas_dealer.id,
        "market": "export",
        "delivery_date": date.today() - timedelta(days=90),
        "acceptance_date": date.today() - timedelta(days=90),
    }
)
out.update(export_unit_id=export_unit.id, overseas_dealer_id=overseas_dealer.id)
env.cr.commit()
print("E2E-PROVISION " + json.dumps(out))

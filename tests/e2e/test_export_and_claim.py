"""The overseas case and the supplier quality claim, driven over HTTP."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

from harness import ApiClient, Client
from test_domestic_flow import SIGNATURE, fmt


def test_export_case_from_export_division_to_closed(server, users):
    export = Client(server, users["export"])
    # the export division provides the case information
    [case_id] = export.call(
        "forklift.case",
        "create",
        [
            {
                "unit_id": server.data["export_unit_id"],
                "title": "E2E overseas: mast chain noise",
                "channel": "email",
                "description": "<p>Noise from the mast chain at full height.</p>",
            }
        ],
    )
    director = Client(server, users["director"])
    [case] = director.call("forklift.case", "read", [case_id], ["name", "market"])
    assert case["market"] == "export"
    assert not case["name"].startswith("FB-D"), "export numbering"
    director.call(
        "forklift.case",
        "write",
        [case_id],
        {
            "verification": "<p>Chain needs tensioning.</p>",
            "responsibility": "manufacturing",
            "route": "dealer",
        },
    )
    director.call("forklift.case", "action_verify", [case_id])
    order_id = director.call("forklift.case", "action_create_service_order", [case_id])[
        "res_id"
    ]
    director.call(
        "forklift.service.order",
        "write",
        [order_id],
        {"performer_type": "dealer", "dealer_id": server.data["overseas_dealer_id"]},
    )
    director.call("forklift.service.order", "action_dispatch", [order_id])
    [order] = director.call(
        "forklift.service.order", "read", [order_id], ["dispatched_date"]
    )
    start = datetime.strptime(order["dispatched_date"], "%Y-%m-%d %H:%M:%S")
    director.call(
        "forklift.service.order",
        "write",
        [order_id],
        {
            "arrival_date": fmt(start + timedelta(minutes=1)),
            "finished_date": fmt(start + timedelta(minutes=2)),
            "work_done": "<p>Chain tensioned and lubricated.</p>",
        },
    )
    director.call("forklift.service.order", "action_done", [order_id])
    url = director.call("forklift.service.order", "get_portal_url", [order_id])
    token = parse_qs(urlparse(url).query)["access_token"][0]
    result = Client(server).jsonrpc(
        f"/my/forklift/service-orders/{order_id}/sign",
        access_token=token,
        name="Omar Saeed",
        signature=SIGNATURE,
    )
    assert "error" not in result, result
    director.call("forklift.service.order", "action_register", [order_id])
    director.call("forklift.case", "action_report_to_qa", [case_id])
    director.call("forklift.case", "action_close", [case_id])
    [closed] = export.call("forklift.case", "read", [case_id], ["state"])
    assert closed["state"] == "closed"
    # the signed sheet's copy went to the export division, not to QA
    partners = server.sql(
        "SELECT DISTINCT p.res_partner_id FROM mail_message m "
        "JOIN mail_message_res_partner_rel p ON p.mail_message_id = m.id "
        f"WHERE m.model = 'forklift.case' AND m.res_id = {case_id}"
    )
    export_partner = server.sql(
        f"SELECT partner_id FROM res_users WHERE id = {users['export']['id']}"
    )[0]
    qa_partner = server.sql(
        f"SELECT partner_id FROM res_users WHERE id = {users['qa']['id']}"
    )[0]
    assert export_partner in partners
    assert qa_partner not in partners


def test_supplier_claim_from_case_to_vendor_credit_note(server, users):
    qa = Client(server, users["qa"])
    case_id = server.data["supplier_case_id"]
    claim_id = qa.call("forklift.case", "action_create_quality_claim", [case_id])[
        "res_id"
    ]
    qa.call(
        "forklift.quality.claim",
        "write",
        [claim_id],
        {
            "line_ids": [
                [
                    0,
                    0,
                    {
                        "cost_type": "labour",
                        "name": "Visit, 3 h",
                        "quantity": 3,
                        "price_unit": 80,
                    },
                ]
            ]
        },
    )
    qa.call("forklift.quality.claim", "action_claim", [claim_id])
    buyer = Client(server, users["buyer"])
    buyer.call("forklift.quality.claim", "action_negotiate", [claim_id])
    buyer.call("forklift.quality.claim", "action_agree", [claim_id])
    buyer.call(
        "forklift.quality.claim",
        "write",
        [claim_id],
        {"settlement_mode": "credit_note"},
    )
    buyer.call("forklift.quality.claim", "action_settle", [claim_id])
    api = ApiClient(server, users["buyer"])
    [claim] = api.call(
        "forklift.quality.claim",
        "read",
        ids=[claim_id],
        fields=["state", "amount_agreed", "amount_recovered"],
    )
    assert claim["state"] == "settled"
    # no part was replaced on the case: the labour alone, 3 h at 80
    assert claim["amount_recovered"] == claim["amount_agreed"] == 240
    [[move_type, state, total]] = server.sql(
        "SELECT m.move_type, m.state, m.amount_total FROM account_move m "
        "JOIN forklift_quality_claim c ON c.refund_move_id = m.id "
        f"WHERE c.id = {claim_id}"
    )
    assert (move_type, state) == ("in_refund", "posted")
    assert float(total) == claim["amount_recovered"]

"""The overseas case and the supplier quality claim, driven over HTTP."""

from datetime import datetime, timedelta

from harness import ApiClient, Client
from test_domestic_flow import assert_reported, fmt, record_work, sign_and_close

# a one-page PDF: the supplier's scan of the signed paper sheet
SIGNED_SHEET = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_export_feedback_from_export_division_to_closed(server, users):
    export = Client(server, users["export"])
    # the export division provides the feedback
    [feedback_id] = export.call(
        "forklift.feedback",
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
    [case] = director.call(
        "forklift.feedback", "read", [feedback_id], ["name", "market"]
    )
    assert case["market"] == "export"
    assert not case["name"].startswith("FB-D"), "export numbering"
    director.call(
        "forklift.feedback",
        "write",
        [feedback_id],
        {
            "verification": "<p>Chain needs tensioning.</p>",
            "responsibility": "manufacturing",
            "route": "dealer",
        },
    )
    director.call("forklift.feedback", "action_verify", [feedback_id])
    order_id = director.create_from(
        "forklift.feedback",
        "action_create_service_order",
        feedback_id,
        {"performer_type": "dealer", "dealer_id": server.data["overseas_dealer_id"]},
    )
    director.call("forklift.service.order", "action_dispatch", [order_id])
    record_work(director, order_id, "<p>Chain tensioned and lubricated.</p>")
    director.call("forklift.service.order", "action_done", [order_id])
    sign_and_close(server, director, order_id, feedback_id, "Omar Saeed")
    [closed] = export.call("forklift.feedback", "read", [feedback_id], ["state"])
    assert closed["state"] == "closed"
    # the signed sheet's copy went to the export division, not to QA
    partners = server.sql(
        "SELECT DISTINCT p.res_partner_id FROM mail_message m "
        "JOIN mail_message_res_partner_rel p ON p.mail_message_id = m.id "
        f"WHERE m.model = 'forklift.feedback' AND m.res_id = {feedback_id}"
    )
    export_partner = server.sql(
        f"SELECT partner_id FROM res_users WHERE id = {users['export']['id']}"
    )[0]
    qa_partner = server.sql(
        f"SELECT partner_id FROM res_users WHERE id = {users['qa']['id']}"
    )[0]
    assert export_partner in partners
    assert qa_partner not in partners
    assert_reported(server, users, feedback_id)


def test_supplier_feedback_from_letter_to_closed_claim_and_report(server, users):
    """The supplier answers the contact letter, reports its work and sends
    the signed sheet on its portal; the service center and QA file it and
    close the sheet; QA claims the cost, purchasing settles it by a vendor
    credit note; the sheet is in the month's statistics."""
    feedback_id = server.data["supplier_feedback_id"]
    letter_id = server.data["letter_id"]
    director = Client(server, users["director"])
    supplier = Client(server, users["supplier"])
    page = f"/my/forklift/letters/{letter_id}"

    def letter_state():
        [letter] = director.call(
            "forklift.supplier.letter", "read", [letter_id], ["state"]
        )
        return letter["state"]

    [[order_id, dispatched]] = server.sql(
        "SELECT o.id, o.dispatched_date FROM forklift_supplier_letter l "
        "JOIN forklift_service_order o ON o.id = l.service_order_id "
        f"WHERE l.id = {letter_id}"
    )
    order_id = int(order_id)
    dispatched = datetime.fromisoformat(dispatched.split(".")[0])
    if letter_state() == "sent":  # unless the browser tour answered it
        supplier.post_form(
            page,
            f"{page}/answer",
            {
                "cannot_come_in_time": "0",
                "supplier_technician": "Zhou Lei",
                "technician_phone": "139 0000 0000",
                "planned_visit_date": fmt(dispatched + timedelta(hours=4)),
            },
        )
    assert letter_state() == "answered"
    landed = supplier.post_form(
        page,
        f"{page}/done",
        {
            "arrival_date": fmt(dispatched + timedelta(seconds=1)),
            "finished_date": fmt(dispatched + timedelta(seconds=2)),
            "work_done": "Pump replaced, pressure checked.",
        },
    )
    assert "message=saved" in landed.url, landed.url
    assert letter_state() == "done"
    # a sheet without its signer is refused and changes nothing
    refused = supplier.post_form(
        page,
        f"{page}/sheet",
        {"signed_by": ""},
        files={"signed_sheet": ("sheet.pdf", SIGNED_SHEET, "application/pdf")},
    )
    assert "alert-danger" in refused.text and "message=saved" not in refused.url
    assert letter_state() == "done"
    supplier.post_form(
        page,
        f"{page}/sheet",
        {"signed_by": "Wang Jun"},
        files={"signed_sheet": ("sheet.pdf", SIGNED_SHEET, "application/pdf")},
    )
    assert letter_state() == "sheet_received"
    [order] = director.call("forklift.service.order", "read", [order_id], ["state"])
    assert order["state"] == "signed"

    # the service center confirms the signed sheet first, then QA (000 §4.5)
    qa = Client(server, users["qa"])
    Client(server, users["staff"]).call(
        "forklift.supplier.letter", "action_confirm_service_center", [letter_id]
    )
    qa.call("forklift.supplier.letter", "action_confirm_qa", [letter_id])
    assert letter_state() == "filed"
    director.call("forklift.feedback", "action_report_to_qa", [feedback_id])
    director.call("forklift.feedback", "action_close", [feedback_id])

    claim_id = qa.create_from(
        "forklift.feedback",
        "action_create_quality_claim",
        feedback_id,
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

    row = assert_reported(server, users, feedback_id)
    assert row["Supplier"] == "E2E Hydraulics Co."

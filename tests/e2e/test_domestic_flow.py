"""The domestic case from the customer's call to the closed sheet, driven
from outside like an integrating system and the staff's browsers would."""

import base64
import html
import io
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlparse
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from harness import ApiClient, Client, RpcError

# a 1x1 PNG, as the signature widget sends it
SIGNATURE = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c02"
        "0000000b4944415478da63646000000006000230813fcf0000000049454e44ae426082"
    )
).decode()


def fmt(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def photo(order_id):
    """A photo of the quality problem for the order's work report (R-068)."""
    return [
        0,
        0,
        {
            "name": "problem.png",
            "datas": SIGNATURE,
            "res_model": "forklift.service.order",
            "res_id": order_id,
        },
    ]


def record_work(client, order_id, work_done, **values):
    """The performer arrives a minute after the dispatch and finishes a
    minute later; ``client`` reports ``work_done`` with a photo (R-068),
    ``values`` adds to the report."""
    [order] = client.call(
        "forklift.service.order", "read", [order_id], ["dispatched_date"]
    )
    start = datetime.strptime(order["dispatched_date"], "%Y-%m-%d %H:%M:%S")
    client.call(
        "forklift.service.order",
        "write",
        [order_id],
        {
            "arrival_date": fmt(start + timedelta(minutes=1)),
            "finished_date": fmt(start + timedelta(minutes=2)),
            "work_done": work_done,
            "photo_ids": [photo(order_id)],
            **values,
        },
    )


def mailed_sign_path(server, director, order_id):
    """The service center mails the finished order to its customer; the
    sign route of the link in that mail (the order's token, the customer and
    the hash that names him, which only the server makes), as his mailbox
    holds it (R-080)."""
    [order] = director.call(
        "forklift.service.order", "read", [order_id], ["partner_id"]
    )
    message_id = director.call(
        "forklift.service.order",
        "message_post",
        [order_id],
        body="Please sign the finished service order.",
        partner_ids=[order["partner_id"][0]],
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
        context={"mail_notify_force_send": False},
    )
    if isinstance(message_id, list):
        [message_id] = message_id
    # the link of the mail (psql prints the body one line a row)
    [[link]] = server.sql(
        'SELECT substring(body_html from \'href="([^"]*/mail/view[?][^"]*)"\') '
        "FROM mail_mail JOIN mail_mail_res_partner_rel AS rel "
        "ON rel.mail_mail_id = mail_mail.id "
        f"WHERE mail_message_id = {int(message_id)} "
        f"AND rel.res_partner_id = {int(order['partner_id'][0])}"
    )
    assert link, "the mail links the order"
    query = parse_qs(urlparse(html.unescape(link)).query)
    path = f"/my/forklift/service-orders/{order_id}/sign?" + urlencode(
        {"pid": query["pid"][0], "hash": query["hash"][0]}
    )
    return path, query["access_token"][0]


def sign_and_close(server, director, order_id, feedback_id, signer, **extra):
    """The customer signs the finished order from its mailed link (no login);
    the director registers the signed sheet, reports the case and closes it."""
    path, token = mailed_sign_path(server, director, order_id)
    result = Client(server).jsonrpc(
        path,
        access_token=token,
        name=signer,
        signature=SIGNATURE,
        **extra,
    )
    assert "error" not in result, result
    director.call("forklift.service.order", "action_register", [order_id])
    # an own technician's report is reviewed by the director (004 §4.4 D)
    [order] = director.call(
        "forklift.service.order", "read", [order_id], ["needs_director_review"]
    )
    if order["needs_director_review"]:
        director.call(
            "forklift.service.order",
            "write",
            [order_id],
            {"director_review_note": "Checked with the technician."},
        )
        director.call("forklift.service.order", "action_director_review", [order_id])
    director.call("forklift.feedback", "action_report_to_qa", [feedback_id])
    director.call("forklift.feedback", "action_close", [feedback_id])


def assert_reported(server, users, feedback_id):
    """The closed sheet is in its market's statistics of the month: the
    director produces them and downloads the spreadsheet, as the monthly
    mailing does (000 §4.1.4)."""
    director = Client(server, users["director"])
    [case] = director.call(
        "forklift.feedback", "read", [feedback_id], ["name", "market", "company_id"]
    )
    [[tz]] = server.sql(
        "SELECT COALESCE(p.tz, 'UTC') FROM res_company c "
        "JOIN res_partner p ON p.id = c.partner_id "
        f"WHERE c.id = {case['company_id'][0]}"
    )
    month = datetime.now(ZoneInfo(tz)).date().replace(day=1)
    period = [
        ("report_type", "=", "monthly"),
        ("market", "=", case["market"]),
        ("date_from", "=", str(month)),
    ]
    report = director.call("forklift.aftersales.report", "search", period)
    if not report:
        report = director.call(
            "forklift.aftersales.report",
            "create",
            [{name: value for name, _op, value in period}],
        )
    director.call("forklift.aftersales.report", "action_produce", report)
    [figures] = director.call(
        "forklift.aftersales.report", "read", report, ["feedback_count", "closed_count"]
    )
    assert figures["closed_count"] >= 1
    response = director.get(
        f"/report/xlsx/forklift_aftersales.report_aftersales_xlsx/{report[0]}"
    )
    assert response.status_code == 200, response.text[:300]
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book["Feedback Sheets"]
    header, *rows = sheet.iter_rows(values_only=True)
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert case["name"] in rows, f"{case['name']} is not in the monthly statistics"
    assert len(rows) == figures["feedback_count"]
    assert rows[case["name"]]["Status"] == "Closed"
    return rows[case["name"]]


def test_domestic_feedback_from_call_to_closed(server, users):
    api = ApiClient(server, users["integration"])
    unit_id = server.data["units"]["E2E-A-0"]
    # the call center system files the customer's call
    [feedback_id] = api.call(
        "forklift.feedback",
        "create",
        vals_list=[
            {
                "unit_id": unit_id,
                "title": "E2E mast drops under load",
                "channel": "phone",
                "hour_meter": 420,
                "description": "<p>Forks sink with 2 t on them.</p>",
            }
        ],
    )
    [case] = api.call(
        "forklift.feedback",
        "read",
        ids=[feedback_id],
        fields=["name", "state", "partner_id"],
    )
    assert case["name"].startswith("FB-D")
    assert case["state"] == "draft"
    assert case["partner_id"][0] == server.data["customer_id"]

    director = Client(server, users["director"])
    director.call(
        "forklift.feedback",
        "write",
        [feedback_id],
        {
            "verification": "<p>Lift cylinder seal leaking.</p>",
            "responsibility": "manufacturing",
            "route": "technician",
        },
    )
    director.call("forklift.feedback", "action_verify", [feedback_id])
    [deadline] = director.call(
        "forklift.feedback", "read", [feedback_id], ["dispatch_deadline", "state"]
    )
    assert deadline["state"] == "verified"
    assert deadline["dispatch_deadline"]

    order_id = director.create_from(
        "forklift.feedback",
        "action_create_service_order",
        feedback_id,
        {"technician_id": users["technician"]["id"]},
    )
    director.call("forklift.service.order", "action_dispatch", [order_id])

    technician = Client(server, users["technician"])
    record_work(
        technician,
        order_id,
        "<p>Replaced the seal kit.</p>",
        part_ids=[
            [
                0,
                0,
                {
                    "product_id": server.data["part_id"],
                    "quantity": 1,
                    "failed_serial": "SK-0001",
                    "damage_description": "Seal lip torn",
                },
            ]
        ],
    )
    technician.call("forklift.service.order", "action_done", [order_id])
    [order] = technician.call("forklift.service.order", "read", [order_id], ["state"])
    assert order["state"] == "done"

    # the customer signs on the technician's tablet, on the portal page
    sign_and_close(
        server,
        director,
        order_id,
        feedback_id,
        "Wang Jun",
        opinion="Fixed the same day.",
    )
    [closed] = api.call(
        "forklift.feedback", "read", ids=[feedback_id], fields=["state"]
    )
    assert closed["state"] == "closed"
    assert_reported(server, users, feedback_id)


def test_private_methods_are_not_reachable(server, users):
    staff = Client(server, users["staff"])
    with pytest.raises(RpcError) as error:
        staff.call("forklift.service.order", "_sign", [1], "x", SIGNATURE)
    assert "private" in error.value.message.lower()

"""What a dealer's portal user, a read-only user or a careless client may try,
through every route, and what held. Prints the table of attempts."""

import json

import pytest
from harness import ApiClient, Client, RpcError

ROWS = []


@pytest.fixture(scope="module", autouse=True)
def print_table():
    yield
    width = max(len(row[0]) for row in ROWS)
    lines = [f"{'attempt':<{width}}  expected  result"]
    lines += [f"{what:<{width}}  {exp:<8}  {got}" for what, exp, got in ROWS]
    print("\n" + "\n".join(lines))


def attempt(what, func, expect="refused"):
    """Run one attempt; record whether it was refused and what was said."""
    try:
        result = func()
    except RpcError as error:
        got = f"refused ({error.name.rsplit('.', 1)[-1]}: {error.message[:60]})"
    else:
        got = "allowed" if result is not False else "refused"
        if isinstance(result, str):
            got = result
    ROWS.append((what, expect, got))
    return got


@pytest.fixture(scope="module")
def records(server, users):
    staff = Client(server, users["staff"])
    ids = {}
    for code in ("a", "b"):
        ids[f"feedback_{code}"] = staff.call(
            "forklift.feedback",
            "create",
            [
                {
                    "unit_id": server.data["units"][f"E2E-{code.upper()}-2"],
                    "title": f"E2E security {code}",
                    "description": "<p>x</p>",
                }
            ],
        )[0]
    # dealer A's sheet goes to a service order that dealer A performs
    director = Client(server, users["director"])
    director.call(
        "forklift.feedback",
        "write",
        [ids["feedback_a"]],
        {
            "verification": "<p>Worn mast chain.</p>",
            "responsibility": "manufacturing",
            "route": "dealer",
        },
    )
    director.call("forklift.feedback", "action_verify", [ids["feedback_a"]])
    ids["order_a"] = director.create_from(
        "forklift.feedback", "action_create_service_order", ids["feedback_a"]
    )
    return ids


def test_dealer_cannot_reach_another_dealers_sheet(server, users, records):
    feedback_a = records["feedback_a"]
    dealer_b = Client(server, users["dealer_b"])
    api_b = ApiClient(server, users["dealer_b"])
    assert dealer_b.call("forklift.feedback", "search", [])  # it sees its own
    assert feedback_a not in dealer_b.call("forklift.feedback", "search", [])

    got = attempt(
        "dealer B reads dealer A's sheet via /web/dataset/call_kw",
        lambda: dealer_b.call(
            "forklift.feedback", "read", [feedback_a], ["description"]
        ),
    )
    assert got.startswith("refused")
    got = attempt(
        "dealer B writes dealer A's sheet via /web/dataset/call_kw",
        lambda: dealer_b.call(
            "forklift.feedback", "write", [feedback_a], {"title": "hacked"}
        ),
    )
    assert got.startswith("refused")
    got = attempt(
        "dealer B reads dealer A's sheet via /json/2",
        lambda: api_b.call(
            "forklift.feedback", "read", ids=[feedback_a], fields=["title"]
        ),
    )
    assert got.startswith("refused")

    def portal_page():
        response = dealer_b.get(
            f"/my/forklift/sheets/{feedback_a}", allow_redirects=False
        )
        if response.status_code == 200 and "E2E security a" in response.text:
            return "allowed"
        return f"refused (HTTP {response.status_code})"

    assert attempt("dealer B opens dealer A's portal page", portal_page).startswith(
        "refused"
    )

    order_a = records["order_a"]
    report = "/report/pdf/forklift_aftersales.report_forklift_service_order/"

    def report_url(client, url):
        response = client.get(url, allow_redirects=False)
        if response.headers.get("Content-Type", "").startswith("application/pdf"):
            return "allowed"
        return f"refused (HTTP {response.status_code})"

    # dealer A prints its own service order from its portal page
    dealer_a = Client(server, users["dealer_a"])
    own = f"/my/forklift/service-orders/{order_a}?report_type=pdf"
    assert report_url(dealer_a, own) == "allowed"
    got = attempt(
        "dealer B prints dealer A's service order by its id",
        lambda: report_url(dealer_b, f"{report}{order_a}"),
    )
    assert got == "refused (HTTP 403)"
    got = attempt(
        "dealer B prints it from dealer A's portal page",
        lambda: report_url(dealer_b, own),
    )
    assert got == "refused (HTTP 303)"
    [case] = Client(server, users["staff"]).call(
        "forklift.feedback", "read", [feedback_a], ["title"]
    )
    assert case["title"] == "E2E security a", "nothing changed"


def test_read_only_user_and_staff_stay_in_their_rights(server, users, records):
    viewer = Client(server, users["viewer"])
    got = attempt(
        "viewer creates a feedback sheet",
        lambda: viewer.call("forklift.feedback", "create", [{"title": "x"}]),
    )
    assert got.startswith("refused")
    staff = Client(server, users["staff"])
    got = attempt(
        "service staff edits stock quantities",
        lambda: staff.call(
            "stock.quant", "create", [{"product_id": server.data["part_id"]}]
        ),
    )
    assert got.startswith("refused")


def test_bad_input_gets_a_clear_error_and_changes_nothing(server, users, records):
    staff = Client(server, users["staff"])
    before = staff.call("forklift.feedback", "search_count", [])
    unit = server.data["units"]["E2E-A-2"]
    cases = [
        ("hour meter as text", {"unit_id": unit, "title": "x", "hour_meter": "abc"}),
        ("unknown forklift id", {"unit_id": 999999, "title": "x"}),
        ("title of 100,000 characters", {"unit_id": unit, "title": "x" * 100000}),
        ("negative hour meter", {"unit_id": unit, "title": "x", "hour_meter": -5}),
    ]
    for what, vals in cases:
        got = attempt(
            f"create a sheet with {what}",
            lambda vals=vals: staff.call("forklift.feedback", "create", [vals]),
        )
        assert got.startswith("refused"), what
    got = attempt(
        "parts request with a negative quantity",
        lambda: staff.call(
            "forklift.parts.request",
            "create",
            [
                {
                    "feedback_id": records["feedback_a"],
                    "technician_id": users["technician"]["id"],
                    "line_ids": [
                        [
                            0,
                            0,
                            {
                                "product_id": server.data["part_id"],
                                "quantity": -3,
                                "warranty_reason": "unqualified",
                            },
                        ]
                    ],
                }
            ],
        ),
    )
    assert got.startswith("refused")
    assert staff.call("forklift.feedback", "search_count", []) == before


def test_forms_need_their_csrf_token(server, users):
    client = Client(server)
    response = client.http.post(
        f"{server.url}/web/login",
        data={"login": users["staff"]["login"], "password": users["staff"]["password"]},
        allow_redirects=False,
        timeout=30,
    )
    got = (
        "allowed"
        if response.status_code in (200, 303)
        and "session_id" in str(response.cookies)
        and response.status_code == 303
        else f"refused (HTTP {response.status_code})"
    )
    ROWS.append(("log in by a form posted without CSRF token", "refused", got))
    assert got.startswith("refused")


def test_json2_refuses_a_wrong_key(server):
    fake = {"key": "not-a-key"}
    response = ApiClient(server, fake).raw("forklift.feedback", "search", domain=[])
    got = (
        f"refused (HTTP {response.status_code})"
        if response.status_code
        in (
            401,
            403,
        )
        else "allowed"
    )
    ROWS.append(("/json/2 with a wrong API key", "refused", got))
    assert got.startswith("refused"), json.dumps(response.text[:200])


def import_closed_sheet(client):
    """An import with a state column, as the import screen sends it."""
    result = client.call(
        "forklift.feedback",
        "load",
        ["unit_id/.id", "title", "state"],
        [[str(client.server.data["units"]["E2E-A-2"]), "forged", "closed"]],
    )
    if result["ids"]:
        return "allowed"
    return f"refused (import: {result['messages'][0]['message'][:50]})"


def test_flow_fields_refused_through_every_route(server, users, records):
    """R-005, R-206 (000 §4.2.1, §4.3.1.2): a state, a step's date or signer, a
    company, written by a client through call_kw, /json/2 or an import, is
    refused and changes nothing; the flow's own context key sent by the client
    lifts nothing."""
    staff = Client(server, users["staff"])
    api = ApiClient(server, users["staff"])
    feedback_a = records["feedback_a"]
    [before] = staff.call(
        "forklift.feedback", "read", [feedback_a], ["state", "company_id"]
    )
    forged = [
        (
            "staff closes a sheet by writing its state (call_kw)",
            lambda: staff.call(
                "forklift.feedback", "write", [feedback_a], {"state": "closed"}
            ),
        ),
        (
            "staff closes a sheet by writing its state (/json/2)",
            lambda: api.call(
                "forklift.feedback", "write", ids=[feedback_a], vals={"state": "closed"}
            ),
        ),
        (
            "staff sends the flow's context key with the state",
            lambda: staff.call(
                "forklift.feedback",
                "write",
                [feedback_a],
                {"state": "closed"},
                context={"forklift_flow_write": True, "skip_validation_check": True},
            ),
        ),
        (
            "staff creates a sheet already closed (/json/2)",
            lambda: api.call(
                "forklift.feedback",
                "create",
                vals_list=[
                    {
                        "unit_id": server.data["units"]["E2E-A-2"],
                        "title": "forged",
                        "state": "closed",
                    }
                ],
            ),
        ),
        ("staff imports a closed sheet (load)", lambda: import_closed_sheet(staff)),
    ]
    for what, func in forged:
        assert attempt(what, func).startswith("refused"), what
    [after] = staff.call(
        "forklift.feedback", "read", [feedback_a], ["state", "company_id"]
    )
    assert after == before, "nothing changed"
    assert not staff.call("forklift.feedback", "search", [("title", "=", "forged")])


def test_approvals_cannot_be_skipped_or_forged(server, users):
    """R-005 (000 §4.3.1.2): nobody marks his own review approved, approves a
    request before its reviews, nor cancels and re-approves it to skip them."""
    from test_faults import parts_request

    staff = Client(server, users["staff"])
    api = ApiClient(server, users["staff"])
    request_id = parts_request(server, users, [server.data["part_id"]])
    [request] = staff.call(
        "forklift.parts.request", "read", [request_id], ["state", "review_ids"]
    )
    assert request["review_ids"], "reviews were requested"
    attempts = [
        (
            "staff marks his own tier review approved (call_kw)",
            lambda: staff.call(
                "tier.review", "write", request["review_ids"], {"status": "approved"}
            ),
        ),
        (
            "staff creates an approved tier review (/json/2)",
            lambda: api.call(
                "tier.review",
                "create",
                vals_list=[
                    {
                        "model": "forklift.parts.request",
                        "res_id": request_id,
                        "status": "approved",
                    }
                ],
            ),
        ),
        (
            "staff approves a request whose reviews are pending",
            lambda: staff.call(
                "forklift.parts.request", "action_approve", [request_id]
            ),
        ),
        (
            "staff cancels then writes the request approved",
            lambda: (
                staff.call("forklift.parts.request", "action_cancel", [request_id]),
                staff.call(
                    "forklift.parts.request",
                    "write",
                    [request_id],
                    {"state": "approved"},
                ),
            ),
        ),
    ]
    for what, func in attempts:
        assert attempt(what, func).startswith("refused"), what
    [after] = staff.call(
        "forklift.parts.request", "read", [request_id], ["state", "picking_id"]
    )
    assert after["state"] in ("draft", "cancel")
    assert not after["picking_id"], "no delivery was made"
    statuses = server.sql(
        "SELECT status FROM tier_review WHERE model = 'forklift.parts.request' "
        f"AND res_id = {request_id}"
    )
    assert "approved" not in {row[0] for row in statuses}


def test_only_the_reviewer_whose_turn_it_is_rejects(server, users):
    """R-005 (000 §4.3.1.2): a request above 2000 waits for the after-sales
    VP, then the supply VP. Staff who read it, and the supply VP before his
    turn, cannot reject it over /json/2 or call_kw (OCA would cancel the review
    waiting its turn, and the request could never be approved); the after-sales
    VP, whose turn it is, rejects it."""
    from test_faults import parts_request

    request_id = parts_request(server, users, [server.data["part_id"]] * 17)

    def statuses():
        rows = server.sql(
            "SELECT status FROM tier_review WHERE model = 'forklift.parts.request' "
            f"AND res_id = {request_id} ORDER BY sequence"
        )
        return [row[0] for row in rows]

    assert statuses() == ["pending", "waiting"]
    attempts = [
        (
            "staff rejects a request he does not review (/json/2)",
            lambda: ApiClient(server, users["staff"]).call(
                "forklift.parts.request", "reject_tier", ids=[request_id]
            ),
        ),
        (
            "supply VP rejects before his turn (call_kw)",
            lambda: Client(server, users["supply_vp"]).call(
                "forklift.parts.request", "reject_tier", [request_id]
            ),
        ),
    ]
    for what, func in attempts:
        assert attempt(what, func).startswith("refused"), what
        assert statuses() == ["pending", "waiting"], "nothing changed"
    vp = ApiClient(server, users["aftersales_vp"])
    vp.call("forklift.parts.request", "reject_tier", ids=[request_id])
    assert statuses() == ["rejected", "cancel"]


def test_portal_user_reads_no_review(server, users):
    """A dealer's portal user does not read the approvals by RPC (000 §4.3.1.2)."""
    dealer = Client(server, users["dealer_a"])
    got = attempt(
        "dealer reads the tier reviews (call_kw)",
        lambda: dealer.call("tier.review", "search_read", [], ["status"]),
    )
    assert got.startswith("refused")


def test_stored_supplier_refused_through_every_route(server, users):
    """R-005, R-256, R-261 (000 §4.1.6, §4.2.4): the supplier of a replaced
    part is set by the server when the part is recorded; a client that sends
    another one, on a create or a write, through call_kw or /json/2, is refused
    and the stored supplier does not change."""
    staff = Client(server, users["staff"])
    api = ApiClient(server, users["staff"])
    director = Client(server, users["director"])
    other = server.data["dealer_b_id"]
    [sheet] = staff.call(
        "forklift.feedback",
        "create",
        [
            {
                "unit_id": server.data["units"]["E2E-B-2"],
                "title": "E2E stored supplier",
                "description": "<p>Seal kit leaking.</p>",
            }
        ],
    )
    director.call(
        "forklift.feedback",
        "write",
        [sheet],
        {
            "verification": "<p>Seal kit worn.</p>",
            "responsibility": "manufacturing",
            "route": "dealer",
        },
    )
    director.call("forklift.feedback", "action_verify", [sheet])
    order = director.call("forklift.feedback", "action_create_service_order", [sheet])[
        "res_id"
    ]
    part = {"order_id": order, "product_id": server.data["part_id"], "quantity": 1}
    [line] = staff.call("forklift.service.order.part", "create", [part])
    [before] = staff.call(
        "forklift.service.order.part", "read", [line], ["supplier_id"]
    )
    forged = [
        (
            "staff records a part with a supplier of his choice (call_kw)",
            lambda: staff.call(
                "forklift.service.order.part",
                "create",
                [part | {"supplier_id": other}],
            ),
        ),
        (
            "staff records a part with a supplier of his choice (/json/2)",
            lambda: api.call(
                "forklift.service.order.part",
                "create",
                vals_list=[part | {"supplier_id": other}],
            ),
        ),
        (
            "staff rewrites a replaced part's supplier (call_kw)",
            lambda: staff.call(
                "forklift.service.order.part", "write", [line], {"supplier_id": other}
            ),
        ),
        (
            "staff rewrites a replaced part's supplier (/json/2)",
            lambda: api.call(
                "forklift.service.order.part",
                "write",
                ids=[line],
                vals={"supplier_id": other},
            ),
        ),
        (
            "staff sends the flow's context key with the supplier",
            lambda: staff.call(
                "forklift.service.order.part",
                "write",
                [line],
                {"supplier_id": other},
                context={"forklift_flow_write": True},
            ),
        ),
    ]
    for what, func in forged:
        assert attempt(what, func).startswith("refused"), what
    [after] = staff.call("forklift.service.order.part", "read", [line], ["supplier_id"])
    assert after == before, "the stored supplier did not change"
    assert (
        staff.call(
            "forklift.service.order.part", "search_count", [("order_id", "=", order)]
        )
        == 1
    ), "no forged part was recorded"


def test_serial_record_quote_and_logs_hold_over_json2(server, users, records):
    """The controls reached around the forms, tried through /json/2 as an
    integrating system would (and call_kw for the dealer's portal session):
    a forklift is not renamed or deleted through its serial record (R-065,
    R-211, 000 第四篇 §4); the warehouse does not reprice a sheet's quote the
    customer signs (R-104, 001 §5.2); the export division adds no part to a
    domestic service order (R-047, R-289, 000-I L25); a dealer does not read
    the internal log of its own sheet by id (R-055). Each user reaches the
    record otherwise, so the refusal is the control's, and nothing changes."""
    staff = ApiClient(server, users["staff"])
    warehouse = ApiClient(server, users["warehouse"])
    export = ApiClient(server, users["export"])
    dealer = Client(server, users["dealer_a"])
    unit = server.data["units"]["E2E-B-2"]
    [forklift] = staff.call("forklift.unit", "read", ids=[unit], fields=["lot_id"])
    lot = forklift["lot_id"][0]
    # the serial record's own fields stay open to staff
    staff.call("stock.lot", "write", ids=[lot], vals={"ref": "yard 3"})
    [line] = server.sql(
        "SELECT id, price_unit FROM sale_order_line "
        f"WHERE order_id = {server.data['quote_id']} AND display_type IS NULL "
        "ORDER BY id LIMIT 1"
    )
    quote_line = int(line[0])
    assert warehouse.call("sale.order.line", "read", ids=[quote_line], fields=["name"])
    order = records["order_a"]
    parts_before = server.sql(
        f"SELECT count(*) FROM forklift_service_order_part WHERE order_id = {order}"
    )
    feedback = records["feedback_a"]
    assert dealer.call("forklift.feedback", "read", [feedback], ["title"])
    [[log]] = server.sql(
        "SELECT id FROM mail_message WHERE model = 'forklift.feedback' "
        f"AND res_id = {feedback} AND message_type = 'notification' "
        "ORDER BY id LIMIT 1"
    )
    attempts = [
        (
            "staff renames a forklift through its serial record (/json/2)",
            lambda: staff.call(
                "stock.lot", "write", ids=[lot], vals={"name": "E2E-RENAMED"}
            ),
            "director changes the serial number",
        ),
        (
            "warehouse deletes a forklift's serial record (/json/2)",
            lambda: warehouse.call("stock.lot", "unlink", ids=[lot]),
            "delete 'Forklift Unit'",
        ),
        (
            "warehouse reprices a sheet's quote line (/json/2)",
            lambda: warehouse.call(
                "sale.order.line", "write", ids=[quote_line], vals={"price_unit": 1}
            ),
            "Only sales people change the quote",
        ),
        (
            "export division adds a part to a domestic order (/json/2)",
            lambda: export.call(
                "forklift.service.order.part",
                "create",
                vals_list=[
                    {
                        "order_id": order,
                        "product_id": server.data["part_id"],
                        "quantity": 1,
                    }
                ],
            ),
            "AccessError",
        ),
        (
            "dealer reads an internal log of its own sheet by id (call_kw)",
            lambda: dealer.call("mail.message", "read", [int(log)], ["body"]),
            "AccessError",
        ),
    ]
    for what, func, control in attempts:
        got = attempt(what, func)
        assert got.startswith("refused") and control in got, (what, got)
    [after] = staff.call("forklift.unit", "read", ids=[unit], fields=["name"])
    assert after["name"] == "E2E-B-2"
    assert server.sql(f"SELECT name FROM stock_lot WHERE id = {lot}") == [["E2E-B-2"]]
    assert server.sql(
        f"SELECT id, price_unit FROM sale_order_line WHERE id = {line[0]}"
    ) == [line]
    assert (
        server.sql(
            f"SELECT count(*) FROM forklift_service_order_part WHERE order_id = {order}"
        )
        == parts_before
    )

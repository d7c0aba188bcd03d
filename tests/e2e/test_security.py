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
        ids[f"case_{code}"] = staff.call(
            "forklift.case",
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
        "forklift.case",
        "write",
        [ids["case_a"]],
        {
            "verification": "<p>Worn mast chain.</p>",
            "responsibility": "manufacturing",
            "route": "dealer",
        },
    )
    director.call("forklift.case", "action_verify", [ids["case_a"]])
    action = director.call(
        "forklift.case", "action_create_service_order", [ids["case_a"]]
    )
    ids["order_a"] = action["res_id"]
    return ids


def test_dealer_cannot_reach_another_dealers_sheet(server, users, records):
    case_a = records["case_a"]
    dealer_b = Client(server, users["dealer_b"])
    api_b = ApiClient(server, users["dealer_b"])
    assert dealer_b.call("forklift.case", "search", [])  # it sees its own
    assert case_a not in dealer_b.call("forklift.case", "search", [])

    got = attempt(
        "dealer B reads dealer A's sheet via /web/dataset/call_kw",
        lambda: dealer_b.call("forklift.case", "read", [case_a], ["description"]),
    )
    assert got.startswith("refused")
    got = attempt(
        "dealer B writes dealer A's sheet via /web/dataset/call_kw",
        lambda: dealer_b.call("forklift.case", "write", [case_a], {"title": "hacked"}),
    )
    assert got.startswith("refused")
    got = attempt(
        "dealer B reads dealer A's sheet via /json/2",
        lambda: api_b.call("forklift.case", "read", ids=[case_a], fields=["title"]),
    )
    assert got.startswith("refused")

    def portal_page():
        response = dealer_b.get(f"/my/forklift/cases/{case_a}", allow_redirects=False)
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
        "forklift.case", "read", [case_a], ["title"]
    )
    assert case["title"] == "E2E security a", "nothing changed"


def test_read_only_user_and_staff_stay_in_their_rights(server, users, records):
    viewer = Client(server, users["viewer"])
    got = attempt(
        "viewer creates a feedback sheet",
        lambda: viewer.call("forklift.case", "create", [{"title": "x"}]),
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
    before = staff.call("forklift.case", "search_count", [])
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
            lambda vals=vals: staff.call("forklift.case", "create", [vals]),
        )
        assert got.startswith("refused"), what
    got = attempt(
        "parts request with a negative quantity",
        lambda: staff.call(
            "forklift.parts.request",
            "create",
            [
                {
                    "case_id": records["case_a"],
                    "technician_id": users["technician"]["id"],
                    "line_ids": [
                        [0, 0, {"product_id": server.data["part_id"], "quantity": -3}]
                    ],
                }
            ],
        ),
    )
    assert got.startswith("refused")
    assert staff.call("forklift.case", "search_count", []) == before


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
    response = ApiClient(server, fake).raw("forklift.case", "search", domain=[])
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

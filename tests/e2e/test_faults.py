"""Faults a real deployment meets: two reviewers clicking at once, and a
worker killed in the middle of a parts release."""

import os
import signal
import threading
import time

import requests
from harness import Client, RpcError


def parts_request(server, users, products=None, request=True):
    """A warranty parts request for the given parts, on a sheet of its own:
    the approval bands count the sheet's total (REQUIREMENTS A-03), and the
    amount is the parts' cost, never typed; its validation requested unless
    ``request`` is false."""
    staff = Client(server, users["staff"])
    feedback_id = staff.call(
        "forklift.feedback",
        "create",
        [
            {
                "unit_id": server.data["units"]["E2E-A-1"],
                "title": "E2E faults",
                "description": "<p>x</p>",
                "verification": "<p>x</p>",
                "responsibility": "manufacturing",
                "route": "technician",
            }
        ],
    )[0]
    Client(server, users["director"]).call(
        "forklift.feedback", "action_verify", [feedback_id]
    )
    request_id = staff.call(
        "forklift.parts.request",
        "create",
        [
            {
                "feedback_id": feedback_id,
                "technician_id": users["technician"]["id"],
                "line_ids": [
                    [
                        0,
                        0,
                        {
                            "product_id": product_id,
                            "quantity": 1,
                            "warranty_reason": "unqualified",
                        },
                    ]
                    for product_id in products
                ],
            }
        ],
    )[0]
    if request:
        staff.call("forklift.parts.request", "request_validation", [request_id])
    return request_id


def call_at_once(clients, model, method, record_id):
    """Each client calls ``method`` on the record in a thread of its own, the
    threads released together; return their outcomes: "ok" or the name of
    the error each call raised."""
    barrier = threading.Barrier(len(clients))
    outcomes = []

    def call(client):
        barrier.wait()
        try:
            client.call(model, method, [record_id])
            outcomes.append("ok")
        except RpcError as error:
            outcomes.append(error.name)

    threads = [threading.Thread(target=call, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_validation_requested_twice_at_once_asks_once(server, users):
    """R-005: a double click (two workers) on "Request Validation" asks the
    approvers once. The two requests both write the document's validation
    status: the second waits for the first, fails to serialize, and Odoo runs
    it again on the reviews the first created, so it creates none."""
    request_id = parts_request(server, users, [server.data["part_id"]], request=False)
    clients = [Client(server, users["staff"]) for _ in range(2)]
    outcomes = call_at_once(
        clients, "forklift.parts.request", "request_validation", request_id
    )
    reviews = server.sql(
        "SELECT definition_id FROM tier_review "
        f"WHERE model = 'forklift.parts.request' AND res_id = {request_id}"
    )
    assert len(reviews) == 1, (outcomes, reviews)
    [[status]] = server.sql(
        f"SELECT validation_status FROM forklift_parts_request WHERE id = {request_id}"
    )
    assert status in ("waiting", "pending"), status
    print(f"\nconcurrent requests for validation: {sorted(outcomes)} -> 1 review")


def test_two_reviewers_approving_at_once_record_one_approval(server, users):
    request_id = parts_request(server, users, [server.data["part_id"]])
    clients = [Client(server, users["director"]), Client(server, users["director2"])]
    outcomes = call_at_once(
        clients, "forklift.parts.request", "validate_tier", request_id
    )
    reviews = server.sql(
        "SELECT status, done_by FROM tier_review "
        f"WHERE model = 'forklift.parts.request' AND res_id = {request_id}"
    )
    assert [status for status, _ in reviews] == ["approved"], reviews
    assert reviews[0][1] in {
        str(users["director"]["id"]),
        str(users["director2"]["id"]),
    }
    pickings = server.sql(
        f"SELECT id FROM stock_picking WHERE forklift_parts_request_id = {request_id}"
    )
    assert len(pickings) == 1, "approved once: one delivery"
    [[state]] = server.sql(
        f"SELECT state FROM forklift_parts_request WHERE id = {request_id}"
    )
    assert state == "approved"
    print(
        f"\nconcurrent approvals: {sorted(outcomes)} -> 1 review approved, 1 delivery"
    )


def test_the_last_two_members_signing_at_once_decide(server, users):
    """R-020, R-057: three seat holders meet; the chair asks for the
    signatures and the other two sign at the same moment, in two workers.
    Each approval counts the reviews still waiting: the two take turns, so
    the last one decides, instead of both seeing the other's pending and
    leaving the decision unapplied with every signature given."""
    model = "forklift.committee.review"
    chief, qa_manager, director = (
        Client(server, users[login]) for login in ("chief", "qa_manager", "director")
    )
    review_id = chief.call(
        model, "create", [{"title": "E2E brake batch", "subject_type": "other"}]
    )[0]
    for member in (chief, qa_manager, director):
        member.call(model, "action_confirm_attendance", [review_id])
    chief.call(model, "write", [review_id], {"decision": "<p>Recall the batch.</p>"})
    chief.call(model, "request_validation", [review_id])
    outcomes = call_at_once((qa_manager, director), model, "validate_tier", review_id)
    assert outcomes == ["ok", "ok"], outcomes
    reviews = server.sql(
        f"SELECT status FROM tier_review WHERE model = '{model}' "
        f"AND res_id = {review_id}"
    )
    assert sorted(status for (status,) in reviews) == ["approved", "approved"]
    [[state, status]] = server.sql(
        "SELECT state, validation_status FROM forklift_committee_review "
        f"WHERE id = {review_id}"
    )
    assert state in ("decided", "done") and status == "validated", (state, status)
    print(f"\nconcurrent last signatures: {outcomes} -> decided")


def test_worker_killed_mid_release_leaves_nothing_half_done(server, users):
    products = server.data["many_part_ids"]
    request_id = parts_request(server, users, products)
    Client(server, users["director"]).call(
        "forklift.parts.request", "validate_tier", [request_id]
    )
    [[picking_id]] = server.sql(
        f"SELECT id FROM stock_picking WHERE forklift_parts_request_id = {request_id}"
    )
    picking_id = int(picking_id)
    warehouse = Client(server, users["warehouse"])
    failures = []

    def release():
        try:
            warehouse.call("stock.picking", "button_validate", [picking_id])
        except (requests.RequestException, RpcError, ValueError) as error:
            failures.append(type(error).__name__)

    thread = threading.Thread(target=release)
    thread.start()
    time.sleep(0.15)
    killed = server.worker_pids()
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    thread.join(timeout=120)
    server.stop()
    server.start()

    [[picking_state]] = server.sql(
        f"SELECT state FROM stock_picking WHERE id = {picking_id}"
    )
    [[request_state]] = server.sql(
        f"SELECT state FROM forklift_parts_request WHERE id = {request_id}"
    )
    done_moves = server.sql(
        f"SELECT count(*) FROM stock_move WHERE picking_id = {picking_id} "
        "AND state = 'done'"
    )[0][0]
    returns = server.sql(
        f"SELECT count(*) FROM forklift_oldpart_return WHERE request_id = {request_id}"
    )[0][0]
    print(
        f"\nkilled workers {killed} during the release ({failures or 'no error'}): "
        f"picking {picking_state}, request {request_state}, "
        f"{done_moves}/{len(products)} moves done, {returns} old-part return(s)"
    )
    if picking_state == "done":
        assert (request_state, int(done_moves), returns) == (
            "shipped",
            len(products),
            "1",
        )
    else:
        assert (request_state, done_moves, returns) == ("approved", "0", "0")
        # the warehouse simply validates again
        Client(server, users["warehouse"]).call(
            "stock.picking", "button_validate", [picking_id]
        )
        [[request_state]] = server.sql(
            f"SELECT state FROM forklift_parts_request WHERE id = {request_id}"
        )
        assert request_state == "shipped"
    duplicates = server.sql(
        "SELECT name FROM forklift_parts_request GROUP BY name HAVING count(*) > 1 "
        "UNION ALL SELECT name FROM forklift_feedback GROUP BY name HAVING count(*) > 1"
    )
    assert not duplicates
    orphans = server.sql(
        "SELECT r.id FROM forklift_parts_request r WHERE r.state = 'draft' AND "
        "EXISTS (SELECT 1 FROM tier_review t WHERE t.model = 'forklift.parts.request' "
        "AND t.res_id = r.id) AND NOT EXISTS (SELECT 1 FROM tier_review t WHERE "
        "t.model = 'forklift.parts.request' AND t.res_id = r.id "
        "AND t.status != 'approved')"
    )
    assert not orphans, "a fully approved request left in draft"

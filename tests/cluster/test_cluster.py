"""Two Odoo nodes on a PostgreSQL primary and its hot standby, behind HAProxy
(``setup/cluster.sh``): what a user of a deployment past one machine relies
on. The annual and monthly statistics (R-006, R-007, 000 §6.5: pivot and graph
views) are read on the standby so that they do not slow the people filing
sheets; the sheets keep one numbering (R-001) whichever node files them.

Bounded waits only (the machine is small and shared): every poll has a
generous limit and no assertion is on a duration.
"""

import re
import threading
import time
import uuid
from datetime import date

from cluster import wait_for
from harness import RpcError

SHEET = {
    "description": "<p>cluster</p>",
    "verification": "<p>cluster</p>",
    "responsibility": "manufacturing",
    "route": "technician",
}


def new_sheet(cluster, client, title, index=0):
    units = list(cluster.data["units"].values())
    return client.call(
        "forklift.feedback",
        "create",
        [{"unit_id": units[index % len(units)], "title": title, **SHEET}],
    )


def test_login_and_session_on_both_nodes(cluster, users):
    """R-044 (000 §4.1): the service center's staff work through either node.
    A login through the proxy works whichever node serves it, and the
    session it opens is valid on the other node too (the sessions are in the
    shared data directory)."""
    login_nodes = set()
    for _ in range(10):
        client = cluster.client(users["staff"])
        login_nodes.add(client.last_node)
        if login_nodes >= {"a", "b"}:
            break
    assert login_nodes >= {"a", "b"}, f"logins only served by {login_nodes}"

    call_nodes = set()
    for _ in range(10):
        assert client.call("forklift.feedback", "search_count", []) >= 0
        call_nodes.add(client.last_node)
    assert call_nodes >= {"a", "b"}, f"calls only served by {call_nodes}"

    # the same session cookie straight to each node
    for node in ("a", "b"):
        direct = cluster.client(None, node=node)
        direct.http.cookies.update(client.http.cookies)
        info = direct.jsonrpc("/web/session/get_session_info")
        assert info["uid"] == users["staff"]["id"], node


def _statements(cluster, standby, like):
    return {
        queryid: int(calls)
        for queryid, calls in cluster.sql(
            "SELECT queryid, sum(calls) FROM pg_stat_statements "
            "WHERE dbid = (SELECT oid FROM pg_database "
            f"WHERE datname = '{cluster.db}') "
            f"AND query LIKE '{like}' GROUP BY queryid",
            standby=standby,
            db="postgres",
        )
    }


def test_statistics_on_standby_sheets_on_primary(cluster, users):
    """R-006, R-007 (000 §6.5): the statistics (pivot and graph reads of the
    feedback sheet and part statistics) are answered by the standby, and a
    sheet is created on the primary, then seen on the standby."""
    for standby in (False, True):
        cluster.sql("SELECT pg_stat_statements_reset()", standby=standby, db="postgres")
    viewer = cluster.client(users["viewer"])
    staff = cluster.client(users["staff"])
    for _ in range(2):  # both nodes, whichever answers first
        groups = viewer.call(
            "forklift.feedback.analysis",
            "formatted_read_group",
            [],
            groupby=["fault_category_id", "severity"],
            aggregates=["__count", "answer_on_time:avg"],
        )
        assert isinstance(groups, list)
        viewer.call(
            "forklift.part.analysis",
            "web_read_group",
            [],
            groupby=["product_id"],
            aggregates=["quantity_replaced:sum"],
        )
    title = f"Cluster routing {uuid.uuid4().hex[:8]}"
    feedback_ids = new_sheet(cluster, staff, title)
    assert feedback_ids

    # PostgreSQL publishes a backend's counters when it is idle (within ~10 s)
    on_standby = wait_for(
        lambda: _statements(cluster, True, "%forklift_feedback_analysis%"), timeout=90
    )
    assert on_standby, "no statistics query ran on the standby"
    on_primary = _statements(cluster, False, "%forklift_feedback_analysis%")
    assert not set(on_standby) & set(on_primary), (
        "the same statistics queries also ran on the primary"
    )
    inserts = wait_for(
        lambda: _statements(cluster, False, 'INSERT INTO "forklift_feedback"%'),
        timeout=90,
    )
    assert inserts, "no sheet insert counted on the primary"
    assert not _statements(cluster, True, 'INSERT INTO "forklift_feedback"%')
    # streamed to the standby
    replicated = wait_for(
        lambda: cluster.sql(
            f"SELECT name FROM forklift_feedback WHERE id = {feedback_ids[0]}",
            standby=True,
        ),
        timeout=60,
    )
    assert replicated and replicated[0][0] not in ("/", "")


# Odoo's request log line ends with the cursor it used: "ro" (the replica),
# "rw" (the primary), "ro->rw" (a read-only route that tried to write).
REQUEST_RE = re.compile(
    r'"POST (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) .* (?P<mode>\S+)$'
)


def cursor_modes(cluster, path_part):
    modes = []
    for node in ("a", "b"):
        log = cluster.directory / f"log/odoo-{node}.log"
        for line in log.read_text(errors="replace").splitlines():
            match = REQUEST_RE.search(line)
            if match and path_part in match["path"]:
                modes.append(match["mode"])
    return modes


def test_monthly_report_on_primary_its_sheets_on_standby(cluster, users):
    """R-008, R-073 (000 §4.1.6): producing a monthly report writes, so the
    primary serves it; opening
    its sheets only reads (``@api.readonly``), so the standby does; the
    statistics' pivot reads are on the standby too (000 §4.1.6)."""
    director = cluster.client(users["director"])
    today = date.today()
    start = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    report_id = director.call(
        "forklift.aftersales.report",
        "create",
        [{"report_type": "monthly", "market": "domestic", "date_from": str(start)}],
    )[0]
    director.call("forklift.aftersales.report", "action_produce", [report_id])
    action = director.call(
        "forklift.aftersales.report", "action_view_cases", [report_id]
    )
    assert action["res_model"] == "forklift.feedback.analysis"
    state = wait_for(
        lambda: cluster.sql(
            f"SELECT state FROM forklift_aftersales_report WHERE id = {report_id}",
            standby=True,
        ),
        timeout=60,
    )
    assert state == [["produced"]]
    # the request log lines are written when the answer is sent
    assert wait_for(
        lambda: cursor_modes(cluster, "forklift.aftersales.report/action_view_cases"),
        timeout=30,
    ) == ["ro"]
    assert set(cursor_modes(cluster, "forklift.aftersales.report/action_produce")) == {
        "rw"
    }
    assert set(
        cursor_modes(cluster, "forklift.feedback.analysis/formatted_read_group")
    ) == {"ro"}
    # no read-only request had to be served again by the primary
    assert "ro->rw" not in cursor_modes(cluster, "/")


def test_each_cron_runs_once(cluster):
    """R-073, R-170 (000 §4.1.6): every scheduled action of the product
    (reminders, daily summary, monthly reports) that falls due runs exactly once
    across the two nodes (cron threads on node a only), and is scheduled
    again for its next time."""
    crons = cluster.sql(
        "SELECT c.id, c.interval_number, c.interval_type FROM ir_cron c "
        "JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id "
        "WHERE d.module LIKE 'forklift_aftersales%' AND c.active"
    )
    assert crons, "no scheduled action of the product"
    ids = ",".join(row[0] for row in crons)

    def due():
        return cluster.sql(
            f"SELECT id FROM ir_cron WHERE id IN ({ids}) "
            "AND nextcall <= now() AT TIME ZONE 'UTC'"
        )

    def jobs_state():
        """What Odoo knows of the jobs, for a failure to say why."""
        return cluster.sql(
            "SELECT c.id, c.nextcall, c.lastcall, c.failure_count, "
            "(SELECT max(p.create_date) FROM ir_cron_progress p "
            "WHERE p.cron_id = c.id) FROM ir_cron c "
            f"WHERE c.id IN ({ids}) ORDER BY c.id"
        )

    # the jobs the seed database left due run when node a starts: the run
    # measured starts once they are done, two seconds apart, as Odoo records
    # a job's last call to the second
    settled = wait_for(lambda: not due(), timeout=240, step=2)
    assert settled, f"jobs still due after node a started: {jobs_state()}"
    time.sleep(2)
    (marker,) = cluster.sql("SELECT now() AT TIME ZONE 'UTC'")[0]
    cluster.sql(
        "UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' - interval '1 minute' "
        f"WHERE id IN ({ids})"
    )
    # what Odoo does when a job is triggered: wake the cron workers up
    cluster.sql(f"NOTIFY cron_trigger, '{cluster.db}'", db="postgres")

    def runs():
        return {
            cron_id: int(count)
            for cron_id, count in cluster.sql(
                "SELECT c.id, count(p.id) FROM ir_cron c LEFT JOIN ir_cron_progress p "
                f"ON p.cron_id = c.id AND p.create_date >= '{marker}' "
                f"WHERE c.id IN ({ids}) "
                f"AND c.lastcall >= date_trunc('second', '{marker}'::timestamp) "
                "GROUP BY c.id"
            )
        }

    done = wait_for(lambda: len(runs()) == len(crons), timeout=240, step=2)
    assert done, f"not every job ran: {runs()} of {ids}; {jobs_state()}"
    time.sleep(5)  # a second run, if any, would show now
    assert runs() == {row[0]: 1 for row in crons}
    not_again = cluster.sql(
        f"SELECT id FROM ir_cron WHERE id IN ({ids}) "
        "AND (nextcall <= now() AT TIME ZONE 'UTC' OR failure_count > 0)"
    )
    assert not not_again, f"jobs due again or failing: {not_again}"


def test_node_killed_under_load(cluster, users):
    """R-001 (000 §4.1.1): node b is killed (SIGKILL) while clients file
    sheets through the proxy
    at a steady pace: the proxy sends the next requests to node a, the failed
    requests are counted, and none of them left a half-written sheet; no
    acknowledged sheet is lost and no sheet number is given twice."""
    run = uuid.uuid4().hex[:8]
    clients = [cluster.client(users["staff"], keep_alive=False) for _ in range(4)]
    outcomes = []  # (title, "ok"/"failed", node, ids or error, after the kill)
    lock = threading.Lock()
    killed = threading.Event()
    stop = threading.Event()

    def work(index, client):
        n = 0
        while not stop.is_set():
            n += 1
            title = f"Cluster {run} {index}-{n}"
            after = killed.is_set()
            try:
                ids = new_sheet(cluster, client, title, index + n)
                outcome = (title, "ok", client.last_node, ids, after)
            except (RpcError, OSError, ValueError) as error:
                outcome = (title, "failed", client.last_node, str(error)[:200], after)
            with lock:
                outcomes.append(outcome)
            time.sleep(0.3)

    threads = [
        threading.Thread(target=work, args=(i, c)) for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    try:
        # load on both nodes first, then the kill in the middle of it
        wait_for(lambda: {o[2] for o in outcomes if o[1] == "ok"} >= {"a", "b"}, 120)
        cluster.kill_node("b")
        killed.set()
        wait_for(
            lambda: sum(1 for o in outcomes if o[4] and o[1] == "ok") >= 20,
            timeout=180,
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=300)

    failed = [o for o in outcomes if o[1] == "failed"]
    after_kill = [o for o in outcomes if o[4] and o[1] == "ok"]
    print(
        f"\n{len(outcomes)} sheet requests, {len(failed)} failed around the kill "
        f"({sum(1 for o in failed if o[4])} of them sent after it): "
        + "; ".join(o[3] for o in failed[:8])
    )
    # only the requests in flight on node b when it died failed: one at
    # most per client (each has one request in flight at a time)
    failed_clients = [o[0].rsplit(" ", 1)[1].split("-")[0] for o in failed]
    assert len(failed_clients) == len(set(failed_clients)), failed
    assert len(after_kill) >= 20, "the proxy did not move the load to node a"
    assert {o[2] for o in after_kill[-10:]} == {"a"}

    rows = cluster.sql(
        "SELECT title, name, id FROM forklift_feedback"
        f" WHERE title LIKE 'Cluster {run} %'"
    )
    by_title = {}
    for title, name, feedback_id in rows:
        by_title.setdefault(title, []).append((name, int(feedback_id)))
    # no request wrote twice, and every number is given once
    assert all(len(found) == 1 for found in by_title.values()), by_title
    names = [name for name, _id in (found[0] for found in by_title.values())]
    assert len(names) == len(set(names))
    assert all(name not in ("/", "", "New") for name in names)
    for title, status, _node, result, _after in outcomes:
        if status == "ok":
            # acknowledged: there, with its number
            assert by_title.get(title, [(None, None)])[0][1] == result[0], title
    # a failed request either wrote nothing or a whole sheet (a transaction
    # committed just before its answer was lost): never a sheet without its
    # number or its first message in the chatter
    for title, *_rest in failed:
        for name, feedback_id in by_title.get(title, []):
            assert name not in ("/", "", "New")
            assert cluster.sql(
                "SELECT 1 FROM mail_message WHERE model = 'forklift.feedback' "
                f"AND res_id = {feedback_id} LIMIT 1"
            ), title

    # the node comes back with the same command, idempotently
    cluster.run("start")
    assert wait_for(lambda: cluster.node_up("b"), timeout=120)

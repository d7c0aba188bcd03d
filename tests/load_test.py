"""Load test: concurrent clients against a multi-worker server.

Each client logs in as service-center staff and, until the time is up, files
a feedback sheet, verifies it, creates and dispatches its service order, and
applies for warranty parts. Prints throughput, p50/p95 latency per operation
and errors, then checks that no sheet number was lost or duplicated.

    .venv/bin/python tests/load_test.py [--clients 50] [--duration 60]
        [--workers 2] [--think 0] [--ramp 5] [--smoke]

``--think`` is the mean pause, in seconds, of a client between two requests
(drawn from an exponential distribution, as a person at work or a system
sending its events would pause); 0 is a closed loop in which each client sends
its next request as soon as the last one is answered, which measures how much
the server can do. The clients start over ``--ramp`` seconds.

It creates and provisions its own database (tests/e2e/harness.py) and runs
Odoo with --workers (default 2). Figures, not assertions: the script fails
only when a request errors or a number is lost or duplicated.

``--proxy`` runs the same on the cluster of setup/cluster.sh (a primary, its
hot standby, two nodes of --workers each, HAProxy) in three parts: the closed
loop of --clients directly on node a, then through HAProxy (both nodes); then
a paced load (--paced-clients, one sheet every --paced-think s each) while
--stats-clients read the annual statistics without pause, once served by the
standby and once by the primary (the nodes restarted without a replica), and
compares the sheet-creation p95 of the two.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "e2e"))

sys.path.insert(0, str(Path(__file__).parent / "cluster"))

from harness import Client, MissingDatabase, RpcError, Server  # noqa: E402


def percentile(values, pct):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(pct / 100 * (len(values) - 1))))]


def log_in(server, users, errors):
    """The staff member's and the director's sessions of one client."""
    try:
        return (
            Client(server, users["staff"], keep_alive=False),
            Client(server, users["director"], keep_alive=False),
        )
    except (RpcError, OSError) as error:
        errors["log in"].append(str(error)[:120])
        return None


def run_client(
    server, users, sessions, index, stop_at, timings, errors, created, think
):
    pauses = random.Random(index)
    staff, director = sessions
    units = list(server.data["units"].values())

    def timed(op, func):
        if think:
            time.sleep(pauses.expovariate(1 / think))
        start = time.perf_counter()
        try:
            return func()
        except (RpcError, OSError) as error:
            errors[op].append(str(error)[:120])
            return None
        finally:
            timings[op].append(time.perf_counter() - start)

    n = 0
    while time.time() < stop_at:
        n += 1
        feedback_ids = timed(
            "create sheet",
            lambda n=n: staff.call(
                "forklift.feedback",
                "create",
                [
                    {
                        "unit_id": units[(index + n) % len(units)],
                        "title": f"Load {index}-{n}",
                        "description": "<p>load</p>",
                        "verification": "<p>load</p>",
                        "responsibility": "manufacturing",
                        "route": "technician",
                    }
                ],
            ),
        )
        if not feedback_ids:
            continue
        created.extend(feedback_ids)
        feedback_id = feedback_ids[0]
        verified = timed(
            "verify",
            lambda feedback_id=feedback_id: (
                director.call("forklift.feedback", "action_verify", [feedback_id])
                or True
            ),
        )
        if not verified:
            continue
        action = timed(
            "create + dispatch order",
            lambda feedback_id=feedback_id: director.call(
                "forklift.feedback", "action_create_service_order", [feedback_id]
            ),
        )
        if action:
            timed(
                "create + dispatch order",
                lambda action=action: (
                    director.call(
                        "forklift.service.order",
                        "write",
                        [action["res_id"]],
                        {"technician_id": users["technician"]["id"]},
                    ),
                    director.call(
                        "forklift.service.order", "action_dispatch", [action["res_id"]]
                    ),
                ),
            )
        timed(
            "apply for parts",
            lambda feedback_id=feedback_id: staff.call(
                "forklift.parts.request",
                "request_validation",
                staff.call(
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
                                        "product_id": server.data["part_id"],
                                        "quantity": 1,
                                        "warranty_reason": "unqualified",
                                    },
                                ]
                            ],
                        }
                    ],
                ),
            ),
        )


def drive(server, users, clients, duration, think, ramp):
    """Run ``clients`` clients against ``server`` for ``duration`` seconds;
    returns the timings and errors per operation, the sheets created and the
    time it took."""
    timings, errors, created = defaultdict(list), defaultdict(list), []
    # People log in once a day, not between two sheets: the sessions are
    # opened before the clock starts (a login hashes the password on
    # purpose slowly, about a second of a worker's time).
    with ThreadPoolExecutor(max_workers=4) as pool:
        sessions = list(
            pool.map(lambda _i: log_in(server, users, errors), range(clients))
        )
    sessions = [pair for pair in sessions if pair]
    stop_at = time.time() + ramp + duration
    threads = [
        threading.Thread(
            target=run_client,
            args=(server, users, pair, i, stop_at, timings, errors, created, think),
        )
        for i, pair in enumerate(sessions)
    ]
    started = time.time()
    for thread in threads:
        thread.start()
        time.sleep(ramp / max(clients, 1))
    for thread in threads:
        thread.join()
    return timings, errors, created, time.time() - started


def print_figures(title, timings, errors, created, elapsed):
    operations = sum(len(values) for values in timings.values())
    print(
        f"\n{title}, {elapsed:.0f} s: {len(created)} sheets "
        f"({len(created) / elapsed:.1f}/s), {operations / elapsed:.1f} operations/s"
    )
    print(f"{'operation':<26}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for op, values in timings.items():
        print(
            f"{op:<26}{len(values):>7}{statistics.median(values) * 1000:>9.0f}"
            f"{percentile(values, 95) * 1000:>9.0f}{len(errors[op]):>8}"
        )


def check_numbers(sql, created):
    """The distinct numbers of the sheets created, and those given twice."""
    ids = ",".join(str(feedback_id) for feedback_id in created) or "0"
    names = sql(
        "SELECT name, count(*) FROM forklift_feedback "
        f"WHERE name IN (SELECT name FROM forklift_feedback WHERE id IN ({ids})) "
        "GROUP BY name"
    )
    duplicated = [name for name, count in names if count != "1"]
    print(
        f"sheet numbers: {len(names)} distinct for {len(created)} sheets created, "
        f"{len(duplicated)} duplicated"
    )
    return len(names) == len(created) and not duplicated


def print_errors(errors):
    for op, messages in errors.items():
        for message in messages[:3]:
            print(f"error in {op}: {message}")


def read_annual_statistics(client, stop_at, timings, errors):
    """What the annual statistics and their pivot views read: a year of
    sheets by month and fault category, of part lines by part and month."""
    year = time.strftime("%Y")
    domain = [["date", ">=", f"{year}-01-01"], ["date", "<", f"{int(year) + 1}-01-01"]]
    while time.time() < stop_at:
        start = time.perf_counter()
        try:
            client.call(
                "forklift.feedback.analysis",
                "formatted_read_group",
                domain,
                groupby=["date:month", "fault_category_id", "product_id"],
                aggregates=["__count", "answer_on_time:avg", "onsite_on_time:avg"],
            )
            client.call(
                "forklift.part.analysis",
                "formatted_read_group",
                domain,
                groupby=["product_id", "date:month"],
                aggregates=["quantity_replaced:sum", "cost:sum"],
            )
        except (RpcError, OSError) as error:
            errors["annual statistics"].append(str(error)[:120])
        finally:
            timings["annual statistics"].append(time.perf_counter() - start)


def paced_with_statistics(cluster, users, args):
    """Paced sheet creation through the proxy while the statistics are read
    without pause; returns the timings and errors, and the sheets."""
    timings, errors, created = defaultdict(list), defaultdict(list), []
    endpoint = cluster.endpoint()
    readers = [
        Client(endpoint, users["viewer"], keep_alive=False)
        for _ in range(args.stats_clients)
    ]
    sessions = [log_in(endpoint, users, errors) for _ in range(args.paced_clients)]
    sessions = [pair for pair in sessions if pair]
    stop_at = time.time() + args.duration
    threads = [
        threading.Thread(
            target=read_annual_statistics, args=(reader, stop_at, timings, errors)
        )
        for reader in readers
    ] + [
        threading.Thread(
            target=run_client,
            args=(
                endpoint,
                users,
                pair,
                i,
                stop_at,
                timings,
                errors,
                created,
                args.paced_think,
            ),
        )
        for i, pair in enumerate(sessions)
    ]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, created, time.time() - started


def main_proxy(args):
    import tempfile

    from cluster import Cluster

    directory = args.cluster_dir or tempfile.mkdtemp(prefix="forklift-cluster-")
    Path(directory).chmod(0o755)
    seed = os.environ.get("CLUSTER_SEED")  # a saved database (tests/cluster)
    cluster = Cluster(Path(directory), args.db, Path(seed) if seed else None)
    cluster.env["CLUSTER_WORKERS"] = str(args.workers)
    ok = True
    results = {}
    try:
        print(f"starting the cluster in {directory}...", flush=True)
        cluster.start()
        users = cluster.data["users"]
        for label, node in (("directly on node a", "a"), ("through HAProxy", None)):
            figures = drive(
                cluster.endpoint(node),
                users,
                args.clients,
                args.duration,
                args.think,
                args.ramp,
            )
            print_figures(
                f"{args.clients} clients, {args.think:g} s mean pause, {label} "
                f"({args.workers} workers per node)",
                *figures,
            )
            ok &= check_numbers(cluster.sql, figures[2]) and not any(
                figures[1].values()
            )
            print_errors(figures[1])
        for label, replica in (("standby", True), ("primary", False)):
            if not replica:
                cluster.env["CLUSTER_NO_REPLICA"] = "1"
                cluster.run("restart-nodes")
            figures = paced_with_statistics(cluster, users, args)
            results[label] = figures[0]
            print_figures(
                f"{args.paced_clients} clients filing a sheet every "
                f"{args.paced_think:g} s through HAProxy, {args.stats_clients} "
                f"reading the annual statistics on the {label}",
                *figures,
            )
            ok &= check_numbers(cluster.sql, figures[2]) and not any(
                figures[1].values()
            )
            print_errors(figures[1])
        print("\nsheet creation p95 while the annual statistics run:")
        for label, timings in results.items():
            print(
                f"  statistics on the {label}: "
                f"{percentile(timings['create sheet'], 95) * 1000:.0f} ms "
                f"(statistics p50 "
                f"{statistics.median(timings['annual statistics']) * 1000:.0f} ms)"
            )
    finally:
        cluster.run("stop" if args.keep else "destroy")
    if not ok:
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--ramp", type=float, default=5.0)
    parser.add_argument("--db", default="forklift_load")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database for another run"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="serve the database a --keep run left"
    )
    parser.add_argument("--smoke", action="store_true", help="5 clients for 10 s")
    parser.add_argument(
        "--proxy", action="store_true", help="on the cluster of setup/cluster.sh"
    )
    parser.add_argument(
        "--cluster-dir", help="--proxy: the cluster's folder (a --keep run's)"
    )
    parser.add_argument("--paced-clients", type=int, default=10)
    parser.add_argument("--paced-think", type=float, default=1.0)
    parser.add_argument("--stats-clients", type=int, default=2)
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.duration = 5, 10
    if args.proxy:
        main_proxy(args)
        return

    server = Server(args.db, workers=args.workers)
    if args.reuse:
        try:
            server.reuse()
        except MissingDatabase:
            sys.exit(
                f"load_test: the database {args.db} is missing (not kept by an "
                f"earlier run): create it with tests/load_test.py --keep --db {args.db}"
            )
    else:
        print(f"provisioning {args.db}...", flush=True)
        server.create()
    server.start()
    users = server.data["users"]
    try:
        timings, errors, created, elapsed = drive(
            server, users, args.clients, args.duration, args.think, args.ramp
        )
        print_figures(
            f"{args.clients} clients, {args.think:g} s mean pause, "
            f"{args.workers} workers",
            timings,
            errors,
            created,
            elapsed,
        )
        numbers_ok = check_numbers(server.sql, created)
    finally:
        server.stop()
        if not args.keep:
            server.drop()
    print_errors(errors)
    if any(errors.values()) or not numbers_ok:
        sys.exit(1)


if __name__ == "__main__":
    main()

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

Without --url it creates and provisions its own database (tests/e2e/harness.py)
and runs Odoo with --workers (default 2). Figures, not assertions: the script
fails only when a request errors or a number is lost or duplicated.
"""

import argparse
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "e2e"))

from harness import Client, RpcError, Server  # noqa: E402


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
        case_ids = timed(
            "create sheet",
            lambda n=n: staff.call(
                "forklift.case",
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
        if not case_ids:
            continue
        created.extend(case_ids)
        case_id = case_ids[0]
        verified = timed(
            "verify",
            lambda case_id=case_id: (
                director.call("forklift.case", "action_verify", [case_id]) or True
            ),
        )
        if not verified:
            continue
        action = timed(
            "create + dispatch order",
            lambda case_id=case_id: director.call(
                "forklift.case", "action_create_service_order", [case_id]
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
            lambda case_id=case_id: staff.call(
                "forklift.parts.request",
                "request_validation",
                staff.call(
                    "forklift.parts.request",
                    "create",
                    [
                        {
                            "case_id": case_id,
                            "technician_id": users["technician"]["id"],
                            "line_ids": [
                                [
                                    0,
                                    0,
                                    {
                                        "product_id": server.data["part_id"],
                                        "quantity": 1,
                                    },
                                ]
                            ],
                        }
                    ],
                ),
            ),
        )


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
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.duration = 5, 10

    server = Server(args.db, workers=args.workers)
    if args.reuse:
        server.reuse()
    else:
        print(f"provisioning {args.db}...", flush=True)
        server.create()
    server.start()
    users = server.data["users"]
    timings, errors, created = defaultdict(list), defaultdict(list), []
    try:
        # People log in once a day, not between two sheets: the sessions are
        # opened before the clock starts (a login hashes the password on
        # purpose slowly, about a second of a worker's time).
        with ThreadPoolExecutor(max_workers=4) as pool:
            sessions = list(
                pool.map(lambda _i: log_in(server, users, errors), range(args.clients))
            )
        sessions = [pair for pair in sessions if pair]
        stop_at = time.time() + args.ramp + args.duration
        threads = [
            threading.Thread(
                target=run_client,
                args=(
                    server,
                    users,
                    pair,
                    i,
                    stop_at,
                    timings,
                    errors,
                    created,
                    args.think,
                ),
            )
            for i, pair in enumerate(sessions)
        ]
        started = time.time()
        for thread in threads:
            thread.start()
            time.sleep(args.ramp / args.clients)
        for thread in threads:
            thread.join()
        elapsed = time.time() - started
        ids = ",".join(str(case_id) for case_id in created) or "0"
        names = server.sql(
            "SELECT name, count(*) FROM forklift_case "
            f"WHERE name IN (SELECT name FROM forklift_case WHERE id IN ({ids})) "
            "GROUP BY name"
        )
    finally:
        server.stop()
        if not args.keep:
            server.drop()

    duplicated = [name for name, count in names if count != "1"]
    operations = sum(len(values) for values in timings.values())
    print(
        f"\n{args.clients} clients, {args.think:g} s mean pause, {elapsed:.0f} s, "
        f"{args.workers} workers: {len(created)} sheets "
        f"({len(created) / elapsed:.1f}/s), {operations / elapsed:.1f} operations/s"
    )
    print(f"{'operation':<26}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for op, values in timings.items():
        print(
            f"{op:<26}{len(values):>7}{statistics.median(values) * 1000:>9.0f}"
            f"{percentile(values, 95) * 1000:>9.0f}{len(errors[op]):>8}"
        )
    print(
        f"sheet numbers: {len(names)} distinct for {len(created)} sheets created, "
        f"{len(duplicated)} duplicated"
    )
    for op, messages in errors.items():
        for message in messages[:3]:
            print(f"error in {op}: {message}")
    if any(errors.values()) or duplicated or len(names) != len(created):
        sys.exit(1)


if __name__ == "__main__":
    main()

"""What the benchmarks of the statistics and of the quality early warning
share: their command line, the database they load once and then only
measure, a clock out of freezegun's reach and the table they print (the
grouped SQL beside the naive ORM loop, with the ratio).

Not a benchmark itself: setup/test.sh runs the ``benchmark_*.py`` files.
"""

import argparse
import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# the real clock, out of reach of freezegun (it replaces the module attributes
# that are the time functions, not the values of a dict)
CLOCK = {"perf_counter": time.perf_counter}


def make_parser(doc):
    """The options every benchmark takes; each adds its own sizes and applies
    --smoke to them."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database to load and measure")
    parser.add_argument(
        "--install",
        action="store_true",
        help="create the database and install forklift_aftersales when missing",
    )
    parser.add_argument("--reload", action="store_true", help="generate the data again")
    parser.add_argument(
        "--addons-path",
        default=",".join(
            [
                os.path.join(os.environ.get("ODOO_SRC", "/opt/odoo/19.0"), "addons"),
                str(ROOT),
            ]
        ),
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few hundred sheets: only proves the script still runs",
    )
    return parser


def timed(function, *args, repeat=1):
    """Run `function` `repeat` times; return (first result, seconds of each run)."""
    clock = CLOCK["perf_counter"]
    times, result = [], None
    for index in range(repeat):
        start = clock()
        value = function(*args)
        times.append(clock() - start)
        if index == 0:
            result = value
    return result, times


# The printed table ------------------------------------------------------------------


class Table:
    """Lines of a label, the grouped SQL's figure, the naive loop's and the
    ratio of the two, in columns ``width`` characters after the indent."""

    def __init__(self, width, digits=2):
        self.width = width
        self.digits = digits

    def header(self):
        columns = f"{'grouped SQL':>13}  {'naive ORM':>12}  {'ratio':>8}"
        return f"\n  {'':<{self.width}}{columns}"

    def line(self, label, fast, naive, unit="s"):
        ratio = f"{naive / fast:7.1f}×" if fast and naive else "       -"
        naive_text = f"{naive:9.2f} {unit:<2}" if naive is not None else " " * 12
        return (
            f"  {label:<{self.width}}{fast:10.{self.digits}f} {unit:<2}  "
            f"{naive_text}  {ratio}"
        )

    def same(self, same):
        label = "  same figures as the naive loop"
        return f"  {label:<{self.width}}{'yes' if same else 'NO':>13}"


# The database -----------------------------------------------------------------------


def install(args):
    """Let Odoo create the database and install the core addon."""
    odoo_bin = Path(sys.executable).with_name("odoo")
    command = [
        str(odoo_bin),
        f"--addons-path={args.addons_path}",
        "-d",
        args.db,
        "-i",
        "forklift_aftersales",
        "--stop-after-init",
        "--no-http",
        "--log-level=warn",
    ]
    print("installing:", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def open_registry(args):
    """The registry of --db, created and set up first with --install."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", args.db):
        sys.exit("--db: letters, digits, '_', '.', '-' only")
    if args.install:
        check = subprocess.run(
            ["psql", "-lqt"], capture_output=True, text=True, check=False
        ).stdout
        names = {line.split("|")[0].strip() for line in check.splitlines()}
        if args.db not in names:
            install(args)

    import threading

    from odoo.modules.registry import Registry
    from odoo.service.server import load_server_wide_modules
    from odoo.tools import config

    config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            "-d",
            args.db,
            "--log-level=warn",
            "--http-interface=127.0.0.1",
        ],
        setup_logging=True,
    )
    load_server_wide_modules()
    threading.current_thread().dbname = args.db
    return Registry(args.db)


def create_partners(env, prefix, kind, letter, count, width, values=None):
    """``count`` partners named "<prefix> <kind> <n>" with the reference
    "<prefix>-<letter><n>", n on ``width`` digits; ``values(n)`` adds what
    each one has of its own."""
    return env["res.partner"].create(
        [
            {
                "name": f"{prefix} {kind} {index:0{width}d}",
                "ref": f"{prefix}-{letter}{index:0{width}d}",
                **(values(index) if values else {}),
            }
            for index in range(count)
        ]
    )


def create_parts(env, prefix, count, suppliers, values=None):
    """``count`` storable parts "<prefix> part <n>" (code "<prefix>-P<n>"),
    supplied in turn by ``suppliers``; ``values(n)`` adds what each one has
    of its own."""
    return env["product.product"].create(
        [
            {
                "name": f"{prefix} part {index:03d}",
                "default_code": f"{prefix}-P{index:03d}",
                "is_storable": True,
                "seller_ids": [
                    (0, 0, {"partner_id": suppliers[index % len(suppliers)].id})
                ],
                **(values(index) if values else {}),
            }
            for index in range(count)
        ]
    )


def analyze(cr, tables):
    """Fresh planner statistics after a bulk load."""
    for table in tables:
        cr.execute(f"ANALYZE {table}")  # noqa: S608 - the benchmarks' own names


def execute_all(cr, *statements):
    """Run ``statements`` in turn: what a benchmark's delete_data removes."""
    for statement in statements:
        cr.execute(statement)


def count_rows(cr, **queries):
    """{name: count} for ``queries``, each a SELECT count(*) by its name:
    what a benchmark's count_data reports."""
    counts = {}
    for key, query in queries.items():
        cr.execute(query)
        counts[key] = cr.fetchone()[0]
    return counts


def run(args, *, what, count_data, delete_data, load_data, measure, clock=None):
    """Load the data once (again with --reload), then measure in a
    transaction rolled back at the end.

    :param what: the data loaded, for the progress message
    :param count_data: cr -> {name: count}; nothing is loaded yet while its
        "sheets" is 0
    :param delete_data: cr -> None, removes what load_data inserted
    :param load_data: env -> None
    :param measure: (env, counts) -> None, prints the figures
    :param clock: a context manager the measurements run in (freezegun's)
    """
    sys.stdout.reconfigure(line_buffering=True)
    registry = open_registry(args)

    from odoo import api

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        counts = count_data(cr)
        if args.reload or not counts["sheets"]:
            if counts["sheets"]:
                delete_data(cr)
            print(f"loading {what}...", flush=True)
            start = time.perf_counter()
            load_data(env)
            cr.commit()
            print(f"loaded in {time.perf_counter() - start:.1f} s", flush=True)
            counts = count_data(cr)

    with clock or contextlib.nullcontext(), registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        try:
            measure(env, counts)
        finally:
            cr.rollback()

"""What the benchmarks of the statistics and of the quality early warning
share: their command line, the database they load once and then only
measure, the master data they load it with and the parts replaced on its
service orders, a clock out of freezegun's reach and the table they print
(the grouped SQL beside the naive ORM loop, with the ratio).

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


# how every benchmark is run, shown by --help under its own description
USAGE = """\
It prints figures and asserts nothing. Run it with the virtualenv's Python on
a dedicated database (created and set up with --install when missing). The
generated records are kept (named {prefix}...), so a second run only
measures; --reload generates them again. Everything the measurements create
is rolled back."""


def make_parser(doc, prefix):
    """The options every benchmark takes; each adds its own sizes and applies
    --smoke to them. ``doc`` is the benchmark's docstring, ``prefix`` what
    its records are named after."""
    parser = argparse.ArgumentParser(
        description=doc,
        epilog=USAGE.format(prefix=prefix),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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


def master_data(
    env,
    prefix,
    *,
    suppliers,
    parts,
    dealers,
    customers,
    faults,
    model_values=None,
    part_values=None,
    customer_values=None,
):
    """Twelve forklift models, ``parts`` parts with their main vendor among
    ``suppliers`` suppliers, ``dealers`` dealers, ``customers`` customers
    and a fault category for each of the names ``faults``, through the ORM,
    all named after ``prefix``; reused when present. ``*_values(n)`` adds
    what the n-th model, part or customer has of its own."""
    product_model = env["product.product"]
    partner_model = env["res.partner"]
    fault_model = env["forklift.fault.category"]
    models = product_model.search(
        [("default_code", "=like", f"{prefix}-M%")], order="id"
    )
    if models:
        return {
            "models": models,
            "parts": product_model.search(
                [("default_code", "=like", f"{prefix}-P%")], order="id"
            ),
            **{
                key: partner_model.search(
                    [("ref", "=like", f"{prefix}-{letter}%")], order="id"
                )
                for key, letter in (
                    ("suppliers", "S"),
                    ("dealers", "D"),
                    ("customers", "C"),
                )
            },
            "faults": fault_model.search(
                [("name", "=like", f"{prefix} %")], order="id"
            ),
        }
    models = product_model.create(
        [
            {
                "name": f"{prefix} forklift model {index:02d}",
                "default_code": f"{prefix}-M{index:02d}",
                "is_forklift": True,
                "is_storable": True,
                "tracking": "serial",
                **(model_values(index) if model_values else {}),
            }
            for index in range(12)
        ]
    )
    supplier_records = create_partners(env, prefix, "supplier", "S", suppliers, 2)
    return {
        "models": models,
        "parts": create_parts(env, prefix, parts, supplier_records, part_values),
        "suppliers": supplier_records,
        "dealers": create_partners(
            env,
            prefix,
            "dealer",
            "D",
            dealers,
            3,
            lambda index: {"is_company": True, "is_forklift_dealer": True},
        ),
        "customers": create_partners(
            env,
            prefix,
            "customer",
            "C",
            customers,
            4,
            lambda index: {
                "is_company": True,
                **(customer_values(index) if customer_values else {}),
            },
        ),
        "faults": fault_model.create([{"name": f"{prefix} {name}"} for name in faults]),
    }


def sql_params(data):
    """``master_data``'s records as the bulk INSERTs pick from them: the ids
    of each kind, how many parts and fault categories there are, and the
    main vendor of each part (the supplier the server stores on its
    lines)."""
    parts = data["parts"]
    return {
        "models": data["models"].ids,
        "parts": parts.ids,
        "n_parts": len(parts),
        "vendors": [part.seller_ids[:1].partner_id.id for part in parts],
        "dealers": data["dealers"].ids,
        "n_dealers": len(data["dealers"]),
        "customers": data["customers"].ids,
        "n_customers": len(data["customers"]),
        "faults": data["faults"].ids,
        "n_faults": len(data["faults"]),
    }


def insert_rows(cr, table, columns, select, params):
    """Insert into ``table`` the rows of the query ``select``, whose columns
    are ``columns`` (comma-separated), each created and last written by the
    superuser now, as the ORM stamps a record it creates."""
    cr.execute(
        f"""
        INSERT INTO {table} ({columns}, create_uid, write_uid, create_date,
                             write_date)
        SELECT new_rows.*, 1, 1, now(), now() FROM ({select}) AS new_rows
        """,  # noqa: S608 - the benchmarks' own tables and queries
        params,
    )


# the columns of forklift_feedback every benchmark's sheets fill, in this
# order, before their own (``insert_sheets``)
SHEET_COLUMNS = (
    "name, state, market, company_id, channel, reporter_type, severity, "
    "received_date, unit_id, partner_id, dealer_id, region, fault_category_id, "
    "warranty_state, responsibility, warranty_verdict, route, hour_meter"
)


def insert_sheets(cr, columns, select, params):
    """Insert the feedback sheets of the query ``select``, whose columns are
    the ``SHEET_COLUMNS`` and then ``columns``, the benchmark's own."""
    insert_rows(cr, "forklift_feedback", f"{SHEET_COLUMNS}, {columns}", select, params)


def insert_forklifts(cr, lots, params, *, count, serial, market, accepted):
    """``count`` forklifts, k from 0 on: the serial number ``serial``, which
    ends with k on six digits and is named like ``lots``, of the k-th of the
    twelve models in ``params``' company; sold to the k-th customer through
    the k-th dealer of ``params`` (of ``sql_params``), in turn; delivered,
    accepted and under warranty from ``accepted``, for a year or 1,500 hours.
    ``serial``, ``market`` and ``accepted`` are SQL expressions of k."""
    insert_rows(
        cr,
        "stock_lot",
        "name, product_id, company_id",
        f"""
        SELECT {serial}, (%(models)s::int[])[1 + k %% 12], %(company)s
          FROM generate_series(0, %(count)s - 1) k
        """,  # noqa: S608 - the benchmarks' own expressions
        {**params, "count": count},
    )
    insert_rows(
        cr,
        "forklift_unit",
        "lot_id, market, partner_id, dealer_id, delivery_date, acceptance_date, "
        "warranty_start_date, warranty_end_date, warranty_months, warranty_hours",
        f"""
        SELECT l.id, {market},
               (%(customers)s::int[])[1 + key.k %% %(n_customers)s],
               (%(dealers)s::int[])[1 + key.k %% %(n_dealers)s], d, d, d,
               d + interval '1 year' - interval '1 day', 12, 1500
          FROM stock_lot l,
               LATERAL (SELECT right(l.name, 6)::int AS k) key,
               LATERAL (SELECT {accepted} AS d) acceptance
         WHERE l.name LIKE %(lots)s
        """,  # noqa: S608 - the benchmarks' own expressions
        {**params, "lots": lots},
    )


def insert_replaced_parts(
    cr, prefix, params, *, quantity, serial, warranty, second="TRUE"
):
    """The parts replaced on the service orders named "<prefix>/...": part
    k of order o, the first and the second where the SQL condition
    ``second`` holds, is the same pick among ``params``' parts (of
    ``sql_params``), with its main vendor, in every benchmark; ``quantity``,
    ``serial`` and ``warranty`` are SQL expressions of o and k."""
    insert_rows(
        cr,
        "forklift_service_order_part",
        "order_id, feedback_id, sequence, product_id, supplier_id, quantity, "
        "failed_serial, is_warranty",
        f"""
        SELECT o.id, o.feedback_id, k * 10,
               (%(parts)s::int[])[1 + (o.feedback_id * 3 + k * 7) %% %(n_parts)s],
               (%(vendors)s::int[])[1 + (o.feedback_id * 3 + k * 7) %% %(n_parts)s],
               {quantity}, {serial}, {warranty}
          FROM forklift_service_order o, generate_series(1, 2) k
         WHERE o.name LIKE %(orders)s AND (k = 1 OR {second})
        """,  # noqa: S608 - the benchmarks' own expressions
        {**params, "orders": f"{prefix}/%"},
    )


def analyze(cr, tables):
    """Fresh planner statistics after a bulk load."""
    for table in tables:
        cr.execute(f"ANALYZE {table}")  # noqa: S608 - the benchmarks' own names


def execute_all(cr, *statements):
    """Run ``statements`` in turn."""
    for statement in statements:
        cr.execute(statement)


def count_rows(cr, **queries):
    """{name: count} for ``queries``, each a SELECT count(*) by its name."""
    counts = {}
    for key, query in queries.items():
        cr.execute(query)
        counts[key] = cr.fetchone()[0]
    return counts


def run(args, *, what, counts, deletes, load_data, measure, clock=None):
    """Load the data once (again with --reload), then measure in a
    transaction rolled back at the end.

    :param what: the data loaded, for the progress message
    :param counts: {name: "SELECT count(*) ..."}, what was loaded; nothing is
        loaded yet while its "sheets" counts 0
    :param deletes: the "DELETE FROM <table> ..." statements that remove,
        in turn, what load_data inserted; their tables are the ones it
        fills, analyzed once it has
    :param load_data: env -> None, in bulk SQL: the ORM's cache is dropped
        after it
    :param measure: (env, args, {name: count}) -> None, prints the figures
    :param clock: a context manager the measurements run in (freezegun's)
    """
    sys.stdout.reconfigure(line_buffering=True)
    registry = open_registry(args)

    from odoo import api

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        loaded = count_rows(cr, **counts)
        if args.reload or not loaded["sheets"]:
            if loaded["sheets"]:
                execute_all(cr, *deletes)
            print(f"loading {what}...", flush=True)
            start = time.perf_counter()
            load_data(env)
            env.invalidate_all()
            analyze(cr, [re.match(r"DELETE FROM (\w+)", sql)[1] for sql in deletes])
            cr.commit()
            print(f"loaded in {time.perf_counter() - start:.1f} s", flush=True)
            loaded = count_rows(cr, **counts)

    with clock or contextlib.nullcontext(), registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        try:
            measure(env, args, loaded)
        finally:
            cr.rollback()

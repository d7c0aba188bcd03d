"""Benchmark: warranty parts requests against Odoo's own repair orders.

Creates N warranty parts requests of three lines each, has the service-center
director approve them (one tier, amount <= 500) and the warehouse validate the
delivery; then N ``repair.order`` with the same three parts, confirmed, started
and ended (which consumes the parts). Both run in the same process, database
and transaction (rolled back at the end), in turns (a block of applications of
each a turn, so that a busy moment of the machine weighs on both), and print
the wall time and the SQL queries per application, and our figures as a ratio
of repair's: first with each block written to the database at its end, then
with each step of an application written as the end of a web request would
(the stricter figure, nothing batched), last with each step also in a
transaction of its own, its cache and environments new, as a request of the web
client starts. Either way the writes are followed by the chatter's tracking
messages, as before a commit.

    .venv/bin/python tests/benchmark_parts_request.py [--count 50] [--db NAME] [--smoke]

The database (default forklift_bench) is created with forklift_aftersales and
repair when it does not hold them yet. Figures, not assertions: the script
fails only when a flow breaks.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo/19.0")
ADDONS_PATH = f"{ODOO_SRC}/addons,{ROOT}"
MODULES = "forklift_aftersales,repair"
HEADINGS = {
    "batched": "batched",
    "per step": "per step",
    "per request": "per step, each step in a transaction of its own (per request)",
}
LINES = [("Bench seal kit", 120.0), ("Bench hose", 80.0), ("Bench relay", 95.0)]


def odoo_args(db):
    return [
        "-c",
        str(ROOT / "setup/odoo.conf"),
        f"--addons-path={ADDONS_PATH}",
        "-d",
        db,
    ]


def ensure_database(db):
    """Install the two modules once; later runs reuse the database."""
    check = subprocess.run(
        [
            "psql",
            "-d",
            db,
            "-tAc",
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed' "
            "AND name IN ('forklift_aftersales', 'repair')",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode == 0 and check.stdout.strip() == "2":
        return
    print(f"installing {MODULES} in {db} (once)...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "odoo", *odoo_args(db), "-i", MODULES]
        + ["--stop-after-init", "--log-level=warn"],
        check=True,
    )


class Bench:
    def __init__(self, env, count):
        self.env = env
        self.count = count
        self.per_step = False
        self.cr = env.cr
        company = env.company
        self.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        self.spare_parts = env.ref("forklift_aftersales.stock_location_spare_parts")
        self.users = {
            key: env["res.users"].create(
                {
                    "name": f"Bench {key}",
                    "login": f"bench_{key}",
                    "email": f"bench_{key}@example.com",
                    "group_ids": [(6, 0, [env.ref(group).id])],
                }
            )
            for key, group in [
                ("staff", "forklift_aftersales.group_forklift_user"),
                ("director", "forklift_aftersales.group_forklift_director"),
                ("warehouse", "forklift_aftersales.group_forklift_warehouse"),
                ("repair", "stock.group_stock_user"),
            ]
        }
        self.products = env["product.product"].create(
            [
                {"name": name, "is_storable": True, "standard_price": cost}
                for name, cost in LINES
            ]
        )
        quants = env["stock.quant"]
        # enough for the warm-up and the measured runs, in both source locations;
        # the repair draws on WH/Stock, whose reservations skip the spare parts
        # for warranty below it (only a request's delivery takes those)
        qty = 6 * (count + 5)
        for product in self.products:
            quants._update_available_quantity(product, self.spare_parts, qty)
            quants._update_available_quantity(product, self.warehouse.lot_stock_id, qty)
        customer = env["res.partner"].create({"name": "Bench Customer"})
        product = env["product.product"].create(
            {
                "name": "Bench forklift",
                "is_forklift": True,
                "is_storable": True,
                "tracking": "serial",
            }
        )
        self.unit = env["forklift.unit"].create(
            {
                "name": "BENCH-0001",
                "product_id": product.id,
                "partner_id": customer.id,
                "acceptance_date": "2026-01-10",
                "market": "domestic",
            }
        )
        self.customer = customer
        # one verified sheet per application: the approval bands count the
        # sheet's total of warranty parts (REQUIREMENTS A-03)
        Case = env["forklift.feedback"].with_user(self.users["staff"])
        self.cases = Case.create(
            [
                {
                    "title": f"Bench case {i}",
                    "unit_id": self.unit.id,
                    "description": "<p>Bench</p>",
                    "verification": "<p>Bench</p>",
                    "responsibility": "manufacturing",
                    "route": "technician",
                }
                for i in range(3 * (count + 5))
            ]
        )
        self.cases.with_user(self.users["director"]).action_verify()
        self.free_cases = list(self.cases)
        self.new_transaction = False

    # One application each way ------------------------------------------------

    def parts_request(self):
        staff, director, warehouse = (
            self.users["staff"],
            self.users["director"],
            self.users["warehouse"],
        )
        request = self.create_with_parts(
            staff,
            "forklift.parts.request",
            {"feedback_id": self.free_cases.pop().id, "technician_id": staff.id},
            "line_ids",
            {"quantity": 1, "warranty_reason": "unqualified"},
        )
        request = self.steps(
            request,
            lambda request: request.request_validation(),
            lambda request: request.with_user(director).validate_tier(),
            lambda request: request.picking_id.with_user(warehouse).button_validate(),
        )
        picking = request.picking_id.with_user(warehouse)
        if request.state != "shipped" or picking.state != "done":
            raise RuntimeError(f"{request.name} was not released: {request.state}")

    def repair_order(self):
        repair = self.create_with_parts(
            self.users["repair"],
            "repair.order",
            {
                "partner_id": self.customer.id,
                "picking_type_id": self.warehouse.repair_type_id.id,
            },
            "move_ids",
            {"product_uom_qty": 1, "repair_line_type": "add"},
        )
        repair = self.steps(
            repair,
            lambda repair: repair.action_validate(),
            lambda repair: repair.action_repair_start(),
            lambda repair: repair.action_repair_end(),
        )
        if repair.state != "done":
            raise RuntimeError(f"{repair.name} did not end: {repair.state}")

    def create_with_parts(self, user, model, values, lines, line_values):
        """The ``model`` record ``user`` creates with ``values`` and, in its
        field ``lines``, a line of ``line_values`` for each of the parts."""
        return (
            self.env[model]
            .with_user(user)
            .create(
                {
                    **values,
                    lines: [
                        (0, 0, {"product_id": product.id, **line_values})
                        for product in self.products
                    ],
                }
            )
        )

    def steps(self, record, *actions):
        """Each of ``actions`` (record -> None) done on ``record``, a step
        apart (``step``); returns ``record`` as the last step sees it."""
        for action in actions:
            record = self.step(record)
            action(record)
        return record

    def step(self, record=None):
        """Between two steps of an application: with ``per_step``, written to
        the database as the end of a request of the web client would, tracking
        messages included; with ``new_transaction`` too, the next step starts
        in a transaction of its own (``record`` is returned in it), as the next
        request would: its cache empty, none of the environments of the steps
        before."""
        if self.per_step:
            self.end_request()
            if self.new_transaction:
                from odoo.orm.environments import Transaction  # noqa: PLC0415

                self.cr.transaction = Transaction(self.env.registry)
                self.env = self.env()
                return record.with_env(record.env()) if record is not None else None
        return record

    def end_request(self):
        """What the end of a request does before its commit: the pending
        writes, then the chatter's tracking messages (which write again)."""
        self.env.flush_all()
        self.cr.precommit.run()
        self.env.flush_all()

    def measure(self, *flows, per_step=False, new_transaction=False, rounds=5):
        """Run the flows in turns, a block of applications of each a turn
        (``rounds`` turns), so that whatever else the machine does at a moment
        weighs on both alike; returns (seconds, queries) per flow, two warm-up
        applications of each left out. Each block is written to the database
        at its end, or, with ``per_step``, after each step of an application
        (the stricter figure: nothing is batched), with ``new_transaction``
        each step in a transaction of its own."""
        self.per_step = per_step
        self.new_transaction = new_transaction
        for flow in flows:  # warm-up: caches, first-use queries
            for _ in range(2):
                flow()
        self.end_request()
        totals = [[0.0, 0] for _ in flows]
        sizes = [
            self.count // rounds + (i < self.count % rounds) for i in range(rounds)
        ]
        for size in sizes:
            for flow, total in zip(flows, totals, strict=True):
                queries = self.cr.sql_log_count
                start = time.perf_counter()
                for _ in range(size):
                    flow()
                    self.step()
                self.end_request()
                total[0] += time.perf_counter() - start
                total[1] += self.cr.sql_log_count - queries
        return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--db", default="forklift_bench")
    parser.add_argument(
        "--smoke", action="store_true", help="3 applications: only proves the flows run"
    )
    args = parser.parse_args()
    if args.smoke:
        args.count = 3

    ensure_database(args.db)
    import odoo  # noqa: PLC0415 (the venv's Odoo, after the database exists)
    from odoo.api import SUPERUSER_ID, Environment  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(odoo_args(args.db) + ["--log-level=warn"])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        bench = Bench(env, args.count)
        figures = {
            mode: bench.measure(
                bench.parts_request,
                bench.repair_order,
                per_step=mode != "batched",
                new_transaction=mode == "per request",
            )
            for mode in ("batched", "per step", "per request")
        }
        cr.rollback()

    n = args.count
    print(
        f"\n{n} applications of {len(LINES)} lines each, one process, same database,"
        " in turns"
    )
    for mode, (ours, theirs) in figures.items():
        print(f"\nwritten to the database {HEADINGS[mode]}")
        print(f"{'flow':<24}{'total s':>10}{'ms/app':>10}{'queries/app':>14}")
        for name, (elapsed, queries) in (
            ("forklift.parts.request", ours),
            ("repair.order (Odoo)", theirs),
        ):
            print(
                f"{name:<24}{elapsed:>10.2f}{elapsed / n * 1000:>10.1f}"
                f"{queries / n:>14.1f}"
            )
        print(
            f"ratio parts request / repair order ({mode}): time "
            f"{ours[0] / theirs[0]:.2f}, queries {ours[1] / theirs[1]:.2f}"
        )


if __name__ == "__main__":
    main()

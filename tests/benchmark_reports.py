"""Benchmark of the after-sales statistics and their XLSX export.

Loads 200,000 feedback sheets with 600,000 part lines (two parts replaced on
the service order and one part released on a warranty parts request per
sheet) into a database with SQL in bulk, then prints, for one month and for
the year, the time to build the statistics the way the addon does it (one
grouped query per report model) beside a naive ORM loop over the same
records, and the time and peak memory of the monthly XLSX export.

Run it (--help says how it keeps its data) as:

    .venv/bin/python tests/benchmark_reports.py --db forklift_bench --install
"""

import statistics
import tracemalloc
from collections import defaultdict
from datetime import date
from pathlib import Path

import bench_common as bench

YEAR = 2025
PEAK_MONTH = 3
TABLE = bench.Table(46)


def parse_args():
    parser = bench.make_parser(__doc__, "BENCH")
    parser.add_argument("--sheets", type=int, default=200_000)
    parser.add_argument(
        "--peak-sheets",
        type=int,
        default=25_320,
        help="domestic sheets of the measured month (about 100,000 detail rows)",
    )
    parser.add_argument(
        "--skip-naive-annual",
        action="store_true",
        help="skip the naive loop over the whole year (the slowest step)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.sheets, args.peak_sheets = 400, 100
    return args


# Memory -------------------------------------------------------------------------------


def _status_kb(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


class PeakMemory:
    """Peak resident memory of the process during a block, in MB: the kernel's
    high-water mark, reset before the block (Linux); tracemalloc's peak of the
    Python heap where the mark cannot be reset."""

    def __enter__(self):
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.mode = "rss"
        except OSError:
            self.mode = "python heap"
            tracemalloc.start()
        self.before = _status_kb("VmRSS") / 1024
        return self

    def __exit__(self, *exc):
        if self.mode == "rss":
            self.peak = _status_kb("VmHWM") / 1024
        else:
            self.peak = self.before + tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        self.increase = self.peak - self.before
        return False


# Data ---------------------------------------------------------------------------------


def forklift_data(env):
    """Forklift models of three kinds, parts at their cost, dealers,
    customers across China's provinces and regions, and the fault
    categories, through the ORM (a few thousand records); reused when
    present."""
    vehicle_types = env["product.category"].search(
        [("name", "=like", "BENCH % forklifts")], order="id"
    ) or env["product.category"].create(
        [{"name": f"BENCH {kind} forklifts"} for kind in ("Diesel", "LPG", "Electric")]
    )
    china = env.ref("base.cn")
    provinces = env["res.country.state"].search([("country_id", "=", china.id)])
    return bench.master_data(
        env,
        "BENCH",
        suppliers=20,
        parts=150,
        dealers=300,
        customers=2000,
        faults=(
            "Hydraulics",
            "Mast",
            "Engine",
            "Electrical",
            "Brakes",
            "Steering",
            "Transmission",
            "Tyres",
            "Battery",
            "Cab",
        ),
        model_values=lambda index: {
            "categ_id": vehicle_types[index % len(vehicle_types)].id
        },
        part_values=lambda index: {"standard_price": 40 + (index % 25) * 30},
        customer_values=lambda index: {
            "country_id": china.id,
            "state_id": provinces[index % len(provinces)].id if provinces else False,
            "forklift_region": ("local", "domestic", "remote")[index % 3],
        },
    )


# the rows load_data inserts, from the tables it fills, removed in this order
# before loading them again
DELETES = (
    "DELETE FROM forklift_parts_request_line l USING forklift_parts_request r "
    "WHERE r.id = l.request_id AND r.name LIKE 'BENCH/%'",
    "DELETE FROM forklift_parts_request WHERE name LIKE 'BENCH/%'",
    "DELETE FROM forklift_service_order_part p USING forklift_service_order o "
    "WHERE o.id = p.order_id AND o.name LIKE 'BENCH/%'",
    "DELETE FROM forklift_service_order WHERE name LIKE 'BENCH/%'",
    "DELETE FROM forklift_feedback WHERE name LIKE 'BENCH/%'",
    "DELETE FROM forklift_unit u USING stock_lot l "
    "WHERE l.id = u.lot_id AND l.name LIKE 'BENCH-SN%'",
    "DELETE FROM stock_lot WHERE name LIKE 'BENCH-SN%'",
)


def load_data(env, sheets, peak_sheets):
    """Insert the forklifts, sheets, service orders, parts replaced, parts
    requests and their lines with one INSERT ... SELECT each."""
    cr = env.cr
    data = forklift_data(env)
    env.flush_all()
    ids = bench.sql_params(data)
    company = env.company.id
    n_units = 20_000
    bench.insert_forklifts(
        cr,
        "BENCH-SN%",
        {**ids, "company": company},
        count=n_units,
        serial="'BENCH-SN' || lpad(k::text, 6, '0')",
        market="'domestic'",
        accepted="date '2024-06-01' + (k %% 365)",
    )
    cr.execute(
        """SELECT array_agg(u.id ORDER BY l.name) FROM forklift_unit u
             JOIN stock_lot l ON l.id = u.lot_id WHERE l.name LIKE 'BENCH-SN%'"""
    )
    units = cr.fetchone()[0]
    other_months = [m for m in range(1, 13) if m != PEAK_MONTH]
    # Sheet i: the first `peak_sheets` are domestic sheets of the peak month,
    # the others spread over the other months, one in seven for export.
    bench.insert_sheets(
        cr,
        "verified_date, dispatch_deadline, dispatched_date, answer_deadline, "
        "answered_date, onsite_deadline, arrival_date, closed_date, user_id",
        """
        SELECT 'BENCH/' || lpad(i::text, 6, '0'), s.state,
               CASE WHEN i >= %(peak)s AND i %% 7 = 0 THEN 'export' ELSE 'domestic' END,
               %(company)s, 'phone', 'customer',
               CASE WHEN i %% 20 = 0 THEN 'major' WHEN i %% 9 = 0 THEN 'emergency'
                    ELSE 'normal' END,
               r.received, (%(units)s::int[])[1 + u.k],
               (%(customers)s::int[])[1 + u.k %% 2000],
               (%(dealers)s::int[])[1 + u.k %% 300],
               (ARRAY['local', 'domestic', 'remote'])[1 + (u.k %% 2000) %% 3],
               (%(faults)s::int[])[1 + (i * 7) %% %(n_faults)s],
               CASE WHEN i %% 5 = 0 THEN 'out' ELSE 'in' END,
               (ARRAY['manufacturing', 'supplier', 'manufacturing', 'misuse',
                      'supplier', 'non_original', 'manufacturing',
                      'out_of_warranty'])[1 + (i * 3) %% 8],
               CASE WHEN i %% 5 = 0 THEN 'paid' ELSE 'repair' END,
               (ARRAY['technician', 'dealer', 'technician', 'dealer',
                      'remote'])[1 + i %% 5],
               100 + i %% 1400,
               v.verified, v.verified + interval '24 hours',
               CASE WHEN s.state NOT IN ('draft', 'verified')
                    THEN v.verified + ((i * 13) %% 30 + 1) * interval '1 hour' END,
               r.received + interval '4 hours', v.verified,
               r.received + interval '24 hours',
               CASE WHEN s.state NOT IN ('draft', 'verified') AND i %% 5 != 4
                    THEN v.verified + ((i * 13) %% 30 + 1 + (i * 17) %% 20 + 1)
                         * interval '1 hour' END,
               CASE WHEN s.state = 'closed' THEN r.received + interval '5 days' END,
               1
          FROM generate_series(0, %(sheets)s - 1) i,
               LATERAL (SELECT (i * 31) %% %(n_units)s AS k) u,
               LATERAL (SELECT (ARRAY['closed', 'closed', 'closed', 'reported', 'done',
                                      'dispatched', 'verified', 'draft'])[1 + i %% 8]
                               AS state) s,
               LATERAL (SELECT CASE
                   WHEN i < %(peak)s
                   THEN make_timestamp(%(year)s, %(peak_month)s, 1, 0, 0, 0)
                        + ((i::bigint * 2678000) / %(peak)s) * interval '1 second'
                   ELSE make_timestamp(%(year)s, (%(months)s::int[])[1 + i %% 11],
                                       1, 0, 0, 0)
                        + ((i::bigint * 7919) %% 2419200) * interval '1 second'
               END AS received) r,
               LATERAL (SELECT CASE WHEN s.state != 'draft'
                               THEN r.received + (i %% 5 + 1) * interval '1 hour' END
                               AS verified) v
        """,
        {
            "peak": peak_sheets,
            "company": company,
            "units": units,
            "n_units": n_units,
            **ids,
            "sheets": sheets,
            "year": YEAR,
            "peak_month": PEAK_MONTH,
            "months": other_months,
        },
    )
    prices = [part.standard_price for part in data["parts"]]
    bench.insert_rows(
        cr,
        "forklift_service_order",
        "name, state, feedback_id, company_id, market, partner_id, unit_id, "
        "performer_type, technician_id, dealer_id, dispatched_date, arrival_date, "
        "finished_date, registered_date",
        """
        SELECT 'BENCH/SO' || c.id,
               CASE WHEN c.state IN ('closed', 'reported', 'done') THEN 'registered'
                    WHEN c.state = 'dispatched' THEN 'dispatched' ELSE 'draft' END,
               c.id, c.company_id, c.market, c.partner_id, c.unit_id,
               CASE c.route WHEN 'dealer' THEN 'dealer' WHEN 'remote' THEN 'remote'
                            ELSE 'technician' END,
               CASE WHEN c.route != 'dealer' THEN 2 END,
               CASE WHEN c.route = 'dealer' THEN c.dealer_id END,
               c.dispatched_date, c.arrival_date,
               c.arrival_date + (c.id %% 4 + 1) * interval '1 hour',
               CASE WHEN c.state IN ('closed', 'reported', 'done')
                    THEN c.arrival_date + interval '2 days' END
          FROM forklift_feedback c WHERE c.name LIKE 'BENCH/%%'
        """,
        ids,
    )
    # two parts replaced on each service order
    bench.insert_replaced_parts(
        cr,
        "BENCH",
        ids,
        quantity="1 + (o.feedback_id + k) %% 2",
        serial="'F-' || o.feedback_id || '-' || k",
        warranty="o.feedback_id %% 5 != 0",
    )
    bench.insert_rows(
        cr,
        "forklift_parts_request",
        "name, state, request_type, feedback_id, company_id, market, "
        "applicant_type, technician_id, shipping_mode, amount_total, freight_cost, "
        "urgency, requested_date, supply_state",
        """
        SELECT 'BENCH/WP' || c.id,
               CASE WHEN c.id %% 20 = 0 THEN 'cancel' ELSE 'shipped' END,
               CASE WHEN c.id %% 10 = 0 THEN 'abnormal' ELSE 'normal' END,
               c.id, c.company_id, c.market, 'technician', 2, 'express',
               (1 + c.id %% 2) * (%(prices)s::numeric[])[1 + (c.id * 5) %% %(n_parts)s],
               (c.id %% 9) * 10, 'common', c.received_date, 'pending'
          FROM forklift_feedback c WHERE c.name LIKE 'BENCH/%%'
        """,
        {**ids, "prices": prices},
    )
    bench.insert_rows(
        cr,
        "forklift_parts_request_line",
        "request_id, sequence, product_id, supplier_id, quantity, warranty_reason, "
        "unit_cost, amount",
        """
        SELECT r.id, 10, (%(parts)s::int[])[1 + (r.feedback_id * 5) %% %(n_parts)s],
               (%(vendors)s::int[])[1 + (r.feedback_id * 5) %% %(n_parts)s],
               1 + r.feedback_id %% 2,
               (ARRAY['wear', 'missing', 'unqualified'])[1 + r.feedback_id %% 3],
               (%(prices)s::numeric[])[1 + (r.feedback_id * 5) %% %(n_parts)s],
               r.amount_total
          FROM forklift_parts_request r WHERE r.name LIKE 'BENCH/%%'
        """,
        {**ids, "prices": prices},
    )
    # what the ORM keeps on each sheet as its service orders and requests change
    cr.execute(
        """
        UPDATE forklift_feedback c
           SET parts_replaced_qty = agg.quantity, onsite_hours = agg.hours
          FROM (SELECT so.feedback_id, COALESCE(SUM(parts.quantity), 0) AS quantity,
                       COALESCE(SUM(EXTRACT(EPOCH FROM so.finished_date
                                                       - so.arrival_date)), 0)
                       / 3600.0 AS hours
                  FROM forklift_service_order so
                  LEFT JOIN (SELECT order_id, SUM(quantity) AS quantity
                               FROM forklift_service_order_part GROUP BY order_id
                       ) parts ON parts.order_id = so.id
                 WHERE so.state != 'cancel' AND so.name LIKE 'BENCH/%%'
                 GROUP BY so.feedback_id) agg
         WHERE agg.feedback_id = c.id;
        UPDATE forklift_feedback c
           SET parts_cost = agg.amount, freight_cost = agg.freight
          FROM (SELECT feedback_id, SUM(amount_total) AS amount,
                       SUM(freight_cost) AS freight
                  FROM forklift_parts_request
                 WHERE state IN ('approved', 'shipped') AND name LIKE 'BENCH/%%'
                 GROUP BY feedback_id) agg
         WHERE agg.feedback_id = c.id;
        UPDATE forklift_feedback c
           SET supplier_id = first_part.supplier_id
          FROM (SELECT DISTINCT ON (so.feedback_id) so.feedback_id, sp.supplier_id
                  FROM forklift_service_order so
                  JOIN forklift_service_order_part sp ON sp.order_id = so.id
                 WHERE so.state != 'cancel' AND so.name LIKE 'BENCH/%%'
                 ORDER BY so.feedback_id, so.id, sp.sequence, sp.id) first_part
         WHERE first_part.feedback_id = c.id AND c.responsibility = 'supplier';
        """
    )


# what is loaded, counted before loading and reported with the figures
COUNTS = {
    "sheets": "SELECT count(*) FROM forklift_feedback WHERE name LIKE 'BENCH/%'",
    "replaced": "SELECT count(*) FROM forklift_service_order_part p JOIN "
    "forklift_service_order o ON o.id = p.order_id WHERE o.name LIKE 'BENCH/%'",
    "released": "SELECT count(*) FROM forklift_parts_request_line l "
    "JOIN forklift_parts_request r ON r.id = l.request_id "
    "WHERE r.name LIKE 'BENCH/%'",
}


# Naive ORM loops ----------------------------------------------------------------------


def naive_statistics(env, report):
    """The same figures as report._compute_statistics(), by reading every
    sheet of the period through the ORM and adding up in Python."""
    start, end = report._get_period_bounds()
    cases = env["forklift.feedback"].search(
        [
            ("received_date", ">=", start),
            ("received_date", "<", end),
            ("market", "=", report.market),
            ("company_id", "=", report.company_id.id),
            ("state", "!=", "cancel"),
        ]
    )
    now = env.cr.now()
    labour_rate = env["forklift.feedback.analysis"]._labour_hour_cost()
    purchases = defaultdict(float)
    for purchase in env["forklift.local.purchase"].search(
        [("feedback_id", "in", cases.ids), ("state", "in", ("approved", "reimbursed"))]
    ):
        purchases[purchase.feedback_id.id] += purchase.amount_total

    def on_time(deadline, done, skip=False):
        if not deadline or skip:
            return None
        if done:
            return 100.0 if done <= deadline else 0.0
        return 0.0 if deadline < now else None

    totals = defaultdict(float)
    by_dimension = defaultdict(lambda: defaultdict(lambda: defaultdict(float)))
    rates = defaultdict(list)
    for case in cases:
        orders = case.service_order_ids.filtered(lambda o: o.state != "cancel")
        requests = case.parts_request_ids.filtered(
            lambda r: r.state in ("approved", "shipped")
        )
        hours = sum(
            (o.finished_date - o.arrival_date).total_seconds() / 3600
            for o in orders
            if o.arrival_date and o.finished_date
        )
        parts = sum(requests.mapped("amount_total")) + purchases[case.id]
        freight = sum(requests.mapped("freight_cost"))
        supplier = False
        if case.responsibility == "supplier":
            lines = orders.sorted("id").part_ids
            supplier = lines[:1].supplier_id.id
        model = case.unit_id.product_id
        values = {
            "feedback_count": 1,
            "major_count": case.severity == "major",
            "closed_count": case.state == "closed",
            "parts_replaced_qty": sum(orders.part_ids.mapped("quantity")),
            "parts_cost": parts,
            "labour_hours": hours,
            "labour_cost": hours * labour_rate,
            "freight_cost": freight,
            "total_cost": parts + hours * labour_rate + freight,
        }
        keys = {
            "fault_category_id": case.fault_category_id.id,
            "product_id": model.id,
            "vehicle_type_id": model.categ_id.id,
            "responsibility": case.responsibility,
            "supplier_id": supplier,
            "dealer_id": case.dealer_id.id,
            "region": case.region,
            "country_id": case.partner_id.country_id.id,
            "state_id": case.partner_id.state_id.id,
            "severity": case.severity,
            "warranty_state": case.warranty_state,
            "warranty_verdict": case.warranty_verdict,
            "route": case.route,
        }
        for name, value in values.items():
            totals[name] += value
            for dimension, key in keys.items():
                by_dimension[dimension][key][name] += value
        for name, rate in (
            ("dispatch_on_time", on_time(case.dispatch_deadline, case.dispatched_date)),
            ("answer_on_time", on_time(case.answer_deadline, case.answered_date)),
            (
                "onsite_on_time",
                on_time(
                    case.onsite_deadline, case.arrival_date, case.route == "remote"
                ),
            ),
        ):
            if rate is not None:
                rates[name].append(rate)
    for name, values in rates.items():
        totals[name] = statistics.fmean(values)
    return {"totals": dict(totals), "dimensions": by_dimension}


def naive_statistics_in_chunks(env, report):
    """The naive loop over a year, with the ORM cache emptied every month so
    that it fits in memory (still one record at a time)."""
    start = report.date_from
    results = []
    for month in range(1, 13):
        monthly = env["forklift.aftersales.report"].new(
            {
                "report_type": "monthly",
                "market": report.market,
                "date_from": date(start.year, month, 1),
                "company_id": report.company_id.id,
            }
        )
        results.append(naive_statistics(env, monthly)["totals"])
        env.invalidate_all()
    return {"feedback_count": sum(r.get("feedback_count", 0) for r in results)}


def naive_xlsx(env, report):
    """The monthly details written from the ORM, one record at a time, into an
    ordinary (in-memory) workbook."""
    import io

    import xlsxwriter

    start, end = report._get_period_bounds()
    cases = env["forklift.feedback"].search(
        [
            ("received_date", ">=", start),
            ("received_date", "<", end),
            ("market", "=", report.market),
            ("state", "!=", "cancel"),
        ],
        order="id",
    )
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output)
    sheet = workbook.add_worksheet("Feedback Sheets")
    lines = workbook.add_worksheet("Part Lines")
    row = line_row = 0
    for case in cases:
        orders = case.service_order_ids
        requests = case.parts_request_ids.filtered(
            lambda r: r.state in ("approved", "shipped")
        )
        sheet.write_row(
            row,
            0,
            [
                case.name,
                str(case.received_date),
                case.partner_id.display_name,
                case.partner_id.country_id.name or "",
                case.region or "",
                case.dealer_id.display_name or "",
                case.unit_id.product_id.display_name or "",
                case.unit_id.product_id.categ_id.display_name or "",
                case.unit_id.name,
                case.fault_category_id.display_name or "",
                case.severity,
                case.responsibility or "",
                case.warranty_state or "",
                case.warranty_verdict or "",
                case.route or "",
                case.state,
                sum(orders.part_ids.mapped("quantity")),
                sum(requests.mapped("amount_total")),
                sum(requests.mapped("freight_cost")),
            ],
        )
        row += 1
        # the parts replaced, then those released (with their amount)
        part_lines = [
            *(
                ("replaced", part, part.failed_serial or "", [part.quantity])
                for part in orders.part_ids
            ),
            *(
                ("released", line, "", [line.quantity, line.amount])
                for line in requests.line_ids
            ),
        ]
        for kind, line, serial, figures in part_lines:
            lines.write_row(
                line_row,
                0,
                [
                    case.name,
                    str(case.received_date),
                    kind,
                    line.product_id.display_name,
                    line.supplier_id.name or "",
                    case.unit_id.product_id.display_name or "",
                    serial,
                    *figures,
                ],
            )
            line_row += 1
    workbook.close()
    return len(output.getvalue()), row + line_row


# Measurements -------------------------------------------------------------------------


def xlsx_rows(content):
    """Data rows of the Feedback Sheets and Part Lines sheets, read back."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return sum(
        book[name].max_row - 1
        for name in book.sheetnames
        if name in ("Feedback Sheets", "Part Lines")
    )


def same_figures(fast, naive):
    names = [name for name in naive if name in fast and fast[name] is not None]
    return all(abs(float(fast[name]) - float(naive[name])) < 0.01 for name in names)


def measure(env, args, counts):
    report_model = env["forklift.aftersales.report"]
    monthly = report_model.create(
        {
            "report_type": "monthly",
            "market": "domestic",
            "date_from": date(YEAR, PEAK_MONTH, 1),
        }
    )
    annual = report_model.create(
        {"report_type": "annual", "market": "domestic", "date_from": date(YEAR, 1, 1)}
    )
    env.flush_all()
    print(
        f"Data: {counts['sheets']:,} feedback sheets, "
        f"{counts['replaced'] + counts['released']:,} part lines "
        f"({counts['replaced']:,} replaced on service orders, "
        f"{counts['released']:,} released on parts requests)"
    )
    print(TABLE.header())

    month_stats, month_times = bench.timed(monthly._compute_statistics, repeat=3)
    env.invalidate_all()
    naive_month, naive_month_times = bench.timed(naive_statistics, env, monthly)
    env.invalidate_all()
    month_cases = int(month_stats["totals"]["feedback_count"])
    label = f"monthly statistics {YEAR}-{PEAK_MONTH:02d}, {month_cases:,} sheets"
    print(TABLE.line(label, month_times[0], naive_month_times[0]))
    print(TABLE.line("  same, median of 3 runs", statistics.median(month_times), None))
    same = same_figures(month_stats["totals"], naive_month["totals"])
    print(TABLE.same(same))

    year_stats, year_times = bench.timed(annual._compute_statistics, repeat=2)
    env.invalidate_all()
    naive_year_times = [None]
    if not args.skip_naive_annual:
        _naive_year, naive_year_times = bench.timed(
            naive_statistics_in_chunks, env, annual
        )
        env.invalidate_all()
    year_cases = int(year_stats["totals"]["feedback_count"])
    label = f"annual statistics {YEAR}, {year_cases:,} sheets"
    print(TABLE.line(label, year_times[0], naive_year_times[0]))
    print(TABLE.line("  same, second run", year_times[1], None))

    # the figures are the report's own, set as its production step sets them
    monthly._write_flow({"statistics": month_stats})
    env.flush_all()
    env.invalidate_all()
    with PeakMemory() as memory:
        (content, _format), xlsx_times = bench.timed(
            env["ir.actions.report"]._render_xlsx,
            "forklift_aftersales.report_forklift_aftersales_xlsx",
            monthly.ids,
            None,
        )
    env.invalidate_all()
    with PeakMemory() as naive_memory:
        (_size, naive_rows), naive_xlsx_times = bench.timed(naive_xlsx, env, monthly)
    env.invalidate_all()
    detail_rows = xlsx_rows(content)
    label = f"monthly XLSX export, {detail_rows:,} detail rows"
    print(TABLE.line(label, xlsx_times[0], naive_xlsx_times[0]))
    print(
        TABLE.line(
            f"  peak memory ({memory.mode})", memory.peak, naive_memory.peak, "MB"
        )
    )
    print(
        TABLE.line(
            "  memory added by the export", memory.increase, naive_memory.increase, "MB"
        )
    )
    print(f"  (the naive export wrote {naive_rows:,} rows, {_size / 2**20:.1f} MB)")
    print(
        "\nTargets: monthly statistics < 2 s; XLSX export of 100,000 detail rows "
        "< 20 s with peak memory < 300 MB."
    )


def main():
    args = parse_args()
    bench.run(
        args,
        what=f"{args.sheets:,} feedback sheets",
        counts=COUNTS,
        deletes=DELETES,
        load_data=lambda env: load_data(env, args.sheets, args.peak_sheets),
        measure=measure,
    )


if __name__ == "__main__":
    main()

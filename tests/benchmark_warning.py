"""Benchmark of the quality early warning: failure rates and rule evaluation.

Loads 50,000 forklifts and 200,000 feedback sheets (with their service orders,
the parts replaced and an hour-meter reading each) into a company of their own
with SQL in bulk, then prints, beside a naive ORM loop over the same records:

- the failure-rate report of the monthly statistics: failures per 100 units
  in service by model, fault category, part, supplier, months in service,
  hour-meter band (per 1000 h) and batch, over the last 3 months, the 3
  before and the last 12 months;
- the pivot view's rate by model over the last 12 months;
- the evaluation of 12 early-warning rules (model, part, supplier and market
  rules over 1, 3 and 12 months).

Run it (--help says how it keeps its data) as:

    .venv/bin/python tests/benchmark_warning.py --db forklift_bench --install
"""

import re
import statistics
from collections import defaultdict
from datetime import date, datetime

import bench_common as bench
import pytz
from dateutil.relativedelta import relativedelta

COMPANY = "WARN benchmark forklifts"
TZ = "Asia/Shanghai"
# the last day of the sheets and of the month measured
LAST_DAY = date(2026, 11, 30)
TABLE = bench.Table(48, digits=3)


def parse_args():
    parser = bench.make_parser(__doc__, "WARN")
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--sheets", type=int, default=200_000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each fast measurement"
    )
    args = parser.parse_args()
    if args.smoke:
        args.units, args.sheets, args.repeat = 200, 800, 1
    return args


# Data ---------------------------------------------------------------------------------


def forklift_data(env):
    """The company, with the forklift models, parts with their main vendor,
    dealers, customers and fault categories, through the ORM; reused when
    present."""
    company = env["res.company"].search([("name", "=", COMPANY)])
    if not company:
        company = env["res.company"].create({"name": COMPANY})
        company.partner_id.tz = TZ
    return {
        "company": company,
        **bench.master_data(
            env,
            "WARN",
            suppliers=15,
            parts=120,
            dealers=200,
            customers=1000,
            faults=[f"fault {index}" for index in range(10)],
        ),
    }


# the rows load_data inserts, from the tables it fills, removed in this order
# before loading them again
DELETES = (
    "DELETE FROM forklift_service_order_part p USING forklift_service_order o "
    "WHERE o.id = p.order_id AND o.name LIKE 'WARN/%'",
    "DELETE FROM forklift_service_order WHERE name LIKE 'WARN/%'",
    "DELETE FROM forklift_hour_reading r USING forklift_unit u, stock_lot l "
    "WHERE r.unit_id = u.id AND l.id = u.lot_id AND l.name LIKE 'WARN-%'",
    "DELETE FROM forklift_feedback WHERE name LIKE 'WARN/%'",
    "DELETE FROM forklift_vehicle_return WHERE name LIKE 'WARN/%'",
    "DELETE FROM forklift_unit u USING stock_lot l "
    "WHERE l.id = u.lot_id AND l.name LIKE 'WARN-%'",
    "DELETE FROM stock_lot WHERE name LIKE 'WARN-%'",
)


def load_data(env, n_units, n_sheets):
    """Insert the forklifts, returns, sheets, hour readings, service orders
    and parts replaced with one INSERT ... SELECT each."""
    cr = env.cr
    data = forklift_data(env)
    env.flush_all()
    params = {
        **bench.sql_params(data),
        "company": data["company"].id,
        "n_units": n_units,
        "n_sheets": n_sheets,
        "last_day": LAST_DAY,
        "tz": TZ,
    }
    # forklift k: model k % 12, accepted over 2024 and 2025, one in eight
    # exported; serial <model>-<year><month>-<k>, the batch before the dash
    bench.insert_forklifts(
        cr,
        "WARN-%",
        params,
        count=n_units,
        serial="""'WARN-M' || lpad((k %% 12)::text, 2, '0') || '-'
               || to_char(date '2024-01-01' + (k * 7919) %% 730, 'YYMM') || '-'
               || lpad(k::text, 6, '0')""",
        market="CASE WHEN k %% 8 = 0 THEN 'export' ELSE 'domestic' END",
        accepted="date '2024-01-01' + (k * 7919) %% 730",
    )
    cr.execute(
        """
        CREATE TEMP TABLE warn_units ON COMMIT DROP AS
        SELECT (row_number() OVER (ORDER BY l.name) - 1)::int AS k, u.id, u.market,
               u.partner_id, u.dealer_id, u.acceptance_date, u.warranty_end_date
          FROM forklift_unit u JOIN stock_lot l ON l.id = u.lot_id
         WHERE l.name LIKE 'WARN-%%';
        CREATE UNIQUE INDEX ON warn_units (k);
        ANALYZE warn_units;
        """
    )
    # one forklift in a hundred back at the factory in 2026
    bench.insert_rows(
        cr,
        "forklift_vehicle_return",
        "name, state, company_id, unit_id, market, returned_by, reason_type, "
        "received_date",
        """
        SELECT 'WARN/RET' || w.id, 'done', %(company)s, w.id, w.market, 'Benchmark',
               'product',
               GREATEST(timestamp '2026-01-01' + (w.k %% 300) * interval '1 day',
                        w.acceptance_date + interval '30 days')
          FROM warn_units w
         WHERE w.k %% 100 = 7
        """,
        params,
    )
    # sheet i: forklift (i * 31) mod n, received some day between its
    # acceptance and the last day (10:00 local time), its hour meter 4 h a
    # day since acceptance; one in 13 is customer misuse, one in 50 cancelled
    bench.insert_sheets(
        cr,
        "parts_cost, freight_cost, onsite_hours, user_id",
        """
        SELECT 'WARN/' || lpad(i::text, 7, '0'),
               CASE WHEN i %% 50 = 0 THEN 'cancel' ELSE 'closed' END,
               w.market, %(company)s, 'phone', 'customer', 'normal',
               (r.day + time '10:00') AT TIME ZONE %(tz)s AT TIME ZONE 'UTC',
               w.id, w.partner_id, w.dealer_id, 'domestic',
               (%(faults)s::int[])[1 + (i * 7) %% %(n_faults)s],
               CASE WHEN r.day <= w.warranty_end_date THEN 'in' ELSE 'out' END,
               CASE WHEN i %% 13 = 0 THEN 'misuse'
                    WHEN i %% 3 = 0 THEN 'supplier' ELSE 'manufacturing' END,
               CASE WHEN i %% 13 != 0 AND r.day <= w.warranty_end_date
                    THEN 'repair' ELSE 'paid' END,
               'technician', (r.day - w.acceptance_date) * 4,
               100 + (i %% 17) * 40, (i %% 5) * 10, 1 + i %% 4, 1
          FROM generate_series(0, %(n_sheets)s - 1) i
          JOIN warn_units w ON w.k = (i * 31) %% %(n_units)s
         CROSS JOIN LATERAL (
               SELECT w.acceptance_date
                      + ((i::bigint * 104729)
                         %% GREATEST(%(last_day)s - w.acceptance_date + 1, 1))::int
                      AS day) r
        """,
        params,
    )
    # the hour meter of each sheet is a reading of the forklift; one service
    # order per sheet with one part replaced, two on one sheet in three
    bench.insert_rows(
        cr,
        "forklift_hour_reading",
        "unit_id, company_id, date, hours, source, feedback_id, user_id",
        """
        SELECT c.unit_id, c.company_id, c.received_date, c.hour_meter, 'case', c.id,
               1
          FROM forklift_feedback c WHERE c.name LIKE 'WARN/%%' AND c.hour_meter > 0
        """,
        params,
    )
    bench.insert_rows(
        cr,
        "forklift_service_order",
        "name, state, feedback_id, company_id, market, partner_id, unit_id, "
        "performer_type, technician_id",
        """
        SELECT 'WARN/SO' || c.id,
               CASE WHEN c.state = 'cancel' THEN 'cancel' ELSE 'registered' END,
               c.id, c.company_id, c.market, c.partner_id, c.unit_id, 'technician', 2
          FROM forklift_feedback c WHERE c.name LIKE 'WARN/%%'
        """,
        params,
    )
    # one part replaced on each service order, two on one sheet in three
    bench.insert_replaced_parts(
        cr,
        "WARN",
        params,
        quantity="1",
        serial="'LOT' || (o.feedback_id %% 40) || '-' || o.feedback_id || k",
        warranty="TRUE",
        second="o.feedback_id %% 3 = 0",
    )
    # the hours of each reading's previous one, as recording them would set
    env["forklift.hour.reading"]._update_previous_hours()


# what is loaded, counted before loading and reported with the figures
COUNTS = {
    "units": "SELECT count(*) FROM forklift_unit u "
    "JOIN stock_lot l ON l.id = u.lot_id WHERE l.name LIKE 'WARN-%'",
    "sheets": "SELECT count(*) FROM forklift_feedback WHERE name LIKE 'WARN/%'",
    "parts": "SELECT count(*) FROM forklift_service_order_part p JOIN "
    "forklift_service_order o ON o.id = p.order_id WHERE o.name LIKE 'WARN/%'",
    "readings": "SELECT count(*) FROM forklift_hour_reading r "
    "JOIN forklift_feedback c ON c.id = r.feedback_id WHERE c.name LIKE 'WARN/%'",
}


# Naive ORM loops ----------------------------------------------------------------------


class Naive:
    """The same figures by reading every forklift, return, reading, sheet,
    service order and part through the ORM and counting in Python."""

    def __init__(self, env, company):
        from odoo.addons.forklift_aftersales.models.forklift_failure_rate_analysis import (  # noqa: E501
            NOT_FAILURES,
        )
        from odoo.addons.forklift_aftersales.models.forklift_unit_dimension_mixin import (  # noqa: E501
            HOUR_BANDS,
        )

        self.env = env
        self.company = company
        self.tz = pytz.timezone(company.partner_id.tz or "UTC")
        self.hour_bands = HOUR_BANDS
        self.not_failures = NOT_FAILURES
        self.pattern = re.compile(
            env["forklift.unit.exposure"]._get_batch_pattern() or "$^"
        )
        self.today = env["forklift.unit.exposure"]._today()

    def local_day(self, moment):
        return pytz.utc.localize(moment).astimezone(self.tz).date()

    @staticmethod
    def index(day):
        return day.year * 12 + day.month - 1

    @staticmethod
    def mis_band(mis):
        if mis <= 3:
            return "0_3"
        if mis <= 6:
            return "4_6"
        return "7_12" if mis <= 12 else "over_12"

    def hour_band(self, hours):
        if not hours:
            return None
        for code, _label, _low, high in self.hour_bands:
            if high is None or hours < high:
                return code
        return None

    def batch(self, serial):
        match = self.pattern.search(serial or "")
        return (match.group(1) if match.groups() else match.group(0)) if match else None

    def end_dates(self, units):
        """The day each forklift came back to the factory."""
        ends = {}
        for ret in self.env["forklift.vehicle.return"].search(
            [
                ("unit_id", "in", units.ids),
                ("state", "!=", "cancel"),
                ("received_date", "!=", False),
            ]
        ):
            day = self.local_day(ret.received_date)
            unit = ret.unit_id.id
            ends[unit] = min(ends.get(unit, day), day)
        return ends

    def service_months(self, unit, end, first, last):
        """Month indexes within [first, last] the forklift was in service."""
        start = self.index(unit.warranty_start_date)
        until = (
            self.index(end - relativedelta(days=1)) if end else self.index(self.today)
        )
        return range(max(start, first), min(until, last, self.index(self.today)) + 1)

    def failure(self, case, ends, first_day, last_day):
        """(month index, MIS) of a sheet that is a failure in service, else None."""
        unit = case.unit_id
        if case.responsibility in self.not_failures or not unit.warranty_start_date:
            return None
        day = self.local_day(case.received_date)
        end = ends.get(unit.id)
        if not first_day <= day <= last_day or day < unit.warranty_start_date:
            return None
        if end and day >= end:
            return None
        return self.index(day), self.index(day) - self.index(unit.warranty_start_date)

    def parts(self, case):
        return [
            part
            for order in case.service_order_ids
            if order.state != "cancel"
            for part in order.part_ids
        ]

    def days(self, first_day, last_day):
        """Received-date conditions a little wider than the local days."""
        midnight = datetime.min.time()
        return [
            (
                "received_date",
                ">=",
                datetime.combine(first_day, midnight) - relativedelta(days=1),
            ),
            (
                "received_date",
                "<",
                datetime.combine(last_day, midnight) + relativedelta(days=2),
            ),
        ]

    def report_rates(self, date_to, market, windows):
        """Failures and rates by dimension and window, as
        _compute_report_rates gives them."""
        first_day = min(start for _key, start, _end in windows)
        first, last = self.index(first_day), self.index(date_to)
        spans = {
            key: (self.index(start), self.index(end)) for key, start, end in windows
        }
        units = self.env["forklift.unit"].search(
            [
                ("company_id", "=", self.company.id),
                ("market", "=", market),
                ("warranty_start_date", "!=", False),
            ]
        )
        ends = self.end_dates(units)
        exposure = defaultdict(lambda: defaultdict(float))
        hours = defaultdict(lambda: defaultdict(float))
        for unit in units:
            self.add_exposure(unit, ends.get(unit.id), first, last, spans, exposure)
            self.add_hours(unit, ends.get(unit.id), first, last, spans, hours)
        cases = self.env["forklift.feedback"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "!=", "cancel"),
                *self.days(first_day, date_to),
            ]
        )
        failures = defaultdict(lambda: defaultdict(int))
        for case in cases:
            if case.unit_id.market != market:
                continue
            found = self.failure(case, ends, first_day, date_to)
            if found:
                self.add_failure(case, found, spans, failures)
        return self.tables(failures, exposure, hours, spans)

    def add_exposure(self, unit, end, first, last, spans, exposure):
        start = self.index(unit.warranty_start_date)
        keys = [("model_id", unit.product_id.id), ("batch", self.batch(unit.name))]
        for month in self.service_months(unit, end, first, last):
            band = self.mis_band(month - start)
            for window, (low, high) in spans.items():
                if low <= month <= high:
                    for key in [(None, None), *keys, ("mis_band", band)]:
                        exposure[key][window] += 1

    def add_hours(self, unit, end, first, last, spans, hours):
        """What the meter moved at each reading, by hour-meter band."""
        previous = 0.0
        for reading in unit.reading_ids.sorted(lambda r: (r.date, r.id)):
            day = self.local_day(reading.date)
            month = self.index(day)
            in_service = unit.warranty_start_date <= day and (not end or day < end)
            if reading.hours > previous and in_service and first <= month <= last:
                for code, _label, low, high in self.hour_bands:
                    top = min(reading.hours, high) if high else reading.hours
                    run = top - max(previous, low)
                    for window, (w_low, w_high) in spans.items():
                        if run > 0 and w_low <= month <= w_high:
                            hours[code][window] += run
            previous = reading.hours

    def add_failure(self, case, found, spans, failures):
        month, mis = found
        parts = self.parts(case)
        keys = {
            ("model_id", case.unit_id.product_id.id),
            ("fault_category_id", case.fault_category_id.id),
            ("mis_band", self.mis_band(mis)),
            ("hour_band", self.hour_band(case.hour_meter)),
            ("batch", self.batch(case.unit_id.name)),
        }
        keys |= {("part_id", p.product_id.id) for p in parts} or {("part_id", False)}
        keys |= {("supplier_id", p.supplier_id.id) for p in parts} or {
            ("supplier_id", False)
        }
        for window, (low, high) in spans.items():
            if low <= month <= high:
                for key in keys:
                    failures[key][window] += 1

    def tables(self, failures, exposure, hours, spans):
        unit_dimensions = ("model_id", "batch", "mis_band")
        tables = defaultdict(dict)
        for (dimension, value), counts in failures.items():
            row = {}
            for window, (low, high) in spans.items():
                count = counts.get(window, 0)
                row[f"{window}_failures"] = count
                if dimension == "hour_band":
                    run = hours[value].get(window, 0.0)
                    row[f"{window}_rate"] = count * 1000 / run if run else None
                    continue
                base = (
                    (dimension, value) if dimension in unit_dimensions else (None, None)
                )
                average = exposure[base].get(window, 0) / (high - low + 1)
                row[f"{window}_rate"] = count * 100 / average if average else None
            tables[dimension][value or None] = row
        return tables

    def rule_figures(self, rules, today):
        """(failures, average units in service) of each rule's window."""
        result = {}
        for rule in rules:
            start = rule._get_window_start(today)
            domain = [
                ("company_id", "=", rule.company_id.id),
                ("state", "!=", "cancel"),
                *self.days(start, today),
            ]
            unit_domain = [
                ("company_id", "=", rule.company_id.id),
                ("warranty_start_date", "!=", False),
                ("warranty_start_date", "<=", today),
            ]
            if rule.market:
                domain.append(("market", "=", rule.market))
                unit_domain.append(("market", "=", rule.market))
            if rule.model_id:
                domain.append(("unit_id.product_id", "=", rule.model_id.id))
                unit_domain.append(("product_id", "=", rule.model_id.id))
            units = self.env["forklift.unit"].search(unit_domain)
            ends = self.end_dates(units)
            failures = 0
            for case in self.env["forklift.feedback"].search(domain):
                if not self.failure(case, ends, start, today):
                    continue
                parts = self.parts(case)
                if rule.part_id and rule.part_id not in [p.product_id for p in parts]:
                    continue
                if rule.supplier_id and rule.supplier_id not in [
                    p.supplier_id for p in parts
                ]:
                    continue
                failures += 1
            unit_months = sum(
                len(
                    self.service_months(
                        unit, ends.get(unit.id), self.index(start), self.index(today)
                    )
                )
                for unit in units
            )
            result[rule.id] = (failures, unit_months / rule.window_months)
        return result


# Measurements -------------------------------------------------------------------------


def create_rules(env, company):
    """Twelve rules: by model, part, supplier and market, over 1, 3 and 12
    months; some exceeded."""
    models = env["product.product"].search(
        [("default_code", "=like", "WARN-M%")], order="id"
    )
    parts = env["product.product"].search(
        [("default_code", "=like", "WARN-P%")], order="id"
    )
    suppliers = env["res.partner"].search([("ref", "=like", "WARN-S%")], order="id")
    base = {"company_id": company.id, "min_units": 1}
    vals = [
        {"name": f"Model {m.default_code}", "model_id": m.id, "threshold": t}
        for m, t in zip(models[:4], (30, 60, 1000, 1000), strict=True)
    ]
    vals += [
        {
            "name": f"Part {p.default_code}",
            "part_id": p.id,
            "window_months": 1,
            "threshold_type": "count",
            "threshold": t,
        }
        for p, t in zip(parts[:3], (10, 100, 1000), strict=True)
    ]
    vals += [
        {
            "name": f"Supplier {s.ref}",
            "supplier_id": s.id,
            "window_months": 12,
            "threshold": 500,
        }
        for s in suppliers[:2]
    ]
    vals += [
        {"name": "Export", "market": "export", "threshold": 40},
        {
            "name": "Domestic",
            "market": "domestic",
            "window_months": 12,
            "threshold": 900,
        },
        {"name": "All models", "window_months": 1, "threshold": 10},
    ]
    return env["forklift.warning.rule"].create([{**base, **v} for v in vals])


def same_tables(fast, naive):
    """The report's tables and the naive loop's agree, row by row."""
    for dimension, rows in fast.items():
        for row in rows:
            other = naive.get(dimension, {}).get(row["key"] or None)
            if other is None:
                return False
            for name, value in other.items():
                mine = row[name]
                if (mine is None) != (value is None):
                    return False
                if value is not None and abs(mine - value) > 1e-6:
                    return False
        if len(rows) != len(naive.get(dimension, {})):
            return False
    return True


def measure(env, args, counts):
    company = env["res.company"].search([("name", "=", COMPANY)])
    rates = env["forklift.failure.rate.analysis"]
    print(
        f"Data: {counts['units']:,} forklifts, {counts['sheets']:,} feedback sheets, "
        f"{counts['parts']:,} parts replaced, {counts['readings']:,} hour readings"
    )
    print(TABLE.header())
    naive = Naive(env, company)

    tables, times = bench.timed(
        rates._compute_report_rates, LAST_DAY, company, "domestic", repeat=args.repeat
    )
    env.invalidate_all()
    windows = rates._get_report_windows(LAST_DAY)
    naive_tables, naive_times = bench.timed(
        naive.report_rates, LAST_DAY, "domestic", windows
    )
    env.invalidate_all()
    rows = sum(len(rows) for rows in tables.values())
    label = f"failure-rate report, 7 dimensions × 3 windows ({rows} rows)"
    print(TABLE.line(label, statistics.median(times), naive_times[0]))
    same = same_tables(tables, naive_tables)
    print(TABLE.same(same))

    start = LAST_DAY.replace(day=1) - relativedelta(months=11)
    domain = [
        ("company_id", "=", company.id),
        ("date", ">=", start),
        ("date", "<=", LAST_DAY),
    ]
    _groups, pivot_times = bench.timed(
        rates._read_group,
        domain,
        ["model_id"],
        ["failure_count:sum", "failure_rate:sum"],
        repeat=args.repeat,
    )
    print(
        TABLE.line(
            "pivot: rate by model, last 12 months", statistics.median(pivot_times), None
        )
    )

    rules = create_rules(env, company)
    env.flush_all()
    figures, rule_times = bench.timed(
        rules._compute_figures, LAST_DAY, repeat=args.repeat
    )
    env.invalidate_all()
    naive_figures, naive_rule_times = bench.timed(naive.rule_figures, rules, LAST_DAY)
    env.invalidate_all()
    print(
        TABLE.line(
            f"rule evaluation, {len(rules)} rules (figures)",
            statistics.median(rule_times),
            naive_rule_times[0],
        )
    )
    same = all(
        figures[rule_id]["failures"] == failures
        and abs(figures[rule_id]["units"] - units) < 1e-9
        for rule_id, (failures, units) in naive_figures.items()
    )
    print(TABLE.same(same))
    issues, first_run = bench.timed(rules._evaluate)
    _none, second_run = bench.timed(rules._evaluate)
    print(
        TABLE.line(
            f"  daily job, raising {len(issues)} abnormal issues", first_run[0], None
        )
    )
    print(TABLE.line("  daily job again, raising none", second_run[0], None))
    print("\nTargets: each under 2 s and at least 20× the naive loop.")


def main():
    args = parse_args()
    from freezegun import freeze_time

    bench.run(
        args,
        what=f"{args.units:,} forklifts and {args.sheets:,} sheets",
        counts=COUNTS,
        deletes=DELETES,
        load_data=lambda env: load_data(env, args.units, args.sheets),
        measure=measure,
        # the last day of the data is today: its windows end there
        clock=freeze_time(datetime(2026, 11, 30, 4, 0)),
    )


if __name__ == "__main__":
    main()

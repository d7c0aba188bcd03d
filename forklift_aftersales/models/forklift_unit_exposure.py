from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.orm.domains import DomainAnd
from odoo.tools import SQL

from .forklift_document_fields import report_column
from .forklift_statistics_mixin import merge_depends
from .forklift_unit_dimension_mixin import HOUR_BANDS

EXPOSURE_KINDS = [("unit", "Unit in service"), ("hours", "Hours run")]
# Context key: (first, last) month index (year * 12 + month - 1) the caller
# reads, so that the months of the other years are not generated at all.
MONTHS_CONTEXT_KEY = "forklift_exposure_months"
# Context key: "period" when the caller sums the months of its period without
# grouping them by month (a row per forklift and MIS band then, not per month).
GRAIN_CONTEXT_KEY = "forklift_exposure_grain"
# Context key, with the "period" grain: the caller's periods, [(first, last)
# month index], told apart by the ``period`` column.
PERIODS_CONTEXT_KEY = "forklift_exposure_periods"
# Context key, with the "period" grain: False when the caller neither groups
# nor filters by months in service (a row per forklift and period then).
BANDS_CONTEXT_KEY = "forklift_exposure_bands"
# Context key, with the "period" grain: the forklift's fields the caller
# groups or filters by; the forklifts alike in these and in their service
# months are counted together in one row (and their hours run summed by month
# and hour-meter band), the other fields left empty.
FIELDS_CONTEXT_KEY = "forklift_exposure_fields"
# The forklift's own fields of a row and the type of each when left empty.
UNIT_COLUMNS = [
    ("unit_id", "int"),
    ("company_id", "int"),
    ("market", "varchar"),
    ("model_id", "int"),
    ("vehicle_type_id", "int"),
    ("dealer_id", "int"),
    ("partner_id", "int"),
    ("batch", "text"),
]
# First and last months in service of each MIS band (None: no end).
MIS_BAND_BOUNDS = [("0_3", 0, 3), ("4_6", 4, 6), ("7_12", 7, 12), ("over_12", 13, None)]
# The month indexes a caller may give: from January of year 1 to the month
# after December 9999 (the first month of a period starting on its last day).
MIN_MONTH_INDEX = 12
MAX_MONTH_INDEX = 10000 * 12
DEFAULT_BATCH_PATTERN = "^(.+)-[^-]+$"
# Memory PostgreSQL may use per hash or sort of these reports' queries.
WORK_MEM = "64MB"


# What the forklifts in service (``_units_sql``) are read from: the views
# built on them depend on these fields, and on their own.
UNITS_DEPENDS = {
    "forklift.unit": [
        "lot_id",
        "market",
        "dealer_id",
        "partner_id",
        "warranty_start_date",
    ],
    "stock.lot": ["name", "product_id", "company_id"],
    "product.product": ["product_tmpl_id"],
    "product.template": ["categ_id"],
    "forklift.vehicle.return": ["unit_id", "state", "received_date"],
}


def month_index(day):
    """Months since year 0 of the month of ``day``: consecutive months have
    consecutive indexes."""
    return day.year * 12 + day.month - 1


def is_month_pair(value):
    """Whether ``value`` is a (first, last) pair of month indexes, each an
    integer from :data:`MIN_MONTH_INDEX` to :data:`MAX_MONTH_INDEX` or None
    (open)."""
    return isinstance(value, list | tuple) and (
        len(value) == 2
        and all(
            index is None
            or (
                isinstance(index, int)
                and not isinstance(index, bool)
                and MIN_MONTH_INDEX <= index <= MAX_MONTH_INDEX
            )
            for index in value
        )
    )


def is_id_list(value):
    """Whether ``value`` is a list of record ids."""
    return isinstance(value, list | tuple) and all(
        isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31 for i in value
    )


class ForkliftUnitExposure(models.Model):
    """Units in service per month, the denominator of every failure rate
    (quality early warning; 000 §4.1.6, R-256, R-267).

    One row per forklift and month it was in service: from the month its
    service started (its acceptance date, else its delivery date, A-23) to
    the month before it came back to the factory on a whole-vehicle return
    (000 §4.4) — the month it came back still counts when it worked part of
    it — and at the latest the current month. Summed over one month the rows
    count the units in service; over several months, the unit-months.

    Each row also gives the months in service (MIS) of the unit that month: 0
    in the month its service started. A second kind of row carries the hours
    the unit ran, from its hour-meter readings: each reading adds what the
    meter moved since the unit's previous reading (from 0 for its first),
    counted in the month of the reading, split over the hour-meter bands it
    crossed; readings before the service started or after the return are
    left out.

    Everything is computed by PostgreSQL from the units, the returns and the
    readings; each reading keeps the hours of the reading before it
    (``previous_hours``), so that no reading is compared with its forklift's
    others again each time.
    """

    _name = "forklift.unit.exposure"
    _inherit = ["forklift.statistics.mixin", "forklift.unit.dimension.mixin"]
    _description = "Forklift Units in Service"
    _auto = False
    _order = "date desc, id"
    _rec_name = "unit_id"
    _depends = merge_depends(
        UNITS_DEPENDS,
        {"forklift.hour.reading": ["unit_id", "date", "hours", "previous_hours"]},
    )
    _work_mem = WORK_MEM

    kind = report_column(fields.Selection, EXPOSURE_KINDS)
    date = report_column(fields.Date, string="Month")
    batch = report_column(
        fields.Char,
        string="Production Batch",
        help="Taken from the forklift's serial number with the pattern of the "
        "system parameter forklift_aftersales.batch_pattern (by default what "
        "comes before the last dash: CPCD30-2026 for CPCD30-2026-0117).",
    )
    mis = report_column(
        fields.Integer,
        string="Months in Service",
        aggregator="max",
        help="0 in the month the service started.",
    )
    period = report_column(
        fields.Integer,
        aggregator=None,
        help="Technical: the index of the caller's period the row counts in.",
    )
    unit_count = report_column(
        fields.Integer,
        string="Units in Service",
        help="Per month, the forklifts in service; summed over several months, "
        "the unit-months.",
    )
    hours_run = report_column(fields.Float, string="Operating Hours", digits=(16, 1))

    # SQL shared with the failure rates and the warranty forecast

    @api.model
    def _get_batch_pattern(self):
        # sudo: reads a system parameter only
        return (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("forklift_aftersales.batch_pattern", DEFAULT_BATCH_PATTERN)
        )

    @api.model
    def _batch_sql(self, serial):
        """The production batch of the serial number ``serial`` (SQL), with
        the pattern of :meth:`_get_batch_pattern`."""
        pattern = self._get_batch_pattern()
        if not pattern:
            return SQL("NULL::varchar")
        if pattern != DEFAULT_BATCH_PATTERN:
            return SQL("substring(%s from %s)", serial, pattern)
        # the default pattern with string functions, a fraction of the cost
        # of the regular expression: what comes before the last dash, when
        # something comes before it and after it
        dash = SQL("strpos(reverse(%s), '-')", serial)
        return SQL(
            """CASE WHEN %(dash)s > 1 AND %(dash)s < length(%(serial)s)
                    THEN left(%(serial)s, length(%(serial)s) - %(dash)s) END""",
            dash=dash,
            serial=serial,
        )

    @api.model
    def _today(self):
        return self.env["forklift.aftersales.report"]._today()

    @api.model
    def _units_sql(self, until=None):
        """One row per forklift whose service started by ``until`` (default
        today): its dimensions, the day its service started (``start_date``)
        and the first day it was out of service again (``end_date``, the day
        it came back on a whole-vehicle return), their month indexes, and its
        company's time zone."""
        until = until or self._today()
        return SQL(
            """
            SELECT u.id AS unit_id, lot.company_id, u.market,
                   lot.product_id AS model_id, tmpl.categ_id AS vehicle_type_id,
                   u.dealer_id, u.partner_id, derived.batch,
                   u.warranty_start_date AS start_date,
                   u.warranty_months,
                   back.end_date,
                   derived.start_idx,
                   derived.last_idx,
                   COALESCE(company_partner.tz, 'UTC') AS tz
              FROM forklift_unit u
              JOIN stock_lot lot ON lot.id = u.lot_id
              JOIN product_product model ON model.id = lot.product_id
              JOIN product_template tmpl ON tmpl.id = model.product_tmpl_id
              LEFT JOIN res_company company ON company.id = lot.company_id
              LEFT JOIN res_partner company_partner
                     ON company_partner.id = company.partner_id
              LEFT JOIN (
                    SELECT vr.unit_id, MIN(vr.received_date) AS received_date
                      FROM forklift_vehicle_return vr
                     WHERE vr.state != 'cancel' AND vr.received_date IS NOT NULL
                     GROUP BY vr.unit_id
                   ) returned ON returned.unit_id = u.id
              CROSS JOIN LATERAL (
                    SELECT (returned.received_date AT TIME ZONE 'UTC'
                            AT TIME ZONE COALESCE(company_partner.tz, 'UTC'))::date
                           AS end_date
                    -- computed once per forklift, however often used
                    OFFSET 0
                   ) back
              CROSS JOIN LATERAL (
                    SELECT %(batch)s AS batch,
                           %(start_idx)s AS start_idx,
                           %(last_idx)s AS last_idx
                    OFFSET 0
                   ) derived
             WHERE u.warranty_start_date IS NOT NULL
               AND u.warranty_start_date <= %(until)s
            """,
            batch=self._batch_sql(SQL("lot.name")),
            until=until,
            start_idx=self._month_index_sql(SQL("u.warranty_start_date")),
            last_idx=self._month_index_sql(
                SQL("LEAST(back.end_date - 1, %s::date)", until)
            ),
        )

    @api.model
    def _mis_band_sql(self, mis):
        return SQL(
            """CASE WHEN %(mis)s <= 3 THEN '0_3' WHEN %(mis)s <= 6 THEN '4_6'
                    WHEN %(mis)s <= 12 THEN '7_12' ELSE 'over_12' END""",
            mis=mis,
        )

    @api.model
    def _hour_bands_sql(self):
        """The hour-meter bands as a VALUES list (no, code, low, high)."""
        return SQL(
            "(VALUES %s) AS band(no, code, low, high)",
            SQL(", ").join(
                SQL(
                    "(%s, %s, %s::float, %s::float)",
                    number,
                    code,
                    low,
                    high,
                )
                for number, (code, _label, low, high) in enumerate(HOUR_BANDS)
            ),
        )

    @api.model
    def _hour_band_sql(self, hours):
        """The band of an hour-meter value; NULL when no meter was read."""
        cases = SQL(" ").join(
            SQL("WHEN %s < %s THEN %s", hours, high, code)
            for code, _label, _low, high in HOUR_BANDS
            if high is not None
        )
        return SQL(
            "CASE WHEN %s IS NULL THEN NULL %s ELSE %s END",
            hours,
            cases,
            HOUR_BANDS[-1][0],
        )

    @api.model
    def _local_date_sql(self, timestamp, tz):
        return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", timestamp, tz)

    @api.model
    def _month_index_sql(self, day):
        # date_part (a double) rather than EXTRACT (a numeric): cheaper
        return SQL(
            "(date_part('year', %(day)s) * 12 + date_part('month', %(day)s) - 1)::int",
            day=day,
        )

    # The view

    @api.model
    def _context_value_error(self, key, value, expected):
        """The error of a context ``key`` given a ``value`` of another type
        than the ``expected`` one (a sentence part)."""
        return UserError(
            self.env._(
                "The context key %(key)s takes %(expected)s, not %(value)s.",
                key=key,
                expected=expected,
                value=repr(value)[:100],
            )
        )

    @api.model
    def _check_context_keys(self):
        """Refuse the values of the context keys that tell the view what its
        caller reads when they are not of the types the callers give: a
        client may set any context."""
        context = self.env.context
        months = context.get(MONTHS_CONTEXT_KEY)
        if months and not is_month_pair(months):
            raise self._context_value_error(
                MONTHS_CONTEXT_KEY,
                months,
                self.env._("a pair of month indexes (each a number or null)"),
            )
        periods = context.get(PERIODS_CONTEXT_KEY)
        if periods and not (
            isinstance(periods, list | tuple) and all(map(is_month_pair, periods))
        ):
            raise self._context_value_error(
                PERIODS_CONTEXT_KEY,
                periods,
                self.env._("a list of pairs of month indexes"),
            )
        used = context.get(FIELDS_CONTEXT_KEY)
        if used is not None and not (
            isinstance(used, list | tuple) and all(isinstance(n, str) for n in used)
        ):
            raise self._context_value_error(
                FIELDS_CONTEXT_KEY, used, self.env._("a list of field names")
            )

    @api.model
    def _search(self, domain, *args, **kwargs):
        """Only the months the domain allows are generated."""
        if MONTHS_CONTEXT_KEY in self.env.context:
            return super()._search(domain, *args, **kwargs)
        first, last, _complete = self._get_date_bounds(domain)
        months = (
            # a month row is dated on its first day
            first and month_index(first) + (first.day > 1),
            last and month_index(last),
        )
        this = self.with_context(**{MONTHS_CONTEXT_KEY: months})
        return super(ForkliftUnitExposure, this)._search(domain, *args, **kwargs)

    @api.model
    def _get_date_bounds(self, domain):
        """First and last day the top-level conditions of ``domain`` on
        ``date`` allow (None when open), and whether these bounds are all the
        date conditions say."""
        first = last = None
        complete = True
        domain = Domain(domain)
        children = domain.children if isinstance(domain, DomainAnd) else [domain]
        for child in children:
            conditions = list(child.iter_conditions())
            if all(c.field_expr.split(".")[0] != "date" for c in conditions):
                continue
            bound = len(conditions) == 1 and self._get_date_bound(conditions[0])
            if not bound:
                complete = False
            elif bound[0] == "first":
                first = bound[1] if first is None else max(first, bound[1])
            else:
                last = bound[1] if last is None else min(last, bound[1])
        return first, last, complete

    @api.model
    def _get_date_bound(self, condition):
        """("first" or "last", day) of a comparison on ``date``, else None."""
        value = condition.value
        if isinstance(value, str):
            try:
                value = fields.Date.to_date(value[:10])
            except ValueError:
                return None
        if isinstance(value, datetime):
            value = value.date()
        if condition.field_expr != "date" or not isinstance(value, date):
            return None
        operator = condition.operator
        try:
            if operator in (">=", ">"):
                return "first", value + relativedelta(days=operator == ">")
            if operator in ("<=", "<"):
                return "last", value - relativedelta(days=operator == "<")
        except OverflowError:
            # beyond the calendar: not a bound of ours
            return None
        return None

    @api.model
    def _get_month_bounds(self):
        """First and last month index to generate: the caller's, within the
        months up to the current one."""
        current = month_index(self._today())
        first, last = self.env.context.get(MONTHS_CONTEXT_KEY) or (None, None)
        return first, min(last, current) if last is not None else current

    @api.model
    def _query(self):
        self._check_context_keys()
        first, last = self._get_month_bounds()
        first = first if first is not None else 0
        period_grain = self.env.context.get(GRAIN_CONTEXT_KEY) == "period"
        return SQL(
            """
            WITH units AS MATERIALIZED (%(units)s)
            %(unit_rows)s
            UNION ALL
            %(hour_rows)s
            """,
            units=self._units_sql(),
            unit_rows=(
                self._period_rows_sql(first, last)
                if period_grain
                else self._month_rows_sql(first, last)
            ),
            hour_rows=(
                self._grouped_hour_rows_sql(first, last)
                if period_grain and self.env.context.get(FIELDS_CONTEXT_KEY) is not None
                else self._hour_rows_sql(first, last)
            ),
        )

    @api.model
    def _readings_sql(self, first, last, join=None, where=None):
        """FROM and WHERE clauses of the readings (as ``r``) of the forklifts
        in service (``un``) that moved the meter in a month between ``first``
        and ``last``, with the day (``d.day``) and month index (``d.idx``) of
        the reading; ``join`` and ``where`` add a table and conditions."""
        # a day of margin on each side for the time zones
        until = date(last // 12, last % 12 + 1, 1) + relativedelta(months=1, days=1)
        # no month at all when the first is after the last
        start = min(first, last)
        since = (
            date(start // 12, start % 12 + 1, 1) - relativedelta(days=1)
            # from year 1, as open
            if start > MIN_MONTH_INDEX
            else date(1900, 1, 1)
        )
        return SQL(
            """
                   forklift_hour_reading r
              JOIN units un ON un.unit_id = r.unit_id
              CROSS JOIN LATERAL (
                    SELECT dd.day, %(reading_idx)s AS idx
                      FROM (SELECT %(reading_day)s AS day OFFSET 0) dd
                    OFFSET 0
                   ) d
              %(join)s
             WHERE r.date >= %(since)s AND r.date < %(until)s
               AND r.hours > r.previous_hours
               AND d.day >= un.start_date
               AND (un.end_date IS NULL OR d.day < un.end_date)
               AND d.idx BETWEEN %(first)s AND %(last)s
               AND %(where)s
            """,
            join=join or SQL(""),
            where=where or SQL("TRUE"),
            reading_day=self._local_date_sql(SQL("r.date"), SQL("un.tz")),
            reading_idx=self._month_index_sql(SQL("dd.day")),
            first=first,
            last=last,
            since=since,
            until=until,
        )

    @api.model
    def _hour_rows_sql(self, first, last):
        """One row per reading and hour-meter band it moved the meter in."""
        return SQL(
            """
            SELECT %(row)s
              FROM %(readings)s
            """,
            row=self._row_sql(
                SQL("(r.id::bigint * 8 + band.no) * 2 + 1"),
                "hours",
                self._dimensions_sql(),
                SQL("d.idx"),
                SQL("un.start_idx"),
                hour_band=SQL("band.code::varchar"),
                hours_run=SQL(
                    """GREATEST(0, LEAST(r.hours, band.high)
                               - GREATEST(r.previous_hours, band.low))"""
                ),
            ),
            readings=self._readings_sql(
                first,
                last,
                join=SQL("CROSS JOIN %s", self._hour_bands_sql()),
                where=SQL(
                    """band.low < r.hours
                       AND (band.high IS NULL OR band.high > r.previous_hours)"""
                ),
            ),
        )

    @api.model
    def _grouped_hour_rows_sql(self, first, last):
        """For a caller that tells the forklift's fields it uses (the "period"
        grain): the hours run summed over the readings of the forklifts
        alike in these fields and in their first month of service, by month
        and hour-meter band; the other fields left empty. Each reading adds
        what it moved the meter within each band in one pass, and the sums
        are then split into a row per band."""
        used = self.env.context.get(FIELDS_CONTEXT_KEY)
        kept = [
            SQL("un.%s", SQL.identifier(name))
            for name, _type in UNIT_COLUMNS
            if name in used
        ]
        columns = [
            SQL("h.%s", SQL.identifier(name))
            if name in used
            else SQL("NULL::%s AS %s", SQL(column_type), SQL.identifier(name))
            for name, column_type in UNIT_COLUMNS
        ]
        runs = [
            SQL(
                "SUM(GREATEST(0, LEAST(r.hours, %s::float) "
                "- GREATEST(r.previous_hours, %s::float))) AS %s",
                high,
                low,
                SQL.identifier(f"run_{number}"),
            )
            for number, (_code, _label, low, high) in enumerate(HOUR_BANDS)
        ]
        bands = SQL(", ").join(
            SQL("(%s, %s, h.%s)", number, code, SQL.identifier(f"run_{number}"))
            for number, (code, _label, _low, _high) in enumerate(HOUR_BANDS)
        )
        return SQL(
            """
            SELECT %(row)s
              FROM (
                    SELECT %(kept)s un.start_idx, d.idx,
                           MIN(r.id) AS first_reading_id, %(runs)s
                      FROM %(readings)s
                     GROUP BY %(kept)s un.start_idx, d.idx
                    -- the caller's conditions (company, market...) apply to
                    -- the sums: on the forklifts, of which PostgreSQL keeps
                    -- no statistics, it would expect next to no row and
                    -- read the readings forklift by forklift, then sort them
                    OFFSET 0
                   ) h
              CROSS JOIN LATERAL (VALUES %(bands)s) AS band(no, code, hours_run)
             WHERE band.hours_run > 0
            """,
            row=self._row_sql(
                SQL("(h.first_reading_id::bigint * 8 + band.no) * 2 + 1"),
                "hours",
                SQL(", ").join(columns),
                SQL("h.idx"),
                SQL("h.start_idx"),
                hour_band=SQL("band.code::varchar"),
                hours_run=SQL("band.hours_run"),
            ),
            kept=SQL("").join(SQL("%s, ", column) for column in kept),
            runs=SQL(", ").join(runs),
            readings=self._readings_sql(first, last),
            bands=bands,
        )

    @api.model
    def _row_sql(
        self,
        row_id,
        kind,
        columns,
        month,
        start,
        mis_band=None,
        hour_band=None,
        period=None,
        unit_count=None,
        hours_run=None,
    ):
        """The select list of a row, its columns in the order of every kind of
        row ``_query`` unites: the row's id, its ``kind`` and the forklift's
        ``columns``; dated by the month index ``month``, in service since the
        month ``start``, in the MIS band of those months unless ``mis_band``
        says; the other columns as given (SQL), else NULL or 0."""
        return SQL(
            """%(row_id)s AS id,
                   %(kind)s::varchar AS kind, %(columns)s,
                   make_date(%(month)s / 12, %(month)s %% 12 + 1, 1) AS date,
                   %(month)s - %(start)s AS mis,
                   %(mis_band)s AS mis_band,
                   %(hour_band)s AS hour_band,
                   %(period)s AS period,
                   %(unit_count)s AS unit_count,
                   %(hours_run)s AS hours_run""",
            row_id=row_id,
            kind=kind,
            columns=columns,
            month=month,
            start=start,
            mis_band=mis_band or self._mis_band_sql(SQL("(%s - %s)", month, start)),
            hour_band=hour_band or SQL("NULL::varchar"),
            period=period or SQL("0"),
            unit_count=unit_count or SQL("0"),
            hours_run=hours_run or SQL("0.0"),
        )

    @api.model
    def _dimensions_sql(self):
        """The forklift's own columns of a row (``UNIT_COLUMNS``), from ``un``."""
        return SQL(", ").join(
            SQL("un.%s", SQL.identifier(name)) for name, _type in UNIT_COLUMNS
        )

    @api.model
    def _month_rows_sql(self, first, last):
        """One row per forklift and month in service."""
        return SQL(
            """
            SELECT %(row)s
              FROM units un
              CROSS JOIN LATERAL generate_series(
                    GREATEST(un.start_idx, %(first)s),
                    LEAST(un.last_idx, %(last)s)) AS m(idx)
            """,
            row=self._row_sql(
                SQL("(un.unit_id::bigint * 100000 + m.idx) * 2"),
                "unit",
                self._dimensions_sql(),
                SQL("m.idx"),
                SQL("un.start_idx"),
                unit_count=SQL("1"),
            ),
            first=first,
            last=last,
        )

    @api.model
    def _period_rows_sql(self, first, last):
        """For a caller that sums the months of its periods without grouping
        them by month: one row per forklift, MIS band and period of the
        caller (``period``, its index; by default one period, the months
        filtered), its months in service within the period and the band
        (``unit_count``), dated by the first of them."""
        # a caller that neither groups nor filters by MIS band gets one row
        # per forklift and period, its band left empty
        bounds = (
            MIS_BAND_BOUNDS
            if self.env.context.get(BANDS_CONTEXT_KEY, True)
            else [(None, 0, None)]
        )
        bands = SQL(
            "(VALUES %s) AS band(no, code, low, high)",
            SQL(", ").join(
                SQL("(%s, %s::varchar, %s, %s::int)", number, code, low, high)
                for number, (code, low, high) in enumerate(bounds)
            ),
        )
        periods = self.env.context.get(PERIODS_CONTEXT_KEY) or [(first, last)]
        periods = SQL(
            "(VALUES %s) AS period(no, first_idx, last_idx)",
            SQL(", ").join(
                SQL("(%s, %s::int, %s::int)", number, low, high)
                for number, (low, high) in enumerate(periods)
            ),
        )
        return SQL(
            """
            SELECT %(row)s
              FROM %(units)s
              CROSS JOIN %(bands)s
              CROSS JOIN %(periods)s
              CROSS JOIN LATERAL (
                    SELECT GREATEST(un.start_idx + band.low, period.first_idx,
                                    %(first)s) AS first_idx,
                           LEAST(un.last_idx, un.start_idx + band.high,
                                 period.last_idx, %(last)s) AS last_idx
                   ) o
             WHERE o.first_idx <= o.last_idx
            """,
            row=self._row_sql(
                SQL("((un.first_unit_id::bigint * 8 + band.no) * 16 + period.no) * 2"),
                "unit",
                self._dimensions_sql(),
                SQL("o.first_idx"),
                SQL("un.start_idx"),
                mis_band=SQL("band.code::varchar"),
                period=SQL("period.no"),
                unit_count=SQL("(o.last_idx - o.first_idx + 1) * un.units"),
            ),
            units=self._grouped_units_sql(),
            bands=bands,
            periods=periods,
            first=first,
            last=last,
        )

    @api.model
    def _grouped_units_sql(self):
        """The forklifts of the "period" grain, as ``un``: one row per
        forklift (``units`` 1), or, when the caller tells the forklift's
        fields it uses, one row per forklifts alike in these fields and in
        their months of service (``units`` of them), the other fields
        empty; ``first_unit_id`` tells the rows apart."""
        used = self.env.context.get(FIELDS_CONTEXT_KEY)
        if used is None:
            return SQL("(SELECT *, unit_id AS first_unit_id, 1 AS units FROM units) un")
        kept = [SQL.identifier(name) for name, _type in UNIT_COLUMNS if name in used]
        columns = [
            SQL.identifier(name)
            if name in used
            else SQL("NULL::%s AS %s", SQL(column_type), SQL.identifier(name))
            for name, column_type in UNIT_COLUMNS
        ]
        return SQL(
            """(SELECT %(columns)s, start_idx, last_idx,
                       MIN(unit_id) AS first_unit_id, COUNT(*)::int AS units
                  FROM units
                 GROUP BY %(keys)s) un""",
            columns=SQL(", ").join(columns),
            keys=SQL(", ").join([*kept, SQL("start_idx"), SQL("last_idx")]),
        )

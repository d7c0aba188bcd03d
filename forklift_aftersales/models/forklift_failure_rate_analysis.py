from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.orm.domains import DomainAnd
from odoo.tools import SQL

from .forklift_document_fields import report_column, sheet_link
from .forklift_feedback import RESPONSIBILITIES
from .forklift_statistics_mixin import merge_depends
from .forklift_unit_exposure import (
    BANDS_CONTEXT_KEY,
    FIELDS_CONTEXT_KEY,
    GRAIN_CONTEXT_KEY,
    MONTHS_CONTEXT_KEY,
    PERIODS_CONTEXT_KEY,
    UNITS_DEPENDS,
    WORK_MEM,
    is_id_list,
    month_index,
)

# The unit's own columns, the same on every row of a sheet.
UNIT_COLUMNS = (
    "company_id",
    "market",
    "unit_id",
    "model_id",
    "vehicle_type_id",
    "dealer_id",
    "partner_id",
    "batch",
)
# Fields the failures share with the units in service: a rate grouped or
# filtered by them divides by the units of the same group.
UNIT_DIMENSIONS = frozenset({"date", *UNIT_COLUMNS, "mis", "mis_band"})
# The hours run are split by hour-meter band as well.
HOUR_DIMENSIONS = UNIT_DIMENSIONS | {"hour_band"}
# Measures computed from the failures and the units in service together.
RATE_MEASURES = frozenset(
    {
        "failure_count",
        "units_in_service",
        "failure_rate",
        "operating_hours",
        "rate_per_1000h",
    }
)
HOUR_MEASURES = frozenset({"operating_hours", "rate_per_1000h"})
# Months in each period a rate may be grouped by.
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
# Context key: (first day, last day) the caller's domain allows.
DAYS_CONTEXT_KEY = "forklift_failure_days"
# Context key: False when the caller uses no field of the parts replaced (a
# row per sheet then, the parts not read).
PARTS_CONTEXT_KEY = "forklift_failure_parts"
# Context key: ([product ids], [supplier ids]) of the only parts the caller
# counts (an early-warning rule's).
WATCHED_CONTEXT_KEY = "forklift_failure_watched_parts"
# Fields of the parts replaced.
PART_FIELDS = frozenset({"part_id", "supplier_id", "part_batch"})
# Sheets that do not count as failures of the product.
NOT_FAILURES = ("misuse", "non_original")


def _field_name(spec):
    return spec.split(":")[0].split(".")[0]


def _key(value):
    return value.id if isinstance(value, models.BaseModel) else value


class ForkliftFailureRateAnalysis(models.Model):
    """Failure rates: failures per 100 units in service (quality early
    warning; 000 §4.1.6, §4.2.4; R-256, R-261, R-267).

    A failure is a feedback sheet (not cancelled) on a forklift in service
    when it was received, unless it was found to be customer misuse or a
    non-original part. One row per part replaced on the sheet's service
    orders (one row when none was replaced), with the dimensions of the
    sheet, of the forklift and of the part: the supplier stored on the part
    when it was recorded (so that changing a product's vendors leaves past
    sheets as they were), and the production batch from the forklift's serial
    number or the failed part's serial, with the same pattern.

    The rows are the numerator; the units in service
    (``forklift.unit.exposure``) the denominator. Grouped in the pivot and
    graph views, :meth:`_read_group` computes for each group:

    - Failures: distinct sheets of the group;
    - Units in Service: the unit-months of the forklifts of the group
      divided by the months of the period, i.e. the average number of units
      in service over the period (for a month, the units in service that
      month). Groups and filters on the forklift's own dimensions (model,
      market, dealer, batch, month, months in service...) narrow the units;
      those of the failure only (fault category, part, supplier) do not;
    - Failures per 100 Units: Failures × 100 / Units in Service, over the
      period filtered (a month, the last 3 or 12 months...);
    - Operating Hours and Failures per 1000 h: the hours the units ran in
      the period (from their hour-meter readings) and Failures × 1000 /
      Operating Hours; by hour-meter band, the hours run within the band.
    """

    _name = "forklift.failure.rate.analysis"
    _inherit = ["forklift.statistics.mixin", "forklift.unit.dimension.mixin"]
    _description = "Forklift Failure Rates"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "feedback_id"
    _depends = merge_depends(
        UNITS_DEPENDS,
        {
            "forklift.feedback": [
                "company_id",
                "state",
                "received_date",
                "unit_id",
                "fault_category_id",
                "responsibility",
                "hour_meter",
            ],
            "forklift.service.order": ["feedback_id", "state"],
            "forklift.service.order.part": [
                "order_id",
                "feedback_id",
                "product_id",
                "failed_serial",
                "supplier_id",
            ],
        },
    )
    _work_mem = WORK_MEM

    feedback_id = sheet_link(readonly=True)
    date = report_column(fields.Date, string="Received On")
    batch = report_column(fields.Char, string="Production Batch")
    mis = report_column(
        fields.Integer,
        string="Months in Service",
        aggregator="max",
        help="Months between the month the forklift's service started (0) and "
        "the month of the failure.",
    )
    hour_meter = report_column(
        fields.Float, string="Hour Meter at Report", aggregator="max"
    )
    fault_category_id = report_column(fields.Many2one, "forklift.fault.category")
    responsibility = report_column(fields.Selection, RESPONSIBILITIES)
    part_id = report_column(fields.Many2one, "product.product")
    supplier_id = report_column(
        fields.Many2one,
        "res.partner",
        help="Supplier of the part replaced, stored on the part when it was "
        "recorded (its main vendor then, or the sheet's supplier at fault for "
        "the failed part): changing the part's vendors later leaves it.",
    )
    part_batch = report_column(
        fields.Char,
        help="Taken from the failed part's serial number, with the pattern of "
        "the forklifts' batches.",
    )
    sheet_count = report_column(
        fields.Integer,
        string="Counted Row",
        aggregator=None,
        help="Technical: 1 on one row of each sheet; summed, the sheets.",
    )
    part_count = report_column(
        fields.Integer,
        string="Counted Part Row",
        aggregator=None,
        help="Technical: 1 on one row of each part of a sheet.",
    )
    supplier_count = report_column(
        fields.Integer,
        string="Counted Supplier Row",
        aggregator=None,
        help="Technical: 1 on one row of each supplier of a sheet.",
    )
    failure_count = report_column(fields.Integer, string="Failures")
    units_in_service = report_column(
        fields.Float, string="Units in Service", digits=(16, 1)
    )
    failure_rate = report_column(
        fields.Float, string="Failures per 100 Units", digits=(16, 2)
    )
    operating_hours = report_column(fields.Float, digits=(16, 1))
    rate_per_1000h = report_column(
        fields.Float, string="Failures per 1000 h", digits=(16, 3)
    )

    @api.model
    def _check_context_keys(self):
        """Refuse the values of the context keys that tell the view what its
        caller reads when they are not of the types the callers give: a
        client may set any context."""
        exposure = self.env["forklift.unit.exposure"]
        watched = self.env.context.get(WATCHED_CONTEXT_KEY)
        if watched is not None and not (
            isinstance(watched, list | tuple)
            and len(watched) == 2
            and all(map(is_id_list, watched))
        ):
            raise exposure._context_value_error(
                WATCHED_CONTEXT_KEY,
                watched,
                self.env._("a pair of lists of ids (products, suppliers)"),
            )
        days = self.env.context.get(DAYS_CONTEXT_KEY)
        if days and not (
            isinstance(days, list | tuple)
            and len(days) == 2
            and all(day is None or isinstance(day, date) for day in days)
        ):
            raise exposure._context_value_error(
                DAYS_CONTEXT_KEY,
                days,
                self.env._("a pair of days (each a date or null)"),
            )

    @api.model
    def _query(self):
        self._check_context_keys()
        exposure = self.env["forklift.unit.exposure"]
        part_batch = exposure._batch_sql(SQL("p.failed_serial"))
        mis = SQL("f.mis")
        hour_meter = SQL("NULLIF(c.hour_meter, 0)")
        mis_band = exposure._mis_band_sql(mis)
        hour_band = exposure._hour_band_sql(hour_meter)
        with_parts = self.env.context.get(PARTS_CONTEXT_KEY, True)
        if with_parts:
            # the rows that count a sheet, and a sheet's part or supplier,
            # once each: the first of each among the sheet's parts in one
            # order (a part has one supplier on a sheet), told by the row before it
            first = SQL("row_number() OVER sheet = 1")
            new_supplier = SQL(
                "lag(p.supplier_id) OVER sheet IS DISTINCT FROM p.supplier_id"
            )
            new_part = SQL("lag(p.product_id) OVER sheet IS DISTINCT FROM p.product_id")
            flags = {
                "sheet": first,
                "part": SQL("%s OR %s OR %s", first, new_supplier, new_part),
                "supplier": SQL("%s OR %s", first, new_supplier),
            }
            parts = SQL(
                """(
                    SELECT sp.feedback_id, sp.id, sp.product_id, sp.failed_serial,
                           sp.supplier_id
                      FROM forklift_service_order_part sp
                     -- the sheet stored on the part: only the few cancelled
                     -- service orders are read
                     WHERE sp.order_id NOT IN (
                            SELECT id FROM forklift_service_order
                             WHERE state = 'cancel')
                       AND %s
                   ) p""",
                self._watched_parts_sql(),
            )
            # a sheet's rows are told apart by their part only: partitioned
            # by the sheet's own columns as well (each the same on all its
            # rows, the sheet first so that they cost no sorting), the
            # caller's conditions on them still narrow the sheets read
            window = SQL(
                "WINDOW sheet AS (PARTITION BY %s ORDER BY p.supplier_id, "
                "p.product_id, p.id)",
                SQL(", ").join(
                    [
                        SQL("c.id"),
                        SQL("f.day"),
                        *(SQL("un.%s", SQL.identifier(name)) for name in UNIT_COLUMNS),
                        mis,
                        mis_band,
                        hour_meter,
                        hour_band,
                        SQL("c.fault_category_id"),
                        SQL("c.responsibility"),
                    ]
                ),
            )
        else:
            flags = dict.fromkeys(("sheet", "part", "supplier"), SQL("TRUE"))
            parts = SQL(
                """(SELECT NULL::int AS feedback_id, NULL::int AS id,
                           NULL::int AS product_id, NULL::varchar AS failed_serial,
                           NULL::int AS supplier_id) p"""
            )
            window = SQL("")
        return SQL(
            """
            WITH units AS NOT MATERIALIZED (%(units)s)
            SELECT COALESCE(p.id::bigint * 2, c.id::bigint * 2 + 1) AS id,
                   c.id AS feedback_id, f.day AS date,
                   un.company_id, un.market, un.unit_id, un.model_id,
                   un.vehicle_type_id, un.dealer_id, un.partner_id, un.batch,
                   %(mis)s AS mis, %(mis_band)s AS mis_band,
                   %(hour_meter)s AS hour_meter, %(hour_band)s AS hour_band,
                   c.fault_category_id, c.responsibility,
                   p.product_id AS part_id, p.supplier_id,
                   %(part_batch)s AS part_batch,
                   CASE WHEN p.id IS NULL OR %(first_of_sheet)s THEN 1 ELSE 0 END
                       AS sheet_count,
                   CASE WHEN p.id IS NULL OR %(first_of_part)s THEN 1 ELSE 0 END
                       AS part_count,
                   CASE WHEN p.id IS NULL OR %(first_of_supplier)s THEN 1 ELSE 0 END
                       AS supplier_count,
                   CASE WHEN p.id IS NULL OR %(first_of_sheet)s THEN 1 ELSE 0 END
                       AS failure_count,
                   0.0 AS units_in_service,
                   0.0 AS failure_rate, 0.0 AS operating_hours,
                   0.0 AS rate_per_1000h
              FROM forklift_feedback c
              JOIN units un ON un.unit_id = c.unit_id
              CROSS JOIN LATERAL (
                    SELECT d.day, %(idx)s AS idx, %(idx)s - un.start_idx AS mis
                      FROM (SELECT %(day)s AS day OFFSET 0) d
                    OFFSET 0
                   ) f
              LEFT JOIN %(parts)s ON p.feedback_id = c.id
             WHERE c.state != 'cancel' AND %(received)s
               AND (c.responsibility IS NULL
                    OR c.responsibility NOT IN %(not_failures)s)
               AND f.day >= un.start_date
               AND (un.end_date IS NULL OR f.day < un.end_date)
            %(window)s
            """,
            units=exposure._units_sql(),
            mis=mis,
            mis_band=mis_band,
            hour_meter=hour_meter,
            hour_band=hour_band,
            part_batch=part_batch,
            first_of_sheet=flags["sheet"],
            first_of_part=flags["part"],
            first_of_supplier=flags["supplier"],
            day=exposure._local_date_sql(SQL("c.received_date"), SQL("un.tz")),
            idx=exposure._month_index_sql(SQL("d.day")),
            not_failures=NOT_FAILURES,
            received=self._received_sql(),
            parts=parts,
            window=window,
        )

    @api.model
    def _watched_parts_sql(self):
        """Only the parts (and the parts of the suppliers) the caller watches:
        a sheet without any of them is one row without a part."""
        watched = self.env.context.get(WATCHED_CONTEXT_KEY)
        if watched is None:
            return SQL("TRUE")
        products, suppliers = watched
        return SQL(
            "(sp.product_id = ANY(%s) OR sp.supplier_id = ANY(%s))",
            list(products),
            list(suppliers),
        )

    @api.model
    def _received_sql(self):
        """The receipt times of the days filtered, a day wider on each side
        for the time zones."""
        first, last = self.env.context.get(DAYS_CONTEXT_KEY) or (None, None)
        conditions = [SQL("TRUE")]
        # the first and last days of the calendar as open
        if first and first > date.min:
            conditions.append(
                SQL("c.received_date >= %s", first - relativedelta(days=1))
            )
        if last and last < date.max - relativedelta(days=1):
            conditions.append(SQL("c.received_date < %s", last + relativedelta(days=2)))
        return SQL(" AND ").join(conditions)

    # Grouping: the rates divide by the units in service of the same group

    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        if not RATE_MEASURES & {_field_name(spec) for spec in aggregates}:
            return super()._read_grouping_sets(
                domain, grouping_sets, aggregates=aggregates, order=order
            )
        return [
            self._read_group(
                domain, groupby, aggregates, order=self._order_within(order, groupby)
            )
            for groupby in grouping_sets
        ]

    @api.model
    def _order_within(self, order, groupby):
        """The terms of ``order`` on the groups' own fields."""
        if not order:
            return None
        specs = set(groupby)
        terms = [
            term.strip()
            for term in order.split(",")
            if term.strip() and term.strip().split()[0] in specs
        ]
        return ", ".join(terms) or None

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        measures = [s for s in aggregates if _field_name(s) in RATE_MEASURES]
        if not measures:
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        groupby = list(groupby)
        self._check_rate_groupby(groupby)
        others = [spec for spec in aggregates if spec not in measures]
        sort_by_measure = bool(
            order and _field_name(order.split(",")[0].split()[0]) in RATE_MEASURES
        )
        count_spec = self._get_count_spec(domain, groupby)
        # without a field of the parts, a row per sheet: the parts not read
        this = self.with_context(**{PARTS_CONTEXT_KEY: count_spec != "sheet_count:sum"})
        rows = super(ForkliftFailureRateAnalysis, this)._read_group(
            domain,
            groupby,
            [*others, count_spec],
            having=having,
            order=None if sort_by_measure else order,
        )
        need_hours = bool(HOUR_MEASURES & {_field_name(s) for s in measures})
        exposure = self._get_exposure(domain, groupby, need_hours)
        count = len(groupby)
        groups = {tuple(_key(value) for value in row[:count]): row for row in rows}
        if set(map(_field_name, groupby)) <= UNIT_DIMENSIONS:
            # groups of forklifts that had no failure: a rate of 0
            empty = [self._read_group_empty_value(spec) for spec in others] + [0]
            for key, values in exposure["group_values"].items():
                if key not in groups:
                    rows.append((*values, *empty))
                    groups[key] = rows[-1]
        result = []
        for row in rows:
            key = tuple(_key(value) for value in row[:count])
            failures = row[-1]
            figures = self._get_rate_figures(failures, key, groupby, exposure)
            values = dict(zip(others, row[count:-1], strict=True))
            result.append(
                (
                    *row[:count],
                    *[
                        figures[_field_name(spec)] if spec in measures else values[spec]
                        for spec in aggregates
                    ],
                )
            )
        if sort_by_measure:
            term = order.split(",")[0].split()
            position = count + list(aggregates).index(
                next(s for s in aggregates if _field_name(s) == _field_name(term[0]))
            )
            reverse = len(term) > 1 and term[1].lower() == "desc"
            result.sort(key=lambda r: r[position] or 0.0, reverse=reverse)
        return result[offset : offset + limit if limit else None]

    @api.model
    def _get_count_spec(self, domain, groupby):
        """How the failures are counted: each sheet has one row flagged to
        count it; grouped or filtered by the part replaced, a sheet counts
        once in each group of its parts."""
        names = set(map(_field_name, groupby)) | {
            condition.field_expr.split(".")[0]
            for condition in Domain(domain).iter_conditions()
        }
        if "part_batch" in names:
            return "feedback_id:count_distinct"
        if "part_id" in names:
            return "part_count:sum"
        if "supplier_id" in names:
            return "supplier_count:sum"
        return "sheet_count:sum"

    @api.model
    def _check_rate_groupby(self, groupby):
        for spec in groupby:
            if _field_name(spec) != "date":
                continue
            granularity = spec.split(":")[1] if ":" in spec else "month"
            if granularity not in PERIOD_MONTHS:
                raise UserError(
                    self.env._(
                        "Failure rates are counted by month: group them by "
                        "month, quarter or year."
                    )
                )

    @api.model
    def _get_rate_figures(self, failures, key, groupby, exposure):
        unit_key = tuple(
            value
            for spec, value in zip(groupby, key, strict=True)
            if _field_name(spec) in UNIT_DIMENSIONS
        )
        hour_key = tuple(
            value
            for spec, value in zip(groupby, key, strict=True)
            if _field_name(spec) in HOUR_DIMENSIONS
        )
        months = self._count_months(groupby, key, exposure)
        unit_months = exposure["units"].get(unit_key, 0)
        units = unit_months / months if months else 0.0
        hours = exposure["hours"].get(hour_key, 0.0)
        return {
            "failure_count": failures,
            "units_in_service": units,
            "failure_rate": failures * 100.0 / units if units else 0.0,
            "operating_hours": hours,
            "rate_per_1000h": failures * 1000.0 / hours if hours else 0.0,
        }

    @api.model
    def _count_months(self, groupby, key, exposure):
        """Months of the period of a group: the months filtered, within the
        group's own month, quarter or year when grouped by date."""
        first, last = exposure["months"]
        if first is None:
            return 0
        for spec, value in zip(groupby, key, strict=True):
            if _field_name(spec) != "date" or not value:
                continue
            granularity = spec.split(":")[1] if ":" in spec else "month"
            start = month_index(value)
            first = max(first, start)
            last = min(last, start + PERIOD_MONTHS[granularity] - 1)
        return max(0, last - first + 1)

    # The units in service and the hours they ran

    @api.model
    def _get_exposure_domain(self, domain, dimensions):
        """The conditions of ``domain`` the units in service share: those on
        the forklift's own fields. Conditions on the failure alone are left
        out (a rate by fault category divides by all the units); a condition
        mixing both cannot be split."""
        domain = Domain(domain).optimize(self)
        children = domain.children if isinstance(domain, DomainAnd) else [domain]
        kept = []
        for child in children:
            names = {
                condition.field_expr.split(".")[0]
                for condition in child.iter_conditions()
            }
            if names <= dimensions:
                kept.append(child)
            elif names & dimensions:
                raise UserError(
                    self.env._(
                        "Failure rates cannot use this filter: it mixes the "
                        "forklift's fields (%(unit)s) with the failure's "
                        "(%(failure)s) in one condition.",
                        unit=", ".join(sorted(names & dimensions)),
                        failure=", ".join(sorted(names - dimensions)),
                    )
                )
        return Domain.AND(kept)

    @api.model
    def _get_month_filter(self, domain):
        """First and last month index the date conditions of ``domain``
        allow (None when open), and whether these bounds are all the date
        conditions say."""
        first, last, complete = self.env["forklift.unit.exposure"]._get_date_bounds(
            domain
        )
        return (
            # a month counts once its first day is in the period
            first and month_index(first) + (first.day > 1),
            last and month_index(last),
            complete,
        )

    @api.model
    def _search(self, domain, *args, **kwargs):
        """The sheets received outside the days the domain allows are left
        out by their (indexed) receipt time already."""
        first, last, _complete = self.env["forklift.unit.exposure"]._get_date_bounds(
            domain
        )
        this = self.with_context(**{DAYS_CONTEXT_KEY: (first, last)})
        return super(ForkliftFailureRateAnalysis, this)._search(domain, *args, **kwargs)

    @api.model
    def _get_exposure(self, domain, groupby, need_hours):
        """Unit-months (and hours run) of the units in service, grouped by the
        forklift's own fields among ``groupby``, in one query each."""
        unit_domain = self._get_exposure_domain(domain, UNIT_DIMENSIONS)
        first, last, complete = self._get_month_filter(unit_domain)
        unit_specs = [s for s in groupby if _field_name(s) in UNIT_DIMENSIONS]
        by_month = not complete or any(_field_name(s) == "date" for s in unit_specs)
        used = set(map(_field_name, unit_specs)) | {
            condition.field_expr.split(".")[0]
            for condition in Domain(unit_domain).iter_conditions()
        }
        exposure_model = self.env["forklift.unit.exposure"].with_context(
            **{
                MONTHS_CONTEXT_KEY: (first, last),
                GRAIN_CONTEXT_KEY: "month" if by_month else "period",
                BANDS_CONTEXT_KEY: bool(used & {"mis", "mis_band"}),
            }
        )
        by_group, overall = exposure_model._read_grouping_sets(
            unit_domain & Domain("kind", "=", "unit"),
            [unit_specs, []],
            ["unit_count:sum", "date:min"],
        )
        count = len(unit_specs)
        units = {tuple(_key(v) for v in row[:count]): row[count] for row in by_group}
        values = {tuple(_key(v) for v in row[:count]): row[:count] for row in by_group}
        # the period: the months filtered (the current one at the latest);
        # without a start, from the first month with a unit in service
        earliest = overall[0][1] if overall else None
        current = month_index(exposure_model._today())
        if first is None and earliest:
            first = month_index(earliest)
        months = (
            (first, min(last if last is not None else current, current))
            if first is not None
            else (None, None)
        )
        hours = {}
        if need_hours:
            hour_domain = self._get_exposure_domain(domain, HOUR_DIMENSIONS)
            hour_specs = [s for s in groupby if _field_name(s) in HOUR_DIMENSIONS]
            rows = exposure_model._read_group(
                hour_domain & Domain("kind", "=", "hours"),
                hour_specs,
                ["hours_run:sum"],
            )
            hours = {
                tuple(_key(v) for v in row[: len(hour_specs)]): row[-1] or 0.0
                for row in rows
            }
        return {
            "units": units,
            "group_values": values,
            "months": months,
            "hours": hours,
        }

    # The failure rates of the monthly report

    @api.model
    def _get_report_dimensions(self):
        """Dimensions of the rate tables of the monthly report."""
        return [
            "model_id",
            "fault_category_id",
            "part_id",
            "supplier_id",
            "mis_band",
            "hour_band",
            "batch",
        ]

    @api.model
    def _get_report_windows(self, date_to):
        """(key, first month start, last month start) of the windows compared:
        the last 3 months, the 3 before them and the last 12 months."""
        last = date_to.replace(day=1)
        return [
            ("last_3", last - relativedelta(months=2), last),
            (
                "previous_3",
                last - relativedelta(months=5),
                last - relativedelta(months=3),
            ),
            ("last_12", last - relativedelta(months=11), last),
        ]

    @api.model
    def _compute_report_rates(self, date_to, company, market):
        """Failures and rates of a company's market by each dimension of
        :meth:`_get_report_dimensions`, over the windows of
        :meth:`_get_report_windows` ending with the month of ``date_to``: one
        grouped query on the failures, one on the units in service and one on
        their hours, whatever the number of dimensions.

        :return: {dimension: [{key, label, <window>_failures, <window>_rate,
            ...}]}, rows by rate over the last 12 months, highest first; the
            hour-meter band gives its rate per 1000 operating hours
        """
        self._tune_session()
        windows = self._get_report_windows(date_to)
        first = min(start for _key, start, _end in windows)
        scope = [
            ("company_id", "=", company.id),
            ("market", "=", market),
            ("date", ">=", first),
            ("date", "<=", date_to),
        ]
        dimensions = self._get_report_dimensions()
        # each sheet counted once, once for each part or supplier replaced
        counts = ["sheet_count:sum", "part_count:sum", "supplier_count:sum"]
        counted_by = {"part_id": 1, "supplier_id": 2}
        unit_dimensions = [n for n in dimensions if n in UNIT_DIMENSIONS]
        failure_sets = {
            name: [(row[0], row[1], row[2 + counted_by.get(name, 0)]) for row in rows]
            for name, rows in zip(
                dimensions,
                self._read_grouping_sets(
                    scope, [[name, "date:month"] for name in dimensions], counts
                ),
                strict=True,
            )
        }
        # units in service and hours run in one query over the forklifts: a
        # row per forklift, months-in-service band and window for the units
        # (not per month), a row per forklifts alike, month and hour-meter
        # band for the hours
        sets = (
            self.env["forklift.unit.exposure"]
            .with_context(
                **{
                    MONTHS_CONTEXT_KEY: (month_index(first), month_index(date_to)),
                    GRAIN_CONTEXT_KEY: "period",
                    PERIODS_CONTEXT_KEY: [
                        (month_index(start), month_index(end))
                        for _window, start, end in windows
                    ],
                    FIELDS_CONTEXT_KEY: ["company_id", "market", *unit_dimensions],
                }
            )
            ._read_grouping_sets(
                scope,
                [["kind", "period"]]
                + [["kind", "period", name] for name in unit_dimensions]
                + [["kind", "hour_band", "date:month"]],
                ["unit_count:sum", "hours_run:sum"],
            )
        )
        names = [window for window, _start, _end in windows]
        total_units = {
            names[period]: count
            for kind, period, count, _hours in sets[0]
            if kind == "unit"
        }
        units = {name: {} for name in unit_dimensions}
        for name, rows in zip(unit_dimensions, sets[1:-1], strict=True):
            for kind, period, value, count, _hours in rows:
                if kind == "unit":
                    units[name].setdefault(_key(value), {})[names[period]] = count
        hour_rows = [
            (band, month, run)
            for kind, band, month, _count, run in sets[-1]
            if kind == "hours"
        ]

        def by_window(rows):
            """{key: {window: sum}} from rows (key, month, value)."""
            totals = {}
            for key, month, value in rows:
                for window, start, end in windows:
                    if start <= month <= end:
                        sums = totals.setdefault(_key(key), {})
                        sums[window] = sums.get(window, 0) + (value or 0)
            return totals

        hours = by_window(hour_rows)
        result = {}
        for name in dimensions:
            rows = failure_sets[name]
            failures = by_window(rows)
            table = []
            for key, sums in failures.items():
                row = {"key": key}
                for window, start, end in windows:
                    months = month_index(end) - month_index(start) + 1
                    count = sums.get(window, 0)
                    row[f"{window}_failures"] = count
                    if name == "hour_band":
                        run = hours.get(key, {}).get(window, 0.0)
                        row[f"{window}_rate"] = count * 1000.0 / run if run else None
                        continue
                    unit_months = (
                        units[name].get(key, {}) if name in units else total_units
                    ).get(window, 0)
                    average = unit_months / months
                    row[f"{window}_rate"] = count * 100.0 / average if average else None
                table.append(row)
            self.env["forklift.aftersales.report"]._label_rows(self, name, table)
            table.sort(key=lambda r: (-(r["last_12_rate"] or 0), r["label"]))
            result[name] = table
        return result

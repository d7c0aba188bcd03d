from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools import read_int_param

# The after-sales deadlines a company sets for itself (Settings > After-Sales):
# field -> (system parameter that held the value before, procedure's value).
# A company's new column starts from the parameter, and the code falls back on
# it when a company has no value (0).
FORKLIFT_COMPANY_SETTINGS = {
    "forklift_dispatch_hours": ("forklift_aftersales.dispatch_hours", 24),
    "forklift_dealer_return_days": ("forklift_aftersales.dealer_return_days", 7),
    "forklift_parts_ship_working_days": (
        "forklift_aftersales.parts_ship_working_days",
        2,
    ),
    "forklift_parts_supply_common_hours": (
        "forklift_aftersales.parts_supply_common_hours",
        48,
    ),
    "forklift_parts_supply_urgent_hours": (
        "forklift_aftersales.parts_supply_urgent_hours",
        24,
    ),
    "forklift_oldpart_return_days": ("forklift_aftersales.oldpart_return_days", 30),
    "forklift_local_purchase_claim_days": (
        "forklift_aftersales.local_purchase_claim_days",
        30,
    ),
    "forklift_payment_deferral_days": (
        "forklift_aftersales.payment_deferral_days",
        30,
    ),
    "forklift_technical_answer_working_days": (
        "forklift_aftersales.technical_answer_working_days",
        2,
    ),
    "forklift_vehicle_inspection_days": (
        "forklift_aftersales.vehicle_inspection_days",
        2,
    ),
    "forklift_abnormal_issue_days": ("forklift_aftersales.abnormal_issue_days", 7),
    "forklift_committee_review_days": (
        "forklift_aftersales.committee_review_days",
        7,
    ),
    "forklift_report_backdate_days": ("forklift_aftersales.report_backdate_days", 7),
}


def _param_default(key, default):
    return lambda self: read_int_param(self.env, key, default)


def _setting_field(fname, string, help_text):
    key, default = FORKLIFT_COMPANY_SETTINGS[fname]
    return fields.Integer(
        string=string, default=_param_default(key, default), help=help_text
    )


class ResCompany(models.Model):
    _inherit = "res.company"

    forklift_planner_id = fields.Many2one(
        "res.users",
        string="After-Sales Service Planner",
        help="Receives the planning activities (commissioning, scheduled "
        "maintenance) no technician has been named for yet.",
    )
    forklift_parts_stock_commitment = fields.Monetary(
        string="Committed Spare-Parts Stock Value",
        currency_field="currency_id",
        default=500000.0,
        help="Value of the spare-parts stock the company commits to keep "
        "(000 第四篇 §6: 500,000 yuan in Guangzhou); the monthly statistics "
        "compare the stock on hand with it.",
    )
    forklift_parts_stock_location_id = fields.Many2one(
        "stock.location",
        string="Committed Spare-Parts Stock",
        domain=[("usage", "=", "internal")],
        help="The stock (with its sub-locations) the commitment counts, such as "
        "the regional parts warehouse; the after-sales spare-parts location "
        "when empty.",
    )

    forklift_dispatch_hours = _setting_field(
        "forklift_dispatch_hours",
        "Dispatch Within (Hours)",
        "Hours from the verification of a feedback sheet to the dispatch of the "
        "service order: the sheet's dispatch deadline (000 §4.2.1.1, R-158).",
    )
    forklift_dealer_return_days = _setting_field(
        "forklift_dealer_return_days",
        "Agent Returns the Signed Sheet Within (Days)",
        "Days after the work an agent has to return the user-signed service "
        "order when no warranty parts were used (000 §4.2.2.2, R-161).",
    )
    forklift_parts_ship_working_days = _setting_field(
        "forklift_parts_ship_working_days",
        "Ship Warranty Parts Within (Working Days)",
        "Working days of the company's calendar from the receipt of a warranty "
        "parts application to the shipment of the parts (000 §4.2.2.3, R-162).",
    )
    forklift_parts_supply_common_hours = _setting_field(
        "forklift_parts_supply_common_hours",
        "Common Parts Supplied Within (Hours)",
        "Hours to deliver common parts to the buyer when the customer's service "
        "commitment letter sets no other time (000 第四篇 §6, R-178).",
    )
    forklift_parts_supply_urgent_hours = _setting_field(
        "forklift_parts_supply_urgent_hours",
        "Urgent Parts Supplied Within (Hours)",
        "Hours to deliver urgently needed parts when the customer's service "
        "commitment letter sets no other time (000 第四篇 §7, R-179).",
    )
    forklift_oldpart_return_days = _setting_field(
        "forklift_oldpart_return_days",
        "Old Parts Returned Within (Days)",
        "Days after the replacement (or the delivery of the new parts, when "
        "later) within which replaced warranty parts come back "
        "(000 §4.3.2.5, R-167).",
    )
    forklift_local_purchase_claim_days = _setting_field(
        "forklift_local_purchase_claim_days",
        "Local Purchase Reimbursed Within (Days)",
        "Days after a local purchase within which its reimbursement is claimed; "
        "a later claim is flagged late (000 §4.3.2.2, R-166).",
    )
    forklift_payment_deferral_days = _setting_field(
        "forklift_payment_deferral_days",
        "Deferred Payment Within (Days)",
        "Days after the service date a deferred paid-service fee is due "
        "(000 §4.3.2.1, R-165).",
    )
    forklift_technical_answer_working_days = _setting_field(
        "forklift_technical_answer_working_days",
        "Technical Question Answered Within (Working Days)",
        "Working days of the company's calendar R&D has to answer a technical "
        "question of a feedback sheet (000 §3.4, R-074).",
    )
    forklift_vehicle_inspection_days = _setting_field(
        "forklift_vehicle_inspection_days",
        "Returned Vehicle Inspected Within (Days)",
        "Days after the receipt of a returned vehicle within which QA confirms "
        "its problem (001-C §6.3, R-181).",
    )
    forklift_abnormal_issue_days = _setting_field(
        "forklift_abnormal_issue_days",
        "Abnormal Issue Solved Within (Days)",
        "Days agreed to solve an abnormal issue after it is submitted, before it "
        "goes to the after-sales committee (000 §4.2.4, R-245, R-246).",
    )
    forklift_committee_review_days = _setting_field(
        "forklift_committee_review_days",
        "Committee Decides Within (Days)",
        "Days after its submission within which the after-sales committee "
        "decides a review (000 §4.2.4, §4.3.2.4, R-207).",
    )

    forklift_report_backdate_days = _setting_field(
        "forklift_report_backdate_days",
        "Report Dated Back At Most (Days)",
        "Days before the day a feedback sheet is recorded that staff may date "
        "its report (a letter read, a call typed later); the day of the report "
        "judges the warranty (R-211) and starts the response times (R-158). "
        "Only the service-center director records an older report.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._forklift_provide_sla_policies()
        return companies

    @api.model
    def _forklift_provide_sla_policies_to_all(self):
        """Run as the module is installed or updated: the companies created
        before new companies were given their response commitments get
        them."""
        # sudo: every company, archived ones included, whoever updates
        self.sudo().browse(
            self._forklift_all_company_ids()
        )._forklift_provide_sla_policies()

    def _forklift_provide_sla_policies(self):
        """Give each company of ``self`` that has no general response
        commitment (of its own, or shared by every company) a copy of those
        the module ships, which are the first company's (R-172–R-176, 000
        第四篇 §8): without one, its sheets would have no answer nor on-site
        deadline and never be late. Its director then adjusts its own."""
        # sudo: the company's setup is the server's to give, whoever creates it
        policies = (
            self.env["forklift.sla.policy"].sudo().with_context(active_test=False)
        )
        shipped = policies.browse(
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("module", "=", "forklift_aftersales"),
                    ("model", "=", "forklift.sla.policy"),
                ]
            )
            .mapped("res_id")
        ).exists()
        shipped = shipped.filtered(lambda p: not p.commitment_id).sorted()
        if not shipped:
            return
        for company in self:
            if policies.search_count(
                [
                    ("company_id", "in", [company.id, False]),
                    ("commitment_id", "=", False),
                ],
                limit=1,
            ):
                continue
            for policy in shipped:
                policy.copy({"company_id": company.id})

    @api.constrains(lambda self: self._get_forklift_setting_fields())
    def _check_forklift_settings(self):
        for company in self:
            for fname in company._get_forklift_setting_fields():
                if company[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s cannot be negative.",
                            setting=company._fields[fname].get_description(self.env)[
                                "string"
                            ],
                        )
                    )

    @api.model
    def _get_forklift_setting_params(self):
        """After-sales settings of a company: field -> (system parameter it
        falls back on, procedure's value). Addons add theirs."""
        return dict(FORKLIFT_COMPANY_SETTINGS)

    @api.model
    def _get_forklift_setting_fields(self):
        return list(self._get_forklift_setting_params())

    def _get_forklift_setting(self, fname):
        """The company's value of after-sales setting ``fname`` (the current
        company's when called on no company); the system parameter it
        replaced, then the procedure's value, when the company has none."""
        company = self[:1] or self.env.company
        # sudo: a deadline applies whoever (portal included) computes it
        value = company.sudo()[fname]
        if value:
            return value
        key, default = self._get_forklift_setting_params()[fname]
        return read_int_param(self.env, key, default)

    def _get_forklift_planner(self):
        self.ensure_one()
        return self.forklift_planner_id or self.env.user

    def _forklift_deadline(self, start, fname, unit="days"):
        """The deadline the company's after-sales setting ``fname`` (a
        number of ``unit``: ``"days"``, ``"hours"`` or ``"working_days"`` on
        its calendar, ``_forklift_plan_working_days``) gives from ``start``, a
        date or a UTC datetime; none without ``start``."""
        if not start:
            return False
        count = self._get_forklift_setting(fname)
        if unit == "working_days":
            return self._forklift_plan_working_days(start, count)
        return start + timedelta(**{unit: count})

    def _forklift_plan_working_days(self, start, days):
        """The moment ``days`` working days after ``start`` (UTC), at the same
        time of day in the company's time zone (R-288, 000 §4.2.2.3). A
        working day is a weekday of the company's working schedule not
        covered by one of its public holidays (global time off), or a
        make-up working day of that schedule (调休); Monday to Friday when the
        company has no schedule."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        tz_name, weekdays = (
            calendar._forklift_get_working_week() if calendar else (False, ())
        )
        tz = pytz.timezone(tz_name) if tz_name else self._forklift_tz()
        local = pytz.utc.localize(start).astimezone(tz)
        # bounds the search: no schedule rests two months on end
        last = local.date() + timedelta(days=days * 3 + 60)
        weekdays, holidays, makeup = weekdays or {0, 1, 2, 3, 4}, set(), set()
        if calendar:
            holidays, makeup = calendar._forklift_get_days_off_and_makeup(
                local.date(), last, tz.zone
            )
        day, counted = local.date(), 0
        while counted < days:
            day += timedelta(days=1)
            if day > last:
                break
            if day in makeup or (day.weekday() in weekdays and day not in holidays):
                counted += 1
        moment = tz.localize(datetime.combine(day, local.time().replace(tzinfo=None)))
        return moment.astimezone(pytz.utc).replace(tzinfo=None)

    def _forklift_today(self):
        """Today where the company is (its address's time zone): the day the
        server records for a step of the procedure (a claim made, old parts
        shipped or received, an acceptance signed), whatever time zone the
        caller's context or his own preferences name, which would move it by
        a day either way (R-103, R-166, R-167). A record of no company takes
        the user's current company."""
        return self._forklift_local_date(fields.Datetime.now())

    @api.model
    @tools.ormcache()
    def _forklift_all_company_ids(self):
        """Every company, archived ones included, whose day a deadline is
        counted in: read once per registry (Odoo clears its caches as a company
        is created or deleted), not at each overdue flag, search or job."""
        # sudo: every company's day, whoever asks (a job sees every company)
        return tuple(self.sudo().with_context(active_test=False)._search([]))

    def _forklift_tz(self):
        """The company's time zone (its address's), where its days start and
        end: a deadline counted in days, the day a step is recorded, the end of
        a warranty (R-288). UTC when the address names none, as in Odoo. A
        record of no company takes the user's current company."""
        company = self[:1] or self.env.company
        # sudo: the company's time zone, whoever asks
        return pytz.timezone(company.sudo().partner_id.tz or "UTC")

    def _forklift_local_date(self, moment):
        """The day a UTC datetime of the server falls on where the company is."""
        return pytz.utc.localize(moment).astimezone(self._forklift_tz()).date()

    def _get_forklift_parts_stock_location(self):
        self.ensure_one()
        return self.forklift_parts_stock_location_id or self.env.ref(
            "forklift_aftersales.stock_location_spare_parts", raise_if_not_found=False
        )

    def _get_forklift_parts_stock_value(self):
        """Value at cost of the parts on hand in the committed stock and its
        sub-locations (000 第四篇 §6, R-099), from one grouped query."""
        self.ensure_one()
        location = self._get_forklift_parts_stock_location()
        if not location:
            return 0.0
        # sudo: the statistics count the stock whoever produces them
        quants = self.env["stock.quant"].sudo().with_company(self)
        groups = quants._read_group(
            [
                ("location_id", "child_of", location.id),
                ("company_id", "in", [self.id, False]),
            ],
            ["product_id"],
            ["quantity:sum"],
        )
        return self.currency_id.round(
            sum(product.standard_price * quantity for product, quantity in groups)
        )


class ResourceCalendar(models.Model):
    _name = "resource.calendar"
    _inherit = ["resource.calendar", "forklift.cached.mixin"]
    # the working week of a schedule is cached (_forklift_get_working_week)
    _forklift_cached_fields = ("tz", "attendance_ids")

    forklift_makeup_workday_ids = fields.One2many(
        "forklift.makeup.workday",
        "calendar_id",
        string="Make-up Working Days",
        groups="forklift_aftersales.group_forklift_viewer",
        help="Weekend days worked instead of a public holiday (调休): they count "
        "as working days in the after-sales deadlines.",
    )

    @tools.ormcache("self.id")
    def _forklift_get_working_week(self):
        """The time zone of this schedule (False when it names none) and the
        weekdays it works (0 for Monday; a day with only a lunch break does
        not count), as a frozenset. Kept in the registry's cache, which a
        change of the schedule's time zone or of its attendances clears: the
        deadlines counted in working days read no schedule each."""
        self.ensure_one()
        # sudo: the working days of the schedule, whoever computes a deadline
        calendar = self.sudo()
        weekdays = frozenset(
            int(a.dayofweek) for a in calendar.attendance_ids if a.day_period != "lunch"
        )
        return calendar.tz or False, weekdays

    @tools.ormcache("self.id", "date_from", "date_to", "tz_name")
    def _forklift_get_days_off_and_makeup(self, date_from, date_to, tz_name):
        """The public holidays and the make-up working days of this schedule
        between the two dates, as two frozensets. Kept in the registry's
        cache, which a change of a public holiday or of a make-up day clears:
        the deadlines of many documents cost no query each."""
        self.ensure_one()
        holidays = self._forklift_holiday_dates(
            date_from, date_to, pytz.timezone(tz_name)
        )
        makeup = self.env["forklift.makeup.workday"]._get_dates(
            self, date_from, date_to
        )
        return frozenset(holidays), frozenset(makeup)

    def _forklift_holiday_dates(self, date_from, date_to, tz):
        """The days between the two dates that a public holiday (a global
        time off of this schedule, no resource) covers, in ``tz``."""
        self.ensure_one()
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("calendar_id", "=", self.id),
                    ("resource_id", "=", False),
                    ("date_to", ">=", datetime.combine(date_from, time.min)),
                    ("date_from", "<=", datetime.combine(date_to, time.max)),
                ]
            )
        )
        # a public holiday covers whole days: a day is off when one covers its
        # midday (a leave written in another time zone spills over an hour)
        days, day = set(), date_from
        while day <= date_to:
            noon = tz.localize(datetime.combine(day, time(12))).astimezone(pytz.utc)
            noon = noon.replace(tzinfo=None)
            if any(leave.date_from <= noon <= leave.date_to for leave in leaves):
                days.add(day)
            day += timedelta(days=1)
        return days


class ResourceCalendarAttendance(models.Model):
    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "forklift.cached.mixin"]
    # the working week of its schedule (resource.calendar) is cached
    _forklift_cached_fields = ("calendar_id", "dayofweek", "day_period")

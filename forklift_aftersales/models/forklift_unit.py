from collections import defaultdict
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..tools import (
    HOUR_METER_SQL,
    aftersales_record_naming,
    assign_counts,
    check_warranty_months,
    related_action,
    with_defaults,
)
from .forklift_document_fields import computed_editable, customer_link, dealer_link
from .forklift_sla_policy import WARRANTY_STATES

MARKETS = [("domestic", "Domestic"), ("export", "Export")]
WARRANTY_END_REASONS = [
    ("date", "Warranty period elapsed"),
    ("hours", "Working-hour limit reached"),
]


class ForkliftUnit(models.Model):
    """A forklift sold to a customer: a serial number (stock.lot) of a forklift
    product, with the after-sales data kept on it.

    Warranty: 1 year from acceptance or 1500 working hours, whichever comes
    first, both configurable per product (000 第四篇 §4, R-211). Without an
    acceptance date the delivery date starts it, flagged as estimated (A-23).
    """

    _name = "forklift.unit"
    _description = "Forklift Unit"
    _inherits = {"stock.lot": "lot_id"}
    _inherit = ["forklift.flow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "name"
    _check_company_auto = True

    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Record",
        required=True,
        ondelete="cascade",
        index=True,
    )
    partner_id = customer_link(tracking=True, index=True, check_company=True)
    dealer_id = dealer_link(tracking=True, index=True, check_company=True)
    market = fields.Selection(MARKETS, required=True, default="domestic", tracking=True)
    delivery_date = fields.Date(tracking=True)
    acceptance_date = fields.Date(
        tracking=True,
        help="Date the customer accepted the commissioned forklift; it starts "
        "the warranty.",
    )
    warranty_start_date = fields.Date(compute="_compute_warranty_dates", store=True)
    warranty_start_estimated = fields.Boolean(
        compute="_compute_warranty_dates",
        store=True,
        help="No acceptance date is known: the warranty starts at the delivery date.",
    )
    commitment_id = fields.Many2one(
        "forklift.service.commitment",
        string="Service Commitment",
        tracking=True,
        index="btree_not_null",
        domain="[('state', '=', 'active'), ('partner_id', 'parent_of', partner_id)]",
        help="The signed service commitment letter of the customer: its warranty "
        "terms, response times and parts supply replace the defaults for this "
        "forklift (000 第四篇, R-025).",
        check_company=True,
    )
    warranty_months = computed_editable(
        fields.Integer,
        "_compute_warranty_limits",
        string="Warranty Period (months)",
        tracking=True,
    )
    warranty_hours = computed_editable(
        fields.Float,
        "_compute_warranty_limits",
        string="Warranty Working Hours",
        tracking=True,
    )
    warranty_end_date = fields.Date(
        string="Warranty Ends On",
        compute="_compute_warranty_dates",
        store=True,
        help="Last day covered by the warranty period.",
    )
    reading_ids = fields.One2many(
        "forklift.hour.reading", "unit_id", string="Hour Readings"
    )
    current_hours = fields.Float(
        string="Hour Meter", compute="_compute_hours", store=True, tracking=True
    )
    last_reading_date = fields.Datetime(compute="_compute_hours", store=True)
    import_hours = fields.Float(
        string="Hour Meter at Import",
        compute="_compute_import_hours",
        inverse="_inverse_import_hours",
        help="The hour meter an old ledger gives for this forklift: recorded as "
        "a reading of its hour meter, refused when it goes backwards.",
    )
    import_hours_date = fields.Date(
        string="Hour Meter Read On",
        compute="_compute_import_hours",
        inverse="_inverse_import_hours",
        help="The day the ledger's hour meter was read; the day of the import "
        "when empty.",
    )
    hours_limit_reached_on = fields.Datetime(
        compute="_compute_hours",
        store=True,
        help="When the first reading at or above the warranty hours was taken.",
    )
    warranty_state = fields.Selection(
        WARRANTY_STATES,
        string="Warranty",
        compute="_compute_warranty_state",
        search="_search_warranty_state",
    )
    warranty_end_reason = fields.Selection(
        WARRANTY_END_REASONS,
        string="Warranty Ended By",
        compute="_compute_warranty_state",
    )
    feedback_ids = fields.One2many(
        "forklift.feedback", "unit_id", string="Feedback Sheets"
    )
    feedback_count = fields.Integer(compute="_compute_feedback_count")
    commissioning_ids = fields.One2many("forklift.commissioning", "unit_id")
    maintenance_visit_ids = fields.One2many(
        "forklift.maintenance.visit", "unit_id", string="Scheduled Visits"
    )
    next_visit_date = fields.Date(
        string="Next Scheduled Visit", compute="_compute_next_visit_date"
    )
    # What ships with the forklift (000 第一篇 L85: the parts list, the
    # warranty card and the manuals)
    warranty_card_number = fields.Char(
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Number of the warranty card shipped with the forklift; unique in "
        "the company.",
    )
    ship_item_ids = fields.One2many(
        "forklift.unit.ship.item",
        "unit_id",
        string="Shipped with the Forklift",
        help="Spare parts, tools, attachments, manuals and documents packed with "
        "the forklift, printed on its delivery sheet.",
    )
    ship_document_ids = fields.Many2many(
        "ir.attachment",
        "forklift_unit_ship_document_rel",
        "unit_id",
        "attachment_id",
        string="Manuals and Documents",
        help="The files of the manuals, the parts list or the warranty card "
        "shipped with the forklift.",
    )

    _lot_uniq = models.Constraint(
        "unique(lot_id)", "This serial number is already a forklift unit."
    )
    # as its model's (product.template): the director sets them
    _warranty_terms_positive = models.Constraint(
        f"CHECK(warranty_months >= 0 AND warranty_hours {HOUR_METER_SQL})",
        "The warranty terms of a forklift cannot be negative, and its working "
        "hours are at most what an hour meter reads.",
    )

    # Compute methods

    @api.depends(
        "product_id.forklift_warranty_months",
        "product_id.forklift_warranty_hours",
        "commitment_id.state",
        "commitment_id.warranty_months",
        "commitment_id.warranty_hours",
    )
    def _compute_warranty_limits(self):
        for unit in self:
            unit.warranty_months, unit.warranty_hours = (
                self._get_default_warranty_terms(unit.product_id, unit.commitment_id)
            )

    @api.model
    def _get_default_warranty_terms(self, product, commitment):
        """(months, hours) of the warranty: the customer's signed service
        commitment when it sets them, else the forklift model's (000 第四篇 §4,
        R-025, R-211)."""
        template = product.product_tmpl_id
        # sudo: the letter's terms decide, whoever registers the forklift
        letter = commitment.sudo()._get_active()
        months = letter.warranty_months or template.forklift_warranty_months or 12
        hours = letter.warranty_hours or template.forklift_warranty_hours or 1500.0
        return months, hours

    @api.depends("acceptance_date", "delivery_date", "warranty_months")
    def _compute_warranty_dates(self):
        for unit in self:
            start = unit.acceptance_date or unit.delivery_date
            unit.warranty_start_date = start
            unit.warranty_start_estimated = bool(start and not unit.acceptance_date)
            unit.warranty_end_date = (
                self._get_period_end(start, unit.warranty_months) if start else False
            )

    @api.model
    def _get_period_end(self, start, months):
        """Last day of a period of ``months`` starting on ``start``: the day
        before the same day ``months`` later; when that month has no such day
        (29 February + 12 months) the period runs to its last day, 28 February
        (R-211)."""
        anniversary = start + relativedelta(months=months)
        if anniversary.day != start.day:
            return anniversary
        return anniversary - relativedelta(days=1)

    @api.depends("reading_ids.hours", "reading_ids.date", "warranty_hours")
    def _compute_hours(self):
        for unit in self:
            readings = unit.reading_ids.sorted(lambda r: (r.date, r.id))
            unit.current_hours = readings[-1:].hours
            unit.last_reading_date = readings[-1:].date
            over = readings.filtered(lambda r, u=unit: r.hours >= u.warranty_hours)
            unit.hours_limit_reached_on = over[:1].date

    @api.depends("current_hours", "last_reading_date")
    def _compute_import_hours(self):
        # an export of the units gives back a file that imports unchanged
        for unit in self:
            unit.import_hours = unit.current_hours
            unit.import_hours_date = unit.last_reading_date and fields.Date.to_date(
                unit.last_reading_date
            )

    def _inverse_import_hours(self):
        """An imported hour meter is a reading of the forklift like any other:
        the reading's own check refuses a meter going backwards (R-127). The
        same hours imported again add no reading, so a ledger imported twice
        records each hour meter once."""
        vals_list = []
        now = fields.Datetime.now()
        for unit in self:
            hours = unit.import_hours
            if not hours or hours in unit.reading_ids.mapped("hours"):
                continue
            read_on = unit.import_hours_date
            # a ledger gives a day: noon UTC stays on that day from UTC-11 to
            # UTC+11, Beijing time included; read today, not later than now
            read_at = read_on and datetime.combine(read_on, time(12))
            if read_on == now.date():
                read_at = min(read_at, now)
            vals_list.append(
                {
                    "unit_id": unit.id,
                    "hours": hours,
                    "date": read_at or now,
                    "source": "ledger",
                }
            )
        self.env["forklift.hour.reading"].create(vals_list)

    @api.depends_context("date")
    @api.depends("warranty_start_date", "warranty_end_date", "hours_limit_reached_on")
    def _compute_warranty_state(self):
        today = fields.Date.context_today(self)
        for unit in self:
            unit.warranty_state, unit.warranty_end_reason = unit._get_warranty_status(
                today
            )

    def _search_warranty_state(self, operator, value):
        if operator != "in":
            return NotImplemented
        today = fields.Date.context_today(self)
        in_warranty = Domain("warranty_end_date", ">=", today) & Domain(
            "hours_limit_reached_on", "=", False
        )
        by_state = {
            "none": Domain("warranty_start_date", "=", False),
            "in": in_warranty,
            "out": Domain("warranty_start_date", "!=", False) & ~in_warranty,
        }
        return Domain.OR(by_state[state] for state in value if state in by_state)

    def _compute_feedback_count(self):
        assign_counts(self, feedback_count=("forklift.feedback", "unit_id"))

    @api.depends("maintenance_visit_ids.planned_date", "maintenance_visit_ids.state")
    def _compute_next_visit_date(self):
        for unit in self:
            planned = unit.maintenance_visit_ids.filtered(
                lambda v: v.state == "planned" and v.planned_date
            )
            unit.next_visit_date = min(planned.mapped("planned_date"), default=False)

    # Constraints

    @api.constrains("lot_id", "product_id")
    def _check_product_is_forklift(self):
        for unit in self:
            if not unit.product_id.is_forklift or unit.product_id.tracking != "serial":
                raise ValidationError(
                    self.env._(
                        "%(product)s is not a serial-tracked forklift model.",
                        product=unit.product_id.display_name,
                    )
                )

    @api.constrains("warranty_months")
    def _check_warranty_months(self):
        """A warranty period the warranty end can be computed from, as its
        model's or its letter's (R-211)."""
        for unit in self:
            check_warranty_months(unit, unit.warranty_months)

    @api.constrains("delivery_date", "acceptance_date")
    def _check_dates(self):
        for unit in self:
            if (
                unit.delivery_date
                and unit.acceptance_date
                and unit.acceptance_date < unit.delivery_date
            ):
                raise ValidationError(
                    self.env._(
                        "Forklift %(unit)s cannot be accepted before it was delivered.",
                        unit=unit.name,
                    )
                )

    @api.constrains("warranty_card_number", "lot_id")
    def _check_warranty_card_unique(self):
        """One warranty card per forklift in a company (R-023)."""
        for unit in self.filtered("warranty_card_number"):
            # sudo: a number used on a forklift the user may not read is
            # still taken
            other = self.sudo().search(
                [
                    ("warranty_card_number", "=", unit.warranty_card_number),
                    ("company_id", "=", unit.company_id.id),
                    ("id", "!=", unit.id),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "Warranty card %(card)s is already the card of forklift "
                        "%(unit)s.",
                        card=unit.warranty_card_number,
                        unit=other.name,
                    )
                )

    @api.constrains("dealer_id")
    def _check_dealer_is_dealer(self):
        """An import names the dealer by name: a customer's name there is
        refused rather than taken for a dealer (R-055)."""
        for unit in self:
            unit.dealer_id._check_forklift_dealer_of(unit)

    # CRUD

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": self.env._("Import Template for Forklift Units"),
                "template": "/forklift_aftersales/static/xls/"
                "forklift_units_import_template.xlsx",
            }
        ]

    @api.model
    def _get_warranty_term_fields(self):
        """What sets the warranty's period and hours (000 第四篇 §4, R-211)."""
        return {
            "product_id",
            "delivery_date",
            "acceptance_date",
            "warranty_months",
            "warranty_hours",
            "commitment_id",
        }

    @api.model
    def _get_identity_fields(self):
        """What names the forklift: its serial number, by which a sheet finds
        it (R-065), and its model, which sets its warranty (R-211)."""
        return {"name", "product_id"}

    @api.model
    def _get_fixed_fields(self):
        """A forklift stays in the company that sold it, and on its serial
        record: another record would give it another serial number and
        model."""
        return super()._get_fixed_fields() | {"company_id", "lot_id"}

    @api.model
    def _get_lot_checked_fields(self):
        """The fields of the serial record (stock.lot) that the unit's rules
        guard: changed on the record, they change the forklift."""
        guarded = (
            self._get_fixed_fields()
            | self._get_identity_fields()
            | self._get_warranty_term_fields()
        )
        return {name for name in guarded if self._fields[name].inherited}

    def _may_change_warranty_terms(self):
        return self._is_flow_write() or self.env.user.has_group(
            "forklift_aftersales.group_forklift_director"
        )

    def _get_signed_acceptances(self):
        """The commissionings of these forklifts whose acceptance the
        customer signed (R-041, R-211): what ships with a forklift (its items,
        its manuals and documents) was checked with him then, and is what he
        signed (R-023)."""
        # sudo: the commissioning's own state decides, whoever reads it
        return self.sudo().commissioning_ids.filtered(lambda c: c.state == "done")

    def _get_locked_fields(self):
        """Once the customer has signed the acceptance, the manuals and
        documents shipped with the forklift, printed on its delivery sheet
        with the items above his signature, are part of what he signed
        (000 第四篇 §1, §4; R-023, R-041): like the items
        (``forklift.unit.ship.item._check_acceptance_not_signed``), only the
        flow and the service-center director change them, by any command or
        an import; nor are their files rewritten, renamed or deleted
        (``ir.attachment._check_forklift_files_kept``)."""
        locked = super()._get_locked_fields()
        if not self._may_change_warranty_terms() and self._get_signed_acceptances():
            locked.add("ship_document_ids")
        return locked

    def _get_state_locked_message(self, names):
        """A forklift has no state: its only locked field is its manuals and
        documents, once its acceptance is signed (``_get_locked_fields``)."""
        accepted = self._get_signed_acceptances()[:1]
        return self.env._(
            "Forklift %(unit)s was accepted on %(date)s: the manuals and documents "
            "shipped with it are part of the acceptance the customer signed and "
            "can no longer be added, changed or removed. Only the service-center "
            "director corrects them.",
            unit=self.name,
            date=accepted.acceptance_date,
        )

    def _raise_warranty_terms(self):
        raise AccessError(
            self.env._(
                "Only the service-center director changes the warranty terms of a "
                "forklift (period, working hours, delivery and acceptance dates)."
            )
        )

    def _raise_identity(self):
        raise AccessError(
            self.env._(
                "Only the service-center director changes the serial number or the "
                "model of a forklift."
            )
        )

    def _is_signed_acceptance(self, acceptance_date):
        """The acceptance the customer signed on the commissioning starts the
        warranty of a forklift that has none yet (R-041, R-211)."""
        self.ensure_one()
        accepted = fields.Date.to_date(acceptance_date)
        # sudo: the commissioning's own state and date decide, whoever reads it
        commissionings = self.sudo().commissioning_ids
        return bool(
            accepted
            and not self.acceptance_date
            and commissionings.filtered(
                lambda c: c.state == "done" and c.acceptance_date == accepted
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._may_change_warranty_terms():
            # the period and hours come from the forklift model, or from the
            # customer's signed service commitment; given or by a
            # default (a ``default_<field>`` context key a client sends with
            # any call, a user default), which create() would store alike
            given = with_defaults(
                self,
                vals_list,
                [
                    "product_id",
                    "partner_id",
                    "commitment_id",
                    "warranty_months",
                    "warranty_hours",
                ],
            )
            products = self.env["product.product"].browse(
                [vals["product_id"] for vals in given if vals.get("product_id")]
            )
            letters = self.env["forklift.service.commitment"]
            for vals in given:
                if vals.get("commitment_id"):
                    self._raise_warranty_terms()
                product = products.filtered(
                    lambda p, v=vals: p.id == v.get("product_id")
                )
                partner = self.env["res.partner"].browse(vals.get("partner_id"))
                months, hours = self._get_default_warranty_terms(
                    product, letters._find_for_partner(partner, self.env.company)
                )
                for name, default in (
                    ("warranty_months", months),
                    ("warranty_hours", hours),
                ):
                    if vals.get(name) and vals[name] != default:
                        self._raise_warranty_terms()
        for vals in vals_list:
            self._normalize_warranty_card(vals)
            # a forklift belongs to the company that sold it, not to every one
            # (the serial number of a shared product has none of its own)
            if not vals.get("company_id") and not vals.get("lot_id"):
                vals["company_id"] = self.env.company.id
        units = super().create(vals_list)
        units.filtered(
            lambda u: u.partner_id and not u.commitment_id
        )._assign_commitment()
        units._plan_after_delivery()
        return units

    @api.model
    def _normalize_warranty_card(self, vals):
        """A card number is kept without surrounding spaces, empty as none."""
        if "warranty_card_number" in vals:
            vals["warranty_card_number"] = (
                vals["warranty_card_number"] or ""
            ).strip() or False
        return vals

    def write(self, vals):
        self._normalize_warranty_card(vals)
        self._check_director_fields(vals)
        self._check_market_correction(vals)
        delivery = fields.Date.to_date(vals.get("delivery_date"))
        moved = self.filtered(lambda u: delivery and u.delivery_date != delivery)
        if "partner_id" in vals:
            res = self._write_customer(vals)
        else:
            res = super().write(vals)
        if {"delivery_date", "acceptance_date"} & set(vals):
            self._plan_after_delivery(moved)
            self.maintenance_visit_ids._sync_activities()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        """A forklift with after-sales history (sheets, orders, visits, hour
        readings...) stays: its records would lose it (R-001, R-023, R-026)."""
        kept = aftersales_record_naming(self)
        if not kept:
            return
        unit, model = kept
        raise UserError(
            self.env._(
                "Forklift %(unit)s cannot be deleted: it has after-sales history "
                "(%(record)s).",
                unit=unit.display_name,
                record=model._description,
            )
        )

    def _write_customer(self, vals):
        """Write a change of customer: the forklift takes the new customer's
        signed letter, or none (R-025), written with the customer so that the
        letter is checked against the customer it ends with. A change of
        letter changes the warranty terms and the response times: only the
        director makes it (000 第四篇 §4, R-211)."""
        self._check_sent_values([vals])
        field = self._fields["partner_id"]
        partner = field.convert_to_record(
            field.convert_to_cache(vals["partner_id"], self, validate=False), self
        )
        moved = defaultdict(lambda: self.browse())
        for unit, letter in self._get_customer_commitments(partner).items():
            if letter != unit.commitment_id:
                moved[letter] |= unit
        all_moved = self.browse().union(*moved.values())
        if moved and not self._may_change_warranty_terms():
            raise AccessError(
                self.env._(
                    "Forklift %(unit)s: this change of customer changes its service "
                    "commitment letter, so its warranty terms and response times. "
                    "Only the service-center director changes the warranty terms "
                    "of a forklift.",
                    unit=all_moved[:1].name,
                )
            )
        if not moved or "commitment_id" in vals:
            # the letter sent is the director's own choice, checked as such
            return super().write(vals)
        kept = self - all_moved
        if kept:
            super(ForkliftUnit, kept).write(vals)
        for letter, units in moved.items():
            super(ForkliftUnit, units).write(dict(vals, commitment_id=letter.id))
        return True

    def _check_director_fields(self, vals):
        """Refuse a change of what names these forklifts or sets their
        warranty unless the service-center director or the flow makes it; a
        signed acceptance still starts a warranty (000 第四篇 §4, R-211)."""
        identity = self._get_identity_fields()
        names = (identity | self._get_warranty_term_fields()) & set(vals)
        if not names or self._may_change_warranty_terms():
            return
        for unit in self:
            changed = unit._get_changed_fields(names, vals)
            if changed & identity:
                self._raise_identity()
            if changed == {"acceptance_date"} and unit._is_signed_acceptance(
                vals["acceptance_date"]
            ):
                continue
            if changed:
                self._raise_warranty_terms()

    def _check_market_correction(self, vals):
        """A forklift's market numbers its sheets from its series and decides
        who handles and receives them: the export division and the export
        company, or QA and the domestic sales company (R-047, R-269,
        R-271–R-274). Staff register a forklift of either market; moving a
        registered one to the other market is the service-center director's
        correction (or the flow's)."""
        if self._may_change_warranty_terms() or not self._get_changed_fields(
            {"market"}, vals
        ):
            return
        raise AccessError(
            self.env._(
                "Only the service-center director changes the market of a "
                "registered forklift: it decides the numbering of its sheets and "
                "who handles them."
            )
        )

    def _check_lot_write(self, vals):
        """A change written on the serial records of these forklifts is a
        change of the forklifts: the rules of their own ``write`` decide, the
        director's fields as the fixed ones (000 第四篇 §4, R-211)."""
        vals = {name: vals[name] for name in self._get_lot_checked_fields() & set(vals)}
        if not vals or self._is_flow_write():
            return
        self._check_director_fields(vals)
        self._check_unchanged(self._get_fixed_fields(), vals)

    @api.constrains("commitment_id", "partner_id")
    def _check_commitment_customer(self):
        for unit in self:
            # sudo: the letter's customer decides, whoever reads it
            letter = unit.commitment_id.sudo()
            if letter and letter.partner_id != unit.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(letter)s is the service commitment of %(customer)s, not of "
                        "the customer of forklift %(unit)s.",
                        letter=letter.name,
                        customer=letter.partner_id.display_name,
                        unit=unit.name,
                    )
                )

    # Business methods

    def _check_meter_reading(self, hours, document, replaced, missing_message):
        """Refuse the hour meter ``hours`` given for this forklift on
        ``document`` (its name), which replaces the reading ``replaced`` (the
        document's own, or none): below the forklift's latest other reading it
        goes backwards; 0 (a form left empty, a meter cleared by RPC) on a
        forklift never read is no reading at all, refused with
        ``missing_message`` (R-127)."""
        self.ensure_one()
        # sudo: comparing with the forklift's readings, whoever may read them
        readings = self.sudo().reading_ids - replaced.sudo()
        last = readings.sorted(lambda r: (r.date, r.id))[-1:]
        if last and hours < last.hours:
            raise UserError(
                self.env._(
                    "The hour meter of %(unit)s cannot go backwards: %(hours)s h "
                    "on %(order)s is below the %(last)s h read on %(date)s.",
                    unit=self.name,
                    hours=hours,
                    order=document,
                    last=last.hours,
                    date=last.date,
                )
            )
        if not hours:
            raise UserError(missing_message)

    def _assign_commitment(self):
        """Each forklift takes the newest signed service commitment of its
        customer, or none (R-025)."""
        for unit, letter in self._get_customer_commitments().items():
            if unit.commitment_id != letter:
                unit._as_flow().write({"commitment_id": letter.id})

    def _get_customer_commitments(self, partner=None):
        """{unit: the letter it takes}, with ``partner`` as the customer of
        these forklifts when given, else their own customer."""
        letters = self.env["forklift.service.commitment"]
        found = {}
        result = {}
        for unit in self:
            customer = unit.partner_id if partner is None else partner
            key = (customer.commercial_partner_id, unit.company_id)
            if key not in found:
                found[key] = letters._find_for_partner(*key)
            result[unit] = found[key]
        return result

    def _plan_after_delivery(self, moved=None):
        """A delivered forklift is commissioned at once (R-177); once its
        warranty has started, its free visits are planned (R-212, R-213).

        :param moved: those of these forklifts whose delivery date changed:
            their open commissioning follows it, due on the new delivery with
            its to-do (R-177, R-124)
        """
        for unit in moved or ():
            unit.commissioning_ids.filtered(
                lambda c, day=unit.delivery_date: (
                    c.state not in ("done", "cancel") and c.planned_date != day
                )
            )._write_flow({"planned_date": unit.delivery_date})
        to_commission = self.filtered(
            lambda u: (
                u.delivery_date and not u.acceptance_date and not u.commissioning_ids
            )
        )
        self.env["forklift.commissioning"].create(
            [
                {"unit_id": unit.id, "planned_date": unit.delivery_date}
                for unit in to_commission
            ]
        )
        # a forklift registered after its warranty ended (an old ledger) has
        # no free visit left to plan
        today = fields.Date.context_today(self)
        self.filtered(
            lambda u: (
                u.warranty_start_date
                and not u.maintenance_visit_ids
                and u._get_warranty_status(today)[0] != "out"
            )
        )._plan_maintenance_visits()

    def _plan_maintenance_visits(self):
        """The free maintenance visits spread evenly over the warranty period
        and hours (A-22: 12 months and 1500 h give 3 / 6 / 9 months and
        375 / 750 / 1125 h), then the overhaul at the warranty's end."""
        vals_list = []
        for unit in self:
            count = unit.product_id.forklift_maintenance_visits
            for index in range(1, count + 1):
                vals_list.append(
                    {
                        "unit_id": unit.id,
                        "sequence": index,
                        "visit_type": "maintenance",
                        "threshold_months": unit.warranty_months * index // (count + 1),
                        "threshold_hours": unit.warranty_hours * index / (count + 1),
                    }
                )
            vals_list.append(
                {
                    "unit_id": unit.id,
                    "sequence": count + 1,
                    "visit_type": "overhaul",
                    "threshold_months": unit.warranty_months,
                    "threshold_hours": unit.warranty_hours,
                }
            )
        # the flow: the plan of the warranty adds the visits, whoever
        # registers or accepts the forklift
        visits = self.env["forklift.maintenance.visit"]._create_flow(vals_list)
        visits._sync_activities()
        return visits

    def _forecast_hours_date(self, hours):
        """The day the hour meter reaches ``hours``: the reading that did, or
        a forecast from the average use since the warranty started.

        :return: a date, or None when there is no reading to forecast from
        """
        self.ensure_one()
        readings = self.reading_ids.sorted(lambda r: (r.date, r.id))
        reached = readings.filtered(lambda r: r.hours >= hours)[:1]
        if reached:
            return reached.date.date()
        start = self.warranty_start_date
        if not readings or not start:
            return None
        before = readings.filtered(lambda r: r.date.date() <= start)[-1:]
        base_hours = before.hours if before else 0.0
        last = readings[-1]
        days = (last.date.date() - start).days
        if days <= 0 or last.hours <= base_hours:
            return None
        per_day = (last.hours - base_hours) / days
        return last.date.date() + relativedelta(
            days=int(-(-(hours - last.hours) // per_day))
        )

    def _get_warranty_status(self, at_date, hours=None):
        """Warranty state and, when it has ended, which limit ended it first.

        :param at_date: the local day to judge (a date: a UTC timestamp is not
            the customer's day)
        :param hours: an hour-meter reading on that day, when known; otherwise
            the readings on record are used
        :return: (state, reason) as in ``WARRANTY_STATES`` / ``WARRANTY_END_REASONS``
        """
        self.ensure_one()
        if isinstance(at_date, datetime) or not at_date:
            raise TypeError(
                f"The warranty is judged on a local date, not {at_date!r}: convert "
                "the moment to the company's local date first."
            )
        if not self.warranty_start_date or at_date < self.warranty_start_date:
            return "none", False
        hours_reached_on = self.hours_limit_reached_on and fields.Date.to_date(
            self.hours_limit_reached_on
        )
        if hours is not None and hours >= self.warranty_hours:
            hours_reached_on = min(hours_reached_on or at_date, at_date)
        if hours_reached_on and hours_reached_on > at_date:
            hours_reached_on = False
        date_passed = at_date > self.warranty_end_date
        if not hours_reached_on and not date_passed:
            return "in", False
        if hours_reached_on and (
            not date_passed or hours_reached_on <= self.warranty_end_date
        ):
            return "out", "hours"
        return "out", "date"

    def action_print_delivery_sheet(self):
        """The delivery sheet: what ships with the forklift and its warranty
        card, to be signed at the hand-over (R-023, R-222)."""
        return self.env.ref(
            "forklift_aftersales.action_report_forklift_unit_delivery"
        ).report_action(self)

    @api.readonly
    def action_view_cases(self):
        """The forklift's sheets; only reads (a read replica serves it)."""
        return related_action(
            self, "forklift_aftersales.forklift_feedback_action", "unit_id"
        )

    @api.model
    def _get_portal_units(self):
        """The forklifts a portal user reports on: those of his company as
        the customer, or as their dealer. Decided by the server from the
        user's company, never from an id the page sent."""
        user = self.env.user
        if not user.share or user._is_public():
            return self.browse()
        commercial = user.partner_id.commercial_partner_id
        # sudo: portal users do not read units; the domain is the user's own
        return self.sudo().search(
            [
                "|",
                ("partner_id", "child_of", commercial.id),
                ("dealer_id", "child_of", commercial.id),
            ],
            order="name",
        )

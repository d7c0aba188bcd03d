from datetime import timedelta

from odoo import fields, models


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

    def _get_forklift_planner(self):
        self.ensure_one()
        return self.forklift_planner_id or self.env.user

    def _forklift_plan_working_days(self, start, days):
        """The moment ``days`` working days after ``start`` on the company's
        working calendar, weekends and leaves skipped (R-288); ``start`` plus
        calendar days when the company has no calendar."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return start + timedelta(days=days)
        return calendar.plan_hours(
            days * (calendar.hours_per_day or 8), start, compute_leaves=True
        )

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

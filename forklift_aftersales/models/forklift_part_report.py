from odoo import api, fields, models
from odoo.tools import SQL

from .forklift_case import RESPONSIBILITIES
from .forklift_parts_request import REQUEST_TYPES
from .forklift_sla_policy import WARRANTY_STATES
from .forklift_unit import MARKETS

LINE_TYPES = [
    ("replaced", "Replaced on site"),
    ("released", "Released from stock"),
]


class ForkliftPartReport(models.Model):
    """Part statistics: one row per part replaced on a service order and per
    part released on an approved warranty parts request, dated by the
    feedback sheet, for the statistics by spare part and by vehicle type
    (配件 / 车辆种类, 000 §6.5, R-257, R-262).

    Failures are counted from the parts replaced; the cost from the parts
    released (their cost when requested). The two kinds of line keep their
    quantities in separate measures, so no sum counts a part twice.

    Another addon adds a column with a field and an entry in both
    :meth:`_select_replaced` and :meth:`_select_released`.
    """

    _name = "forklift.part.report"
    _description = "Spare Part Statistics"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"
    _depends = {
        "forklift.case": [
            "name",
            "company_id",
            "market",
            "state",
            "received_date",
            "unit_id",
            "dealer_id",
            "fault_category_id",
            "responsibility",
            "warranty_state",
        ],
        "forklift.unit": ["lot_id"],
        "stock.lot": ["product_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "forklift.service.order": ["case_id", "state"],
        "forklift.service.order.part": [
            "order_id",
            "product_id",
            "quantity",
            "is_warranty",
            "failed_serial",
        ],
        "forklift.parts.request": ["case_id", "state", "request_type"],
        "forklift.parts.request.line": [
            "request_id",
            "product_id",
            "quantity",
            "amount",
        ],
        "product.supplierinfo": [
            "product_tmpl_id",
            "partner_id",
            "sequence",
            "min_qty",
        ],
    }

    name = fields.Char(string="Feedback Sheet Number", readonly=True)
    line_type = fields.Selection(LINE_TYPES, readonly=True)
    case_id = fields.Many2one("forklift.case", string="Feedback Sheet", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    market = fields.Selection(MARKETS, readonly=True)
    date = fields.Datetime(string="Received On", readonly=True)
    product_id = fields.Many2one("product.product", string="Part", readonly=True)
    part_categ_id = fields.Many2one(
        "product.category", string="Part Category", readonly=True
    )
    supplier_id = fields.Many2one(
        "res.partner",
        readonly=True,
        help="Main vendor of the part: its first vendor price line.",
    )
    model_id = fields.Many2one("product.product", readonly=True)
    vehicle_type_id = fields.Many2one("product.category", readonly=True)
    dealer_id = fields.Many2one("res.partner", readonly=True)
    fault_category_id = fields.Many2one("forklift.fault.category", readonly=True)
    responsibility = fields.Selection(RESPONSIBILITIES, readonly=True)
    warranty_state = fields.Selection(
        WARRANTY_STATES, string="Warranty at Report", readonly=True
    )
    is_warranty = fields.Boolean(string="Warranty Part", readonly=True)
    request_type = fields.Selection(REQUEST_TYPES, readonly=True)
    failed_serial = fields.Char(string="Failed Part Serial", readonly=True)
    quantity_replaced = fields.Float(readonly=True, digits="Product Unit")
    quantity_released = fields.Float(readonly=True, digits="Product Unit")
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost = fields.Monetary(string="Cost Released", readonly=True)

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        replaced = self._select_replaced()
        released = self._select_released()

        def select(columns):
            return SQL(", ").join(
                SQL("%s AS %s", columns[name], SQL.identifier(name))
                for name in replaced
            )

        return SQL(
            """WITH %(with_)s
            SELECT %(replaced)s FROM %(from_replaced)s
             WHERE so.state != 'cancel' AND c.state != 'cancel'
            UNION ALL
            SELECT %(released)s FROM %(from_released)s
             WHERE r.state IN ('approved', 'shipped') AND c.state != 'cancel'""",
            with_=self._with(),
            replaced=select(replaced),
            from_replaced=self._from_replaced(),
            released=select(released),
            from_released=self._from_released(),
        )

    @api.model
    def _read_group(self, *args, **kwargs):
        self.env["forklift.case.report"]._disable_jit()
        return super()._read_group(*args, **kwargs)

    @api.model
    def _with(self):
        """The main vendor of each product: its first vendor price line."""
        return SQL(
            """main_vendor AS MATERIALIZED (
                SELECT DISTINCT ON (product_tmpl_id) product_tmpl_id, partner_id
                  FROM product_supplierinfo
                 ORDER BY product_tmpl_id, sequence, min_qty DESC, price, id
            )"""
        )

    @api.model
    def _select_common(self):
        """Columns taken from the feedback sheet ``c`` and the part ``part``."""
        return {
            "name": SQL("c.name"),
            "case_id": SQL("c.id"),
            "company_id": SQL("c.company_id"),
            "market": SQL("c.market"),
            "date": SQL("c.received_date"),
            "part_categ_id": SQL("part_tmpl.categ_id"),
            "supplier_id": SQL("mv.partner_id"),
            "model_id": SQL("lot.product_id"),
            "vehicle_type_id": SQL("model_tmpl.categ_id"),
            "dealer_id": SQL("c.dealer_id"),
            "fault_category_id": SQL("c.fault_category_id"),
            "responsibility": SQL("c.responsibility"),
            "warranty_state": SQL("c.warranty_state"),
        }

    @api.model
    def _select_replaced(self):
        """Columns of the parts replaced (``sp``); ids are even."""
        return {
            "id": SQL("sp.id * 2"),
            "line_type": SQL("'replaced'"),
            "product_id": SQL("sp.product_id"),
            **self._select_common(),
            "is_warranty": SQL("sp.is_warranty"),
            "request_type": SQL("NULL::varchar"),
            "failed_serial": SQL("sp.failed_serial"),
            "quantity_replaced": SQL("sp.quantity"),
            "quantity_released": SQL("0.0"),
            "cost": SQL("0.0"),
        }

    @api.model
    def _select_released(self):
        """Columns of the parts released (``rl``); ids are odd."""
        return {
            "id": SQL("rl.id * 2 + 1"),
            "line_type": SQL("'released'"),
            "product_id": SQL("rl.product_id"),
            **self._select_common(),
            "is_warranty": SQL("TRUE"),
            "request_type": SQL("r.request_type"),
            "failed_serial": SQL("NULL::varchar"),
            "quantity_replaced": SQL("0.0"),
            "quantity_released": SQL("rl.quantity"),
            "cost": SQL("rl.amount"),
        }

    @api.model
    def _from_common(self, part):
        """Joins of the part (``part``: its product id) and the forklift model."""
        return SQL(
            """JOIN product_product part ON part.id = %(part)s
            JOIN product_template part_tmpl ON part_tmpl.id = part.product_tmpl_id
            LEFT JOIN main_vendor mv ON mv.product_tmpl_id = part.product_tmpl_id
            LEFT JOIN forklift_unit unit ON unit.id = c.unit_id
            LEFT JOIN stock_lot lot ON lot.id = unit.lot_id
            LEFT JOIN product_product model ON model.id = lot.product_id
            LEFT JOIN product_template model_tmpl
                   ON model_tmpl.id = model.product_tmpl_id
            """,
            part=part,
        )

    @api.model
    def _from_replaced(self):
        return SQL(
            """forklift_service_order_part sp
            JOIN forklift_service_order so ON so.id = sp.order_id
            JOIN forklift_case c ON c.id = so.case_id
            %s""",
            self._from_common(SQL("sp.product_id")),
        )

    @api.model
    def _from_released(self):
        return SQL(
            """forklift_parts_request_line rl
            JOIN forklift_parts_request r ON r.id = rl.request_id
            JOIN forklift_case c ON c.id = r.case_id
            %s""",
            self._from_common(SQL("rl.product_id")),
        )

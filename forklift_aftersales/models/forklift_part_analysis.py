from odoo import api, fields, models
from odoo.tools import SQL

from .forklift_document_fields import report_column, sheet_link
from .forklift_feedback import RESPONSIBILITIES
from .forklift_feedback_analysis import FORKLIFT_MODEL_DEPENDS
from .forklift_parts_request import REQUEST_TYPES
from .forklift_parts_request_line import WARRANTY_REASONS
from .forklift_sla_policy import WARRANTY_STATES
from .forklift_unit import MARKETS

LINE_TYPES = [
    ("replaced", "Replaced on site"),
    ("released", "Released from stock"),
    ("purchased", "Bought locally"),
]


class ForkliftPartAnalysis(models.Model):
    """Part statistics: one row per part replaced on a service order, per
    part released on an approved warranty parts request and per part bought
    locally on an approved local purchase, dated by the feedback sheet, for
    the statistics by spare part, vehicle type and technician (配件 / 车辆种类,
    000 §6.5, §4.3; R-257, R-262), and by the reason a part was given under
    warranty (wear, missing, unqualified: 004 §4.6.1, R-093).

    Failures are counted from the parts replaced; the cost from the parts
    released (their cost when requested) and, apart, from the parts bought
    locally. Each kind of line keeps its quantities in its own measures, so
    no sum counts a part twice.

    Another addon adds a column with a field and an entry in each of
    :meth:`_select_replaced`, :meth:`_select_released` and
    :meth:`_select_purchased`.
    """

    _name = "forklift.part.analysis"
    _inherit = ["forklift.statistics.mixin"]
    _description = "Spare Part Statistics"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"
    _depends = {
        "forklift.feedback": [
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
        **FORKLIFT_MODEL_DEPENDS,
        "forklift.service.order": ["feedback_id", "state", "technician_id"],
        "forklift.service.order.part": [
            "order_id",
            "product_id",
            "quantity",
            "is_warranty",
            "failed_serial",
            "supplier_id",
        ],
        "forklift.parts.request": [
            "feedback_id",
            "state",
            "request_type",
            "technician_id",
        ],
        "forklift.local.purchase": ["feedback_id", "state", "technician_id"],
        "forklift.local.purchase.line": [
            "purchase_id",
            "product_id",
            "quantity",
            "amount",
            "supplier_id",
        ],
        "forklift.parts.request.line": [
            "request_id",
            "product_id",
            "quantity",
            "amount",
            "warranty_reason",
            "supplier_id",
        ],
    }

    name = report_column(fields.Char, string="Feedback Sheet Number")
    line_type = report_column(fields.Selection, LINE_TYPES)
    feedback_id = sheet_link(readonly=True)
    company_id = report_column(fields.Many2one, "res.company")
    market = report_column(fields.Selection, MARKETS)
    date = report_column(fields.Datetime, string="Received On")
    product_id = report_column(fields.Many2one, "product.product", string="Part")
    part_categ_id = report_column(
        fields.Many2one, "product.category", string="Part Category"
    )
    supplier_id = report_column(
        fields.Many2one,
        "res.partner",
        help="Supplier stored on the line when the part was recorded (its main "
        "vendor then, or the sheet's supplier at fault for the failed part): "
        "changing the part's vendors later leaves it.",
    )
    model_id = report_column(fields.Many2one, "product.product")
    vehicle_type_id = report_column(fields.Many2one, "product.category")
    dealer_id = report_column(fields.Many2one, "res.partner")
    fault_category_id = report_column(fields.Many2one, "forklift.fault.category")
    responsibility = report_column(fields.Selection, RESPONSIBILITIES)
    warranty_state = report_column(
        fields.Selection, WARRANTY_STATES, string="Warranty at Report"
    )
    technician_id = report_column(
        fields.Many2one,
        "res.users",
        help="The technician of the service order, of the parts request or of "
        "the local purchase.",
    )
    is_warranty = report_column(fields.Boolean, string="Warranty Part")
    request_type = report_column(fields.Selection, REQUEST_TYPES)
    warranty_reason = report_column(
        fields.Selection,
        WARRANTY_REASONS,
        help="Why the part was released under warranty (004 §4.6.1); empty on "
        "the parts replaced on site.",
    )
    failed_serial = report_column(fields.Char, string="Failed Part Serial")
    quantity_replaced = report_column(fields.Float, digits="Product Unit")
    quantity_released = report_column(fields.Float, digits="Product Unit")
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost = report_column(fields.Monetary, string="Cost Released")
    quantity_purchased = report_column(
        fields.Float, string="Quantity Bought Locally", digits="Product Unit"
    )
    purchase_cost = report_column(fields.Monetary, string="Cost Bought Locally")

    @api.model
    def _query(self):
        replaced = self._select_replaced()
        released = self._select_released()
        purchased = self._select_purchased()

        def select(columns):
            return SQL(", ").join(
                SQL("%s AS %s", columns[name], SQL.identifier(name))
                for name in replaced
            )

        return SQL(
            """
            SELECT %(replaced)s FROM %(from_replaced)s
             WHERE so.state != 'cancel' AND c.state != 'cancel'
            UNION ALL
            SELECT %(released)s FROM %(from_released)s
             WHERE r.state IN ('approved', 'shipped') AND c.state != 'cancel'
            UNION ALL
            SELECT %(purchased)s FROM %(from_purchased)s
             WHERE lp.state IN ('approved', 'reimbursed') AND c.state != 'cancel'""",
            replaced=select(replaced),
            from_replaced=self._from_replaced(),
            released=select(released),
            from_released=self._from_released(),
            purchased=select(purchased),
            from_purchased=self._from_purchased(),
        )

    @api.model
    def _select_common(self):
        """Columns taken from the feedback sheet ``c`` and the part ``part``."""
        return {
            "name": SQL("c.name"),
            "feedback_id": SQL("c.id"),
            "company_id": SQL("c.company_id"),
            "market": SQL("c.market"),
            "date": SQL("c.received_date"),
            "part_categ_id": SQL("part_tmpl.categ_id"),
            "model_id": SQL("lot.product_id"),
            "vehicle_type_id": SQL("model_tmpl.categ_id"),
            "dealer_id": SQL("c.dealer_id"),
            "fault_category_id": SQL("c.fault_category_id"),
            "responsibility": SQL("c.responsibility"),
            "warranty_state": SQL("c.warranty_state"),
        }

    @api.model
    def _select_line(self, line_type, line, document):
        """Columns of the part lines ``line`` (their alias) of ``line_type``
        on the documents ``document``: what every kind of line has, the
        details and measures of the other kinds empty. Ids are 3n plus the
        kind's place in ``LINE_TYPES``, so that they never meet."""
        kind = [code for code, _label in LINE_TYPES].index(line_type)
        return {
            "id": SQL("%s * 3 + %s", SQL.identifier(line, "id"), kind),
            "line_type": SQL("%s", line_type),
            "product_id": SQL.identifier(line, "product_id"),
            **self._select_common(),
            "supplier_id": SQL.identifier(line, "supplier_id"),
            "request_type": SQL("NULL::varchar"),
            "warranty_reason": SQL("NULL::varchar"),
            "failed_serial": SQL("NULL::varchar"),
            "technician_id": SQL.identifier(document, "technician_id"),
            "quantity_replaced": SQL("0.0"),
            "quantity_released": SQL("0.0"),
            "cost": SQL("0.0"),
            "quantity_purchased": SQL("0.0"),
            "purchase_cost": SQL("0.0"),
        }

    @api.model
    def _select_replaced(self):
        """Columns of the parts replaced (``sp``) on service orders (``so``)."""
        return {
            **self._select_line("replaced", "sp", "so"),
            "is_warranty": SQL("sp.is_warranty"),
            "failed_serial": SQL("sp.failed_serial"),
            "quantity_replaced": SQL("sp.quantity"),
        }

    @api.model
    def _select_released(self):
        """Columns of the parts released (``rl``) on parts requests (``r``)."""
        return {
            **self._select_line("released", "rl", "r"),
            "is_warranty": SQL("TRUE"),
            "request_type": SQL("r.request_type"),
            "warranty_reason": SQL("rl.warranty_reason"),
            "quantity_released": SQL("rl.quantity"),
            "cost": SQL("rl.amount"),
        }

    @api.model
    def _select_purchased(self):
        """Columns of the parts bought locally (``pl``) on local purchases
        (``lp``). Bought by the technician for a repair under the sheet:
        counted as warranty parts when the sheet is under warranty."""
        return {
            **self._select_line("purchased", "pl", "lp"),
            "is_warranty": SQL("COALESCE(c.warranty_state = 'in', FALSE)"),
            "quantity_purchased": SQL("pl.quantity"),
            "purchase_cost": SQL("pl.amount"),
        }

    @api.model
    def _from_common(self, part):
        """Joins of the part (``part``: its product id) and the forklift model."""
        feedback_analysis = self.env["forklift.feedback.analysis"]
        return SQL(
            """JOIN product_product part ON part.id = %(part)s
            JOIN product_template part_tmpl ON part_tmpl.id = part.product_tmpl_id
            %(forklift_model)s
            """,
            part=part,
            forklift_model=feedback_analysis._from_forklift_model(),
        )

    @api.model
    def _from_lines(self, line_table, line, document_table, document, link):
        """The part lines ``line`` of ``line_table``, their documents
        ``document`` of ``document_table`` (the lines' ``link``), the
        documents' feedback sheets ``c``, the parts and the forklift models."""
        return SQL(
            """%s %s
            JOIN %s %s ON %s = %s
            JOIN forklift_feedback c ON c.id = %s
            %s""",
            SQL.identifier(line_table),
            SQL.identifier(line),
            SQL.identifier(document_table),
            SQL.identifier(document),
            SQL.identifier(document, "id"),
            SQL.identifier(line, link),
            SQL.identifier(document, "feedback_id"),
            self._from_common(SQL.identifier(line, "product_id")),
        )

    @api.model
    def _from_replaced(self):
        return self._from_lines(
            "forklift_service_order_part",
            "sp",
            "forklift_service_order",
            "so",
            "order_id",
        )

    @api.model
    def _from_released(self):
        return self._from_lines(
            "forklift_parts_request_line",
            "rl",
            "forklift_parts_request",
            "r",
            "request_id",
        )

    @api.model
    def _from_purchased(self):
        return self._from_lines(
            "forklift_local_purchase_line",
            "pl",
            "forklift_local_purchase",
            "lp",
            "purchase_id",
        )

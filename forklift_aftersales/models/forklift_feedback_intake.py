from odoo import api, fields, models
from odoo.tools import SQL

from .forklift_document_fields import stamped

INTAKE_DEPARTMENTS = [
    ("service_center", "Service Center"),
    ("sales_company", "Sales Company"),
    ("portal", "Dealer or Customer (Portal)"),
]
ARRIVAL_RESULTS = [
    ("met", "Met"),
    ("missed", "Missed"),
]


class ForkliftFeedback(models.Model):
    """Who filed the sheet, and the arrival the customer asked for.

    000 §3.2 (R-066, R-268): the sales company (domestic; with the export
    addon, the export division too) provides the information and may file the
    sheet at intake; the service center completes it. The department that
    filed it is kept.

    001-C §4 4) (R-180): on-site service arrives within the time the customer
    sets; the sheet records that time and the statistics measure the arrival
    against it.
    """

    _inherit = "forklift.feedback"  # pylint: disable=consider-merging-classes-inherited

    intake_department = stamped(
        fields.Selection,
        INTAKE_DEPARTMENTS,
        string="Filed By Department",
        default=lambda self: self._default_intake_department(),
        groups="base.group_user",
        help="The department that filed the sheet: set by the server from the "
        "user who created it.",
    )
    requested_arrival_date = fields.Datetime(
        string="Arrival Requested by Customer",
        tracking=True,
        help="The time by which the customer asks the service to be on site "
        "(001-C §4 4)).",
    )
    requested_arrival_result = fields.Selection(
        ARRIVAL_RESULTS,
        string="Requested Arrival",
        compute="_compute_requested_arrival_result",
        store=True,
        help="Whether the first arrival on site came by the time the customer "
        "requested.",
    )

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {"intake_department"}

    @api.model
    def _get_sales_company_groups(self):
        """The groups of the departments that provide feedback as
        the sales company; the export addon adds its export division."""
        return ["forklift_aftersales.group_forklift_domestic_sales"]

    @api.model
    def _default_intake_department(self):
        """The department of the user creating the sheet."""
        user = self.env.user
        if user._is_portal():
            return "portal"
        if not user.has_group("forklift_aftersales.group_forklift_user") and any(
            user.has_group(xmlid) for xmlid in self._get_sales_company_groups()
        ):
            return "sales_company"
        return "service_center"

    @api.depends("requested_arrival_date", "arrival_date")
    def _compute_requested_arrival_result(self):
        for case in self:
            if not case.requested_arrival_date or not case.arrival_date:
                case.requested_arrival_result = False
            elif case.arrival_date <= case.requested_arrival_date:
                case.requested_arrival_result = "met"
            else:
                case.requested_arrival_result = "missed"


class ForkliftFeedbackAnalysis(models.Model):
    """Arrival against the customer's requested time in the statistics
    (R-180)."""

    _inherit = "forklift.feedback.analysis"
    _depends = {"forklift.feedback": ["requested_arrival_date", "arrival_date"]}

    requested_arrival_result = fields.Selection(
        ARRIVAL_RESULTS,
        string="Requested Arrival",
        readonly=True,
        help="Met or missed; a requested time that has passed with nobody on "
        "site counts as missed.",
    )
    requested_arrival_on_time = fields.Float(
        string="Arrived as Requested (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the sheets with a customer-requested arrival where the "
        "service arrived by that time; times still to come are not counted.",
    )

    @api.model
    def _select_fields(self):
        now = SQL("%s::timestamp", fields.Datetime.now())
        result = SQL(
            """CASE WHEN c.requested_arrival_date IS NULL THEN NULL
                    WHEN c.arrival_date IS NOT NULL
                        THEN CASE WHEN c.arrival_date <= c.requested_arrival_date
                                  THEN 'met' ELSE 'missed' END
                    WHEN c.requested_arrival_date < %(now)s THEN 'missed'
               END""",
            now=now,
        )
        return {
            **super()._select_fields(),
            "requested_arrival_result": result,
            "requested_arrival_on_time": SQL(
                "CASE %s WHEN 'met' THEN 100.0 WHEN 'missed' THEN 0.0 END", result
            ),
        }

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.forklift_aftersales.tools import (
    form_action,
    list_action,
    wizard_action,
)

from .forklift_supplier_letter import JUDGED_BY


class ForkliftFeedback(models.Model):
    """Supplier-caused failures (000 §4.2.3), quality claims, internal
    responsibility tracing and the QA timeliness assessment of a feedback
    sheet (000 §3.3)."""

    _inherit = "forklift.feedback"

    supplier_id = fields.Many2one(
        help="The supplier whose part caused the failure, named by the service "
        "center with its diagnosis (else the main vendor of the failed supplier "
        "part when the sheet is verified). Fixed from then on: QA corrects it."
    )
    supplier_part_id = fields.Many2one(
        "product.product",
        string="Failed Supplier Part",
        tracking=True,
        groups="base.group_user",
    )
    supplier_judged_by = fields.Selection(
        JUDGED_BY,
        string="Supplier Cause Judged",
        help="How the service center found the supplier's part at fault: on "
        "site, by phone or from the dealer's report (000 §4.2.3.1).",
        groups="base.group_user",
    )
    supplier_can_serve = fields.Boolean(
        related="supplier_id.forklift_can_serve", groups="base.group_user"
    )
    supplier_letter_ids = fields.One2many(
        "forklift.supplier.letter",
        "feedback_id",
        string="Service Contact Letters",
        groups="base.group_user",
    )
    quality_claim_ids = fields.Many2many(
        "forklift.quality.claim",
        "forklift_quality_claim_feedback_rel",
        "feedback_id",
        "claim_id",
        string="Quality Claims",
        copy=False,
        groups="base.group_user",
    )
    quality_claim_count = fields.Integer(
        compute="_compute_quality_claim_count", groups="base.group_user"
    )
    responsibility_trace_ids = fields.One2many(
        "forklift.responsibility.trace",
        "feedback_id",
        string="Responsibility Tracing",
        groups="base.group_user",
    )
    timeliness_assessment_ids = fields.One2many(
        "forklift.timeliness.assessment",
        "feedback_id",
        string="Timeliness Assessments",
        groups="base.group_user",
    )

    @api.model
    def _get_flow_fields(self):
        """The claims a sheet is in are made by QA's own action (000 §3.3);
        the supplier at fault is the service center's to name at intake, with
        the diagnosis, instead of the server's (000 §4.2.3.1)."""
        return (super()._get_flow_fields() | {"quality_claim_ids"}) - {"supplier_id"}

    @api.model
    def _get_diagnosis_fields(self):
        """The supplier at fault is part of the verified diagnosis
        (000 §4.2.3.1)."""
        return super()._get_diagnosis_fields() | {
            "supplier_id",
            "supplier_part_id",
            "supplier_judged_by",
        }

    @api.model
    def _get_part_supplier_fields(self):
        """The failed supplier part named with the diagnosis decides which
        part lines carry the supplier at fault."""
        return super()._get_part_supplier_fields() | {"supplier_part_id"}

    @api.onchange("supplier_part_id")
    def _onchange_supplier_part_id(self):
        """Propose the failed part's main vendor as the supplier at fault."""
        if self.supplier_part_id and not self.supplier_id:
            # the part is the client's: only a vendor of the sheet's company
            self.supplier_id = self._get_main_vendor(self.supplier_part_id)

    def _compute_quality_claim_count(self):
        for case in self:
            case.quality_claim_count = len(case.quality_claim_ids)

    def _get_failed_part(self):
        """The failed supplier part named with the diagnosis, before any part
        replaced (000 §4.2.3.1)."""
        return self.supplier_part_id or super()._get_failed_part()

    def _check_verifiable(self):
        """A supplier-caused failure names the supplier (the main vendor of
        the failed supplier part when none is named); the supplier route is
        open only to a supplier with a quality agreement that can serve
        (000 §4.1.3, §4.2.3.1, R-085, R-224)."""
        res = super()._check_verifiable()
        if self.responsibility == "supplier" and not self.supplier_id:
            raise UserError(
                self.env._(
                    "Name the supplier responsible for the failure of %s.",
                    self.name,
                )
            )
        if self.route == "supplier" and not self.supplier_id.forklift_can_serve:
            raise UserError(
                self.env._(
                    "%s has no quality agreement or cannot serve on site: "
                    "choose another route.",
                    self.supplier_id.display_name or self.env._("The supplier"),
                )
            )
        return res

    def _correct_supplier(self, supplier, reason):
        """A sheet in a claim keeps the claim's supplier: cancel the claim or
        take the sheet out of it first (R-018)."""
        self._check_can_correct_supplier()
        for case in self:
            claims = case.quality_claim_ids.filtered(
                lambda c, supplier=supplier: (
                    c.state != "cancel"
                    and c.supplier_id.commercial_partner_id
                    != supplier.commercial_partner_id
                )
            )
            if claims:
                raise UserError(
                    self.env._(
                        "%(case)s is claimed from %(supplier)s (%(claims)s): "
                        "cancel the claim or take the sheet out of it before "
                        "correcting its supplier at fault.",
                        case=case.name,
                        supplier=claims[:1].supplier_id.display_name,
                        claims=", ".join(claims.mapped("name")),
                    )
                )
        return super()._correct_supplier(supplier, reason)

    def _prepare_service_order_vals(self):
        vals = super()._prepare_service_order_vals()
        if self.route == "supplier":
            vals.update(
                performer_type="supplier",
                supplier_id=self.supplier_id.id,
                technician_id=False,
                dealer_id=False,
            )
        return vals

    def action_contact_supplier(self):
        """Prepare the service order and its contact letter for the supplier
        (000 §4.2.3.2); the letter opens for the service center's opinion."""
        self.ensure_one()
        self.check_access("write")
        if self.route != "supplier":
            raise UserError(self.env._("%s is not routed to a supplier.", self.name))
        self._check_state(
            ("verified", "dispatched"),
            self.env._("Verify the feedback sheet before contacting the supplier."),
        )
        order = self.env["forklift.service.order"].create(
            self._prepare_service_order_vals()
        )
        return form_action(order._create_supplier_letter())

    def action_view_supplier_letters(self):
        self.ensure_one()
        return list_action(
            self.env,
            "forklift_aftersales_supplier.forklift_supplier_letter_action",
            [("feedback_id", "=", self.id)],
        )

    def action_create_quality_claim(self):
        """QA (export: the department holding the claims of the market, A-07)
        raises a quality claim against the supplier from one or more feedback
        sheets (000 §3.3, §3.5, R-077, R-270)."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_qa"):
            raise AccessError(self.env._("Quality claims are raised by QA."))
        if not self:
            raise UserError(self.env._("Select the feedback sheets to claim for."))
        duties = self.env["forklift.duty.assignment"]
        for market, company in {(case.market, case.company_id) for case in self}:
            duties._check_duty("claims", market, company)
        suppliers = self.supplier_id
        if len(suppliers) != 1 or not all(self.mapped("supplier_id")):
            raise UserError(
                self.env._(
                    "A quality claim is against one supplier: the selected sheets "
                    "must all name the same responsible supplier."
                )
            )
        claim = self.env["forklift.quality.claim"].create(
            self.env["forklift.quality.claim"]._prepare_from_cases(self)
        )
        return form_action(claim)

    def action_view_quality_claims(self):
        self.ensure_one()
        return list_action(
            self.env,
            "forklift_aftersales_supplier.forklift_quality_claim_action",
            [("feedback_ids", "in", self.ids)],
        )

    def action_trace_responsibility(self):
        """QA records the internal department and person responsible for the
        problem, with the assessment (000 §3.3)."""
        name = self.env._("Responsibility Tracing")
        return wizard_action(self, "forklift.responsibility.trace", "feedback_id", name)

    def action_assess_timeliness(self):
        """QA assesses how timely the service center handled the sheet, from
        the deadlines stored on it (000 §3.3)."""
        self.ensure_one()
        return form_action(self.env["forklift.timeliness.assessment"]._assess(self))

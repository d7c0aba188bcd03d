from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import assign_counts, company_members, related_action
from .forklift_deadline_reminder import Reminder
from .forklift_document_fields import (
    board_state,
    company_field,
    computed_editable,
    customer_link,
    dealer_link,
    document_company,
    responsible_field,
    sheet_link,
    stamp_datetime,
    stamp_user,
    stamped,
    unit_link,
)
from .forklift_overdue_mixin import (
    compute_flags,
    deadline_passed_domain,
    search_flag,
)
from .forklift_unit import MARKETS
from .forklift_vehicle_return_task import REWORK_STATES

RETURN_STATES = [
    ("draft", "Registration"),
    ("signing", "Awaiting Signatures"),
    ("qa", "Handed to QA"),
    ("inspected", "Inspected"),
    ("rework", "In Rework"),
    ("reinspection", "Awaiting Re-inspection"),
    ("done", "Closed"),
    ("cancel", "Cancelled"),
]
RETURN_REASONS = [
    ("customer", "Customer reasons"),
    ("product", "Product reasons"),
]
REINSPECTION_RESULTS = [("pass", "Passed"), ("fail", "Failed")]
# The three signatures of the registration, in the order the form lists them
# (000 §4.4.1, R-205): the prefix of their fields.
SIGNATURE_STEPS = ["office", "director", "sales_vp"]


class ForkliftVehicleReturn(models.Model):
    """Whole-vehicle return (整机返厂登记表 + 退车检查表, R-014, R-015, §9).

    000 §4.4: when a delivered forklift comes back to the factory for customer
    or product reasons, the person returning it fills the registration; the
    office director, the service center director and the sales vice president
    sign it, then it goes to QA. QA inspects the unit and fills the inspection
    sheet (R&D and the service center join when the problem is hard);
    production planning, manufacturing and purchasing rework it; QA inspects
    it again before the return is closed. The unit enters stock on a real
    receipt into the returned-vehicles location, and leaves it for the
    finished-goods stock once it passes the re-inspection (R-238, R-241).
    """

    _name = "forklift.vehicle.return"
    _description = "Forklift Whole-Vehicle Return"
    _inherit = [
        "forklift.approval.editor.mixin",
        "forklift.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "forklift.flow.mixin",
        "forklift.deadline.reminder",
        "tier.validation",
    ]
    _order = "id desc"
    _flow_deletable_states = ("draft", "cancel")
    _check_company_auto = True
    # The three signatures are the tier validation of the registration
    # (000 §4.4.1): requested on submission, approved in order, one person
    # per step, never by the submitter nor by who wrote the registration
    # (forklift.approval.editor.mixin).
    _state_from = ["signing"]
    _state_to = ["qa"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    state = board_state(RETURN_STATES)
    company_id = company_field(index=True)
    unit_id = unit_link(required=True, tracking=True, index=True, check_company=True)
    lot_id = fields.Many2one(related="unit_id.lot_id", string="Serial Number")
    product_id = fields.Many2one(related="unit_id.product_id", string="Model")
    market = computed_editable(
        fields.Selection, "_compute_from_unit", MARKETS, precompute=True, required=True
    )
    partner_id = customer_link(
        compute="_compute_from_unit",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
    )
    dealer_id = dealer_link(
        compute="_compute_from_unit",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    feedback_id = sheet_link(
        domain="[('unit_id', '=', unit_id)]",
        check_company=True,
        help="The feedback sheet that led to the return, if any.",
    )
    returned_by = fields.Char(
        required=True,
        help="The person who brings the forklift back and fills the registration "
        "(退车人).",
    )
    return_date = fields.Date(
        string="Expected Back On", default=fields.Date.context_today
    )
    reason_type = fields.Selection(
        RETURN_REASONS, string="Reason", required=True, default="product"
    )
    description = fields.Html(string="Why It Comes Back")
    user_id = responsible_field()
    # Signatures of the registration (000 §4.4.1)
    office_signed_by_id = stamp_user("Office Director")
    office_signed_date = stamp_datetime()
    director_signed_by_id = stamp_user("Service Center Director")
    director_signed_date = stamp_datetime()
    sales_vp_signed_by_id = stamp_user("Sales Vice President")
    sales_vp_signed_date = stamp_datetime()
    next_signature = fields.Char(compute="_compute_next_signature")
    handed_to_qa_date = stamp_datetime("Handed to QA On", tracking=True)
    # Receipt into stock
    picking_id = stamped(fields.Many2one, "stock.picking", string="Receipt")
    received_date = stamp_datetime(tracking=True)
    inspection_deadline = fields.Datetime(
        compute="_compute_inspection_deadline",
        store=True,
        help="QA confirms the problem of a returned forklift within days of "
        "receiving it (001-C §6.3, R-181).",
    )
    is_inspection_overdue = fields.Boolean(
        compute="_compute_is_inspection_overdue",
        search="_search_is_inspection_overdue",
    )
    # Inspection sheet (退车检查表, 000 §4.4.2)
    check_line_ids = fields.One2many(
        "forklift.vehicle.return.check", "return_id", string="Inspection Items"
    )
    needs_experts = fields.Boolean(
        string="Hard Problem",
        help="R&D and the service center send someone to join the inspection "
        "(000 §4.4.2).",
    )
    expert_ids = fields.Many2many(
        "res.users",
        "forklift_vehicle_return_expert_rel",
        "return_id",
        "user_id",
        string="Joining the Inspection",
    )
    inspection_result = fields.Html(string="Inspection Findings")
    rework_requirements = fields.Html(
        help="What the sales company or the inspection sheet requires to be "
        "reworked, repaired or otherwise handled (000 §4.4.3)."
    )
    inspected_by_id = stamp_user("QA Inspector")
    inspected_date = stamp_datetime(tracking=True)
    # Rework (000 §4.4.3)
    task_ids = fields.One2many(
        "forklift.vehicle.return.task", "return_id", string="Rework Tasks"
    )
    task_count = fields.Integer(compute="_compute_task_count")
    # Re-inspection (000 §4.4.3)
    reinspection_result = stamped(fields.Selection, REINSPECTION_RESULTS, tracking=True)
    reinspection_note = fields.Text(
        help="Findings of the re-inspection under the product inspection and "
        "nonconformity control procedures."
    )
    reinspected_by_id = stamp_user("Re-inspected By")
    reinspected_date = stamp_datetime()
    release_picking_id = stamped(
        fields.Many2one, "stock.picking", string="Transfer to Stock"
    )

    # Compute methods

    @api.depends("unit_id")
    def _compute_from_unit(self):
        for vehicle_return in self:
            unit = vehicle_return.unit_id
            vehicle_return.market = unit.market or vehicle_return.market or "domestic"
            vehicle_return.partner_id = unit.partner_id or vehicle_return.partner_id
            vehicle_return.dealer_id = unit.dealer_id or vehicle_return.dealer_id

    @api.depends(
        "state",
        "office_signed_by_id",
        "director_signed_by_id",
        "sales_vp_signed_by_id",
    )
    def _compute_next_signature(self):
        for vehicle_return in self:
            missing = vehicle_return._get_missing_signatures()
            vehicle_return.next_signature = (
                missing[0] if vehicle_return.state == "signing" and missing else False
            )

    @api.depends("received_date")
    def _compute_inspection_deadline(self):
        for vehicle_return in self:
            vehicle_return.inspection_deadline = (
                vehicle_return.company_id._forklift_deadline(
                    vehicle_return.received_date, "forklift_vehicle_inspection_days"
                )
            )

    @api.depends("inspection_deadline", "inspected_date", "state")
    def _compute_is_inspection_overdue(self):
        compute_flags(
            self, {"is_inspection_overdue": self._get_inspection_overdue_domain()}
        )

    def _search_is_inspection_overdue(self, operator, value):
        return search_flag(self._get_inspection_overdue_domain(), operator, value)

    def _get_inspection_overdue_domain(self):
        return deadline_passed_domain("qa", "inspection_deadline", "inspected_date")

    def _compute_task_count(self):
        assign_counts(self, task_count=("forklift.vehicle.return.task", "return_id"))

    # Constraints

    @api.constrains("expert_ids")
    def _check_experts(self):
        """Only R&D and service center staff join the inspection (000 §4.4.2)."""
        for vehicle_return in self:
            for user in vehicle_return.expert_ids:
                if not (
                    user.has_group("forklift_aftersales.group_forklift_rnd")
                    or user.has_group("forklift_aftersales.group_forklift_user")
                ):
                    raise ValidationError(
                        self.env._(
                            "%(user)s is neither in R&D nor in the service center: "
                            "only they join the inspection of a returned forklift.",
                            user=user.name,
                        )
                    )

    # CRUD methods

    @api.model
    def _get_flow_fields(self):
        return super()._get_flow_fields() | {
            "state",
            # the market chooses the vice president who signs: it is
            # the unit's, never typed
            "market",
            "office_signed_by_id",
            "office_signed_date",
            "director_signed_by_id",
            "director_signed_date",
            "sales_vp_signed_by_id",
            "sales_vp_signed_date",
            "handed_to_qa_date",
            "picking_id",
            "received_date",
            "inspected_by_id",
            "inspected_date",
            "reinspection_result",
            "reinspected_by_id",
            "reinspected_date",
            "release_picking_id",
        }

    @api.model
    def _get_state_locked_fields(self):
        """Each part of the return changes only in its own step (000
        §4.4.1–3): the registration until it is submitted for its signatures,
        the experts while QA inspects, the inspection sheet until the rework
        starts, the rework tasks until the re-inspection, the re-inspection's
        findings while it is under way. The signatures' tier validation
        freezes nothing once signed (``_check_allow_write_after_validation``)."""
        registration = (
            "dealer_id",
            "description",
            "feedback_id",
            "partner_id",
            "reason_type",
            "return_date",
            "returned_by",
            "unit_id",
        )
        return {
            **dict.fromkeys(registration, ("draft",)),
            "expert_ids": ("qa",),
            "needs_experts": ("qa",),
            # the sheet QA signs with action_inspect: its record afterwards; a
            # re-inspection writes its own note
            "check_line_ids": ("qa",),
            "inspection_result": ("qa",),
            "rework_requirements": ("qa", "inspected"),
            "reinspection_note": ("reinspection",),
            "task_ids": REWORK_STATES,
        }

    @api.model
    def _get_forklift_authored_fields(self):
        """The registration the signers sign: the fields only its draft
        changes (000 §4.4.1, R-205). Whoever writes them in another's draft
        wrote it and signs no step of it."""
        return {
            name
            for name, states in self._get_state_locked_fields().items()
            if set(states) <= set(self._get_forklift_draft_states())
        }

    def _get_forklift_draft_states(self):
        """The registration is written while it is a draft, before its
        signatures are asked (``_state_from`` is the signing)."""
        return ["draft"]

    @api.model
    def _get_qa_fields(self):
        """The inspection QA fills (000 §4.4.2, R-015, R-049): its items, its
        findings, the rework it requires and who joins it. Only QA writes
        them, in their own step (``_get_state_locked_fields``)."""
        return {
            "check_line_ids",
            "inspection_result",
            "rework_requirements",
            "needs_experts",
            "expert_ids",
        }

    def _check_locked_fields(self, vals):
        res = super()._check_locked_fields(vals)
        changed = self._get_changed_fields(self._get_qa_fields(), vals)
        if changed:
            self._check_qa_inspection(changed)
        return res

    def _check_qa_inspection(self, names=None):
        """Refuse a change of QA's inspection (the fields ``names``, or its
        items) by anyone but QA."""
        if not self.env.user.has_group("forklift_aftersales.group_forklift_qa"):
            raise AccessError(
                self.env._(
                    "Only QA fills the inspection of a returned forklift: %(fields)s.",
                    fields=self._get_field_labels(names or {"check_line_ids"}),
                )
            )

    def _get_flow_kept_message(self):
        return self.env._(
            "Only a registration not yet submitted or cancelled can be deleted."
        )

    # Tier validation: the three signatures (000 §4.4.1)

    def _check_allow_write_after_validation(self, vals):
        """Once signed, the return goes on through QA's own steps; their
        fields are guarded by the flow, not frozen by the signatures."""
        return True

    def _get_signature_definitions(self):
        """Tier definitions of each signature step, by step (000 §4.4.1)."""
        return {
            "office": self.env.ref("forklift_aftersales.tier_vehicle_return_office"),
            "director": self.env.ref(
                "forklift_aftersales.tier_vehicle_return_director"
            ),
            "sales_vp": self.env.ref(
                "forklift_aftersales.tier_vehicle_return_sales_vp"
            ),
        }

    def _get_step_review(self, step):
        """The open or approved review of a signature step."""
        self.ensure_one()
        definitions = self._get_signature_definitions()[step]
        # sudo: the reviews are read by the mechanism, whoever may read them
        return self.sudo().review_ids.filtered(
            lambda r: r.definition_id in definitions and r.status != "cancel"
        )[:1]

    def request_validation(self):
        """The signatures are asked for when the registration is submitted,
        never by hand."""
        for vehicle_return in self:
            if vehicle_return.state != "signing" or vehicle_return.review_ids:
                raise UserError(
                    self.env._(
                        "%s asks for its signatures when it is submitted.",
                        vehicle_return.name,
                    )
                )
        return super().request_validation()

    def restart_validation(self):
        """A signed step is never withdrawn: cancel and reopen the
        registration to collect the signatures again."""
        raise UserError(
            self.env._(
                "Cancel the registration and reopen it to collect the signatures again."
            )
        )

    def validate_tier(self):
        """Sign the step that waits for the user (one step per person)."""
        self.ensure_one()
        self._check_tier_state(
            ["signing"], self.env._("%s is not waiting for signatures.")
        )
        return self._validate_signed_step(
            super().validate_tier,
            self.env._("No signature of %s is waiting for you.", self.display_name),
            self._record_signatures,
        )

    def reject_tier(self):
        self.ensure_one()
        self._check_tier_state(
            ["signing"], self.env._("%s is not waiting for signatures.")
        )
        return super().reject_tier()

    def _record_signatures(self):
        """Copy the approved reviews onto the registration's signatures, then
        ask the next signer or hand the registration to QA."""
        for vehicle_return in self:
            signed = vehicle_return._record_signed_steps(
                vehicle_return._get_signature_definitions(),
                "{}_signed_by_id",
                "{}_signed_date",
            )
            for step, review in signed.items():
                # the step is signed: every holder's to-do for it is done
                # sudo: the signer closes his colleagues' to-dos too, which
                # he may not see
                signers = vehicle_return._get_step_signers(step)
                for user in review.done_by | signers:
                    vehicle_return.sudo().activity_feedback(
                        ["mail.mail_activity_data_todo"],
                        user_id=user.id,
                        feedback=self.env._("Signed"),
                    )
            if vehicle_return._get_missing_signatures():
                if signed:
                    vehicle_return.sudo()._ask_next_signature()
            elif vehicle_return.validation_status == "validated":
                vehicle_return.sudo()._hand_to_qa()

    # Actions: registration and signatures

    def action_submit(self):
        """The registration is filled: ask for the three signatures, as a
        tier validation requested by the submitter, who never signs it."""
        self._check_step_state(("draft",), self.env._("%s is already submitted."))
        for vehicle_return in self:
            if not vehicle_return.description:
                raise UserError(
                    self.env._(
                        "Describe why forklift %s comes back before submitting.",
                        vehicle_return.unit_id.name,
                    )
                )
            if vehicle_return.dealer_id:
                # the office director governing the dealer signs first
                vehicle_return.dealer_id._check_forklift_office_director()
        self._write_flow({"state": "signing"})
        self.invalidate_recordset(["need_validation", "review_ids"])
        # refused when the company of a registration defines no signature
        self.request_validation()
        for vehicle_return in self:
            vehicle_return._ask_next_signature()

    def action_sign_office(self):
        self._sign("office")

    def action_sign_director(self):
        self._sign("director")

    def action_sign_sales_vp(self):
        self._sign("sales_vp")

    def _get_signature_group_xmlid(self, step):
        """Group that signs a step of the registration (000 §4.4.1). The sales
        vice president is the domestic one, as the text says for both markets;
        the export addon gives export returns to the export vice president
        (REQUIREMENTS A-08). The tier definitions name the same groups."""
        self.ensure_one()
        return {
            "office": "forklift_aftersales.group_forklift_office_director",
            "director": "forklift_aftersales.group_forklift_director",
            "sales_vp": "forklift_aftersales.group_forklift_sales_vp_domestic",
        }[step]

    def _get_missing_signatures(self):
        self.ensure_one()
        return [step for step in SIGNATURE_STEPS if not self[f"{step}_signed_by_id"]]

    def _get_signer_labels(self):
        return {
            "office": self.env._("office director"),
            "director": self.env._("service center director"),
            "sales_vp": self.env._("sales vice president"),
        }

    def _sign(self, step):
        labels = self._get_signer_labels()
        for vehicle_return in self:
            group = vehicle_return._get_signature_group_xmlid(step)
            if not self.env.user.has_group(group):
                raise AccessError(
                    self.env._(
                        "Only the %(signer)s signs this registration (%(name)s).",
                        signer=labels[step],
                        name=vehicle_return.name,
                    )
                )
            vehicle_return._check_state(
                ("signing",), self.env._("%s is not waiting for signatures.")
            )
            missing = vehicle_return._get_missing_signatures()
            if step not in missing:
                raise UserError(
                    self.env._("%s already has this signature.", vehicle_return.name)
                )
            if missing[0] != step:
                raise UserError(
                    self.env._(
                        "The %(signer)s signs %(name)s first.",
                        signer=labels[missing[0]],
                        name=vehicle_return.name,
                    )
                )
            # the submitter never signs, nor one person two steps
            vehicle_return._check_tier_separation()
            review = vehicle_return._get_step_review(step)
            if not review or self.env.user not in review.reviewer_ids:
                raise AccessError(
                    self.env._(
                        "Only the %(signer)s signs this registration (%(name)s).",
                        signer=labels[step],
                        name=vehicle_return.name,
                    )
                )
            vehicle_return.validate_tier()

    def _get_step_signers(self, step):
        """Who may sign ``step``: every user of its group, through a group
        implying it too; the office step, the office director governing the
        dealer alone (``_filter_forklift_reviewers``)."""
        self.ensure_one()
        group = self.env.ref(self._get_signature_group_xmlid(step))
        signers = company_members(group, self.company_id)
        if step == "office" and self.dealer_id:
            signers &= self.dealer_id._get_forklift_office_director()
        return signers

    def _filter_forklift_reviewers(self, review, reviewers):
        """The office signature is the director's of the office governing
        the forklift's dealer (000 §4.4.1, R-205); a return whose dealer has
        none is not submitted (``action_submit``). A forklift sold without a
        dealer has no governing office: any office director signs it."""
        reviewers = super()._filter_forklift_reviewers(review, reviewers)
        return self._filter_forklift_office_reviewers(review, reviewers, self.dealer_id)

    def _ask_next_signature(self):
        """One to-do for each member of the group that signs next."""
        labels = self._get_signer_labels()
        for vehicle_return in self:
            step = vehicle_return._get_missing_signatures()[0]
            vehicle_return._schedule_todos(
                vehicle_return._get_step_signers(step),
                self.env._(
                    "Sign vehicle return %(name)s as %(signer)s",
                    name=vehicle_return.name,
                    signer=labels[step],
                ),
            )

    def _hand_to_qa(self):
        """All three signed: the registration goes to QA (000 §4.4.1)."""
        now = fields.Datetime.now()
        # need_validation has no dependencies: computed before the reviews
        # existed, its cached value is stale
        self.invalidate_recordset(["need_validation", "review_ids"])
        for vehicle_return in self:
            vehicle_return._write_flow({"state": "qa", "handed_to_qa_date": now})
            recipients = vehicle_return._get_handover_recipients()
            vehicle_return.message_subscribe(partner_ids=recipients.ids)
            vehicle_return.message_post(
                body=self.env._(
                    "Registration signed by the office director, the service center "
                    "director and the sales vice president; handed to QA for the "
                    "inspection of forklift %s.",
                    vehicle_return.unit_id.name,
                ),
                partner_ids=recipients.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def _get_handover_recipients(self):
        """Partners told that a signed registration reached QA."""
        self.ensure_one()
        return self.env["res.partner"]._get_forklift_group_partners(
            "forklift_aftersales.group_forklift_qa", companies=self.company_id
        )

    # Actions: receipt, inspection, rework, re-inspection

    def action_receive(self):
        """The forklift is back: receive its serial number into the
        returned-vehicles location on a validated receipt (R-238), once the
        three signatures approved its return (R-237): received before, it
        would stand in stock on a return a signer may still refuse, which
        then could neither be cancelled nor go on to QA."""
        # a step of the document is taken by who may edit it, not a reader
        self.check_access("write")
        for vehicle_return in self:
            vehicle_return._check_state(
                ("qa",),
                self.env._(
                    "Registration %s is not signed: the forklift is received "
                    "once the office director, the service center director "
                    "and the sales vice president signed it."
                ),
            )
            if vehicle_return.picking_id:
                raise UserError(
                    self.env._("%s is already received.", vehicle_return.name)
                )
            destination = self.env.ref(
                "forklift_aftersales.stock_location_returned_vehicles"
            )
            if vehicle_return._get_lot_quantity(destination.warehouse_id.lot_stock_id):
                raise UserError(
                    self.env._(
                        "Forklift %s is already in the company's stock.",
                        vehicle_return.unit_id.name,
                    )
                )
            picking = vehicle_return._create_transfer(
                self.env.ref("stock.stock_location_customers"),
                destination,
                "in_type_id",
            )
            vehicle_return._write_flow(
                {"picking_id": picking.id, "received_date": fields.Datetime.now()}
            )

    def action_inspect(self):
        """QA fills the inspection sheet (退车检查表, 000 §4.4.2)."""
        self._check_qa()
        for vehicle_return in self:
            vehicle_return._check_state(
                ("qa",), self.env._("%s is not waiting for QA's inspection.")
            )
            if not vehicle_return.picking_id:
                raise UserError(
                    self.env._(
                        "Receive forklift %s before inspecting it.",
                        vehicle_return.unit_id.name,
                    )
                )
            if not vehicle_return.check_line_ids:
                raise UserError(
                    self.env._("Record the items checked on %s.", vehicle_return.name)
                )
            if not vehicle_return.inspection_result:
                raise UserError(
                    self.env._("Write the findings of the inspection first.")
                )
            if vehicle_return.needs_experts and not vehicle_return.expert_ids:
                raise UserError(
                    self.env._(
                        "A hard problem is inspected with R&D and the service "
                        "center: add who joins the inspection."
                    )
                )
        self._write_flow(
            {
                "state": "inspected",
                "inspected_by_id": self.env.uid,
                "inspected_date": fields.Datetime.now(),
            }
        )

    def action_invite_experts(self):
        """Ask R&D and service center staff to join the inspection."""
        self._check_qa()
        self._check_tier_state(
            ["qa"], self.env._("%s is not waiting for QA's inspection.")
        )
        for vehicle_return in self:
            if not vehicle_return.expert_ids:
                raise UserError(self.env._("Choose who joins the inspection."))
            vehicle_return._schedule_todos(
                vehicle_return.expert_ids,
                self.env._(
                    "Join the inspection of returned forklift %s",
                    vehicle_return.unit_id.name,
                ),
            )
            vehicle_return.needs_experts = True

    def action_start_rework(self):
        """Hand the rework to production planning, manufacturing and purchasing
        (000 §4.4.3): each task becomes a to-do of its assignee."""
        self._check_qa()
        for vehicle_return in self:
            vehicle_return._check_state(
                ("inspected",), self.env._("Inspect %s before the rework.")
            )
            tasks = vehicle_return.task_ids.filtered(lambda t: t.state == "todo")
            if not tasks:
                raise UserError(
                    self.env._(
                        "Add the rework tasks for production planning, manufacturing "
                        "or purchasing."
                    )
                )
            tasks._schedule_activity()
        self._write_flow({"state": "rework"})

    def _on_task_done(self):
        for vehicle_return in self.filtered(lambda r: r.state == "rework"):
            if all(t.state == "done" for t in vehicle_return.task_ids):
                vehicle_return._write_flow({"state": "reinspection"})
                vehicle_return.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._(
                        "Re-inspect reworked forklift %s", vehicle_return.unit_id.name
                    ),
                    user_id=(vehicle_return.inspected_by_id or self.env.user).id,
                )

    def action_reinspect_pass(self):
        """The reworked forklift passes QA's re-inspection (000 §4.4.3): it
        moves to the finished-goods stock and the return is closed."""
        self._check_reinspection()
        returned = self.env.ref("forklift_aftersales.stock_location_returned_vehicles")
        for vehicle_return in self:
            picking = vehicle_return._create_transfer(
                returned, returned.warehouse_id.lot_stock_id, "int_type_id"
            )
            vehicle_return._write_flow(
                {
                    "state": "done",
                    "reinspection_result": "pass",
                    "reinspected_by_id": self.env.uid,
                    "reinspected_date": fields.Datetime.now(),
                    "release_picking_id": picking.id,
                }
            )

    def action_reinspect_fail(self):
        """Not good enough yet: back to QA to plan more rework."""
        self._check_reinspection()
        for vehicle_return in self:
            if not vehicle_return.reinspection_note:
                raise UserError(self.env._("Write what the re-inspection found wrong."))
        self._write_flow(
            {
                "state": "inspected",
                "reinspection_result": "fail",
                "reinspected_by_id": self.env.uid,
                "reinspected_date": fields.Datetime.now(),
            }
        )

    def action_cancel(self):
        self._check_registrar()
        self._check_tier_state(
            ["draft", "signing", "qa"],
            self.env._("%s is closed or cancelled already: it cannot be cancelled."),
        )
        for vehicle_return in self:
            if vehicle_return.picking_id:
                raise UserError(
                    self.env._(
                        "Forklift %s is already back in stock: finish the return.",
                        vehicle_return.unit_id.name,
                    )
                )
        self._write_flow({"state": "cancel"})

    def action_reset_to_draft(self):
        self._check_registrar()
        self._check_state(
            ("cancel",), self.env._("Only a cancelled registration can be reopened.")
        )
        self._write_flow(
            {
                "state": "draft",
                "office_signed_by_id": False,
                "office_signed_date": False,
                "director_signed_by_id": False,
                "director_signed_date": False,
                "sales_vp_signed_by_id": False,
                "sales_vp_signed_date": False,
            }
        )

    def action_view_tasks(self):
        return related_action(
            self, "forklift_aftersales.forklift_vehicle_return_task_action", "return_id"
        )

    # Business methods

    def _check_registrar(self):
        """The service center, which registers a return, cancels or reopens
        it; QA, who may edit the inspection of a return, does not."""
        self.check_access("write")
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise AccessError(
                self.env._(
                    "Only the service center cancels or reopens a whole-vehicle "
                    "return registration."
                )
            )

    def _check_qa(self):
        if not self.env.user.has_group("forklift_aftersales.group_forklift_qa"):
            raise AccessError(
                self.env._("Only QA inspects returned forklifts and plans the rework.")
            )

    def _check_reinspection(self):
        self._check_qa()
        self._check_state(
            ("reinspection",), self.env._("%s is not waiting for the re-inspection.")
        )

    def _get_lot_quantity(self, location):
        """Quantity of this forklift's serial number under a location."""
        self.ensure_one()
        # sudo: after-sales users read stock levels without stock rights
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "=", self.lot_id.id),
                    ("location_id", "child_of", location.id),
                ]
            )
        )
        return sum(quants.mapped("quantity"))

    def _create_transfer(self, source, destination, picking_type_field):
        """A validated transfer of the forklift's serial number."""
        self.ensure_one()
        warehouse = destination.warehouse_id or source.warehouse_id
        # sudo: service center and QA users have no stock rights; the transfer
        # moves only this return's serial number, at a step the flow allows
        Picking = self.env["stock.picking"].sudo()
        picking = Picking.create(
            Picking._prepare_forklift_transfer_vals(
                warehouse[picking_type_field],
                self.partner_id,
                source,
                destination,
                self.name,
                [(self.product_id, 1.0)],
            )
        )
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        move.move_line_ids = [
            fields.Command.create(
                {
                    "picking_id": picking.id,
                    "product_id": self.product_id.id,
                    "product_uom_id": self.product_id.uom_id.id,
                    "lot_id": self.lot_id.id,
                    "quantity": 1.0,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                }
            )
        ]
        move.picked = True
        picking.button_validate()
        return picking

    @api.model
    def _get_overdue_reminders(self):
        """A returned forklift not inspected in time: its company's QA is
        reminded (late rework tasks are reminded on their return)."""
        qa = self.env.ref("forklift_aftersales.group_forklift_qa")
        return [
            *super()._get_overdue_reminders(),
            Reminder(
                self._get_inspection_overdue_domain(),
                self.env._("Returned forklift not inspected in time"),
                lambda vehicle_return: (
                    company_members(qa, vehicle_return.company_id)[:1]
                    or vehicle_return.user_id
                ),
            ),
        ]


class ForkliftVehicleReturnCheck(models.Model):
    """One item of the returned-vehicle inspection sheet (退车检查表)."""

    _name = "forklift.vehicle.return.check"
    _description = "Returned Forklift Inspection Item"
    _inherit = ["forklift.document.line.mixin"]
    _order = "return_id, sequence, id"
    # QA fills the inspection sheet while the forklift is in its hands
    # (000 §4.4.2): before, nothing is inspected; once QA signed it
    # (action_inspect), the sheet is the record of what was found
    _line_document_field = "return_id"
    _line_open_states = ("qa",)

    return_id = fields.Many2one(
        "forklift.vehicle.return", required=True, ondelete="cascade", index=True
    )
    company_id = document_company("return_id", precompute=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item Checked", required=True)
    result = fields.Selection(
        [("ok", "Conforms"), ("nok", "Nonconforming"), ("na", "Not applicable")],
        required=True,
        default="ok",
    )
    finding = fields.Char()

    def _check_document_open(self, documents):
        """Only QA, while it inspects, records the items checked."""
        if not self._is_flow_write():
            documents._check_qa_inspection()
        return super()._check_document_open(documents)

    def _get_line_closed_message(self):
        return self.env._(
            "The inspection sheet of %s is filled while QA inspects the forklift only."
        )

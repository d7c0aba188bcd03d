from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

# Fields of the after-sales documents that portal users do not read over RPC.
# A dealer or a customer reads its feedback sheets and service orders (R-055,
# R-063), but only what the portal pages show it: the service center's
# diagnosis, the responsibility and verdict, the deadlines it is measured
# against, the costs, the paid-service terms and the links to internal
# documents stay with the staff. Re-declaring a field here only adds its
# groups; the portal pages read the records with sudo and are unaffected.
INTERNAL = "base.group_user"


def check_searched_fields(model, domain=(), groupby=(), aggregates=(), order=None):
    """Refuse to search ``model`` by ``domain``, to group it by ``groupby``
    and ``aggregates``, or to sort it by ``order``, when they name a field of
    it that is not stored and that the user may not read. Odoo checks a
    stored field as it turns it into SQL; a field computed with a search
    method is replaced by the domain its method returns, which need not name
    it, and a related field or one without a search method fails with a
    server error instead of the access error. A field the user reads but
    Odoo cannot group or sort by (computed when read) is refused in a
    sentence, not a server error."""
    if model.env.su:
        return
    names = [condition.field_expr for condition in Domain(domain).iter_conditions()]
    specs = [spec.split(":")[0] for spec in (*groupby, *aggregates)]
    sorts = [term.split()[0] for term in (order or "").split(",") if term.strip()]
    for name in names + specs + sorts:
        field = model._fields.get(name.split(".")[0])
        if field is None or field.store:
            continue
        model._check_field_access(field, "read")
        if name in sorts and not field._description_sortable(model.env):
            raise UserError(
                model.env._(
                    "You cannot sort the records by “%(field)s”: it is not stored.",
                    field=field._description_string(model.env),
                )
            )
        if name in specs and not field._description_groupable(model.env):
            raise UserError(
                model.env._(
                    "You cannot group or total the records by “%(field)s”: it "
                    "is computed when they are read, not stored.",
                    field=field._description_string(model.env),
                )
            )


class ForkliftPortalDocument(models.AbstractModel):
    """The staff's reminders on a document a portal user reads: he neither
    reads them nor finds his documents by them (searching or grouping), nor
    by any internal field that is not stored (R-055, R-056, R-063)."""

    _name = "forklift.portal.document"
    _description = "After-Sales Document Read on the Portal"
    _inherit = ["mail.activity.mixin"]

    # Odoo leaves these three of mail.activity.mixin readable (the others are
    # internal already)
    activity_type_icon = fields.Char(groups=INTERNAL)
    activity_exception_decoration = fields.Selection(groups=INTERNAL)
    activity_exception_icon = fields.Char(groups=INTERNAL)

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        """Refuse a view whose root is restricted to groups the user is not
        in: the staff's forms of the feedback sheet, the old-part return and
        the quality claim (``groups="base.group_user"`` on their ``<form>``).
        Odoo removes a restricted node from its parent and has no answer for
        the root: a dealer or a supplier asking for such a form over RPC got a
        server error. He has no use for it, his documents are on his portal
        pages (R-055, R-056). Internal users are in the group these forms are
        restricted to: Odoo serves them from its cache without this check."""
        if not self.env.user._is_internal():
            arch, _view = self._get_view(view_id, view_type, **options)
            groups = arch.get("groups")
            if groups and not self.env.user.has_groups(groups):
                raise AccessError(
                    self.env._(
                        "Only internal users can open this view: you find "
                        "your documents on your portal."
                    )
                )
        return super().get_view(view_id, view_type, **options)

    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        check_searched_fields(self, domain, order=order)
        return super()._search(domain, offset, limit, order, **kwargs)

    def _field_to_sql(self, alias, field_expr, query=None):
        # Odoo turns a related field that is not stored into SQL along its
        # path as superuser, without checking that the user reads it: a
        # dealer sorted his orders, or grouped their parts
        # (``order_id.dispatch_deadline``), by the service center's deadline
        field = self._fields.get(field_expr.split(".")[0])
        if field is not None and field.related and not field.store:
            self._check_field_access(field, "read")
        return super()._field_to_sql(alias, field_expr, query)

    def _search_activity_state(self, operator, value):
        # Odoo's search reads the activities in raw SQL: a dealer would find
        # the records with a reminder of the staff, also through a path
        # (``feedback_id.activity_state``) that ``_search`` does not see
        self._check_field_access(self._fields["activity_state"], "read")
        return super()._search_activity_state(operator, value)

    def _read_group(self, domain, groupby=(), aggregates=(), *args, **kwargs):
        check_searched_fields(self, (), groupby, aggregates)
        return super()._read_group(domain, groupby, aggregates, *args, **kwargs)

    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        # the web client's grouping by several sets does not go through
        # _read_group
        groupby = [spec for grouping_set in grouping_sets for spec in grouping_set]
        check_searched_fields(self, (), groupby, aggregates)
        return super()._read_grouping_sets(domain, grouping_sets, aggregates, order)


class ForkliftFeedback(models.Model):
    _name = "forklift.feedback"
    # before mail.activity.mixin: its search of the activity state is guarded
    _inherit = ["forklift.portal.document", "forklift.feedback"]  # pylint: disable=consider-merging-classes-inherited

    region = fields.Selection(groups=INTERNAL)
    reading_id = fields.Many2one(groups=INTERNAL)
    fault_category_id = fields.Many2one(groups=INTERNAL)
    major_notified_date = fields.Datetime(groups=INTERNAL)
    verification = fields.Html(groups=INTERNAL)
    verified_date = fields.Datetime(groups=INTERNAL)
    verified_by_id = fields.Many2one(groups=INTERNAL)
    responsibility = fields.Selection(groups=INTERNAL)
    warranty_verdict = fields.Selection(groups=INTERNAL)
    route = fields.Selection(groups=INTERNAL)
    parts_request_ids = fields.One2many(groups=INTERNAL)
    parts_request_count = fields.Integer(groups=INTERNAL)
    dispatch_deadline = fields.Datetime(groups=INTERNAL)
    sla_policy_id = fields.Many2one(groups=INTERNAL)
    answer_deadline = fields.Datetime(groups=INTERNAL)
    onsite_deadline = fields.Datetime(groups=INTERNAL)
    answered_date = fields.Datetime(groups=INTERNAL)
    labour_hours = fields.Float(groups=INTERNAL)
    payment_mode = fields.Selection(groups=INTERNAL)
    deferral_approved_by_id = fields.Many2one(groups=INTERNAL)
    collector_id = fields.Many2one(groups=INTERNAL)
    sale_order_id = fields.Many2one(groups=INTERNAL)
    quote_ids = fields.One2many(groups=INTERNAL)
    quote_count = fields.Integer(groups=INTERNAL)
    invoice_ids = fields.Many2many(groups=INTERNAL)
    collection_due_date = fields.Date(groups=INTERNAL)
    amount_to_collect = fields.Monetary(groups=INTERNAL)
    is_collection_overdue = fields.Boolean(groups=INTERNAL)
    reported_date = fields.Datetime(groups=INTERNAL)
    abnormal_issue_ids = fields.One2many(groups=INTERNAL)
    abnormal_issue_count = fields.Integer(groups=INTERNAL)
    followup_call_ids = fields.One2many(groups=INTERNAL)
    survey_ids = fields.One2many(groups=INTERNAL)
    satisfaction_rating = fields.Selection(groups=INTERNAL)
    local_purchase_ids = fields.One2many(groups=INTERNAL)
    parts_replaced_qty = fields.Float(groups=INTERNAL)
    onsite_hours = fields.Float(groups=INTERNAL)
    supplier_id = fields.Many2one(groups=INTERNAL)
    parts_cost = fields.Monetary(groups=INTERNAL)
    freight_cost = fields.Monetary(groups=INTERNAL)
    local_purchase_cost = fields.Monetary(groups=INTERNAL)
    # a question to R&D is the service center's (000 §3.4, R-074)
    technical_question_ids = fields.One2many(groups=INTERNAL)
    technical_question_open_count = fields.Integer(groups=INTERNAL)


class ForkliftServiceOrder(models.Model):
    _name = "forklift.service.order"
    _inherit = ["forklift.portal.document", "forklift.service.order"]

    supervisor_id = fields.Many2one(groups=INTERNAL)
    registered_date = fields.Datetime(groups=INTERNAL)
    registered_by_id = fields.Many2one(groups=INTERNAL)
    qa_copy_date = fields.Datetime(groups=INTERNAL)
    # the technician's report of a major problem to the director and the
    # director's review of it (000 §4.2.2.4), the escalation and the old-part
    # receipt are the service center's; the printed sheet shows who reviewed
    # it and when, not what was said
    major_problem = fields.Text(groups=INTERNAL)
    major_problem_reported_date = fields.Datetime(groups=INTERNAL)
    needs_director_review = fields.Boolean(groups=INTERNAL)
    director_review_note = fields.Text(groups=INTERNAL)
    escalation_reason = fields.Text(groups=INTERNAL)
    escalation_level = fields.Selection(groups=INTERNAL)
    escalated_date = fields.Datetime(groups=INTERNAL)
    escalated_by_id = fields.Many2one(groups=INTERNAL)
    oldpart_picking_id = fields.Many2one(groups=INTERNAL)


class ForkliftServiceOrderPart(models.Model):
    _inherit = "forklift.service.order.part"

    note = fields.Char(groups=INTERNAL)
    supplier_id = fields.Many2one(groups=INTERNAL)


class ForkliftOldpartReturn(models.Model):
    _name = "forklift.oldpart.return"
    _inherit = ["forklift.portal.document", "forklift.oldpart.return"]

    # a dealer reads its old-part returns as its portal page shows
    # them: the parts, the due date, the shipment, the receipt and the verdict
    request_id = fields.Many2one(groups=INTERNAL)
    technician_id = fields.Many2one(groups=INTERNAL)
    picking_id = fields.Many2one(groups=INTERNAL)
    sc_inspected_by_id = fields.Many2one(groups=INTERNAL)
    qa_inspected_by_id = fields.Many2one(groups=INTERNAL)
    sale_order_id = fields.Many2one(groups=INTERNAL)
    invoice_id = fields.Many2one(groups=INTERNAL)
    invoice_ids = fields.Many2many(groups=INTERNAL)
    not_returned_reason = fields.Text(groups=INTERNAL)
    charged_amount = fields.Monetary(groups=INTERNAL)
    charged_user_id = fields.Many2one(groups=INTERNAL)
    cost_bearer = fields.Selection(groups=INTERNAL)
    committee_review_ids = fields.One2many(groups=INTERNAL)
    received_by_id = fields.Many2one(groups=INTERNAL)


class ForkliftOldpartReturnLine(models.Model):
    _inherit = "forklift.oldpart.return.line"

    unit_cost = fields.Float(groups=INTERNAL)

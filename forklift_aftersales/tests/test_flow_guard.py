import base64
from datetime import date, datetime, timedelta
from functools import partial

import psycopg2
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.forklift_aftersales.models.forklift_flow_mixin import (
    FLOW_CONTEXT_KEY,
)
from odoo.addons.forklift_aftersales.models.tier_review import TIER_CONTEXT_KEY
from odoo.addons.forklift_aftersales.tools import value_differs

from .common import SIGNATURE, ShippedPartsCommon, stored_values

# Models whose records follow no procedure: settings, and the statistics,
# which are SQL views nobody writes. Every other after-sales model declares
# its flow fields; a model added without them fails test_every_model_declares.
NO_FLOW = {
    "forklift.fault.category": "setting",
    "forklift.sla.policy": "setting",
    "forklift.training.topic": "setting",
    "forklift.report.recipient": "setting",
    "forklift.committee.seat": "setting",
    "forklift.duty.assignment": "setting",
    "forklift.document.code": "setting",
    # kept by the director, like the public holidays
    # (TestWorkingDays.test_only_the_director_changes_holidays_and_make_up_days)
    "forklift.makeup.workday": "setting",
    # master data: its warranty terms change by the director only, tracked
    # (TestFlowOrder.test_staff_cannot_change_the_warranty_terms)
    "forklift.unit": "master data",
    # what ships with a forklift: lines of its master data
    "forklift.unit.ship.item": "master data of the forklift",
    "forklift.feedback.analysis": "statistics (SQL view)",
    "forklift.part.analysis": "statistics (SQL view)",
    "forklift.supplier.statistics": "statistics (SQL view)",
}


# Models whose records only their own flow can make (a letter needs a
# supplier's service order waiting for dispatch...): the generic walk cannot
# make one from required fields; the named test walks their flow fields.
COVERED_BY_THEIR_FLOW = {
    "forklift.supplier.letter": "TestFlowSupplierLetter",
    "forklift.vehicle.return.task": "TestFlowLifecycle."
    "test_rework_tasks_and_inspection_items_follow_the_return",
}


# Lines of a model without the flow's guard whose own form moves them to
# another document while both are open: {model: the fields naming it}.
MOVABLE_LINES = {
    # a response time of a service commitment letter, while the letters it
    # leaves and joins are drafts
    # (TestServiceCommitment.test_signed_response_times_do_not_change)
    "forklift.sla.policy": ("commitment_id",),
}


# The addons of the after-sales project: the Odoo models they extend with
# stored fields are copied too (a picking of a request, a sheet's quote...).
OUR_ADDONS = {
    "forklift_aftersales",
    "forklift_aftersales_supplier",
    "forklift_aftersales_export",
    "forklift_aftersales_supplier_export",
}


# The public methods of the after-sales models that are no step of a flow:
# the ORM's own (create, write... guarded by the flow mixin), the chatter's
# (guarded by mail.thread's overrides, TestMessageGuard, TestActivityGuard)
# and the import templates.
NOT_STEPS = {
    "create": "ORM",
    "write": "ORM",
    "unlink": "ORM",
    "copy": "ORM",
    "copy_data": "ORM",
    "default_get": "ORM",
    "onchange": "ORM",
    "init": "ORM",
    "get_view": "ORM",
    "get_import_templates": "the import screen's templates",
    "message_post": "chatter, TestMessageGuard",
    "message_notify": "chatter, TestMessageGuard",
    "message_new": "mail gateway, TestFlowSheet",
    "activity_search": "chatter, TestActivityGuard",
    "activity_reschedule": "chatter, TestActivityGuard",
    # Odoo's own on other models; private on after-sales documents
    # (mail_activity_mixin.py)
    "activity_schedule": "chatter, TestActivityGuard",
    "activity_feedback": "chatter, TestActivityGuard",
    "activity_unlink": "chatter, TestActivityGuard",
}


def our_public_methods(env, model):
    """The methods of ``model`` that the after-sales addons define or
    override and that RPC calls: not private, nor marked ``@api.private`` in
    any class of the model (Odoo refuses those remotely)."""
    cls = type(env[model])
    names = {
        name
        for klass in cls.mro()
        if getattr(klass, "_module", None) in OUR_ADDONS
        for name, value in vars(klass).items()
        if not name.startswith("_") and callable(value)
    }
    return sorted(
        name
        for name in names
        if not any(
            getattr(getattr(klass, name, None), "_api_private", False)
            for klass in cls.mro()
        )
    )


class UnbuildableFixture(Exception):
    pass


@tagged("post_install", "-at_install")
class TestFlowGuard(ShippedPartsCommon):
    """R-005, R-206 (000 §4.2, §4.3.1.2, §4.4): the steps of the procedure are
    taken by their own actions only. For every after-sales model and every
    field its flow sets, the lowest group that may write the model tries to
    create and to write the field directly, as RPC, ``/json/2`` and an import
    would: refused, and nothing changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls._shipped_request()
        cls.case = cls.request.feedback_id
        # a forklift delivered, not yet accepted: its commissioning, planned
        # at once, is the one the tests find (an accepted forklift is not
        # commissioned again)
        cls._create_unit("SN-GUARD-0001", delivery=date(2026, 3, 2))

    # Helpers

    def _flow_models(self):
        names = sorted(
            model.model
            for model in self.env["ir.model"].search([("model", "=like", "forklift.%")])
            if not self.env[model.model]._abstract
            and not self.env[model.model]._transient
            and self.env[model.model]._auto
        )
        return [name for name in names if name not in NO_FLOW]

    def _lowest_writer(self, model, record, required=True):
        """A user of the least privileged group that may write ``model`` and
        read ``record`` (the export division, say, reads export sheets only);
        unless ``required``, None when there is none."""
        access = self.env["ir.model.access"].search(
            [("model_id.model", "=", model), ("perm_write", "=", True)]
        )
        groups = access.group_id.filtered(lambda g: not g.share).sorted(
            lambda g: (len(g.all_implied_ids), g.id)
        )
        self.assertTrue(groups or not required, f"nobody writes {model}")
        for group in groups:
            login = f"flow_{group.id}"
            user = self.env["res.users"].search([("login", "=", login)])
            user = user or new_test_user(
                self.env, login=login, groups=group.get_external_id()[group.id]
            )
            if record.with_user(user).has_access("read"):
                return user
        if required:
            self.fail(f"no group that writes {model} reads {record}")
        return None

    def _fixture(self, model):
        """A record of ``model``: the shipped request's own records first,
        else one made from its required fields by the server."""
        if model in self.fixtures:
            return self.fixtures[model]
        record = self.env[model].search([], limit=1, order="id desc")
        # the first of this month suits monthly reports, a later date suits
        # due dates that follow a submission made today
        today = date.today()
        for day in (today.replace(day=1), today.replace(day=28) + timedelta(days=4)):
            if record:
                break
            known = dict(self.fixtures)
            try:
                with self.env.cr.savepoint():
                    record = self.env[model]._create_flow(
                        [self._required_vals(model, day)]
                    )
            except (UserError, UnbuildableFixture) as error:
                # records made in the rolled back attempt are gone
                self.fixtures = known
                if isinstance(error, UnbuildableFixture):
                    raise
                continue
        if not record:
            raise UnbuildableFixture(model)
        self.fixtures[model] = record
        return record

    def _required_vals(self, model, day):
        vals = {}
        for name, field in self.env[model]._fields.items():
            computed = field.compute and field.readonly
            if not field.required or not field.store or computed:
                continue
            if field.default or name == "company_id":
                continue
            if field.type == "many2one":
                if field.comodel_name.startswith("forklift."):
                    vals[name] = self._fixture(field.comodel_name).id
                elif name == "supplier_id" and field.comodel_name == "res.partner":
                    # a supplier is a company the company buys from
                    vals[name] = self._vendor().id
                else:
                    vals[name] = self.env[field.comodel_name].search([], limit=1).id
            elif field.type == "selection":
                vals[name] = field.get_values(self.env)[0]
            elif field.type in ("date", "datetime"):
                vals[name] = day
            elif field.type in ("integer", "float", "monetary"):
                vals[name] = 1
            else:
                vals[name] = "Flow guard fixture"
        return vals

    def _vendor(self):
        """A supplier company of the company (a vendor rank), for the models
        that name one."""
        return self.env["res.partner"].search(
            [("name", "=", "Flow guard vendor")], limit=1
        ) or self.env["res.partner"].create(
            {"name": "Flow guard vendor", "is_company": True, "supplier_rank": 1}
        )

    def _forged_value(self, record, name):
        """A value the flow did not set: another state, another record..."""
        field = record._fields[name]
        current = record.sudo()[name]
        if field.type == "selection":
            values = field.get_values(self.env)
            default = record._get_field_default(name)
            return next(v for v in reversed(values) if v not in (current, default))
        if field.type == "many2one":
            other = (
                self.env[field.comodel_name]
                .sudo()
                .search([("id", "not in", current.ids)], limit=1)
            )
            return other.id or 999999
        if field.type in ("one2many", "many2many"):
            return [Command.link(999999)]
        if field.type == "boolean":
            return not current
        if field.type == "date":
            return date(2001, 1, 1)
        if field.type == "datetime":
            return datetime(2001, 1, 1, 8, 0)
        if field.type in ("integer", "float", "monetary"):
            return 424242
        if field.type == "binary":
            return base64.b64encode(b"forged")
        return "forged"

    def _assert_create_refused(self, Model, vals, name, count):
        """Creating with a forged flow value is refused and creates nothing,
        or (a typed cost the server replaces by the product's) creates a
        record that does not keep the forged value."""
        try:
            with self.env.cr.savepoint():
                created = Model.create([dict(vals)])
        except UserError as refusal:
            self.assertNotIsInstance(refusal, ValidationError)
            self.assertEqual(Model.sudo().search_count([]), count)
            return
        self.assertNotIn(Model._fields[name].type, ("one2many", "many2many"))
        self.assertTrue(
            value_differs(created, name, vals[name]),
            f"{Model._name}.{name} kept the value the client typed",
        )

    # Tests

    def test_every_model_declares_its_flow(self):
        """A model added without declaring its flow fields fails here."""
        undeclared = [
            model
            for model in self._flow_models()
            if not isinstance(self.env[model], self.registry["forklift.flow.mixin"])
            or not self.env[model]._get_flow_fields()
        ]
        self.assertFalse(
            undeclared,
            "after-sales models without flow fields (declare them, or list the "
            "model in NO_FLOW with the reason): " + ", ".join(undeclared),
        )

    def test_no_flow_field_by_create_or_write(self):
        """R-005, R-206: create and write refuse every flow field of every
        model from the lowest group that writes the model; nothing changed."""
        checked = 0
        unbuildable = []
        self.fixtures = {}
        for model in self._flow_models():
            Model = self.env[model]
            if not hasattr(Model, "_get_flow_fields"):
                continue
            try:
                record = self._fixture(model)
            except UnbuildableFixture:
                unbuildable.append(model)
                continue
            user = self._lowest_writer(model, record)
            base_vals = record.copy_data()[0]
            for name in sorted(Model._get_flow_fields()):
                with self.subTest(model=model, field=name):
                    value = self._forged_value(record, name)
                    before = record.sudo()[name]
                    count = Model.sudo().search_count([])
                    with self.assertRaises(UserError) as refusal:
                        with self.env.cr.savepoint():
                            record.with_user(user).write({name: value})
                    self.assertNotIsInstance(refusal.exception, ValidationError)
                    record.invalidate_recordset()
                    self.assertEqual(record.sudo()[name], before)
                    self._assert_create_refused(
                        Model.with_user(user), {**base_vals, name: value}, name, count
                    )
                    checked += 1
        self.assertGreater(checked, 100, "flow fields walked")
        self.assertFalse(
            set(unbuildable) - set(COVERED_BY_THEIR_FLOW),
            "no record could be made for these models: give the test a way to "
            "make one, or name the test of their flow in COVERED_BY_THEIR_FLOW",
        )

    def _form_nodes(self, model, user, tag="field"):
        """The ``tag`` nodes (fields, or buttons calling a method) of
        ``model``'s form as ``user`` gets it, outside its lists and
        sub-forms: {name: [(readonly, hidden)]}, a node hidden when it or a
        page or group around it is."""
        arch = etree.fromstring(
            self.env[model].with_user(user).get_view(view_type="form")["arch"]
        )
        nodes = {}
        for node in arch.iter(tag):
            if tag == "button" and node.get("type") != "object":
                continue
            if any(
                parent.tag in ("list", "kanban", "form")
                for parent in node.iterancestors()
                if parent is not arch
            ):
                continue
            hidden = [
                f"({element.get('invisible')})"
                for element in (node, *node.iterancestors())
                if element.get("invisible")
            ]
            nodes.setdefault(node.get("name"), []).append(
                (node.get("readonly") or "", " or ".join(hidden))
            )
        return nodes

    def _in_each_state(self, record):
        """Each state of ``record``'s model (None for a model without one),
        the record set to it directly while the caller walks it, and put back
        after."""
        Model = self.env[record._name]
        state_field = Model._fields.get("state")
        states = (
            [value for value, __ in state_field._description_selection(self.env)]
            if state_field and state_field.store
            else [None]
        )
        for state in states:
            self.env.flush_all()
            with self.env.cr.savepoint(flush=False) as outer:
                if state:
                    self.env.cr.execute(
                        SQL(
                            "UPDATE %s SET state = %s WHERE id = %s",
                            SQL.identifier(Model._table),
                            state,
                            record.id,
                        )
                    )
                    self.env.invalidate_all()
                yield state
                self.env.flush_all()
                outer.rollback()
            self.env.invalidate_all(flush=False)

    def _hidden_in_this_state(self, record, hidden, state):
        """Whether the expression ``hidden`` hides a node now, in ``state``,
        and shows it in another."""
        return bool(
            state
            and self._evaluate(record, hidden) is True
            and self._evaluate(record, hidden, state=None) is False
        )

    def _not_editable(self, record, occurrences, state):
        """Whether the form does not let a node be edited now, in ``state``:
        each of its ``occurrences`` (readonly, invisible expressions) is
        read-only and shown, or hidden in this state (and shown in
        another)."""
        return all(
            (
                self._evaluate(record, readonly) is True
                and self._evaluate(record, hidden) is False
            )
            or self._hidden_in_this_state(record, hidden, state)
            for readonly, hidden in occurrences
        )

    def _assert_held_by_the_server(self, checked, least, walked, held, said):
        """More than ``least`` were ``checked`` (``walked`` says what), and
        none is held by the form only: ``held`` lists those the server let
        change, after ``said``."""
        self.assertGreater(checked, least, walked)
        self.assertFalse(held, said + ", ".join(held))

    def _walked_records(self):
        """(model, record, its lowest writer) of every after-sales model a
        record can be made of."""
        self.fixtures = {}
        for model in self._flow_models():
            try:
                record = self._fixture(model)
            except UnbuildableFixture:
                continue
            yield model, record, self._lowest_writer(model, record)

    def _evaluate(self, record, expression, user=None, **override):
        """A view's ``readonly`` or ``invisible`` expression on ``record``, as
        ``user`` would see it (``override`` replacing some of its values), or
        None when it reads what this walk cannot give (a parent)."""
        if not expression:
            return False
        values = {}
        for name, field in record._fields.items():
            if name in expression:
                # what the user's form shows (can_review is the user's), else
                # what the server holds
                seen = record.sudo()
                if user and not (field.groups and not user.has_groups(field.groups)):
                    seen = record.with_user(user)
                value = seen[name]
                if field.type == "many2one":
                    value = value.id
                elif field.type in ("one2many", "many2many"):
                    value = value.ids
                values[name] = value
        values.update(override)
        try:
            return bool(
                safe_eval(
                    expression,
                    {
                        **values,
                        "uid": (user or self.env.user).id,
                        "context": {},
                        "id": record.id,
                    },
                )
            )
        except (NameError, ValueError, TypeError):
            return None

    def _typed_value(self, record, name):
        """A value a user could type instead of the stored one, plausible
        enough not to break a constraint on dates or amounts."""
        field = record._fields[name]
        current = record.sudo()[name]
        if field.type == "date":
            return (current or date.today()) - timedelta(days=1)
        if field.type == "datetime":
            return (current or datetime.now()) - timedelta(hours=1)
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 1
        if field.type in ("char", "text", "html"):
            return f"{current or ''} typed"
        if field.type == "selection":
            values = [v for v in field.get_values(self.env) if v != current]
            return values[0] if values else None
        return self._forged_value(record, name)

    def test_form_read_only_holds_on_the_server(self):
        """R-005, R-206: what a form does not let a user edit in a state is
        refused by the server in that state too. For every after-sales model,
        in every state of its record (set directly), each field its form
        shows read-only, or hides in that state only, is written by the
        lowest group that writes the model, as RPC would: refused, and
        nothing changed."""
        checked = 0
        held_by_form_only = []
        for model, record, user in self._walked_records():
            Model = self.env[model]
            nodes = self._form_nodes(model, user)
            for state in self._in_each_state(record):
                for name, occurrences in nodes.items():
                    field = Model._fields.get(name)
                    if (
                        not field
                        or not field.store
                        or (field.compute and field.readonly)
                        or field.type in ("one2many", "many2many", "binary")
                        or name in Model._get_flow_fields()
                    ):
                        continue
                    editable = any(
                        self._evaluate(record, readonly) is False
                        and self._evaluate(record, hidden) is not True
                        for readonly, hidden in occurrences
                    )
                    if editable or not self._not_editable(record, occurrences, state):
                        continue
                    value = self._typed_value(record, name)
                    if value is None:
                        continue
                    before = record.sudo()[name]
                    refused = None
                    try:
                        with self.env.cr.savepoint() as attempt:
                            record.with_user(user).write({name: value})
                            self.env.flush_all()
                            # written: undone, to walk on from the same record
                            attempt.close(rollback=True)
                    except UserError as error:
                        refused = error
                    if not refused:
                        held_by_form_only.append(f"{model}.{name} ({state})")
                    record.invalidate_recordset()
                    self.assertEqual(record.sudo()[name], before)
                    checked += 1
        self._assert_held_by_the_server(
            checked,
            150,
            "read-only fields walked",
            held_by_form_only,
            "not editable in the form, written over RPC: ",
        )

    def _x2many_nodes(self, model, user):
        """The x2many nodes of ``model``'s form as ``user`` gets it, outside
        its lists and sub-forms: {name: ([(readonly, hidden)], [the names of
        the fields its list or sub-form shows])}."""
        arch = etree.fromstring(
            self.env[model].with_user(user).get_view(view_type="form")["arch"]
        )
        Model = self.env[model]
        nodes = {}
        for name, occurrences in self._form_nodes(model, user).items():
            field = Model._fields.get(name)
            if field and field.type in ("one2many", "many2many"):
                shown = [
                    node.get("name")
                    for node in arch.iterfind(f".//field[@name='{name}']//field")
                ]
                nodes[name] = (occurrences, shown)
        return nodes

    def _line_typed_vals(self, line, shown):
        """A change a user could type on ``line`` in each field of ``shown``
        (what the form's list shows) that a user edits."""
        Line = self.env[line._name]
        guarded = (
            Line._get_guarded_fields() | Line._get_fixed_fields()
            if isinstance(Line, self.registry["forklift.flow.mixin"])
            else set()
        )
        typed = ("char", "text", "integer", "float", "monetary", "date")
        for name in dict.fromkeys(shown):
            field = Line._fields.get(name)
            if (
                not field
                or not field.store
                or field.related
                or (field.compute and field.readonly)
                or name in guarded
                or field.type not in (*typed, "boolean", "selection")
            ):
                continue
            if field.type == "boolean":
                value = not line.sudo()[name]
            else:
                value = self._typed_value(line, name)
            if value is not None:
                yield {name: value}

    def _x2many_attempts(self, record, name, shown, user):
        """(what, how) for each change of the x2many ``name`` of ``record``
        a user could send: through the document's commands or on the lines
        themselves."""
        field = record._fields[name]
        lines = record.sudo()[name]
        document = record.with_user(user)
        if field.type == "many2many":
            if lines:
                yield (
                    "unlink",
                    lambda: document.write({name: [Command.unlink(lines[0].id)]}),
                )
            other = (
                self.env[field.comodel_name]
                .with_user(user)
                .search([("id", "not in", lines.ids)], limit=1)
            )
            if other:
                yield "link", lambda: document.write({name: [Command.link(other.id)]})
            return
        if not lines:
            return
        line = lines[0]
        yield "delete", lambda: document.write({name: [Command.delete(line.id)]})
        yield "line unlink", lambda: line.with_user(user).unlink()
        state = self.env[field.comodel_name]._fields.get("state")
        if state and state.store and not state.related:
            # a document of its own (a sheet's service orders, its technical
            # questions): its form's read-only fields are walked on its own
            # model, it is made by its own step (see
            # TestFlowSheet.test_no_new_service_order_once_the_service_is_done)
            return
        for vals in self._line_typed_vals(line, shown):
            yield (
                f"update {vals}",
                lambda vals=vals: document.write(
                    {name: [Command.update(line.id, vals)]}
                ),
            )
            yield (
                f"line write {vals}",
                lambda vals=vals: line.with_user(user).write(vals),
            )
        copied = line.sudo().copy_data()[0]
        copied.pop(field.inverse_name, None)
        yield "create", lambda: document.write({name: [Command.create(copied)]})
        yield (
            "line create",
            lambda: (
                self.env[line._name]
                .with_user(user)
                .create([{**copied, field.inverse_name: record.id}])
            ),
        )

    def _give_a_line(self, record, name):
        """A line in the one2many ``name`` of ``record``, made by the server
        from its required fields when the fixture has none (when it can)."""
        field = record._fields[name]
        if (
            field.type != "one2many"
            or not field.comodel_name.startswith("forklift.")
            or (field.compute and field.readonly)
            or record.sudo()[name]
        ):
            return
        Line = self.env[field.comodel_name]
        known = dict(self.fixtures)
        try:
            with self.env.cr.savepoint():
                vals = {
                    **self._required_vals(field.comodel_name, date.today()),
                    field.inverse_name: record.id,
                }
                if isinstance(Line, self.registry["forklift.flow.mixin"]):
                    Line._create_flow([vals])
                else:
                    Line.sudo().create([vals])
                self.env.flush_all()
        except (UserError, UnbuildableFixture):
            self.fixtures = known
        record.invalidate_recordset()

    def _lines_follow_the_state(self, record, names, state):
        """The lines of the one2many ``names`` of ``record`` that store their
        document's state (a related field), set to ``state`` as the document
        was, directly, by ``_in_each_state``."""
        for name in names:
            field = record._fields[name]
            if field.type != "one2many" or not state:
                continue
            line_state = self.env[field.comodel_name]._fields.get("state")
            if (
                line_state
                and line_state.store
                and line_state.related == f"{field.inverse_name}.state"
            ):
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET state = %s WHERE %s = %s",
                        SQL.identifier(self.env[field.comodel_name]._table),
                        state,
                        SQL.identifier(field.inverse_name),
                        record.id,
                    )
                )
        self.env.invalidate_all()

    def _lines_snapshot(self, record, name):
        """The lines of the x2many ``name`` of ``record``, and what a user
        would see change on those of a one2many."""
        record.invalidate_recordset()
        lines = record.sudo()[name]
        if record._fields[name].type == "many2many":
            return lines.ids
        return [stored_values(line) for line in lines]

    def test_form_read_only_lines_hold_on_the_server(self):
        """R-005, R-206: the lines a form shows read-only in a state (a
        signed order's parts, an approved request's lines, the old parts once
        inspected, a claim's lines after the committee) are refused by the
        server in that state too, whether the lowest group that writes the
        model sends commands on the document (update, delete, create, link,
        unlink) or writes, deletes or creates the lines themselves: refused,
        or nothing changed."""
        checked = 0
        held_by_form_only = []
        for model, record, user in self._walked_records():
            Model = self.env[model]
            nodes = self._x2many_nodes(model, user)
            for name in nodes:
                self._give_a_line(record, name)
            for state in self._in_each_state(record):
                self._lines_follow_the_state(record, nodes, state)
                for name, (occurrences, shown) in nodes.items():
                    field = Model._fields[name]
                    if field.compute and field.readonly:
                        continue
                    if not self._not_editable(record, occurrences, state):
                        continue
                    for what, attempt_change in self._x2many_attempts(
                        record, name, shown, user
                    ):
                        before = self._lines_snapshot(record, name)
                        count = self.env[field.comodel_name].sudo().search_count([])
                        refused = changed = None
                        try:
                            with self.env.cr.savepoint() as attempt:
                                attempt_change()
                                self.env.flush_all()
                                record.invalidate_recordset()
                                changed = (
                                    self._lines_snapshot(record, name) != before
                                    or self.env[field.comodel_name]
                                    .sudo()
                                    .search_count([])
                                    != count
                                )
                                attempt.close(rollback=True)
                        except UserError as error:
                            refused = error
                        if not refused and changed:
                            held_by_form_only.append(
                                f"{model}.{name} ({state}): {what}"
                            )
                        self.env.invalidate_all()
                        checked += 1
        self._assert_held_by_the_server(
            checked,
            300,
            "read-only lines walked",
            held_by_form_only,
            "lines read-only in the form, changed over RPC: ",
        )

    def _snapshot(self, record):
        return stored_values(record)

    def _step_taken(self, record, user, name, snapshot):
        """Whether ``user``, calling the method ``name`` of ``record`` as RPC
        would, took a step: not refused, and ``snapshot`` of the record
        changed. The call is rolled back."""
        before = snapshot(record)
        changed = False
        try:
            with self.env.cr.savepoint() as attempt:
                getattr(record.with_user(user), name)()
                self.env.flush_all()
                self.env.invalidate_all()
                changed = snapshot(record) != before
                attempt.close(rollback=True)
        except UserError:
            changed = False
        self.env.invalidate_all()
        self.assertEqual(snapshot(record), before)
        return changed

    def test_hidden_buttons_hold_on_the_server(self):
        """R-005, R-206: a button is no control. For every after-sales model,
        in every state of its record (set directly), each button of its form
        that the lowest group writing the model does not get (another
        group's), or that the form hides from that user then, is called by
        that user as RPC would: refused, or nothing changes (a button that
        only opens a list)."""
        checked = 0
        held_by_form_only = []
        for model, record, user in self._walked_records():
            shown = self._form_nodes(model, user, "button")
            every = self._form_nodes(model, self.env.ref("base.user_admin"), "button")
            for state in self._in_each_state(record):
                for name in every:
                    hidden = name not in shown or all(
                        self._evaluate(record, expression, user) is True
                        for __, expression in shown[name]
                    )
                    if not hidden:
                        continue
                    if self._step_taken(record, user, name, self._snapshot):
                        held_by_form_only.append(f"{model}.{name} ({state})")
                    checked += 1
        self.assertGreater(checked, 50, "hidden buttons walked")
        self.assertFalse(
            held_by_form_only,
            "hidden by the form, taken over RPC: " + ", ".join(held_by_form_only),
        )

    # Public methods a reader calls over RPC

    def _readers(self, model, record):
        """Users who read ``record`` but may not write ``model``: one per
        group that reads it only (the portal among them), least privileged
        first: [(user, group)]."""
        access = self.env["ir.model.access"].search([("model_id.model", "=", model)])
        writers = access.filtered("perm_write").group_id
        groups = (access.filtered("perm_read").group_id - writers).sorted(
            lambda g: (len(g.all_implied_ids), g.id)
        )
        partner = next(
            (
                record.sudo()[name].commercial_partner_id
                for name in ("dealer_id", "partner_id", "supplier_id")
                if name in record._fields
                and record._fields[name].comodel_name == "res.partner"
                and record.sudo()[name]
            ),
            None,
        )
        readers = []
        for group in groups:
            login = f"reader_{group.id}_{model}"
            user = self.env["res.users"].search([("login", "=", login)])
            if not user and group.share:
                if not partner:
                    continue
                user = self._portal_user(login, partner)
            user = user or new_test_user(
                self.env, login=login, groups=group.get_external_id()[group.id]
            )
            reader = record.with_user(user)
            if reader.has_access("read") and not reader.has_access("write"):
                readers.append((user, group))
        return readers

    def _step_snapshot(self, record):
        """What a step changes on ``record``: its stored values and the
        records it lists (a step that makes an order, a line, a review)."""
        listed = {
            name: record.sudo()[name].ids
            for name, field in record._fields.items()
            if field.type in ("one2many", "many2many")
            and not name.startswith(("message_", "activity_", "website_message"))
        }
        return self._snapshot(record), listed

    def test_readers_take_no_step_by_a_public_method(self):
        """R-005, R-206: every method of an after-sales model that RPC calls
        (``/web/dataset/call_kw``, ``/json/2``), on a form or not, called by a
        user who only reads the record (the viewer, QA, a signer, the
        dealer's portal user...), in every state of the record: refused, or
        nothing changes. A step writes as the server: only its own check of
        who takes it stands between a reader and the step."""
        checked = 0
        taken = []
        for model, record, __ in self._walked_records():
            methods = [
                name
                for name in our_public_methods(self.env, model)
                if name not in NOT_STEPS
            ]
            readers = self._readers(model, record)
            for state in self._in_each_state(record):
                for user, group in readers:
                    for name in methods:
                        if self._step_taken(record, user, name, self._step_snapshot):
                            taken.append(
                                f"{model}.{name} ({state}) by {group.display_name}"
                            )
                        checked += 1
        self.assertGreater(checked, 100, "public methods walked")
        self.assertFalse(
            taken, "steps a reader took over RPC: " + ", ".join(sorted(set(taken)))
        )

    # Lines and records of another document

    def _other_record(self, model, record):
        """Another record of ``model`` than ``record``: an existing one, else
        one the server makes from its required fields; None when it cannot."""
        Model = self.env[model].sudo()
        other = Model.search([("id", "!=", record.id)], limit=1, order="id desc")
        if other or not isinstance(Model, self.registry["forklift.flow.mixin"]):
            return other or None
        known = dict(self.fixtures)
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return Model._create_flow([self._required_vals(model, date.today())])
        except (UserError, UnbuildableFixture, psycopg2.Error):
            self.fixtures = known
            return None

    def _changed_by(self, attempt, changed):
        """Whether ``attempt`` went through and ``changed`` (called then)
        says it changed what it aimed at; undone either way."""
        self.env.flush_all()
        try:
            with self.env.cr.savepoint() as savepoint, mute_logger("odoo.sql_db"):
                attempt()
                self.env.flush_all()
                self.env.invalidate_all()
                result = changed()
                savepoint.close(rollback=True)
        except (UserError, psycopg2.Error):
            result = False
        self.env.invalidate_all()
        return result

    def _line_moves(self, record, name, other, user):
        """(what, how) for each way a user sends to move a line of the
        one2many ``name`` of ``record`` onto ``other``: a link or set command
        on ``other``, or the line's own document field written."""
        field = record._fields[name]
        line = record.sudo()[name][:1]
        theirs = other.with_user(user)
        yield "link", lambda: theirs.write({name: [Command.link(line.id)]})
        yield (
            "set",
            lambda: theirs.write(
                {name: [Command.set((other.sudo()[name] | line).ids)]}
            ),
        )
        writer = self._lowest_writer(field.comodel_name, line, required=False)
        if writer and field.inverse_name in line._fields:
            yield (
                "line write",
                lambda: line.with_user(writer).write({field.inverse_name: other.id}),
            )

    def _document_field_free(self, line, name):
        """Whether a user edits the field ``name`` of ``line``, the document
        it names, as he edits the line now (an abnormal issue's sheet while
        it is a draft): the line's own form changes it."""
        if name in MOVABLE_LINES.get(line._name, ()):
            return True
        if not isinstance(line, self.registry["forklift.flow.mixin"]):
            return False
        fixed = line._get_guarded_fields() | line._get_fixed_fields()
        return name not in fixed and name not in line.sudo()._get_locked_fields()

    def _walked_lines(self, record):
        """(name, field, line) for each one2many of ``record`` that a user
        sends commands to: a line of it, made by the server when the fixture
        has none (when it can)."""
        for name, field in sorted(record._fields.items()):
            if (
                field.type != "one2many"
                or not field.store
                or (field.compute and field.readonly)
                or name.startswith(("message_", "activity_", "website_message"))
            ):
                continue
            known = dict(self.fixtures)
            try:
                with mute_logger("odoo.sql_db"):
                    self._give_a_line(record, name)
            except psycopg2.Error:
                # the line's required values break a constraint
                self.fixtures = known
                record.invalidate_recordset()
            line = record.sudo()[name][:1]
            if line:
                yield name, field, line

    def test_no_line_moves_to_another_document(self):
        """R-005, R-206 (000 §4.2, §4.3.1.2): a line stays on the document it
        was recorded on, in every state of the line, unless its own form
        edits the document it names then (MOVABLE_LINES, or not locked by
        its flow). For every one2many of every after-sales model, the lowest
        group that writes the model links or sets a line of one record into
        another record (command 4 or 6 over RPC), and the lowest group that
        writes the lines writes the line's document: refused, and the line
        still on its document. A one2many added later is walked too."""
        checked = 0
        moved = []
        for model, record, user in self._walked_records():
            for name, field, line in self._walked_lines(record):
                other = self._other_record(model, record)
                if not other:
                    continue
                inverse = field.inverse_name
                for state in self._in_each_state(line):
                    if self._document_field_free(line, inverse):
                        continue
                    before = line[inverse]
                    for what, attempt_move in self._line_moves(
                        record, name, other, user
                    ):
                        if self._changed_by(
                            attempt_move, partial(value_differs, line, inverse, before)
                        ):
                            moved.append(f"{model}.{name} ({state}): {what}")
                        checked += 1
        self.assertGreater(checked, 50, "lines walked")
        self.assertFalse(
            moved, "lines moved to another document over RPC: " + ", ".join(moved)
        )

    def _outsiders(self, model, record, line):
        """Users who may create ``line``'s model but not write ``record``:
        the lowest writer of the lines working in another company only, and
        each group that reads ``record`` only (the portal among them)."""
        Line = self.env[line._name]
        writer = self._lowest_writer(line._name, line, required=False)
        if writer:
            company = self.env["res.company"].search(
                [("name", "=", "Flow guard elsewhere")]
            ) or self.env["res.company"].create({"name": "Flow guard elsewhere"})
            login = f"{writer.login}_elsewhere"
            yield self.env["res.users"].search([("login", "=", login)]) or (
                new_test_user(
                    self.env,
                    login=login,
                    groups=",".join(writer.group_ids.get_external_id().values()),
                    company_id=company.id,
                    company_ids=[Command.set(company.ids)],
                )
            )
        for user, __ in self._readers(model, record):
            if Line.with_user(user).has_access("create"):
                yield user

    def test_no_line_on_a_document_one_may_not_write(self):
        """R-005, R-206 (000 §4.2): who may not write a document adds no line
        to it: the lowest group that writes the lines working in another
        company, and each group that only reads the document (the portal,
        QA, a signer...), create a line of every one2many of every
        after-sales model naming the document (RPC ``create`` on the line
        model, or commands on the document): refused, and no line added. A
        one2many added later is walked too."""
        checked = 0
        added = []
        for model, record, __ in self._walked_records():
            for name, field, line in self._walked_lines(record):
                copied = line.copy_data()[0]
                copied.pop(field.inverse_name, None)
                Line = self.env[field.comodel_name].sudo()
                for user in self._outsiders(model, record, line):
                    for what, attempt_create in (
                        (
                            "line create",
                            partial(
                                Line.with_user(user).create,
                                [{**copied, field.inverse_name: record.id}],
                            ),
                        ),
                        (
                            "create command",
                            partial(
                                record.with_user(user).write,
                                {name: [Command.create(copied)]},
                            ),
                        ),
                    ):
                        count = Line.search_count([])
                        if self._changed_by(
                            attempt_create,
                            lambda Line=Line, count=count: (
                                Line.search_count([]) != count
                            ),
                        ):
                            added.append(f"{model}.{name} by {user.login}: {what}")
                        checked += 1
        self.assertGreater(checked, 20, "lines walked")
        self.assertFalse(
            added,
            "lines added over RPC by who may not write the document: "
            + ", ".join(added),
        )

    def _foreign_records(self, record, name, user):
        """Records of the comodel of the many2many ``name`` that are not
        ``record``'s own to link: a file of another record, one ``user``
        does not read, and a record of the comodel he does not read."""
        field = record._fields[name]
        Comodel = self.env[field.comodel_name].sudo()
        if field.comodel_name == "ir.attachment":
            other = self._other_record(record._name, record) or record.browse()
            yield (
                "another's file",
                Comodel.create(
                    {
                        "name": "another-document.png",
                        "datas": SIGNATURE,
                        "res_model": record._name,
                        "res_id": other.id,
                    }
                ),
            )
            yield (
                "a file not the user's",
                Comodel.create({"name": "not-his.png", "datas": SIGNATURE}),
            )
            return
        unread = next(
            (
                candidate
                for candidate in Comodel.with_context(active_test=False).search(
                    [("id", "not in", record.sudo()[name].ids)],
                    limit=200,
                    order="id desc",
                )
                if not candidate.with_user(user).has_access("read")
            ),
            None,
        )
        if unread:
            yield "a record not read", unread

    def _lists(self, record, name, other):
        """Whether the x2many ``name`` of ``record`` lists ``other``."""
        return other in record.sudo()[name]

    def test_no_record_of_another_linked(self):
        """R-005, R-206 (000 §4.2): the files and records a document lists
        are its own. For every many2many of every after-sales model, in every
        state, the lowest group that writes the model links (command 4 over
        RPC) a file of another record or that he does not read (a photo of
        another sheet as the evidence of his own), and a record of the
        comodel he does not read (another company's): refused, and nothing
        linked. A many2many added later is walked too."""
        checked = 0
        linked = []
        for model, record, user in self._walked_records():
            names = [
                name
                for name, field in sorted(self.env[model]._fields.items())
                if field.type == "many2many"
                and field.store
                and not (field.compute and field.readonly)
                and not field.related
            ]
            if not names:
                continue
            foreign = {
                name: list(self._foreign_records(record, name, user)) for name in names
            }
            for state in self._in_each_state(record):
                for name in names:
                    for what, other in foreign[name]:
                        if self._changed_by(
                            partial(
                                record.with_user(user).write,
                                {name: [Command.link(other.id)]},
                            ),
                            partial(self._lists, record, name, other),
                        ):
                            linked.append(f"{model}.{name} ({state}): {what}")
                        checked += 1
        self.assertGreater(checked, 10, "many2many walked")
        self.assertFalse(
            linked, "records of another linked over RPC: " + ", ".join(linked)
        )

    def test_client_marker_lifts_nothing(self):
        """The flow's own context key, OCA's ``skip_validation_check`` and
        ``default_*`` keys sent by a client change nothing: the guard lifts
        only for server code (sudo and the marker together)."""
        request = self.request.with_user(self.staff)
        for context in (
            {FLOW_CONTEXT_KEY: True},
            {"skip_validation_check": True},
            {FLOW_CONTEXT_KEY: True, "skip_validation_check": True},
        ):
            with self.subTest(context=context):
                with self.assertRaises(AccessError):
                    request.with_context(**context).write({"state": "draft"})
                self.assertEqual(self.request.state, "shipped")

    def test_sudo_with_a_clients_context_lifts_nothing(self):
        """R-005, 000 §4.3.1.2: where Odoo runs a client's call with sudo and
        keeps his context, the keys the server's own steps set, sent by the
        client with whatever JSON value, lift neither the flow's guard nor the
        tier reviews' lock; nor do the keys of a data file being loaded, once
        the modules are loaded. Only the server's own mark does."""
        # the staff member's call, run with sudo as some Odoo code would
        request = self.request.with_user(self.staff).sudo()
        review = request.review_ids[:1]
        self.assertTrue(review)
        status = review.status

        def refused(records, context, vals):
            # a write that goes through is undone, so that each attempt
            # starts from the shipped request
            self.env.flush_all()
            savepoint = self.env.cr.savepoint()
            try:
                with self.subTest(context=context), self.assertRaises(AccessError):
                    records.with_context(**context).write(vals)
                    self.env.flush_all()
            finally:
                savepoint.close(rollback=True)
                self.env.invalidate_all()

        for value in (True, 1, "1", FLOW_CONTEXT_KEY, {"key": FLOW_CONTEXT_KEY}):
            refused(request, {FLOW_CONTEXT_KEY: value}, {"state": "draft"})
            refused(review, {TIER_CONTEXT_KEY: value}, {"status": "rejected"})
        refused(
            request,
            {"install_module": "forklift_aftersales", "install_filename": "data/x.xml"},
            {"state": "draft"},
        )
        self.assertEqual(self.request.state, "shipped")
        self.assertEqual(review.status, status)
        # OCA's lock of a request under validation: its escape key, sent by
        # the client, is not kept under sudo either
        applied = self._applied_request(self._verified_case())
        vals = {"reason": "Changed under validation"}
        with self.assertRaises(ValidationError):
            applied.with_user(self.staff).sudo().with_context(
                skip_validation_check=True
            )._tier_validation_check_write_allowed(vals)
        applied._as_flow().with_context(
            skip_validation_check=True
        )._tier_validation_check_write_allowed(vals)
        # the server's own step, for comparison: its mark lifts the guard
        self.request._as_flow().write({"delivered_date": datetime(2026, 3, 6, 9, 0)})
        self.assertEqual(self.request.delivered_date, datetime(2026, 3, 6, 9, 0))

    def test_defaults_do_not_start_a_record_late(self):
        """``default_state`` in the context and a user default for the state
        do not create a record in a late state: it starts in the first one."""
        base_vals = self.request.copy_data()[0]
        Request = self.env["forklift.parts.request"].with_user(self.staff)
        request = Request.with_context(default_state="shipped").create([base_vals])
        self.assertEqual(request.state, "draft")
        self.env["ir.default"].set(
            "forklift.parts.request", "state", "approved", user_id=self.staff.id
        )
        request = Request.create([base_vals])
        self.assertEqual(request.state, "draft")

    def test_copy_starts_over(self):
        """A copy of a shipped request is a new draft, without the delivery."""
        copy = self.request.with_user(self.staff).copy()
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.picking_id)

    def _copied_records(self):
        """(model, record) for every after-sales model (settings and
        statistics too) and every Odoo model the addons extend with stored
        fields, of which a record can be made or found (for an Odoo model, one
        the after-sales fields are set on, when there is one)."""
        self.fixtures = {}
        names = sorted(
            model.model
            for model in self.env["ir.model"].search([("model", "=like", "forklift.%")])
            if not self.env[model.model]._abstract
            and not self.env[model.model]._transient
        )
        for name in names:
            Model = self.env[name]
            if isinstance(Model, self.registry["forklift.flow.mixin"]):
                try:
                    yield name, self._fixture(name)
                except UnbuildableFixture:
                    continue
                continue
            record = Model.sudo().search([], limit=1, order="id desc")
            if not record and Model._auto:
                known = dict(self.fixtures)
                try:
                    with self.env.cr.savepoint():
                        record = Model.sudo().create(
                            [self._required_vals(name, date.today())]
                        )
                except (UserError, UnbuildableFixture):
                    self.fixtures = known
            if record:
                yield name, record.sudo(False)
        for name, Model in sorted(self.registry.items()):
            if (
                name.startswith("forklift.")
                or Model._abstract
                or Model._transient
                or not Model._auto
            ):
                continue
            ours = [
                field_name
                for field_name, field in Model._fields.items()
                if field.store and field._module in OUR_ADDONS
            ]
            if not ours:
                continue
            Records = self.env[name].sudo().with_context(active_test=False)
            record = Records.search(
                ["|"] * (len(ours) - 1) + [(f, "!=", False) for f in ours],
                limit=1,
                order="id desc",
            ) or Records.search([], limit=1, order="id desc")
            if record:
                yield name, record.sudo(False)

    def _copier(self, model, record):
        """Who copies ``record``: the lowest group that writes ``model`` and
        reads the record, or, for a model nobody writes (the statistics), the
        superuser: whatever server code copies it, the database is never the
        one to refuse. None for an Odoo model's record that no group writing
        the model reads."""
        if not self.env["ir.model.access"].search_count(
            [("model_id.model", "=", model), ("perm_write", "=", True)]
        ):
            return record.sudo()
        user = self._lowest_writer(
            model, record, required=model.startswith("forklift.")
        )
        return user and record.with_user(user)

    def test_copy_gives_a_record_or_a_message(self):
        """R-005: the form's Duplicate (``copy`` over RPC) of a record of any
        after-sales model, or of an Odoo model the addons extend, by the
        lowest group that writes it, gives a new record or a message saying
        why not (a visit planned once per forklift, a line of its document's
        unique key): never an error of the database."""
        outcomes = {"copied": [], "refused": []}
        broken = []
        for model, record in self._copied_records():
            copier = self._copier(model, record)
            if copier is None:
                continue
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint() as attempt:
                    copy = copier.copy()
                    self.env.flush_all()
                    self.assertTrue(copy)
                    self.assertNotEqual(copy, record)
                    attempt.close(rollback=True)
                outcomes["copied"].append(model)
            except UserError:
                outcomes["refused"].append(model)
            except psycopg2.Error as error:
                broken.append(f"{model} ({type(error).__name__})")
            except Exception as error:  # noqa: BLE001
                broken.append(f"{model} ({type(error).__name__}: {error})")
            self.env.invalidate_all()
        self.assertFalse(
            broken,
            "copied, the database refused (give a message): " + ", ".join(broken),
        )
        self.assertGreater(len(outcomes["copied"]), 25, "models copied")
        # among them, the one-per-forklift visit and the statistics
        self.assertIn("forklift.maintenance.visit", outcomes["refused"])
        self.assertIn("forklift.feedback.analysis", outcomes["refused"])

    def test_import_refuses_flow_fields(self):
        """An import (``load``) with a state column creates nothing."""
        Case = self.env["forklift.feedback"].with_user(self.staff)
        count = Case.search_count([])
        result = Case.load(
            ["unit_id/.id", "title", "state"],
            [[str(self.unit.id), "Imported closed sheet", "closed"]],
        )
        self.assertTrue(result["messages"], "the import reports the refusal")
        self.assertFalse(result["ids"])
        self.assertEqual(Case.search_count([]), count)

    def test_company_fixed_after_creation(self):
        """R-005: a sheet does not move to another company after creation."""
        other = self.env["res.company"].create({"name": "Other Forklift Co"})
        self.staff.company_ids |= other
        with self.assertRaises(AccessError):
            self.case.with_user(self.staff).write({"company_id": other.id})
        self.assertEqual(self.case.company_id, self.env.company)

    def _file_of(self, record, field):
        """The attachment that stores the binary ``field`` of ``record``."""
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("res_field", "=", field),
            ]
        )

    @staticmethod
    def _file_state(attachments):
        attachments.invalidate_recordset()
        return attachments.sudo().read(
            ["res_model", "res_id", "res_field", "checksum", "name"]
        )

    def test_flow_files_kept_through_their_attachments(self):
        """R-206, R-080, R-041 (000 §4.2.1.2, 第四篇 §1): a signature or a stamp
        a document holds in a binary field (stored as an attachment) is a flow
        field, or locked by the document's state: a staff member who may write
        the document neither rewrites, moves, copies nor deletes its
        attachment, nor creates one that gives a document a signature, nor
        moves a file into such a field. Nothing changes. The documents' own
        steps still write them, and a field still open is still edited."""
        forged = base64.b64encode(b"\x89PNG\r\n\x1a\nforged stamp").decode()
        registered = self._done_order(self._verified_case())
        registered._sign("Wang Jun", SIGNATURE, stamp=SIGNATURE)
        registered.action_register()
        dispatched = self._service_order(self._verified_case())
        dispatched.action_dispatch()
        # delivered, not yet accepted: its commissioning is planned at once
        accepted = self._create_unit(
            "SN-ATT-0001", delivery=date(2026, 3, 2)
        ).commissioning_ids
        self._check_and_sign(accepted)
        accepted.action_accept()
        self.assertEqual(accepted.state, "done")
        # a paid service whose sale order is made: the consent is fixed
        paid = self._verified_case(
            unit=self._create_unit("SN-ATT-OLD", acceptance=date(2024, 1, 10)),
            responsibility="misuse",
        )
        self._done_paid_order(paid)
        paid.labour_hours = 3
        paid.action_create_paid_sale()
        self.assertTrue(paid.sale_order_id)
        stamp = self._file_of(registered, "stamp")
        signature = self._file_of(accepted, "signature")
        consent = self._file_of(paid, "paid_ack_signature")
        chatter_file = self.env["ir.attachment"].create(
            {
                "name": "note.png",
                "datas": forged,
                "res_model": dispatched._name,
                "res_id": dispatched.id,
            }
        )
        kept = stamp | signature | consent | self._file_of(registered, "signature")
        self.assertEqual(len(kept), 4)
        before = self._file_state(kept | chatter_file)
        attachments = self.env["ir.attachment"].with_user(self.staff)
        attacks = {
            "rewrite the stamp": lambda: attachments.browse(stamp.id).write(
                {"datas": forged}
            ),
            "move the stamp to another order": lambda: attachments.browse(
                stamp.id
            ).write({"res_id": dispatched.id}),
            "move the stamp out of its field": lambda: attachments.browse(
                stamp.id
            ).write({"res_field": False}),
            "copy the stamp": lambda: attachments.browse(stamp.id).copy(),
            "sign an order without its step": lambda: attachments.create(
                {
                    "name": "signature",
                    "datas": forged,
                    "res_model": dispatched._name,
                    "res_id": dispatched.id,
                    "res_field": "signature",
                }
            ),
            "move a chatter file into the signature": lambda: attachments.browse(
                chatter_file.id
            ).write({"res_field": "signature"}),
            "rewrite an accepted signature": lambda: attachments.browse(
                signature.id
            ).write({"datas": forged}),
            "delete an accepted signature": lambda: attachments.browse(
                signature.id
            ).unlink(),
            "rewrite an ordered consent": lambda: attachments.browse(consent.id).write(
                {"datas": forged}
            ),
        }
        for attack, call in attacks.items():
            with self.subTest(attack=attack):
                with self.assertRaises(UserError) as refused:
                    call()
                self.assertRegex(
                    str(refused.exception),
                    "never directly|no longer change|already ordered",
                )
        self.assertEqual(self._file_state(kept | chatter_file), before)
        self.assertFalse(self._file_of(dispatched, "signature"))
        self.assertFalse(dispatched.signature)
        self.assertEqual(registered.stamp.decode(), SIGNATURE)
        self.assertEqual(accepted.signature.decode(), SIGNATURE)
        # the documents' own steps, and a field still open, still write them
        planned = self._create_unit(
            "SN-ATT-0002", delivery=date(2026, 3, 2)
        ).commissioning_ids
        self._check_and_sign(planned.with_user(self.staff))
        attachments.browse(self._file_of(planned, "signature").id).write(
            {"datas": SIGNATURE}
        )
        self._record_work(dispatched)
        dispatched.action_done()
        dispatched._sign("Wang Jun", SIGNATURE)
        self.assertEqual(dispatched.signature.decode(), SIGNATURE)
        chatter_file.with_user(self.staff).unlink()

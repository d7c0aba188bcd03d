import contextlib
import math
import reprlib

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import (
    ServerMark,
    named_id,
    value_differs,
    without_context_keys,
    x2many_ids_after,
)

# The context key the document's own methods set, together with sudo, when
# they write their flow fields. A client can put this key in the context of
# any RPC call, with any JSON value, but not the mark itself: the guard lifts
# for sudo and the very mark together, never for a context a client sent.
FLOW_CONTEXT_KEY = "forklift_flow_write"
FLOW_MARK = ServerMark(FLOW_CONTEXT_KEY)

# The context keys with which a caller switches off the traces Odoo keeps of a
# change: the tracking of the fields in the chatter, the line saying who
# created a document and his following it, and the activities planned, ended
# or searched by the automation. The flow's steps keep their trail whatever
# context the client sent; the keys that only choose
# how a message is sent or who follows afterwards (mail_auto_subscribe_no_notify,
# mail_post_autofollow, mail_notify_force_send) erase no step and stay the
# server code's choice.
# The first two switch off the tracking of any change of an after-sales
# document, a user's own included (``mail.thread``): the forms are quality
# records, their full change history in the chatter.
TRACKING_OFF_KEYS = frozenset(("tracking_disable", "mail_notrack"))
# These two, at a document's creation, leave out the line saying who created
# it and his following it: the server's choice alone (the mail gateway, a
# step of the flow), kept from a client's context (``mail.thread.create``).
CREATION_LOG_KEYS = frozenset(("mail_create_nolog", "mail_create_nosubscribe"))
FLOW_TRACE_KEYS = (
    TRACKING_OFF_KEYS | CREATION_LOG_KEYS | {"mail_activity_automation_skip"}
)

# The largest number a user gives an after-sales record (a quantity, hours,
# an amount): beyond any count, well within what the database and Odoo's
# rounding handle. The portal's forms take quantities up to 999999.
NUMBER_MAX = 999_999_999
# the largest id PostgreSQL's integer columns hold
ID_MAX = 2**31 - 1
NUMBER_TYPES = ("float", "monetary", "integer")
# the database's own bound of a line's quantity, for what escapes the ORM:
# PostgreSQL orders NaN above every number, so it is refused as Infinity is
# ("quantity > 0" alone lets NaN through)
QUANTITY_CHECK = f"CHECK(quantity > 0 AND quantity <= {NUMBER_MAX})"


def _is_record_value(field, value):
    """Whether ``value`` names a record of the many2one ``field`` as the
    database will store it: an id, a record of its model, or none. Odoo's
    cache reads a string or a float as no record while the INSERT writes it:
    the checks would read another record than the one stored (R-005)."""
    if value is None or value is False:
        return True
    if isinstance(value, models.BaseModel):
        return value._name == field.comodel_name and len(value) <= 1
    return type(value) is int and 0 < value <= ID_MAX


def _is_number_value(value):
    """Whether ``value`` is a number a person gives: finite and at most
    ``NUMBER_MAX`` either way (NaN, which the database's CHECK constraints
    let through, would be stored and answered as invalid JSON)."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError, OverflowError):
        return False
    return math.isfinite(number) and abs(number) <= NUMBER_MAX


def check_sent_values(model, vals_list):
    """Refuse the values of ``vals_list``, for ``model``'s create or write,
    that name a record otherwise than by its id or give a number that is not
    one, or beyond any count: whatever JSON-RPC decodes reaches the models as
    it is (a string, a float, a list, a dict, NaN, Infinity). A clear message
    instead of a database error, and nothing stored that the checks did not
    see."""
    for vals in vals_list:
        for name, value in vals.items():
            field = model._fields.get(name)
            if field is None:
                continue
            if field.type == "many2one" and not _is_record_value(field, value):
                # translated, with %(document)s, %(field)s and %(value)s
                message = model.env._(
                    "%(document)s: %(field)s names a record by its id, which "
                    "%(value)s is not."
                )
            elif field.type in NUMBER_TYPES and not _is_number_value(value):
                message = model.env._(
                    "%(document)s: %(field)s is a number of at most %(max)s, "
                    "which %(value)s is not."
                )
            else:
                continue
            raise UserError(
                message
                % {
                    "document": model._description,
                    "field": field.get_description(model.env)["string"],
                    "max": NUMBER_MAX,
                    "value": reprlib.repr(value),
                }
            )


def check_context_defaults(model, fields):
    """Refuse a number a ``default_*`` context key gives one of ``fields``
    (see ``check_sent_values``): Odoo's rounding fails on NaN, and a default
    reaches create() unchecked."""
    context = model.env.context
    check_sent_values(
        model,
        [
            {
                name: context[f"default_{name}"]
                for name in fields
                if f"default_{name}" in context
                and name in model._fields
                and model._fields[name].type in NUMBER_TYPES
            }
        ],
    )


class ForkliftFlowMixin(models.AbstractModel):
    """The server-side guard of a document's flow (R-005, R-206).

    Each document declares in ``_get_flow_fields`` the fields that its own
    methods set as the procedure advances: the state, the date and the person
    of each step, verdicts, amounts that choose approvers, and links to the
    records its actions act on (deliveries, orders, bills). Whoever calls —
    the web client, JSON-RPC, ``/json/2``, an import, a portal form or the mail
    gateway — ``create()`` and ``write()`` refuse them, as Odoo's
    ``account.move.write()`` refuses to change a posted entry; only the
    document's own methods write them, through ``_write_flow`` and
    ``_create_flow``. ``company_id`` is set at creation and never changed, and
    a read-only related field is never written through to the record it
    reads. New records start in the first state: ``default_*`` context keys and
    user defaults do not apply to flow fields, and copies leave them out; nor
    is a new record given a field locked in that state (``create`` refuses it,
    a copy leaves it out).

    Fields a user edits only while the document is in given states (the terms
    of a service commitment, what QA claims, a visit once made) are declared
    in ``_get_state_locked_fields``, or for the whole document in
    ``_flow_editable_states``; a field that something other than the state
    locks (the paid service once its order exists) is added by the record's
    ``_get_locked_fields``. ``write()`` refuses a change of a locked field,
    with ``_get_state_locked_message``; the document's own steps still write
    them.
    """

    _name = "forklift.flow.mixin"
    _description = "Forklift Document Flow Guard"
    # Out of these states the document is the record of what was done: users
    # change none of its fields (_get_state_locked_message says why), its own
    # steps still do; empty: no such rule.
    _flow_editable_states = ()
    # Out of these states the document is kept: nobody deletes it
    # (_get_flow_kept_message says why); empty: no such rule.
    _flow_deletable_states = ()
    # Once this field is set the document is kept in its deletable states as
    # well (a letter or a claim once sent); empty: no such rule.
    _flow_kept_field = None
    # A document under tier validation whose state-locked fields also freeze
    # while its approval is asked, in the state they are otherwise edited in
    # (what the approvers read is what they approve), refused by the guard
    # with a message saying so, not only by tier validation's own lock.
    _flow_locked_under_approval = False

    @api.model
    def _get_flow_fields(self):
        """Names of the fields only the document's own methods write."""
        return set()

    @api.model
    def _get_fixed_fields(self):
        """Names of the fields a creator sets and nobody changes afterwards;
        the number of a numbered document too, which its sequence gives
        (``forklift.sequence.mixin``)."""
        field = self._fields.get("company_id")
        fixed = {"company_id"} if field and field.store and not field.related else set()
        if isinstance(self, self.pool["forklift.sequence.mixin"]):
            fixed.add("name")
        return fixed

    @api.model
    def _get_guarded_fields(self):
        """Flow fields plus the read-only related fields, which would write
        through to the record they read (a sheet's company, a unit's
        customer), and the read-only computed fields the server stores (a
        unit's warranty end, a document's validation status, a deadline):
        written directly, they would say what their sources do not."""
        guarded = {
            name
            for name, field in self._fields.items()
            if field.readonly and (field.related or (field.compute and field.store))
        }
        return self._get_flow_fields() | guarded

    def _is_flow_write(self):
        """The document's own methods (sudo and the flow's mark), or the
        module's data and demo files as the server loads them: while it loads
        the modules, or when an administrator activates demo data. The
        ``install_*`` keys a loaded file puts in the context can be sent by a
        client too: they count only then."""
        env = self.env
        if FLOW_MARK.is_on(env):
            return True
        return bool(
            env.su
            and env.context.get("install_module")
            and env.context.get("install_filename")
            and (not env.registry.ready or env.user._is_system())
        )

    def _as_flow(self):
        """This recordset as the document's own methods act on it: sudo, with
        the flow's mark. Only server code reaches it; the caller has checked
        the user may take the step. The client's context goes along, less
        what would let it decide for the step: its ``default_*`` keys (the
        server gives the values of what the step creates) and the keys that
        switch off the chatter's tracking (``FLOW_TRACE_KEYS``)."""
        return FLOW_MARK.set_on(self._without_client_switches())

    def _without_client_switches(self):
        """This recordset without the ``default_*`` context keys nor those of
        ``FLOW_TRACE_KEYS``: what the flow does is the server's, and leaves
        its trail."""
        return without_context_keys(
            self, lambda key: key in FLOW_TRACE_KEYS or key.startswith("default_")
        )

    def _write_flow(self, vals):
        """Write flow fields from a step of the flow, on records the user can
        at least read."""
        self.check_access("read")
        with self._flow_running() as records:
            return records.write(vals)

    @api.model
    def _create_flow(self, vals_list):
        """Create records whose flow fields are set by the server itself."""
        with self._flow_running() as model:
            records = model.create(vals_list)
        return records.with_env(self.env)

    @contextlib.contextmanager
    def _flow_running(self):
        """``_as_flow`` for a step whose code runs within: this recordset
        sudo, without the client's switches, and the flow's mark on while
        the step runs (``FLOW_MARK.running``) rather than in the records'
        context, which would make new environments. What the step returns
        goes back to its caller without the mark."""
        with FLOW_MARK.running_on(self._without_client_switches()) as records:
            yield records

    def _check_posted_flow_move(self, move):
        """Hook: ``move``, which this record's flow made and names, is posted
        (or changed posted); refuse it if it no longer says what the record
        decided. Called as superuser, whoever posts (``account.move``)."""

    def _raise_flow_fields(self, names):
        raise AccessError(
            self.env._(
                "%(document)s: these fields change only through the buttons of the "
                "procedure, never directly: %(fields)s.",
                document=self._description,
                fields=self._get_field_labels(names),
            )
        )

    @api.model
    def _get_field_labels(self, names):
        """The labels of the fields ``names``, in the order of their names,
        for a message."""
        return ", ".join(
            self._fields[name].get_description(self.env)["string"]
            for name in sorted(names)
        )

    def _check_service_center(self):
        """The steps of a sheet or an order are the service center's
        (000 §4.2.1.1, R-047): taken by after-sales staff (the director among
        them) or by the server's own steps, never by another department that
        may edit the document (the export division files export sheets and
        follows export orders, it does not verify, dispatch, cancel or reopen
        them), whatever the form shows."""
        if not (
            self.env.su
            or self.env.user.has_group("forklift_aftersales.group_forklift_user")
        ):
            raise AccessError(
                self.env._("Only the after-sales service center takes this step.")
            )

    def _check_step_state(self, states, message):
        """Start a step of the document's flow: it is taken by who may edit
        the records, not a mere reader, and only on records in one of
        ``states``; ``message``, translated with ``%s`` for the record's name,
        refuses the others."""
        self.check_access("write")
        self._check_state(states, message)

    def _check_state(self, states, message):
        """Refuse records in none of ``states``: ``message``, translated,
        says why, with ``%s`` for the record's name if it names it."""
        for record in self:
            if record.state not in states:
                raise UserError(message % record.name if "%s" in message else message)

    def _take_state_step(self, states, message, state, activity_types=()):
        """Take a step of the flow that only changes the state of the records,
        from one of ``states`` to ``state`` (a cancellation, a reset, an event
        held): taken by who may edit the records, see :meth:`_move_state`."""
        self.check_access("write")
        self._move_state(states, message, state, activity_types)

    def _move_state(self, states, message, state, activity_types=()):
        """Move the records from one of ``states`` to ``state``, for a step
        whose caller checked who takes it: ``message``, translated with
        ``%s`` for the record's name, refuses records in other states; the
        planned activities of ``activity_types`` (XML ids) that the step ends
        are removed."""
        self._check_state(states, message)
        self._write_flow({"state": state})
        if activity_types:
            self.activity_unlink(activity_types)

    def _schedule_todos(self, users, summary, **values):
        """Give each of ``users`` a to-do on this document, ``summary`` and
        the activity's other ``values`` (``date_deadline``, ``note``) the
        same for all: a step that asks several people (a department's
        members, the committee, the signers of a step)."""
        self.ensure_one()
        for user in users:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                user_id=user.id,
                **values,
            )

    @api.model
    def _get_state_locked_fields(self):
        """{field name: the states in which a user may still change it}."""
        return {}

    def _get_locked_fields(self):
        """Names of the fields a user may no longer change on this record: by
        default those of ``_get_state_locked_fields`` out of their states,
        and out of ``_flow_editable_states`` every field a user edits (a
        portal link's token is no change of the document)."""
        self.ensure_one()
        state_locked = self._get_state_locked_fields()
        if self._is_flow_under_approval():
            locked = set(state_locked)
        else:
            locked = {
                name
                for name, states in state_locked.items()
                if self.state not in states
            }
        editable_states = self._flow_editable_states
        if editable_states and self.state not in editable_states:
            locked |= self._get_user_fields()
        return locked

    @api.model
    def _get_user_fields(self):
        """Every field a user edits on the document: neither guarded nor
        fixed, nor a portal link's token (no change of the document)."""
        return (
            set(self._fields)
            - self._get_guarded_fields()
            - self._get_fixed_fields()
            - {"access_token"}
        )

    def _is_flow_under_approval(self):
        """Whether this document's approval is asked or given (reviews exist)
        while it is still in a state its locked fields are edited in."""
        # sudo: the reviews decide, whoever writes
        return (
            self._flow_locked_under_approval
            and self.state in self._state_from
            and bool(self.sudo().review_ids)
        )

    def _get_state_locked_message(self, names):
        """The message refusing a change of the locked fields ``names`` (a
        set) of this record: by default its state and the fields."""
        if self._is_flow_under_approval():
            return self.env._(
                "%(document)s is under approval: %(fields)s can no longer change.",
                document=self.display_name,
                fields=self._get_field_labels(names),
            )
        states = dict(self._fields["state"]._description_selection(self.env))
        return self.env._(
            "%(document)s is %(state)s: %(fields)s can no longer change.",
            document=self.display_name,
            state=states[self.state],
            fields=self._get_field_labels(names),
        )

    def _check_locked_fields(self, vals):
        for record in self:
            changed = record._get_changed_fields(record._get_locked_fields(), vals)
            if changed:
                raise UserError(record._get_state_locked_message(changed))

    def _get_flow_kept_message(self):
        """Why these records, out of their deletable states, are kept."""
        raise NotImplementedError

    def _cancel_flow(self, final_states=(), final_message=None):
        """Cancel these records: none already cancelled, nor in one of
        ``final_states``, where the flow has done what it was for
        (``final_message``, translated with ``%s`` for the record's name,
        says why)."""
        for record in self:
            if record.state in final_states:
                raise UserError(final_message % record.name)
            if record.state == "cancel":
                raise UserError(self.env._("%s is already cancelled.", record.name))
        self._write_flow({"state": "cancel"})

    def _check_unlink_unused(self, kept_link):
        """Refuse to delete a record past its first state, unless it was
        cancelled before ``kept_link`` (its delivery, its bill) was made: it
        keeps its approvals and what they released; cancel it instead
        (R-005)."""
        first = self._get_field_default("state")
        for record in self:
            if record.state != first and not (
                record.state == "cancel" and not record[kept_link]
            ):
                raise UserError(
                    self.env._(
                        "%s has been approved: cancel it instead of deleting it.",
                        record.display_name,
                    )
                )

    def _get_field_default(self, name):
        """The field's own default, as the code defines it (not the context's,
        not a user default)."""
        field = self._fields[name]
        if not field.default:
            return field.convert_to_write(field.convert_to_cache(False, self), self)
        value = field.default(self)
        return field.convert_to_write(
            field.convert_to_cache(value, self, validate=False), self
        )

    @api.model
    def default_get(self, fields):
        """A new record starts in the first state: out of the document's own
        methods, the flow fields, the fields filled in at a later step and the
        related and computed fields the server keeps take no default from a
        ``default_*`` context key nor a user default, only the field's own: a
        client sends any context it likes (R-005). Given in the values, they
        are refused by ``create``; as defaults, which only propose, they are
        left out, at creation, import and copy alike. A number given by the
        context is checked as one sent (``check_context_defaults``)."""
        check_context_defaults(self, fields)
        res = super().default_get(fields)
        if not self._is_flow_write():
            for name in self._get_defaultless_fields() & set(res):
                field = self._fields[name]
                if field.default:
                    res[name] = self._get_field_default(name)
                else:
                    # left to the field's compute, or empty
                    del res[name]
        return res

    @api.model
    def _get_defaultless_fields(self):
        """The fields no default but their own fills on a new record: guarded
        (flow, read-only related and computed) and filled in at a later step."""
        return self._get_guarded_fields() | self._get_created_locked_fields()

    @api.model
    def _is_default_value(self, name, value):
        """Whether ``value``, given at creation, leaves the field ``name`` as
        its own default does: the same value, an empty one for an empty
        default, x2many commands that add nothing."""
        field = self._fields[name]
        if field.type in ("one2many", "many2many") and not field.default:
            return not any(
                not isinstance(command, (list, tuple))
                or command[0] in (Command.CREATE, Command.LINK)
                or (command[0] == Command.SET and command[2])
                for command in value or ()
            )
        default = self._get_field_default(name)
        return (not value and not default) or value == default

    @api.model
    def _get_created_locked_fields(self):
        """The fields a new record may not be given: those locked in the
        state it starts in (filled in at a later step). Nothing else locks a
        record that does not exist yet. A line, whose state is its
        document's, is checked against its document by its own ``create``."""
        state = self._fields.get("state")
        if not state or state.related or not state.default:
            return set()
        first = self._get_field_default("state")
        locked = {
            name
            for name, states in self._get_state_locked_fields().items()
            if first not in states
        }
        editable_states = self._flow_editable_states
        if editable_states and first not in editable_states:
            locked |= self._get_user_fields()
        return locked

    @api.model
    def _raise_created_locked_fields(self, names):
        states = dict(self._fields["state"]._description_selection(self.env))
        raise UserError(
            self.env._(
                "%(document)s: a new one starts as %(state)s, where %(fields)s "
                "cannot be given yet; they are filled in at their own step.",
                document=self._description,
                state=states[self._get_field_default("state")],
                fields=self._get_field_labels(names),
            )
        )

    @api.model
    def _check_sent_values(self, vals_list):
        """See ``check_sent_values``; a model whose ``create`` reads the
        values before this mixin's calls it first."""
        check_sent_values(self, vals_list)

    def _check_field_domain(self, name, message):
        """Refuse records whose many2one ``name`` holds a record out of the
        field's own domain (the choices its list offers), for every caller
        but the document's own methods, which choose from their own lists:
        ``message``, translated with ``%s`` for the record's name, says why."""
        if self._is_flow_write():
            return
        domain = self._fields[name].domain
        # sudo: the domain decides, whoever may read the record named
        for record in self.sudo():
            value = record[name]
            if value and not value.filtered_domain(domain):
                raise ValidationError(message % value.display_name)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_sent_values(vals_list)
        if not self._is_flow_write():
            guarded = self._get_guarded_fields()
            locked = self._get_created_locked_fields()
            for vals in vals_list:
                given = {
                    name
                    for name in set(vals) & (guarded | locked)
                    if not self._is_default_value(name, vals[name])
                }
                if given & guarded:
                    self._raise_flow_fields(given & guarded)
                if given:
                    self._raise_created_locked_fields(given)
            for vals in vals_list:
                self._check_own_files(vals)
        return super().create(vals_list)

    def onchange(self, values, field_names, fields_spec):
        """The form's onchange computes a new or changed record from the
        records its many2one values name, with sudo for the stored and
        related fields: a client naming one the user may not read would be
        shown its data (a domestic sheet's customer and fault to the export
        division, a journal entry's total to QA). The user may read what he
        names; what the record already links to stays as it is."""
        if not self._is_flow_write():
            self._check_named_records_readable(values)
        return super().onchange(values, field_names, fields_spec)

    def _check_named_records_readable(self, values):
        """Refuse the ``values`` of an onchange naming, in a many2one of this
        record (or of a line of it that follows a flow), a record the user
        may not read and this record does not already link to."""
        for name, value in values.items():
            field = self._fields.get(name)
            if not field or not value:
                continue
            if field.type == "many2one":
                value = named_id(value)
                if not value or (self and self.sudo()[name].id == value):
                    continue
                self.env[field.comodel_name].browse(value).check_access("read")
            elif field.type in ("one2many", "many2many") and isinstance(value, list):
                lines = self.env[field.comodel_name]
                if not isinstance(lines, self.pool["forklift.flow.mixin"]):
                    continue
                for command in value:
                    if (
                        isinstance(command, (list, tuple))
                        and command[0] in (Command.CREATE, Command.UPDATE)
                        and isinstance(command[2], dict)
                    ):
                        line = lines
                        if command[0] == Command.UPDATE and isinstance(command[1], int):
                            line = lines.browse(command[1])
                        line._check_named_records_readable(command[2])

    def _get_changed_fields(self, names, vals):
        """The fields of ``names`` that ``vals`` changes on any of these
        records (writing the value a record already has changes nothing)."""
        return {
            name
            for name in set(names) & set(vals)
            if any(value_differs(record, name, vals[name]) for record in self)
        }

    def _check_unchanged(self, names, vals):
        """Refuse ``vals`` if it changes any of ``names`` on these records."""
        refused = self._get_changed_fields(names, vals)
        if refused:
            self._raise_flow_fields(refused)

    def write(self, vals):
        self._check_sent_values([vals])
        if not self._is_flow_write():
            self._check_unchanged(
                self._get_guarded_fields() | self._get_fixed_fields(), vals
            )
            # after the flow fields: a client's attempt at a step of the
            # procedure is told so, whatever else it changes
            self._check_locked_fields(vals)
            self._check_own_files(vals)
        return super().write(vals)

    def _check_own_files(self, vals):
        """Refuse the files that ``vals`` (of a create or a write of these
        records) links or sets in a list of files (a many2many of
        attachments: a sheet's or an order's photos, a local purchase's
        seller invoice, a forklift's shipped documents) and that were
        uploaded to another record: a user lists the files he uploads to the
        document (his own, not yet bound to any record, or bound to it), never
        those of another document, which would stand as this one's evidence
        (another order's photos for the work of this one, R-068; another
        purchase's seller invoice, R-103). Odoo checks he reads them."""
        for name, commands in vals.items():
            field = self._fields.get(name)
            if not (
                field
                and field.type == "many2many"
                and field.comodel_name == "ir.attachment"
                and isinstance(commands, (list, tuple))
            ):
                continue
            # sudo: the files' records decide, whoever lists them
            attachments = self.env["ir.attachment"].sudo()
            # a new record (create) lists none yet, and no file is bound to it
            for record in self.sudo() or [None]:
                listed = set(record[name].ids) if record else set()
                ids, __ = x2many_ids_after(listed, commands)
                added = attachments.browse(
                    tuple(i for i in ids - listed if type(i) is int and 0 < i <= ID_MAX)
                ).exists()
                for attachment in added:
                    if attachment.res_model and (
                        attachment.res_model != self._name
                        or attachment.res_id not in (0, record and record.id)
                    ):
                        raise UserError(
                            self.env._(
                                "%(file)s is a file of another record: %(field)s "
                                "of %(document)s lists only the files uploaded to "
                                "it. Upload the file to %(document)s.",
                                file=attachment.name,
                                field=field.get_description(self.env)["string"],
                                document=record.display_name
                                if record
                                else self._description,
                            )
                        )

    def _is_flow_kept(self):
        """Whether this record is kept: by default, out of the deletable
        states, or once its ``_flow_kept_field`` is set."""
        self.ensure_one()
        return self.state not in self._flow_deletable_states or bool(
            self._flow_kept_field and self[self._flow_kept_field]
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_flow_kept(self):
        if self._flow_deletable_states and any(
            record._is_flow_kept() for record in self
        ):
            raise UserError(self._get_flow_kept_message())

    def copy_data(self, default=None):
        """A copy starts in the first state: it leaves out the flow fields
        and what is filled in at a later step (a ``default`` for them is
        refused by ``create``, except from the document's own methods)."""
        vals_list = super().copy_data(default=default)
        flow = self._get_flow_fields()
        # a default for a flow field counts from the document's own methods
        # only; one for a later step's field is left to create() to refuse
        given = set(default or ()) - (set() if self._is_flow_write() else flow)
        left_out = (flow | self._get_created_locked_fields()) - given
        for vals in vals_list:
            for name in left_out & set(vals):
                del vals[name]
        return vals_list

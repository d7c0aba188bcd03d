"""Small helpers shared by the models of the forklift after-sales addons."""

import base64
import binascii
import contextlib
import contextvars
import math
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import clean_context, format_date, format_datetime

# what a signature or a stamp may hold: PNG or JPEG, never SVG or HTML
SIGNATURE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
# a forklift's hour meter shows six digits at most: what it can read
HOUR_METER_MAX = 999999
# the same bound for the database, which refuses what escapes the checks
# (PostgreSQL orders NaN above every number, so it is refused as Infinity is)
HOUR_METER_SQL = f"BETWEEN 0 AND {HOUR_METER_MAX}"
# A time a person types may run ahead of the server's clock by his own
# computer's clock, a few minutes; beyond that the event has not happened yet.
CLOCK_SKEW = timedelta(minutes=5)


class ServerMark:
    """A context value only server code can set.

    A context that reaches the server from outside (JSON-RPC, ``/json/2``, an
    import, a portal form) holds JSON values only: ``true`` arrives as
    ``True``, never as this object, which is recognised by identity. A step
    that lifts a guard for the server's own code (sudo and its mark) so cannot
    be reached by a client's context, even where Odoo runs the client's call
    with sudo and keeps his context. Returned to a client inside an action's
    context, the mark becomes a plain string, which lifts nothing either.
    While a step's own code runs, the mark may instead be a context variable
    of the thread (``running``), which no client reaches either.
    """

    __slots__ = ("_running", "key")

    def __init__(self, key):
        self.key = key
        self._running = contextvars.ContextVar(key, default=False)

    def __repr__(self):
        return f"ServerMark({self.key!r})"

    # a copied context keeps the very mark
    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def set_on(self, records):
        """``records`` as server code acts on them: sudo, with the mark."""
        # sudo: the caller is server code that has checked who acts; one new
        # environment, where sudo() then with_context() would make two. As
        # sudo() does, turning sudo drops the client's ``default_*`` keys:
        # they would give what the server creates (a review's status, who
        # approved it) the values the client chose.
        env = records.env
        if env.su and env.context.get(self.key) is self:
            # already server code's with this mark (a step within a step):
            # the environment it would make is this very one, not looked up
            # again among those of the transaction
            return records
        context = {**env.context, self.key: self}
        if not env.su:
            context = clean_context(context)
        return records.with_env(env(context=context, su=True))

    @contextlib.contextmanager
    def running(self):
        """The marked step's own code runs within: the mark is on for
        whatever it does, in this thread, until it returns or raises (as
        superuser only, for a ``ServerMark``). No new environment, where a
        context key makes one for every environment the step switches to
        (sudo, a company, stock's own keys), each of which Odoo then compares
        to find an environment again."""
        token = self._running.set(True)
        try:
            yield
        finally:
            self._running.reset(token)

    @contextlib.contextmanager
    def running_on(self, records):
        """``set_on`` for a step whose code runs within: ``records`` sudo,
        less the client's ``default_*`` keys, with the mark on while the step
        runs (``running``) rather than in their context. What the step
        returns goes back to its caller without the mark."""
        env = records.env
        if not env.su:
            # sudo: the caller is server code that has checked who acts
            records = records.with_env(env(context=clean_context(env.context), su=True))
        with self.running():
            yield records

    def is_on(self, env):
        """Whether ``env`` is server code's: superuser and this very mark."""
        return env.su and (self._running.get() or env.context.get(self.key) is self)


class StepMark(ServerMark):
    """A ``ServerMark`` for a step that runs as the user who calls it.

    Odoo's own steps of a document (confirming a sale order, cancelling,
    locking it) run as their user, whose rights the step still checks: the
    mark says only that the values being written come from that step, not
    from the user's direct write. It is set around the step's own code, so
    no client can hold it: while the step's code runs (``running``), or on
    the records a step hands on to its caller (``set_on``).
    """

    __slots__ = ()

    def set_on(self, records):
        """``records`` as the step hands them on to its caller: same user,
        with the mark in their context (which stays on them once the step
        returns, unlike ``running``)."""
        if records.env.context.get(self.key) is self:
            # marked already: the same environment, not looked up again
            return records
        return records.with_context(**{self.key: self})

    def is_on(self, env):
        """Whether ``env`` runs one of the marked steps."""
        return self._running.get() or env.context.get(self.key) is self


# the models of the after-sales addons are all named forklift.*
MODEL_PREFIX = "forklift."
# the same, as a pattern of SQL's LIKE and of the ORM's =like
MODEL_PATTERN = MODEL_PREFIX + "%"


def is_aftersales_model(name):
    """Whether the model named ``name`` (a string sent by a client, or None)
    is an after-sales document."""
    return isinstance(name, str) and name.startswith(MODEL_PREFIX)


def company_members(groups, companies):
    """The active internal users of ``groups`` who work in each of
    ``companies`` (a document's company), to tell them of the document,
    make them follow it or give them a to-do on it, as superuser: a member
    of another company would be told of a document he may not read and,
    following it, read its chatter (R-073, R-256)."""
    # sudo: reading the members of the groups to address them; users may
    # not read other users' groups
    return groups.sudo().all_user_ids.filtered(
        lambda u: u.active and not u.share and works_in(u, companies)
    )


def works_in(user, companies):
    """Whether ``user`` works in each of ``companies`` (archived companies
    aside): read from Odoo's own cached list of the companies of a user,
    the one his multi-company record rules read (``_get_company_ids``), so
    asking it of every reviewer or member of a group costs no query once
    known."""
    return set(companies.ids) <= set(user._get_company_ids())


def release_environments(env, key):
    """Let Python free the environments of ``env``'s transaction whose
    context holds ``key`` as soon as nothing uses them. An environment keeps
    its user, company and companies as records of itself (cached
    properties): a reference cycle, which only Python's cycle collector
    frees, and Odoo runs it seldom; until then every environment the
    transaction makes is first looked for among them
    (``Environment.__new__``). Dropping those records (read again when next
    used) breaks the cycle."""
    for other in list(env.transaction.envs):
        if key in other.context:
            for name in ("user", "company", "companies"):
                other.__dict__.pop(name, None)


@contextlib.contextmanager
def access_answers_first(records, operation):
    """Checks run within that read with sudo and name what they find: when
    one refuses, Odoo's own access check of ``operation`` on ``records``
    answers first a caller who may not make it (its error names nothing of
    theirs); one who may gets the check's refusal. On the way that passes,
    the access is checked once, by Odoo's own write or unlink after them,
    not also before them: stock writes a move or a line dozens of times in
    one validation."""
    try:
        yield
    except UserError:
        records.check_access(operation)
        raise


def named_id(value):
    """The id a client's value of a many2one names: an id, or the web
    client's ``{"id": ..., "display_name": ...}``; False for none (or a
    record not saved yet)."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, int) else False


def aftersales_record_naming(records):
    """The first of ``records`` an after-sales record names in a stored
    Many2one field, with that record's model (sudo, archived included), or
    ``None``: one query per such field, until one names it. A document still
    deletable (``_flow_deletable_states``, not kept) that would go with it
    (``ondelete="cascade"``), as the visits planned for a forklift, does not
    count. For the deletion guards of what the after-sales records point
    to."""
    env = records.env
    for name, model in env.registry.items():
        if not is_aftersales_model(name) or (
            model._abstract or model._transient or not model._auto
        ):
            continue
        for field in model._fields.values():
            if not (
                field.type == "many2one"
                and field.store
                and field.comodel_name == records._name
            ):
                continue
            Model = env[name].sudo().with_context(active_test=False)
            domain = Domain(field.name, "in", records.ids)
            deletable = getattr(model, "_flow_deletable_states", ())
            if field.ondelete == "cascade" and deletable:
                kept = Domain("state", "not in", deletable)
                if model._flow_kept_field:
                    kept |= Domain(model._flow_kept_field, "!=", False)
                domain &= kept
            found = Model._read_group(domain, [field.name], limit=1)
            if found:
                return found[0][0].with_env(records.env), Model
    return None


def value_differs(record, name, value):
    """Whether writing ``value`` (as a client sends it) in the field ``name``
    changes ``record``: writing the value it already has changes nothing; an
    x2many command or an unknown field counts as a change."""
    field = record._fields.get(name)
    if not field or field.type in ("one2many", "many2many"):
        return True
    new = field.convert_to_record(
        field.convert_to_cache(value, record, validate=False), record
    )
    # sudo: comparing with the stored value, whoever may read it; nothing of
    # it is returned to the caller
    return new != record.sudo()[name]


def check_access_by_search(records, operation, result):
    """``result`` of Odoo's ``_check_access(operation)`` on ``records``, with
    the records a read of them would not find by their search forbidden as
    well: for a model whose ``_search`` restricts what a user reads beyond
    its record rules (the reviews and the followers of after-sales
    documents), the checks that read no column (``check_access``,
    ``has_access``) follow the search."""
    if operation != "read" or records.env.su or not records._ids:
        return result
    rest = records - result[0] if result else records
    forbidden = rest - records.browse(
        rest._search([("id", "in", rest.ids)], active_test=False)
    )
    if not forbidden:
        return result
    if result:
        return result[0] + forbidden, result[1]
    return forbidden, lambda: records.env["ir.rule"]._make_access_error(
        operation, forbidden
    )


def without_context_keys(records, drop):
    """``records`` with their context less the keys for which ``drop(key)``
    is true (``with_context`` only adds to a context)."""
    context = records.env.context
    if not any(drop(key) for key in context):
        return records
    return records.with_env(
        records.env(
            context={key: value for key, value in context.items() if not drop(key)}
        )
    )


def prefetch_readable(records):
    """Read ``records`` not read yet in one query, as the user reads them,
    where the code that follows reads them one by one, each a query of its
    own in a new transaction. Those he may not read are left to the read
    that refuses them; nothing when he may read none of the model."""
    todo = records.filtered(lambda record: "create_date" not in record._cache)
    if todo and todo.browse().has_access("read"):
        todo.with_context(active_test=False).search_fetch([("id", "in", todo.ids)])


def names_for_caller(records, neutral):
    """The numbers (``name``) of ``records`` as a message tells the user who
    calls, the user of their environment whether it is sudo or not: those he
    may read, joined, or ``neutral`` (a translated wording naming none) when
    he may read none of them. A refusal tells nothing of a record its caller
    may not read, though the check before it read them with sudo; server
    code acting as the superuser reads them all."""
    # the caller's own rights, though the check read the records with sudo
    readable = records.with_env(records.env(su=False))._filtered_access("read")
    # sudo: the numbers of the records he may read
    return ", ".join(readable.sudo().mapped("name")) or neutral


def readable_name(record, field="name"):
    """The number (``name``, or ``field``) of ``record``, read with sudo by a
    check, for a refusal that names it, once Odoo's access rights let the
    user who calls read it: asked first, a caller who may not (a user of
    another company, an employee outside stock) is refused by Odoo and
    learns nothing of it; server code acting as the superuser reads it."""
    record.with_env(record.env(su=False)).check_access("read")
    # sudo: the name of a record the caller may read
    return record.sudo()[field]


def read_int_param(env, key, default):
    """The system parameter ``key`` as a whole number; ``default`` when unset
    or not a number."""
    # sudo: reads a system parameter only
    value = env["ir.config_parameter"].sudo().get_param(key)
    try:
        return int(float(value)) if value else default
    except ValueError:
        return default


def list_action(env, xmlid, domain, **context):
    """The window action ``xmlid`` on the records of ``domain``, with
    ``context`` instead of the action's own (its defaults left out)."""
    action = env["ir.actions.act_window"]._for_xml_id(xmlid)
    action["domain"] = domain
    action["context"] = context
    return action


def related_action(record, xmlid, field, **context):
    """The window action ``xmlid`` on the records whose ``field`` is
    ``record``; new ones are created for it (``default_<field>``), with the
    other defaults of ``context``."""
    record.ensure_one()
    return list_action(
        record.env,
        xmlid,
        [(field, "=", record.id)],
        **{f"default_{field}": record.id, **context},
    )


def form_action(record):
    """The window action opening ``record`` in its form."""
    return {
        "type": "ir.actions.act_window",
        "res_model": record._name,
        "res_id": record.id,
        "view_mode": "form",
    }


def wizard_action(record, model, field, name, **defaults):
    """The window action opening a new ``model`` (a wizard) for ``record``
    in a dialog titled ``name``: its ``field`` is ``record``, its other
    defaults ``defaults`` (``field=value``)."""
    record.ensure_one()
    defaults[field] = record.id
    return {
        "type": "ir.actions.act_window",
        "name": name,
        "res_model": model,
        "view_mode": "form",
        "target": "new",
        "context": {f"default_{key}": value for key, value in defaults.items()},
    }


def assign_counts(records, **counts):
    """Set on each of ``records`` the count fields ``counts`` (``name=(model,
    field)``): how many ``model`` records point to it through ``field`` (one
    grouped read a model), 0 when none do."""
    found = {
        name: dict(
            records.env[model]._read_group(
                [(field, "in", records.ids)], [field], ["__count"]
            )
        )
        for name, (model, field) in counts.items()
    }
    for record in records:
        for name, record_counts in found.items():
            record[name] = record_counts.get(record, 0)


def parents_of_new(model, vals_list, field_name):
    """The records that the records of ``vals_list``, about to be created in
    ``model``, will hang on by ``field_name``: the one each gives, or the one
    create() will set by default (a context key, a user default)."""
    default = (
        model.default_get([field_name]).get(field_name)
        if any(field_name not in vals for vals in vals_list)
        else False
    )
    return model.env[model._fields[field_name].comodel_name].browse(
        {vals.get(field_name, default) for vals in vals_list} - {False, None}
    )


def readable_parents_of_new(model, vals_list, field_name):
    """``parents_of_new``, once Odoo's access rights let the user create
    records of ``model`` and read each of those parents. Odoo checks them in
    ``create`` only, after the override's own checks, which read the parents
    as superuser and name them in their refusals (a number, a state): asked
    first, a user who may not read them (another dealer's portal login, an
    employee outside after-sales, a user of another company, R-047, R-055)
    is refused by Odoo and learns nothing of them."""
    model.check_access("create")
    parents = parents_of_new(model, vals_list, field_name)
    parents.check_access("read")
    return parents


def readable_parent_of_write(records, vals, field_name):
    """``readable_parents_of_new`` for a write: the record ``vals``, about
    to be written on ``records``, gives them in ``field_name`` (none when it
    gives none), once Odoo's access rights let the user write ``records``
    and read that record. Odoo checks them in ``write`` only, after the
    override's own checks and the constraints, which read the record as
    superuser and name it in their refusals, as Odoo's own company check
    does: asked first, a user who may not read it (a forklift of another
    company, R-047) is refused by Odoo and learns nothing of it."""
    records.check_access("write")
    parent = records.env[records._fields[field_name].comodel_name].browse(
        named_id(vals.get(field_name))
    )
    parent.check_access("read")
    return parent


def with_defaults(model, vals_list, names):
    """``vals_list``, about to be created in ``model``, each with the default
    Odoo gives the fields ``names`` it does not give itself (``default_get``:
    a ``default_<name>`` context key, a user's own saved default, the field's
    default). A client sends any context with any call (an RPC's
    ``kwargs.context``) and saves defaults of his own, so a check of the
    values ``create`` stores in a guarded field reads them here, not in
    ``vals`` alone."""
    missing = [name for name in names if any(name not in vals for vals in vals_list)]
    defaults = model.default_get(missing) if missing else {}
    if not defaults:
        return vals_list
    return [{**defaults, **vals} for vals in vals_list]


def check_signature_image(env, image):
    """Refuse ``image`` (base64, as a client sends it) unless it is a PNG or
    JPEG: an SVG signature, stored as is, is a page of script served from
    the document (Odoo's image fields keep an SVG unchanged)."""
    try:
        data = base64.b64decode(image, validate=True)
    except (binascii.Error, TypeError, ValueError) as error:
        raise UserError(env._("Invalid signature data.")) from error
    if not data.startswith(SIGNATURE_MAGIC):
        raise UserError(env._("A signature must be a PNG or JPEG image."))


def check_hour_meter(env, hours):
    """Refuse an hour meter that no forklift can read: negative, above the
    six digits of a meter, or not a number at all (``inf`` and ``nan`` parse
    as floats, from a portal form as from JSON-RPC); a meter of infinity
    would end the warranty by hours and refuse every true reading after it."""
    if hours is None or not math.isfinite(hours) or not 0 <= hours <= HOUR_METER_MAX:
        raise UserError(
            env._(
                "An hour meter reads from 0 to %(max)s hours: %(hours)s is not a "
                "reading.",
                max=HOUR_METER_MAX,
                hours=hours,
            )
        )


# The longest warranty a service commitment letter or a forklift model gives:
# a century, well before the warranty end of a forklift runs beyond the
# calendar (year 9999).
WARRANTY_MONTHS_MAX = 1200


def check_warranty_months(record, months):
    """Refuse a warranty period of ``months`` for ``record`` (a letter, a
    forklift model) that a forklift's warranty end cannot be computed from:
    above ``WARRANTY_MONTHS_MAX``."""
    if months > WARRANTY_MONTHS_MAX:
        raise ValidationError(
            record.env._(
                "%(letter)s: a warranty period of %(months)s months is "
                "not credible; it is at most %(max)s months.",
                letter=record.display_name,
                months=months,
                max=WARRANTY_MONTHS_MAX,
            )
        )


# the years of an after-sales date, the same the portal's date inputs take
# (controllers/portal.py): 1900 or 2999 typed for 2029 is no date of it
DATE_FIRST_YEAR = 2000
DATE_LAST_YEAR = 2999
# how far ahead a date is planned (an event, a meeting, an arrival asked
# for), in years
PLAN_AHEAD_YEARS = 5


def check_plausible_date(record, name, earliest=None, latest=None, planned_from=None):
    """Refuse the date of the field ``name`` of ``record`` (a date or a
    datetime, as the field holds it) unless it lies within the years of an
    after-sales date, not before ``earliest`` nor after ``latest`` and, when
    planned from the moment ``planned_from``, at most ``PLAN_AHEAD_YEARS``
    after it. A bound of days for a datetime field spans the whole day (UTC). A
    date out of range would stand as the record's: a notice due in 1899, a
    decision before its meeting, an arrival asked before the report."""
    value = record[name]
    if not value:
        return
    env = record.env
    is_datetime = isinstance(value, datetime)

    def as_value(moment, end=False):
        if is_datetime and not isinstance(moment, datetime):
            return datetime.combine(moment, time.max if end else time.min)
        if not is_datetime and isinstance(moment, datetime):
            return moment.date()
        return moment

    lows = [date(DATE_FIRST_YEAR, 1, 1), earliest]
    highs = [date(DATE_LAST_YEAR, 12, 31), latest]
    if planned_from:
        highs.append(planned_from + relativedelta(years=PLAN_AHEAD_YEARS))
    low = max(as_value(bound) for bound in lows if bound)
    high = min(as_value(bound, end=True) for bound in highs if bound)
    if not low <= value <= high:
        show = format_datetime if is_datetime else format_date
        raise ValidationError(
            env._(
                "%(field)s cannot be %(date)s: give a date from %(first)s to %(last)s.",
                field=record._fields[name].get_description(env)["string"],
                date=show(env, value),
                first=show(env, low),
                last=show(env, high),
            )
        )


def x2many_ids_after(ids, commands):
    """The ids an x2many field holding ``ids`` (files, recipients) holds
    after the x2many ``commands`` (or a recordset, or bare ids), and whether
    they create or rewrite a record."""
    if isinstance(commands, models.BaseModel):
        return set(commands.ids), False
    ids, touched = set(ids), False
    for command in commands or [Command.clear()]:
        if not isinstance(command, (list, tuple)):
            ids.add(command)
        elif command[0] in (Command.CREATE, Command.UPDATE):
            touched = True
        elif command[0] in (Command.DELETE, Command.UNLINK):
            ids.discard(command[1])
        elif command[0] == Command.LINK:
            ids.add(command[1])
        elif command[0] == Command.CLEAR:
            ids.clear()
        elif command[0] == Command.SET:
            ids = set(command[2])
    return ids, touched

"""The fields the after-sales documents declare alike, made in one place.

Each document names its own states, strings and help; what it shares with
the others (its flow's state tracked in the chatter and never copied, the
company it belongs to, its responsible, the users and moments its steps
stamp, a line's company taken from its document) is declared here once, so
that a fix of one of them reaches every document.
"""

from odoo import fields
from odoo.tools.misc import SENTINEL


def workflow_state(selection, default="draft", **attrs):
    """The state of a document's flow: required, tracked, not copied (a copy
    starts the flow again)."""
    return fields.Selection(
        selection, required=True, default=default, tracking=True, copy=False, **attrs
    )


def board_state(selection, default="draft"):
    """The state of a document worked on a kanban board by state: indexed,
    every column shown even when empty."""
    return workflow_state(selection, default, index=True, group_expand=True)


def company_field(**attrs):
    """The company of a document: the user's current one by default."""
    return fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, **attrs
    )


def responsible_field(**attrs):
    """The user responsible for a document: its creator by default."""
    return fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        **attrs,
    )


def stamp_user(string=SENTINEL, **attrs):
    """Who did a step of a document: set by the step, not copied."""
    return stamped(fields.Many2one, "res.users", string, **attrs)


def stamp_datetime(string=SENTINEL, **attrs):
    """When a step of a document was done: set by the step, not copied."""
    return stamped(fields.Datetime, string, **attrs)


def document_company(document_field, **attrs):
    """The company of a line: its document's, stored with the line."""
    return fields.Many2one(
        related=f"{document_field}.company_id", store=True, index=True, **attrs
    )


def stamped(field_class, *args, **attrs):
    """A value a step of the flow sets: read-only in the forms, not copied."""
    return field_class(*args, readonly=True, copy=False, **attrs)


def sheet_link(**attrs):
    """The feedback sheet a record belongs to or comes from."""
    return fields.Many2one("forklift.feedback", string="Feedback Sheet", **attrs)


def unit_link(**attrs):
    """The forklift a record is about."""
    return fields.Many2one("forklift.unit", string="Forklift", **attrs)


def customer_link(**attrs):
    """The customer: the company that owns or uses the forklift."""
    return fields.Many2one("res.partner", string="Customer", **attrs)


def dealer_link(**attrs):
    """A forklift dealer: a partner marked as one."""
    return fields.Many2one(
        "res.partner", domain=[("is_forklift_dealer", "=", True)], **attrs
    )


def current_user(**attrs):
    """A user acting on the record: the current user by default."""
    return fields.Many2one("res.users", default=lambda self: self.env.user, **attrs)


def report_column(field_class, *args, **attrs):
    """A column of a report the database computes (a model with no table of
    its own, ``_auto = False``): read-only."""
    return field_class(*args, readonly=True, **attrs)


def computed_editable(field_class, compute, *args, **attrs):
    """A value the server computes from other fields as they change, which a
    user may then correct: computed, stored, editable."""
    return field_class(*args, compute=compute, store=True, readonly=False, **attrs)

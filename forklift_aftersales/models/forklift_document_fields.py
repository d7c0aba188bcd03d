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
    return fields.Many2one("res.users", string, readonly=True, copy=False, **attrs)


def stamp_datetime(string=SENTINEL, **attrs):
    """When a step of a document was done: set by the step, not copied."""
    return fields.Datetime(string, readonly=True, copy=False, **attrs)


def document_company(document_field, **attrs):
    """The company of a line: its document's, stored with the line."""
    return fields.Many2one(
        related=f"{document_field}.company_id", store=True, index=True, **attrs
    )

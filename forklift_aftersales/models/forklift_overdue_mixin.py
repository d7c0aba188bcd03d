from odoo import api, fields, models
from odoo.fields import Domain


def search_flag(domain, operator, value):
    """The search of a computed boolean flag that is true on ``domain``: Odoo
    19 turns every search of a boolean into ``in`` with the values sought;
    any other operator is left to the ORM."""
    if operator != "in":
        return NotImplemented
    return domain if True in value else ~domain


def deadline_passed_domain(state, deadline_field, pending_field=None):
    """The records in ``state`` whose ``deadline_field`` (a datetime) has
    passed, with ``pending_field``, what the deadline waits for, still
    empty."""
    domain = Domain("state", "=", state) & Domain(
        deadline_field, "<", fields.Datetime.now()
    )
    return domain & Domain(pending_field, "=", False) if pending_field else domain


def company_day_passed_domain(model, deadline_field):
    """The records whose ``deadline_field`` (a date) is before today where
    their own company is (its address's time zone,
    ``res.company._forklift_today``), whatever time zone the user's context or
    preferences name, which would move the day either way: one domain for
    every company, so that a search, a flag computed on records of several
    companies and a scheduled job agree. A record of no company (or a model
    without one) takes the day of the user's current company."""
    today = model.env.company._forklift_today()
    if "company_id" not in model._fields:
        return Domain(deadline_field, "<", today)
    # sudo: every company's day, whoever asks (a job sees every company)
    Company = model.env["res.company"].sudo()
    companies = Company.browse(Company._forklift_all_company_ids())
    return Domain.OR(
        [
            Domain("company_id", "in", day_companies.ids)
            & Domain(deadline_field, "<", day)
            for day, day_companies in companies.grouped(
                lambda company: company._forklift_today()
            ).items()
        ]
        + [Domain("company_id", "=", False) & Domain(deadline_field, "<", today)]
    )


def compute_flags(records, domains):
    """Set each computed boolean flag of ``domains`` ({field: domain}) on
    ``records``: true where the record matches the field's domain, the same
    domain its search and its reminder use, so the three never disagree."""
    for field, domain in domains.items():
        flagged = records.filtered_domain(domain)
        for record in records:
            record[field] = record in flagged


class ForkliftOverdueMixin(models.AbstractModel):
    """A record is overdue once its deadline day has passed, where its
    company is, while it is still in one of its open states. Each model names
    its deadline field and open states, and may narrow
    ``_get_overdue_domain``; the flag is computed and searchable (list
    filters, crons) from that one domain."""

    _name = "forklift.overdue.mixin"
    _description = "Forklift Overdue Mixin"
    _overdue_deadline_field = "deadline"
    _overdue_open_states = ("draft",)
    # what else than the deadline the flag reads: the fields of a model that
    # narrows ``_get_overdue_domain`` otherwise than by its state
    _overdue_depends = ("state",)

    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )

    @api.depends_context("date")
    @api.depends(lambda self: (*self._overdue_depends, self._overdue_deadline_field))
    def _compute_is_overdue(self):
        compute_flags(self, {"is_overdue": self._get_overdue_domain()})

    def _search_is_overdue(self, operator, value):
        return search_flag(self._get_overdue_domain(), operator, value)

    def _get_overdue_domain(self):
        return Domain(
            "state", "in", list(self._overdue_open_states)
        ) & company_day_passed_domain(self, self._overdue_deadline_field)

from odoo import api, models
from odoo.fields import Domain
from odoo.orm.domains import DomainAnd, DomainCondition
from odoo.tools import SQL

from ..tools import MODEL_PATTERN, check_access_by_search, is_aftersales_model


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _search(
        self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kw
    ):
        """A follower row of an after-sales document is read by who reads the
        document: Odoo lets every internal user read every follower row
        (document, id, partner), so the export division would learn which
        customer, dealer or colleague follows which domestic sheet or forklift
        (R-047, 000-I L25). Odoo reads a row's fields through this search
        (``fetch``), so it serves reading by id too. The mail machinery
        (subscribing, notifying) reads the followers as superuser or in SQL,
        unaffected."""
        domain = Domain(domain)
        if not (self.env.su or bypass_access or self._names_other_models(domain)):
            domain &= self._get_readable_documents_domain(
                super()._search(
                    domain & Domain("res_model", "=like", MODEL_PATTERN), **kw
                )
            )
        return super()._search(
            domain, offset, limit, order, bypass_access=bypass_access, **kw
        )

    @api.model
    def _names_other_models(self, domain):
        """Whether ``domain`` keeps the rows of documents of models it names,
        none of them an after-sales one (the followers of a sale order): such
        a search needs no look at the after-sales documents followed."""
        for part in domain.children if isinstance(domain, DomainAnd) else (domain,):
            if (
                isinstance(part, DomainCondition)
                and part.field_expr == "res_model"
                and part.operator in ("=", "in")
            ):
                names = part.value if part.operator == "in" else (part.value,)
                return isinstance(names, (list, tuple, set, frozenset)) and all(
                    isinstance(name, str) and not is_aftersales_model(name)
                    for name in names
                )
        return False

    def _check_access(self, operation):
        """The same for the checks that do not read a column (``check_access``,
        ``has_access``): a row of a document the user may not read is
        forbidden to him."""
        return check_access_by_search(self, operation, super()._check_access(operation))

    @api.model
    def _get_readable_documents_domain(self, query):
        """The rows of the after-sales documents the user reads, among those
        of ``query`` (the rows of after-sales documents searched): one
        subquery per model they follow (its own access rules), in the one
        search, not a check per row; the rows of other documents as Odoo
        gives them."""
        names = (
            []
            if query.is_empty()
            else [
                name
                for [name] in self.env.execute_query(
                    query.select(
                        SQL(
                            "DISTINCT %s",
                            self._field_to_sql(self._table, "res_model", query),
                        )
                    )
                )
            ]
        )
        domain = Domain("res_model", "not =like", MODEL_PATTERN)
        for name in names:
            if name in self.env and self.env[name].has_access("read"):
                domain |= Domain("res_model", "=", name) & Domain(
                    "res_id",
                    "in",
                    self.env[name].with_context(active_test=False)._search([]),
                )
        return domain

from odoo import api, models, tools


class IrSequence(models.Model):
    _name = "ir.sequence"
    _inherit = ["ir.sequence", "forklift.cached.mixin"]
    # the sequence of a code is cached per company
    _forklift_cached_fields = ("code", "company_id", "active")

    @api.model
    @tools.ormcache("code", "company_id")
    def _forklift_get_sequence_id(self, code, company_id):
        """The sequence ``next_by_code`` draws from for ``code`` in the
        company: the company's own, else a shared one. Kept in the registry's
        cache, cleared when a sequence changes its code, company or activity."""
        # sudo: the record rules of sequences only keep the user's companies,
        # and the domain already does
        sequence = self.sudo().search(
            [("code", "=", code), ("company_id", "in", [company_id, False])],
            order="company_id",
            limit=1,
        )
        return sequence.id

    @api.model
    def _forklift_next_by_code(self, code):
        """``next_by_code`` without searching the sequence for each record
        numbered."""
        self.browse().check_access("read")
        sequence_id = self._forklift_get_sequence_id(code, self.env.company.id)
        if not sequence_id:
            return False
        return self.browse(sequence_id)._next()

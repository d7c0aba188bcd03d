from odoo import api, fields, models
from odoo.exceptions import AccessError


def sets_shared_setup(env):
    """Whether the user of ``env`` may set what every company shares: the
    settings administrator, or a user who works in every company."""
    user = env.user
    if user.has_group("base.group_system"):
        return True
    # sudo: every company of the group, those the user is not in included
    return not (
        env["res.company"]
        .sudo()
        .search_count([("id", "not in", user.company_ids.ids)], limit=1)
    )


class ForkliftSharedSetupMixin(models.AbstractModel):
    """Setup of the procedure that every company shares: a line left without
    a company (a response commitment, a make-up working day of a schedule of
    no company, a duty, a document code, a report list), and the lines of a
    model without companies (fault categories, training topics, committee
    seats). A company's own lines are its director's, as the record rules say
    (R-044); a shared line sets how every company works (its deadlines, who
    holds its duties, whom its reports go to), so only a user who works in
    every company, or the settings administrator, creates, changes, deletes
    or shares one. Data files load them as the superuser."""

    _name = "forklift.shared.setup.mixin"
    _description = "Forklift Setup Shared by the Companies"

    @api.model
    def _forklift_company_source(self):
        """The field a line's company is written through: ``company_id``, or
        the link it is related to (a make-up day's schedule); False for a
        model without companies."""
        field = self._fields.get("company_id")
        if not field:
            return False
        return field.related.split(".")[0] if field.related else "company_id"

    def _forklift_shared(self):
        """The lines of ``self`` every company shares."""
        if not self._forklift_company_source():
            return self
        # sudo: the company a line belongs to (a schedule's), whoever edits it
        return self.filtered(lambda line: not line.sudo().company_id)

    def _check_forklift_shared_setup(self):
        if self.env.su or not self._forklift_shared() or sets_shared_setup(self.env):
            return
        raise AccessError(
            self.env._(
                "%(record)s is shared by every company: only a director of every "
                "company, or the administrator, creates, changes or deletes it.",
                record=self._forklift_shared()[:1].display_name or self._description,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # before the line is created, whose constraints would otherwise
            # speak first; sudo: a new line, to read its company's source
            self.sudo().browse().concat(
                *(
                    self.sudo().new(self._add_missing_default_values(vals))
                    for vals in vals_list
                )
            ).with_env(self.env)._check_forklift_shared_setup()
        return super().create(vals_list)

    def write(self, vals):
        # Odoo's access rights first: the check reads the lines' companies as
        # superuser and names a shared line
        self.check_access("write")
        self._check_forklift_shared_setup()
        source = self._forklift_company_source()
        if source in vals and not self.env.su:
            # before the write, whose constraints would otherwise speak first;
            # sudo: the lines as they would be, to read their company
            self.sudo().browse().concat(
                *(
                    self.sudo().new({source: vals[source]}, origin=line)
                    for line in self.sudo()
                )
            ).with_env(self.env)._check_forklift_shared_setup()
        res = super().write(vals)
        self._check_forklift_shared_setup()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_forklift_shared_setup(self):
        self._check_forklift_shared_setup()


class ForkliftSharedSetupLineMixin(models.AbstractModel):
    """A shared setup line that is named, ordered and archived (a response
    commitment, a report list): its name is translated for every company."""

    _name = "forklift.shared.setup.line.mixin"
    _inherit = ["forklift.shared.setup.mixin"]
    _description = "Forklift Named Setup Line Shared by the Companies"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

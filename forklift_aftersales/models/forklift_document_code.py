from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ForkliftDocumentCode(models.Model):
    """The document code of a quality record (质量记录, 000 §6, R-136).

    Every form of the procedure is a quality record with a code of the
    company's document system, MC·JL-××-XS《…》, the two statistics tables
    with -1 and -2. The code of each form is set here by the after-sales
    manager and printed at the top of its PDF and its XLSX.
    """

    _name = "forklift.document.code"
    _inherit = ["forklift.shared.setup.mixin"]
    _description = "Forklift Quality Record Code"
    _order = "sequence, id"
    _rec_names_search = ["code", "name"]

    key = fields.Char(
        required=True,
        help="Technical name the printed forms look the code up by.",
    )
    name = fields.Char(string="Form", required=True, translate=True)
    code = fields.Char(
        string="Document Code",
        required=True,
        help="Printed at the top of the form, e.g. MC·JL-05-XS.",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty for every company; a code of a company replaces it "
        "for that company.",
    )
    note = fields.Char(help="Where the procedure lists the form.")

    @api.depends("code", "name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.code}《{record.name}》"

    @api.constrains("key", "company_id")
    def _check_one_code_per_form(self):
        for record in self:
            if self.search_count(
                [
                    ("id", "!=", record.id),
                    ("key", "=", record.key),
                    ("company_id", "=", record.company_id.id),
                ]
            ):
                raise ValidationError(
                    self.env._("%s already has its document code.", record.name)
                )

    @api.model
    def _get_code(self, key, company=None):
        """The code record of the form ``key`` for ``company`` (its own, else
        the one of every company); empty when the form has none."""
        company = company or self.env.company
        # sudo: the code is printed on every copy of the form, whoever prints
        # it (a dealer on the portal included)
        records = self.sudo().search(
            [("key", "=", key), ("company_id", "in", [company.id, False])]
        )
        return records.filtered("company_id")[:1] or records[:1]

from odoo import models
from odoo.exceptions import UserError


class Base(models.AbstractModel):
    _inherit = "base"

    def _check_company(self, fnames=None):
        """Odoo's company check refuses a record linked to one of another
        company and names that record, read as superuser, in its refusal
        (its number and title). A caller who may not read it (a user of
        another company naming its sheet by id over RPC, R-047, R-055) is
        refused by Odoo's access rights instead and learns nothing of it;
        one who may read it is told as before."""
        try:
            return super()._check_company(fnames)
        except UserError:
            self._check_company_links_readable(fnames)
            raise

    def _check_company_links_readable(self, fnames=None):
        """Refuse, with Odoo's access error, a caller who may not read a
        record these records link to in a field whose company Odoo checks
        (``fnames``, all by default, as ``_check_company``)."""
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = self._fields
        caller = self.env(su=False)
        for name in fnames:
            field = self._fields[name]
            if field.relational and field.check_company:
                # sudo: the records linked, as Odoo's check reads them
                self.sudo().mapped(name).with_env(caller).check_access("read")

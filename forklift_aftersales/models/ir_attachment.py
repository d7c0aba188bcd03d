from odoo import api, models, tools
from odoo.exceptions import UserError

# what makes an attachment the file it is
FILE_FIELDS = {"datas", "raw", "db_datas", "store_fname", "url", "type", "name"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def write(self, vals):
        if FILE_FIELDS & set(vals):
            self._check_forklift_files_kept()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_forklift_files_kept(self):
        self._check_forklift_files_kept()

    @api.model
    @tools.ormcache()
    def _get_forklift_file_fields(self):
        """(model, field) of the after-sales documents' file lists: a local
        purchase's seller invoice, a sheet's or a service order's photos.
        Fixed by the registry: computed once."""
        flow = self.pool["forklift.flow.mixin"]
        return tuple(
            (name, field.name)
            for name, model in self.pool.items()
            if issubclass(model, flow) and not model._abstract
            for field in model._fields.values()
            if field.type == "many2many"
            and field.comodel_name == "ir.attachment"
            and field.store
            and not field.compute
        )

    def _check_forklift_files_kept(self):
        """A file a document holds in a field it no longer lets change (a
        local purchase's seller invoice once its approval is asked, R-017,
        R-103) is part of what was approved or signed: whoever could write
        the attachment itself (its uploader) neither replaces nor deletes
        it. The server's own processes run as superuser."""
        if self.env.su or not self:
            return
        for model_name, field_name in self._get_forklift_file_fields():
            # sudo: the documents holding the files, whoever writes them
            records = self.env[model_name].sudo()
            for record in records.search([(field_name, "in", self.ids)]):
                if field_name in record._get_locked_fields():
                    raise UserError(
                        self.env._(
                            "%(document)s holds this file as %(field)s and no "
                            "longer lets it change: it is neither replaced nor "
                            "deleted.",
                            document=record.display_name,
                            field=record._fields[field_name].get_description(self.env)[
                                "string"
                            ],
                        )
                    )

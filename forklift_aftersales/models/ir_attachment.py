from odoo import api, models, tools
from odoo.exceptions import AccessError, UserError

from ..tools import is_aftersales_model, with_defaults
from .forklift_flow_mixin import FLOW_MARK

# what makes an attachment the file it is
FILE_FIELDS = {"datas", "raw", "db_datas", "store_fname", "url", "type", "name"}
# how /web/content serves it, and to whom beyond the readers of its record:
# published to anyone, to whoever holds its token, as the type it names
SERVE_FIELDS = {"public", "access_token", "mimetype"}
# what makes an attachment the value of a record's binary field
LINK_FIELDS = ("res_model", "res_id", "res_field")


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        # where the files go, given in the values or as context defaults
        links = with_defaults(self, vals_list, LINK_FIELDS)
        self._check_forklift_portal_files(links)
        self._check_forklift_binary_kept(
            [tuple(vals.get(name) for name in LINK_FIELDS) for vals in links]
        )
        return super().create(vals_list)

    def write(self, vals):
        # Odoo's own first check, before the guards below, which read the
        # documents holding the files as superuser and name them
        self.check_access("write")
        if {"res_model", "res_id"} & set(vals):
            # Odoo's mail routes move a portal user's pending upload onto the
            # document he posts on (``_process_attachments_for_post``)
            self._check_forklift_portal_files(
                [
                    {
                        "res_model": vals.get("res_model", attachment.res_model),
                        "res_field": vals.get("res_field", attachment.res_field),
                    }
                    for attachment in self
                ]
            )
        if (FILE_FIELDS | SERVE_FIELDS | set(LINK_FIELDS)) & set(vals):
            # a kept file is neither replaced nor renamed, nor moved to
            # another record, where other rights would read or delete it;
            # nor published, shared by a link or served as another type
            self._check_forklift_files_kept(
                served=not (FILE_FIELDS | set(LINK_FIELDS)) & set(vals)
            )
        if not self.env.su:
            # any change of a file that is a binary field's value, and a move
            # of a file into or out of such a field
            links = self._get_forklift_binary_links()
            if set(LINK_FIELDS) & set(vals):
                links += [
                    tuple(
                        vals.get(name, old)
                        for name, old in zip(LINK_FIELDS, link, strict=True)
                    )
                    for link in links
                ]
            self._check_forklift_binary_kept(links)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_forklift_files_kept(self):
        self._check_forklift_files_kept()
        self._check_forklift_binary_kept(self._get_forklift_binary_links())

    def _delete_and_notify(self, message=None):
        """Odoo's mail routes delete as superuser a file whoever may write it
        asks to delete (``/mail/attachment/delete``), and every file of a
        comment its author edits without them (``/mail/message/update_content``):
        a report's XLSX, a service order's signature went so. The files the
        after-sales documents keep stay, whoever asks (R-007, R-082, R-206)."""
        # the caller's own rights: the routes checked in sudo only that he may
        # write the file, not that its document lets it go
        self.sudo(False)._unlink_except_forklift_files_kept()
        return super()._delete_and_notify(message)

    def _check_forklift_portal_files(self, vals_list):
        """A dealer, customer or supplier sends files to an after-sales
        document only through the forms of its portal page, which check them
        (a PDF, JPEG or PNG within the size cap, at the step that asks for
        it: 000 §4.2.2.2, R-082, R-068); Odoo's mail upload stores any file
        on a document whose access token he holds, and its posts move his
        pending uploads onto the document. His files reach these
        documents only as the forms' server code stores them (the flow
        mark), or as the value of a binary field the document checks."""
        if not self.env.user.share or FLOW_MARK.is_on(self.env):
            return
        for vals in vals_list:
            if is_aftersales_model(vals.get("res_model")) and not vals.get("res_field"):
                raise AccessError(
                    self.env._(
                        "Files reach an after-sales document from the portal only "
                        "through the forms of its page (a PDF, JPEG or PNG where "
                        "the page asks for one), not attached to a message."
                    )
                )

    def _get_forklift_binary_links(self):
        """(res_model, res_id, res_field) of each of these attachments."""
        # sudo: where the attachments are stored, whoever writes them
        return [
            tuple(attachment[name] for name in LINK_FIELDS)
            for attachment in self.sudo()
        ]

    def _check_forklift_binary_kept(self, links):
        """A file stored as the binary field of an after-sales document (a
        service order's signature or stamp, an accepted commissioning's
        signature, a customer's consent to a paid service) changes as the
        document's own field does (R-005, R-206; 000 §4.2.1.2, 第四篇 §1):
        ``links``, the (res_model, res_id, res_field) an attachment has or is
        given, must not name a field the document refuses the user now, a flow
        field, a fixed field or one locked in its state, whatever his rights
        on the document.
        The document's own steps write their files as superuser."""
        if self.env.su:
            return
        flow = self.pool["forklift.flow.mixin"]
        for model_name, res_id, field_name in links:
            model = self.env.get(model_name) if model_name and field_name else None
            if model is None or not isinstance(model, flow):
                continue
            field = model._fields.get(field_name)
            if not field or field.type != "binary":
                continue
            # sudo: the document's state decides, whoever writes the file
            record = model.sudo().browse(res_id).exists() if res_id else model
            if field_name in record._get_guarded_fields() | record._get_fixed_fields():
                record._raise_flow_fields({field_name})
            if record and field_name in record._get_locked_fields():
                # the refusal names the document and its state: Odoo's rights
                # answer first, a file of it needing the document's write
                record.with_env(self.env).check_access("write")
                raise UserError(record._get_state_locked_message({field_name}))

    @api.model
    @tools.ormcache()
    def _get_forklift_file_fields(self):
        """(model, field) of the after-sales documents' files, lists and
        single files alike: a local purchase's seller invoice, a sheet's or a
        service order's photos, a service order's signed sheet, a report's
        XLSX and PDF.
        Fixed by the registry: computed once."""
        flow = self.pool["forklift.flow.mixin"]
        return tuple(
            (name, field.name)
            for name, model in self.pool.items()
            if issubclass(model, flow) and not model._abstract
            for field in model._fields.values()
            if field.type in ("many2many", "many2one")
            and field.comodel_name == "ir.attachment"
            and field.store
            and not field.compute
        )

    def _get_forklift_file_keepers(self):
        """(document, field name) of each after-sales document that holds one
        of these files in a field it no longer lets change."""
        for model_name, field_name in self._get_forklift_file_fields():
            # sudo: the documents holding the files, whoever writes them
            records = self.env[model_name].sudo()
            for record in records.search([(field_name, "in", self.ids)]):
                if field_name in record._get_locked_fields():
                    yield record, field_name

    def _check_forklift_files_kept(self, served=False):
        """A file a document holds in a field it no longer lets change (a
        local purchase's seller invoice once its approval is asked, R-017,
        R-103; the signed sheet a dealer returned for a service order, R-082,
        000 §4.2.2.2; the files of a produced report, which its "Mailed to"
        message and mail carry once sent, R-007, R-170, R-256) is part of
        what was approved, signed or mailed: whoever could write the
        attachment itself (its uploader, the document's staff) neither
        replaces, renames, moves nor deletes it. Nor, ``served``, does he
        publish it (downloaded logged out from ``/web/content``), give it an
        access token (a link that opens it to anyone) or change its type
        (served as a page from the document): the document's readers read
        it, as what it is. The server's own processes run as superuser."""
        if self.env.su or not self:
            return
        for record, field_name in self._get_forklift_file_keepers():
            names = {
                "document": record.display_name,
                "field": record._fields[field_name].get_description(self.env)["string"],
            }
            if served:
                raise UserError(
                    self.env._(
                        "%(document)s holds this file as %(field)s and no "
                        "longer lets it change: it is neither published, shared "
                        "by a link, nor served as another type.",
                        **names,
                    )
                )
            raise UserError(
                self.env._(
                    "%(document)s holds this file as %(field)s and no "
                    "longer lets it change: it is neither replaced nor "
                    "deleted.",
                    **names,
                )
            )

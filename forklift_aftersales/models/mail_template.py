from odoo import api, models
from odoo.exceptions import AccessError

from ..tools import is_aftersales_model
from .forklift_shared_setup_mixin import sets_shared_setup


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.model
    def _forklift_template_models(self, vals):
        """The models ``vals`` gives a template (its ``model_id``, or the
        ``model`` a client sends)."""
        names = {vals.get("model")}
        if vals.get("model_id"):
            # sudo: the name of a model, whoever asks
            names.add(self.env["ir.model"].sudo().browse(vals["model_id"]).model)
        return names

    def _check_forklift_template_editor(self, vals=None):
        """The templates of the after-sales documents say what the flow mails
        the dealers, suppliers, customers and leaders, from whom, to whom and
        through which server (R-003, R-055, R-145, R-258); as Odoo lets every
        internal user edit every template unless its rendering is restricted,
        only a director of every company, or the administrator, creates,
        changes (``vals``: on the templates' models or towards one), or
        deletes one. The templates are shared by the companies, as the shared
        setup is (``forklift.shared.setup.mixin``). Reading and rendering them
        stay open; the server's own writes (data files) pass."""
        if self.env.su:
            return
        # sudo: the model a template mails, whoever edits it
        names = set(self.sudo().mapped("model"))
        if vals:
            names |= self._forklift_template_models(vals)
        if not any(is_aftersales_model(name) for name in names):
            return
        user = self.env.user
        if user.has_group("base.group_system") or (
            user.has_group("forklift_aftersales.group_forklift_director")
            and sets_shared_setup(self.env)
        ):
            return
        raise AccessError(
            self.env._(
                "%(template)s mails the after-sales documents: only a service "
                "center director of every company, or the administrator, creates, "
                "changes or deletes such a template.",
                template=self.sudo()[:1].display_name
                or (vals or {}).get("name")
                or self._description,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                # with the defaults, as the model of the context
                self.browse()._check_forklift_template_editor(
                    self._add_missing_default_values(vals)
                )
        return super().create(vals_list)

    def write(self, vals):
        self._check_forklift_template_editor(vals)
        return super().write(vals)

    def unlink(self):
        self._check_forklift_template_editor()
        return super().unlink()

    def _update_field_translations(
        self, field_name, translations, digest=None, source_lang=""
    ):
        # the translations of a template are written without ``write``
        self._check_forklift_template_editor()
        return super()._update_field_translations(
            field_name, translations, digest=digest, source_lang=source_lang
        )

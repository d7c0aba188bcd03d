from odoo import api, models

from ..tools import is_aftersales_model

# what the composer copies, as superuser, of the message it answers
# (``parent_id``): its document, subject and recipients
PARENT_COPIED_FIELDS = frozenset({"model", "res_ids", "subject", "partner_ids"})


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _check_forklift_records_read(self, res_ids):
        """Odoo computes the composer's attachments (the template's reports),
        recipients and company as superuser: on an after-sales document or
        an order the after-sales flow made (a sheet's quote), a user who may
        not read it (an employee without the after-sales or sales groups,
        the staff of another company) would get its PDF, its dealer or
        customer and its company on the composer he creates by naming it
        with a template. They are rendered for those who read it (R-055,
        R-063, R-104)."""
        ids = [res_id for res_id in res_ids if res_id]
        if not ids or not isinstance(self.model, str) or self.model not in self.env:
            return
        user = self.env.user
        if user._is_superuser() or user.share:
            # the server's own mails: Odoo sends as the superuser, a portal
            # step as its portal user under sudo; only employees create a
            # composer themselves
            return
        # as the user himself: the computes run as superuser, his uid kept
        records = self.env[self.model].sudo(False).browse(ids)
        if is_aftersales_model(self.model) or (
            self.model == "sale.order" and records._get_forklift_flow_orders()
        ):
            records.check_access("read")

    def _check_forklift_parent_read(self):
        """The composer answering a message (``parent_id``) copies its
        document, subject and recipients as superuser (Odoo's computes), and
        names it when read: answering a message of an after-sales document or
        of a sheet's quote (``mail.message._get_forklift_kept``) that the
        user may not read (another company's sheet, a note kept from him),
        he would read them on the composer he creates, or on the values its
        form computes. Refused as the message itself is (R-055, R-063). What
        a post may answer is checked as it is sent
        (``mail.thread._check_forklift_parent_sent``)."""
        user = self.env.user
        if user._is_superuser() or user.share:
            # as in _check_forklift_records_read: the server's own mails
            return
        # sudo: which messages the composers answer, whoever creates them
        parents = self.sudo().parent_id._get_forklift_kept()
        # as the user himself: the computes run as superuser, his uid kept
        parents.sudo(False).check_access("read")

    @api.model_create_multi
    def create(self, vals_list):
        composers = super().create(vals_list)
        composers._check_forklift_parent_read()
        return composers

    def write(self, vals):
        result = super().write(vals)
        if "parent_id" in vals:
            self._check_forklift_parent_read()
        return result

    def _compute_field_value(self, field):
        # also the values a form's onchange computes, with no composer saved
        if field.name in PARENT_COPIED_FIELDS:
            self._check_forklift_parent_read()
        return super()._compute_field_value(field)

    def _compute_record_environment(self):
        for composer in self.filtered(lambda composer: not composer.composition_batch):
            composer._check_forklift_records_read(composer._evaluate_res_ids())
        return super()._compute_record_environment()

    def _generate_template_for_composer(
        self,
        res_ids,
        render_fields,
        allow_suggested=False,
        find_or_create_partners=True,
    ):
        self._check_forklift_records_read(res_ids)
        return super()._generate_template_for_composer(
            res_ids,
            render_fields,
            allow_suggested=allow_suggested,
            find_or_create_partners=find_or_create_partners,
        )

    def _action_send_mail_mass_mail(self, res_ids, auto_commit=False):
        """The mass-mail mode mails its recipients the rendered document
        without posting on it: on an after-sales document, the recipients a
        user names are those a post on it may have
        (``mail.thread._check_forklift_audience``), so that no customer,
        dealer or supplier is mailed a document he may not read (R-055,
        R-063); nor does he choose the Reply-To of its mails, a new thread
        for their answers, the server they leave by, nor the layout they are
        rendered in, as in a post (``mail.thread._check_forklift_sending_sent``,
        R-065); each mail takes its record's own company and alias domain;
        and, as a post, it answers only a message of its record
        (``mail.thread._check_forklift_parent_sent``): Odoo gives each mail's
        message the composer's parent as it is."""
        if is_aftersales_model(self.model):
            sending = {
                "reply_to": self.reply_to,
                "reply_to_force_new": self.reply_to_force_new,
                "mail_server_id": self.mail_server_id.id,
                "email_layout_xmlid": self.email_layout_xmlid,
            }
            for record in self.env[self.model].browse(res_ids):
                record._check_forklift_audience(self.partner_ids.ids)
                record._check_forklift_sending_sent(sending)
                record._check_forklift_parent_sent({"parent_id": self.parent_id.id})
        return super()._action_send_mail_mass_mail(res_ids, auto_commit=auto_commit)

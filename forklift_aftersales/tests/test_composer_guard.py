"""Odoo's mail composer renders a template's report attachments and
recipients as superuser (its stored computed fields): a user naming, with a
template, an after-sales document he may not read would get its PDF and
its recipients on the composer he creates (R-055, R-063; README "What no
user can do")."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestComposerGuard(ForkliftCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._service_order(cls._verified_case())
        cls.template = cls.env.ref(
            "forklift_aftersales.mail_template_service_order_dealer"
        )
        other_company = cls.env["res.company"].create({"name": "Other Forklifts Co."})
        # an internal user with no after-sales group, and after-sales staff
        # of another company: neither reads the order
        cls.outsiders = cls._group_user("wiz_employee", "base.group_user") | (
            cls._company_user("wiz_other_staff", "group_forklift_user", other_company)
        )

    def _quote(self):
        """A sheet's quote, made by the service center (R-104)."""
        unit = self._create_unit("SN-WIZ-QUOTE", acceptance=date(2024, 1, 10))
        return self._sheet_quote(unit, labour_hours=2)[1]

    def _composer(self, user, record, template=None):
        """The composer ``user`` opens with the document's template on
        ``record``, typing what Odoo would render as him (subject, body, language,
        author), so that it renders, as superuser, only the attachments and
        recipients."""
        return (
            self.env["mail.compose.message"]
            .with_user(user)
            .create(
                {
                    "composition_mode": "comment",
                    "model": record._name,
                    "res_ids": str(record.ids),
                    "template_id": (template or self.template).id,
                    "subject": "x",
                    "body": "<p>x</p>",
                    "lang": "en_US",
                    "email_from": user.email_formatted,
                    "author_id": user.partner_id.id,
                    "reply_to": user.email_formatted,
                    "scheduled_date": False,
                }
            )
        )

    def _assert_outsiders_render_nothing(self, record, template=None):
        """Each of the outsiders, who may not read ``record``, is refused the
        composer on it with ``template``: no file made."""
        Attachment = self.env["ir.attachment"].sudo()
        for user in self.outsiders:
            self.assertFalse(record.with_user(user).has_access("read"))
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                composer = self._composer(user, record, template)
                # the computed attachments and recipients, as the form reads them
                composer.read(["attachment_ids", "partner_ids"])
            self.assertFalse(
                Attachment.search(
                    [
                        ("res_model", "=", "mail.compose.message"),
                        ("create_uid", "=", user.id),
                    ]
                )
            )

    def test_composer_renders_no_report_of_a_document_one_may_not_read(self):
        """R-055: the service order's PDF and its dealer are not rendered
        for a user who may not read the order: refused, no file made."""
        self._assert_outsiders_render_nothing(self.order)

    def test_composer_renders_no_sheets_quote_one_may_not_read(self):
        """R-104: nor the PDF of a feedback sheet's quote (its customer, parts
        and prices) with Odoo's quotation template."""
        self._assert_outsiders_render_nothing(
            self._quote(), self.env.ref("sale.email_template_edi_sale")
        )

    def test_reader_still_gets_the_report_attached(self):
        """Staff who read the order open the composer with its PDF attached."""
        self.assertTrue(self.order.with_user(self.staff).has_access("read"))
        composer = self._composer(self.staff, self.order)
        self.assertTrue(composer.attachment_ids)
        composer.partner_ids = [Command.clear()]
        self.assertEqual(composer.model, "forklift.service.order")


@tagged("post_install", "-at_install")
class TestMailTemplateGuard(ForkliftCommon):
    """The flow mails the dealer its dispatch notice (R-055), the supplier
    its contact letter (R-003, R-086), the customer the survey link and the
    leaders the monthly report (R-145, R-258) with the templates of the
    after-sales documents. With Odoo's "restrict template rendering" off,
    every internal user edits every template: neither after-sales staff nor
    an employee of another department adds an outside address, sender,
    server, body or file to them, moves, archives or deletes them; only a
    director of every company, or the administrator, sets them (R-044)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # every internal user a template editor, as the setting makes them
        cls.env["ir.config_parameter"].set_param(
            "mail.restrict.template.rendering", False
        )
        cls.templates = cls.env["mail.template"].search(
            [("model", "=like", "forklift.%")]
        )
        cls.employee = cls._group_user("tmpl_employee", "base.group_user")
        cls.server = cls.env["ir.mail_server"].create(
            {"name": "Outside relay", "smtp_host": "smtp.outside.example.com"}
        )
        cls.outsider = cls.env["res.partner"].create(
            {"name": "Collector", "email": "collector@outside.example.com"}
        )

    def _attacks(self, template):
        """What a template editor would send over RPC on ``template``."""
        outside = "collector@outside.example.com"
        writes = {
            "email_to": {"email_to": outside},
            "email_cc": {"email_cc": outside},
            "partner_to": {"partner_to": str(self.outsider.id)},
            "email_from": {"email_from": outside},
            "reply_to": {"reply_to": outside},
            "mail_server_id": {"mail_server_id": self.server.id},
            "body_html": {"body_html": "<p>Pay to account 6222 0000</p>"},
            "subject": {"subject": "Urgent: new bank account"},
            "attachment_ids": {
                "attachment_ids": [
                    Command.create({"name": "invoice.pdf.exe", "raw": b"MZ"})
                ]
            },
            "use_default_to": {"use_default_to": False},
            "model_id": {"model_id": self.env["ir.model"]._get_id("res.partner")},
            "archived": {"active": False},
        }
        attacks = {
            name: lambda vals=vals: template.write(vals)
            for name, vals in writes.items()
        }
        attacks["translation"] = lambda: template.update_field_translations(
            "subject", {"en_US": "Urgent: new bank account"}
        )
        attacks["unlink"] = template.unlink
        return attacks

    def test_no_staff_or_employee_changes_the_flows_templates(self):
        names = set(self.templates.get_external_id().values())
        self.assertTrue(
            {
                "forklift_aftersales.mail_template_service_order_dealer",
                "forklift_aftersales.mail_template_satisfaction_survey",
                "forklift_aftersales.mail_template_oldpart_rejected",
                "forklift_aftersales.mail_template_forklift_aftersales_report",
            }
            <= names,
            names,
        )
        fields = ["name", "subject", "body_html", "email_to", "email_cc"]
        fields += ["partner_to", "email_from", "reply_to", "mail_server_id"]
        fields += ["attachment_ids", "model", "active", "use_default_to"]
        before = self.templates.read(fields)
        for user in (self.staff, self.employee):
            self.assertTrue(user.has_group("mail.group_mail_template_editor"))
            for template in self.templates.with_user(user):
                self._assert_attacks_refused(
                    self._attacks(template),
                    message="template",
                    user=user.login,
                    template=template.name,
                )
        self.assertEqual(self.templates.exists().read(fields), before)

    def test_no_new_or_moved_template_for_an_aftersales_document(self):
        """Nor does one add a template of an after-sales document (a copy of
        the dealer's notice, one of his own moved to the service order)."""
        order_model = self.env["ir.model"]._get_id("forklift.service.order")
        dealer_notice = self.env.ref(
            "forklift_aftersales.mail_template_service_order_dealer"
        )
        Template = self.env["mail.template"]
        for user in (self.staff, self.employee):
            # a template of his own, on contacts, stays his
            own = Template.with_user(user).create(
                {
                    "name": "My partner letter",
                    "model_id": self.env["ir.model"]._get_id("res.partner"),
                }
            )
            own.subject = "Hello"
            self._assert_attacks_refused(
                {
                    "create": lambda u=user: Template.with_user(u).create(
                        {"name": "Dispatch notice", "model_id": order_model}
                    ),
                    "create by default": lambda u=user: (
                        Template.with_user(u)
                        .with_context(default_model="forklift.service.order")
                        .create({"name": "Dispatch notice"})
                    ),
                    "copy": dealer_notice.with_user(user).copy,
                    "moved": lambda own=own: own.write({"model_id": order_model}),
                },
                message="template",
                user=user.login,
            )
        self.assertEqual(
            Template.search_count([("model", "=", "forklift.service.order")]), 1
        )

    def test_director_and_administrator_set_them_staff_still_use_them(self):
        """A director of every company, or the administrator, edits them;
        staff still render them (the flows' sending is tested with them)."""
        template = self.env.ref(
            "forklift_aftersales.mail_template_service_order_dealer"
        )
        template.with_user(self.director).email_cc = "dispatch@example.com"
        self.assertEqual(template.email_cc, "dispatch@example.com")
        template.with_user(self.env.ref("base.user_admin")).email_cc = False
        self.assertFalse(template.email_cc)
        order = self._service_order(self._verified_case())
        rendered = template.with_user(self.staff)._generate_template(
            order.ids, ["subject", "body_html"]
        )
        self.assertTrue(rendered[order.id]["subject"])

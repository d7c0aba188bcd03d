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

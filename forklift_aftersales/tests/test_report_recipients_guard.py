from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_reports import ForkliftReportCommon


@tagged("post_install", "-at_install")
class TestReportRecipientsGuard(ForkliftReportCommon):
    """The monthly statistics and analysis report goes to the active
    recipient lists of its market and company only, whatever context the
    client sends over RPC: a list the director retired, or a contact archived
    on a list, receives nothing (000 §4.1.6; R-073, R-170, R-256, R-258)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner_model = cls.env["res.partner"]
        cls.supplier_contact = partner_model.create(
            {
                "name": "Li Na",
                "parent_id": cls.seal_supplier.id,
                "email": "li.na@seal-supplier.example.com",
            }
        )
        cls.former_leader = partner_model.create(
            {"name": "Former leader", "email": "former.leader@example.com"}
        )
        recipient_model = cls.env["forklift.report.recipient"]
        cls.retired = recipient_model.create(
            {
                "name": "Seal supplier (retired)",
                "report_type": "monthly",
                "market": "domestic",
                "partner_ids": [Command.set(cls.supplier_contact.ids)],
                "cc_partner_ids": [Command.set(cls.supplier_contact.ids)],
            }
        )
        cls.retired.with_user(cls.director).active = False
        cls.monthly = cls.env.ref(
            "forklift_aftersales.report_recipient_monthly_domestic"
        )
        cls.monthly.with_user(cls.director).cc_partner_ids = [
            Command.link(cls.former_leader.id)
        ]
        cls.former_leader.active = False
        # another company of the technician, with a list of its own
        cls.other_company = cls.env["res.company"].create({"name": "Forklift South"})
        cls.technician.company_ids = [Command.link(cls.other_company.id)]
        cls.other_desk = partner_model.create(
            {"name": "South desk", "email": "south.desk@example.com"}
        )
        recipient_model.create(
            {
                "name": "South desk",
                "report_type": "monthly",
                "market": "domestic",
                "company_id": cls.other_company.id,
                "partner_ids": [Command.set(cls.other_desk.ids)],
            }
        )
        cls.outsiders = cls.supplier_contact | cls.former_leader | cls.other_desk

    def _widened(self, user):
        """``user``'s environment as a crafted RPC call makes it: archived
        records shown, every company of the user allowed."""
        return self.env(
            user=user,
            context=dict(
                self.env.context,
                active_test=False,
                allowed_company_ids=user.company_ids.ids,
            ),
        )

    @freeze_time("2026-04-02 08:00")
    def test_technician_sending_with_active_test_off_reaches_active_lists_only(self):
        """R-073, R-170, R-256: a technician producing and sending March's
        domestic statistics with ``active_test=False`` (and all his companies
        allowed) mails the active lists of the report's company only: not the
        supplier contact of the retired list, nor an archived contact, nor the
        other company's desk."""
        report = self.env["forklift.aftersales.report"].create(
            {
                "report_type": "monthly",
                "market": "domestic",
                "date_from": date(2026, 3, 1),
            }
        )
        report = report.with_env(self._widened(self.technician))
        report.action_produce()
        report.action_send()

        mail = self._mails(report)
        self.assertEqual(len(mail), 1)
        self.assertFalse(mail.recipient_ids & self.outsiders)
        for outsider in self.outsiders:
            self.assertNotIn(outsider.email, mail.email_cc or "")
        self.assertFalse(report.recipient_partner_ids & self.outsiders)
        self.assertFalse(report.cc_partner_ids & self.outsiders)
        self.assertIn(self.qa.partner_id, mail.recipient_ids)
        self.assertIn(self.leader.partner_id, mail.recipient_ids)

    def test_recipients_are_the_active_lists_whatever_the_context(self):
        """R-170, R-258: the recipients a technician's crafted context asks
        for are those of the default context."""
        recipient_model = self.env["forklift.report.recipient"]
        expected = recipient_model.with_user(self.technician)._get_recipients(
            "monthly", "domestic", self.env.company
        )
        to, cc = recipient_model.with_env(
            self._widened(self.technician)
        )._get_recipients("monthly", "domestic", self.env.company)
        self.assertFalse((to | cc) & self.outsiders)
        self.assertEqual((to, cc), expected)
        self.assertTrue(to)

    @freeze_time("2026-04-02 08:00")
    def test_a_report_goes_to_the_users_of_its_company_only(self):
        """R-256, R-258: a list shared by the companies names groups; their
        users of another company alone (who may not read the report's
        company) receive nothing of it, mailed or copied, when a technician
        sends March's domestic statistics: another company's QA, nor its
        R&D copied."""
        south_qa = self._user(
            "rp_south_qa",
            "group_forklift_qa",
            company_id=self.other_company.id,
            company_ids=[Command.set(self.other_company.ids)],
        )
        south_rnd = self._user(
            "rp_south_rnd",
            "group_forklift_rnd",
            company_id=self.other_company.id,
            company_ids=[Command.set(self.other_company.ids)],
        )
        # the list shared by the companies copies R&D (set by the administrator)
        self.monthly.cc_group_ids = [
            Command.link(self.env.ref("forklift_aftersales.group_forklift_rnd").id)
        ]
        strangers = south_qa.partner_id | south_rnd.partner_id
        report = (
            self.env["forklift.aftersales.report"]
            .with_user(self.technician)
            .create(
                {
                    "report_type": "monthly",
                    "market": "domestic",
                    "date_from": date(2026, 3, 1),
                }
            )
        )
        report.action_produce()
        report.action_send()

        mail = self._mails(report)
        self.assertEqual(len(mail), 1)
        self.assertIn(self.qa.partner_id, mail.recipient_ids)
        self.assertFalse(mail.recipient_ids & strangers)
        for stranger in strangers:
            self.assertNotIn(stranger.email, mail.email_cc or "")
        self.assertFalse(
            (report.recipient_partner_ids | report.cc_partner_ids) & strangers
        )

    def test_retired_list_gives_no_cron_scope(self):
        """R-073: a market whose only list is retired gets no monthly run,
        even when the job runs with ``active_test=False``."""
        lists = self.env["forklift.report.recipient"].search(
            [("market", "=", "export"), ("report_type", "=", "monthly")]
        )
        lists.active = False
        scopes = (
            self.env["forklift.aftersales.report"]
            .with_context(active_test=False)
            ._get_cron_scopes("monthly")
        )
        self.assertNotIn("export", [market for _company, market in scopes])
        self.assertIn("domestic", [market for _company, market in scopes])


@tagged("post_install", "-at_install")
class TestSupplierCorrectionGuard(ForkliftReportCommon):
    """QA's correction of the supplier at fault names a supplier company of
    the sheet's company, as the wizard's field offers, whatever id a client
    sends over RPC: not a person's private contact, a customer or a supplier
    of another company; nothing changes then (000 §3.3, §4.2.3; R-049,
    R-075, R-077, R-224, R-256)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner_model = cls.env["res.partner"]
        cls.customer_company = partner_model.create(
            {"name": "Harbour Logistics", "is_company": True}
        )
        cls.seal_contact = partner_model.create(
            {"name": "Li Na", "parent_id": cls.seal_supplier.id}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Forklift South"})
        cls.other_vendor = cls._vendor(
            "South Bearings", company_id=cls.other_company.id
        )
        cls.retired_vendor = cls._vendor("Old Pumps")
        cls.retired_vendor.active = False
        cls.ranked_vendor = cls._vendor("Valve Works")

    def _wizard(self, supplier, user=None):
        """The correction wizard of c2 as a client creates it over RPC, with
        any partner id and archived records shown."""
        return (
            self.env["forklift.feedback.supplier.correction"]
            .with_user(user or self.qa)
            .with_context(active_test=False)
            .create(
                {
                    "feedback_id": self.c2.id,
                    "supplier_id": supplier.id,
                    "reason": "Crafted over RPC",
                }
            )
        )

    def test_only_a_supplier_company_of_the_sheet_company_is_named(self):
        """R-049, R-224: a technician's private contact, a customer company,
        a supplier's contact person or an archived supplier is refused with a
        clear message, a supplier of another company (which QA may not read)
        already by the wizard; the sheet, its statistics and its chatter stay
        as they were."""
        messages = self.c2.message_ids
        for partner in (
            self.technician.partner_id,
            self.customer_company,
            self.seal_contact,
            self.other_vendor,
            self.retired_vendor,
        ):
            with self.subTest(partner=partner.name):
                if partner == self.other_vendor:
                    # another company's: QA may not read it, nor name it in
                    # the wizard, whose names are read as superuser
                    with self.assertRaises(AccessError):
                        self._wizard(partner)
                else:
                    wizard = self._wizard(partner)
                    with self.assertRaises(UserError):
                        wizard.action_confirm()
                self.assertEqual(self.c2.supplier_id, self.pump_supplier)
                self.assertEqual(self.c2.message_ids, messages)
        self.env.flush_all()
        row = self.env["forklift.feedback.analysis"].search(
            [("feedback_id", "=", self.c2.id)]
        )
        self.assertEqual(row.supplier_id, self.pump_supplier)

    def test_the_message_names_the_partner(self):
        wizard = self._wizard(self.technician.partner_id)
        with self.assertRaisesRegex(UserError, "not a supplier company"):
            wizard.action_confirm()

    def test_a_vendor_of_the_company_is_accepted(self):
        """R-224: a vendor of the failed part's kind (a supplier price line)
        or a company purchased from (vendor rank) may be named."""
        self._wizard(self.seal_supplier).action_confirm()
        self.assertEqual(self.c2.supplier_id, self.seal_supplier)
        self._wizard(self.ranked_vendor).action_confirm()
        self.assertEqual(self.c2.supplier_id, self.ranked_vendor)

    def test_a_technician_still_cannot_correct(self):
        """R-049: the wizard does not open the correction to others."""
        with self.assertRaises(AccessError):
            self._wizard(self.seal_supplier, user=self.technician).action_confirm()
        self.assertEqual(self.c2.supplier_id, self.pump_supplier)

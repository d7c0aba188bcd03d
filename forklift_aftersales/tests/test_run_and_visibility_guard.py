from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ForkliftCommon

ADDONS = (
    "forklift_aftersales",
    "forklift_aftersales_supplier",
    "forklift_aftersales_export",
    "forklift_aftersales_supplier_export",
)
CRONS = (
    "forklift_aftersales.ir_cron_forklift_deadline_reminders",
    "forklift_aftersales.ir_cron_forklift_daily_summary",
    "forklift_aftersales.ir_cron_forklift_monthly_reports",
    "forklift_aftersales.ir_cron_forklift_abnormal_issue_escalate",
    "forklift_aftersales.ir_cron_forklift_warning_rule",
)


@tagged("post_install", "-at_install")
class TestScheduledJobsRunByTheScheduler(ForkliftCommon):
    """The scheduled jobs (the daily summary R-004/R-255, the monthly
    statistics R-170/R-256, the reminders of every deadline, the escalation
    of abnormal issues R-087, the early-warning rules) run as the scheduler's
    user, on their schedule: no user runs one through its server action
    (``ir.actions.server.run``, which Odoo lets anyone who writes the model
    call when the action names no group), to mail the month's reports in his
    name or assign reminders to the directors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.crons = cls.env["ir.cron"].browse(
            [cls.env.ref(xmlid).id for xmlid in CRONS]
        )
        cls.case = cls._create_case()

    def _produced(self):
        """What a job leaves behind: reports, mails, activities, issues."""
        return {
            model: self.env[model].sudo().search_count([])
            for model in (
                "forklift.aftersales.report",
                "mail.mail",
                "mail.activity",
                "forklift.abnormal.issue",
            )
        }

    def test_every_scheduled_job_is_the_administrators(self):
        """Every scheduled job of the after-sales addons names the
        administrator group on its server action; a job added without it
        fails here."""
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.cron"), ("module", "in", ADDONS)]
        )
        crons = self.env["ir.cron"].browse(data.mapped("res_id"))
        self.assertGreaterEqual(crons, self.crons)
        system = self.env.ref("base.group_system")
        for cron in crons:
            with self.subTest(cron=cron.cron_name):
                self.assertEqual(cron.ir_actions_server_id.group_ids, system)

    @freeze_time("2026-04-01 00:30")
    def test_staff_do_not_run_a_scheduled_job(self):
        """The technician, and the director, calling a job's server action
        (``call_kw('ir.actions.server', 'run', ...)``) are refused; nothing
        is produced, mailed nor assigned."""
        before = self._produced()
        actions = self.env["ir.actions.server"]
        for user in (self.technician, self.director):
            for cron in self.crons:
                with (
                    self.subTest(user=user.login, cron=cron.cron_name),
                    self.assertRaises(AccessError),
                ):
                    actions.with_user(user).browse(cron.ir_actions_server_id.id).run()
        self.assertEqual(self._produced(), before)

    @freeze_time("2026-04-01 00:30")
    def test_the_scheduler_and_the_administrator_still_run_them(self):
        """The scheduler runs each job as its user (the system user), here
        through ``method_direct_trigger`` as the administrator: the month's
        statistics are produced; the administrator runs a job's server
        action himself."""
        admin = self.env.ref("base.user_admin")
        reports = self.env["forklift.aftersales.report"].sudo()
        self.assertFalse(reports.search([("report_type", "=", "monthly")]))
        # the job runs in a cursor of its own: here one wrapping the test's
        with self.enter_registry_test_mode():
            for cron in self.crons:
                with self.subTest(cron=cron.cron_name):
                    cron.with_user(admin).method_direct_trigger()
        self.env.invalidate_all()
        self.assertTrue(reports.search([("report_type", "=", "monthly")]))
        deadline_job = self.env.ref(CRONS[0])
        self.env["ir.actions.server"].with_user(admin).browse(
            deadline_job.ir_actions_server_id.id
        ).run()


@tagged("post_install", "-at_install")
class TestPublicHolidaysAfterTheWrite(ForkliftCommon):
    """A public holiday (a time off of the schedule without a resource) moves
    every deadline counted in working days (R-288): only the after-sales
    director and an administrator add, change or remove one. Odoo checks the
    record rules before a write, not after it: a time off of one's own may
    not become a public holiday, nor one come back as a personal leave."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.company.resource_calendar_id
        cls.resource = cls.env["resource.resource"].create(
            {"name": "Service van 1", "calendar_id": cls.calendar.id}
        )
        cls.leaves = cls.env["resource.calendar.leaves"]

    def _leave_vals(self, **vals):
        return {
            "name": "Van in the garage",
            "calendar_id": self.calendar.id,
            "date_from": "2026-03-10 00:00:00",
            "date_to": "2026-03-10 23:59:59",
            **vals,
        }

    def test_own_leave_does_not_become_a_public_holiday(self):
        """The service center records a resource's own time off; writing away
        its resource (RPC ``write`` with ``resource_id: False``) is refused
        and the working days stay as they were."""
        start = datetime(2026, 3, 9, 2, 0)
        deadline = self.env.company._forklift_plan_working_days(start, 1)
        leave = self.leaves.with_user(self.staff).create(
            self._leave_vals(resource_id=self.resource.id)
        )
        with self.assertRaisesRegex(AccessError, "public holiday"):
            leave.with_user(self.staff).write({"resource_id": False})
        leave.invalidate_recordset()
        self.assertEqual(leave.resource_id, self.resource)
        self.assertEqual(
            self.env.company._forklift_plan_working_days(start, 1), deadline
        )
        with self.assertRaisesRegex(AccessError, "public holiday"):
            self.leaves.with_user(self.staff).create(self._leave_vals())

    def test_public_holiday_does_not_become_a_personal_leave(self):
        """Nor is a public holiday moved onto a resource (which would free the
        day for every deadline) by anyone but the director."""
        holiday = self.leaves.create(self._leave_vals(name="Tree Planting Day"))
        with self.assertRaises(AccessError):
            holiday.with_user(self.staff).write({"resource_id": self.resource.id})
        holiday.invalidate_recordset()
        self.assertFalse(holiday.resource_id)

    def test_director_moves_a_leave_to_and_from_a_public_holiday(self):
        """The director (and the administrator) still do both."""
        leave = self.leaves.with_user(self.director).create(
            self._leave_vals(resource_id=self.resource.id)
        )
        leave.with_user(self.director).write({"resource_id": False})
        self.assertFalse(leave.resource_id)
        leave.with_user(self.director).write({"resource_id": self.resource.id})
        self.assertEqual(leave.resource_id, self.resource)
        admin = self.env.ref("base.user_admin")
        self.leaves.with_user(admin).create(self._leave_vals(name="Holiday"))


@tagged("post_install", "-at_install")
class TestTierDefinitionsAreInternal(ForkliftCommon):
    """The approval bands (amounts, approver groups) are internal: OCA's
    base_tier_validation lets portal and public users read every tier
    definition; the portal pages never show them, nor does an RPC call."""

    def test_portal_and_public_users_read_no_tier_definition(self):
        definitions = self.env["tier.definition"].search([])
        self.assertTrue(definitions)
        dealer = self._portal_user("td_dealer", self.dealer_a)
        customer = self._portal_user("td_customer", self.customer)
        public = self.env.ref("base.public_user")
        for user in (dealer, customer, public):
            model = self.env["tier.definition"].with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    model.search_read([], ["name", "definition_domain"])
                with self.assertRaises(AccessError):
                    definitions[:1].with_user(user).read(["reviewer_group_id"])
        # internal users still read them (their documents' approval chains)
        self.assertTrue(self.env["tier.definition"].with_user(self.staff).search([]))

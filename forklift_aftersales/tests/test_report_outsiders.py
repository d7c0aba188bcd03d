from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_reports import REPORT_LOGGER, ForkliftReportCommon


@tagged("post_install", "-at_install")
class TestReportOutsiders(ForkliftReportCommon):
    """R-073, R-256, R-002 (000 §4.1.6, A-10): the after-sales reports and
    statistics are for the users who may read their company's records: the
    director of another company is never handed one of them, nor what is
    said about it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Forklift Co B"})
        cls.director_b = cls._company_user(
            "ro_director_b", "group_forklift_director,group_forklift_qa", cls.company_b
        )

    def _late_march_report(self):
        """The cron after the 5th April, finding March's domestic statistics
        not sent: the directors are reminded (R-073)."""
        with freeze_time("2026-04-06 00:30"), mute_logger(REPORT_LOGGER):
            self.env["forklift.aftersales.report"]._cron_monthly_reports()
        return self.env["forklift.aftersales.report"].search(
            [
                ("report_type", "=", "monthly"),
                ("market", "=", "domestic"),
                ("date_from", "=", date(2026, 3, 1)),
                ("company_id", "=", self.env.company.id),
            ]
        )

    def test_a_late_report_reminds_only_its_own_companys_directors(self):
        """The reminder of a report not sent in time goes to the directors of
        the report's company: the director of another company gets no
        activity on it (naming it), does not follow it, and does not read
        what its company's staff later write on it."""
        report = self._late_march_report()
        self.assertEqual(report.state, "draft")
        self.assertIn(self.director, report.activity_ids.user_id)

        activities = self.env["mail.activity"].with_user(self.director_b)
        self.assertFalse(
            activities.search([("res_model", "=", report._name)]),
            "no reminder of another company's report",
        )
        self.assertNotIn(self.director_b.partner_id, report.message_partner_ids)

        report.with_user(self.director).message_post(
            body="The March figures go out tomorrow.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        messages = self.env["mail.message"].with_user(self.director_b)
        self.assertFalse(
            messages.search([("model", "=", report._name), ("res_id", "=", report.id)])
        )
        self.assertFalse(
            self.env["mail.notification"].search(
                [
                    ("res_partner_id", "=", self.director_b.partner_id.id),
                    ("mail_message_id.model", "=", report._name),
                ]
            ),
            "nothing of the report reaches him by mail or in his inbox",
        )

    def test_statistics_of_another_company_are_not_read(self):
        """R-256, R-002: the director (and QA) of another company reads none
        of this company's statistics over RPC, however he groups them, with
        the context keys the statistics take from their callers, nor prints
        its report."""
        with freeze_time("2026-04-02 00:30"):
            report = self.env["forklift.aftersales.report"].create(
                {
                    "report_type": "monthly",
                    "market": "domestic",
                    "date_from": date(2026, 3, 1),
                }
            )
            report.action_produce()
        self.env.invalidate_all()
        models = [
            "forklift.feedback.analysis",
            "forklift.part.analysis",
            "forklift.failure.rate.analysis",
            "forklift.unit.exposure",
            "forklift.warranty.forecast",
            "forklift.aftersales.report",
        ]
        for name in models:
            statistics = self.env[name].with_user(self.director_b)
            self.assertFalse(statistics.search_count([]), name)
            self.assertEqual(
                statistics.formatted_read_group([], [], ["__count"])[0]["__count"],
                0,
                name,
            )
        with freeze_time("2026-04-02 00:30"):
            rates = (
                self.env["forklift.failure.rate.analysis"]
                .with_user(self.director_b)
                .formatted_read_group(
                    [("date", ">=", "2026-01-01"), ("date", "<=", "2026-03-31")],
                    ["model_id"],
                    ["failure_count:sum", "units_in_service:sum"],
                )
            )
            # the forklifts of every company summed in one row, as a caller
            # may ask the units in service to be
            units = (
                self.env["forklift.unit.exposure"]
                .with_user(self.director_b)
                .with_context(
                    forklift_exposure_grain="period",
                    forklift_exposure_fields=["market"],
                )
                .formatted_read_group([], ["market"], ["unit_count:sum"])
            )
        self.assertEqual((rates, units), ([], []))
        self.env.invalidate_all()
        actions = self.env["ir.actions.report"].with_user(self.director_b)
        with self.assertRaises(AccessError):
            actions._render_xlsx(
                "forklift_aftersales.report_forklift_aftersales_xlsx",
                None,
                {"context": {"active_ids": report.ids}},
            )
        with self.assertRaises(AccessError):
            actions._render_qweb_pdf(
                "forklift_aftersales.action_report_forklift_aftersales_analysis",
                report.ids,
            )

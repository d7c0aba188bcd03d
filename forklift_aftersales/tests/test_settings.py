from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestAfterSalesSettings(ForkliftCommon):
    """Settings > After-Sales: the company's deadlines of the procedure and
    the numbers shared by all companies; only a Settings administrator
    changes them (R-044)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.company = cls.env.company
        cls.icp = cls.env["ir.config_parameter"].sudo()

    def _settings(self, **values):
        """Open Settings as the administrator, change ``values``, save."""
        with Form(self.env["res.config.settings"].with_user(self.admin)) as form:
            for name, value in values.items():
                setattr(form, name, value)
        form.record.execute()
        return form.record

    def _parts_request(self, case):
        return self.env["forklift.parts.request"].create(self._parts_request_vals(case))

    def test_page_shows_the_procedure_values(self):
        """The page opens with the values of the procedure: dispatch 24 h
        (R-158), parts shipped in 2 working days (R-162), old parts back in
        30 days (R-167), a quorum of 3 of the 5 seats (R-248)."""
        form = Form(self.env["res.config.settings"].with_user(self.admin))
        self.assertEqual(form.forklift_dispatch_hours, 24)
        self.assertEqual(form.forklift_parts_ship_working_days, 2)
        self.assertEqual(form.forklift_oldpart_return_days, 30)
        self.assertEqual(form.forklift_committee_quorum, 3)
        self.assertEqual(form.forklift_monthly_report_day, 5)

    def test_new_values_change_the_deadlines(self):
        """R-158, R-162, R-187: with dispatch in 8 h, parts shipped in 4
        working days and events announced 21 days ahead, a sheet verified
        Friday 10:00 is due dispatched at 18:00, an application received
        then is due shipped on Thursday (not Tuesday), and an event on
        30 April is announced on 9 April."""
        self._settings(
            forklift_dispatch_hours=8,
            forklift_parts_ship_working_days=4,
            forklift_event_notice_days=21,
        )
        self.assertEqual(self.company.forklift_dispatch_hours, 8)
        self.assertEqual(self.company.forklift_parts_ship_working_days, 4)
        self.assertEqual(
            self.icp.get_param("forklift_aftersales.event_notice_days"), "21"
        )
        with freeze_time("2026-03-06 10:00:00"):
            case = self._verified_case()
            request = self._parts_request(case)
        self.assertEqual(case.dispatch_deadline, datetime(2026, 3, 6, 18, 0))
        self.assertEqual(request.requested_date, datetime(2026, 3, 6, 10, 0))
        self.assertEqual(request.ship_deadline.date(), date(2026, 3, 12))
        with freeze_time("2026-03-06 10:00:00"):
            # planned from that day: an event is planned from today on
            event = self.env["forklift.care.event"].create(
                {"name": "Spring open day", "event_date": date(2026, 4, 30)}
            )
        self.assertEqual(event.notice_date, date(2026, 4, 9))

    def test_deadlines_already_set_keep_their_value(self):
        """A new value applies to the deadlines set from then on: a sheet
        verified under the 24 h rule keeps its deadline (R-158)."""
        with freeze_time("2026-03-06 10:00:00"):
            case = self._verified_case()
        self._settings(forklift_dispatch_hours=8)
        self.assertEqual(case.dispatch_deadline, datetime(2026, 3, 7, 10, 0))

    def test_each_company_keeps_its_own_deadlines(self):
        """R-162 (R-288): a second company ships parts in 3 working days while
        the first keeps 2; a company without a value (0) falls back on the
        system parameter."""
        other = self.env["res.company"].create({"name": "Export Forklifts Ltd."})
        self.assertEqual(other.forklift_parts_ship_working_days, 2, "from the param")
        other.forklift_parts_ship_working_days = 3
        self.assertEqual(
            other._get_forklift_setting("forklift_parts_ship_working_days"), 3
        )
        self.assertEqual(
            self.company._get_forklift_setting("forklift_parts_ship_working_days"), 2
        )
        self.company.forklift_parts_ship_working_days = 0
        self.icp.set_param("forklift_aftersales.parts_ship_working_days", "5")
        with freeze_time("2026-03-06 10:00:00"):
            request = self._parts_request(self._verified_case())
        # Friday + 5 working days: the next Friday
        self.assertEqual(request.ship_deadline.date(), date(2026, 3, 13))

    def test_wrong_values_are_refused(self):
        """A negative deadline, a monthly due day past the 28th, a follow-up
        window closing before it opens, a quorum of nobody or a batch pattern
        PostgreSQL cannot read are refused with a clear message."""
        cases = [
            ({"forklift_dispatch_hours": -1}, "cannot be negative"),
            ({"forklift_monthly_report_day": 31}, "from 1 to 28"),
            ({"forklift_committee_quorum": 0}, "at least one seat"),
            (
                {
                    "forklift_followup_first_start_days": 9,
                    "forklift_followup_first_end_days": 7,
                },
                "cannot close before it opens",
            ),
            ({"forklift_batch_pattern": "^(.+-"}, "not a valid regular expression"),
            # no number: producing every report failed on it afterwards
            ({"forklift_labour_hour_cost": float("nan")}, "not a number"),
            ({"forklift_labour_hour_cost": float("inf")}, "not a number"),
        ]
        for values, message in cases:
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self._settings(**values)
            self.env.invalidate_all()
        self.assertEqual(self.company.forklift_dispatch_hours, 24)
        self.assertEqual(
            self.icp.get_param("forklift_aftersales.monthly_report_day"), "5"
        )
        cost = self.icp.get_param("forklift_aftersales.labour_hour_cost")
        self.assertNotIn(str(cost).lower(), ("nan", "inf"))

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.models")
    def test_after_sales_users_cannot_change_the_settings(self):
        """R-044: the service center staff and its director (without the
        Settings right) cannot open or save the settings, write a system
        parameter or the company's deadlines, by RPC either; the Settings
        menu is the administrators'."""
        manager = self._group_user(
            "fa_settings_director", "group_forklift_director,base.group_partner_manager"
        )
        saved = self.env["res.config.settings"].with_user(self.admin).create({})
        for user in (self.staff, self.director, manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["res.config.settings"].with_user(user).create(
                        {"forklift_parts_ship_working_days": 9}
                    )
                with self.assertRaises(AccessError):
                    saved.with_user(user).execute()
                with self.assertRaises(AccessError):
                    self.env["ir.config_parameter"].with_user(user).set_param(
                        "forklift_aftersales.committee_quorum", "1"
                    )
                with self.assertRaises(AccessError):
                    self.company.with_user(user).write(
                        {"forklift_parts_ship_working_days": 9}
                    )
        self.assertEqual(self.company.forklift_parts_ship_working_days, 2)
        self.assertEqual(
            self.icp.get_param("forklift_aftersales.committee_quorum"), "3"
        )
        # the administrator also runs the after-sales app here
        self.admin.group_ids += self.env.ref(
            "forklift_aftersales.group_forklift_director"
        )
        menu = self.env.ref("forklift_aftersales.res_config_settings_menu")
        self.assertEqual(menu.group_ids, self.env.ref("base.group_system"))
        visible = self.env["ir.ui.menu"].with_user(self.director)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        self.assertIn(
            menu.id, self.env["ir.ui.menu"].with_user(self.admin)._visible_menu_ids()
        )

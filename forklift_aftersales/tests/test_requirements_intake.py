from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, call_kw


class IntakeCommon(ForkliftCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_user = cls._user(
            "fi_domestic_sales",
            "forklift_aftersales.group_forklift_domestic_sales",
            password="fi_domestic_sales_pw",
        )
        cls.sales_vp = cls._user(
            "fi_sales_vp", "forklift_aftersales.group_forklift_sales_vp_domestic"
        )
        cls.export_unit = cls._create_unit(
            "SN-FI-EXP-1", acceptance=date(2026, 1, 10), market="export"
        )

    @staticmethod
    def _notified(record, partner):
        return record.message_ids.filtered(lambda m: partner in m.notified_partner_ids)


@tagged("post_install", "-at_install")
class TestMajorIssueToSalesCompany(IntakeCommon):
    def test_domestic_major_issue_reaches_the_sales_company(self):
        """R-072, R-244, R-274, R-048 (000 §4.1.5): a major quality issue on a
        domestic forklift is reported at once to the domestic sales company
        (its users and its vice president), QA and the leaders in charge."""
        case = self._create_case(severity="major")
        for user in (self.sales_user, self.sales_vp, self.qa, self.leader):
            with self.subTest(user=user.login):
                notice = self._notified(case, user.partner_id)
                self.assertEqual(len(notice), 1)
                self.assertIn("Major quality issue", notice.subject)
                self.assertIn(user.partner_id, case.message_partner_ids)

    def test_normal_or_export_issues_do_not_reach_the_domestic_sales_company(self):
        """R-274, R-048 (000 §4.1.5; 000-I L37): a normal issue is not a major
        notice, and an export forklift's major issue is not the domestic sales
        company's."""
        normal = self._create_case(severity="normal")
        export = self._create_case(unit=self.export_unit, severity="major")
        self.assertTrue(export.major_notified_date)
        self.assertTrue(self._notified(export, self.leader.partner_id))
        for case in (normal, export):
            for user in (self.sales_user, self.sales_vp):
                with self.subTest(case=case.market, user=user.login):
                    self.assertFalse(self._notified(case, user.partner_id))

    def test_monthly_statistics_go_to_the_sales_company(self):
        """R-048 (000 §4.1.6): the domestic monthly statistics are mailed to
        the domestic sales company too."""
        to, _cc = self.env["forklift.report.recipient"]._get_recipients(
            "monthly", "domestic"
        )
        self.assertIn(self.sales_user.partner_id, to)
        self.assertIn(self.sales_vp.partner_id, to)


@tagged("post_install", "-at_install")
class TestSalesCompanyFilesSheets(HttpCase, IntakeCommon):
    """R-066, R-268 (000 §3.2): the domestic sales company provides the
    information and files the sheet at intake; the service center completes,
    verifies and handles it. Checked through JSON-RPC, as any client."""

    def _call(self, model, method, args, kwargs=None):
        self.authenticate("fi_domestic_sales", "fi_domestic_sales_pw")
        return call_kw(self, model, method, args, kwargs)

    def _sheet_vals(self, unit, **vals):
        return {
            "unit_id": unit.id,
            "title": "Steering heavy after rain",
            "channel": "phone",
            "description": "<p>Reported by the customer to the sales office.</p>",
            **vals,
        }

    def _error(self, body):
        self.assertIn("error", body, body)
        return body["error"]["data"]["name"]

    @mute_logger("odoo.http")
    def test_sales_company_files_a_domestic_sheet_the_center_completes(self):
        """R-066, R-268 (000 §3.2): created over RPC at intake, with the
        customer's requested arrival (R-180); no step nor change of the sheet
        afterwards; the service center verifies it."""
        # an arrival the customer asks for is still to come
        requested = fields.Datetime.to_string(
            fields.Datetime.now().replace(microsecond=0) + timedelta(days=2)
        )
        body = self._call(
            "forklift.feedback",
            "create",
            [self._sheet_vals(self.unit, requested_arrival_date=requested)],
        )
        self.assertNotIn("error", body, body)
        case = self.env["forklift.feedback"].browse(body["result"])
        self.assertEqual(case.state, "draft")
        self.assertEqual(case.market, "domestic")
        self.assertEqual(case.intake_department, "sales_company")
        self.assertEqual(case.create_uid, self.sales_user)
        self.assertEqual(
            case.requested_arrival_date, fields.Datetime.to_datetime(requested)
        )
        # the sales company follows its sheet but does not handle it
        body = self._call("forklift.feedback", "read", [case.ids, ["name", "state"]])
        self.assertEqual(body["result"][0]["state"], "draft")
        for method, args in (
            ("action_verify", [case.ids]),
            ("action_cancel", [case.ids]),
            ("write", [case.ids, {"severity": "major"}]),
            ("write", [case.ids, {"state": "verified"}]),
        ):
            with self.subTest(method=method, args=args[1:]):
                self.assertEqual(
                    self._error(self._call("forklift.feedback", method, args)),
                    "odoo.exceptions.AccessError",
                )
        self.assertEqual((case.state, case.severity), ("draft", "normal"))
        # the service center completes and verifies it
        case.with_user(self.staff).write(
            {
                "verification": "<p>Steering cylinder seal worn.</p>",
                "responsibility": "manufacturing",
                "route": "technician",
            }
        )
        case.with_user(self.staff).action_verify()
        self.assertEqual(case.state, "verified")
        self.assertEqual(case.intake_department, "sales_company")

    @mute_logger("odoo.http")
    def test_sales_company_cannot_set_the_flow_nor_file_export_sheets(self):
        """R-066, R-268 (000 §3.2; 000-I L25): the sheet starts at intake and
        its filing department is the server's; export sheets are the export
        division's."""
        for vals in (
            {"state": "verified"},
            {"verified_date": "2026-03-02 10:00:00"},
            {"intake_department": "service_center"},
        ):
            with self.subTest(vals=vals):
                body = self._call(
                    "forklift.feedback", "create", [self._sheet_vals(self.unit, **vals)]
                )
                self.assertEqual(self._error(body), "odoo.exceptions.AccessError")
        body = self._call(
            "forklift.feedback", "create", [self._sheet_vals(self.export_unit)]
        )
        self.assertEqual(self._error(body), "odoo.exceptions.AccessError")
        self.assertFalse(
            self.env["forklift.feedback"].search(
                [("create_uid", "=", self.sales_user.id)]
            )
        )

    def test_sales_company_sees_domestic_sheets_only(self):
        """R-066, R-268 (000 §3.2): the sales company follows domestic sheets
        only."""
        domestic = self._create_case()
        export = self._create_case(unit=self.export_unit)
        visible = self.env["forklift.feedback"].with_user(self.sales_user).search([])
        self.assertIn(domestic, visible)
        self.assertNotIn(export, visible)
        with self.assertRaises(AccessError):
            export.with_user(self.sales_user).read(["name"])

    def test_major_issue_filed_by_the_sales_company_is_reported(self):
        """R-066, R-072 (000 §3.2, §4.1.5): a major issue the sales company
        files is reported at once, though it may not change sheets."""
        case = (
            self.env["forklift.feedback"]
            .with_user(self.sales_user)
            .create(self._sheet_vals(self.unit, severity="major"))
        )
        self.assertTrue(case.major_notified_date)
        self.assertTrue(self._notified(case, self.leader.partner_id))
        self.assertTrue(self._notified(case, self.qa.partner_id))

    def test_service_center_sheets_are_filed_by_the_center(self):
        """R-066: the filing department is recorded by the server."""
        case = self._create_case()
        self.assertEqual(case.with_user(self.staff).intake_department, "service_center")
        staff_case = (
            self.env["forklift.feedback"]
            .with_user(self.staff)
            .create(self._sheet_vals(self.unit))
        )
        self.assertEqual(staff_case.intake_department, "service_center")
        with self.assertRaises(AccessError):
            staff_case.with_user(self.staff).write({"intake_department": "portal"})


@tagged("post_install", "-at_install")
class TestEscalationFromTheField(IntakeCommon):
    """R-251 (004 §4.4 B): a major problem met on site goes to the minister
    (the service center director) for instructions, or directly to the
    company leadership."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._verified_case()
        cls.order = cls._service_order(cls.case)

    def _instruction_activities(self, order, user):
        return order.activity_ids.filtered(
            lambda a: (
                a.user_id == user and a.summary == "Instructions asked from the field"
            )
        )

    def test_technician_escalates_to_the_director_then_the_leaders(self):
        """R-251 (004 §4.4 B): the technician states the problem; the
        directors are notified and get an activity, later the leaders."""
        order = self.order.with_user(self.technician)
        order.write({"escalation_reason": "Mast welds cracked."})
        with self.assertRaisesRegex(UserError, "being worked on site"):
            order.action_escalate()
        self.order.action_dispatch()
        order.escalation_reason = False
        with self.assertRaisesRegex(UserError, "Describe the problem"):
            order.action_escalate()
        order.escalation_reason = "Mast welds cracked: unsafe to repair on site."
        order.action_escalate()
        self.assertEqual(order.escalation_level, "director")
        self.assertEqual(order.escalated_by_id, self.technician)
        self.assertTrue(order.escalated_date)
        notice = self._notified(order, self.director.partner_id)
        self.assertEqual(len(notice), 1)
        self.assertIn("Mast welds cracked", notice.body)
        self.assertFalse(self._notified(order, self.leader.partner_id))
        self.assertEqual(
            len(self._instruction_activities(self.order, self.director)), 1
        )
        with self.assertRaisesRegex(UserError, "already escalated"):
            order.action_escalate()
        order.action_escalate_to_leaders()
        self.assertEqual(order.escalation_level, "leaders")
        self.assertTrue(self._notified(order, self.leader.partner_id))
        with self.assertRaisesRegex(UserError, "already escalated"):
            order.action_escalate_to_leaders()

    def test_escalation_is_the_button_s_only(self):
        """R-251, R-005: other departments cannot escalate orders, and nobody
        sets the escalation by writing it."""
        self.order.action_dispatch()
        self.order.escalation_reason = "Customer threatens to return the unit."
        with self.assertRaises(AccessError):
            self.order.with_user(self.qa).action_escalate()
        with self.assertRaises(AccessError):
            self.order.with_user(self.staff).write({"escalation_level": "leaders"})
        with self.assertRaises(AccessError):
            self.order.with_user(self.director).write(
                {"escalated_by_id": self.director.id}
            )
        self.assertFalse(self.order.escalation_level)

    def test_cancelled_order_is_no_longer_escalated(self):
        """R-251: only an order being worked is escalated."""
        self.order.action_cancel()
        self.order.escalation_reason = "Too late."
        with self.assertRaisesRegex(UserError, "being worked on site"):
            self.order.with_user(self.technician).action_escalate()


@tagged("post_install", "-at_install")
class TestPartStatisticsLocalAndTechnician(IntakeCommon):
    """R-262 (000 §4.3): the part statistics show the parts bought locally
    beside those replaced and released, and who used them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qa_manager, cls.aftersales_vp = cls._role_users(
            "fi", "qa_manager", "aftersales_vp"
        )
        cls.other_technician = cls._group_user("fi_technician_2", "group_forklift_user")
        cls.case = cls._verified_case()
        order = cls._service_order(cls.case)
        order.action_dispatch()
        order.write({"part_ids": [cls._part_line(cls.part, quantity=2)]})
        cls.purchase = cls._local_purchase(
            cls.case, 40, 3, technician_id=cls.other_technician.id
        )
        cls.purchase.with_user(cls.director).action_confirm_consent()
        cls.purchase.request_validation()

    def _approve(self):
        for approver in (self.director, self.qa_manager, self.aftersales_vp):
            self.purchase.with_user(approver).validate_tier()
        self.assertEqual(self.purchase.state, "approved")

    def _lines(self):
        self.env.flush_all()
        return self.env["forklift.part.analysis"].search(
            [("feedback_id", "=", self.case.id)]
        )

    def test_local_purchase_lines_by_technician(self):
        """R-262 (000 §4.3): an approved local purchase is a line of its own,
        with its quantity and cost apart, and every line has its technician."""
        self.assertEqual(
            set(self._lines().mapped("line_type")),
            {"replaced"},
            "a purchase not yet approved is not counted",
        )
        self._approve()
        lines = self._lines()
        purchased = lines.filtered(lambda line: line.line_type == "purchased")
        self.assertEqual(len(purchased), 1)
        self.assertEqual(purchased.product_id, self.part)
        self.assertEqual(purchased.technician_id, self.other_technician)
        self.assertEqual(
            (purchased.quantity_purchased, purchased.purchase_cost), (3, 120)
        )
        self.assertEqual(
            (purchased.quantity_replaced, purchased.quantity_released, purchased.cost),
            (0, 0, 0),
            "bought parts are not counted as failures nor as released",
        )
        replaced = lines.filtered(lambda line: line.line_type == "replaced")
        self.assertEqual(replaced.technician_id, self.technician)
        groups = self.env["forklift.part.analysis"]._read_group(
            [("feedback_id", "=", self.case.id)],
            ["technician_id"],
            ["quantity_replaced:sum", "quantity_purchased:sum", "purchase_cost:sum"],
        )
        self.assertEqual(
            {user.login: tuple(rest) for user, *rest in groups},
            {"fa_technician": (2, 0, 0), "fi_technician_2": (0, 3, 120)},
        )
        self.assertEqual(len(set(lines.ids)), len(lines), "ids stay unique")

    def test_cancelled_purchase_leaves_the_statistics(self):
        """R-262: a cancelled local purchase is not counted."""
        self._approve()
        self.purchase.with_user(self.staff).action_cancel()
        self.assertNotIn("purchased", self._lines().mapped("line_type"))


@tagged("post_install", "-at_install")
class TestRequestedArrival(IntakeCommon):
    """R-180 (001-C §4 4)): on-site service arrives within the time the
    customer sets; the sheet records it and the statistics measure the
    arrival against it."""

    def _arrived(self, requested, arrival):
        with freeze_time("2026-03-03 08:00"):
            case = self._verified_case(requested_arrival_date=requested)
            order = self._service_order(case)
            order.action_dispatch()
        order.arrival_date = arrival
        return case

    def _report(self, case):
        self.env.flush_all()
        # the statistics are measured at the moment they are read
        self.env.invalidate_all()
        return self.env["forklift.feedback.analysis"].search(
            [("feedback_id", "=", case.id)]
        )

    def test_arrival_met_or_missed(self):
        """R-180 (001-C §4 4)): met when the first arrival is by the requested
        time, missed after it; the rate averages the sheets."""
        met = self._arrived(datetime(2026, 3, 3, 12), datetime(2026, 3, 3, 11))
        missed = self._arrived(datetime(2026, 3, 3, 12), datetime(2026, 3, 3, 15))
        self.assertEqual(met.requested_arrival_result, "met")
        self.assertEqual(missed.requested_arrival_result, "missed")
        self.assertEqual(
            (
                self._report(met).requested_arrival_result,
                self._report(met).requested_arrival_on_time,
            ),
            ("met", 100),
        )
        self.assertEqual(self._report(missed).requested_arrival_on_time, 0)
        groups = self.env["forklift.feedback.analysis"]._read_group(
            [("feedback_id", "in", (met | missed).ids)],
            [],
            ["requested_arrival_on_time:avg"],
        )
        self.assertEqual(groups[0][0], 50)

    def test_no_request_or_not_yet_due_is_not_counted(self):
        """R-180: a sheet without a requested time, or one still to come, is
        not measured; a passed time with nobody on site is missed."""
        plain = self._verified_case()
        self.assertFalse(plain.requested_arrival_result)
        self.assertFalse(self._report(plain).requested_arrival_result)
        with freeze_time("2026-03-03 08:00"):
            waiting = self._verified_case(
                requested_arrival_date=datetime(2026, 3, 3, 12)
            )
            self.assertFalse(self._report(waiting).requested_arrival_result)
        with freeze_time("2026-03-03 13:00"):
            self.assertEqual(
                self._report(waiting).requested_arrival_result,
                "missed",
                "the requested time passed with nobody on site",
            )
            self.assertFalse(waiting.requested_arrival_result)


@tagged("post_install", "-at_install")
class TestAssistanceRequests(IntakeCommon):
    """R-132 (004 §4.5): the service center asks another department for help
    on a sheet, with a due date; the request is the department member's
    activity, listed on the sheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rnd = cls._user("fi_rnd", "forklift_aftersales.group_forklift_rnd")
        cls.case = cls._verified_case()

    def _wizard(self, user, **vals):
        return (
            self.env["forklift.assistance.request"]
            .with_user(user)
            .create(
                {
                    "feedback_id": self.case.id,
                    "department": "rnd",
                    "note": "Check the mast weld drawing revision.",
                    **vals,
                }
            )
        )

    def test_staff_ask_rnd_for_help(self):
        """R-132 (004 §4.5): the request is an activity of the department's
        member with its due date, listed on the sheet and traced."""
        tomorrow = fields.Date.today() + timedelta(days=1)
        wizard = self._wizard(self.staff, date_deadline=tomorrow)
        self.assertEqual(wizard.user_id, self.rnd, "the department's member")
        wizard.action_confirm()
        request = self.case.assistance_activity_ids
        self.assertEqual(len(request), 1)
        self.assertEqual(request.user_id, self.rnd)
        self.assertEqual(request.date_deadline, tomorrow)
        self.assertEqual(
            request.activity_type_id,
            self.env.ref("forklift_aftersales.mail_activity_type_assistance"),
        )
        self.assertIn("weld drawing", str(request.note))
        trace = self.case.message_ids.filtered(lambda m: "Help asked of" in m.body)
        self.assertEqual(len(trace), 1)
        # the department sees the request in its own activities
        mine = (
            self.env["mail.activity"]
            .with_user(self.rnd)
            .search([("user_id", "=", self.rnd.id), ("res_id", "=", self.case.id)])
        )
        self.assertEqual(mine, request)
        # other activities of the sheet are not assistance requests
        self.case.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.staff.id
        )
        self.assertEqual(self.case.assistance_activity_ids, request)

    def test_refused_requests(self):
        """R-132: only the service center asks, a member of the chosen
        department, by a date to come, on an open sheet."""
        with self.assertRaises(AccessError, msg="departments do not ask"):
            self._wizard(self.qa)
        with self.assertRaisesRegex(UserError, "not a member"):
            self._wizard(self.staff, user_id=self.qa.id).action_confirm()
        with self.assertRaisesRegex(UserError, "due today or later"):
            self._wizard(self.staff, date_deadline=date(2020, 1, 1)).action_confirm()
        with self.assertRaisesRegex(UserError, "Only the service center"):
            self.case.with_user(self.qa)._request_assistance(
                "rnd", self.rnd, fields.Date.today(), "help"
            )
        with self.assertRaisesRegex(UserError, "department"):
            self.case.with_user(self.staff)._request_assistance(
                "board", self.rnd, fields.Date.today(), "help"
            )
        self.case.action_cancel()
        with self.assertRaisesRegex(UserError, "closed or cancelled"):
            self._wizard(self.staff).action_confirm()
        self.assertFalse(self.case.assistance_activity_ids)


@tagged("post_install", "-at_install")
class TestSalesCompanyReadsDomesticOnly(IntakeCommon):
    """R-066, R-268 (000 §3.2): the domestic sales company files and follows
    domestic sheets only, so it reads none of the export market's records
    around them either: not the parts replaced on an export order, the hour
    readings and forklifts of the export market, their serial records, nor
    the response times of an export customer's letter; it records no
    reading on an export forklift. After-sales staff who are also in the
    sales company still read both markets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overseas = cls.env["res.partner"].create(
            {"name": "Gulf Handling LLC", "is_company": True}
        )
        cls.overseas_unit = cls._create_unit(
            "SN-FI-EXP-2",
            acceptance=date(2026, 1, 10),
            partner=cls.overseas,
            market="export",
        )
        cls.case = cls._create_case(hour_meter=200)
        cls.export_case = cls._create_case(unit=cls.overseas_unit, hour_meter=200)
        cls.order, cls.export_order = (
            cls._service_order(case, part_ids=[cls._part_line(cls.part)])
            for case in (cls.case, cls.export_case)
        )
        cls.both_user = cls._group_user(
            "fi_viewer_domestic_sales",
            "group_forklift_viewer,group_forklift_domestic_sales",
        )

    def test_sales_company_reads_no_export_replaced_part(self):
        """The parts replaced on an export order (the damage, the serial,
        the supplier at fault, the export order's number) are not found,
        read by id nor grouped by the sales company."""
        domestic, export = self.order.part_ids, self.export_order.part_ids
        self.assertTrue(domestic and export)
        parts = self.env["forklift.service.order.part"].with_user(self.sales_user)
        found = parts.search([])
        self.assertIn(domestic, found)
        self.assertNotIn(export, found)
        self.assertFalse(parts.search_count([("id", "in", export.ids)]))
        with self.assertRaises(AccessError):
            export.with_user(self.sales_user).read(["damage_description"])
        groups = parts.formatted_read_group([], ["order_id"], ["__count"])
        self.assertNotIn(
            self.export_order.id, [group["order_id"][0] for group in groups]
        )
        both = parts.with_user(self.both_user).search([])
        self.assertEqual(both & (domestic | export), domestic | export)

    def test_sales_company_reads_no_export_hour_reading(self):
        """An export forklift's hour meter, with the export sheet it was
        read for, is not read by the sales company, which records no reading
        on it either (it would move the forklift's warranty by hours); it
        reads and records those of domestic forklifts."""
        readings = self.env["forklift.hour.reading"]
        export = self.export_case.reading_id
        self.assertTrue(export and self.case.reading_id)
        as_sales = readings.with_user(self.sales_user)
        self.assertFalse(as_sales.search([("unit_id", "=", self.overseas_unit.id)]))
        self.assertFalse(as_sales.search_count([("unit_id.market", "=", "export")]))
        with self.assertRaises(AccessError):
            export.with_user(self.sales_user).read(["hours", "feedback_id"])
        with self.assertRaises(AccessError):
            as_sales.create({"unit_id": self.overseas_unit.id, "hours": 300})
        self.assertEqual(self.overseas_unit.reading_ids, export)
        self.assertIn(self.case.reading_id, as_sales.search([]))
        reading = as_sales.create({"unit_id": self.unit.id, "hours": 300})
        self.assertEqual(reading.unit_id, self.unit)
        both = readings.with_user(self.both_user).search([])
        self.assertIn(export, both)
        self.assertIn(self.case.reading_id, both)

    def test_sales_company_reads_no_export_forklift(self):
        """An export forklift (its overseas customer, dealer, warranty and
        letter), its serial record and the response times of its customer's
        letter are not read by the sales company; the domestic forklift,
        its serial, the serials of what is no forklift and the general
        response times are."""
        units = self.env["forklift.unit"].with_user(self.sales_user)
        self.assertFalse(units.search([("market", "=", "export")]))
        self.assertIn(self.unit, units.search([]))
        with self.assertRaises(AccessError):
            self.overseas_unit.with_user(self.sales_user).read(["partner_id"])
        markets = [
            group["market"]
            for group in units.formatted_read_group([], ["market"], ["__count"])
        ]
        self.assertNotIn("export", markets)
        # serial records
        lots = self.env["stock.lot"].with_user(self.sales_user)
        export_lot = self.overseas_unit.lot_id
        loose = self.env["stock.lot"].create(
            {"name": "SN-FI-NO-UNIT", "product_id": self.forklift_product.id}
        )
        found = lots.search([])
        self.assertNotIn(export_lot, found)
        self.assertIn(self.unit.lot_id, found)
        self.assertIn(loose, found)
        self.assertFalse(lots.search_count([("id", "=", export_lot.id)]))
        with self.assertRaises(AccessError):
            export_lot.with_user(self.sales_user).read(["name"])
        # response times of an export customer's letter
        letter = self.env["forklift.service.commitment"].create(
            {"partner_id": self.overseas.id, "tender_ref": "Jebel Ali tender"}
        )
        policies = self.env["forklift.sla.policy"]
        export_policy = policies.create(
            {
                "name": "Promised to Gulf Handling",
                "answer_hours": 1,
                "onsite_hours": 4,
                "commitment_id": letter.id,
            }
        )
        general = policies.search([("commitment_id", "=", False)])
        self.assertTrue(general)
        found = policies.with_user(self.sales_user).search([])
        self.assertNotIn(export_policy, found)
        self.assertEqual(found & general, general)
        with self.assertRaises(AccessError):
            export_policy.with_user(self.sales_user).read(["answer_hours", "name"])
        # staff who are also in the sales company read both markets
        for model, records in (
            ("forklift.unit", self.unit | self.overseas_unit),
            ("stock.lot", self.unit.lot_id | export_lot),
            ("forklift.sla.policy", export_policy | general),
        ):
            found = self.env[model].with_user(self.both_user).search([])
            self.assertEqual(found & records, records, model)

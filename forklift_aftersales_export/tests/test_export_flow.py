from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.forklift_aftersales.tests.common import ForkliftCommon

# the groups the export addon owns
EXPORT_GROUPS = {"sales_vp_export": "forklift_aftersales_export"}


class ExportCommon(ForkliftCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export_user = cls._user(
            "fa_export", "forklift_aftersales_export.group_forklift_export_division"
        )
        cls.export_company_user = cls._user(
            "fx_export_company",
            "forklift_aftersales_export.group_forklift_export_company",
        )
        cls.uae = cls.env.ref("base.ae")
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.overseas_dealer = cls.env["res.partner"].create(
            {
                "name": "Gulf Lift Trading",
                "is_company": True,
                "is_forklift_dealer": True,
                "forklift_has_service_staff": False,
                "country_id": cls.uae.id,
                "email": "service@gulflift.example.com",
                "lang": "en_US",
            }
        )
        cls.overseas_customer = cls.env["res.partner"].create(
            {
                "name": "Jebel Ali Warehousing",
                "is_company": True,
                "country_id": cls.uae.id,
                "email": "plant@jebelali.example.com",
            }
        )
        cls.export_unit = cls._create_unit(
            "SN-EXP-0001",
            acceptance=date(2026, 1, 10),
            partner=cls.overseas_customer,
            dealer=cls.overseas_dealer,
            market="export",
        )

    @classmethod
    def _approvers(cls, prefix):
        """One user per approving group, by group, the export sales vice
        president's from the export addon; logins start with ``prefix``."""
        return {
            group: new_test_user(
                cls.env,
                login=f"{prefix}_{group}",
                groups=f"{EXPORT_GROUPS.get(group, 'forklift_aftersales')}"
                f".group_forklift_{group}",
            )
            for group in (
                "qa_manager",
                "aftersales_vp",
                "supply_vp",
                "sales_vp_domestic",
                "sales_vp_export",
            )
        }

    @classmethod
    def _export_case(cls, route="remote", **vals):
        return cls._verified_case(unit=cls.export_unit, route=route, **vals)

    @staticmethod
    def _notified(record, partner):
        return record.message_ids.filtered(lambda m: partner in m.notified_partner_ids)


@tagged("post_install", "-at_install")
class TestExportRouting(ExportCommon):
    """Who hears of export and domestic cases (000 第一篇 §4 vs 000 §4.1)."""

    def _finish(self, case, performer="technician"):
        order = self._service_order(case, performer=performer)
        self._registered_order(order, "Ahmed")
        case.action_report_to_qa()
        return order

    def test_domestic_feedback_analysiss_to_qa(self):
        """R-171, R-271, R-277, R-069 (000 §4.1.1, §4.2.1.2): a domestic case
        solved is reported to QA and the registered signed sheet is copied to
        QA; the export side hears nothing."""
        case = self._verified_case()
        order = self._finish(case)
        self.assertTrue(self._notified(case, self.qa.partner_id))
        self.assertFalse(self._notified(case, self.export_user.partner_id))
        self.assertFalse(self._notified(case, self.export_company_user.partner_id))
        copy = self._notified(order, self.qa.partner_id)
        self.assertEqual(len(copy), 1)
        self.assertIn("copy sent to QA", copy.body)

    def test_export_feedback_analysiss_to_the_export_division_and_company(self):
        """R-047, R-269, R-271, R-277 (000-I L35, L59): an export sheet is
        numbered apart; solved, it is reported to the export division and the
        export company, which also get the copy of the signed sheet; QA does
        not."""
        case = self._export_case()
        self.assertTrue(case.name.startswith("FB-E2"), case.name)
        order = self._finish(case, performer="remote")
        for partner in (
            self.export_user.partner_id,
            self.export_company_user.partner_id,
        ):
            self.assertTrue(self._notified(case, partner))
            self.assertTrue(self._notified(order, partner))
        self.assertFalse(self._notified(case, self.qa.partner_id))
        self.assertFalse(self._notified(order, self.qa.partner_id))
        copy = self._notified(order, self.export_user.partner_id)
        self.assertIn("copy sent to the export division", copy.body)

    def test_major_issue_notices_by_market(self):
        """R-169, R-047, R-061 (000 §4.1.5; 000-I L37): a major issue is told
        at once to the leaders in charge and to QA for a domestic forklift, to
        the export division and the export company for an export one."""
        domestic = self._create_case(severity="major")
        export = self._create_case(unit=self.export_unit, severity="major")
        for case, told, not_told in (
            (
                domestic,
                [self.leader, self.qa],
                [self.export_user, self.export_company_user],
            ),
            (
                export,
                [self.leader, self.export_user, self.export_company_user],
                [self.qa],
            ),
        ):
            for user in told:
                with self.subTest(case=case.market, told=user.login):
                    self.assertTrue(self._notified(case, user.partner_id))
            for user in not_told:
                with self.subTest(case=case.market, not_told=user.login):
                    self.assertFalse(self._notified(case, user.partner_id))


@tagged("post_install", "-at_install")
class TestRemoteSupportFirst(ExportCommon):
    """Customers without dealer service staff get remote technical support
    first, recorded as such, before anyone is sent (000 第一篇 §5, R-079)."""

    def test_route_must_start_with_remote_support(self):
        """R-276 (000-I L47–53): an export customer whose dealer has no service
        staff gets technical support first: a sheet routed to the dealer is not
        verified."""
        case = self._create_case(
            unit=self.export_unit,
            verification="<p>Engine stalls.</p>",
            responsibility="manufacturing",
            route="dealer",
        )
        self.assertTrue(case.needs_remote_support_first)
        with self.assertRaises(UserError):
            case.action_verify()
        self.assertEqual(case.state, "draft")
        case.route = "remote"
        case.action_verify()
        self.assertEqual(case.state, "verified")

    def test_nobody_is_sent_before_remote_support_is_recorded(self):
        """R-276, R-088 (000-I L51–53; 000 第四篇 §3): nobody is sent on site
        until the remote support is recorded done as a service order of its
        own."""
        case = self._export_case()
        onsite = self._service_order(
            case, performer="dealer", dealer_id=self.overseas_dealer.id
        )
        with self.assertRaises(UserError):
            onsite.action_dispatch()
        self.assertEqual(onsite.state, "draft")
        self.assertFalse(case.dispatched_date)
        technician = self._service_order(case)
        with self.assertRaises(UserError):
            technician.action_dispatch()

        remote = self._service_order(case, performer="remote")
        remote.action_dispatch()
        self.assertEqual(case.state, "dispatched")
        with self.assertRaises(UserError):
            technician.action_dispatch()  # support given, but not finished yet
        remote.write({"work_done": "<p>Walked the operator through a fuel purge.</p>"})
        remote.action_done()
        self.assertTrue(case.remote_support_done)
        technician.action_dispatch()
        self.assertEqual(technician.state, "dispatched")

    def test_dealer_with_service_staff_is_dispatched_at_once(self):
        """R-276, R-159 (000-I L47–49): an overseas dealer with service staff
        is sent the sheet at once."""
        self.overseas_dealer.forklift_has_service_staff = True
        case = self._export_case(route="dealer")
        self.assertFalse(case.needs_remote_support_first)
        order = self._service_order(
            case, performer="dealer", dealer_id=self.overseas_dealer.id
        )
        order.action_dispatch()
        self.assertEqual(order.state, "dispatched")
        self.assertTrue(self._notified(order, self.overseas_dealer))

    def test_domestic_cases_are_not_concerned(self):
        self.dealer_a.forklift_has_service_staff = False
        case = self._verified_case()
        self.assertFalse(case.needs_remote_support_first)
        order = self._service_order(case)
        order.action_dispatch()
        self.assertEqual(order.state, "dispatched")

    def _dispatch_overdue_seen(self, case):
        """Whether the sheet is late to dispatch on its form, in the "overdue"
        filter and for the reminder cron."""
        case.invalidate_recordset(["is_dispatch_overdue"])
        cases = self.env["forklift.feedback"]
        listed = cases.search(
            [("is_dispatch_overdue", "=", True), ("id", "=", case.id)]
        )
        not_listed = cases.search(
            [("is_dispatch_overdue", "=", False), ("id", "=", case.id)]
        )
        self.assertNotEqual(bool(listed), bool(not_listed))
        cases._cron_remind_overdue()
        reminded = case.activity_ids.filtered(
            lambda a: a.summary == "Dispatch deadline passed"
        )
        return case.is_dispatch_overdue, bool(listed), bool(reminded)

    def test_dispatch_delay_with_a_reason_is_not_overdue(self):
        """R-159 (000-I L49 "有条件的情况下", REQUIREMENTS A-13): the 24 h
        dispatch of an export sheet is not overdue once a reason for the delay
        is recorded; a domestic sheet stays overdue whatever reason it carries.
        Form, filter and reminder agree."""
        export = self._export_case()
        domestic = self._verified_case()
        self.assertEqual(domestic.market, "domestic")
        for case in export | domestic:
            case._write_flow({"verified_date": "2026-03-01 08:00:00"})
            case.dispatch_delay_reason = "Customer site closed for the holidays."
        self.assertEqual(self._dispatch_overdue_seen(export), (False, False, False))
        self.assertEqual(self._dispatch_overdue_seen(domestic), (True, True, True))
        export.dispatch_delay_reason = False
        self.assertEqual(self._dispatch_overdue_seen(export), (True, True, True))

    def test_only_the_service_center_excuses_a_late_dispatch(self):
        """R-159, R-158, R-259 (000-I L49, REQUIREMENTS A-13): the reason that
        excuses a late overseas dispatch is the service center's, which
        dispatches and answers for the 24 h. The export division or the
        export company writing one (as over RPC) would take the sheet out of
        the overdue list and the reminder for it: refused, the sheet still
        overdue. Service-center staff state it while the dispatch is
        pending; once the sheet is dispatched, nobody writes, changes or
        clears it afterwards."""
        case = self._export_case()
        case._write_flow({"verified_date": "2026-03-01 08:00:00"})
        reason = "Customer site closed for the holidays."
        for user in (self.export_user, self.export_company_user):
            with (
                self.subTest(user=user.login),
                self.cr.savepoint(),
                self.assertRaisesRegex(AccessError, "Only the service center"),
            ):
                case.with_user(user).write({"dispatch_delay_reason": reason})
        self.assertFalse(case.dispatch_delay_reason)
        self.assertEqual(self._dispatch_overdue_seen(case)[:2], (True, True))
        case.with_user(self.staff).dispatch_delay_reason = reason
        self.assertEqual(self._dispatch_overdue_seen(case)[:2], (False, False))
        order = self._service_order(case, performer="remote")
        order.action_dispatch()
        self.assertTrue(case.dispatched_date)
        for user in (self.staff, self.director):
            for value in (False, "Another reason."):
                with (
                    self.subTest(user=user.login, value=value),
                    self.cr.savepoint(),
                    self.assertRaisesRegex(UserError, "is dispatched"),
                ):
                    case.with_user(user).write({"dispatch_delay_reason": value})
        self.assertEqual(case.dispatch_delay_reason, reason)

    def test_other_company_staff_learn_nothing_of_a_dispatched_sheet(self):
        """R-047: service-center staff of another company writing a reason
        on this company's dispatched sheet (its id, over RPC) are refused by
        Odoo's access rights before the check of the dispatch names the
        sheet; the reason stays as it was."""
        case = self._export_case()
        case._write_flow({"verified_date": "2026-03-01 08:00:00"})
        order = self._service_order(case, performer="remote")
        order.action_dispatch()
        _company, outsider = self._new_company_user(
            "Export Branch B", "fa_export_branch_staff", "group_forklift_user"
        )
        with self.cr.savepoint(), self.assertRaises(AccessError) as refused:
            case.with_user(outsider).write({"dispatch_delay_reason": "Late."})
        self.assertNotIn(case.name, str(refused.exception))
        self.assertFalse(case.dispatch_delay_reason)


@tagged("post_install", "-at_install")
class TestExportParts(ExportCommon):
    """The export vice president in the abnormal band above 1000
    (000 第一篇 §9, R-198, R-281); parts shipped abroad carry the case's
    currency and destination (R-286, R-287)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approvers = cls._approvers("fx")
        cls.approvers["director"] = cls.director
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.eur.id, "name": "2026-01-01", "rate": 0.9}
        )
        pricelist = cls.env["product.pricelist"].create(
            {"name": "Export EUR", "currency_id": cls.eur.id}
        )
        cls.overseas_dealer.property_product_pricelist = pricelist
        spare = cls.env.ref("forklift_aftersales.stock_location_spare_parts")
        cls.env["stock.quant"]._update_available_quantity(cls.part, spare, 10)

    def _request(self, case, amount):
        # the amount that picks the approvers is the part's cost, never typed
        self.part.standard_price = amount
        return self.env["forklift.parts.request"].create(
            {
                **self._parts_request_vals(case, 1, "unqualified"),
                "request_type": "abnormal",
                "reason": "Beyond the warranty certificate.",
            }
        )

    def _groups(self, request):
        return set(
            request.review_ids.definition_id.reviewer_group_id.mapped(
                lambda g: g.get_external_id()[g.id].split(".")[1]
            )
        )

    def test_export_vice_president_approves_abnormal_parts_above_1000(self):
        """R-012, R-060, R-197, R-198 (000-I L87, ≙ 000 §4.3.1.4): above 1000
        the export sales vice president signs the abnormal requisition, the
        domestic one cannot stand in; approved, it is issued from stock with
        the destination and currency."""
        case = self._export_case()
        self.assertEqual(case.export_currency_id, self.eur)
        self.assertEqual(case.destination_country_id, self.uae)
        small = self._request(case, 1000)
        small.request_validation()
        self.assertNotIn("group_forklift_sales_vp_export", self._groups(small))
        request = self._request(case, 1500)
        request.request_validation()
        groups = self._groups(request)
        self.assertIn("group_forklift_sales_vp_export", groups)
        self.assertNotIn("group_forklift_sales_vp_domestic", groups)
        for key in ("director", "qa_manager", "aftersales_vp", "supply_vp"):
            request.with_user(self.approvers[key]).validate_tier()
        self.assertEqual(request.state, "draft", "the export VP has not approved")
        with self.assertRaises(UserError):
            request.with_user(self.approvers["sales_vp_domestic"]).validate_tier()
        self.assertEqual(request.state, "draft", "the domestic VP cannot stand in")
        self.assertFalse(request.picking_id)
        request.with_user(self.approvers["sales_vp_export"]).validate_tier()
        self.assertEqual(request.state, "approved")

        picking = request.picking_id
        self.assertEqual(picking.forklift_destination_country_id, self.uae)
        self.assertEqual(picking.forklift_currency_id, self.eur)
        self.assertAlmostEqual(picking.forklift_declared_value, 1350.0, places=2)
        self.assertAlmostEqual(request.amount_export_currency, 1350.0, places=2)
        html = self._report_html(
            "forklift_aftersales.action_report_forklift_departure_permit", picking
        )
        self.assertIn("United Arab Emirates", html)
        self.assertIn("Declared value", html)

    def test_approved_parts_keep_the_sheets_currency_and_destination(self):
        """R-286, R-287, R-005: once warranty parts of an export sheet are
        asked for approval, the sheet's currency and destination are what the
        approvers read and what the delivery declares: nobody changes them on
        the sheet, the export division included, until the requests are
        cancelled."""
        case = self._export_case()
        self.part.standard_price = 150
        request = self.env["forklift.parts.request"].create(
            self._parts_request_vals(case, 1, "unqualified")
        )
        changes = {
            "export_currency_id": self.env.ref("base.USD").id,
            "destination_country_id": self.env.ref("base.sa").id,
        }
        request.request_validation()
        self._assert_writes_refused(case, self.export_user, changes, "under approval")
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")
        for user in (self.export_user, self.staff, self.director):
            self._assert_writes_refused(case, user, changes, "declares")
        self.assertEqual(case.export_currency_id, self.eur)
        self.assertEqual(case.destination_country_id, self.uae)
        self.assertEqual(request.picking_id.forklift_currency_id, self.eur)
        # cancelled with its delivery, the request no longer declares them
        request.with_user(self.staff).action_cancel()
        case.with_user(self.export_user).write(changes)
        self.assertEqual(case.destination_country_id, self.env.ref("base.sa"))

    def test_domestic_parts_carry_no_export_data(self):
        """R-060 (000 §4.3.1.4): a domestic abnormal requisition above 1000
        goes to the domestic sales vice president, not the export one."""
        request = self._request(self._verified_case(), 1500)
        request.request_validation()
        self.assertIn("group_forklift_sales_vp_domestic", self._groups(request))
        self.assertNotIn("group_forklift_sales_vp_export", self._groups(request))


@tagged("post_install", "-at_install")
class TestExportVehicleReturn(ExportCommon):
    """An export vehicle return is signed by the export vice president
    (000 第一篇 §11, REQUIREMENTS A-08) and announced to the export side."""

    def test_export_vice_president_signs_export_returns(self):
        """R-282, R-014, R-060 (000-I L97, A-08): an export return is signed by
        the office director, the service center director and the export sales
        vice president (the domestic one is refused), then handed to QA and
        told to the export company."""
        office = self._govern_dealers(
            self._group_user("fx_office", "group_forklift_office_director"),
            self.overseas_dealer,
        )
        domestic_vp = self._group_user("fx_vp_dom", "group_forklift_sales_vp_domestic")
        export_vp = self._group_user(
            "fx_vp_exp", "forklift_aftersales_export.group_forklift_sales_vp_export"
        )
        vehicle_return = self.env["forklift.vehicle.return"].create(
            {
                "unit_id": self.export_unit.id,
                "returned_by": "Gulf Lift Trading",
                "description": "<p>Wrong mast height delivered.</p>",
            }
        )
        self.assertEqual(vehicle_return.market, "export")
        vehicle_return.action_submit()
        vehicle_return.with_user(office).action_sign_office()
        vehicle_return.with_user(self.director).action_sign_director()
        with self.assertRaises(AccessError):
            vehicle_return.with_user(domestic_vp).action_sign_sales_vp()
        self.assertEqual(vehicle_return.state, "signing")
        vehicle_return.with_user(export_vp).action_sign_sales_vp()
        self.assertEqual(vehicle_return.state, "qa")
        for partner in (self.qa.partner_id, self.export_company_user.partner_id):
            self.assertTrue(self._notified(vehicle_return, partner))
        # the export division reads export returns only
        self.assertEqual(
            vehicle_return.with_user(self.export_user).name, vehicle_return.name
        )


@tagged("post_install", "-at_install")
class TestExportDocumentLanguage(ExportCommon):
    """Customer-facing documents print in the partner's language: English for
    an overseas dealer, Chinese for a Chinese-speaking one (R-285)."""

    def test_service_order_prints_in_the_dealers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["forklift_aftersales", "forklift_aftersales_export"], ["zh_CN"]
        )
        self.overseas_dealer.forklift_has_service_staff = True
        case = self._export_case(route="dealer")
        order = self._service_order(
            case, performer="dealer", dealer_id=self.overseas_dealer.id
        )
        chinese_dealer = self.overseas_dealer.copy({"name": "Dubai Chinese Trading"})
        chinese_dealer.lang = "zh_CN"
        chinese_order = self._service_order(
            case, performer="dealer", dealer_id=chinese_dealer.id
        )
        report = self.env["ir.actions.report"]
        english = report._render_qweb_html(
            "forklift_aftersales.action_report_forklift_service_order", order.ids
        )[0].decode()
        chinese = report._render_qweb_html(
            "forklift_aftersales.action_report_forklift_service_order",
            chinese_order.ids,
        )[0].decode()
        self.assertIn("Work done", english)
        self.assertNotIn("Work done", chinese)
        self.assertIn("处理情况", chinese)
        self.assertIn("售后服务处理单", chinese)

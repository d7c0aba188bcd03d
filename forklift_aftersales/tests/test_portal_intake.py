from datetime import datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import (
    PDF,
    SIGNATURE,
    ForkliftCommon,
    ShippedPartsCommon,
    portal_post,
    post_signed_sheet,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


@tagged("post_install", "-at_install")
class TestPortalIntake(HttpCase, ForkliftCommon):
    """Customers and dealers file feedback sheets on the portal (000 §4.1.1,
    R-063, R-065): their own forklifts only, the hour meter as a reading,
    photos, an acknowledgement with the number and the deadline; a refused
    post saves nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        cls.customer_user, cls.customer_b_user, cls.dealer_user = (
            cls._portal_user(login, company, name, email=f"{login}@example.com")
            for login, company, name in (
                ("intake_customer", cls.customer, "Li Wei"),
                ("intake_customer_b", cls.customer_b, "Qian"),
                ("intake_dealer", cls.dealer_a, "Zhou (dealer A)"),
            )
        )
        cls.env["forklift.hour.reading"].create(
            {"unit_id": cls.unit.id, "hours": 420, "date": "2026-02-01 08:00:00"}
        )

    def _file(self, unit, hour_meter="450", description="Mast drops under load", **kw):
        files = kw.pop("files", None) or {}
        return portal_post(
            self,
            "/my/forklift/sheets/new",
            data={
                "unit_id": str(unit.id),
                "description": description,
                "hour_meter": hour_meter,
                **kw,
            },
            files=files,
        )

    def _sheets(self):
        return self.env["forklift.feedback"].search([("channel", "=", "portal")])

    def test_customer_files_a_sheet_for_his_forklift(self):
        """R-065, R-063, 000 §4.1.1: the customer picks his forklift (serial,
        model, hours shown), describes the fault, gives the hour meter and a
        photo, says it is stopped: the sheet lands at intake with channel
        portal and the server's reporter, the reading is recorded and the
        customer is told the number and the deadline."""
        self.authenticate("intake_customer", "intake_customer")
        home = self.url_open("/my").text
        self.assertIn("/my/forklift/sheets/new", home, "a tile to report a problem")
        self.assertIn("portal-forklift-sheet.svg", home, "the tiles have icons")
        page = self.url_open("/my/forklift/sheets/new").text
        self.assertIn(self.unit.name, page)
        self.assertIn("420", page, "the last hour meter reading is shown")
        self.assertNotIn(self.unit_b.name, page, "another customer's forklift")
        response = self._file(
            self.unit,
            description="Mast drops under load\nSeen twice this morning",
            is_stopped="on",
            files={"photos": ("mast.jpg", JPEG, "image/jpeg")},
        )
        self.assertEqual(response.status_code, 200)
        case = self._sheets()
        self.assertEqual(len(case), 1)
        self.assertIn(case.name, response.text, "the sheet's page is shown")
        self.assertEqual(case.state, "draft")
        self.assertEqual(case.unit_id, self.unit)
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.dealer_id, self.dealer_a)
        self.assertEqual(case.reporter_type, "customer")
        self.assertEqual(case.reporter_partner_id, self.customer_user.partner_id)
        self.assertFalse(case.user_id, "the service center takes it")
        self.assertTrue(case.is_stopped)
        self.assertEqual(case.title, "Mast drops under load")
        self.assertIn("Seen twice this morning", case.description)
        self.assertEqual(case.reading_id.hours, 450)
        self.assertEqual(self.unit.current_hours, 450)
        self.assertEqual(case.photo_ids.mimetype, "image/jpeg")
        self.assertTrue(case.answer_deadline, "the response commitment runs")
        ack = case.message_ids.filtered(
            lambda m: self.customer_user.partner_id in m.partner_ids
        )
        self.assertEqual(len(ack), 1)
        self.assertIn(case.name, ack.body)
        self.assertIn("answers by", ack.body)
        self.assertTrue(case.with_user(self.customer_user).has_access("read"))
        listing = self.url_open("/my/forklift/sheets").text
        self.assertIn(case.name, listing)

    def test_dealer_files_for_a_forklift_of_its_territory(self):
        """R-065, R-081: a dealer's service staff file a sheet for a forklift
        it serves: the reporter is the dealer."""
        self.authenticate("intake_dealer", "intake_dealer")
        self._file(self.unit)
        case = self._sheets()
        self.assertEqual(case.reporter_type, "dealer")
        self.assertEqual(case.dealer_id, self.dealer_a)
        self.assertEqual(case.partner_id, self.customer)

    @mute_logger("odoo.http")
    def test_another_customers_forklift_is_refused(self):
        """R-063, 000 §4.1.1: posting the id of another customer's forklift
        creates nothing and says why."""
        self.authenticate("intake_customer_b", "intake_customer_b")
        response = self._file(self.unit)
        self.assertIn("Choose one of your own forklifts", response.text)
        self.assertFalse(self._sheets())
        self.assertEqual(self.unit.current_hours, 420)

    @mute_logger("odoo.http")
    def test_hour_meter_going_backwards_is_refused(self):
        """R-065, R-288: an hour meter below the last reading is refused with
        the reason; no sheet, no reading, no photo is left."""
        self.authenticate("intake_customer", "intake_customer")
        attachments = self.env["ir.attachment"].search_count([])
        response = self._file(
            self.unit,
            hour_meter="400",
            files={"photos": ("mast.jpg", JPEG, "image/jpeg")},
        )
        self.assertIn("cannot go backwards", response.text)
        self.assertIn("Mast drops under load", response.text, "what he typed stays")
        self.assertFalse(self._sheets())
        self.assertEqual(self.unit.current_hours, 420)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)

    @mute_logger("odoo.http")
    def test_bad_input_is_refused(self):
        """Bad input gets a clear error and changes nothing: a PDF as a photo,
        a negative or missing hour meter, an empty description."""
        self.authenticate("intake_customer", "intake_customer")
        for kw, reason in (
            ({"files": {"photos": ("x.jpg", PDF, "image/jpeg")}}, "JPEG or PNG"),
            ({"hour_meter": "-5"}, "hour meter"),
            ({"hour_meter": "many"}, "as a number"),
            ({"description": "  "}, "Describe the problem"),
        ):
            with self.subTest(reason=reason):
                response = self._file(self.unit, **kw)
                self.assertIn(reason, response.text)
        self.assertFalse(self._sheets())

    def test_phone_sized_report_tour(self):
        """R-065: the customer files the sheet from a phone (390 x 844)."""
        self.browser_size = "390x844"
        self.start_tour(
            "/my/forklift/sheets/new", "forklift_portal_intake", login="intake_customer"
        )
        case = self._sheets()
        self.assertEqual(case.title, "Tour: mast drops under load")
        self.assertEqual(case.reading_id.hours, 460)
        self.assertTrue(case.is_stopped)

    def test_internal_and_anonymous_users_are_not_offered_units(self):
        """The page and the method serve portal users only: an internal user
        files sheets in the back end, an anonymous visitor is sent to log in."""
        units = self.env["forklift.unit"].with_user(self.staff)._get_portal_units()
        self.assertFalse(units)
        response = self.url_open("/my/forklift/sheets/new", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers.get("Location", ""))


@tagged("post_install", "-at_install")
class TestPortalWorkReport(HttpCase, ShippedPartsCommon):
    """The dealer reports the work of its service order from the portal (000
    §4.2.2.2, R-082, R-127): arrival, work, hour meter, the warranty parts it
    received, photos; then the customer signs or the signed sheet is sent, and
    the 7-day deadline is met or missed at the upload."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        cls.dealer_user, cls.other_dealer = cls._dealer_portal_users(
            ("report_dealer_a", "Zhou Ming"),
            ("report_dealer_b", "Zhou Ming"),
            name="Zhou Ming",
            tz="Asia/Shanghai",
        )
        cls.request = cls._shipped_request()
        cls.case = cls.request.feedback_id
        cls.order = cls._service_order(cls.case, performer="dealer")
        cls.order.action_dispatch()
        # dispatched this morning, a whole minute apart from the arrival
        cls.order._write_flow(
            {"dispatched_date": cls.order.dispatched_date - timedelta(hours=3)}
        )

    def _arrival(self, hours_after_dispatch=1):
        """The arrival as the dealer's phone shows it: Shanghai time."""
        utc = self.order.dispatched_date + timedelta(hours=hours_after_dispatch)
        utc = utc.replace(second=0, microsecond=0)
        local = pytz.utc.localize(utc).astimezone(pytz.timezone("Asia/Shanghai"))
        return local.strftime("%Y-%m-%dT%H:%M")

    def _report(self, photos=True, **kw):
        return portal_post(
            self,
            f"/my/forklift/service-orders/{self.order.id}/report",
            data={
                "arrival": self._arrival(-1 if kw.pop("early", False) else 1),
                "work_done": "Replaced the lift cylinder seal kit",
                "hour_meter": "520",
                f"qty_{self.part.id}": "2",
                f"serial_{self.part.id}": "SEAL-0042",
                f"damage_{self.part.id}": "Seal lip torn, oil on the cylinder",
                **kw,
            },
            files={"photos": ("seal.jpg", JPEG, "image/jpeg")} if photos else None,
        )

    def _state(self):
        self.order.invalidate_recordset()
        return (
            self.order.state,
            self.order.arrival_date,
            self.order.hour_meter,
            len(self.order.part_ids),
            len(self.order.photo_ids),
        )

    def test_dealer_reports_the_work_then_the_customer_signs(self):
        """R-082, R-127, 000 §4.2.2.2: the dealer's report makes the order
        done with its parts, reading and photo; the customer signs on the
        dealer's phone; the service center registers it."""
        self.authenticate("report_dealer_a", "report_dealer_a")
        page = self.url_open(self.order.get_portal_url()).text
        self.assertIn("Report the work", page)
        self.assertNotIn("Purchase Orders", page, "the breadcrumbs name our records")
        self.assertIn(self.part.display_name, page, "the parts it received")
        response = self._report()
        self.assertIn("The work is reported", response.text)
        self.assertEqual(self.order.state, "done")
        self.assertEqual(
            self.order.arrival_date,
            (self.order.dispatched_date + timedelta(hours=1)).replace(second=0),
        )
        self.assertEqual(self.order.reading_id.hours, 520)
        self.assertEqual(self.order.part_ids.product_id, self.part)
        self.assertEqual(self.order.part_ids.quantity, 2)
        self.assertTrue(self.order.part_ids.is_warranty)
        self.assertEqual(self.order.part_ids.failed_serial, "SEAL-0042")
        self.assertEqual(
            self.order.part_ids.damage_description, "Seal lip torn, oil on the cylinder"
        )
        self.assertEqual(self.order.photo_ids.mimetype, "image/jpeg")
        self.assertIn("seal kit", self.order.work_done)
        # the customer signs on the dealer's phone
        self.make_jsonrpc_request(
            f"/my/forklift/service-orders/{self.order.id}/sign",
            {"name": "Wang Jun", "signature": SIGNATURE, "opinion": "Fine"},
        )
        self.assertEqual(self.order.state, "signed")
        self.order.with_user(self.staff).action_register()
        self.assertEqual(self.order.state, "registered")

    def test_phone_sized_report_and_signature_tour(self):
        """R-082, R-206, R-068: the dealer reports the work with a photo and
        the damage of the part replaced, and the customer signs, on a
        390 x 844 phone."""
        self.browser_size = "390x844"
        self.start_tour(
            self.order.get_portal_url(),
            "forklift_portal_work_report",
            login="report_dealer_a",
        )
        self.assertEqual(self.order.state, "signed")
        self.assertEqual(self.order.photo_ids.mimetype, "image/png")
        self.assertEqual(self.order.part_ids.damage_description, "Seal lip torn")
        self.assertEqual(self.order.reading_id.hours, 530)
        self.assertEqual(self.order.part_ids.quantity, 2)
        self.assertEqual(self.order.signed_by, "Wang Jun")

    def test_arrival_in_the_minute_of_the_dispatch(self):
        """R-082: the page gives the arrival to the minute; a dealer reporting
        in the very minute of the dispatch (the page's default) is accepted
        and the arrival recorded at the dispatch; a minute earlier is
        refused."""
        order = self._service_order(self._verified_case(route="dealer"), "dealer")
        with freeze_time("2026-12-01 08:05:30"):
            order.action_dispatch()
        dealer_order = order.with_user(self.dealer_user)
        with freeze_time("2026-12-01 08:05:50"):
            with self.assertRaisesRegex(UserError, "between the dispatch"):
                dealer_order._portal_report_work(
                    datetime(2026, 12, 1, 8, 4), "Work", 900, [], []
                )
            self.assertEqual(order.state, "dispatched")
            dealer_order._portal_report_work(
                datetime(2026, 12, 1, 8, 5),
                "Replaced the seal kit",
                900,
                [],
                [{"name": "seal.jpg", "raw": JPEG, "mimetype": "image/jpeg"}],
            )
        self.assertEqual(order.state, "done")
        self.assertEqual(order.arrival_date, datetime(2026, 12, 1, 8, 5, 30))
        self.assertEqual(order.reading_id.date, order.arrival_date)

    @mute_logger("odoo.http")
    def test_another_dealer_cannot_report(self):
        """R-055, R-082: dealer B posts a report on dealer A's order: refused,
        nothing changes."""
        before = self._state()
        self.authenticate("report_dealer_b", "report_dealer_b")
        self._report()
        self.assertEqual(self._state(), before)
        with self.assertRaises(AccessError):
            self.order.with_user(self.other_dealer)._portal_report_work(
                self.order.dispatched_date, "Forged", 520, [], []
            )
        self.assertEqual(self._state(), before)

    @mute_logger("odoo.http")
    def test_bad_reports_change_nothing(self):
        """Bad input is refused with its reason and changes nothing: a part it
        did not receive, more than received, an hour meter going backwards,
        an arrival before the dispatch, a PDF as a photo."""
        self.env["forklift.hour.reading"].create(
            {"unit_id": self.order.unit_id.id, "hours": 600}
        )
        other_part = self.env["product.product"].create({"name": "Brake pad"})
        before = self._state()
        self.authenticate("report_dealer_a", "report_dealer_a")
        for kw, reason in (
            ({"hour_meter": "580"}, "cannot go backwards"),
            ({"hour_meter": "700", f"qty_{self.part.id}": "3"}, "received"),
            ({"hour_meter": "700", "early": True}, "between the dispatch"),
            ({"hour_meter": "700", "work_done": " "}, "Describe the work"),
        ):
            with self.subTest(reason=reason):
                response = self._report(**kw)
                self.assertIn(reason, response.text)
                self.assertEqual(self._state(), before)
        with self.assertRaisesRegex(UserError, "shipped for"):
            self.order.with_user(self.dealer_user)._portal_report_work(
                self.order.dispatched_date,
                "Work",
                700,
                [(other_part.id, 1, "", "Worn")],
                [],
            )
        self.assertEqual(self._state(), before)

    def test_a_quantity_that_is_no_number_changes_nothing(self):
        """R-082: a report posted with a part's quantity that is no number a
        dealer could count (not a number, infinite, beyond what a float holds,
        astronomically large) is refused with the page's reason, not an
        error 500: nothing changes, nothing is logged."""
        before = self._state()
        self.authenticate("report_dealer_a", "report_dealer_a")
        for quantity, reason in (
            ("nan", "Enter the quantity of each part as a number"),
            ("inf", "Enter the quantity of each part as a number"),
            ("-inf", "Enter the quantity of each part as a number"),
            ("1e400", "Enter the quantity of each part as a number"),
            ("1e300", "enter a quantity of at most 999999"),
        ):
            with self.subTest(quantity=quantity), self.assertNoLogs(level="WARNING"):
                response = self._report(**{f"qty_{self.part.id}": quantity})
                self.assertEqual(response.status_code, 200)
                self.assertIn(reason, response.text)
                self.assertEqual(self._state(), before)

    @mute_logger("odoo.http")
    def test_report_needs_photos_and_the_damage_of_each_part(self):
        """R-068 (000 §4.1.2): on site, photos of the quality problem and the
        details of each damaged part are submitted. A report without a photo,
        or with a part replaced whose damage is not described, is refused
        with the reason and changes nothing; the same through the model, as
        RPC would call it."""
        before = self._state()
        self.authenticate("report_dealer_a", "report_dealer_a")
        response = self._report(photos=False)
        self.assertIn("Add at least one photo of the quality problem", response.text)
        self.assertEqual(self._state(), before)
        response = self._report(**{f"damage_{self.part.id}": "  "})
        self.assertIn("Describe the damage found on each part replaced", response.text)
        self.assertIn(self.part.display_name, response.text)
        self.assertEqual(self._state(), before)
        report = self.order.with_user(self.dealer_user)._portal_report_work
        arrival = self.order.dispatched_date + timedelta(hours=1)
        photo = {"name": "seal.jpg", "raw": JPEG, "mimetype": "image/jpeg"}
        with self.assertRaisesRegex(UserError, "at least one photo"):
            report(arrival, "Work", 520, [(self.part.id, 1, "S1", "Torn")], [])
        with self.assertRaisesRegex(UserError, "Describe the damage"):
            report(arrival, "Work", 520, [(self.part.id, 1, "S1", "")], [photo])
        self.assertEqual(self._state(), before)
        # a photo and the damage of the part: the work is reported
        report(arrival, "Work", 520, [(self.part.id, 1, "S1", "Torn")], [photo])
        self.assertEqual(self.order.state, "done")

    def test_signed_sheet_deadline_met_or_missed_at_the_upload(self):
        """R-082, R-161, 000 §4.2.2.2: a dealer that used no warranty parts
        returns the signed sheet within 7 days; the upload time decides, the
        order is no longer overdue once the sheet is sent, and a late upload
        is marked late."""
        order = self._done_order(self._verified_case(route="dealer"), "dealer")
        self.assertTrue(order.return_deadline)
        with freeze_time(order.return_deadline + timedelta(days=1)):
            self.assertTrue(order.is_return_overdue)
            self.authenticate("report_dealer_a", "report_dealer_a")
            post_signed_sheet(self, order)
            order.invalidate_recordset()
            self.assertTrue(order.signed_sheet_date)
            self.assertTrue(order.is_sheet_returned_late)
            self.assertFalse(order.is_return_overdue, "the sheet is in")
            self.assertNotIn(
                order,
                self.env["forklift.service.order"].search(
                    [("is_return_overdue", "=", True)]
                ),
            )
        with self.assertRaises(AccessError):
            order.with_user(self.dealer_user).write(
                {"signed_sheet_date": order.return_deadline}
            )


@tagged("post_install", "-at_install")
class TestPortalPartsApplication(HttpCase, ShippedPartsCommon):
    """A service-capable dealer applies for warranty parts for its own sheet
    on the portal and follows the approval and the delivery (000 §4.3.1.3,
    R-091, R-196)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        cls.dealer_user, cls.other_dealer = cls._dealer_portal_users(
            ("parts_dealer_a", None), ("parts_dealer_b", None)
        )
        cls.case = cls._verified_case(route="dealer")

    def _apply(self, case=None, quantity="2", warranty_reason="wear"):
        case = case or self.case
        return portal_post(
            self,
            f"/my/forklift/sheets/{case.id}/parts",
            data={
                f"qty_{self.part.id}": quantity,
                f"reason_{self.part.id}": warranty_reason,
                "reason": "Seal kit worn after 300 h",
            },
        )

    @mute_logger("odoo.http")
    def test_every_part_needs_its_warranty_reason(self):
        """R-093 (004 §4.6.1): the dealer says for each part why it is
        needed under warranty: wear, missing or unqualified. Without a reason,
        or with one not in the list, the application is refused with the
        choices and nothing is created; the reason given is kept on the line."""
        self.authenticate("parts_dealer_a", "parts_dealer_a")
        page = self.url_open(self.case.get_portal_url()).text
        self.assertIn(f'name="reason_{self.part.id}"', page)
        self.assertIn("Unqualified part", page)
        for reason in ("", "broken"):
            with self.subTest(reason=reason):
                response = self._apply(warranty_reason=reason)
                self.assertIn("say why it is needed under warranty", response.text)
                self.assertIn(
                    "Wear part, Missing part, Unqualified part", response.text
                )
                self.assertFalse(self.case.parts_request_ids)
        with self.assertRaisesRegex(UserError, "say why it is needed"):
            self.env["forklift.parts.request"].with_user(
                self.dealer_user
            )._portal_apply(self.case.id, [(self.part.id, 1, False)], "")
        self.assertFalse(self.case.parts_request_ids)
        self._apply(warranty_reason="missing")
        self.assertEqual(
            self.case.parts_request_ids.line_ids.warranty_reason, "missing"
        )

    def test_dealer_applies_and_follows_the_approval(self):
        """R-091, R-196, 000 §4.3.1.3: the dealer's application is created by
        the server for its own sheet and waits for the office director first;
        the page shows the step, not who approved what."""
        self.authenticate("parts_dealer_a", "parts_dealer_a")
        page = self.url_open(self.case.get_portal_url()).text
        self.assertIn("Apply for warranty parts", page)
        response = self._apply()
        self.assertIn("sent for approval", response.text)
        request = self.case.parts_request_ids
        self._assert_dealer_application(request)
        self.assertIn("office director confirms first", response.text, "the step")
        request.with_user(self.office_director).validate_tier()
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")
        request.picking_id.with_user(self.warehouse_user).write(
            {"forklift_carrier": "SF Express", "forklift_waybill": "SF1234567890"}
        )
        page = self.url_open(self.case.get_portal_url()).text
        self.assertIn(request.picking_id.name, page, "the delivery is shown")
        self.assertIn("SF1234567890", page, "with its carrier and waybill")
        self.assertNotIn(self.director.name, page)

    def test_customer_reads_no_parts_application_of_the_dealer(self):
        """R-055, R-063: a dealer's warranty parts applications are its own
        (the parts, the step of the approval, the delivery and its waybill):
        the sheet's page shows them to the dealer, not to the customer,
        logged in or through the sheet's link."""
        self._portal_user("parts_customer", self.customer)
        request = self._applied_request(self.case)
        self._approve_request(request)
        request.picking_id.with_user(self.warehouse_user).write(
            {"forklift_carrier": "SF Express", "forklift_waybill": "SF1234567890"}
        )
        application = (request.name, request.picking_id.name, "SF1234567890")
        self.authenticate("parts_dealer_a", "parts_dealer_a")
        page = self.url_open(self.case.get_portal_url()).text
        for text in application:
            self.assertIn(text, page)
        for login in ("parts_customer", None):
            with self.subTest(login=login):
                self.authenticate(login, login)
                page = self.url_open(self.case.get_portal_url()).text
                self.assertIn(self.case.name, page, "the sheet's page opens")
                for text in application:
                    self.assertNotIn(text, page)

    def test_the_dealers_reason_is_kept_on_its_application(self):
        """R-091, R-093: the request the server creates for the dealer keeps
        the reason he wrote for the application, not a part's warranty
        reason."""
        request = (
            self.env["forklift.parts.request"]
            .with_user(self.dealer_user)
            ._portal_apply(
                self.case.id, [(self.part.id, 1, "wear")], " Seal kit worn after 300 h "
            )
        )
        self.assertEqual(request.reason, "Seal kit worn after 300 h")
        self.assertEqual(request.line_ids.warranty_reason, "wear")

    @mute_logger("odoo.http")
    def test_dealer_without_service_staff_cannot_apply(self):
        """R-091: a dealer not marked service-capable applies: refused with
        the reason, nothing created; the same from the back end."""
        self.dealer_a.forklift_has_service_staff = False
        self.authenticate("parts_dealer_a", "parts_dealer_a")
        self.assertNotIn(
            "Apply for warranty parts", self.url_open(self.case.get_portal_url()).text
        )
        response = self._apply()
        self.assertIn("not a service-capable dealer", response.text)
        self.assertFalse(self.case.parts_request_ids)
        request = self.env["forklift.parts.request"].create(
            {
                "feedback_id": self.case.id,
                "applicant_type": "dealer",
                "dealer_id": self.dealer_a.id,
                "line_ids": [
                    Command.create(
                        {"product_id": self.part.id, "warranty_reason": "missing"}
                    )
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "not a service-capable dealer"):
            request.with_user(self.staff).request_validation()
        self.assertFalse(request.review_ids)

    @mute_logger("odoo.http")
    def test_dealer_cannot_apply_for_another_dealers_sheet(self):
        """R-055, R-091: dealer B posts an application on dealer A's sheet:
        refused, nothing created; a negative quantity is refused too."""
        self.authenticate("parts_dealer_b", "parts_dealer_b")
        self._apply()
        self.assertFalse(self.case.parts_request_ids)
        with self.assertRaises(AccessError):
            self.env["forklift.parts.request"].with_user(
                self.other_dealer
            )._portal_apply(self.case.id, [(self.part.id, 1, "wear")], "")
        self.authenticate("parts_dealer_a", "parts_dealer_a")
        response = self._apply(quantity="-1")
        self.assertIn("must be positive", response.text)
        self.assertFalse(self.case.parts_request_ids)

    def test_a_quantity_that_is_no_number_is_refused(self):
        """R-091: an application posted with a quantity that is no number a
        dealer could count (not a number, infinite, beyond what a float holds,
        astronomically large) is refused with the page's reason, not an
        error 500: nothing is created, nothing is logged; minus zero is no
        quantity at all."""
        self.authenticate("parts_dealer_a", "parts_dealer_a")
        for quantity, reason in (
            ("nan", "Enter the quantity of each part as a number"),
            ("NaN", "Enter the quantity of each part as a number"),
            ("inf", "Enter the quantity of each part as a number"),
            ("-inf", "Enter the quantity of each part as a number"),
            ("1e400", "Enter the quantity of each part as a number"),
            ("ten", "Enter the quantity of each part as a number"),
            ("1e300", "enter a quantity of at most 999999"),
            ("1000000", "enter a quantity of at most 999999"),
        ):
            with self.subTest(quantity=quantity), self.assertNoLogs(level="WARNING"):
                response = self._apply(quantity=quantity)
                self.assertEqual(response.status_code, 200)
                self.assertIn(reason, response.text)
                self.assertFalse(self.case.parts_request_ids)
        with self.assertNoLogs(level="WARNING"):
            response = self._apply(quantity="-0")
        self.assertIn("Add the parts needed", response.text)
        self.assertFalse(self.case.parts_request_ids)

    @mute_logger("odoo.http")
    def test_parts_are_asked_while_the_sheets_service_is_open(self):
        """R-091, 000 §4.3.1.2, §4.3.1.3: the dealer posts an application on
        his own sheet at intake or once closed (the page offers no form
        then): refused, nothing created; the service center asks none for a
        sheet not verified, and asks none for a sheet closed meanwhile."""
        self.authenticate("parts_dealer_a", "parts_dealer_a")
        intake = self._create_case(route="dealer")
        closed = self._verified_case(route="dealer")
        closed._write_flow({"state": "closed"})
        for case in (intake, closed):
            with self.subTest(state=case.state):
                self.assertNotIn(
                    "Apply for warranty parts",
                    self.url_open(case.get_portal_url()).text,
                )
                response = self._apply(case)
                self.assertIn("while the service of the sheet is open", response.text)
                self.assertFalse(case.parts_request_ids)
                with self.assertRaises(UserError):
                    self.env["forklift.parts.request"].with_user(self.staff).create(
                        self._parts_request_vals(case)
                    )
                self.assertFalse(case.parts_request_ids)
        request = (
            self.env["forklift.parts.request"]
            .with_user(self.staff)
            .create(self._parts_request_vals(self.case))
        )
        self.case._write_flow({"state": "closed"})
        with self.assertRaises(UserError) as refused:
            request.request_validation()
        self.assertIn("until its service is over", str(refused.exception))
        self.assertFalse(request.review_ids)

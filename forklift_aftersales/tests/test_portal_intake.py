from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestPortalIntake(HttpCase, ForkliftCommon):
    """Customers and dealers file feedback sheets on the portal (000 §4.1.1,
    R-063, R-065): their own forklifts only, the hour meter as a reading,
    photos, an acknowledgement with the number and the deadline; a refused
    post saves nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def portal_user(login, name, company):
            partner = cls.env["res.partner"].create(
                {"name": name, "parent_id": company.id, "email": f"{login}@example.com"}
            )
            return new_test_user(
                cls.env,
                login=login,
                password=login,
                groups="base.group_portal",
                partner_id=partner.id,
            )

        cls.customer_user = portal_user("intake_customer", "Li Wei", cls.customer)
        cls.customer_b_user = portal_user("intake_customer_b", "Qian", cls.customer_b)
        cls.dealer_user = portal_user("intake_dealer", "Zhou (dealer A)", cls.dealer_a)
        cls.env["forklift.hour.reading"].create(
            {"unit_id": cls.unit.id, "hours": 420, "date": "2026-02-01 08:00:00"}
        )

    def _file(self, unit, hour_meter="450", description="Mast drops under load", **kw):
        files = kw.pop("files", None) or {}
        return self.url_open(
            "/my/forklift/cases/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "unit_id": str(unit.id),
                "description": description,
                "hour_meter": hour_meter,
                **kw,
            },
            files=files,
        )

    def _sheets(self):
        return self.env["forklift.case"].search([("channel", "=", "portal")])

    def test_customer_files_a_sheet_for_his_forklift(self):
        """R-065, R-063, 000 §4.1.1: the customer picks his forklift (serial,
        model, hours shown), describes the fault, gives the hour meter and a
        photo, says it is stopped: the sheet lands at intake with channel
        portal and the server's reporter, the reading is recorded and the
        customer is told the number and the deadline."""
        self.authenticate("intake_customer", "intake_customer")
        page = self.url_open("/my/forklift/cases/new").text
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
        listing = self.url_open("/my/forklift/cases").text
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
            "/my/forklift/cases/new", "forklift_portal_intake", login="intake_customer"
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
        response = self.url_open("/my/forklift/cases/new", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers.get("Location", ""))

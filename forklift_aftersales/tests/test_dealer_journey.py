import base64
import io
from datetime import datetime, time, timedelta

import openpyxl
import pytz
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged

from .common import ShippedPartsCommon

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@tagged("post_install", "-at_install")
class TestDealerJourney(HttpCase, ShippedPartsCommon):
    """A dealer's service staff work a whole case on the portal from a
    390 x 844 phone, the service center's people doing their steps in between
    (issue "dealers and customers work the whole case on the portal"):

    - R-065, R-063, R-001 (000 §4.1.1): the dealer files the sheet with a
      photo; it lands at intake with channel portal and the dealer as the
      reporter;
    - R-081 (000 §4.2.2.1): the service center verifies it and dispatches the
      service order to the dealer, whose office supervisor follows it up;
    - R-082, R-127, R-206 (000 §4.2.2.2): the dealer reports the work and the
      hour meter, the customer signs by hand on the phone; the order waits for
      its registration;
    - R-091, R-196 (000 §4.3.1.3, §4.2.2.3): the dealer applies for the
      warranty parts; the sales office director confirms first, then the
      service center director; the warehouse ships them with a waybill;
    - R-229, R-167, R-235, A-15 (000 §4.3.2.5): the old parts are expected back
      30 days after the shipment; the dealer ships them with carrier and
      waybill; the service center records them received N days after the due
      date: N days late on the return, on the dealer's page and in the month's
      statistics per dealer (R-256).

    Every portal page of the journey fits the phone (no horizontal scroll).
    """

    # how many days after the due date the old parts arrive
    DAYS_LATE = 5

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer_staff = cls._portal_user(
            "journey_dealer",
            cls.dealer_a,
            "Zhou Ming",
            name="Zhou Ming",
            tz="Asia/Shanghai",
        )
        # the company is in Hangzhou: its days are the ones the procedure counts
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        # a forklift of dealer A's customer, in warranty today (accepted two
        # months ago, far from its 1500 hours)
        cls.journey_unit = cls._create_unit(
            "SN-J-0001", acceptance=fields.Date.today() - timedelta(days=60)
        )

    def _tour(self, name):
        """A visit of the dealer's service staff, from the portal home."""
        self.start_tour("/my", name, login="journey_dealer")

    def test_dealer_works_the_whole_feedback_from_a_phone(self):
        self.browser_size = "390x844"
        Return = self.env["forklift.oldpart.return"]

        # 1. the dealer files the sheet on its phone, with a photo
        self._tour("forklift_dealer_journey_file")
        case = self.env["forklift.feedback"].search(
            [("unit_id", "=", self.journey_unit.id)]
        )
        self.assertEqual(len(case), 1)
        self.assertEqual(case.channel, "portal")
        self.assertEqual(case.state, "draft", "at intake")
        self.assertEqual(case.reporter_type, "dealer")
        self.assertEqual(case.reporter_partner_id, self.dealer_staff.partner_id)
        self.assertEqual(case.dealer_id, self.dealer_a)
        self.assertEqual(case.partner_id, self.customer)
        self.assertFalse(case.user_id, "the service center takes it")
        self.assertEqual(case.title, "Journey: mast drops under load")
        self.assertEqual(case.reading_id.hours, 480)
        self.assertEqual(case.photo_ids.name, "mast.png")
        self.assertEqual(case.photo_ids.mimetype, "image/png")
        self.assertEqual(case.warranty_state, "in")
        self.assertTrue(
            case.message_ids.filtered(
                lambda m: (
                    self.dealer_staff.partner_id in m.partner_ids
                    and case.name in m.body
                )
            ),
            "the dealer is told the number and the deadline",
        )
        self.assertIn(
            case,
            self.env["forklift.feedback"]
            .with_user(self.staff)
            .search([("state", "=", "draft"), ("channel", "=", "portal")]),
            "the service center finds it at intake",
        )

        # 2. the service center verifies it and dispatches it to the dealer
        staff_case = case.with_user(self.staff)
        staff_case.write(
            {
                "user_id": self.staff.id,
                "verification": "<p>Leaking lift cylinder seal.</p>",
                "responsibility": "manufacturing",
                "route": "dealer",
            }
        )
        staff_case.action_verify()
        self.assertEqual(case.state, "verified")
        self.assertEqual(case.warranty_verdict, "repair")
        order = self.env["forklift.service.order"].browse(
            staff_case.action_create_service_order()["res_id"]
        )
        self.assertEqual(order.performer_type, "dealer")
        self.assertEqual(order.dealer_id, self.dealer_a)
        order.with_user(self.staff).action_dispatch()
        self.assertEqual(order.state, "dispatched")
        self.assertEqual(case.state, "dispatched")
        self.assertTrue(
            order.message_ids.filtered(lambda m: self.dealer_a in m.partner_ids),
            "the order is sent to the dealer",
        )
        self.assertIn(self.supervisor, order.activity_ids.user_id, "followed up")
        self.assertTrue(order.with_user(self.dealer_staff).has_access("read"))

        # 3. the dealer reports the work, the customer signs on the phone
        self._tour("forklift_dealer_journey_work_report")
        order.invalidate_recordset()
        self.assertEqual(order.state, "signed", "waits for its registration")
        self.assertFalse(order.registered_date)
        self.assertIn(
            order,
            order.with_user(self.staff).search([("state", "=", "signed")]),
            "the service center sees it to register",
        )
        self.assertEqual(case.state, "dispatched")
        self.assertTrue(
            order.dispatched_date <= order.arrival_date <= order.finished_date
        )
        self.assertIn("replaced the lift cylinder seal kit", order.work_done)
        self.assertEqual(order.reading_id.hours, 490)
        self.assertEqual(self.journey_unit.current_hours, 490)
        self.assertEqual(order.photo_ids.name, "failed-seal.png")
        self.assertFalse(order.part_ids, "no warranty part received yet")
        self.assertEqual(order.signed_by, "Wang Jun")
        self.assertTrue(
            base64.b64decode(order.signature).startswith(PNG_MAGIC),
            "the signature drawn on the pad",
        )

        # 4. the dealer applies for the warranty parts it used
        self._tour("forklift_dealer_journey_parts")
        request = case.parts_request_ids
        self._assert_dealer_application(request)
        self.assertEqual(request.review_ids.mapped("status"), ["pending", "waiting"])
        # the service center director cannot approve before the office director
        with self.assertRaises(UserError):
            request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "draft")
        request.with_user(self.office_director).validate_tier()
        self.assertEqual(request.office_confirmed_by_id, self.office_director)
        self.assertEqual(request.state, "draft", "the amount needs the director")
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")
        picking = request.picking_id
        self.assertEqual(picking.partner_id, self.dealer_a)
        self.assertFalse(request.oldpart_return_ids, "nothing shipped yet")

        # the warehouse ships them, with the carrier and the waybill
        warehouse_picking = picking.with_user(self.warehouse_user)
        warehouse_picking.action_assign()
        warehouse_picking.write(
            {"forklift_carrier": "ZTO Express", "forklift_waybill": "ZT-J-0001"}
        )
        self.assertIs(warehouse_picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        self.assertEqual(request.state, "shipped")
        note = request.oldpart_return_ids
        self.assertEqual(len(note), 1)
        self.assertEqual(note.state, "expected")
        self.assertEqual(note.returned_by_type, "dealer")
        self.assertEqual(note.dealer_id, self.dealer_a)
        self.assertEqual(note.line_ids.product_id, self.part)
        self.assertEqual(note.line_ids.quantity, 2)
        tz = pytz.timezone("Asia/Shanghai")
        # the work was reported before the parts came: the 30 days run from
        # their delivery, the shipment until the dealer confirms it,
        # counted in days of the company's time zone
        shipped_on = pytz.utc.localize(request.shipped_date).astimezone(tz).date()
        self.assertEqual(note.replaced_date, order.finished_date)
        self.assertEqual(note.due_date, shipped_on + timedelta(days=30))

        # 5. the dealer sees the delivery and ships the old parts back
        self._tour("forklift_dealer_journey_oldpart")
        note.invalidate_recordset()
        # the server records the company's day (Hangzhou), not the caller's
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()
        self.assertEqual(note.shipped_date, today)
        self.assertEqual(note.carrier, "SF Express")
        self.assertEqual(note.waybill, "SF-J-0001")
        self.assertEqual(note.shipped_by_id, self.dealer_staff)
        self.assertFalse(note.received_date)
        self.assertEqual(note.state, "expected")

        # 6. the service center records them received N days after the due date
        received_on = note.due_date + timedelta(days=self.DAYS_LATE)
        with freeze_time(datetime.combine(received_on, time(6))):
            self.assertIn(
                note,
                Return.with_user(self.staff).search([("is_overdue", "=", True)]),
                "overdue until it arrives",
            )
            wizard = Form(
                self.env["forklift.oldpart.receive.wizard"]
                .with_user(self.staff)
                .with_context(default_return_id=note.id)
            )
            self.assertEqual(wizard.received_date, received_on)
            wizard.save().action_confirm()
            self.assertNotIn(
                note, Return.with_user(self.staff).search([("is_overdue", "=", True)])
            )
        self.assertEqual(note.received_date, received_on)
        self.assertEqual(note.received_by_id, self.staff)
        self.assertEqual(note.days_late, self.DAYS_LATE)
        self.assertEqual(note.late_return_count, 1)

        # ... and the month's statistics show the dealer N days late
        month = received_on.replace(day=1)
        with freeze_time(datetime.combine(month + relativedelta(months=1), time(6))):
            report = (
                self.env["forklift.aftersales.report"]
                .with_user(self.director)
                .create(
                    {"report_type": "monthly", "market": "domestic", "date_from": month}
                )
            )
            report.action_produce()
        rows = [
            row
            for row in report.statistics["oldparts"]
            if row["key"] == self.dealer_a.id
        ]
        self.assertEqual(
            [
                (r["received_count"], r["late_return_count"], r["days_late"])
                for r in rows
            ],
            [(1, 1, self.DAYS_LATE)],
        )
        book = openpyxl.load_workbook(
            io.BytesIO(report.xlsx_attachment_id.raw), read_only=True
        )
        sheet_rows = [
            list(row)
            for row in book["Old Parts by Dealer"].iter_rows(values_only=True)
            if row[0] == self.dealer_a.display_name
        ]
        self.assertEqual(
            sheet_rows, [[self.dealer_a.display_name, 1, 1, self.DAYS_LATE]]
        )

        # 7. the dealer sees its lateness on the return, on the phone (the
        # tour reads "5 days late": DAYS_LATE)
        self._tour("forklift_dealer_journey_lateness")

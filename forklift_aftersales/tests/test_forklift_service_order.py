from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SIGNATURE, ForkliftCommon


@tagged("post_install", "-at_install")
class TestForkliftServiceOrder(ForkliftCommon):
    """Service order (000 §4.2.1–4.2.2, R-002)."""

    def _dealer_order(self, **vals):
        case = self._verified_case(route="dealer")
        order = self._service_order(case, performer="dealer", **vals)
        return case, order

    def test_dealer_gets_the_order_by_mail_and_supervisor_follows(self):
        """R-054 (000 §4.2.2.1): the order sent to the dealer is mailed with
        its PDF, and the supervisor of the sales office in charge of the dealer
        is asked to follow it up."""
        case, order = self._dealer_order()
        self.assertEqual(order.supervisor_id, self.supervisor)
        order.action_dispatch()
        sent = order.message_ids.filtered(lambda m: self.dealer_a in m.partner_ids)
        self.assertEqual(len(sent), 1)
        self.assertIn(order.name, sent.subject)
        self.assertEqual(
            len(sent.attachment_ids), 1, "the service order PDF is attached"
        )
        follow_up = order.activity_ids.filtered(lambda a: a.user_id == self.supervisor)
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(case.state, "dispatched")

    def test_dispatches_do_not_rewrite_the_customer(self):
        """Each dispatch mails the technician a link to the order, which asks
        for the customer's signup link: its row is written once, not by every
        dispatch (concurrent dispatches for one customer would conflict)."""
        self.assertFalse(self.customer.user_ids)
        self.technician.notification_type = "email"

        def row_version():
            # an UPDATE, even of the same values, makes a new row version
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT ctid FROM res_partner WHERE id = %s", [self.customer.id]
            )
            return self.env.cr.fetchone()[0]

        self._service_order(self._verified_case()).action_dispatch()
        self.assertEqual(self.customer.signup_type, "signup")
        before = row_version()
        # another user: a rewrite would at least change who wrote the row last
        order = self._service_order(self._verified_case())
        order.with_user(self.director).action_dispatch()
        self.assertTrue(order.activity_ids)
        self.assertEqual(row_version(), before)

    def test_dispatch_needs_a_verified_feedback_and_a_performer(self):
        """R-046, R-078 (000 §4.2.1.1): a service order leaves only for a
        verified sheet and with its performer named; otherwise nothing is
        dispatched."""
        case = self._create_case(route="technician")
        order = self._service_order(case)
        with self.assertRaisesRegex(UserError, "Verify"):
            order.action_dispatch()
        self.assertEqual(order.state, "draft")
        case2 = self._verified_case()
        order2 = self._service_order(case2, technician_id=False)
        with self.assertRaisesRegex(UserError, "technician"):
            order2.action_dispatch()
        self.assertFalse(case2.dispatched_date)

    def test_dates_out_of_order_are_refused(self):
        case = self._verified_case()
        order = self._service_order(case)
        order.action_dispatch()
        with self.assertRaisesRegex(ValidationError, "cannot come before"):
            order.arrival_date = order.dispatched_date - timedelta(hours=1)
        order.arrival_date = order.dispatched_date + timedelta(hours=2)
        with self.assertRaisesRegex(ValidationError, "cannot come before"):
            order.finished_date = order.arrival_date - timedelta(minutes=5)

    def test_work_done_needs_arrival_and_description(self):
        case = self._verified_case()
        order = self._service_order(case)
        order.action_dispatch()
        with self.assertRaisesRegex(UserError, "arrived"):
            order.action_done()
        order.arrival_date = order.dispatched_date + timedelta(hours=1)
        with self.assertRaisesRegex(UserError, "work done"):
            order.action_done()
        self.assertEqual(order.state, "dispatched")

    def test_signature_is_required_before_registration(self):
        order = self._done_order(self._verified_case())
        with self.assertRaisesRegex(UserError, "signature"):
            order.action_confirm_signature()
        with self.assertRaisesRegex(UserError, "signed service order"):
            order.action_register()
        with self.assertRaisesRegex(UserError, "signer's name"):
            order._sign("", SIGNATURE)
        self.assertEqual(order.state, "done")

    def test_negative_part_quantity_is_refused(self):
        case = self._verified_case()
        order = self._service_order(case)
        with (
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            order.write({"part_ids": [self._part_line(self.part, quantity=-1)]})
        self.assertFalse(order.part_ids)

    def test_dealer_returns_the_signed_sheet_within_7_days(self):
        with freeze_time("2026-03-02 09:00:00"):
            _case, order = self._dealer_order()
            order.action_dispatch()
            order.write(
                {
                    "arrival_date": datetime(2026, 3, 2, 15, 0),
                    "finished_date": datetime(2026, 3, 2, 18, 0),
                    "work_done": "<p>Cleaned the charger contacts.</p>",
                    "photo_ids": [self._photo(order)],
                }
            )
            order.action_done()
            self.assertEqual(order.return_deadline, datetime(2026, 3, 9, 18, 0))
        overdue = [("is_return_overdue", "=", True)]
        self._remind_when_overdue(
            order, "is_return_overdue", "2026-03-09 17:00:00", "2026-03-10 08:00:00", 1
        )
        with freeze_time("2026-03-10 08:00:00"):
            reminder = order.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("forklift_aftersales.mail_activity_type_deadline")
                )
            )
            self.assertEqual(reminder.user_id, self.supervisor)
            order._sign("Customer Boss", SIGNATURE)
            self.assertNotIn(order, self.env["forklift.service.order"].search(overdue))

    def test_sheet_with_warranty_parts_has_no_7_day_deadline(self):
        _case, order = self._dealer_order()
        order.action_dispatch()
        self._record_work(order, part_ids=[self._part_line(self.part, warranty=True)])
        order.action_done()
        self.assertTrue(order.has_warranty_parts)
        self.assertFalse(order.return_deadline)

    def test_registered_copy_goes_to_qa(self):
        """R-069, R-277 (000 §4.1.2, §4.2.1.2): the signed sheet registered by
        the service center is copied to QA for filing, with who registered
        it."""
        case = self._verified_case()
        order = self._service_order(case)
        self._registered_order(order, "Wang Jun")
        copy = order.message_ids.filtered(lambda m: self.qa.partner_id in m.partner_ids)
        self.assertEqual(len(copy), 1)
        self.assertEqual(order.registered_by_id, self.env.user)

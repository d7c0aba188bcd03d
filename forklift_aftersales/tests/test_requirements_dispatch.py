from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestRequirementsDispatch(ForkliftCommon):
    """Dispatch routes of a verified feedback sheet (000 §4.2): the sheet
    sent to the dealer within the day, remote support as a route of its own."""

    def test_dealer_is_sent_the_sheet_within_24_hours(self):
        """R-160 (000 §4.2.2.1): once the service center has verified a sheet
        for the dealer's customer, it sends the dealer the service order
        within 24 h; past that the sheet is overdue and reminded once; an
        order naming no dealer sends nothing."""
        with freeze_time("2026-03-02 10:00:00"):
            case = self._verified_case(route="dealer")
        self.assertEqual(case.dispatch_deadline, datetime(2026, 3, 3, 10, 0))
        cases = self.env["forklift.feedback"]
        overdue = [("is_dispatch_overdue", "=", True), ("id", "=", case.id)]

        nobody = self._service_order(case, performer="dealer", dealer_id=False)
        with self.assertRaisesRegex(UserError, "dealer"):
            nobody.action_dispatch()
        self.assertEqual(nobody.state, "draft")
        self.assertFalse(case.dispatched_date)

        with freeze_time("2026-03-03 09:00:00"):
            self.assertFalse(cases.search(overdue), "still within the 24 h")
        with freeze_time("2026-03-03 10:30:00"):
            self.assertTrue(cases.search(overdue))
            cases._cron_remind_overdue()
            cases._cron_remind_overdue()
            reminders = case.activity_ids.filtered(
                lambda a: a.summary == "Dispatch deadline passed"
            )
            self.assertEqual(len(reminders), 1)
            order = self._service_order(case, performer="dealer")
            order.action_dispatch()
            self.assertFalse(cases.search(overdue))
        self.assertEqual(case.state, "dispatched")
        self.assertEqual(case.dispatched_date, datetime(2026, 3, 3, 10, 30))
        sent = order.message_ids.filtered(lambda m: self.dealer_a in m.partner_ids)
        self.assertEqual(len(sent), 1, "the dealer is mailed the order")
        self.assertEqual(len(sent.attachment_ids), 1, "with its PDF")

    def test_remote_support_is_a_route_of_every_sheet(self):
        """R-088 (000 第四篇 §3; 001-B L146–150): a domestic sheet too can be
        handled by remote technical support, recorded as a service order of
        its own that needs nobody on site; its work must still be described,
        and an on-site order still needs the arrival."""
        case = self._verified_case(route="remote")
        remote = self._service_order(case, performer="remote")
        remote.action_dispatch()
        self.assertEqual(case.state, "dispatched")
        self.assertEqual(remote.performer_type, "remote")
        with self.assertRaisesRegex(UserError, "work done"):
            remote.action_done()
        self.assertEqual(remote.state, "dispatched")
        remote.work_done = "<p>Walked the operator through a relief-valve reset.</p>"
        remote.action_done()
        self.assertEqual(remote.state, "done")
        self.assertFalse(remote.arrival_date, "nobody went on site")

        onsite = self._service_order(case)
        onsite.action_dispatch()
        onsite.work_done = "<p>Replaced the valve.</p>"
        with self.assertRaisesRegex(UserError, "arrived"):
            onsite.action_done()
        self.assertEqual(onsite.state, "dispatched")

    def test_cancelled_dispatch_does_not_meet_the_24_hours(self):
        """R-158, R-160, R-259 (000 §4.2.1.1): an order dispatched in time and
        then cancelled is no dispatch: the service center cannot meet the 24 h
        with an order it withdraws. The sheet is again to be dispatched, late
        once its first deadline passes, and its dispatch is that of the order
        sent afterwards; an order still standing keeps its own."""
        with freeze_time("2026-03-02 10:00:00"):
            case = self._verified_case()
        cases = self.env["forklift.feedback"]
        overdue = [("is_dispatch_overdue", "=", True), ("id", "=", case.id)]
        with freeze_time("2026-03-02 11:00:00"):
            first = self._service_order(case).with_user(self.staff)
            first.action_dispatch()
            kept = self._service_order(case, performer="remote").with_user(self.staff)
            kept.action_dispatch()
        with freeze_time("2026-03-02 12:00:00"):
            first.action_cancel()
        self.assertEqual(case.state, "dispatched", "the remote order still stands")
        self.assertEqual(case.dispatched_date, datetime(2026, 3, 2, 11, 0))

        with freeze_time("2026-03-02 13:00:00"):
            kept.action_cancel()
        self.assertEqual(case.state, "verified", "to be dispatched again")
        self.assertFalse(case.dispatched_date)
        with freeze_time("2026-03-03 10:30:00"):
            self.assertTrue(cases.search(overdue), "late: nothing dispatched")
            again = self._service_order(case).with_user(self.staff)
            again.action_dispatch()
            self.assertFalse(cases.search(overdue))
        self.assertEqual(case.state, "dispatched")
        self.assertEqual(case.dispatched_date, datetime(2026, 3, 3, 10, 30))
        self.assertGreater(case.dispatched_date, case.dispatch_deadline)

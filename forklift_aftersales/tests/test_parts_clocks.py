from datetime import date, datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ShippedPartsCommon, portal_post, rpc_error


@tagged("post_install", "-at_install")
class TestPartsClocks(ShippedPartsCommon):
    """The warranty parts' clocks: shipped within 2 working days of the
    application (R-162), supplied to the buyer within the commitment
    (R-178), the old parts back within 30 days of the replacement (R-167)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a, cls.portal_b = cls._dealer_portal_users(
            ("clocks_dealer_a", "Lin (dealer A)"), ("clocks_dealer_b", "Xu (dealer B)")
        )
        cls.outsider = new_test_user(cls.env, login="clocks_outsider")

    def _portal_application(self):
        """Dealer A applies on the portal for two seal kits for its sheet."""
        case = self._verified_case(route="dealer")
        return (
            self.env["forklift.parts.request"]
            .with_user(self.portal_a)
            ._portal_apply(case.id, [(self.part.id, 2, "wear")], "Seal kit worn")
        )

    def _confirm_receipt(self, request, user):
        """``user``, a dealer's portal user, confirms the parts arrived."""
        return (
            self.env["forklift.parts.request"]
            .with_user(user)
            ._portal_confirm_delivery(request.id)
        )

    def _approve_and_ship(self, request):
        request = request.with_env(self.env)
        self._approve_request(request)
        self._ship_request(request)
        self.assertEqual(request.state, "shipped")
        return request

    # shipping runs from the receipt of the application

    def test_ship_deadline_runs_from_the_portal_application(self):
        """R-162 (000 §4.2.2.3): applied on the portal Friday 10:00, the parts
        are due shipped Tuesday 10:00 whatever the approvals took; a request
        still waiting for its approvals past that time is overdue."""
        overdue = [("is_ship_overdue", "=", True)]
        with freeze_time("2026-03-06 10:00:00"):
            request = self._portal_application().with_env(self.env)
        self.assertEqual(request.requested_date, datetime(2026, 3, 6, 10, 0))
        # two working days on the company's calendar: Tuesday
        deadline = request.ship_deadline
        self.assertEqual(deadline.date(), date(2026, 3, 10))
        with freeze_time("2026-03-10 11:00:00"):
            self.assertEqual(request.state, "draft")
            self.assertIn(request, request.search(overdue), "approvals ran late")
            self._approve_and_ship(request)
            self.assertNotIn(request, request.search(overdue))
        self.assertEqual(request.ship_deadline, deadline, "not moved by approval")
        self.assertGreater(request.shipped_date, request.ship_deadline, "shipped late")

    def test_not_overdue_is_the_complement_of_overdue(self):
        """R-162 (000 §4.2.2.3): of three requests, approved and late, approved
        and not yet due, and shipped, the "overdue" search finds the first and
        the "not overdue" search exactly the two others."""
        with freeze_time("2026-03-02 10:00:00"):  # Monday: due Wednesday 10:00
            late = self._portal_application().with_env(self.env)
            shipped = self._portal_application().with_env(self.env)
        with freeze_time("2026-03-04 09:00:00"):  # Wednesday: due Friday 09:00
            due = self._portal_application().with_env(self.env)
            for request in late | due:
                request.with_user(self.office_director).validate_tier()
                request.with_user(self.director).validate_tier()
            self._approve_and_ship(shipped)
        self.assertEqual((late | due).mapped("state"), ["approved", "approved"])
        requests = self.env["forklift.parts.request"]
        ours = [("id", "in", (late | due | shipped).ids)]
        with freeze_time("2026-03-05 12:00:00"):
            self.assertEqual(
                requests.search([("is_ship_overdue", "=", True), *ours]), late
            )
            for negative in (
                ("is_ship_overdue", "=", False),
                ("is_ship_overdue", "!=", True),
            ):
                self.assertEqual(
                    requests.search([negative, *ours]), due | shipped, negative
                )
            self.assertEqual(
                [r.is_ship_overdue for r in (late, due, shipped)], [True, False, False]
            )

    def test_application_time_is_the_servers(self):
        """R-162, R-178: when the application was received is set by the server;
        a client cannot type it at creation nor change it later, by RPC
        either."""
        case = self._verified_case()
        vals = self._parts_request_vals(case)
        with self.assertRaises(AccessError):
            self.env["forklift.parts.request"].with_user(self.staff).create(
                dict(vals, requested_date="2026-01-01 08:00:00")
            )
        with freeze_time("2026-03-02 09:00:00"):
            request = (
                self.env["forklift.parts.request"].with_user(self.staff).create(vals)
            )
        self.assertEqual(request.requested_date, datetime(2026, 3, 2, 9, 0))
        for field_vals in (
            {"requested_date": "2026-03-05 09:00:00"},
            {"ship_deadline": "2026-03-20 09:00:00"},
            {"delivered_date": "2026-03-03 09:00:00"},
        ):
            with self.subTest(vals=field_vals), self.assertRaises(AccessError):
                request.with_user(self.director).write(field_vals)
        self.assertEqual(request.requested_date, datetime(2026, 3, 2, 9, 0))
        self.assertFalse(request.delivered_date)

    # the supply is measured to the buyer's receipt

    def test_supply_is_measured_to_the_buyers_receipt(self):
        """R-178 (000 第四篇 §6): shipped within the 2-day commitment but
        received by the dealer after it, the supply is late; until the dealer
        has the parts it stays pending, and overdue once the commitment has
        passed."""
        with freeze_time("2026-03-02 09:00:00"):
            request = self._portal_application().with_env(self.env)
        self.assertEqual(request.supply_deadline, datetime(2026, 3, 4, 9, 0))
        with freeze_time("2026-03-03 09:00:00"):
            self._approve_and_ship(request)
        self.assertEqual(request.supply_state, "pending", "shipped is not delivered")
        with freeze_time("2026-03-04 12:00:00"):
            self.assertTrue(request.is_supply_overdue)
            self.assertIn(request, request.search([("is_supply_overdue", "=", True)]))
            self._confirm_receipt(request, self.portal_a)
        self.assertEqual(request.delivered_date, datetime(2026, 3, 4, 12, 0))
        self.assertEqual(request.delivery_recorded_by_id, self.portal_a)
        self.assertEqual(request.supply_state, "late")
        self.assertFalse(request.is_supply_overdue)
        [(rate,)] = request._read_group(
            [("id", "=", request.id)], aggregates=["supply_on_time_pct:avg"]
        )
        self.assertEqual(rate, 0.0)

    def test_carrier_delivery_recorded_by_the_warehouse(self):
        """R-178: the warehouse enters the carrier's delivery time: not
        before the shipment, never in the future, once; only the service
        center or the warehouse records it."""
        with freeze_time("2026-03-02 09:00:00"):
            request = self._portal_application().with_env(self.env)
        with freeze_time("2026-03-03 09:00:00"):
            self._approve_and_ship(request)
        with freeze_time("2026-03-04 08:00:00"):
            warehouse = request.with_user(self.warehouse_user)
            with self.assertRaisesRegex(ValidationError, "before it was shipped"):
                warehouse._mark_delivered(datetime(2026, 3, 3, 8, 0))
            with self.assertRaisesRegex(ValidationError, "in the future"):
                warehouse._mark_delivered(datetime(2026, 3, 4, 9, 0))
            with self.assertRaises(AccessError):
                request.with_user(self.outsider)._mark_delivered(
                    datetime(2026, 3, 3, 18, 0)
                )
            self.assertFalse(request.delivered_date)
            warehouse._mark_delivered(datetime(2026, 3, 3, 18, 0))
            with self.assertRaisesRegex(UserError, "already recorded"):
                warehouse._mark_delivered(datetime(2026, 3, 3, 19, 0))
        self.assertEqual(request.delivered_date, datetime(2026, 3, 3, 18, 0))
        self.assertEqual(request.delivery_recorded_by_id, self.warehouse_user)
        self.assertEqual(request.supply_state, "on_time")

    def test_only_the_requests_dealer_confirms_its_receipt(self):
        """R-178: a dealer confirms the receipt of its own application's
        parts, once they are shipped; another dealer cannot."""
        request = self._portal_application().with_env(self.env)
        with self.assertRaisesRegex(UserError, "not shipped"):
            self._confirm_receipt(request, self.portal_a)
        self._approve_and_ship(request)
        with self.assertRaises(AccessError):
            self._confirm_receipt(request, self.portal_b)
        with self.assertRaises(AccessError):
            self._confirm_receipt(request, self.staff)
        self.assertFalse(request.delivered_date)

    # R-167: the old parts' 30 days run from the replacement

    def test_old_parts_due_30_days_after_the_replacement(self):
        """R-167 (000 §4.3.2.5, A-15): the parts shipped on 2 March and
        delivered on 3 March are replaced on 10 March: the old parts are due
        on 9 April, and not overdue 30 days after the shipment."""
        with freeze_time("2026-03-02 02:00:00"):
            request = self._shipped_request()
        note = request.oldpart_return_ids
        with freeze_time("2026-03-03 02:00:00"):
            request.with_user(self.warehouse_user)._mark_delivered(
                fields.Datetime.now()
            )
        self.assertFalse(note.due_date, "no replacement yet")
        with freeze_time("2026-03-10 02:00:00"):
            order = self._replace_parts(request)
        self.assertEqual(note.replaced_date, order.finished_date)
        self.assertEqual(note.due_date, date(2026, 4, 9))
        with freeze_time("2026-04-02"):
            self.assertNotIn(note, note.search([("is_overdue", "=", True)]))
        with freeze_time("2026-04-10"):
            self.assertIn(note, note.search([("is_overdue", "=", True)]))
            note.with_user(self.staff)._mark_received(date(2026, 4, 10))
        self.assertEqual(note.received_date, date(2026, 4, 10))
        self.assertEqual(note.days_late, 1)

    def test_old_parts_due_from_the_delivery_when_it_came_later(self):
        """R-167, A-15: the dealer repaired before the warranty parts came
        (its work reported with no part): the 30 days run from the buyer's
        receipt of the parts, the later of the two."""
        case = self._verified_case(route="dealer")
        with freeze_time("2026-03-02 02:00:00"):
            order = self._done_order(case, performer="dealer")
            request = self._applied_request(case, reason="wear")
        with freeze_time("2026-03-04 02:00:00"):
            self._approve_and_ship(request)
        note = request.oldpart_return_ids
        self.assertEqual(note.replaced_date, order.finished_date)
        self.assertEqual(note.due_date, date(2026, 4, 3), "from the shipment so far")
        with freeze_time("2026-03-07 02:00:00"):
            self._confirm_receipt(request, self.portal_a)
        self.assertEqual(note.due_date, date(2026, 4, 6), "from the receipt")

    def test_replacement_date_is_the_servers(self):
        """R-167: the replacement and the due date come from the service
        order, never typed."""
        request = self._shipped_request()
        note = request.oldpart_return_ids
        for vals in (
            {"replaced_date": "2026-01-01 08:00:00"},
            {"due_date": "2027-01-01"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                note.with_user(self.director).write(vals)
        self.assertFalse(note.replaced_date)


@tagged("post_install", "-at_install")
class TestPortalPartsReceipt(HttpCase, ShippedPartsCommon):
    """The dealer confirms on the portal that the parts arrived (R-178)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        cls.dealer_user = cls._portal_user("receipt_dealer_a", cls.dealer_a)
        cls.other_dealer = cls._portal_user("receipt_dealer_b", cls.dealer_b)
        cls.request = cls._shipped_request()
        cls.case = cls.request.feedback_id

    def _confirm(self):
        return portal_post(
            self,
            f"/my/forklift/sheets/{self.case.id}/parts/{self.request.id}/received",
        )

    def test_dealer_confirms_the_parts_received(self):
        """R-178: the page offers the confirmation for shipped parts; the
        server records the time and who confirmed; it is offered no more."""
        self.authenticate("receipt_dealer_a", "receipt_dealer_a")
        page = self.url_open(self.case.get_portal_url()).text
        self.assertIn("forklift_parts_received", page)
        before = fields.Datetime.now()
        response = self._confirm()
        self.assertIn("receipt of the parts is recorded", response.text)
        self.request.invalidate_recordset()
        self.assertGreaterEqual(
            self.request.delivered_date, before.replace(microsecond=0)
        )
        self.assertEqual(self.request.delivery_recorded_by_id, self.dealer_user)
        self.assertNotIn("forklift_parts_received", response.text)
        response = self._confirm()
        self.assertIn("already recorded", response.text)

    @mute_logger("odoo.http")
    def test_other_dealer_cannot_confirm(self):
        """R-178: another dealer reaches neither the page nor the step."""
        self.authenticate("receipt_dealer_b", "receipt_dealer_b")
        response = self._confirm()
        self.assertTrue(response.url.endswith("/my"))
        self.request.invalidate_recordset()
        self.assertFalse(self.request.delivered_date)

    @mute_logger("odoo.http")
    def test_dealer_cannot_write_the_delivery_over_rpc(self):
        """R-178, R-206: the delivery time is the server's."""
        self.authenticate("receipt_dealer_a", "receipt_dealer_a")
        error = rpc_error(
            self,
            "forklift.parts.request",
            "write",
            [[self.request.id], {"delivered_date": "2026-01-01"}],
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.request.invalidate_recordset()
        self.assertFalse(self.request.delivered_date)

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestOldpartLateness(ShippedPartsCommon):
    """The dealer ships its old parts back, the service center records when
    they arrived, and the lateness from the 30-day due date is stored and
    counted per dealer (000 §4.3.2.5; R-167, R-229, R-235, A-15)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a, cls.portal_b = cls._dealer_portal_users(
            ("oldparts_dealer_a", "Zhao (dealer A)"),
            ("oldparts_dealer_b", "Sun (dealer B)"),
        )
        # shipped and replaced on 2 March: the old parts are due back on 1 April
        cls.note = cls._replaced_note()

    def _state(self, note):
        return self._field_values(
            note,
            [
                "shipped_date",
                "carrier",
                "waybill",
                "received_date",
                "days_late",
                "late_return_count",
            ],
        )

    def test_buttons_open_their_dialog_on_the_record(self):
        """Mark Received (the return), Record the Delivery (its request) and
        Ask for Help (its sheet, R-132) open their dialog on their record."""
        request = self.note.request_id
        for record, method, model, field in [
            (
                self.note,
                "action_open_receive_wizard",
                "oldpart.receive.wizard",
                "return",
            ),
            (
                request,
                "action_open_delivery_wizard",
                "parts.delivery.wizard",
                "request",
            ),
            (
                request.feedback_id,
                "action_open_assistance_request",
                "assistance.request",
                "feedback",
            ),
        ]:
            action = getattr(record.with_user(self.staff), method)()
            self.assertEqual(
                (action["res_model"], action["target"], action["context"]),
                (f"forklift.{model}", "new", {f"default_{field}_id": record.id}),
            )

    def test_received_late_counts_the_days_and_shows_per_dealer(self):
        """R-167, R-235: received four days after the due date: 4 days late,
        one late return, in the lateness per dealer and the monthly
        statistics."""
        self.assertEqual(self.note.due_date, date(2026, 4, 1))
        with freeze_time("2026-04-02"):
            self.note.with_user(self.portal_a)._mark_shipped(" SF Express ", "SF123")
        self.assertEqual(self.note.shipped_date, date(2026, 4, 2))
        self.assertEqual(self.note.shipped_by_id, self.portal_a)
        self.assertEqual(
            (self.note.carrier, self.note.waybill), ("SF Express", "SF123")
        )
        self.assertIn(self.note, self.note.search([("is_overdue", "=", True)]))
        with freeze_time("2026-04-06"):
            self.note.with_user(self.staff)._mark_received(date(2026, 4, 5))
            self.assertNotIn(self.note, self.note.search([("is_overdue", "=", True)]))
        self.assertEqual(self.note.received_date, date(2026, 4, 5))
        self.assertEqual(self.note.received_by_id, self.staff)
        self.assertEqual(self.note.days_late, 4)
        self.assertEqual(self.note.late_return_count, 1)

        per_dealer = self.env["forklift.oldpart.return"]._read_group(
            [("days_late", ">", 0)],
            ["dealer_id"],
            ["late_return_count:sum", "days_late:sum"],
        )
        self.assertEqual(per_dealer, [(self.dealer_a, 1, 4)])

        report = self.env["forklift.aftersales.report"].create(
            {"report_type": "monthly", "market": "domestic", "date_from": "2026-04-01"}
        )
        self.assertEqual(
            [
                (r["key"], r["received_count"], r["late_return_count"], r["days_late"])
                for r in report._compute_statistics()["oldparts"]
            ],
            [(self.dealer_a.id, 1, 1, 4)],
        )

    def test_received_on_time_is_not_late(self):
        with freeze_time("2026-03-20"):
            self.note.with_user(self.staff)._mark_received(date(2026, 3, 20))
        self.assertEqual((self.note.days_late, self.note.late_return_count), (0, 0))

    def test_receipt_not_before_shipping_nor_in_the_future(self):
        """R-229: the receipt day is checked by the server, with the reason;
        nothing is recorded."""
        with freeze_time("2026-03-10"):
            self.note.with_user(self.portal_a)._mark_shipped("ZTO", "ZT-88")
        before = self._state(self.note)
        with freeze_time("2026-03-12"):
            with self.assertRaisesRegex(ValidationError, "before it was shipped"):
                self.note.with_user(self.staff)._mark_received(date(2026, 3, 9))
            with self.assertRaisesRegex(ValidationError, "in the future"):
                self.note.with_user(self.staff)._mark_received(date(2026, 3, 13))
            # through the wizard the service center uses, the same refusal
            wizard = Form(
                self.env["forklift.oldpart.receive.wizard"]
                .with_user(self.staff)
                .with_context(default_return_id=self.note.id)
            )
            wizard.received_date = date(2026, 3, 13)
            with self.assertRaisesRegex(ValidationError, "in the future"):
                wizard.save().action_confirm()
        self.assertEqual(self._state(self.note), before)
        with freeze_time("2026-03-12"):
            wizard = Form(
                self.env["forklift.oldpart.receive.wizard"]
                .with_user(self.staff)
                .with_context(default_return_id=self.note.id)
            )
            self.assertEqual(wizard.received_date, date(2026, 3, 12))
            wizard.save().action_confirm()
        self.assertEqual(self.note.received_date, date(2026, 3, 12))
        with self.assertRaisesRegex(UserError, "already received"):
            self.note.with_user(self.staff)._mark_received(date(2026, 3, 12))

    def test_only_the_service_center_records_the_receipt(self):
        before = self._state(self.note)
        for user in (self.portal_a, self.qa):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.note.with_user(user)._mark_received(date(2026, 3, 3))
        self.assertEqual(self._state(self.note), before)

    def test_only_the_own_dealer_ships_once(self):
        """R-229: another dealer cannot mark the return shipped; nor can the
        own dealer twice, after the receipt, or without carrier and
        waybill."""
        before = self._state(self.note)
        with self.assertRaises(AccessError):
            self.note.with_user(self.portal_b)._mark_shipped("ZTO", "ZT-1")
        with self.assertRaisesRegex(UserError, "carrier and the waybill"):
            self.note.with_user(self.portal_a)._mark_shipped("ZTO", "  ")
        self.assertEqual(self._state(self.note), before)
        self.note.with_user(self.portal_a)._mark_shipped("ZTO", "ZT-1")
        with self.assertRaisesRegex(UserError, "already marked shipped"):
            self.note.with_user(self.portal_a)._mark_shipped("SF", "SF-2")
        self.assertEqual(self.note.waybill, "ZT-1")

    def test_flow_fields_are_never_typed(self):
        """R-005, R-206: the shipment, the receipt and the lateness are set by
        their steps only: neither the dealer nor the service center writes
        them directly."""
        before = self._state(self.note)
        for vals in (
            {"days_late": 7},
            {"received_date": "2026-03-03"},
            {"late_return_count": 1, "days_late": 9},
            {"waybill": "forged", "shipped_date": "2026-03-03"},
        ):
            with self.subTest(vals=vals):
                for user in (self.portal_a, self.staff):
                    with self.assertRaises(AccessError):
                        self.note.with_user(user).write(vals)
        self.assertEqual(self._state(self.note), before)

    def test_service_center_signature_records_a_missing_receipt(self):
        """The service center inspects parts that are here: signing records
        the receipt of the day, with its lateness, when nobody did."""
        self.note.verdict = "accepted"
        with freeze_time("2026-04-03"):
            self.note.with_user(self.staff).action_sign_service_center()
        self.assertEqual(self.note.received_date, date(2026, 4, 3))
        self.assertEqual(self.note.days_late, 2)

    def test_signing_the_review_itself_records_the_receipt_too(self):
        """R-167, R-235, A-15 (000 §4.3.2.5): the service center signs its
        inspection by approving the tier review directly, over RPC, instead
        of its button: the receipt and its lateness are recorded all the
        same, so a late return is counted late."""
        self.note.verdict = "accepted"
        with freeze_time("2026-04-03"):
            self.note.with_user(self.staff).validate_tier()
        self.assertEqual(self.note.sc_inspected_by_id, self.staff)
        self.assertEqual(self.note.received_date, date(2026, 4, 3))
        self.assertEqual(self.note.days_late, 2)
        self.assertEqual(self.note.late_return_count, 1)

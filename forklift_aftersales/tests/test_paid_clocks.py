from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SIGNATURE, ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestPaidServiceClocks(ShippedPartsCommon):
    """Paid service: the customer's consent before the work (R-100), the
    deferred payment due 30 days after the service (R-165)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old_unit = cls._create_unit("SN-OLD-CLOCK", acceptance=date(2024, 1, 10))
        cls.dealer_user = cls._portal_user(
            "clocks_paid_dealer", cls.dealer_a, "He (dealer A)"
        )

    def _paid_order(self, performer="technician"):
        case = self._verified_case(
            unit=self.old_unit,
            responsibility="misuse",
            route="dealer" if performer == "dealer" else "technician",
        )
        self.assertEqual(case.warranty_verdict, "paid")
        order = self._service_order(case, performer=performer)
        order.action_dispatch()
        # dispatched hours ago: the work's times typed after it are past
        order._write_flow(
            {"dispatched_date": order.dispatched_date - timedelta(hours=4)}
        )
        return case, order

    def _paid_work_done(self):
        """A paid sheet whose order is done: the customer's consent signed,
        a seal kit replaced, not under warranty."""
        case, order = self._paid_order()
        self._sign_consent(case)
        self._record_work(
            order, part_ids=[self._part_line(self.part, 1, warranty=False)]
        )
        order.action_done()
        return case

    def test_paid_work_waits_for_the_customers_consent(self):
        """R-100 (000 §4.3.2.1): on a paid sheet the technician arrives and
        reads the meter, but the repair is neither recorded nor reported done
        before the customer signed the consent; afterwards it is."""
        case, order = self._paid_order()
        arrival = order.dispatched_date + timedelta(hours=1)
        order.with_user(self.technician).write({"arrival_date": arrival})
        for vals in (
            {"work_done": "<p>Replaced the seal kit.</p>"},
            {"part_ids": [self._part_line(self.part, 1, warranty=False)]},
            {"finished_date": arrival + timedelta(hours=2)},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "signs the consent"),
            ):
                order.with_user(self.technician).write(vals)
        with self.assertRaisesRegex(UserError, "signs the consent"):
            self.env["forklift.service.order.part"].with_user(self.technician).create(
                {"order_id": order.id, "product_id": self.part.id, "quantity": 1}
            )
        with self.assertRaisesRegex(UserError, "signs the consent"):
            order.with_user(self.technician).action_done()
        self.assertEqual(order.state, "dispatched")
        self.assertFalse(order.part_ids)
        self._sign_consent(case)
        self._record_work(
            order, part_ids=[self._part_line(self.part, 1, warranty=False)]
        )
        order.with_user(self.technician).action_done()
        self.assertEqual(order.state, "done")

    def test_dealer_cannot_report_paid_work_before_the_consent(self):
        """R-100: the dealer's report from the portal is refused, nothing
        written, until the customer signed; then it goes through."""
        case, order = self._paid_order(performer="dealer")
        report = order.with_user(self.dealer_user)
        arrival = order.dispatched_date.replace(second=0, microsecond=0)
        photo = {"name": "seal.png", "datas": SIGNATURE, "mimetype": "image/png"}
        with self.assertRaisesRegex(UserError, "signs the consent"):
            report._portal_report_work(
                arrival, "Seal kit replaced", 100, [], [dict(photo)]
            )
        self.assertEqual(order.state, "dispatched")
        self.assertFalse(order.work_done)
        self.assertFalse(order.arrival_date)
        self._sign_consent(case)
        report._portal_report_work(arrival, "Seal kit replaced", 100, [], [photo])
        self.assertEqual(order.state, "done")

    def test_warranty_work_needs_no_consent(self):
        """R-100 applies to paid service only."""
        order = self._done_order(self._verified_case())
        self.assertEqual(order.state, "done")

    def test_deferred_payment_due_30_days_after_the_service(self):
        """R-165 (000 §4.3.2.1): the work finished on 2 March (Shanghai), the
        deferral agreed, invoiced on 10 April: the invoice is due on 1 April,
        already overdue; the deferral shows the date before any invoice."""
        with freeze_time("2026-03-02 03:00:00"):
            case = self._paid_work_done()
            case.with_user(self.staff).action_request_deferral()
            case.payment_deferral_ids.with_user(self.director).validate_tier()
        self.assertEqual(case.payment_mode, "deferred")
        self.assertEqual(case.payment_deferral_ids.payment_due_date, date(2026, 4, 1))
        with freeze_time("2026-04-10"):
            case.with_user(self.staff).action_create_paid_sale()
            self.assertEqual(case.invoice_ids.invoice_date_due, date(2026, 4, 1))
            self.assertIn(case, case.search([("is_collection_overdue", "=", True)]))

    def test_on_the_spot_payment_is_due_at_once(self):
        """R-102: without the director's deferral, the invoice is due on the
        day it is made."""
        with freeze_time("2026-03-02 03:00:00"):
            case = self._paid_work_done()
        with freeze_time("2026-03-05"):
            case.with_user(self.staff).action_create_paid_sale()
        self.assertEqual(case.invoice_ids.invoice_date_due, date(2026, 3, 5))

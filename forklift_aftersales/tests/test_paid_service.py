import base64
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SIGNATURE, ForkliftCommon


@tagged("post_install", "-at_install")
class TestPaidService(ForkliftCommon):
    """Out-of-warranty service billed as parts plus labour (000 §4.3.2.1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part.lst_price = 260
        cls.old_unit = cls._create_unit("SN-OLD-PAID", acceptance=date(2024, 1, 10))

    def _paid_case(self):
        """A paid service: the customer signs the consent on site, then the
        work is done (R-100)."""
        case = self._worked_paid_case(self.old_unit)
        self.assertEqual(case.warranty_verdict, "paid")
        return case

    def test_customer_signs_before_the_paid_work(self):
        case = self._verified_case(unit=self.old_unit, responsibility="misuse")
        case.labour_hours = 3
        with self.assertRaisesRegex(UserError, "must sign"):
            case.action_create_paid_sale()
        self.assertFalse(case.sale_order_id)

    def test_warranty_feedback_is_not_billed(self):
        case = self._verified_case()
        with self.assertRaisesRegex(UserError, "not a paid service"):
            case.action_create_paid_sale()

    @freeze_time("2026-03-02")
    def test_parts_and_labour_invoiced_on_the_spot(self):
        """R-101, R-013, R-046 (000 §4.3.2.1): the paid service becomes a parts
        sale made from the parts used plus the labour hours, invoiced on the
        spot with the technician as the one who collects."""
        case = self._paid_case()
        case.with_user(self.staff).action_create_paid_sale()
        order = case.sale_order_id
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.user_id, self.technician, "the technician collects")
        labour = self.env.ref("forklift_aftersales.product_labour_hour")
        self.assertEqual(
            sorted(
                order.order_line.mapped(
                    lambda line: (line.product_id, line.product_uom_qty)
                )
            ),
            sorted([(self.part, 2.0), (labour, 3.0)]),
        )
        invoice = case.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 2 * 260 + 3 * labour.list_price)
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 2))
        self.assertEqual(case.collection_due_date, date(2026, 3, 2))

    def test_deferred_payment_needs_the_director_and_shows_when_overdue(self):
        """R-202, R-102, R-165 (000 §4.3.2.1): paying later needs the service
        center director's consent, never typed by staff; deferred up to 30 days
        from the service date (2 March), even when the invoice is made later
        (10 March), and shows overdue after."""
        with freeze_time("2026-03-02 03:00:00"):
            case = self._paid_case()
        # the payment mode is the director's step, never typed
        with self.assertRaises(AccessError):
            case.with_user(self.staff).write({"payment_mode": "deferred"})
        self.assertEqual(case.payment_mode, "on_the_spot")
        case.with_user(self.staff).action_request_deferral()
        deferral = case.payment_deferral_ids
        with self.assertRaises(UserError):
            deferral.with_user(self.staff).validate_tier()
        self.assertEqual(case.payment_mode, "on_the_spot")
        deferral.with_user(self.director).validate_tier()
        self.assertEqual(case.payment_mode, "deferred")
        self.assertEqual(case.payment_deferral_ids.payment_due_date, date(2026, 4, 1))
        with freeze_time("2026-03-10"):
            case.with_user(self.staff).action_create_paid_sale()
        self.assertEqual(case.invoice_ids.invoice_date, date(2026, 3, 10))
        self.assertEqual(case.invoice_ids.invoice_date_due, date(2026, 4, 1))
        self.assertEqual(case.collection_due_date, date(2026, 4, 1))
        overdue = [("is_collection_overdue", "=", True)]
        with freeze_time("2026-04-01"):
            self.assertNotIn(case, self.env["forklift.feedback"].search(overdue))
        with freeze_time("2026-04-02"):
            self.assertIn(case, self.env["forklift.feedback"].search(overdue))

    def test_paid_service_terms_stay_once_ordered(self):
        """R-013, R-100, R-102 (000 §4.3.2.1): the paid service's sale order
        is made from the labour hours, the customer's consent and the
        technician who collects; once it exists they stay as it was made from
        them, whoever writes them over RPC."""
        case = self._paid_case()
        # the allowed path: set before the order is made
        case.with_user(self.staff).write({"collector_id": self.technician.id})
        case.with_user(self.staff).action_create_paid_sale()
        self.assertEqual(case.sale_order_id.user_id, self.technician)
        names = (
            "collector_id",
            "labour_hours",
            "paid_ack_signature",
            "paid_ack_signed_by",
        )
        before = self._field_values(case, names)
        for user in (self.staff, self.director):
            for vals in (
                {"collector_id": self.staff.id},
                {"collector_id": False},
                {"labour_hours": 1},
                {"paid_ack_signature": False},
                {"paid_ack_signed_by": "Someone else"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaisesRegex(UserError, "already ordered"),
                ):
                    case.with_user(user).write(vals)
        self.assertEqual(self._field_values(case, names), before)

    def test_the_consent_is_signed_as_an_image_not_a_script(self):
        """R-100, R-206 (000 §4.3.2.1): the customer's consent to the paid
        work is his signature on screen, a PNG or JPEG. An SVG sent by RPC in
        its place would be a page of script served from the sheet: refused,
        nothing changes."""
        case = self._verified_case(unit=self.old_unit, responsibility="misuse")
        svg = base64.b64encode(
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
        )
        with self.assertRaises(UserError) as cm:
            case.with_user(self.staff).write(
                {"paid_ack_signature": svg, "paid_ack_signed_by": "Wang Jun"}
            )
        self.assertIn("PNG or JPEG", str(cm.exception))
        case.invalidate_recordset()
        self.assertFalse(case.paid_ack_signature)
        self.assertFalse(case.paid_ack_signed_by)
        case.with_user(self.staff).write(
            {"paid_ack_signature": SIGNATURE, "paid_ack_signed_by": "Wang Jun"}
        )
        self.assertTrue(case.paid_ack_signature)

    def test_who_edited_the_deferral_does_not_agree_to_it(self):
        """R-202, R-102, R-005 (000 §4.3.2.1): the director agrees to the
        reason staff asked with, not to one he wrote himself."""
        case = self._paid_case()
        deferral = (
            self.env["forklift.payment.deferral"]
            .with_user(self.staff)
            .create({"feedback_id": case.id, "reason": "Budget closes."})
        )
        deferral.with_user(self.director).write(
            {"reason": "Customer's budget closes at month end."}
        )
        deferral.request_validation()
        with self.assertRaisesRegex(UserError, "applied for"):
            deferral.with_user(self.director).validate_tier()
        self.assertEqual(deferral.state, "draft")
        self.assertEqual(case.payment_mode, "on_the_spot")

    def test_deferral_reason_stays_once_requested(self):
        """R-102 (000 §4.3.2.1): the reason the director agrees or refuses to
        is the one staff asked with; once the request is made it stays, while
        it waits, once refused, withdrawn or agreed."""
        case = self._paid_case()
        reason = "Customer's budget closes at month end."
        deferrals = self.env["forklift.payment.deferral"].with_user(self.staff)

        def request(first_reason=reason):
            deferral = deferrals.create(
                {"feedback_id": case.id, "reason": first_reason}
            )
            # the allowed path: the reason is written until the request is made
            deferral.write({"reason": reason})
            deferral.request_validation()
            self.assertTrue(deferral.requested_by_id)
            return deferral

        def assert_kept(deferral, step):
            for user in (self.staff, self.director):
                with (
                    self.subTest(step=step, user=user.login),
                    self.assertRaises(UserError),
                ):
                    deferral.with_user(user).write({"reason": "Forgot to pay."})
            deferral.invalidate_recordset()
            self.assertEqual(deferral.reason, reason)

        deferral = request("Budget closes.")
        assert_kept(deferral, "waiting")
        deferral.with_user(self.director).reject_tier()
        self.assertEqual(deferral.state, "rejected")
        assert_kept(deferral, "rejected")
        deferral = request()
        deferral.action_cancel()
        self.assertEqual(deferral.state, "cancel")
        assert_kept(deferral, "cancelled")
        deferral = request()
        deferral.with_user(self.director).validate_tier()
        self.assertEqual(deferral.state, "approved")
        assert_kept(deferral, "approved")

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.forklift_aftersales.tests.common import SIGNATURE, ForkliftCommon


@tagged("post_install", "-at_install")
class TestTimelinessEveryDeadline(ForkliftCommon):
    """QA's timeliness assessment counts every deadline of the list (000 §3.3,
    R-076, R-259): the dealer's signed sheet as registered, the deferred
    payments (R-165) and the local purchase reimbursements (R-166) too, with
    the deadlines met and missed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old_unit = cls._create_unit("SN-OLD-KPI", acceptance=date(2024, 1, 10))

    def _assess(self, case):
        case.with_user(self.qa).action_assess_timeliness()
        assessment = case.timeliness_assessment_ids
        return assessment, {line.deadline_type: line for line in assessment.line_ids}

    def _done_dealer_order(self, case):
        """The dealer finished the work on 2 March; the customer signed the
        sheet on the 4th."""
        with freeze_time("2026-03-02 02:00:00"):
            order = self._done_order(case, performer="dealer")
        with freeze_time("2026-03-04 02:00:00"):
            order._sign("Wang Jun", SIGNATURE)
        return order

    def test_dealer_sheet_counted_at_registration(self):
        """R-161, R-259: signed by the customer in time, but the paper sheet
        reached the service center and was registered 9 days after the work:
        the dealer's 7 days are missed."""
        case = self._verified_case(route="dealer")
        order = self._done_dealer_order(case)
        self.assertEqual(order.return_deadline, datetime(2026, 3, 9, 5, 0))
        with freeze_time("2026-03-11 02:00:00"):
            order.action_register()
        self.assertEqual(case.state, "done")
        with freeze_time("2026-03-12 02:00:00"):
            assessment, lines = self._assess(case)
        sheet = lines["dealer_sheet"]
        self.assertEqual(sheet.party, "dealer")
        self.assertEqual(sheet.done_date, datetime(2026, 3, 11, 2, 0))
        self.assertFalse(sheet.on_time, "signed in time, registered late")
        self.assertEqual(
            assessment.missed_count,
            len(assessment.line_ids.filtered(lambda line: not line.on_time)),
        )

    def _deferred_paid_sale(self):
        """A misuse repaired on 2 March after the customer's consent, the
        signed order registered, the 30-day deferral approved by the director
        and the paid sale made: its invoice is due on 1 April (R-165)."""
        case = self._verified_case(
            unit=self.old_unit, responsibility="misuse", route="technician"
        )
        with freeze_time("2026-03-02 02:00:00"):
            order = self._done_paid_order(case)
            order._sign("Wang Jun", SIGNATURE)
            order.action_register()
            case.with_user(self.staff).action_request_deferral()
            case.payment_deferral_ids.with_user(self.director).validate_tier()
            case.with_user(self.staff).action_create_paid_sale()
        return case

    def test_payments_and_reimbursements_are_assessed(self):
        """R-165, R-166, R-259: the deferred payment due 30 days after the
        service is collected late; one local purchase is claimed in time,
        another late: each is a deadline of the service center, met or
        missed, and counted."""
        case = self._deferred_paid_sale()
        invoice = case.invoice_ids
        self.assertEqual(invoice.invoice_date_due, date(2026, 4, 1))
        purchases = self.env["forklift.local.purchase"]
        for claimed in (date(2026, 3, 20), date(2026, 4, 10)):
            purchases |= self._local_purchase(
                case,
                90,
                1,
                explanation="Seal kit needed at once.",
                claim_date=claimed,
            )
        with freeze_time("2026-04-05"):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": date(2026, 4, 5)})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        with freeze_time("2026-04-12 02:00:00"):
            assessment, lines = self._assess(case)
        payment = lines["deferred_payment"]
        self.assertEqual(payment.party, "service_center")
        self.assertEqual(payment.due_date, datetime(2026, 4, 2))
        self.assertEqual(payment.done_date, datetime(2026, 4, 6))
        self.assertFalse(payment.on_time)
        self.assertEqual(payment.delay_hours, 96)
        claims = assessment.line_ids.filtered(
            lambda line: line.deadline_type == "reimbursement"
        )
        self.assertEqual(sorted(claims.mapped("on_time")), [False, True])
        self.assertEqual(set(claims.mapped("party")), {"service_center"})
        missed = assessment.line_ids.filtered(lambda line: not line.on_time)
        self.assertEqual(assessment.deadline_count, len(assessment.line_ids))
        self.assertEqual(assessment.missed_count, len(missed))
        self.assertEqual(
            assessment.met_count, assessment.deadline_count - assessment.missed_count
        )
        self.assertGreaterEqual(assessment.missed_count, 2)

    def test_unpaid_deferred_payment_counts_once_overdue(self):
        """R-165, R-259: a deferred payment not collected counts as missed only
        once its due day has passed."""
        case = self._deferred_paid_sale()
        with freeze_time("2026-03-20"):
            _assessment, lines = self._assess(case)
        self.assertNotIn("deferred_payment", lines, "not due yet")
        with freeze_time("2026-04-03"):
            _assessment, lines = self._assess(case)
        self.assertFalse(lines["deferred_payment"].on_time)
        self.assertFalse(lines["deferred_payment"].done_date)

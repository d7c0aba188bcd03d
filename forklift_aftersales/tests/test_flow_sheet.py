from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon
from .test_forklift_feedback import RAW_MAIL

FLOW_MARKER = {"forklift_flow_write": True}


class SheetFlowCommon(ForkliftCommon):
    """A paid-service sheet, an unrelated sale order and the users who attack
    them the way a client calls the server over RPC (``with_user``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part.lst_price = 260
        cls.old_unit = cls._create_unit("SN-OLD-FLOW", acceptance=date(2024, 1, 10))
        cls.viewer = cls._group_user("fa_sheet_viewer", "group_forklift_viewer")
        cls.salesman = cls._group_user(
            "fa_sheet_salesman", "sales_team.group_sale_salesman"
        )
        cls.other_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_b.id,
                "order_line": [
                    Command.create({"product_id": cls.part.id, "product_uom_qty": 5})
                ],
            }
        )
        cls.other_order.action_confirm()

    def _paid_case(self):
        return self._worked_paid_case(self.old_unit, done=False)

    def _snapshot(self, case):
        return self._field_values(
            case,
            (
                "state",
                "verified_date",
                "verified_by_id",
                "payment_mode",
                "deferral_approved_by_id",
                "deferral_approved_date",
                "sale_order_id",
                "warranty_verdict",
                "responsibility",
                "unit_id",
                "company_id",
                "closed_date",
                "market",
            ),
        )


@tagged("post_install", "-at_install")
class TestFlowSheet(SheetFlowCommon):
    """Controls of the feedback sheet that hold whatever the client sends."""

    # Flow fields (issue class 4)

    def test_flow_fields_refused_on_write_over_rpc(self):
        """R-001, R-067, 000 §4.1.1, §4.2.1.1: state, the date and person of
        each step, the paid-service link and the deferral consent change only
        through the sheet's buttons, even with the flow's context marker sent
        by the client."""
        case = self._paid_case()
        before = self._snapshot(case)
        attacks = {
            "state": "closed",
            "verified_date": datetime(2026, 1, 1),
            "verified_by_id": self.director.id,
            "dispatched_date": datetime(2026, 1, 1),
            "answered_date": datetime(2026, 1, 1),
            "done_date": datetime(2026, 1, 1),
            "reported_date": datetime(2026, 1, 1),
            "closed_date": datetime(2026, 1, 1),
            "major_notified_date": datetime(2026, 1, 1),
            "payment_mode": "deferred",
            "deferral_approved_by_id": self.director.id,
            "sale_order_id": self.other_order.id,
            "parts_cost": 1,
            "amount_to_collect": 1,
            "warranty_state": "in",
            "dispatch_deadline": datetime(2027, 1, 1),
            "company_id": self.env["res.company"].create({"name": "Other Co"}).id,
            "name": "FB-FORGED",
            "market": "export",
        }
        for user in (self.staff, self.director):
            for field, value in attacks.items():
                for context in ({}, FLOW_MARKER):
                    with (
                        self.subTest(user=user.login, field=field, context=context),
                        self.assertRaises(AccessError),
                    ):
                        case.with_user(user).with_context(**context).write(
                            {field: value}
                        )
        self.assertEqual(self._snapshot(case), before)
        self.assertNotEqual(case.name, "FB-FORGED")

    def test_sheet_cannot_be_created_in_a_late_state(self):
        """R-001, 000 §4.1.1: a sheet starts at intake; a client cannot create
        it closed, verified by someone, deferred or linked to an order."""
        model = self.env["forklift.feedback"].with_user(self.staff)
        count = model.search_count([])
        for vals in (
            {"state": "closed"},
            {"state": "verified", "verified_by_id": self.director.id},
            {"payment_mode": "deferred", "deferral_approved_by_id": self.director.id},
            {"sale_order_id": self.other_order.id},
            {"closed_date": datetime(2026, 3, 1)},
        ):
            for context in ({}, FLOW_MARKER, {"default_state": "closed"}):
                with (
                    self.subTest(vals=vals, context=context),
                    self.assertRaises(AccessError),
                ):
                    model.with_context(**context).create(
                        {"unit_id": self.unit.id, "title": "Forged", **vals}
                    )
        self.assertEqual(model.search_count([]), count)
        # default_* keys do not start a sheet in a late state either
        case = model.with_context(default_state="closed").create(
            {"unit_id": self.unit.id, "title": "Default state"}
        )
        self.assertEqual(case.state, "draft")

    def test_sheet_stays_in_the_users_companies(self):
        """R-001, 000 §4.1.1: a sheet is not created in, nor moved to, a
        company the user does not belong to."""
        other = self.env["res.company"].create({"name": "Other Forklift Co"})
        model = self.env["forklift.feedback"].with_user(self.staff)
        count = model.sudo().search_count([])
        with self.assertRaises(AccessError):
            model.create(
                {"unit_id": self.unit.id, "title": "Elsewhere", "company_id": other.id}
            )
        self.assertEqual(model.sudo().search_count([]), count)
        case = self._create_case()
        with self.assertRaises(AccessError):
            case.with_user(self.director).write({"company_id": other.id})
        self.assertEqual(case.company_id, self.env.company)

    def test_diagnosis_is_fixed_once_verified(self):
        """R-001, R-214, R-216, 000 §4.2.1.1, §4.3.2.1: the verdict, the
        responsibility, the forklift and the report date are the verified
        diagnosis; after verification they do not change (a paid case does not
        become a warranty case)."""
        case = self._verified_case(unit=self.old_unit, responsibility="misuse")
        before = self._snapshot(case)
        for vals in (
            {"warranty_verdict": "repair"},
            {"responsibility": "manufacturing"},
            {"unit_id": self.unit.id},
            {"received_date": datetime(2025, 1, 1)},
            {"route": "dealer"},
            {"verification": "<p>Nothing wrong.</p>"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                case.with_user(self.staff).write(vals)
        self.assertEqual(self._snapshot(case), before)

    # Deferral consent (issue class 2)

    def _assert_paid_on_the_spot(self, case):
        """``case`` is paid on the spot, no deferral agreed for it."""
        self.assertEqual(case.payment_mode, "on_the_spot")
        self.assertFalse(case.deferral_approved_by_id)

    def _ask_deferral(self, case, user=None):
        """Staff ask for the deferral from the sheet: a request waiting for
        the director."""
        case.with_user(user or self.staff).with_context(
            deferral_reason="Customer's budget closes at month end"
        ).action_request_deferral()
        deferral = case.payment_deferral_ids
        self.assertEqual(len(deferral), 1)
        self.assertEqual(deferral.state, "draft")
        self.assertTrue(deferral.review_ids)
        return deferral

    def _deferral_snapshot(self, deferral):
        deferral.invalidate_recordset()
        return {
            "state": deferral.state,
            "validation_status": deferral.validation_status,
            "approved_by_id": deferral.approved_by_id,
            "approved_date": deferral.approved_date,
            "requested_by_id": deferral.requested_by_id,
            "feedback_id": deferral.feedback_id,
            "reviews": [
                (r.status, r.done_by) for r in deferral.sudo().review_ids.sorted("id")
            ],
        }

    def test_deferral_consent_cannot_be_typed(self):
        """R-102, R-165, 000 §4.3.2.1: a deferred (30-day) payment needs the
        service-center director's consent; staff cannot name him on the sheet
        and then invoice at 30 days."""
        case = self._paid_case()
        with self.assertRaises(AccessError):
            case.with_user(self.staff).write(
                {
                    "payment_mode": "deferred",
                    "deferral_approved_by_id": self.director.id,
                }
            )
        self._assert_paid_on_the_spot(case)
        self.assertFalse(hasattr(type(case), "action_approve_deferral"))
        with freeze_time("2026-03-02"):
            case.with_user(self.staff).action_create_paid_sale()
        self.assertEqual(case.invoice_ids.invoice_date_due, date(2026, 3, 2))

    def test_deferral_request_cannot_be_forged(self):
        """R-102, R-005, 000 §4.3.2.1: a client cannot create or write a
        deferral request approved, nor move an approval to another sheet, nor
        write the reviews: only the director's validation approves it."""
        case = self._paid_case()
        Deferral = self.env["forklift.payment.deferral"]
        count = Deferral.search_count([])
        for vals in (
            {"state": "approved"},
            {"approved_by_id": self.director.id},
            {"approved_date": datetime(2026, 3, 2, 9)},
            {"requested_by_id": self.director.id},
        ):
            for context in ({}, FLOW_MARKER):
                with self.subTest(vals=vals), self.assertRaises(AccessError):
                    Deferral.with_user(self.staff).with_context(**context).create(
                        [{"feedback_id": case.id, **vals}]
                    )
        self.assertEqual(Deferral.search_count([]), count)
        deferral = self._ask_deferral(case)
        other_case = self._paid_case()
        before = self._deferral_snapshot(deferral)
        for user in (self.staff, self.director):
            for vals in (
                {"state": "approved"},
                {"approved_by_id": self.director.id},
                {"feedback_id": other_case.id},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaises(AccessError),
                ):
                    deferral.with_user(user).with_context(**FLOW_MARKER).write(vals)
            with self.assertRaises(AccessError):
                deferral.with_user(user).review_ids.write({"status": "approved"})
        self.assertEqual(self._deferral_snapshot(deferral), before)
        self._assert_paid_on_the_spot(case)
        # a draft approved behind the flow's back does not make a consent:
        # the paid sale still finds no approved request
        self.assertFalse(
            case.payment_deferral_ids.filtered(lambda d: d.state == "approved")
        )

    def test_deferral_applicant_cannot_approve(self):
        """R-102, R-005, 000 §4.3.2.1: a director who asked for the deferral
        does not agree to it himself; another director does."""
        case = self._paid_case()
        deferral = self._ask_deferral(case, user=self.director)
        before = self._deferral_snapshot(deferral)
        with self.assertRaises(UserError):
            deferral.with_user(self.director).validate_tier()
        self.assertEqual(self._deferral_snapshot(deferral), before)
        self.assertEqual(case.payment_mode, "on_the_spot")
        other_director = self._group_user(
            "fa_sheet_director2", "group_forklift_director"
        )
        deferral.with_user(other_director).validate_tier()
        self.assertEqual(deferral.state, "approved")
        self.assertEqual(case.deferral_approved_by_id, other_director)

    def test_deferral_needs_a_director(self):
        """R-102, 000 §4.3.2.1: staff, a viewer or a salesman cannot agree to
        a deferred payment; nothing changes on the request or the sheet."""
        case = self._paid_case()
        deferral = self._ask_deferral(case)
        before = self._deferral_snapshot(deferral)
        for user in (self.staff, self.technician, self.viewer, self.salesman):
            with (
                self.subTest(user=user.login),
                self.assertRaises(UserError),
            ):
                deferral.with_user(user).validate_tier()
        self.assertEqual(self._deferral_snapshot(deferral), before)
        self._assert_paid_on_the_spot(case)
        with self.assertRaises(AccessError):
            case.with_user(self.viewer).action_request_deferral()
        self.assertEqual(len(case.payment_deferral_ids), 1)

    def test_deferral_consent_is_the_directors_step(self):
        """R-102, R-165, 000 §4.3.2.1: the director's approval records who
        agreed and when on the sheet; asking or agreeing twice, or after
        invoicing, changes nothing."""
        case = self._paid_case()
        deferral = self._ask_deferral(case)
        with self.assertRaises(UserError):
            case.with_user(self.staff).action_request_deferral()
        self.assertEqual(len(case.payment_deferral_ids), 1)
        with freeze_time("2026-03-02 09:00:00"):
            deferral.with_user(self.director).validate_tier()
        self.assertEqual(deferral.state, "approved")
        self.assertEqual(deferral.approved_by_id, self.director)
        self.assertEqual(case.payment_mode, "deferred")
        self.assertEqual(case.deferral_approved_by_id, self.director)
        self.assertEqual(case.deferral_approved_date, datetime(2026, 3, 2, 9))
        with self.assertRaises(UserError):
            deferral.with_user(self.director).validate_tier()
        with self.assertRaisesRegex(UserError, "already"):
            case.with_user(self.staff).action_request_deferral()
        self.assertEqual(case.deferral_approved_date, datetime(2026, 3, 2, 9))
        with freeze_time("2026-03-02"):
            case.with_user(self.staff).action_create_paid_sale()
        self.assertEqual(case.collection_due_date, date(2026, 4, 1))
        before = self._snapshot(case)
        with self.assertRaises(UserError):
            deferral.with_user(self.staff).action_cancel()
        with self.assertRaises(UserError):
            case.with_user(self.staff).action_request_deferral()
        self.assertEqual(self._snapshot(case), before)
        self.assertEqual(deferral.state, "approved")

    def test_deferred_sale_needs_an_approved_request(self):
        """R-102, R-165, 000 §4.3.2.1: the 30-day paid sale needs the
        director's approved request; a sheet marked deferred without one (an
        old record, a server slip) is refused and no order is made."""
        case = self._paid_case()
        case._write_flow(
            {
                "payment_mode": "deferred",
                "deferral_approved_by_id": self.director.id,
                "deferral_approved_date": datetime(2026, 3, 2, 9),
            }
        )
        with self.assertRaisesRegex(UserError, "director's consent"):
            case.with_user(self.staff).action_create_paid_sale()
        self.assertFalse(case.sale_order_id)
        self.assertFalse(case.invoice_ids)
        # a request still waiting for the director is no consent either
        case._write_flow(
            {
                "payment_mode": "on_the_spot",
                "deferral_approved_by_id": False,
                "deferral_approved_date": False,
            }
        )
        self._ask_deferral(case)
        case._write_flow(
            {"payment_mode": "deferred", "deferral_approved_by_id": self.director.id}
        )
        with self.assertRaisesRegex(UserError, "director's consent"):
            case.with_user(self.staff).action_create_paid_sale()
        self.assertFalse(case.sale_order_id)

    def test_rejected_or_withdrawn_deferral_keeps_payment_on_the_spot(self):
        """R-102, 000 §4.3.2.1: a refused request leaves the payment on the
        spot; an agreed one withdrawn before the invoice does too."""
        case = self._paid_case()
        deferral = self._ask_deferral(case)
        deferral.with_user(self.director).reject_tier()
        self.assertEqual(deferral.state, "rejected")
        self._assert_paid_on_the_spot(case)
        with self.assertRaises(UserError):
            deferral.with_user(self.director).validate_tier()
        self.assertEqual(deferral.state, "rejected")
        case.with_user(self.staff).action_request_deferral()
        deferral = case.payment_deferral_ids.filtered(lambda d: d.state == "draft")
        deferral.with_user(self.director).validate_tier()
        self.assertEqual(case.payment_mode, "deferred")
        with self.assertRaises(AccessError):
            deferral.with_user(self.viewer).action_cancel()
        self.assertEqual(deferral.state, "approved")
        deferral.with_user(self.staff).action_cancel()
        self.assertEqual(deferral.state, "cancel")
        self._assert_paid_on_the_spot(case)
        with self.assertRaises(UserError):
            deferral.with_user(self.director).unlink()
        self.assertTrue(deferral.exists())

    def test_warranty_sheet_gets_no_deferral(self):
        """R-102, R-214, 000 §4.3.2.1: only a paid service is deferred."""
        case = self._verified_case()
        with self.assertRaises(UserError):
            case.with_user(self.staff).action_request_deferral()
        self.assertFalse(case.payment_deferral_ids)
        self._assert_paid_on_the_spot(case)

    # Paid-service order link (issue class 3)

    def test_paid_service_order_cannot_be_repointed(self):
        """R-013, R-100, 000 §4.3.2.1: the paid service order is set by the
        sheet's own action; linking any order over RPC is refused and the other
        customer's order keeps its terms and gets no invoice."""
        case = self._paid_case()
        term = self.other_order.payment_term_id
        with self.assertRaises(AccessError):
            case.with_user(self.staff).write({"sale_order_id": self.other_order.id})
        self.assertFalse(case.sale_order_id)
        self.assertEqual(self.other_order.payment_term_id, term)
        self.assertFalse(self.other_order.invoice_ids)

    def test_paid_sale_refuses_an_order_of_another_sheet(self):
        """R-013, 000 §4.3.2.1: even if a sheet points at an unrelated order
        (data from before these controls), invoicing it is refused and the
        order is left as it was."""
        case = self._paid_case()
        case._write_flow({"sale_order_id": self.other_order.id})
        term = self.other_order.payment_term_id
        with self.assertRaisesRegex(UserError, "does not belong"):
            case.with_user(self.staff).action_create_paid_sale()
        self.assertEqual(self.other_order.payment_term_id, term)
        self.assertFalse(self.other_order.invoice_ids)

    def test_salesman_cannot_attach_his_order_to_a_sheet(self):
        """R-013, R-104, 001 §5.2: a quote is attached to a sheet by the sheet's
        own action; a salesman cannot point an order at a sheet and have its
        confirmation become the paid service."""
        case = self._paid_case()
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write({"forklift_feedback_id": case.id})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "forklift_feedback_id": case.id}
            )
        self.assertFalse(order.forklift_feedback_id)
        self.assertFalse(case.quote_ids)
        self.assertFalse(case.sale_order_id)

    def test_paid_service_terms_fixed_once_ordered(self):
        """R-013, R-100, 000 §4.3.2.1: once the paid service is ordered, the
        labour hours and the customer's consent it was made from stay."""
        case = self._paid_case()
        case.with_user(self.staff).action_create_paid_sale()
        for vals in (
            {"labour_hours": 1},
            {"paid_ack_signed_by": "Someone else"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                case.with_user(self.staff).write(vals)
        self.assertEqual(case.labour_hours, 3)
        self.assertEqual(case.paid_ack_signed_by, "Wang Jun")

    def test_copy_starts_at_intake(self):
        """R-001, 000 §4.1.1: a copy of a closed sheet is a new sheet at
        intake, with none of the steps of the original."""
        case = self._paid_case()
        copy = case.with_user(self.staff).copy()
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.verified_by_id)
        self.assertFalse(copy.sale_order_id)
        self.assertEqual(copy.payment_mode, "on_the_spot")
        # a new report, received as it is recorded (not the original's day,
        # which would judge its warranty: R-211)
        self.assertNotEqual(copy.received_date, case.received_date)
        self.assertEqual(copy.received_date.date(), fields.Datetime.now().date())

    def test_paid_sale_only_once(self):
        """R-013, 000 §4.3.2.1: invoicing the paid service twice does nothing
        but say why."""
        case = self._paid_case()
        case.with_user(self.staff).action_create_paid_sale()
        invoices = case.invoice_ids
        with self.assertRaisesRegex(UserError, "already invoiced"):
            case.with_user(self.staff).action_create_paid_sale()
        self.assertEqual(case.invoice_ids, invoices)

    # Steps checked (issue class 2 and 4)

    def test_steps_check_the_state_and_the_rights(self):
        """R-001, R-067, 000 §4.1.1, §4.2.1.1: each step is taken once, in its
        state, by someone who may write sheets."""
        case = self._verified_case()
        with self.assertRaisesRegex(UserError, "Only a sheet at intake"):
            case.with_user(self.staff).action_verify()
        self._assert_steps_refused(
            case,
            self.staff,
            "action_report_to_qa",
            "action_close",
            "action_reset_to_draft",
        )
        draft = self._create_case()
        self._assert_steps_refused(
            draft,
            self.viewer,
            "action_verify",
            "action_mark_answered",
            error=AccessError,
        )
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.answered_date)
        case.with_user(self.staff).action_cancel()
        with self.assertRaisesRegex(UserError, "already cancelled"):
            case.with_user(self.staff).action_cancel()
        with self.assertRaises(UserError):
            case.with_user(self.staff).action_mark_answered()

    # Deletion (issue class 5)

    def _closed_case(self):
        case = self._verified_case()
        order = self._service_order(case)
        self._registered_order(order, "Wang Jun", "Fixed.")
        self._director_review(order)
        case.action_report_to_qa()
        case.action_close()
        return case, order

    def test_no_new_service_order_once_the_service_is_done(self):
        """R-001, R-002, 000 §4.2.1.1, §4.2.1.2: service orders are made for a
        sheet being serviced (verified or dispatched, as its button says).
        Once its service is done, reported, closed or cancelled, staff add no
        order to it, with replaced parts or without, by a command on the sheet
        or by creating the order: its parts replaced, counted in its figures
        and statistics, stay what was serviced."""
        case, order = self._closed_case()
        parts = case.parts_replaced_qty
        vals = {
            "performer_type": "technician",
            "technician_id": self.technician.id,
            "part_ids": [Command.create({"product_id": self.part.id, "quantity": 5})],
        }
        Order = self.env["forklift.service.order"].with_user(self.staff)
        for state in ("done", "reported", "closed", "cancel"):
            with self.subTest(state=state):
                case._write_flow({"state": state})
                with self.assertRaisesRegex(UserError, "no new service order"):
                    Order.create([{**vals, "feedback_id": case.id}])
                with self.assertRaisesRegex(UserError, "no new service order"):
                    case.with_user(self.staff).write(
                        {"service_order_ids": [Command.create(vals)]}
                    )
                self.assertEqual(case.service_order_ids, order)
                self.assertEqual(case.parts_replaced_qty, parts)

    def test_closed_sheet_cannot_be_deleted(self):
        """R-001, R-002, 000 §4.2.1.2: a closed sheet cannot be moved back to
        intake by a state write and then deleted with its registered service
        order."""
        case, order = self._closed_case()
        with self.assertRaises(AccessError):
            case.with_user(self.director).write({"state": "draft"})
        with self.assertRaises(UserError):
            case.with_user(self.director).unlink()
        self.assertTrue(case.exists())
        self.assertEqual(case.state, "closed")
        self.assertEqual(order.state, "registered")

    def test_cancelled_sheet_with_registered_order_is_kept(self):
        """R-001, R-002, 000 §4.2.1.2: cancelling a sheet whose order was
        registered and then deleting it would take the registered order with
        it: refused."""
        case = self._verified_case()
        order = self._service_order(case)
        self._registered_order(order, "Wang Jun", "Fixed.")
        self._assert_steps_refused(case, self.director, "action_cancel", "unlink")
        self.assertTrue(order.exists())
        self.assertEqual((case.state, order.state), ("done", "registered"))

    # Intake (issue class 8)

    def _mail(self, email_from, uid, subject="Mast drops"):
        alias = self.env.ref("forklift_aftersales.mail_alias_forklift_feedback")
        domain = self.env["mail.alias.domain"].search(
            [("name", "=", "forklift.example.com")]
        ) or self.env["mail.alias.domain"].create({"name": "forklift.example.com"})
        alias.alias_domain_id = domain
        return RAW_MAIL.format(
            email_from=email_from,
            to=f"forklift-service@{domain.name}",
            subject=subject,
            body="The mast drops.",
            uid=uid,
        )

    def test_unknown_sender_opens_no_sheet(self):
        """R-065, R-001, 000 §4.1.1: mail from an address no partner has gets a
        polite reply; no sheet is opened and nobody is subscribed."""
        count = self.env["forklift.feedback"].search_count([])
        partners = self.env["res.partner"].search_count([])
        raw = self._mail("someone@unknown.example.com", "unknown1", "Spoofed")
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.env["mail.thread"].message_process(False, raw)
        self.assertEqual(self.env["forklift.feedback"].search_count([]), count)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        bounce = self.env["mail.mail"].search(
            [("email_to", "ilike", "someone@unknown.example.com")]
        )
        self.assertTrue(bounce, "the sender is told the mail was not accepted")

    def test_known_dealer_mail_opens_an_unverified_sheet(self):
        """R-065, R-001, 000 §4.1.1: mail from a known dealer opens a sheet at
        intake, for staff to verify."""
        raw = self._mail("service@dealer-a.example.com", "known1", "Dealer report")
        self.env["mail.thread"].message_process(False, raw)
        case = self.env["forklift.feedback"].search([("title", "=", "Dealer report")])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.state, "draft")
        self.assertEqual(case.dealer_id, self.dealer_a)
        self.assertFalse(case.verified_by_id)

    def test_read_only_user_cannot_open_sheets_by_mail_rpc(self):
        """R-065, 000 §4.1.1: a user without create rights on sheets calling
        the mail gateway over RPC opens nothing, whatever model he calls it on
        and whoever the mail claims to be from."""
        count = self.env["forklift.feedback"].search_count([])
        for model, uid in (("mail.thread", "ro1"), ("res.partner", "ro2")):
            raw = self._mail("service@dealer-a.example.com", uid, "RPC forged")
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.viewer).message_process(False, raw)
        with self.assertRaises(AccessError):
            self.env["forklift.feedback"].with_user(self.viewer).message_new(
                {"subject": "RPC forged", "body": "x", "author_id": self.dealer_a.id}
            )
        self.assertEqual(self.env["forklift.feedback"].search_count([]), count)

    def test_staff_open_no_sheet_as_mailed_by_a_customer(self):
        """R-065, R-001, 000 §4.1.1: ``message_new`` is the mail gateway's
        step that opens a sheet from a mail it has checked (a known sender, by
        an alias). Staff who may create sheets, calling it over RPC with a
        dealer as sender and values of their choice, would open a sheet that
        reads as mailed in by that dealer (channel e-mail, the dealer
        following it): refused, nothing created. The gateway still opens
        sheets (``test_known_dealer_mail_opens_an_unverified_sheet``)."""
        Feedback = self.env["forklift.feedback"].with_user(self.staff)
        self.assertTrue(Feedback.has_access("create"))
        count = self.env["forklift.feedback"].search_count([])
        with self.assertRaises(AccessError):
            Feedback.message_new(
                {
                    "subject": "Mast drops",
                    "body": "The mast drops.",
                    "email_from": self.dealer_a.email,
                    "author_id": self.dealer_a.id,
                },
                {"unit_id": self.unit.id},
            )
        self.assertEqual(self.env["forklift.feedback"].search_count([]), count)

    def test_staff_do_not_run_the_mail_gateway_over_rpc(self):
        """R-065, 000 §4.1.1: the mail gateway brings mail into the after-sales
        records as superuser, with the values its caller sends; staff who may
        create sheets still do not run it over RPC: they would open a sheet
        with values of their choice (another market's forklift, another
        company), post on a sheet they may not read, or create forklifts.
        The gateway itself, and an administrator's mail script, still do."""
        case = self._verified_case()
        messages = len(case.message_ids)
        counts = {
            model: self.env[model].search_count([])
            for model in ("forklift.feedback", "forklift.unit")
        }
        attempts = [
            ("forklift.feedback", {"custom_values": {"unit_id": self.unit_b.id}}),
            ("forklift.feedback", {"thread_id": case.id}),
            (
                "forklift.unit",
                {
                    "custom_values": {
                        "name": "SN-BY-MAIL",
                        "product_id": self.forklift_product.id,
                    }
                },
            ),
        ]
        for index, (model, kwargs) in enumerate(attempts):
            # to no alias: the gateway routes it to the model the caller names
            raw = RAW_MAIL.format(
                email_from="service@dealer-a.example.com",
                to="someone@example.com",
                subject="Forged",
                body="The mast drops.",
                uid=f"staff{index}",
            )
            with self.subTest(model=model, **kwargs), self.assertRaises(AccessError):
                self.env["mail.thread"].with_user(self.staff).message_process(
                    model, raw, **kwargs
                )
        case.invalidate_recordset()
        self.assertEqual(len(case.message_ids), messages)
        self.assertEqual(
            {model: self.env[model].search_count([]) for model in counts}, counts
        )
        admin = self.env.ref("base.user_admin")
        raw = self._mail("service@dealer-a.example.com", "admin1", "Script mail")
        self.env["mail.thread"].with_user(admin).message_process(False, raw)
        self.assertTrue(
            self.env["forklift.feedback"].search([("title", "=", "Script mail")])
        )

    def test_salesman_cannot_make_a_partner_a_dealer(self):
        """R-055, R-065, 000 §4.2.2.1: which partner is a dealer decides what
        its portal users read and where its mail opens sheets; only
        after-sales staff decide it."""
        partner = self.env["res.partner"].create({"name": "Some Trader"})
        with self.assertRaises(AccessError):
            partner.with_user(self.salesman).write({"is_forklift_dealer": True})
        with self.assertRaises(AccessError):
            self.dealer_a.with_user(self.salesman).write(
                {"forklift_supervisor_id": self.salesman.id}
            )
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Fake dealer", "is_forklift_dealer": True}
            )
        self.assertFalse(partner.is_forklift_dealer)
        self.assertEqual(self.dealer_a.forklift_supervisor_id, self.supervisor)

    # Dates (issue class 9)

    def test_warranty_judged_on_the_companys_local_date(self):
        """R-211, R-288, 000-IV §4: a forklift accepted on 2 March 2025 is in
        warranty until 1 March 2026; a call at 07:00 in Shanghai on 2 March
        (23:00 UTC on 1 March) is out of warranty."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        unit = self._create_unit("SN-TZ-0001", acceptance=date(2025, 3, 2))
        late = self._create_case(unit=unit, received_date=datetime(2026, 3, 1, 23, 0))
        self.assertEqual(late.warranty_state, "out")
        self.assertEqual(late.warranty_verdict, "paid")
        last_day = self._create_case(
            unit=unit, received_date=datetime(2026, 3, 1, 15, 0)
        )
        self.assertEqual(last_day.warranty_state, "in")

    # Portal reads (issue class 7 for sheets)

    def test_portal_user_cannot_read_internal_fields(self):
        """R-001, R-055, 000 §4.2.2.1: a dealer reads its sheets on the portal,
        not the service center's diagnosis, costs or paid-service terms."""
        portal = self._portal_user("fa_sheet_portal", self.dealer_a, "Chen (dealer A)")
        case = self._verified_case()
        case = case.with_user(portal)
        case.read(["name", "title", "state", "received_date"])
        for field in (
            "verification",
            "parts_cost",
            "deferral_approved_by_id",
            "labour_hours",
            "verified_by_id",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                case.read([field])


@tagged("post_install", "-at_install")
class TestFlowSheetPortal(HttpCase, SheetFlowCommon):
    """The portal sheet page renders with the internal fields hidden from
    portal users."""

    def test_portal_sheet_page_still_renders(self):
        """R-001, R-055, 000 §4.2.2.1: the dealer's sheet page renders."""
        self._portal_user("fa_sheet_portal2", self.dealer_a, "Li (dealer A)")
        case = self._verified_case(route="dealer")
        self.authenticate("fa_sheet_portal2", "fa_sheet_portal2")
        response = self.url_open(case.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(case.name, response.text)
        listing = self.url_open("/my/forklift/sheets")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(case.name, listing.text)

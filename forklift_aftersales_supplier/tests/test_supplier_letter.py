from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.forklift_aftersales.tests.common import portal_post

from .common import SENT, SupplierCommon


@tagged("post_install", "-at_install")
class TestSupplierLetter(SupplierCommon):
    """Service contact letters (售后服务联系函, 000 §4.2.3, R-003, R-163, R-164,
    R-192)."""

    def test_supplier_route_needs_a_quality_agreement(self):
        """000 §4.2.3.1, R-085, R-224: only a supplier with a quality agreement
        and service capability is sent the failure."""
        case = self._draft_supplier_case(
            route="supplier", supplier_id=self.supplier_c.id
        )
        self._assert_not_verified(case, "no quality agreement")
        case.supplier_id = False
        self._assert_not_verified(case, "Name the supplier")

    def test_letter_goes_with_the_service_order_to_the_after_sales_contact(self):
        with freeze_time(SENT):
            case = self._supplier_case()
            letter = self._letter(case, send=False)
            self.assertEqual(letter.state, "draft")
            self.assertEqual(
                letter.contact_id, self.supplier_a.forklift_service_contact_id
            )
            self.assertEqual(letter.product_id, self.pump)
            self.assertEqual(letter.judged_by, "on_site")
            self.assertIn("Leaking lift cylinder seal", letter.sc_opinion)
            order = letter.service_order_id
            self.assertEqual(order.performer_type, "supplier")
            self.assertEqual(order.supplier_id, self.supplier_a)
            letter.with_user(self.staff).action_send()
        self.assertEqual(letter.state, "sent")
        self.assertEqual(letter.sent_date, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(letter.reply_deadline, datetime(2026, 3, 3, 9, 0))
        self.assertEqual(order.state, "dispatched")
        self.assertEqual(case.state, "dispatched")
        self.assertEqual(case.dispatched_date, datetime(2026, 3, 2, 9, 0))
        # the contact's e-mail, not the letter's chatter, holds the link
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", letter._name),
                ("res_id", "=", letter.id),
                ("recipient_ids", "in", letter.contact_id.ids),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(
            len(mail.attachment_ids), 2, "the letter and the service order"
        )
        self.assertIn(letter.contact_id, letter.message_partner_ids)

    def test_dispatching_a_supplier_order_sends_its_letter(self):
        case = self._supplier_case()
        action = case.with_user(self.staff).action_create_service_order()
        order = self.env["forklift.service.order"].browse(action["res_id"])
        self.assertEqual(order.performer_type, "supplier")
        order.with_user(self.staff).action_dispatch()
        self.assertEqual(order.state, "dispatched")
        self.assertEqual(order.supplier_letter_ids.state, "sent")

    def test_letter_needs_a_contact_email_and_an_opinion(self):
        letter = self._letter(send=False)
        letter.contact_id.email = False
        with self.assertRaisesRegex(UserError, "e-mail address"):
            letter.with_user(self.staff).action_send()
        letter.contact_id.email = "service@hydraulics-a.example.com"
        letter.sc_opinion = False
        with self.assertRaisesRegex(UserError, "opinion"):
            letter.with_user(self.staff).action_send()
        self.assertEqual(letter.state, "draft")
        self.assertEqual(letter.service_order_id.state, "draft")

    def test_supplier_answers_within_24_hours(self):
        with freeze_time(SENT):
            letter = self._letter()
        self._remind_when_overdue(
            letter, "is_reply_overdue", "2026-03-03 08:59:00", "2026-03-03 09:01:00"
        )
        reminders = letter.activity_ids.filtered(
            lambda a: a.summary == "Supplier has not answered within 24 h"
        )
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.user_id, self.staff)
        told = letter.message_ids.filtered(
            lambda m: (
                letter.contact_id in m.partner_ids
                and m.subject == "Supplier has not answered within 24 h"
            )
        )
        self.assertEqual(len(told), 1, "the supplier is reminded too")
        with freeze_time("2026-03-03 11:00:00"):
            letter._supplier_answer(
                letter.contact_id,
                {
                    "cannot_come_in_time": True,
                    "proposed_date": datetime(2026, 3, 4, 9, 0),
                    "delay_reason": "Letter read late",
                },
            )
            self.assertNotIn(letter, letter.search([("is_reply_overdue", "=", True)]))
        self.assertEqual(letter.state, "answered")
        self.assertEqual(letter.reply_hours, 26)
        self.assertEqual(letter.visit_deadline, datetime(2026, 3, 4, 9, 0))

    def test_supplier_that_cannot_come_agrees_a_new_date(self):
        letter = self._answered_letter(
            cannot_come_in_time=True,
            supplier_technician=False,
            planned_visit_date=False,
            proposed_date=datetime(2026, 3, 6, 9, 0),
            delay_reason="Technician at another customer until Thursday",
        )
        self.assertTrue(letter.cannot_come_in_time)
        self.assertEqual(letter.visit_deadline, datetime(2026, 3, 6, 9, 0))
        to_agree = letter.activity_ids.filtered(
            lambda a: a.summary == "Agree the new date proposed by the supplier"
        )
        self.assertEqual(to_agree.user_id, self.staff)
        letter.agreed_visit_date = datetime(2026, 3, 5, 14, 0)
        with freeze_time("2026-03-02 16:00:00"):
            letter.with_user(self.staff).action_agree_date()
        self.assertEqual(letter.date_agreed_by_id, self.staff)
        self.assertEqual(letter.date_agreed_on, datetime(2026, 3, 2, 16, 0))
        self.assertEqual(letter.visit_deadline, datetime(2026, 3, 5, 14, 0))
        self.assertFalse(letter.activity_ids.filtered(lambda a: a == to_agree))
        letter_model = self.env["forklift.supplier.letter"]
        with freeze_time("2026-03-05 15:00:00"):
            self.assertIn(
                letter, letter_model.search([("is_visit_overdue", "=", True)])
            )
            letter_model._cron_remind_overdue()
        self.assertTrue(
            letter.activity_ids.filtered(
                lambda a: a.summary.startswith("Supplier's technician not on site")
            )
        )

    def test_signed_sheet_due_within_5_working_days(self):
        """Finished on Thursday 5 March: due Thursday 12 March, the weekend
        skipped on the company's working calendar (000 §4.2.3.3)."""
        letter = self._done_letter(finished=datetime(2026, 3, 5, 10, 0))
        self.assertEqual(letter.state, "done")
        self.assertEqual(letter.service_order_id.state, "done")
        self.assertEqual(letter.sheet_deadline.date(), date(2026, 3, 12))
        self._remind_when_overdue(
            letter, "is_sheet_overdue", "2026-03-11 10:00:00", "2026-03-13 10:00:00", 1
        )
        self.assertTrue(
            letter.activity_ids.filtered(
                lambda a: a.summary == "Signed sheet not sent within 5 working days"
            )
        )

    def test_signed_sheet_is_confirmed_by_service_center_and_qa(self):
        letter = self._done_letter()
        order = letter.service_order_id
        with self.assertRaisesRegex(UserError, "who signed"):
            letter._supplier_upload_sheet(letter.contact_id, b"", "sheet.pdf", "")
        self.assertEqual(letter.state, "done")
        with freeze_time("2026-03-09 10:00:00"):
            letter._supplier_upload_sheet(
                letter.contact_id, b"JVBERi0xLjQK", "SO-signed.pdf", "Wang Jun"
            )
        self.assertEqual(letter.state, "sheet_received")
        self.assertEqual(letter.sheet_received_date, datetime(2026, 3, 9, 10, 0))
        self.assertEqual(order.state, "signed")
        self.assertEqual(order.signed_by, "Wang Jun")
        self.assertTrue(order.supplier_sheet)
        with self.assertRaisesRegex(UserError, "not allowed"):
            letter.with_user(self.staff).action_confirm_qa()
        with self.assertRaisesRegex(UserError, "service center confirms first"):
            letter.with_user(self.qa).action_confirm_qa()
        letter.with_user(self.staff).action_confirm_service_center()
        self.assertEqual(letter.state, "sheet_received", "QA too")
        self.assertEqual(letter.sc_confirmed_by_id, self.staff)
        letter.with_user(self.qa).action_confirm_qa()
        self.assertEqual(letter.state, "filed")
        self.assertEqual(letter.qa_confirmed_by_id, self.qa)
        self.assertEqual(order.state, "registered")
        self.assertEqual(order.feedback_id.state, "done")

    def test_bad_answers_change_nothing(self):
        with freeze_time(SENT):
            letter = self._letter()
        contact = letter.contact_id
        with freeze_time("2026-03-02 10:00:00"):
            with self.assertRaisesRegex(UserError, "Name the technician"):
                letter._supplier_answer(
                    contact, {"planned_visit_date": datetime(2026, 3, 3, 9, 0)}
                )
            with self.assertRaisesRegex(UserError, "Propose the date"):
                letter._supplier_answer(
                    contact, {"cannot_come_in_time": True, "delay_reason": "Busy"}
                )
            with self.assertRaises(ValidationError):
                letter._supplier_answer(
                    contact,
                    {
                        "supplier_technician": "Zhou Lei",
                        "planned_visit_date": datetime(2026, 3, 1, 9, 0),
                    },
                )
        self.assertEqual(letter.state, "sent")
        self.assertFalse(letter.replied_date)
        with self.assertRaisesRegex(UserError, "Answer"):
            letter._supplier_report_done(contact, {})

    def test_work_cannot_be_reported_in_the_future(self):
        letter = self._answered_letter()
        with freeze_time("2026-03-03 12:00:00"):
            with self.assertRaisesRegex(UserError, "future"):
                letter._supplier_report_done(
                    letter.contact_id,
                    {
                        "arrival_date": datetime(2026, 3, 3, 9, 0),
                        "finished_date": datetime(2026, 3, 3, 18, 0),
                        "work_done": "<p>Done.</p>",
                    },
                )
        self.assertEqual(letter.state, "answered")
        self.assertFalse(letter.service_order_id.finished_date)

    def test_service_center_records_an_answer_given_by_phone(self):
        with freeze_time(SENT):
            letter = self._letter()
        letter.write(
            {
                "supplier_technician": "Zhou Lei",
                "planned_visit_date": datetime(2026, 3, 3, 9, 0),
            }
        )
        with freeze_time("2026-03-02 11:00:00"):
            letter.with_user(self.staff).action_record_answer()
        self.assertEqual(letter.state, "answered")
        self.assertEqual(letter.replied_by_id, letter.contact_id)
        self.assertEqual(letter.message_ids[0].author_id, self.staff.partner_id)

    def test_agreed_visit_date_stays_as_agreed(self):
        """R-192, 000 §4.2.3.2: the new date the service center agreed with a
        supplier that could not come in time is its visit deadline. Neither
        the technician nor the director moves it afterwards, nor agrees it
        again under another name; no agreed date comes before the letter."""
        letter = self._answered_letter(
            cannot_come_in_time=True,
            proposed_date=datetime(2026, 3, 6, 9, 0),
            delay_reason="Technician at another customer until Friday",
        )
        self._assert_writes_refused(
            letter,
            self.staff,
            {"agreed_visit_date": datetime(2026, 3, 1, 9, 0)},
            "before the letter was sent",
        )
        with freeze_time("2026-03-02 16:00:00"):
            letter.with_user(self.staff).action_agree_date()
        agreed = (
            "agreed_visit_date",
            "visit_deadline",
            "date_agreed_by_id",
            "date_agreed_on",
        )
        before = self._field_values(letter, agreed)
        self.assertEqual(before["visit_deadline"], datetime(2026, 3, 6, 9, 0))
        for user in (self.staff, self.director):
            for moved in (datetime(2027, 1, 14, 9, 0), datetime(2026, 3, 1, 9, 0)):
                self._assert_writes_refused(
                    letter, user, {"agreed_visit_date": moved}, "already agreed"
                )
            with (
                self.subTest(user=user.login, step="action_agree_date"),
                self.assertRaises(UserError) as refused,
            ):
                letter.with_user(user).action_agree_date()
            self.assertIn("already agreed", str(refused.exception))
        self.assertEqual(self._field_values(letter, agreed), before)

    def test_a_visit_in_time_is_by_the_letters_deadline(self):
        """R-086, R-163, R-192, 000 §4.2.3.2: a supplier that comes in time
        has its technician on site within the 24 h of the letter; a later
        visit is a new date the service center agrees, never one the answer
        sets alone, even recorded by the technician from a phone call."""
        with freeze_time(SENT):
            letter = self._letter()
        letter.with_user(self.staff).write(
            {
                "supplier_technician": "Zhou Lei",
                "planned_visit_date": datetime(2026, 12, 30, 9, 0),
            }
        )
        with freeze_time("2026-03-02 11:00:00"):
            with self.assertRaises(UserError) as refused:
                letter.with_user(self.staff).action_record_answer()
        self.assertIn("must be on site by", str(refused.exception))
        letter.invalidate_recordset()
        self.assertEqual(letter.state, "sent")
        self.assertFalse(letter.replied_date)


@tagged("post_install", "-at_install")
class TestSupplierLetterPortal(HttpCase, SupplierCommon):
    """The supplier's answer on the portal (000 §4.2.3.2, R-086, R-192)."""

    def test_supplier_in_time_sets_no_later_visit(self):
        """R-086, R-192, 000 §4.2.3.2: the supplier answering that it comes in
        time with a visit ten months out is refused and the letter stays
        unanswered; a later visit is the date the service center agrees.
        On site by the letter's deadline (Shanghai time) is taken."""
        with freeze_time(SENT):
            letter = self._letter()
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        url = f"/my/forklift/letters/{letter.id}/answer"
        answer = {
            "cannot_come_in_time": "0",
            "supplier_technician": "Zhou Lei",
            "technician_phone": "139 0000 0000",
        }
        # answered the day it was sent, before the visit it plans
        with freeze_time("2026-03-02 15:00:00"):
            response = portal_post(
                self, url, data={**answer, "planned_visit_date": "2027-01-04T10:00"}
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("must be on site by", response.text)
            letter.invalidate_recordset()
            self.assertEqual(letter.state, "sent")
            self.assertFalse(letter.replied_date)
            self.assertFalse(letter.planned_visit_date)
            self.assertFalse(letter.visit_deadline)
            portal_post(
                self, url, data={**answer, "planned_visit_date": "2026-03-03T17:00"}
            )
        letter.invalidate_recordset()
        self.assertEqual(letter.state, "answered")
        self.assertEqual(letter.visit_deadline, datetime(2026, 3, 3, 9, 0))

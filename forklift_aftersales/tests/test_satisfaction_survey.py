import re
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .test_customer_care import CustomerCareCommon


@tagged("post_install", "-at_install")
class TestSatisfactionSurvey(HttpCase, CustomerCareCommon):
    """The satisfaction survey mailed on every closed case is answered from the
    link, without logging in; the link's access token is the only key
    (001-B L151–153, R-037, R-120)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._closed_case()
        cls.survey = cls.case.survey_ids

    def _url(self, token, suffix=""):
        return f"/forklift/satisfaction/{self.survey.id}{suffix}?access_token={token}"

    def _csrf(self):
        """The session's CSRF token, as every page of the layout carries it."""
        page = self.url_open(self._url(self.survey.access_token)).text
        return re.search(r'csrf_token: "([^"]+)"', page).group(1)

    def _post(self, token, **answers):
        data = {"csrf_token": self._csrf(), "access_token": token, **answers}
        return self.url_open(
            f"/forklift/satisfaction/{self.survey.id}/answer", data=data
        )

    def test_sent_survey_keeps_its_customer(self):
        """R-037: a survey mailed to a customer is that customer's; only what
        else it says may still be completed."""
        with self.assertRaisesRegex(UserError, "customer no longer changes"):
            self.survey.with_user(self.staff).write({"partner_id": self.customer_b.id})
        self.survey.with_user(self.staff).write({"partner_id": self.customer.id})
        self.assertEqual(self.survey.partner_id, self.customer)

    def test_answered_survey_stays_as_answered(self):
        """R-037: an answered survey stays as it was answered, its customer
        first; its link's token alone is still given."""
        survey = self.survey.with_user(self.staff)
        survey.write({"phone_rating": "4"})
        survey.action_record_phone_answer()
        with self.assertRaisesRegex(UserError, "customer no longer changes"):
            survey.write({"partner_id": self.customer_b.id, "phone_comment": "Late"})
        with self.assertRaisesRegex(UserError, "answered or cancelled"):
            survey.write({"phone_comment": "Late"})
        self.assertFalse(survey.phone_comment)
        self.survey.access_token = False
        self.assertTrue(self.survey._portal_ensure_token())

    def test_mailed_link_opens_the_survey(self):
        # the customer's e-mail, not the survey's chatter, holds the link
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", self.survey._name),
                ("res_id", "=", self.survey.id),
                ("recipient_ids", "in", self.customer.ids),
            ]
        )
        link = re.search(
            r'href="[^"]*(/forklift/satisfaction/[^"]+)"', str(mail.body_html)
        )
        path = link.group(1).replace("&amp;", "&")
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertIn("How did we serve you?", response.text)
        self.assertIn(self.case.name, response.text)

    @mute_logger("odoo.http")
    def test_wrong_or_missing_token_is_refused(self):
        for token in ("", "not-the-token", self.survey.access_token[:-1] + "x"):
            with self.subTest(token=token):
                response = self.url_open(self._url(token))
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(self.case.name, response.text)
        response = self._post("not-the-token", rating="1", comment="Hacked")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.survey.state, "sent")
        self.assertFalse(self.survey.rating)
        other = self._closed_case(title="Another case").survey_ids
        response = self.url_open(
            f"/forklift/satisfaction/{other.id}?access_token={self.survey.access_token}"
        )
        self.assertEqual(response.status_code, 404, "a token opens only its survey")

    @mute_logger("odoo.http")
    def test_a_reader_does_not_answer_for_the_customer(self):
        """R-037, R-120 (001-B L151–153): the customer answers from the link
        mailed to him; staff who read surveys in the back end (a viewer, the
        service center itself) neither open the answer page nor answer it
        without that link's token, logged in as they are: the answer would
        read as the customer's."""
        viewer = self._group_user("fa_survey_viewer", "group_forklift_viewer")
        self.assertTrue(self.survey.with_user(viewer).has_access("read"))
        for user in (viewer, self.staff):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                for token in ("", "not-the-token"):
                    response = self.url_open(self._url(token))
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn(self.case.name, response.text)
                    response = self._post(token, rating="1", comment="Typed by staff")
                    self.assertEqual(response.status_code, 404)
                self.assertEqual(self.survey.state, "sent")
                self.assertFalse(self.survey.rating)
                self.assertFalse(self.survey.answer_channel)
        # the link itself still opens it, whoever follows it
        response = self.url_open(self._url(self.survey.access_token))
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="comment"', response.text)

    def test_customer_answers_once_from_the_link(self):
        response = self._post(
            self.survey.access_token,
            rating="5",
            rating_result="5",
            rating_timeliness="4",
            rating_attitude="5",
            comment="Fixed the same day.",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        self.assertEqual(self.survey.state, "answered")
        self.assertEqual(self.survey.answer_channel, "link")
        self.assertEqual(self.survey.rating, "5")
        self.assertEqual(self.survey.rating_timeliness, "4")
        self.assertEqual(self.survey.comment, "Fixed the same day.")
        self.assertEqual(self.case.satisfaction_rating, "5")
        self.assertEqual(self.customer.forklift_satisfaction, 5.0)
        # the form is gone, and a second answer changes nothing
        page = self.url_open(self._url(self.survey.access_token)).text
        self.assertNotIn('name="comment"', page)
        response = self.url_open(
            f"/forklift/satisfaction/{self.survey.id}/answer",
            data={
                "csrf_token": self._csrf(),
                "access_token": self.survey.access_token,
                "rating": "1",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.survey.rating, "5")

    def test_bad_ratings_are_refused(self):
        for answers in ({"rating": "9"}, {"comment": "no rating"}, {"rating": "0"}):
            with self.subTest(answers=answers):
                response = self._post(self.survey.access_token, **answers)
                self.assertEqual(response.status_code, 400)
                self.assertIn("1 to 5", response.text)
                self.assertEqual(self.survey.state, "sent")

    def test_link_expires(self):
        self.survey._write_flow({"expiry_date": date.today() - timedelta(days=1)})
        page = self.url_open(self._url(self.survey.access_token)).text
        self.assertIn("This survey is closed.", page)
        response = self._post(self.survey.access_token, rating="4")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.survey.state, "sent")

    def test_answered_survey_is_kept_as_it_is(self):
        """R-037: the customer's answer is the record of his satisfaction: once
        answered, staff neither change it nor delete it, not even the
        director, who alone deletes surveys (a sent survey is cancelled, not
        deleted)."""
        with self.assertRaisesRegex(UserError, "kept: cancel it instead"):
            self.survey.with_user(self.director).unlink()
        # while sent, the service center may still note a call
        self.survey.with_user(self.staff).write(
            {"phone_comment": "Will answer online."}
        )
        response = self._post(self.survey.access_token, rating="2", comment="Late.")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.survey.state, "answered")
        survey = self.survey.with_user(self.staff)
        for vals in ({"phone_comment": "Happy."}, {"phone_rating": "5"}):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(UserError, "is answered or cancelled"):
                    survey.write(vals)
        with self.assertRaisesRegex(UserError, "kept: cancel it instead"):
            survey.with_user(self.director).unlink()
        self.survey.invalidate_recordset()
        self.assertEqual(
            (self.survey.rating, self.survey.comment, self.survey.phone_comment),
            ("2", "Late.", "Will answer online."),
        )

    def test_one_survey_of_the_customer_per_closed_sheet(self):
        """R-037, R-120 (001-B L151–153, L203–204): the customer of a closed
        sheet rates it once. Over RPC staff add no second survey to a sheet
        whose survey is out or answered (answered "by phone" it would dilute
        the customer's own rating), none on a sheet not closed yet, and none
        (nor change a draft's) to a partner who is neither the sheet's
        customer nor one of its contacts; once a survey is cancelled the
        customer is asked again, himself or one of his contacts."""
        surveys = self.env["forklift.satisfaction.survey"].with_user(self.staff)
        by_phone = {
            "phone_rating": "1",
            "phone_rating_result": "1",
            "phone_rating_timeliness": "1",
            "phone_rating_attitude": "1",
            "phone_comment": "Typed by staff",
        }
        contact = self.env["res.partner"].create(
            {"name": "Li Ming", "parent_id": self.customer.id, "type": "contact"}
        )
        count = surveys.search_count([])
        for answered in (False, True):
            if answered:
                response = self._post(self.survey.access_token, rating="5")
                self.assertEqual(response.status_code, 200)
            for partner in (self.customer, contact):
                with (
                    self.subTest(answered=answered, partner=partner.name),
                    self.assertRaisesRegex(ValidationError, "already has its survey"),
                ):
                    surveys.create(
                        {
                            "feedback_id": self.case.id,
                            "partner_id": partner.id,
                            **by_phone,
                        }
                    )
        open_case = self._verified_case(title="Horn does not work")
        with self.assertRaisesRegex(UserError, "closed"):
            surveys.create(
                {"feedback_id": open_case.id, "partner_id": self.customer.id}
            )
        other = self._closed_case(title="Seat switch faulty")
        other.survey_ids.with_user(self.staff).action_cancel()
        with self.assertRaisesRegex(ValidationError, "customer of"):
            surveys.create(
                {"feedback_id": other.id, "partner_id": self.customer_b.id, **by_phone}
            )
        self.assertEqual(surveys.search_count([]), count + 1, "the other sheet's")
        again = surveys.create({"feedback_id": other.id, "partner_id": contact.id})
        with self.assertRaisesRegex(ValidationError, "customer of"):
            again.write({"partner_id": self.customer_b.id})
        self.assertEqual(again.partner_id, contact)
        self.assertEqual(self.case.survey_ids, self.survey)
        self.assertEqual(self.case.satisfaction_rating, "5")
        self.assertEqual(self.customer.forklift_satisfaction, 5.0)

    def test_the_rated_staff_do_not_answer_for_the_customer(self):
        """R-037, R-120 (001-B L65, L151–153): the survey asks the customer to
        rate the service of the sheet's responsible and of the technicians of
        its service orders, who are assessed on that rating. Over RPC neither
        types the answer given by phone, records it, cancels the survey, nor
        asks the customer again with an answer already typed in: nobody
        assesses their own work (R-049). Another person of the service center
        records what the customer said, or cancels the survey, and nothing
        the rated staff tried is kept."""
        said = {
            "phone_rating": "2",
            "phone_rating_result": "3",
            "phone_rating_timeliness": "1",
            "phone_rating_attitude": "2",
            "phone_comment": "Came a day late.",
        }
        typed = {
            "phone_rating": "5",
            "phone_rating_result": "5",
            "phone_rating_timeliness": "5",
            "phone_rating_attitude": "5",
            "phone_comment": "Perfect.",
        }
        handled = self._closed_case(title="Horn does not work", user_id=self.staff.id)
        for survey, rated in (
            (self.survey, self.technician),
            (handled.survey_ids, self.staff),
        ):
            with self.subTest(rated=rated.login):
                survey.with_user(self.supervisor).write(said)
                self._assert_writes_refused(survey, rated, typed, message="rates")
                self._assert_steps_refused(
                    survey,
                    rated,
                    "action_record_phone_answer",
                    "action_cancel",
                    error=AccessError,
                )
                survey.invalidate_recordset()
                self.assertEqual(
                    (survey.state, survey.rating, survey.answer_channel),
                    ("sent", False, False),
                )
                self.assertEqual(survey.phone_rating, "2")
        surveys = self.env["forklift.satisfaction.survey"].with_user(self.staff)
        handled.survey_ids.with_user(self.supervisor).action_cancel()
        with self.assertRaisesRegex(UserError, "rates"):
            surveys.create(
                {"feedback_id": handled.id, "partner_id": self.customer.id, **typed}
            )
        self.assertEqual(handled.survey_ids.mapped("state"), ["cancel"])
        # asked again by the responsible, and recorded by a colleague
        again = surveys.create(
            {"feedback_id": handled.id, "partner_id": self.customer.id}
        )
        again.with_user(self.supervisor).write(said)
        again.with_user(self.supervisor).action_record_phone_answer()
        self.survey.with_user(self.supervisor).action_record_phone_answer()
        self.assertEqual(
            (again | self.survey).mapped(lambda s: (s.rating, s.answer_channel)),
            [("2", "phone"), ("2", "phone")],
        )

    def test_phone_answer_closes_with_the_link(self):
        """R-037, R-120: the survey's last day closes it to every answer: the
        service center does not record one "given by phone" after the day the
        mailed link stopped working; on that day it still does."""
        survey = self.survey.with_user(self.staff)
        today = self.survey.company_id._forklift_today()
        self.survey._write_flow({"expiry_date": today - timedelta(days=1)})
        survey.write({"phone_rating": "5", "phone_comment": "Typed late."})
        with self.assertRaisesRegex(UserError, "closed"):
            survey.action_record_phone_answer()
        self.assertEqual((self.survey.state, self.survey.rating), ("sent", False))
        self.survey._write_flow({"expiry_date": today})
        survey.action_record_phone_answer()
        self.assertEqual(
            (self.survey.state, self.survey.rating, self.survey.answer_channel),
            ("answered", "5", "phone"),
        )

    def test_a_survey_never_mailed_closes_too(self):
        """R-037, R-120 (001-B L151–153): every survey has a last day, the
        server's, as long after the day it is made as a mailed link stays
        open: a survey never mailed (its customer has no e-mail, or it was
        asked again by hand) takes no answer "by phone" after that day
        either, nor is it reopened by mailing it then; on its last day the
        phone answer is still recorded."""
        surveys = self.env["forklift.satisfaction.survey"].with_user(self.staff)
        with freeze_time("2026-03-10 10:00:00"):
            # no e-mail: the server's survey stays a draft, to ask by phone
            case = self._closed_case(unit=self.unit_b, title="Horn does not work")
            other = self._closed_case(title="Seat switch faulty")
            other.survey_ids.with_user(self.staff).action_cancel()
            again = surveys.create(
                {"feedback_id": other.id, "partner_id": self.customer.id}
            )
        drafts = case.survey_ids | again
        self.assertEqual(drafts.mapped("state"), ["draft", "draft"])
        by_phone = {"phone_rating": "5", "phone_comment": "Typed a year later."}
        with freeze_time("2027-03-10 10:00:00"):
            for survey in drafts.with_user(self.staff):
                with self.subTest(survey=survey.name):
                    survey.write(by_phone)
                    with self.assertRaisesRegex(UserError, "closed on 2026-04-09"):
                        survey.action_record_phone_answer()
            with self.assertRaisesRegex(UserError, "closed on 2026-04-09"):
                again.with_user(self.staff).action_send()
        drafts.invalidate_recordset()
        for survey in drafts:
            self.assertEqual(
                (survey.state, survey.rating, survey.answer_channel),
                ("draft", False, False),
            )
            self.assertEqual(survey.expiry_date, date(2026, 4, 9))
        self.assertFalse(
            self.env["forklift.care.letter"].search([("survey_id", "=", again.id)]),
            "no survey mailed after its last day",
        )
        # a survey made before every survey had its last day closes as long
        # after the day it was made
        again._write_flow({"expiry_date": False})
        with (
            freeze_time(again.create_date + timedelta(days=400)),
            self.assertRaisesRegex(UserError, "closed on"),
        ):
            again.with_user(self.staff).action_record_phone_answer()
        self.assertEqual(again.state, "draft")
        with freeze_time("2026-04-09 10:00:00"):
            case.survey_ids.with_user(self.staff).action_record_phone_answer()
        self.assertEqual(
            (case.survey_ids.state, case.survey_ids.answer_channel),
            ("answered", "phone"),
        )

    def test_other_company_staff_learn_nothing_of_a_surveyed_sheet(self):
        """R-047, R-055, R-037: service-center staff of another company
        asking a survey of this company's closed sheet, which has its survey
        (the sheet's id, as an RPC ``create`` sends it), are refused by
        Odoo's access rights before the one-survey check names the sheet;
        no survey is added."""
        _company_b, staff_b = self._new_company_user(
            "Survey Branch B", "fa_survey_staff_b", "group_forklift_user"
        )
        surveys = self.env["forklift.satisfaction.survey"].with_user(staff_b)
        self._assert_told_nothing(
            lambda: surveys.create(
                {"feedback_id": self.case.id, "partner_id": self.customer.id}
            ),
            [self.case.name],
        )
        self.assertEqual(self.case.survey_ids, self.survey)

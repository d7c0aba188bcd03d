import json
import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import (
    assert_token_not_shared,
    assert_token_unread_by_rpc,
    call_kw,
    json_rpc,
    portal_post,
)
from .test_customer_care import CustomerCareCommon

SURVEY = "forklift.satisfaction.survey"


@tagged("post_install", "-at_install")
class TestSurveyTokenSecret(HttpCase, CustomerCareCommon):
    """The access token of a satisfaction survey is the customer's key to
    answer it from the link mailed to him (R-037, R-120; 001-B L151–153;
    README "What no user can do": staff do not answer a survey for the
    customer without the link's token). Only the server reads it: staff who
    read surveys (a viewer such as the warehouse keeper or the inspector, the
    service center, the director) get it neither by RPC (read, search_read,
    web_read, export, search, group by) nor through the portal helpers, so
    they cannot answer in the customer's name; the customer still answers from
    the mailed link, logged out, and the service center still records an
    answer given by phone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._closed_case()
        cls.survey = cls.case.survey_ids
        # the test runs as the server: it reads the token
        cls.token = cls.survey.access_token
        cls.viewer = cls._group_user(
            "fa_token_viewer", "group_forklift_viewer,base.group_allow_export"
        )

    def _answer_state(self, survey=None):
        survey = survey or self.survey
        survey.invalidate_recordset()
        return (
            survey.state,
            survey.rating,
            survey.answer_channel,
            survey.answered_date,
            survey.comment,
            survey.access_token,
        )

    @mute_logger("odoo.http", "odoo.models")
    def test_staff_do_not_read_the_token_by_rpc(self):
        """R-037, R-120: whoever reads surveys in the back end, down to a
        mere viewer, is refused the token by every RPC that names it; a read
        of all fields leaves it out, and the form does not list it."""
        readers = (self.viewer, self.staff, self.followup_user, self.director)
        assert_token_unread_by_rpc(self, self.survey, self.token, readers)
        self.assertEqual(self._answer_state()[-1], self.token)

    @mute_logger("odoo.http", "odoo.models")
    def test_reader_cannot_answer_for_the_customer(self):
        """R-037, R-120 (001-B L151–153): the attack of a viewer (the
        warehouse keeper, the inspector): read the token of a sent survey by
        RPC, open its answer page with it and post ratings, which would be
        stored as the customer's own answer from his link. He gets no token,
        the page is not found and nothing is answered."""
        before = self._answer_state()
        self.authenticate(self.viewer.login, self.viewer.login)
        answer = call_kw(self, SURVEY, "read", [self.survey.ids, ["access_token"]])
        token = (answer.get("result") or [{}])[0].get("access_token") or ""
        self.assertFalse(token)
        page = self.url_open(f"/forklift/satisfaction/{self.survey.id}?access_token=")
        self.assertEqual(page.status_code, 404)
        response = portal_post(
            self,
            f"/forklift/satisfaction/{self.survey.id}/answer",
            {"access_token": token, "rating": "5", "comment": "Typed by staff"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self._answer_state(), before)
        self.assertFalse(self.survey.answer_channel)

    @mute_logger("odoo.http", "odoo.models")
    def test_portal_helpers_do_not_hand_out_the_token(self):
        """R-037: the share wizard and the mail composer, which build a
        document's link for whoever reads it, do not give a reader the
        survey's token either."""
        for user in (self.viewer, self.staff):
            self.authenticate(user.login, user.login)
            template = self.env.ref(
                "forklift_aftersales.mail_template_satisfaction_survey"
            )
            with self.subTest(user=user.login):
                assert_token_not_shared(self, self.survey, self.token, template)

    def _mailed_path(self, survey):
        """The survey's link in the last e-mail to the customer (the
        ``mail.mail`` his mailbox gets)."""
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", SURVEY),
                ("res_id", "=", survey.id),
                ("recipient_ids", "in", self.customer.ids),
            ],
            order="id desc",
            limit=1,
        )
        self.assertTrue(mail, "the survey is mailed to the customer")
        link = re.search(
            r'href="[^"]*(/forklift/satisfaction/[^"]+)"', str(mail.body_html)
        )
        return link.group(1).replace("&amp;", "&")

    def _chatter_as(self, user, survey):
        """Everything ``user`` reads of the messages of ``survey`` by RPC: the
        chatter's own route (bodies and tracking values) and ``mail.message``
        read, searched, and read without a domain on the model."""
        self.authenticate(user.login, user.login)
        answers = [
            json_rpc(
                self,
                "/mail/thread/messages",
                {"thread_model": SURVEY, "thread_id": survey.id},
            )
        ]
        domain = [("model", "=", SURVEY), ("res_id", "=", survey.id)]
        answers.append(
            call_kw(
                self,
                "mail.message",
                "search_read",
                [domain, ["body", "subject", "preview", "tracking_value_ids"]],
            )
        )
        answers.append(
            call_kw(
                self,
                "mail.message",
                "search_read",
                [[("body", "ilike", "/forklift/satisfaction/")], ["body"]],
            )
        )
        ids = self.env["mail.message"].search(domain).ids
        ids += self.env["mail.mail"].search(domain).mail_message_id.ids
        answers.append(call_kw(self, "mail.message", "read", [ids, ["body"]]))
        answers.append(call_kw(self, "mail.mail", "search_read", [domain, ["body"]]))
        return json.dumps(answers)

    @mute_logger("odoo.http", "odoo.models")
    def test_the_link_goes_to_the_customers_mailbox_not_the_chatter(self):
        """R-037, R-120 (001-B L151–153): the survey's link with its key is
        mailed to the customer only, not kept in the survey's chatter: no
        reader of the survey (a viewer, the service center, the director),
        nor the user who mailed it, finds the token in its messages (bodies,
        tracking values), nor in the outgoing mail. The chatter says the
        survey was mailed; the customer's e-mail holds the link, which opens
        the survey and takes his answer, logged out."""
        survey = self._closed_case(title="Mailed, not in the chatter").survey_ids
        survey.with_user(self.followup_user).action_send()
        token = survey.access_token
        self.assertTrue(token)
        readers = (self.viewer, self.staff, self.followup_user, self.director)
        for user in readers:
            with self.subTest(user=user.login):
                self.assertNotIn(token, self._chatter_as(user, survey))
        said = f"Satisfaction survey mailed to {self.customer.display_name}."
        self.assertTrue(any(said in body for body in survey.message_ids.mapped("body")))
        path = self._mailed_path(survey)
        self.assertIn(f"access_token={token}", path)
        self.authenticate(None, None)
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/forklift/satisfaction/{survey.id}/answer",
            data={"csrf_token": csrf, "access_token": token, "rating": "5"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._answer_state(survey)[:3], ("answered", "5", "link"))

    def test_staff_mail_the_link_and_the_customer_answers_logged_out(self):
        """R-037, R-120: the service center mails the survey (the template
        renders the link as the server does) and the customer answers from
        the link, logged out: stored as answered by the link."""
        survey = self._closed_case(title="Mailed by staff").survey_ids
        survey.with_user(self.followup_user).action_send()
        path = self._mailed_path(survey)
        self.assertIn(f"access_token={survey.access_token}", path)
        self.authenticate(None, None)
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="comment"', page.text)
        csrf = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/forklift/satisfaction/{survey.id}/answer",
            data={
                "csrf_token": csrf,
                "access_token": survey.access_token,
                "rating": "4",
                "comment": "Quick and polite.",
            },
        )
        self.assertEqual(response.status_code, 200)
        state = self._answer_state(survey)
        self.assertEqual(state[:3], ("answered", "4", "link"))
        self.assertEqual(state[4], "Quick and polite.")

    def test_staff_still_record_a_phone_answer(self):
        """R-037 (001-B L151–153): the service center records the answer the
        customer gives on the phone, in its own name, without the token."""
        survey = self.survey.with_user(self.staff)
        survey.write({"phone_rating": "3", "phone_comment": "Slow to arrive."})
        survey.action_record_phone_answer()
        state = self._answer_state()
        self.assertEqual(state[:3], ("answered", "3", "phone"))
        self.assertEqual(state[4], "Slow to arrive.")
        self.assertEqual(state[5], self.token, "the link's key is left as it was")

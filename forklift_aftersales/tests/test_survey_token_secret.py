import json
import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import call_kw, portal_post
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

    def _token_reads(self, survey):
        """(method, args, kwargs) of each RPC a reader of ``survey`` would
        call to get its token."""
        domain = [("id", "=", survey.id)]
        return [
            ("read", [survey.ids, ["access_token"]], {}),
            ("search_read", [domain, ["access_token"]], {}),
            ("web_read", [survey.ids], {"specification": {"access_token": {}}}),
            (
                "web_search_read",
                [],
                {"domain": domain, "specification": {"access_token": {}}},
            ),
            ("export_data", [survey.ids, ["access_token"]], {}),
            (
                "formatted_read_group",
                [],
                {"domain": domain, "groupby": ["access_token"]},
            ),
            ("search", [[("access_token", "=", self.token)]], {}),
            ("search_count", [[("access_token", "=like", self.token[:4] + "%")]], {}),
            ("get_portal_url", [survey.ids], {}),
        ]

    @mute_logger("odoo.http", "odoo.models")
    def test_staff_do_not_read_the_token_by_rpc(self):
        """R-037, R-120: whoever reads surveys in the back end, down to a
        mere viewer, is refused the token by every RPC that names it; a read
        of all fields leaves it out, and the form does not list it."""
        readers = (self.viewer, self.staff, self.followup_user, self.director)
        for user in readers:
            self.assertTrue(self.survey.with_user(user).has_access("read"))
            self.authenticate(user.login, user.login)
            for method, args, kwargs in self._token_reads(self.survey):
                with self.subTest(user=user.login, method=method):
                    answer = call_kw(self, SURVEY, method, args, kwargs)
                    self.assertNotIn("result", answer)
                    self.assertIn("error", answer)
                    self.assertNotIn(self.token, json.dumps(answer["error"]))
            with self.subTest(user=user.login, method="read all"):
                answer = call_kw(self, SURVEY, "read", [self.survey.ids])
                self.assertNotIn("access_token", answer["result"][0])
                fields = call_kw(self, SURVEY, "fields_get", [])["result"]
                self.assertNotIn("access_token", fields)
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
            with self.subTest(user=user.login, helper="share"):
                answer = call_kw(
                    self,
                    "portal.share",
                    "default_get",
                    [["share_link", "res_model", "res_id"]],
                    {"context": {"active_model": SURVEY, "active_id": self.survey.id}},
                )
                self.assertNotIn(self.token, json.dumps(answer))
            with self.subTest(user=user.login, helper="composer"):
                template = self.env.ref(
                    "forklift_aftersales.mail_template_satisfaction_survey"
                )
                answer = call_kw(
                    self,
                    "mail.compose.message",
                    "web_save",
                    [
                        [],
                        {
                            "composition_mode": "comment",
                            "model": SURVEY,
                            "res_ids": str(self.survey.ids),
                            "template_id": template.id,
                        },
                    ],
                    {"specification": {"body": {}, "subject": {}}},
                )
                self.assertNotIn(self.token, json.dumps(answer))

    def test_staff_mail_the_link_and_the_customer_answers_logged_out(self):
        """R-037, R-120: the service center mails the survey (the template
        renders the link as the server does) and the customer answers from
        the link, logged out: stored as answered by the link."""
        survey = self._closed_case(title="Mailed by staff").survey_ids
        survey.with_user(self.followup_user).action_send()
        mail = survey.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertTrue(mail)
        link = re.search(r'href="[^"]*(/forklift/satisfaction/[^"]+)"', mail[0].body)
        path = link.group(1).replace("&amp;", "&")
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

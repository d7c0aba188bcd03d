"""What a dealer learns of his own sheets and service orders by searching and
grouping them over RPC, and what Odoo's mail routes answer on a sheet he may
not read (R-055, R-063; README "What no user can do").

A dealer reads his sheets as the portal pages show them: the staff's
reminders on them (the activities, e.g. "Response commitment missed"), the
questions asked to R&D and the deadlines the service center is measured
against stay internal. Odoo refuses a field the user may not read when it
turns a stored field into SQL, but a field computed with a search method is
replaced by the domain its method returns (``activity_state`` runs raw SQL on
the activities), so the search has to be refused before."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, assert_staff_forms_refused, json_rpc, rpc_error

# the documents a dealer reads that carry the staff's activities
ACTIVITY_MODELS = (
    "forklift.feedback",
    "forklift.service.order",
    "forklift.oldpart.return",
)
RECIPIENT_ROUTES = (
    "/mail/thread/recipients",
    "/mail/thread/recipients/get_suggested_recipients",
)


@tagged("post_install", "-at_install")
class TestPortalInternalSearches(HttpCase, ForkliftCommon):
    """Dealer A's portal login on his own sheet and service order, dealer B's
    and a salesman (an internal user without the after-sales rights) on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a, cls.portal_b = cls._dealer_logins("pis")
        cls.salesman = cls._user(
            "pis_sales", "sales_team.group_sale_salesman", password="pis_sales"
        )
        cls.case = cls._verified_case(route="dealer")
        cls.order = cls._done_order(cls.case, performer="dealer")
        yesterday = fields.Date.today() - timedelta(days=1)
        for record in (cls.case, cls.order):
            record.with_user(cls.staff).activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=yesterday,
                summary="Response commitment missed",
                user_id=cls.staff.id,
            )
        cls.question = (
            cls.env["forklift.technical.question"]
            .with_user(cls.staff)
            .create({"feedback_id": cls.case.id, "question": "Which seal kit fits?"})
        )

    def _activity_fields(self, model):
        """The fields ``mail.activity.mixin`` (and the modules extending it)
        add to ``model``: the staff's reminders."""
        mixin = self.env["mail.activity.mixin"]._fields
        return [
            name
            for name in self.env[model]._fields
            if name in mixin and "activity" in name
        ]

    def _assert_refused(self, model, domain=None, groupby=None):
        """The search of ``domain``, or the grouping by ``groupby``, of
        ``model`` as dealer A: refused."""
        records = self.env[model].with_user(self.portal_a)
        with self.assertRaises(AccessError):
            if groupby:
                records.formatted_read_group([], [groupby], ["__count"])
            else:
                records.search_read(domain, ["name"])

    # tests

    @mute_logger("odoo.http")
    def test_dealer_learns_nothing_of_the_reminders_on_his_sheets(self):
        """R-055, R-063: the staff's reminders on a dealer's sheet and service
        order (activity, type, icon, deadline, summary, person) are neither
        read, nor searched, nor grouped by over RPC; the staff find them."""
        staff_found = (
            self.env["forklift.feedback"]
            .with_user(self.staff)
            .search([("activity_state", "in", ["today", "overdue"])])
        )
        self.assertIn(self.case, staff_found)
        staff_orders = self.env["forklift.service.order"].with_user(self.staff)
        self.assertIn(
            self.order,
            staff_orders.search(
                [("feedback_id.activity_state", "in", ["today", "overdue"])]
            ),
        )
        self.assertTrue(
            staff_orders.formatted_read_group([], ["activity_state"], ["__count"])
        )
        # the attack as found: his sheets with the staff's reminder icon, by
        # RPC, and through the sheet of his service orders
        reminded = [("activity_state", "in", ["today", "overdue"])]
        self.authenticate(self.portal_a.login, self.portal_a.login)
        error = rpc_error(
            self,
            "forklift.feedback",
            "search_read",
            [reminded, ["name", "activity_type_icon"]],
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self._assert_refused("forklift.feedback", reminded)
        self._assert_refused(
            "forklift.service.order",
            [("feedback_id.activity_state", "in", ["today", "overdue"])],
        )
        for model in ACTIVITY_MODELS:
            names = self._activity_fields(model)
            self.assertIn("activity_type_icon", names)
            told = self.env[model].with_user(self.portal_a).fields_get()
            for name in names:
                with self.subTest(model=model, field=name):
                    self.assertNotIn(name, told)
                    self._assert_refused(model, [(name, "!=", False)])
                    self._assert_refused(model, [(name, "=", False)])
                    self._assert_refused(model, groupby=name)
        for record in (self.case, self.order):
            mine = record.with_user(self.portal_a)
            self.assertTrue(mine.read(["name"]))
            for name in self._activity_fields(record._name):
                with self.subTest(record=record._name, field=name):
                    with self.assertRaises(AccessError):
                        mine.read([name])

    @mute_logger("odoo.http")
    def test_dealer_is_refused_the_staff_forms_of_his_documents(self):
        """R-055, R-229: the forms of the feedback sheet and of the old-part
        return are the staff's (restricted to internal users on their root).
        A dealer asking for them over RPC, as the web client would, is refused
        with an access error instead of a server error (Odoo cannot remove a
        restricted root from its parent); his sheets and returns are on his
        portal pages, and the other views are served as before."""
        self.authenticate(self.portal_a.login, self.portal_a.login)
        for model in ("forklift.feedback", "forklift.oldpart.return"):
            with self.subTest(model=model):
                error = rpc_error(
                    self, model, "get_views", [], {"views": [[False, "form"]]}
                )
                self.assertEqual(error, "odoo.exceptions.AccessError")
        assert_staff_forms_refused(
            self, self.portal_a, ("forklift.feedback", "forklift.oldpart.return")
        )
        staff_form = self.env["forklift.feedback"].with_user(self.staff).get_view()
        self.assertTrue(staff_form["arch"].startswith("<form"))

    def test_dealer_learns_nothing_of_the_questions_to_rnd(self):
        """R-055, R-074: whether a dealer's sheet has a question to R&D, and
        its id, stay internal: not read, searched or grouped by."""
        case = self.case.with_user(self.portal_a)
        for name in ("technical_question_ids", "technical_question_open_count"):
            with self.subTest(field=name):
                self.assertNotIn(name, case.fields_get())
                with self.assertRaises(AccessError):
                    case.read([name])
        for domain in (
            [("technical_question_ids", "!=", False)],
            [("technical_question_ids", "in", self.question.ids)],
            [("technical_question_ids.question", "ilike", "seal")],
            [("technical_question_open_count", ">", 0)],
        ):
            with self.subTest(domain=domain):
                self._assert_refused("forklift.feedback", domain)
        self._assert_refused("forklift.feedback", groupby="technical_question_ids")

    @mute_logger("odoo.http")
    def test_mail_recipient_routes_find_no_sheet_the_user_does_not_read(self):
        """R-055: Odoo's routes suggesting the recipients of a message answer
        "not found" to a user who may not read the sheet (another dealer, an
        internal user without the after-sales rights) or for a sheet that does
        not exist, as its other mail routes do, not a server error; the staff
        get the suggestions."""
        for login in ("pis_dealer_b", "pis_sales"):
            self.authenticate(login, login)
            for route in RECIPIENT_ROUTES:
                for model, res_id in (
                    ("forklift.feedback", self.case.id),
                    ("forklift.service.order", self.order.id),
                    ("forklift.feedback", 999999),
                ):
                    with self.subTest(user=login, route=route, model=model, id=res_id):
                        answer = json_rpc(
                            self,
                            route,
                            {"thread_model": model, "thread_id": res_id},
                        )
                        self.assertIn("error", answer, answer)
                        self.assertEqual(answer["error"]["code"], 404, answer)
        self.staff.password = "pis_staff"
        self.authenticate(self.staff.login, "pis_staff")
        for route in RECIPIENT_ROUTES:
            with self.subTest(route=route):
                answer = json_rpc(
                    self,
                    route,
                    {"thread_model": self.case._name, "thread_id": self.case.id},
                )
                self.assertNotIn("error", answer, answer)
                self.assertIsInstance(answer["result"], list)

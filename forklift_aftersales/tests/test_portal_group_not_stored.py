"""Grouping a dealer's sheets by a field that is not stored, over JSON-RPC as
the web client sends it (R-055, R-063; README "What no user can do").

``is_sla_overdue`` ("Response Overdue") is computed when read and searched
through its search method: Odoo cannot group by it and failed with a server
error (a ValueError, HTTP 500 in the log). The dealer and the staff are told
in a sentence instead; filtering by it still works."""

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, call_kw

FLAG = "is_sla_overdue"
# each way the web client (or a script) groups or totals the sheets by it
GROUPINGS = (
    ("web_read_group", [[], [FLAG]], {"aggregates": ["__count"]}),
    ("formatted_read_group", [[], [FLAG], ["__count"]], {}),
    ("formatted_read_grouping_sets", [[], [[FLAG]], ["__count"]], {}),
    ("formatted_read_group", [[], ["state"], [f"{FLAG}:bool_or"]], {}),
)


@tagged("post_install", "-at_install")
class TestPortalGroupNotStored(HttpCase, ForkliftCommon):
    """Dealer A's portal login and a service center user on dealer A's sheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a, __ = cls._dealer_logins("pgn")
        cls.case = cls._verified_case(route="dealer")
        cls.case_only = [("id", "=", cls.case.id)]
        cls.staff.password = "pgn_staff"

    @mute_logger("odoo.http")
    def test_grouping_by_a_flag_not_stored_is_refused_in_a_sentence(self):
        """R-055, R-063: a dealer (and the staff alike) grouping or totalling
        the sheets by "Response Overdue" over RPC is told it cannot be
        grouped, not given a server error; both still filter by it."""
        for login, password in (
            (self.portal_a.login, self.portal_a.login),
            (self.staff.login, "pgn_staff"),
        ):
            self.authenticate(login, password)
            for method, args, kwargs in GROUPINGS:
                with self.subTest(user=login, call=method, args=args):
                    answer = call_kw(self, "forklift.feedback", method, args, kwargs)
                    self.assertIn("error", answer, answer)
                    error = answer["error"]["data"]
                    self.assertEqual(error["name"], "odoo.exceptions.UserError")
                    self.assertIn("Response Overdue", error["message"])
            either = ["|", (FLAG, "=", True), (FLAG, "=", False)]
            answer = call_kw(
                self, "forklift.feedback", "search_count", [[*either, *self.case_only]]
            )
            self.assertEqual(answer.get("result"), 1, answer)

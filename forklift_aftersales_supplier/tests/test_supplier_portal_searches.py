"""What a supplier learns of its own service contact letters and quality
claims by searching and grouping them over RPC (R-003, R-018, R-056; README
"What no user can do").

The supplier reads its letters and claims as its portal pages show them: the
staff's reminders on them (the activities) and the internal fields that are
not stored stay with the staff, as on a dealer's sheets
(``TestPortalInternalSearches``)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.forklift_aftersales.tests.common import (
    assert_staff_forms_refused,
    call_kw,
)

from .common import SupplierCommon

REMINDED = ("overdue", "today", "planned")
# the documents of the staff each one links to, with their own reminders
LINKS = {
    "forklift.supplier.letter": ("feedback_id", "service_order_id"),
    "forklift.quality.claim": ("feedback_ids",),
}


@tagged("post_install", "-at_install")
class TestSupplierPortalSearches(HttpCase, SupplierCommon):
    """Supplier A's portal login on its sent letter and its claim, each with a
    reminder of the staff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-02 01:00:00"):
            cls.letter = cls._letter(cls._supplier_case(cls.supplier_a))
        cls.claim = cls._draft_pump_claim()
        cls.claim.with_user(cls.qa).action_claim()
        yesterday = fields.Date.today() - timedelta(days=1)
        for record, user in ((cls.letter, cls.staff), (cls.claim, cls.qa)):
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=yesterday,
                summary="Supplier late, call the manager",
                user_id=user.id,
            )
        cls.documents = (cls.letter, cls.claim)

    def _internal_unstored(self, record):
        """The fields of ``record`` that are not stored and that its supplier
        may not read: the reminders among them."""
        mine = record.with_user(self.portal_a)
        return [
            name
            for name, field in record._fields.items()
            if not field.store and not mine._has_field_access(field, "read")
        ]

    def _domains(self, record):
        """The searches that would tell the supplier which of its ``record``'s
        kind carry a reminder of the staff, directly or through a path."""
        domains = [
            [("activity_state", "in", REMINDED)],
            [("activity_user_id", "!=", False)],
            [("activity_date_deadline", "<", fields.Date.today())],
        ]
        for link in LINKS[record._name]:
            domains.append([(f"{link}.activity_state", "in", REMINDED)])
        for name in self._internal_unstored(record):
            domains += [[(name, "!=", False)], [(name, "=", False)]]
        return domains

    # tests

    def test_supplier_learns_nothing_of_the_reminders_on_its_letters(self):
        """R-003, R-018, R-056: the staff's reminders on a supplier's letter
        and claim, and their internal fields that are not stored, are neither
        searched, counted nor grouped by through the ORM; the staff find them
        and the supplier still finds its own letter and claim."""
        for record, user in ((self.letter, self.staff), (self.claim, self.qa)):
            staff = self.env[record._name].with_user(user)
            self.assertIn(record, staff.search([("activity_state", "=", "overdue")]))
            self.assertTrue(staff.formatted_read_group([], ["activity_state"]))
        for record in self.documents:
            model = self.env[record._name].with_user(self.portal_a)
            self.assertEqual(model.search([]), record)
            self.assertIn("activity_state", self._internal_unstored(record))
            for domain in self._domains(record):
                for method in ("search", "search_count"):
                    with self.subTest(model=record._name, domain=domain, call=method):
                        with self.assertRaises(AccessError):
                            getattr(model, method)(domain)
            for name in self._internal_unstored(record):
                with self.subTest(model=record._name, groupby=name):
                    for method, args in (
                        ("formatted_read_group", ([], [name], ["__count"])),
                        ("web_read_group", ([], [name], ["__count"])),
                        ("formatted_read_grouping_sets", ([], [[name]])),
                    ):
                        with self.assertRaises(AccessError):
                            getattr(model, method)(*args)

    @mute_logger("odoo.http")
    def test_supplier_rpc_is_refused_by_reminders(self):
        """R-056: the attack as the web client sends it, over JSON-RPC: the
        supplier's letters and claims counted and grouped by the staff's
        reminder, refused with an access error."""
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        for record in self.documents:
            for method, args, kwargs in (
                ("search_count", [[("activity_state", "=", "overdue")]], {}),
                ("search_read", [[("activity_user_id", "!=", False)], ["name"]], {}),
                (
                    "web_read_group",
                    [[], ["activity_state"]],
                    {"aggregates": ["__count"]},
                ),
                ("formatted_read_group", [[], ["activity_user_id"], ["__count"]], {}),
            ):
                with self.subTest(model=record._name, call=method):
                    answer = call_kw(self, record._name, method, args, kwargs)
                    self.assertIn("error", answer, answer)
                    self.assertEqual(
                        answer["error"]["data"]["name"], "odoo.exceptions.AccessError"
                    )

    def test_portal_users_are_refused_the_staff_forms(self):
        """R-055, R-056: the staff's forms of the quality claim, of the
        feedback sheet and of the old-part return (restricted to internal
        users on their root) are refused to the supplier and to a dealer
        asking for them over RPC, with an access error instead of a server
        error; the other views are served to them as before, and the QA staff
        still get the claim's form."""
        dealer, _other = self._dealer_logins("sps")
        models = (
            "forklift.quality.claim",
            "forklift.feedback",
            "forklift.oldpart.return",
        )
        for user in (self.portal_a, dealer):
            assert_staff_forms_refused(self, user, models)
        form = self.env["forklift.quality.claim"].with_user(self.qa).get_view()
        self.assertTrue(form["arch"].startswith("<form"))

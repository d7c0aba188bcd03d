from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestCompanyTimeZoneGuard(ForkliftCommon):
    """R-288, R-044: the company's time zone (its address's) is the one the
    server records each step's day in (a claim made, old parts received, an
    acceptance signed) and ends the deadlines counted in days with (R-103,
    R-166, R-167): a user who may edit contacts moves no day of the
    procedure by giving the company's address another time zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner = cls.env.company.partner_id
        cls.company_partner.tz = "Asia/Shanghai"
        cls.contact_editors = (
            cls._group_user(
                "conf_director_pm", "group_forklift_director,base.group_partner_manager"
            ),
            cls._group_user(
                "conf_warehouse_pm",
                "group_forklift_warehouse,base.group_partner_manager",
            ),
            cls._group_user(
                "conf_sales_pm", "base.group_user,base.group_partner_manager"
            ),
        )

    def test_only_an_administrator_moves_the_companys_time_zone(self):
        # 20:00 on 10 March in Shanghai: already the 11th in Kiritimati, still
        # the 10th in UTC or at UTC-12
        with freeze_time("2026-03-10 12:00:00"):
            self.assertEqual(self.env.company._forklift_today(), date(2026, 3, 10))
            for user in self.contact_editors:
                partner = self.company_partner.with_user(user)
                self._assert_attacks_refused(
                    {
                        "write": lambda p=partner: p.write(
                            {"tz": "Pacific/Kiritimati"}
                        ),
                        "write with others": lambda p=partner: p.write(
                            {"tz": "Etc/GMT+12", "phone": "+86 571 0000"}
                        ),
                        "cleared": lambda p=partner: p.write({"tz": False}),
                    },
                    message="time zone",
                    user=user.login,
                )
                result = (
                    self.env["res.partner"]
                    .with_user(user)
                    .load(["id", "tz"], [["base.main_partner", "Etc/GMT+12"]])
                )
                self.assertFalse(result["ids"], user.login)
                self.assertEqual(self.company_partner.tz, "Asia/Shanghai")
                self.assertEqual(self.env.company._forklift_today(), date(2026, 3, 10))
                # the rest of the company's contact stays theirs, and so does
                # a time zone written unchanged
                partner.write({"phone": "+86 571 8888 0000", "tz": "Asia/Shanghai"})
                other = self.customer.with_user(user)
                other.tz = "Asia/Tokyo"
                self.assertEqual(other.tz, "Asia/Tokyo")
        admin = self.env.ref("base.user_admin")
        self.company_partner.with_user(admin).tz = "Asia/Hong_Kong"
        self.assertEqual(self.company_partner.tz, "Asia/Hong_Kong")

    def test_a_company_created_later_keeps_its_time_zone(self):
        """The companies whose address is guarded are read from the
        registry's cache: a company created after it was filled is guarded
        as well, for a user who edits the contacts of both companies."""
        self.env["res.company"]._forklift_all_company_ids()
        later = self.env["res.company"].create({"name": "Forklift Later"})
        later.partner_id.tz = "Asia/Shanghai"
        editor = self._group_user(
            "conf_director_both",
            "group_forklift_director,base.group_partner_manager",
            company_ids=[Command.set((self.env.company | later).ids)],
        )
        partner = later.partner_id.with_user(editor).with_context(
            allowed_company_ids=[self.env.company.id, later.id]
        )
        self._assert_attacks_refused(
            {"write": lambda: partner.write({"tz": "Pacific/Kiritimati"})},
            message="time zone",
        )
        self.assertEqual(later.partner_id.tz, "Asia/Shanghai")
        partner.write({"phone": "+86 20 8888 0000"})


@tagged("post_install", "-at_install")
class TestSupplyCommitmentKept(ForkliftCommon):
    """R-025, R-178: the parts-supply time a customer's letter promised holds
    for the requests made while it was signed: cancelling the letter (or
    another letter for the forklift) gives the requests to come the general
    times, and does not make a request already late, or overdue, on time."""

    def test_a_cancelled_letter_does_not_move_the_supply_of_past_requests(self):
        # the customer's letter promises common parts within 24 h
        letter = self.env["forklift.service.commitment"].create(
            {
                "partner_id": self.customer.id,
                "dealer_id": self.dealer_a.id,
                "parts_common_hours": 24,
            }
        )
        with freeze_time("2026-01-05 09:00:00"):
            letter.with_user(self.director).action_sign()
        self.assertEqual(self.unit.commitment_id, letter)
        with freeze_time("2026-03-02 09:00:00"):
            request = self.env["forklift.parts.request"].create(
                self._parts_request_vals(self._verified_case())
            )
        promised = datetime(2026, 3, 3, 9, 0)
        self.assertEqual(request.supply_deadline, promised)
        with freeze_time("2026-03-03 12:00:00"):
            self.assertTrue(request.is_supply_overdue)
            letter.with_user(self.director).action_cancel()
            self.assertFalse(self.unit.commitment_id)
            request.invalidate_recordset()
            self.assertEqual(request.supply_deadline, promised)
            self.assertTrue(request.is_supply_overdue)
            self.assertIn(
                request,
                request.search([("is_supply_overdue", "=", True)]),
            )
        # a request made afterwards has the general 48 h
        with freeze_time("2026-03-05 09:00:00"):
            later = self.env["forklift.parts.request"].create(
                self._parts_request_vals(self._verified_case())
            )
        self.assertEqual(later.supply_deadline, datetime(2026, 3, 7, 9, 0))

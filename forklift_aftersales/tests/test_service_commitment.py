from datetime import date, datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestServiceCommitment(ForkliftCommon):
    """R-025 (000 第四篇 §1–8, L331–333): a customer's service commitment
    letter sets the warranty, the response times and the parts supply of its
    forklifts, in place of the defaults (1 year or 1500 h, R-211)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.letter = (
            cls.env["forklift.service.commitment"]
            .with_user(cls.director)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "dealer_id": cls.dealer_a.id,
                    "tender_ref": "Harbour crane-yard tender 2026-07",
                    "warranty_months": 24,
                    "warranty_hours": 3000,
                    "parts_common_hours": 24,
                    "parts_urgent_hours": 12,
                    "sla_policy_ids": [
                        Command.create(
                            {
                                "name": "Tender: any fault in warranty",
                                "warranty_state": "in",
                                "answer_hours": 1,
                                "onsite_hours": 2,
                            }
                        )
                    ],
                }
            )
        )

    def _sign(self):
        with freeze_time("2026-01-05 09:00:00"):
            self.letter.with_user(self.director).action_sign()
        self.assertEqual(self.letter.signed_date, date(2026, 1, 5))

    def test_signed_letter_sets_the_warranty_of_the_customers_forklifts(self):
        self.assertEqual(
            (self.unit.warranty_months, self.unit.warranty_hours), (12, 1500)
        )
        self._sign()
        self.assertEqual(self.letter.state, "active")
        self.assertEqual(self.unit.commitment_id, self.letter)
        self.assertEqual(
            (self.unit.warranty_months, self.unit.warranty_hours), (24, 3000)
        )
        self.assertEqual(self.unit.warranty_end_date, date(2028, 1, 9))
        self.assertIn(self.unit, self.letter.unit_ids)
        # another customer's forklift keeps 1 year / 1500 h
        self.assertFalse(self.unit_b.commitment_id)
        self.assertEqual(
            (self.unit_b.warranty_months, self.unit_b.warranty_hours), (12, 1500)
        )
        self.assertEqual(self.unit_b.warranty_end_date, date(2027, 1, 9))
        # a forklift the service center registers later for the customer
        # (not allowed to set warranty terms) gets the letter's terms
        later = (
            self.env["forklift.unit"]
            .with_user(self.staff)
            .create(
                {
                    "name": "SN-A-0002",
                    "product_id": self.forklift_product.id,
                    "partner_id": self.customer.id,
                    "acceptance_date": date(2026, 6, 1),
                    "delivery_date": date(2026, 6, 1),
                }
            )
        )
        self.assertEqual(later.commitment_id, self.letter)
        self.assertEqual(later.warranty_months, 24)
        # in warranty at 2000 h under the letter, out under the defaults
        self.assertEqual(
            self.unit._get_warranty_status(date(2027, 6, 1), 2000)[0], "in"
        )
        self.assertEqual(
            self.unit_b._get_warranty_status(date(2027, 6, 1), 2000)[0], "out"
        )

    def test_cancelled_letter_gives_back_the_defaults(self):
        self._sign()
        self.letter.with_user(self.director).action_cancel()
        self.assertFalse(self.unit.commitment_id)
        self.assertEqual(
            (self.unit.warranty_months, self.unit.warranty_hours), (12, 1500)
        )

    def test_response_times_of_the_letter_come_first(self):
        self._sign()
        received = datetime(2026, 3, 2, 8, 0)
        case = self._create_case(received_date=received)
        self.assertEqual(case.sla_policy_id, self.letter.sla_policy_ids)
        self.assertEqual(case.answer_deadline, received + timedelta(hours=1))
        self.assertEqual(case.onsite_deadline, received + timedelta(hours=2))
        other = self._create_case(unit=self.unit_b, received_date=received)
        self.assertTrue(other.sla_policy_id)
        self.assertFalse(other.sla_policy_id.commitment_id, "the general commitment")
        # a report made before the letter was signed keeps the general times
        # (of a forklift the customer had by then)
        early = self._create_unit(
            "SN-EARLY", acceptance=date(2025, 12, 1), partner=self.unit.partner_id
        )
        before = self._create_case(unit=early, received_date=datetime(2026, 1, 2, 8, 0))
        self.assertFalse(before.sla_policy_id.commitment_id)
        # the letter's lines are not general commitments
        general = self.env["forklift.sla.policy"]._find_policy(
            "in", "normal", "domestic", self.env.company
        )
        self.assertFalse(general.commitment_id)

    def test_parts_supply_of_the_letter(self):
        self._sign()
        request = self.env["forklift.parts.request"].create(
            self._parts_request_vals(self._verified_case())
        )
        self.assertEqual(
            request.supply_deadline, request.requested_date + timedelta(hours=24)
        )
        request.urgency = "urgent"
        self.assertEqual(
            request.supply_deadline, request.requested_date + timedelta(hours=12)
        )
        other_case = self._verified_case(unit=self.unit_b)
        other = self.env["forklift.parts.request"].create(
            self._parts_request_vals(other_case, 1, "wear")
        )
        self.assertEqual(
            other.supply_deadline, other.requested_date + timedelta(hours=48)
        )

    def test_only_the_director_makes_and_signs_letters(self):
        letters = self.env["forklift.service.commitment"]
        with self.assertRaises(AccessError):
            letters.with_user(self.staff).create({"partner_id": self.customer_b.id})
        with self.assertRaises(AccessError):
            self.letter.with_user(self.staff).action_sign()
        with self.assertRaises(AccessError):
            self.letter.with_user(self.staff).write({"warranty_months": 36})
        with self.assertRaises(AccessError):
            self.letter.with_user(self.director).write({"state": "active"})
        self.assertEqual(self.letter.state, "draft")
        self.assertFalse(self.unit.commitment_id, "a draft letter applies to nothing")

    def test_signed_terms_do_not_change(self):
        self._sign()
        with self.assertRaisesRegex(UserError, "no longer change"):
            self.letter.with_user(self.director).write({"warranty_hours": 5000})
        with self.assertRaisesRegex(UserError, "no longer change"):
            self.letter.sla_policy_ids.with_user(self.director).write(
                {"onsite_hours": 48}
            )
        with self.assertRaisesRegex(UserError, "no longer change"):
            self.env["forklift.sla.policy"].with_user(self.director).create(
                {
                    "name": "Sneaked in",
                    "answer_hours": 8,
                    "commitment_id": self.letter.id,
                }
            )
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            self.letter.with_user(self.director).unlink()
        self.assertEqual(self.unit.warranty_hours, 3000)

    def test_signed_response_times_do_not_change(self):
        """R-025 (000 第四篇 §8): the response times of a signed letter are
        promised terms like the others: the director changes none of them
        over RPC, through the letter's commands nor on the lines themselves,
        and no line is moved into or out of the letter."""
        policies = self.env["forklift.sla.policy"].with_user(self.director)
        general = policies.create({"name": "General: 8 hours", "answer_hours": 8})
        # the allowed path: the lines change while the letter is a draft
        self.letter.with_user(self.director).write(
            {
                "sla_policy_ids": [
                    Command.update(self.letter.sla_policy_ids.id, {"answer_hours": 2}),
                    Command.create({"name": "Tender: emergency", "answer_hours": 1}),
                ]
            }
        )
        self.assertEqual(len(self.letter.sla_policy_ids), 2)
        self._sign()
        lines = self.letter.sla_policy_ids
        names = ["name", "active", "answer_hours", "onsite_hours", "commitment_id"]
        before = lines.read(names)
        letter = self.letter.with_user(self.director)
        line = lines[0]
        for command in (
            Command.create({"name": "Sneaked in", "answer_hours": 8}),
            Command.update(line.id, {"onsite_hours": 48}),
            Command.delete(line.id),
            Command.unlink(line.id),
            Command.link(general.id),
            Command.clear(),
            Command.set(general.ids),
        ):
            with self.subTest(command=command):
                with self.assertRaises(UserError) as refused:
                    letter.write({"sla_policy_ids": [command]})
                self.assertIn("no longer change", str(refused.exception))
        for attack, call in (
            ("write", lambda: line.with_user(self.director).write({"sequence": 1})),
            ("archive", lambda: line.with_user(self.director).action_archive()),
            ("unlink", lambda: line.with_user(self.director).unlink()),
            (
                "move out",
                lambda: line.with_user(self.director).write({"commitment_id": False}),
            ),
            (
                "move in",
                lambda: general.write({"commitment_id": self.letter.id}),
            ),
        ):
            with self.subTest(attack=attack):
                with self.assertRaises(UserError) as refused:
                    call()
                self.assertIn("no longer change", str(refused.exception))
        self.letter.invalidate_recordset()
        self.assertEqual(self.letter.sla_policy_ids, lines)
        self.assertEqual(lines.read(names), before)
        self.assertFalse(general.commitment_id)

    def test_staff_cannot_move_a_forklift_to_another_letter(self):
        self._sign()
        with self.assertRaises(AccessError):
            self.unit.with_user(self.staff).write({"commitment_id": False})
        other = (
            self.env["forklift.service.commitment"]
            .with_user(self.director)
            .create({"partner_id": self.customer_b.id, "warranty_months": 36})
        )
        other.with_user(self.director).action_sign()
        self.assertEqual(self.unit_b.warranty_months, 36)
        with self.assertRaisesRegex(ValidationError, "not of the customer"):
            self.unit.with_user(self.director).write({"commitment_id": other.id})

    def test_everything_the_signed_letter_says_stays_as_signed(self):
        """R-025 (000 第四篇 §1–8), R-174–R-179: the letter is what the company
        and its local dealer signed with the customer: its other commitments,
        its dealer and its tender change while it is a draft, then stay as
        signed, signed or cancelled, for the director too. A change is a new
        letter: cancel this one and sign another."""
        letter = self.letter.with_user(self.director)
        letter.write(
            {
                "text": "<p>Three free maintenances in the warranty.</p>",
                "dealer_id": self.dealer_b.id,
                "tender_ref": "Harbour crane-yard tender 2026-07 (lot 2)",
            }
        )
        self.assertEqual(self.letter.dealer_id, self.dealer_b)
        self._sign()
        forged = {
            "text": "<p>No free maintenance.</p>",
            "dealer_id": self.dealer_a.id,
            "tender_ref": "Another tender",
        }
        self._assert_writes_refused(self.letter, self.director, forged, "no longer")
        self.letter.with_user(self.director).action_cancel()
        self._assert_writes_refused(self.letter, self.director, forged, "no longer")
        self.assertIn("Three free maintenances", self.letter.text)
        # the new terms are a new letter, signed in its turn
        renewed = letter.copy()
        self.assertEqual(renewed.state, "draft")
        self.assertEqual(renewed.dealer_id, self.dealer_b)
        renewed.write({"text": "<p>Four free maintenances.</p>"})
        renewed.action_sign()
        self.assertEqual(self.unit.commitment_id, renewed)

    def _unit_terms(self, unit):
        unit.invalidate_recordset()
        return (
            unit.partner_id,
            unit.commitment_id,
            unit.warranty_months,
            unit.warranty_hours,
        )

    def test_staff_cannot_change_the_letter_by_changing_the_customer(self):
        """R-025, R-211: the letter, so the warranty terms and the response
        times, is the director's to change: staff changing a forklift's
        customer cannot bring another customer's letter onto it nor take its
        letter away; a customer change that keeps both still works."""
        self._sign()
        case = self._create_case(unit=self.unit_b)
        policy, onsite = case.sla_policy_id, case.onsite_deadline
        self.assertTrue(onsite)
        before = self._unit_terms(self.unit_b)
        none = self.env["forklift.service.commitment"]
        self.assertEqual(before[1:], (none, 12, 1500))
        letter_before = self._unit_terms(self.unit)
        self.assertEqual(letter_before[1:], (self.letter, 24, 3000))
        for unit, vals in (
            # onto the customer's letter (24 months / 3000 h)
            (self.unit_b, {"partner_id": self.customer.id}),
            (self.unit_b, {"partner_id": self.customer.id, "commitment_id": False}),
            # off the letter (back to 12 months / 1500 h)
            (self.unit, {"partner_id": self.customer_b.id}),
            (self.unit, {"partner_id": False}),
        ):
            with self.subTest(unit=unit.name, vals=vals):
                terms = self._unit_terms(unit)
                with self.assertRaisesRegex(AccessError, "director changes the warr"):
                    unit.with_user(self.staff).write(vals)
                self.assertEqual(self._unit_terms(unit), terms)
        case.invalidate_recordset()
        self.assertEqual((case.sla_policy_id, case.onsite_deadline), (policy, onsite))
        # a customer change that changes neither the letter nor the terms
        contact = self.env["res.partner"].create(
            {"name": "Yard Office", "parent_id": self.customer.id}
        )
        plain = self.env["res.partner"].create(
            {"name": "Plain Customer", "is_company": True}
        )
        self.unit.with_user(self.staff).write({"partner_id": contact.id})
        self.unit_b.with_user(self.staff).write({"partner_id": plain.id})
        self.assertEqual(self._unit_terms(self.unit), (contact, self.letter, 24, 3000))
        self.assertEqual(
            self._unit_terms(self.unit_b),
            (plain, self.env["forklift.service.commitment"], 12, 1500),
        )

    def test_director_moves_a_forklift_between_customers_letters(self):
        """R-025: the director's customer change brings the new customer's
        letter and takes the old one away, both ways; the letter is checked
        against the customer it ends with."""
        self._sign()
        other = (
            self.env["forklift.service.commitment"]
            .with_user(self.director)
            .create({"partner_id": self.customer_b.id, "warranty_months": 36})
        )
        unit = self.unit.with_user(self.director)
        unit.write({"partner_id": self.customer_b.id})
        none = self.env["forklift.service.commitment"]
        self.assertEqual(self._unit_terms(unit), (self.customer_b, none, 12, 1500))
        unit.write({"partner_id": self.customer.id})
        self.assertEqual(self._unit_terms(unit), (self.customer, self.letter, 24, 3000))
        other.with_user(self.director).action_sign()
        unit.write({"partner_id": self.customer_b.id})
        self.assertEqual(self._unit_terms(unit), (self.customer_b, other, 36, 1500))
        (unit | self.unit_b.with_user(self.director)).write(
            {"partner_id": self.customer.id}
        )
        for each in (self.unit, self.unit_b):
            self.assertEqual(
                self._unit_terms(each), (self.customer, self.letter, 24, 3000)
            )
        with self.assertRaisesRegex(ValidationError, "not of the customer"):
            unit.write(
                {"partner_id": self.customer_b.id, "commitment_id": self.letter.id}
            )


@tagged("post_install", "-at_install")
class TestServiceCommitmentAttacks(ForkliftCommon):
    """R-025 (000 第四篇): what a user may not do to a service commitment
    letter, whoever calls, as over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.letters = cls.env["forklift.service.commitment"]
        cls.letter = cls.letters.with_user(cls.director).create(
            {
                "partner_id": cls.customer.id,
                "dealer_id": cls.dealer_a.id,
                "warranty_months": 24,
                "warranty_hours": 3000,
            }
        )
        cls.dealer_portal, cls.dealer_b_portal = cls._dealer_portal_users(
            ("fa_commit_dealer_a", "Anna"), ("fa_commit_dealer_b", "Boris")
        )
        cls.customer_portal = cls._portal_user("fa_commit_cust", cls.customer)
        cls.customer_b_portal = cls._portal_user("fa_commit_cust_b", cls.customer_b)
        cls.company_b = cls.env["res.company"].create({"name": "Forklift Export Co"})
        cls.customer_other = cls.env["res.partner"].create(
            {
                "name": "Other Company's Customer",
                "is_company": True,
                "company_id": cls.company_b.id,
            }
        )
        cls.letter_b = cls.letters.create(
            {
                "partner_id": cls.customer_other.id,
                "company_id": cls.company_b.id,
                "warranty_months": 18,
            }
        )

    def _sign(self):
        with freeze_time("2026-01-05 09:00:00"):
            self.letter.with_user(self.director).action_sign()

    def test_no_other_user_signs_changes_or_deletes_a_letter(self):
        self._sign()
        before = self._field_values(
            self.letter, ["state", "warranty_hours", "signed_date", "partner_id"]
        )
        for user in (
            self.staff,
            self.technician,
            self.qa,
            self.supervisor,
            self.dealer_portal,
            self.customer_portal,
        ):
            letter = self.letter.with_user(user)
            attacks = {
                "sign": letter.action_sign,
                "cancel": letter.action_cancel,
                "hours": lambda letter=letter: letter.write({"warranty_hours": 9000}),
                "date": lambda letter=letter: letter.write(
                    {"signed_date": "2020-01-01"}
                ),
                "customer": lambda letter=letter: letter.write(
                    {"partner_id": self.customer_b.id}
                ),
                "unlink": letter.unlink,
                "create": lambda user=user: self.letters.with_user(user).create(
                    {"partner_id": self.customer_b.id}
                ),
            }
            for name, attack in attacks.items():
                with (
                    self.subTest(user=user.login, attack=name),
                    self.assertRaises(UserError),
                    self.cr.savepoint(),
                ):
                    attack()
                    self.letter.flush_model()
        self.assertEqual(
            self._field_values(
                self.letter, ["state", "warranty_hours", "signed_date", "partner_id"]
            ),
            before,
        )

    def test_director_neither_backdates_nor_deletes_a_signed_letter(self):
        self._sign()
        director = self.letter.with_user(self.director)
        for vals in (
            {"signed_date": "2020-01-01"},
            {"signed_by_id": self.staff.id},
            {"state": "draft"},
            {"partner_id": self.customer_b.id},
            {"company_id": self.company_b.id},
            {"warranty_months": 120},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaises(UserError),
                self.cr.savepoint(),
            ):
                director.write(vals)
        with self.assertRaises(UserError):
            director.action_sign()
        director.action_cancel()
        with self.assertRaises(UserError):
            director.unlink()
        self.assertEqual(self.letter.signed_date, date(2026, 1, 5))

    def test_portal_reads_no_letter(self):
        self._sign()
        for user in (self.customer_portal, self.customer_b_portal, self.dealer_portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.letter.with_user(user).read(["warranty_hours"])
            with self.subTest(user=user.login, search=True):
                with self.assertRaises(AccessError):
                    self.letters.with_user(user).search_read([], ["partner_id"])

    def test_no_letter_across_companies(self):
        with self.assertRaises(AccessError):
            self.letter_b.with_user(self.director).read(["warranty_months"])
        self.assertFalse(
            self.letters.with_user(self.director).search([]) & self.letter_b
        )
        for vals in (
            {"partner_id": self.customer_other.id},
            {"partner_id": self.customer.id, "company_id": self.company_b.id},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaises(UserError),
                self.cr.savepoint(),
            ):
                self.letters.with_user(self.director).create(vals)
        with self.assertRaises(UserError):
            self.letter.with_user(self.director).write(
                {"partner_id": self.customer_other.id}
            )
        with self.assertRaises(AccessError):
            self.letter_b.with_user(self.director).action_sign()
        self.assertEqual(self.letter_b.state, "draft")

    def test_bad_terms_are_refused(self):
        """No negative term, nor a promised parts stock below zero, nor a
        warranty beyond any forklift's life (which the forklifts' warranty
        end could not even be computed from)."""
        director = self.letter.with_user(self.director)
        for vals in (
            {"warranty_months": -1},
            {"warranty_hours": -5},
            {"parts_common_hours": -1},
            {"parts_urgent_hours": -1},
            {"parts_stock_value": -1000},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaises(IntegrityError),
                mute_logger("odoo.sql_db"),
                self.cr.savepoint(),
            ):
                director.write(vals)
                director.flush_recordset()
        with self.assertRaises(UserError):
            director.write({"warranty_hours": float("nan")})
        with (
            self.assertRaisesRegex(ValidationError, "at most 1200 months"),
            self.cr.savepoint(),
        ):
            director.write({"warranty_months": 100000})
        self.assertEqual(self.letter.warranty_months, 24)
        self.assertEqual(self.letter.parts_stock_value, 0)

    def test_the_dealer_signing_is_a_dealer(self):
        """The letter is signed by the maker and its local dealer: a customer
        or any other partner is not taken for the dealer."""
        with (
            self.assertRaisesRegex(ValidationError, "not a forklift dealer"),
            self.cr.savepoint(),
        ):
            self.letter.with_user(self.director).write(
                {"dealer_id": self.customer_b.id}
            )
        with (
            self.assertRaisesRegex(ValidationError, "not a forklift dealer"),
            self.cr.savepoint(),
        ):
            self.letters.with_user(self.director).create(
                {"partner_id": self.customer_b.id, "dealer_id": self.customer.id}
            )
        self.assertEqual(self.letter.dealer_id, self.dealer_a)

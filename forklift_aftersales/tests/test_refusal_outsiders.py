"""A refusal tells no outsider of a record he may not read (R-047, R-055,
README "What no user can do"): the checks a write makes before Odoo's own
read the records it names as superuser and name them in their refusal (a
forklift's serial, a question's, a setup line's or an order's number). A
user who may not read them (another company's, an employee outside
after-sales, a salesman who sees his own orders only) is refused first by
Odoo's access rights, told nothing of them, and nothing changes."""

from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestRefusalOutsiders(ForkliftCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Outsiders Branch B"})

    def test_staff_learn_no_forklift_of_another_company_from_a_sheet(self):
        """R-047, R-055: after-sales staff of company A writing on a sheet
        of theirs the forklift of company B (its id, as an RPC ``write`` or
        ``create`` sends it) are refused by Odoo's access rights before the
        market, customer, delivery and company checks name its serial;
        the sheet keeps its forklift and no sheet is filed on it."""
        units = (
            self._company_unit("SN-OUT-EXPORT", self.company_b, market="export"),
            self._company_unit("SN-OUT-SAME", self.company_b),
            self._company_unit(
                "SN-OUT-OTHER", self.company_b, partner_id=self.customer_b.id
            ),
            # delivered after the sheet's report came in
            self._company_unit(
                "SN-OUT-LATE",
                self.company_b,
                delivery_date=date.today(),
                acceptance_date=date.today(),
            ),
        )
        # a report of two days ago, which staff may still date
        received = fields.Datetime.now() - timedelta(days=2)
        case = self._create_case(received_date=received)
        sheets = self.env["forklift.feedback"].with_user(self.staff)
        for unit in units:
            for way, attack in (
                (
                    "write",
                    lambda u=unit: case.with_user(self.staff).write({"unit_id": u.id}),
                ),
                (
                    "create",
                    lambda u=unit: sheets.create(
                        {
                            "unit_id": u.id,
                            "title": "Mast drops under load",
                            "description": "<p>Forks sink under load.</p>",
                            "received_date": received,
                        }
                    ),
                ),
            ):
                with self.subTest(unit=unit.name, way=way):
                    self._assert_told_nothing(attack, [unit.name])
        self.assertEqual(case.unit_id, self.unit)
        self.assertFalse(
            self.env["forklift.feedback"].search(
                [("unit_id", "in", [unit.id for unit in units])]
            )
        )

    def test_rnd_of_another_company_learns_no_question(self):
        """R-074, R-270, R-047: R&D of another company, whose department
        holds the technical answers of every company, answering a question
        of company A (its answer written or sent) is refused by Odoo's
        access rights before the question's state, read as superuser, is
        named; the answer stays as given."""
        rnd = self._user("out_rnd", "group_forklift_rnd")
        __, rnd_b = self._new_company_user(
            "Outsiders R&D elsewhere", "out_rnd_b", "group_forklift_rnd"
        )
        questions = self.env["forklift.technical.question"].with_user(self.staff)
        case = self._verified_case()
        answered = questions.create({"feedback_id": case.id, "question": "Which kit?"})
        answered.with_user(rnd).write({"answer": "<p>Kit LC-2025-B.</p>"})
        answered.with_user(rnd).action_answer()
        cancelled = questions.create({"feedback_id": case.id, "question": "Which oil?"})
        cancelled.action_cancel()
        for question in (answered, cancelled):
            mine = question.with_user(rnd_b)
            for way, attack in (
                ("write", lambda q=mine: q.write({"answer": "<p>Any kit.</p>"})),
                ("answer", lambda q=mine: q.action_answer()),
            ):
                with self.subTest(question=question.state, way=way):
                    self._assert_told_nothing(attack, [question.name])
        self.assertIn("LC-2025-B", answered.answer)
        self.assertEqual(answered.state, "answered")
        self.assertFalse(cancelled.answer)
        self.assertEqual(cancelled.state, "cancel")

    def test_staff_learn_no_sheet_of_another_company_from_the_company_check(self):
        """R-047, R-055: after-sales staff of company B naming company A's
        sheet (its id, as an RPC ``create`` or ``write`` sends it) on a
        follow-up call of theirs are refused by Odoo's access rights, not by
        Odoo's company check, whose refusal names the sheet it found of
        another company; no call is made, theirs keeps its sheet."""
        case = self._verified_case()
        company_b, staff_b = self._new_company_user(
            "Calls Branch B", "fa_calls_staff_b", "group_forklift_user"
        )
        customer = self.env["res.partner"].create(
            {"name": "Branch B Customer", "company_id": company_b.id}
        )
        calls = self.env["forklift.followup.call"].with_user(staff_b)
        own = calls.create({"partner_id": customer.id})
        attacks = {
            "create": lambda: calls.create(
                {"partner_id": customer.id, "feedback_id": case.id}
            ),
            "write": lambda: own.write({"feedback_id": case.id}),
        }
        for way, attack in attacks.items():
            with self.subTest(way=way):
                self._assert_told_nothing(attack, [case.name, case.title])
        self.assertFalse(own.feedback_id)
        self.assertFalse(
            self.env["forklift.followup.call"].search([("feedback_id", "=", case.id)])
        )

    def test_outsiders_learn_no_shared_setup_line(self):
        """R-044, R-047: an employee outside after-sales changing a setup
        line every company shares, and the director of company B sharing a
        line of company A, are refused by Odoo's access rights before the
        line, read as superuser, is named as shared; the lines stay."""
        employee = self._group_user("out_employee", "base.group_user")
        __, director_b = self._new_company_user(
            "Outsiders setup elsewhere", "out_director_b", "group_forklift_director"
        )
        company_a = self.env.company
        shared = {
            "forklift.sla.policy": {"name": "Group-wide 4 h answer", "answer_hours": 4},
            "forklift.document.code": {
                "key": "shared_form",
                "name": "Group-wide form",
                "code": "MC·JL-98-XS",
            },
            "forklift.report.recipient": {
                "name": "Group-wide daily summary",
                "report_type": "daily",
                "market": "domestic",
            },
        }
        for model, vals in shared.items():
            line = self.env[model].create({**vals, "company_id": False})
            own = self.env[model].create(
                {**vals, "name": f"{vals['name']} of A", "company_id": company_a.id}
            )
            for user, record, values in (
                (employee, line, {"name": "Renamed"}),
                (director_b, own, {"company_id": False}),
            ):
                with self.subTest(model=model, user=user.login):
                    self._assert_told_nothing(
                        lambda r=record, u=user, v=values: r.with_user(u).write(v),
                        [record.name, record.display_name],
                    )
            self.assertEqual(line.name, vals["name"])
            self.assertEqual(own.company_id, company_a)

    def test_own_orders_salesman_learns_no_confirmed_order(self):
        """R-104, R-100, R-047: a salesman who sees his own orders only,
        changing what a confirmed order of the after-sales flow bills (its
        invoice address, a new line, a line of his own moved onto it, a
        price) or invoicing it is refused by Odoo's access rights before the
        consent check names the order; the order bills what it did."""
        salesman = self._group_user("out_salesman", "sales_team.group_sale_salesman")
        case = self._worked_paid_case(
            self._create_unit("SN-OUT-PAID", acceptance=date(2024, 1, 10))
        )
        case.with_user(self.staff).action_create_paid_sale()
        order = case.sale_order_id
        self.assertEqual(order.state, "sale")
        self.assertNotEqual(order.user_id, salesman)
        total = order.amount_total
        lines = order.order_line
        own = (
            self.env["sale.order"]
            .with_user(salesman)
            .create(
                {
                    "partner_id": self.customer_b.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.part.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )
        new_line = {"order_id": order.id, "product_id": self.part.id}
        for way, attack in (
            (
                "invoice address",
                lambda: order.with_user(salesman).write(
                    {"partner_invoice_id": self.customer_b.id}
                ),
            ),
            (
                "new line",
                lambda: (
                    self.env["sale.order.line"].with_user(salesman).create(new_line)
                ),
            ),
            (
                "own line moved onto it",
                lambda: own.order_line.with_user(salesman).write(
                    {"order_id": order.id}
                ),
            ),
            ("price", lambda: lines[:1].with_user(salesman).write({"price_unit": 1})),
            (
                "invoice",
                lambda: (
                    self.env["sale.advance.payment.inv"]
                    .with_user(salesman)
                    .with_context(active_model="sale.order", active_ids=order.ids)
                    .create({"advance_payment_method": "delivered"})
                    .create_invoices()
                ),
            ),
        ):
            with self.subTest(way=way):
                self._assert_told_nothing(attack, [order.name])
        order.invalidate_recordset()
        self.assertEqual(order.order_line, lines)
        self.assertEqual(order.amount_total, total)
        self.assertEqual(order.partner_invoice_id, case.partner_id)
        self.assertEqual(own.order_line.order_id, own)
        self.assertEqual(order.invoice_ids, case.invoice_ids)

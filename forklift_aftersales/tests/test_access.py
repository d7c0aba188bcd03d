import base64
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ForkliftCommon

READ_ONLY_GROUPS = [
    "group_forklift_qa",
    "group_forklift_qa_manager",
    "group_forklift_rnd",
    "group_forklift_warehouse",
    "group_forklift_purchasing",
    "group_forklift_aftersales_vp",
    "group_forklift_supply_vp",
    "group_forklift_sales_vp_domestic",
    "group_forklift_committee",
    "group_forklift_leader",
]


@tagged("post_install", "-at_install")
class TestForkliftAccess(ForkliftCommon):
    """What each group may and may not do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._create_case(hour_meter=200)

    def test_departments_read_but_do_not_handle_cases(self):
        """R-049, R-051, R-052, R-058, R-059, R-060 (000 §3): QA, R&D, the
        warehouse, purchasing, the vice presidents, the committee and the
        leaders each have a group of their own that reads the sheets and
        forklifts but does not handle them."""
        for group in READ_ONLY_GROUPS:
            with self.subTest(group=group):
                user = self._group_user(f"ro_{group}", group)
                self._assert_reads_but_does_not_handle(user, self.case)
                with self.assertRaises(AccessError):
                    self.env["forklift.unit"].with_user(user).create(
                        {"name": "SN-RO", "product_id": self.forklift_product.id}
                    )
        self.assertEqual(self.case.severity, "normal")

    def test_staff_handle_cases_but_do_not_configure_or_delete(self):
        """R-044 (000 §3.1–3.2): the service center's staff open and handle the
        sheets but neither delete them nor change the configuration (response
        commitments, fault categories)."""
        case = (
            self.env["forklift.feedback"]
            .with_user(self.staff)
            .create({"unit_id": self.unit.id, "title": "Noise in the drive axle"})
        )
        self.assertEqual(case.state, "draft")
        with self.assertRaises(AccessError):
            case.unlink()
        with self.assertRaises(AccessError):
            self.env.ref("forklift_aftersales.sla_policy_local").with_user(
                self.staff
            ).answer_hours = 48
        with self.assertRaises(AccessError):
            self.env["forklift.fault.category"].with_user(self.staff).create(
                {"name": "Paint"}
            )
        self.assertEqual(
            self.env.ref("forklift_aftersales.sla_policy_local").answer_hours, 4
        )

    def test_director_configures_and_deletes(self):
        """R-044, R-045 (000 §3.1): the service center director configures the
        response commitments and may delete a sheet."""
        policy = self.env.ref("forklift_aftersales.sla_policy_local").with_user(
            self.director
        )
        policy.answer_hours = 3
        self.assertEqual(policy.answer_hours, 3)
        case = self._create_case(title="to delete")
        case.with_user(self.director).unlink()
        self.assertFalse(case.exists())

    def test_internal_user_without_after_sales_group_sees_nothing(self):
        user = self._group_user("plain_user", "base.group_user")
        with self.assertRaises(AccessError):
            self.env["forklift.feedback"].with_user(user).search([])

    def test_portal_reads_no_review_of_a_major_problem(self):
        """R-055, 000 §4.2.2.4: the dealer performing a service order reads it
        by RPC as its portal page shows it, not the major problem reported to
        the director, the director's review of it, the escalation, the
        old-part receipt or the parts' suppliers."""
        dealer, _other = self._dealer_portal_users(
            ("acc_dealer_a", "Zhao (dealer A)"), ("acc_dealer_b", "Sun (dealer B)")
        )
        order = self._done_order(
            self._verified_case(route="dealer"), performer="dealer"
        )
        order._write_flow(
            {
                "major_problem": "Frame cracked near the mast bracket",
                "director_review_note": "Checked with the technician on his return.",
            }
        )
        order = order.with_user(dealer)
        self.assertTrue(order.read(["name", "work_done", "signed_by"]))
        hidden = (
            "major_problem",
            "major_problem_reported_date",
            "needs_director_review",
            "director_review_note",
            "escalation_reason",
            "escalation_level",
            "escalated_by_id",
            "oldpart_picking_id",
        )
        for field in hidden:
            with self.subTest(field=field), self.assertRaises(AccessError):
                order.search_read([("id", "=", order.id)], ["name", field])
        with self.assertRaises(AccessError):
            order.part_ids.read(["supplier_id"])
        self.assertFalse(set(hidden) & set(order.fields_get(attributes=["type"])))

    def test_portal_reads_no_internal_report_in_the_orders_messages(self):
        """R-055, R-129, R-251, 000 §4.2.2.4: what the portal may not read of a
        service order by RPC — the escalation from the field, the major problem
        reported to the director and the leaders, the director's review of
        the report — it does not read in the order's messages either: those
        go to the people named as internal notes, not to its followers, the
        customer on his portal included."""
        customer = self._portal_user("acc_customer", self.customer)
        order = self._service_order(self._verified_case())
        # the customer follows his order: he is mailed what is posted for him
        order.message_subscribe(partner_ids=customer.partner_id.ids)
        order.action_dispatch()
        technician = order.with_user(self.technician)
        technician.write({"escalation_reason": "ESCALATED-SECRET customer misuse"})
        technician.action_escalate()
        technician.write({"major_problem": "MAJOR-SECRET frame cracked"})
        technician.action_report_major_problem()
        self._work_and_register(order, "Li Ming")
        director = order.with_user(self.director)
        director.write({"director_review_note": "REVIEW-SECRET warranty refused"})
        director.action_director_review()
        internal = order.message_ids.filtered(
            lambda m: any(
                text in (m.body or "")
                for text in ("ESCALATED-SECRET", "MAJOR-SECRET", "REVIEW-SECRET")
            )
        )
        seen = (
            self.env["mail.message"]
            .with_user(customer)
            .search_read(
                [("model", "=", order._name), ("res_id", "=", order.id)], ["body"]
            )
        )
        self.assertTrue(seen)
        for text in ("ESCALATED-SECRET", "MAJOR-SECRET", "REVIEW-SECRET"):
            self.assertNotIn(text, str(seen))
            self.assertFalse(
                self.env["mail.mail"]
                .sudo()
                .search(
                    [
                        ("body_html", "ilike", text),
                        ("recipient_ids", "in", customer.partner_id.ids),
                    ]
                )
            )
        # the people named were told, in the order's log
        self.assertEqual(len(internal), 3)
        self.assertTrue(all(m.subtype_id.internal for m in internal))

    def _outsiders(self, prefix, group):
        """Users who may read nothing of this company's after-sales
        documents: dealer B's portal login (the documents are dealer A's
        customer's), an employee of no after-sales group and a user of
        ``group`` working in another company only."""
        __, portal_b = self._dealer_logins(prefix)
        __, elsewhere = self._new_company_user(
            f"{prefix} elsewhere", f"{prefix}_elsewhere", group
        )
        return (
            portal_b,
            self._group_user(f"{prefix}_employee", "base.group_user"),
            elsewhere,
        )

    def test_outsiders_learn_nothing_of_a_sheet_or_order_from_a_refusal(self):
        """R-047, R-055 (README "What no user can do"): the checks a service
        order, a replaced part, a technical question or a response time
        make before they are saved read the sheet, the order or the letter
        they name as superuser and name it with its state in their refusal;
        dealer B's portal login, an employee outside after-sales and staff
        (or the director) of another company are refused first by Odoo's
        access rights, told nothing of them, and nothing is saved."""
        cancelled = self._verified_case()
        cancelled.action_cancel()
        done = self._done_order(self._verified_case())
        letter = self._commitment_letter(
            tender_ref="Harbour tender 2026-09",
            warranty_months=24,
            warranty_hours=3000,
            sla_policy_ids=[Command.create({"name": "Tender", "answer_hours": 1})],
        )
        letter.with_user(self.director).action_sign()
        policy = letter.sla_policy_ids
        parts = done.part_ids
        orders = self.env["forklift.service.order"]
        questions = self.env["forklift.technical.question"]
        order_parts = self.env["forklift.service.order.part"]
        outsiders = self._outsiders("acc_refusal", "group_forklift_user")
        # the director of the other company, who writes its response times
        __, director = self._new_company_user(
            "acc_refusal directed elsewhere",
            "acc_refusal_director",
            "group_forklift_director",
        )
        order_vals = {"feedback_id": cancelled.id, "performer_type": "technician"}
        question_vals = {"feedback_id": cancelled.id, "question": "Why?"}
        part_vals = {"order_id": done.id, "product_id": self.part.id}
        for user in (*outsiders, director):
            for way, attack, name in (
                (
                    "order of a cancelled sheet",
                    lambda u=user: orders.with_user(u).create(order_vals),
                    cancelled.name,
                ),
                (
                    "question on a cancelled sheet",
                    lambda u=user: questions.with_user(u).create(question_vals),
                    cancelled.name,
                ),
                (
                    "part on a done order",
                    lambda u=user: order_parts.with_user(u).create(part_vals),
                    done.name,
                ),
                (
                    "parts of a done order",
                    lambda u=user: done.with_user(u).write({"part_ids": []}),
                    done.name,
                ),
                (
                    "response time of a signed letter",
                    lambda u=user: policy.with_user(u).write({"answer_hours": 5}),
                    letter.name,
                ),
            ):
                with self.subTest(user=user.login, way=way):
                    self._assert_told_nothing(attack, [name])
        self.assertFalse(cancelled.service_order_ids)
        self.assertFalse(cancelled.sudo().technical_question_ids)
        self.assertEqual(done.part_ids, parts)
        self.assertEqual(policy.answer_hours, 1)

    def test_outsiders_learn_nothing_of_a_document_from_its_files(self):
        """R-041, R-047, R-055 (README "What no user can do"): a file stored
        as an after-sales document's signature is checked against the
        document, read as superuser, whose name and state the refusal gives;
        dealer B's portal login, an employee outside after-sales and staff
        of another company, creating such a file or renaming the accepted
        commissioning's signature, are refused first by Odoo's access
        rights and told nothing of the document; the signature stays."""
        accepted = self._create_unit(
            "SN-ACC-FILES", delivery=date(2026, 3, 2)
        ).commissioning_ids
        self._check_and_sign(accepted)
        accepted.action_accept()
        signature = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", accepted._name),
                    ("res_id", "=", accepted.id),
                    ("res_field", "=", "signature"),
                ]
            )
        )
        self.assertTrue(signature)
        checksum = signature.checksum
        forged = base64.b64encode(b"\x89PNG\r\n\x1a\nforged").decode()
        files = self.env["ir.attachment"]
        for user in self._outsiders("acc_files", "group_forklift_user"):
            for way, attack in (
                (
                    "create",
                    lambda u=user: files.with_user(u).create(
                        {
                            "name": "signature",
                            "datas": forged,
                            "res_model": accepted._name,
                            "res_id": accepted.id,
                            "res_field": "signature",
                        }
                    ),
                ),
                (
                    "rename",
                    lambda u=user: signature.with_user(u).write({"name": "x.png"}),
                ),
            ):
                with self.subTest(user=user.login, way=way):
                    self._assert_told_nothing(attack, [accepted.name])
        self.assertEqual((signature.name, signature.checksum), ("signature", checksum))
        self.assertEqual(
            files.sudo().search_count(
                [
                    ("res_model", "=", accepted._name),
                    ("res_id", "=", accepted.id),
                    ("res_field", "=", "signature"),
                ]
            ),
            1,
        )

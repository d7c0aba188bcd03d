from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestFlowContext(ForkliftCommon):
    """R-005 (000 §4.1.6): the flow's guard holds whatever context a client
    sends over RPC. Its ``default_*`` keys give a new document nothing of a
    later step (R-014, R-015, R-009, R-074), and the keys that switch off
    Odoo's traces leave a step's chatter and follow-up activities as they are
    (R-001, R-002)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rnd = cls._user("fa_rnd_context", "forklift_aftersales.group_forklift_rnd")

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _staff_sheet(self, key):
        """The sheet the staff creates (the mast drops under load) with
        ``key`` set in the call's context, as RPC would; in his environment."""
        return (
            self.env["forklift.feedback"]
            .with_user(self.staff)
            .with_context(**{key: True})
            .create(
                [
                    {
                        "unit_id": self.unit.id,
                        "title": "Mast drops under load",
                        "description": "<p>Forks sink under load.</p>",
                    }
                ]
            )
        )

    # default_* context keys

    def _assert_nothing_of_a_later_step(self, vehicle_return):
        self.assertEqual(vehicle_return.state, "draft")
        self.assertFalse(vehicle_return.inspection_result)
        self.assertFalse(vehicle_return.rework_requirements)
        self.assertFalse(vehicle_return.reinspection_note)
        self.assertFalse(vehicle_return.expert_ids)
        self.assertFalse(vehicle_return.needs_experts)

    def test_vehicle_return_takes_no_later_step_from_context_defaults(self):
        """R-014, R-015 (000 §4.4.1–3): a technician registering a return
        cannot land QA's findings, the experts or the re-inspection note on it
        through ``default_*`` context keys, by create, load or copy: given in
        the values they are refused, as defaults they are left out (as those
        of the flow fields, test_flow_guard)."""
        returns = self.env["forklift.vehicle.return"]
        vals = {
            "unit_id": self.unit.id,
            "returned_by": "Li Ming (Harbour Logistics)",
            "reason_type": "product",
        }
        attacker = returns.with_user(self.technician).with_context(
            default_inspection_result="<p>No defect found.</p>",
            default_rework_requirements="<p>None.</p>",
            default_reinspection_note="Re-inspected OK.",
            default_expert_ids=self.rnd.ids,
            default_needs_experts=True,
            default_state="inspected",
        )
        # a new form shows none of them
        defaults = attacker.default_get(list(returns._fields))
        for name in (
            "inspection_result",
            "rework_requirements",
            "reinspection_note",
            "expert_ids",
            "needs_experts",
        ):
            self.assertFalse(defaults.get(name), name)
        self.assertEqual(defaults["state"], "draft")
        created = attacker.create([vals])
        self._assert_nothing_of_a_later_step(created)
        result = attacker.load(
            ["unit_id/.id", "returned_by", "reason_type"],
            [[str(self.unit.id), "Li Ming", "product"]],
        )
        self.assertEqual(len(result["ids"]), 1, result["messages"])
        self._assert_nothing_of_a_later_step(returns.browse(result["ids"]))
        self._assert_nothing_of_a_later_step(created.with_env(attacker.env).copy())
        # the fields a registration is given still take their defaults
        registered = (
            returns.with_user(self.technician)
            .with_context(default_returned_by="Wang Wei")
            .create([{"unit_id": self.unit.id, "reason_type": "product"}])
        )
        self.assertEqual(registered.returned_by, "Wang Wei")

    def test_abnormal_issue_takes_no_solution_from_context_defaults(self):
        """R-009 (000 §4.2.4): the departments write the solution while they
        analyse the issue; a ``default_solution`` key does not give it to a
        new draft."""
        case = self._verified_case()
        issue = (
            self.env["forklift.abnormal.issue"]
            .with_user(self.technician)
            .with_context(default_solution="<p>Replace the mast.</p>")
            .create(
                [
                    {
                        "feedback_id": case.id,
                        "title": "Mast chatters after the seal change",
                        "description": "<p>Chatter persists.</p>",
                    }
                ]
            )
        )
        self.assertEqual(issue.state, "draft")
        self.assertFalse(issue.solution)

    def test_technical_question_takes_no_answer_from_context_defaults(self):
        """R-074 (000 §3.4): a question is answered once asked, by R&D; a
        ``default_answer`` key does not answer it at creation."""
        case = self._verified_case()
        question = (
            self.env["forklift.technical.question"]
            .with_user(self.technician)
            .with_context(default_answer="<p>Any kit fits.</p>")
            .create([{"feedback_id": case.id, "question": "Which seal kit fits?"}])
        )
        self.assertEqual(question.state, "open")
        self.assertFalse(question.answer)
        self.assertFalse(question.answered_date)

    # trace switches

    def test_dispatch_to_dealer_plans_the_follow_up_whatever_the_context(self):
        """R-002, R-054 (000 §4.2.2.1): the office supervisor is asked to
        follow up a dealer's order even when the dispatcher's client sends
        ``mail_activity_automation_skip``."""
        case = self._verified_case(route="dealer")
        order = self._service_order(case, performer="dealer")
        self.assertEqual(order.supervisor_id, self.supervisor)
        order.with_user(self.staff).with_context(
            mail_activity_automation_skip=True, tracking_disable=True
        ).action_dispatch()
        self.assertEqual(order.state, "dispatched")
        follow_up = order.activity_ids.filtered(lambda a: a.user_id == self.supervisor)
        self.assertEqual(len(follow_up), 1)

    def test_cancel_leaves_its_trace_whatever_the_context(self):
        """R-001, R-005: a sheet cancelled by a client that sends
        ``tracking_disable`` or ``mail_notrack`` still shows the change of
        state in its chatter."""
        for key in ("tracking_disable", "mail_notrack"):
            with self.subTest(key=key):
                case = self._create_case()
                self._flush_tracking()
                case.with_user(self.staff).with_context(**{key: True}).action_cancel()
                self._flush_tracking()
                self.assertEqual(case.state, "cancel")
                tracked = case.message_ids.tracking_value_ids.filtered(
                    lambda t: t.field_id.name == "state"
                )
                self.assertEqual(len(tracked), 1)
                self.assertEqual(tracked.new_value_char, "Cancelled")

    def test_a_users_change_stays_in_the_chatter_whatever_the_context(self):
        """R-137 (II §6: the forms are quality records, their full change
        history in the chatter), R-005: a user's own change of a tracked
        field, over RPC with ``tracking_disable`` or ``mail_notrack`` in the
        call's context, is still tracked in the chatter, and a sheet he
        creates so still says it was created: the keys are the server's
        choice, not a client's."""
        self.assertIn("user_id", self.env["forklift.feedback"]._track_get_fields())
        for key in ("tracking_disable", "mail_notrack"):
            with self.subTest(key=key):
                case = self._staff_sheet(key)
                case.env.flush_all()
                self.env.cr.precommit.run()
                sheet = case.with_env(self.env)
                self.assertTrue(sheet.message_ids, "the sheet says it was created")
                case.write({"user_id": self.technician.id})
                # the call's own flush, in the attacker's context
                case.env.flush_all()
                self.env.cr.precommit.run()
                sheet.invalidate_recordset(["message_ids"])
                tracked = sheet.message_ids.tracking_value_ids.filtered(
                    lambda t: t.field_id.name == "user_id"
                )
                self.assertEqual(
                    tracked.mapped("new_value_integer"), self.technician.ids
                )

    def test_flow_creation_takes_no_client_default(self):
        """R-005: what a step creates as the flow (sudo and its mark) takes
        its values from the server, not from a ``default_*`` key of the
        client's context that the step carries along."""
        case = self._verified_case()
        order = self._service_order(case).with_user(self.staff)
        flow = order.with_context(default_state="done")._as_flow()
        self.assertFalse(any(key.startswith("default_") for key in flow.env.context))
        self.assertNotIn(
            "tracking_disable",
            order.with_context(tracking_disable=True)._as_flow().env.context,
        )

    def test_a_users_sheet_says_it_was_created_whatever_the_context(self):
        """R-137 (II §6: the forms are quality records, their full history in
        the chatter), R-005: a sheet a user creates over RPC with
        ``mail_create_nolog`` in the call's context still says in its chatter
        who created it, and with ``mail_create_nosubscribe`` he still follows
        it as its creator: the keys are the server's choice (the mail
        gateway's, a step of the flow), not a client's."""
        for key in ("mail_create_nolog", "mail_create_nosubscribe"):
            with self.subTest(key=key):
                case = self._staff_sheet(key)
                sheet = case.with_env(self.env)
                created = sheet.message_ids.filtered(
                    lambda m, s=sheet: s._creation_message() in str(m.body)
                )
                self.assertEqual(created.author_id, self.staff.partner_id)
                self.assertIn(self.staff.partner_id, sheet.message_partner_ids)

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestVehicleReturn(ForkliftCommon):
    """Whole-vehicle return (000 §4.4, R-236–R-241): three signatures in order,
    hand-over to QA, a real receipt of the serial number, QA inspection,
    rework by the departments, QA re-inspection."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        cls.office_director, cls.sales_vp = cls._vehicle_return_signers("vr")
        cls.rnd = cls._group_user("vr_rnd", "group_forklift_rnd")
        cls.planner = cls._group_user(
            "vr_planner", "group_forklift_production_planning"
        )
        cls.maker = cls._group_user("vr_maker", "group_forklift_manufacturing")
        cls.buyer = cls._group_user("vr_buyer", "group_forklift_purchasing")
        cls.returned_location = cls.env.ref(
            "forklift_aftersales.stock_location_returned_vehicles"
        )
        cls.stock_location = cls.returned_location.warehouse_id.lot_stock_id
        cls.customers = cls.env.ref("stock.stock_location_customers")

    def _return(self, **vals):
        return self._staff_vehicle_return(**vals)

    def _signed_return(self):
        vehicle_return = self._return()
        self._sign_vehicle_return(vehicle_return)
        return vehicle_return

    def _qty(self, location):
        return sum(
            self.env["stock.quant"]
            .search(
                [
                    ("lot_id", "=", self.unit.lot_id.id),
                    ("location_id", "=", location.id),
                ]
            )
            .mapped("quantity")
        )

    def _inspected_return(self):
        vehicle_return = self._signed_return()
        vehicle_return.with_user(self.staff).action_receive()
        vehicle_return.with_user(self.qa).write(
            {
                "check_line_ids": [
                    Command.create(
                        {
                            "name": "Mast welds",
                            "result": "nok",
                            "finding": "crack 4 cm",
                        }
                    ),
                    Command.create({"name": "Hydraulics", "result": "ok"}),
                ],
                "inspection_result": "<p>Weld defect on the mast frame.</p>",
            }
        )
        vehicle_return.with_user(self.qa).action_inspect()
        return vehicle_return

    def test_only_the_dealers_office_director_signs(self):
        """R-014, R-205, 000 §4.4.1: the office signature of a return is the
        director's of the office governing the forklift's dealer; the
        director of another office, signing over RPC, is refused and nothing
        is recorded."""
        other_office = self._govern_dealers(
            self._group_user("vr_office_b", "group_forklift_office_director"),
            self.dealer_b,
        )
        vehicle_return = self._return()
        self.assertEqual(vehicle_return.dealer_id, self.dealer_a)
        vehicle_return.action_submit()
        self.assertNotIn(other_office, vehicle_return.activity_ids.user_id)
        for method in ("action_sign_office", "validate_tier", "reject_tier"):
            # an AccessError is a UserError
            with self.subTest(method=method), self.assertRaises(UserError):
                getattr(vehicle_return.with_user(other_office), method)()
        self.assertFalse(vehicle_return.office_signed_by_id)
        self.assertEqual(
            vehicle_return.sudo().review_ids.mapped("status"),
            ["pending", "waiting", "waiting"],
        )
        vehicle_return.with_user(self.office_director).action_sign_office()
        self.assertEqual(vehicle_return.office_signed_by_id, self.office_director)

    def test_return_of_a_dealer_without_office_director_is_not_submitted(self):
        """R-205, 000 §4.4.1: a return whose dealer has no governing office
        director named is not submitted for signatures (any office director
        could sign it), and says what to set; a forklift sold without a
        dealer is signed by an office director."""
        self.dealer_a.forklift_office_director_id = False
        vehicle_return = self._return()
        with self.assertRaisesRegex(UserError, "office director"):
            vehicle_return.with_user(self.staff).action_submit()
        self.assertEqual(vehicle_return.state, "draft")
        self.assertFalse(vehicle_return.sudo().review_ids)
        vehicle_return.dealer_id = False
        vehicle_return.with_user(self.staff).action_submit()
        colleague = self._group_user("vr_office_c", "group_forklift_office_director")
        vehicle_return.with_user(colleague).action_sign_office()
        self.assertEqual(vehicle_return.office_signed_by_id, colleague)

    def test_registration_signed_in_order_by_the_right_groups(self):
        """R-014, R-054, R-045, R-060, R-282 (000 §4.4.1, §6.12): the return
        registration is signed by the office director, the service center
        director and the domestic sales vice president, in that order and each
        in his own group, then handed to QA."""
        colleague = self._group_user("fa_vr_office_2", "group_forklift_office_director")
        vehicle_return = self._return()
        self.assertTrue(vehicle_return.name.startswith("VR-"))
        self.assertEqual(vehicle_return.partner_id, self.customer)
        vehicle_return.action_submit()
        self.assertNotIn(
            colleague,
            vehicle_return.activity_ids.user_id,
            "the director of an office not governing the dealer is not asked",
        )
        self.assertEqual(vehicle_return.state, "signing")
        self.assertEqual(vehicle_return.next_signature, "office")
        # the office director is asked to sign first
        todo = vehicle_return.activity_ids.filtered(
            lambda a: a.user_id == self.office_director
        )
        self.assertEqual(len(todo), 1)
        # wrong group: refused, nothing recorded
        for user, action in (
            (self.staff, "action_sign_office"),
            (self.qa, "action_sign_director"),
            (self.rnd, "action_sign_sales_vp"),
        ):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                getattr(vehicle_return.with_user(user), action)()
        # right group, wrong order: refused
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.director).action_sign_director()
        self.assertFalse(vehicle_return.director_signed_by_id)

        vehicle_return.with_user(self.office_director).action_sign_office()
        self.assertEqual(vehicle_return.office_signed_by_id, self.office_director)
        self.assertFalse(
            vehicle_return.activity_ids.user_id & (self.office_director | colleague),
            "the step is signed: no office director is still asked to sign",
        )
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.office_director).action_sign_office()
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.sales_vp).action_sign_sales_vp()
        vehicle_return.with_user(self.director).action_sign_director()
        self.assertEqual(vehicle_return.state, "signing", "the sales VP is missing")
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.qa).action_inspect()

        vehicle_return.with_user(self.sales_vp).action_sign_sales_vp()
        self.assertEqual(vehicle_return.state, "qa")
        self.assertEqual(vehicle_return.sales_vp_signed_by_id, self.sales_vp)
        self.assertTrue(vehicle_return.handed_to_qa_date)
        handover = vehicle_return.message_ids.filtered(
            lambda m: self.qa.partner_id in m.notified_partner_ids
        )
        self.assertEqual(len(handover), 1, "QA is told the registration reached it")

    def test_who_wrote_the_draft_does_not_sign_it(self):
        """R-205, R-237, R-005 (000 §4.4.1): the registration is signed by
        others than who wrote it, not only than who submitted it. The
        director, after-sales staff too, who created the registration or
        changed its forklift or why it comes back while it was a draft, then
        had a colleague submit it, does not sign the director's step, nor
        once it is cancelled and reopened; a director who did not write it
        signs."""
        other_director = self._group_user("vr_director_2", "group_forklift_director")
        Return = self.env["forklift.vehicle.return"]
        edits = {
            "created": None,
            "forklift": {"unit_id": self.unit_b.id},
            "reason": {"description": "<p>Hydraulic leak at the mast.</p>"},
        }
        for what, vals in edits.items():
            with self.subTest(edit=what):
                if vals is None:
                    vehicle_return = Return.with_user(self.director).create(
                        {
                            "unit_id": self.unit.id,
                            "returned_by": "Li Ming (Harbour Logistics)",
                            "description": "<p>Mast frame cracked.</p>",
                        }
                    )
                else:
                    vehicle_return = self._return()
                    vehicle_return.with_user(self.director).write(vals)
                vehicle_return = vehicle_return.with_user(self.staff)
                for reopened in (False, True):
                    if reopened:
                        vehicle_return.action_cancel()
                        vehicle_return.action_reset_to_draft()
                    vehicle_return.action_submit()
                    vehicle_return.with_user(self.office_director).action_sign_office()
                    for step in ("action_sign_director", "validate_tier"):
                        with self.assertRaisesRegex(UserError, "applied for"):
                            getattr(vehicle_return.with_user(self.director), step)()
                    self.assertFalse(vehicle_return.director_signed_by_id)
                    self.assertEqual(vehicle_return.state, "signing")
                    self.assertEqual(
                        vehicle_return.sudo().review_ids.mapped("status"),
                        ["approved", "pending", "waiting"],
                    )
                vehicle_return.with_user(other_director).action_sign_director()
                self.assertEqual(vehicle_return.director_signed_by_id, other_director)

    def test_submitting_needs_the_reason(self):
        vehicle_return = self._return(description=False)
        with self.assertRaises(UserError):
            vehicle_return.action_submit()
        self.assertEqual(vehicle_return.state, "draft")

    def test_returned_forklift_enters_stock_on_a_real_receipt(self):
        """R-014 (000 §4.4.1): the signed return brings the serial number into
        the returned-vehicles location by a real receipt, once."""
        vehicle_return = self._signed_return()
        self.assertEqual(self._qty(self.returned_location), 0)
        vehicle_return.with_user(self.staff).action_receive()
        picking = vehicle_return.picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.picking_type_id.code, "incoming")
        self.assertEqual(picking.location_id, self.customers)
        self.assertEqual(picking.location_dest_id, self.returned_location)
        self.assertEqual(picking.move_line_ids.lot_id, self.unit.lot_id)
        self.assertEqual(picking.move_line_ids.quantity, 1)
        self.assertEqual(self._qty(self.returned_location), 1)
        self.assertEqual(self._qty(self.stock_location), 0)
        with self.assertRaises(UserError):
            vehicle_return.action_receive()
        self.assertEqual(self._qty(self.returned_location), 1, "received only once")
        with self.assertRaises(UserError):
            vehicle_return.action_cancel()

    def test_forklift_is_received_once_signed(self):
        """R-237, R-238 (000 §4.4.1): the registration is signed by the office
        director, the service center director and the sales vice president,
        then the forklift comes into stock. The service center received it
        over RPC while the signatures were still asked: the forklift entered
        the company's stock on a return nobody approved, and once a signer
        refused it the return could neither be cancelled (the forklift is in
        stock) nor go on to QA."""
        vehicle_return = self._return()
        vehicle_return.with_user(self.staff).action_submit()
        with self.assertRaisesRegex(UserError, "signed"):
            vehicle_return.with_user(self.staff).action_receive()
        vehicle_return.with_user(self.office_director).action_sign_office()
        vehicle_return.with_user(self.director).reject_tier()
        for user in (self.staff, self.qa):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "signed"):
                    vehicle_return.with_user(user).action_receive()
        self.assertFalse(vehicle_return.picking_id)
        self.assertEqual(self._qty(self.returned_location), 0)
        vehicle_return.with_user(self.staff).action_cancel()
        self.assertEqual(vehicle_return.state, "cancel")

    def test_inspection_by_qa_with_experts_for_hard_problems(self):
        """R-015, R-051 (000 §4.4.2, §6.13): QA inspects the received forklift
        item by item; a hard problem needs R&D or the service center to join,
        and only QA records the inspection."""
        vehicle_return = self._signed_return()
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.qa).action_inspect()  # not received
        vehicle_return.action_receive()
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.qa).action_inspect()  # no items checked
        vehicle_return.with_user(self.qa).write(
            {
                "check_line_ids": [Command.create({"name": "Mast", "result": "nok"})],
                "inspection_result": "<p>Cracked mast.</p>",
                "needs_experts": True,
            }
        )
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.qa).action_inspect()  # nobody joins
        with self.assertRaises(ValidationError):
            vehicle_return.with_user(self.qa).expert_ids = self.buyer
        vehicle_return.with_user(self.qa).expert_ids = self.rnd | self.staff
        vehicle_return.with_user(self.qa).action_invite_experts()
        invited = vehicle_return.activity_ids.filtered(
            lambda a: a.user_id in (self.rnd | self.staff)
        )
        self.assertEqual(len(invited), 2)
        with self.assertRaises(AccessError):
            vehicle_return.with_user(self.staff).action_inspect()
        vehicle_return.with_user(self.qa).action_inspect()
        self.assertEqual(vehicle_return.state, "inspected")
        self.assertEqual(vehicle_return.inspected_by_id, self.qa)

    def test_rework_by_the_departments_then_qa_reinspection(self):
        """R-015, R-062, R-052 (000 §4.4.3): the rework goes to production
        planning, manufacturing and purchasing, each reporting its own task; QA
        re-inspects, a failure sends it back, a pass releases the forklift into
        stock."""
        vehicle_return = self._inspected_return()
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.qa).action_start_rework()  # no task
        with self.assertRaises(ValidationError):
            vehicle_return.with_user(self.qa).task_ids = [
                Command.create(
                    {"department": "planning", "name": "Plan", "user_id": self.maker.id}
                )
            ]
        self._start_rework(
            vehicle_return,
            [
                ("planning", "Schedule the rework", self.planner),
                ("manufacturing", "Re-weld the mast frame", self.maker),
                ("purchasing", "Order a new mast channel", self.buyer),
            ],
        )
        self.assertEqual(vehicle_return.state, "rework")
        for user in (self.planner, self.maker, self.buyer):
            self.assertTrue(
                vehicle_return.activity_ids.filtered(lambda a, u=user: a.user_id == u)
            )
        weld = vehicle_return.task_ids.filtered(
            lambda t: t.department == "manufacturing"
        )
        # another department cannot report it, nor edit it
        with self.assertRaises(AccessError):
            weld.with_user(self.planner).action_done()
        with self.assertRaises(AccessError):
            weld.with_user(self.planner).result = "not mine"
        with self.assertRaises(UserError):
            weld.with_user(self.maker).action_done()  # no result written
        with self.assertRaises(AccessError):
            weld.with_user(self.maker).state = "done"
        self.assertEqual(weld.state, "todo")
        for task in vehicle_return.task_ids:
            task.with_user(task.user_id).result = "Done as required."
            task.with_user(task.user_id).action_done()
        self.assertEqual(vehicle_return.state, "reinspection")
        self.assertEqual(self._qty(self.returned_location), 1)

        with self.assertRaises(AccessError):
            vehicle_return.with_user(self.staff).action_reinspect_pass()
        with self.assertRaises(UserError):
            vehicle_return.with_user(self.qa).action_reinspect_fail()  # no note
        vehicle_return.with_user(self.qa).reinspection_note = "Paint missing."
        vehicle_return.with_user(self.qa).action_reinspect_fail()
        self.assertEqual(vehicle_return.state, "inspected")
        self._start_rework(vehicle_return, [("manufacturing", "Paint", self.maker)])
        paint = vehicle_return.task_ids.filtered(lambda t: t.state == "todo")
        paint.with_user(self.qa).result = "Painted."
        paint.with_user(self.qa).action_done()
        vehicle_return.with_user(self.qa).action_reinspect_pass()
        self.assertEqual(vehicle_return.state, "done")
        self.assertEqual(vehicle_return.reinspection_result, "pass")
        self.assertEqual(vehicle_return.release_picking_id.state, "done")
        self.assertEqual(self._qty(self.returned_location), 0)
        self.assertEqual(self._qty(self.stock_location), 1)

    def test_inspection_overdue_is_reminded_once(self):
        with freeze_time("2026-04-01 09:00:00"):
            vehicle_return = self._signed_return()
            vehicle_return.action_receive()
            self.assertEqual(
                vehicle_return.inspection_deadline, datetime(2026, 4, 3, 9, 0)
            )
        self._remind_when_overdue(
            vehicle_return,
            "is_inspection_overdue",
            "2026-04-03 08:00:00",
            "2026-04-03 10:00:00",
        )
        deadline_type = self.env.ref("forklift_aftersales.mail_activity_type_deadline")
        reminders = vehicle_return.activity_ids.filtered(
            lambda a: a.activity_type_id == deadline_type
        )
        self.assertEqual(len(reminders), 1)

    def test_late_rework_task_is_reminded_once_on_its_return(self):
        """R-240 (000 §4.4.3): a department's rework task past its deadline
        is reminded to its assignee on the returned forklift, once, by the
        one scheduled job of every deadline; a task done in time is not."""
        vehicle_return = self._inspected_return()
        self._start_rework(
            vehicle_return,
            [
                ("manufacturing", "Re-weld the mast frame", self.maker),
                ("purchasing", "Order a new mast channel", self.buyer),
            ],
            deadline=date(2026, 4, 10),
        )
        channel = vehicle_return.task_ids.filtered(lambda t: t.user_id == self.buyer)
        channel.with_user(self.buyer).result = "Ordered."
        channel.with_user(self.buyer).action_done()
        reminders = self.env["forklift.deadline.reminder"]
        with freeze_time("2026-04-11"):
            reminders._cron_remind_all()
            reminders._cron_remind_all()
        late = vehicle_return.activity_ids.filtered(
            lambda a: a.summary and a.summary.startswith("Rework task overdue")
        )
        self.assertEqual(late.summary, "Rework task overdue: Re-weld the mast frame")
        self.assertEqual(late.user_id, self.maker)

    def test_signatures_and_state_cannot_be_written_directly(self):
        vehicle_return = self._return()
        vehicle_return.action_submit()
        for vals in (
            {"state": "qa"},
            {"sales_vp_signed_by_id": self.staff.id},
            {"office_signed_by_id": self.staff.id, "returned_by": "X"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                vehicle_return.with_user(self.staff).write(vals)
        self.assertEqual(vehicle_return.state, "signing")
        self.assertFalse(vehicle_return.office_signed_by_id)
        vehicle_return.with_user(self.staff).user_id = self.director
        self.assertEqual(vehicle_return.user_id, self.director)

    def test_departments_only_read_returns(self):
        vehicle_return = self._return()
        self.assertEqual(
            vehicle_return.with_user(self.planner).name, vehicle_return.name
        )
        with self.assertRaises(AccessError):
            vehicle_return.with_user(self.planner).write({"returned_by": "X"})
        with self.assertRaises(AccessError):
            self.env["forklift.vehicle.return"].with_user(self.sales_vp).create(
                {"unit_id": self.unit.id, "returned_by": "X"}
            )

    def test_a_new_return_carries_nothing_of_a_later_step(self):
        """R-014, R-015 (000 §4.4.1–3): a return starts as a registration;
        QA's inspection sheet, its findings, the experts and the
        re-inspection note are written at their own steps. Whoever registers
        it does not create, import or copy a return that already has them."""
        later = {
            "inspection_result": "<p>No defect found.</p>",
            "rework_requirements": "<p>None.</p>",
            "needs_experts": True,
            "expert_ids": [Command.set(self.rnd.ids)],
            "check_line_ids": [Command.create({"name": "Mast", "result": "ok"})],
            "reinspection_note": "Re-inspected OK.",
        }
        returns = self.env["forklift.vehicle.return"].with_user(self.staff)
        count = returns.search_count([])
        for name, value in later.items():
            with self.subTest(field=name), self.assertRaises(UserError) as cm:
                self._return(**{name: value})
            self.assertIn("filled in at their own step", str(cm.exception))
        result = returns.load(
            ["unit_id/.id", "returned_by", "reason_type", "inspection_result"],
            [[str(self.unit.id), "Li Ming", "product", "<p>Forged.</p>"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("filled in at their own step", result["messages"][0]["message"])
        self.assertEqual(returns.search_count([]), count)
        # the registration itself is given at creation; empty values too
        draft = self._return(return_date=date(2026, 5, 1), expert_ids=[])
        self.assertEqual(draft.return_date, date(2026, 5, 1))
        # a copy of an inspected return is a new registration
        inspected = self._inspected_return()
        with self.assertRaises(UserError):
            inspected.with_user(self.staff).copy({"reinspection_note": "OK"})
        copy = inspected.with_user(self.staff).copy()
        self.assertEqual(copy.state, "draft")
        self.assertEqual(copy.description, inspected.description)
        self.assertFalse(copy.check_line_ids)
        self.assertFalse(copy.inspection_result)
        self.assertFalse(copy.expert_ids)

    def test_fields_change_only_in_their_own_step(self):
        """R-014, R-015 (000 §4.4.1–3): the registration is fixed once
        submitted for its signatures, QA's inspection items and findings once
        QA signed them, the rework requirements once the rework starts, the
        experts once the forklift is inspected, the rework tasks
        once the re-inspection starts, the re-inspection note once it is
        decided; neither the person who registered it nor QA changes them over
        RPC afterwards."""
        registration = {
            "dealer_id": self.dealer_b.id,
            "description": "<p>Changed afterwards.</p>",
            "feedback_id": self._verified_case().id,
            "partner_id": self.dealer_a.id,
            "reason_type": "customer",
            "return_date": date(2026, 5, 1),
            "returned_by": "Someone else",
            "unit_id": self.unit_b.id,
        }
        experts = {"expert_ids": [Command.set(self.staff.ids)], "needs_experts": True}
        sheet = {
            "check_line_ids": [Command.create({"name": "Brakes", "result": "ok"})],
            "inspection_result": "<p>Changed afterwards.</p>",
            "rework_requirements": "<p>Changed afterwards.</p>",
        }
        # signed by QA (action_inspect), the items and findings are kept; QA
        # still writes the rework it requires
        signed_sheet = {
            name: sheet[name] for name in ("check_line_ids", "inspection_result")
        }
        reinspection = {"reinspection_note": "Changed afterwards."}
        tasks = {
            "task_ids": [
                Command.create(
                    {
                        "department": "planning",
                        "name": "Plan",
                        "user_id": self.planner.id,
                    }
                )
            ]
        }
        vehicle_return = self._return()
        vehicle_return.with_user(self.staff).returned_by = "Li Ming"
        self.assertEqual(vehicle_return.returned_by, "Li Ming")
        vehicle_return.action_submit()
        locked = {
            "signing": registration | experts | sheet | reinspection | tasks,
            "qa": registration | reinspection,
            "inspected": registration | experts | signed_sheet | reinspection,
            "rework": registration | experts | sheet | reinspection,
            "reinspection": registration | experts | sheet | tasks,
            "done": registration | experts | sheet | reinspection | tasks,
        }

        def attack():
            vals = locked[vehicle_return.state]
            if "needs_experts" in vals:
                vals = vals | {"needs_experts": not vehicle_return.needs_experts}
            for user in (self.staff, self.qa):
                self._assert_writes_refused(vehicle_return, user, vals)

        attack()
        vehicle_return.with_user(self.office_director).action_sign_office()
        vehicle_return.with_user(self.director).action_sign_director()
        vehicle_return.with_user(self.sales_vp).action_sign_sales_vp()
        vehicle_return.action_receive()
        self.assertEqual(vehicle_return.state, "qa")
        attack()
        with self.assertRaisesRegex(UserError, "is Handed to QA: Returned By"):
            vehicle_return.with_user(self.staff).returned_by = "Someone else"
        vehicle_return.with_user(self.qa).write(
            {
                "check_line_ids": [Command.create({"name": "Mast", "result": "nok"})],
                "inspection_result": "<p>Cracked mast.</p>",
                "needs_experts": True,
                "expert_ids": [Command.set(self.rnd.ids)],
            }
        )
        vehicle_return.with_user(self.qa).action_inspect()
        attack()
        vehicle_return.with_user(self.qa).rework_requirements = "<p>Re-weld.</p>"
        self._start_rework(vehicle_return, [("manufacturing", "Weld", self.maker)])
        self.assertEqual(vehicle_return.state, "rework")
        attack()
        vehicle_return.task_ids.with_user(self.maker).result = "Welded."
        vehicle_return.task_ids.with_user(self.maker).action_done()
        self.assertEqual(vehicle_return.state, "reinspection")
        attack()
        vehicle_return.with_user(self.qa).reinspection_note = "Weld sound."
        vehicle_return.with_user(self.qa).action_reinspect_pass()
        self.assertEqual(vehicle_return.state, "done")
        attack()

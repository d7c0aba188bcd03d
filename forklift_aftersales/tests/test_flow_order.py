from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SIGNATURE, ForkliftCommon

# an SVG "signature": not an image the signature may hold (base64)
SVG_SIGNATURE = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="


@tagged("post_install", "-at_install")
class TestFlowOrder(ForkliftCommon):
    """Service orders, their parts, forklift units and hour readings: what the
    procedure reserves to a step or a role holds for every caller, as a user
    reaches the ORM over RPC (``with_user``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner_model = cls.env["res.partner"]

        def portal(login, parent):
            return cls._group_user(
                login,
                "base.group_portal",
                partner_id=partner_model.create(
                    {"name": login, "parent_id": parent.id}
                ).id,
            )

        cls.portal_customer = portal("fo_customer", cls.customer)
        cls.portal_dealer_a = portal("fo_dealer_a", cls.dealer_a)
        cls.portal_dealer_b = portal("fo_dealer_b", cls.dealer_b)
        cls.viewer = cls._group_user("fo_viewer", "group_forklift_viewer")
        cls.other_company = cls.env["res.company"].create({"name": "Other Forklifts"})
        cls.other_staff = cls._company_user(
            "fo_other_staff", "group_forklift_user", cls.other_company
        )

    # helpers

    def _dispatched_order(self, **vals):
        order = self._service_order(self._verified_case(), **vals)
        order.action_dispatch()
        return order

    def _done_order(self, **vals):
        order = self._dispatched_order()
        self._record_work(order, **vals)
        order.action_done()
        return order

    def _signed_order(self):
        order = self._done_order()
        order._sign("Wang Jun", SIGNATURE)
        return order

    def _snapshot(self, order):
        order.invalidate_recordset()
        return order.read(
            [
                "name",
                "state",
                "feedback_id",
                "company_id",
                "dispatched_date",
                "signed_by",
                "signed_on",
                "signature",
                "stamp",
                "customer_opinion",
                "registered_date",
                "registered_by_id",
                "qa_copy_date",
                "technician_id",
                "dealer_id",
                "arrival_date",
                "finished_date",
                "hour_meter",
            ]
        )[0]

    # service orders: flow fields

    def test_staff_cannot_write_the_steps_of_an_order(self):
        """A staff member writes state, step dates and people, the signature
        or the registration over RPC: each is refused and nothing changes
        (R-002, R-080, R-206; 000 §4.2.1.2)."""
        order = self._done_order()
        before = self._snapshot(order)
        forged = {
            "name": "SO-FORGED",
            "state": "registered",
            "dispatched_date": datetime(2026, 1, 1, 8, 0),
            "signed_by": "Forged Customer",
            "signature": SIGNATURE,
            "signed_on": datetime(2026, 3, 2, 9, 0),
            "stamp": SIGNATURE,
            "customer_opinion": "Perfect",
            "registered_date": datetime(2026, 3, 2, 9, 0),
            "registered_by_id": self.director.id,
            "qa_copy_date": datetime(2026, 3, 2, 9, 0),
            "company_id": self.env["res.company"].create({"name": "Elsewhere"}).id,
            "partner_id": self.customer_b.id,
            "unit_id": self.unit_b.id,
        }
        for name, value in forged.items():
            with self.subTest(field=name), self.assertRaises(AccessError):
                order.with_user(self.staff).write({name: value})
            # the flow's own context key, sent by a client, lifts nothing
            with self.subTest(field=name), self.assertRaises(AccessError):
                order.with_user(self.staff).with_context(
                    forklift_flow_write=True
                ).write({name: value})
        self.assertEqual(self._snapshot(order), before)
        self.assertEqual(order.feedback_id.partner_id, self.customer)

    def test_order_is_created_in_its_first_state_only(self):
        """An order created over RPC already signed or registered is refused,
        and neither ``default_*`` keys nor the flow's own context key set a
        step (R-002; 000 §4.2.1.1)."""
        case = self._verified_case()
        order_model = self.env["forklift.service.order"].with_user(self.staff)
        vals = {"feedback_id": case.id, "technician_id": self.technician.id}
        for forged in (
            {"state": "signed"},
            {"state": "registered", "registered_by_id": self.staff.id},
            {"signed_by": "Wang Jun", "signature": SIGNATURE},
            {"dispatched_date": datetime(2026, 3, 2, 9, 0)},
        ):
            with self.subTest(vals=forged), self.assertRaises(AccessError):
                order_model.create(dict(vals, **forged))
            with self.subTest(vals=forged), self.assertRaises(AccessError):
                order_model.with_context(forklift_flow_write=True).create(
                    dict(vals, **forged)
                )
        self.assertFalse(case.service_order_ids)
        order = order_model.with_context(
            default_state="registered",
            default_registered_by_id=self.staff.id,
            default_signed_by="Wang Jun",
        ).create(vals)
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.registered_by_id)
        self.assertFalse(order.signed_by)

    def test_sheet_link_is_fixed_after_creation(self):
        """The order of one sheet cannot be moved to another sheet, whose
        customer and company it would then follow (R-002; 000 §4.2.1.1)."""
        order = self._service_order(self._verified_case())
        other = self._verified_case(unit=self.unit_b)
        case = order.feedback_id
        with self.assertRaises(AccessError):
            order.with_user(self.staff).write({"feedback_id": other.id})
        self.assertEqual(order.feedback_id, case)
        self.assertEqual(order.partner_id, self.customer)

    def test_performer_is_fixed_once_dispatched(self):
        """Once sent, the order cannot be handed to another dealer or
        technician (the portal rules open it to the dealer it names)
        (R-081; 000 §4.2.2.1)."""
        case = self._verified_case(route="dealer")
        order = self._service_order(case, performer="dealer")
        order.action_dispatch()
        for vals in (
            {"dealer_id": self.dealer_b.id},
            {"performer_type": "technician", "technician_id": self.staff.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                order.with_user(self.staff).write(vals)
        self.assertEqual(order.dealer_id, self.dealer_a)
        self.assertEqual(order.performer_type, "dealer")
        self.assertFalse(
            self.env["forklift.service.order"]
            .with_user(self.portal_dealer_b)
            .search([("id", "=", order.id)])
        )

    def test_performer_must_be_a_dealer_or_an_employee(self):
        """A customer named as the "dealer" or a portal user as the
        technician is refused (R-002, R-081)."""
        case = self._verified_case(route="dealer")
        order_model = self.env["forklift.service.order"].with_user(self.staff)
        with self.assertRaises(ValidationError):
            order_model.create(
                {
                    "feedback_id": case.id,
                    "performer_type": "dealer",
                    "dealer_id": self.customer_b.id,
                }
            )
        with self.assertRaises(ValidationError):
            order_model.create(
                {
                    "feedback_id": case.id,
                    "performer_type": "technician",
                    "technician_id": self.portal_dealer_b.id,
                }
            )
        self.assertFalse(case.service_order_ids)

    def test_work_is_reported_only_while_the_order_is_open(self):
        """Arrival, finish and work done change only while the performer is
        on the job, never after the customer signed (R-002, R-080;
        000 §4.2.1.2)."""
        order = self._signed_order()
        before = self._snapshot(order)
        work = order.work_done
        for vals in (
            {"arrival_date": order.dispatched_date + timedelta(minutes=5)},
            {"finished_date": order.finished_date + timedelta(hours=5)},
            {"work_done": "<p>Nothing was done.</p>"},
            {"hour_meter": 999},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                order.with_user(self.staff).write(vals)
        self.assertEqual(self._snapshot(order), before)
        self.assertEqual(order.work_done, work)

    def test_steps_check_the_state_and_say_why(self):
        """Registering an unsigned order, registering twice, finishing twice,
        cancelling a cancelled order: each step says why and changes nothing
        (R-002, R-080; 000 §4.2.1.2)."""
        order = self._done_order()
        with self.assertRaisesRegex(UserError, order.name):
            order.with_user(self.staff).action_register()
        with self.assertRaisesRegex(UserError, order.name):
            order.with_user(self.staff).action_done()
        with self.assertRaisesRegex(UserError, order.name):
            order.with_user(self.staff).action_dispatch()
        self.assertEqual(order.state, "done")
        self.assertFalse(order.registered_date)
        order._sign("Wang Jun", SIGNATURE)
        order.with_user(self.staff).action_register()
        registered = order.registered_date
        with self.assertRaisesRegex(UserError, order.name):
            order.with_user(self.director).action_register()
        self.assertEqual(order.registered_date, registered)
        self.assertEqual(order.registered_by_id, self.staff)
        draft = self._service_order(self._verified_case())
        draft.with_user(self.staff).action_cancel()
        with self.assertRaisesRegex(UserError, draft.name):
            draft.with_user(self.staff).action_cancel()
        self.assertEqual(draft.state, "cancel")

    def test_read_only_users_cannot_take_steps(self):
        """A viewer or QA member (read access only) cannot dispatch, finish,
        register or cancel an order through its buttons over RPC
        (R-002; 000 §4.2.1.1, §4.2.1.2)."""
        order = self._service_order(self._verified_case())
        for user in (self.viewer, self.qa):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).action_dispatch()
        self.assertEqual(order.state, "draft")
        order.action_dispatch()
        self._record_work(order)
        self._assert_steps_refused(
            order, self.qa, "action_done", "action_cancel", error=AccessError
        )
        self.assertEqual(order.state, "dispatched")
        order.action_done()
        order._sign("Wang Jun", SIGNATURE)
        with self.assertRaises(AccessError):
            order.with_user(self.qa).action_register()
        self.assertEqual(order.state, "signed")
        self.assertFalse(order.registered_by_id)

    def test_order_past_draft_cannot_be_deleted(self):
        """A dispatched, signed or dispatched-then-cancelled order is not
        deleted, even by the director: it is cancelled (R-002, R-137;
        000 §4.2.1.2, §6)."""
        dispatched = self._dispatched_order()
        signed = self._signed_order()
        cancelled = self._dispatched_order()
        cancelled.action_cancel()
        for order in (dispatched, signed, cancelled):
            with self.subTest(state=order.state), self.assertRaises(UserError):
                order.with_user(self.director).unlink()
            self.assertTrue(order.exists())
        draft = self._service_order(self._verified_case())
        draft.with_user(self.director).unlink()
        self.assertFalse(draft.exists())

    # service orders: the signature

    def test_signature_only_on_finished_work(self):
        """The sign step refuses an order whose work is not reported done, and
        saves nothing (R-206, R-080; 000 §4.2.1.2)."""
        order = self._dispatched_order()
        with self.assertRaisesRegex(UserError, order.name):
            order.with_user(self.portal_customer).sudo()._sign(
                "Wang Jun", SIGNATURE, "Good"
            )
        self.assertFalse(order.signature)
        self.assertFalse(order.signed_by)
        self.assertFalse(order.customer_opinion)
        self.assertEqual(order.state, "dispatched")

    def test_another_dealer_cannot_sign_as_the_customer(self):
        """A portal user of another dealer who got hold of the order's link
        signs as the customer: refused, nothing saved; the customer (or the
        order's own dealer, on whose screen the customer signs) can
        (R-206, R-080; 000 §4.2.2.2)."""
        order = self._done_order()
        with self.assertRaises(AccessError):
            order.with_user(self.portal_dealer_b).sudo()._sign(
                "Forged", SIGNATURE, "Fine"
            )
        self.assertFalse(order.signature)
        self.assertFalse(order.signed_by)
        self.assertEqual(order.state, "done")
        order.with_user(self.portal_customer).sudo()._sign("Wang Jun", SIGNATURE)
        self.assertEqual(order.state, "signed")
        self.assertEqual(order.signed_by, "Wang Jun")
        self.assertTrue(order.signed_on)
        # signed once: a second signature changes nothing
        with self.assertRaises(UserError):
            order.with_user(self.portal_customer).sudo()._sign("Other", SIGNATURE)
        self.assertEqual(order.signed_by, "Wang Jun")

    def test_read_only_user_cannot_sign(self):
        """An internal user with read access only cannot record the
        customer's signature (R-206)."""
        order = self._done_order()
        with self.assertRaises(AccessError):
            order.with_user(self.qa)._sign("Wang Jun", SIGNATURE)
        self.assertFalse(order.signature)
        self.assertEqual(order.state, "done")

    def test_only_technician_or_director_captures_the_signature(self):
        """R-206, R-080 (000 §4.2.1.2, 004 §4.4 D): on the staff side the
        customer signs on the screen of the technician who did the work (or
        of the service center director). Another after-sales user who may
        edit the order (a clerk, the office supervisor) records "the
        customer's signature" as the sign page calls it or directly, or opens
        the sign page: refused, nothing changes. The order's technician and
        the director still capture it."""
        order = self._done_order()
        before = self._snapshot(order)
        for user in (self.staff, self.supervisor):
            self.assertTrue(order.with_user(user).has_access("write"))
            for signer in (order.with_user(user).sudo(), order.with_user(user)):
                with (
                    self.subTest(user=user.login, sudo=signer.env.su),
                    self.assertRaisesRegex(AccessError, order.name),
                ):
                    signer._sign("Wang Jun", SIGNATURE, "Fine")
            with self.assertRaisesRegex(AccessError, order.name):
                order.with_user(user).action_open_sign_page()
            self.assertEqual(self._snapshot(order), before)
        self.assertEqual(
            order.with_user(self.technician).action_open_sign_page()["type"],
            "ir.actions.act_url",
        )
        order.with_user(self.technician).sudo()._sign("Wang Jun", SIGNATURE, "Fine")
        self.assertEqual(order.state, "signed")
        self.assertEqual(order.signed_by, "Wang Jun")
        other = self._done_order()
        other.with_user(self.director)._sign("Li Ming", SIGNATURE)
        self.assertEqual(other.state, "signed")

    def test_signature_must_be_a_png_or_jpeg_image(self):
        """An SVG (or any other data) as the signature is refused
        (R-206)."""
        order = self._done_order()
        for data in (SVG_SIGNATURE, "bm90IGFuIGltYWdl"):
            with self.subTest(data=data), self.assertRaises(UserError):
                order.with_user(self.portal_customer).sudo()._sign("Wang Jun", data)
        self.assertFalse(order.signature)
        self.assertEqual(order.state, "done")

    # service orders: the hour meter

    def test_hour_meter_of_the_order_becomes_a_reading(self):
        """The hour meter read on site is recorded on the forklift; one
        below the last reading is refused with nothing saved
        (R-127, R-211; 000 第四篇 §4)."""
        self.env["forklift.hour.reading"].create(
            {"unit_id": self.unit.id, "date": datetime(2026, 3, 1), "hours": 400}
        )
        order = self._dispatched_order()
        order.with_user(self.technician).write({"hour_meter": 420})
        reading = self.unit.reading_ids.filtered(lambda r: r.source == "service")
        self.assertEqual(reading.hours, 420)
        self.assertEqual(self.unit.current_hours, 420)
        other = self._dispatched_order()
        with self.assertRaisesRegex(UserError, "420"):
            other.with_user(self.technician).write({"hour_meter": 390})
        other.invalidate_recordset()
        self.assertFalse(other.hour_meter)
        self.assertEqual(len(self.unit.reading_ids), 2)
        self.assertEqual(self.unit.current_hours, 420)

    # parts replaced

    def test_parts_are_fixed_once_the_work_is_reported(self):
        """After "work done" the parts the customer signs for cannot be added,
        changed or removed (R-002, R-080; 000 §4.1.2, §4.2.1.2)."""
        order = self._done_order(part_ids=[self._part_line(self.part)])
        line = order.part_ids
        part_model = self.env["forklift.service.order.part"].with_user(self.staff)
        with self.assertRaises(UserError):
            part_model.create(
                {"order_id": order.id, "product_id": self.part.id, "quantity": 3}
            )
        with self.assertRaises(UserError):
            line.with_user(self.staff).write({"quantity": 5, "is_warranty": False})
        with self.assertRaises(UserError):
            order.with_user(self.staff).write(
                {"part_ids": [Command.create({"product_id": self.part.id})]}
            )
        with self.assertRaises(UserError):
            line.with_user(self.director).unlink()
        order.invalidate_recordset()
        self.assertEqual(order.part_ids, line)
        self.assertEqual(line.quantity, 1)
        self.assertTrue(line.is_warranty)

    def test_parts_stay_fixed_on_signed_and_registered_orders(self):
        """The parts the customer signed for stay as signed and registered,
        however a client sends the change: on the part model, with the order
        in the context, or through the order's one2many commands (R-002,
        R-080; 000 §4.2.1.2)."""
        signed, registered = (
            self._done_order(part_ids=[self._part_line(self.part)]) for _i in range(2)
        )
        for order in (signed, registered):
            order._sign("Wang Jun", SIGNATURE)
        registered.action_register()
        part_model = self.env["forklift.service.order.part"]
        for order in (signed, registered):
            line = order.part_ids
            before = line.read(["product_id", "quantity", "is_warranty"])
            changes = {
                "create": lambda parts, order=order: parts.create(
                    {"order_id": order.id, "product_id": self.part.id}
                ),
                "create in context": lambda parts, order=order: parts.with_context(
                    default_order_id=order.id
                ).create({"product_id": self.part.id}),
                "write": lambda parts, line=line: parts.browse(line.ids).write(
                    {"quantity": 5, "is_warranty": False}
                ),
                "command create": Command.create({"product_id": self.part.id}),
                "command update": Command.update(line.id, {"quantity": 5}),
            }
            # staff delete no part at all; the director deletes none of these
            removals = {
                "unlink": lambda parts, line=line: parts.browse(line.ids).unlink(),
                "command delete": Command.delete(line.id),
                "command unlink": Command.unlink(line.id),
                "command clear": Command.clear(),
                "command set": Command.set([]),
            }
            for user, attacks in (
                (self.staff, changes),
                (self.director, changes | removals),
            ):
                for attack, change in attacks.items():
                    with self.subTest(
                        state=order.state, user=user.login, attack=attack
                    ):
                        with self.assertRaises(UserError) as refused:
                            if callable(change):
                                change(part_model.with_user(user))
                            else:
                                order.with_user(user).write({"part_ids": [change]})
                        self.assertIn("fixed once the work", str(refused.exception))
            order.invalidate_recordset()
            self.assertEqual(order.part_ids, line)
            self.assertEqual(
                line.read(["product_id", "quantity", "is_warranty"]), before
            )
        # the allowed path: a dispatched order's parts still change
        open_order = self._dispatched_order()
        open_order.with_user(self.staff).write(
            {"part_ids": [self._part_line(self.part)]}
        )
        open_order.part_ids.with_user(self.staff).write({"quantity": 2})
        self.assertEqual(open_order.part_ids.quantity, 2)

    def test_part_line_cannot_move_to_another_order(self):
        """A replaced part stays on the order it was recorded on (R-002)."""
        order = self._dispatched_order()
        order.write({"part_ids": [self._part_line(self.part)]})
        other = self._dispatched_order()
        with self.assertRaises(UserError):
            order.part_ids.with_user(self.staff).write({"order_id": other.id})
        self.assertFalse(other.part_ids)

    def test_other_company_cannot_read_orders_parts_or_readings(self):
        """Staff of another company read no order, part line, forklift or
        hour reading of this one (R-002, R-127)."""
        order = self._dispatched_order()
        order.write({"part_ids": [self._part_line(self.part)]})
        reading = self.env["forklift.hour.reading"].create(
            {"unit_id": self.unit.id, "date": datetime(2026, 3, 1), "hours": 10}
        )
        for record in (order, order.part_ids, self.unit, reading):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.other_staff).read(["display_name"])

    def test_no_record_links_another_companys_forklift_or_customer(self):
        """R-002, R-127: a company's sheets, vehicle returns, calls, letters,
        forklifts and trainings are for its own forklifts and customers. A
        link to another company's forklift or customer, which would show its
        model, customer or phone through the record, is refused, to staff of
        one company and of both alike; its own and shared customers link as
        before."""
        other_unit = self.env["forklift.unit"].create(
            {
                "name": "SN-OTHER-CO-1",
                "product_id": self.forklift_product.id,
                "company_id": self.other_company.id,
            }
        )
        other_customer = self.env["res.partner"].create(
            {
                "name": "Customer of Other Forklifts",
                "company_id": self.other_company.id,
                "phone": "+86 571 8800 0000",
            }
        )
        both = self._company_user(
            "fo_both_staff", "group_forklift_user", self.env.company
        )
        both.company_ids |= self.other_company
        attempts = {
            "forklift.feedback": {"unit_id": other_unit.id, "title": "Mast noise"},
            "forklift.vehicle.return": {
                "unit_id": other_unit.id,
                "returned_by": "Li Ming",
                "reason_type": "customer",
            },
            "forklift.followup.call": {"partner_id": other_customer.id},
            "forklift.care.letter": {
                "partner_id": other_customer.id,
                "subject": "Spring check",
            },
            "forklift.unit": {
                "name": "SN-THIS-CO-9",
                "product_id": self.forklift_product.id,
                "partner_id": other_customer.id,
            },
            "forklift.training": self._training_vals(partner_id=other_customer.id),
        }
        own_training = self._training_vals(unit_ids=[Command.link(other_unit.id)])
        counts = {model: self.env[model].search_count([]) for model in attempts}
        for user in (self.staff, both):
            for model, vals in attempts.items():
                with self.subTest(user=user.login, model=model):
                    with self.assertRaises(UserError):
                        self.env[model].with_user(user).create(vals)
            with self.subTest(user=user.login, training="another company's forklift"):
                with self.assertRaises(UserError):
                    self.env["forklift.training"].with_user(user).create(own_training)
        self.assertEqual(
            {model: self.env[model].search_count([]) for model in attempts}, counts
        )
        calls = self.env["forklift.followup.call"].with_user(self.staff)
        self.assertTrue(calls.create({"partner_id": self.customer.id}))

    def test_portal_cannot_read_internal_fields(self):
        """A customer reads its order but not the internal follow-up and
        registration data, nor the parts' internal notes (R-002, R-080)."""
        order = self._signed_order()
        order.action_register()
        as_customer = order.with_user(self.portal_customer)
        self.assertEqual(as_customer.read(["name", "state"])[0]["state"], "registered")
        for name in ("supervisor_id", "registered_by_id", "qa_copy_date"):
            with self.subTest(field=name), self.assertRaises(AccessError):
                as_customer.read([name])
        with self.assertRaises(AccessError):
            order.part_ids.with_user(self.portal_customer).read(["note"])

    # forklift units

    def test_staff_cannot_change_the_warranty_terms(self):
        """Warranty months, hours, acceptance and delivery dates change only
        by the service-center director, and the change is tracked
        (R-211; 000 第四篇 §4)."""
        unit = self.unit.with_user(self.staff)
        before = self.unit.read(
            [
                "warranty_months",
                "warranty_hours",
                "acceptance_date",
                "delivery_date",
                "warranty_end_date",
                "warranty_start_date",
                "hours_limit_reached_on",
                "current_hours",
            ]
        )[0]
        for vals in (
            {"warranty_months": 36},
            {"warranty_hours": 9000},
            {"acceptance_date": date(2026, 12, 1)},
            {"delivery_date": date(2026, 12, 1)},
            # nor the dates computed from them, which judge the warranty
            {"warranty_end_date": date(2035, 1, 1)},
            {"warranty_start_date": date(2026, 12, 1)},
            {"hours_limit_reached_on": date(2026, 6, 1)},
            {"current_hours": 1.0},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                unit.write(vals)
        with self.assertRaises(AccessError):
            self.env["forklift.unit"].with_user(self.staff).create(
                {
                    "name": "SN-W-2",
                    "product_id": self.forklift_product.id,
                    "warranty_months": 60,
                }
            )
        with self.assertRaises(AccessError):
            self.env["forklift.unit"].with_user(self.staff).create(
                {
                    "name": "SN-W-4",
                    "product_id": self.forklift_product.id,
                    "warranty_end_date": date(2035, 1, 1),
                }
            )
        self.assertFalse(
            self.env["forklift.unit"].search([("name", "in", ("SN-W-2", "SN-W-4"))])
        )
        # a delivered forklift waiting for its commissioning: no signed
        # acceptance, so staff cannot start its warranty by hand
        delivered = self._create_unit("SN-W-3", delivery=date(2026, 3, 2))
        delivered.acceptance_date = False
        with self.assertRaises(AccessError):
            delivered.with_user(self.staff).write({"acceptance_date": date(2026, 3, 3)})
        self.assertFalse(delivered.acceptance_date)
        self.unit.invalidate_recordset()
        self.assertEqual(self.unit.read(list(before))[0], before)
        self.unit.with_user(self.director).write({"warranty_months": 18})
        self.assertEqual(self.unit.warranty_end_date, date(2027, 7, 9))
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.unit.invalidate_recordset(["message_ids"])
        tracked = self.unit.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "warranty_months"
        )
        self.assertEqual(tracked.new_value_integer, 18)

    def test_accepted_on_29_february_ends_on_28_february(self):
        """12 months from 29 February run to 28 February of the next year; from
        1 March before a leap day they run to 29 February (R-211; 000 第四篇
        §4)."""
        leap = self._create_unit("SN-LEAP-1", acceptance=date(2024, 2, 29))
        self.assertEqual(leap.warranty_end_date, date(2025, 2, 28))
        before_leap = self._create_unit("SN-LEAP-2", acceptance=date(2023, 3, 1))
        self.assertEqual(before_leap.warranty_end_date, date(2024, 2, 29))
        self.assertEqual(leap._get_warranty_status(date(2025, 2, 28))[0], "in")
        self.assertEqual(leap._get_warranty_status(date(2025, 3, 1))[0], "out")

    def test_warranty_is_judged_on_a_date_not_a_datetime(self):
        """A UTC timestamp is not the local day of the call: the warranty
        status takes a date (R-211)."""
        with self.assertRaises(TypeError):
            self.unit._get_warranty_status(datetime(2027, 1, 9, 23, 0))

    # hour readings

    def test_staff_cannot_rewrite_or_delete_readings(self):
        """A recorded reading is changed or deleted by the director only: staff
        cannot lower the meter to bring a forklift back into warranty
        (R-127, R-211)."""
        reading = self.env["forklift.hour.reading"].create(
            {"unit_id": self.unit.id, "date": datetime(2026, 5, 1), "hours": 1600}
        )
        for vals in (
            {"hours": 100},
            {"date": datetime(2028, 1, 1)},
            {"unit_id": self.unit_b.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                reading.with_user(self.staff).write(vals)
        with self.assertRaises(AccessError):
            reading.with_user(self.staff).unlink()
        reading.invalidate_recordset()
        self.assertEqual(reading.hours, 1600)
        self.assertEqual(reading.unit_id, self.unit)
        reading.with_user(self.director).write({"hours": 1500})
        self.assertEqual(reading.hours, 1500)

    def test_reading_is_recorded_by_its_author(self):
        """A reading cannot be put in another user's name (R-127)."""
        reading_model = self.env["forklift.hour.reading"].with_user(self.staff)
        with self.assertRaises(AccessError):
            reading_model.create(
                {
                    "unit_id": self.unit.id,
                    "date": datetime(2026, 5, 1),
                    "hours": 10,
                    "user_id": self.director.id,
                }
            )
        reading = reading_model.create(
            {"unit_id": self.unit.id, "date": datetime(2026, 5, 1), "hours": 10}
        )
        self.assertEqual(reading.user_id, self.staff)

    def test_reading_is_taken_for_a_sheet_of_its_forklift(self):
        """R-127, R-211: a reading taken for a feedback sheet is a reading of
        the sheet's forklift, whose warranty by hours the latest reading
        decides. A technician naming a sheet of another forklift, by form or
        import, is refused, as is the director moving a reading away from its
        sheet's forklift; nothing is recorded or changed. A sheet of the
        reading's own forklift is named."""
        case = self._create_case()
        case_b = self._create_case(unit=self.unit_b)
        readings = self.env["forklift.hour.reading"].with_user(self.technician)
        vals = {"unit_id": self.unit.id, "date": datetime(2026, 5, 1), "hours": 10}
        with self.assertRaises(ValidationError), self.cr.savepoint():
            readings.create({**vals, "feedback_id": case_b.id})
        result = readings.load(
            ["unit_id/.id", "hours", "feedback_id/.id"],
            [[str(self.unit.id), "10", str(case_b.id)]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("of another forklift", str(result["messages"]))
        self.assertFalse((self.unit | self.unit_b).reading_ids)
        reading = readings.create({**vals, "feedback_id": case.id})
        for moved in ({"feedback_id": case_b.id}, {"unit_id": self.unit_b.id}):
            with (
                self.subTest(vals=moved),
                self.assertRaises(ValidationError),
                self.cr.savepoint(),
            ):
                reading.with_user(self.director).write(moved)
        reading.invalidate_recordset()
        self.assertEqual((reading.unit_id, reading.feedback_id), (self.unit, case))
        self.assertFalse(self.unit_b.reading_ids)

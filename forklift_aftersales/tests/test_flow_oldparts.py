"""Controls that hold for old-part returns, quarantine stock, the committee and
abnormal issues: each test is the attack of a low-privilege user calling the
ORM exactly as JSON-RPC would (``with_user``), and its refusal with nothing
changed."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ShippedPartsCommon
from .test_committee import CommitteeCommon


class OldpartFlowCommon(CommitteeCommon, ShippedPartsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # committee_no_seat: in the committee group, but holding no seat
        cls.qa_inspector, cls.committee_no_seat, cls.rnd = cls._role_users(
            "fa_flow", "qa", "committee", "rnd"
        )
        # one person holding both inspection groups (service center and QA)
        cls.sc_and_qa = cls._group_user(
            "fa_flow_sc_qa", "group_forklift_user,group_forklift_qa"
        )
        cls.salesman = cls._group_user(
            "fa_flow_sales", "sales_team.group_sale_salesman"
        )
        cls.note_model = cls.env["forklift.oldpart.return"]

    def _snapshot(self, note):
        return {
            "state": note.state,
            "verdict": note.verdict,
            "sc": note.sc_inspected_by_id,
            "qa": note.qa_inspected_by_id,
            "picking": note.picking_id,
            "sale": note.sale_order_id,
            "invoice": note.invoice_id,
            "charged": note.charged_amount,
            "charged_user": note.charged_user_id,
            "due": note.due_date,
            "lines": [
                (line.product_id, line.quantity, line.unit_cost)
                for line in note.line_ids
            ],
        }

    def _reject(self, note, verdict="misuse"):
        self._inspect_oldparts(
            note,
            verdict,
            "<p>The seal was cut by a foreign object.</p>",
            qa=self.qa_inspector,
        )


@tagged("post_install", "-at_install")
class TestOldpartSignatures(OldpartFlowCommon):
    def test_qa_signature_cannot_be_forged_before_the_service_center_signs(self):
        """R-204, R-232, R-011, 000 §4.3.1.3 / §4.3.2.6: the QA inspector named
        over RPC before the service center signs is refused; signing then does
        not receive the part."""
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        before = self._snapshot(note)
        for vals in (
            {"qa_inspected_by_id": self.qa_inspector.id},
            {"qa_inspected_date": "2026-03-05 10:00:00"},
            {"sc_inspected_by_id": self.staff.id},
        ):
            with self.assertRaises(AccessError):
                note.with_user(self.staff).write(vals)
        # the marker of the flow sent by a client lifts nothing
        with self.assertRaises(AccessError):
            note.with_user(self.staff).with_context(forklift_flow_write=True).write(
                {"qa_inspected_by_id": self.qa_inspector.id}
            )
        self.assertEqual(self._snapshot(note), before)
        note.with_user(self.staff).action_sign_service_center()
        self.assertEqual(note.state, "expected", "QA has not signed")
        self.assertFalse(note.picking_id)
        self.assertFalse(note.qa_inspected_by_id)

    def test_inspection_runs_in_order_by_two_people_of_the_right_groups(self):
        """R-204, R-226, R-232, 000 §4.3.1.3 / §4.3.2.3: the service center
        signs first, then QA, two different people; one user holding both
        groups signs one seat only; a user without the QA group cannot sign
        QA's."""
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        before = self._snapshot(note)
        with self.assertRaises(UserError):
            note.with_user(self.qa_inspector).action_sign_qa()
        with self.assertRaises(AccessError):
            note.with_user(self.qa_inspector).action_sign_service_center()
        self.assertEqual(self._snapshot(note), before)
        note.with_user(self.sc_and_qa).action_sign_service_center()
        with self.assertRaises(AccessError):
            note.with_user(self.staff).action_sign_qa()
        with self.assertRaisesRegex(UserError, "another person"):
            note.with_user(self.sc_and_qa).action_sign_qa()
        with self.assertRaisesRegex(UserError, "already has this signature"):
            note.with_user(self.staff).action_sign_service_center()
        self.assertEqual(note.state, "expected")
        self.assertFalse(note.qa_inspected_by_id)
        self.assertEqual(note.sc_inspected_by_id, self.sc_and_qa)
        note.with_user(self.qa_inspector).action_sign_qa()
        self.assertEqual(note.state, "accepted")
        # signing again does nothing but say why
        picking = note.picking_id
        with self.assertRaisesRegex(UserError, "already inspected"):
            note.with_user(self.qa_inspector).action_sign_qa()
        self.assertEqual(note.picking_id, picking)

    def test_a_group_implying_the_reviewers_group_signs(self):
        """R-204, R-226, 000 §4.3.1.3: the QA manager is QA through his
        position (his group implies QA's): he is offered QA's review and
        signs it; the service center director signs the service center's."""
        self.assertNotIn(
            self.qa_manager,
            self.env.ref("forklift_aftersales.group_forklift_qa").user_ids,
        )
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        note.with_user(self.director).action_sign_service_center()
        qa_review = note.review_ids.filtered(lambda r: r.status == "pending")
        self.assertIn(self.qa_manager, qa_review.reviewer_ids)
        self.assertNotIn(self.director, qa_review.reviewer_ids)
        note.with_user(self.qa_manager).action_sign_qa()
        self.assertEqual(note.state, "accepted")
        self.assertEqual(note.qa_inspected_by_id, self.qa_manager)
        self.assertEqual(note.sc_inspected_by_id, self.director)

    def test_signed_verdict_cannot_change(self):
        """R-204, R-231, 000 §4.3.2.5: the verdict and explanation the
        inspectors sign are fixed by the first signature; the accepted part
        cannot be turned into a rejection billed to the dealer."""
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        note.with_user(self.staff).action_sign_service_center()
        with self.assertRaises(UserError):
            note.with_user(self.staff).write({"verdict": "misuse"})
        with self.assertRaises(UserError):
            note.with_user(self.staff).write({"explanation": "<p>Changed.</p>"})
        with self.assertRaises(UserError):
            note.line_ids.with_user(self.staff).write({"failed_serial": "OTHER"})
        self.assertEqual(note.verdict, "accepted")
        self.assertFalse(note.explanation)
        self.assertEqual(note.line_ids.failed_serial, False)

    def _reviews(self, note):
        note.invalidate_recordset(["review_ids"])
        return note.sudo().review_ids.sorted("sequence")

    def test_qa_cannot_approve_before_the_service_center(self):
        """R-204, R-232, 000 §4.3.1.3: the inspection is a tier validation
        whose first review is the service center's; QA approving its review
        (validate_tier, as RPC would) before it is refused and changes
        nothing, whether the reviews are asked for or not yet."""
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        before = self._snapshot(note)
        with self.assertRaises(UserError):
            note.with_user(self.qa_inspector).validate_tier()
        self.assertFalse(self._reviews(note))
        # the reviews asked for, the service center's still open
        note._request_inspection()
        reviews = self._reviews(note)
        self.assertEqual(len(reviews), 2)
        self._assert_steps_refused(
            note, self.qa_inspector, "validate_tier", "action_sign_qa"
        )
        self.assertEqual(self._snapshot(note), before)
        self.assertFalse(self._reviews(note).filtered(lambda r: r.status == "approved"))
        # asking again or restarting by hand is refused
        self._assert_steps_refused(
            note, self.staff, "request_validation", "restart_validation"
        )
        with self.assertRaises(UserError):
            note.with_user(self.qa_inspector).reject_tier()
        self.assertEqual(self._reviews(note), reviews)
        # in order, the service center's review then QA's
        note.with_user(self.staff).validate_tier()
        self.assertEqual(note.sc_inspected_by_id, self.staff)
        self.assertEqual(note.state, "expected")
        note.with_user(self.qa_inspector).validate_tier()
        self.assertEqual(note.qa_inspected_by_id, self.qa_inspector)
        self.assertEqual(note.state, "accepted")
        self.assertEqual(note.validation_status, "validated")

    def test_one_person_cannot_approve_both_reviews(self):
        """R-204, R-226, 000 §4.3.1.3: a user holding both the service center
        and QA groups approves the service center's review only; his
        validate_tier on QA's review is refused, nothing changed."""
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        note.with_user(self.sc_and_qa).validate_tier()
        sc_review, qa_review = self._reviews(note)
        self.assertEqual(sc_review.status, "approved")
        self.assertEqual(sc_review.done_by, self.sc_and_qa)
        before = self._snapshot(note)
        self._assert_steps_refused(
            note, self.sc_and_qa, "validate_tier", "action_sign_qa"
        )
        self.assertEqual(self._snapshot(note), before)
        self.assertNotEqual(qa_review.status, "approved")
        self.assertFalse(note.qa_inspected_by_id)
        note.with_user(self.qa_inspector).action_sign_qa()
        self.assertEqual(qa_review.done_by, self.qa_inspector)
        self.assertEqual(note.state, "accepted")

    def test_user_cannot_write_the_reviews(self):
        """R-204, R-232, 000 §4.3.1.3: the inspection reviews are written by
        the tier mechanism only; an inspector approving QA's review, or
        naming himself its approver, over RPC is refused."""
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        note.with_user(self.staff).action_sign_service_center()
        qa_review = self._reviews(note)[1]
        before = self._snapshot(note)
        for vals in (
            {"status": "approved"},
            {"done_by": self.staff.id},
            {"reviewed_date": "2026-03-05 10:00:00"},
        ):
            with self.assertRaises(AccessError, msg=str(vals)):
                qa_review.with_user(self.qa_inspector).write(vals)
        with self.assertRaises(AccessError):
            qa_review.with_user(self.qa_inspector).unlink()
        with self.assertRaises(AccessError):
            self.env["tier.review"].with_user(self.qa_inspector).create(
                {
                    "model": note._name,
                    "res_id": note.id,
                    "definition_id": qa_review.definition_id.id,
                    "status": "approved",
                }
            )
        self.assertEqual(self._snapshot(note), before)
        self.assertNotEqual(qa_review.status, "approved")
        self.assertEqual(len(self._reviews(note)), 2)

    def test_signatures_come_from_the_reviews_only(self):
        """R-204, R-232, R-011, 000 §4.3.1.3: the signature fields are copied
        by the server from the approved reviews; once the service center's is
        approved, writing QA's signature (or changing the service center's)
        over RPC is refused and receives nothing."""
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        note.with_user(self.staff).action_sign_service_center()
        sc_review = self._reviews(note)[0]
        self.assertEqual(note.sc_inspected_by_id, sc_review.done_by)
        self.assertEqual(note.sc_inspected_date, sc_review.reviewed_date)
        before = self._snapshot(note)
        for user in (self.qa_inspector, self.staff, self.director):
            for vals in (
                {"qa_inspected_by_id": self.qa_inspector.id},
                {"qa_inspected_date": "2026-03-05 10:00:00"},
                {"sc_inspected_by_id": self.director.id},
                {"sc_inspected_date": False},
            ):
                with self.assertRaises(AccessError, msg=str(vals)):
                    note.with_user(user).write(vals)
        self.assertEqual(self._snapshot(note), before)
        self.assertFalse(note.picking_id)


@tagged("post_install", "-at_install")
class TestOldpartFlowFields(OldpartFlowCommon):
    def test_returns_are_opened_only_by_a_shipment(self):
        """R-011, R-167, R-229, 000 §4.3.2.5: a return is created by the
        shipment of its request, never by hand (nor in a late state)."""
        request = self._shipped_request()
        count = self.note_model.search_count([])
        for vals in (
            {"request_id": request.id},
            {"request_id": request.id, "state": "company"},
            {
                "request_id": request.id,
                "line_ids": [
                    Command.create({"product_id": self.part.id, "quantity": 9})
                ],
            },
        ):
            with self.assertRaises(AccessError):
                self.note_model.with_user(self.staff).create(vals)
        with self.assertRaises(AccessError):
            self.note_model.with_user(self.staff).with_context(
                default_state="accepted", forklift_flow_write=True
            ).create({"request_id": request.id})
        self.assertEqual(self.note_model.search_count([]), count)

    def test_flow_fields_refused_on_write(self):
        """R-011, R-226, R-228, R-231, 000 §4.3.2.3–6: state, dates, amounts,
        the charged technician, links to the receipt and the invoice and the
        parts expected back change only through the procedure."""
        note = self._shipped_request(applicant="technician").oldpart_return_ids
        other = self._shipped_request().oldpart_return_ids
        before = self._snapshot(note)
        for vals in (
            {"state": "company"},
            {"state": "accepted"},
            {"due_date": "2027-01-01"},
            {"charged_amount": 1},
            {"charged_user_id": self.staff.id},
            {"picking_id": other.request_id.picking_id.id},
            {"request_id": other.request_id.id},
            {"sc_inspected_date": "2026-03-05 10:00:00"},
        ):
            with self.assertRaises(AccessError, msg=str(vals)):
                note.with_user(self.director).write(vals)
        for vals in (
            {"quantity": 1},
            {"unit_cost": 0},
            {"product_id": self.forklift_product.id},
        ):
            with self.assertRaises(AccessError, msg=str(vals)):
                note.line_ids.with_user(self.director).write(vals)
        with self.assertRaises(AccessError):
            note.with_user(self.staff).write(
                {"line_ids": [Command.create({"product_id": self.part.id})]}
            )
        with self.assertRaises(UserError):
            note.line_ids.with_user(self.director).unlink()
        self.assertEqual(self._snapshot(note), before)

    def test_actions_check_state_and_group(self):
        """R-226, R-228, 000 §4.3.2.4: charging twice, accepting a charged part
        as missing or disputing an unsettled part does nothing but say why; a
        QA inspector cannot charge a technician."""
        note = self._shipped_request(applicant="technician").oldpart_return_ids
        with self.assertRaises(AccessError):
            note.with_user(self.qa_inspector).action_charge_technician()
        note.with_user(self.staff).action_charge_technician()
        before = self._snapshot(note)
        with self.assertRaises(UserError):
            note.with_user(self.staff).action_charge_technician()
        with self.assertRaises(UserError):
            note.with_user(self.director).write({"not_returned_reason": "Other"})
        with self.assertRaises(UserError):
            note.with_user(self.director).action_accept_not_returned()
        self.assertEqual(self._snapshot(note), before)

    def test_settled_return_cannot_be_deleted(self):
        """R-011, R-232: a return inspected or settled stays (its receipt or
        invoice would be orphaned)."""
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        note.with_user(self.staff).action_sign_service_center()
        with self.assertRaises(UserError):
            note.with_user(self.director).unlink()
        note.with_user(self.qa_inspector).action_sign_qa()
        with self.assertRaises(UserError):
            note.with_user(self.director).unlink()
        self.assertTrue(note.exists())
        self.assertEqual(note.state, "accepted")


@tagged("post_install", "-at_install")
class TestOldpartStock(OldpartFlowCommon):
    def _quarantined_parts_on_sale(self):
        """Two old parts accepted into quarantine, none of the part left in
        WH/Stock, and a salesman's confirmed order for two: its delivery."""
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        note.with_user(self.staff).action_sign_service_center()
        note.with_user(self.qa_inspector).action_sign_qa()
        self.assertEqual(
            self.part.with_context(location=self.old_parts.id).qty_available, 2
        )
        free = self.part.with_context(location=self.spare_parts.id).qty_available
        self.env["stock.quant"]._update_available_quantity(
            self.part, self.spare_parts, -free
        )
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer_b.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.part.id, "product_uom_qty": 2}
                        )
                    ],
                }
            )
        )
        order.with_user(self.salesman).action_confirm()
        return order.picking_ids

    def test_sale_order_cannot_reserve_quarantined_parts(self):
        """R-230, R-233, 000 §4.3.2.6: the accepted old parts are in stock,
        but outside WH/Stock: a salesman's order for the part reserves none of
        them (nor a returned forklift)."""
        picking = self._quarantined_parts_on_sale()
        warehouse = self.env.ref("stock.warehouse0")
        stock = warehouse.lot_stock_id
        returned = self.env.ref("forklift_aftersales.stock_location_returned_vehicles")
        qa_hold = self.env.ref("forklift_aftersales.stock_location_qa_hold")
        for location in (self.old_parts, returned, qa_hold):
            self.assertFalse(
                self.env["stock.location"].search_count(
                    [("id", "=", location.id), ("id", "child_of", stock.id)]
                ),
                location.complete_name,
            )
            self.assertEqual(location.warehouse_id, warehouse)
        self.assertTrue(picking)
        picking.action_assign()
        self.assertNotEqual(picking.state, "assigned")
        self.assertFalse(picking.move_ids.move_line_ids)
        self.assertEqual(
            self.part.with_context(location=self.old_parts.id).qty_available, 2
        )

    def test_inventory_manager_does_not_move_the_quarantine(self):
        """R-226, R-230, R-233 (000 §4.3.2.6-7): old parts leave the
        quarantine only once the service center and QA signed, and only by
        the service center. An inventory manager with no after-sales role,
        who organises the warehouse's locations, neither moves an
        after-sales location elsewhere (Old Parts under WH/Stock, the
        received parts then sold), changes its type, archives nor deletes it,
        nor carries stock into or out of the quarantine or the spare parts by
        moving a shelf holding it: nothing changes, and the sale's delivery
        reserves none of the old parts. He still renames them, and creates
        and moves empty shelves."""
        delivery = self._quarantined_parts_on_sale()
        manager = self._group_user("fa_flow_inv", "stock.group_stock_manager")
        stock = self.env.ref("stock.stock_location_stock")
        quarantine = self.env.ref("forklift_aftersales.stock_location_quarantine")
        nonwarranty = self.env.ref(
            "forklift_aftersales.stock_location_nonwarranty_old_parts"
        )
        qa_hold = self.env.ref("forklift_aftersales.stock_location_qa_hold")
        Location = self.env["stock.location"].with_user(manager)
        shelf = Location.create({"name": "Shelf Q1", "location_id": quarantine.id})
        self.env["stock.quant"]._update_available_quantity(self.part, shelf, 1)
        empty = Location.create({"name": "Shelf Q2", "location_id": quarantine.id})
        view = self.env.ref("stock.warehouse0").view_location_id
        ordinary = Location.create({"name": "Shelf S1", "location_id": view.id})
        self.env["stock.quant"]._update_available_quantity(self.part, ordinary, 1)
        locations = (
            self.old_parts,
            nonwarranty,
            qa_hold,
            quarantine,
            self.spare_parts,
            shelf,
            ordinary,
        )

        def snapshot():
            self.env.invalidate_all()
            return [
                (loc.location_id, loc.usage, loc.active, loc.exists())
                for loc in locations
            ]

        before = snapshot()
        attacks = (
            (self.old_parts, {"location_id": stock.id}),
            (nonwarranty, {"location_id": stock.id}),
            (quarantine, {"location_id": stock.id}),
            (self.spare_parts, {"location_id": quarantine.id}),
            (nonwarranty, {"usage": "inventory"}),
            (qa_hold, {"usage": "view"}),
            (qa_hold, {"active": False}),
            (shelf, {"location_id": stock.id}),
            (shelf, {"location_id": nonwarranty.id}),
            (ordinary, {"location_id": self.spare_parts.id}),
        )
        for location, vals in attacks:
            with (
                self.subTest(location=location.name, vals=vals),
                self.assertRaises(AccessError),
            ):
                location.with_user(manager).write(vals)
        for location in (qa_hold, nonwarranty):
            with self.subTest(unlink=location.name), self.assertRaises(AccessError):
                location.with_user(manager).unlink()
        self.assertEqual(snapshot(), before)
        delivery.action_assign()
        self.assertFalse(delivery.move_ids.move_line_ids)
        self.assertEqual(
            self.part.with_context(location=self.old_parts.id).qty_available, 2
        )
        # the warehouse's own organisation stays his
        self.old_parts.with_user(manager).name = "Old Parts (warranty)"
        empty.with_user(manager).location_id = stock
        empty.with_user(manager).location_id = quarantine
        empty.with_user(manager).unlink()
        ordinary.with_user(manager).location_id = stock

    def test_no_line_of_ones_own_takes_quarantined_parts(self):
        """R-230, R-233, 000 §4.3.2.6: Odoo lets every internal user write
        stock move lines; staff reserve none on the accepted old parts in
        quarantine, and a line the warehouse adds from them to a sale's
        delivery does not ship: the delivery is refused, the parts stay."""
        move = self._quarantined_parts_on_sale().move_ids
        self.assertFalse(move.move_line_ids)
        line = {
            "product_id": self.part.id,
            "product_uom_id": self.part.uom_id.id,
            "location_id": self.old_parts.id,
            "location_dest_id": move.location_dest_id.id,
            "quantity": 2,
            "company_id": self.env.company.id,
        }
        on_sale = dict(line, move_id=move.id, picking_id=move.picking_id.id)
        lines = self.env["stock.move.line"]
        for vals in (line, on_sale):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                lines.with_user(self.staff).create(vals)
        lines.with_user(self.warehouse_user).create(on_sale)
        move.picked = True
        with self.assertRaises(UserError) as refused:
            move.picking_id.with_user(self.warehouse_user).with_context(
                skip_sms=True, skip_backorder=True
            ).button_validate()
        self.assertIn("no sale", str(refused.exception))
        self.assertNotEqual(move.state, "done")
        self.assertEqual(
            self.part.with_context(location=self.old_parts.id).qty_available, 2
        )

    def test_no_line_of_ones_own_joins_a_move_of_the_held_stock(self):
        """R-230, R-005, 000 §4.3.2.6: a staff member re-points a line of an
        ordinary delivery onto the done receipt of old parts into quarantine,
        or onto a spare-parts move: refused, the line and the moves as they
        were (the line's own locations are not the only way in)."""
        delivery = self._quarantined_parts_on_sale()
        self.env["stock.quant"]._update_available_quantity(
            self.part, self.env.ref("stock.stock_location_stock"), 2
        )
        delivery.action_assign()
        line = delivery.move_line_ids
        self.assertEqual(len(line), 1)
        received = self.env["stock.move"].search(
            [("location_dest_id", "=", self.old_parts.id), ("state", "=", "done")]
        )
        released = self.env["stock.move"].search(
            [("location_id", "=", self.spare_parts.id), ("state", "=", "done")]
        )
        self.assertTrue(received and released)
        before = [(m, m.quantity) for m in received | released]
        for move in (received[:1], released[:1]):
            with self.subTest(move=move.reference), self.assertRaises(AccessError):
                line.with_user(self.staff).write({"move_id": move.id})
            self.assertEqual(line.move_id, delivery.move_ids)
        self.assertEqual([(m, m.quantity) for m, _qty in before], before)

    def test_rejected_part_is_invoiced_without_a_second_delivery(self):
        """R-231, R-016, 000 §4.3.2.5: the part rejected is billed to the dealer
        as a part sale, but it was already shipped under the warranty: one
        invoice, no new delivery, no sale order to ship."""
        note = self._shipped_request().oldpart_return_ids
        pickings = self.env["stock.picking"].search_count([])
        orders = self.env["sale.order"].search_count([])
        self._reject(note)
        self.assertEqual(note.state, "rejected")
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)
        self.assertEqual(self.env["sale.order"].search_count([]), orders)
        invoice = note.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice, note.invoice_id)
        self.assertEqual(invoice.partner_id, self.dealer_a)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 520)
        self.assertEqual(invoice.invoice_line_ids.quantity, 2)

    def test_partial_delivery_expects_the_shipped_quantity(self):
        """R-167, R-229, 000 §4.3.2.5: after a partial delivery, the return
        expects what was shipped, not what was requested."""
        request = self._partly_shipped_request()
        note = request.oldpart_return_ids
        self.assertEqual(len(note), 1)
        self.assertEqual(note.line_ids.quantity, 1)
        self.assertEqual(note.line_ids.unit_cost, 150)

    def _half_shipped_request(self):
        """Dealer A's request of two seal kits: one shipped on 2 March 2026,
        the other on a backorder; the part replaced on 3 March, so the first
        old part is due on 2 April (R-167). Returns the request and its
        backorder."""
        with freeze_time("2026-03-02"):
            request = self._partly_shipped_request()
            backorder = request.picking_id.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 1)
        with freeze_time("2026-03-03"):
            self._replace_parts(request, 1)
        note = request.oldpart_return_ids
        self.assertEqual(len(note), 1)
        self.assertEqual(note.line_ids.quantity, 1)
        self.assertEqual(note.due_date, date(2026, 4, 2))
        return request, backorder

    def test_backorder_adds_its_parts_to_the_waiting_return(self):
        """R-167, R-229, R-235, 000 §4.3.2.5: the part shipped later on the
        backorder is expected back too. While the return still waits for
        the old parts (not shipped back, received, settled nor late), the
        backorder's part joins it, and the return is due 30 days after the
        shipment of its last part."""
        request, backorder = self._half_shipped_request()
        note = request.oldpart_return_ids
        with freeze_time("2026-03-09"):
            self._ship_picking(backorder, 1)
        self.assertEqual(request.oldpart_return_ids, note)
        self.assertEqual(note.line_ids.product_id, self.part)
        self.assertEqual(note.line_ids.quantity, 2)
        self.assertEqual(note.line_ids.unit_cost, 150)
        self.assertEqual(note.due_date, date(2026, 4, 8))
        self.assertEqual(note.state, "expected")

    def test_backorder_after_the_old_parts_left_opens_a_new_return(self):
        """R-167, R-229, R-235, 000 §4.3.2.5: once the old parts of the first
        shipment are on their way back or received, or late, the part shipped
        later on the backorder is expected back on a return of its own, due
        30 days after its shipment; the first return stays as it was."""
        steps = {
            "shipped back": lambda note: note.with_user(self.staff)._mark_shipped(
                "SF Express", "SF1234567890"
            ),
            "received": lambda note: note.with_user(self.staff)._mark_received(
                date(2026, 3, 12)
            ),
            "late": lambda note: None,
        }
        shipped_on = {
            "shipped back": ("2026-03-20", date(2026, 4, 19)),
            "received": ("2026-03-20", date(2026, 4, 19)),
            "late": ("2026-04-10", date(2026, 5, 10)),
        }
        for step, step_on_note in steps.items():
            with self.subTest(step=step):
                request, backorder = self._half_shipped_request()
                first = request.oldpart_return_ids
                with freeze_time("2026-03-12"):
                    step_on_note(first)
                day, due = shipped_on[step]
                with freeze_time(day):
                    self._ship_picking(backorder, 1)
                    self.assertEqual(first.is_overdue, step == "late")
                second = request.oldpart_return_ids - first
                self.assertEqual(len(second), 1)
                self.assertEqual(second.state, "expected")
                self.assertEqual(second.line_ids.product_id, self.part)
                self.assertEqual(second.line_ids.quantity, 1)
                self.assertEqual(second.due_date, due)
                self.assertEqual(first.line_ids.quantity, 1)
                self.assertEqual(first.due_date, date(2026, 4, 2))

    def test_parts_returned_to_stock_are_not_expected_back(self):
        """R-167, R-230: a part shipped and returned to the warehouse unused
        (a return of the request's delivery, which the warehouse may make)
        replaced nothing: the backorder shipped after it does not bring the
        old parts expected back above the parts the applicant kept."""
        request, backorder = self._half_shipped_request()
        self._return_to_stock(request.picking_id, 1)
        with freeze_time("2026-03-09"):
            self._ship_picking(backorder, 1)
        self.assertEqual(sum(request.oldpart_return_ids.line_ids.mapped("quantity")), 1)

    def _fully_shipped_request(self):
        """Dealer A's request of two seal kits, both shipped (one on the
        delivery, one on its backorder) and expected back on one return.
        Returns the request and the backorder."""
        request, backorder = self._half_shipped_request()
        with freeze_time("2026-03-09"):
            self._ship_picking(backorder, 1)
        note = request.oldpart_return_ids
        self.assertEqual(note.line_ids.quantity, 2)
        return request, backorder

    def test_part_returned_to_stock_is_no_longer_expected_back(self):
        """R-167, R-230, R-005, 000 §4.3.1.2: of two parts shipped, one
        returned to the warehouse unused (a return of the request's delivery)
        after the return of the old parts opened replaced nothing: the return
        still waiting expects one old part, not two, and the dealer is not
        billed for the other. The part back in stock may ship again on the
        request, up to the two approved kept by the applicant."""
        request, backorder = self._fully_shipped_request()
        note = request.oldpart_return_ids
        with freeze_time("2026-03-10"):
            self._return_to_stock(request.picking_id, 1)
        self.assertEqual(note.line_ids.quantity, 1)
        self.assertEqual(note.state, "expected")
        # the rest of the request's delivery, as stock's backorder step makes
        # it: the part may ship again, once, not twice
        again = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": backorder.picking_type_id.id,
                    "partner_id": backorder.partner_id.id,
                    "location_id": backorder.location_id.id,
                    "location_dest_id": backorder.location_dest_id.id,
                    "origin": request.name,
                    "backorder_id": backorder.id,
                    "forklift_parts_request_id": request.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.part.id,
                                "product_uom_qty": 1,
                                "product_uom": self.part.uom_id.id,
                                "location_id": backorder.location_id.id,
                                "location_dest_id": backorder.location_dest_id.id,
                            }
                        )
                    ],
                }
            )
        )
        again.action_confirm()
        self.assertTrue(again._is_forklift_request_delivery())
        with freeze_time("2026-03-11"):
            with self.assertRaisesRegex(UserError, "above the 2 approved"):
                self._ship_picking(again, 2)
            self.assertNotEqual(again.state, "done")
            self._ship_picking(again, 1)
        self.assertEqual(note.line_ids.quantity, 2)

    def test_return_expecting_nothing_more_is_cancelled(self):
        """R-167, R-230: the one part shipped comes back to stock before its
        old part is sent: the return waiting for it expects nothing more and
        is cancelled, not left to fall due and be billed."""
        request, _backorder = self._half_shipped_request()
        note = request.oldpart_return_ids
        with freeze_time("2026-03-05"):
            self._return_to_stock(request.picking_id, 1)
        self.assertFalse(note.line_ids)
        self.assertEqual(note.state, "cancel")

    def test_part_returned_to_stock_once_the_old_parts_left(self):
        """R-167, R-230: once the old parts are on their way back, the return
        is left as it is; it says that a part it expects came back to stock
        unused, for the service center to settle."""
        request, _backorder = self._fully_shipped_request()
        note = request.oldpart_return_ids
        with freeze_time("2026-03-12"):
            note.with_user(self.staff)._mark_shipped("SF Express", "SF1234567890")
        with freeze_time("2026-03-13"):
            self._return_to_stock(request.picking_id, 1)
        self.assertEqual(note.line_ids.quantity, 2)
        self.assertIn("came back to stock", note.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestOldpartCommitteeLinks(OldpartFlowCommon):
    def test_decision_reverses_only_the_returns_own_invoice(self):
        """R-228, R-247, R-231, 000 §4.3.2.4: the paid-part link cannot be
        re-pointed to another customer's order, and even a link set behind the
        procedure's back is not what the committee's decision reverses."""
        service = self.env["product.product"].create(
            {"name": "Site inspection", "type": "service", "lst_price": 80}
        )
        other_order = self.env["sale.order"].create(
            {
                "partner_id": self.customer_b.id,
                "order_line": [Command.create({"product_id": service.id})],
            }
        )
        other_order.action_confirm()
        other_invoice = other_order._create_invoices()
        other_invoice.action_post()
        note = self._shipped_request().oldpart_return_ids
        self._reject(note)
        own_invoice = note.invoice_id
        with self.assertRaises(AccessError):
            note.with_user(self.staff).write({"sale_order_id": other_order.id})
        with self.assertRaises(AccessError):
            note.with_user(self.staff).write({"invoice_id": other_invoice.id})
        self.assertFalse(note.sale_order_id)
        self.assertEqual(note.invoice_id, own_invoice)
        note.with_user(self.staff).action_dispute()
        # a link that does not belong to this return, set behind its back
        note._write_flow({"sale_order_id": other_order.id})
        self._decide(
            note.committee_review_ids,
            self.quorum,
            cost_bearer="company",
        )
        self.assertEqual(note.state, "company")
        self.assertEqual(own_invoice.payment_state, "reversed")
        self.assertNotEqual(other_invoice.payment_state, "reversed")
        self.assertFalse(other_invoice.reversal_move_ids)

    def test_review_cannot_be_pointed_at_a_return(self):
        """R-020, R-207, R-247: a review is pointed at a disputed return by the
        dispute itself; a review typed by hand cannot act on a return, and the
        decision refuses a return not in dispute."""
        note = self._shipped_request().oldpart_return_ids
        self._reject(note)
        review = self._review()
        with self.assertRaises(AccessError):
            review.with_user(self.chief_engineer).write(
                {"subject_type": "oldpart", "oldpart_return_id": note.id}
            )
        with self.assertRaises(AccessError):
            self.review_model.with_user(self.staff).create(
                {
                    "subject_type": "oldpart",
                    "title": "Forged",
                    "oldpart_return_id": note.id,
                }
            )
        self.assertFalse(note.committee_review_ids)
        # a review of another return cannot settle this one
        with self.assertRaises(UserError):
            note._apply_committee_decision(review)
        self.assertEqual(note.state, "rejected")


@tagged("post_install", "-at_install")
class TestCommitteeQuorum(OldpartFlowCommon):
    def test_member_without_a_seat_cannot_decide_alone(self):
        """R-020, R-057, R-248, 000 §5: a committee group member without a
        seat types three seat holders as present and decides: refused, the
        review unchanged."""
        review = self._review()
        review.decision = "<p>Decided alone.</p>"
        members = self.quorum
        with self.assertRaises(AccessError):
            review.with_user(self.committee_no_seat).write(
                {"attendee_ids": [Command.set(members.ids)]}
            )
        self._assert_steps_refused(
            review,
            self.committee_no_seat,
            "action_confirm_attendance",
            "request_validation",
            error=AccessError,
        )
        self.assertEqual(review.state, "draft")
        self.assertFalse(review.attendee_ids)
        self.assertFalse(review.decided_by_id)

    def test_each_member_confirms_his_own_attendance(self):
        """R-020, R-248, 000 §5: a seat holder cannot record others present;
        the quorum counts seat holders who confirmed themselves, and the one
        who records the decision is one of them."""
        review = self._review()
        review.decision = "<p>Replace the supplier.</p>"
        with self.assertRaises(AccessError):
            review.with_user(self.chief_engineer).write(
                {"attendee_ids": [Command.link(self.qa_manager.id)]}
            )
        with self.assertRaises(AccessError):
            review.with_user(self.chief_engineer).create(
                {
                    "title": "Pre-filled",
                    "attendee_ids": [Command.set(self.qa_manager.ids)],
                }
            )
        review.with_user(self.chief_engineer).action_confirm_attendance()
        with self.assertRaisesRegex(UserError, "already confirmed"):
            review.with_user(self.chief_engineer).action_confirm_attendance()
        with self.assertRaisesRegex(ValidationError, "At least 3 seat holders"):
            review.with_user(self.chief_engineer).request_validation()
        self._confirm(review, self.qa_manager | self.rnd_manager)
        with self.assertRaisesRegex(UserError, "Confirm your own attendance"):
            review.with_user(self.director).request_validation()
        self.assertEqual(review.state, "draft")
        review.with_user(self.rnd_manager).request_validation()
        self._sign(review)
        self.assertEqual(review.state, "done")
        self.assertEqual(review.decided_by_id, self.rnd_manager)

    def _submit(self, review, attendees, user):
        review.decision = "<p>Replace the chain supplier.</p>"
        self._confirm(review, attendees)
        review.with_user(user).request_validation()

    def test_every_member_present_signs_the_decision(self):
        """R-020, R-057, 000 §4.2.4: the decision is on the tier validation:
        one review per member present but the one who submitted it; it takes
        effect at the last signature, and nobody else signs for them."""
        review = self._review()
        present = self.quorum
        self._submit(review, present, self.chief_engineer)
        self.assertEqual(
            review.review_ids.forklift_member_id, self.qa_manager | self.rnd_manager
        )
        self.assertEqual(set(review.review_ids.mapped("status")), {"pending"})
        self.assertEqual(review.review_ids.requested_by, self.chief_engineer)
        for member in self.qa_manager | self.rnd_manager:
            self.assertIn(member.name, review.to_validate_message)
        # the one who submitted, a seat holder absent, a member without a seat
        for user in (self.chief_engineer, self.director, self.committee_no_seat):
            with self.assertRaises(UserError):
                review.with_user(user).validate_tier()
        review.with_user(self.qa_manager).validate_tier()
        with self.assertRaises(UserError):
            review.with_user(self.qa_manager).validate_tier()
        self.assertEqual(review.state, "draft", "one member still to sign")
        self.assertFalse(review.decided_by_id)
        review.with_user(self.rnd_manager).validate_tier()
        self.assertEqual(review.state, "done")
        self.assertEqual(review.decided_by_id, self.chief_engineer)
        self.assertEqual(
            review.review_ids.mapped("done_by"), self.qa_manager | self.rnd_manager
        )

    def test_signatures_cannot_be_forged_or_the_decision_changed(self):
        """R-020, 000 §4.2.4: while the decision waits for the signatures, a
        member cannot mark his review approved, the attendance and the text
        are fixed, and a member absent cannot take it back."""
        review = self._review()
        present = self.quorum
        self._submit(review, present, self.chief_engineer)
        tier = review.review_ids.filtered(
            lambda r: r.forklift_member_id == self.qa_manager
        )
        with self.assertRaises(AccessError):
            tier.with_user(self.chief_engineer).write({"status": "approved"})
        with self.assertRaises(AccessError):
            tier.with_user(self.chief_engineer).write(
                {"forklift_member_id": self.chief_engineer.id}
            )
        with self.assertRaisesRegex(UserError, "out for the members' signatures"):
            review.with_user(self.director).action_confirm_attendance()
        with self.assertRaisesRegex(UserError, "out for the members' signatures"):
            review.with_user(self.rnd_manager).action_withdraw_attendance()
        with self.assertRaises(ValidationError):
            review.with_user(self.chief_engineer).write(
                {"decision": "<p>Something else.</p>"}
            )
        with self.assertRaises(AccessError):
            review.with_user(self.director).restart_validation()
        with self.assertRaisesRegex(UserError, "already waiting"):
            review.with_user(self.qa_manager).request_validation()
        self.assertEqual(len(review.review_ids), 2)
        self.assertEqual(review.attendee_ids, present)
        self.assertIn("Replace the chain supplier", review.decision)
        self.assertEqual(set(review.review_ids.mapped("status")), {"pending"})

    def test_follow_up_actions_are_signed_with_the_decision(self):
        """R-020, R-057, 000 §4.2.4: the follow-up actions are part of the
        decision the members present sign. Before the request, only they set
        them: a seat holder absent from the meeting (purchasing), or a member
        without a seat, neither creates, changes nor deletes one. While the
        decision is out for the signatures nobody does, present or not, on
        the actions or through the review: the last signature decides the
        actions the members signed."""
        Action = self.env["forklift.committee.action"]
        review = self._review()
        present = self.quorum
        self._confirm(review, present)
        recall = "Recall and replace brake master cylinders of batch 2026-03"
        vals = {
            "review_id": review.id,
            "name": recall,
            "user_id": self.qa_manager.id,
            "date_deadline": "2030-01-31",
        }
        forged = {
            "name": "Send a reminder letter",
            "date_deadline": "2030-12-31",
            "user_id": self.purchasing_manager.id,
        }
        absent = (self.purchasing_manager, self.director, self.committee_no_seat)
        for user in absent:
            with self.subTest(user=user.login, before="request"):
                with self.assertRaisesRegex(AccessError, "member present"):
                    Action.with_user(user).create(dict(vals, name="Absent idea"))
                with self.assertRaisesRegex(AccessError, "member present"):
                    review.with_user(user).write(
                        {"action_ids": [Command.create(dict(vals, name="Absent"))]}
                    )
        action = Action.with_user(self.chief_engineer).create(vals)
        for user in absent:
            with self.subTest(user=user.login, before="request", action=action.id):
                with self.assertRaisesRegex(AccessError, "member present"):
                    action.with_user(user).write(forged)
                with self.assertRaisesRegex(AccessError, "member present"):
                    action.with_user(user).unlink()
        self.assertEqual(review.action_ids, action)
        review.with_user(self.chief_engineer).write(
            {"decision": "<p>Recall the batch.</p>"}
        )
        review.with_user(self.chief_engineer).request_validation()
        review.with_user(self.qa_manager).validate_tier()
        kept = self._field_values(action, ["name", "user_id", "date_deadline"])
        for user in (*absent, self.chief_engineer, self.rnd_manager):
            attacks = {
                "create": lambda user=user: Action.with_user(user).create(
                    dict(vals, name="Late idea")
                ),
                "write": lambda user=user: action.with_user(user).write(forged),
                "unlink": lambda user=user: action.with_user(user).unlink(),
            }
            for command in (
                Command.create(dict(vals, name="Late idea")),
                Command.update(action.id, forged),
                Command.delete(action.id),
                Command.set([]),
            ):
                attacks[str(command)] = lambda user=user, command=command: (
                    review.with_user(user).write({"action_ids": [command]})
                )
            for attack, call in attacks.items():
                with self.subTest(user=user.login, attack=attack):
                    with self.assertRaises(UserError):
                        call()
        with self.assertRaisesRegex(UserError, "out for the members' signatures"):
            action.with_user(self.rnd_manager).write(forged)
        review.invalidate_recordset()
        self.assertEqual(review.action_ids, action)
        self.assertEqual(
            self._field_values(action, ["name", "user_id", "date_deadline"]), kept
        )
        review.with_user(self.rnd_manager).validate_tier()
        self.assertEqual(review.state, "decided")
        self.assertEqual(review.action_ids.name, recall)
        self.assertEqual(review.action_ids.user_id, self.qa_manager)
        self.assertEqual(review.action_ids.activity_id.user_id, self.qa_manager)

    def test_refused_decision_is_rewritten_and_signed_again(self):
        """R-020: a member present refuses the decision as written: nothing is
        applied; a member present takes it back, rewrites it and submits it
        again, and every member signs anew."""
        review = self._review()
        present = self.quorum
        self._submit(review, present, self.chief_engineer)
        review.with_user(self.qa_manager).validate_tier()
        review.with_user(self.rnd_manager).reject_tier()
        self.assertEqual(review.validation_status, "rejected")
        self.assertEqual(review.state, "draft")
        self.assertFalse(review.decided_by_id, "nothing applied")
        self.assertFalse(review.member_line_ids)
        review.with_user(self.qa_manager).restart_validation()
        self.assertFalse(review.review_ids, "every signature dropped")
        review.with_user(self.chief_engineer).write(
            {"decision": "<p>Retrofit the fleet first.</p>"}
        )
        review.with_user(self.rnd_manager).request_validation()
        self.assertEqual(
            review.review_ids.forklift_member_id,
            self.chief_engineer | self.qa_manager,
        )
        self._sign(review)
        self.assertEqual(review.state, "done")
        self.assertEqual(review.decided_by_id, self.rnd_manager)
        self.assertIn("Retrofit", review.decision)

    def test_refused_decision_keeps_its_actions_until_taken_back(self):
        """R-020: a decision refused keeps its follow-up actions as signed
        until a member present takes it back; then the members present
        rewrite them with the text, and sign them anew."""
        review = self._review()
        present = self.quorum
        self._confirm(review, present)
        action = (
            self.env["forklift.committee.action"]
            .with_user(self.chief_engineer)
            .create(
                {
                    "review_id": review.id,
                    "name": "Retrain the technicians",
                    "user_id": self.technician.id,
                    "date_deadline": "2030-01-31",
                }
            )
        )
        self._submit(review, present, self.chief_engineer)
        review.with_user(self.rnd_manager).reject_tier()
        with self.assertRaisesRegex(UserError, "out for the members' signatures"):
            action.with_user(self.rnd_manager).write({"name": "Retrofit first"})
        review.with_user(self.qa_manager).restart_validation()
        action.with_user(self.rnd_manager).write({"name": "Retrofit first"})
        review.with_user(self.rnd_manager).request_validation()
        self._sign(review)
        self.assertEqual(review.state, "decided")
        self.assertEqual(review.action_ids.name, "Retrofit first")

    def test_decided_review_is_fixed(self):
        """R-020, R-248: what the committee decided, who sat and who was
        present are history: not rewritten, not deleted, not decided twice."""
        review = self._review()
        self._confirm(review, self.chief_engineer)
        review.with_user(self.chief_engineer).action_ids = [
            Command.create(
                {
                    "name": "Retrain",
                    "user_id": self.technician.id,
                    "date_deadline": "2030-01-01",
                }
            )
        ]
        self._decide(review, self.quorum)
        self.assertEqual(review.state, "decided")
        decision = review.decision
        for vals in ({"decision": "<p>Other.</p>"}, {"cost_bearer": "dealer"}):
            with self.assertRaises(UserError):
                review.with_user(self.chief_engineer).write(vals)
        for vals in (
            {"state": "draft"},
            {"decided_by_id": self.director.id},
            {"attendee_ids": [Command.link(self.director.id)]},
        ):
            with self.assertRaises(AccessError):
                review.with_user(self.director).write(vals)
        line = review.member_line_ids[:1]
        with self.assertRaises(AccessError):
            line.with_user(self.chief_engineer).write({"present": not line.present})
        with self.assertRaises(AccessError):
            self.env["forklift.committee.review.member"].with_user(
                self.chief_engineer
            ).create({"review_id": review.id, "seat_id": self.seat_qa.id})
        with self.assertRaises(AccessError):
            review.action_ids.with_user(self.chief_engineer).write({"is_done": True})
        with self.assertRaises(UserError):
            review.with_user(self.director).unlink()
        with self.assertRaises(UserError):
            review.with_user(self.chief_engineer).request_validation()
        self.assertEqual(review.state, "decided")
        self.assertEqual(review.decision, decision)
        self.assertEqual(review.decided_by_id, self.chief_engineer)
        self.assertFalse(review.action_ids.is_done)
        review.action_ids.with_user(self.technician).action_mark_done()
        with self.assertRaisesRegex(UserError, "already done"):
            review.action_ids.with_user(self.technician).action_mark_done()
        self.assertEqual(review.state, "done")


@tagged("post_install", "-at_install")
class TestAbnormalIssueFlow(OldpartFlowCommon):
    def _issue(self, **vals):
        issue = (
            self.env["forklift.abnormal.issue"]
            .with_user(self.staff)
            .create(
                {
                    "feedback_id": self._verified_case().id,
                    "title": "Mast chatters",
                    "description": "<p>Chatter persists.</p>",
                    **vals,
                }
            )
        )
        return issue.with_env(self.env)

    def test_flow_fields_refused(self):
        """R-009, R-245, R-246, 000 §4.2.4: an issue is not created closed or
        decided, and its state, dates, decision and analyses change only
        through the procedure."""
        issue_model = self.env["forklift.abnormal.issue"].with_user(self.staff)
        count = issue_model.search_count([])
        for vals in (
            {"state": "closed"},
            {"decision": "<p>Forged</p>"},
            {"escalated_date": "2026-03-01 10:00:00"},
        ):
            with self.assertRaises(AccessError):
                issue_model.create(
                    {
                        "feedback_id": self._verified_case().id,
                        "title": "Forged",
                        **vals,
                    }
                )
        self.assertEqual(issue_model.search_count([]), count)
        issue = self._issue()
        issue.with_user(self.staff).action_submit()
        for vals in (
            {"state": "closed"},
            {"decision": "<p>Forged</p>"},
            {"closed_date": "2026-03-01 10:00:00"},
            {"submitted_date": "2026-01-01 10:00:00"},
        ):
            with self.assertRaises(AccessError):
                issue.with_user(self.director).write(vals)
        with self.assertRaises(UserError):
            issue.with_user(self.staff).write({"agreed_date": "2030-01-01"})
        analysis = issue.analysis_ids[:1]
        for vals in (
            {"answered_by_id": self.rnd.id},
            {"department": "qa"},
            {"issue_id": self._issue().id},
        ):
            with self.assertRaises(AccessError):
                analysis.with_user(self.director).write(vals)
        with self.assertRaises(UserError):
            analysis.with_user(self.director).unlink()
        self.assertEqual(issue.state, "analysis")
        self.assertFalse(issue.decision)
        self.assertFalse(issue.closed_date)
        self.assertEqual(len(issue.analysis_ids), 2)

    def test_department_writes_its_own_analysis_once(self):
        """R-245, R-280, 000 §4.2.4: QA does not write R&D's analysis; an
        analysis given is not rewritten."""
        issue = self._issue()
        issue.with_user(self.staff).action_submit()
        rnd = issue.analysis_ids.filtered(lambda a: a.department == "rnd")
        with self.assertRaises(AccessError):
            rnd.with_user(self.qa).write({"analysis": "<p>QA's words.</p>"})
        self.assertFalse(rnd.analysis)
        rnd.with_user(self.rnd).write({"analysis": "<p>Chain tension.</p>"})
        rnd.with_user(self.rnd).action_answer()
        with self.assertRaises(UserError):
            rnd.with_user(self.rnd).write({"analysis": "<p>Rewritten.</p>"})
        with self.assertRaisesRegex(UserError, "already given"):
            rnd.with_user(self.rnd).action_answer()
        self.assertEqual(rnd.answered_by_id, self.rnd)
        self.assertIn("Chain tension", rnd.analysis)

    def test_actions_check_state_group_and_deletion(self):
        """R-009, R-246, 000 §4.2.4: closing before the decision, cancelling
        an issue before the committee, R&D moving the issue and deleting a
        submitted issue are refused with nothing changed."""
        issue = self._issue()
        with self.assertRaises(AccessError):
            issue.with_user(self.rnd).action_submit()
        self.assertEqual(issue.state, "draft")
        issue.with_user(self.staff).action_submit()
        with self.assertRaises(UserError):
            issue.with_user(self.staff).action_close()
        with self.assertRaises(UserError):
            issue.with_user(self.director).unlink()
        issue.with_user(self.staff).action_escalate()
        self.assertEqual(issue.state, "escalated")
        self._assert_steps_refused(
            issue, self.staff, "action_cancel", "action_escalate"
        )
        self.assertEqual(issue.state, "escalated")
        self.assertEqual(len(issue.review_ids), 1)
        review = issue.review_ids
        with self.assertRaises(UserError):
            review.with_user(self.director).unlink()
        # a hand-made review cannot be pointed at the issue
        other = self._review()
        with self.assertRaises(AccessError):
            other.with_user(self.chief_engineer).write({"issue_id": issue.id})
        self.assertEqual(issue.review_ids, review)

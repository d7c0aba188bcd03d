from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.service.model import get_public_method
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestFlowApprovals(ForkliftCommon):
    """Approvals that hold whoever calls: warranty parts requests and local
    purchases attacked as a low-privilege user would over RPC (the ORM with
    ``with_user``), each attack refused with nothing changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        (
            cls.qa_manager,
            cls.aftersales_vp,
            cls.supply_vp,
            cls.office_director,
            cls.warehouse,
        ) = cls._role_users(
            "fa_fl",
            "qa_manager",
            "aftersales_vp",
            "supply_vp",
            "office_director",
            "warehouse",
        )
        cls._govern_dealers(cls.office_director)
        cls.two_hats = cls._group_user(
            "fa_fl_two_hats", "group_forklift_director,group_forklift_qa_manager"
        )
        cls.gearbox = cls.env["product.product"].create(
            {
                "name": "Transmission assembly",
                "is_storable": True,
                "standard_price": 50000,
            }
        )
        cls.spare_parts = cls.env.ref("forklift_aftersales.stock_location_spare_parts")
        for product in (cls.part, cls.gearbox):
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.spare_parts, 10
            )
        cls.case = cls._verified_case()

    # helpers

    def _request(self, product=None, quantity=1, case=None, user=None, **vals):
        model = self.env["forklift.parts.request"].with_user(user or self.staff)
        return model.create(
            {
                **self._parts_request_vals(
                    case or self.case,
                    quantity,
                    "unqualified",
                    product_id=(product or self.part).id,
                ),
                **vals,
            }
        )

    def _deliveries(self, request):
        return self.env["stock.picking"].search(
            [("forklift_parts_request_id", "=", request.id)]
        )

    def _on_hand(self, product):
        return product.with_context(location=self.spare_parts.id).qty_available

    # 1. Approvals skipped

    def test_cancel_then_approve_the_50000_request_is_refused(self):
        """R-196, R-005 (rule e of §6: approvers cannot be bypassed through
        RPC), 000 §4.3.1.2: request_validation, state written to cancel, then
        approved or action_approve: refused, no delivery."""
        request = self._request(self.gearbox)
        self.assertEqual(request.amount_total, 50000)
        request.request_validation()
        self.assertEqual(request.validation_status, "pending")
        for vals in ({"state": "cancel"}, {"state": "approved"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                request.write(vals)
            self.assertEqual(request.state, "draft")
            self.assertEqual(len(request.review_ids), 2)
        # the cancellation itself goes through its button, and drops the reviews
        request.action_cancel()
        self.assertEqual(request.state, "cancel")
        self.assertFalse(request.review_ids)
        with self.assertRaises(AccessError):
            request.write({"state": "approved"})
        with self.assertRaises(UserError):
            request.action_approve()
        # re-opened, it starts the validation again from nothing
        request.action_draft()
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.review_ids)
        with self.assertRaisesRegex(UserError, "not approved yet"):
            request.action_approve()
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.picking_id)
        self.assertFalse(self._deliveries(request))
        self.assertEqual(self._on_hand(self.gearbox), 10)

    def test_client_marker_does_not_lift_the_guard(self):
        """R-005, 000 §4.3.1.2: the flow's context key or OCA's
        skip_validation_check sent by a client changes nothing."""
        request = self._request(self.gearbox)
        request.request_validation()
        for context in (
            {"forklift_flow_write": True},
            {"skip_validation_check": True},
            {"forklift_tier_mechanism": True},
        ):
            with self.subTest(context=context), self.assertRaises(AccessError):
                request.with_context(**context).write(
                    {"state": "approved", "approved_date": "2026-03-02 10:00:00"}
                )
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.approved_date)

    def test_client_key_does_not_lift_the_lock_of_validation(self):
        """R-005, 000 §4.3.1.2: OCA's skip_validation_check sent by a client
        does not lift tier validation's lock either: the application under
        approval or approved no longer changes, not even for the server's own
        code sending the key (which OCA honours for it alone): the approved
        application is locked by its state."""
        request = self._request()
        vals = {
            "reason": "Changed afterwards.",
            "shipping_mode": "freight",
            "urgency": "urgent",
            "technician_id": self.staff.id,
        }
        request.request_validation()
        self._assert_writes_refused(request, self.staff, vals)
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")
        self._assert_writes_refused(request, self.staff, vals)
        with self.assertRaisesRegex(UserError, "is Approved: Reason"):
            request.sudo().with_context(skip_validation_check=True).reason = "Server"
        self.assertFalse(request.reason)

    def test_request_created_approved_is_refused(self):
        """R-005, R-196, 000 §4.3.1.2: a request cannot be created already
        approved, with its approval date, its amount or a delivery."""
        other = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "location_id": self.spare_parts.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        count = self.env["forklift.parts.request"].search_count([])
        for vals in (
            {"state": "approved"},
            {"approved_date": "2026-03-02 10:00:00"},
            {"amount_total": 10},
            {"feedback_parts_total": 10},
            {"picking_id": other.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self._request(self.gearbox, **vals)
        with self.assertRaises(AccessError):
            self.env["forklift.parts.request"].with_user(self.staff).with_context(
                default_state="approved"
            ).create(
                {
                    "feedback_id": self.case.id,
                    "technician_id": self.technician.id,
                    "state": "approved",
                }
            )
        self.assertEqual(self.env["forklift.parts.request"].search_count([]), count)
        self.assertFalse(other.forklift_parts_request_id)

    def test_default_state_from_the_context_is_ignored(self):
        """R-005: default_* keys do not start a request in a late state."""
        request = (
            self.env["forklift.parts.request"]
            .with_user(self.staff)
            .with_context(default_state="approved", default_approved_date="2026-03-02")
            .create({"feedback_id": self.case.id, "technician_id": self.technician.id})
        )
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.approved_date)

    def test_applicant_cannot_type_the_amount_that_chooses_his_band(self):
        """R-196, REQUIREMENTS A-03 (standard cost), 000 §4.3.1.2: unit cost
        and amounts come from the product's cost, never typed."""
        # a cost sent on creation is not kept: the line costs what the part costs
        typed = (
            self.env["forklift.parts.request"]
            .with_user(self.staff)
            .create(
                self._parts_request_vals(
                    self.case,
                    1,
                    "unqualified",
                    product_id=self.gearbox.id,
                    unit_cost=400,
                    amount=400,
                )
            )
        )
        self.assertEqual(typed.line_ids.unit_cost, 50000)
        self.assertEqual(typed.amount_total, 50000)
        typed.action_cancel()
        request = self._request(self.gearbox)
        line = request.line_ids
        # the line's currency is the request's (stored), never one sent
        other_currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", request.currency_id.id)], limit=1)
        )
        self.assertEqual(line.currency_id, request.currency_id)
        for model, vals in (
            (line, {"unit_cost": 400}),
            (line, {"amount": 400}),
            (line, {"currency_id": other_currency.id}),
            (request, {"amount_total": 400}),
            (request, {"feedback_parts_total": 400}),
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                model.write(vals)
        request.invalidate_recordset()
        line.invalidate_recordset()
        self.assertEqual(line.unit_cost, 50000)
        self.assertEqual(line.currency_id, request.currency_id)
        self.assertEqual(request.amount_total, 50000)
        # the chain it asks for is the one of 50,000
        request.request_validation()
        self.assertEqual(
            request.review_ids.definition_id.reviewer_group_id,
            self.env.ref("forklift_aftersales.group_forklift_aftersales_vp")
            | self.env.ref("forklift_aftersales.group_forklift_supply_vp"),
        )

    def test_bands_count_the_sheet_total(self):
        """REQUIREMENTS A-03 (rule d of §6), R-196, 000 §4.3.1.2: 400 and 300
        on one sheet: the second reaches the QA manager."""
        self.part.standard_price = 100
        first = self._request(quantity=4)
        first.request_validation()
        self.assertEqual(
            first.review_ids.definition_id.reviewer_group_id,
            self.env.ref("forklift_aftersales.group_forklift_director"),
        )
        second = self._request(quantity=3)
        self.assertEqual(second.amount_total, 300)
        self.assertEqual(second.feedback_parts_total, 700)
        second.request_validation()
        self.assertEqual(
            second.review_ids.definition_id.reviewer_group_id,
            self.env.ref("forklift_aftersales.group_forklift_qa_manager"),
        )
        with self.assertRaises(UserError):
            second.with_user(self.director).validate_tier()
        self.assertEqual(second.state, "draft", "the director's band is not enough")
        self.assertFalse(second.picking_id)
        # a cancelled request no longer counts
        first.action_cancel()
        self.assertEqual(second.feedback_parts_total, 300)

    def test_band_counts_the_cost_when_approval_is_asked(self):
        """REQUIREMENTS A-03 (standard cost), R-193–R-195, 000 §4.3.1.2: a
        request drafted while its part cost 100 and sent for approval once
        the part costs 3000 goes to the band of what it costs then: the
        applicant keeping an old draft does not choose his approvers by a
        cost the part no longer has."""
        self.part.standard_price = 100
        request = self._request(quantity=4)
        self.assertEqual(request.amount_total, 400)
        self.part.standard_price = 3000
        request.with_user(self.staff).request_validation()
        self.assertEqual(request.line_ids.unit_cost, 3000)
        self.assertEqual(request.amount_total, 12000)
        self.assertEqual(request.feedback_parts_total, 12000)
        self.assertEqual(
            request.review_ids.definition_id.reviewer_group_id,
            self.env.ref("forklift_aftersales.group_forklift_aftersales_vp")
            | self.env.ref("forklift_aftersales.group_forklift_supply_vp"),
        )
        with self.assertRaises(UserError):
            request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.picking_id)
        # once asked, the cost stays what the approvers were asked for
        self.part.standard_price = 100
        self.assertEqual(request.amount_total, 12000)

    def test_director_does_not_approve_his_own_request(self):
        """R-005, R-196, 000 §4.3.1.2: the director applying for parts does
        not approve them."""
        request = self._request(user=self.director, technician_id=self.director.id)
        request.with_user(self.director).request_validation()
        with self.assertRaisesRegex(UserError, "applied for"):
            request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "draft")
        self.assertEqual(request.review_ids.mapped("status"), ["pending"])
        self.assertFalse(request.picking_id)

    def test_who_edited_the_draft_does_not_approve_it(self):
        """R-193, R-005, 000 §4.3.1.2: the application is signed by someone
        other than who wrote it. A director who changed a staff member's draft
        (more parts, another part, what is asked) before its approval was
        asked wrote it too: he does not approve it, nor once it is cancelled
        and re-opened."""
        edits = {
            "quantity": lambda r: r.line_ids.write({"quantity": 3}),
            "new line": lambda r: r.write(
                {
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.part.id,
                                "quantity": 1,
                                "warranty_reason": "wear",
                            }
                        )
                    ]
                }
            ),
            "application": lambda r: r.write({"urgency": "urgent"}),
        }
        for what, edit in edits.items():
            with self.subTest(edit=what):
                request = self._request(case=self._verified_case())
                edit(request.with_user(self.director))
                self.assertLessEqual(request.amount_total, 500, "the director's band")
                request.request_validation()
                with self.assertRaisesRegex(UserError, "applied for"):
                    request.with_user(self.director).validate_tier()
                self.assertEqual(request.state, "draft")
                self.assertFalse(request.review_ids.filtered("done_by"))
                request.action_cancel()
                request.action_draft()
                request.request_validation()
                with self.assertRaisesRegex(UserError, "applied for"):
                    request.with_user(self.director).validate_tier()
                self.assertEqual(request.state, "draft")
                self.assertFalse(request.picking_id)

    def test_one_user_with_two_groups_approves_one_step(self):
        """R-198, R-005, 000 §4.3.1.4: director and QA manager sign an
        abnormal requisition; one person holding both groups signs one."""
        request = self._request(request_type="abnormal", reason="Beyond the book")
        request.request_validation()
        request.with_user(self.two_hats).validate_tier()
        self.assertEqual(request.review_ids.filtered("done_by").done_by, self.two_hats)
        with self.assertRaisesRegex(UserError, "already approved"):
            request.with_user(self.two_hats).validate_tier()
        self.assertEqual(
            sorted(request.review_ids.mapped("status")),
            ["approved", "pending", "waiting"],
        )
        self.assertEqual(request.state, "draft")

    def test_reviews_are_not_written_by_users(self):
        """R-005, 000 §4.3.1.2: a user cannot mark his review approved."""
        request = self._request()
        request.request_validation()
        review = request.review_ids
        with self.assertRaises(AccessError):
            review.with_user(self.director).write({"status": "approved"})
        with self.assertRaises(AccessError):
            review.with_user(self.staff).unlink()
        self.assertEqual(review.status, "pending")
        self.assertEqual(request.state, "draft")

    def test_a_reader_does_not_ask_for_the_approval(self):
        """R-005, 000 §4.3.1.2: asking for approval freezes the application;
        the warehouse, which only reads requests, cannot ask it for a draft
        the technician is still writing."""
        request = self._request()
        with self.assertRaises(AccessError):
            request.with_user(self.warehouse).write({"reason": "Asked"})
        with self.assertRaises(AccessError):
            request.with_user(self.warehouse).request_validation()
        self.assertFalse(request.review_ids)
        self.assertEqual(request.validation_status, "no")
        request.with_user(self.staff).write({"reason": "Seal worn through"})
        request.with_user(self.staff).request_validation()
        self.assertTrue(request.review_ids)

    def test_validation_status_is_not_written_by_users(self):
        """R-196, R-005, 000 §4.3.1.2: the applicant cannot mark his request
        validated and approve it without a single review, before or after
        asking for the approval; the approval counts the reviews themselves."""
        Request = self.env["forklift.parts.request"].with_user(self.staff)
        count = Request.search_count([])
        with self.assertRaises(AccessError):
            self._request(validation_status="validated")
        self.assertEqual(Request.search_count([]), count)
        request = self._request()
        for vals in (
            {"validation_status": "validated"},
            {"validation_status": "rejected"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                request.write(vals)
        with self.assertRaises(UserError):
            request.action_approve()
        # a status written around the guard (server code, as no client can)
        # approves nothing either
        request._as_flow().write({"validation_status": "validated"})
        with self.assertRaisesRegex(UserError, "is not approved yet"):
            request.action_approve()
        request.request_validation()
        with self.assertRaises(UserError):
            request.action_approve()
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.picking_id)

    def test_reader_cannot_restart_a_validation(self):
        """R-005, 000 §4.3.1.2: restarting drops the approvals given; a user
        who may only read the request (the warehouse) cannot."""
        request = self._request(product=self.gearbox)
        request.request_validation()
        request.with_user(self.aftersales_vp).validate_tier()
        approved = request.review_ids.filtered(lambda r: r.status == "approved")
        self.assertEqual(approved.done_by, self.aftersales_vp)
        with self.assertRaises(AccessError):
            request.with_user(self.warehouse).restart_validation()
        self.assertEqual(approved.status, "approved", "the approval stays")
        self.assertEqual(len(request.review_ids), 2)

    def test_only_the_reviewer_whose_turn_it_is_rejects(self):
        """R-005, 000 §4.3.1.2: a user with no review of the request to give
        now (a reader, or the second approver before the first) cannot reject
        it: OCA would cancel the reviews waiting their turn, and the request
        could never be approved. The reviewer whose turn it is rejects."""
        request = self._request(product=self.gearbox)
        request.request_validation()
        statuses = request.review_ids.mapped("status")
        self.assertEqual(statuses, ["pending", "waiting"])
        for user in (self.staff, self.warehouse, self.director, self.supply_vp):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError) as refused:
                    request.with_user(user).reject_tier()
                self.assertRegex(
                    str(refused.exception), "has no review of yours to reject now"
                )
                self.assertEqual(request.review_ids.mapped("status"), statuses)
                self.assertEqual(request.validation_status, "pending")
        request.with_user(self.aftersales_vp).reject_tier()
        self.assertEqual(request.review_ids.mapped("status"), ["rejected", "cancel"])
        self.assertEqual(request.validation_status, "rejected")
        self.assertEqual(request.state, "draft")

    def test_dealer_application_office_director_first(self):
        """R-010, R-083, 000 §4.2.2.3: the office director confirms first, as
        a step of the chain; typing his name confirms nothing."""
        request = self._request(
            applicant_type="dealer", dealer_id=self.dealer_a.id, technician_id=False
        )
        with self.assertRaises(AccessError):
            request.write(
                {"office_confirmed_by": "Zhang", "office_confirmed_date": "2026-03-02"}
            )
        request.request_validation()
        with self.assertRaises(UserError):
            request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "draft")
        self.assertEqual(request.review_ids.mapped("status"), ["pending", "waiting"])
        self.assertFalse(request.office_confirmed_by_id)
        request.with_user(self.office_director).validate_tier()
        self.assertEqual(request.office_confirmed_by_id, self.office_director)
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")

    def test_only_the_dealers_office_director_confirms(self):
        """R-010, R-083, R-196, 000 §4.2.2.3 (经公司所辖办事处主任签字确认): a
        dealer's application is confirmed by the director of the office
        governing that dealer; the director of another office, calling the
        approval over RPC, is refused and nothing changes."""
        other_office = self._group_user(
            "fa_fl_office_b", "group_forklift_office_director"
        )
        self._govern_dealers(other_office, self.dealer_b)
        request = self._request(
            applicant_type="dealer", dealer_id=self.dealer_a.id, technician_id=False
        )
        request.request_validation()
        for method in ("validate_tier", "reject_tier"):
            with self.subTest(method=method), self.assertRaises(UserError):
                getattr(request.with_user(other_office), method)()
        self.assertEqual(request.review_ids.mapped("status"), ["pending", "waiting"])
        self.assertFalse(request.office_confirmed_by_id)
        self.assertNotIn(other_office, request.review_ids.reviewer_ids)
        self.assertEqual(request.state, "draft")
        request.with_user(self.office_director).validate_tier()
        self.assertEqual(request.office_confirmed_by_id, self.office_director)

    def test_dealer_without_office_director_is_not_sent_for_approval(self):
        """R-196, 000 §4.2.2.3: the application of a dealer whose governing
        office director is not named is not sent for approval (no office
        director at all could confirm it), and says what to set."""
        self.dealer_a.forklift_office_director_id = False
        request = self._request(
            applicant_type="dealer", dealer_id=self.dealer_a.id, technician_id=False
        )
        with self.assertRaisesRegex(UserError, "office director"):
            request.with_user(self.staff).request_validation()
        self.assertFalse(request.review_ids)
        self.assertEqual(request.validation_status, "no")

    def test_new_office_director_takes_over_waiting_applications(self):
        """R-196, 000 §4.2.2.3: once the service center director names
        another office director for the dealer, the waiting application is
        his to confirm, no longer his predecessor's."""
        request = self._request(
            applicant_type="dealer", dealer_id=self.dealer_a.id, technician_id=False
        )
        request.request_validation()
        successor = self._group_user(
            "fa_fl_office_new", "group_forklift_office_director"
        )
        self._govern_dealers(successor, self.dealer_a)
        with self.assertRaises(UserError):
            request.with_user(self.office_director).validate_tier()
        self.assertFalse(request.office_confirmed_by_id)
        request.with_user(successor).validate_tier()
        self.assertEqual(request.office_confirmed_by_id, successor)

    def _reviews_approved_by_the_mechanism(self, document):
        """Every review of ``document`` approved by the tier mechanism alone,
        the document still a draft: as OCA's comment wizard leaves it, for
        after-sales staff to carry on."""
        document.sudo()._as_tier_mechanism().review_ids.write({"status": "approved"})
        document.invalidate_recordset()
        self.assertEqual(document.validation_status, "validated")
        self.assertEqual(document.state, "draft")

    def test_only_staff_carry_a_validated_request_on(self):
        """R-005, R-206 (000 §4.3.1.2): a draft request whose reviews are all
        approved is carried on to its delivery by after-sales staff, the
        form's *Approve*; a user who only reads it (the viewer, its
        approver, the warehouse), calling the step over RPC, is refused and
        no delivery is prepared."""
        viewer = self._user("fa_fl_viewer", "forklift_aftersales.group_forklift_viewer")
        request = self._request()
        request.request_validation()
        self._reviews_approved_by_the_mechanism(request)
        approvers = (self.qa_manager, self.aftersales_vp, self.office_director)
        for user in (viewer, *approvers, self.warehouse):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                request.with_user(user).action_approve()
            self.assertEqual(request.state, "draft")
            self.assertFalse(request.sudo().picking_id)
        request.with_user(self.staff).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertTrue(request.sudo().picking_id)

    def test_approving_twice_says_why(self):
        """R-005, 000 §4.3.1.2: approving an approved or shipped request does
        nothing but say why."""
        request = self._request()
        request.request_validation()
        request.with_user(self.director).validate_tier()
        picking = request.sudo().picking_id
        for method in ("action_approve", "validate_tier", "request_validation"):
            with self.subTest(method=method), self.assertRaises(UserError):
                getattr(request.with_user(self.director), method)()
        self.assertEqual(request.state, "approved")
        self.assertEqual(self._deliveries(request), picking)
        picking.action_assign()
        picking.with_user(self.warehouse).button_validate()
        self.assertEqual(request.state, "shipped")
        with self.assertRaises(UserError):
            request.with_user(self.director).action_approve()
        with self.assertRaises(UserError):
            request.action_cancel()
        self.assertEqual(request.state, "shipped")
        self.assertEqual(len(request.oldpart_return_ids), 1)

    def test_cancel_and_reopen_restarts_the_whole_validation(self):
        """R-196, rule c of §6, 000 §4.3.1.2: re-opened, the request asks
        every approver again."""
        request = self._request(self.gearbox)
        request.request_validation()
        request.with_user(self.aftersales_vp).validate_tier()
        request.action_cancel()
        request.action_draft()
        self.assertFalse(request.review_ids)
        request.request_validation()
        self.assertEqual(
            sorted(request.review_ids.mapped("status")), ["pending", "waiting"]
        )
        with self.assertRaises(UserError):
            request.with_user(self.supply_vp).validate_tier()
        self.assertEqual(request.state, "draft", "the supply VP comes second")
        self.assertFalse(request.review_ids.filtered("done_by"))

    # Warranty scope

    def test_warranty_parts_only_for_a_guarantee_in_warranty(self):
        """R-022, R-089, R-215, 000 §4.3.1.1: a sheet judged paid service, or a
        forklift out of warranty, gets no warranty parts request."""
        paid = self._verified_case(responsibility="misuse")
        self.assertEqual(paid.warranty_verdict, "paid")
        old_unit = self._create_unit("SN-OLD-0001", acceptance=date(2020, 1, 10))
        out = self._verified_case(unit=old_unit)
        self.assertEqual(out.warranty_state, "out")
        count = self.env["forklift.parts.request"].search_count([])
        for case in (paid, out):
            with self.subTest(case=case.name), self.assertRaises(UserError) as cm:
                self._request(case=case)
            self.assertIn("paid service", str(cm.exception))
        self.assertEqual(self.env["forklift.parts.request"].search_count([]), count)

    def test_a_request_stays_on_its_sheet(self):
        """R-005, 000 §4.3.1.2: a request is for the sheet it was made from,
        whose verdict allowed it and whose total chose its approvers; neither
        a draft nor an approved or shipped request is moved to another sheet
        (one still at intake, or of the other market), by writing the request
        or linking it from the other sheet."""
        intake = self._create_case()
        export = self._verified_case(
            unit=self._create_unit(
                "SN-EXP-0001", acceptance=self.unit.acceptance_date, market="export"
            )
        )
        draft = self._request()
        approved = self._request()
        approved.request_validation()
        approved.with_user(self.director).validate_tier()
        self.assertEqual(approved.state, "approved")
        for request in (draft, approved):
            kept = self._field_values(
                request, ["feedback_id", "market", "state", "picking_id"]
            )
            for case in (intake, export):
                with self.subTest(request=request.state, case=case.name):
                    with self.assertRaises(AccessError):
                        request.with_user(self.staff).write({"feedback_id": case.id})
                    with self.assertRaises(AccessError):
                        case.with_user(self.staff).write(
                            {"parts_request_ids": [Command.link(request.id)]}
                        )
            request.invalidate_recordset()
            self.assertEqual(
                self._field_values(
                    request, ["feedback_id", "market", "state", "picking_id"]
                ),
                kept,
            )
        self.assertFalse(intake.parts_request_ids)

    # 3. Links re-pointed

    def test_repointed_delivery_is_not_cancelled(self):
        """R-005, 000 §4.2.2.3: picking_id set to another transfer is refused,
        and cancelling the request cancels only its own delivery."""
        sale_delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "location_id": self.env.ref("stock.stock_location_stock").id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": 1,
                            "location_id": self.env.ref(
                                "stock.stock_location_stock"
                            ).id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                ],
            }
        )
        sale_delivery.action_confirm()
        sale_state = sale_delivery.state
        request = self._request()
        request.request_validation()
        request.with_user(self.director).validate_tier()
        own = request.sudo().picking_id
        with self.assertRaises(AccessError):
            request.write({"picking_id": sale_delivery.id})
        self.assertEqual(request.picking_id, own)
        # nor is the transfer pointed at the request by a stock user
        with self.assertRaises(AccessError):
            sale_delivery.with_user(self.warehouse).write(
                {"forklift_parts_request_id": request.id}
            )
        self.assertFalse(sale_delivery.forklift_parts_request_id)
        # and even pointed at it by another way, it is not the request's own
        # delivery: cancelling the request leaves it alone
        sale_delivery.forklift_parts_request_id = request
        request.action_cancel()
        self.assertEqual(own.state, "cancel")
        self.assertEqual(sale_delivery.state, sale_state)

    # 5. Deleted in progress

    def test_approved_request_cannot_be_deleted(self):
        """R-005, 000 §4.3.1.2: an approved or shipped request is not deleted
        (its delivery would lose its approval check)."""
        request = self._request()
        request.request_validation()
        request.with_user(self.director).validate_tier()
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            request.with_user(self.director).unlink()
        self.assertTrue(request.exists())
        self.assertEqual(request.sudo().picking_id.forklift_parts_request_id, request)

    def test_spare_parts_leave_only_on_an_approved_request_delivery(self):
        """R-010, 000 §4.2.2.3, §4.3.1.2: a transfer out of the spare-parts
        stock that is not the delivery of an approved request is refused,
        even to the warehouse, whatever its type or the destination its
        header shows; so is a scrap. A stock count still adjusts it."""
        customers = self.env.ref("stock.stock_location_customers")

        def transfer(request=False, kind="stock.picking_type_out", header=customers):
            picking = self.env["stock.picking"].create(
                {
                    "picking_type_id": self.env.ref(kind).id,
                    "location_id": self.spare_parts.id,
                    "location_dest_id": header.id,
                    "forklift_parts_request_id": request and request.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.part.id,
                                "product_uom_qty": 1,
                                "location_id": self.spare_parts.id,
                                "location_dest_id": customers.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            picking.action_assign()
            return picking

        approved = self._request()
        approved.request_validation()
        approved.with_user(self.director).validate_tier()
        for picking in (
            transfer(),
            transfer(approved),
            # a receipt's type, or a destination inside the spare parts on the
            # transfer and outside on its move: each move is looked at
            transfer(kind="stock.picking_type_in"),
            transfer(header=self.spare_parts),
        ):
            with self.subTest(picking=picking.name), self.assertRaises(UserError):
                picking.with_user(self.warehouse).with_context(
                    skip_sms=True
                ).button_validate()
            self.assertNotEqual(picking.state, "done")
        scrap = (
            self.env["stock.scrap"]
            .with_user(self.warehouse)
            .create(
                {
                    "product_id": self.part.id,
                    "scrap_qty": 1,
                    "location_id": self.spare_parts.id,
                }
            )
        )
        with self.assertRaises(UserError):
            scrap.action_validate()
        self.assertEqual(self._on_hand(self.part), 10)
        self.assertEqual(approved.state, "approved")
        # a stock count is the warehouse's own
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.part.id),
                ("location_id", "=", self.spare_parts.id),
            ]
        )
        quant.inventory_quantity = 9
        quant.action_apply_inventory()
        self.assertEqual(self._on_hand(self.part), 9)

    def test_an_ordinary_delivery_does_not_reserve_the_spare_parts(self):
        """R-010, 000 §4.3.1.2: the spare parts for warranty sit inside
        WH/Stock; a delivery drawing on WH/Stock (a sale's, a transfer's)
        reserves the warehouse's other stock, not them, even when they are
        the oldest on hand, and so goes out; the spare parts stay for the
        requests."""
        stock = self.env.ref("stock.stock_location_stock")
        customers = self.env.ref("stock.stock_location_customers")
        Quant = self.env["stock.quant"]
        # the spare parts came in first: first in, first out would take them
        Quant._update_available_quantity(
            self.part, stock, 3, in_date=fields.Datetime.now()
        )
        Quant.search(
            [
                ("product_id", "=", self.part.id),
                ("location_id", "=", self.spare_parts.id),
            ]
        ).in_date = fields.Datetime.now() - timedelta(days=30)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": 5,
                            "location_id": stock.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.move_ids.quantity, 3, "only the stock outside")
        self.assertEqual(picking.move_line_ids.location_id, stock)
        picking.with_user(self.warehouse).with_context(
            skip_sms=True, skip_backorder=True, picking_ids_not_to_backorder=picking.ids
        ).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._on_hand(self.part), 10)
        # the request's delivery still takes them
        request = self._request()
        request.request_validation()
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.picking_id.move_ids.quantity, 1)
        self.assertEqual(request.picking_id.move_line_ids.location_id, self.spare_parts)


@tagged("post_install", "-at_install")
class TestFlowLocalPurchase(ForkliftCommon):
    """Local purchases (000 §4.3.2.2, R-017, R-103, R-200, R-201) attacked
    as a technician or staff member would over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qa_manager, cls.aftersales_vp = cls._role_users(
            "fl_lp", "qa_manager", "aftersales_vp"
        )
        cls.case = cls._verified_case()

    def _purchase(self, unit_price=300, scan=None):
        purchase = self._local_purchase(
            self.case,
            unit_price,
            scan=scan,
            explanation="Line stopped; seal kit needed at once.",
            claim_date=date(2026, 3, 20),
        )
        purchase.with_user(self.director).action_confirm_consent()
        return purchase

    def _approved(self, scan=None):
        purchase = self._purchase(scan=scan).with_user(self.technician)
        purchase.request_validation()
        for user in (self.director, self.qa_manager, self.aftersales_vp):
            purchase.with_user(user).validate_tier()
        self.assertEqual(purchase.state, "approved")
        return purchase

    def _technicians_scan(self, raw=b"%PDF-1.4 Xiaogan seals, invoice 0042"):
        """The seller's invoice as the technician uploads it."""
        return (
            self.env["ir.attachment"]
            .with_user(self.technician)
            .create({"name": "seller-invoice.pdf", "raw": raw})
        )

    def _bills(self, purchase):
        return self.env["account.move"].search([("ref", "=", purchase.name)])

    def test_approval_is_the_reviews_step_not_a_call(self):
        """R-200, R-201, R-005 (000 §4.3.2.2): a purchase is approved by its
        last review, never by calling the step: ``action_approve``, which no
        form shows, is refused over RPC (``/web/dataset/call_kw``,
        ``/json/2``) to every user, the technician whose purchase's reviews
        are all approved included."""
        purchase = self._purchase().with_user(self.technician)
        purchase.request_validation()
        for user in (self.technician, self.staff, self.director):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                get_public_method(purchase.with_user(user), "action_approve")

    def test_cancel_then_approve_and_reimburse_is_refused(self):
        """R-200, R-201, R-005, 000 §4.3.2.2: cancelled by a state write, then
        approved: refused; action_reimburse makes no bill."""
        purchase = self._purchase().with_user(self.technician)
        purchase.request_validation()
        for vals in ({"state": "cancel"}, {"state": "approved"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                purchase.write(vals)
        purchase.action_cancel()
        self.assertFalse(purchase.review_ids)
        with self.assertRaises(AccessError):
            purchase.write({"state": "approved"})
        with self.assertRaises(UserError):
            purchase.action_approve()
        with self.assertRaises(UserError):
            purchase.with_user(self.staff).action_reimburse()
        purchase.action_draft()
        with self.assertRaises(UserError):
            purchase.action_approve()
        self.assertEqual(purchase.state, "draft")
        self.assertFalse(purchase.bill_id)
        self.assertFalse(self._bills(purchase))

    def test_validation_status_is_not_written_by_users(self):
        """R-200, R-201, R-005: the technician cannot mark his purchase
        validated and have it approved without the reviews."""
        purchase = self._purchase().with_user(self.technician)
        with self.assertRaises(AccessError):
            purchase.write({"validation_status": "validated"})
        with self.assertRaises(UserError):
            purchase.action_approve()
        self.assertEqual(purchase.state, "draft")

    def test_amounts_are_not_typed(self):
        """R-200, R-201, 000 §4.3.2.2: the totals that choose the approvers
        follow the lines."""
        purchase = self._purchase(600).with_user(self.technician)
        for target, vals in (
            (purchase, {"max_unit_price": 100}),
            (purchase, {"amount_total": 100}),
            (purchase.line_ids, {"amount": 100}),
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                target.write(vals)
        purchase.invalidate_recordset()
        self.assertEqual(purchase.max_unit_price, 600)
        self.assertEqual(purchase.amount_total, 1200)

    def test_reimbursed_once_by_someone_else(self):
        """R-017, R-103, 000 §4.3.2.2: reimbursed once, only approved, not by
        the technician himself; the bill is linked by the action only."""
        purchase = self._approved()
        with self.assertRaises(AccessError):
            purchase.with_user(self.technician).action_reimburse()
        other_bill = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.customer.id}
        )
        with self.assertRaises(AccessError):
            purchase.with_user(self.staff).write({"bill_id": other_bill.id})
        self.assertFalse(purchase.bill_id)
        purchase.with_user(self.staff).action_reimburse()
        bill = purchase.bill_id
        self.assertEqual(purchase.state, "reimbursed")
        self._assert_steps_refused(
            purchase, self.staff, "action_reimburse", "action_cancel"
        )
        self.assertEqual(self._bills(purchase), bill)
        self.assertEqual(purchase.state, "reimbursed")

    def test_reimbursed_purchase_cannot_be_deleted(self):
        """R-005, R-017, 000 §4.3.2.2: the bill of a reimbursed purchase is
        never orphaned."""
        purchase = self._approved()
        purchase.with_user(self.staff).action_reimburse()
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            purchase.with_user(self.director).unlink()
        self.assertTrue(purchase.exists())

    def test_a_duplicate_asks_for_its_own_invoice(self):
        """R-017, R-103 (000 §4.3.2.2): a purchase is reimbursed against its
        own seller's invoice: the technician's duplicate of a reimbursed
        purchase starts without the invoice, and goes for approval only once
        one is attached."""
        reimbursed = self._approved(scan=self._technicians_scan())
        reimbursed.with_user(self.staff).action_reimburse()
        duplicate = reimbursed.with_user(self.technician).copy()
        self.assertTrue(reimbursed.invoice_attachment_ids)
        self.assertFalse(duplicate.invoice_attachment_ids)
        duplicate.with_user(self.director).action_confirm_consent()
        with self.assertRaisesRegex(UserError, "Attach the seller's invoice"):
            duplicate.request_validation()
        self.assertFalse(duplicate.review_ids)

    def test_one_seller_invoice_is_reimbursed_once(self):
        """R-017, R-103 (000 §4.3.2.2): a seller's invoice backs one local
        purchase of the company that is not cancelled. Claimed again by the
        technician, with the same file or the same content uploaded again, the
        second purchase is refused its approval, naming the first, and
        nothing of it changes."""
        scan = self._technicians_scan()
        reimbursed = self._approved(scan=scan)
        reimbursed.with_user(self.staff).action_reimburse()
        copied = reimbursed.with_user(self.technician).copy()
        copied.invoice_attachment_ids = [Command.link(scan.id)]
        uploaded_again = self._purchase(scan=self._technicians_scan(scan.raw))
        for purchase in (copied, uploaded_again.with_user(self.technician)):
            with self.subTest(purchase=purchase.name):
                if not purchase.consent_by_id:
                    purchase.with_user(self.director).action_confirm_consent()
                claimed = purchase.claim_date
                with self.assertRaises(UserError) as refused:
                    purchase.request_validation()
                self.assertIn(reimbursed.name, str(refused.exception))
                purchase.invalidate_recordset()
                self.assertEqual(purchase.state, "draft")
                self.assertFalse(purchase.review_ids)
                self.assertEqual(purchase.claim_date, claimed)
                self.assertFalse(self._bills(purchase))
        self.assertEqual(self._bills(reimbursed), reimbursed.bill_id)

    def test_invoice_of_a_reopened_purchase_stops_the_approval(self):
        """R-017, R-103, R-200 (000 §4.3.2.2): the invoice of a cancelled
        purchase is free for another; re-opened, the cancelled purchase
        claims it again, and the other's approval is refused, naming it,
        until one of the two is cancelled."""
        scan = self._technicians_scan()
        first = self._purchase(scan=scan)
        first.with_user(self.staff).action_cancel()
        second = self._purchase(scan=scan).with_user(self.technician)
        second.request_validation()
        for user in (self.director, self.qa_manager):
            second.with_user(user).validate_tier()
        first.with_user(self.staff).action_draft()
        # assertRaises, not assertRaisesRegex: a savepoint undoes what the
        # refused call wrote, as the request's rollback does
        with self.assertRaises(UserError) as refused:
            second.with_user(self.aftersales_vp).validate_tier()
        self.assertIn(first.name, str(refused.exception))
        self.env.invalidate_all()
        self.assertEqual(second.state, "draft")
        self.assertEqual(
            sorted(second.review_ids.mapped("status")),
            ["approved", "approved", "pending"],
        )
        with self.assertRaisesRegex(UserError, second.name):
            first.with_user(self.technician).request_validation()
        first.with_user(self.staff).action_cancel()
        second.with_user(self.aftersales_vp).validate_tier()
        self.assertEqual(second.state, "approved")

    def test_who_edited_the_claim_does_not_approve_it(self):
        """R-200, R-005, 000 §4.3.2.2: the director who changed the unit price
        the technician claims wrote the claim too: he does not sign it, nor
        once it is cancelled and re-opened; the consent he confirmed is no
        writing of the claim."""
        purchase = self._purchase(unit_price=300, scan=self._technicians_scan())
        purchase.line_ids.with_user(self.director).write({"unit_price": 450})
        purchase.with_user(self.technician).request_validation()
        with self.assertRaisesRegex(UserError, "applied for"):
            purchase.with_user(self.director).validate_tier()
        self.assertFalse(purchase.review_ids.filtered("done_by"))
        purchase.with_user(self.staff).action_cancel()
        purchase.with_user(self.staff).action_draft()
        purchase.with_user(self.technician).request_validation()
        with self.assertRaisesRegex(UserError, "applied for"):
            purchase.with_user(self.director).validate_tier()
        self.assertEqual(purchase.state, "draft")
        self.assertFalse(purchase.review_ids.filtered("done_by"))

    def test_technician_does_not_approve_his_purchase(self):
        """R-005, R-200, 000 §4.3.2.2: a director who bought the parts does
        not approve the purchase."""
        purchase = self._purchase()
        purchase.technician_id = self.director
        purchase.request_validation()
        with self.assertRaisesRegex(UserError, "applied for"):
            purchase.with_user(self.director).validate_tier()
        self.assertEqual(
            set(purchase.review_ids.mapped("status")), {"pending", "waiting"}
        )

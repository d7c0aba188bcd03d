from datetime import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.stock_picking import RELEASE_CHECKED
from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestPartsRequest(ForkliftCommon):
    """Warranty parts approval by amount (000 §4.3.1.2, §4.3.1.4) and their
    release from the spare-parts stock (000 §4.2.2.3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        roles = (
            "qa_manager",
            "aftersales_vp",
            "supply_vp",
            "sales_vp_domestic",
            "warehouse",
        )
        cls.approvers = dict(zip(roles, cls._role_users("fa", *roles), strict=True))
        cls.approvers["director"] = cls.director
        cls.approvers["office_director"] = cls._govern_dealers(
            cls._group_user("fa_office_director", "group_forklift_office_director")
        )
        cls.stock_user = cls._group_user("fa_stock_only", "stock.group_stock_user")
        cls.spare_parts = cls.env.ref("forklift_aftersales.stock_location_spare_parts")
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.spare_parts, 20)
        cls.case = cls._verified_case()

    def _request(self, amount, request_type="normal", case=None, **vals):
        """One part whose cost is ``amount``, on a sheet of its own unless
        told: the bands count the sheet's total."""
        self.part.standard_price = amount
        return self.env["forklift.parts.request"].create(
            {
                **self._parts_request_vals(
                    case or self._verified_case(), 1, "unqualified"
                ),
                "request_type": request_type,
                **vals,
            }
        )

    def _release(self, request):
        """The warehouse reserves and validates the request's delivery of
        its one part."""
        warehouse = self.approvers["warehouse"]
        picking = request.picking_id
        picking.with_user(warehouse).action_assign()
        picking.move_ids.quantity = 1
        picking.with_user(warehouse).button_validate()
        return picking

    def _on_hand(self):
        return self.part.with_context(location=self.spare_parts.id).qty_available

    def _required_groups(self, request):
        request.request_validation()
        return sorted(
            request.review_ids.definition_id.reviewer_group_id.mapped(
                lambda g: g.get_external_id()[g.id].split(".")[1]
            )
        )

    def test_every_definition_is_found_for_its_documents(self):
        """OCA finds a document's approval chain by the definition's stored
        model: a definition installed without it would let a 50,000 request
        pass with no review (R-193, R-194, 000 §4.3.1.2)."""
        definitions = self.env["tier.definition"].search([])
        self.assertTrue(definitions)
        for definition in definitions:
            with self.subTest(definition=definition.name):
                self.assertEqual(definition.model, definition.model_id.model)

    def test_normal_bands_at_their_edges(self):
        """R-193, R-194, R-195, R-045, R-049, R-058, R-059 (000 §4.3.1.2,
        A-01): the sheet's amount picks the approvers: up to 500 the service
        center director, up to 2000 the QA manager, above 2000 the after-sales
        and the supply vice presidents."""
        expected = {
            500.0: ["group_forklift_director"],
            500.01: ["group_forklift_qa_manager"],
            2000.0: ["group_forklift_qa_manager"],
            2000.01: ["group_forklift_aftersales_vp", "group_forklift_supply_vp"],
        }
        for amount, groups in expected.items():
            with self.subTest(amount=amount):
                request = self._request(amount)
                self.assertAlmostEqual(request.amount_total, amount, places=2)
                self.assertEqual(self._required_groups(request), groups)

    def test_abnormal_bands_at_their_edges(self):
        """R-012, R-092, R-197, R-198, R-060 (000 §4.3.1.4): parts beyond the
        warranty certificate go on the abnormal requisition: the director and
        the QA manager sign and the after-sales vice president confirms up to
        1000; above it the supply vice president and the sales vice president
        of the forklift's market sign too."""
        base = [
            "group_forklift_aftersales_vp",
            "group_forklift_director",
            "group_forklift_qa_manager",
        ]
        self.assertEqual(self._required_groups(self._request(1000, "abnormal")), base)
        above = self._required_groups(self._request(1000.01, "abnormal"))
        self.assertEqual(
            above,
            sorted(
                base + ["group_forklift_sales_vp_domestic", "group_forklift_supply_vp"]
            ),
        )
        export_unit = self._create_unit(
            "SN-EXP-P", acceptance=self.unit.acceptance_date, market="export"
        )
        export_case = self._verified_case(unit=export_unit)
        export = self._required_groups(
            self._request(1500, "abnormal", case=export_case)
        )
        # the domestic vice president does not approve an export sheet's parts
        # (the export addon gives them to the export one)
        self.assertNotIn("group_forklift_sales_vp_domestic", export)

    def test_wrong_reviewer_cannot_approve(self):
        """R-193, R-045 (000 §4.3.1.2): the QA manager cannot take the
        director's step under 500; nothing is approved nor delivered until the
        director signs."""
        request = self._request(400)
        request.request_validation()
        with self.assertRaises(UserError):
            request.with_user(self.approvers["qa_manager"]).validate_tier()
        self.assertEqual(request.validation_status, "pending")
        with self.assertRaises(UserError):
            request.action_approve()
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.picking_id)
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")

    def test_two_vice_presidents_release_above_2000(self):
        """R-195, R-058, R-059, R-090 (000 §4.3.1.2): above 2000 both vice
        presidents sign before the delivery from the spare-parts stock is made;
        the delivery names its request and prints its departure permit."""
        request = self._request(2400)
        request.request_validation()
        request.with_user(self.approvers["aftersales_vp"]).validate_tier()
        self.assertEqual(request.state, "draft", "the supply VP has not approved yet")
        request.with_user(self.approvers["supply_vp"]).validate_tier()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.picking_id.location_id, self.spare_parts)
        self.assertEqual(request.picking_id.forklift_parts_request_id, request)
        self.assertEqual(request.picking_id.move_ids.product_uom_qty, 1)
        html = self._report_html(
            "forklift_aftersales.action_report_forklift_departure_permit",
            request.picking_id,
        )
        self.assertIn("Departure Permit", html)
        self.assertIn(request.name, html)
        self.assertIn(self.part.name, html)

    def test_amount_cannot_change_under_validation(self):
        request = self._request(400)
        request.request_validation()
        with self.assertRaisesRegex(UserError, "cannot change"):
            request.line_ids.write({"quantity": 0.5})
        with self.assertRaisesRegex(UserError, "under validation"):
            request.write(
                {
                    "line_ids": [
                        Command.create(
                            {"product_id": self.part.id, "warranty_reason": "wear"}
                        )
                    ]
                }
            )
        self.assertEqual(request.amount_total, 400)

    def test_part_line_stays_on_its_request(self):
        """A line moved from a draft request onto one under approval would
        change the amount that chose its approvers without a check (000
        §4.3.1.2): a line stays on the request it was entered on."""
        under_validation = self._request(400)
        under_validation.request_validation()
        draft = self._request(300)
        line = draft.line_ids.with_user(self.staff)
        with self.assertRaisesRegex(AccessError, "never directly"):
            line.write({"request_id": under_validation.id})
        self.assertEqual(line.request_id, draft)
        self.assertEqual(under_validation.amount_total, 400)

    def test_dealer_application_needs_the_office_director_first(self):
        """R-010, R-083, 000 §4.2.2.3: the office director's confirmation is
        the first step of the chain; the director waits for it."""
        request = self._request(
            300,
            applicant_type="dealer",
            dealer_id=self.dealer_a.id,
            technician_id=False,
        )
        self.assertEqual(
            self._required_groups(request),
            ["group_forklift_director", "group_forklift_office_director"],
        )
        with self.assertRaises(UserError):
            request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "draft")
        office = self.approvers["office_director"]
        request.with_user(office).validate_tier()
        self.assertEqual(request.office_confirmed_by_id, office)
        self.assertTrue(request.office_confirmed_on)
        self.assertEqual(request.state, "draft")
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.picking_id.partner_id, self.dealer_a)

    def test_a_dealer_applies_for_its_own_sheets_only(self):
        """R-010, R-055, R-083, R-091 (000 §4.2.2.3, §4.3.1.3): the dealer of
        an application is the sheet's, as on the portal: the service center
        neither files one for another dealer nor moves a sheet's application
        to one, who would receive the parts and owe the old parts."""
        self.assertEqual(self.case.dealer_id, self.dealer_a)
        Request = self.env["forklift.parts.request"].with_user(self.staff)
        vals = {
            **self._parts_request_vals(self.case),
            "applicant_type": "dealer",
            "technician_id": False,
        }
        with self.assertRaises(ValidationError) as refused:
            Request.create({**vals, "dealer_id": self.dealer_b.id})
        self.assertIn("Dealer B Handling is not the dealer of", str(refused.exception))
        self.case.invalidate_recordset()
        self.assertFalse(self.case.parts_request_ids)
        request = Request.create({**vals, "dealer_id": self.dealer_a.id})
        for applicant in ("dealer", "technician"):
            with self.assertRaises(ValidationError):
                request.write(
                    {"applicant_type": applicant, "dealer_id": self.dealer_b.id}
                )
            request.invalidate_recordset()
            self.assertEqual(request.dealer_id, self.dealer_a)
            self.assertEqual(request.applicant_type, "dealer")
        # a sheet without a dealer has no dealer's application
        self.case._write_flow({"dealer_id": False})
        with self.assertRaises(ValidationError):
            Request.create({**vals, "dealer_id": self.dealer_a.id})
        self.assertEqual(self.case.parts_request_ids, request)

    def test_freight_needs_the_applicant_consent(self):
        """R-084, R-203 (000 §4.2.2.3): parts go by express unless the
        applicant agrees to consignment freight; without the name of who agreed
        the request is not sent for approval."""
        request = self._request(300, shipping_mode="freight")
        with self.assertRaisesRegex(UserError, "freight"):
            request.request_validation()
        request.freight_consent_by = "Technician Li"
        request.request_validation()
        self.assertTrue(request.review_ids)

    def test_freight_consent_is_fixed_once_approval_is_asked(self):
        """R-084, R-203 (000 §4.2.2.3): who agreed to consignment freight, and
        when, is part of the application: under approval, approved and
        shipped, the applicant no longer changes it over RPC."""
        request = self._request(300, shipping_mode="freight")
        technician = self.technician
        request.with_user(technician).write(
            {
                "freight_consent_by": "Technician Li",
                "freight_consent_date": "2026-03-02",
            }
        )
        self.assertEqual(request.freight_consent_by, "Technician Li")
        vals = {"freight_consent_by": "Someone else", "freight_consent_date": False}
        request.request_validation()
        self._assert_writes_refused(request, technician, vals)
        with self.assertRaisesRegex(UserError, "under approval"):
            request.with_user(technician).with_context(
                skip_validation_check=True
            ).freight_consent_by = "Someone else"
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")
        self._assert_writes_refused(request, technician, vals)
        self._release(request)
        self.assertEqual(request.state, "shipped")
        self._assert_writes_refused(request, technician, vals)
        with self.assertRaisesRegex(UserError, "is Shipped: Freight Agreed By"):
            request.with_user(technician).freight_consent_by = "Someone else"

    def test_application_is_fixed_once_shipped_or_cancelled(self):
        """R-196, R-084 (000 §4.2.2.3): what is asked, for whom, how urgently,
        why and how it ships is the application the approvers agreed to; once
        the parts are shipped, or the request cancelled, nobody changes it
        over RPC (the form shows it read-only). The freight paid is still
        recorded once shipped, not on a cancelled request."""
        vals = {
            "request_type": "abnormal",
            "applicant_type": "dealer",
            "dealer_id": self.dealer_a.id,
            "technician_id": self.director.id,
            "urgency": "urgent",
            "reason": "Typed afterwards",
            "shipping_mode": "freight",
        }
        shipped = self._request(300)
        shipped.request_validation()
        shipped.with_user(self.director).validate_tier()
        self._release(shipped)
        self.assertEqual(shipped.state, "shipped")
        cancelled = self._request(300)
        cancelled.action_cancel()
        for request, state in ((shipped, "Shipped"), (cancelled, "Cancelled")):
            for user in (self.technician, self.director):
                self._assert_writes_refused(
                    request, user, vals, f"is {state}: .* can no longer change"
                )
        shipped.with_user(self.technician).freight_cost = 35.0
        self.assertEqual(shipped.freight_cost, 35.0)
        self._assert_writes_refused(
            cancelled, self.technician, {"freight_cost": 35.0}, "is Cancelled"
        )

    def test_only_the_warehouse_validates_the_release(self):
        """R-053, R-090 (000 §4.3.1.2, §4.3.1.3): the approved parts leave the
        spare-parts stock only when the warehouse (物料管理部) validates the
        delivery; a stock user, the staff or the director cannot, and the stock
        stays."""
        request = self._request(400)
        request.request_validation()
        request.with_user(self.director).validate_tier()
        picking = request.picking_id
        for user in (self.stock_user, self.staff, self.director):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                picking.with_user(user).button_validate()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self._on_hand(), 20)
        self._release(request)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._on_hand(), 19)
        self.assertEqual(request.state, "shipped")

    def test_delivery_type_is_the_warehouses_as_it_stands(self):
        """R-053 (000 §4.2.2.3): the approved parts leave on a delivery of the
        company's warehouse; given another delivery type, the warehouse's next
        delivery is of that type (the type is kept in a cache its change
        clears)."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        after_sales_type = warehouse.out_type_id.copy(
            {"name": "After-Sales Deliveries", "sequence_code": "ASOUT"}
        )
        first = self._request(400)
        first.request_validation()
        first.with_user(self.director).validate_tier()
        self.assertEqual(first.picking_id.picking_type_id, warehouse.out_type_id)
        warehouse.out_type_id = after_sales_type
        second = self._request(400)
        second.request_validation()
        second.with_user(self.director).validate_tier()
        self.assertEqual(second.picking_id.picking_type_id, after_sales_type)

    def test_locations_read_together_follow_a_moved_location(self):
        """R-010 (000 §4.3.1.2): the after-sales locations and those above
        them, which a delivery's validation reads together, are kept in a
        cache a location's move clears: moved under another location, the
        spare parts for warranty are read with it."""
        Location = self.env["stock.location"]
        spare_parts = self.env.ref("forklift_aftersales.stock_location_spare_parts")
        area = Location.create({"name": "After-Sales Area", "usage": "view"})
        self.assertIn(spare_parts.id, Location._forklift_get_watched_ids())
        self.assertNotIn(area.id, Location._forklift_get_watched_ids())
        spare_parts.location_id = area
        self.assertIn(area.id, Location._forklift_get_watched_ids())

    def test_release_waits_for_approval_even_for_the_warehouse(self):
        """R-090 (000 §4.3.1.2): a delivery for a request not yet approved is
        refused even to the warehouse, and the stock stays."""
        request = self._request(400)
        picking = self._hand_made_delivery(request, self.part)
        with self.assertRaisesRegex(UserError, "waits for the approval"):
            picking.with_user(self.approvers["warehouse"]).button_validate()
        self.assertEqual(self._on_hand(), 20)

    def _approved(self, quantity):
        """A request for ``quantity`` seal kits (400 in all), approved by the
        director, its delivery reserved by the warehouse."""
        self.part.standard_price = 400 / quantity
        request = self.env["forklift.parts.request"].create(
            self._parts_request_vals(self._verified_case(), quantity, "unqualified")
        )
        request.request_validation()
        request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")
        request.picking_id.with_user(self.approvers["warehouse"]).action_assign()
        return request

    def test_validation_leaves_no_environment_holding_itself(self):
        """R-010 (000 §4.2.2.3), the release as lean as Odoo's repair (issue
        15): stock's validation runs in environments of its own, whose
        context names the transfers validated. Once the warehouse's
        validation has returned, none of them keeps its user, company or
        companies, records of itself that would keep it alive until Python's
        cycle collector runs, for every later environment of the transaction
        to be looked for among them."""
        request = self._approved(1)
        picking = request.picking_id.with_user(self.approvers["warehouse"])
        picking.button_validate()
        self.assertEqual(request.state, "shipped")
        kept = [
            sorted({"user", "company", "companies"} & set(vars(env)))
            for env in list(self.env.transaction.envs)
            if "button_validate_picking_ids" in env.context
        ]
        self.assertTrue(kept, "the validation ran in environments of its own")
        self.assertFalse(any(kept), kept)

    def test_release_is_checked_once_by_the_button_alone(self):
        """R-005, R-010 (000 §4.3.1.2), the release as lean as Odoo's repair
        (issue 15): the warehouse's button checks a release once for all of
        stock's validation within it, and only within it. Refused or done,
        once the button returns nothing is taken as checked: the ORM path
        the button ends in (``_action_done``), called on its own, checks the
        delivery again and refuses it."""
        request = self._approved(1)
        picking = request.picking_id.with_user(self.approvers["warehouse"])
        picking.move_ids.write({"product_uom_qty": 6, "quantity": 6})
        with self.assertRaisesRegex(UserError, "leave only as approved"):
            picking.button_validate()
        self.assertEqual(RELEASE_CHECKED.get(), frozenset())
        with self.assertRaisesRegex(UserError, "leave only as approved"):
            picking._action_done()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(request.state, "approved")

        shipped = self._approved(1)
        shipped.picking_id.with_user(self.approvers["warehouse"]).button_validate()
        self.assertEqual(shipped.state, "shipped")
        self.assertEqual(RELEASE_CHECKED.get(), frozenset())

    def test_release_ships_no_more_than_approved(self):
        """R-005 (000 §4.3.1.2): warranty parts leave only as approved, the
        approvers having been chosen by the amount. The warehouse raising
        the seal kits on the delivery's move, or adding another part to the
        delivery, then validating it, by the button or the ORM path it ends
        in, is refused with the delivery, the request and the part named:
        nothing leaves and the request stays approved. Less than approved
        ships, the rest on a backorder, which in turn ships no more than
        what is left; the approved quantity ships. A done delivery unlocked
        and edited afterwards (its move, its line, a move added) ships no
        more either."""
        warehouse = self.approvers["warehouse"]
        chain = self.env["product.product"].create(
            {"name": "Mast lift chain", "is_storable": True, "standard_price": 90}
        )
        self.env["stock.quant"]._update_available_quantity(chain, self.spare_parts, 5)
        request = self._approved(1)
        picking = request.picking_id.with_user(warehouse)
        picking.move_ids.write({"product_uom_qty": 6, "quantity": 6})
        for validate in (picking.button_validate, picking._action_done):
            with self.subTest(route=validate.__name__):
                with self.assertRaisesRegex(
                    UserError, "leave only as approved"
                ) as error:
                    validate()
                for name in (picking.name, request.name, self.part.display_name):
                    self.assertIn(name, str(error.exception))
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self._on_hand(), 20)
        self.assertEqual(request.state, "approved")

        request = self._approved(1)
        picking = request.picking_id.with_user(warehouse)
        picking.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "product_id": chain.id,
                            "product_uom_qty": 2,
                            "quantity": 2,
                            "location_id": self.spare_parts.id,
                            "location_dest_id": picking.location_dest_id.id,
                        }
                    )
                ]
            }
        )
        self.assertEqual(picking.move_ids.mapped("quantity"), [1, 2])
        with self.assertRaisesRegex(UserError, "did not approve") as error:
            picking.button_validate()
        for name in (picking.name, request.name, chain.display_name):
            self.assertIn(name, str(error.exception))
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self._on_hand(), 20)
        self.assertEqual(
            chain.with_context(location=self.spare_parts.id).qty_available, 5
        )
        self.assertEqual(request.state, "approved")

        request = self._approved(2)
        picking = request.picking_id.with_user(warehouse)
        picking.move_ids.quantity = 1
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._on_hand(), 19)
        self.assertEqual(request.state, "shipped")
        backorder = self.env["stock.picking"].search(
            [("backorder_id", "=", picking.id)]
        )
        self.assertEqual(backorder.move_ids.product_uom_qty, 1)
        backorder = backorder.with_user(warehouse)
        backorder.move_ids.write({"product_uom_qty": 2, "quantity": 2})
        with self.assertRaisesRegex(UserError, "leave only as approved"):
            backorder.button_validate()
        self.assertEqual(self._on_hand(), 19)
        backorder.move_ids.write({"product_uom_qty": 1, "quantity": 1})
        backorder.button_validate()
        self.assertEqual(backorder.state, "done")
        self.assertEqual(self._on_hand(), 18)
        # a done delivery edited afterwards ships no more either
        backorder.action_toggle_is_locked()
        for edit in (
            lambda: backorder.move_ids.write({"quantity": 3}),
            lambda: backorder.move_line_ids.write({"quantity": 3}),
        ):
            # the refusal comes once stock has moved the quants: the
            # transaction is rolled back, here to a savepoint
            with (
                self.assertRaisesRegex(UserError, "leave only as approved"),
                self.cr.savepoint(),
            ):
                edit()
        # nor is a move added to it: refused before stock moves anything
        with (
            self.assertRaisesRegex(AccessError, "only while it is open"),
            self.cr.savepoint(),
        ):
            backorder.write(
                {
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": chain.id,
                                "product_uom_qty": 1,
                                "quantity": 1,
                                "location_id": self.spare_parts.id,
                                "location_dest_id": backorder.location_dest_id.id,
                            }
                        )
                    ]
                }
            )
        self.assertEqual(self._on_hand(), 18)
        self.assertEqual(backorder.move_ids.quantity, 1)
        self.assertEqual(
            chain.with_context(location=self.spare_parts.id).qty_available, 5
        )

    def test_a_delivery_goes_where_the_request_sends_it(self):
        """R-010, R-167, R-230 (000 §4.3.1.2, §4.3.2.5): an approved
        application's delivery takes the parts from the spare-parts stock to
        the applicant, whose old parts are then due back. The warehouse
        sending it to WH/Stock or to another dealer instead (on the
        delivery, by its operation type, on its move or its line) is
        refused; a move to WH/Stock added to it is refused at validation:
        nothing leaves, the request stays approved and owes no old part.
        Part of it ships, its old part then due; its backorder goes where
        the delivery went, to the same applicant, and ships the rest."""
        warehouse = self.approvers["warehouse"]
        stock = self.env.ref("stock.stock_location_stock")
        customers = self.env.ref("stock.stock_location_customers")
        request = self._approved(2)
        picking = request.picking_id.with_user(warehouse)
        applicant = picking.partner_id
        self.assertEqual(applicant, self.technician.partner_id)
        self.assertEqual(picking.location_dest_id, customers)
        for name, records, vals in (
            ("destination", picking, {"location_dest_id": stock.id}),
            ("recipient", picking, {"partner_id": self.dealer_b.id}),
            (
                "destination and recipient",
                picking,
                {"location_dest_id": stock.id, "partner_id": self.dealer_b.id},
            ),
            (
                "operation type",
                picking,
                {"picking_type_id": self.env.ref("stock.picking_type_internal").id},
            ),
            ("move's destination", picking.move_ids, {"location_dest_id": stock.id}),
            ("move's recipient", picking.move_ids, {"partner_id": self.dealer_b.id}),
            (
                "line's destination",
                picking.move_line_ids,
                {"location_dest_id": stock.id},
            ),
        ):
            with self.subTest(write=name), self.assertRaises(AccessError):
                records.write(vals)
        self.assertEqual(picking.location_dest_id, customers)
        self.assertEqual(picking.partner_id, applicant)
        self.assertEqual(picking.move_ids.location_dest_id, customers)
        self.assertEqual(picking.move_ids.partner_id, applicant)
        self.assertEqual(picking.move_line_ids.location_dest_id, customers)

        # one of the two approved sent to WH/Stock by a move of its own
        picking.move_ids.quantity = 1
        picking.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": 1,
                            "quantity": 1,
                            "location_id": self.spare_parts.id,
                            "location_dest_id": stock.id,
                        }
                    )
                ]
            }
        )
        for validate in (picking.button_validate, picking._action_done):
            with self.subTest(route=validate.__name__):
                with self.assertRaisesRegex(UserError, "go to") as error:
                    validate()
                for name in (picking.name, request.name, stock.display_name):
                    self.assertIn(name, str(error.exception))
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self._on_hand(), 20)
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.oldpart_return_ids)
        picking.move_ids.filtered(
            lambda m: m.location_dest_id == stock
        ).sudo()._action_cancel()

        # one ships now, the other on the backorder, both to the applicant
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(request.state, "shipped")
        self.assertEqual(request.oldpart_return_ids.line_ids.quantity, 1)
        backorder = picking.backorder_ids
        self.assertEqual(backorder.forklift_parts_request_id, request)
        self.assertTrue(backorder._is_forklift_request_delivery())
        self.assertEqual(backorder.location_dest_id, customers)
        self.assertEqual(backorder.partner_id, applicant)
        with self.assertRaises(AccessError):
            backorder.write({"location_dest_id": stock.id})
        backorder.move_ids.quantity = 1
        backorder.button_validate()
        self.assertEqual(backorder.state, "done")
        self.assertEqual(self._on_hand(), 18)

    def test_a_transfer_is_the_requests_only_by_its_approval(self):
        """R-010, R-005 (000 §4.3.1.2): a request's delivery is the one its
        approval makes, and the backorders stock's validation makes of it.
        The warehouse creating a transfer linked to a request, or making
        one the backorder of its delivery, is refused, and nothing is
        created; a default in the context links nothing, and a copy of the
        delivery is not the request's. The backorder the validation makes
        still is."""
        warehouse = self.approvers["warehouse"]
        request = self._approved(2)
        delivery = request.picking_id
        Picking = self.env["stock.picking"].with_user(warehouse)
        vals = {
            "picking_type_id": self.env.ref("stock.picking_type_out").id,
            "location_id": self.env.ref("stock.stock_location_stock").id,
            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
        }
        count = Picking.search_count([])
        for name, link in (
            ("request", {"forklift_parts_request_id": request.id}),
            ("backorder", {"backorder_id": delivery.id}),
            (
                "both",
                {"forklift_parts_request_id": request.id, "backorder_id": delivery.id},
            ),
        ):
            with self.subTest(link=name), self.assertRaises(AccessError):
                Picking.create({**vals, **link})
        with self.assertRaises(AccessError):
            delivery.with_user(warehouse).copy(
                {"forklift_parts_request_id": request.id}
            )
        self.assertEqual(Picking.search_count([]), count)
        defaulted = Picking.with_context(
            default_forklift_parts_request_id=request.id
        ).create(vals)
        self.assertFalse(defaulted.forklift_parts_request_id)
        copied = delivery.with_user(warehouse).copy()
        self.assertFalse(copied.forklift_parts_request_id)
        self.assertEqual(request.picking_id, delivery)

        delivery.move_ids.quantity = 1
        delivery.with_user(warehouse).with_context(
            skip_backorder=True
        ).button_validate()
        backorder = delivery.backorder_ids
        self.assertEqual(len(backorder), 1)
        self.assertEqual(backorder.forklift_parts_request_id, request)
        self.assertTrue(backorder._is_forklift_request_delivery())
        backorder.move_ids.quantity = 1
        backorder.with_user(warehouse).button_validate()
        self.assertEqual(backorder.state, "done")
        self.assertEqual(self._on_hand(), 18)

    def test_ship_deadline_skips_the_weekend(self):
        """R-162 (000 §4.2.2.3): 2 working days from the receipt of the
        application, not from its approval."""
        # received Friday 2026-03-06 10:00 UTC: two working days later is Tuesday
        with freeze_time("2026-03-06 10:00:00"):
            request = self._request(400)
            request.request_validation()
        self.assertEqual(request.requested_date, datetime(2026, 3, 6, 10, 0))
        self.assertEqual(request.ship_deadline.date().isoformat(), "2026-03-10")
        overdue = [("is_ship_overdue", "=", True)]
        with freeze_time("2026-03-09 12:00:00"):
            self.assertNotIn(
                request, self.env["forklift.parts.request"].search(overdue)
            )
            # approved on Monday: the deadline stays Tuesday
            request.with_user(self.director).validate_tier()
        self.assertEqual(request.approved_date, datetime(2026, 3, 9, 12, 0))
        self.assertEqual(request.ship_deadline.date().isoformat(), "2026-03-10")
        with freeze_time("2026-03-11 09:00:00"):
            self.assertIn(request, self.env["forklift.parts.request"].search(overdue))
            self.assertNotIn(
                request,
                self.env["forklift.parts.request"].search(
                    [("is_ship_overdue", "=", False)]
                ),
            )

    def test_negative_quantity_is_refused(self):
        for line in ({"quantity": -2}, {"quantity": 0}):
            with (
                self.subTest(line=line),
                self.assertRaises(IntegrityError),
                self.cr.savepoint(),
                mute_logger("odoo.sql_db"),
            ):
                self.env["forklift.parts.request"].create(
                    {
                        "feedback_id": self.case.id,
                        "technician_id": self.technician.id,
                        "line_ids": [
                            Command.create(
                                {
                                    "product_id": self.part.id,
                                    "warranty_reason": "wear",
                                    **line,
                                }
                            )
                        ],
                    }
                )
        self.assertFalse(
            self.env["forklift.parts.request"].search(
                [("feedback_id", "=", self.case.id)]
            )
        )

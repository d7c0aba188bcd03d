from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_export_flow import ExportCommon


@tagged("post_install", "-at_install")
class TestExportMarketGuard(ExportCommon):
    """R-047, R-060, R-269, A-08: what the export market holds for every
    caller, as over RPC: no overseas dealer reads another dealer's records,
    the export division reaches no domestic record through a link, a message
    or a file, no record leaves its market to change its approvers or its
    number, and no export approval is given by anyone but its group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_overseas_dealer = cls.env["res.partner"].create(
            {
                "name": "Riyadh Forklift Services",
                "is_company": True,
                "is_forklift_dealer": True,
                "forklift_has_service_staff": True,
                "country_id": cls.env.ref("base.sa").id,
            }
        )
        cls.other_export_unit = cls._create_unit(
            "SN-EXP-0002",
            partner=cls.overseas_customer,
            dealer=cls.other_overseas_dealer,
            market="export",
        )
        cls.overseas_portal = cls._portal_user(
            "fx_gulf_portal", cls.overseas_dealer, "Omar (Gulf Lift)"
        )
        cls.domestic_portal = cls._portal_user(
            "fx_dealer_a_portal", cls.dealer_a, "Chen (dealer A)"
        )
        cls.other_overseas_portal = cls._portal_user(
            "fx_riyadh_portal", cls.other_overseas_dealer, "Faisal (Riyadh)"
        )
        cls.domestic_case = cls._verified_case()
        cls.export_case = cls._export_case()
        cls.other_export_case = cls._create_case(unit=cls.other_export_unit)

    def _assert_service_center_only(self, attacks):
        """Each of ``attacks`` ({name: call}) is refused as the service
        center's choice, and leaves nothing done."""
        for name, attack in attacks.items():
            with (
                self.subTest(attack=name),
                self.assertRaisesRegex(AccessError, "Only the service center"),
                self.cr.savepoint(),
            ):
                attack()

    def test_overseas_dealer_reads_no_other_dealers_sheet(self):
        """R-047: the overseas dealer's portal login finds its own export
        sheets only: neither a domestic dealer's nor another overseas
        dealer's, nor their messages and files; the domestic dealer finds
        no export sheet."""
        note = self.env["ir.attachment"].create(
            {
                "name": "fault.txt",
                "raw": b"fault",
                "res_model": "forklift.feedback",
                "res_id": self.other_export_case.id,
            }
        )
        self.other_export_case.message_post(body="Riyadh site visit notes")
        cases = self.domestic_case | self.export_case | self.other_export_case
        for user, own in (
            (self.overseas_portal, self.export_case),
            (self.domestic_portal, self.domestic_case),
        ):
            with self.subTest(user=user.login):
                found = (
                    self.env["forklift.feedback"]
                    .with_user(user)
                    .search([("id", "in", cases.ids)])
                )
                self.assertEqual(found, own)
                for case in cases - own:
                    with self.assertRaises(AccessError):
                        case.with_user(user).read(["name", "description"])
                    with self.assertRaises(AccessError):
                        case.with_user(user).message_post(body="Hello")
        self.assertFalse(
            self.env["ir.attachment"]
            .with_user(self.overseas_portal)
            .search([("id", "=", note.id)])
        )
        with self.assertRaises(AccessError):
            note.with_user(self.overseas_portal).read(["raw"])
        self.assertFalse(
            self.env["mail.message"]
            .with_user(self.overseas_portal)
            .search(
                [
                    ("model", "=", "forklift.feedback"),
                    ("res_id", "=", self.other_export_case.id),
                ]
            )
        )

    def test_export_division_links_nothing_to_a_domestic_record(self):
        """R-047, R-289: the export division neither opens a service order on
        a domestic sheet, nor moves a replaced part of an export order to a
        domestic one, nor posts or files on a domestic sheet."""
        domestic_order = self._service_order(self.domestic_case)
        export_order = self._service_order(self.export_case)
        part = self.env["forklift.service.order.part"].create(
            {"order_id": export_order.id, "product_id": self.part.id}
        )
        user = self.export_user
        attacks = {
            "order on a domestic sheet": lambda: (
                self.env["forklift.service.order"]
                .with_user(user)
                .create(
                    {"feedback_id": self.domestic_case.id, "performer_type": "remote"}
                )
            ),
            "part moved to a domestic order": lambda: part.with_user(user).write(
                {"order_id": domestic_order.id}
            ),
            "message on a domestic sheet": lambda: self.domestic_case.with_user(
                user
            ).message_post(body="Export note"),
            "file on a domestic sheet": lambda: (
                self.env["ir.attachment"]
                .with_user(user)
                .create(
                    {
                        "name": "x.txt",
                        "raw": b"x",
                        "res_model": "forklift.feedback",
                        "res_id": self.domestic_case.id,
                    }
                )
            ),
        }
        for name, attack in attacks.items():
            with (
                self.subTest(attack=name),
                self.assertRaises(UserError),
                self.cr.savepoint(),
            ):
                attack()
                self.env.flush_all()
        self.assertEqual(part.order_id, export_order)
        self.assertFalse(self.domestic_case.service_order_ids - domestic_order)

    def test_no_record_leaves_its_market(self):
        """R-060, R-269, A-08: the market that picks the approvers and the
        number series is the forklift's: a sheet, a parts request or a
        return of an export forklift is not filed as domestic (nor the
        reverse), and no number is typed to escape the series."""
        staff = self.staff
        feedback = self.env["forklift.feedback"].with_user(staff)
        # the export division files no domestic sheet of an export forklift
        # (the service-center director's correction of a wrong market stays)
        with self.assertRaises(UserError), self.cr.savepoint():
            feedback.with_user(self.export_user).create(
                {"unit_id": self.export_unit.id, "market": "domestic", "title": "x"}
            )
        loose = feedback.create({"title": "No forklift yet", "market": "export"})
        self.assertTrue(loose.name.startswith("FB-E"), loose.name)
        with self.assertRaises(UserError), self.cr.savepoint():
            loose.write({"unit_id": self.unit.id})
        with self.assertRaises(UserError), self.cr.savepoint():
            self.export_case.with_user(staff).write({"market": "domestic"})
        with self.assertRaises(UserError), self.cr.savepoint():
            feedback.create(
                {"unit_id": self.unit.id, "name": "FB-E-0001", "title": "Typed no."}
            )
        with self.assertRaises(UserError), self.cr.savepoint():
            self.env["forklift.parts.request"].with_user(staff).create(
                {**self._parts_request_vals(self.export_case), "market": "domestic"}
            )
        with self.assertRaises(UserError), self.cr.savepoint():
            self.env["forklift.vehicle.return"].with_user(staff).create(
                {
                    "unit_id": self.export_unit.id,
                    "market": "domestic",
                    "returned_by": "Gulf Lift Trading",
                    "description": "<p>Wrong mast.</p>",
                }
            )
        self.assertEqual(self.export_case.market, "export")

    def test_export_approvals_are_the_export_vice_presidents(self):
        """R-060, R-198, A-08: the export sales vice president's review of an
        abnormal requisition is approved by him alone: not by the export
        division nor by the domestic vice president; and he approves no
        domestic one."""
        approvers = self._approvers("fxg")
        approvers["director"] = self.director
        self.part.standard_price = 1500
        requests = {}
        for market, case in (
            ("export", self.export_case),
            ("domestic", self.domestic_case),
        ):
            request = self.env["forklift.parts.request"].create(
                {
                    **self._parts_request_vals(case, 1, "unqualified"),
                    "request_type": "abnormal",
                    "reason": "Beyond the warranty certificate.",
                }
            )
            request.request_validation()
            for key in ("director", "qa_manager", "aftersales_vp", "supply_vp"):
                request.with_user(approvers[key]).validate_tier()
            requests[market] = request
        for user, market in (
            (self.export_user, "export"),
            (self.export_company_user, "export"),
            (approvers["sales_vp_domestic"], "export"),
            (approvers["sales_vp_export"], "domestic"),
        ):
            request = requests[market]
            with (
                self.subTest(user=user.login, market=market),
                self.assertRaises(UserError),
                self.cr.savepoint(),
            ):
                request.with_user(user).validate_tier()
            self.assertEqual(request.state, "draft")
        requests["export"].with_user(approvers["sales_vp_export"]).validate_tier()
        self.assertEqual(requests["export"].state, "approved")

    def test_an_export_sheet_takes_the_export_series_whatever_number_is_sent(self):
        """R-269 (000-I L103): an export forklift's sheet is numbered from the
        export series even when the caller sends an empty number (``False``
        or ``""``, which ask the sequence as ``"/"`` does) instead of leaving
        it out: the service center, the export division and an import alike;
        it was numbered from the domestic series, out of the export
        register."""
        for user in (self.staff, self.export_user):
            for name in (False, ""):
                with self.subTest(user=user.login, name=name):
                    case = (
                        self.env["forklift.feedback"]
                        .with_user(user)
                        .create(
                            {
                                "unit_id": self.export_unit.id,
                                "title": "Empty number sent",
                                "name": name,
                            }
                        )
                    )
                    self.assertEqual(case.market, "export")
                    self.assertTrue(case.name.startswith("FB-E"), case.name)
        result = (
            self.env["forklift.feedback"]
            .with_user(self.staff)
            .load(
                ["unit_id/.id", "title", "name"],
                [[str(self.export_unit.id), "Imported, no number", ""]],
            )
        )
        self.assertFalse(result["messages"], result["messages"])
        case = self.env["forklift.feedback"].browse(result["ids"])
        self.assertTrue(case.name.startswith("FB-E"), case.name)

    def test_the_export_division_excuses_no_dispatch_by_filing_the_sheet(self):
        """R-159, R-158 (000-I L49, REQUIREMENTS A-13): the reason excusing a
        late overseas dispatch is the service center's; the export division
        filing an export sheet with a reason already in it (in its values or
        as a context default, as over RPC) would take it off the overdue
        list and the director's reminder before the service center even
        verified it: refused, the sheet still overdue once late; nor does a
        copy of an excused sheet come excused."""
        reason = "No dealer staff in the country."
        feedback = self.env["forklift.feedback"].with_user(self.export_user)
        vals = {"unit_id": self.export_unit.id, "title": "Filed pre-excused"}
        for attack in (
            lambda: feedback.create({**vals, "dispatch_delay_reason": reason}),
            lambda: feedback.with_context(default_dispatch_delay_reason=reason).create(
                vals
            ),
        ):
            with (
                self.assertRaisesRegex(AccessError, "Only the service center"),
                self.cr.savepoint(),
            ):
                attack()
        self.assertFalse(
            self.env["forklift.feedback"].search([("title", "=", "Filed pre-excused")])
        )
        # the division still files the sheet, the service center states the
        # reason
        case = feedback.create(vals)
        self.assertFalse(case.dispatch_delay_reason)
        case.with_user(self.staff).dispatch_delay_reason = reason
        self.assertEqual(case.dispatch_delay_reason, reason)
        # a copy is a new case: its dispatch is not excused in advance
        self.assertFalse(case.with_user(self.staff).copy().dispatch_delay_reason)

    def test_the_export_division_hands_no_case_to_another_dealer(self):
        """R-081, R-278, R-079, R-055 (000-I L47–53, L63): the dealer of an
        export sheet is its forklift's, or the one serving the customer's
        territory; the service center alone chooses another, and the
        performer of its orders. The export division filing or editing the
        sheet (as over RPC) would hand it to another overseas dealer, whose
        logins then read the customer's sheet and apply for its parts, and
        whose service staff skip the remote support a customer without
        dealer staff gets first; or name a domestic dealer the performer of
        an export order, which its logins then read."""
        feedback = self.env["forklift.feedback"].with_user(self.export_user)
        orders = self.env["forklift.service.order"].with_user(self.export_user)
        vals = {"unit_id": self.export_unit.id, "title": "Filed by the division"}
        draft = feedback.create(vals)
        self.assertEqual(draft.dealer_id, self.overseas_dealer)
        self.assertTrue(draft.needs_remote_support_first)
        attacks = {
            "sheet filed for another dealer": lambda: feedback.create(
                {**vals, "dealer_id": self.other_overseas_dealer.id}
            ),
            "dealer changed at intake": lambda: draft.write(
                {"dealer_id": self.other_overseas_dealer.id}
            ),
            "dealer cleared at intake": lambda: draft.write({"dealer_id": False}),
        }
        for dealer in (self.dealer_a, self.other_overseas_dealer):
            attacks[f"order performed by {dealer.name}"] = lambda dealer=dealer: (
                orders.create(
                    {
                        "feedback_id": draft.id,
                        "performer_type": "dealer",
                        "dealer_id": dealer.id,
                    }
                )
            )
        self._assert_service_center_only(attacks)
        self.assertEqual(draft.dealer_id, self.overseas_dealer)
        self.assertFalse(draft.service_order_ids)
        for portal in (self.domestic_portal, self.other_overseas_portal):
            self.assertFalse(
                self.env["forklift.feedback"]
                .with_user(portal)
                .search([("id", "=", draft.id)])
            )
        # the division still files the sheet and an order of the sheet's
        # dealer; the service center chooses another dealer
        order = orders.create(
            {
                "feedback_id": draft.id,
                "performer_type": "dealer",
                "dealer_id": self.overseas_dealer.id,
            }
        )
        self.assertEqual(order.dealer_id, self.overseas_dealer)
        draft.with_user(self.staff).dealer_id = self.other_overseas_dealer
        self.assertEqual(draft.dealer_id, self.other_overseas_dealer)

    def test_the_export_division_names_no_technician(self):
        """R-081, R-276, R-047 (000-I L25, L47–53; SPEC: overseas dealers
        dispatched by the service center): the export division files an
        export sheet's order; the service center chooses who performs it
        and dispatches. The division naming, changing or clearing the
        technician of an order (as over RPC) is refused: the technician it
        named would get the order's to-do and go on site; the service
        center still names him."""
        orders = self.env["forklift.service.order"].with_user(self.export_user)
        vals = {"feedback_id": self.export_case.id, "performer_type": "remote"}
        filed = orders.create(vals)
        staffed = self._service_order(self.export_case, performer="remote")
        attacks = {
            "order filed with a technician": lambda: orders.create(
                {**vals, "technician_id": self.technician.id}
            ),
            "technician named": lambda: filed.write(
                {"technician_id": self.technician.id}
            ),
            "technician changed": lambda: staffed.with_user(self.export_user).write(
                {"technician_id": self.staff.id}
            ),
            "technician cleared": lambda: staffed.with_user(self.export_user).write(
                {"technician_id": False}
            ),
        }
        self._assert_service_center_only(attacks)
        self.assertFalse(filed.technician_id)
        self.assertEqual(staffed.technician_id, self.technician)
        self.assertEqual(
            self.export_case.service_order_ids.technician_id, self.technician
        )
        # the division still edits what it may; the service center names the
        # technician and dispatches
        filed.with_user(self.export_user).write(
            {"technician_id": False, "performer_type": "remote"}
        )
        filed.with_user(self.staff).technician_id = self.technician
        filed.with_user(self.staff).action_dispatch()
        self.assertEqual(filed.state, "dispatched")

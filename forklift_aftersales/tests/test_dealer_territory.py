from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestDealerTerritory(ForkliftCommon):
    """R-081 (000 §4.2.2.1): a feedback sheet goes to the dealer of its
    forklift; when the forklift has none, to the dealer serving the
    customer's territory; the service center may change it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        china = cls.env.ref("base.cn")
        cls.province = cls.env["res.country.state"].create(
            {"name": "Territory Province", "code": "TPX", "country_id": china.id}
        )
        cls.other_province = cls.env["res.country.state"].create(
            {"name": "Unserved Province", "code": "UPX", "country_id": china.id}
        )
        cls.dealer_b.forklift_territory_state_ids = cls.province
        cls.inland_customer = cls.env["res.partner"].create(
            {
                "name": "Inland Mining",
                "is_company": True,
                "state_id": cls.province.id,
                "country_id": china.id,
            }
        )
        cls.unit_no_dealer = cls._create_unit("SN-T-0001", partner=cls.inland_customer)
        cls.unit_no_dealer.dealer_id = False

    def test_territory_dealer_when_the_forklift_has_none(self):
        case = self._create_case(unit=self.unit_no_dealer)
        self.assertEqual(case.partner_id, self.inland_customer)
        self.assertEqual(case.dealer_id, self.dealer_b)
        # the forklift's own dealer comes first, whatever the territory
        self.unit_no_dealer.dealer_id = self.dealer_a
        self.assertEqual(
            self._create_case(unit=self.unit_no_dealer).dealer_id, self.dealer_a
        )

    def test_no_territory_dealer_leaves_the_choice_to_the_service_center(self):
        self.inland_customer.state_id = self.other_province
        self.assertFalse(self._create_case(unit=self.unit_no_dealer).dealer_id)
        # two dealers serving the state: the service center chooses
        self.inland_customer.state_id = self.province
        self.dealer_a.forklift_territory_state_ids = self.province
        self.assertFalse(self._create_case(unit=self.unit_no_dealer).dealer_id)

    def test_service_center_changes_the_dealer(self):
        with Form(self.env["forklift.feedback"].with_user(self.staff)) as form:
            form.unit_id = self.unit_no_dealer
            form.title = "Hydraulic leak"
            self.assertEqual(form.dealer_id, self.dealer_b)
            form.dealer_id = self.dealer_a
        case = form.record
        self.assertEqual(case.dealer_id, self.dealer_a)
        case.with_user(self.staff).dealer_id = self.dealer_b
        self.assertEqual(case.dealer_id, self.dealer_b)

    def test_only_after_sales_staff_set_a_territory(self):
        """The territory decides which sheets a dealer's portal users see:
        set by after-sales staff only."""
        partner_manager = self._group_user(
            "territory_partner_manager", "base.group_user,base.group_partner_manager"
        )
        with self.assertRaises(AccessError):
            self.dealer_a.with_user(partner_manager).write(
                {"forklift_territory_state_ids": [(4, self.province.id)]}
            )
        self.assertFalse(self.dealer_a.forklift_territory_state_ids)
        staff_partner_manager = self._group_user(
            "territory_staff", "group_forklift_user,base.group_partner_manager"
        )
        self.dealer_a.with_user(staff_partner_manager).write(
            {"forklift_territory_state_ids": [(6, 0, self.other_province.ids)]}
        )
        self.assertEqual(
            self.dealer_a.forklift_territory_state_ids, self.other_province
        )

    def test_only_after_sales_staff_set_a_customers_zone_and_caller(self):
        """R-173, A-19: a customer's service region chooses the response
        commitment of his sheets (4 h local ... 5 days remote), which the
        service-center director chooses (R-044); R-112, R-113 (000 第五篇
        (三)1): the member of the service center who makes his follow-up
        calls is the service center's to name. A salesman who edits contacts
        changes neither, nor does plain staff the region: the region would
        move the on-site deadline of his sheets not yet verified, a
        caller outside the service center would leave his calls unmade."""
        customer = self.env["res.partner"].create(
            {"name": "Zone Customer", "is_company": True, "forklift_region": "local"}
        )
        salesman = self._group_user(
            "zone_partner_manager", "base.group_user,base.group_partner_manager"
        )
        for vals in (
            {"forklift_region": "remote"},
            {"forklift_followup_user_id": salesman.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                customer.with_user(salesman).write(vals)
            with self.subTest(create=vals), self.assertRaises(AccessError):
                self.env["res.partner"].with_user(salesman).create(
                    {"name": "Typed", **vals}
                )
        self.assertEqual(customer.forklift_region, "local")
        self.assertFalse(customer.forklift_followup_user_id)
        staff = self._group_user(
            "zone_staff", "group_forklift_user,base.group_partner_manager"
        )
        # the region is configuration of the service-center director's
        with self.assertRaisesRegex(AccessError, "service-center director"):
            customer.with_user(staff).write({"forklift_region": "remote"})
        customer.with_user(staff).write({"forklift_followup_user_id": staff.id})
        director = self._group_user(
            "zone_director", "group_forklift_director,base.group_partner_manager"
        )
        customer.with_user(director).write({"forklift_region": "remote"})
        self.assertEqual(customer.forklift_region, "remote")
        self.assertEqual(customer.forklift_followup_user_id, staff)
        # the calls go to someone of the service center
        with self.assertRaises(ValidationError):
            customer.with_user(staff).write({"forklift_followup_user_id": salesman.id})

    def test_only_the_director_names_a_dealers_office_director(self):
        """R-054, R-196, 000 §4.2.2.3, §4.4.1: the office director governing
        a dealer alone confirms its warranty parts applications and signs the
        return of its forklifts. A service center clerk editing contacts, or
        an office director naming himself, is refused over RPC, nothing
        changes; the service center director names him, an office director
        only."""
        office_a, office_b = (
            self._group_user(
                login, "group_forklift_office_director,base.group_partner_manager"
            )
            for login in ("territory_office_a", "territory_office_b")
        )
        self._govern_dealers(office_a, self.dealer_a)
        clerk = self._group_user(
            "territory_clerk", "group_forklift_user,base.group_partner_manager"
        )
        for user in (clerk, office_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.dealer_a.with_user(user).write(
                    {"forklift_office_director_id": office_b.id}
                )
            with self.subTest(create=user.login), self.assertRaises(AccessError):
                self.env["res.partner"].with_user(user).create(
                    {
                        "name": "Typed Dealer",
                        "is_forklift_dealer": True,
                        "forklift_office_director_id": office_b.id,
                    }
                )
        self.assertEqual(self.dealer_a.forklift_office_director_id, office_a)
        # the clerk still edits the dealer's other fields
        self.dealer_a.with_user(clerk).write(
            {"forklift_office_director_id": office_a.id, "phone": "+86 20 1234"}
        )
        director = self._group_user(
            "territory_director", "group_forklift_director,base.group_partner_manager"
        )
        self.dealer_a.with_user(director).forklift_office_director_id = office_b
        self.assertEqual(self.dealer_a.forklift_office_director_id, office_b)
        with self.assertRaises(ValidationError):
            self.dealer_a.with_user(director).forklift_office_director_id = clerk
        self.assertEqual(self.dealer_a.forklift_office_director_id, office_b)

    def test_only_after_sales_staff_archive_or_restore_a_dealer(self):
        """R-081 (000 §4.2.2.1): the dealer serving a territory receives its
        customers' sheets, and two dealers of one state leave the choice to
        the service center. A salesman who edits contacts neither archives a
        dealer, so that the other dealer of its state gets the sheets, nor
        restores an archived one, which would take its territory back."""
        self.dealer_a.forklift_territory_state_ids = self.province
        salesman = self._group_user(
            "archive_partner_manager", "base.group_user,base.group_partner_manager"
        )
        dealer = self.dealer_a.with_user(salesman)
        self._assert_attacks_refused(
            {
                "write": lambda: dealer.write({"active": False}),
                "archive": dealer.action_archive,
            }
        )
        self.assertTrue(self.dealer_a.active)
        self.assertFalse(self._create_case(unit=self.unit_no_dealer).dealer_id)
        # a dealer the service center retired stays retired
        self.dealer_a.action_archive()
        self._assert_attacks_refused(
            {
                "write": lambda: dealer.write({"active": True}),
                "unarchive": dealer.action_unarchive,
            }
        )
        self.assertFalse(self.dealer_a.active)
        self.assertEqual(
            self._create_case(unit=self.unit_no_dealer).dealer_id, self.dealer_b
        )
        # the salesman still archives a customer; after-sales staff a dealer
        customer = self.env["res.partner"].create({"name": "Former Customer"})
        customer.with_user(salesman).action_archive()
        self.assertFalse(customer.active)
        staff = self._group_user(
            "archive_staff", "group_forklift_user,base.group_partner_manager"
        )
        self.dealer_a.with_user(staff).action_unarchive()
        self.assertTrue(self.dealer_a.active)
        self.assertFalse(self._create_case(unit=self.unit_no_dealer).dealer_id)

    def test_only_after_sales_staff_delete_or_merge_a_dealer(self):
        """R-081: nor does he delete a dealer no record names yet, or merge it
        into another contact (Odoo deletes the merged contacts), so that the
        other dealer of its state receives the sheets."""
        dealer = self.env["res.partner"].create(
            {
                "name": "Dealer C Lifting",
                "is_company": True,
                "is_forklift_dealer": True,
                "forklift_territory_state_ids": [Command.set(self.province.ids)],
            }
        )
        prospect = self.env["res.partner"].create({"name": "Dealer C Lifting"})
        salesman = self._group_user(
            "remove_partner_manager", "base.group_user,base.group_partner_manager"
        )
        merge = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(salesman)
            .create(
                {
                    "partner_ids": [Command.set((dealer | prospect).ids)],
                    "dst_partner_id": prospect.id,
                }
            )
        )
        self._assert_attacks_refused(
            {"unlink": dealer.with_user(salesman).unlink, "merge": merge.action_merge}
        )
        self.assertTrue(dealer.exists())
        self.assertFalse(self._create_case(unit=self.unit_no_dealer).dealer_id)
        staff = self._group_user(
            "remove_staff", "group_forklift_user,base.group_partner_manager"
        )
        dealer.with_user(staff).unlink()
        self.assertEqual(
            self._create_case(unit=self.unit_no_dealer).dealer_id, self.dealer_b
        )

    def test_only_after_sales_staff_give_a_dealers_contact_a_login(self):
        """R-055, R-081 (000 §4.2.2.1): a dealer's portal users read its
        sheets, orders and customers. Odoo lets a partner manager grant portal
        access with its wizard and move contacts between companies: neither
        gives a login of his choosing a dealer's documents, by granting
        access to a contact of the dealer or by moving a contact with a login
        under it. After-sales staff still do both."""
        salesman = self._group_user(
            "login_partner_manager", "base.group_user,base.group_partner_manager"
        )
        staff = self._group_user(
            "login_staff", "group_forklift_user,base.group_partner_manager"
        )
        outsider = self._outsider_with_login(salesman)
        contact = self._assert_no_login_into(
            salesman, self.dealer_a, outsider, "clerk@dealer-a.example.com"
        )
        # the service center gives the dealer's clerk a login
        self._grant_portal_login(staff, contact)
        self.assertTrue(contact.user_ids.share)
        # nor is the dealer's login moved to another company by the salesman
        self._assert_login_stays(salesman, contact)

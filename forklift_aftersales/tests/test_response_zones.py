from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestResponseCommitmentChoice(ForkliftCommon):
    """The on-site commitments by zone: 4 h locally, 12 h in the province
    (A-19), 24 h in the rest of the country, 5 days in remote areas, chosen
    for a customer when its contract says so, and 24 h for emergencies out of
    warranty (004 §4.2, R-173)."""

    received = datetime(2026, 3, 2, 8, 0)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff_pm = cls._group_user(
            "clocks_staff_pm", "group_forklift_user,base.group_partner_manager"
        )
        cls.director_pm = cls._group_user(
            "clocks_director_pm", "group_forklift_director,base.group_partner_manager"
        )

    def test_province_zone_is_on_site_within_12_hours(self):
        """R-173, A-19: a customer in the same province is served within 12 h."""
        customer = self.env["res.partner"].create(
            {"name": "Ningbo Cold Chain", "forklift_region": "province"}
        )
        unit = self._create_unit(
            "SN-ZJ-0001", acceptance=date(2026, 1, 10), partner=customer
        )
        case = self._create_case(unit=unit)
        self.assertEqual(case.region, "province")
        self.assertEqual(
            case.sla_policy_id, self.env.ref("forklift_aftersales.sla_policy_province")
        )
        self.assertEqual(case.onsite_deadline, self.received + timedelta(hours=12))

    def test_commitment_chosen_for_the_customer(self):
        """R-173, R-044: the service-center director chooses the 12 h
        commitment for a customer of the rest of the country (set on its
        company, its contacts follow); its normal sheets follow it, its
        emergencies keep their own (24 h on site out of warranty). A
        commitment, as the customer's service region that chooses one, is
        configuration of the director's (R-044): plain service-center staff
        setting the 5-day remote-area commitment or the remote region on a
        local customer, on its company or a new contact of it, before
        verifying his sheet (its deadline frozen at 5 days instead of
        24 h), are refused, nothing changed."""
        zone_12h = self.env.ref("forklift_aftersales.sla_policy_province")
        remote = self.env.ref("forklift_aftersales.sla_policy_remote")
        staff = self.customer.with_user(self.staff_pm)
        for vals in (
            {"forklift_sla_policy_id": remote.id},
            {"forklift_region": "remote"},
        ):
            self._assert_attacks_refused(
                {
                    "write": lambda v=vals: staff.write(v),
                    "create": lambda v=vals: staff.create(
                        {"name": "Li", "parent_id": self.customer.id, **v}
                    ),
                },
                message="service-center director",
                vals=vals,
            )
        self.assertEqual(
            (self.customer.forklift_sla_policy_id, self.customer.forklift_region),
            (self.env["forklift.sla.policy"], "domestic"),
        )
        self.customer.with_user(self.director_pm).forklift_sla_policy_id = zone_12h
        contact = self.env["res.partner"].create(
            {"name": "Li (Harbour Logistics)", "parent_id": self.customer.id}
        )
        case = self._create_case(partner_id=contact.id)
        self.assertEqual(case.region, "domestic")
        self.assertEqual(case.sla_policy_id, zone_12h)
        self.assertEqual(case.onsite_deadline, self.received + timedelta(hours=12))
        old_unit = self._create_unit("SN-OLD-SLA", acceptance=date(2024, 1, 1))
        emergency = self._create_case(unit=old_unit, severity="emergency")
        self.assertEqual(emergency.warranty_state, "out")
        self.assertEqual(
            emergency.sla_policy_id,
            self.env.ref("forklift_aftersales.sla_policy_emergency_out_of_warranty"),
        )
        self.assertEqual(emergency.onsite_deadline, self.received + timedelta(hours=24))
        # the 5-day remote-area commitment, chosen instead
        self.customer.with_user(self.director_pm).forklift_sla_policy_id = remote
        self.assertEqual(case.onsite_deadline, self.received + timedelta(days=5))
        # an archived commitment is not followed: back to the region's
        remote.active = False
        case.invalidate_recordset()
        self.assertEqual(
            self._create_case().onsite_deadline, self.received + timedelta(hours=24)
        )

    def test_only_staff_choose_a_customers_commitment(self):
        """R-173: the commitment decides the deadlines the service center is
        measured against: an internal user outside after-sales cannot choose
        it, at creation or later."""
        user = self._group_user(
            "clocks_sales", "base.group_user,base.group_partner_manager"
        )
        zone_12h = self.env.ref("forklift_aftersales.sla_policy_province")
        with self.assertRaisesRegex(AccessError, "response commitment"):
            self.customer.with_user(user).write({"forklift_sla_policy_id": zone_12h.id})
        with self.assertRaisesRegex(AccessError, "response commitment"):
            self.env["res.partner"].with_user(user).create(
                {"name": "New customer", "forklift_sla_policy_id": zone_12h.id}
            )
        self.customer.with_user(user).write({"phone": "+86 20 1234 5678"})
        self.assertFalse(self.customer.forklift_sla_policy_id)

    def test_policies_of_a_batch_of_sheets_are_read_once(self):
        """R-173, R-025: the response commitment of many sheets is matched
        from one read of the policies, not one per sheet; each sheet still
        gets its own zone's policy."""
        province = self.env["res.partner"].create(
            {"name": "Ningbo Cold Chain", "forklift_region": "province"}
        )
        units = self._create_unit(
            "SN-BATCH-P", acceptance=date(2026, 1, 10), partner=province
        ) | self._create_unit("SN-BATCH-D", acceptance=date(2026, 1, 10))
        cases = self.env["forklift.feedback"]
        for index in range(10):
            cases |= self._create_case(unit=units[index % 2])

        def queries(records):
            """The SQL queries matching the policies of ``records`` takes."""
            records.invalidate_recordset(["sla_policy_id", "onsite_deadline"])
            self.env["forklift.sla.policy"].invalidate_model()
            records.unit_id.invalidate_recordset()
            before = self.env.cr.sql_log_count
            records._compute_sla()
            return self.env.cr.sql_log_count - before

        one, ten = queries(cases[:1]), queries(cases)
        self.assertLessEqual(ten, one + 1, f"{one} for one sheet, {ten} for ten")
        province_policy = self.env.ref("forklift_aftersales.sla_policy_province")
        self.assertEqual(
            cases.mapped("sla_policy_id") & province_policy, province_policy
        )
        for case in cases:
            self.assertEqual(
                case.sla_policy_id == province_policy, case.unit_id == units[0]
            )

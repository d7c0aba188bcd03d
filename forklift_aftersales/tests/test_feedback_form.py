from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestCaseForm(ForkliftCommon):
    """The feedback sheet's form as the service center fills it in: the
    fields computed from the forklift and the customer fill in as they type
    and stay editable (000 §4.1.1, R-001, R-173)."""

    @freeze_time("2026-03-02 08:00:00")
    def test_forklift_fills_in_customer_dealer_market_and_commitment(self):
        """Picking the forklift fills in its customer, dealer and market and
        the customer's zone and response commitment; choosing the customer's
        contact at a site served locally moves the zone and the on-site
        deadline; another customer's name is refused on save."""
        export_unit = self._create_unit(
            "SN-EX-FORM", acceptance=date(2026, 1, 10), market="export"
        )
        form = Form(self.env["forklift.feedback"].with_user(self.staff))
        form.title = "Mast drops under load"
        form.unit_id = self.unit
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.dealer_id, self.dealer_a)
        self.assertEqual(form.market, "domestic")
        self.assertEqual(form.region, self.customer.forklift_region or "domestic")
        form.unit_id = export_unit
        self.assertEqual(form.market, "export")
        form.unit_id = self.unit
        self.assertEqual(form.market, "domestic")
        # the caller is the customer's workshop in town, served locally
        form.partner_id = self.env["res.partner"].create(
            {
                "name": "Harbour Logistics, city workshop",
                "parent_id": self.customer.id,
                "forklift_region": "local",
            }
        )
        self.assertEqual(form.region, "local")
        self.assertEqual(
            form.sla_policy_id, self.env.ref("forklift_aftersales.sla_policy_local")
        )
        received = form.received_date
        self.assertEqual(
            form.onsite_deadline,
            received + timedelta(hours=form.sla_policy_id.onsite_hours),
        )
        # editable: the service center corrects the dealer; the market, which
        # files the sheet in a series and an approval chain, is the
        # director's to correct
        form.dealer_id = self.dealer_b
        form.market = "export"
        with self.assertRaisesRegex(
            ValidationError, "Only the service-center director"
        ):
            form.save()
        form.market = "domestic"
        case = form.save()
        self.assertEqual(
            (case.partner_id.parent_id, case.dealer_id, case.market, case.region),
            (self.customer, self.dealer_b, "domestic", "local"),
        )
        form = Form(self.env["forklift.feedback"].with_user(self.director))
        form.title = "Mast drops under load, filed by the director"
        form.unit_id = self.unit
        self.assertEqual(form.market, "domestic")
        form.market = "export"
        self.assertEqual(form.save().market, "export")
        with self.assertRaisesRegex(ValidationError, "belongs to Harbour Logistics"):
            case.with_user(self.staff).partner_id = self.customer_b

    def test_verdict_follows_the_responsibility_until_set_by_hand(self):
        """R-093 (004 §4.6): a misuse is a paid service; a manufacturing
        fault on a forklift in warranty is a guarantee repair unless the
        service center chooses another guarantee."""
        case = self._create_case()
        form = Form(case.with_user(self.staff))
        form.responsibility = "misuse"
        self.assertEqual(form.warranty_verdict, "paid")
        form.responsibility = "manufacturing"
        self.assertEqual(form.warranty_verdict, "repair")
        form.warranty_verdict = "replace"
        # the hour meter read again: the warranty is judged again, the verdict
        # chosen stays
        form.hour_meter = 480
        self.assertEqual(form.warranty_state, "in")
        self.assertEqual(form.warranty_verdict, "replace", "kept as chosen")
        form.responsibility = "misuse"
        self.assertEqual(form.warranty_verdict, "paid", "a misuse is paid")
        form.responsibility = "manufacturing"
        self.assertEqual(form.warranty_verdict, "repair")
        form.save()
        self.assertEqual(case.warranty_verdict, "repair")

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_export_flow import ExportCommon


@tagged("post_install", "-at_install")
class TestExportDivisionReadsNoDomesticRecord(ExportCommon):
    """R-047, R-289 (000-I L25): the export division reads the export
    market's records only, as it reads its sheets and forklifts: not the
    service commitment letters of domestic customers, nor who follows a
    domestic record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._create_case(hour_meter=200)
        cls.export_case = cls._create_case(unit=cls.export_unit)
        letters = cls.env["forklift.service.commitment"]
        cls.letter = letters.create(
            {
                "partner_id": cls.unit.partner_id.commercial_partner_id.id,
                "tender_ref": "Harbour tender",
                "warranty_months": 18,
            }
        )
        cls.export_letter = letters.create(
            {
                "partner_id": cls.overseas_customer.id,
                "tender_ref": "Jebel Ali tender",
                "warranty_months": 24,
            }
        )
        (cls.letter | cls.export_letter).action_sign()
        # draft letters cover no forklift yet
        cls.draft_letter = letters.create(
            {"partner_id": cls.unit.partner_id.commercial_partner_id.id}
        )
        cls.draft_export_letter = letters.create(
            {"partner_id": cls.overseas_customer.id}
        )

    def test_export_division_reads_no_domestic_commitment(self):
        """A domestic customer's service commitment letter shows its tender,
        warranty terms and followers: the export division reads the letters
        of the export market's customers only (those covering an export
        forklift or given to its customer), not a domestic one, signed or
        draft, by search, by id or grouped."""
        letters = self.env["forklift.service.commitment"].with_user(self.export_user)
        self.assertEqual(self.export_unit.commitment_id, self.export_letter)
        self.assertEqual(self.unit.commitment_id, self.letter)
        self.assertEqual(
            letters.search([]), self.export_letter | self.draft_export_letter
        )
        self.assertFalse(letters.search_count([("id", "=", self.letter.id)]))
        self.assertEqual(
            [
                group["__count"]
                for group in letters.formatted_read_group(
                    [], ["partner_id"], ["__count"]
                )
            ],
            [2],
        )
        for letter in (self.letter, self.draft_letter):
            with self.assertRaises(AccessError):
                letter.with_user(self.export_user).read(
                    ["tender_ref", "warranty_months", "message_follower_ids"]
                )
        self.assertEqual(
            self.export_unit.with_user(self.export_user).commitment_id.tender_ref,
            "Jebel Ali tender",
        )
        # a draft letter to an export customer is the export market's too
        self.assertIn(self.draft_export_letter, letters.search([]))

    def test_export_division_reads_no_response_time_of_a_domestic_letter(self):
        """A letter's response times (its lines) are its terms: the export
        division reads those of the export market's letters and the general
        commitments, not a domestic letter's, by search or by id."""
        policies = self.env["forklift.sla.policy"]
        domestic, export = (
            policies.create(
                {
                    "name": f"Promised to {letter.partner_id.name}",
                    "answer_hours": 1,
                    "onsite_hours": 4,
                    "commitment_id": letter.id,
                }
            )
            for letter in (self.draft_letter, self.draft_export_letter)
        )
        general = policies.search([("commitment_id", "=", False)])
        self.assertTrue(general)
        found = policies.with_user(self.export_user).search([])
        self.assertIn(export, found)
        self.assertEqual(found & general, general)
        self.assertNotIn(domestic, found)
        rows = policies.with_user(self.export_user).search_read([], ["name"])
        self.assertNotIn(domestic.name, str(rows))
        with self.assertRaises(AccessError):
            domestic.with_user(self.export_user).read(["answer_hours", "name"])

    def test_export_division_reads_no_follower_of_a_domestic_record(self):
        """Who follows a domestic sheet, forklift or letter
        (customer, dealer, staff) is not read through the record by the
        export division; it reads the followers of its export sheet."""
        partner = self.unit.partner_id
        records = (self.case, self.unit, self.letter)
        for record in records:
            record.message_subscribe(partner_ids=partner.ids)
        # the export customer follows his own sheet (a customer follows only
        # his own documents)
        export_partner = self.export_unit.partner_id
        self.export_case.message_subscribe(partner_ids=export_partner.ids)
        for record in records:
            with (
                self.subTest(model=record._name),
                self.assertRaises(AccessError),
            ):
                record.with_user(self.export_user).read(["message_follower_ids"])
        export_case = self.export_case.with_user(self.export_user)
        self.assertIn(export_partner, export_case.message_follower_ids.partner_id)

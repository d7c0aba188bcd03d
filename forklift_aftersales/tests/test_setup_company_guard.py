from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestSetupOfOneCompany(ForkliftCommon):
    """The setup a company gives its procedure stays that company's: the
    director of another company of the group reads, changes, removes and adds
    none of its response commitments (R-172–R-174, R-025), make-up working
    days (R-288), duties of departments (R-050, A-07), document codes (R-136)
    or report lists (R-255, R-256); the export division's company is kept
    apart so (R-047)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_a = cls.env.company
        cls.director_b = cls._company_user(
            "setup_director_b",
            "group_forklift_director",
            cls.env["res.company"].create({"name": "Setup Branch B"}),
        )
        ref = cls.env.ref
        # model -> (a record of company A, values an edit writes; the record
        # with them is a new one of company A)
        cls.setup_a = {
            "forklift.sla.policy": (
                ref("forklift_aftersales.sla_policy_local"),
                {"onsite_hours": 500},
            ),
            "forklift.makeup.workday": (
                cls.env["forklift.makeup.workday"].create(
                    {"name": "Spring Festival", "date": date(2026, 2, 14)}
                ),
                {"date": date(2026, 3, 7)},
            ),
            "forklift.duty.assignment": (
                cls.env["forklift.duty.assignment"].create(
                    {
                        "duty": "tracing",
                        "market": "domestic",
                        "group_id": ref("forklift_aftersales.group_forklift_qa").id,
                        "company_id": company_a.id,
                    }
                ),
                {"duty": "claims"},
            ),
            "forklift.document.code": (
                cls.env["forklift.document.code"].create(
                    {
                        "key": "service_order",
                        "name": "Service Order",
                        "code": "MC·JL-05-XS",
                        "company_id": company_a.id,
                    }
                ),
                {"key": "departure_permit", "code": "FORGED"},
            ),
            "forklift.report.recipient": (
                cls.env["forklift.report.recipient"].create(
                    {
                        "name": "Daily summary of A",
                        "report_type": "daily",
                        "market": "domestic",
                        "company_id": company_a.id,
                    }
                ),
                {"active": False},
            ),
        }

    def test_other_company_director_does_not_touch_this_setup(self):
        for model, (record, values) in self.setup_a.items():
            before = record.read(list(values))
            new = {**record.copy_data()[0], **values}
            theirs = record.with_user(self.director_b)
            attacks = {
                "read": lambda r=theirs: r.read(["display_name"]),
                "write": lambda r=theirs, v=values: r.write(v),
                "unlink": lambda r=theirs: r.unlink(),
                "create": lambda m=model, v=new: (
                    self.env[m].with_user(self.director_b).create(v)
                ),
            }
            for name, attack in attacks.items():
                with (
                    self.subTest(model=model, attack=name),
                    self.assertRaises(AccessError),
                    self.cr.savepoint(),
                ):
                    attack()
            self.assertEqual(record.read(list(values)), before, model)
            self.assertFalse(
                self.env[model]
                .with_user(self.director_b)
                .search([("company_id", "!=", False)]),
                model,
            )


@tagged("post_install", "-at_install")
class TestDutyNotToTheServiceCenter(ForkliftCommon):
    """The duties of departments are held outside the service center: its
    director gives none of them (QA's tracing of who is at fault, the supplier
    included, its claims and its assessment of the service center, R-049) to
    his own staff, who would judge their own work, as the committee seats
    refuse a position outside the committee (R-248)."""

    def test_director_does_not_hand_a_duty_to_his_own_staff(self):
        own = [
            self.env.ref(f"forklift_aftersales.group_forklift_{group}")
            for group in ("user", "director")
        ]
        duties = self.env["forklift.duty.assignment"].search([])
        self.assertTrue(duties, "the shipped duties load")
        for line in duties.with_user(self.director):
            department = line.group_id
            for group in own:
                with (
                    self.subTest(duty=line.duty, market=line.market, group=group.name),
                    self.assertRaisesRegex(ValidationError, "service center's staff"),
                    self.cr.savepoint(),
                ):
                    line.group_id = group
                    line.flush_recordset()
            self.assertEqual(line.group_id, department)
        with self.assertRaisesRegex(ValidationError, "service center's staff"):
            self.env["forklift.duty.assignment"].with_user(self.director).create(
                {
                    "duty": "assessment",
                    "market": "domestic",
                    "group_id": own[0].id,
                    "company_id": self.env.company.id,
                }
            )

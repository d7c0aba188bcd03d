from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError

from odoo.addons.forklift_aftersales.tests.common import ForkliftCommon

# when the service center sends the contact letter in these tests: a Monday
SENT = "2026-03-02 09:00:00"


class SupplierCommon(ForkliftCommon):
    """Two suppliers that serve their failures (with portal users), one that
    cannot, QA and purchasing users."""

    def _outsiders(self, prefix, group):
        """Users outside a supplier's document: another supplier's portal
        login, an employee of no after-sales group, a user of ``group`` in
        another company."""
        other_company = self.env["res.company"].create({"name": "Other Works"})
        return (
            self.portal_b,
            self._group_user(f"{prefix}_employee", "base.group_user"),
            self._company_user(f"{prefix}_other", group, other_company),
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner_model = cls.env["res.partner"]

        def supplier(name, email, agreement=True):
            company = partner_model.create(
                {
                    "name": name,
                    "is_company": True,
                    "supplier_rank": 1,
                    "forklift_quality_agreement": "QA-2025-017" if agreement else False,
                    "forklift_service_capable": True,
                }
            )
            company.forklift_service_contact_id = partner_model.create(
                {
                    "name": f"After-sales, {name}",
                    "parent_id": company.id,
                    "email": email,
                }
            )
            return company

        cls.supplier_a = supplier(
            "Hydraulics A Co.", "service@hydraulics-a.example.com"
        )
        cls.supplier_b = supplier("Chains B Ltd.", "service@chains-b.example.com")
        cls.supplier_c = supplier(
            "Seats C Trading", "sales@seats-c.example.com", agreement=False
        )

        def portal(login, supplier):
            """The portal login of the supplier's after-sales contact."""
            return cls._group_user(
                login,
                "base.group_portal",
                password=login,
                partner_id=supplier.forklift_service_contact_id.id,
                tz="Asia/Shanghai",
            )

        cls.portal_a = portal("supplier_a_portal", cls.supplier_a)
        cls.portal_b = portal("supplier_b_portal", cls.supplier_b)
        cls.qa_manager = cls._group_user("fa_qa_manager", "group_forklift_qa_manager")
        cls.buyer = cls._group_user("fa_buyer", "purchase.group_purchase_user")
        cls.pump = cls.env["product.product"].create(
            {
                "name": "Hydraulic gear pump",
                "is_storable": True,
                "standard_price": 300,
            }
        )

    @classmethod
    def _supplier_case(cls, supplier=None, **vals):
        return cls._verified_case(
            **{
                "responsibility": "supplier",
                "route": "supplier",
                "supplier_id": (supplier or cls.supplier_a).id,
                "supplier_part_id": cls.pump.id,
                "supplier_judged_by": "on_site",
                **vals,
            }
        )

    @classmethod
    def _draft_supplier_case(cls, **vals):
        """A draft sheet whose worn pump the service center puts down to a
        supplier; ``vals`` adds to it."""
        return cls._create_case(
            verification="<p>Pump worn.</p>", responsibility="supplier", **vals
        )

    @classmethod
    def _pump_failure_cases(cls):
        """Two supplier-caused sheets, each with a service order that replaced
        one pump of the serial PUMP-2025-11."""
        cases = cls._supplier_case() | cls._supplier_case()
        for case in cases:
            order = cls._service_order(case)
            order.part_ids = [
                Command.create(
                    {
                        "product_id": cls.pump.id,
                        "quantity": 1,
                        "failed_serial": "PUMP-2025-11",
                    }
                )
            ]
        return cases

    @classmethod
    def _draft_claim(cls, supplier, product, name, price, **vals):
        """A draft claim against ``supplier`` for ``product``, of one parts
        line ``name`` at ``price``; ``vals`` adds to it."""
        return cls.env["forklift.quality.claim"].create(
            {
                "supplier_id": supplier.id,
                "product_id": product.id,
                "line_ids": [
                    Command.create(
                        {"cost_type": "parts", "name": name, "price_unit": price}
                    )
                ],
                **vals,
            }
        )

    def _agree_claim(self, claim):
        """QA sends ``claim`` to the supplier and records it agreed."""
        claim.with_user(self.qa).action_claim()
        claim.with_user(self.qa).action_agree()

    @classmethod
    def _draft_pump_claim(cls, **vals):
        """A draft claim of 300 against supplier A for a pump; ``vals`` adds
        to it."""
        return cls._draft_claim(cls.supplier_a, cls.pump, "Pump", 300, **vals)

    @staticmethod
    def _two_visits():
        """The labour QA adds to a claim: two visits of 2 h at 80 (320)."""
        return Command.create(
            {
                "cost_type": "labour",
                "name": "Two visits, 2 h each",
                "quantity": 4,
                "price_unit": 80,
            }
        )

    def _assert_not_verified(self, case, message):
        """The service center cannot verify ``case``, told ``message``, and
        the sheet stays a draft."""
        with self.assertRaisesRegex(UserError, message):
            case.with_user(self.staff).action_verify()
        self.assertEqual(case.state, "draft")

    @classmethod
    def _letter(cls, case=None, send=True):
        case = case or cls._supplier_case()
        action = case.with_user(cls.staff).action_contact_supplier()
        letter = cls.env["forklift.supplier.letter"].browse(action["res_id"])
        if send:
            letter.with_user(cls.staff).action_send()
        return letter

    @classmethod
    def _posted_bill(cls, supplier, name, amount, **values):
        """A posted bill of ``supplier`` of 1 March 2026: one line ``name`` of
        ``amount``, without taxes."""
        bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": supplier.id,
                "invoice_date": "2026-03-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": name,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
                **values,
            }
        )
        bill.action_post()
        return bill

    @classmethod
    def _answer(cls, letter):
        """The supplier answers on Monday 2 March: its technician comes on the
        3rd."""
        with freeze_time("2026-03-02 15:00:00"):
            letter._supplier_answer(
                letter.contact_id,
                {
                    "supplier_technician": "Zhou Lei",
                    "planned_visit_date": datetime(2026, 3, 3, 9, 0),
                },
            )

    @classmethod
    def _report_done(cls, letter):
        """The work, done on Thursday 5 March, is reported an hour later."""
        with freeze_time("2026-03-05 11:00:00"):
            letter._supplier_report_done(
                letter.contact_id,
                {
                    "arrival_date": datetime(2026, 3, 5, 7, 0),
                    "finished_date": datetime(2026, 3, 5, 10, 0),
                    "work_done": "<p>Pump replaced.</p>",
                },
            )

    def _answered_letter(self, answered_at="2026-03-02 15:00:00", **answer):
        """A letter sent on Monday 2 March and answered the same day (at
        ``answered_at``, before the visit it plans) by the supplier's
        after-sales contact, with ``answer`` over the usual one."""
        with freeze_time(SENT):
            letter = self._letter()
        with freeze_time(answered_at):
            letter._supplier_answer(
                self.supplier_a.forklift_service_contact_id,
                {
                    "supplier_technician": "Zhou Lei",
                    "technician_phone": "+86 139 0000 0000",
                    "planned_visit_date": datetime(2026, 3, 3, 9, 0),
                    **answer,
                },
            )
        return letter

    def _done_letter(self, finished=datetime(2026, 3, 5, 10, 0)):
        """A letter sent on Monday 2 March, answered the same day with a visit
        on the 3rd, and the work reported done at ``finished`` (000 §4.2.3.2,
        §4.2.3.3)."""
        letter = self._answered_letter()
        with freeze_time(finished + timedelta(hours=1)):
            letter._supplier_report_done(
                self.supplier_a.forklift_service_contact_id,
                {
                    "arrival_date": finished - timedelta(hours=3),
                    "finished_date": finished,
                    "work_done": "<p>Pump replaced, pressure checked.</p>",
                },
            )
        return letter

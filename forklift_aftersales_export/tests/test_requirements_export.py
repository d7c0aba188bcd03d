from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_export_flow import ExportCommon


@tagged("post_install", "-at_install")
class TestRequirementsSharedRules(ExportCommon):
    """R-284 (000 第一篇 vs 第二篇): the export procedure is the domestic one
    with other recipients and approvers. The same deadlines and amount bands
    hold for a domestic and an export sheet handled alike; only the sales vice
    president who signs changes (the recipients: TestExportRouting)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overseas_dealer.forklift_has_service_staff = True
        cls.approvers = cls._approvers("fs")

    def _cases(self):
        """A domestic and an export sheet for their dealers, verified now."""
        return {
            "domestic": self._verified_case(route="dealer"),
            "export": self._verified_case(unit=self.export_unit, route="dealer"),
        }

    def _request(self, case, amount, request_type="normal"):
        self.part.standard_price = amount
        line = {
            "product_id": self.part.id,
            "quantity": 1,
            "warranty_reason": "unqualified",
        }
        request = self.env["forklift.parts.request"].create(
            {
                "feedback_id": case.id,
                "request_type": request_type,
                "technician_id": self.technician.id,
                "reason": "Beyond the warranty certificate.",
                "line_ids": [Command.create(line)],
            }
        )
        request.request_validation()
        return request

    @staticmethod
    def _groups(request):
        return sorted(
            request.review_ids.definition_id.reviewer_group_id.mapped(
                lambda g: g.get_external_id()[g.id].split(".")[1]
            )
        )

    def test_same_deadlines_in_both_markets(self):
        """R-284, R-158, R-160 (000 §4.2.1.1, §4.2.2.1–3; 000-I L49, L67–77):
        24 h to send the sheet, 7 days for the dealer's signed sheet, 2
        working days to ship the warranty parts, for either market."""
        with freeze_time("2026-03-06 10:00:00"):  # a Friday
            cases = self._cases()
        dealers = {"domestic": self.dealer_a, "export": self.overseas_dealer}
        for market, case in cases.items():
            with self.subTest(market=market):
                self.assertEqual(case.market, market)
                self.assertEqual(case.dispatch_deadline, datetime(2026, 3, 7, 10, 0))
                with freeze_time("2026-03-06 11:00:00"):
                    order = self._service_order(
                        case, performer="dealer", dealer_id=dealers[market].id
                    )
                    order.action_dispatch()
                self._record_work(order)
                order.action_done()
                self.assertEqual(
                    order.return_deadline, datetime(2026, 3, 13, 14, 0), "7 days"
                )
                with freeze_time("2026-03-06 10:00:00"):
                    # applied for on Friday 10:00 (R-162: the clock starts here)
                    request = self._request(case, 400)
                    request.with_user(self.director).validate_tier()
                self.assertEqual(request.state, "approved")
                self.assertEqual(
                    request.ship_deadline.date().isoformat(),
                    "2026-03-10",
                    "two working days after Friday",
                )

    def test_same_amount_bands_only_the_sales_vice_president_changes(self):
        """R-284, R-193–R-195, R-197, R-198 (000 §4.3.1.2, §4.3.1.4; 000-I
        L87): 500 and 2000 pick the same approvers in both markets; above 1000
        an abnormal requisition goes to the sales vice president of its own
        market, and the other one cannot approve it."""
        cases = self._cases()
        bands = {
            400: ["group_forklift_director"],
            1500: ["group_forklift_qa_manager"],
            2500: ["group_forklift_aftersales_vp", "group_forklift_supply_vp"],
        }
        for amount, groups in bands.items():
            for market, case in cases.items():
                with self.subTest(amount=amount, market=market):
                    self.assertEqual(self._groups(self._request(case, amount)), groups)

        base = [
            "group_forklift_aftersales_vp",
            "group_forklift_director",
            "group_forklift_qa_manager",
            "group_forklift_supply_vp",
        ]
        for market, other in (("domestic", "export"), ("export", "domestic")):
            with self.subTest(market=market):
                request = self._request(cases[market], 1500, "abnormal")
                self.assertEqual(
                    self._groups(request),
                    sorted([*base, f"group_forklift_sales_vp_{market}"]),
                )
                request.with_user(self.director).validate_tier()
                for key in ("qa_manager", "aftersales_vp", "supply_vp"):
                    request.with_user(self.approvers[key]).validate_tier()
                with self.assertRaises(UserError):
                    request.with_user(
                        self.approvers[f"sales_vp_{other}"]
                    ).validate_tier()
                self.assertEqual(request.state, "draft")
                request.with_user(self.approvers[f"sales_vp_{market}"]).validate_tier()
                self.assertEqual(request.state, "approved")

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import buy_only_from
from .test_reports import ForkliftReportCommon
from .test_warning import TODAY, WarningCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFailureRatesKeepTheirSupplier(WarningCommon):
    """The failures by supplier count each part under the supplier stored on
    it when it was replaced: purchasing moving a part to another vendor does
    not move the failures already counted, in the rates or in the early
    warning rules by supplier (000 §4.1.6, §4.2.4; R-256, R-261, R-267)."""

    SIX_MONTHS = [("date", ">=", "2026-01-01")]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a vendor by its price lines alone (buy_only_from)
        cls.new_vendor = cls._vendor("New Seal Works", supplier_rank=0)

    def _by_supplier(self):
        return self._rates(
            self.SIX_MONTHS + [("model_id", "=", self.m1.id)], ["supplier_id"]
        )

    def test_vendor_change_leaves_the_rates_by_supplier(self):
        """R-256, R-261: the seal kits of f1 and f2 stay the seal supplier's
        failures once the seal kit is bought elsewhere; a seal kit replaced
        after the change is the new vendor's."""
        before = self._by_supplier()
        self.assertEqual(before["Seal Supplier Co"], (2, 16.0))
        self.assertEqual(before["Pump Supplier Co"], (2, 16.0))
        by_part = self._rates(self.SIX_MONTHS, ["part_id", "supplier_id"])

        buy_only_from(self.part, self.new_vendor)
        buy_only_from(self.pump, self.new_vendor)

        self.assertEqual(self._by_supplier(), before)
        self.assertNotIn("New Seal Works", self._by_supplier())
        self.assertEqual(
            self._rates(self.SIX_MONTHS, ["part_id", "supplier_id"]), by_part
        )
        self.assertEqual(
            self.f2.service_order_ids.part_ids.mapped("supplier_id"),
            self.seal_supplier | self.pump_supplier,
        )

        later = self._failure(
            self.m1_jan[4], datetime(2026, 6, 10, 2), 700, self.hydraulics, [self.part]
        )
        after = self._by_supplier()
        self.assertEqual(after["Seal Supplier Co"], (2, 16.0))
        self.assertEqual(after["New Seal Works"][0], 1)
        self.assertEqual(
            self.rates.search([("feedback_id", "=", later.id)]).supplier_id,
            self.new_vendor,
        )

    def test_warning_rule_by_supplier_counts_the_stored_supplier(self):
        """R-267: a rule watching the seal supplier still counts f2's seal
        kit after the seal kit moved to another vendor, and a rule watching
        the new vendor counts none of the failures before the change."""
        rule = self.env["forklift.warning.rule"].with_user(self.qa).create
        vals = {
            "model_id": False,
            "window_months": 3,
            "threshold_type": "count",
            "threshold": 1,
            "min_units": 0,
        }
        seal = rule(
            {**vals, "name": "Seal supplier", "supplier_id": self.seal_supplier.id}
        )
        new = rule({**vals, "name": "New vendor", "supplier_id": self.new_vendor.id})

        buy_only_from(self.part, self.new_vendor)

        (seal | new).with_user(self.qa).action_evaluate()
        self.assertEqual(seal.last_failures, 1, "f2, in April to June")
        self.assertEqual(new.last_failures, 0)


@tagged("post_install", "-at_install")
class TestPartStatisticsKeepTheirSupplier(ForkliftReportCommon):
    """Each part replaced, released or bought locally stores its supplier
    when it is recorded; the part statistics and the monthly report read it,
    nobody writes it, and QA's correction of the supplier at fault moves the
    failed part's lines with the sheet (R-005, R-049, R-224, R-256, R-257,
    R-261, R-262)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.new_vendor = cls.env["res.partner"].create(
            {"name": "New Pump Works", "is_company": True, "supplier_rank": 1}
        )

    def _by_part_and_supplier(self, cases):
        groups = self.env["forklift.part.analysis"]._read_group(
            [("feedback_id", "in", cases.ids)],
            ["product_id", "supplier_id", "line_type"],
            ["quantity_replaced:sum", "quantity_released:sum", "cost:sum"],
        )
        return sorted(
            (p.name, s.name or "", kind, *rest) for p, s, kind, *rest in groups
        )

    def _march(self):
        return self.env["forklift.aftersales.report"].search(
            [
                ("report_type", "=", "monthly"),
                ("market", "=", "domestic"),
                ("date_from", "=", date(2026, 3, 1)),
            ]
        )

    @staticmethod
    def _parts_by_supplier(report):
        return sorted(
            (row["label"], row["quantity_replaced"], row["cost"])
            for row in report.statistics["parts"]["supplier_id"]
        )

    @freeze_time("2026-04-01 00:30")
    def test_vendor_change_leaves_the_part_statistics(self):
        """R-257, R-261, R-262: after purchasing moved both parts to a new
        vendor, the part statistics and March's report produced again name
        the vendors of March, for the parts replaced, released and bought
        locally."""
        cases = self.c1 | self.c2 | self.c3
        before = self._by_part_and_supplier(cases)
        self.assertIn(
            ("Hydraulic pump", "Pump Supplier Co", "replaced", 1, 0, 0), before
        )
        self.assertIn(
            ("Lift cylinder seal kit", "Seal Supplier Co", "purchased", 0, 0, 0),
            before,
        )
        # produced, not yet sent: a sent report is not produced again
        report = self.env["forklift.aftersales.report"].create(
            {"report_type": "monthly", "market": "domestic", "date_from": "2026-03-01"}
        )
        report.with_user(self.staff).action_produce()
        self.assertEqual(report, self._march())
        by_supplier = self._parts_by_supplier(report)
        self.assertEqual(
            by_supplier,
            [("Pump Supplier Co", 1, 800), ("Seal Supplier Co", 3, 300)],
        )

        buy_only_from(self.pump, self.new_vendor)
        buy_only_from(self.part, self.new_vendor)

        self.assertEqual(self._by_part_and_supplier(cases), before)
        report.with_user(self.staff).action_produce()
        self.assertEqual(self._parts_by_supplier(report), by_supplier)

    def test_the_stored_supplier_is_not_written_over_rpc(self):
        """R-005: nobody, QA included, moves a part to another supplier by
        writing or creating its line; the statistics keep the stored one."""
        part = self.c2.service_order_ids.part_ids
        self.assertEqual(part.order_id.state, "dispatched", "its parts still open")
        draft = self.env["forklift.parts.request"].create(
            self._parts_request_vals(
                self.c2,
                1,
                "unqualified",
                product_id=self.pump.id,
                # dropped: the server sets it
                supplier_id=self.new_vendor.id,
            )
        )
        request_line = draft.line_ids
        self.assertEqual(request_line.supplier_id, self.pump_supplier)
        for line in (part, request_line):
            for user in (self.plain_user, self.technician, self.staff, self.qa):
                with (
                    self.subTest(model=line._name, user=user.login),
                    self.assertRaises(AccessError),
                ):
                    line.with_user(user).write({"supplier_id": self.new_vendor.id})
        # the lines of an approved request or purchase are not written at all
        for line in (
            self.c2.parts_request_ids.filtered(lambda r: r.state != "draft").line_ids,
            self.c1.local_purchase_ids.line_ids,
        ):
            with self.subTest(model=line._name), self.assertRaises(UserError):
                line.with_user(self.staff).write({"supplier_id": self.new_vendor.id})
        self.assertEqual(part.supplier_id, self.pump_supplier)
        self.assertEqual(request_line.supplier_id, self.pump_supplier)
        self.assertEqual(
            self.c1.local_purchase_ids.line_ids.supplier_id, self.seal_supplier
        )
        # the flow's context key alone, as a client may send it, does not
        # lift the guard
        with self.assertRaises(AccessError):
            part.with_user(self.staff).with_context(forklift_flow_write=True).write(
                {"supplier_id": self.new_vendor.id}
            )

        order = self._service_order(self.c1)
        with self.assertRaises(AccessError):
            self.env["forklift.service.order.part"].with_user(self.staff).create(
                {
                    "order_id": order.id,
                    "product_id": self.pump.id,
                    "supplier_id": self.new_vendor.id,
                }
            )
        # an empty supplier sent with the line does not keep the server's out
        line = (
            self.env["forklift.service.order.part"]
            .with_user(self.staff)
            .create(
                {"order_id": order.id, "product_id": self.pump.id, "supplier_id": False}
            )
        )
        self.assertEqual(line.supplier_id, self.pump_supplier)
        self.env.flush_all()
        self.assertEqual(
            self.env["forklift.part.analysis"]
            .search([("feedback_id", "=", self.c2.id), ("line_type", "=", "replaced")])
            .supplier_id,
            self.pump_supplier,
        )

    def test_qa_correction_moves_the_failed_part_with_the_sheet(self):
        """R-049, R-224: QA's correction of the supplier at fault moves the
        failed part's lines (replaced and released, on a reported order and an
        approved request) to the corrected supplier; other parts stay."""
        self.c2.with_user(self.qa)._correct_supplier(
            self.new_vendor, "The pump came from the second source."
        )
        self.assertEqual(
            self.c2.service_order_ids.part_ids.supplier_id, self.new_vendor
        )
        self.assertEqual(
            self.c2.parts_request_ids.line_ids.supplier_id, self.new_vendor
        )
        self.env.flush_all()
        self.assertEqual(
            {row[1] for row in self._by_part_and_supplier(self.c2)},
            {"New Pump Works"},
        )
        self.assertEqual(
            self.c1.service_order_ids.part_ids.supplier_id, self.seal_supplier
        )

    def test_failed_part_replaced_again_keeps_the_sheet_supplier(self):
        """R-224, R-261: the failed part replaced again after purchasing moved
        it to another vendor counts under the sheet's supplier at fault; a
        different part takes its main vendor of that day."""
        buy_only_from(self.pump, self.new_vendor)
        order = self._service_order(
            self.c2, part_ids=[self._part_line(self.pump), self._part_line(self.part)]
        )
        by_product = {line.product_id: line.supplier_id for line in order.part_ids}
        self.assertEqual(by_product[self.pump], self.pump_supplier)
        self.assertEqual(by_product[self.part], self.seal_supplier)
        # a part recorded on the sheet keeps its supplier for the same part
        buy_only_from(self.part, self.new_vendor)
        more = self._service_order(self.c2, part_ids=[self._part_line(self.part)])
        self.assertEqual(more.part_ids.supplier_id, self.seal_supplier)
        # elsewhere, the seal kit is the new vendor's
        other = self._service_order(self.c1, part_ids=[self._part_line(self.pump)])
        self.assertEqual(other.part_ids.supplier_id, self.new_vendor)

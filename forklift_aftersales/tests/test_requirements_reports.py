from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ForkliftCommon, ShippedPartsCommon


def _pivot_loads(test, model, xmlid, groupby):
    """The pivot view opens and its rows and columns can be grouped."""
    view = test.env.ref(xmlid)
    views = test.env[model].get_views([(view.id, "pivot")])
    test.assertIn("pivot", views["views"])
    test.env[model]._read_group([], groupby, ["__count"])


@tagged("post_install", "-at_install")
class TestRequirementsOldpartStatistics(ShippedPartsCommon):
    """Old-part verdicts for SC and QA (000 §4.3.2, §11 of the catalogue)."""

    def test_verdicts_by_dealer_technician_charges_and_overdue(self):
        """R-263 (000 §4.3.2.3–6): the old-part returns are counted by verdict
        and by dealer, the technicians' charges summed per technician, the
        returns overdue listed; the pivots open. A user outside after-sales
        reads none of it."""
        with freeze_time("2026-03-02"):
            accepted = self._shipped_request().oldpart_return_ids
            rejected = self._shipped_request().oldpart_return_ids
            charged = self._shipped_request(applicant="technician").oldpart_return_ids
            late_request = self._shipped_request()
            # replaced on 2 March: due back on 1 April
            self._replace_parts(late_request)
            late = late_request.oldpart_return_ids
        self._inspect_oldparts(accepted, "accepted")
        self._inspect_oldparts(
            rejected,
            "non_original",
            "<p>The returned kit is not an original part.</p>",
        )
        charged.with_user(self.staff).action_charge_technician()
        self.assertEqual(
            (accepted.state, rejected.state, charged.state),
            ("accepted", "rejected", "charged"),
        )

        returns = self.env["forklift.oldpart.return"]
        notes = accepted | rejected | charged | late
        by_verdict = {
            (verdict, dealer): count
            for verdict, dealer, count in returns._read_group(
                [("id", "in", notes.ids), ("verdict", "!=", False)],
                ["verdict", "dealer_id"],
                ["__count"],
            )
        }
        self.assertEqual(
            by_verdict,
            {("accepted", self.dealer_a): 1, ("non_original", self.dealer_a): 1},
        )
        self.assertIn(
            (self.technician, 300),
            returns._read_group(
                [("id", "in", notes.ids)], ["charged_user_id"], ["charged_amount:sum"]
            ),
        )
        with freeze_time("2026-04-02"):
            self.assertEqual(
                returns.search([("id", "in", notes.ids), ("is_overdue", "=", True)]),
                late,
            )
        for xmlid, groupby in (
            ("forklift_oldpart_return_view_pivot", ["charged_user_id", "state"]),
            (
                "forklift_oldpart_return_view_pivot_lateness",
                ["dealer_id", "received_date:month"],
            ),
        ):
            with self.subTest(view=xmlid):
                _pivot_loads(
                    self,
                    "forklift.oldpart.return",
                    f"forklift_aftersales.{xmlid}",
                    groupby,
                )

        outsider = self._group_user("rq_outsider", "base.group_user")
        with self.assertRaises(AccessError):
            returns.with_user(outsider)._read_group([], ["verdict"], ["__count"])


@tagged("post_install", "-at_install")
class TestRequirementsVehicleReturnStatistics(ForkliftCommon):
    """Returned vehicles for QA (000 §4.4; 001-A §4.2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        cls.office_director, cls.sales_vp = cls._vehicle_return_signers("rq")
        cls.maker = cls._group_user("rq_maker", "group_forklift_manufacturing")

    def _return(self, unit, reason_type):
        return self.env["forklift.vehicle.return"].create(
            {
                "unit_id": unit.id,
                "returned_by": "Li Ming",
                "reason_type": reason_type,
                "description": "<p>Mast frame cracked at the weld.</p>",
            }
        )

    def _reworked(self, vehicle_return):
        """Signed, received, inspected by QA, re-welded, passed."""
        self._sign_vehicle_return(vehicle_return)
        vehicle_return.with_user(self.staff).action_receive()
        self._rework_and_pass(vehicle_return)
        return vehicle_return

    def test_returns_by_reason_model_and_rework_result(self):
        """R-264 (000 §4.4; 001-A §4.2 不合格品统计表): the returned vehicles
        are counted by reason (customer or product), by forklift model and by
        the result of the re-inspection after rework; the pivot opens. A user
        outside after-sales reads none of it."""
        other_model = self.env["product.product"].create(
            {
                "name": "CPD20 Electric Forklift",
                "is_forklift": True,
                "is_storable": True,
                "tracking": "serial",
            }
        )
        electric = self._create_unit(
            "SN-E-0001", acceptance=date(2026, 1, 10), product=other_model
        )
        passed = self._reworked(self._return(self.unit, "product"))
        customer = self._return(electric, "customer")
        self.assertEqual(passed.state, "done")

        returns = self.env["forklift.vehicle.return"]
        domain = [("id", "in", (passed | customer).ids)]
        self.assertEqual(
            sorted(
                (reason, model.name, count)
                for reason, model, count in returns._read_group(
                    domain, ["reason_type", "product_id"], ["__count"]
                )
            ),
            [
                ("customer", "CPD20 Electric Forklift", 1),
                ("product", "CPCD30 Diesel Forklift", 1),
            ],
        )
        self.assertEqual(
            dict(returns._read_group(domain, ["reinspection_result"], ["__count"])),
            {"pass": 1, False: 1},
        )
        _pivot_loads(
            self,
            "forklift.vehicle.return",
            "forklift_aftersales.forklift_vehicle_return_view_pivot",
            ["product_id", "reason_type"],
        )

        outsider = self._group_user("rq_outsider", "base.group_user")
        with self.assertRaises(AccessError):
            returns.with_user(outsider)._read_group([], ["reason_type"], ["__count"])

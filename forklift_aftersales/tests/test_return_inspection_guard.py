from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestReturnInspectionGuard(ForkliftCommon):
    """R-015, R-049, R-239 (000 §4.4.2): QA inspects a returned forklift and
    fills its inspection sheet (退车检查表); once QA signed it, the sheet is
    the record of what was found. The service center, which registers and
    receives the forklift, and its director neither fill nor rewrite QA's
    inspection, before or after QA signs it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office_director, cls.sales_vp = cls._vehicle_return_signers("rig")
        cls.rnd = cls._group_user("rig_rnd", "group_forklift_rnd")
        cls.maker = cls._group_user("rig_maker", "group_forklift_manufacturing")

    def _received_return(self):
        vehicle_return = self._staff_vehicle_return("Hydraulic oil leaks at the pump.")
        self._sign_vehicle_return(vehicle_return)
        vehicle_return.with_user(self.technician).action_receive()
        self.assertEqual(vehicle_return.state, "qa")
        return vehicle_return

    def _fill_as_qa(self, vehicle_return):
        vehicle_return.with_user(self.qa).write(
            {
                "check_line_ids": [
                    Command.create(
                        {"name": "Pump seal", "result": "nok", "finding": "leak"}
                    ),
                    Command.create({"name": "Mast", "result": "ok"}),
                ],
                "inspection_result": "<p>Pump seal defect.</p>",
                "rework_requirements": "<p>Replace the pump seal.</p>",
            }
        )

    def _inspected_return(self):
        vehicle_return = self._received_return()
        self._fill_as_qa(vehicle_return)
        vehicle_return.with_user(self.qa).action_inspect()
        self.assertEqual(vehicle_return.state, "inspected")
        self.assertEqual(vehicle_return.inspected_by_id, self.qa)
        return vehicle_return

    def _sheet(self, vehicle_return):
        vehicle_return.invalidate_recordset()
        lines = vehicle_return.sudo().check_line_ids
        lines.invalidate_recordset()
        return (
            lines.ids,
            lines.mapped("name"),
            lines.mapped("result"),
            lines.mapped("finding"),
            vehicle_return.inspection_result,
            vehicle_return.rework_requirements,
            vehicle_return.needs_experts,
            vehicle_return.expert_ids,
        )

    def _attacks(self, vehicle_return):
        """(name, call) of each change of QA's inspection a client can make
        over RPC, on a user's records."""
        line = vehicle_return.check_line_ids.filtered(lambda c: c.result == "nok")
        Check = self.env["forklift.vehicle.return.check"]
        return [
            ("rewrite line", lambda u: line.with_user(u).write(
                {"result": "ok", "finding": "no leak"}
            )),
            ("create line", lambda u: Check.with_user(u).create(
                {"return_id": vehicle_return.id, "name": "Added", "result": "ok"}
            )),
            ("delete line", lambda u: line.with_user(u).unlink()),
            ("add line on the return", lambda u: vehicle_return.with_user(u).write(
                {"check_line_ids": [
                    Command.create({"name": "Added by SC", "result": "ok"})
                ]}
            )),
            ("update line on the return", lambda u: vehicle_return.with_user(u).write(
                {"check_line_ids": [Command.update(line.id, {"result": "ok"})]}
            )),
            ("delete line on the return", lambda u: vehicle_return.with_user(u).write(
                {"check_line_ids": [Command.delete(line.id)]}
            )),
            ("findings", lambda u: vehicle_return.with_user(u).write(
                {"inspection_result": "Customer misuse: no product defect."}
            )),
            ("rework requirements", lambda u: vehicle_return.with_user(u).write(
                {"rework_requirements": "None needed."}
            )),
            ("hard problem", lambda u: vehicle_return.with_user(u).write(
                {"needs_experts": not vehicle_return.needs_experts}
            )),
            ("experts", lambda u: vehicle_return.with_user(u).write(
                {"expert_ids": [Command.set(self.rnd.ids)]}
            )),
        ]  # fmt: skip

    def _assert_attacks_refused(self, vehicle_return, users, error=UserError):
        before = self._sheet(vehicle_return)
        for user in users:
            for name, attack in self._attacks(vehicle_return):
                with self.subTest(user=user.login, attack=name):
                    with self.assertRaises(error):
                        attack(user)
                    self.assertEqual(self._sheet(vehicle_return), before)

    def test_service_center_does_not_fill_the_inspection(self):
        """While QA inspects (state qa), the technician and the director
        neither add, change nor delete QA's items, nor write its findings,
        rework requirements or experts: AccessError, nothing changes."""
        vehicle_return = self._received_return()
        self._fill_as_qa(vehicle_return)
        self._assert_attacks_refused(
            vehicle_return, (self.technician, self.director), AccessError
        )
        # QA still fills its sheet, and signs it
        line = vehicle_return.check_line_ids.filtered(lambda c: c.result == "nok")
        line.with_user(self.qa).finding = "leak at the shaft seal"
        vehicle_return.with_user(self.qa).write(
            {"needs_experts": True, "expert_ids": [Command.set(self.rnd.ids)]}
        )
        vehicle_return.with_user(self.qa).action_inspect()
        self.assertEqual(vehicle_return.state, "inspected")

    def test_inspection_signed_by_qa_is_not_rewritten(self):
        """The attack: once QA signed the inspection, the technician rewrites
        QA's nonconforming item as conforming, adds an item, rewrites the
        findings and rework requirements; the director deletes QA's items.
        All refused, the sheet as QA signed it."""
        vehicle_return = self._inspected_return()
        self._assert_attacks_refused(vehicle_return, (self.technician, self.director))
        with self.assertRaisesRegex(UserError, "can no longer change"):
            vehicle_return.with_user(self.technician).write(
                {"inspection_result": "Customer misuse: no product defect."}
            )
        with self.assertRaisesRegex(AccessError, "Only QA fills the inspection"):
            vehicle_return.with_user(self.technician).write(
                {"rework_requirements": "None needed."}
            )
        self.assertEqual(vehicle_return.check_line_ids.mapped("result"), ["nok", "ok"])
        self.assertEqual(vehicle_return.inspected_by_id, self.qa)

    def test_qa_does_not_rewrite_its_signed_sheet(self):
        """Once signed, not even QA changes the items checked nor the
        findings: a new finding is the re-inspection's note. QA still writes
        the rework requirements it plans the rework by."""
        vehicle_return = self._inspected_return()
        before = self._sheet(vehicle_return)
        line = vehicle_return.check_line_ids.filtered(lambda c: c.result == "nok")
        for name, attack in (
            ("rewrite line", lambda: line.with_user(self.qa).write({"result": "ok"})),
            ("delete line", lambda: line.with_user(self.qa).unlink()),
            (
                "add line",
                lambda: vehicle_return.with_user(self.qa).write(
                    {"check_line_ids": [Command.create({"name": "X"})]}
                ),
            ),
            (
                "findings",
                lambda: vehicle_return.with_user(self.qa).write(
                    {"inspection_result": "<p>No defect.</p>"}
                ),
            ),
        ):
            with self.subTest(attack=name), self.assertRaises(UserError):
                attack()
            self.assertEqual(self._sheet(vehicle_return), before)
        vehicle_return.with_user(self.qa).rework_requirements = "<p>Also clean.</p>"
        self.assertIn("Also clean", vehicle_return.rework_requirements)
        # a failed re-inspection goes back to QA's planning, not to its sheet
        self._start_rework(vehicle_return, [("manufacturing", "Seal", self.maker)])
        task = vehicle_return.task_ids
        task.with_user(self.maker).result = "Replaced."
        task.with_user(self.maker).action_done()
        vehicle_return.with_user(self.qa).reinspection_note = "Still leaks."
        vehicle_return.with_user(self.qa).action_reinspect_fail()
        self.assertEqual(vehicle_return.state, "inspected")
        before = self._sheet(vehicle_return)
        with self.assertRaises(UserError):
            line.with_user(self.qa).write({"result": "ok"})
        self._assert_attacks_refused(vehicle_return, (self.technician, self.director))
        self.assertEqual(self._sheet(vehicle_return), before)

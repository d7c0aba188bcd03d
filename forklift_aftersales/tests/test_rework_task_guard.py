from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestReworkTaskGuard(ForkliftCommon):
    """R-240, R-241, R-049, R-062 (000 §4.4.3, REQUIREMENTS §9): QA plans the
    rework of a returned forklift between its inspection and re-inspection;
    the departments carry out their own task and report it done against
    QA's instruction. The service center does not plan, and the assignee
    does not rewrite the instruction nor its deadline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office_director, cls.sales_vp = cls._vehicle_return_signers("rtg")
        cls.planner = cls._group_user(
            "rtg_planner", "group_forklift_production_planning"
        )
        cls.maker = cls._group_user("rtg_maker", "group_forklift_manufacturing")

    def _rework_return(self):
        vehicle_return = self._staff_vehicle_return("Brake pedal goes to the floor.")
        self._sign_vehicle_return(vehicle_return)
        vehicle_return.with_user(self.staff).action_receive()
        self._inspect_defect(
            vehicle_return,
            "Brakes",
            "no pressure",
            "<p>Brake master cylinder leaks.</p>",
        )
        self._start_rework(
            vehicle_return,
            [
                (
                    "manufacturing",
                    "Replace the brake master cylinder and bleed the brakes",
                    self.maker,
                )
            ],
            deadline=date(2026, 4, 10),
        )
        return vehicle_return

    def _plan(self, task):
        return task.read(["name", "department", "user_id", "deadline", "result"])

    def test_service_center_does_not_plan_the_rework(self):
        """The service center (technician) neither rewrites QA's task nor
        adds tasks to a return in rework, nor drops one."""
        vehicle_return = self._rework_return()
        task = vehicle_return.task_ids
        before = self._plan(task)
        Task = self.env["forklift.vehicle.return.task"]
        for vals in (
            {"name": "Look at brakes"},
            {"deadline": date(2030, 1, 1)},
            {"user_id": self.planner.id, "department": "planning"},
            {"result": "Looked at it."},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                task.with_user(self.staff).write(vals)
        with self.assertRaises(AccessError):
            Task.with_user(self.staff).create(
                {
                    "return_id": vehicle_return.id,
                    "department": "planning",
                    "name": "Skip the brakes",
                    "user_id": self.planner.id,
                }
            )
        with self.assertRaises(AccessError):
            vehicle_return.with_user(self.staff).write(
                {
                    "task_ids": [
                        Command.create(
                            {
                                "department": "planning",
                                "name": "Skip the brakes",
                                "user_id": self.planner.id,
                            }
                        )
                    ]
                }
            )
        with self.assertRaises(AccessError):
            task.with_user(self.director).unlink()
        self.assertEqual(vehicle_return.task_ids, task)
        self.assertEqual(self._plan(task), before)
        self.assertEqual(task.state, "todo")

    def test_assignee_reports_but_does_not_replan(self):
        """The assignee cannot soften QA's instruction nor move its deadline,
        nor add a task; he writes his result and reports the task done."""
        vehicle_return = self._rework_return()
        task = vehicle_return.task_ids
        before = self._plan(task)
        for vals in (
            {"name": "Look at brakes"},
            {"deadline": date(2030, 1, 1)},
            {"name": "Look at brakes", "deadline": date(2030, 1, 1)},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                task.with_user(self.maker).write(vals)
        self.assertEqual(self._plan(task), before)
        self.assertEqual(task.state, "todo")
        # his own result, then done: the procedure's step stays his
        task.with_user(self.maker).result = "Master cylinder replaced, bled."
        task.with_user(self.maker).action_done()
        self.assertEqual(task.state, "done")
        self.assertEqual(
            task.name, "Replace the brake master cylinder and bleed the brakes"
        )
        self.assertEqual(vehicle_return.state, "reinspection")

    def test_qa_still_plans_the_rework(self):
        """QA replans a task, adds and drops one while the rework is open."""
        vehicle_return = self._rework_return()
        task = vehicle_return.task_ids
        task.with_user(self.qa).write(
            {"name": "Replace the master cylinder", "deadline": date(2026, 4, 12)}
        )
        self.assertEqual(task.name, "Replace the master cylinder")
        extra = (
            self.env["forklift.vehicle.return.task"]
            .with_user(self.qa)
            .create(
                {
                    "return_id": vehicle_return.id,
                    "department": "planning",
                    "name": "Book the test track",
                    "user_id": self.planner.id,
                }
            )
        )
        self.assertEqual(vehicle_return.task_ids, task | extra)
        extra.with_user(self.qa).unlink()
        self.assertEqual(vehicle_return.task_ids, task)

    def test_a_task_is_not_put_off_for_ever(self):
        """R-240 (000 §4.4.3): QA plans the deadline of a rework task within
        the years a plan reaches. A deadline in 2999, typed over RPC, kept
        the task off the overdue list and its assignee never reminded while
        the forklift waited in rework."""
        vehicle_return = self._rework_return()
        task = vehicle_return.task_ids
        before = self._plan(task)
        never = {"deadline": date(2999, 12, 31)}
        with self.assertRaises(ValidationError):
            task.with_user(self.qa).write(never)
        with self.assertRaises(ValidationError):
            task.with_user(self.qa).copy(never)
        self.assertEqual(self._plan(task), before)
        self.assertEqual(vehicle_return.task_ids, task)

    def test_rights_say_who_plans_the_rework(self):
        """R-240, R-049 (000 §4.4.3): the access rights say what the task
        allows: the service center and its director read the rework (the
        task refuses their changes); QA plans it; the departments write their
        own tasks (their result), not another's."""
        vehicle_return = self._rework_return()
        task = vehicle_return.task_ids
        Task = self.env["forklift.vehicle.return.task"]
        for user in (self.staff, self.director):
            for operation, allowed in (
                ("read", True),
                ("write", False),
                ("create", False),
                ("unlink", False),
            ):
                with self.subTest(user=user.login, operation=operation):
                    self.assertEqual(
                        Task.with_user(user).has_access(operation), allowed
                    )
            with self.assertRaises(AccessError):
                task.with_user(user).check_access("write")
        for operation in ("read", "write", "create", "unlink"):
            self.assertTrue(Task.with_user(self.qa).has_access(operation))
        task.with_user(self.maker).check_access("write")
        with self.assertRaises(AccessError):
            task.with_user(self.planner).check_access("write")

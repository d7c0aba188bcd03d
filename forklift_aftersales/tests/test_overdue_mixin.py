from datetime import date

from freezegun import freeze_time

from odoo.orm.model_classes import add_to_registry

from odoo.addons.base.tests.common import BaseCommon


class TestOverdueMixin(BaseCommon):
    """The mixin on a model of its own: open records past their deadline day
    are overdue, computed and searched alike."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # imported here, as OCA's base_tier_validation does: the test model
        # must not join the addon's models when the tests package is imported
        from .overdue_tester import ForkliftOverdueTester  # noqa: PLC0415

        add_to_registry(cls.registry, ForkliftOverdueTester)
        cls.registry._setup_models__(cls.env.cr, ["forklift.overdue.tester"])
        cls.registry.init_models(
            cls.env.cr, ["forklift.overdue.tester"], {"models_to_check": True}
        )
        cls.addClassCleanup(cls.registry.__delitem__, "forklift.overdue.tester")
        model = cls.env["forklift.overdue.tester"]
        cls.late = model.create({"due_on": date(2026, 3, 1)})
        cls.late_waiting = model.create(
            {"due_on": date(2026, 3, 1), "state": "waiting"}
        )
        cls.today = model.create({"due_on": date(2026, 3, 2)})
        cls.late_done = model.create({"due_on": date(2026, 3, 1), "state": "done"})
        cls.no_deadline = model.create({})
        cls.records = cls.late | cls.late_waiting | cls.today | cls.late_done
        cls.records |= cls.no_deadline

    @freeze_time("2026-03-02 10:00:00")
    def test_open_records_past_their_day_are_overdue(self):
        overdue = self.late | self.late_waiting
        self.assertEqual(self.records.filtered("is_overdue"), overdue)
        model = self.env["forklift.overdue.tester"]
        self.assertEqual(model.search([("is_overdue", "=", True)]), overdue)
        self.assertEqual(
            model.search([("is_overdue", "=", False)]), self.records - overdue
        )

    @freeze_time("2026-02-28 10:00:00")
    def test_nothing_is_overdue_before_the_deadline(self):
        self.assertFalse(self.records.filtered("is_overdue"))

"""A ``default_*`` context key a client sends with any call gives the export
division's documents no value their values could not (R-047)."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_export_flow import ExportCommon


@tagged("post_install", "-at_install")
class TestContextDefaultGuardExport(ExportCommon):
    def test_reading_names_no_domestic_sheet_by_context_default(self):
        """R-047 (000-I L25): ``_check_feedback_readable`` reads ``vals``
        only, but a ``default_feedback_id`` naming a domestic sheet on an
        export forklift's reading is still refused, by the constraint that a
        reading's sheet is of its own forklift (a sheet's market is its
        forklift's)."""
        case = self._verified_case()
        readings = self.env["forklift.hour.reading"].with_user(self.export_user)
        vals = {
            "unit_id": self.export_unit.id,
            "hours": self.export_unit.current_hours + 40,
        }
        with self.assertRaises(AccessError):
            readings.create({**vals, "feedback_id": case.id})
        with self.assertRaises(ValidationError):
            readings.with_context(default_feedback_id=case.id).create(vals)
        self.assertFalse(
            self.env["forklift.hour.reading"].search(
                [("feedback_id", "=", case.id), ("unit_id", "=", self.export_unit.id)]
            )
        )

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.forklift_aftersales.tests import test_ship_item_guard


@tagged("post_install", "-at_install")
class TestExportShipItemGuard(test_ship_item_guard.TestShipItemGuard):
    """R-047, R-211: the items shipped with an export forklift once its
    acceptance is signed, as the export division works on them (the core's
    cases run again here with the export addon installed)."""

    def test_export_division_changes_no_item_of_an_export_forklift(self):
        """The export division reads what ships with an export forklift
        (``forklift_aftersales_export``) and changes none of it once it is
        accepted."""
        self.signed_unit.market = "export"
        export_user = self._group_user(
            "fa_ship_export",
            "forklift_aftersales_export.group_forklift_export_division",
        )
        items = self.items.with_user(export_user)
        self.assertEqual(
            items.mapped("name"), [self.part.display_name, "Operation manual"]
        )
        Items = self.env["forklift.unit.ship.item"].with_user(export_user)
        for change in (
            lambda: items[1].write({"shipped": True}),
            lambda: items[0].unlink(),
            lambda: Items.create({"unit_id": self.signed_unit.id, "name": "Wheel"}),
        ):
            self._assert_refused(change, AccessError)
        # an export user who is after-sales staff as well is refused as staff
        export_user.group_ids |= self.env.ref("forklift_aftersales.group_forklift_user")
        self._assert_refused(lambda: items[1].write({"shipped": True}))

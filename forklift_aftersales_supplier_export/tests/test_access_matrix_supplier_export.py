from odoo.tests import TransactionCase, tagged

from odoo.addons.forklift_aftersales.tests.test_access_matrix import (
    AccessMatrixMixin,
)

# the export division reads the letters of export sheets, whose signed sheets it
# confirms (000 第一篇 L81, R-279); the record rule narrows it to them
RIGHTS = {"forklift.supplier.letter": {"export_division": "r"}}


@tagged("post_install", "-at_install")
class TestSupplierExportAccessMatrix(AccessMatrixMixin, TransactionCase):
    """The rights this addon gives, on every after-sales model."""

    def test_every_model_has_its_rights_and_no_more(self):
        models = self._all_models()
        self._check_matrix("forklift_aftersales_supplier_export", RIGHTS, models)

from odoo.tests import TransactionCase, tagged

from odoo.addons.forklift_aftersales.tests.test_access_matrix import (
    OPERATIONAL,
    PORTAL,
    AccessMatrixMixin,
)

# What each group may do on the models of this addon, by the access rights it
# gives: letters are the service center's, claims QA's; the suppliers read
# their own on the portal.
SUPPLIER_RIGHTS = {
    "forklift.supplier.letter": {**OPERATIONAL, **PORTAL},
    "forklift.quality.claim": {
        "viewer": "r",
        "qa": "rwc",
        "qa_manager": "rwcu",
        "purchasing": "rw",
        **PORTAL,
    },
    "forklift.quality.claim.line": {
        "viewer": "r",
        "qa": "rwcu",
        "purchasing": "rwcu",
        **PORTAL,
    },
    "forklift.responsibility.trace": {"viewer": "r", "qa": "rwc", "qa_manager": "rwcu"},
    "forklift.timeliness.assessment": {
        "viewer": "r",
        "qa": "rwc",
        "qa_manager": "rwcu",
    },
    "forklift.timeliness.assessment.line": {"viewer": "r", "qa": "rwcu"},
}


@tagged("post_install", "-at_install")
class TestSupplierAccessMatrix(AccessMatrixMixin, TransactionCase):
    """The rights the supplier addon gives, on its models and on those of the
    core it extends."""

    def test_every_model_has_its_rights_and_no_more(self):
        models = self._module_models(["forklift_aftersales_supplier"])
        new = models - self._module_models(["forklift_aftersales"])
        self.assertEqual(
            new - set(SUPPLIER_RIGHTS), set(), "models with no expected rights"
        )
        self._check_matrix("forklift_aftersales_supplier", SUPPLIER_RIGHTS, models)

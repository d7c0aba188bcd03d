from odoo.tests import TransactionCase, tagged

from odoo.addons.forklift_aftersales.tests.test_access_matrix import (
    AccessMatrixMixin,
)

# What the export addon's groups may do, by the access rights it gives (a user
# also has the rights of the groups its group implies: the export company those
# of the export division, the after-sales parts department QA's, the export
# vice president the viewer's). The record rules narrow the export division to
# the export market.
EXPORT_CASES = {"export_division": "rwc"}
READS = {"export_division": "r"}
EXPORT_RIGHTS = {
    "forklift.unit": READS,
    "forklift.hour.reading": {"export_division": "rc"},
    # the export division files and works the export sheets (000-I L25)
    "forklift.feedback": EXPORT_CASES,
    "forklift.service.order": EXPORT_CASES,
    "forklift.service.order.part": EXPORT_CASES,
    "forklift.unit.ship.item": READS,
    "forklift.fault.category": READS,
    "forklift.sla.policy": READS,
    "forklift.service.commitment": READS,
    # it is asked to analyse the abnormal issues of export sheets (000 外销 L83)
    "forklift.abnormal.issue": READS,
    "forklift.abnormal.issue.analysis": {"export_division": "rw"},
    # the after-sales parts department answers the export questions
    "forklift.technical.question": {"export_division": "r", "aftersales_parts": "rw"},
    # statistics, reports and early warning of its market
    "forklift.aftersales.report": READS,
    "forklift.feedback.analysis": READS,
    "forklift.part.analysis": READS,
    "forklift.failure.rate.analysis": READS,
    "forklift.unit.exposure": READS,
    "forklift.warranty.forecast": READS,
    # it follows the returns and the satisfaction of export units
    "forklift.vehicle.return": READS,
    "forklift.vehicle.return.check": READS,
    "forklift.satisfaction.survey": READS,
}


@tagged("post_install", "-at_install")
class TestExportAccessMatrix(AccessMatrixMixin, TransactionCase):
    """The rights the export addon gives, on every after-sales model."""

    def test_every_model_has_its_rights_and_no_more(self):
        models = self._all_models()
        self._check_matrix("forklift_aftersales_export", EXPORT_RIGHTS, models)

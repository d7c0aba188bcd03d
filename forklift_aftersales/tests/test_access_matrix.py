from odoo.tests import TransactionCase, new_test_user, tagged

from .common import ForkliftCommon

# What each group may do on each model of this addon, by the access rights
# this addon gives (a user also has the rights of the groups its group
# implies). A right not listed is refused: every after-sales group implies the
# viewer, who reads everything and changes nothing; an internal user outside
# the after-sales groups reaches nothing. The rights another addon gives are
# that addon's to check (its own matrix test).
OPERATIONAL = {"viewer": "r", "user": "rwc", "director": "rwcu"}
LINES = {"viewer": "r", "user": "rwcu", "director": "rwcu"}
SETTINGS = {"viewer": "r", "director": "rwcu"}
ANALYSES = {"viewer": "r"}
# the domestic sales company files domestic sheets for the service center to
# complete, and follows their orders
DOMESTIC_SALES = {"domestic_sales": "r"}
PORTAL = {"base.group_portal": "r"}
QUALITY_ANALYSES = {"qa": "r", "rnd": "r", "director": "r"}

RIGHTS = {
    "forklift.unit": {**OPERATIONAL, **DOMESTIC_SALES},
    "forklift.hour.reading": {**OPERATIONAL, "domestic_sales": "rc"},
    "forklift.feedback": {**OPERATIONAL, **PORTAL, "domestic_sales": "rc"},
    "forklift.service.order": {**OPERATIONAL, **PORTAL, **DOMESTIC_SALES},
    "forklift.service.order.part": {**OPERATIONAL, **PORTAL, **DOMESTIC_SALES},
    "forklift.assistance.request": {"user": "rwcu"},
    # QA corrects the supplier at fault of a verified sheet
    "forklift.feedback.supplier.correction": {"qa": "rwcu"},
    "forklift.parts.request": OPERATIONAL,
    "forklift.parts.request.line": OPERATIONAL,
    "forklift.payment.deferral": OPERATIONAL,
    "forklift.oldpart.return": {**OPERATIONAL, **PORTAL},
    "forklift.oldpart.return.line": {**OPERATIONAL, **PORTAL},
    "forklift.oldpart.receive.wizard": {"user": "rwcu", "director": "rwcu"},
    "forklift.oldpart.disposal": OPERATIONAL,
    "forklift.unit.ship.item": LINES,
    "forklift.parts.delivery.wizard": {
        "user": "rwcu",
        "director": "rwcu",
        "warehouse": "rwcu",
    },
    "forklift.local.purchase": OPERATIONAL,
    "forklift.local.purchase.line": OPERATIONAL,
    "forklift.commissioning": OPERATIONAL,
    "forklift.training": OPERATIONAL,
    "forklift.training.attendee": LINES,
    "forklift.maintenance.visit": OPERATIONAL,
    "forklift.maintenance.visit.line": LINES,
    "forklift.followup.call": OPERATIONAL,
    "forklift.care.letter": OPERATIONAL,
    "forklift.care.event": OPERATIONAL,
    "forklift.satisfaction.survey": OPERATIONAL,
    "forklift.aftersales.report": OPERATIONAL,
    # whole-vehicle returns: QA inspects and plans the rework (the service
    # center reads it), the departments do their rework
    "forklift.vehicle.return": {**OPERATIONAL, "qa": "rw"},
    "forklift.vehicle.return.check": {**OPERATIONAL, "qa": "rwcu"},
    "forklift.vehicle.return.task": {
        "viewer": "r",
        "qa": "rwcu",
        "production_planning": "rw",
        "manufacturing": "rw",
        "purchasing": "rw",
    },
    # abnormal issues: R&D and QA answer the analysis
    "forklift.abnormal.issue": OPERATIONAL,
    "forklift.abnormal.issue.analysis": {**OPERATIONAL, "qa": "rw", "rnd": "rw"},
    # the committee decides; the service center opens the reviews
    "forklift.committee.review": {
        "viewer": "r",
        "user": "rc",
        "committee": "rwc",
        "director": "rwcu",
    },
    "forklift.committee.review.member": {"viewer": "r", "committee": "rwc"},
    "forklift.committee.action": {"viewer": "r", "committee": "rwcu"},
    "forklift.committee.seat": SETTINGS,
    "forklift.fault.category": {**SETTINGS, **DOMESTIC_SALES},
    "forklift.sla.policy": {**SETTINGS, **DOMESTIC_SALES},
    "forklift.makeup.workday": SETTINGS,
    "forklift.training.topic": SETTINGS,
    "forklift.report.recipient": SETTINGS,
    "forklift.duty.assignment": SETTINGS,
    "forklift.document.code": SETTINGS,
    # service commitment letters: the director signs them, all read them
    "forklift.service.commitment": SETTINGS,
    # questions to R&D: the service center asks, the department answers
    "forklift.technical.question": {**OPERATIONAL, "rnd": "rw"},
    "forklift.feedback.analysis": ANALYSES,
    "forklift.part.analysis": ANALYSES,
    # quality early warning: QA and R&D read the rates (the director too); QA
    # alone sets the rules
    "forklift.failure.rate.analysis": QUALITY_ANALYSES,
    "forklift.unit.exposure": QUALITY_ANALYSES,
    "forklift.warranty.forecast": QUALITY_ANALYSES,
    "forklift.warning.rule": {"qa": "rwcu", "rnd": "r", "director": "r"},
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


class AccessMatrixMixin:
    """Every model against every after-sales group, read, write, create and
    delete, as RPC and the UI check them, for the rights one addon gives: the
    rights given by the other addons installed are theirs to check."""

    def _groups(self):
        """Every group the after-sales addons define, the portal and a plain
        internal user, by a short name."""
        groups = {"base.group_portal": self.env.ref("base.group_portal")}
        groups["base.group_user"] = self.env.ref("base.group_user")
        data = self.env["ir.model.data"].search(
            [
                ("model", "=", "res.groups"),
                ("module", "like", "forklift_aftersales%"),
            ]
        )
        for xmlid in data:
            short = xmlid.name.removeprefix("group_forklift_")
            groups[short] = self.env["res.groups"].browse(xmlid.res_id)
        return groups

    def _module_models(self, modules):
        """The after-sales models the given addons define."""
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.model"), ("module", "in", modules)]
        )
        return {
            model.model
            for model in self.env["ir.model"].browse(data.mapped("res_id"))
            if model.model.startswith("forklift.")
            and not self.env[model.model]._abstract
        }

    def _all_models(self):
        """Every after-sales model installed, whichever addon defines it."""
        return {
            model.model
            for model in self.env["ir.model"].search([("model", "=like", "forklift.%")])
            if not self.env[model.model]._abstract
        }

    def _others_rights(self, module, models):
        """{(model, group or False): flags} of the access rights the other
        addons give on these models."""
        accesses = self.env["ir.model.access"].search(
            [("model_id.model", "in", list(models))]
        )
        owners = self.env["ir.model.data"].search(
            [("model", "=", "ir.model.access"), ("res_id", "in", accesses.ids)]
        )
        mine = set(owners.filtered(lambda d: d.module == module).mapped("res_id"))
        rights = {}
        for access in accesses:
            if access.id in mine:
                continue
            key = (access.model_id.model, access.group_id)
            rights[key] = rights.get(key, set()) | {
                flag
                for flag, operation in OPERATIONS.items()
                if access[f"perm_{operation}"]
            }
        return rights

    def _check_matrix(self, module, rights, models):
        groups = self._groups()
        self.assertGreater(len(groups), 20)
        others = self._others_rights(module, models)
        wrong = []
        for short, group in groups.items():
            user = new_test_user(
                self.env,
                login=f"matrix_{short}",
                groups=group.get_external_id()[group.id],
            )
            implied = {
                name for name, other in groups.items() if other in user.all_group_ids
            }
            for model in sorted(models):
                expected = set().union(
                    *(set(rights.get(model, {}).get(name, "")) for name in implied),
                    *(
                        flags
                        for (name, other), flags in others.items()
                        if name == model and (not other or other in user.all_group_ids)
                    ),
                )
                actual = {
                    flag
                    for flag, operation in OPERATIONS.items()
                    if self.env[model].with_user(user).has_access(operation)
                }
                if actual != expected:
                    wrong.append(
                        f"{short} on {model}: has {''.join(sorted(actual)) or '-'}, "
                        f"expected {''.join(sorted(expected)) or '-'}"
                    )
        self.assertFalse(wrong, "\n".join(wrong))


@tagged("post_install", "-at_install")
class TestForkliftAccessMatrix(AccessMatrixMixin, TransactionCase):
    """The rights this addon gives on its models."""

    def test_every_model_has_its_rights_and_no_more(self):
        models = self._module_models(["forklift_aftersales"])
        self.assertEqual(models - set(RIGHTS), set(), "models with no expected rights")
        self._check_matrix("forklift_aftersales", RIGHTS, models)

    def test_no_one_writes_the_statistics(self):
        """The report views are computed from the sheets: even the director
        only reads them."""
        director = new_test_user(
            self.env,
            login="matrix_director_reports",
            groups="forklift_aftersales.group_forklift_director",
        )
        for model in (
            "forklift.feedback.analysis",
            "forklift.part.analysis",
            "forklift.failure.rate.analysis",
            "forklift.unit.exposure",
            "forklift.warranty.forecast",
        ):
            records = self.env[model].with_user(director)
            self.assertTrue(records.has_access("read"))
            for operation in ("write", "create", "unlink"):
                self.assertFalse(records.has_access(operation), (model, operation))


@tagged("post_install", "-at_install")
class TestForkliftCompanyRules(ForkliftCommon):
    """A director of another company of the group sees none of this
    company's after-sales records, model by model (a record without a company
    is every company's)."""

    def test_every_model_with_a_company_has_a_company_rule(self):
        """Each after-sales model storing a company keeps its records to the
        user's companies by a global rule, its setup included (R-047)."""
        ruled = set(
            self.env["ir.rule"]
            .search([("domain_force", "ilike", "company_ids"), ("global", "=", True)])
            .model_id.mapped("model")
        )
        for name, model in self.env.registry.items():
            field = model._fields.get("company_id")
            if (
                name.startswith("forklift.")
                and not model._abstract
                and not model._transient
                and field
                and field.store
            ):
                with self.subTest(model=name):
                    self.assertIn(name, ruled)

    def test_other_company_sees_nothing(self):
        case = self._verified_case()
        self._service_order(case)
        self.env["forklift.parts.request"].create(
            self._parts_request_vals(case, 1, "wear", unit_cost=10)
        )
        other = self.env["res.company"].create({"name": "Forklift Export Branch"})
        director = self._company_user(
            "other_company_director", "group_forklift_director", other
        )
        rules = self.env["ir.rule"].search(
            [("domain_force", "ilike", "company_ids"), ("global", "=", True)]
        )
        models = {
            rule.model_id.model
            for rule in rules
            if rule.model_id.model.startswith("forklift.")
        }
        self.assertTrue(
            {"forklift.feedback", "forklift.service.order", "forklift.parts.request"}
            <= models
        )
        for model in sorted(models):
            with self.subTest(model=model):
                mine = self.env[model].search_count([("company_id", "!=", False)])
                if model in ("forklift.feedback", "forklift.service.order"):
                    self.assertTrue(mine, "this company has records")
                # none of this company's (the other has its own response
                # commitments, given when it was created)
                self.assertEqual(
                    self.env[model]
                    .with_user(director)
                    .search_count(
                        [("company_id", "!=", False), ("company_id", "!=", other.id)]
                    ),
                    0,
                )

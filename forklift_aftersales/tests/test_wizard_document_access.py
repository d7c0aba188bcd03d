from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ShippedPartsCommon


@tagged("post_install", "-at_install")
class TestWizardsNameOnlyReadableDocuments(ShippedPartsCommon):
    """R-047 (a company sees only its own after-sales records): a wizard
    shows the number, title and dates of the document it names, read as
    superuser, so a user of another company who named one of this company's
    documents in a wizard (by a value, a ``default_*`` context key or an
    onchange, over RPC) read them back. He is refused; the company's own
    staff still use the wizards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other_company = cls.env["res.company"].create({"name": "Other Forklift Works"})
        cls.strangers = {
            group: cls._company_user(f"fwd_{group}", group, other_company)
            for group in (
                "group_forklift_user",
                "group_forklift_qa",
                "group_forklift_warehouse",
            )
        }
        cls.request = cls._shipped_request()
        cls.oldpart_return = cls.request.oldpart_return_ids[:1]
        cls.case = cls.request.feedback_id

    def _wizards(self):
        """(group of the user, wizard model, the wizard's field naming this
        company's document, the document, the wizard's other values)."""
        return [
            (
                "group_forklift_user",
                "forklift.oldpart.receive.wizard",
                "return_id",
                self.oldpart_return,
                {},
            ),
            (
                "group_forklift_warehouse",
                "forklift.parts.delivery.wizard",
                "request_id",
                self.request,
                {},
            ),
            (
                "group_forklift_user",
                "forklift.assistance.request",
                "feedback_id",
                self.case,
                {"department": "qa", "note": "Help"},
            ),
            (
                "group_forklift_qa",
                "forklift.feedback.supplier.correction",
                "feedback_id",
                self.case,
                {"supplier_id": self.dealer_a.id, "reason": "Wrong vendor"},
            ),
        ]

    def test_another_companys_user_names_no_document_in_a_wizard(self):
        self.assertTrue(self.oldpart_return)
        for group, model, name, document, others in self._wizards():
            Wizard = self.env[model].with_user(self.strangers[group])
            Defaulted = Wizard.with_context(**{f"default_{name}": document.id})
            vals = {name: document.id, **others}
            with self.subTest(model=model, way="values"):
                with self.assertRaises(AccessError):
                    Wizard.create([vals])
            with self.subTest(model=model, way="context default"):
                with self.assertRaises(AccessError):
                    Defaulted.create([others])
            with self.subTest(model=model, way="onchange"):
                with self.assertRaises(AccessError):
                    Wizard.onchange(vals, [name], {name: {}})
            with self.subTest(model=model, way="onchange of a new wizard"):
                with self.assertRaises(AccessError):
                    Defaulted.onchange({}, [], {name: {"fields": {"display_name": {}}}})

    def test_the_companys_staff_still_open_the_wizards(self):
        users = {
            "group_forklift_user": self.staff,
            "group_forklift_qa": self.qa,
            "group_forklift_warehouse": self.warehouse_user,
        }
        for group, model, name, document, others in self._wizards():
            with self.subTest(model=model):
                wizard = (
                    self.env[model]
                    .with_user(users[group])
                    .create([{name: document.id, **others}])
                )
                self.assertEqual(wizard[name], document)

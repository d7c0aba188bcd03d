from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSupplierInstall(TransactionCase):
    def test_purchasing_users_follow_but_do_not_edit_cases(self):
        """Purchasing helps QA with supplier claims (000 §3.5): a purchase user
        reads the after-sales sheets and cannot change them."""
        user = new_test_user(
            self.env, login="buyer", groups="purchase.group_purchase_user"
        )
        self.assertTrue(user.has_group("forklift_aftersales.group_forklift_purchasing"))
        cases = self.env["forklift.feedback"].with_user(user)
        self.assertEqual(
            cases.search_count([]), self.env["forklift.feedback"].search_count([])
        )
        with self.assertRaises(AccessError):
            cases.create({"title": "not for purchasing"})

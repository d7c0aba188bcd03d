"""The access token of a supplier's service contact letter in the letter's
chatter, through Odoo's mail routes, logged out: it gets the files of the
messages the chatter shows, not the staff's internal notes; it neither posts
nor edits as the supplier; the link mailed to the supplier's contact posts a
plain message in his name (R-056, 000 §4.2.3.2–3; README "What no user can
do")."""

from odoo.tests import HttpCase, tagged

from odoo.addons.forklift_aftersales.tests.test_token_chatter import (
    TokenChatterCases,
)

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestLetterTokenChatter(TokenChatterCases, HttpCase, SupplierCommon):
    """Supplier A's letter, sent: supplier A's contact reads it on the portal
    and gets its mailed link; supplier B does not read it (R-056)."""

    # the tests are those of TokenChatterCases, shared with the service order
    allow_inherited_tests_method = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.record = cls._letter(cls._supplier_case(cls.supplier_a))
        cls.reader = cls.portal_a
        cls.outsider = cls.portal_b
        cls.link_partner = cls.record.contact_id
        cls._chatter_setup()

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, call_kw


@tagged("post_install", "-at_install")
class TestTierRpcGuard(HttpCase, ForkliftCommon):
    """R-005: the approval mechanism's inner steps are the server's. OCA's
    ``evaluate_tier`` (does a tier definition apply to the document), called
    over JSON-RPC by any user, portal included, with whatever argument, is
    refused as a private method: an access error, never a server error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls._portal_user("fa_tier_portal", cls.dealer_a)
        cls.definition = cls.env.ref("forklift_aftersales.tier_vehicle_return_sales_vp")

    def test_evaluate_tier_is_refused_over_rpc(self):
        for login in (self.portal.login, self.staff.login):
            self.authenticate(login, login)
            for model in ("forklift.vehicle.return", "forklift.parts.request"):
                for args in ([[4], 1], [[4], self.definition.id]):
                    with (
                        self.subTest(login=login, model=model, args=args),
                        mute_logger("odoo.http"),
                    ):
                        answer = call_kw(self, model, "evaluate_tier", args)
                        self.assertNotIn("result", answer)
                        self.assertEqual(
                            answer["error"]["data"]["name"],
                            "odoo.exceptions.AccessError",
                        )

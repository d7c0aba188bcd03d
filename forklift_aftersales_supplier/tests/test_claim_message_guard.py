from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestClaimMessageGuard(SupplierCommon):
    """The tracking of a quality claim's amounts (claimed, agreed) is the
    audit trail of what was claimed from the supplier (R-018, R-261): QA and
    purchasing, who write the claim, neither rewrite nor delete it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cases = cls._pump_failure_cases()

    def _flush_tracking(self):
        """The tracking, written as the transaction commits."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    @mute_logger("odoo.models.unlink")
    def test_claimed_amounts_tracking_stays(self):
        """R-018, R-261: QA adds the labour to a claim (Claimed 600 → 920,
        tracked); neither QA, who wrote it, nor purchasing rewrites or
        deletes that tracking message; its values stay."""
        action = self.cases.with_user(self.qa).action_create_quality_claim()
        claim = self.env["forklift.quality.claim"].browse(action["res_id"])
        self.assertEqual(claim.amount_claimed, 600)
        # tracked from here: the claim is no longer created in this transaction
        self._flush_tracking()
        claim.with_user(self.qa).write({"line_ids": [self._two_visits()]})
        self._flush_tracking()
        self.assertEqual(claim.amount_claimed, 920)
        tracking = claim.message_ids.sudo().tracking_value_ids.filtered(
            lambda value: value.field_id.name == "amount_claimed"
        )
        self.assertEqual(len(tracking), 1)
        self.assertEqual(
            (tracking.old_value_float, tracking.new_value_float), (600, 920)
        )
        message = tracking.mail_message_id.sudo(False)
        before = (str(message.body), message.author_id, message.message_type)
        for user in (self.qa, self.buyer):
            theirs = message.with_user(user)
            self.assertTrue(theirs.has_access("write"), user.login)
            for vals in (
                {"body": "<p>Claimed 0.</p>"},
                {"tracking_value_ids": [Command.clear()]},
                {"message_type": "comment"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaises(UserError),
                ):
                    theirs.write(vals)
            with self.subTest(user=user.login), self.assertRaises(UserError):
                theirs.unlink()
        message.invalidate_recordset()
        self.assertEqual(
            (str(message.body), message.author_id, message.message_type), before
        )
        self.assertEqual(tracking.exists(), tracking)
        self.assertEqual(tracking.new_value_float, 920)

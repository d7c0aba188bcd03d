from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, call_kw


@tagged("post_install", "-at_install")
class TestWarrantyReason(HttpCase, ForkliftCommon):
    """R-093 (004 §4.6.1): every warranty part line says why the part is
    given under the three guarantees — a wear part, a missing part or an
    unqualified part — for every caller."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._verified_case()

    def _rpc(self, model, method, args):
        self.authenticate("fa_staff", "fa_staff")
        return call_kw(self, model, method, args)

    def _vals(self, **line):
        return {
            "feedback_id": self.case.id,
            "technician_id": self.technician.id,
            "line_ids": [[0, 0, {"product_id": self.part.id, "quantity": 1, **line}]],
        }

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_a_line_without_its_reason_is_refused_over_rpc(self):
        """The service center's staff create a request over JSON-RPC with a
        part line that gives no reason, or one outside the three: refused
        with the field named, nothing created; with a reason it is kept."""
        requests = self.env["forklift.parts.request"]
        count = requests.search_count([])
        body = self._rpc("forklift.parts.request", "create", [self._vals()])
        self.assertIn("Missing required value", body["error"]["data"]["message"])
        self.assertIn("Reason", body["error"]["data"]["message"])
        body = self._rpc(
            "forklift.parts.request", "create", [self._vals(warranty_reason="broken")]
        )
        self.assertIn("error", body)
        self.assertEqual(requests.search_count([]), count)
        body = self._rpc(
            "forklift.parts.request", "create", [self._vals(warranty_reason="missing")]
        )
        request = requests.browse(body["result"])
        self.assertEqual(request.line_ids.warranty_reason, "missing")

    def test_the_reason_is_fixed_once_approval_is_requested(self):
        """The reason is part of what the approvers sign: it cannot change
        once the approval is requested."""
        request = (
            self.env["forklift.parts.request"]
            .with_user(self.staff)
            .create(self._vals(warranty_reason="wear"))
        )
        request.request_validation()
        with self.assertRaisesRegex(UserError, "cannot change"):
            request.line_ids.with_user(self.staff).write(
                {"warranty_reason": "unqualified"}
            )
        self.assertEqual(request.line_ids.warranty_reason, "wear")

import contextlib

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.forklift_aftersales.tests.common import stored_values

from .test_export_flow import ExportCommon


@tagged("post_install", "-at_install")
class TestExportDivisionSteps(ExportCommon):
    """R-047 (SPEC: overseas dealers are dispatched by the service center):
    the export division gives the export information, files and follows
    export sheets and receives the finished cases; the service center's
    steps (verify, cancel, reopen, create and dispatch the service order, and
    the rest of the sheet's and order's steps) stay with after-sales staff,
    whatever the division may edit. Called as RPC would, each is refused
    and nothing changes."""

    @staticmethod
    def _snapshot(record):
        return stored_values(record)

    def _refused(self, record, *methods):
        """Each of ``methods`` of ``record``, called by the export division,
        is refused and changes nothing."""
        for method in methods:
            before = self._snapshot(record)
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(record.with_user(self.export_user), method)()
            self.assertEqual(self._snapshot(record), before)

    def test_export_division_takes_no_service_center_step_on_a_sheet(self):
        draft = self._create_case(
            unit=self.export_unit,
            verification="<p>Leaking lift cylinder seal.</p>",
            responsibility="manufacturing",
            route="remote",
        )
        self._refused(draft, "action_verify", "action_mark_answered", "action_cancel")
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.verified_by_id)

        verified = self._export_case()
        self._refused(
            verified,
            "action_create_service_order",
            "action_cancel",
            "action_report_to_qa",
            "action_close",
            "action_create_quote",
            "action_create_paid_sale",
        )
        self.assertEqual(verified.state, "verified")
        self.assertFalse(verified.service_order_ids)

        cancelled = self._export_case()
        cancelled.with_user(self.director).action_cancel()
        self._refused(cancelled, "action_reset_to_draft")
        self.assertEqual(cancelled.state, "cancel")
        self.assertTrue(cancelled.verified_by_id)
        # the service center still takes them
        cancelled.with_user(self.director).action_reset_to_draft()
        self.assertEqual(cancelled.state, "draft")

    def test_export_division_takes_no_step_of_a_service_order(self):
        order = self._service_order(self._export_case(), performer="remote")
        self._refused(order, "action_dispatch", "action_cancel")
        self.assertEqual(order.state, "draft")
        order.with_user(self.director).action_dispatch()
        self.assertEqual(order.state, "dispatched")
        self._refused(
            order,
            "action_done",
            "action_report_major_problem",
            "action_escalate",
            "action_escalate_to_leaders",
            "action_cancel",
        )
        self.assertEqual(order.state, "dispatched")

    def _buttons(self, model, user):
        """The names of the methods the buttons of ``model``'s form call, as
        ``user`` gets the form."""
        arch = etree.fromstring(
            self.env[model].with_user(user).get_view(view_type="form")["arch"]
        )
        return {
            node.get("name")
            for node in arch.iter("button")
            if node.get("type") == "object"
        }

    def test_hidden_buttons_hold_on_the_server(self):
        """R-005, R-047: each button of the sheet's and the order's form that
        the export division does not get (the service center's), called by it
        on an export sheet or order as RPC would, is refused, or changes
        nothing (TestFlowGuard walks the domestic records)."""
        admin = self.env.ref("base.user_admin")
        cancelled = self._export_case()
        cancelled.action_cancel()
        dispatched = self._service_order(self._export_case(), performer="remote")
        dispatched.action_dispatch()
        records = [
            self._create_case(
                unit=self.export_unit,
                verification="<p>Leaking lift cylinder seal.</p>",
                responsibility="manufacturing",
                route="remote",
            ),
            self._export_case(),
            cancelled,
            self._service_order(self._export_case(), performer="remote"),
            dispatched,
        ]
        taken = []
        checked = 0
        for record in records:
            hidden = self._buttons(record._name, admin) - self._buttons(
                record._name, self.export_user
            )
            for name in sorted(hidden):
                before, state = self._snapshot(record), record.state
                # refused, or changing nothing (rolled back either way)
                with (
                    contextlib.suppress(AccessError, UserError),
                    self.env.cr.savepoint() as attempt,
                ):
                    getattr(record.with_user(self.export_user), name)()
                    self.env.flush_all()
                    if self._snapshot(record) != before:
                        taken.append(f"{record._name}.{name} ({state})")
                    attempt.close(rollback=True)
                self.assertEqual(self._snapshot(record), before)
                checked += 1
        self.assertGreater(checked, 20, "hidden buttons walked")
        self.assertFalse(
            taken, "hidden by the form, taken over RPC: " + ", ".join(taken)
        )

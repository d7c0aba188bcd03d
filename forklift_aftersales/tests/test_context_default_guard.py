"""The context a client sends with any call (an RPC's ``kwargs.context``, the
``context`` of ``/mail/message/post``) decides nothing the values would not:
a ``default_*`` key is checked as the value it gives, a key a model's method
reads moves no after-sales document outside its steps. Each test is the
attack of a low-privilege user (``with_user``, or logged out over HTTP) and
its refusal with nothing changed."""

import base64
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, assert_link_cannot_mark_sent
from .test_flow_oldparts import OldpartFlowCommon
from .test_flow_sheet import SheetFlowCommon


@tagged("post_install", "-at_install")
class TestContextDefaultGuard(SheetFlowCommon):
    """A field a ``create`` override of an Odoo model refuses in ``vals`` is
    refused as well given by a ``default_<field>`` context key, which Odoo's
    ``default_get`` would store (``tools.with_defaults``)."""

    def _assert_refused(self, model, error, context, vals):
        """``model.create(vals)`` with ``context`` is refused by ``error``,
        and creates nothing."""
        count = model.sudo().search_count([])
        with self.assertRaises(error):
            model.with_context(**context).create(vals)
        self.assertEqual(model.sudo().search_count([]), count)

    def test_salesman_cannot_attach_his_order_to_a_sheet_by_default(self):
        """R-013, R-104, 001 §5.2: a quote is linked to a feedback sheet only
        by the sheet's own action; ``default_forklift_feedback_id`` is refused
        as the value is (test_salesman_cannot_attach_his_order_to_a_sheet):
        the salesman's own order, at his price, would become the sheet's paid
        service once confirmed."""
        case = self._paid_case()
        # a salesman who also works at the service center (reads the sheets)
        salesman = self._group_user(
            "fa_cdg_staff_salesman",
            "sales_team.group_sale_salesman,group_forklift_user",
        )
        self._assert_refused(
            self.env["sale.order"].with_user(salesman),
            AccessError,
            {"default_forklift_feedback_id": case.id},
            {
                "partner_id": case.partner_id.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": 1,
                            "price_unit": 1,
                        }
                    )
                ],
            },
        )
        self.assertFalse(case.quote_ids)
        self.assertFalse(case.sale_order_id)

    def test_no_signature_file_by_context_defaults(self):
        """R-206, R-080: a file stored as a done service order's signature is
        refused given its record and field as ``default_res_model``,
        ``default_res_id`` and ``default_res_field`` as it is in the values
        (test_flow_files_kept_through_their_attachments): the order gets no
        customer's signature without its signing step."""
        forged = base64.b64encode(b"\x89PNG\r\n\x1a\nforged signature").decode()
        order = self._done_order(self._verified_case())
        self._assert_refused(
            self.env["ir.attachment"].with_user(self.staff),
            AccessError,
            {
                "default_res_model": order._name,
                "default_res_id": order.id,
                "default_res_field": "signature",
            },
            {"name": "signature", "datas": forged},
        )
        order.invalidate_recordset()
        self.assertFalse(order.signature)
        self.assertEqual(order.state, "done")

    def test_no_dealer_nor_care_fields_by_context_defaults(self):
        """R-173, R-112 (README "What no user can do": only after-sales staff
        make a partner a dealer, name its supervisor, or choose a customer's
        region, commitment and follow-up staff): each of these fields given
        to a salesman's new partner by a ``default_*`` key, or by a default he
        saved for himself, is refused as in the values; after-sales staff
        still set them so."""
        salesman = self._group_user(
            "fa_cdg_partner_salesman",
            "sales_team.group_sale_salesman,base.group_partner_manager",
        )
        partners = self.env["res.partner"].with_user(salesman)
        for name, value in (
            ("is_forklift_dealer", True),
            ("forklift_has_service_staff", True),
            ("forklift_supervisor_id", self.supervisor.id),
            ("forklift_region", "local"),
            ("forklift_followup_user_id", self.staff.id),
        ):
            with self.subTest(field=name):
                self._assert_refused(
                    partners,
                    AccessError,
                    {f"default_{name}": value},
                    {"name": "Dealer by default", "is_company": True},
                )
        # nor by a default of his own saved for his new partners
        self.env["ir.default"].with_user(salesman).create(
            {
                "field_id": self.env["ir.model.fields"]
                ._get("res.partner", "is_forklift_dealer")
                .id,
                "json_value": "true",
                "user_id": salesman.id,
            }
        )
        self._assert_refused(
            partners, AccessError, {}, {"name": "Dealer by default", "is_company": True}
        )
        staff = self._group_user(
            "fa_cdg_partner_staff", "group_forklift_user,base.group_partner_manager"
        )
        dealer = (
            self.env["res.partner"]
            .with_user(staff)
            .with_context(default_is_forklift_dealer=True)
            .create({"name": "Dealer by staff", "is_company": True})
        )
        self.assertTrue(dealer.is_forklift_dealer)

    def test_no_warranty_terms_by_context_defaults(self):
        """R-211, R-025 (000 第四篇 §4): a forklift's warranty period and
        hours come from its model or from its customer's signed service
        commitment; staff giving other terms, or another letter, to a new
        forklift by a ``default_*`` key are refused as by the values
        (``TestFlowOrder.test_staff_cannot_change_the_warranty_terms``): no
        forklift is registered. The director still gives them."""
        draft_letter = self._commitment_letter(
            tender_ref="Not signed yet", warranty_months=60, warranty_hours=9000
        )
        units = self.env["forklift.unit"].with_user(self.staff)
        vals = {
            "name": "SN-CDG-TERMS",
            "product_id": self.forklift_product.id,
            "partner_id": self.customer.id,
        }
        for name, value in (
            ("warranty_months", 60),
            ("warranty_hours", 9000),
            ("commitment_id", draft_letter.id),
        ):
            with self.subTest(field=name):
                self._assert_refused(
                    units, AccessError, {f"default_{name}": value}, vals
                )
        unit = (
            self.env["forklift.unit"]
            .with_user(self.director)
            .with_context(default_warranty_months=60)
            .create(vals)
        )
        self.assertEqual(unit.warranty_months, 60)

    def test_no_director_review_by_context_default(self):
        """R-130 (004 §4.4 D): the director reviews the registered report of
        an own technician; a ``default_director_review_note`` on a new
        service order is refused as the value is
        (test_directors_review_is_not_typed_before_the_report): no review
        stands written for the director only to confirm."""
        case = self._verified_case()
        self._assert_refused(
            self.env["forklift.service.order"].with_user(self.staff),
            UserError,
            {"default_director_review_note": "Checked with the technician."},
            {
                "feedback_id": case.id,
                "performer_type": "technician",
                "technician_id": self.technician.id,
            },
        )
        self.assertFalse(case.service_order_ids)

    def test_no_outsider_notified_by_context_default(self):
        """R-055, R-063 (TestFollowerGuard: nobody opens a message of
        customer A's sheet to dealer B): a notification of a sheet's message
        created with ``default_res_partner_id`` naming dealer B's portal
        contact is refused as the value is; dealer B reads no message of
        the sheet and was told of none."""
        __, portal_b = self._dealer_logins("fa_cdg_notify")
        case = self._create_case()
        comment = case.with_user(self.technician).message_post(
            body="Forks sink: customer A's seal kit is on order.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._assert_refused(
            self.env["mail.notification"].with_user(self.technician),
            AccessError,
            {"default_res_partner_id": portal_b.partner_id.id},
            {"mail_message_id": comment.id, "notification_type": "inbox"},
        )
        self.assertFalse(
            self.env["mail.message"]
            .with_user(portal_b)
            .search([("model", "=", case._name), ("res_id", "=", case.id)])
        )


@tagged("post_install", "-at_install")
class TestContextMarkSentGuard(HttpCase, ForkliftCommon):
    """Odoo's ``/mail/message/post`` applies the ``context`` the client posts
    and posts with ``thread.sudo()``: a context key a model's
    ``message_post`` reads is the client's, under sudo."""

    @mute_logger("odoo.http")
    def test_link_holder_cannot_mark_a_sheet_quote_sent(self):
        """R-104, 001 §5.2 (README "What no user can do": a sheet quote's
        status changes only through its steps): a visitor holding the quote's
        link posts a comment with ``mark_so_as_sent``, which sale's
        ``message_post`` reads to write the status "sent" (the salesman's
        send, test_the_steps_still_move_a_sheets_quote): refused, the quote
        stays a draft and nothing is posted."""
        unit = self._create_unit("SN-CDG-QUOTE", acceptance=date(2024, 1, 10))
        _case, quote = self._sheet_quote(unit)
        assert_link_cannot_mark_sent(self, quote, "mark_so_as_sent")


@tagged("post_install", "-at_install")
class TestContextReviewGuard(OldpartFlowCommon):
    """The reviews of a document's approval take no value from a client's
    context nor from OCA's comment wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the approvers the reviews wait for
        cls.aftersales_vp, cls.supply_vp = cls._role_users(
            "fa_cdg", "aftersales_vp", "supply_vp"
        )
        cls.gearbox = cls.env["product.product"].create(
            {
                "name": "Transmission assembly",
                "is_storable": True,
                "standard_price": 50000,
            }
        )

    def _reviews(self, note):
        note.invalidate_recordset(["review_ids"])
        return note.sudo().review_ids.sorted("sequence")

    def test_review_status_default_dropped_under_sudo(self):
        """R-005, R-196: request_validation creates the reviews under sudo
        with the client's context, and OCA's
        ``tier_validation_defer_compute_can_review`` leaves their status out of
        the values; ``default_status`` sent along would fill it, but Odoo 19
        drops ``default_*`` keys when a non-superuser environment turns sudo
        (``Environment.__call__``: clean_context): the reviews wait."""
        request = (
            self.env["forklift.parts.request"]
            .with_user(self.staff)
            .create(
                self._parts_request_vals(
                    self._verified_case(), 1, "unqualified", product_id=self.gearbox.id
                )
            )
        )
        request.with_user(self.staff).with_context(
            tier_validation_defer_compute_can_review=True,
            default_status="approved",
            default_done_by=self.staff.id,
        ).request_validation()
        reviews = self._reviews(request)
        self.assertEqual(reviews.mapped("status"), ["waiting", "waiting"])
        self.assertFalse(reviews.done_by)
        with self.assertRaises(UserError):
            request.with_user(self.staff).action_approve()
        self.assertEqual(request.state, "draft")

    def test_comment_wizard_reaches_no_private_tier_step(self):
        """R-005: OCA's comment wizard would call _rejected_tier directly,
        skipping reject_tier's turn check (supply VP still waiting) and the
        old-part inspection's refusal of reject_tier; its first write on the
        reviews (empty or not) is refused by the mechanism's guard."""
        note = self._shipped_request().oldpart_return_ids
        note.verdict = "accepted"
        note.with_user(self.staff).validate_tier()
        before = self._reviews(note).mapped("status")
        for action in ("reject", "validate"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                wizard = (
                    self.env["comment.wizard"]
                    .with_user(self.qa_inspector)
                    .create(
                        {
                            "res_model": note._name,
                            "res_id": note.id,
                            "validate_reject": action,
                            "comment": "Out of turn",
                            "review_ids": [Command.set([])],
                        }
                    )
                )
                wizard.add_comment()
            self.assertEqual(self._reviews(note).mapped("status"), before)

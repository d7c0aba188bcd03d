"""What a supplier's portal user can do to a service order it performs, and
which letters and orders it sees, tried as an attacker would: over JSON-RPC
and on the portal routes, and through the ORM as RPC calls it."""

import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.forklift_aftersales.controllers.portal import get_upload_max_size
from odoo.addons.forklift_aftersales.tests.common import (
    SIGNATURE,
    assert_sent_home,
    call_kw,
    rpc_error,
)
from odoo.addons.forklift_aftersales.tests.test_report_routes_guard import (
    assert_printouts_refused,
    printouts,
    report_urls,
)

from .common import SupplierCommon

# a PDF by its first bytes, an HTML page after them
EVIL_PDF = b"%PDF-<html><script>alert(document.cookie)</script></html>"


@tagged("post_install", "-at_install")
class TestSupplierPortalRights(HttpCase, SupplierCommon):
    """The customer signs a supplier's service order; the supplier returns the
    customer-signed sheet through the checks of its letter's step; it sees
    its letters and orders once the letter is sent (000 §4.2.3.2–3; R-056,
    R-080, R-086, R-164, R-206)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_portal = cls._portal_user(
            "supplier_order_customer", cls.customer, "Li (Harbour Logistics)"
        )

    def _sign(self, order, access_token=None, name="Customer Boss"):
        """Post a signature to the order's sign route, as its page's widget
        does."""
        params = {"name": name, "signature": SIGNATURE, "opinion": "All fine"}
        if access_token:
            params["access_token"] = access_token
        return self.make_jsonrpc_request(
            f"/my/forklift/service-orders/{order.id}/sign", params
        )

    def _state(self, letter):
        """What signing the letter's order, or sending its sheet, changes."""
        order = letter.service_order_id
        values = self._field_values(
            order,
            (
                "state",
                "signature",
                "signed_by",
                "signed_on",
                "customer_opinion",
                "supplier_sheet",
                "supplier_sheet_name",
            ),
        )
        values.update(self._field_values(letter, ("state", "sheet_received_date")))
        values["reviews"] = letter.sudo().review_ids
        return values

    # Who signs

    def test_supplier_holding_the_order_token_cannot_sign_as_the_customer(self):
        """R-080, R-206, 000 §4.2.3.3: the supplier reads the service order's
        access token over RPC (its page carries it too), logs out and posts
        a signature with it: refused, nothing changes; the letter does not
        move on. The customer, logged in, still signs."""
        letter = self._done_letter()
        order = letter.service_order_id
        # the staff's sign page, or the order's own portal page, made one
        order._portal_ensure_token()
        before = self._state(letter)
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        answer = call_kw(
            self, "forklift.service.order", "read", [[order.id], ["access_token"]]
        )
        token = answer["result"][0]["access_token"]
        self.assertEqual(token, order.access_token)
        self.assertIn("error", self._sign(order, token), "logged in: refused")
        self.authenticate(None, None)
        result = self._sign(order, token)
        self.assertIn("error", result)
        self.assertEqual(self._state(letter), before)
        # the route's own call, as the public user holding the token
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            order.with_user(public).sudo()._sign("Customer Boss", SIGNATURE)
        self.assertEqual(self._state(letter), before)
        # the order's customer signs on screen, logged in as himself
        self.authenticate("supplier_order_customer", "supplier_order_customer")
        result = self._sign(order, name="Li Ming")
        self.assertNotIn("error", result)
        order.invalidate_recordset()
        letter.invalidate_recordset()
        self.assertEqual(order.state, "signed")
        self.assertEqual(order.signed_by, "Li Ming")
        self.assertEqual(letter.state, "sheet_received")

    def test_director_still_captures_the_signature_on_screen(self):
        """R-206, R-080 (000 §4.2.1.2, §4.2.3.3): a supplier's order has no
        technician of the company; a service-center clerk does not record its
        customer's signature (refused, nothing changes), the service center
        director has the customer sign it on his screen, as for any order."""
        letter = self._done_letter()
        order = letter.service_order_id
        before = self._state(letter)
        with self.assertRaises(AccessError):
            order.with_user(self.staff).sudo()._sign("Li Ming", SIGNATURE)
        self.assertEqual(self._state(letter), before)
        order.with_user(self.director)._sign("Li Ming", SIGNATURE)
        self.assertEqual(order.state, "signed")
        self.assertEqual(letter.state, "sheet_received")

    # The signed sheet

    def test_supplier_cannot_write_the_signed_sheet(self):
        """R-080, R-164, 000 §4.2.3.3: the supplier (read-only on service
        orders) writes a 'signed sheet' over RPC, an HTML page behind a PDF's
        first bytes, over the size cap, named .html, with a signer of its
        choice: refused, nothing changes. Its portal form is the way."""
        letter = self._done_letter()
        order = letter.service_order_id
        before = self._state(letter)
        oversized = EVIL_PDF + b"\0" * get_upload_max_size(self.env)
        vals = {
            "supplier_sheet": base64.b64encode(oversized),
            "supplier_sheet_name": "evil.html",
            "signed_by": "Customer Boss",
        }
        with self.assertRaises(AccessError):
            order.with_user(self.portal_a).write(vals)
        self.assertEqual(self._state(letter), before)
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        with mute_logger("odoo.http"):
            error = rpc_error(
                self,
                "forklift.service.order",
                "write",
                [
                    [order.id],
                    {**vals, "supplier_sheet": vals["supplier_sheet"].decode()},
                ],
            )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertEqual(self._state(letter), before)

    def test_sheet_takes_the_checks_of_the_portal_form_whoever_sends_it(self):
        """R-080, R-164, 000 §4.2.3.3: the signed sheet the service center
        records, or the supplier's own step sends, is checked as on the
        portal form: within the size cap, stored under the name of the type
        found in it, and only at the letter's step (the work reported)."""
        letter = self._done_letter()
        order = letter.service_order_id
        before = self._state(letter)
        oversized = base64.b64encode(EVIL_PDF + b"\0" * get_upload_max_size(self.env))
        with self.assertRaisesRegex(UserError, "too large"):
            order.with_user(self.staff).write(
                {
                    "supplier_sheet": oversized,
                    "supplier_sheet_name": "evil.html",
                    "signed_by": "Customer Boss",
                }
            )
        with self.assertRaisesRegex(UserError, "too large"):
            order.with_user(self.portal_a).sudo()._sign_with_sheet(
                oversized, "evil.html", "Customer Boss"
            )
        self.assertEqual(self._state(letter), before)
        # the service center records the sheet: named after its type
        order.with_user(self.staff).write(
            {
                "supplier_sheet": base64.b64encode(EVIL_PDF),
                "supplier_sheet_name": "evil.html",
                "signed_by": "Wang Jun",
            }
        )
        order.invalidate_recordset()
        self.assertEqual(order.supplier_sheet_name, "evil.pdf")
        self.assertEqual(order.state, "done", "waits for its confirmation")
        # the supplier's step, backslashes of a Windows path too
        order.with_user(self.portal_a).sudo()._sign_with_sheet(
            base64.b64encode(b"\x89PNG\r\n\x1a\nscan"),
            "C:\\scans\\sheet.html",
            "Wang Jun",
        )
        order.invalidate_recordset()
        self.assertEqual(order.supplier_sheet_name, "sheet.png")
        self.assertEqual(order.state, "signed")
        self.assertEqual(letter.state, "sheet_received")

    def test_sheet_refused_once_the_letter_is_cancelled(self):
        """R-080, 000 §4.2.3.3: the order is done but its letter was
        cancelled: no sheet is taken for it, by the service center or by the
        supplier's step."""
        letter = self._done_letter()
        order = letter.service_order_id
        letter.with_user(self.staff).action_cancel()
        before = self._state(letter)
        sheet = base64.b64encode(b"%PDF-1.4 signed")
        with self.assertRaisesRegex(UserError, "Report the work"):
            order.with_user(self.staff).write(
                {"supplier_sheet": sheet, "signed_by": "Wang Jun"}
            )
        with self.assertRaisesRegex(UserError, "Report the work"):
            order.with_user(self.portal_a).sudo()._sign_with_sheet(
                sheet, "signed.pdf", "Wang Jun"
            )
        self.assertEqual(self._state(letter), before)

    # What the supplier sees

    def test_supplier_sees_no_letter_or_order_before_the_letter_is_sent(self):
        """R-056, R-086, 000 §4.2.3.2: a letter still a draft (the service
        center's opinion not sent) or cancelled, and its service order, are
        hidden from the supplier over RPC and on the portal; the sent one is
        shown."""
        draft = self._letter(send=False)
        cancelled = self._letter()
        cancelled.with_user(self.staff).action_cancel()
        sent = self._letter()
        env = self.env(user=self.portal_a)
        self.assertEqual(env["forklift.supplier.letter"].search([]), sent)
        self.assertEqual(
            env["forklift.service.order"].search([]), sent.service_order_id
        )
        for record in (
            draft,
            cancelled,
            draft.service_order_id,
            cancelled.service_order_id,
        ):
            with self.subTest(record=record), self.assertRaises(AccessError):
                record.with_user(self.portal_a).read(["name"])
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        with mute_logger("odoo.http"):
            for letter in (draft, cancelled):
                for model, record in (
                    ("forklift.supplier.letter", letter),
                    ("forklift.service.order", letter.service_order_id),
                ):
                    with self.subTest(record=record):
                        error = rpc_error(self, model, "read", [[record.id], ["name"]])
                        self.assertEqual(error, "odoo.exceptions.AccessError")
        for letter in (draft, cancelled):
            with self.subTest(letter=letter):
                assert_sent_home(self, f"/my/forklift/letters/{letter.id}")
                assert_sent_home(
                    self, f"/my/forklift/service-orders/{letter.service_order_id.id}"
                )
        page = self.url_open("/my/forklift/letters").text
        self.assertIn(f"/my/forklift/letters/{sent.id}", page)
        self.assertNotIn(f"/my/forklift/letters/{draft.id}", page)
        self.assertNotIn(f"/my/forklift/letters/{cancelled.id}", page)
        page = self.url_open(f"/my/forklift/letters/{sent.id}").text
        self.assertIn(sent.name, page)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_no_printout_of_another_suppliers_letter_or_claim(self):
        """R-136, R-164 (000 §4.2.3.2): the letter to supplier A, the service
        order sent with it and a quality claim against A print for who reads
        them: supplier B's portal user, a dealer's, an employee outside
        after-sales or an after-sales user of another company is refused
        the PDF and HTML, by URL or the web client's download."""
        letter = self._letter()
        claim = self._draft_pump_claim()
        dealer = self._portal_user("letter_dealer_b", self.dealer_b, "Liu")
        employee = self._group_user("letter_employee", "base.group_user")
        other_company = self.env["res.company"].create({"name": "Forklift Co B"})
        other_qa = self._company_user(
            "letter_other_qa", "group_forklift_qa_manager", other_company
        )
        tried = assert_printouts_refused(
            self, [letter, claim], [self.portal_b, dealer, employee, other_qa]
        )
        self.assertEqual(len(tried), 3)
        # QA, who reads them, prints the letter and the claim
        self.authenticate(self.qa_manager.login, self.qa_manager.login)
        for record in (letter, claim):
            for report in printouts(self.env, record._name):
                url = report_urls(report, record)[0]
                with self.subTest(url=url):
                    self.assertEqual(self.url_open(url).status_code, 200)

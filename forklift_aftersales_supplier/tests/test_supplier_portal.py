import base64
import re
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.forklift_aftersales.tests.common import (
    assert_link_puts_nothing,
    assert_list_link_breaks_nothing,
    assert_portal_lists_own,
    assert_redirected_home,
    portal_post,
    rpc_error,
)

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestSupplierPortal(HttpCase, SupplierCommon):
    """A supplier sees and answers only its own letters, service orders and
    claims, on the portal pages and through RPC (R-056, R-086)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-02 01:00:00"):
            cls.letter_a = cls._letter(cls._supplier_case(cls.supplier_a))
            cls.letter_b = cls._letter(
                cls._supplier_case(cls.supplier_b, supplier_part_id=cls.part.id)
            )
        claim_model = cls.env["forklift.quality.claim"]

        def claimed(supplier, product, name, price):
            """A claim QA sent ``supplier`` for the part ``name`` at ``price``."""
            claim = cls._draft_claim(supplier, product, name, price)
            claim.with_user(cls.qa).action_claim()
            return claim

        cls.claim_a = claimed(cls.supplier_a, cls.pump, "Pump", 300)
        cls.claim_a_draft = claim_model.create(
            {"supplier_id": cls.supplier_a.id, "product_id": cls.pump.id}
        )
        cls.claim_b = claimed(cls.supplier_b, cls.part, "Chain", 80)

    def _answer_zhou_lei(self, url, **data):
        """The logged-in supplier answers the letter of ``url`` on its portal
        page, an hour after it was sent: Zhou Lei comes in time, on 3 March
        09:00 (typed in Asia/Shanghai); ``data`` adds to the form."""
        with freeze_time("2026-03-02 02:00:00"):
            portal_post(
                self,
                f"{url}/answer",
                data={
                    "cannot_come_in_time": "0",
                    "supplier_technician": "Zhou Lei",
                    "planned_visit_date": "2026-03-03T09:00",
                    **data,
                },
            )

    def test_rpc_shows_each_supplier_only_its_own_records(self):
        for user, letter, claim in (
            (self.portal_a, self.letter_a, self.claim_a),
            (self.portal_b, self.letter_b, self.claim_b),
        ):
            env = self.env(user=user)
            self.assertEqual(env["forklift.supplier.letter"].search([]), letter)
            self.assertEqual(env["forklift.quality.claim"].search([]), claim)
            self.assertEqual(
                env["forklift.service.order"].search([]), letter.service_order_id
            )
        self.assertNotIn(
            self.claim_a_draft,
            self.env(user=self.portal_a)["forklift.quality.claim"].search([]),
            "a draft claim is not shown to the supplier",
        )

    @mute_logger("odoo.http")
    def test_json_rpc_refuses_another_suppliers_records(self):
        self.authenticate("supplier_b_portal", "supplier_b_portal")
        for model, record in (
            ("forklift.supplier.letter", self.letter_a),
            ("forklift.quality.claim", self.claim_a),
            ("forklift.service.order", self.letter_a.service_order_id),
        ):
            error = rpc_error(self, model, "read", [[record.id], ["name"]])
            self.assertEqual(error, "odoo.exceptions.AccessError", model)
        rpc_error(
            self,
            "forklift.supplier.letter",
            "write",
            [[self.letter_b.id], {"state": "filed"}],
        )
        self.assertEqual(self.letter_b.state, "sent", "no write through RPC")

    def test_portal_pages_list_only_own_records(self):
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        page = assert_portal_lists_own(
            self, "/my/forklift/letters", self.letter_a, self.letter_b
        )
        self.assertIn('id="forklift_letter_answer"', page)
        page = self.url_open("/my/forklift/claims").text
        self.assertIn(self.claim_a.name, page)
        self.assertNotIn(self.claim_b.name, page)
        self.assertNotIn(self.claim_a_draft.name, page)
        response = self.url_open(
            f"/my/forklift/claims/{self.claim_b.id}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        page = self.url_open("/my/forklift/service-orders").text
        self.assertIn(self.letter_a.service_order_id.name, page)
        self.assertNotIn(self.letter_b.service_order_id.name, page)

    @mute_logger("odoo.http")
    def test_supplier_prints_its_own_letter_only(self):
        """R-003, R-086, R-136 (000 §4.2.3.2, §6.3): the supplier downloads
        the service contact letter it was sent, as mailed to it, from the
        letter's portal page, logged in or through its contact's mailed
        link. Supplier B, or a link with a forged key, gets no file and no
        page naming supplier A's letter."""
        page = f"/my/forklift/letters/{self.letter_a.id}"
        filename = re.sub(r"\W+", "_", f"Service Contact Letter {self.letter_a.name}")
        token = self.letter_a._portal_ensure_token()
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        self.assertIn("report_type=pdf", self.url_open(page).text)
        self.assertNotIn(token, self.url_open(page).text, "no key in the link")
        response = self.url_open(f"{page}?report_type=html")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.letter_a.name, response.text)
        self.assertIn(self.letter_a.partner_id.name, response.text)
        for query in ("report_type=pdf&download=true", "report_type=pdf"):
            with self.subTest(query=query):
                response = self.url_open(f"{page}?{query}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers["Content-Type"], "application/pdf")
                self.assertIn(
                    f"{filename}.pdf", response.headers["Content-Disposition"]
                )
        # the quality claim sent to it too
        claim_page = f"/my/forklift/claims/{self.claim_a.id}"
        self.assertIn("report_type=pdf", self.url_open(claim_page).text)
        response = self.url_open(f"{claim_page}?report_type=pdf&download=true")
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        filename = re.sub(r"\W+", "_", f"Quality Claim {self.claim_a.name}")
        self.assertIn(f"{filename}.pdf", response.headers["Content-Disposition"])
        self.authenticate(None, None)
        response = self.url_open(f"{page}?report_type=pdf&access_token={token}")
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        claim_draft = f"/my/forklift/claims/{self.claim_a_draft.id}?"
        for login, url, name in (
            ("supplier_b_portal", f"{page}?", self.letter_a.name),
            ("supplier_b_portal", f"{claim_page}?", self.claim_a.name),
            ("supplier_a_portal", claim_draft, self.claim_a_draft.name),
            (None, f"{page}?access_token=forged&", self.letter_a.name),
            (None, f"{claim_page}?access_token=forged&", self.claim_a.name),
        ):
            self.authenticate(login, login)
            for report_type in ("pdf", "html"):
                with self.subTest(login=login, url=url, report_type=report_type):
                    response = self.url_open(
                        f"{url}report_type={report_type}&download=true",
                        allow_redirects=False,
                    )
                    self.assertEqual(response.status_code, 303)
                    self.assertNotIn("pdf", response.headers["Content-Type"])
                    self.assertNotIn(name, response.text)

    @mute_logger("odoo.http")
    def test_supplier_forms_write_nothing_else(self):
        """R-086, R-163, R-164 (000 §4.2.3.2–3): the letter's forms are its
        supplier's: supplier B posting the report or the signed sheet of
        supplier A's letter, or anyone posting them logged out with a forged
        key, is sent home and changes nothing; supplier A's answer writes
        the answer only, never the state, the agreed date, the answering
        partner or the answer's time it names in the form."""
        url = f"/my/forklift/letters/{self.letter_a.id}"
        done = {
            "arrival_date": "2026-03-02T11:00",
            "finished_date": "2026-03-02T15:00",
            "work_done": "Intruder's work.",
        }
        sheet = {"signed_sheet": ("signed.pdf", b"%PDF-1.4 forged", "application/pdf")}
        for login, data in (
            ("supplier_b_portal", {}),
            (None, {"access_token": "forged"}),
        ):
            self.authenticate(login, login)
            for route, form, files in (
                ("answer", {"supplier_technician": "Intruder"}, None),
                ("done", done, None),
                ("sheet", {"signed_by": "Intruder"}, sheet),
            ):
                with self.subTest(login=login, route=route):
                    response = portal_post(
                        self,
                        f"{url}/{route}",
                        data={**form, **data},
                        files=files,
                        allow_redirects=False,
                    )
                    assert_redirected_home(self, response)
        order = self.letter_a.service_order_id
        self.assertEqual(self.letter_a.state, "sent")
        self.assertFalse(self.letter_a.supplier_technician)
        self.assertEqual(order.state, "dispatched")
        self.assertFalse(order.work_done)
        self.assertFalse(order.supplier_sheet)
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        self._answer_zhou_lei(
            url,
            state="filed",
            agreed_visit_date="2026-04-01 09:00:00",
            replied_by_id=str(self.portal_b.partner_id.id),
            replied_date="2026-03-01 00:00:00",
        )
        self.assertEqual(self.letter_a.state, "answered")
        self.assertFalse(self.letter_a.agreed_visit_date)
        self.assertEqual(self.letter_a.replied_by_id, self.portal_a.partner_id)
        self.assertEqual(self.letter_a.replied_date, datetime(2026, 3, 2, 2, 0))

    def test_a_link_puts_no_text_on_the_letter_page(self):
        """R-163: the letter's page shows the reason the server refused an
        answer, never a text a link carries (it would read as ours)."""
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        assert_link_puts_nothing(
            self, f"/my/forklift/letters/{self.letter_a.id}", self.letter_a.name
        )

    @mute_logger("odoo.http")
    def test_a_link_breaks_no_list(self):
        """R-056: a link to the supplier's lists of letters and claims that
        sorts by what the list does not offer (an amount, SQL), or names
        Odoo's other search arguments, shows the supplier's own list, not an
        error 500."""
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        for url, shown, hidden in (
            ("/my/forklift/letters", self.letter_a.name, self.letter_b.name),
            ("/my/forklift/claims", self.claim_a.name, self.claim_b.name),
        ):
            assert_list_link_breaks_nothing(self, url, shown, [hidden])

    def test_supplier_answers_reports_and_sends_the_sheet_on_the_portal(self):
        self.authenticate("supplier_b_portal", "supplier_b_portal")
        url = f"/my/forklift/letters/{self.letter_a.id}"
        response = portal_post(
            self,
            f"{url}/answer",
            data={
                "supplier_technician": "Intruder",
                "planned_visit_date": "2030-01-01T09:00",
            },
            allow_redirects=False,
        )
        assert_redirected_home(self, response)
        self.assertEqual(self.letter_a.state, "sent", "another supplier's letter")

        self.authenticate("supplier_a_portal", "supplier_a_portal")
        response = portal_post(
            self,
            f"{url}/answer",
            data={"cannot_come_in_time": "0"},
            allow_redirects=False,
        )
        # refused: the letter's page again, with the reason
        self.assertEqual(response.status_code, 200)
        self.assertIn("Name the technician you send.", response.text)
        self.assertEqual(self.letter_a.state, "sent")

        # answered an hour after the letter was sent, before the visit
        self._answer_zhou_lei(url, technician_phone="139 0000 0000")
        self.assertEqual(self.letter_a.state, "answered")
        self.assertEqual(self.letter_a.supplier_technician, "Zhou Lei")
        self.assertEqual(
            self.letter_a.planned_visit_date,
            datetime(2026, 3, 3, 1, 0),
            "typed in the supplier's time zone (Asia/Shanghai), stored in UTC",
        )
        self.assertEqual(self.letter_a.replied_by_id, self.portal_a.partner_id)

        portal_post(
            self,
            f"{url}/done",
            data={
                "arrival_date": "2026-03-02T11:00",
                "finished_date": "2026-03-02T15:00",
                "work_done": "Pump replaced.",
            },
        )
        self.assertEqual(self.letter_a.state, "done")
        self.assertEqual(self.letter_a.service_order_id.state, "done")

        portal_post(
            self,
            f"{url}/sheet",
            data={"signed_by": "Wang Jun"},
            files={
                "signed_sheet": ("signed.pdf", b"%PDF-1.4 signed", "application/pdf")
            },
        )
        self.assertEqual(self.letter_a.state, "sheet_received")
        order = self.letter_a.service_order_id
        self.assertEqual(order.state, "signed")
        self.assertEqual(base64.b64decode(order.supplier_sheet), b"%PDF-1.4 signed")

    def test_supplier_sheet_kept_through_its_attachment(self):
        """R-080, R-206 (000 §4.2.3.3): the supplier's signed sheet is a flow
        field of the service order, stored as an attachment: a staff member
        who may write the order neither gives it one through
        ``ir.attachment`` nor rewrites or deletes the one the supplier sent.
        The supplier's own step still stores it."""
        order = self._done_letter().service_order_id
        self.assertEqual(order.state, "done")
        attachments = self.env["ir.attachment"].with_user(self.staff)
        forged = base64.b64encode(b"%PDF-1.4 forged")
        with self.assertRaises(AccessError) as refused:
            attachments.create(
                {
                    "name": "supplier_sheet",
                    "datas": forged,
                    "res_model": order._name,
                    "res_id": order.id,
                    "res_field": "supplier_sheet",
                }
            )
        self.assertIn("never directly", str(refused.exception))
        order.invalidate_recordset()
        self.assertFalse(order.supplier_sheet)
        order.with_user(self.portal_a).sudo()._sign_with_sheet(
            base64.b64encode(b"%PDF-1.4 signed"), "signed.pdf", "Wang Jun"
        )
        sheet = attachments.browse(
            self.env["ir.attachment"]
            .search(
                [
                    ("res_model", "=", order._name),
                    ("res_id", "=", order.id),
                    ("res_field", "=", "supplier_sheet"),
                ]
            )
            .id
        )
        self.assertTrue(sheet)
        for attack in (lambda: sheet.write({"datas": forged}), sheet.unlink):
            with self.subTest(attack=attack), self.assertRaises(AccessError):
                attack()
        order.invalidate_recordset()
        self.assertEqual(base64.b64decode(order.supplier_sheet), b"%PDF-1.4 signed")

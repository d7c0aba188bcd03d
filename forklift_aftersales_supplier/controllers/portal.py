import base64
from datetime import datetime
from urllib.parse import urlencode

import pytz

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.forklift_aftersales.controllers.portal import ForkliftPortal


class ForkliftSupplierPortal(ForkliftPortal):
    """Suppliers answer their service contact letters, report the work and
    send the customer-signed sheet on the portal (000 §4.2.3.2–3), and follow
    their quality claims. Record rules limit every read to the supplier's own
    records; ``_document_check_access`` guards each page and each answer, then
    the records are written with sudo."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        for counter, model in (
            ("forklift_supplier_letter_count", "forklift.supplier.letter"),
            ("forklift_quality_claim_count", "forklift.quality.claim"),
        ):
            if counter in counters:
                records = request.env[model]
                values[counter] = (
                    records.search_count([]) if records.has_access("read") else 0
                )
        return values

    # Service contact letters

    @http.route(
        ["/my/forklift/letters", "/my/forklift/letters/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_forklift_letters(self, page=1, sortby=None, **kw):
        sortings = {
            "date": {"label": request.env._("Newest"), "order": "id desc"},
            "name": {"label": request.env._("Number"), "order": "name"},
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
        }
        return self._forklift_list(
            "forklift.supplier.letter",
            "/my/forklift/letters",
            "forklift_aftersales_supplier.portal_my_forklift_letters",
            "forklift_letters",
            page,
            sortby,
            sortings,
        )

    @http.route(
        ["/my/forklift/letters/<int:letter_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_forklift_letter(
        self, letter_id, access_token=None, message=None, error=None, **kw
    ):
        try:
            letter_sudo = self._document_check_access(
                "forklift.supplier.letter", letter_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            letter_sudo,
            access_token,
            {
                "letter": letter_sudo,
                "page_name": "forklift_letter",
                "message": message,
                "error": error,
            },
            "my_forklift_letters_history",
            False,
            **kw,
        )
        return request.render(
            "forklift_aftersales_supplier.portal_my_forklift_letter", values
        )

    def _forklift_letter_post(self, letter_id, access_token, callback):
        """Check the supplier's access to the letter, run its answer, and come
        back to the letter's page with a message or the error."""
        try:
            letter_sudo = self._document_check_access(
                "forklift.supplier.letter", letter_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        query = ""
        try:
            # sudo is safe: access to this very letter was checked just above
            callback(letter_sudo, request.env.user.partner_id)
            query = "&message=saved"
        except (UserError, ValueError) as error:
            query = "&" + urlencode({"error": str(error)})
        return request.redirect(letter_sudo.get_portal_url(query_string=query))

    @http.route(
        ["/my/forklift/letters/<int:letter_id>/answer"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_forklift_letter_answer(self, letter_id, access_token=None, **post):
        def answer(letter, partner):
            letter._supplier_answer(
                partner,
                {
                    "cannot_come_in_time": post.get("cannot_come_in_time") == "1",
                    "supplier_technician": post.get("supplier_technician"),
                    "technician_phone": post.get("technician_phone"),
                    "planned_visit_date": self._parse_datetime(
                        post.get("planned_visit_date")
                    ),
                    "proposed_date": self._parse_datetime(post.get("proposed_date")),
                    "delay_reason": post.get("delay_reason"),
                },
            )

        return self._forklift_letter_post(letter_id, access_token, answer)

    @http.route(
        ["/my/forklift/letters/<int:letter_id>/done"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_forklift_letter_done(self, letter_id, access_token=None, **post):
        def report_done(letter, partner):
            letter._supplier_report_done(
                partner,
                {
                    "arrival_date": self._parse_datetime(post.get("arrival_date")),
                    "finished_date": self._parse_datetime(post.get("finished_date")),
                    "work_done": post.get("work_done"),
                },
            )

        return self._forklift_letter_post(letter_id, access_token, report_done)

    @http.route(
        ["/my/forklift/letters/<int:letter_id>/sheet"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_forklift_letter_sheet(self, letter_id, access_token=None, **post):
        upload = post.get("signed_sheet")

        def send_sheet(letter, partner):
            content = upload.read() if upload else b""
            letter._supplier_upload_sheet(
                partner,
                base64.b64encode(content) if content else False,
                upload.filename if upload else False,
                post.get("signed_by"),
            )

        return self._forklift_letter_post(letter_id, access_token, send_sheet)

    @staticmethod
    def _parse_datetime(value):
        """A date-time typed on the portal, in the user's time zone, as UTC."""
        if not value:
            return False
        try:
            local = datetime.fromisoformat(value)
        except ValueError as error:
            raise ValueError(
                request.env._("%s is not a valid date and time.", value)
            ) from error
        tz = pytz.timezone(request.env.user.tz or "UTC")
        return (
            tz.localize(local.replace(tzinfo=None))
            .astimezone(pytz.UTC)
            .replace(tzinfo=None)
        )

    # Quality claims

    @http.route(
        ["/my/forklift/claims", "/my/forklift/claims/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_forklift_claims(self, page=1, sortby=None, **kw):
        sortings = {
            "date": {
                "label": request.env._("Newest"),
                "order": "claim_date desc, id desc",
            },
            "name": {"label": request.env._("Number"), "order": "name"},
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
        }
        return self._forklift_list(
            "forklift.quality.claim",
            "/my/forklift/claims",
            "forklift_aftersales_supplier.portal_my_forklift_claims",
            "forklift_claims",
            page,
            sortby,
            sortings,
        )

    @http.route(
        ["/my/forklift/claims/<int:claim_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_forklift_claim(self, claim_id, access_token=None, **kw):
        try:
            claim_sudo = self._document_check_access(
                "forklift.quality.claim", claim_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            claim_sudo,
            access_token,
            {"claim": claim_sudo, "page_name": "forklift_claim"},
            "my_forklift_claims_history",
            False,
            **kw,
        )
        return request.render(
            "forklift_aftersales_supplier.portal_my_forklift_claim", values
        )

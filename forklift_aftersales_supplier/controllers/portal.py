import base64

from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.forklift_aftersales.controllers.portal import (
    ForkliftPortal,
    portal_form_route,
    portal_list_route,
    portal_page_route,
    read_portal_upload,
)


class ForkliftSupplierPortal(ForkliftPortal):
    """Suppliers answer their service contact letters, report the work and
    send the customer-signed sheet on the portal (000 §4.2.3.2–3), and follow
    their quality claims. Record rules limit every read to the supplier's own
    records; ``_document_check_access`` guards each page and each answer and
    every record an answer touches, then the records are written with sudo,
    all or nothing: a refused answer leaves nothing saved."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        return self._forklift_counters(
            values,
            counters,
            {
                "forklift_supplier_letter_count": "forklift.supplier.letter",
                "forklift_quality_claim_count": "forklift.quality.claim",
            },
        )

    # Service contact letters

    @staticmethod
    def _forklift_letter_staff_redirect(letter_id=None):
        """Staff are sent to the letters in the back end, where they read them
        and record an answer the supplier gave by phone in their own name
        (``action_record_answer``); else None. The portal pages of letters
        are the supplier's: their links and forms carry the letter's access
        token, the key of the supplier's contact, which no member of the
        staff gets, and their answers are the supplier's, which no member of
        the staff gives (000 §4.2.3.2–3, R-086)."""
        if not request.env.user._is_internal():
            return None
        if letter_id:
            return request.redirect(f"/odoo/forklift.supplier.letter/{int(letter_id)}")
        return request.redirect(
            "/odoo/action-forklift_aftersales_supplier.forklift_supplier_letter_action"
        )

    @portal_list_route("/my/forklift/letters")
    def portal_my_forklift_letters(self, page=1, sortby=None, **kw):
        if staff_redirect := self._forklift_letter_staff_redirect():
            return staff_redirect
        return self._forklift_list(
            "forklift.supplier.letter",
            "/my/forklift/letters",
            "forklift_aftersales_supplier.portal_my_forklift_letters",
            "forklift_letters",
            page,
            sortby,
        )

    def _forklift_printable(self, page, report_ref, report_type, download):
        """``page``, a record's portal page, or the printout ``report_ref``
        of the record when the link asks for it (``report_type``): the
        document the supplier was mailed, printed for who may open the page
        (``_forklift_detail`` checked it), as the server renders it."""

        def page_or_printout(record_sudo, access_token, **kw):
            if report_type in ("html", "pdf"):
                return self._show_report(
                    model=record_sudo,
                    report_type=report_type,
                    report_ref=report_ref,
                    download=download,
                )
            return page(record_sudo, access_token, **kw)

        return page_or_printout

    @portal_page_route("/my/forklift/letters/<int:letter_id>", auth="public")
    def portal_my_forklift_letter(
        self, letter_id, access_token=None, report_type=None, download=False, **kw
    ):
        if staff_redirect := self._forklift_letter_staff_redirect(letter_id):
            return staff_redirect
        return self._forklift_detail(
            "forklift.supplier.letter",
            letter_id,
            access_token,
            self._forklift_printable(
                self._forklift_letter_page,
                "forklift_aftersales_supplier.action_report_forklift_supplier_letter",
                report_type,
                download,
            ),
            **kw,
        )

    def _forklift_letter_page(
        self, letter_sudo, access_token, message=None, error=None, **kw
    ):
        """The letter's page, with the message or the error of the answer
        just posted (``_forklift_letter_post``). A supplier logged in reads
        the letter with his own rights: the page and its chatter do not use
        the letter's key, which only the server reads."""
        if not request.env.user._is_public():
            access_token = None
        return self._forklift_page(
            letter_sudo,
            access_token,
            "forklift_aftersales_supplier.portal_my_forklift_letter",
            "my_forklift_letters_history",
            {
                "letter": letter_sudo,
                "order_url": self._forklift_readable_url(letter_sudo.service_order_id),
                "page_name": "forklift_letter",
                "message": message,
                "error": error,
            },
            **kw,
        )

    @staticmethod
    def _forklift_readable_url(record):
        """The page of a record the user may read under the portal rules, else
        nothing: a page never links, nor prints the access token of, a record
        its reader could not open himself."""
        user = request.env.user
        if not record or user._is_public():
            return False
        # with_user: the reader's own rights, record rules included
        if not record.with_user(user).has_access("read"):
            return False
        return record.access_url

    def _forklift_letter_partner(self, letter_sudo):
        """Who answers: the logged-in supplier, or the letter's contact when
        the letter's mailed link is used."""
        user = request.env.user
        return letter_sudo.contact_id if user._is_public() else user.partner_id

    def _forklift_check_letter_order(self, letter_sudo, access_token):
        """The service order an answer writes is the letter's own, of the same
        supplier, and one the user may reach."""
        order = letter_sudo.service_order_id
        if (
            letter_sudo not in order.supplier_letter_ids
            or order.supplier_id.commercial_partner_id
            != letter_sudo.supplier_id.commercial_partner_id
        ):
            raise AccessError(
                request.env._("This service order is not the letter's own.")
            )
        if not request.env.user._is_public():
            self._document_check_access("forklift.service.order", order.id)
        return order

    def _forklift_letter_post(self, letter_id, access_token, callback):
        """Check the supplier's access to the letter, run its answer in a
        savepoint (all or nothing), and come back to the letter's page with a
        message or the error. Staff post nothing there
        (``_forklift_letter_staff_redirect``). The letter's key is its
        contact's, who answers with it logged out, in his name: logged in,
        one answers with one's own rights, in one's own name, never with a
        key that opens another supplier's letter (R-086)."""
        if staff_redirect := self._forklift_letter_staff_redirect(letter_id):
            return staff_redirect
        if not request.env.user._is_public():
            access_token = None
        return self._forklift_record_post(
            "forklift.supplier.letter",
            letter_id,
            access_token,
            # sudo is safe: access to this very letter was checked first, and
            # to every other record the answer touches inside it
            lambda letter_sudo: callback(
                letter_sudo, self._forklift_letter_partner(letter_sudo)
            ),
            self._forklift_letter_page,
            "saved",
            refusals=(UserError, ValueError),
        )

    @portal_form_route("/my/forklift/letters/<int:letter_id>/answer", auth="public")
    def portal_forklift_letter_answer(self, letter_id, access_token=None, **post):
        parse = self._forklift_parse_local_datetime

        def answer(letter, partner):
            letter._supplier_answer(
                partner,
                {
                    "cannot_come_in_time": post.get("cannot_come_in_time") == "1",
                    "supplier_technician": post.get("supplier_technician"),
                    "technician_phone": post.get("technician_phone"),
                    "planned_visit_date": parse(post.get("planned_visit_date")),
                    "proposed_date": parse(post.get("proposed_date")),
                    "delay_reason": post.get("delay_reason"),
                },
            )

        return self._forklift_letter_post(letter_id, access_token, answer)

    @portal_form_route("/my/forklift/letters/<int:letter_id>/done", auth="public")
    def portal_forklift_letter_done(self, letter_id, access_token=None, **post):
        parse = self._forklift_parse_local_datetime

        def report_done(letter, partner):
            self._forklift_check_letter_order(letter, access_token)
            letter._supplier_report_done(
                partner,
                {
                    "arrival_date": parse(post.get("arrival_date")),
                    "finished_date": parse(post.get("finished_date")),
                    "work_done": post.get("work_done"),
                },
            )

        return self._forklift_letter_post(letter_id, access_token, report_done)

    @portal_form_route("/my/forklift/letters/<int:letter_id>/sheet", auth="public")
    def portal_forklift_letter_sheet(self, letter_id, access_token=None, **post):
        upload = post.get("signed_sheet")

        def send_sheet(letter, partner):
            self._forklift_check_letter_order(letter, access_token)
            content = read_portal_upload(request.env, upload)
            letter._check_sheet_content(content)
            letter._supplier_upload_sheet(
                partner,
                base64.b64encode(content) if content else False,
                upload.filename if upload else False,
                post.get("signed_by"),
            )

        return self._forklift_letter_post(letter_id, access_token, send_sheet)

    # Quality claims

    @portal_list_route("/my/forklift/claims")
    def portal_my_forklift_claims(self, page=1, sortby=None, **kw):
        return self._forklift_list(
            "forklift.quality.claim",
            "/my/forklift/claims",
            "forklift_aftersales_supplier.portal_my_forklift_claims",
            "forklift_claims",
            page,
            sortby,
            "claim_date desc, id desc",
        )

    @portal_page_route("/my/forklift/claims/<int:claim_id>", auth="public")
    def portal_my_forklift_claim(
        self, claim_id, access_token=None, report_type=None, download=False, **kw
    ):
        return self._forklift_detail(
            "forklift.quality.claim",
            claim_id,
            access_token,
            self._forklift_printable(
                self._forklift_claim_page,
                "forklift_aftersales_supplier.action_report_forklift_quality_claim",
                report_type,
                download,
            ),
            **kw,
        )

    def _forklift_claim_page(self, claim_sudo, access_token, **kw):
        """The quality claim's page."""
        return self._forklift_page(
            claim_sudo,
            access_token,
            "forklift_aftersales_supplier.portal_my_forklift_claim",
            "my_forklift_claims_history",
            {"claim": claim_sudo, "page_name": "forklift_claim"},
            **kw,
        )

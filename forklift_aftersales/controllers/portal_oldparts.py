from odoo.http import request

from .portal import (
    ForkliftPortal,
    portal_form_route,
    portal_list_route,
    portal_page_route,
)

OLDPART_MODEL = "forklift.oldpart.return"


class ForkliftOldpartPortal(ForkliftPortal):
    """A dealer follows the warranty old parts it owes back and marks them
    shipped with the carrier and the waybill number (000 §4.3.2.5, R-229,
    R-235). Record rules show a dealer only its own company's returns; each
    page and post checks the record with ``_document_check_access`` and the
    return itself decides whether the shipment is accepted."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        return self._forklift_counters(
            values, counters, {"forklift_oldpart_return_count": OLDPART_MODEL}
        )

    @portal_list_route("/my/forklift/old-parts")
    def portal_my_forklift_oldparts(self, page=1, sortby=None, **kw):
        return self._forklift_list(
            OLDPART_MODEL,
            "/my/forklift/old-parts",
            "forklift_aftersales.portal_my_forklift_oldparts",
            "forklift_oldparts",
            page,
            sortby,
            "due_date, id desc",
            request.env._("Due first"),
        )

    @portal_page_route("/my/forklift/old-parts/<int:return_id>", auth="user")
    def portal_my_forklift_oldpart(self, return_id, **kw):
        # the dealer's own rights: no access token for these pages
        return self._forklift_detail(
            OLDPART_MODEL, return_id, None, self._forklift_oldpart_page, **kw
        )

    def _forklift_oldpart_page(
        self, note_sudo, access_token=None, error=None, post=None, **kw
    ):
        """The return's page; ``error`` and ``post`` come from a refused post,
        never from the URL (``_forklift_detail``)."""
        return self._forklift_page(
            note_sudo,
            access_token,
            "forklift_aftersales.portal_my_forklift_oldpart",
            "my_forklift_oldparts_history",
            {
                "oldpart": note_sudo,
                "page_name": "forklift_oldpart",
                "message": kw.get("message"),
                "error": error,
                "post": post or {},
                "can_ship": self._forklift_can_ship(note_sudo),
            },
            **kw,
        )

    def _forklift_can_ship(self, note_sudo):
        """Whether the page offers the shipment form; the return decides
        again when the form is posted."""
        return bool(
            note_sudo.state == "expected"
            and note_sudo.returned_by_type == "dealer"
            and not note_sudo.shipped_date
            and not note_sudo.received_date
        )

    @portal_form_route("/my/forklift/old-parts/<int:return_id>/ship", auth="user")
    def portal_forklift_oldpart_ship(self, return_id, **post):
        """The dealer marks the old parts shipped, with the carrier and the
        waybill number: all or nothing, refused with its reason when the
        return is not its own, already shipped or received."""
        note_sudo = self._forklift_check_access(OLDPART_MODEL, return_id)
        if not note_sudo:
            return request.redirect("/my")

        def refused(error):
            note_sudo.invalidate_recordset()
            return self._forklift_oldpart_page(
                note_sudo,
                error=error,
                post={k: post.get(k) for k in ("carrier", "waybill")},
            )

        return self._forklift_post(
            note_sudo,
            # as the user himself: the return checks who ships it
            lambda: (
                request.env[OLDPART_MODEL]
                .browse(note_sudo.id)
                ._mark_shipped(post.get("carrier"), post.get("waybill"))
            ),
            refused,
            "shipped",
            # the dealer's own rights: the page's URL without an access token
            url=note_sudo.access_url,
        )

import binascii

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class ForkliftPortal(CustomerPortal):
    """Dealers and customers follow their feedback sheets and service orders on
    the portal; a dealer has the customer sign the service order there
    (000 §4.2.2.2). Record rules limit every read to the user's own company;
    ``_document_check_access`` guards each page and action."""

    _items_per_page = 20

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "forklift_case_count" in counters:
            case_model = request.env["forklift.case"]
            values["forklift_case_count"] = (
                case_model.search_count([]) if case_model.has_access("read") else 0
            )
        if "forklift_service_order_count" in counters:
            order_model = request.env["forklift.service.order"]
            values["forklift_service_order_count"] = (
                order_model.search_count([]) if order_model.has_access("read") else 0
            )
        return values

    def _forklift_list(self, model, url, template, key, page, sortby, sortings):
        records_model = request.env[model]
        order = sortings.get(sortby, sortings["date"])["order"]
        pager = portal_pager(
            url=url,
            total=records_model.search_count([]),
            page=page,
            step=self._items_per_page,
            url_args={"sortby": sortby},
        )
        # searched with the user's own rights (record rules apply), then read with
        # sudo so the page can show the related forklift and dealer names
        records = records_model.search(
            [], order=order, limit=self._items_per_page, offset=pager["offset"]
        ).sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                key: records,
                "pager": pager,
                "page_name": key,
                "default_url": url,
                "searchbar_sortings": sortings,
                "sortby": sortby or "date",
            }
        )
        return request.render(template, values)

    @http.route(
        ["/my/forklift/cases", "/my/forklift/cases/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_forklift_cases(self, page=1, sortby=None, **kw):
        sortings = {
            "date": {
                "label": request.env._("Newest"),
                "order": "received_date desc, id desc",
            },
            "name": {"label": request.env._("Number"), "order": "name"},
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
        }
        return self._forklift_list(
            "forklift.case",
            "/my/forklift/cases",
            "forklift_aftersales.portal_my_forklift_cases",
            "forklift_cases",
            page,
            sortby,
            sortings,
        )

    @http.route(
        ["/my/forklift/cases/<int:case_id>"], type="http", auth="public", website=True
    )
    def portal_my_forklift_case(self, case_id, access_token=None, **kw):
        try:
            case_sudo = self._document_check_access(
                "forklift.case", case_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            case_sudo,
            access_token,
            {"case": case_sudo, "page_name": "forklift_case"},
            "my_forklift_cases_history",
            False,
            **kw,
        )
        return request.render("forklift_aftersales.portal_my_forklift_case", values)

    @http.route(
        ["/my/forklift/service-orders", "/my/forklift/service-orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_forklift_service_orders(self, page=1, sortby=None, **kw):
        sortings = {
            "date": {"label": request.env._("Newest"), "order": "id desc"},
            "name": {"label": request.env._("Number"), "order": "name"},
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
        }
        return self._forklift_list(
            "forklift.service.order",
            "/my/forklift/service-orders",
            "forklift_aftersales.portal_my_forklift_service_orders",
            "forklift_service_orders",
            page,
            sortby,
            sortings,
        )

    @http.route(
        ["/my/forklift/service-orders/<int:order_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_forklift_service_order(
        self, order_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            order_sudo = self._document_check_access(
                "forklift.service.order", order_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=order_sudo,
                report_type=report_type,
                report_ref="forklift_aftersales.action_report_forklift_service_order",
                download=download,
            )
        values = self._get_page_view_values(
            order_sudo,
            access_token,
            {
                "order": order_sudo,
                "page_name": "forklift_service_order",
                "message": kw.get("message"),
            },
            "my_forklift_service_orders_history",
            False,
            **kw,
        )
        return request.render(
            "forklift_aftersales.portal_my_forklift_service_order", values
        )

    @http.route(
        ["/my/forklift/service-orders/<int:order_id>/sign"],
        type="jsonrpc",
        auth="public",
        website=True,
    )
    def portal_forklift_service_order_sign(
        self, order_id, access_token=None, name=None, signature=None, opinion=None
    ):
        """The customer signs the finished service order on the dealer's screen."""
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            order_sudo = self._document_check_access(
                "forklift.service.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return {"error": request.env._("Invalid service order.")}
        try:
            # sudo is safe: access to this very order was checked just above
            order_sudo._sign(name, signature, opinion)
        except UserError as error:
            return {"error": str(error)}
        except (TypeError, binascii.Error):
            return {"error": request.env._("Invalid signature data.")}
        order_sudo.message_post(
            body=request.env._("Service order signed by %s on the portal.", name),
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return {
            "force_refresh": True,
            "redirect_url": order_sudo.get_portal_url(query_string="&message=sign_ok"),
        }

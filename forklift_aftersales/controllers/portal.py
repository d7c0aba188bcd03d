import base64
import binascii
import math
from datetime import datetime
from urllib.parse import urlencode

import pytz

from odoo import Command, fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools import DATE_FIRST_YEAR, DATE_LAST_YEAR, read_int_param

# System parameter: the largest file (in bytes) a portal user may upload or
# sign with; 10 MB when unset (data/forklift_flow_portal_data.xml).
UPLOAD_MAX_SIZE_PARAM = "forklift_aftersales.portal_upload_max_size"
UPLOAD_MAX_SIZE_DEFAULT = 10 * 1024 * 1024

# What a portal upload may be, judged by its first bytes (never by its name or
# by the type the browser claims): an HTML or SVG file could carry a script
# that runs when the staff open it.
UPLOAD_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
UPLOAD_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
SIGNATURE_MIMETYPES = ("image/jpeg", "image/png")

# The most of one part a portal form takes (a request's or a report's line):
# far above any real need, and within what the rounding of a quantity, and of
# the amounts computed from it, holds.
PORTAL_QUANTITY_MAX = 999999


def get_upload_max_size(env):
    """The size cap of a portal upload, in bytes (a portal user reads only the
    number)."""
    return read_int_param(env, UPLOAD_MAX_SIZE_PARAM, UPLOAD_MAX_SIZE_DEFAULT)


def read_portal_upload(env, upload):
    """The content of a file posted on the portal, read to one byte past the
    size cap (enough to refuse it, never more); empty when no file was
    posted."""
    if not upload or not hasattr(upload, "read"):
        return b""
    return upload.read(get_upload_max_size(env) + 1)


def check_portal_upload(env, content, mimetypes=tuple(UPLOAD_EXTENSIONS)):
    """Return the mimetype of ``content`` (bytes) uploaded on the portal, or
    raise a UserError when it is empty, larger than the size cap, or not one of
    ``mimetypes`` (PDF, JPEG, PNG by default) by its content."""
    if not content:
        raise UserError(env._("The file is empty."))
    max_size = get_upload_max_size(env)
    if len(content) > max_size:
        raise UserError(
            env._(
                "The file is too large (%(size)s KB; at most %(max)s KB).",
                size=len(content) // 1024 + 1,
                max=max_size // 1024,
            )
        )
    mimetype = next(
        (
            mimetype
            for magic, mimetype in UPLOAD_SIGNATURES.items()
            if content.startswith(magic)
        ),
        None,
    )
    if mimetype not in mimetypes:
        raise UserError(
            env._(
                "Only these files are accepted: %s.",
                ", ".join(UPLOAD_EXTENSIONS[m].upper() for m in mimetypes),
            )
        )
    return mimetype


def portal_upload_attachment_vals(env, record, filename, content):
    """Values of the ``ir.attachment`` of a checked portal upload on
    ``record``: the mimetype found in its content and a file name with the
    matching extension, so it is served as what it is."""
    mimetype = check_portal_upload(env, content)
    stem = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return {
        "name": f"{stem or record.display_name}.{UPLOAD_EXTENSIONS[mimetype]}",
        "raw": content,
        "mimetype": mimetype,
        "res_model": record._name,
        "res_id": record.id,
    }


def check_portal_signature(env, signature):
    """The base64 signature drawn or uploaded on the portal: a PNG or a JPEG
    within the size cap, nothing else (an SVG could carry a script)."""
    if not signature:
        raise UserError(env._("The signature is missing."))
    try:
        content = base64.b64decode(signature, validate=True)
    except (TypeError, ValueError, binascii.Error):
        raise UserError(env._("Invalid signature data.")) from None
    try:
        check_portal_upload(env, content, SIGNATURE_MIMETYPES)
    except UserError as error:
        raise UserError(
            env._("The signature must be a PNG or JPEG image: %s", error)
        ) from None
    return signature


def portal_list_route(url):
    """The route of a portal list at ``url`` and of its further pages, at
    ``<url>/page/<n>`` as the pager links them (``_forklift_list``), for
    logged-in users (record rules choose the rows)."""
    return http.route(
        [url, f"{url}/page/<int:page>"], type="http", auth="user", website=True
    )


def portal_page_route(url, auth):
    """The route of a record's portal page. ``auth``: "user" where only the
    logged-in user's own rights open it, "public" where the record's access
    token may open it instead (``_document_check_access``)."""
    return http.route([url], type="http", auth=auth, website=True)


def portal_form_route(url, auth):
    """The route of a form posted from a portal page, POST only (Odoo checks
    its CSRF token). ``auth``: "user" where the poster acts with his own
    rights, "public" where the handler accepts the record's access token
    instead (``_document_check_access``)."""
    return http.route([url], type="http", auth=auth, methods=["POST"], website=True)


# what a portal page takes from the server only, never from a link's query
# string: the error of a refused post and the values it put back in the form
# (a link's text would read as ours), and the arguments of
# ``CustomerPortal._get_page_view_values`` (named in a query string, they would
# collide with it: an error 500)
SERVER_ONLY_ARGUMENTS = (
    "error",
    "post",
    "document",
    "access_token",
    "values",
    "session_history",
    "no_breadcrumbs",
)


class ForkliftPortal(CustomerPortal):
    """Dealers and customers follow their feedback sheets and service orders on
    the portal; a dealer has the customer sign the service order there
    (000 §4.2.2.2). Record rules limit every read to the user's own company;
    ``_document_check_access`` guards each page and action."""

    _items_per_page = 20

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        return self._forklift_counters(
            values,
            counters,
            {
                "forklift_feedback_count": "forklift.feedback",
                "forklift_service_order_count": "forklift.service.order",
            },
        )

    def _forklift_counters(self, values, counters, models):
        """Add to ``values`` each counter of ``models`` ({counter: model})
        that the home page asks for: how many records of the model the user
        may read, 0 without access."""
        for counter, model in models.items():
            if counter in counters:
                records = request.env[model]
                values[counter] = (
                    records.search_count([]) if records.has_access("read") else 0
                )
        return values

    def _forklift_check_access(self, model, record_id, access_token=None):
        """The record, in sudo, when the user (or the access token) may open
        it (``_document_check_access``), else None."""
        try:
            return self._document_check_access(model, record_id, access_token)
        except (AccessError, MissingError):
            return None

    def _forklift_detail(self, model, record_id, access_token, page, /, **kw):
        """The portal page of a record: ``page(record_sudo, access_token,
        **kw)`` when the user (or the access token) may open it, else back to
        the portal home; ``kw``, the query string, without the
        ``SERVER_ONLY_ARGUMENTS``. Positional-only: ``kw`` may hold any name
        (``?page=2``)."""
        record_sudo = self._forklift_check_access(model, record_id, access_token)
        if not record_sudo:
            return request.redirect("/my")
        kw = {
            key: value for key, value in kw.items() if key not in SERVER_ONLY_ARGUMENTS
        }
        return page(record_sudo, access_token, **kw)

    def _forklift_record_url(self, record_sudo, access_token=None, message=None):
        """The page of ``record_sudo`` a user is sent to after his post, with
        ``message``. It carries no key he did not bring: logged in, none (his
        own rights open the page); logged out, the access token he posted
        with and the ``pid`` and ``hash`` of his mailed link, never a token
        read from the record. ``get_portal_url`` of the superuser's record
        would hand anyone the record's token, made on the spot if need be: a
        letter's is its supplier contact's key to answer in his name, a
        survey's its customer's (R-086, R-037)."""
        query = {}
        if access_token and request.env.user._is_public():
            query["access_token"] = access_token
            values = request.httprequest.values
            for key in ("pid", "hash"):
                if isinstance(values.get(key), str):
                    query[key] = values[key]
        if message:
            query["message"] = message
        url = record_sudo.access_url
        return f"{url}?{urlencode(query)}" if query else url

    def _forklift_post(
        self,
        record_sudo,
        action,
        error_page,
        message,
        url=None,
        refusals=(UserError, ValidationError, AccessError),
        access_token=None,
    ):
        """Run ``action()``, a form posted on the page of ``record_sudo``
        (access already checked, through ``access_token`` when the user
        posted one), all or nothing: refused (``refusals``), the page comes
        back with the reason (``error_page(reason)``) and nothing saved;
        done, the user goes to the record's page (``url``, else its page for
        him, ``_forklift_record_url``) with ``message``."""
        try:
            with request.env.cr.savepoint():
                action()
        except refusals as err:
            return error_page(str(err))
        if url:
            return request.redirect(f"{url}?{urlencode({'message': message})}")
        return request.redirect(
            self._forklift_record_url(record_sudo, access_token, message)
        )

    def _forklift_record_post(
        self,
        model,
        record_id,
        access_token,
        action,
        page,
        message,
        /,
        refusals=(UserError, ValidationError, AccessError),
        **page_kw,
    ):
        """A form posted on the page of a record of ``model``: back to the
        portal home unless the user (or the access token) may open the
        record (``_document_check_access``); then ``action(record_sudo)``,
        all or nothing (``_forklift_post``), refused: the record's
        ``page(record_sudo, access_token, error=reason, **page_kw)``."""
        record_sudo = self._forklift_check_access(model, record_id, access_token)
        if not record_sudo:
            return request.redirect("/my")
        return self._forklift_post(
            record_sudo,
            lambda: action(record_sudo),
            lambda error: page(record_sudo, access_token, error=error, **page_kw),
            message,
            refusals=refusals,
            access_token=access_token,
        )

    def _forklift_page(
        self, record_sudo, access_token, template, history, values, /, **kw
    ):
        """Render ``template``, the portal page of ``record_sudo``, with
        ``values`` and the previous/next links of the ``history`` list.
        Positional-only, as ``_forklift_detail``: ``kw`` may hold any name."""
        values = self._get_page_view_values(
            record_sudo, access_token, values, history, False, **kw
        )
        return request.render(template, values)

    def _forklift_list(
        self,
        model,
        url,
        template,
        key,
        page,
        sortby,
        date_order="id desc",
        date_label=None,
    ):
        """One portal list of ``model``, first by ``date_order`` (newest first
        unless ``date_label`` says otherwise), or by number or status."""
        sortings = {
            "date": {
                "label": date_label or request.env._("Newest"),
                "order": date_order,
            },
            "name": {"label": request.env._("Number"), "order": "name"},
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
        }
        # a link may name any sort: the list offers its own only (the page
        # reads the chosen one's label, an error 500 for another)
        if sortby not in sortings:
            sortby = "date"
        records_model = request.env[model]
        order = sortings[sortby]["order"]
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
                "sortby": sortby,
            }
        )
        return request.render(template, values)

    @portal_list_route("/my/forklift/sheets")
    def portal_my_forklift_feedback_sheets(self, page=1, sortby=None, **kw):
        return self._forklift_list(
            "forklift.feedback",
            "/my/forklift/sheets",
            "forklift_aftersales.portal_my_forklift_feedback_sheets",
            "forklift_feedback_sheets",
            page,
            sortby,
            "received_date desc, id desc",
        )

    @http.route(
        ["/my/forklift/sheets/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_forklift_feedback_new(self, **post):
        """A customer or a dealer files a feedback sheet from the portal
        (000 §4.1.1, R-064, R-065): the page offers the user's own forklifts;
        the server decides everything else. A refused post saves nothing and
        shows the reason."""
        units = request.env["forklift.unit"]._get_portal_units()
        error = None
        if request.httprequest.method == "POST":
            try:
                case = self._forklift_file_sheet(post)
            except (UserError, ValidationError, AccessError) as err:
                error = str(err)
            else:
                return request.redirect(f"/my/forklift/sheets/{case.id}?message=filed")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "forklift_feedback_new",
                "units": units,
                "error": error,
                "post": post if error else {},
            }
        )
        return request.render(
            "forklift_aftersales.portal_forklift_feedback_new", values
        )

    def _forklift_file_sheet(self, post):
        env = request.env
        try:
            unit_id = int(post.get("unit_id") or 0)
        except ValueError:
            unit_id = 0
        try:
            hour_meter = float(post.get("hour_meter"))
        except (TypeError, ValueError):
            raise UserError(
                env._("Enter the hour meter of the forklift as a number.")
            ) from None
        photos = self._forklift_portal_photos()
        # all or nothing: a refused reading or photo leaves no sheet behind
        with env.cr.savepoint():
            return env["forklift.feedback"]._portal_file_sheet(
                unit_id,
                post.get("description"),
                hour_meter,
                post.get("is_stopped") == "on",
                photos,
            )

    @portal_page_route("/my/forklift/sheets/<int:feedback_id>", auth="public")
    def portal_my_forklift_feedback(self, feedback_id, access_token=None, **kw):
        return self._forklift_detail(
            "forklift.feedback",
            feedback_id,
            access_token,
            self._forklift_feedback_page,
            **kw,
        )

    def _forklift_feedback_page(self, feedback_sudo, access_token, error=None, **kw):
        """The sheet's page; ``error`` comes from a refused post, never from
        the URL (``_forklift_detail``)."""
        # link only the service orders this user may read himself: each link
        # carries the order's access token, which lets its holder sign
        readable_orders = feedback_sudo.service_order_ids.with_user(
            request.env.user
        )._filtered_access("read")
        # the dealer's own applications only, judged as the user himself: not
        # the customer's to read, nor a visitor's with the sheet's link
        own_parts_requests = (
            feedback_sudo.parts_request_ids.with_user(request.env.user)
            .sudo()
            ._filter_portal_own()
        )
        return self._forklift_page(
            feedback_sudo,
            access_token,
            "forklift_aftersales.portal_my_forklift_feedback",
            "my_forklift_feedback_sheets_history",
            {
                "case": feedback_sudo,
                "parts_requests": own_parts_requests,
                "can_apply_parts": self._forklift_can_apply_parts(feedback_sudo),
                "portal_parts": request.env[
                    "forklift.parts.request"
                ]._get_portal_parts(),
                "warranty_reasons": request.env["forklift.parts.request.line"]
                ._fields["warranty_reason"]
                ._description_selection(request.env),
                "error": error,
                "feedback_orders": feedback_sudo.service_order_ids.filtered(
                    lambda order: order in readable_orders
                ),
                "page_name": "forklift_feedback",
                "message": kw.get("message"),
            },
            **kw,
        )

    def _forklift_can_apply_parts(self, feedback_sudo):
        """The user works for the sheet's dealer, a service-capable one, and
        the sheet's service is open."""
        try:
            request.env["forklift.parts.request"]._check_portal_applicant(feedback_sudo)
        except (AccessError, UserError):
            return False
        return True

    @portal_form_route("/my/forklift/sheets/<int:feedback_id>/parts", auth="user")
    def portal_forklift_feedback_parts(self, feedback_id, **post):
        """A service-capable dealer applies for warranty parts for its sheet
        (000 §4.3.1.3, R-091): all or nothing, the reason shown when
        refused."""
        parts_requests = request.env["forklift.parts.request"]

        def apply(feedback_sudo):
            lines = [
                (product.id, quantity, post.get(f"reason_{product.id}"))
                for product, quantity in self._forklift_posted_quantities(
                    parts_requests._get_portal_parts(), post
                )
            ]
            parts_requests._portal_apply(feedback_sudo.id, lines, post.get("reason"))

        return self._forklift_record_post(
            "forklift.feedback",
            feedback_id,
            None,
            apply,
            self._forklift_feedback_page,
            "parts_applied",
        )

    @portal_form_route(
        "/my/forklift/sheets/<int:feedback_id>/parts/<int:request_id>/received",
        auth="user",
    )
    def portal_forklift_parts_received(self, feedback_id, request_id, **post):
        """The dealer confirms that the warranty parts of its application
        arrived (R-178): the server records the time."""
        feedback_sudo = self._forklift_check_access("forklift.feedback", feedback_id)
        if not feedback_sudo:
            return request.redirect("/my")
        if request_id not in feedback_sudo.parts_request_ids.ids:
            return request.redirect("/my")
        return self._forklift_post(
            feedback_sudo,
            lambda: request.env["forklift.parts.request"]._portal_confirm_delivery(
                request_id
            ),
            lambda error: self._forklift_feedback_page(
                feedback_sudo, None, error=error
            ),
            "parts_received",
        )

    @portal_list_route("/my/forklift/service-orders")
    def portal_my_forklift_service_orders(self, page=1, sortby=None, **kw):
        return self._forklift_list(
            "forklift.service.order",
            "/my/forklift/service-orders",
            "forklift_aftersales.portal_my_forklift_service_orders",
            "forklift_service_orders",
            page,
            sortby,
        )

    @portal_page_route("/my/forklift/service-orders/<int:order_id>", auth="public")
    def portal_my_forklift_service_order(
        self, order_id, access_token=None, report_type=None, download=False, **kw
    ):
        def order_view(order_sudo, access_token, **page_kw):
            if report_type in ("html", "pdf", "text"):
                return self._show_report(
                    model=order_sudo,
                    report_type=report_type,
                    report_ref="forklift_aftersales.action_report_forklift_service_order",
                    download=download,
                )
            return self._forklift_service_order_page(
                order_sudo, access_token, **page_kw
            )

        return self._forklift_detail(
            "forklift.service.order", order_id, access_token, order_view, **kw
        )

    def _forklift_can_report_work(self, order_sudo):
        """The dealer performing the order, logged in, while it is
        dispatched."""
        if order_sudo.state != "dispatched":
            return False
        try:
            order_sudo.with_user(request.env.user)._check_portal_dealer()
        except AccessError:
            return False
        return True

    @portal_form_route("/my/forklift/service-orders/<int:order_id>/report", auth="user")
    def portal_forklift_service_order_report(self, order_id, **post):
        """The dealer reports the work done on site from its phone (000
        §4.2.2.2, R-082): all or nothing, the reason shown when refused."""
        env = request.env

        def report_work(order_sudo):
            order = order_sudo.with_user(env.user)
            try:
                hour_meter = float(post.get("hour_meter"))
            except (TypeError, ValueError):
                raise UserError(
                    env._("Enter the hour meter read on site as a number.")
                ) from None
            parts = [
                (
                    product.id,
                    quantity,
                    post.get(f"serial_{product.id}"),
                    post.get(f"damage_{product.id}"),
                )
                for product, quantity in self._forklift_posted_quantities(
                    order_sudo._get_received_warranty_parts(), post
                )
            ]
            order._portal_report_work(
                self._forklift_parse_local_datetime(post.get("arrival")),
                post.get("work_done"),
                hour_meter,
                parts,
                self._forklift_portal_photos(),
            )

        return self._forklift_record_post(
            "forklift.service.order",
            order_id,
            None,
            report_work,
            self._forklift_service_order_page,
            "work_reported",
            post=post,
        )

    def _forklift_posted_quantities(self, products, post):
        """The quantities posted as ``qty_<product id>`` for ``products``
        offered on the page, as (product, quantity) where one was given: a
        number a person counts, never "nan" or "inf" (which Odoo's rounding
        refuses with an error) nor one beyond ``PORTAL_QUANTITY_MAX``."""
        env = request.env
        quantities = []
        for product in products:
            try:
                quantity = float(post.get(f"qty_{product.id}") or 0)
            except ValueError:
                quantity = math.nan
            if not math.isfinite(quantity):
                raise UserError(env._("Enter the quantity of each part as a number."))
            if abs(quantity) > PORTAL_QUANTITY_MAX:
                raise UserError(
                    env._(
                        "%(part)s: enter a quantity of at most %(max)s.",
                        part=product.display_name,
                        max=PORTAL_QUANTITY_MAX,
                    )
                )
            if quantity:
                quantities.append((product, quantity))
        return quantities

    def _forklift_user_tz(self):
        """The portal user's time zone, else the company's, else UTC."""
        env = request.env
        # sudo: the company's time zone only
        return env.user.tz or env.company.sudo().partner_id.tz or "UTC"

    def _forklift_local_now(self):
        """Now in the user's time zone, as a ``datetime-local`` value."""
        tz = pytz.timezone(self._forklift_user_tz())
        return datetime.now(pytz.utc).astimezone(tz).strftime("%Y-%m-%dT%H:%M")

    def _forklift_parse_local_datetime(self, value):
        """A ``datetime-local`` input, in the user's time zone, as UTC. A date
        the page would not send (year 1, year 9999) is refused with the
        reason, as any bad input of the form: moved to UTC it is no date at
        all (an error 500), and stored it would stand as the forklift's arrival
        or the supplier's visit (R-082, R-086)."""
        if not value:
            return None
        try:
            # a ``datetime-local`` input gives 2026-12-03T15:20; a client may
            # post seconds or a space instead of the T
            local = datetime.fromisoformat(value.strip()).replace(tzinfo=None)
        except ValueError:
            raise UserError(request.env._("Enter a valid date and time.")) from None
        # the years of an after-sales event, with room on both sides: the
        # move to UTC and the deadlines counted from the date stay in range
        first_year, last_year = DATE_FIRST_YEAR, DATE_LAST_YEAR
        if not first_year <= local.year <= last_year:
            raise UserError(
                request.env._(
                    "Enter a date and time between the years %(first)s and %(last)s.",
                    first=first_year,
                    last=last_year,
                )
            )
        tz = pytz.timezone(self._forklift_user_tz())
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _forklift_portal_photos(self):
        """The photos posted with the form, each checked as JPEG or PNG within
        the size cap, as ``ir.attachment`` values without a record."""
        env = request.env
        photos = []
        for upload in request.httprequest.files.getlist("photos"):
            if not upload or not upload.filename:
                continue
            vals = portal_upload_attachment_vals(
                env,
                env["forklift.feedback"],
                upload.filename,
                read_portal_upload(env, upload),
            )
            if vals["mimetype"] not in SIGNATURE_MIMETYPES:
                raise UserError(env._("Photos must be JPEG or PNG images."))
            for key in ("res_model", "res_id"):
                vals.pop(key)
            photos.append(vals)
        return photos

    def _forklift_service_order_page(
        self, order_sudo, access_token, error=None, post=None, **kw
    ):
        """The service order page; ``error`` and ``post`` come from a refused
        post, never from the URL (``_forklift_detail``)."""
        return self._forklift_page(
            order_sudo,
            access_token,
            "forklift_aftersales.portal_my_forklift_service_order",
            "my_forklift_service_orders_history",
            {
                "service_order": order_sudo,
                "page_name": "forklift_service_order",
                "message": kw.get("message"),
                "error": error,
                "can_upload_signed_sheet": self._forklift_can_upload_signed_sheet(
                    order_sudo
                ),
                "can_report_work": self._forklift_can_report_work(order_sudo),
                "default_arrival": self._forklift_local_now(),
                "received_parts": order_sudo._get_received_warranty_parts(),
                "post": post or {},
                "sign_url": self._forklift_sign_url(order_sudo, **kw),
            },
            **kw,
        )

    def _forklift_sign_url(self, order_sudo, **kw):
        """The URL the signature widget posts to: the order's token, and the
        signer the page's link names (``pid``, ``hash`` of the link mailed
        to the customer), which the order checks when he signs logged
        out (``_check_signer``)."""
        pid, link_hash = kw.get("pid"), kw.get("hash")
        signer = urlencode({"pid": pid, "hash": link_hash}) if pid and link_hash else ""
        return order_sudo.get_portal_url(
            suffix="/sign", query_string=signer and f"&{signer}"
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
        """The customer signs the finished service order on the dealer's
        screen, or logged out from the link mailed to him. The access token,
        if any, is checked against this very order; the signer named by the
        mailed link (``pid`` and ``hash`` of the page's URL, which the
        widget's URL carries on) is checked by the order (``_check_signer``);
        the signature is a PNG or JPEG; all or nothing is saved."""
        args = request.httprequest.args
        access_token = access_token or args.get("access_token")
        order_sudo = self._forklift_check_access(
            "forklift.service.order", order_id, access_token=access_token
        )
        if not order_sudo:
            return {"error": request.env._("Invalid service order.")}
        try:
            # the widget posts text; a client may post any JSON value
            if not all(isinstance(value, str | None) for value in (name, opinion)):
                raise UserError(
                    request.env._("Enter the signer's name and opinion as text.")
                )
            order_sudo._check_state(
                ("done",),
                request.env._("%s is not waiting for the customer's signature."),
            )
            check_portal_signature(request.env, signature)
            # everything this post writes, or nothing: a refused step must not
            # leave the signature or its date saved
            # sudo is safe: access to this very order was checked above; but
            # as the user himself (not the superuser _document_check_access
            # returns), so the order's own checks of who signs see who he is
            order_signer = (
                order_sudo.with_user(request.env.user)
                .sudo()
                .with_context(
                    forklift_signer_pid=args.get("pid"),
                    forklift_signer_hash=args.get("hash"),
                )
            )
            with request.env.cr.savepoint():
                order_signer._sign(name, signature, opinion)
                # the record of who signed, not the poster's comment: Odoo
                # lets the author of a comment rewrite it
                # (/mail/message/update_content), never a message of another
                # type
                order_signer.message_post(
                    body=request.env._(
                        "Service order signed by %s on the portal.", name
                    ),
                    author_id=request.env.user.partner_id.id,
                    message_type="auto_comment",
                    subtype_xmlid="mail.mt_comment",
                )
        except (UserError, ValidationError, AccessError) as error:
            return {"error": str(error)}
        except (TypeError, ValueError, binascii.Error):
            return {"error": request.env._("Invalid signature data.")}
        return {
            "force_refresh": True,
            "redirect_url": self._forklift_record_url(
                order_sudo, access_token, "sign_ok"
            ),
        }

    def _forklift_can_upload_signed_sheet(self, order_sudo):
        """The dealer that performed the order, logged in with its own rights
        on it (not through a token), once the work is done."""
        user = request.env.user
        return bool(
            not user._is_public()
            and order_sudo.state in ("done", "signed")
            and order_sudo.performer_type == "dealer"
            and order_sudo.dealer_id
            and order_sudo.dealer_id.commercial_partner_id
            == user.partner_id.commercial_partner_id
            and order_sudo.with_user(user).has_access("read")
        )

    @portal_form_route(
        "/my/forklift/service-orders/<int:order_id>/signed-sheet", auth="user"
    )
    def portal_forklift_service_order_signed_sheet(self, order_id, **post):
        """The dealer returns the sheet signed by the customer (000 §4.2.2.2,
        R-082): a PDF, JPEG or PNG, judged by its content, within the size
        cap, attached to the order with the type found in it, all or
        nothing; it stays as returned (the dealer does not edit its post)."""
        upload = post.get("signed_sheet")

        def return_signed_sheet(order_sudo):
            if not self._forklift_can_upload_signed_sheet(order_sudo):
                raise UserError(
                    request.env._(
                        "%s: only the dealer that did the work returns its signed "
                        "sheet, once the work is done.",
                        order_sudo.name,
                    )
                )
            content = read_portal_upload(request.env, upload)
            vals = portal_upload_attachment_vals(
                request.env,
                order_sudo,
                getattr(upload, "filename", None) or order_sudo.name,
                content,
            )
            # the flow's mark: the user was checked above as the order's own
            # dealer, the file's type and size too; portal users do not
            # create attachments themselves
            attachment = order_sudo._as_flow().env["ir.attachment"].create(vals)
            # the order holds the file: the customer's signed proof, kept as
            # returned (ir.attachment._check_forklift_files_kept)
            order_vals = {"signed_sheet_ids": [Command.link(attachment.id)]}
            # the 7-day deadline is met or missed at the first upload
            if not order_sudo.signed_sheet_date:
                order_vals["signed_sheet_date"] = fields.Datetime.now()
            order_sudo._write_flow(order_vals)
            # posted in the dealer's name, but not as his own comment: Odoo
            # lets the author edit a comment (/mail/message/update_content),
            # which would delete or replace the sheet he returned; it refuses
            # to edit any other type of message
            order_sudo.message_post(
                body=request.env._("Signed sheet returned on the portal."),
                author_id=request.env.user.partner_id.id,
                attachment_ids=attachment.ids,
                message_type="auto_comment",
                subtype_xmlid="mail.mt_comment",
            )

        return self._forklift_record_post(
            "forklift.service.order",
            order_id,
            None,  # the dealer's own rights: no access token for this post
            return_signed_sheet,
            self._forklift_service_order_page,
            "signed_sheet_ok",
        )

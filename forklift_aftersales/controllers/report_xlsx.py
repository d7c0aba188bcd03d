import json

from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.urls import url_decode

from odoo.http import request, route

from odoo.addons.report_xlsx.controllers.main import ReportController

# The largest id PostgreSQL keeps in an integer column.
MAX_ID = 2**31 - 1
# The PDF and text reports the web client downloads, and their route.
PRINTED_TYPES = {"qweb-pdf": "/report/pdf/", "qweb-text": "/report/text/"}


def _parse_ids(value):
    """The ids of ``value`` (a list of ids, or their text separated by
    commas), or None when it is not one."""
    if isinstance(value, str):
        value = value.split(",")
        if not all(i.isascii() and i.isdigit() for i in value):
            return None
        value = [int(i) for i in value]
    if not isinstance(value, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in value
    ):
        return None
    return list(value)


def _parse_object(value):
    """The JSON object ``value`` (a dict, or its JSON text), or None."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _check_ids(ids, what):
    if ids is None:
        raise BadRequest(f"The {what} must be record ids.")
    if not all(0 < i <= MAX_ID for i in ids):
        raise NotFound()


class ForkliftReportXlsxController(ReportController):
    """The XLSX reports' routes of OCA report_xlsx, which read their
    arguments as they come: malformed report ids, options or context answer
    400 and a report that does not exist 404, rather than a server error
    (and an error in the log); well-formed ones go on to the OCA routes (and
    their access checks) unchanged. The web client's download of an
    after-sales PDF checks its records first too."""

    def _check_xlsx_request(self, reportname, docids, data):
        """The report ids and data of an XLSX report request, in the form the
        OCA route reads them; raises BadRequest or NotFound."""
        if docids:
            ids = _parse_ids(docids)
            _check_ids(ids, "report ids")
            docids = ",".join(map(str, ids))
        if data.get("options"):
            options = _parse_object(data.pop("options"))
            if options is None:
                raise BadRequest("The report options must be a JSON object.")
            data.update(options)
        active_ids = []
        if data.get("context"):
            context = _parse_object(data["context"])
            if context is None:
                raise BadRequest("The report context must be a JSON object.")
            # the records the OCA report reads without report ids
            if context.get("active_ids"):
                active_ids = _parse_ids(context["active_ids"])
                _check_ids(active_ids, "report context's active_ids")
            # the OCA route reads the context as JSON text
            data["context"] = json.dumps(context)
        report = request.env["ir.actions.report"]._get_report_from_name(reportname)
        if report.report_type != "xlsx" or f"report.{reportname}" not in request.env:
            raise NotFound()
        # the records the report reads, checked before it does: a record the
        # user may not read answers 403, one that does not exist 404
        ids = _parse_ids(docids) if docids else active_ids
        if report.model in request.env:
            request.env[report.model].browse(ids).check_access("read")
        return docids, data

    def _check_printed_download(self, url, report_type):
        """The records of an after-sales PDF (or text) report downloaded by
        the web client, checked before Odoo's route, which answers any error
        as a server error (logged, with its traceback) inside a page that
        says 200: a record the user may not read answers 403."""
        pattern = PRINTED_TYPES[report_type]
        if not isinstance(url, str) or pattern not in url:
            return
        reportname, __, docids = url.split(pattern)[1].split("?")[0].partition("/")
        ids = _parse_ids(docids) if docids else None
        if not ids or not reportname.startswith("forklift_aftersales"):
            return
        _check_ids(ids, "report ids")
        report = request.env["ir.actions.report"]._get_report_from_name(reportname)
        if report.report_type == report_type and report.model in request.env:
            request.env[report.model].browse(ids).check_access("read")

    @route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        if converter == "xlsx":
            docids, data = self._check_xlsx_request(reportname, docids, data)
        return super().report_routes(reportname, docids, converter, **data)

    @route()
    def report_download(self, data, context=None, token=None, readonly=True):
        try:
            url, report_type = json.loads(data)[:2]
        except (ValueError, TypeError) as error:
            raise BadRequest("The report to download is malformed.") from error
        if isinstance(report_type, str) and report_type in PRINTED_TYPES:
            self._check_printed_download(url, report_type)
        if report_type == "xlsx":
            # what the OCA route reads, checked before it: an error raised
            # in it is logged as a server error
            if not isinstance(url, str) or "/report/xlsx/" not in url:
                raise BadRequest("The report to download is malformed.")
            reportname = url.split("/report/xlsx/")[1].split("?")[0]
            docids = None
            if "/" in reportname:
                reportname, __, docids = reportname.partition("/")
            if not docids and "?" not in url:
                raise BadRequest("The report to download is malformed.")
            if context and _parse_object(context) is None:
                raise BadRequest("The report context must be a JSON object.")
            query = {}
            if not docids:
                query = dict(url_decode(url.split("?")[1]).items())
            if "context" in query:
                if _parse_object(query["context"]) is None:
                    raise BadRequest("The report context must be a JSON object.")
                merged = _parse_object(context or "{}")
                merged.update(_parse_object(query["context"]))
                query["context"] = json.dumps(merged)
            elif context:
                query["context"] = context
            self._check_xlsx_request(reportname, docids, query)
        return super().report_download(data, context, token=token, readonly=readonly)

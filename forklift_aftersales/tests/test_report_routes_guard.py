import json
from datetime import date
from urllib.parse import quote, urlencode

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ShippedPartsCommon

# The addons whose printouts are under test.
ADDONS = (
    "forklift_aftersales",
    "forklift_aftersales_supplier",
    "forklift_aftersales_export",
    "forklift_aftersales_supplier_export",
)
FILE_TYPES = ("application/pdf", "application/vnd.openxmlformats")


def report_urls(report, record):
    """The URLs that print ``report`` for ``record``: its HTML and PDF (or
    XLSX) routes, by ids or by the context's active ids, and the download
    route of the web client."""
    name = report.report_name
    if report.report_type == "xlsx":
        url = f"/report/xlsx/{name}/{record.id}"
        context = quote(json.dumps({"active_ids": [record.id]}))
        return [
            url,
            f"/report/xlsx/{name}?context={context}",
            "/report/download?" + urlencode({"data": json.dumps([url, "xlsx"])}),
        ]
    url = f"/report/pdf/{name}/{record.id}"
    return [
        f"/report/html/{name}/{record.id}",
        url,
        "/report/download?" + urlencode({"data": json.dumps([url, "qweb-pdf"])}),
    ]


def printouts(env, model):
    """The report actions of the after-sales addons that print ``model``."""
    data = env["ir.model.data"].search(
        [("model", "=", "ir.actions.report"), ("module", "in", ADDONS)]
    )
    reports = env["ir.actions.report"].browse(data.mapped("res_id"))
    return reports.filtered(lambda report: report.model == model)


def assert_printouts_refused(case, records, users):
    """Each report of the after-sales addons printing one of ``records``
    (their models) answers each of ``users``, who may not read the record,
    with a refusal: neither a file nor a page naming the record. Returns the
    reports tried."""
    tried = case.env["ir.actions.report"]
    for record in records:
        reports = printouts(case.env, record._name)
        case.assertTrue(reports, f"a report prints {record._name}")
        tried |= reports
        for user in users:
            case.authenticate(user.login, user.login)
            for report in reports:
                for url in report_urls(report, record):
                    with case.subTest(user=user.login, url=url):
                        response = case.url_open(url, allow_redirects=False)
                        case.assertIn(response.status_code, (403, 404), url)
                        content_type = response.headers.get("Content-Type", "")
                        case.assertFalse(content_type.startswith(FILE_TYPES))
                        case.assertNotIn(record.display_name, response.text)
    return tried


@tagged("post_install", "-at_install")
class TestReportRoutesGuard(HttpCase, ShippedPartsCommon):
    """R-136, R-002, R-023, R-033, R-255, R-256 (000 §4.1.4, §4.1.6): every
    printout of the after-sales records (PDF and XLSX, by URL or the web
    client's download) is for who may read the record: another dealer's
    portal user, a supplier's, an employee outside after-sales or an
    after-sales user of another company is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a, cls.portal_b = cls._dealer_logins("rr")
        cls.supplier_portal = cls._portal_user(
            "rr_supplier", cls._vendor("Pump Vendor Co"), "Wang (pump vendor)"
        )
        cls.employee = cls._group_user("rr_employee", "base.group_user")
        other_company = cls.env["res.company"].create({"name": "Forklift Co B"})
        cls.other_director = cls._company_user(
            "rr_other_director", "group_forklift_director", other_company
        )
        cls.note = cls._replaced_note()
        cls.request = cls.note.request_id
        cls.order = cls.request.feedback_id.service_order_ids[:1]
        cls.report = cls.env["forklift.aftersales.report"].create(
            {
                "report_type": "monthly",
                "market": "domestic",
                "date_from": date(2026, 3, 1),
            }
        )
        cls.report.action_produce()

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_no_printout_of_a_record_one_may_not_read(self):
        """Dealer B's portal user, a supplier's, an employee outside
        after-sales and the director of another company are refused each
        printout of dealer A's service order, old-part return, forklift and
        parts delivery, and of the monthly statistics (PDF, HTML and XLSX,
        by ids, by the context's active ids or by the web client's
        download): no file, no page naming the record, not a server
        error."""
        self.assertEqual(self.order.dealer_id, self.dealer_a)
        records = [
            self.report,
            self.note,
            self.order,
            self.unit,
            self.request.picking_id,
        ]
        tried = assert_printouts_refused(
            self,
            records,
            [self.portal_b, self.supplier_portal, self.employee, self.other_director],
        )
        own = tried.filtered(
            lambda report: report.report_name.startswith("forklift_aftersales.")
        )
        self.assertEqual(len(own), 6, "every printout of forklift_aftersales")
        # the director, and the warehouse its transfers, print them
        for report in own:
            reader = self.warehouse_user if report.model == "stock.picking" else None
            reader = reader or self.director
            self.authenticate(reader.login, reader.login)
            for record in records:
                if record._name != report.model:
                    continue
                url = report_urls(report, record)[0]
                with self.subTest(url=url):
                    self.assertEqual(self.url_open(url).status_code, 200)

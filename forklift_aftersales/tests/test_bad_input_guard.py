import json
from datetime import date
from urllib.parse import quote, urlencode

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import ForkliftCommon

XLSX_URL = "/report/xlsx/forklift_aftersales.report_aftersales_xlsx"


@tagged("post_install", "-at_install")
class TestXlsxRouteBadInput(HttpCase, ForkliftCommon):
    """The XLSX report route answers malformed ids, options or context from
    a logged-in user with 400/404, never a server error (R-255, R-256)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls.env["forklift.aftersales.report"].create(
            {
                "report_type": "monthly",
                "market": "domestic",
                "date_from": date(2026, 3, 1),
            }
        )

    def _get(self, url):
        with self.assertNoLogs(level="ERROR"):
            return self.url_open(url)

    def test_malformed_input_is_a_bad_request(self):
        self.authenticate(self.qa.login, self.qa.login)
        context = quote(json.dumps({"context": {"active_ids": [self.report.id]}}))
        for url, status in (
            (f"{XLSX_URL}/abc", 400),
            (f"{XLSX_URL}/1,x", 400),
            (f"{XLSX_URL}/%C2%B2", 400),
            (f"{XLSX_URL}/99999999999", 404),
            (f"{XLSX_URL}/2147483000", 404),
            (f"{XLSX_URL}/1/2", 404),
            (f"{XLSX_URL}?options=not-json", 400),
            (f"{XLSX_URL}?options=[1]", 400),
            (f"{XLSX_URL}?context=5", 400),
            (f"{XLSX_URL}?context={quote(json.dumps({'active_ids': 'x'}))}", 400),
            (f"{XLSX_URL}?context={quote(json.dumps({'active_ids': [0]}))}", 404),
            ("/report/xlsx/forklift_aftersales.no_such_report/1", 404),
            ("/report/xlsx/forklift_aftersales.report_forklift_service_order/1", 404),
        ):
            with self.subTest(url=url):
                self.assertEqual(self._get(url).status_code, status)
        # the context given in the options, as the OCA client sends it
        response = self._get(f"{XLSX_URL}?options={context}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))

    def test_malformed_download_is_a_bad_request(self):
        """The download route of the web client checks the same before the
        OCA route, which logs any error it meets as a server error."""
        self.authenticate(self.qa.login, self.qa.login)
        good = json.dumps([f"{XLSX_URL}/{self.report.id}", "xlsx"])
        for params, status in (
            ({"data": "not-json"}, 400),
            ({"data": "{}"}, 400),
            ({"data": json.dumps([5, "xlsx"])}, 400),
            ({"data": json.dumps([f"{XLSX_URL}/abc", "xlsx"])}, 400),
            ({"data": json.dumps([f"{XLSX_URL}/1/2", "xlsx"])}, 400),
            ({"data": json.dumps([f"{XLSX_URL}/2147483000", "xlsx"])}, 404),
            ({"data": json.dumps([XLSX_URL, "xlsx"])}, 400),
            ({"data": json.dumps([f"{XLSX_URL}?context=5", "xlsx"])}, 400),
            ({"data": json.dumps([f"{XLSX_URL}?options=x", "xlsx"])}, 400),
            ({"data": good, "context": "x"}, 400),
            ({"data": good, "context": json.dumps({"active_ids": "x"})}, 400),
        ):
            with self.subTest(params=params):
                response = self._get(f"/report/download?{urlencode(params)}")
                self.assertEqual(response.status_code, status)
        response = self._get(f"/report/download?{urlencode({'data': good})}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
        plain = self._group_user("bi_plain_dl", "base.group_user")
        self.authenticate(plain.login, plain.login)
        response = self._get(f"/report/download?{urlencode({'data': good})}")
        self.assertEqual(response.status_code, 403)

    def test_good_requests_still_answer_the_file(self):
        self.authenticate(self.qa.login, self.qa.login)
        response = self._get(f"{XLSX_URL}/{self.report.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertTrue(response.content.startswith(b"PK"))
        # a report the user may not read is still refused
        plain = self._group_user("bi_plain", "base.group_user")
        self.authenticate(plain.login, plain.login)
        response = self._get(f"{XLSX_URL}/{self.report.id}")
        self.assertEqual(response.status_code, 403)


class TestAnalysisContextGuard(ForkliftCommon):
    """The context keys of the units-in-service and failure-rate analyses
    take the values their own callers give, else a clear error (R-256, R-267)."""

    def _assert_refused(self, model, context):
        records = self.env[model].with_user(self.qa).with_context(**context)
        with self.assertRaisesRegex(UserError, "context key"):
            records.search_read([], ["date"], limit=5)

    def test_malformed_exposure_context_is_refused(self):
        period = {"forklift_exposure_grain": "period"}
        for context in (
            {"forklift_exposure_months": ["a", "b"]},
            {"forklift_exposure_months": 5},
            {"forklift_exposure_months": [1, 2, 3]},
            {"forklift_exposure_months": [-1, None]},
            {"forklift_exposure_months": [10**9, None]},
            {"forklift_exposure_months": [True, None]},
            {"forklift_exposure_months": [None, 5]},
            {"forklift_exposure_months": [5, None]},
            {"forklift_exposure_periods": "x", **period},
            {"forklift_exposure_periods": [[1, "b"]], **period},
            {"forklift_exposure_periods": [5], **period},
            {"forklift_exposure_periods": [[5, 6]], **period},
            {"forklift_exposure_fields": 5, **period},
            {"forklift_exposure_fields": "company_id", **period},
            {"forklift_exposure_fields": [5], **period},
        ):
            with self.subTest(context=context):
                self._assert_refused("forklift.unit.exposure", context)
        # the failure rates pass them on to the units in service
        rates = self.env["forklift.failure.rate.analysis"].with_user(self.qa)
        for context in (
            {"forklift_exposure_fields": 5},
            {"forklift_exposure_periods": "x"},
        ):
            with (
                self.subTest(context=context),
                self.assertRaisesRegex(UserError, "context key"),
            ):
                rates.with_context(**context)._read_group(
                    [], ["model_id"], ["failure_rate:sum"]
                )

    def test_malformed_watched_parts_are_refused(self):
        for watched in ("x", 5, [1, 2], [[1], "x"], [["a"], []], [[1], [2], [3]]):
            with self.subTest(watched=watched):
                self._assert_refused(
                    "forklift.failure.rate.analysis",
                    {"forklift_failure_watched_parts": watched},
                )
        for days in ("x", ["2026-01-01", None], [1, 2]):
            with self.subTest(days=days):
                records = (
                    self.env["forklift.failure.rate.analysis"]
                    .with_user(self.qa)
                    .with_context(forklift_failure_days=days)
                )
                with self.assertRaisesRegex(UserError, "context key"):
                    records.browse(1).read(["date"])

    def test_well_formed_context_still_reads(self):
        exposure = self.env["forklift.unit.exposure"].with_user(self.qa)
        today = date.today()
        last = today.year * 12 + today.month - 1
        for context in (
            {"forklift_exposure_months": [last - 12, last]},
            {"forklift_exposure_months": [None, None]},
            {
                "forklift_exposure_months": [last - 12, last],
                "forklift_exposure_grain": "period",
                "forklift_exposure_bands": False,
                "forklift_exposure_periods": [[last - 2, last], [last - 12, last]],
                "forklift_exposure_fields": ["company_id", "market", "model_id"],
            },
        ):
            with self.subTest(context=context):
                exposure.with_context(**context)._read_group(
                    [("kind", "=", "unit")], ["period"], ["unit_count:sum"]
                )
        rates = self.env["forklift.failure.rate.analysis"].with_user(self.qa)
        rates.with_context(forklift_failure_watched_parts=[[1], []])._read_group(
            [], ["model_id"], ["failure_rate:sum"]
        )

    def test_dates_at_the_ends_of_the_calendar_are_read(self):
        """A filter on the first or last days of the calendar is a filter
        like any other, not a server error."""
        for model in ("forklift.unit.exposure", "forklift.failure.rate.analysis"):
            records = self.env[model].with_user(self.qa)
            for domain in (
                [("date", ">=", "0001-01-01")],
                [("date", "<", "0001-01-01")],
                [("date", "<=", "9999-12-31")],
                [("date", ">", "9999-12-31")],
                [("date", ">=", "9999-12-02")],
                [("date", ">", "9999-12-30"), ("date", "<", "0001-01-02")],
            ):
                with self.subTest(model=model, domain=domain):
                    records.search_read(domain, ["date"], limit=5)
        rates = self.env["forklift.failure.rate.analysis"].with_user(self.qa)
        rates._read_group(
            [("date", ">=", "0001-01-01"), ("date", "<=", "9999-12-31")],
            ["model_id"],
            ["failure_rate:sum"],
        )

import csv
import io

from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.misc import file_open

from .common import ForkliftCommon

SAMPLE = "forklift_aftersales/static/sample/"
TEMPLATES = "forklift_aftersales/static/xls/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the forklift models the sample ledger sells
LEDGER_MODELS = (
    "CPCD35 Diesel Forklift",
    "CPD25 Electric Forklift",
    "CPQD20 LPG Forklift",
)
# the options the import dialog sends, as in Odoo's own import tests
OPTIONS = {
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
    "name_create_enabled_fields": {},
    "encoding": "utf-8",
    "separator": ",",
    "quoting": '"',
    "date_format": "",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": True,
    "has_headers": True,
    "keep_matches": False,
    "limit": 2000,
    "skip": 0,
    "tracking_disable": True,
}


def _csv(headers, rows):
    handle = io.StringIO()
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return handle.getvalue().encode()


def _read_sample(name):
    with file_open(SAMPLE + name, "rb") as handle:
        content = handle.read()
    rows = list(csv.reader(io.StringIO(content.decode())))
    return content, rows[0], rows[1:]


@tagged("post_install", "-at_install")
class TestImportLedgers(ForkliftCommon):
    """The first hour of a real after-sales department: years of Excel ledgers
    (dealers and customers, forklifts sold, open feedback sheets) come in
    through Odoo's standard import, with the templates the import offers.

    Proven here: the templates' headers map to the fields by themselves (in
    English, and in Chinese for a user reading Chinese); the sample ledger
    imports in order (partners, units, sheets) into the unit archive with its
    hour meters (R-023, R-127, R-211) and the sheets at intake (000 §4.1,
    R-001, R-065); a bad row is refused with its own message and nothing of
    the file is imported; importing the ledger again adds nothing.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # service-center staff import units and sheets; contacts are created
        # by users allowed to (Contact Creation), here the service-center
        # director, who alone sets their service region
        cls.clerk = cls._group_user(
            "fa_clerk", "group_forklift_director,base.group_partner_manager"
        )
        # the forklift models exist before their units are imported
        cls.env["product.product"].create(
            [
                {
                    "name": name,
                    "is_forklift": True,
                    "is_storable": True,
                    "tracking": "serial",
                }
                for name in LEDGER_MODELS
            ]
        )

    def _import(self, model, content, lang="en_US", file_type="text/csv", user=None):
        """Import ``content`` as the import dialog does, as a user reading
        ``lang``: the columns mapped by Odoo's own suggestions, every one of
        them mapped. Contacts are imported by the clerk, the open sheets of
        the ledger (reported months ago) by the service-center director, the
        rest by staff.

        :return: the result of ``execute_import``
        """
        user = user or {
            "res.partner": self.clerk,
            "forklift.feedback": self.director,
        }.get(model, self.staff)
        wizard = (
            self.env["base_import.import"]
            .with_user(user)
            .with_context(lang=lang)
            .create({"res_model": model, "file": content, "file_type": file_type})
        )
        preview = wizard.parse_preview(dict(OPTIONS))
        self.assertIsNone(preview.get("error"))
        headers = preview["headers"]
        matches = preview["matches"] or {}
        unmatched = [h for i, h in enumerate(headers) if i not in matches]
        self.assertFalse(unmatched, f"columns Odoo does not map on {model}")
        fields = ["/".join(matches[index]) for index in range(len(headers))]
        return wizard.execute_import(fields, headers, dict(OPTIONS))

    def _import_sample(self):
        results = {}
        for model, name in (
            ("res.partner", "ledger_1_partners.csv"),
            ("forklift.unit", "ledger_2_units.csv"),
            ("forklift.feedback", "ledger_3_sheets.csv"),
        ):
            content = _read_sample(name)[0]
            results[model] = self._import(model, content)
            self.assertFalse(results[model]["messages"], f"import of {name}")
        return results

    def _counts(self):
        return {
            model: self.env[model].search_count([])
            for model in (
                "res.partner",
                "forklift.unit",
                "forklift.feedback",
                "forklift.hour.reading",
            )
        }

    def test_templates_are_offered_and_import_by_themselves(self):
        """Import ‣ the template links: each one's headers map to fields with
        no hand mapping, and its example rows import, in order (dealers and
        customers, units, sheets)."""
        for model, name in (
            ("res.partner", "forklift_partners_import_template.xlsx"),
            ("forklift.unit", "forklift_units_import_template.xlsx"),
            ("forklift.feedback", "forklift_feedback_sheets_import_template.xlsx"),
        ):
            with self.subTest(model=model):
                templates = self.env[model].get_import_templates()
                self.assertIn(f"/{TEMPLATES}{name}", [t["template"] for t in templates])
                with file_open(TEMPLATES + name, "rb") as handle:
                    result = self._import(model, handle.read(), file_type=XLSX)
                self.assertFalse(result["messages"])
                self.assertEqual(len(result["ids"]), 2)
        unit = self.env["forklift.unit"].search([("name", "=", "CPCD35-2401-0001")])
        self.assertEqual(str(unit.acceptance_date), "2024-01-18")
        self.assertEqual(unit.dealer_id.name, "广州宏远叉车销售有限公司")
        self.assertEqual(
            unit.reading_ids.mapped("hours"),
            [2350.0, 2310.0],
            "newest first: the ledger's hour meter, then the sheet's",
        )

    def test_sample_ledger_imports_and_a_second_run_adds_nothing(self):
        """R-023, R-127, 000 §4.1: 10 dealers and 48 customers, 200 forklifts
        with their hour meters, 100 open sheets at intake; the same files
        again add nothing and change nothing."""
        before = self._counts()
        partner_rows = _read_sample("ledger_1_partners.csv")[2]
        unit_rows = _read_sample("ledger_2_units.csv")[2]
        sheet_rows = _read_sample("ledger_3_sheets.csv")[2]
        results = self._import_sample()
        after = self._counts()

        self.assertEqual(len(partner_rows), 58)
        self.assertEqual(len(unit_rows), 200)
        self.assertEqual(len(sheet_rows), 100)
        self.assertEqual(after["res.partner"] - before["res.partner"], 58)
        partners = self.env["res.partner"].browse(results["res.partner"]["ids"])
        dealers = partners.filtered("is_forklift_dealer")
        self.assertEqual(len(dealers), 10)
        self.assertEqual(
            set(dealers.mapped("forklift_region")) - {False},
            {"local", "domestic", "remote"},
        )
        self.assertEqual(after["forklift.unit"] - before["forklift.unit"], 200)
        self.assertEqual(after["forklift.feedback"] - before["forklift.feedback"], 100)
        # one reading per hour meter of the ledger: the units' and the sheets'
        readings = sum(1 for row in unit_rows if row[8]) + sum(
            1 for row in sheet_rows if row[6]
        )
        self.assertEqual(
            after["forklift.hour.reading"] - before["forklift.hour.reading"],
            readings,
        )

        # a unit: its customer, dealer, dates and hour meter, warranty started
        serial, product, customer, dealer, market, delivery, acceptance = unit_rows[0][
            1:8
        ]
        unit = self.env["forklift.unit"].search([("name", "=", serial)])
        self.assertEqual(unit.product_id.name, product)
        self.assertEqual(unit.partner_id.name, customer)
        self.assertEqual(unit.dealer_id.name, dealer)
        self.assertEqual(unit.market, market.lower())
        self.assertEqual(str(unit.delivery_date), delivery)
        self.assertEqual(str(unit.warranty_start_date), acceptance)
        self.assertEqual(unit.current_hours, float(unit_rows[0][8]))
        self.assertEqual(unit.reading_ids.source, "ledger")
        self.assertEqual(unit.import_hours, unit.current_hours)
        self.assertEqual(str(unit.import_hours_date), unit_rows[0][9])

        # the sheets are at intake, numbered by the procedure, the customer
        # and dealer taken from the forklift, the hour meter a reading
        cases = self.env["forklift.feedback"].browse(
            results["forklift.feedback"]["ids"]
        )
        self.assertEqual(set(cases.mapped("state")), {"draft"})
        self.assertNotIn("/", cases.mapped("name"))
        self.assertEqual(len(set(cases.mapped("name"))), 100)
        row = next(r for r in sheet_rows if r[6])
        case = cases.filtered(lambda c: c.unit_id.name == row[5])[:1]
        self.assertEqual(case.partner_id, case.unit_id.partner_id)
        self.assertEqual(case.dealer_id, case.unit_id.dealer_id)
        self.assertEqual(case.user_id, self.director)
        self.assertTrue(case.reading_id)

        # the same files again: nothing added, nothing changed
        names = cases.mapped("name")
        hours = unit.current_hours
        again = self._import_sample()
        self.assertEqual(self._counts(), after)
        self.assertEqual(again["forklift.unit"]["ids"], results["forklift.unit"]["ids"])
        self.assertEqual(cases.mapped("name"), names)
        self.assertEqual(unit.current_hours, hours)

    def test_staff_do_not_import_sheets_reported_long_ago(self):
        """R-211, R-158: the ledger's open sheets were reported months ago;
        their day judges the warranty and starts the response times. Staff
        importing them would date reports back beyond the company's days (7):
        each row is refused with the backdating message, nothing of the file
        is imported. The service-center director imports the same file."""
        self._import("res.partner", _read_sample("ledger_1_partners.csv")[0])
        self._import("forklift.unit", _read_sample("ledger_2_units.csv")[0])
        content, headers, rows = _read_sample("ledger_3_sheets.csv")
        ledger = _csv(headers, rows[:3])
        Sheet = self.env["forklift.feedback"]
        count = Sheet.search_count([])
        result = self._import("forklift.feedback", ledger, user=self.staff)
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertTrue(errors)
        self.assertIn("more than 7 days", " ".join(m["message"] for m in errors))
        self.assertFalse(result["ids"])
        self.assertEqual(Sheet.search_count([]), count)
        result = self._import("forklift.feedback", ledger)
        self.assertFalse(result["messages"])
        self.assertEqual(len(result["ids"]), 3)
        self.assertEqual(Sheet.search_count([]), count + 3)

    def test_bad_row_is_refused_with_its_message(self):
        """Each bad row of a ledger is refused with a message of its own, and
        nothing of the file is imported until it is corrected: an unknown
        forklift model, acceptance before delivery, a customer named as the
        dealer (R-211, R-055)."""
        self._import(
            "res.partner",
            _read_sample("ledger_1_partners.csv")[0],
        )
        content, headers, rows = _read_sample("ledger_2_units.csv")
        good = rows[:3]
        cases = {
            "unknown model": (
                {2: "CPX99 Unknown Forklift"},
                "No matching record found for name 'CPX99 Unknown Forklift' in "
                "field 'Product'",
            ),
            "accepted before delivered": (
                {6: "2024-05-10", 7: "2024-05-01"},
                "cannot be accepted before it was delivered",
            ),
            "customer as dealer": (
                {4: rows[0][3]},
                "is not a forklift dealer",
            ),
        }
        for label, (changes, message) in cases.items():
            with self.subTest(label):
                bad = list(rows[3])
                for index, value in changes.items():
                    bad[index] = value
                count = self.env["forklift.unit"].search_count([])
                # the unknown model's row fails in the database: its error
                # is the import's message, not a log line
                with mute_logger("odoo.sql_db"):
                    result = self._import("forklift.unit", _csv(headers, [*good, bad]))
                errors = [m for m in result["messages"] if m["type"] == "error"]
                # the row is named with its message (Odoo repeats the first
                # error of a batch on its first row), no other row is blamed
                self.assertIn(
                    message,
                    " ".join(m["message"] for m in errors if m["record"] == 3),
                )
                self.assertFalse(
                    [
                        m
                        for m in errors
                        if m["record"] != 3 and message not in m["message"]
                    ],
                    result["messages"],
                )
                self.assertFalse(result["ids"])
                self.assertEqual(self.env["forklift.unit"].search_count([]), count)

    def test_ledger_without_external_ids_is_refused_the_second_time(self):
        """R-023: a serial number is one forklift. A units ledger without its
        External ID column imported twice adds nothing the second time: each
        row is refused as a serial number already registered."""
        self._import("res.partner", _read_sample("ledger_1_partners.csv")[0])
        _content, headers, rows = _read_sample("ledger_2_units.csv")
        content = _csv(headers[1:], [row[1:] for row in rows[:5]])
        self.assertEqual(len(self._import("forklift.unit", content)["ids"]), 5)
        count = self.env["forklift.unit"].search_count([])
        with mute_logger("odoo.sql_db"):
            result = self._import("forklift.unit", content)
        self.assertFalse(result["ids"])
        self.assertEqual(
            {m["record"] for m in result["messages"] if m["type"] == "error"},
            set(range(5)),
            result["messages"],
        )
        self.assertEqual(self.env["forklift.unit"].search_count([]), count)

    def test_hour_meter_going_backwards_is_refused(self):
        """R-127: an hour meter below a reading the forklift already has is
        refused, by a unit ledger as by a sheet ledger, and the reading kept."""
        self._import("res.partner", _read_sample("ledger_1_partners.csv")[0])
        _content, headers, rows = _read_sample("ledger_2_units.csv")
        row = next(r for r in rows if r[8])
        self._import("forklift.unit", _csv(headers, [row]))
        unit = self.env["forklift.unit"].search([("name", "=", row[1])])
        hours = unit.current_hours
        self.assertEqual(hours, float(row[8]))

        later = list(row)
        later[8], later[9] = str(int(hours) - 100), "2026-07-15"
        result = self._import("forklift.unit", _csv(headers, [later]))
        self.assertEqual(len(result["messages"]), 1, result["messages"])
        self.assertIn("cannot go backwards", result["messages"][0]["message"])
        self.assertEqual(result["messages"][0]["record"], 0)

        sheet_headers = _read_sample("ledger_3_sheets.csv")[1]
        sheet = [
            "ledger_sheet_late",
            "Mast drops under load",
            "2026-07-20 09:00:00",
            "Phone",
            "Customer",
            row[1],
            str(int(hours) - 50),
            "False",
            "The forks sink.",
        ]
        count = self.env["forklift.feedback"].search_count([])
        result = self._import("forklift.feedback", _csv(sheet_headers, [sheet]))
        self.assertEqual(len(result["messages"]), 1, result["messages"])
        self.assertIn("cannot go backwards", result["messages"][0]["message"])
        self.assertEqual(self.env["forklift.feedback"].search_count([]), count)
        self.assertEqual(unit.reading_ids.mapped("hours"), [hours])

    def test_chinese_headers_map_for_a_user_reading_chinese(self):
        """Odoo's import matches a header against the field's technical name,
        its English label and its label in the user's language: a ledger with
        the Chinese labels as headers maps for a user reading Chinese, and its
        Chinese selection values (内销) import too."""
        self.env["res.lang"]._activate_lang("zh_CN")
        # the serial number's and the model's labels are stock's (stock.lot)
        self.env["ir.module.module"]._load_module_terms(
            ["stock", "forklift_aftersales"], ["zh_CN"], overwrite=True
        )
        self.env.registry.clear_cache()
        self.staff.lang = "zh_CN"
        headers = [
            # the label 批次/序列号 has a "/", which means a linked record's field
            "name",
            "产品",
            "客户",
            "代理商",
            "市场",
            "交货日期",
            "验收日期",
        ]
        content = _csv(
            headers,
            [
                [
                    "CPCD35-2501-9001",
                    LEDGER_MODELS[0],
                    self.customer.name,
                    self.dealer_a.name,
                    "内销",
                    "2025-01-06",
                    "2025-01-09",
                ]
            ],
        )
        result = self._import("forklift.unit", content, lang="zh_CN")
        self.assertFalse(result["messages"])
        unit = self.env["forklift.unit"].browse(result["ids"])
        self.assertEqual(unit.name, "CPCD35-2501-9001")
        self.assertEqual(unit.partner_id, self.customer)
        self.assertEqual(unit.dealer_id, self.dealer_a)
        self.assertEqual(unit.market, "domestic")
        self.assertEqual(str(unit.acceptance_date), "2025-01-09")

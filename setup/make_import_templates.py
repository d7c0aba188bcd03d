#!/usr/bin/env python3
"""Write the import templates and the sample ledger of forklift_aftersales.

Run by hand from the repository root with the virtualenv's Python (it needs
XlsxWriter, one of Odoo's own requirements), then commit what it wrote:

    .venv/bin/python setup/make_import_templates.py

- ``forklift_aftersales/static/xls/*.xlsx``: one template per model, offered
  by Odoo's import (*Import ‣ Import Template for ...*): a header row Odoo maps
  on its own (the fields' English labels) and two example rows.
- ``forklift_aftersales/static/sample/ledger_*.csv``: a few years of an
  after-sales department's Excel ledgers (dealers and customers, forklifts
  sold, open feedback sheets), drawn from a fixed seed so that every run
  writes the same files. The tests import them through Odoo's import.
"""

import csv
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
XLS_DIR = ROOT / "forklift_aftersales" / "static" / "xls"
SAMPLE_DIR = ROOT / "forklift_aftersales" / "static" / "sample"

SEED = 20260101
# the day the old ledgers were closed: the hour meters were read then
LEDGER_DATE = date(2026, 6, 30)

# The headers are the fields' English labels: Odoo's import maps a header to
# a field by its technical name, its label in the user's language or its
# English label, so these map for every user. A "/" in a header means a field
# of a linked record: the serial number's label (Lot/Serial Number) cannot be
# a header, its technical name is.
PARTNER_HEADERS = [
    "External ID",
    "Name",
    "Is a Company",
    "Forklift Dealer",
    "Service Region",
    "City",
    "Country",
    "Phone",
    "Email",
]
UNIT_HEADERS = [
    "External ID",
    "name",
    "Product",
    "Customer",
    "Dealer",
    "Market",
    "Delivery Date",
    "Acceptance Date",
    "Hour Meter at Import",
    "Hour Meter Read On",
]
CASE_HEADERS = [
    "External ID",
    "Subject",
    "Received On",
    "Channel",
    "Reported By",
    "Forklift",
    "Hour Meter at Report",
    "Forklift Stopped",
    "Fault Description",
]

DATE_HEADERS = {"Delivery Date", "Acceptance Date", "Hour Meter Read On", "Received On"}

# the forklift models the sample ledger sells: products marked as forklifts,
# tracked by serial number, created before the units are imported
MODELS = [
    ("CPCD35 Diesel Forklift", "CPCD35"),
    ("CPD25 Electric Forklift", "CPD25"),
    ("CPQD20 LPG Forklift", "CPQD20"),
]

DOMESTIC_DEALERS = [
    ("广州宏远叉车销售有限公司", "广州", "local"),
    ("武汉江汉机械设备有限公司", "武汉", "domestic"),
    ("上海浦江搬运设备有限公司", "上海", "local"),
    ("成都蜀通叉车服务有限公司", "成都", "domestic"),
    ("沈阳北方物流设备有限公司", "沈阳", "domestic"),
    ("西安秦川叉车有限公司", "西安", "domestic"),
    ("乌鲁木齐天山机械有限公司", "乌鲁木齐", "remote"),
    ("昆明云岭设备有限公司", "昆明", "remote"),
]
EXPORT_DEALERS = [
    ("Gulf Lift Trading LLC", "Dubai", "AE", "remote"),
    ("Saigon Material Handling Co., Ltd.", "Ho Chi Minh City", "VN", "remote"),
]
CUSTOMER_PREFIXES = [
    "华东",
    "长江",
    "恒通",
    "鑫源",
    "顺达",
    "远航",
    "金桥",
    "宏发",
    "东方",
    "新业",
    "天成",
    "联合",
]
CUSTOMER_TRADES = ["物流", "钢铁", "纸业", "食品", "港务", "仓储"]
EXPORT_CUSTOMERS = [
    ("Al Noor Warehousing", "Dubai", "AE"),
    ("Emirates Cold Store", "Sharjah", "AE"),
    ("Mekong Rice Mills", "Can Tho", "VN"),
    ("Binh Duong Steel Works", "Thu Dau Mot", "VN"),
]
REGION_LABELS = {
    "local": "Local (near a service point)",
    "domestic": "Rest of the country",
    "remote": "Remote area",
}
FAULTS = [
    ("Mast drops under load", "The forks sink slowly with a load raised."),
    ("Engine hard to start", "The engine starts only after several tries."),
    ("Brake pedal soft", "The brake pedal goes down further than usual."),
    ("Hydraulic oil leak", "Oil drips from the lift cylinder."),
    ("Steering heavy", "The steering wheel is hard to turn at low speed."),
    ("Battery drains fast", "The battery lasts half a shift."),
    ("Warning light on", "The oil pressure warning light stays on."),
    ("Noise from drive axle", "A grinding noise comes from the drive axle."),
]
CHANNELS = ["Phone", "Phone", "Phone", "Fax", "E-mail", "Visit"]


def _phone(rng):
    parts = (rng.randint(130, 189), rng.randint(1000, 9999), rng.randint(1000, 9999))
    return "+86 {} {} {}".format(*parts)


def make_partners(rng):
    """Dealers first, then their customers: one row per partner."""
    rows = []
    dealers = []
    for index, (name, city, region) in enumerate(DOMESTIC_DEALERS, start=1):
        xmlid = f"ledger_dealer_{index:03d}"
        rows.append(
            [xmlid, name, "True", "True", REGION_LABELS[region], city, "China"]
            + [_phone(rng), f"service{index:02d}@dealer.example.com"]
        )
        dealers.append({"name": name, "market": "domestic"})
    for index, (name, city, country, region) in enumerate(
        EXPORT_DEALERS, start=len(DOMESTIC_DEALERS) + 1
    ):
        rows.append(
            [f"ledger_dealer_{index:03d}", name, "True", "True", REGION_LABELS[region]]
            + [city, country, "", f"service{index:02d}@dealer.example.com"]
        )
        dealers.append({"name": name, "market": "export"})
    customers = []
    names = [
        f"{prefix}{trade}有限公司"
        for prefix in CUSTOMER_PREFIXES
        for trade in CUSTOMER_TRADES
    ]
    rng.shuffle(names)
    for index, name in enumerate(names[:44], start=1):
        dealer = rng.choice([d for d in dealers if d["market"] == "domestic"])
        region = rng.choice(["local", "local", "domestic", "domestic", "remote"])
        rows.append(
            [f"ledger_customer_{index:03d}", name, "True", "False"]
            + [REGION_LABELS[region], "", "China", _phone(rng), ""]
        )
        customers.append({"name": name, "market": "domestic", "dealer": dealer})
    export_dealers = {d["name"]: d for d in dealers if d["market"] == "export"}
    for index, (name, city, country) in enumerate(EXPORT_CUSTOMERS, start=45):
        dealer = export_dealers[
            "Gulf Lift Trading LLC" if country == "AE" else EXPORT_DEALERS[1][0]
        ]
        rows.append(
            [f"ledger_customer_{index:03d}", name, "True", "False"]
            + [REGION_LABELS["remote"], city, country, "", ""]
        )
        customers.append({"name": name, "market": "export", "dealer": dealer})
    return rows, customers


def make_units(rng, customers, count=200):
    """Forklifts sold since 2021; most were accepted a few days after their
    delivery, the last ones are still to commission. The hour meter was read
    when the ledger was closed; some forklifts have none known."""
    rows = []
    units = []
    start, end = date(2021, 1, 4), date(2026, 5, 29)
    for index in range(1, count + 1):
        customer = rng.choice(customers)
        product, prefix = rng.choice(MODELS)
        delivery = start + timedelta(days=rng.randrange((end - start).days))
        serial = f"{prefix}-{delivery:%y%m}-{index:04d}"
        acceptance = None
        if delivery < date(2026, 3, 1) or rng.random() < 0.5:
            acceptance = delivery + timedelta(days=rng.randint(1, 10))
        rate = rng.uniform(1.5, 6.0)  # working hours a day
        hours = None
        if rng.random() < 0.85:
            hours = int(rate * (LEDGER_DATE - delivery).days)
        rows.append(
            [
                f"ledger_unit_{serial.replace('-', '_')}",
                serial,
                product,
                customer["name"],
                customer["dealer"]["name"],
                "Export" if customer["market"] == "export" else "Domestic",
                delivery.isoformat(),
                acceptance.isoformat() if acceptance else "",
                str(hours) if hours is not None else "",
                LEDGER_DATE.isoformat() if hours is not None else "",
            ]
        )
        units.append(
            {"serial": serial, "delivery": delivery, "rate": rate, "hours": hours}
        )
    return rows, units


def make_cases(rng, units, count=100):
    """Sheets still open when the ledger was closed, received in the last
    three months; their hour meter follows the forklift's use, below the
    meter read when the ledger was closed."""
    first = date(2026, 4, 1)
    candidates = [u for u in units if u["delivery"] < first - timedelta(days=30)]
    picks = []
    for _index in range(count):
        unit = rng.choice(candidates)
        day = first + timedelta(days=rng.randrange((LEDGER_DATE - first).days))
        moment = datetime.combine(day, time(rng.randint(8, 16), rng.choice([0, 30])))
        picks.append((moment, unit["serial"], unit))
    picks.sort(key=lambda pick: pick[:2])
    rows = []
    for index, (moment, _serial, unit) in enumerate(picks, start=1):
        subject, description = rng.choice(FAULTS)
        hours = ""
        if unit["hours"] is not None and rng.random() < 0.9:
            hours = str(int(unit["rate"] * (moment.date() - unit["delivery"]).days))
        rows.append(
            [
                f"ledger_sheet_2026_{index:04d}",
                subject,
                moment.strftime("%Y-%m-%d %H:%M:%S"),
                rng.choice(CHANNELS),
                rng.choice(["Customer", "Customer", "Dealer"]),
                unit["serial"],
                hours,
                "True" if rng.random() < 0.25 else "False",
                description,
            ]
        )
    return rows


def write_csv(path, headers, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)


def write_template(path, headers, rows, notes):
    """An XLSX template: the header row Odoo maps, example rows, and a note
    on the header cells that need one."""
    workbook = xlsxwriter.Workbook(str(path))
    # a fixed date: the generated file does not change from one run to the next
    workbook.set_properties({"created": datetime(2026, 1, 1)})
    sheet = workbook.add_worksheet("Import")
    bold = workbook.add_format({"bold": True})
    # dates as Excel dates, so that the ones typed in their place are too
    formats = {
        10: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        19: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
    }
    for column, header in enumerate(headers):
        sheet.write(0, column, header, bold)
        sheet.set_column(column, column, max(len(header) + 4, 16))
        if header in notes:
            sheet.write_comment(0, column, notes[header], {"x_scale": 2})
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if headers[column] in DATE_HEADERS and value:
                moment = datetime.fromisoformat(value)
                sheet.write_datetime(row_index, column, moment, formats[len(value)])
            else:
                sheet.write_string(row_index, column, value)
    workbook.close()


def main():
    rng = random.Random(SEED)
    partner_rows, customers = make_partners(rng)
    unit_rows, units = make_units(rng, customers)
    feedback_rows = make_cases(rng, units)
    SAMPLE_DIR.mkdir(parents=True, exist_ok=True)
    write_csv(SAMPLE_DIR / "ledger_1_partners.csv", PARTNER_HEADERS, partner_rows)
    write_csv(SAMPLE_DIR / "ledger_2_units.csv", UNIT_HEADERS, unit_rows)
    write_csv(SAMPLE_DIR / "ledger_3_sheets.csv", CASE_HEADERS, feedback_rows)

    external_id = (
        "Your own key of the row (e.g. the dealer code or the serial number): "
        "importing the file again updates these records instead of adding new ones."
    )
    XLS_DIR.mkdir(parents=True, exist_ok=True)
    write_template(
        XLS_DIR / "forklift_partners_import_template.xlsx",
        PARTNER_HEADERS,
        [
            ["dealer_GZ01", "广州宏远叉车销售有限公司", "True", "True"]
            + [REGION_LABELS["local"], "广州", "China", "+86 20 8888 0001"]
            + ["service@hongyuan.example.com"],
            ["customer_WH01", "武汉长江物流有限公司", "True", "False"]
            + [REGION_LABELS["domestic"], "武汉", "China", "+86 27 8888 0002", ""],
        ],
        {
            "External ID": external_id,
            "Forklift Dealer": "True for a dealer or agent, False for a customer.",
            "Service Region": "Local (near a service point), Rest of the country "
            "or Remote area: it sets the on-site response time.",
        },
    )
    write_template(
        XLS_DIR / "forklift_units_import_template.xlsx",
        UNIT_HEADERS,
        [
            ["unit_CPCD35_2401_0001", "CPCD35-2401-0001", "CPCD35 Diesel Forklift"]
            + ["武汉长江物流有限公司", "广州宏远叉车销售有限公司", "Domestic"]
            + ["2024-01-15", "2024-01-18", "2350", "2026-06-30"],
            ["unit_CPD25_2605_0002", "CPD25-2605-0002", "CPD25 Electric Forklift"]
            + ["武汉长江物流有限公司", "广州宏远叉车销售有限公司", "Domestic"]
            + ["2026-05-20", "", "", ""],
        ],
        {
            "External ID": external_id,
            "name": "The serial number of the forklift.",
            "Product": "The forklift model: a product marked as a forklift and "
            "tracked by serial number.",
            "Customer": "A customer imported with the dealers and customers template.",
            "Dealer": "A partner marked as forklift dealer.",
            "Acceptance Date": "Not before the delivery date; it starts the warranty. "
            "Empty: the forklift is still to commission.",
            "Hour Meter at Import": "Recorded as an hour-meter reading; refused when "
            "lower than a reading the forklift already has.",
            "Hour Meter Read On": "The day the hour meter was read (the import day "
            "when empty).",
        },
    )
    write_template(
        XLS_DIR / "forklift_feedback_sheets_import_template.xlsx",
        CASE_HEADERS,
        [
            ["sheet_2026_0412", "Mast drops under load", "2026-06-12 09:30:00"]
            + ["Phone", "Customer", "CPCD35-2401-0001", "2310", "False"]
            + ["The forks sink slowly with a load raised."],
            ["sheet_2026_0413", "Battery drains fast", "2026-06-15 14:00:00"]
            + ["Fax", "Dealer", "CPD25-2605-0002", "", "True"]
            + ["The battery lasts half a shift."],
        ],
        {
            "External ID": external_id,
            "Received On": "Date and time in your time zone.",
            "Channel": "Phone, Fax, E-mail, Portal or Visit.",
            "Reported By": "Customer or Dealer.",
            "Forklift": "The serial number of a forklift already imported.",
            "Hour Meter at Report": "Recorded as an hour-meter reading; refused "
            "when lower than an earlier reading.",
        },
    )


if __name__ == "__main__":
    main()

from datetime import datetime

import pytz

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext

# Rows fetched from the database at a time while streaming the details.
FETCH_SIZE = 2000
# The detail sheets keep the columns needed to find and filter a row; the
# other dimensions are in the "By Dimension" sheet.
CASE_DETAIL_COLUMNS = [
    "name",
    "date",
    "partner_id",
    "dealer_id",
    "product_id",
    "serial",
    "fault_category_id",
    "severity",
    "responsibility",
    "supplier_id",
    "route",
    "state",
]
PART_DETAIL_COLUMNS = [
    "name",
    "date",
    "line_type",
    "product_id",
    "supplier_id",
    "model_id",
    "warranty_reason",
    "failed_serial",
    "technician_id",
    "quantity_replaced",
    "quantity_released",
    "cost",
    "quantity_purchased",
    "purchase_cost",
]


class ReportForkliftAftersalesXlsx(models.AbstractModel):
    """The after-sales reports as XLSX (OCA report_xlsx): the daily
    repair-record summary (000 §4.1.4), the monthly statistics with every
    feedback sheet and part line of the month, and the annual statistics by
    part and by vehicle type (000 §6.5).

    Written in xlsxwriter's constant-memory mode: each row goes to a
    temporary file once written, and the details are streamed from one query
    in batches, so the memory stays flat however long the month.
    """

    _name = "report.forklift_aftersales.report_aftersales_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Forklift After-Sales Report (XLSX)"

    def create_xlsx_report(self, docids, data):
        """A report sent prints as its recipients received it: the XLSX file
        kept since it was produced, with the figures and the detail rows of
        that moment (R-007, R-170, R-256), not the rows as they are now. A
        report not sent yet is written from its figures and the rows as
        they are now."""
        reports = self._get_objs_for_report(docids, data)
        sent = reports.filtered(lambda report: report.state == "sent")
        if sent and len(reports) > 1:
            raise UserError(
                self.env._(
                    "%s was sent: print it alone, to get the statistics as they "
                    "were mailed.",
                    sent[0].name,
                )
            )
        if sent.xlsx_attachment_id:
            return sent.xlsx_attachment_id.raw, "xlsx"
        return super().create_xlsx_report(docids, data)

    def get_workbook_options(self):
        return {
            "constant_memory": True,
            "default_date_format": "yyyy-mm-dd hh:mm",
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        }

    def generate_xlsx_report(self, workbook, data, objs):
        self.env["forklift.feedback.analysis"]._tune_session()
        styles = self._get_styles(workbook)
        for report in objs:
            if report.report_type == "daily":
                self._write_daily(workbook, styles, report)
                continue
            self._write_summary(workbook, styles, report)
            self._write_dimensions(workbook, styles, report)
            self._write_parts(workbook, styles, report)
            self._write_oldparts(workbook, styles, report)
            if report.report_type == "annual":
                self._write_months(workbook, styles, report)
            else:
                self._write_feedback_details(workbook, styles, report)
                self._write_part_details(workbook, styles, report)

    # Layout

    def _get_styles(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "bold": workbook.add_format({"bold": True}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}
            ),
            "number": workbook.add_format({"num_format": "#,##0.00"}),
            "quantity": workbook.add_format({"num_format": "#,##0.##"}),
            "percent": workbook.add_format({"num_format": "0.0"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        }

    def _write_title(self, sheet, styles, report, title):
        """The form's document code (000 §6, R-136), its title, the report
        and its period; returns the first free row."""
        code = self._get_document_code(report)
        if code:
            sheet.write(0, 0, code)
        sheet.write(1, 0, title, styles["title"])
        sheet.write(2, 0, report.name)
        sheet.write(
            3,
            0,
            self.env._(
                "Period %(start)s to %(end)s",
                start=report.date_from.isoformat(),
                end=report.date_to.isoformat(),
            ),
        )
        return 5

    def _get_document_code(self, report):
        """The code and name of the report's form, as printed, e.g.
        MC·JL-××-XS-2《Monthly … (II)》; empty when it has no code."""
        key = {
            "daily": "repair_records",
            "monthly": "monthly_statistics",
            "annual": "annual_statistics",
        }[report.report_type]
        record = self.env["forklift.document.code"]._get_code(key, report.company_id)
        return f"{record.code}《{record.name}》" if record.code else ""

    def _add_sheet(self, workbook, name, report):
        """A sheet whose printed pages carry the form's document code in
        their header (R-136)."""
        sheet = workbook.add_worksheet(name)
        code = self._get_document_code(report)
        if code:
            # "&" starts a control sequence in an Excel header
            sheet.set_header("&R" + code.replace("&", "&&"))
        return sheet

    def _label(self, model_name, field_name):
        return self.env[model_name]._fields[field_name]._description_string(self.env)

    def _measure_format(self, styles, model_name, field_name):
        field = self.env[model_name]._fields[field_name]
        if field_name in self.env["forklift.aftersales.report"]._get_feedback_rates():
            return styles["percent"]
        if field.type == "integer":
            return None
        return styles["number"] if field.type == "monetary" else styles["quantity"]

    def _write_number(self, sheet, row, col, value, style):
        if value is None:
            sheet.write_blank(row, col, None)
        else:
            sheet.write_number(row, col, value, style)

    # Monthly and annual statistics

    def _write_summary(self, workbook, styles, report):
        sheet = self._add_sheet(workbook, self.env._("Summary"), report)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 1, 18)
        row = self._write_title(sheet, styles, report, report._get_document_title())
        totals = (report.statistics or {}).get("totals", {})
        feedback_model = "forklift.feedback.analysis"
        sheet.write(row, 0, self.env._("Feedback sheets"), styles["bold"])
        sheet.write_number(row, 1, int(totals.get("feedback_count") or 0))
        for name in report._get_feedback_measures() + report._get_feedback_rates():
            row += 1
            sheet.write(row, 0, self._label(feedback_model, name))
            self._write_number(
                sheet,
                row,
                1,
                totals.get(name),
                self._measure_format(styles, feedback_model, name),
            )
        if report.report_type == "monthly":
            row = self._write_parts_stock(sheet, styles, report, row + 2)
        return sheet

    def _write_parts_stock(self, sheet, styles, report, row):
        """The spare-parts stock against the committed value (000 第四篇 §6,
        R-099)."""
        model = "forklift.aftersales.report"
        sheet.write(row, 0, self.env._("Spare-parts stock commitment"), styles["bold"])
        for name in (
            "parts_stock_value",
            "parts_stock_commitment",
            "parts_stock_shortfall",
        ):
            row += 1
            sheet.write(row, 0, self._label(model, name))
            sheet.write_number(row, 1, report[name], styles["number"])
        row += 1
        sheet.write(row, 0, self.env._("Commitment kept"))
        sheet.write(
            row,
            1,
            self.env._("Yes") if not report.parts_stock_shortfall else self.env._("No"),
        )
        return row

    def _feedback_measure_columns(self, report):
        return (
            ["feedback_count"]
            + report._get_feedback_measures()
            + report._get_feedback_rates()
        )

    def _write_dimensions(self, workbook, styles, report):
        """One block per dimension: its values and their measures."""
        sheet = self._add_sheet(workbook, self.env._("By Dimension"), report)
        feedback_model = "forklift.feedback.analysis"
        columns = self._feedback_measure_columns(report)
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, len(columns), 14)
        row = self._write_title(sheet, styles, report, report._get_document_title())
        headers = [self.env._("Feedback sheets")] + [
            self._label(feedback_model, name) for name in columns[1:]
        ]
        for dimension in (report.statistics or {}).get("dimensions", []):
            sheet.write(row, 0, dimension["label"], styles["header"])
            for col, header in enumerate(headers, start=1):
                sheet.write(row, col, header, styles["header"])
            row += 1
            for values in dimension["rows"]:
                sheet.write(row, 0, values["label"])
                for col, name in enumerate(columns, start=1):
                    style = (
                        None
                        if name == "feedback_count"
                        else self._measure_format(styles, feedback_model, name)
                    )
                    self._write_number(sheet, row, col, values.get(name), style)
                row += 1
            row += 1
        return sheet

    def _write_parts(self, workbook, styles, report):
        """Parts replaced and released, by part, supplier, part category and
        warranty reason (statistics by spare part, 000 §6.5; 004 §4.6.1)."""
        sheet = self._add_sheet(workbook, self.env._("By Part"), report)
        part_model = "forklift.part.analysis"
        measures = report._get_part_measures()
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, len(measures), 16)
        row = self._write_title(sheet, styles, report, report._get_document_title())
        parts = (report.statistics or {}).get("parts", {})
        for dimension in report._get_part_dimensions():
            sheet.write(row, 0, self._label(part_model, dimension), styles["header"])
            for col, name in enumerate(measures, start=1):
                sheet.write(row, col, self._label(part_model, name), styles["header"])
            row += 1
            for values in parts.get(dimension, []):
                sheet.write(row, 0, values["label"])
                for col, name in enumerate(measures, start=1):
                    self._write_number(
                        sheet,
                        row,
                        col,
                        values.get(name),
                        self._measure_format(styles, part_model, name),
                    )
                row += 1
            row += 1
        return sheet

    def _write_oldparts(self, workbook, styles, report):
        """Warranty old parts received from each dealer, and how late
        (000 §4.3.2.5, R-167, R-235)."""
        sheet = self._add_sheet(workbook, self.env._("Old Parts by Dealer"), report)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 3, 16)
        row = self._write_title(sheet, styles, report, report._get_document_title())
        headers = [
            self.env._("Dealer"),
            self.env._("Returns received"),
            self.env._("Returned late"),
            self.env._("Days late"),
        ]
        for col, header in enumerate(headers):
            sheet.write(row, col, header, styles["header"])
        for values in (report.statistics or {}).get("oldparts", []):
            row += 1
            sheet.write(row, 0, values["label"])
            for col, name in enumerate(
                ("received_count", "late_return_count", "days_late"), start=1
            ):
                sheet.write_number(row, col, values.get(name) or 0)
        return sheet

    def _write_months(self, workbook, styles, report):
        """Annual statistics month by month: feedback sheets by vehicle type
        and model, parts replaced by part (000 §6.5 表(一))."""
        sheet = self._add_sheet(workbook, self.env._("By Month"), report)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 13, 9)
        row = self._write_title(sheet, styles, report, report._get_document_title())
        months = (report.statistics or {}).get("months", {})
        titles = {
            "vehicle_types": self.env._("Feedback sheets by vehicle type"),
            "models": self.env._("Feedback sheets by model"),
            "parts": self.env._("Parts replaced by part"),
        }
        for key, title in titles.items():
            sheet.write(row, 0, title, styles["header"])
            for month in range(1, 13):
                sheet.write(row, month, f"{report.date_from.year}-{month:02d}")
            sheet.write(row, 13, self.env._("Total"), styles["header"])
            row += 1
            for values in months.get(key, []):
                sheet.write(row, 0, values["label"])
                for month, amount in enumerate(values["months"], start=1):
                    sheet.write_number(row, month, amount, styles["quantity"])
                sheet.write_number(row, 13, values["total"], styles["quantity"])
                row += 1
            row += 1
        return sheet

    def _write_feedback_details(self, workbook, styles, report):
        feedback_model = self.env["forklift.feedback.analysis"]
        flags = ("major_count", "closed_count")
        columns = CASE_DETAIL_COLUMNS + [
            name
            for name in self._feedback_measure_columns(report)[1:]
            if name not in flags
        ]
        sheet = self._add_sheet(workbook, self.env._("Feedback Sheets"), report)
        self._stream_details(
            sheet,
            styles,
            report,
            feedback_model,
            report._get_feedback_domain(),
            columns,
        )
        return sheet

    def _write_part_details(self, workbook, styles, report):
        part_model = self.env["forklift.part.analysis"]
        sheet = self._add_sheet(workbook, self.env._("Part Lines"), report)
        self._stream_details(
            sheet,
            styles,
            report,
            part_model,
            report._get_feedback_domain(),
            PART_DETAIL_COLUMNS,
        )
        return sheet

    def _stream_details(self, sheet, styles, report, model, domain, columns):
        """Write one row per record of a statistics model, from one query read
        in batches; the names of linked records are read beforehand, once."""
        fields_ = [model._fields[name] for name in columns]
        for col, field in enumerate(fields_):
            sheet.write(0, col, field._description_string(self.env), styles["header"])
            sheet.set_column(col, col, 22 if field.type in ("many2one", "char") else 14)
        sheet.freeze_panes(1, 0)
        names = self._prefetch_names(model, domain, fields_)
        converters = [
            self._get_converter(field, names, report, styles) for field in fields_
        ]
        query = model._search(domain, order="id")
        self.env.cr.execute(
            query.select(*[model._field_to_sql(query.table, c, query) for c in columns])
        )
        row = 1
        # nothing else may run on the cursor until the last batch is read
        while batch := self.env.cr.fetchmany(FETCH_SIZE):
            for values in batch:
                for col, (convert, value) in enumerate(
                    zip(converters, values, strict=True)
                ):
                    convert(sheet, row, col, value)
                row += 1
        return row - 1

    def _prefetch_names(self, model, domain, fields_):
        """Display names of the records the many2one columns point to, from
        one query grouped by each column."""
        many2ones = [f for f in fields_ if f.type == "many2one"]
        if not many2ones:
            return {}
        query = model._search(domain)
        columns = [model._field_to_sql(query.table, f.name, query) for f in many2ones]
        query.groupby = SQL(
            "GROUPING SETS (%s)", SQL(", ").join(SQL("(%s)", c) for c in columns)
        )
        query.order = None
        self.env.cr.execute(query.select(*columns))
        ids = {field.name: set() for field in many2ones}
        for values in self.env.cr.fetchall():
            for field, value in zip(many2ones, values, strict=True):
                if value:
                    ids[field.name].add(value)
        names = {}
        for field in many2ones:
            # sudo: names of records linked to rows the user may read
            records = self.env[field.comodel_name].sudo().browse(list(ids[field.name]))
            names[field.name] = {record.id: record.display_name for record in records}
        return names

    def _get_converter(self, field, names, report, styles):
        """A function writing one value of this column into a cell."""
        factory = {
            "many2one": self._convert_many2one,
            "selection": self._convert_selection,
            "datetime": self._convert_datetime,
            "boolean": self._convert_boolean,
            "integer": self._convert_number,
            "float": self._convert_number,
            "monetary": self._convert_number,
        }.get(field.type, self._convert_text)
        return factory(field, names, report, styles)

    def _convert_many2one(self, field, names, report, styles):
        labels = names.get(field.name, {})

        def write_name(sheet, row, col, value):
            if value:
                sheet.write_string(row, col, labels.get(value, str(value)))

        return write_name

    def _convert_selection(self, field, names, report, styles):
        labels = dict(field._description_selection(self.env))

        def write_label(sheet, row, col, value):
            if value:
                sheet.write_string(row, col, labels.get(value, value))

        return write_label

    def _convert_datetime(self, field, names, report, styles):
        tz = report._get_report_tz(report.company_id)
        style = styles["date"]

        def write_datetime(sheet, row, col, value):
            if value:
                local = pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)
                sheet.write_datetime(row, col, local, style)

        return write_datetime

    def _convert_boolean(self, field, names, report, styles):
        yes, no = self.env._("Yes"), self.env._("No")

        def write_boolean(sheet, row, col, value):
            if value is not None:
                sheet.write_string(row, col, yes if value else no)

        return write_boolean

    def _convert_number(self, field, names, report, styles):
        style = self._measure_format(styles, field.model_name, field.name)

        def write_number(sheet, row, col, value):
            if value is not None:
                sheet.write_number(row, col, value, style)

        return write_number

    def _convert_text(self, field, names, report, styles):
        def write_text(sheet, row, col, value):
            if value:
                sheet.write_string(row, col, str(value))

        return write_text

    # Daily summary

    def _write_daily(self, workbook, styles, report):
        """The repair-record summary: one row per feedback sheet received or
        handled that day (R-004)."""
        sheet = self._add_sheet(workbook, self.env._("Repair Records"), report)
        row = self._write_title(sheet, styles, report, report._get_document_title())
        feedback_fields = self.env["forklift.feedback"]._fields
        headers = [
            feedback_fields["received_date"]._description_string(self.env),
            feedback_fields["name"]._description_string(self.env),
            feedback_fields["partner_id"]._description_string(self.env),
            self.env._("Country"),
            feedback_fields["region"]._description_string(self.env),
            feedback_fields["dealer_id"]._description_string(self.env),
            feedback_fields["product_id"]._description_string(self.env),
            feedback_fields["unit_id"]._description_string(self.env),
            feedback_fields["hour_meter"]._description_string(self.env),
            feedback_fields["fault_category_id"]._description_string(self.env),
            feedback_fields["severity"]._description_string(self.env),
            feedback_fields["description"]._description_string(self.env),
            feedback_fields["verification"]._description_string(self.env),
            feedback_fields["responsibility"]._description_string(self.env),
            feedback_fields["warranty_verdict"]._description_string(self.env),
            feedback_fields["route"]._description_string(self.env),
            self.env._("Performed By"),
            self.env._("Parts Replaced"),
            feedback_fields["state"]._description_string(self.env),
            self.env._("Handled That Day"),
        ]
        widths = [16, 16, 24, 12, 14, 24, 22, 16, 10, 20, 14, 40, 40]
        widths += [16, 16, 16, 22, 30, 12, 30]
        for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
            sheet.write(row, col, header, styles["header"])
            sheet.set_column(col, col, width)
        start, end = report._get_period_bounds()
        tz = report._get_report_tz(report.company_id)

        def local(value):
            return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)

        def label(record, name):
            return (
                dict(record._fields[name]._description_selection(self.env)).get(
                    record[name]
                )
                or ""
            )

        for case in report.feedback_ids.sorted(lambda c: (c.received_date, c.id)):
            row += 1
            orders = case.service_order_ids.filtered(lambda o: o.state != "cancel")
            performers = orders.mapped(
                lambda o: (o.dealer_id or o.technician_id).display_name or ""
            )
            parts = orders.part_ids.mapped(
                lambda p: f"{p.product_id.display_name} × {p.quantity:g}"
            )
            values = [
                local(case.received_date),
                case.name,
                case.partner_id.display_name or "",
                case.partner_id.country_id.display_name or "",
                label(case, "region"),
                case.dealer_id.display_name or "",
                case.product_id.display_name or "",
                case.unit_id.display_name or "",
                case.hour_meter,
                case.fault_category_id.display_name or "",
                label(case, "severity"),
                html2plaintext(case.description or ""),
                html2plaintext(case.verification or ""),
                label(case, "responsibility"),
                label(case, "warranty_verdict"),
                label(case, "route"),
                ", ".join(p for p in performers if p),
                "; ".join(parts),
                label(case, "state"),
                ", ".join(self._events_of_day(case, start, end)),
            ]
            for col, value in enumerate(values):
                if isinstance(value, datetime):
                    sheet.write_datetime(row, col, value, styles["date"])
                elif isinstance(value, float):
                    sheet.write_number(row, col, value, styles["quantity"])
                else:
                    sheet.write_string(row, col, value, styles["wrap"])
        return sheet

    def _events_of_day(self, case, start, end):
        """What happened to the sheet that day, in words."""

        def within(value):
            return bool(value and start <= value < end)

        events = [
            (case.received_date, self.env._("received")),
            (case.verified_date, self.env._("verified")),
            (case.dispatched_date, self.env._("dispatched")),
            (case.done_date, self.env._("service done")),
            (case.reported_date, self.env._("reported to QA")),
            (case.closed_date, self.env._("closed")),
        ]
        for order in case.service_order_ids:
            events += [
                (order.arrival_date, self.env._("on site")),
                (order.finished_date, self.env._("work finished")),
                (order.registered_date, self.env._("signed sheet registered")),
            ]
        seen = []
        for _value, event in sorted(
            (e for e in events if within(e[0])), key=lambda e: e[0]
        ):
            if event not in seen:
                seen.append(event)
        return seen

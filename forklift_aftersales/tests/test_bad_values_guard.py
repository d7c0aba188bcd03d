import math
from datetime import datetime

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import ForkliftCommon

# what a JSON-RPC client sends that Python's json module decodes as it is
NOT_FINITE = (math.nan, math.inf, -math.inf)


@tagged("post_install", "-at_install")
class TestBadValuesGuard(ForkliftCommon):
    """R-005, R-127: what a client sends over RPC reaches the models as the
    JSON decodes it. A record named by anything but its id (a string, a
    float, a list, a dict) and a number that is not one (NaN, Infinity) or
    beyond any count are refused with a message, not stored nor answered
    with a database error; a part is a good, not a service."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._verified_case()
        cls.request = cls.env["forklift.parts.request"].create(
            cls._parts_request_vals(cls.case)
        )
        cls.order = cls._service_order(cls.case, part_ids=[cls._part_line(cls.part)])
        cls.visit = cls.unit.maintenance_visit_ids.filtered(
            lambda v: v.state == "planned"
        )[:1]
        cls.visit.line_ids = [Command.create({"product_id": cls.part.id})]
        cls.unit.ship_item_ids = [
            Command.create({"product_id": cls.part.id, "name": "Seal kit"})
        ]
        # past the 1500 h of the warranty: read once the sheet is judged
        cls.reading = cls.env["forklift.hour.reading"].create(
            {"unit_id": cls.unit.id, "hours": 1630, "date": datetime(2026, 3, 1)}
        )
        cls.labour = cls.env["product.product"].create(
            {"name": "Quality claim: labour", "type": "service"}
        )

    def _lines(self):
        """{model: (its document field, the document, a line of it)}."""
        return {
            "forklift.parts.request.line": (
                "request_id",
                self.request,
                self.request.line_ids,
            ),
            "forklift.service.order.part": (
                "order_id",
                self.order,
                self.order.part_ids,
            ),
            "forklift.maintenance.visit.line": (
                "visit_id",
                self.visit,
                self.visit.line_ids,
            ),
            "forklift.unit.ship.item": ("unit_id", self.unit, self.unit.ship_item_ids),
        }

    def _line_vals(self, model, document_field, document, **vals):
        line = {document_field: document.id, "product_id": self.part.id}
        if model == "forklift.parts.request.line":
            line["warranty_reason"] = "wear"
        return {**line, **vals}

    def _assert_created_nothing(self, model, user, vals_list, message=None):
        """``user`` creating ``vals_list`` on ``model`` is refused (saying
        ``message`` when given), and no record was added."""
        records = self.env[model].sudo()
        before = records.search_count([])
        with self.assertRaises(UserError) as refused:
            records.with_user(user).sudo(False).create(vals_list)
        if message:
            self.assertRegex(str(refused.exception), message)
        self.assertEqual(records.search_count([]), before)

    # G2: the hour meter

    def test_reading_names_its_forklift_by_id(self):
        """A reading naming its forklift by a string or a float (as RPC
        passes them) would be stored with no company and below the 1630 h
        read before, refusing every true reading afterwards (R-127): it is
        refused, and the meter goes on from 1630 h."""
        readings = self.unit.reading_ids
        for unit_value in (str(self.unit.id), float(self.unit.id), [self.unit.id]):
            with self.subTest(unit_id=unit_value):
                self._assert_created_nothing(
                    "forklift.hour.reading",
                    self.technician,
                    [{"unit_id": unit_value, "hours": 100}],
                    "Forklift",
                )
        self.unit.invalidate_recordset()
        self.assertEqual(self.unit.reading_ids, readings)
        self.assertFalse(
            self.env["forklift.hour.reading"].search([("company_id", "=", False)])
        )
        self.env["forklift.hour.reading"].with_user(self.technician).create(
            {"unit_id": self.unit.id, "hours": 1700}
        )
        self.assertEqual(self.unit.current_hours, 1700)
        # nor does the director move a reading to a forklift named so
        with self.assertRaises(UserError):
            self.reading.with_user(self.director).write(
                {"unit_id": str(self.unit_b.id)}
            )
        self.assertEqual(self.reading.unit_id, self.unit)

    def test_reading_hours_are_a_number_read(self):
        """NaN, Infinity and a number beyond the meter are refused (R-127)."""
        for hours in (*NOT_FINITE, 1e300):
            with self.subTest(hours=hours):
                self._assert_created_nothing(
                    "forklift.hour.reading",
                    self.technician,
                    [{"unit_id": self.unit.id, "hours": hours}],
                )

    # G6, G5: the part lines

    def test_lines_name_their_document_and_part_by_id(self):
        """A line naming its document or its part by a string, a float, a
        list or a dict (which the database refuses with an error, or stores
        while the checks read no document) is refused with a message."""
        bad_ids = lambda record: (  # noqa: E731
            str(record.id),
            float(record.id),
            [record.id, "x"],
            {"id": record.id},
            True,
            -record.id,
            2**40,
        )
        for model, (field, document, line) in self._lines().items():
            for name, record in ((field, document), ("product_id", self.part)):
                for value in bad_ids(record):
                    with self.subTest(model=model, field=name, value=value):
                        self._assert_created_nothing(
                            model,
                            self.staff,
                            [self._line_vals(model, field, document, **{name: value})],
                        )
            with self.subTest(model=model, write="product_id"):
                with self.assertRaises(UserError):
                    line.with_user(self.staff).write({"product_id": str(self.part.id)})
                self.assertEqual(line.product_id, self.part)

    def test_line_quantities_are_numbers_counted(self):
        """NaN, Infinity and quantities beyond any count are refused on
        creation and on change: NaN stored would make the document unreadable
        (web_read answers invalid JSON), and Odoo's rounding fails on it."""
        for model, (field, document, line) in self._lines().items():
            for quantity in (*NOT_FINITE, 1e12, 1e300, "x"):
                with self.subTest(model=model, quantity=quantity):
                    self._assert_created_nothing(
                        model,
                        self.staff,
                        [self._line_vals(model, field, document, quantity=quantity)],
                    )
                    with self.assertRaises(UserError):
                        line.with_user(self.staff).write({"quantity": quantity})
                    line.invalidate_recordset()
                    self.assertEqual(line.quantity, 1)
        # a context default is no way around
        with self.assertRaises(UserError):
            self.env["forklift.maintenance.visit.line"].with_user(
                self.staff
            ).with_context(default_quantity=math.nan).create(
                {"visit_id": self.visit.id, "product_id": self.part.id}
            )

    def test_database_refuses_quantities_out_of_count(self):
        """What escapes the ORM (SQL) meets the database's own bound: a
        CHECK(quantity > 0) alone lets NaN through."""
        for model, (_field, _document, line) in self._lines().items():
            for quantity in ("NaN", "Infinity", "1e12"):
                with (
                    self.subTest(model=model, quantity=quantity),
                    self.assertRaises(IntegrityError),
                    mute_logger("odoo.sql_db"),
                    self.cr.savepoint(),
                ):
                    self.cr.execute(
                        SQL(
                            "UPDATE %s SET quantity = %s WHERE id = %s",
                            SQL.identifier(self.env[model]._table),
                            quantity,
                            line.id,
                        )
                    )

    def test_document_commands_are_checked_too(self):
        """The same values sent through the document's lines are refused."""
        commands = {
            "part_ids": (self.order, {"product_id": self.part.id}),
            "line_ids": (self.visit, {"product_id": self.part.id}),
        }
        for name, (document, vals) in commands.items():
            for bad in ({"quantity": math.nan}, {"product_id": str(self.part.id)}):
                with self.subTest(field=name, vals=bad):
                    before = document[name]
                    with self.assertRaises(UserError):
                        document.with_user(self.staff).write(
                            {name: [Command.create({**vals, **bad})]}
                        )
                    document.invalidate_recordset()
                    self.assertEqual(document[name], before)
        with self.assertRaises(UserError):
            self.unit.with_user(self.staff).write(
                {"ship_item_ids": [Command.create({"name": "Kit", "quantity": 1e300})]}
            )

    def test_a_service_is_no_part(self):
        """A service product (labour) is no part replaced nor released: the
        parts' own list offers goods only, and the server holds to it."""
        for model in ("forklift.parts.request.line", "forklift.service.order.part"):
            field, document, line = self._lines()[model]
            with self.subTest(model=model):
                self._assert_created_nothing(
                    model,
                    self.staff,
                    [
                        self._line_vals(
                            model, field, document, product_id=self.labour.id
                        )
                    ],
                    "Quality claim: labour",
                )
                with self.assertRaises(UserError):
                    line.with_user(self.staff).write({"product_id": self.labour.id})
                self.assertEqual(line.product_id, self.part)

    def test_sane_values_still_pass(self):
        """Ids, records and empty values, and real quantities, still pass."""
        field, document, _line = self._lines()["forklift.service.order.part"]
        part = (
            self.env["forklift.service.order.part"]
            .with_user(self.staff)
            .create(
                self._line_vals(
                    "forklift.service.order.part", field, document, quantity=2.5
                )
            )
        )
        self.assertEqual(part.quantity, 2.5)
        part.write({"quantity": 999999, "failed_serial": False})
        self.assertEqual(part.quantity, 999999)

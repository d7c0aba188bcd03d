from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestDocumentNumbers(ForkliftCommon):
    """R-001, R-010: a feedback sheet's or a parts application's number is
    drawn from its sequence by the server, never typed: a forged number, or
    the number of another document, would make the registers the service
    center keeps (000 §4.1.6) name two documents at once or none."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._verified_case()
        cls.request = (
            cls.env["forklift.parts.request"]
            .with_user(cls.staff)
            .create(cls._parts_request_vals(cls.case))
        )

    def test_a_number_sent_on_creation_is_refused(self):
        Request = self.env["forklift.parts.request"].with_user(self.staff)
        Case = self.env["forklift.feedback"].with_user(self.staff)
        count = Request.search_count([]), Case.search_count([])
        for model, vals in (
            (
                Request,
                {**self._parts_request_vals(self.case), "name": self.request.name},
            ),
            (
                Case,
                {
                    "unit_id": self.unit.id,
                    "title": "Forged number",
                    "description": "<p>A sheet numbered by hand.</p>",
                    "name": self.case.name,
                },
            ),
        ):
            with self.subTest(model=model._name), self.assertRaises(AccessError):
                model.create(vals)
        self.assertEqual((Request.search_count([]), Case.search_count([])), count)
        # numbered by the server, each document its own number
        other = Request.create(self._parts_request_vals(self.case))
        self.assertNotEqual(other.name, self.request.name)
        self.assertNotEqual(other.name, "/")

    def test_a_number_is_not_changed(self):
        number = self.request.name
        for vals in ({"name": "WP-FORGED-1"}, {"name": self.case.name}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self.request.with_user(self.staff).write(vals)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.name, number)

from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestSupplierSettings(SupplierCommon):
    """Settings > After-Sales > Suppliers: the company's time for the
    supplier's answer (24 h, R-163) and for its signed sheet (5 working days,
    R-164)."""

    def _settings(self, **values):
        admin = self.env.ref("base.user_admin")
        with Form(self.env["res.config.settings"].with_user(admin)) as form:
            for name, value in values.items():
                setattr(form, name, value)
        form.record.execute()

    def test_page_shows_the_procedure_values(self):
        """R-163, R-164: 24 h to answer, 5 working days for the signed sheet."""
        form = Form(
            self.env["res.config.settings"].with_user(self.env.ref("base.user_admin"))
        )
        self.assertEqual(form.forklift_supplier_reply_hours, 24)
        self.assertEqual(form.forklift_supplier_sheet_working_days, 5)

    def test_new_values_change_the_supplier_deadlines(self):
        """R-163, R-164 (000 §4.2.3.2–3): with 4 h to answer and 3 working
        days for the signed sheet, a letter sent Monday 09:00 is due answered
        at 13:00, and work finished Thursday 5 March is due signed on Tuesday
        10 March (not Thursday 12 March)."""
        self._settings(
            forklift_supplier_reply_hours=4,
            forklift_supplier_sheet_working_days=3,
        )
        company = self.env.company
        self.assertEqual(company.forklift_supplier_reply_hours, 4)
        self.assertEqual(company.forklift_supplier_sheet_working_days, 3)
        # coming in time is on site by the reply deadline, answered
        # before that visit
        letter = self._answered_letter(
            answered_at="2026-03-02 11:00:00",
            planned_visit_date=datetime(2026, 3, 2, 13, 0),
        )
        self._report_done(letter)
        self.assertEqual(letter.reply_deadline, datetime(2026, 3, 2, 13, 0))
        self.assertEqual(letter.sheet_deadline.date(), date(2026, 3, 10))

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.models")
    def test_after_sales_users_cannot_change_the_supplier_deadlines(self):
        """R-044: the service center staff, its director and QA cannot change
        the supplier deadlines, through the settings or on the company."""
        for user in (self.staff, self.director, self.qa_manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["res.config.settings"].with_user(user).create(
                        {"forklift_supplier_reply_hours": 72}
                    )
                with self.assertRaises(AccessError):
                    self.env.company.with_user(user).write(
                        {"forklift_supplier_sheet_working_days": 30}
                    )
        self.assertEqual(self.env.company.forklift_supplier_reply_hours, 24)
        self.assertEqual(self.env.company.forklift_supplier_sheet_working_days, 5)

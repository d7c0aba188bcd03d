import base64

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PDF, ForkliftCommon, post_signed_sheet

FORGED = b"%PDF-1.4\n% signed by nobody\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestSignedSheetKept(HttpCase, ForkliftCommon):
    """The service sheet signed by the customer that the dealer returns on the
    portal is the customer's signed proof of the service (R-082, 000
    §4.2.2.2): once returned, the order holds it and it is kept as the
    order's photos are. Nobody at the service center, technician or director,
    replaces its file, renames it, moves it to another record or deletes it;
    the dealer's return still stores it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer_user = cls._portal_user("sheet_dealer_a", cls.dealer_a)
        cls.order = cls._done_order(cls._verified_case(route="dealer"), "dealer")
        cls.other_order = cls._done_order(cls._verified_case(route="dealer"), "dealer")

    def _order_files(self, order):
        return self.env["ir.attachment"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id)]
        )

    def _return_sheet(self, order=None, content=PDF):
        """The order's dealer returns the signed sheet on the portal; the new
        attachment of the order."""
        order = order or self.order
        before = self._order_files(order)
        self.authenticate(self.dealer_user.login, self.dealer_user.login)
        response = post_signed_sheet(self, order, content)
        self.assertEqual(response.status_code, 200)
        self.assertIn("signed sheet is sent", response.text)
        self.env.invalidate_all()
        sheet = self._order_files(order) - before
        self.assertEqual(len(sheet), 1)
        return sheet

    @staticmethod
    def _file_state(sheet):
        sheet.invalidate_recordset()
        return (
            bool(sheet.exists()),
            sheet.checksum,
            sheet.name,
            sheet.res_model,
            sheet.res_id,
            sheet.mimetype,
        )

    @mute_logger("odoo.models.unlink")
    def test_staff_neither_replace_rename_move_nor_delete_the_signed_sheet(self):
        """R-082, 000 §4.2.2.2: the technician and the director, who may
        write the order, are refused each change of the returned sheet's
        attachment; its file (checksum), name and record stay as returned."""
        sheet = self._return_sheet()
        before = self._file_state(sheet)
        forged = base64.b64encode(FORGED).decode()
        attacks = {
            "replace the file": {"datas": forged},
            "replace the raw file": {"raw": FORGED},
            "rename it": {"name": "signed-by-someone-else.pdf"},
            "move it to another order": {"res_id": self.other_order.id},
            "move it to another model": {"res_model": "res.partner"},
        }
        for user in (self.technician, self.director):
            attachment = sheet.with_user(user)
            self.assertTrue(self.order.with_user(user).has_access("write"))
            for attack, vals in attacks.items():
                with self.subTest(user=user.login, attack=attack):
                    with self.assertRaises(UserError):
                        attachment.write(vals)
                    self.assertEqual(self._file_state(sheet), before)
            with self.subTest(user=user.login, attack="delete it"):
                with self.assertRaises(UserError):
                    attachment.unlink()
                self.assertEqual(self._file_state(sheet), before)

    def test_the_order_holds_the_returned_sheet(self):
        """R-082, 000 §4.2.2.2: the dealer's return still stores the sheet,
        as a file the order holds, dated at the first return; staff neither
        take it out of the order nor put another file in its place."""
        sheet = self._return_sheet()
        self.assertEqual(self.order.signed_sheet_ids, sheet)
        self.assertTrue(self.order.signed_sheet_date)
        self.assertEqual(sheet.mimetype, "application/pdf")
        self.assertEqual(base64.b64decode(sheet.datas), PDF)
        other = self.env["ir.attachment"].create(
            {
                "name": "other.pdf",
                "raw": FORGED,
                "res_model": self.order._name,
                "res_id": self.order.id,
            }
        )
        for user in (self.technician, self.director):
            order = self.order.with_user(user)
            for command in (
                [Command.unlink(sheet.id)],
                [Command.set(other.ids)],
                [Command.link(other.id)],
            ):
                with self.subTest(user=user.login, command=command):
                    with self.assertRaises(UserError):
                        order.write({"signed_sheet_ids": command})
                    self.order.invalidate_recordset()
                    self.assertEqual(self.order.signed_sheet_ids, sheet)
        # a second return adds its file; the first stays as it was
        first = self._file_state(sheet)
        second = self._return_sheet()
        self.assertEqual(self.order.signed_sheet_ids, sheet | second)
        self.assertEqual(self._file_state(sheet), first)

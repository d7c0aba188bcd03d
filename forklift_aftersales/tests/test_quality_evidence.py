import base64
from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SIGNATURE, ForkliftCommon


@tagged("post_install", "-at_install")
class TestQualityEvidence(ForkliftCommon):
    """R-068 (000 §4.1.2; 000 第一篇 L35): on site, the technician or the
    dealer submits photos of the quality problem and the details of each
    damaged part replaced: the work is not reported done without them."""

    def _on_site(self, performer="technician", **vals):
        case = self._verified_case(
            route="dealer" if performer == "dealer" else performer
        )
        order = self._service_order(case, performer=performer)
        order.action_dispatch()
        order.write(
            {
                "arrival_date": order.dispatched_date + timedelta(hours=1),
                "finished_date": order.dispatched_date + timedelta(hours=3),
                "work_done": "<p>Replaced the lift cylinder seal kit.</p>",
                **vals,
            }
        )
        return order

    def _attachment(self, order, name, raw, mimetype):
        return Command.create(
            {
                "name": name,
                "raw": raw,
                "mimetype": mimetype,
                "res_model": order._name,
                "res_id": order.id,
            }
        )

    def test_no_photo_no_work_done(self):
        """The technician reports the work done, as the button or RPC would,
        without a photo: refused with the reason, the order stays
        dispatched; a PDF is not a photo; with a photo it is done."""
        order = self._on_site()
        with self.assertRaisesRegex(UserError, "at least one photo of the quality"):
            order.with_user(self.technician).action_done()
        self.assertEqual(order.state, "dispatched")
        order.with_user(self.technician).write(
            {
                "photo_ids": [
                    self._attachment(
                        order, "report.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"
                    )
                ]
            }
        )
        with self.assertRaisesRegex(UserError, "at least one photo"):
            order.with_user(self.technician).action_done()
        self.assertEqual(order.state, "dispatched")
        order.with_user(self.technician).write({"photo_ids": [self._photo(order)]})
        order.with_user(self.technician).action_done()
        self.assertEqual(order.state, "done")

    def test_each_part_replaced_needs_its_damage(self):
        """A part replaced without the damage found on it keeps the work
        open; the message names the part."""
        order = self._on_site(
            photo_ids=[],
            part_ids=[
                Command.create(
                    {"product_id": self.part.id, "quantity": 1, "failed_serial": "S1"}
                )
            ],
        )
        order.write({"photo_ids": [self._photo(order)]})
        with self.assertRaisesRegex(UserError, "Describe the damage found") as refusal:
            order.with_user(self.technician).action_done()
        self.assertIn(self.part.display_name, str(refusal.exception))
        order.part_ids.with_user(self.technician).write({"damage_description": "   "})
        with self.assertRaisesRegex(UserError, "Describe the damage found"):
            order.with_user(self.technician).action_done()
        self.assertEqual(order.state, "dispatched")
        order.part_ids.with_user(self.technician).write(
            {"damage_description": "Seal lip torn, oil on the cylinder"}
        )
        order.with_user(self.technician).action_done()
        self.assertEqual(order.state, "done")

    def test_dealer_order_from_the_back_end_too(self):
        """A dealer's order finished by the service center in the back end
        follows the same rule as the dealer's portal report."""
        order = self._on_site(performer="dealer")
        with self.assertRaisesRegex(UserError, "at least one photo"):
            order.with_user(self.staff).action_done()
        png = base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB"
            "0C8AAAAASUVORK5CYII="
        )
        order.write({"photo_ids": [self._attachment(order, "p.png", png, "image/png")]})
        order.with_user(self.staff).action_done()
        self.assertEqual(order.state, "done")

    def test_remote_support_has_no_site_to_photograph(self):
        """Remote technical support is not on site: no photo is asked for."""
        case = self._verified_case(route="remote")
        order = self._service_order(case, performer="remote")
        order.action_dispatch()
        order.write({"work_done": "<p>Walked the operator through a reset.</p>"})
        order.with_user(self.technician).action_done()
        self.assertEqual(order.state, "done")

    def test_another_orders_photo_is_no_evidence(self):
        """R-068 (000 §4.1.2), R-005: the photos of the work are those taken
        for it. The technician links to his order, over RPC (command 4 or
        6), the photo of another order, or one of the sheet: refused, the
        order lists no photo and his work is still not reported done; his
        own photo, uploaded to the order, is."""
        order = self._on_site()
        other = self._on_site()
        other.write({"photo_ids": [self._photo(other)]})
        sheet_photo = self.env["ir.attachment"].create(
            {
                "name": "sheet.png",
                "datas": SIGNATURE,
                "res_model": order.feedback_id._name,
                "res_id": order.feedback_id.id,
            }
        )
        by_technician = order.with_user(self.technician)
        for photo in (other.photo_ids, sheet_photo):
            for command in (Command.link(photo.id), Command.set(photo.ids)):
                with (
                    self.subTest(photo=photo.name, command=command[0]),
                    self.assertRaisesRegex(UserError, "is a file of another record"),
                ):
                    by_technician.write({"photo_ids": [command]})
        self.assertFalse(order.photo_ids)
        self.assertEqual(other.photo_ids.res_id, other.id)
        with self.assertRaisesRegex(UserError, "at least one photo"):
            by_technician.action_done()
        by_technician.write({"photo_ids": [self._photo(order)]})
        by_technician.action_done()
        self.assertEqual(order.state, "done")

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_export_flow import ExportCommon


@tagged("post_install", "-at_install")
class TestExportLotsFollowers(ExportCommon):
    """R-047 (000-I L25): the export division reads the export market's
    records only; neither the serial records of domestic forklifts nor the
    follower rows of domestic after-sales documents tell it about them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._create_case(hour_meter=200)
        cls.export_case = cls._create_case(unit=cls.export_unit)
        # a serial number that is no forklift (a charger sold with one)
        charger = cls.env["product.product"].create(
            {"name": "Battery charger", "is_storable": True, "tracking": "serial"}
        )
        cls.free_lot = cls.env["stock.lot"].create(
            {"name": "CHG-0001", "product_id": charger.id}
        )
        cls.stock_user = cls._group_user("fx_stock", "stock.group_stock_user")
        cls.warehouse_user = cls._group_user("fx_wh", "group_forklift_warehouse")
        # a warehouse keeper who also works for the export division
        cls.export_keeper = cls._group_user(
            "fx_export_wh",
            "group_forklift_warehouse,"
            "forklift_aftersales_export.group_forklift_export_division",
        )

    def _domestic_lots(self):
        return self.unit.lot_id | self.unit_b.lot_id

    def test_export_division_reads_no_serial_of_a_domestic_forklift(self):
        """A domestic forklift's serial record names it and its model, and
        leads to its moves and customer: the export division reads the serial
        records of export forklifts and of what is no forklift, not those of
        domestic forklifts, by search, by id or grouped."""
        lots = self.env["stock.lot"].with_user(self.export_user)
        found = lots.search([])
        self.assertIn(self.export_unit.lot_id, found)
        self.assertIn(self.free_lot, found)
        self.assertFalse(found & self._domestic_lots())
        self.assertFalse(lots.search_count([("name", "=", self.unit.name)]))
        rows = lots.search_read([], ["name"])
        self.assertNotIn(self.unit.name, str(rows))
        every = self._domestic_lots() | self.export_unit.lot_id | self.free_lot
        groups = lots.formatted_read_group(
            [("id", "in", every.ids)], ["name"], ["__count"]
        )
        self.assertEqual(
            sorted(group["name"] for group in groups),
            sorted([self.export_unit.name, self.free_lot.name]),
        )
        for lot in self._domestic_lots():
            with self.subTest(lot=lot.name), self.assertRaises(AccessError):
                lot.with_user(self.export_user).read(["name", "product_id"])
        # the way back to a forklift is the rules', not a user's to write
        guarded = self.env["forklift.unit"]._get_guarded_fields()
        self.assertIn("forklift_unit_ids", guarded)
        with self.assertRaises(AccessError):
            self.free_lot.with_user(self.stock_user).write(
                {"forklift_unit_ids": [Command.link(self.unit.id)]}
            )
        self.assertFalse(self.free_lot.sudo().forklift_unit_ids)
        # its own forklift still reads whole, serial number included
        self.assertEqual(
            self.export_unit.with_user(self.export_user).name, "SN-EXP-0001"
        )

    def test_stock_users_still_read_every_serial(self):
        """The stock users and the warehouse keepers, one of the export
        division too, move every forklift: they read every serial record."""
        every = self._domestic_lots() | self.export_unit.lot_id | self.free_lot
        for user in (self.stock_user, self.warehouse_user, self.export_keeper):
            with self.subTest(user=user.login):
                lots = self.env["stock.lot"].with_user(user)
                self.assertEqual(lots.search([("id", "in", every.ids)]), every)
                # every field they may read, the way back to a forklift they
                # may not read left out
                self.assertEqual(len(every.with_user(user).read()), len(every))

    def test_export_division_reads_no_follower_row_of_a_domestic_record(self):
        """Odoo lets every internal user read every follower row: the export
        division would learn which customer follows which domestic sheet or
        forklift. It reads the rows of the after-sales documents it may read,
        by search, by id or grouped, and every row of the others (Odoo's
        own); the after-sales staff still read them all."""
        partner = self.unit.partner_id
        domestic = (self.case, self.unit)
        for record in domestic:
            record.message_subscribe(partner_ids=partner.ids)
        export_partner = self.export_unit.partner_id
        self.export_case.message_subscribe(partner_ids=export_partner.ids)
        self.overseas_customer.message_subscribe(partner_ids=partner.ids)
        followers = self.env["mail.followers"]
        rows = {
            record: followers.search(
                [("res_model", "=", record._name), ("res_id", "=", record.id)]
            )
            for record in (*domestic, self.export_case, self.overseas_customer)
        }
        for record, record_rows in rows.items():
            self.assertTrue(record_rows, record._name)
        hidden = rows[self.case] | rows[self.unit]
        shown = rows[self.export_case] | rows[self.overseas_customer]

        followers = followers.with_user(self.export_user)
        found = followers.search([])
        self.assertFalse(found & hidden)
        self.assertEqual(found & shown, shown)
        self.assertFalse(followers.search([("partner_id", "=", partner.id)]) & hidden)
        self.assertFalse(
            followers.search_count(
                [("res_model", "=", self.case._name), ("res_id", "=", self.case.id)]
            )
        )
        self.assertNotIn(
            str(partner.id), str(followers.search_read([("id", "in", hidden.ids)]))
        )
        groups = followers.formatted_read_group(
            [("id", "in", (hidden | shown).ids)], ["res_model"], ["__count"]
        )
        self.assertEqual(
            {group["res_model"]: group["__count"] for group in groups},
            {
                "forklift.feedback": len(rows[self.export_case]),
                "res.partner": len(rows[self.overseas_customer]),
            },
        )
        for row in hidden:
            with self.subTest(model=row.sudo().res_model):
                row = row.with_user(self.export_user)
                self.assertFalse(row.has_access("read"))
                with self.assertRaises(AccessError):
                    row.read(["res_model", "res_id", "partner_id"])
        # its export sheet's followers still show on the sheet
        export_case = self.export_case.with_user(self.export_user)
        self.assertIn(export_partner, export_case.message_follower_ids.partner_id)
        # the after-sales staff read every row
        staff_rows = self.env["mail.followers"].with_user(self.staff)
        self.assertEqual(staff_rows.search([("id", "in", hidden.ids)]), hidden)

    def test_export_division_still_follows_and_notifies_its_sheets(self):
        """Odoo's own following is unchanged: the export division follows an
        export sheet and its post reaches the sheet's followers."""
        export_case = self.export_case.with_user(self.export_user)
        export_case.message_subscribe(partner_ids=self.export_user.partner_id.ids)
        self.assertIn(
            self.export_user.partner_id, export_case.message_follower_ids.partner_id
        )
        self.export_case.message_subscribe(partner_ids=self.overseas_customer.ids)
        message = export_case.message_post(
            body="Spare parts left Shanghai.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertIn(self.overseas_customer, message.sudo().notified_partner_ids)

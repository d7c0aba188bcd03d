from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.forklift_aftersales.tests.common import ShippedPartsCommon

from .test_export_flow import ExportCommon

LINE_FIELDS = ["lot_id", "picking_partner_id", "location_dest_id", "reference"]


class ExportStockCommon(ExportCommon, ShippedPartsCommon):
    """Domestic and export after-sales stock, and stock of no after-sales
    document: a returned forklift of each market received into the
    quarantine, old parts a domestic dealer sent back, the warranty parts
    shipped for a domestic and an export request, a charger counted into
    WH/Stock; the export division, alone, as a salesman, as a keeper."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quarantine = cls.env.ref("forklift_aftersales.stock_location_quarantine")
        cls.domestic_vp = cls._group_user(
            "fx_sm_vp", "group_forklift_sales_vp_domestic"
        )
        export_vp = cls._group_user(
            "fx_sm_vp_exp", "forklift_aftersales_export.group_forklift_sales_vp_export"
        )
        cls.export_keeper = cls._group_user(
            "fx_sm_keeper",
            "group_forklift_warehouse,"
            "forklift_aftersales_export.group_forklift_export_division",
        )
        # Odoo's salesmen read the stock moves (sale_stock)
        cls.export_salesman = new_test_user(
            cls.env,
            login="fx_sm_salesman",
            groups="forklift_aftersales_export.group_forklift_export_division,"
            "sales_team.group_sale_salesman",
        )
        cls._govern_dealers(cls.office_director, cls.overseas_dealer)
        # domestic: a returned forklift in quarantine, old parts a dealer sent
        # back (accepted into quarantine), the parts shipped for the request
        cls.domestic_return = cls._received_return(cls.unit, cls.domestic_vp)
        cls.note = cls._replaced_note()
        cls.note.verdict = "accepted"
        cls.note.with_user(cls.staff).action_sign_service_center()
        cls.note.with_user(cls.qa).action_sign_qa()
        cls.domestic_request = cls.note.request_id
        # export: a returned export forklift, the parts shipped abroad
        cls.export_return = cls._received_return(cls.export_unit, export_vp)
        cls.export_request = cls._approved_request(cls._export_case())
        picking = cls.export_request.picking_id.with_user(cls.warehouse_user)
        picking.action_assign()
        picking.forklift_carrier = "DHL Express"
        picking.move_ids.quantity = 2
        picking.button_validate()
        # no after-sales document: a charger counted into WH/Stock
        charger = cls.env["product.product"].create(
            {"name": "Battery charger", "is_storable": True, "tracking": "serial"}
        )
        cls.free_lot = cls.env["stock.lot"].create(
            {"name": "CHG-0001", "product_id": charger.id}
        )
        cls.env["stock.quant"].create(
            {
                "product_id": charger.id,
                "location_id": cls.stock.id,
                "lot_id": cls.free_lot.id,
                "inventory_quantity": 1,
            }
        ).action_apply_inventory()

    @classmethod
    def _received_return(cls, unit, sales_vp, receiver=None):
        """The service center's return of ``unit``, signed and received into
        Quarantine/Returned Vehicles by its own receipt (by ``receiver``, the
        service center's staff by default)."""
        vehicle_return = (
            cls.env["forklift.vehicle.return"]
            .with_user(cls.staff)
            .create(
                {
                    "unit_id": unit.id,
                    "returned_by": "The customer's driver",
                    "reason_type": "product",
                    "description": "<p>Mast frame cracked at the weld.</p>",
                }
            )
            .with_user(cls.env.user)
        )
        vehicle_return.action_submit()
        vehicle_return.with_user(cls.office_director).action_sign_office()
        vehicle_return.with_user(cls.director).action_sign_director()
        vehicle_return.with_user(sales_vp).action_sign_sales_vp()
        vehicle_return.with_user(receiver or cls.staff).action_receive()
        return vehicle_return

    @classmethod
    def _approved_request(cls, case):
        """The technician's request for two seal kits for ``case``, approved."""
        request = cls.env["forklift.parts.request"].create(
            cls._parts_request_vals(case, 2, "wear")
        )
        request.request_validation()
        request.with_user(cls.director).validate_tier()
        return request

    def _lines(self, *records):
        """Every stock move line of the pickings of ``records``."""
        return self.env["stock.move.line"].search(
            [("picking_id", "in", [r.picking_id.id for r in records])]
        )

    def _assert_reads_only(self, user, hidden, shown, fields):
        """``user`` finds every record of ``shown`` and none of ``hidden``
        when searching them all, and reads none of ``hidden`` by id."""
        found = hidden.with_user(user).search([])
        self.assertFalse(found & hidden)
        self.assertEqual(found & shown, shown)
        for record in hidden:
            with (
                self.subTest(record=record.display_name),
                self.assertRaises(AccessError),
            ):
                record.with_user(user).read(fields)

    def _domestic_lines(self):
        return self._lines(self.domestic_return, self.domestic_request, self.note)

    def _export_lines(self):
        return self._lines(self.export_return, self.export_request)

    def _free_lines(self):
        return self.env["stock.move.line"].search([("lot_id", "=", self.free_lot.id)])

    def _domestic_quants(self):
        """The quants of the domestic forklift's serial and of the warranty
        parts in the after-sales stock (spare parts, quarantine)."""
        held = self.env["stock.location"]._forklift_get_held_locations()
        return self.env["stock.quant"].search(
            [
                "|",
                ("lot_id", "=", self.unit.lot_id.id),
                "&",
                ("product_id", "=", self.part.id),
                ("location_id", "child_of", held.ids),
            ]
        )


@tagged("post_install", "-at_install")
class TestExportStockMoves(ExportStockCommon):
    """R-047 (000-I L25): the export division reads the export market's
    records only. Odoo lets every internal user read the stock move lines and
    quants (and a salesman the stock moves): the division read there a
    returned domestic forklift (its serial number, its customer, the
    quarantine), the old parts a domestic dealer sent back and the parts
    released for domestic warranty requests. It reads the stock of its export
    forklifts and export deliveries, and the stock that is no after-sales
    document's; the after-sales stock (the spare parts for warranty, the
    quarantine) is otherwise the warehouse's."""

    def test_export_division_reads_no_domestic_stock_move_line(self):
        """The attack: the export division searched the move lines with a
        serial number, or of the warranty parts requests (WP-), and read a
        returned domestic forklift, its customer and the quarantine, the old
        parts a domestic dealer sent back and the parts released for domestic
        requests. It reads none of them, by search, by id or grouped; it still
        reads its export forklift's and export delivery's lines, and those of
        no after-sales document."""
        hidden = self._domestic_lines()
        self.assertEqual(len(hidden), 3)
        self.assertIn(self.unit.lot_id, hidden.lot_id)
        shown = self._export_lines() | self._free_lines()
        self.assertEqual(len(shown), 3)
        lines = self.env["stock.move.line"].with_user(self.export_user)
        rows = lines.search_read([("lot_id", "!=", False)], LINE_FIELDS)
        self.assertNotIn(self.unit.name, str(rows))
        self.assertNotIn(self.customer.name, str(rows))
        self.assertIn(self.export_unit.name, str(rows))
        self.assertIn(self.free_lot.name, str(rows))
        requests = lines.search([("origin", "like", "WP-")])
        self.assertEqual(requests, self._lines(self.export_request))
        groups = lines.formatted_read_group(
            [("id", "in", (hidden | shown).ids)], ["picking_id"], ["__count"]
        )
        self.assertEqual(sum(group["__count"] for group in groups), len(shown))
        self._assert_reads_only(self.export_user, hidden, shown, LINE_FIELDS)

    def test_export_division_reads_no_domestic_quant(self):
        """A quant of the quarantine showed the returned domestic forklift
        and the domestic old parts; the spare parts for warranty are the
        warehouse's. The division reads its export forklift's quant and the
        stock that is no after-sales document's."""
        quants = self.env["stock.quant"]
        hidden = self._domestic_quants()
        self.assertEqual(
            {q.location_id.name for q in hidden},
            {"Customers", "Returned Vehicles", "Old Parts", "Spare Parts"},
        )
        shown = quants.search(
            [("lot_id", "in", (self.export_unit.lot_id | self.free_lot).ids)]
        )
        self.assertEqual(shown.lot_id, self.export_unit.lot_id | self.free_lot)
        quants = quants.with_user(self.export_user)
        rows = quants.search_read([("lot_id", "!=", False)], ["lot_id", "location_id"])
        self.assertNotIn(self.unit.name, str(rows))
        self.assertIn(self.export_unit.name, str(rows))
        self._assert_reads_only(self.export_user, hidden, shown, ["lot_id", "quantity"])

    def test_export_division_reads_no_domestic_stock_move(self):
        """An export division member who is also a salesman reads the stock
        moves of its export documents and of no after-sales document, not
        the domestic ones."""
        hidden = self._domestic_lines().move_id
        shown = (self._export_lines() | self._free_lines()).move_id
        self.assertEqual(len(hidden), 3)
        self.assertEqual(len(shown), 3)
        self._assert_reads_only(
            self.export_salesman, hidden, shown, ["origin", "partner_id"]
        )

    def test_stock_users_and_staff_still_read_and_ship_every_move(self):
        """The warehouse keepers and the after-sales staff, of the export
        division too, read every move line, quant and move, and a keeper
        still validates a domestic delivery and receipt."""
        staff = self._group_user(
            "fx_sm_staff",
            "group_forklift_user,"
            "forklift_aftersales_export.group_forklift_export_division",
        )
        every = self._domestic_lines() | self._export_lines() | self._free_lines()
        quants = self.env["stock.quant"].search(
            [("location_id", "child_of", (self.quarantine | self.stock).ids)]
        )
        for user in (self.export_keeper, staff, self.warehouse_user):
            with self.subTest(user=user.login):
                lines = self.env["stock.move.line"].with_user(user)
                self.assertEqual(lines.search([("id", "in", every.ids)]), every)
                found = self.env["stock.quant"].with_user(user).search([])
                self.assertEqual(found & quants, quants)
        moves = self.env["stock.move"].with_user(self.export_keeper)
        self.assertEqual(moves.search([("id", "in", every.move_id.ids)]), every.move_id)
        # the keeper of the export division ships a domestic request
        request = self._approved_request(self._verified_case())
        picking = request.picking_id.with_user(self.export_keeper)
        picking.action_assign()
        picking.move_ids.quantity = 2
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        # ... and the after-sales staff of the export division receive a
        # returned domestic forklift into the quarantine
        vehicle_return = self._received_return(self.unit_b, self.domestic_vp, staff)
        self.assertEqual(vehicle_return.picking_id.state, "done")
        self.assertEqual(
            vehicle_return.picking_id.move_line_ids.with_user(staff).lot_id,
            self.unit_b.lot_id,
        )


@tagged("post_install", "-at_install")
class TestSalesCompanyReadsNoExportStock(ExportStockCommon):
    """R-066, R-268 (000 §3.2), the mirror of ``TestExportStockMoves``: the
    domestic sales company reads the domestic market's records only. Odoo
    lets every internal user read the stock move lines and quants (and a
    salesman the moves and transfers): the sales company read there a
    returned export forklift (its serial number, its overseas customer) and
    the parts shipped abroad for an export request, with its dealer. It reads
    the stock of its domestic forklifts and domestic deliveries, and the
    stock that is no after-sales document's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.domestic_sales = cls._group_user(
            "fx_sm_dsales", "group_forklift_domestic_sales"
        )
        cls.domestic_salesman = cls._group_user(
            "fx_sm_dsalesman",
            "group_forklift_domestic_sales,sales_team.group_sale_salesman",
        )

    def test_sales_company_reads_no_export_stock_move_line(self):
        """The attack: the sales company searched the move lines with a
        serial number or of the warranty parts requests (WP-) and read the
        returned export forklift, its overseas customer and the parts
        released abroad."""
        hidden = self._export_lines()
        self.assertEqual(len(hidden), 2)
        shown = self._free_lines() | self._lines(self.domestic_request).filtered(
            "lot_id"
        )
        lines = self.env["stock.move.line"].with_user(self.domestic_sales)
        rows = lines.search_read([], LINE_FIELDS)
        self.assertNotIn(self.export_unit.name, str(rows))
        self.assertFalse(lines.search([("origin", "=", self.export_request.name)]))
        self.assertTrue(shown)
        self._assert_reads_only(
            self.domestic_sales, hidden, self._free_lines(), LINE_FIELDS
        )

    def test_sales_company_reads_no_export_quant(self):
        """The quant of the returned export forklift is not read; the
        domestic forklift's and the stock of no after-sales document are."""
        quants = self.env["stock.quant"]
        hidden = quants.search([("lot_id", "=", self.export_unit.lot_id.id)])
        self.assertTrue(hidden)
        shown = quants.search(
            [("lot_id", "in", (self.unit.lot_id | self.free_lot).ids)]
        )
        self._assert_reads_only(
            self.domestic_sales, hidden, shown, ["lot_id", "quantity"]
        )

    def test_sales_company_salesman_reads_no_export_move_nor_transfer(self):
        """A member of the sales company who is also a salesman reads the
        moves and transfers of domestic documents and of no after-sales
        document, not the export delivery nor the export forklift's
        receipt."""
        hidden = self._export_lines()
        shown = self._free_lines()
        self._assert_reads_only(
            self.domestic_salesman, hidden.move_id, shown.move_id, ["origin"]
        )
        self._assert_reads_only(
            self.domestic_salesman,
            hidden.picking_id,
            self.domestic_request.picking_id,
            ["partner_id"],
        )

    def test_no_one_gets_the_xlsx_of_a_report_he_may_not_read(self):
        """The XLSX report of OCA report_xlsx browses the ids it is given (or
        the context's active_ids): the export division gets no workbook of a
        domestic report, by ids or by the context."""
        reports = self.env["forklift.aftersales.report"]
        domestic, export = (
            reports.create(
                {
                    "report_type": "monthly",
                    "market": market,
                    "date_from": fields.Date.to_date("2026-03-01"),
                }
            )
            for market in ("domestic", "export")
        )
        xlsx = self.env["ir.actions.report"].with_user(self.export_user)
        name = "forklift_aftersales.report_aftersales_xlsx"
        content, kind = xlsx._render_xlsx(name, export.ids, {})
        self.assertEqual(kind, "xlsx")
        for docids, data in (
            (domestic.ids, {}),
            ([], {"context": {"active_ids": domestic.ids}}),
            (
                [],
                {
                    "context": {
                        "active_model": "forklift.feedback",
                        "active_ids": domestic.ids,
                    }
                },
            ),
        ):
            with self.subTest(docids=docids, data=data), self.assertRaises(AccessError):
                xlsx.with_context(active_model="forklift.feedback")._render_xlsx(
                    name, docids, data
                )

    def test_sales_company_reads_no_message_nor_file_of_an_export_sheet(self):
        """Odoo checks a message's and a file's reading against their
        document's: the sales company finds neither the messages nor the
        files of an export sheet, by search or by id."""
        case = self._export_case()
        file = self.env["ir.attachment"].create(
            {
                "name": "export-photo.png",
                "raw": b"\x89PNG\r\n\x1a\n",
                "res_model": case._name,
                "res_id": case.id,
            }
        )
        message = case.message_post(
            body="Overseas customer reports a cracked mast",
            attachment_ids=file.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        messages = self.env["mail.message"].with_user(self.domestic_sales)
        rows = messages.search_read([("model", "=", case._name)], ["body"])
        self.assertNotIn("cracked mast", str(rows))
        self.assertFalse(messages.search([("id", "=", message.id)]))
        with self.assertRaises(AccessError):
            message.with_user(self.domestic_sales).read(["body"])
        files = self.env["ir.attachment"].with_user(self.domestic_sales)
        self.assertFalse(files.search([("id", "=", file.id)]))
        with self.assertRaises(AccessError):
            file.with_user(self.domestic_sales).read(["name", "datas"])

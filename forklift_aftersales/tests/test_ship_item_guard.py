import base64
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.forklift_aftersales.models.forklift_flow_mixin import (
    FLOW_CONTEXT_KEY,
    FLOW_MARK,
)

from .common import ForkliftCommon

ITEM_FIELDS = ["unit_id", "item_type", "product_id", "name", "quantity", "shipped"]
CARD = base64.b64encode(b"%PDF-1.4 warranty card").decode()
OTHER = base64.b64encode(b"%PDF-1.4 another file").decode()


@tagged("post_install", "-at_install")
class TestShipItemGuard(ForkliftCommon):
    """R-023, R-041, R-211 (000 第一篇 L85, 第四篇 §1, §4): what ships with a
    forklift is checked with the customer at its acceptance. Once he has
    signed the acceptance on the commissioning, the list is what he signed:
    nobody adds, changes or removes an item, by RPC or an import, but the
    service-center director (who corrects the warranty terms as well) and the
    flow; the refusal changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # delivered, its commissioning planned at once
        cls.signed_unit = cls._create_unit("SN-SHIP-0001", delivery=date(2026, 3, 2))
        cls.open_unit = cls._create_unit("SN-SHIP-0002", delivery=date(2026, 3, 2))
        for unit in cls.signed_unit | cls.open_unit:
            # the service center records the checklist before the acceptance
            unit.with_user(cls.staff).write(
                {
                    "ship_item_ids": [
                        Command.create(
                            {
                                "item_type": "spare",
                                "product_id": cls.part.id,
                                "quantity": 2,
                                "shipped": True,
                            }
                        ),
                        Command.create(
                            {"item_type": "manual", "name": "Operation manual"}
                        ),
                    ],
                    # the file of the warranty card, uploaded on the form
                    "ship_document_ids": [
                        Command.create(
                            {
                                "name": "warranty_card.pdf",
                                "datas": CARD,
                                "res_model": "forklift.unit",
                                "res_id": unit.id,
                            }
                        )
                    ],
                }
            )
        commissioning = cls.signed_unit.commissioning_ids
        cls._check_and_sign(commissioning)
        commissioning.action_accept()
        cls.items = cls.signed_unit.ship_item_ids
        cls.card = cls.signed_unit.ship_document_ids

    def _state(self):
        """What ships with both forklifts, as stored."""
        items = self.env["forklift.unit.ship.item"].search(
            [("unit_id", "in", (self.signed_unit | self.open_unit).ids)]
        )
        items.invalidate_recordset()
        return items.read(ITEM_FIELDS)

    def _assert_refused(self, change, exception=UserError):
        """``change()`` is refused with ``exception`` and changes nothing."""
        before = self._state()
        with self.assertRaises(exception) as refused:
            change()
        if exception is UserError:
            self.assertIn("SN-SHIP-0001 was accepted on", str(refused.exception))
            self.assertIn("service-center director", str(refused.exception))
        self.assertEqual(self._state(), before)

    def _documents(self):
        """The manuals and documents of both forklifts, and their files, as
        stored."""
        units = self.signed_unit | self.open_unit
        units.invalidate_recordset()
        # sudo: the files as stored, whatever the user may read
        files = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "forklift.unit"), ("res_id", "in", units.ids)])
        )
        files.invalidate_recordset()
        return (
            [unit.ship_document_ids.ids for unit in units],
            files.read(["name", "datas"]),
        )

    def _assert_document_refused(self, change, message="SN-SHIP-0001 was accepted"):
        """``change()`` is refused with ``message`` and changes no document."""
        before = self._documents()
        with self.assertRaises(UserError) as refused:
            change()
        self.assertIn(message, str(refused.exception))
        self.assertEqual(self._documents(), before)

    def _assert_import_refused(self, result):
        self.assertFalse(result["ids"])
        self.assertEqual(len(result["messages"]), 1, result["messages"])
        self.assertIn("SN-SHIP-0001 was accepted on", result["messages"][0]["message"])

    def test_staff_change_no_item_once_the_acceptance_is_signed(self):
        """After-sales staff, over RPC, neither tick, rename, re-count nor
        remove an item of a forklift accepted, add one to it, directly or
        through the forklift, nor move one onto or off its list."""
        self.assertEqual(self.signed_unit.commissioning_ids.state, "done")
        spare, manual = self.items.with_user(self.staff)
        Items = self.env["forklift.unit.ship.item"].with_user(self.staff)
        unit = self.signed_unit.with_user(self.staff)
        other = self.open_unit.ship_item_ids[:1].with_user(self.staff)
        for change in (
            lambda: manual.write({"shipped": True}),
            lambda: spare.write({"quantity": 1}),
            lambda: manual.write({"name": "Another manual"}),
            lambda: spare.unlink(),
            lambda: Items.create({"unit_id": unit.id, "name": "Spare wheel"}),
            lambda: Items.with_context(default_unit_id=unit.id).create(
                {"name": "Spare wheel"}
            ),
            lambda: manual.copy(),
            lambda: unit.write(
                {"ship_item_ids": [Command.create({"name": "Spare wheel"})]}
            ),
            lambda: unit.write(
                {"ship_item_ids": [Command.update(manual.id, {"shipped": True})]}
            ),
            lambda: unit.write({"ship_item_ids": [Command.delete(spare.id)]}),
            lambda: unit.write({"ship_item_ids": [Command.unlink(spare.id)]}),
            lambda: unit.write({"ship_item_ids": [Command.clear()]}),
            lambda: other.write({"unit_id": unit.id}),
            lambda: spare.write({"unit_id": self.open_unit.id}),
        ):
            self._assert_refused(change)

    def test_staff_change_no_shipped_document_once_the_acceptance_is_signed(self):
        """R-023, R-041: the manuals and documents shipped with a forklift
        (its "Manuals and Documents", printed on its delivery sheet with the
        items, above the customer's signature) are part of the acceptance he
        signed. After-sales staff neither clear, add, link, remove nor delete
        them through the forklift, over RPC or by an import, nor rewrite,
        rename or delete their files; the director still corrects them, and
        staff keep them until the acceptance is signed."""
        self.assertEqual(self.signed_unit.commissioning_ids.state, "done")
        self.assertEqual(self.card.name, "warranty_card.pdf")
        Files = self.env["ir.attachment"].with_user(self.staff)
        other = Files.create(
            {
                "name": "other.pdf",
                "datas": OTHER,
                "res_model": "forklift.unit",
                "res_id": self.signed_unit.id,
            }
        )
        unit = self.signed_unit.with_user(self.staff)
        card = self.card.with_user(self.staff)
        for command in (
            Command.clear(),
            Command.create({"name": "other.pdf", "datas": OTHER}),
            Command.link(other.id),
            Command.unlink(card.id),
            Command.delete(card.id),
            Command.set([]),
            Command.set([card.id, other.id]),
        ):
            with self.subTest(command=command):
                self._assert_document_refused(
                    lambda c=command: unit.write({"ship_document_ids": [c]})
                )
        kept = "holds this file as Manuals and Documents"
        for change in (
            lambda: card.write({"datas": OTHER}),
            lambda: card.write({"name": "other.pdf"}),
            lambda: card.unlink(),
        ):
            self._assert_document_refused(change, kept)
        # an import, emptying the list or setting another file
        before = self._documents()
        for value in ("", str(other.id)):
            self._assert_import_refused(
                unit.load([".id", "ship_document_ids/.id"], [[str(unit.id), value]])
            )
        self.assertEqual(self._documents(), before)
        # the director corrects them
        by_director = self.signed_unit.with_user(self.director)
        by_director.write({"ship_document_ids": [Command.link(other.id)]})
        self.card.with_user(self.director).write({"name": "warranty_card_v2.pdf"})
        self.assertEqual(
            sorted(self.signed_unit.ship_document_ids.mapped("name")),
            ["other.pdf", "warranty_card_v2.pdf"],
        )
        # staff keep the documents of a forklift not yet accepted
        self.assertEqual(self.open_unit.commissioning_ids.state, "planned")
        open_unit = self.open_unit.with_user(self.staff)
        open_card = open_unit.ship_document_ids
        open_card.write({"name": "warranty_card_v2.pdf", "datas": OTHER})
        open_unit.write({"ship_document_ids": [Command.create({"name": "manual.pdf"})]})
        open_unit.write({"ship_document_ids": [Command.unlink(open_card.id)]})
        self.assertEqual(open_unit.ship_document_ids.mapped("name"), ["manual.pdf"])

    def test_import_changes_no_item_once_the_acceptance_is_signed(self):
        """An import (``load``) of items, or of the forklift with its items,
        goes through the same guard: it reports the refusal and stores
        nothing."""
        before = self._state()
        Items = self.env["forklift.unit.ship.item"].with_user(self.staff)
        for fields, rows in (
            (["unit_id/.id", "name"], [[str(self.signed_unit.id), "Spare wheel"]]),
            ([".id", "shipped"], [[str(self.items[1].id), "1"]]),
        ):
            self._assert_import_refused(Items.load(fields, rows))
        self._assert_import_refused(
            self.env["forklift.unit"]
            .with_user(self.staff)
            .load(
                [".id", "ship_item_ids/name"],
                [[str(self.signed_unit.id), "Spare wheel"]],
            )
        )
        self.assertEqual(self._state(), before)

    def test_the_flow_mark_is_the_servers_own(self):
        """Sudo with the flow's context key, as a client could send it, lifts
        nothing; writing the values an item already has changes nothing and
        passes (a form sending them again)."""
        item = self.items[1].with_user(self.staff)
        self._assert_refused(
            lambda: (
                item.sudo()
                .with_context(**{FLOW_CONTEXT_KEY: True})
                .write({"shipped": True})
            )
        )
        item.write({"name": item.name, "shipped": False})
        self.assertFalse(item.shipped)
        # the server's own flow writes it
        FLOW_MARK.set_on(item).write({"shipped": True})
        self.assertTrue(item.shipped)

    def test_items_change_until_the_acceptance_is_signed(self):
        """Before the customer signs, the service center keeps the checklist:
        it ticks, adds and removes items of a forklift whose commissioning is
        planned."""
        self.assertEqual(self.open_unit.commissioning_ids.state, "planned")
        self._assert_items_kept_by(self.staff, self.open_unit)

    def test_director_corrects_the_items_of_a_forklift_accepted(self):
        """The service-center director, who corrects the warranty terms of a
        forklift (its acceptance date among them), corrects its items too."""
        self._assert_items_kept_by(self.director, self.signed_unit)

    def _assert_items_kept_by(self, user, unit):
        """``user`` ticks, removes and adds items of ``unit`` (its spare
        wheel and its manual): the manual ticked, the spare wheel anew."""
        spare, manual = unit.ship_item_ids.with_user(user)
        manual.write({"shipped": True})
        spare.unlink()
        self.env["forklift.unit.ship.item"].with_user(user).create(
            {"unit_id": unit.id, "name": "Spare wheel"}
        )
        self.assertEqual(
            unit.ship_item_ids.mapped("name"), ["Operation manual", "Spare wheel"]
        )
        self.assertTrue(manual.shipped)

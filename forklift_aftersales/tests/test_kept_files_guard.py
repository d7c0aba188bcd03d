from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PDF, ForkliftCommon, json_rpc, post_signed_sheet

FORGED_TOKEN = "0123456789abcdef-forged-share-link"


@tagged("post_install", "-at_install")
class TestKeptFilesGuard(HttpCase, ForkliftCommon):
    """The files after-sales documents keep (a local purchase's seller
    invoice once its approval is asked, R-017, R-103; the signed sheet a
    dealer returned, R-082, 000 §4.2.2.2; the XLSX and PDF a report was
    mailed with, R-007, R-170, R-256; a service order's signature, R-206)
    are read by the documents' readers only, as what they are, and stay on
    the messages that carry them: whoever may write the attachment or the
    message (its uploader, the service center's staff, the director) does
    not publish them, share them by a link, change their type, nor take them
    off those messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part.forklift_guide_price = 600
        cls.qa_manager, cls.aftersales_vp = cls._role_users(
            "kf", "qa_manager", "aftersales_vp"
        )
        cls.dealer_user = cls._portal_user("kf_dealer_a", cls.dealer_a)
        # the seller's invoice, uploaded by the technician who claims it
        cls.invoice = (
            cls.env["ir.attachment"]
            .with_user(cls.technician)
            .create({"name": "seller-invoice.pdf", "raw": PDF})
        )
        cls.purchase = cls._local_purchase(cls._verified_case(), 450, scan=cls.invoice)
        cls.purchase.with_user(cls.director).action_confirm_consent()
        cls.purchase.request_validation()
        # a report produced and mailed by the server, as the monthly job does
        with freeze_time("2026-04-02 08:00"):
            cls.report = cls.env["forklift.aftersales.report"].create(
                {
                    "report_type": "monthly",
                    "market": "domestic",
                    "date_from": "2026-03-01",
                }
            )
            cls.report.action_produce()
            cls.report.action_send()
        cls.report_files = cls.report.xlsx_attachment_id | cls.report.pdf_attachment_id
        # a service order signed by the customer and registered
        cls.signed_order = cls._registered_order(
            cls._service_order(cls._verified_case()), "Wang Jun"
        )
        # a dealer's order, done: he returns its signed sheet on the portal
        cls.dealer_order = cls._done_order(cls._verified_case(route="dealer"), "dealer")

    def _signature(self):
        """The attachment of the signed order's signature (a binary field)."""
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", self.signed_order._name),
                ("res_id", "=", self.signed_order.id),
                ("res_field", "=", "signature"),
            ]
        )

    def _mailed_message(self):
        """The report's "Mailed to" message, posted by the server."""
        return self.report.message_ids.filtered(
            lambda message: "Mailed to" in (message.body or "")
        )

    def _queued_mail(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", self.report._name),
                ("res_id", "=", self.report.id),
                ("subject", "=", self.report.name),
            ]
        )

    def _return_sheet(self):
        """The dealer returns the order's signed sheet on the portal: the
        attachment the order holds, and the message that carries it."""
        self.authenticate(self.dealer_user.login, self.dealer_user.login)
        response = post_signed_sheet(self, self.dealer_order)
        self.assertEqual(response.status_code, 200)
        self.assertIn("signed sheet is sent", response.text)
        self.logout()
        self.env.invalidate_all()
        sheet = self.dealer_order.signed_sheet_ids
        self.assertEqual(len(sheet), 1)
        message = self.dealer_order.message_ids.filtered(
            lambda m: m.attachment_ids == sheet
        )
        self.assertEqual(len(message), 1)
        return sheet, message

    @staticmethod
    def _served(attachments):
        """How each attachment is served and to whom, and what it is."""
        attachments.invalidate_recordset()
        return attachments.sudo().read(
            ["public", "access_token", "mimetype", "checksum", "name", "res_id"]
        )

    def _edit_dropping_files(self, message, body):
        """The answer to the logged-in user's edit of ``message`` to ``body``
        with none of its files, as the chatter sends it."""
        return json_rpc(
            self,
            "/mail/message/update_content",
            {
                "message_id": message.id,
                "update_data": {"body": body, "attachment_ids": []},
            },
        )

    @staticmethod
    def _carried(messages):
        messages.invalidate_recordset()
        return [(m.exists().id, m.sudo().attachment_ids.ids) for m in messages]

    def _assert_not_downloaded(self, attachments):
        """Logged out, no attachment downloads, by its id or with a token."""
        self.logout()
        for attachment in attachments:
            for url in (
                f"/web/content/{attachment.id}",
                f"/web/content/{attachment.id}?access_token={FORGED_TOKEN}",
                f"/web/content/{attachment.id}?download=true",
            ):
                with self.subTest(file=attachment.name, url=url):
                    response = self.url_open(url, allow_redirects=False)
                    self.assertNotEqual(response.status_code, 200)
                    self.assertNotIn(attachment.sudo().raw, response.content)

    def _staff_uploads(self, *names):
        """PDFs the staff member uploads in the composer, not yet posted."""
        return (
            self.env["ir.attachment"]
            .with_user(self.staff)
            .create(
                [
                    {
                        "name": name,
                        "raw": PDF,
                        "res_model": "mail.compose.message",
                        "res_id": 0,
                    }
                    for name in names
                ]
            )
        )

    @mute_logger("odoo.http")
    def test_kept_files_are_not_published_shared_nor_served_as_another_type(self):
        """R-017, R-082, R-007, R-206: the technician who uploaded a seller's
        invoice, and the staff and director who may write the report, the
        dealer's returned sheet or the signed order, neither publish the
        document's kept files (downloaded logged out from /web/content), nor
        give them an access token (a share link), nor change their type
        (served as a page from the document). Nothing changes, and logged
        out nobody downloads them; an ordinary file of a document still
        follows Odoo."""
        sheet, _message = self._return_sheet()
        signature = self._signature()
        self.assertEqual(len(signature), 1)
        writers = (self.technician, self.staff, self.director)
        kept = {
            "seller invoice": (self.invoice, (self.technician,)),
            "report XLSX": (self.report.xlsx_attachment_id, writers),
            "report PDF": (self.report.pdf_attachment_id, writers),
            "returned signed sheet": (sheet, (self.technician, self.director)),
            "order signature": (signature, (self.staff, self.director)),
        }
        attacks = {
            "publish it": lambda attachment: attachment.write({"public": True}),
            "give it a token": lambda attachment: attachment.write(
                {"access_token": FORGED_TOKEN}
            ),
            "generate a token": lambda attachment: attachment.generate_access_token(),
            "serve it as a page": lambda attachment: attachment.write(
                {"mimetype": "text/html"}
            ),
        }
        files = self.env["ir.attachment"].union(
            *(attachment for attachment, _users in kept.values())
        )
        before = self._served(files)
        for label, (attachment, users) in kept.items():
            for user in users:
                mine = attachment.with_user(user)
                # Odoo lets him write the attachment: the guard refuses
                self.assertTrue(mine.has_access("write"), (label, user.login))
                for attack, run in attacks.items():
                    with (
                        self.subTest(file=label, user=user.login, attack=attack),
                        self.assertRaises(UserError),
                    ):
                        run(mine)
        self._assert_not_downloaded(files)
        self.assertEqual(self._served(files), before)
        self.assertFalse(any(row["public"] or row["access_token"] for row in before))
        # an ordinary file of a document (not kept) still follows Odoo
        note = (
            self.env["ir.attachment"]
            .with_user(self.staff)
            .create(
                {
                    "name": "note.pdf",
                    "raw": PDF,
                    "res_model": self.dealer_order._name,
                    "res_id": self.dealer_order.id,
                }
            )
        )
        note.write({"public": True})
        response = self.url_open(f"/web/content/{note.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)

    @mute_logger("odoo.models.unlink")
    def test_staff_do_not_detach_the_files_of_a_message(self):
        """R-007, R-170, R-256, R-082: the report's "Mailed to" message and
        its mail carry the files the recipients received; the message of the
        dealer's return carries his signed sheet. The technician, the staff
        and the director, who may write these messages, neither take the
        files off, replace them, add others, nor delete the message; the
        messages carry what they carried."""
        _sheet, returned = self._return_sheet()
        mailed = self._mailed_message()
        mail_message = self._queued_mail().mail_message_id
        self.assertEqual(mailed.attachment_ids, self.report_files)
        self.assertEqual(mail_message.attachment_ids, self.report_files)
        labels = {
            "mailed to": mailed,
            "queued mail": mail_message,
            "returned sheet": returned,
        }
        messages = mailed | mail_message | returned
        other = self.env["ir.attachment"].create(
            {
                "name": "forged.xlsx",
                "raw": b"forged figures",
                "res_model": self.report._name,
                "res_id": self.report.id,
            }
        )
        before = self._carried(messages)
        for label, message in labels.items():
            first = message.attachment_ids[:1]
            attacks = {
                "clear": [Command.clear()],
                "unlink one": [Command.unlink(first.id)],
                "replace": [Command.set(other.ids)],
                "add another": [Command.link(other.id)],
            }
            for user in (self.technician, self.staff, self.director):
                theirs = message.with_user(user)
                # Odoo lets him write the message: the guard refuses
                self.assertTrue(theirs.has_access("write"), user.login)
                for attack, commands in attacks.items():
                    with (
                        self.subTest(message=label, user=user.login, attack=attack),
                        self.assertRaises(UserError),
                    ):
                        theirs.write({"attachment_ids": commands})
                with (
                    self.subTest(message=label, user=user.login, attack="delete"),
                    self.assertRaises(UserError),
                ):
                    theirs.unlink()
        self.assertEqual(self._carried(messages), before)
        self.assertEqual(self.report_files.exists(), self.report_files)

    def test_own_comment_keeps_its_kept_files_and_edits_the_others(self):
        """R-007, R-170: a staff member's own comment that carries a kept
        file (the report's XLSX) keeps it; he still changes the files he
        added himself, as Odoo lets the author of a comment edit it."""
        xlsx = self.report.xlsx_attachment_id
        report = self.report.with_user(self.staff)
        notes, agenda = self._staff_uploads("notes.pdf", "agenda.pdf")
        comment = report.message_post(
            body="Figures for the QA meeting.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachment_ids=[notes.id, xlsx.id],
        )
        self.assertEqual(comment.attachment_ids, notes | xlsx)
        mine = comment.with_user(self.staff)
        for commands in (
            [Command.clear()],
            [Command.unlink(xlsx.id)],
            [Command.set(notes.ids)],
        ):
            with self.subTest(commands=commands), self.assertRaises(UserError):
                mine.write({"attachment_ids": commands})
        with self.assertRaises(UserError):
            report._message_update_content(mine, body="Figures.", attachment_ids=[])
        comment.invalidate_recordset()
        self.assertEqual(comment.attachment_ids, notes | xlsx)
        self.assertTrue(xlsx.exists())
        # his own files: Odoo's edit of his comment still changes them
        mine.write({"attachment_ids": [Command.link(agenda.id)]})
        mine.write({"attachment_ids": [Command.unlink(notes.id)]})
        comment.invalidate_recordset()
        self.assertEqual(comment.attachment_ids, xlsx | agenda)

    @mute_logger("odoo.http")
    def test_mail_routes_delete_no_kept_file(self):
        """R-007, R-170, R-206: Odoo's mail routes delete, as superuser, a
        file whoever may write it asks to delete (/mail/attachment/delete),
        and all the files of a comment its author edits without them
        (/mail/message/update_content). Logged in as staff, neither deletes
        the report's files nor the order's signature; his own comment's
        ordinary file still goes."""
        xlsx, pdf = self.report.xlsx_attachment_id, self.report.pdf_attachment_id
        signature = self._signature()
        signature_value = self.signed_order.signature
        notes, agenda = self._staff_uploads("notes.pdf", "agenda.pdf")
        report = self.report.with_user(self.staff)
        carrying = report.message_post(
            body="Figures for the QA meeting.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=[notes.id, xlsx.id],
        )
        ordinary = report.message_post(
            body="Agenda.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=agenda.ids,
        )
        self.authenticate(self.staff.login, self.staff.login)
        for attachment in (xlsx, pdf, signature):
            with self.subTest(file=attachment.name):
                answer = json_rpc(
                    self, "/mail/attachment/delete", {"attachment_id": attachment.id}
                )
                self.assertIn("error", answer)
        self.assertIn("error", self._edit_dropping_files(carrying, "Figures."))
        self.env.invalidate_all()
        self.assertEqual((xlsx | pdf | signature).exists(), xlsx | pdf | signature)
        self.assertEqual(self.signed_order.signature, signature_value)
        self.assertEqual(carrying.attachment_ids, notes | xlsx)
        self.assertEqual(self._mailed_message().attachment_ids, xlsx | pdf)
        # Odoo's own edit of his comment, and the deletion of his own file
        self.assertNotIn("error", self._edit_dropping_files(ordinary, "No agenda."))
        answer = json_rpc(self, "/mail/attachment/delete", {"attachment_id": notes.id})
        self.assertNotIn("error", answer)
        self.env.invalidate_all()
        self.assertFalse((agenda | notes).exists())
        self.assertIn("No agenda.", str(ordinary.body))
        self.assertEqual(carrying.attachment_ids, xlsx)

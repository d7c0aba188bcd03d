"""A reply brought by the mail gateway to an after-sales document is posted
in the name of its sender only when he may be written to on the document
(R-055, R-063, R-065; README "What no user can do")."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ForkliftCommon

MAIL = """Return-Path: <{frm}>
To: reply@gra.example.com
From: {frm}
Subject: Re: {subject}
Message-ID: <gra-{uid}@example.com>
In-Reply-To: {parent}
References: {parent}
Date: Mon, 02 Mar 2026 08:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

{body}
"""


@tagged("post_install", "-at_install")
class TestGatewayReplyAuthor(ForkliftCommon):
    def _reply(self, record, frm, uid, body):
        """The gateway's processing of a reply from ``frm`` to the last
        message of ``record``: the message it posted."""
        parent = record.message_ids.sorted("id")[-1]
        raw = MAIL.format(
            frm=frm,
            subject=record.display_name,
            uid=uid,
            parent=parent.message_id,
            body=body,
        )
        self.env["mail.thread"].message_process(False, raw)
        return record.message_ids.sorted("id")[-1]

    def test_reply_posted_in_the_name_of_who_may_be_written_to(self):
        """Dealer B's address (his, or forged) replying to a notification of
        dealer A's service order posts no message in dealer B's name: it
        stands as mail from that address. Dealer A's reply to his own order
        is posted in his name, as Odoo does."""
        order = self._service_order(self._verified_case(route="dealer"), "dealer")
        order.message_post(body="Arrival planned.", subtype_xmlid="mail.mt_comment")
        posted = self._reply(order, self.dealer_b.email, "b", "Cancel the job.")
        self.assertIn("Cancel the job.", posted.body)
        self.assertFalse(posted.author_id)
        self.assertEqual(posted.email_from, self.dealer_b.email)
        posted = self._reply(order, self.dealer_a.email, "a", "We come at 9.")
        self.assertIn("We come at 9.", posted.body)
        self.assertEqual(posted.author_id, self.dealer_a)

    def test_staff_thread_no_post_into_another_documents_mail(self):
        """R-055, R-063, R-065: the mail gateway threads a reply by the
        Message-Id it answers into the document of the newest message that
        has it. A user posting over RPC on dealer B's order with the
        Message-Id of a mail dealer A received about his own order
        (``message_post(message_id=...)``), or giving it to a message of his
        elsewhere (``mail.message`` create or write), would have dealer A's
        replies posted on a record the user chose, for dealer B to read, and
        his post read in dealer A's mail box as part of A's thread: refused,
        nothing posted; dealer A's reply still reaches his own order."""
        order_a = self._service_order(self._verified_case(route="dealer"), "dealer")
        order_a.message_post(body="Arrival planned.", subtype_xmlid="mail.mt_comment")
        mailed = order_a.message_ids.sorted("id")[-1]
        order_b = self._service_order(self._verified_case(route="dealer"), "dealer")
        staff = self.staff
        before = self.env["mail.message"].search([], order="id desc", limit=1)
        with self.assertRaises(UserError):
            order_b.with_user(staff).message_post(
                body="Noted, we come on Monday.",
                message_type="comment",
                message_id=mailed.message_id,
            )
        # a channel of his own, outside the after-sales documents
        channel = (
            self.env["discuss.channel"]
            .with_user(staff)
            .create({"name": "Field team", "channel_type": "channel"})
        )
        with self.assertRaises(UserError):
            channel.message_post(
                body="Noted.", message_type="comment", message_id=mailed.message_id
            )
        for message in (
            order_b.with_user(staff).message_post(
                body="Noted.", message_type="comment"
            ),
            channel.message_post(body="Noted.", message_type="comment"),
        ):
            with self.subTest(model=message.model), self.assertRaises(UserError):
                message.write({"message_id": mailed.message_id})
        posted = self.env["mail.message"].search([("id", ">", before.id)])
        self.assertNotIn(mailed.message_id, posted.mapped("message_id"))
        raw = MAIL.format(
            frm=self.dealer_a.email,
            subject=order_a.display_name,
            uid="hijack",
            parent=mailed.message_id,
            body="We come at 9.",
        )
        self.env["mail.thread"].message_process(False, raw)
        reply = self.env["mail.message"].search(
            [("message_id", "=", "<gra-hijack@example.com>")]
        )
        self.assertEqual((reply.model, reply.res_id), (order_a._name, order_a.id))

    def test_staff_or_dealer_answer_no_message_of_another_document(self):
        """R-055, R-063, R-065: a post on an after-sales document answers
        (``parent_id``) a message of that document only. Odoo's
        ``message_post`` threads a reply naming another document's message
        under the document's own last message instead, and neither the
        chatter (which shows the message answered in a channel only) nor the
        mails (whose References are the document's own) then show it; but
        the composer copies, as superuser, the subject, recipients and
        document of the message it answers, and its mass mode stores the
        message as the parent of the mail it sends. The staff of company A
        (over RPC, or through the composer) and dealer A's portal login (a
        follower of his order, over RPC) naming as parent a message of
        another document, one they may not read (company B's sheet, dealer
        B's order) or one they read (the order's sheet, dealer A's contact
        card): refused, nothing posted, nothing of the message shown. A reply
        to a message of the same document, and the server's own posts, still
        go; the gateway's replies still thread (above)."""
        north, north_staff = self._new_company_user(
            "Forklift North", "gpa_north", "group_forklift_user"
        )
        north_case = self._verified_case(
            unit=self._company_unit("SN-N-GPA", north), company_id=north.id
        )
        hidden = north_case.sudo().message_post(
            body="Gearbox recall at Port North.",
            subject="Recall: Port North fleet",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=north_staff.partner_id.ids,
        )
        dealer_user, __ = self._dealer_logins("gpa")
        order = self._service_order(self._verified_case(route="dealer"), "dealer")
        order.message_subscribe(
            partner_ids=(self.dealer_a | dealer_user.partner_id).ids
        )
        own = order.message_post(
            body="Arrival planned.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        order_b = self._service_order(
            self._verified_case(unit=self.unit_b, route="dealer"),
            "dealer",
            dealer_id=self.dealer_b.id,
        )
        dealer_b_message = order_b.message_post(
            body="Pump replaced.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        sheet_note = order.feedback_id.message_post(
            body="Seal kit ordered.", subtype_xmlid="mail.mt_note"
        )
        card = self.dealer_a.message_post(
            body="Dealer A called.", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(hidden.with_user(self.staff).has_access("read"))
        self.assertFalse(dealer_b_message.with_user(dealer_user).has_access("read"))
        self.assertTrue(sheet_note.with_user(self.staff).has_access("read"))
        before = order.message_ids
        mails = self.env["mail.mail"].sudo().search_count([])
        for user, parent in (
            (self.staff, hidden),
            (self.staff, dealer_b_message),
            (self.staff, sheet_note),
            (self.staff, card),
            (dealer_user, dealer_b_message),
        ):
            with (
                self.subTest(user=user.login, parent=parent.model),
                self.assertRaises(UserError),
            ):
                order.with_user(user).message_post(
                    body="Noted.",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    parent_id=parent.id,
                )
        # the composer shows nothing of a message he may not read: neither
        # copied (its subject, recipients, document) nor named
        composer = self.env["mail.compose.message"].with_user(self.staff)
        comment = {
            "composition_mode": "comment",
            "model": order._name,
            "res_ids": str(order.ids),
            "body": "<p>Noted.</p>",
        }
        for vals in (
            {"composition_mode": "comment", "parent_id": hidden.id},
            {**comment, "parent_id": hidden.id},
            {**comment, "subject": "Noted", "partner_ids": [], "parent_id": hidden.id},
        ):
            with self.subTest(composer=sorted(vals)), self.assertRaises(AccessError):
                composer.create(vals)
        with self.assertRaises(AccessError):
            composer.onchange(
                {"composition_mode": "comment", "parent_id": hidden.id},
                ["parent_id"],
                {"subject": {}, "model": {}, "res_ids": {}, "partner_ids": {}},
            )
        # nor answers, in either mode, a message of another document he reads
        for mode in ("comment", "mass_mail"):
            wizard = composer.create(
                {
                    **comment,
                    "composition_mode": mode,
                    "subject": "Noted",
                    "parent_id": sheet_note.id,
                }
            )
            with self.subTest(composer=mode), self.assertRaises(UserError):
                wizard.action_send_mail()
        order.invalidate_recordset()
        self.assertEqual(order.message_ids, before)
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails)
        # a reply to a message of the same document
        for user in (self.staff, dealer_user):
            reply = order.with_user(user).message_post(
                body="We come at 9.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                parent_id=own.id,
            )
            self.assertEqual(reply.sudo().parent_id, own, user.login)
        composer.create({**comment, "parent_id": own.id}).action_send_mail()
        self.assertEqual(order.message_ids.sorted("id")[-1].parent_id, own)
        # the server's own post: Odoo threads it in the document's own mail
        relayed = order.sudo().message_post(body="Relayed.", parent_id=hidden.id)
        self.assertEqual(
            (relayed.parent_id.model, relayed.parent_id.res_id),
            (order._name, order.id),
        )

    def test_staff_choose_no_reply_to_or_server_of_a_mail(self):
        """R-055, R-063, R-065: the mails a post on an after-sales document
        sends its customer or dealer followers carry the document's own
        Reply-To, so that their answers thread back into it, and leave by the
        servers Odoo picks. A user posting over RPC (``message_post``, or the
        composer he creates) with a Reply-To of his choosing, a new thread for
        the answers, or an outgoing server, would have dealer A's answers go
        to an outside address: refused, nothing posted. His comments and
        notes still go out as the document's; the server's own code (sudo)
        still chooses."""
        order = self._service_order(self._verified_case(route="dealer"), "dealer")
        order.message_subscribe(partner_ids=self.dealer_a.ids)
        staff_order = order.with_user(self.staff)
        server = self.env["ir.mail_server"].create(
            {"name": "Outside relay", "smtp_host": "smtp.outside.example.com"}
        )
        outside = "Service Desk <collector@outside.example.com>"
        attempts = {
            "reply_to": {"reply_to": outside},
            "reply_to_force_new": {"reply_to_force_new": True},
            "mail_server_id": {"mail_server_id": server.id},
        }
        before = order.message_ids
        for name, kwargs in attempts.items():
            with self.subTest(kwarg=name), self.assertRaises(UserError):
                staff_order.message_post(
                    body="Please answer to our new desk.",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    **kwargs,
                )
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.staff)
            .create(
                {
                    "composition_mode": "comment",
                    "model": order._name,
                    "res_ids": str(order.ids),
                    "body": "<p>Please answer to our new desk.</p>",
                    "reply_to": outside,
                    "mail_server_id": server.id,
                }
            )
        )
        with self.assertRaises(UserError):
            composer.action_send_mail()
        order.invalidate_recordset()
        self.assertEqual(order.message_ids, before)
        # his comment and note still go out as the document's
        expected = order._notify_get_reply_to(
            default=self.staff.email_formatted, author_id=self.staff.partner_id.id
        )[order.id]
        comment = staff_order.message_post(
            body="We come at 9.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_from=self.staff.email_formatted,
        )
        note = staff_order.message_post(
            body="Parts ready.", subtype_xmlid="mail.mt_note"
        )
        for message in (comment, note):
            message = message.sudo()
            self.assertEqual(message.reply_to, expected)
            self.assertFalse(message.mail_server_id)
            self.assertEqual(message.author_id, self.staff.partner_id)
        # the server's own code chooses
        message = order.sudo().message_post(
            body="Relayed.", reply_to=outside, mail_server_id=server.id
        )
        self.assertEqual((message.reply_to, message.mail_server_id), (outside, server))

    def test_staff_choose_no_company_alias_domain_or_layout_of_a_mail(self):
        """R-055, R-063, R-065: the mails a post on an after-sales document
        sends its customer or dealer followers take the document's company
        and alias domain (their Return-Path, the notification address they
        fall back on) and one of Odoo's own layouts. A user posting over RPC
        (``message_post``, ``message_notify``, or the composer he creates, in
        comment or mass mode) with another company, another alias domain or
        a layout of his choosing (one signed with the responsible's
        signature, a layout made for another company) would have dealer A's
        mail read as coming from elsewhere, or its bounces and answers go
        to another domain: refused, nothing posted nor mailed. The chatter's
        comment, the composer's "Send", the portal's share link and the
        server's own code still post."""
        order = self._service_order(self._verified_case(route="dealer"), "dealer")
        order.message_subscribe(partner_ids=self.dealer_a.ids)
        staff_order = order.with_user(self.staff)
        home, outside = self.env["mail.alias.domain"].create(
            [{"name": "forklift.example.com"}, {"name": "outside.example.com"}]
        )
        other = self.env["res.company"].create(
            {"name": "Other Forklifts Co.", "alias_domain_id": outside.id}
        )
        own_domain = order.sudo()._mail_get_alias_domains()[order.id]
        self.assertNotEqual(own_domain, outside)
        self.assertNotEqual(order.company_id, other)
        layout = self.env["ir.ui.view"].create(
            {
                "name": "Other Forklifts Co. layout",
                "type": "qweb",
                "key": "forklift_aftersales.test_layout_other_company",
                "arch": '<t t-name="forklift_aftersales.test_layout_other_company">'
                '<div>Other Forklifts Co.<t t-out="message.body"/></div></t>',
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "forklift_aftersales",
                "name": "test_layout_other_company",
                "model": "ir.ui.view",
                "res_id": layout.id,
            }
        )
        attacks = {
            "record_company_id": {"record_company_id": other.id},
            "record_alias_domain_id": {"record_alias_domain_id": outside.id},
            "email_layout_xmlid": {
                "email_layout_xmlid": "forklift_aftersales.test_layout_other_company"
            },
            "signature": {
                "email_layout_xmlid": (
                    "mail.mail_notification_layout_with_responsible_signature"
                )
            },
        }
        before = order.message_ids
        mails = self.env["mail.mail"].sudo().search_count([])
        notify = self.env["mail.thread"].with_user(self.staff).message_notify
        for name, kwargs in attacks.items():
            with self.subTest(call="message_post", kwarg=name):
                with self.assertRaises(UserError):
                    staff_order.message_post(
                        body="Our new office answers you.",
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                        **kwargs,
                    )
            with self.subTest(call="message_notify", kwarg=name):
                with self.assertRaises(UserError):
                    notify(
                        model=order._name,
                        res_id=order.id,
                        partner_ids=self.dealer_a.ids,
                        body="Our new office answers you.",
                        **kwargs,
                    )
            composer = self.env["mail.compose.message"].with_user(self.staff)
            for mode in ("comment", "mass_mail"):
                if mode == "mass_mail" and "email_layout_xmlid" not in kwargs:
                    # mass mode gives each mail its record's company and domain
                    continue
                wizard = composer.create(
                    {
                        "composition_mode": mode,
                        "model": order._name,
                        "res_ids": str(order.ids),
                        "subject": "About your order",
                        "body": "<p>Our new office answers you.</p>",
                        "partner_ids": [(6, 0, self.dealer_a.ids)],
                        **kwargs,
                    }
                )
                with (
                    self.subTest(composer=mode, kwarg=name),
                    self.assertRaises(UserError),
                ):
                    wizard.action_send_mail()
        order.invalidate_recordset()
        self.assertEqual(order.message_ids, before)
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails)
        # the composer's "Send" passes the document's own company and domain
        wizard = composer.create(
            {
                "composition_mode": "comment",
                "model": order._name,
                "res_ids": str(order.ids),
                "body": "<p>We come at 9.</p>",
            }
        )
        self.assertEqual(
            (wizard.record_company_id, wizard.record_alias_domain_id),
            (order.company_id, own_domain),
        )
        wizard.action_send_mail()
        comment = order.message_ids.sorted("id")[-1].sudo()
        self.assertIn("We come at 9.", str(comment.body))
        self.assertEqual(comment.author_id, self.staff.partner_id)
        # the chatter's comment, Odoo's layouts of its own flows
        for layout_xmlid in (None, "mail.mail_notification_light"):
            message = staff_order.message_post(
                body="Parts ready.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid=layout_xmlid,
            ).sudo()
            self.assertEqual(message.record_company_id, order.company_id)
            self.assertEqual(message.record_alias_domain_id, own_domain)
        # the portal's share link, which its wizard's users (contact creation)
        # send in the light layout
        self.staff.group_ids += self.env.ref("base.group_partner_manager")
        share = (
            self.env["portal.share"]
            .with_user(self.staff)
            .with_context(active_model=order._name, active_id=order.id)
            .create({"partner_ids": [(6, 0, self.dealer_a.ids)]})
        )
        share.action_send_mail()
        shared = order.message_ids.sorted("id")[-1].sudo()
        self.assertEqual(shared.email_layout_xmlid, "mail.mail_notification_light")
        # the server's own code chooses
        message = order.sudo().message_post(
            body="Relayed.",
            record_company_id=other.id,
            record_alias_domain_id=outside.id,
        )
        self.assertEqual(
            (message.record_company_id, message.record_alias_domain_id),
            (other, outside),
        )

    def test_staff_notify_no_dealer_with_another_reply_to(self):
        """R-055, R-063, R-065: a notification about an after-sales document
        (``message_notify``, which RPC reaches on ``mail.thread`` with the
        document's model and id) mails the dealer as a post does: with a
        Reply-To of the caller's choosing or an outgoing server, dealer A's
        answer would go to an outside address; refused, nothing sent. Odoo's
        invitation to follow the document still answers to the inviter's own
        address, in a thread of its own."""
        order = self._service_order(self._verified_case(route="dealer"), "dealer")
        server = self.env["ir.mail_server"].create(
            {"name": "Outside relay", "smtp_host": "smtp.outside.example.com"}
        )
        notify = self.env["mail.thread"].with_user(self.staff).message_notify
        common = {
            "model": order._name,
            "res_id": order.id,
            "partner_ids": self.dealer_a.ids,
            "body": "Please answer to our new desk.",
        }
        before = self.env["mail.message"].search_count([])
        for name, kwargs in {
            "reply_to": {"reply_to": "collector@outside.example.com"},
            "reply_to_force_new": {
                "reply_to": "collector@outside.example.com",
                "reply_to_force_new": True,
            },
            "mail_server_id": {"mail_server_id": server.id},
        }.items():
            with self.subTest(kwarg=name), self.assertRaises(UserError):
                notify(**common, **kwargs)
        self.assertEqual(self.env["mail.message"].search_count([]), before)
        # the inviter's own address, as Odoo's invitation sends it
        message = notify(
            **common,
            reply_to=self.staff.email_formatted,
            reply_to_force_new=True,
        )
        self.assertEqual(message.sudo().reply_to, self.staff.email_formatted)

    def test_staff_redirect_no_mail_of_a_message_afterwards(self):
        """R-055, R-063, R-065: the mails of a comment on dealer A's service
        order wait in the queue, and a resend builds them again, from the
        message itself (``mail.mail`` inherits it): its Reply-To, outgoing
        server and alias domain, the extra addresses it is mailed to, those a
        mail it records was sent to (which its notifications skip), what it
        answers. Its author, or a colleague who may write the order, changing
        them by RPC afterwards (``mail.message.write``), as a post may not
        send them (``message_post``, or the composer in mass mode), would have
        dealer A's answers go to an outside address, or the order mailed to
        one: refused, nothing changed. He still edits his comment's text and
        stars it; the administrator still does."""
        order = self._service_order(self._verified_case(route="dealer"), "dealer")
        order.message_subscribe(partner_ids=self.dealer_a.ids)
        staff_order = order.with_user(self.staff)
        message = staff_order.message_post(
            body="We come at 9.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        self.assertEqual(mail.state, "outgoing")
        self.assertIn(self.dealer_a, mail.recipient_ids)
        server = self.env["ir.mail_server"].create(
            {"name": "Outside relay", "smtp_host": "smtp.outside.example.com"}
        )
        alias_domain = self.env["mail.alias.domain"].create(
            {"name": "outside.example.com"}
        )
        outside = "Service Desk <collector@outside.example.com>"
        other = staff_order.message_post(body="Parts ready.", message_type="comment")
        attacks = {
            "reply_to": {"reply_to": outside},
            "reply_to_force_new": {"reply_to_force_new": True},
            "mail_server_id": {"mail_server_id": server.id},
            "record_alias_domain_id": {"record_alias_domain_id": alias_domain.id},
            "outgoing_email_to": {"outgoing_email_to": outside},
            "incoming_email_cc": {"incoming_email_cc": self.dealer_a.email},
            "parent_id": {"parent_id": other.id},
            "email_layout_xmlid": {
                "email_layout_xmlid": "mail.mail_notification_light"
            },
        }
        fields = [next(iter(vals)) for vals in attacks.values()]
        before = message.sudo().read(fields)
        for user in (self.staff, self.director):
            theirs = message.with_user(user)
            self.assertTrue(theirs.has_access("write"), user.login)
            for name, vals in attacks.items():
                with (
                    self.subTest(user=user.login, field=name),
                    self.assertRaises(UserError),
                ):
                    theirs.write(vals)
        message.invalidate_recordset()
        self.assertEqual(message.sudo().read(fields), before)
        self.assertNotEqual(mail.reply_to, outside)
        self.assertFalse(mail.mail_server_id)
        # nor sent with a post, nor with the composer in mass mode
        messages = order.message_ids
        for name, kwargs in {
            "outgoing_email_to": {"outgoing_email_to": outside},
            "incoming_email_cc": {"incoming_email_cc": self.dealer_a.email},
            "incoming_email_to": {"incoming_email_to": self.dealer_a.email},
        }.items():
            with self.subTest(kwarg=name), self.assertRaises(UserError):
                staff_order.message_post(
                    body="We come at 9.", message_type="comment", **kwargs
                )
        order.invalidate_recordset()
        self.assertEqual(order.message_ids, messages)
        mails = self.env["mail.mail"].sudo().search_count([])
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.staff)
            .with_context(
                default_model=order._name,
                default_res_ids=order.ids,
                default_composition_mode="mass_mail",
            )
        )
        for name, vals in {
            "reply_to": {"reply_to": outside},
            "mail_server_id": {"mail_server_id": server.id},
        }.items():
            wizard = composer.create(
                {
                    "subject": "About your order",
                    "body": "<p>Please answer to our new desk.</p>",
                    "partner_ids": [(6, 0, self.dealer_a.ids)],
                    **vals,
                }
            )
            with self.subTest(composer=name), self.assertRaises(UserError):
                wizard.action_send_mail()
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails)
        # his text, his star; the administrator
        order.with_user(self.staff)._message_update_content(
            message.with_user(self.staff), body="We come at 10."
        )
        self.assertIn("We come at 10.", str(message.body))
        message.with_user(self.director).toggle_message_starred()
        self.assertIn(self.director.partner_id, message.sudo().starred_partner_ids)
        admin = self.env.ref("base.user_admin")
        message.with_user(admin).write({"mail_server_id": server.id})
        self.assertEqual(mail.mail_server_id, server)

"""A reply brought by the mail gateway to an after-sales document is posted
in the name of its sender only when he may be written to on the document
(R-055, R-063, R-065; README "What no user can do")."""

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

"""Who follows an after-sales document and who is written to on it: the
service center's staff, and a customer, dealer or supplier only on his own
documents. Staff subscribing another dealer's contact to a sheet (by RPC or
the "Add followers" wizard), or naming him as a recipient of a message,
would let him read on his portal the messages of a sheet he may not open and
mail him every comment posted on it; nor does a user post in a customer's
name (R-055, R-056, R-063; README "What no user can do")."""

from markupsafe import Markup

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon, json_rpc

SECRET = "SECRET-FG: the customer's forks sink again"


@tagged("post_install", "-at_install")
class TestFollowerGuard(HttpCase, ForkliftCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a, cls.portal_b = cls._dealer_logins("fg")
        # customer A's sheet, in dealer A's territory: dealer B does not read it
        cls.case = cls._create_case()
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Pumps Z Co.", "is_company": True, "supplier_rank": 1}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Li Ming", "parent_id": cls.customer.id}
        )
        # who may not read the sheet: dealer B's portal contact, dealer B's
        # company and a supplier (without a login)
        cls.outsiders = cls.portal_b.partner_id | cls.dealer_b | cls.supplier

    # helpers

    def _followers(self, record):
        record.invalidate_recordset(["message_follower_ids"])
        return record.sudo().message_follower_ids.partner_id

    def _messages(self, record):
        return (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", record._name), ("res_id", "=", record.id)])
        )

    def _assert_outsider_reads_nothing(self, record):
        """Dealer B reads none of the record's messages by RPC, nor was he
        notified (mailed) of any."""
        self.assertFalse(record.with_user(self.portal_b).has_access("read"))
        found = (
            self.env["mail.message"]
            .with_user(self.portal_b)
            .search_read(
                [("model", "=", record._name), ("res_id", "=", record.id)],
                ["body", "record_name"],
            )
        )
        self.assertEqual(found, [])
        notified = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("res_partner_id", "in", self.outsiders.ids),
                    ("mail_message_id", "in", self._messages(record).ids),
                ]
            )
        )
        self.assertFalse(notified)

    def _comment(self, record, user):
        return record.with_user(user).message_post(
            body=SECRET, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    # tests

    def test_staff_subscribe_no_outsider_to_a_sheet(self):
        """R-055, R-063: the technician subscribing dealer B's contact,
        dealer B or a supplier to customer A's sheet, and QA adding them by
        the "Add followers" wizard (with its invitation), are refused;
        nothing posted on the sheet afterwards reaches them."""
        case = self.case.with_user(self.technician)
        for partner in self.outsiders:
            with self.subTest(partner=partner.name), self.assertRaises(AccessError):
                case.message_subscribe(partner_ids=partner.ids)
        wizard = (
            self.env["mail.followers.edit"]
            .with_user(self.qa)
            .create(
                {
                    "res_model": self.case._name,
                    "res_ids": str(self.case.ids),
                    "partner_ids": [Command.set(self.outsiders.ids)],
                    "notify": True,
                    "message": "<p>Have a look.</p>",
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.edit_followers()
        self.assertFalse(self._followers(self.case) & self.outsiders)
        self._comment(self.case, self.technician)
        self._assert_outsider_reads_nothing(self.case)

    def test_staff_write_to_no_outsider_on_a_sheet(self):
        """R-055, R-063: a message on customer A's sheet is not sent to dealer
        B's contact nor to a supplier, whether named by RPC (``message_post``,
        ``message_notify`` on the sheet or through ``mail.thread``), added
        to a comment when it is edited, or named in the chatter's post
        (``/mail/message/post``, which posts as superuser)."""
        case = self.case.with_user(self.technician)
        before = self._messages(self.case)
        for partner in self.outsiders:
            with self.subTest(partner=partner.name, call="message_post"):
                with self.assertRaises(AccessError):
                    case.message_post(
                        body=SECRET,
                        partner_ids=partner.ids,
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
            with self.subTest(partner=partner.name, call="message_notify"):
                with self.assertRaises(AccessError):
                    case.message_notify(body=SECRET, partner_ids=partner.ids)
                with self.assertRaises(AccessError):
                    self.env["mail.thread"].with_user(self.technician).message_notify(
                        body=SECRET,
                        partner_ids=partner.ids,
                        model=self.case._name,
                        res_id=self.case.id,
                    )
        self.assertEqual(self._messages(self.case), before)
        comment = self._comment(self.case, self.technician)
        with self.assertRaises(AccessError):
            case._message_update_content(
                comment, body=SECRET, partner_ids=self.portal_b.partner_id.ids
            )
        self.authenticate(self.technician.login, self.technician.login)
        with mute_logger("odoo.http"):
            answer = json_rpc(
                self,
                "/mail/message/post",
                {
                    "thread_model": self.case._name,
                    "thread_id": self.case.id,
                    "post_data": {
                        "body": SECRET,
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                        "partner_ids": self.portal_b.partner_id.ids,
                    },
                },
            )
        self.assertIn("error", answer, answer)
        self.assertEqual(
            answer["error"]["data"]["name"], "odoo.exceptions.AccessError", answer
        )
        self.assertEqual(self._messages(self.case), before | comment)
        self.assertFalse(comment.sudo().partner_ids)
        self._assert_outsider_reads_nothing(self.case)

    def test_staff_name_no_outsider_on_a_message_afterwards(self):
        """R-055, R-063: a message already posted on customer A's sheet is not
        opened to dealer B's contact afterwards: not by its author adding
        him to its recipients by RPC (``mail.message.write``), nor by a
        notification of it created for him (``mail.notification``, which
        Odoo lets every employee create): he would read the message on a
        sheet he may not open. The sheet's own dealer contact is still
        added."""
        comment = self._comment(self.case, self.technician)
        outsider = self.portal_b.partner_id
        before = self._messages(self.case)
        attacks = {
            "recipient added": lambda: comment.with_user(self.technician).write(
                {"partner_ids": [Command.link(outsider.id)]}
            ),
            "notification created": lambda: (
                self.env["mail.notification"]
                .with_user(self.technician)
                .create(
                    {
                        "mail_message_id": comment.id,
                        "res_partner_id": outsider.id,
                        "notification_type": "inbox",
                    }
                )
            ),
        }
        for attack, call in attacks.items():
            with self.subTest(attack=attack), self.assertRaises(AccessError):
                call()
        self.assertFalse(comment.sudo().partner_ids)
        self.assertEqual(self._messages(self.case), before)
        self._assert_outsider_reads_nothing(self.case)
        comment.with_user(self.technician).write(
            {"partner_ids": [Command.link(self.portal_a.partner_id.id)]}
        )
        self.assertEqual(comment.sudo().partner_ids, self.portal_a.partner_id)

    def test_own_parties_still_follow_and_are_written_to(self):
        """R-055, R-063: the sheet's own dealer contact (who reads it on his
        portal), its customer and dealer companies and the customer's
        contact (without a login) follow it and are written to; the dealer
        contact subscribes himself; he reads what is posted for him."""
        case = self.case.with_user(self.technician)
        parties = (
            self.portal_a.partner_id | self.customer | self.customer_contact
        ) | self.dealer_a
        case.message_subscribe(partner_ids=parties.ids)
        self.assertEqual(self._followers(self.case) & parties, parties)
        message = case.message_post(
            body=Markup("<p>Parts shipped today.</p>"),
            partner_ids=(self.customer | self.portal_a.partner_id).ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(message.partner_ids, self.customer | self.portal_a.partner_id)
        self.case.message_unsubscribe(partner_ids=self.portal_a.partner_id.ids)
        self.assertTrue(
            self.case.with_user(self.portal_a).message_subscribe(
                partner_ids=self.portal_a.partner_id.ids
            )
        )
        seen = (
            self.env["mail.message"]
            .with_user(self.portal_a)
            .search([("model", "=", self.case._name), ("res_id", "=", self.case.id)])
        )
        self.assertIn(message, seen)

    def test_staff_post_in_no_customers_name(self):
        """R-063: the technician posting on a sheet as its customer (by
        ``author_id``, or by the customer's e-mail address), or as nobody, is
        refused; nothing is posted. He posts in his own name."""
        case = self.case.with_user(self.technician)
        before = self._messages(self.case)
        for author in (
            {"author_id": self.customer.id},
            {"author_id": self.portal_a.partner_id.id},
            {"email_from": self.customer.email},
            {"author_id": False},
        ):
            with self.subTest(author=author), self.assertRaises(AccessError):
                case.message_post(
                    body="I accept to pay for the repair.",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    **author,
                )
        with self.assertRaises(AccessError):
            case.message_notify(
                body="I accept.",
                partner_ids=self.technician.partner_id.ids,
                author_id=self.customer.id,
            )
        self.assertEqual(self._messages(self.case), before)
        mine = case.message_post(
            body="Called the customer.",
            author_id=self.technician.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(mine.author_id, self.technician.partner_id)

    def test_staff_mail_no_outsider_from_the_composer_in_mass_mode(self):
        """R-055, R-063: the composer's mass-mail mode mails its recipients the
        rendered sheet without posting on it; staff naming an outsider there
        mail him a sheet he may not read: refused, nothing mailed. The
        customer of the sheet is still mailed."""
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.technician)
            .with_context(
                default_model=self.case._name,
                default_res_ids=self.case.ids,
                default_composition_mode="mass_mail",
            )
        )
        Mail = self.env["mail.mail"].sudo()
        for partner in self.outsiders:
            wizard = composer.create(
                {
                    "subject": "About your forks",
                    "body": f"<p>{SECRET}</p>",
                    "partner_ids": [Command.set(partner.ids)],
                }
            )
            with self.subTest(partner=partner.name), self.assertRaises(AccessError):
                wizard.action_send_mail()
            self.assertFalse(Mail.search([("recipient_ids", "in", partner.ids)]))
        wizard = composer.create(
            {
                "subject": "About your forks",
                "body": "<p>We come on Monday.</p>",
                "partner_ids": [Command.set(self.customer.ids)],
            }
        )
        wizard.action_send_mail()
        self.assertTrue(Mail.search([("recipient_ids", "in", self.customer.ids)]))

    def _count_queries(self, search):
        """The queries of the second of two runs of ``search`` (the first
        fills Odoo's caches)."""
        search()
        before = self.env.cr.sql_log_count
        search()
        return self.env.cr.sql_log_count - before

    def test_followers_of_other_documents_searched_as_odoo_does(self):
        """R-047 (000-I L25), the cost of the follower guard: a user's search
        of the followers of a partner (a model not of the after-sales) costs
        the query Odoo's own search costs, no look at the after-sales
        documents followed; a search of a sheet's followers looks at them."""
        followers = self.env["mail.followers"].with_user(self.technician)

        def search(model):
            return lambda: followers.search([("res_model", "=", model)]).ids

        def search_as_odoo(model):
            return lambda: followers._search(
                [("res_model", "=", model)], bypass_access=True
            ).get_result_ids()

        self.assertEqual(
            self._count_queries(search("res.partner")),
            self._count_queries(search_as_odoo("res.partner")),
        )
        self.assertGreater(
            self._count_queries(search(self.case._name)),
            self._count_queries(search_as_odoo(self.case._name)),
        )

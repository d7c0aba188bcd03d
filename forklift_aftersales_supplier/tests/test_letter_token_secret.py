"""The access token of a service contact letter is the key of the links
mailed to the supplier's after-sales contact: logged out, it answers the
letter, reports the work done and sends the customer-signed sheet in the
contact's name (000 §4.2.3.2–3, R-086, R-163, R-164; README "What no user can
do"). Only the server reads it and only the contact's mailbox gets it: staff
who read letters get it neither by RPC, nor from the portal helpers and
pages, nor from the letter's messages, so they do not act in the supplier's
name; the contact still acts from his mailed link, logged out, and a
supplier's portal user on his own pages with his own rights."""

import base64
import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.forklift_aftersales.tests.common import (
    assert_token_not_shared,
    assert_token_unread_by_rpc,
    call_kw,
    json_rpc,
    portal_post,
)

from .common import SENT, SupplierCommon

LETTER = "forklift.supplier.letter"


def typed_answer():
    """The contact's answer, typed on the letter's page when the test runs:
    he cannot come in time and proposes a date three days from now, in his
    time zone (Asia/Shanghai; three days are still to come in any other), as
    a visit proposed before the answer is refused (R-163, R-192)."""
    proposed = fields.Datetime.now() + timedelta(days=3)
    local = proposed.replace(tzinfo=ZoneInfo("UTC")).astimezone(
        ZoneInfo("Asia/Shanghai")
    )
    return {
        "cannot_come_in_time": "1",
        "proposed_date": local.strftime("%Y-%m-%dT%H:%M"),
        "delay_reason": "Technician at another customer.",
    }


# his report of the work, typed on the letter's page (after the letter was
# sent on 2 March 2026, whatever the time zone)
DONE = {
    "arrival_date": "2026-03-05T10:00",
    "finished_date": "2026-03-05T14:00",
    "work_done": "Pump replaced.",
}
SIGNED_SHEET = b"%PDF-1.4 signed by the customer"


@tagged("post_install", "-at_install")
class TestLetterTokenSecret(HttpCase, SupplierCommon):
    """Supplier A's letter, sent by the service center on 2 March 2026; read
    in the back end by a viewer (the warehouse keeper, the inspector), the
    service center that sent it, the director and QA (R-086, R-163)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(SENT):
            cls.letter = cls._letter()
        # the test runs as the server: it reads the token
        cls.token = cls.letter.access_token
        cls.contact = cls.letter.contact_id
        cls.viewer = cls._group_user(
            "fs_token_viewer", "group_forklift_viewer,base.group_allow_export"
        )
        cls.readers = (cls.viewer, cls.staff, cls.director, cls.qa_manager)

    def _letter_state(self, letter=None):
        letter = letter or self.letter
        letter.invalidate_recordset()
        letter.service_order_id.invalidate_recordset()
        return (
            letter.state,
            letter.replied_date,
            letter.replied_by_id,
            letter.proposed_date,
            letter.service_order_id.state,
            letter.service_order_id.work_done,
            letter.access_token,
        )

    def _mail_to_contact(self, letter=None):
        """The e-mail the contact's mailbox gets (``mail.mail``)."""
        letter = letter or self.letter
        return self.env["mail.mail"].search(
            [
                ("model", "=", LETTER),
                ("res_id", "=", letter.id),
                ("recipient_ids", "in", letter.contact_id.ids),
            ]
        )

    def _mailed_path(self, letter=None):
        """The letter's link in the contact's e-mail."""
        mail = self._mail_to_contact(letter)
        self.assertEqual(len(mail), 1, "the letter is mailed to its contact")
        link = re.search(
            r'href="[^"]*(/my/forklift/letters/[^"]+)"', str(mail.body_html)
        )
        return link.group(1).replace("&amp;", "&")

    def _messages_as(self, user):
        """Everything ``user`` reads of the letter's messages by RPC: the
        chatter's own route (bodies and tracking values), ``mail.message``
        searched on the letter or on the link, and read by id (the outgoing
        mail's message included), and ``mail.mail``."""
        self.authenticate(user.login, user.login)
        domain = [("model", "=", LETTER), ("res_id", "=", self.letter.id)]
        ids = self.env["mail.message"].search(domain).ids
        ids += self._mail_to_contact().mail_message_id.ids
        answers = [
            json_rpc(
                self,
                "/mail/thread/messages",
                {"thread_model": LETTER, "thread_id": self.letter.id},
            ),
            call_kw(
                self,
                "mail.message",
                "search_read",
                [domain, ["body", "subject", "preview", "tracking_value_ids"]],
            ),
            call_kw(
                self,
                "mail.message",
                "search_read",
                [[("body", "ilike", "/my/forklift/letters/")], ["body"]],
            ),
            call_kw(self, "mail.message", "read", [ids, ["body"]]),
            call_kw(self, "mail.mail", "search_read", [domain, ["body_html"]]),
        ]
        return json.dumps(answers)

    @mute_logger("odoo.http", "odoo.models")
    def test_staff_do_not_read_the_token_by_rpc(self):
        """R-086, R-163: whoever reads letters in the back end, down to a
        mere viewer, is refused the token by every RPC that names it; a read
        of all fields leaves it out, and the fields do not list it."""
        assert_token_unread_by_rpc(self, self.letter, self.token, self.readers)
        self.assertEqual(self._letter_state()[-1], self.token)

    @mute_logger("odoo.http", "odoo.models")
    def test_the_link_goes_to_the_contacts_mailbox_not_the_chatter(self):
        """R-086 (000 §4.2.3.2): the letter, its service order and the link
        to answer them are mailed to the supplier's after-sales contact only;
        the link is not kept in the letter's chatter: no reader of the letter,
        nor the service center that sent it, finds the token in its messages
        (bodies, tracking values) nor in the outgoing mail. The chatter says
        the letter was mailed."""
        for user in self.readers:
            with self.subTest(user=user.login):
                self.assertNotIn(self.token, self._messages_as(user))
        mail = self._mail_to_contact()
        self.assertEqual(mail.recipient_ids, self.contact, "to the contact only")
        self.assertFalse(mail.email_to or mail.email_cc)
        self.assertEqual(len(mail.attachment_ids), 2, "the letter and the order")
        self.assertIn(f"access_token={self.token}", self._mailed_path())
        said = f"mailed to {self.contact.display_name}"
        self.assertTrue(
            any(said in body for body in self.letter.message_ids.mapped("body"))
        )

    @mute_logger("odoo.http", "odoo.models")
    def test_staff_get_no_token_from_the_portal(self):
        """R-086: the supplier's portal pages print the letter's key in their
        links and forms; a member of the staff who opens them logged in (the
        list, the letter, a ``/mail/view`` link) is sent to the letter in the
        back end and gets no token; nor does the share wizard or the mail
        composer (which build a document's link for whoever reads it) give it
        to him."""
        template = self.env.ref(
            "forklift_aftersales_supplier.mail_template_supplier_letter"
        )
        for user in (self.viewer, self.staff):
            self.authenticate(user.login, user.login)
            for url in (
                "/my/forklift/letters",
                f"/my/forklift/letters/{self.letter.id}",
                f"/mail/view?model={LETTER}&res_id={self.letter.id}",
            ):
                with self.subTest(user=user.login, url=url):
                    response = self.url_open(url)
                    self.assertNotIn(self.token, response.url)
                    self.assertNotIn(self.token, response.text)
                    self.assertNotIn("/my/", urlparse(response.url).path)
            with self.subTest(user=user.login):
                assert_token_not_shared(self, self.letter, self.token, template)

    @mute_logger("odoo.http", "odoo.models")
    def test_staff_do_not_answer_for_the_supplier(self):
        """R-086, R-163, R-164 (000 §4.2.3.2–3): the attack of a reader of
        letters (a viewer, or the service center itself): post the
        supplier's answer, the work done or the signed sheet on the portal,
        logged in, or logged out with the token read by RPC. Each is refused
        and nothing changes; the service center records an answer given by
        phone in the back end, in its own name (``action_record_answer``)."""
        before = self._letter_state()
        url = f"/my/forklift/letters/{self.letter.id}"
        for user in (self.viewer, self.staff):
            self.authenticate(user.login, user.login)
            answer = call_kw(self, LETTER, "read", [self.letter.ids, ["access_token"]])
            token = (answer.get("result") or [{}])[0].get("access_token") or ""
            self.assertFalse(token)
            for session in (user.login, None):
                self.authenticate(session, session)
                for suffix, data, files in (
                    ("answer", typed_answer(), None),
                    ("done", DONE, None),
                    (
                        "sheet",
                        {"signed_by": "Wang Jun"},
                        {"signed_sheet": ("s.pdf", SIGNED_SHEET, "application/pdf")},
                    ),
                ):
                    with self.subTest(user=user.login, session=session, step=suffix):
                        response = portal_post(
                            self,
                            f"{url}/{suffix}",
                            {**data, "access_token": token},
                            files=files,
                        )
                        self.assertNotIn(self.token, response.text)
                        self.assertEqual(self._letter_state(), before)

    def test_contact_acts_from_the_mailed_link_logged_out(self):
        """R-086, R-163, R-164 (000 §4.2.3.2–3): the supplier's after-sales
        contact, who has no portal login, opens the link of his e-mail logged
        out, answers, reports the work and sends the signed sheet: each in
        his name."""
        path = self._mailed_path()
        self.authenticate(None, None)
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.letter.name, page.text)
        url = f"/my/forklift/letters/{self.letter.id}"
        key = {"access_token": self.token}
        portal_post(self, f"{url}/answer", {**typed_answer(), **key})
        state = self._letter_state()
        self.assertEqual(state[0], "answered")
        self.assertEqual(state[2], self.contact, "answered in the contact's name")
        portal_post(self, f"{url}/done", {**DONE, **key})
        state = self._letter_state()
        self.assertEqual((state[0], state[4]), ("done", "done"))
        # the arrival he typed is told to the director in his name
        order = self.letter.service_order_id
        self.assertEqual(order.arrival_source, "typed")
        told = order.message_ids.filtered(lambda m: "typed the arrival" in m.body)
        self.assertEqual(len(told), 1)
        self.assertIn(self.contact.name, told.body)
        self.assertIn(self.director.partner_id, told.notified_partner_ids)
        portal_post(
            self,
            f"{url}/sheet",
            {"signed_by": "Wang Jun", **key},
            files={"signed_sheet": ("s.pdf", SIGNED_SHEET, "application/pdf")},
        )
        self.assertEqual(self._letter_state()[0], "sheet_received")
        order = self.letter.service_order_id
        self.assertEqual(base64.b64decode(order.supplier_sheet), SIGNED_SHEET)

    @mute_logger("odoo.http", "odoo.models")
    def test_a_stranger_logged_in_does_not_answer_with_the_key(self):
        """R-086, R-163 (000 §4.2.3.2): the letter's key is its contact's, who
        answers with it logged out, in his name. Another supplier's or a
        dealer's portal user who got hold of it (a forwarded mail) and posts
        it logged in would answer supplier A's letter in his own name, a
        document not his: he acts with his own rights only, is refused, and
        nothing changes."""
        dealer_user = self._portal_user("fs_key_dealer", self.dealer_a)
        before = self._letter_state()
        url = f"/my/forklift/letters/{self.letter.id}/answer"
        for user in (self.portal_b, dealer_user):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                portal_post(self, url, {**typed_answer(), "access_token": self.token})
                self.assertEqual(self._letter_state(), before)
                self.assertFalse(
                    self.letter.message_ids.filtered(
                        lambda m, user=user: m.author_id == user.partner_id
                    )
                )

    def test_supplier_portal_user_needs_no_token(self):
        """R-086: the supplier's portal user opens the letter from his
        notifications (``/mail/view``) and answers it on his page with his own
        rights: no token is needed, nor put in his link."""
        self.authenticate("supplier_a_portal", "supplier_a_portal")
        response = self.url_open(f"/mail/view?model={LETTER}&res_id={self.letter.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            urlparse(response.url).path, f"/my/forklift/letters/{self.letter.id}"
        )
        self.assertNotIn(self.token, response.url)
        self.assertIn(self.letter.name, response.text)
        portal_post(
            self, f"/my/forklift/letters/{self.letter.id}/answer", typed_answer()
        )
        state = self._letter_state()
        self.assertEqual(state[0], "answered")
        self.assertEqual(state[2], self.portal_a.partner_id)

    @mute_logger("odoo.http", "odoo.models")
    def test_a_colleague_of_the_contact_gets_no_token_from_his_answer(self):
        """R-086, R-163 (000 §4.2.3.2): a second portal user of the supplier,
        not the letter's contact, answers the letter logged in on his own
        page. The page he is sent back to opens with his own rights: neither
        its address nor anything of the answer's response carries the
        letter's key, so he cannot, logged out, report the work done or send
        the signed sheet in the contact's name; nothing changes."""
        colleague = self._portal_user(
            "supplier_a_colleague", self.supplier_a, "Qian (Hydraulics A)"
        )
        self.assertNotEqual(colleague.partner_id, self.contact)
        url = f"/my/forklift/letters/{self.letter.id}"
        self.authenticate(colleague.login, colleague.login)
        response = portal_post(
            self, f"{url}/answer", typed_answer(), allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        state = self._letter_state()
        self.assertEqual(state[0], "answered")
        self.assertEqual(state[2], colleague.partner_id, "in his own name")
        location = response.headers["Location"]
        # logged out, with whatever key the answer's response gave him
        query = parse_qs(urlparse(location).query)
        token = (query.get("access_token") or [""])[0]
        self.authenticate(None, None)
        for suffix, data, files in (
            ("done", DONE, None),
            (
                "sheet",
                {"signed_by": "Wang Jun"},
                {"signed_sheet": ("s.pdf", SIGNED_SHEET, "application/pdf")},
            ),
        ):
            with self.subTest(step=suffix):
                portal_post(
                    self,
                    f"{url}/{suffix}",
                    {**data, "access_token": token},
                    files=files,
                )
                self.assertEqual(self._letter_state(), state)
        self.assertNotIn("access_token", location)
        self.assertNotIn(self.token, json.dumps(dict(response.headers)))
        self.assertNotIn(self.token, response.text)
        # his page, opened from that address, is his own and shows no key
        self.authenticate(colleague.login, colleague.login)
        page = self.url_open(location)
        self.assertEqual(page.status_code, 200)
        self.assertEqual(urlparse(page.url).path, url)
        self.assertIn("your answer is recorded", page.text)
        self.assertNotIn(self.token, page.url + page.text)

    def test_the_contact_keeps_the_key_he_came_with(self):
        """R-086: the contact, logged out, answers from his mailed link: the
        page he is sent back to carries his own key, the same, and he goes
        on from it."""
        url = f"/my/forklift/letters/{self.letter.id}"
        self.authenticate(None, None)
        response = portal_post(
            self,
            f"{url}/answer",
            {**typed_answer(), "access_token": self.token},
            allow_redirects=False,
        )
        location = response.headers["Location"]
        self.assertEqual(urlparse(location).path, url)
        self.assertEqual(
            parse_qs(urlparse(location).query).get("access_token"), [self.token]
        )
        page = self.url_open(location)
        self.assertEqual(page.status_code, 200)
        self.assertIn("your answer is recorded", page.text)
        self.assertEqual(self._letter_state()[2], self.contact)

    def test_the_contact_keeps_his_name_on_the_page_after_his_post(self):
        """R-086: the link mailed to the contact names him (``pid``, ``hash``),
        so that what he writes on the letter's chatter is in his name. Each
        form of the page posts that name on, and the page he is sent back to
        after answering, reporting the work or sending the sheet still names
        him: he goes on in his own name, not as an anonymous visitor."""
        url = f"/my/forklift/letters/{self.letter.id}"
        pid = str(self.contact.id)
        link_hash = self.letter._sign_token(self.contact.id)
        signer = {"pid": [pid], "hash": [link_hash]}
        self.authenticate(None, None)
        page = self.url_open(
            f"{url}?access_token={self.token}&pid={pid}&hash={link_hash}"
        )
        self.assertEqual(page.status_code, 200)
        forms = re.findall(r"<form\b.*?</form>", page.text, re.S)
        letter_forms = [f for f in forms if f"letters/{self.letter.id}/" in f]
        self.assertTrue(letter_forms)
        for form in letter_forms:
            self.assertIn(f'name="pid" value="{pid}"', form)
            self.assertIn(f'name="hash" value="{link_hash}"', form)
        response = portal_post(
            self,
            f"{url}/answer",
            {
                **typed_answer(),
                "access_token": self.token,
                "pid": pid,
                "hash": link_hash,
            },
            allow_redirects=False,
        )
        query = parse_qs(urlparse(response.headers["Location"]).query)
        self.assertEqual({k: query.get(k) for k in signer}, signer)
        self.assertEqual(query.get("access_token"), [self.token])

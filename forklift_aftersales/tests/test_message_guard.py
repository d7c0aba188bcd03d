from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestMessageGuard(ForkliftCommon):
    """The chatter of an after-sales document is its record of what was said
    and done: R&D's answers (R-074), the director's review (R-130), the
    escalations from the field (R-251), the tracking of states and amounts.
    Odoo lets whoever may write a document rewrite or delete any of its
    messages by RPC; here a user rewrites or deletes only his own comments,
    and never the tracking, the system's messages or another's words. The
    server's own steps, Odoo's cleanup when a document is deleted and the
    administrator still do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rnd = cls._user("fa_rnd_mg", "forklift_aftersales.group_forklift_rnd")
        cls.case = cls._verified_case()

    def _flush_tracking(self):
        """The tracking, written as the transaction commits."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    @staticmethod
    def _content(messages):
        """What each message says, who said it when, and its tracking."""
        messages.invalidate_recordset()
        return [
            (
                message.exists().id,
                str(message.body),
                message.subject,
                message.author_id.id,
                message.date,
                message.message_type,
                message.subtype_id.id,
                message.is_internal,
                [
                    (
                        value.id,
                        value.field_id.name,
                        value.old_value_char or value.old_value_text,
                        value.new_value_char or value.new_value_text,
                    )
                    for value in message.tracking_value_ids
                ],
            )
            for message in messages.sudo()
        ]

    def _assert_untouched(self, messages, users):
        """Each of ``users``, who may write ``messages`` for Odoo, neither
        rewrites them (their text, author, date, type, subtype, visibility or
        tracking) nor deletes them: refused, and nothing changed."""
        before = self._content(messages)
        other = self.leader.partner_id
        attacks = {
            "body": {"body": "<p>Nothing to see.</p>"},
            "subject": {"subject": "Rewritten"},
            "author": {"author_id": other.id},
            "date": {"date": "2020-01-01 00:00:00"},
            "type": {"message_type": "comment"},
            "subtype": {
                "subtype_id": self.env.ref("mail.mt_comment").id,
            },
            "visibility": {"is_internal": False},
            "tracking": {"tracking_value_ids": [(5, 0, 0)]},
        }
        for message in messages:
            for user in users:
                theirs = message.with_user(user)
                self.assertTrue(theirs.has_access("write"), user.login)
                for attack, vals in attacks.items():
                    with (
                        self.subTest(message=message.id, user=user.login, a=attack),
                        self.assertRaises(UserError),
                    ):
                        theirs.write(vals)
                with (
                    self.subTest(message=message.id, user=user.login, a="delete"),
                    self.assertRaises(UserError),
                ):
                    theirs.unlink()
        self.assertEqual(self._content(messages), before)

    def _rnd_answer(self):
        """R&D answers the service center's question: its answer posted on
        the sheet in R&D's member's name (R-074)."""
        question = (
            self.env["forklift.technical.question"]
            .with_user(self.staff)
            .create({"feedback_id": self.case.id, "question": "Which seal kit?"})
        )
        question.with_user(self.rnd).write({"answer": "<p>Kit LC-2025-B.</p>"})
        question.with_user(self.rnd).action_answer()
        answer = self.case.message_ids.filtered(
            lambda message: "Kit LC-2025-B" in str(message.body)
        )
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.author_id, self.rnd.partner_id)
        return answer

    @mute_logger("odoo.models.unlink")
    def test_staff_rewrite_or_delete_no_message_of_another(self):
        """R-074, R-130: the technician and the staff neither rewrite nor
        delete R&D's answer on a sheet, the director's review of a service
        order, nor a colleague's comment."""
        answer = self._rnd_answer()
        order = self._registered_order(
            self._service_order(self._verified_case()), "Wang Jun"
        )
        self._director_review(order)
        review = order.message_ids.filtered(
            lambda message: "Report checked with the technician" in str(message.body)
        )
        self.assertEqual(len(review), 1)
        self.assertEqual(review.author_id, self.director.partner_id)
        comment = self.case.with_user(self.staff).message_post(
            body="Customer called back: the forks still sink.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self._assert_untouched(answer | review, (self.technician, self.staff))
        self._assert_untouched(comment, (self.technician, self.director))

    @mute_logger("odoo.models.unlink")
    def test_tracking_stays_as_it_was_recorded(self):
        """R-251: the tracking message of a service order's escalation (its
        reason, written by the technician himself) and of a sheet's
        verification (its state) are the audit trail: the technician who
        escalated and the director neither rewrite nor delete them, and their
        tracking values stay."""
        case = self._create_case(
            verification="<p>Leaking lift cylinder seal.</p>",
            responsibility="manufacturing",
            route="technician",
        )
        order = self._service_order(self._verified_case())
        order.action_dispatch()
        # tracked from here: the records are no longer created in this
        # transaction
        self._flush_tracking()
        case.action_verify()
        mine = order.with_user(self.technician)
        mine.write({"escalation_reason": "Mast cracked: stop the forklift?"})
        mine.action_escalate()
        self._flush_tracking()
        escalation = order.message_ids.filtered(
            lambda message: (
                "escalation_reason"
                in message.sudo().tracking_value_ids.field_id.mapped("name")
            )
        )
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.author_id, self.technician.partner_id)
        verification = case.message_ids.filtered(
            lambda message: (
                "state" in message.sudo().tracking_value_ids.field_id.mapped("name")
            )
        )
        self.assertTrue(verification)
        tracked = (escalation | verification).sudo().tracking_value_ids
        self._assert_untouched(escalation, (self.technician, self.director))
        self._assert_untouched(verification, (self.technician, self.director))
        self.assertEqual(tracked.exists(), tracked)

    def test_own_comment_is_edited_and_deleted_by_its_author(self):
        """A user still edits his own comment as Odoo lets him (the chatter's
        edit, ``_message_update_content``) and deletes it; he does not make it
        another's, date it back, nor turn it into a log of the system."""
        case = self.case.with_user(self.technician)
        comment = case.message_post(
            body="Will call the customer tomorrow.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        mine = comment.with_user(self.technician)
        case._message_update_content(mine, body="Called the customer.")
        self.assertIn("Called the customer.", str(comment.body))
        mine.write({"subject": "Call"})
        for vals in (
            {"author_id": self.director.partner_id.id},
            {"date": "2020-01-01 00:00:00"},
            {"message_type": "notification"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                mine.write(vals)
        self.assertEqual(comment.author_id, self.technician.partner_id)
        self.assertEqual(comment.message_type, "comment")
        mine.unlink()
        self.assertFalse(comment.exists())

    def test_document_deleted_and_administrator_still_clean_up(self):
        """Deleting a document deletes its messages (Odoo does it as
        superuser), whoever wrote them; the administrator deletes a message."""
        order = self._service_order(self._verified_case())
        order.with_user(self.staff).message_post(
            body="Customer asks for a morning visit.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        messages = order.message_ids
        self.assertTrue(messages.sudo().tracking_value_ids or len(messages) > 1)
        order.with_user(self.director).unlink()
        self.assertFalse(messages.exists())
        admin = self.env.ref("base.user_admin")
        verification = self.case.message_ids[-1:]
        verification.with_user(admin).write({"body": "<p>Cleaned.</p>"})
        verification.with_user(admin).unlink()
        self.assertFalse(verification.exists())

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_staff_forge_no_message_by_creating_it(self):
        """R-063, R-130: what the chatter shows was posted through the posting
        routes, in the poster's name. A technician creating a message by RPC
        on the sheet in the director's or the customer's name, as a system
        notification, with a subtype of another step or with tracking, or
        naming recipients, forges an entry of its record: refused, nothing
        added. He still writes his own comment through the chatter."""
        staff = self.technician
        before = self.case.message_ids
        director = self.director.partner_id
        base = {
            "model": self.case._name,
            "res_id": self.case.id,
            "body": "<p>Approved by the director: no review needed.</p>",
        }
        for vals in (
            {"author_id": director.id, "message_type": "comment"},
            {"author_id": self.customer.id, "message_type": "comment"},
            {"message_type": "notification"},
            {
                "message_type": "comment",
                "author_id": staff.partner_id.id,
                "subtype_id": self.env.ref("mail.mt_comment").id,
                "partner_ids": [(4, director.id)],
            },
            {
                "message_type": "comment",
                "author_id": staff.partner_id.id,
                "date": "2026-01-01 08:00:00",
            },
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.env["mail.message"].with_user(staff).create({**base, **vals})
        self.case.invalidate_recordset()
        self.assertEqual(self.case.message_ids, before)
        self.case.with_user(staff).message_post(
            body="Customer called back.", message_type="comment"
        )
        self.assertEqual(len(self.case.message_ids - before), 1)

    def test_staff_backdate_no_post(self):
        """R-137, R-063: a message posted on a sheet is dated when it is
        posted. The technician posting over RPC (``message_post``) with a
        ``date`` of his choice would put a comment ("customer told of the
        delay") before the steps it follows in the sheet's record: refused,
        nothing posted. He still posts, dated now."""
        case = self.case.with_user(self.technician)
        before = self.case.message_ids
        with self.assertRaises(UserError):
            case.message_post(
                body="Customer told of the delay on the day he called.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                date="2020-01-01 08:00:00",
            )
        with self.assertRaises(UserError):
            self.env["mail.thread"].with_user(self.technician).message_notify(
                body="Told on the day.",
                partner_ids=self.director.partner_id.ids,
                model=self.case._name,
                res_id=self.case.id,
                date="2020-01-01 08:00:00",
            )
        self.case.invalidate_recordset()
        self.assertEqual(self.case.message_ids, before)
        message = case.message_post(body="Customer told.", message_type="comment")
        self.assertGreater(message.date.year, 2020)

    def _assert_refused_unnamed(self, attacks, *names):
        """Each of ``attacks`` (name -> call) is refused by Odoo's access
        rights, its message telling none of ``names``."""
        for name, attack in attacks.items():
            with self.subTest(attack=name):
                self._assert_told_nothing(attack, names)

    def test_other_company_staff_learn_nothing_of_a_sheet_they_post_on(self):
        """R-055, R-063, R-137: after-sales staff of another company posting
        over RPC on this company's sheet (its id), with a keyword the chatter
        refuses (a date, a customer as author, a customer as recipient or
        follower, another sheet's message answered, a reply-to address, an
        address to mail), are refused by Odoo's access rights before the
        refusal names the sheet: they learn neither its number nor its
        title, and nothing is posted."""
        _company_b, staff_b = self._new_company_user(
            "Chatter Branch B", "fa_chatter_staff_b", "group_forklift_user"
        )
        outsider = self.env["res.partner"].create({"name": "Outside Trader"})
        other_message = self._verified_case().message_ids[:1]
        case = self.case.with_user(staff_b)
        before = self.case.message_ids
        sent = {
            "date": {"date": "2020-01-01 08:00:00"},
            "author": {"author_id": self.case.partner_id.id},
            "recipient": {"partner_ids": outsider.ids},
            "parent": {"parent_id": other_message.id},
            "reply-to": {"reply_to": "someone@outside.example.com"},
            "address": {"outgoing_email_to": "someone@outside.example.com"},
        }
        attacks = {
            f"post {name}": lambda kwargs=kwargs: case.message_post(
                body="Told.", message_type="comment", **kwargs
            )
            for name, kwargs in sent.items()
        }
        attacks |= {
            f"notify {name}": lambda kwargs=kwargs: (
                self.env["mail.thread"]
                .with_user(staff_b)
                .message_notify(
                    body="Told.",
                    model=self.case._name,
                    res_id=self.case.id,
                    **{"partner_ids": staff_b.partner_id.ids, **kwargs},
                )
            )
            for name, kwargs in sent.items()
            if name not in ("parent", "address")
        }
        attacks["follow"] = lambda: case.message_subscribe(partner_ids=outsider.ids)
        self._assert_refused_unnamed(attacks, self.case.name, self.case.title)
        self.case.invalidate_recordset()
        self.assertEqual(self.case.message_ids, before)
        self.assertNotIn(outsider, self.case.message_partner_ids)

    def test_staff_learn_no_name_of_another_company_contact(self):
        """R-055, R-063: a contact of another company, which this company's
        staff may not read, named over RPC as the author or a recipient of a
        post on their own sheet, or as a follower, is refused by Odoo's
        access rights: the refusal does not tell his name; nothing is
        posted and he does not follow."""
        company_b = self.env["res.company"].create({"name": "Chatter Co B"})
        hidden = self.env["res.partner"].create(
            {"name": "Quiet Harbour Imports", "company_id": company_b.id}
        )
        case = self.case.with_user(self.technician)
        with self.assertRaises(AccessError):
            hidden.with_user(self.technician).read(["name"])
        before = self.case.message_ids
        attacks = {
            "author": lambda: case.message_post(body="Told.", author_id=hidden.id),
            "recipient": lambda: case.message_post(
                body="Told.", partner_ids=hidden.ids
            ),
            "follower": lambda: self.case.with_user(self.director).message_subscribe(
                partner_ids=hidden.ids
            ),
        }
        self._assert_refused_unnamed(attacks, hidden.name)
        self.case.invalidate_recordset()
        self.assertEqual(self.case.message_ids, before)
        self.assertNotIn(hidden, self.case.message_partner_ids)

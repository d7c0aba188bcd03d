from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon, ShippedPartsCommon


class CommitteeCommon(ForkliftCommon):
    """The five seat holders of the after-sales committee (000 §5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        (
            cls.chief_engineer,
            cls.qa_manager,
            cls.rnd_manager,
            cls.purchasing_manager,
        ) = cls._role_users(
            "fa_seat",
            "chief_engineer",
            "qa_manager",
            "rnd_manager",
            "purchasing_manager",
            email=True,
        )
        # three seat holders present: a quorum
        cls.quorum = cls.chief_engineer | cls.qa_manager | cls.rnd_manager
        cls.seat_qa = cls.env.ref("forklift_aftersales.committee_seat_qa_manager")
        cls.review_model = cls.env["forklift.committee.review"]

    def _review(self, **vals):
        review = self.review_model.with_user(self.staff).create(
            {"subject_type": "other", "title": "Repeated mast failures", **vals}
        )
        return review.with_env(self.env)

    def _confirm(self, review, attendees):
        """Each seat holder confirms his own attendance."""
        for attendee in attendees - review.attendee_ids:
            review.with_user(attendee).action_confirm_attendance()

    def _decide(self, review, attendees, user=None, **vals):
        review.write(
            {
                "decision": "<p>Replace the mast chain supplier.</p>",
                **vals,
            }
        )
        self._confirm(review, attendees)
        review.with_user(user or self.chief_engineer).request_validation()
        self._sign(review)

    def _withdraw(self, review, member, document):
        """``member`` confirms his attendance and withdraws ``review`` alone
        (no quorum needed); ``document``'s chatter says so."""
        review.with_user(member).action_confirm_attendance()
        review.with_user(member).action_cancel()
        self.assertEqual(review.state, "cancel")
        self.assertIn(review.name, document.message_ids[:1].body)
        self.assertIn("withdrew", document.message_ids[:1].body)

    def _sign(self, review):
        """Every member present but the one who submitted signs the decision."""
        for tier in review.review_ids.filtered(lambda r: r.status == "pending"):
            review.with_user(tier.forklift_member_id).validate_tier()


@tagged("post_install", "-at_install")
class TestCommitteeSeats(CommitteeCommon):
    """以岗定职 (000 §5, R-248): seats go with positions."""

    def test_position_holders_sit_on_the_committee(self):
        seats = self.env["forklift.committee.seat"].search([])
        self.assertEqual(len(seats), 5)
        members = seats.holder_ids
        for holder in (
            self.chief_engineer,
            self.qa_manager,
            self.rnd_manager,
            self.purchasing_manager,
            self.director,
        ):
            self.assertIn(holder, members)
            self.assertTrue(
                holder.has_group("forklift_aftersales.group_forklift_committee")
            )
        self.assertNotIn(self.staff, members)
        self.assertNotIn(self.qa, members, "a QA inspector holds no seat")

    def test_successor_takes_the_seat_automatically(self):
        """The QA manager is transferred; the new QA manager is a member at once,
        without anyone editing the committee, and the history keeps who sat."""
        old_review = self._review(title="Before the transfer")
        self._decide(old_review, self.quorum)
        self.assertIn(self.qa_manager, old_review.member_line_ids.user_id)

        qa_manager_group = self.env.ref("forklift_aftersales.group_forklift_qa_manager")
        successor = self._group_user("fa_qa_mgr_new", "group_forklift_qa")
        self.qa_manager.group_ids = [Command.unlink(qa_manager_group.id)]
        successor.group_ids = [Command.link(qa_manager_group.id)]

        self.assertEqual(self.seat_qa.holder_ids, successor)
        self.assertTrue(
            successor.has_group("forklift_aftersales.group_forklift_committee")
        )
        self.assertFalse(
            self.qa_manager.has_group("forklift_aftersales.group_forklift_committee")
        )
        review = self._review(title="After the transfer")
        self.assertIn(successor, review.activity_ids.user_id)
        self.assertNotIn(self.qa_manager, review.activity_ids.user_id)
        with self.assertRaisesRegex(AccessError, "do not hold a committee seat"):
            self._decide(review, self.chief_engineer | self.qa_manager | self.director)
        self.assertEqual(review.state, "draft")
        self._decide(review, self.chief_engineer | successor | self.director, successor)
        self.assertEqual(review.state, "done")
        qa_line = review.member_line_ids.filtered(lambda m: m.seat_id == self.seat_qa)
        self.assertEqual(qa_line.user_id, successor)
        self.assertTrue(qa_line.present)
        old_qa_line = old_review.member_line_ids.filtered(
            lambda m: m.seat_id == self.seat_qa
        )
        self.assertEqual(old_qa_line.user_id, self.qa_manager, "history is kept")

    def test_no_one_seats_his_own_staff(self):
        """R-248, R-057 (000 §5): the director, who manages the seats, binds
        one to a position outside the committee (his technicians, the
        warehouse): refused, so they neither confirm attendance nor make the
        quorum; a member whose seat is gone after the decision was asked
        signs no more."""
        Seat = self.env["forklift.committee.seat"].with_user(self.director)
        viewer = self.env.ref("forklift_aftersales.group_forklift_user")
        with self.assertRaises(ValidationError):
            Seat.create({"name": "Service staff", "position_group_id": viewer.id})
        seat = self.env.ref("forklift_aftersales.committee_seat_rnd_manager")
        with self.assertRaises(ValidationError):
            seat.with_user(self.director).position_group_id = viewer
        self.assertEqual(
            seat.position_group_id,
            self.env.ref("forklift_aftersales.group_forklift_rnd_manager"),
        )
        review = self._review()
        with self.assertRaises(AccessError):
            review.with_user(self.staff).action_confirm_attendance()
        review.decision = "<p>Replace the mast chain supplier.</p>"
        self._confirm(review, self.quorum)
        review.with_user(self.chief_engineer).request_validation()
        seat.active = False  # the R&D manager's seat is gone
        with self.assertRaises(AccessError):
            review.with_user(self.rnd_manager).validate_tier()
        self.assertEqual(
            review.review_ids.filtered(
                lambda r: r.forklift_member_id == self.rnd_manager
            ).status,
            "pending",
        )
        self.assertEqual(review.state, "draft")


@tagged("post_install", "-at_install")
class TestCommitteeReview(CommitteeCommon):
    def test_only_members_with_a_quorum_decide(self):
        review = self._review()
        with self.assertRaisesRegex(UserError, "Only a member"):
            self._decide(review, self.chief_engineer | self.qa_manager, self.staff)
        with self.assertRaisesRegex(ValidationError, "At least 3 seat holders"):
            self._decide(review, self.chief_engineer | self.qa_manager)
        review.write({"decision": False})
        self._confirm(review, self.director)
        with self.assertRaisesRegex(UserError, "decision"):
            review.with_user(self.qa_manager).request_validation()
        self.assertEqual(review.state, "draft")
        with self.assertRaises(AccessError):
            review.with_user(self.staff).write({"state": "done"})

    def test_decision_lists_the_members_of_its_company(self):
        """R-248 (000 §5), R-073: the decision's record of who held each
        seat lists the holders working in the review's company. The QA
        manager of another company, holding the same position there, is not
        recorded as an absent member of this company's committee."""
        _company_b, qa_manager_b = self._new_company_user(
            "Forklift Co B", "fa_seat_qa_manager_b", "group_forklift_qa_manager"
        )
        review = self._review()
        self._decide(review, self.quorum)
        members = review.member_line_ids.user_id
        self.assertIn(self.qa_manager, members)
        self.assertNotIn(qa_manager_b, members)

    def test_decision_records_members_present(self):
        review = self._review()
        self.assertIn(self.rnd_manager, review.activity_ids.user_id)
        self._decide(
            review, self.chief_engineer | self.qa_manager | self.purchasing_manager
        )
        self.assertEqual(review.state, "done", "no follow-up action to wait for")
        self.assertEqual(review.decided_by_id, self.chief_engineer)
        self.assertTrue(review.meeting_date)
        present = review.member_line_ids.filtered("present").user_id
        self.assertEqual(
            present, self.chief_engineer | self.qa_manager | self.purchasing_manager
        )
        absent = review.member_line_ids.filtered(lambda m: not m.present).user_id
        self.assertIn(self.rnd_manager, absent)
        self.assertIn(self.director, absent)
        self.assertFalse(
            review.activity_ids.filtered(lambda a: a.summary.startswith("Committee")),
            "the members' review to-dos are closed",
        )

    def test_follow_up_actions_are_owned_dated_and_reminded(self):
        with freeze_time("2026-03-02"):
            review = self._review()
            # the members present set the actions with the decision
            self._confirm(review, self.chief_engineer)
            member_review = review.with_user(self.chief_engineer)
            with self.assertRaises(ValidationError) as error:
                member_review.action_ids = [
                    Command.create(
                        {
                            "name": "Too early",
                            "user_id": self.technician.id,
                            "date_deadline": date(2026, 3, 1),
                        }
                    )
                ]
            self.assertIn("before the review was submitted", str(error.exception))
            self.assertFalse(review.action_ids)
            member_review.action_ids = [
                Command.create(
                    {
                        "name": "Train the technicians on chain tension",
                        "user_id": self.technician.id,
                        "date_deadline": date(2026, 3, 20),
                    }
                )
            ]
            self._decide(review, self.quorum)
        action = review.action_ids
        self.assertEqual(review.state, "decided")
        self.assertEqual(action.activity_id.user_id, self.technician)
        overdue = [("is_overdue", "=", True)]
        with freeze_time("2026-03-21"):
            self.assertIn(action, self.env["forklift.committee.action"].search(overdue))
            # the one scheduled job of every deadline, run twice: reminded once
            reminders = self.env["forklift.deadline.reminder"]
            reminders._cron_remind_all()
            reminders._cron_remind_all()
            late = review.activity_ids.filtered(
                lambda a: a.summary.startswith("Late committee action")
            )
            self.assertEqual(len(late), 1)
            self.assertEqual(late.user_id, self.technician)
        with self.assertRaisesRegex(UserError, "owner"):
            action.with_user(self.staff).action_mark_done()
        action.with_user(self.technician).action_mark_done()
        self.assertTrue(action.is_done)
        self.assertEqual(review.state, "done")

    def test_a_follow_up_action_is_owned_by_the_staff(self):
        """R-020, R-055 (000 §5; seed: the committee's seat holders): the
        committee's follow-up actions are owned by the staff, refused when
        they are set. A dealer named as an owner was accepted, and the
        decision then could not be signed: its last signature gives each
        owner his to-do, which the chatter refuses to send to a dealer who
        may not read the review, and the actions of a decision out for
        signature no longer change."""
        dealer = self._portal_user("fa_cmt_dealer", self.dealer_a)
        with freeze_time("2026-03-02"):
            review = self._review()
            self._confirm(review, self.chief_engineer)
            vals = {
                "name": "Send the dealer the new chain",
                "user_id": dealer.id,
                "date_deadline": date(2026, 3, 20),
            }
            with self.assertRaises(ValidationError):
                review.with_user(self.chief_engineer).action_ids = [
                    Command.create(vals)
                ]
            review.with_user(self.chief_engineer).action_ids = [
                Command.create({**vals, "user_id": self.technician.id})
            ]
            self._decide(review, self.quorum)
            # nor reassigned to him once decided (the to-do moves under sudo)
            with self.assertRaises(ValidationError):
                review.action_ids.with_user(self.chief_engineer).user_id = dealer
        self.assertNotIn(dealer.partner_id, review.message_partner_ids)
        self.assertNotIn(dealer, review.activity_ids.user_id)

    def test_a_review_is_withdrawn_by_the_members_present_only(self):
        """R-020, R-228 (000 §4.2.4): the committee decides what is put
        before it, withdrawing a review included. A seat holder absent from
        the meeting (a party to the dispute, say) does not cancel it, nor
        does anyone while its decision is out for the members' signatures:
        a member present takes the decision back first, then may cancel."""
        review = self._review()
        # no meeting yet: nobody withdraws it alone
        with self.assertRaisesRegex(AccessError, "Only a member present"):
            review.with_user(self.qa_manager).action_cancel()
        review.write({"decision": "<p>Replace the mast chain supplier.</p>"})
        self._confirm(review, self.chief_engineer | self.rnd_manager | self.director)
        review.with_user(self.chief_engineer).request_validation()
        for user in (self.qa_manager, self.purchasing_manager):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "Only a member present"):
                    review.with_user(user).action_cancel()
        with self.assertRaisesRegex(UserError, "out for the members' signatures"):
            review.with_user(self.chief_engineer).action_cancel()
        self.assertEqual(review.state, "draft")
        self.assertEqual(len(review.review_ids), 2, "the signatures asked stay")
        review.with_user(self.rnd_manager).restart_validation()
        review.with_user(self.rnd_manager).action_cancel()
        self.assertEqual(review.state, "cancel")

    def test_actions_of_a_closed_review_do_not_change(self):
        """R-020 (000 §4.2.4, §5): the follow-up actions are set while the
        committee decides and follows them up; once they are all done, or the
        review cancelled, a member no longer creates, changes or deletes them
        over RPC (the form shows them read-only), neither on the actions nor
        through the review."""
        action_model = self.env["forklift.committee.action"]
        member = self.chief_engineer

        def action_vals(name, **vals):
            return {
                "name": name,
                "user_id": self.technician.id,
                "date_deadline": date(2026, 3, 20),
                **vals,
            }

        with freeze_time("2026-03-02"):
            done, cancelled = self._review(), self._review(title="Brake noise")
            for review in (done, cancelled):
                # the members present set the actions with the decision
                self._confirm(review, member)
                review.with_user(member).action_ids = [
                    Command.create(action_vals("Train the technicians"))
                ]
            self._decide(done, member | self.qa_manager | self.rnd_manager)
            cancelled.with_user(member).action_cancel()
            # decided: the committee still adds and adjusts its actions
            done.with_user(member).action_ids = [
                Command.create(action_vals("Audit the supplier"))
            ]
            done.action_ids[:1].with_user(member).date_deadline = date(2026, 3, 25)
        self.assertEqual(done.state, "decided")
        # decided: an action is done, never deleted
        with self.assertRaisesRegex(UserError, "was decided: it is done, not deleted"):
            done.action_ids[:1].with_user(member).unlink()
        self.assertEqual(len(done.action_ids), 2)
        for action in done.action_ids:
            action.with_user(self.technician).action_mark_done()
        self.assertEqual(done.state, "done")
        self.assertEqual(cancelled.state, "cancel")
        for review in (done, cancelled):
            action = review.action_ids[:1]
            names = ["name", "date_deadline", "is_done"]
            kept_lines = review.action_ids
            kept = self._field_values(action, names)
            attacks = {
                "create": lambda review=review: action_model.with_user(member).create(
                    action_vals("Late idea", review_id=review.id)
                ),
                "write": lambda action=action: action.with_user(member).write(
                    {"name": "Changed"}
                ),
                "unlink": lambda action=action: action.with_user(member).unlink(),
            }
            for command in (
                Command.create(action_vals("Late idea")),
                Command.update(action.id, {"name": "Changed"}),
                Command.delete(action.id),
                Command.unlink(action.id),
                Command.clear(),
                Command.set([]),
            ):
                attacks[str(command)] = lambda review=review, command=command: (
                    review.with_user(member).write({"action_ids": [command]})
                )
            for attack, call in attacks.items():
                with self.subTest(state=review.state, attack=attack):
                    # assertRaises rolls back what the refused call created
                    with self.assertRaises(UserError) as error:
                        call()
                    self.assertRegex(
                        str(error.exception),
                        f"{review.name} is closed: its follow-up actions cannot change",
                    )
            review.invalidate_recordset()
            self.assertEqual(review.action_ids, kept_lines)
            self.assertEqual(self._field_values(action, names), kept)

    def test_a_decided_action_is_followed_up_by_its_owner_and_the_members_present(
        self,
    ):
        """R-020, R-057 (000 §4.2.4, §5): once decided, an action's text is
        the committee's decision and stays, whoever asks; the members present
        reassign it or move its deadline (its to-do follows) and add actions;
        its owner or a member present reports it done. A seat holder who was
        not at the meeting changes nothing: he neither empties an action nor
        takes it over, nor reports it done to close the review."""
        Action = self.env["forklift.committee.action"]
        present = self.quorum
        review = self._review()
        self._confirm(review, present)
        review.with_user(self.chief_engineer).action_ids = [
            Command.create(
                {
                    "name": "Replace the mast chain supplier",
                    "user_id": self.technician.id,
                    "date_deadline": "2030-01-31",
                }
            )
        ]
        self._decide(review, present)
        action = review.action_ids
        self.assertEqual(review.state, "decided")
        names = ["name", "user_id", "date_deadline", "is_done"]
        kept = self._field_values(action, names)
        for user in (self.purchasing_manager, self.director):
            attacks = {
                "rename": lambda user=user: action.with_user(user).write(
                    {"name": "(nothing to do)"}
                ),
                "take over": lambda user=user: action.with_user(user).write(
                    {"user_id": user.id}
                ),
                "put off": lambda user=user: action.with_user(user).write(
                    {"date_deadline": "2031-12-31"}
                ),
                "update": lambda user=user: review.with_user(user).write(
                    {"action_ids": [Command.update(action.id, {"user_id": user.id})]}
                ),
                "add": lambda user=user: Action.with_user(user).create(
                    {
                        "review_id": review.id,
                        "name": "Nothing more",
                        "user_id": user.id,
                        "date_deadline": "2030-01-31",
                    }
                ),
                "done": lambda user=user: action.with_user(user).action_mark_done(),
            }
            for attack, call in attacks.items():
                with self.subTest(user=user.login, attack=attack):
                    with self.assertRaisesRegex(AccessError, "member present"):
                        call()
        self.assertEqual(self._field_values(action, names), kept)
        self.assertEqual(review.action_ids, action)
        self.assertEqual(review.state, "decided")
        # the text is the decision's: not even a member present renames it
        for user in (self.chief_engineer, self.qa_manager):
            with self.subTest(user=user.login, attack="rename"):
                with self.assertRaisesRegex(UserError, "text is the decision"):
                    action.with_user(user).write({"name": "(nothing to do)"})
        self.assertEqual(self._field_values(action, names), kept)
        # a member present reassigns it and moves its deadline; the to-do
        # goes with it
        action.with_user(self.qa_manager).write(
            {"user_id": self.staff.id, "date_deadline": "2030-02-28"}
        )
        self.assertEqual(action.user_id, self.staff)
        self.assertEqual(action.activity_id.user_id, self.staff)
        self.assertEqual(str(action.activity_id.date_deadline), "2030-02-28")
        # the former owner no longer reports it done; the owner does
        with self.assertRaisesRegex(AccessError, "owner"):
            action.with_user(self.technician).action_mark_done()
        # a member present adds an action, planned for its owner
        added = Action.with_user(self.rnd_manager).create(
            {
                "review_id": review.id,
                "name": "Audit the new supplier",
                "user_id": self.technician.id,
                "date_deadline": "2030-03-31",
            }
        )
        self.assertEqual(added.activity_id.user_id, self.technician)
        action.with_user(self.staff).action_mark_done()
        self.assertEqual(review.state, "decided")
        added.with_user(self.chief_engineer).action_mark_done()
        self.assertTrue(added.is_done)
        self.assertEqual(review.state, "done")

    def test_a_follow_up_action_is_not_put_off_for_ever(self):
        """R-020, R-207 (000 §4.2.4): the members present move the due date
        of a follow-up action, within the years a plan reaches. A member
        present set it to 2999 over RPC, on the action or through the review,
        and the action was never late: its owner never reminded, the review
        never closed nor shown late."""
        Action = self.env["forklift.committee.action"]
        present = self.quorum
        review = self._review()
        self._confirm(review, present)
        member_review = review.with_user(self.chief_engineer)
        vals = {
            "name": "Replace the mast chain supplier",
            "user_id": self.technician.id,
            "date_deadline": "2999-12-31",
        }
        with self.assertRaises(ValidationError):
            member_review.action_ids = [Command.create(vals)]
        self.assertFalse(review.action_ids)
        member_review.action_ids = [
            Command.create({**vals, "date_deadline": date.today()})
        ]
        self._decide(review, present)
        action = review.action_ids
        kept = action.date_deadline
        attacks = {
            "write": lambda: action.with_user(self.qa_manager).write(
                {"date_deadline": "2999-12-31"}
            ),
            "update": lambda: review.with_user(self.qa_manager).write(
                {
                    "action_ids": [
                        Command.update(action.id, {"date_deadline": "2999-12-31"})
                    ]
                }
            ),
            "add": lambda: Action.with_user(self.rnd_manager).create(
                {**vals, "review_id": review.id}
            ),
        }
        for attack, call in attacks.items():
            with self.subTest(attack=attack):
                with self.assertRaises(ValidationError):
                    call()
        self.assertEqual(action.date_deadline, kept)
        self.assertEqual(review.action_ids, action)

    def test_review_not_decided_in_time_is_reminded(self):
        with freeze_time("2026-03-02"):
            review = self._review()
        self.assertEqual(review.review_deadline, date(2026, 3, 9))
        with freeze_time("2026-03-10"):
            self.assertIn(review, self.review_model.search([("is_overdue", "=", True)]))
            self.review_model._cron_remind_overdue()
            reminder = review.activity_ids.filtered(
                lambda a: a.summary == "Committee review not decided in time"
            )
            self.assertEqual(reminder.user_id, self.staff)

    def test_members_do_not_push_back_the_review_deadline(self):
        """R-207: the committee decides within the days the administrator
        set ("Committee Decides Within"), counted from the submission; no
        member types another deadline, on a new review or on one to review,
        to silence its overdue flag."""
        with freeze_time("2026-03-02"):
            review = self._review()
        members = (
            self.chief_engineer,
            self.qa_manager,
            self.rnd_manager,
            self.director,
        )
        with freeze_time("2026-03-10"):
            self.assertTrue(review.is_overdue)
            for member in members:
                with self.subTest(member=member.login):
                    with self.assertRaises(UserError):
                        review.with_user(member).write(
                            {"review_deadline": "2027-06-30"}
                        )
                    with self.assertRaises(UserError):
                        self.review_model.with_user(member).create(
                            {
                                "subject_type": "other",
                                "title": "Typed deadline",
                                "review_deadline": "2027-06-30",
                            }
                        )
            review.invalidate_recordset()
            self.assertEqual(review.review_deadline, date(2026, 3, 9))
            self.assertTrue(review.is_overdue)
            self.assertFalse(
                self.review_model.search([("title", "=", "Typed deadline")])
            )

    def test_meeting_cannot_precede_submission(self):
        with freeze_time("2026-03-02 10:00"):
            review = self._review()
        with self.assertRaisesRegex(ValidationError, "before it was submitted"):
            review.meeting_date = "2026-03-01 09:00:00"


@tagged("post_install", "-at_install")
class TestCommitteeOldPartDispute(CommitteeCommon, ShippedPartsCommon):
    """A disputed old part decided by the committee changes who pays
    (000 §4.3.2.4, R-228, R-247)."""

    def _oldpart_note(self, applicant):
        return self._shipped_request(applicant).oldpart_return_ids

    def test_committee_lifts_a_technicians_charge(self):
        note = self._oldpart_note("technician")
        note.with_user(self.staff).action_charge_technician()
        self.assertEqual(note.cost_bearer, "technician")
        self.assertEqual(note.charged_amount, 300)
        note.with_user(self.staff).action_dispute()
        self.assertEqual(note.state, "disputed")
        review = note.committee_review_ids
        self.assertEqual(review.subject_type, "oldpart")
        self.assertEqual(review.feedback_id, note.feedback_id)
        self.assertIn(self.chief_engineer, review.activity_ids.user_id)
        members = self.chief_engineer | self.qa_manager | self.director
        with self.assertRaisesRegex(UserError, "who bears the cost"):
            self._decide(review, members)
        self._decide(review, members, cost_bearer="company")
        self.assertEqual(note.state, "company")
        self.assertEqual(note.cost_bearer, "company")
        self.assertFalse(note.charged_user_id)
        self.assertEqual(note.charged_amount, 0)
        charged = self.env["forklift.oldpart.return"]._read_group(
            [("charged_user_id", "=", self.technician.id)], [], ["charged_amount:sum"]
        )
        self.assertEqual(charged, [(0.0,)])

    def test_a_review_keeps_the_subject_of_its_document(self):
        """R-020, R-228, R-247 (000 §4.3.2.4): the review of a disputed old
        part decides who bears its cost. A member present retyped its
        subject as "Other" over RPC, so that the decision was asked no cost
        bearer, and had it signed: the decision then lifted the technician's
        charge as if the committee had put the cost on the company. A review
        submitted from a document keeps that document's subject."""
        note = self._oldpart_note("technician")
        note.with_user(self.staff).action_charge_technician()
        note.with_user(self.staff).action_dispute()
        review = note.committee_review_ids
        members = self.chief_engineer | self.qa_manager | self.director
        self._confirm(review, members)
        for subject_type in ("other", "abnormal_issue"):
            with self.subTest(subject_type=subject_type):
                with self.assertRaises(ValidationError):
                    review.with_user(self.chief_engineer).write(
                        {"subject_type": subject_type}
                    )
        self.assertEqual(review.subject_type, "oldpart")
        with self.assertRaisesRegex(UserError, "who bears the cost"):
            self._decide(review, members)
        self.assertEqual(review.state, "draft")
        self.assertEqual(note.state, "disputed")
        self.assertEqual(note.charged_user_id, self.technician)
        self.assertEqual(note.charged_amount, 300)

    def test_committee_withdraws_a_dealers_invoice(self):
        note = self._oldpart_note("dealer")
        self._inspect_oldparts(
            note, "misuse", "<p>The seal was cut by a foreign object.</p>"
        )
        invoice = note.invoice_ids
        self.assertEqual(note.cost_bearer, "dealer")
        self.assertEqual(invoice.amount_untaxed, 520)
        note.with_user(self.staff).action_dispute()
        review = note.committee_review_ids
        members = self.chief_engineer | self.qa_manager | self.purchasing_manager
        with self.assertRaisesRegex(ValidationError, "not returned by a technician"):
            self._decide(review, members, cost_bearer="technician")
        self.assertEqual(review.attendee_ids, members)
        self.assertEqual(note.state, "disputed")
        self.assertEqual(review.state, "draft")
        self.assertFalse(review.review_ids, "refused before any member signs")
        review.cost_bearer = "company"
        review.with_user(self.qa_manager).request_validation()
        self._sign(review)
        self.assertEqual(note.state, "company")
        self.assertEqual(invoice.payment_state, "reversed")
        credit_note = invoice.reversal_move_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.amount_untaxed, 520)
        self.assertEqual(credit_note.partner_id, self.dealer_a)

    def test_committee_upholds_the_dealers_charge(self):
        note = self._oldpart_note("dealer")
        self._inspect_oldparts(note, "non_original", "<p>Not an original part.</p>")
        note.with_user(self.staff).action_dispute()
        self._decide(
            note.committee_review_ids,
            self.quorum,
            cost_bearer="dealer",
        )
        self.assertEqual(note.state, "rejected")
        self.assertEqual(note.cost_bearer, "dealer")
        self.assertEqual(note.invoice_ids.payment_state, "not_paid")

    def test_a_withdrawn_review_gives_the_part_back(self):
        """R-020, R-228 (000 §4.3.2.4): one member present withdraws the
        committee's review of a disputed old part (no quorum needed). The
        part stayed "Disputed" for good, its cost borne by nobody, and could
        not be disputed again. It goes back to the state it had before the
        dispute (charged to the technician, or rejected and billed to the
        dealer), its charge or invoice kept, with a note in its chatter, and
        can be disputed again."""
        note = self._oldpart_note("technician")
        note.with_user(self.staff).action_charge_technician()
        note.with_user(self.staff).action_dispute()
        review = note.committee_review_ids
        self._withdraw(review, self.qa_manager, note)
        self.assertEqual(note.state, "charged")
        self.assertEqual(note.cost_bearer, "technician")
        self.assertEqual(note.charged_user_id, self.technician)
        self.assertEqual(note.charged_amount, 300)
        note.with_user(self.staff).action_dispute()
        self.assertEqual(note.state, "disputed")
        second = note.committee_review_ids - review
        self._decide(
            second,
            self.chief_engineer | self.qa_manager | self.director,
            cost_bearer="company",
        )
        self.assertEqual(note.state, "company")

        rejected = self._oldpart_note("dealer")
        self._inspect_oldparts(rejected, "non_original", "<p>Not an original part.</p>")
        rejected.with_user(self.staff).action_dispute()
        self._withdraw(rejected.committee_review_ids, self.director, rejected)
        self.assertEqual(rejected.state, "rejected")
        self.assertEqual(rejected.cost_bearer, "dealer")
        self.assertEqual(rejected.invoice_ids.payment_state, "not_paid")

    def test_only_a_charge_or_rejection_can_be_disputed(self):
        note = self._oldpart_note("technician")
        with self.assertRaisesRegex(UserError, "Only a rejected or charged"):
            note.with_user(self.staff).action_dispute()
        self.assertFalse(note.committee_review_ids)

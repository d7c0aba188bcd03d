from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import tagged

from .test_committee import CommitteeCommon

# why a planted to-do of the flow is refused
PLANTED = "planned by its steps"


@tagged("post_install", "-at_install")
class TestFlowTodoNotPlanted(CommitteeCommon):
    """R-246, R-057, R-130: the to-dos the after-sales flow gives a person
    are his, and a to-do it gives each member of a group is done for all
    with the closer's own (``mail.activity._check_flow_todo_assignee``).
    What makes a to-do the flow's is Odoo's ``automated`` mark, which
    ``activity_schedule`` sets: a reader of a committee review who planted
    one of his own with the summary of a member's to-do, by calling
    ``activity_schedule`` over RPC or by creating the activity marked
    ``automated`` (a value or a ``default_automated`` context key), closed
    the member's to-do together with his. The flow's to-dos are planned by
    its steps only; what a user plans is his own ordinary activity."""

    def test_no_flow_todo_planted_to_close_a_members(self):
        review = self._review()
        todo = review.activity_ids.filtered(
            lambda a: (
                a.user_id == self.rnd_manager
                and a.summary.startswith("Committee review of")
            )
        )
        self.assertEqual(len(todo), 1)
        self.assertTrue(todo.automated)
        self.assertTrue(review.with_user(self.technician).has_access("read"))
        flow_todos = review.activity_ids.filtered("automated")
        Activity = self.env["mail.activity"].with_user(self.technician)
        vals = {
            "activity_type_id": todo.activity_type_id.id,
            "summary": todo.summary,
            "res_model_id": self.env["ir.model"]._get_id(review._name),
            "res_id": review.id,
            "user_id": self.technician.id,
        }
        # he still plans an ordinary activity of his own on the review
        own = Activity.create([vals])
        self.assertFalse(own.automated)
        with self.subTest(way="activity_schedule over RPC"):
            with self.assertRaises(AccessError):
                get_public_method(
                    review.with_user(self.technician), "activity_schedule"
                )
        for way, plant in (
            (
                "created marked automated",
                lambda: Activity.create([{**vals, "automated": True}]),
            ),
            (
                "by a context default",
                lambda: Activity.with_context(default_automated=True).create([vals]),
            ),
        ):
            # assertRaises: rolled back as the call over RPC would be
            with self.subTest(way=way):
                with self.assertRaises(AccessError) as caught:
                    plant()
                self.assertIn(PLANTED, str(caught.exception))
        with self.subTest(way="closed with his own"):
            with self.assertRaises(AccessError):
                (own | todo).with_user(self.technician).action_feedback(
                    feedback="Forged"
                )
        self.assertEqual(review.activity_ids.filtered("automated"), flow_todos)
        self.assertTrue(todo.active)
        # the flow's steps still plan their to-dos, as superuser or as a user
        planned = review.with_user(self.director).activity_schedule(
            "mail.mail_activity_data_todo", summary="Flow step", user_id=self.qa.id
        )
        self.assertTrue(planned.automated)
        self.assertEqual(planned.env, review.with_user(self.director).env)

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import company_members, wizard_action
from .forklift_flow_mixin import FLOW_MARK

# Departments the service center may ask for help, by their group (004 §4.5).
ASSISTANCE_DEPARTMENTS = [
    ("qa", "Quality (QA)"),
    ("rnd", "R&D"),
    ("warehouse", "After-Sales Warehouse"),
    ("purchasing", "After-Sales Purchasing"),
    ("production_planning", "Production Planning"),
    ("manufacturing", "Manufacturing"),
    ("domestic_sales", "Domestic Sales Company"),
]


class ForkliftFeedback(models.Model):
    """Assistance requests to other departments (004 §4.5, R-132).

    When a service needs another department or workshop, the service center
    asks it; the department gives the request priority. A request is an
    activity of its own type, assigned to a member of the department's group
    with a due date, listed on the sheet and traced in its chatter.
    """

    _inherit = "forklift.feedback"  # pylint: disable=consider-merging-classes-inherited

    assistance_activity_ids = fields.One2many(
        "mail.activity",
        "res_id",
        string="Assistance Requests",
        domain=lambda self: [
            ("res_model", "=", self._name),
            ("activity_type_id", "=", self._get_assistance_activity_type().id),
        ],
        readonly=True,
        groups="base.group_user",
    )

    @api.model
    def _get_assistance_activity_type(self):
        return (
            self.env.ref(
                "forklift_aftersales.mail_activity_type_assistance",
                raise_if_not_found=False,
            )
            or self.env["mail.activity.type"]
        )

    @api.model
    def _get_assistance_group_xmlid(self, department):
        """The group of a department the service center may ask; an addon
        adding a department to the request gives its group."""
        if department not in dict(ASSISTANCE_DEPARTMENTS):
            raise UserError(self.env._("Choose the department to ask for help."))
        return f"forklift_aftersales.group_forklift_{department}"

    @api.model
    def _get_assistance_group(self, department):
        return self.env.ref(self._get_assistance_group_xmlid(department))

    @api.model
    def _get_assistance_users(self, department, company=None):
        """Internal active members of the department's group; those working
        in ``company`` when given (the sheet's: a member of another company
        may not read it)."""
        group = self._get_assistance_group(department)
        companies = company or self.env["res.company"]
        return company_members(group, companies).sudo(False)

    def action_open_assistance_request(self):
        name = self.env._("Ask a Department for Help")
        return wizard_action(self, "forklift.assistance.request", "feedback_id", name)

    def _request_assistance(self, department, user, date_deadline, note):
        """Ask ``user`` of ``department`` to help with the sheet by
        ``date_deadline``. Service center staff only, on an open sheet."""
        self.ensure_one()
        if not self.env.user.has_group("forklift_aftersales.group_forklift_user"):
            raise UserError(
                self.env._("Only the service center asks departments for help.")
            )
        self.check_access("write")
        if self.state in ("closed", "cancel"):
            raise UserError(
                self.env._(
                    "%s is closed or cancelled: nobody is asked for help.", self.name
                )
            )
        if not date_deadline or date_deadline < fields.Date.context_today(self):
            raise UserError(self.env._("The help is due today or later."))
        if not (note or "").strip():
            raise UserError(self.env._("Say what help the service needs."))
        users = self._get_assistance_users(department)
        label = self._get_assistance_department_label(department)
        if user not in users:
            raise UserError(
                self.env._(
                    "%(user)s is not a member of %(department)s.",
                    user=user.name,
                    department=label,
                )
            )
        if not self.with_user(user).has_access("read"):
            # his to-do would name the sheet and post on it: asked for help
            # on a sheet he may not read, he could not give it
            raise UserError(
                self.env._(
                    "%(user)s may not read %(case)s: ask someone of a "
                    "department that follows it.",
                    user=user.name,
                    case=self.name,
                )
            )
        activity_type = self._get_assistance_activity_type()
        # sudo: the department's member may not be a follower of the sheet
        # the requester writes; the request is authored by the requester. The
        # flow's mark: only this step plans assistance requests (mail.activity
        # refuses them to anyone else), once it checked who asks and where
        activity = FLOW_MARK.set_on(self).activity_schedule(
            activity_type_id=activity_type.id,
            summary=self.env._("Help asked: %s", label),
            note=note,
            date_deadline=date_deadline,
            user_id=user.id,
        )
        self.message_post(
            body=self.env._(
                "Help asked of %(department)s (%(user)s) by %(date)s: %(note)s",
                department=label,
                user=user.name,
                date=fields.Date.to_string(date_deadline),
                note=note,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return activity.with_env(self.env)

    @api.model
    def _get_assistance_department_label(self, department):
        """The department's name in the user's language."""
        field = self.env["forklift.assistance.request"]._fields["department"]
        return dict(field.get_description(self.env)["selection"])[department]

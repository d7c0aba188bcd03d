from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class ForkliftCommitteeSeat(models.Model):
    """A seat of the after-sales committee (售后处理工作小组, R-057, R-248).

    000 §5: the committee is made of the chief engineer, the QA manager, the
    R&D manager, the purchasing manager and the service-center director;
    "小组成员以岗定职": a seat goes with its position, so whoever holds the
    position sits on the committee and a successor takes the seat without
    anyone editing the committee. A seat is therefore bound to the position's
    user group; its holders are that group's users at any moment, and every
    position group implies the committee group.
    """

    _name = "forklift.committee.seat"
    _inherit = ["forklift.shared.setup.mixin", "forklift.copy.refused.mixin"]
    _copy_refused_message = _lt(
        "A committee seat goes with its position, which has only one seat: it "
        "is not duplicated."
    )
    _description = "Forklift After-Sales Committee Seat"
    _order = "sequence, id"

    name = fields.Char(string="Seat", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    position_group_id = fields.Many2one(
        "res.groups",
        string="Position",
        required=True,
        ondelete="restrict",
        help="Users holding this position; a successor added to the group takes "
        "the seat automatically.",
    )
    holder_ids = fields.Many2many(
        "res.users", string="Held By", compute="_compute_holder_ids"
    )
    is_vacant = fields.Boolean(compute="_compute_holder_ids")

    _position_unique = models.Constraint(
        "unique(position_group_id)", "A position has only one committee seat."
    )

    @api.constrains("position_group_id")
    def _check_position_sits_on_the_committee(self):
        """A seat is bound only to a position the committee is made of: one
        whose group implies the committee group, which only an administrator
        configures (000 §5, R-248). Whoever manages the seats cannot seat his
        own staff and so make a quorum of his own."""
        committee = self.env.ref("forklift_aftersales.group_forklift_committee")
        for seat in self:
            # sudo: the groups a position implies, whoever manages the seats
            if committee not in seat.position_group_id.sudo().all_implied_ids:
                raise ValidationError(
                    self.env._(
                        "%(position)s is not a position of the after-sales "
                        "committee: a seat goes with one of the positions the "
                        "committee is made of.",
                        position=seat.position_group_id.display_name,
                    )
                )

    @api.depends("position_group_id.all_user_ids")
    def _compute_holder_ids(self):
        for seat in self:
            # sudo: the holders of a position are shown to every committee reader
            holders = seat.position_group_id.sudo().all_user_ids.filtered(
                lambda u: u.active and not u.share
            )
            seat.holder_ids = holders
            seat.is_vacant = not holders

    @api.model
    def _get_members(self):
        """Users holding a seat right now."""
        return self.search([("active", "=", True)]).holder_ids

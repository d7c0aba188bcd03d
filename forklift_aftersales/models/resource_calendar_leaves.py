from odoo import api, models
from odoo.exceptions import AccessError


class ResourceCalendarLeaves(models.Model):
    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "forklift.shared.setup.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        if any(not vals.get("resource_id") for vals in vals_list):
            self._forklift_check_public_holiday_change()
        leaves = super().create(vals_list)
        leaves._forklift_check_public_holidays()
        leaves._forklift_clear_holiday_cache()
        return leaves

    def write(self, vals):
        # the record rules are checked before the write only: a time off of
        # one's own written without its resource would become a public holiday
        self._forklift_check_public_holidays()
        if "resource_id" in vals and not vals["resource_id"]:
            self._forklift_check_public_holiday_change()
        self._forklift_clear_holiday_cache()
        res = super().write(vals)
        self._forklift_check_public_holidays()
        self._forklift_clear_holiday_cache()
        return res

    def unlink(self):
        self._forklift_clear_holiday_cache()
        return super().unlink()

    @api.model
    def _forklift_company_source(self):
        # the company of a time off follows its schedule's, or the user's
        return "calendar_id"

    def _forklift_shared(self):
        """The public holidays of a schedule no company owns (or of every
        schedule): they move the working days of every company using it. A
        person's own time off is his."""
        # sudo: the company of the schedule, whoever edits the time off
        return self.filtered(
            lambda leave: (
                not leave.resource_id and not leave.sudo().calendar_id.company_id
            )
        )

    def _forklift_clear_holiday_cache(self):
        # public holidays (no resource) count in the working-day deadlines,
        # cached by resource.calendar._forklift_get_days_off_and_makeup
        if any(not leave.resource_id for leave in self):
            self.env.registry.clear_cache()

    def _forklift_check_public_holidays(self):
        """Refuse the change of these time offs when one is a public holiday
        (no resource), before or after the write."""
        if any(not leave.resource_id for leave in self):
            self._forklift_check_public_holiday_change()

    @api.model
    def _forklift_check_public_holiday_change(self):
        """A public holiday (a time off of the schedule without a resource)
        moves every deadline counted in working days (R-288): only the
        after-sales director and an administrator (who manage the access
        rights, as Odoo's rule on public holidays says) add, change or remove
        one, or turn a personal time off into one or back; the server's own
        steps run under sudo."""
        user = self.env.user
        if (
            self.env.su
            or user.has_group("forklift_aftersales.group_forklift_director")
            or user.has_group("base.group_erp_manager")
        ):
            return
        raise AccessError(
            self.env._(
                "Only the after-sales director or an administrator adds, changes "
                "or removes a public holiday (a time off without a resource): "
                "it moves every deadline counted in working days."
            )
        )

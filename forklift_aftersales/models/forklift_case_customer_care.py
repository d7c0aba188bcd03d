from odoo import fields, models


class ForkliftCase(models.Model):
    """Customer care once a case is closed (000 第五篇 (三)4, 001-B L151):
    the satisfaction survey goes out and the first follow-up call is planned.
    Kept apart from forklift_case.py, which holds the service flow itself."""

    _inherit = "forklift.case"

    followup_call_ids = fields.One2many(
        "forklift.followup.call", "case_id", string="Follow-Up Calls"
    )
    survey_ids = fields.One2many(
        "forklift.satisfaction.survey", "case_id", string="Satisfaction Surveys"
    )
    satisfaction_rating = fields.Selection(
        related="survey_ids.rating", string="Customer Satisfaction"
    )

    def action_close(self):
        res = super().action_close()
        # sudo: closing a case starts the customer care of the service center;
        # whoever closes it may not manage surveys and calls themselves
        care = self.sudo()
        care.env["forklift.satisfaction.survey"]._create_for_cases(
            care.filtered(lambda c: not c.survey_ids)
        )
        care.env["forklift.followup.call"]._schedule_first_calls(
            care.filtered(
                lambda c: (
                    not c.followup_call_ids.filtered(
                        lambda call: call.call_type == "first"
                    )
                )
            )
        )
        return res

    def action_view_followup_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "forklift_aftersales.forklift_followup_call_action"
        )
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {
            "default_case_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
        }
        return action

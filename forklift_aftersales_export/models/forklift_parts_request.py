from odoo import api, fields, models


class ForkliftPartsRequest(models.Model):
    """Warranty parts shipped abroad carry the sheet's currency and destination
    (REQUIREMENTS R-286, R-287); approval bands stay in the company currency
    (A-32)."""

    _inherit = "forklift.parts.request"

    export_currency_id = fields.Many2one(
        related="feedback_id.export_currency_id", string="Sheet Currency"
    )
    destination_country_id = fields.Many2one(
        related="feedback_id.destination_country_id", string="Destination Country"
    )
    amount_export_currency = fields.Monetary(
        string="Amount in Sheet Currency",
        currency_field="export_currency_id",
        compute="_compute_amount_export_currency",
    )

    @api.depends("amount_total", "export_currency_id", "approved_date")
    def _compute_amount_export_currency(self):
        for request in self:
            currency = request.export_currency_id or request.currency_id
            if not request.currency_id or not currency:
                # a request not yet linked to its case has no currency
                request.amount_export_currency = request.amount_total
                continue
            request.amount_export_currency = request.currency_id._convert(
                request.amount_total,
                currency,
                request.company_id or self.env.company,
                fields.Date.to_date(request.approved_date)
                or fields.Date.context_today(self),
            )

    def _create_picking(self):
        res = super()._create_picking()
        if self.market == "export":
            # sudo: the delivery was just created by the approved request;
            # approvers have no stock rights
            self.picking_id.sudo().write(
                {
                    "forklift_destination_country_id": (self.destination_country_id.id),
                    "forklift_currency_id": self.export_currency_id.id,
                    "forklift_declared_value": self.amount_export_currency,
                    # the company's default incoterm; the warehouse may change
                    # it until the parts leave
                    "forklift_incoterm_id": (
                        self.company_id.incoterm_id
                        or self.env.ref(
                            "account.incoterm_DAP", raise_if_not_found=False
                        )
                    ).id,
                    "forklift_incoterm_location": self.destination_country_id.name,
                }
            )
        return res

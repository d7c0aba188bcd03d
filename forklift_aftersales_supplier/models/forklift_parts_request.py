from odoo import api, fields, models


class ForkliftPartsRequest(models.Model):
    _inherit = "forklift.parts.request"

    rush_purchase_ids = fields.One2many(
        "purchase.order",
        "forklift_parts_request_id",
        string="Rush Purchases",
        readonly=True,
    )

    @api.model
    def _get_flow_fields(self):
        # the rush purchases are raised by the request's own validation
        return super()._get_flow_fields() | {"rush_purchase_ids"}

    def _raise_rush_purchase(self, shortages):
        """Urgent parts the warehouse does not have are ordered at once from
        their main vendor, as urgent requests for quotation purchasing sends
        the same day (000 第四篇 §7, R-094, R-179)."""
        res = super()._raise_rush_purchase(shortages)
        by_vendor = {}
        for product, quantity in shortages:
            # sudo: after-sales staff read vendor prices without purchase
            # rights; those of the request's company, whichever company the
            # caller's context makes active (sudo trusts it unchecked)
            seller = (
                product.with_company(self.company_id)
                .sudo()
                ._select_seller(quantity=quantity)
            )
            if seller:
                by_vendor.setdefault(seller.partner_id, []).append((product, quantity))
        if not by_vendor:
            return res
        # sudo: the request's urgency was checked; purchasing confirms the RFQs
        orders = (
            self.env["purchase.order"]
            .with_company(self.company_id)
            .sudo()
            .create(
                [
                    {
                        "partner_id": vendor.id,
                        "origin": self.name,
                        "priority": "1",
                        "forklift_parts_request_id": self.id,
                        "company_id": self.company_id.id,
                        "order_line": [
                            fields.Command.create(
                                {"product_id": product.id, "product_qty": quantity}
                            )
                            for product, quantity in lines
                        ],
                    }
                    for vendor, lines in by_vendor.items()
                ]
            )
        )
        self.message_post(
            body=self.env._(
                "Rush purchase raised: %s", ", ".join(orders.mapped("name"))
            )
        )
        return res

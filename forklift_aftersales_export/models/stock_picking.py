from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.forklift_aftersales.tools import with_defaults

# Set by the approved request that made the delivery, never by a user
DECLARATION_FIELDS = (
    "forklift_destination_country_id",
    "forklift_currency_id",
    "forklift_declared_value",
)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    forklift_destination_country_id = fields.Many2one(
        "res.country", string="Destination Country", readonly=True
    )
    forklift_currency_id = fields.Many2one(
        "res.currency", string="Declared Currency", readonly=True
    )
    forklift_declared_value = fields.Monetary(
        string="Declared Value",
        currency_field="forklift_currency_id",
        readonly=True,
        help="Value of the warranty parts in the sheet's currency, for the "
        "shipping papers.",
    )
    forklift_is_export_delivery = fields.Boolean(
        string="Export Warranty Delivery",
        compute="_compute_forklift_is_export_delivery",
        help="The delivery of the warranty parts of an export sheet: it crosses a "
        "border with its carrier, incoterm and papers (R-287).",
    )
    forklift_incoterm_id = fields.Many2one(
        "account.incoterms",
        string="Incoterm",
        help="Who pays the carriage and bears the risk of the free warranty "
        "parts sent abroad; printed on the proforma invoice and the packing "
        "list.",
    )
    forklift_incoterm_location = fields.Char(
        string="Incoterm Place", help="The named place of the incoterm."
    )

    @api.depends("forklift_parts_request_id")
    def _compute_forklift_is_export_delivery(self):
        for picking in self:
            # sudo: the request's market decides, whoever ships
            request = picking.forklift_parts_request_id.sudo()
            picking.forklift_is_export_delivery = request.market == "export"

    @api.model
    def _forklift_declaration_error(self):
        return AccessError(
            self.env._(
                "The declared destination, currency and value of a warranty "
                "parts delivery come from its request."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        """A transfer a user makes declares nothing: the declaration is
        written on the approved request's delivery (``_create_picking``) and
        kept by stock's backorder of it, the only transfer created with a
        request (``_check_forklift_request_link``)."""
        if not self.env.su and any(
            vals.get(name) and not vals.get("forklift_parts_request_id")
            # a default_<name> context key or a saved default gives them too
            for vals in with_defaults(
                self, vals_list, (*DECLARATION_FIELDS, "forklift_parts_request_id")
            )
            for name in DECLARATION_FIELDS
        ):
            raise self._forklift_declaration_error()
        return super().create(vals_list)

    def copy_data(self, default=None):
        """A copy or a return of a declared delivery is a transfer of one's
        own: it declares nothing; a backorder keeps the delivery's request,
        and so its declaration."""
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            if not vals.get("forklift_parts_request_id"):
                for name in DECLARATION_FIELDS:
                    vals.pop(name, None)
        return vals_list

    def write(self, vals):
        if not self.env.su and any(
            picking[name]
            != picking._fields[name].convert_to_record(
                picking._fields[name].convert_to_cache(vals[name], picking), picking
            )
            for name in set(vals) & set(DECLARATION_FIELDS)
            for picking in self
        ):
            raise self._forklift_declaration_error()
        if {"forklift_incoterm_id", "forklift_incoterm_location"} & set(vals):
            for picking in self.filtered(lambda p: p.state in ("done", "cancel")):
                raise UserError(
                    self.env._(
                        "%s has left: its incoterm no longer changes.", picking.name
                    )
                )
        if "forklift_carrier" in vals:
            # the carrier its release required and its papers name
            for picking in self.filtered(
                lambda p: (
                    p.state == "done"
                    and p.forklift_is_export_delivery
                    and p.forklift_carrier != (vals["forklift_carrier"] or False)
                )
            ):
                raise UserError(
                    self.env._(
                        "%s has left abroad with its carrier: the carrier no "
                        "longer changes.",
                        picking.name,
                    )
                )
        return super().write(vals)

    def _check_forklift_release_allowed(self):
        """Free warranty parts sent abroad leave with their carrier and
        incoterm, which their papers print (000 第三篇, R-287)."""
        res = super()._check_forklift_release_allowed()
        for picking in self.filtered("forklift_is_export_delivery"):
            missing = [
                label
                for present, label in (
                    (picking.forklift_carrier, self.env._("carrier")),
                    (picking.forklift_incoterm_id, self.env._("incoterm")),
                )
                if not present
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "%(picking)s sends warranty parts abroad: give its "
                        "%(missing)s before it leaves.",
                        picking=picking.name,
                        missing=self.env._(" and ").join(missing),
                    )
                )
        return res

    def _check_forklift_export_papers(self):
        """The proforma invoice and the packing list are the papers of an
        export warranty delivery only."""
        for picking in self:
            if not picking.forklift_is_export_delivery:
                raise UserError(
                    self.env._(
                        "%s is not the warranty parts delivery of an export sheet: "
                        "it has no proforma invoice or packing list.",
                        picking.name,
                    )
                )

    def _get_forklift_paper_lines(self):
        """One line per part shipped: quantity, value at cost in the declared
        currency and weight, for the proforma invoice and the packing list."""
        self.ensure_one()
        company = self.company_id or self.env.company
        currency = self.forklift_currency_id or company.currency_id
        date = (self.date_done or self.scheduled_date or fields.Datetime.now()).date()
        lines = []
        for move in self.move_ids.filtered(lambda m: m.state != "cancel"):
            quantity = move.quantity or move.product_uom_qty
            product = move.product_id.with_company(company)
            unit_value = company.currency_id._convert(
                product.standard_price, currency, company, date
            )
            lines.append(
                {
                    "product": product,
                    "code": product.default_code or "",
                    "name": product.display_name,
                    "quantity": quantity,
                    "uom": move.product_uom.name,
                    "unit_value": unit_value,
                    "value": currency.round(unit_value * quantity),
                    "weight": product.weight * quantity,
                }
            )
        return lines

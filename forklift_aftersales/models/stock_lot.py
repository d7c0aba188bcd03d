from odoo import api, fields, models


class StockLot(models.Model):
    """The serial record of a forklift unit (``forklift.unit`` inherits it)
    keeps the unit's rules: what a user may not change on the unit, he does
    not change on its serial record either (000 第四篇 §4, R-211)."""

    _inherit = "stock.lot"

    # The way back from a serial record to its forklift, for the record rules
    # of the serial records, which read it as superuser (the export division
    # reads the serial records of export forklifts only, R-047). Read-only: a
    # forklift names its serial record, never the other way (the forklift
    # inherits it as a read-only related field, which its guard refuses).
    # The administrator's only: a stock user who may not read the forklifts
    # still reads a serial record whole.
    forklift_unit_ids = fields.One2many(
        "forklift.unit",
        "lot_id",
        string="Forklift Units",
        readonly=True,
        groups="base.group_system",
    )

    # Compute methods

    @api.depends("product_id.company_id")
    def _compute_company_id(self):
        """A forklift stays in the company that sold it: its serial record
        keeps its company when the director corrects its model, whatever
        company the new model has (stock's own rule takes the product's)."""
        kept = self._get_forklift_units().lot_id
        for lot in self.filtered(lambda lot: lot._origin in kept):
            lot.company_id = lot._origin.company_id
        return super(
            StockLot, self.filtered(lambda lot: lot._origin not in kept)
        )._compute_company_id()

    # CRUD

    def write(self, vals):
        units = self.env["forklift.unit"]
        if units._get_lot_checked_fields() & set(vals):
            self._get_forklift_units().with_env(self.env)._check_lot_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_forklift_unit(self):
        """A forklift unit goes with its serial record (cascade): only who may
        delete the unit deletes its serial record, never a stock user; and a
        forklift with after-sales history (hour readings, sheets, visits...)
        is kept, as when the unit itself is deleted (R-023, R-127)."""
        units = self._get_forklift_units()
        if units:
            units = units.with_env(self.env)
            units.check_access("unlink")
            # the database deletes the unit with its serial record, without
            # the unit's own deletion guards
            units._unlink_except_history()

    # Business methods

    def _get_forklift_units(self):
        """The forklift units of these serial records, sudo: a user who
        writes a serial record may not read its unit (another dealer's, say),
        its rules apply all the same; callers judge with their own env."""
        return (
            self.env["forklift.unit"]
            .sudo()
            .search([("lot_id", "in", self._origin.ids)])
        )

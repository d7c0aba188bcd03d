from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, format_amount

from ..tools import StepMark, check_signature_image, with_defaults
from .forklift_document_fields import sheet_link, stamped
from .forklift_flow_mixin import FLOW_MARK

# Odoo's own steps of an order (send, confirm, cancel, reset, lock): the only
# code that moves a feedback sheet's quote from one status to another
SALE_STEP_MARK = StepMark("forklift_sale_step")

ESTIMATE_TYPES = [
    ("system", "By system"),
    ("symptom", "By symptom"),
    ("item", "By item"),
]


class SaleOrder(models.Model):
    """An out-of-warranty quote of parts, labour and travel (001 §5.2, R-104)
    the customer accepts or declines on the portal; once accepted it is the
    paid service of its feedback sheet."""

    _inherit = "sale.order"

    forklift_feedback_id = sheet_link(index="btree_not_null", copy=False, readonly=True)
    forklift_estimate_type = fields.Selection(
        ESTIMATE_TYPES,
        string="Estimate Type",
        help="By system: every part of the system involved; by symptom: from the "
        "fault as described; by item: a fixed price per job (000 第五篇 §4).",
    )
    forklift_due_date = stamped(
        fields.Date,
        string="Pay By",
        help="The day the after-sales flow's own step fixed for paying this "
        "order's invoice when it made it: on the spot, or 30 days after the "
        "service date with the service center director's consent (000 "
        "§4.3.2.1, R-102, R-165). The invoice falls due no later, whatever "
        "its invoice date.",
    )
    forklift_no_guarantee = fields.Boolean(
        string="Parts Without Guarantee",
        compute="_compute_forklift_no_guarantee",
        help="Customer-supplied or non-original parts: no quality guarantee on "
        "them or the work they affect (000 第五篇 §4, R-105).",
    )

    @api.model
    def _get_forklift_quote_fields(self):
        """What an order of the after-sales flow says to the customer, as he
        reads and signs it on the portal: its number and date, for whom,
        what, at what price, taxes and terms, until when, from whom; and
        where it comes from (the old-part return finds its invoices by it),
        the kind of estimate its PDF prints, from which warehouse and how it
        is delivered."""
        return {
            "name",
            "forklift_estimate_type",
            "warehouse_id",
            "picking_policy",
            "date_order",
            "company_id",
            "partner_id",
            "partner_invoice_id",
            "partner_shipping_id",
            "client_order_ref",
            "origin",
            "user_id",
            "pricelist_id",
            "currency_id",
            "fiscal_position_id",
            "payment_term_id",
            "order_line",
            "note",
            "validity_date",
            "commitment_date",
            "require_payment",
            "prepayment_percent",
        }

    @api.model
    def _get_forklift_consented_fields(self):
        """What a confirmed order of the after-sales flow bills, as its
        customer accepted it: what prices its lines, whom it bills (its lines
        check their own, however written: ``sale.order.line``). A sheet's
        quote the customer signed is his consent to that amount (001 §5.2,
        000 §4.3.2.1, R-104, R-100, R-206); the orders the flow confirms
        itself are billed at once as made."""
        return {
            "partner_id",
            "partner_invoice_id",
            "pricelist_id",
            "currency_id",
            "fiscal_position_id",
            "company_id",
        }

    def _check_forklift_consented_write(self):
        """No user changes what a confirmed order of the after-sales flow
        bills, a sales manager neither: the customer would be invoiced an
        amount he never accepted. A quote is changed by cancelling it before
        its work starts and quoting again, for the customer's new consent
        (``forklift.feedback._on_paid_service_cancelled``). The flow's own
        steps, and Odoo's accept online, run as superuser."""
        if self.env.su:
            return
        # Odoo's access rights first: a salesman who sees his own
        # orders only is not told another's number and status
        self.check_access("read")
        # sudo: the status decides, whoever writes
        orders = self.sudo().filtered(lambda order: order.state == "sale")
        orders = orders._get_forklift_flow_orders()
        if orders:
            raise UserError(
                self.env._(
                    "%s is confirmed: its customer accepted what it bills (its "
                    "lines, products, quantities, prices, discounts and taxes, "
                    "and to whom), which stays as accepted. To bill otherwise, "
                    "cancel it before its work starts and quote again for the "
                    "customer's new consent.",
                    orders[0].name,
                )
            )

    def _raise_forklift_terms(self):
        """When an order of the after-sales flow is paid (its payment terms,
        the day the flow fixed for its invoice) is the flow's only: on the
        spot, or deferred with the director's consent (000 §4.3.2.1, R-102,
        R-165)."""
        raise UserError(
            self.env._(
                "When an order of the after-sales flow is paid is the flow's to "
                "set: on the spot, or within 30 days of the service when the "
                "service center director agreed to a deferral. Ask for the "
                "deferral on the feedback sheet."
            )
        )

    def _get_forklift_flow_orders(self):
        """Those of these orders the after-sales flow made: a feedback
        sheet's quote, a sheet's paid-service order, the sale of an old-part
        return's parts not returned. The last two carry no mark of their own:
        the sheet and the return hold them (``sale_order_id``), one search
        each, only for the orders that are no quote."""
        # sudo: only which orders the flow made, whoever writes them
        orders = self.sudo()
        flow_ids = set(orders.filtered("forklift_feedback_id").ids)
        for model in ("forklift.feedback", "forklift.oldpart.return"):
            rest = [order_id for order_id in orders.ids if order_id not in flow_ids]
            if not rest:
                break
            holders = (
                self.env[model]
                .sudo()
                .search_fetch([("sale_order_id", "in", rest)], ["sale_order_id"])
            )
            flow_ids.update(holders.sale_order_id.ids)
        return self.filtered(lambda order: order.id in flow_ids)

    @api.model
    def _get_forklift_consent_fields(self):
        """What only the customer's accept on the portal writes on a feedback
        sheet's quote (Odoo's controller, as superuser): his signature is the
        consent before paid work (000 §4.3.2.1), and the token is his key to
        sign."""
        return {
            "signature",
            "signed_by",
            "signed_on",
            "require_signature",
            "access_token",
        }

    def _check_forklift_consent_write(self, vals):
        """No user writes a sheet quote's signature or token: a forged or
        erased signature would stand for the customer's consent. Odoo's own
        reset to quotation (``action_draft``) only clears an unsigned one."""
        fnames = self._get_forklift_consent_fields() & set(vals)
        if not fnames or not self.filtered("forklift_feedback_id"):
            return
        if vals.get("signature"):
            # whoever writes it, Odoo's accept as superuser included: an SVG
            # would be served from the order as a page of script, and the
            # sheet takes the signature as its consent
            check_signature_image(self.env, vals["signature"])
        if self.env.su:
            return
        clearing = vals.get("state") == "draft" and not any(
            vals[fname] for fname in fnames
        )
        if clearing and all(order.state in ("cancel", "sent") for order in self):
            return
        raise AccessError(
            self.env._(
                "The signature, signer and access key of a feedback sheet's "
                "quote are set only by the customer accepting it online."
            )
        )

    @api.model
    def _get_forklift_step_fields(self):
        """What only the order's own steps write on a feedback sheet's quote:
        whether it is sent, accepted (the customer's consent before paid work,
        000 §4.3.2.1), cancelled or locked."""
        return {"state", "locked"}

    def _as_forklift_step(self):
        """These orders as one of Odoo's own steps moves them, as its user."""
        return SALE_STEP_MARK.set_on(self)

    def _check_forklift_step_write(self, vals):
        """An order of the after-sales flow changes status only through the
        order's steps, run by sales people or by the customer's accept online
        (as superuser): a written status would confirm a sheet's quote
        without his consent and without the sheet taking it as its paid
        service (``_action_confirm``), cancel it without the sheet being told
        (``_action_cancel``), or cancel, reset or unlock the paid service or
        old-part sale the flow confirmed and invoiced."""
        if not self._get_forklift_step_fields() & set(vals) or self.env.su:
            return
        is_step = SALE_STEP_MARK.is_on(self.env)
        is_sales = self.env.user.has_group("sales_team.group_sale_salesman")
        if (is_step and is_sales) or not self._get_forklift_flow_orders():
            return
        if not is_step:
            raise AccessError(
                self.env._(
                    "The status of a feedback sheet's quote or order, or of an "
                    "old-part return's sale, is changed only by its steps (send, "
                    "confirm, cancel, reset, lock) or by the customer accepting "
                    "it online, never written directly."
                )
            )
        self._raise_forklift_step_user()

    def _raise_forklift_step_user(self):
        raise AccessError(
            self.env._(
                "Only sales people send, confirm, cancel or lock the quote or "
                "order of a feedback sheet or of an old-part return; the "
                "customer accepts a quote online."
            )
        )

    def _check_forklift_quote_sender(self):
        """Odoo marks a draft quote as sent when a salesman mails it from its
        form (``action_quotation_send``: ``mark_so_as_sent`` in the context of
        the message he posts). Odoo's ``/mail/message/post`` posts as
        superuser with the context the client sends, to whoever holds the
        quote's link: the key is his, and the step guard lets superuser
        through. An order of the after-sales flow is so marked sent only by
        an internal sales user posting it (R-104)."""
        user = self.env.user
        if user._is_internal() and user.has_group("sales_team.group_sale_salesman"):
            return
        if self._get_forklift_flow_orders():
            self._raise_forklift_step_user()

    def _check_forklift_new_quote(self):
        """A sheet's quote starts as an unlocked draft, whoever creates it and
        whatever the defaults: only its steps move it on."""
        if any(
            order.state != "draft" or order.locked
            for order in self.filtered("forklift_feedback_id")
        ):
            raise AccessError(
                self.env._(
                    "A feedback sheet's quote starts as an unlocked draft: only "
                    "its steps send, confirm, cancel or lock it."
                )
            )

    def _is_forklift_token_hidden(self):
        """The access key of a sheet's quote lets whoever holds it sign for
        the customer: sales people send it, other staff never read it (the
        warehouse writes orders through sale_stock). Without records (search,
        grouping) it is hidden from them on every order."""
        if (
            self.env.su
            or not self.env.user._is_internal()
            or self.env.user.has_group("sales_team.group_sale_salesman")
        ):
            return False
        # sudo: only whether the orders are sheet quotes, whoever asks
        return not self or bool(self.sudo().filtered("forklift_feedback_id"))

    def _raise_forklift_token_hidden(self):
        raise AccessError(
            self.env._(
                "Only sales people get the customer's link to a feedback "
                "sheet's quote: they send it to the customer."
            )
        )

    @api.model
    def _has_field_access(self, field, operation):
        if field.name == "access_token" and self._is_forklift_token_hidden():
            return False
        return super()._has_field_access(field, operation)

    def _portal_ensure_token(self):
        if self and self._is_forklift_token_hidden():
            self._raise_forklift_token_hidden()
        return super()._portal_ensure_token()

    def _check_forklift_quote_editor(self):
        """The orders of the after-sales flow are changed by sales people only,
        not by every user Odoo lets write orders (the warehouse, through
        sale_stock): the service center quotes through the sheet's own action
        (001 §5.2, R-104), the sheet bills its paid service (000 §4.3.2.1,
        R-013) and the return sells the old parts not returned (000 §4.3.2.5,
        R-235) as their own steps, and the customer accepts and pays what the
        order says."""
        if (
            self.env.su
            or self.env.user.has_group("sales_team.group_sale_salesman")
            or not self._get_forklift_flow_orders()
        ):
            return
        raise AccessError(
            self.env._(
                "Only sales people change the quote or order of a feedback sheet "
                "or of an old-part return: its customer, parts, prices and terms."
            )
        )

    def _is_forklift_feedback_link(self):
        """Only the feedback sheet's own action links an order to it (sudo and
        the flow's marker): a salesman's order pointed at a sheet would become
        its paid service when confirmed."""
        return FLOW_MARK.is_on(self.env)

    def _raise_forklift_feedback_link(self):
        raise AccessError(
            self.env._(
                "A quote is attached to a feedback sheet by the sheet's own "
                "action, never directly."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_forklift_feedback_link() and any(
            vals.get("forklift_feedback_id")
            for vals in with_defaults(self, vals_list, ["forklift_feedback_id"])
        ):
            self._raise_forklift_feedback_link()
        if not self.env.su and any("forklift_due_date" in vals for vals in vals_list):
            self._raise_forklift_terms()
        orders = super().create(vals_list)
        orders._check_forklift_new_quote()
        return orders

    def write(self, vals):
        if self._get_forklift_quote_fields() & set(vals):
            self._check_forklift_quote_editor()
        if self._get_forklift_consented_fields() & set(vals):
            self._check_forklift_consented_write()
        self._check_forklift_step_write(vals)
        self._check_forklift_consent_write(vals)
        terms = {}
        if not self.env.su and "forklift_due_date" in vals:
            self._raise_forklift_terms()
        if not self.env.su and {"payment_term_id", "partner_id"} & set(vals):
            # the terms written, or those Odoo gives the new customer
            terms = {
                order: order.payment_term_id
                for order in self._get_forklift_flow_orders().sudo()
            }
        if (
            "forklift_feedback_id" in vals
            and not self._is_forklift_feedback_link()
            and any(
                order.forklift_feedback_id.id != (vals["forklift_feedback_id"] or False)
                for order in self
            )
        ):
            self._raise_forklift_feedback_link()
        res = super().write(vals)
        if any(order.payment_term_id != term for order, term in terms.items()):
            self._raise_forklift_terms()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_forklift_flow(self):
        """A sheet's quote, its paid service, an old-part return's sale are
        kept: the sheet or the return names them and the flow never deletes
        them (001 §5.2, 000 §4.3.2.1, R-104, R-005). Odoo would let sales
        people delete a draft or cancelled one."""
        orders = self._get_forklift_flow_orders()
        if orders:
            raise UserError(
                self.env._(
                    "%s is an order of the after-sales flow (a feedback sheet's "
                    "quote or paid service, an old-part return's sale): it is "
                    "kept, never deleted; cancel it instead.",
                    orders[0].name,
                )
            )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            vals.pop("forklift_feedback_id", None)
        return vals_list

    def _check_forklift_billed_by_flow(self):
        """An order the after-sales flow made is billed by the step that
        made it: the feedback sheet's paid service, after the customer's
        consent to paid work and the director's consent to a deferred
        payment, on the terms they allow (R-101, R-102, R-165); the sale of
        old parts not returned, at once. "Create Invoice" on the order (an
        invoice or a down payment) would bill the customer without them,
        and the sheet would then refuse its own step as already invoiced.
        Those steps, and Odoo's own billing of an order paid online, bill
        as superuser."""
        if self.env.su:
            return
        orders = self._get_forklift_flow_orders()
        if orders:
            raise AccessError(
                self.env._(
                    "%s is billed by its after-sales document (the feedback "
                    "sheet's paid service, the old-part return's parts not "
                    "returned), not from the order.",
                    ", ".join(orders.mapped("name")),
                )
            )

    def _check_posted_flow_move(self, move):
        """``move`` invoices this order of the after-sales flow: the paid
        service the customer accepted and signed, or the sheet made from the
        parts used and the labour hours (000 §4.3.2.1, R-101, R-104), or the
        parts an old-part return sells its dealer. It bills the order's
        invoice customer, in its company and currency, each of the order's
        lines for the line's product, quantity ordered, price, discount and
        taxes, and nothing else, as the flow's step made it, due no later
        than the terms the flow gave (``_get_forklift_latest_due``). Accounting may
        reset it to draft, as Odoo lets it, and post it again, not bill the
        customer otherwise than the order he accepted; a credit note
        reverses it. Called as superuser, whoever posts (``account.move``)."""
        self.ensure_one()
        invoice = move.sudo()
        precision = self.env["decimal.precision"].precision_get
        billed = defaultdict(float)
        for line in invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        ):
            sale_line = line.sale_line_ids
            if (
                len(sale_line) != 1
                or sale_line.order_id != self
                or line.product_id != sale_line.product_id
                or line.product_uom_id != sale_line.product_uom_id
                or line.tax_ids != sale_line.tax_ids
                or float_compare(
                    line.price_unit,
                    sale_line.price_unit,
                    precision_digits=precision("Product Price"),
                )
                or float_compare(
                    line.discount,
                    sale_line.discount,
                    precision_digits=precision("Discount"),
                )
            ):
                break
            billed[sale_line] += line.quantity
        else:
            ordered = self.order_line.filtered(
                lambda line: not line.display_type and line.product_uom_qty
            )
            if (
                invoice.move_type == "out_invoice"
                and invoice.company_id == self.company_id
                and invoice.currency_id == self.currency_id
                and invoice.commercial_partner_id
                == self.partner_invoice_id.commercial_partner_id
                and billed.keys() == set(ordered)
                and not any(
                    float_compare(
                        billed[line],
                        line.product_uom_qty,
                        precision_rounding=line.product_uom_id.rounding,
                    )
                    for line in ordered
                )
                and not self.currency_id.compare_amounts(
                    invoice.amount_untaxed, self.amount_untaxed
                )
                and not self.currency_id.compare_amounts(
                    invoice.amount_total, self.amount_total
                )
                and all(
                    due <= self._get_forklift_latest_due(invoice)
                    for due in (
                        invoice.invoice_date_due,
                        *invoice.line_ids.filtered(
                            lambda line: line.display_type == "payment_term"
                        ).mapped("date_maturity"),
                    )
                    if due
                )
            ):
                return
        raise UserError(
            self.env._(
                "%(invoice)s bills %(customer)s order %(order)s as accepted: its "
                "lines, quantities, prices, discounts, taxes and payment terms, "
                "%(amount)s in all, nothing else.",
                invoice=invoice.display_name,
                customer=self.partner_invoice_id.commercial_partner_id.display_name,
                order=self.name,
                amount=format_amount(self.env, self.amount_total, self.currency_id),
            )
        )

    def _get_forklift_latest_due(self, invoice):
        """The latest day ``invoice`` of this order of the flow falls due:
        on the order's payment terms from the invoice date (immediate unless
        the flow chose otherwise), or on the day a deferral the director
        approved gives (000 §4.3.2.1, R-165). Later, the customer would be
        granted a deferral nobody approved. Once the flow's step invoiced
        the order, the day it fixed (``forklift_due_date``): a due date
        following an invoice date moved later would grant one too. As
        superuser."""
        if self.forklift_due_date:
            return self.forklift_due_date
        date_ref = invoice.invoice_date or fields.Date.context_today(self)
        latest = max(
            (line._get_due_date(date_ref) for line in self.payment_term_id.line_ids),
            default=date_ref,
        )
        sheets = self.env["forklift.feedback"].search([("sale_order_id", "=", self.id)])
        for deferral in sheets.payment_deferral_ids.filtered(
            lambda d: d.state == "approved"
        ):
            latest = max(latest, deferral._get_payment_due_date() or latest)
        return latest

    def _create_invoices(self, grouped=False, final=False, date=None):
        self._check_forklift_billed_by_flow()
        return super()._create_invoices(grouped=grouped, final=final, date=date)

    def _check_forklift_paid_service_of(self, case):
        """The order a sheet invoices is its own: made or quoted from it, for
        its customer and company, confirmed (000 §4.3.2.1)."""
        self.ensure_one()
        if (
            self.forklift_feedback_id != case
            or self.partner_id.commercial_partner_id
            != case.partner_id.commercial_partner_id
            or self.company_id != case.company_id
            or self.state != "sale"
        ):
            raise UserError(
                self.env._(
                    "Order %(order)s does not belong to %(case)s: it is not its "
                    "confirmed quote for %(customer)s.",
                    order=self.name,
                    case=case.name,
                    customer=case.partner_id.display_name,
                )
            )

    @api.depends("order_line.forklift_part_origin")
    def _compute_forklift_no_guarantee(self):
        for order in self:
            order.forklift_no_guarantee = any(
                line.forklift_part_origin in ("non_original", "customer")
                for line in order.order_line
            )

    def _get_forklift_refusal(self):
        """Why the customer may not accept this sheet quote, or ``False``."""
        self.ensure_one()
        if not self.forklift_feedback_id or self.state not in ("draft", "sent"):
            return False
        return self.forklift_feedback_id._get_quote_refusal(self)

    def _has_to_be_signed(self):
        return super()._has_to_be_signed() and not self._get_forklift_refusal()

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and not self._get_forklift_refusal()

    def _confirmation_error_message(self):
        """A sheet's quote is accepted only while its sheet expects that paid
        work (000 §4.3.2.1): not once the sheet is cancelled or served."""
        return super()._confirmation_error_message() or self._get_forklift_refusal()

    def action_quotation_sent(self):
        return super(SaleOrder, self._as_forklift_step()).action_quotation_sent()

    def action_confirm(self):
        return super(SaleOrder, self._as_forklift_step()).action_confirm()

    def _action_confirm(self):
        res = super()._action_confirm()
        for order in self.filtered("forklift_feedback_id"):
            order.forklift_feedback_id._on_quote_accepted(order)
        return res

    def action_draft(self):
        return super(SaleOrder, self._as_forklift_step()).action_draft()

    def action_lock(self):
        return super(SaleOrder, self._as_forklift_step()).action_lock()

    def action_unlock(self):
        return super(SaleOrder, self._as_forklift_step()).action_unlock()

    def _action_cancel(self):
        # sudo: the sheets whose paid service these orders are, whoever cancels
        sheets = (
            self.env["forklift.feedback"]
            .sudo()
            .search([("sale_order_id", "in", self.ids)])
        )
        res = super(SaleOrder, self._as_forklift_step())._action_cancel()
        # after the step's own check of who cancels; the refusal undoes it
        sheets._check_paid_service_cancellable()
        sheets._on_paid_service_cancelled()
        for order in self.filtered("forklift_feedback_id"):
            # sudo: the sheet is told its quote is cancelled, whoever cancels
            # it (a salesman who does not follow sheets)
            order.forklift_feedback_id.sudo().message_post(
                body=self.env._("Quote %s declined or cancelled.", order.name)
            )
        return res

    def _check_can_update_message_content(self, messages):
        """The chatter's edit (``/mail/message/update_content``, which writes
        as superuser) on a feedback sheet's quote: Odoo posts the customer's
        accept there in his name, with the signed quote's PDF, his consent
        before the paid work (R-100, R-206, R-104); Odoo would let him
        rewrite it, or take the PDF off, with the quote's link. There the
        customer edits nothing he posted, and the staff edit only their own
        comments (``mail.message._check_forklift_messages_kept``)."""
        super()._check_can_update_message_content(messages)
        # sudo: only whether the orders are sheet quotes, whoever edits
        if self.env.su or not self.sudo().filtered("forklift_feedback_id"):
            return
        if not self.env.user._is_internal():
            raise UserError(
                self.env._(
                    "What you posted on the quote of a feedback sheet (your "
                    "signature, your answer) stays as posted: write a new "
                    "message instead."
                )
            )
        messages.with_env(self.env)._check_forklift_messages_kept({"body"})

    def message_post(self, **kwargs):
        # Odoo marks a draft quote as sent when it is mailed from its form
        orders = self
        if self.env.context.get("mark_so_as_sent"):
            self._check_forklift_quote_sender()
            orders = self._as_forklift_step()
        return super(SaleOrder, orders).message_post(**kwargs)

from lxml import etree

from odoo.tests import TransactionCase, tagged

from .test_flow_guard import NOT_STEPS, OUR_ADDONS, our_public_methods

# Methods of the after-sales addons that RPC calls although no view shows
# them as a button, each with why it may be called by whoever reads the
# record (the methods a button calls are walked by TestFlowGuard).
NOT_ON_A_VIEW = {
    "res.partner": {
        "signup_prepare": "Odoo's own (the portal wizard, reset password); "
        "the override only skips rewriting the same signup type",
    },
    "stock.picking": {
        "action_split_transfer": "Odoo's own (the transfers list's Split "
        "action); the override lets only the after-sales warehouse split an "
        "after-sales transfer (TestTransferLinksGuard)",
    },
    "sale.order": {
        "action_quotation_sent": "Odoo's own, called by the send wizard; a "
        "sales person's step, checked by the order's write guard "
        "(TestQuote)",
    },
    # the documents a portal user reads (forklift.portal.document)
    **dict.fromkeys(
        (
            "forklift.feedback",
            "forklift.service.order",
            "forklift.oldpart.return",
            "forklift.quality.claim",
            "forklift.supplier.letter",
        ),
        {
            "get_view": "Odoo's own (the web client loads a model's views); "
            "the override refuses a portal user a view restricted to internal "
            "users, the staff's forms (TestPortalInternalSearches)",
        },
    ),
}


@tagged("post_install", "-at_install")
class TestPublicMethods(TransactionCase):
    """R-005, R-206: what the after-sales addons add to what a client calls
    over RPC (``/web/dataset/call_kw``, ``/json/2``) is reviewed. Every
    method they define or override that is not private (a ``_`` name, or
    ``@api.private`` in a class of the model) is a button of one of the
    model's views, which TestFlowGuard walks, or listed with its reason: a
    public method added unreviewed (a step the server alone takes, say)
    fails here."""

    def _view_buttons(self):
        """{model: names of the methods its views' buttons call}, the buttons
        of a line list counted for the line's model."""
        buttons = {}

        def walk(node, model):
            for child in node:
                if not isinstance(child.tag, str):
                    continue
                inner = model
                if child.tag == "field" and len(child) and model in self.env:
                    field = self.env[model]._fields.get(child.get("name"))
                    inner = field.comodel_name if field is not None else model
                if child.tag == "button" and child.get("type") == "object":
                    buttons.setdefault(model, set()).add(child.get("name"))
                walk(child, inner)

        views = self.env["ir.ui.view"].search(
            [("type", "in", ("form", "list", "kanban")), ("mode", "=", "primary")]
        )
        for view in views:
            if view.model not in self.env:
                continue
            walk(etree.fromstring(view.get_combined_arch()), view.model)
        for model in self._our_models():
            # OCA's tier validation adds its buttons to the form when it
            # is asked for it
            arch = self.env[model].get_view(view_type="form")["arch"]
            walk(etree.fromstring(arch), model)
        return buttons

    def _our_models(self):
        return sorted(
            name
            for name, Model in self.env.registry.items()
            if not Model._abstract
            and any(
                getattr(klass, "_module", None) in OUR_ADDONS for klass in Model.mro()
            )
        )

    def test_every_public_method_is_a_button_or_reviewed(self):
        buttons = self._view_buttons()
        unreviewed = [
            f"{model}.{name}"
            for model in self._our_models()
            for name in our_public_methods(self.env, model)
            if name not in NOT_STEPS
            and name not in buttons.get(model, ())
            and name not in NOT_ON_A_VIEW.get(model, {})
        ]
        self.assertFalse(
            unreviewed,
            "public methods neither on a view nor reviewed: " + ", ".join(unreviewed),
        )

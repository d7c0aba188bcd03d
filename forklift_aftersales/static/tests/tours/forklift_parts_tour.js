import {registry} from "@web/core/registry";

// Warranty parts above 2000: the service center applies, the after-sales and
// the supply vice presidents approve one after the other, and the spare-parts
// warehouse validates the delivery. Data (case, technician, part in stock)
// comes from the test; each tour runs as a different user.
registry.category("web_tour.tours").add("forklift_parts_request_apply", {
    steps: () => [
        {
            content: "New warranty parts request",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=feedback_id] input",
            run: "edit Tour: parts",
        },
        {
            content: "Feedback sheets are found by their title too",
            trigger: ".o_field_widget[name=feedback_id] .ui-menu-item > a:contains('Tour: parts')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=technician_id] input",
            run: "edit Tour Technician",
        },
        {
            trigger: ".ui-menu-item > a:contains('Tour Technician')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=feedback_id] input:value(/Tour: parts/)",
        },
        {
            content: "Add the controller",
            trigger: ".o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=product_id] input",
            run: "edit Tour Controller",
        },
        {
            trigger: ".ui-menu-item > a:contains('Tour Controller')",
            run: "click",
        },
        {
            content: "Say why the part is needed under warranty (R-093)",
            trigger: ".o_data_row .o_field_widget[name=warranty_reason] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains('Unqualified part')",
            run: "click",
        },

        {
            content: "The unit cost comes from the part's cost",
            trigger: ".o_data_row .o_field_widget[name=unit_cost]:contains('2,400.00')",
        },
        {
            content: "Save the request",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the request has its number",
            trigger: ".o_form_view .oe_title:contains('WP-')",
        },
        {
            content: "Above 2000: ask for approval",
            trigger: ".o_form_view button[name=request_validation]",
            run: "click",
        },
        {
            content: "Both vice presidents are now waited for",
            trigger: ".o_form_view .alert-warning .o_field_widget[name=next_review]",
        },
    ],
});

registry.category("web_tour.tours").add("forklift_parts_request_validate", {
    steps: () => [
        {
            content: "Approve my tier",
            trigger: ".o_form_view .alert-warning button[name=validate_tier]",
            run: "click",
        },
        {
            content: "My approval is recorded: nothing left for me to approve",
            trigger: ".o_form_view:not(:has(button[name=validate_tier]))",
        },
    ],
});

registry.category("web_tour.tours").add("forklift_parts_request_release", {
    steps: () => [
        {
            trigger: ".o_statusbar_status button:not([aria-checked=false]):contains('Approved')",
        },
        {
            content: "Open the delivery of the approved parts",
            trigger: ".o_form_view button[name=action_view_picking]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=forklift_parts_request_id]",
        },
        {
            content: "The warehouse validates the release",
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button:not([aria-checked=false]):contains('Done')",
        },
    ],
});

import {registry} from "@web/core/registry";

// A 1x1 PNG: the photo of the quality problem taken on site.
const PHOTO_PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

// A call comes in, the service center verifies and dispatches it, the
// technician records the work with a photo of the problem, the customer signs
// on the portal page and the signed order is registered. Data (forklift
// SN-A-0001) comes from the test.
registry.category("web_tour.tours").add("forklift_feedback_intake_to_signature", {
    steps: () => [
        {
            content: "Create a feedback sheet",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=title] input",
            run: "edit Tour: mast drops",
        },
        {
            trigger: ".o_field_widget[name=unit_id] input",
            run: "edit SN-A-0001",
        },
        {
            trigger: ".ui-menu-item > a:contains('SN-A-0001')",
            run: "click",
        },
        {
            content: "The customer comes from the forklift",
            trigger: ".o_field_widget[name=partner_id] input:value('Harbour Logistics')",
        },
        {
            trigger: ".o_field_widget[name=hour_meter] input",
            run: "edit 480",
        },
        {
            trigger: ".o_field_widget[name=responsibility] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains('Manufacturing quality')",
            run: "click",
        },
        {
            content: "Wait until the responsibility is set",
            trigger: ".o_field_widget[name=responsibility] input:value('Manufacturing quality')",
        },
        {
            trigger: ".o_field_widget[name=route] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains('Own technician')",
            run: "click",
        },
        {
            content: "Wait until the route is set",
            trigger: ".o_field_widget[name=route] input:value('Own technician')",
        },
        {
            trigger: "a.nav-link:contains('Verification and Diagnosis')",
            run: "click",
        },
        {
            trigger: ".o_field_html[name=verification] .odoo-editor-editable div.o-paragraph",
            run: "editor Leaking lift cylinder seal",
        },
        {
            content: "Verify: the 24 h dispatch clock starts",
            trigger: ".o_form_view button[name=action_verify]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button:not([aria-checked=false]):contains('Verified')",
        },
        {
            trigger: ".o_form_view button[name=action_create_service_order]",
            run: "click",
        },
        {
            content: "The service order opens; dispatch it",
            trigger: ".o_form_view .o_field_widget[name=feedback_id]",
        },
        {
            trigger: ".o_form_view button[name=action_dispatch]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button:not([aria-checked=false]):contains('Dispatched')",
        },
        {
            content: "The technician arrived just now, after the dispatch",
            trigger: ".o_field_widget[name=arrival_date] input",
            run(helpers) {
                helpers.edit(luxon.DateTime.now().toFormat("MM/dd/yyyy HH:mm:ss"));
            },
        },
        {
            content: "The work finished: a time past, never in the future",
            trigger: ".o_field_widget[name=finished_date] input",
            run(helpers) {
                helpers.edit(
                    luxon.DateTime.now().plus({seconds: 30}).toFormat("MM/dd/yyyy HH:mm:ss")
                );
            },
        },
        {
            trigger: ".o_field_html[name=work_done] .odoo-editor-editable div.o-paragraph",
            run: "editor Replaced the lift cylinder seal kit",
        },
        {
            content: "Attach a photo of the quality problem (000 §4.1.2)",
            trigger: ".o_field_many2many_binary[name=photo_ids] input[type=file]:not(:visible)",
            run() {
                const bytes = Uint8Array.from(atob(PHOTO_PNG), (c) => c.charCodeAt(0));
                const files = new DataTransfer();
                files.items.add(new File([bytes], "leaking-seal.png", {type: "image/png"}));
                this.anchor.files = files.files;
                this.anchor.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            trigger: ".o_field_many2many_binary[name=photo_ids] .o_attachment:contains('leaking-seal')",
        },
        {
            trigger: ".o_form_view button[name=action_done]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button:not([aria-checked=false]):contains('Work Done')",
        },
        {
            content: "The customer signs on the service order's page",
            trigger: "body",
            run: "goToUrl /my/forklift/service-orders",
            expectUnloadPage: true,
        },
        {
            trigger: "table a[href*='/my/forklift/service-orders/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "#forklift_sign .o_web_sign_name_and_signature input",
            run: "edit Wang Jun",
        },
        {
            trigger: "#forklift_sign canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            trigger: "#forklift_sign .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".alert-success:contains('signed')",
        },
        {
            content: "Back at the service center: register the signed order",
            trigger: "body",
            run: "goToUrl /odoo/action-forklift_aftersales.forklift_service_order_action",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_data_row .o_data_cell:contains('Signed')",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_register]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button:not([aria-checked=false]):contains('Registered')",
        },
    ],
});

import {registry} from "@web/core/registry";
import {fitsThePhone} from "@forklift_aftersales/../tests/tours/forklift_phone_steps";

// A dealer's technician reports the work from the site on his phone: the
// page fits a 390 px wide screen, the arrival is now, he types the work, the
// hour meter and the parts replaced, and sends it; then the customer signs on
// the same phone. Data from the test.
registry.category("web_tour.tours").add("forklift_portal_work_report", {
    steps: () => [
        fitsThePhone("form#forklift_report_work"),
        {
            trigger: "textarea[name='work_done']",
            run: "edit Tour: replaced the seal kit",
        },
        {
            trigger: "input[name='hour_meter']",
            run: "edit 530",
        },
        {
            trigger: "input[name^='qty_']",
            run: "edit 2",
        },
        {
            content: "Send the report",
            trigger: "form#forklift_report_work button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The work is reported; the customer signs",
            trigger: ".alert-success:contains('The work is reported')",
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
            content: "Signed",
            trigger: ".alert-success:contains('the service order is signed')",
        },
    ],
});

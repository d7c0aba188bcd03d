import {registry} from "@web/core/registry";
import {fitsThePhone} from "@forklift_aftersales/../tests/tours/forklift_phone_steps";

// A customer reports a problem from his phone: the page fits a 390 px wide
// screen, he picks his forklift, describes the fault, gives the hour meter
// and sends it; the sheet's page confirms the number. Data from the test.
registry.category("web_tour.tours").add("forklift_portal_intake", {
    steps: () => [
        fitsThePhone("form[action='/my/forklift/cases/new']"),
        {
            content: "His forklift is offered",
            trigger: "select[name='unit_id']:contains('SN-A-0001')",
        },
        {
            trigger: "textarea[name='description']",
            run: "edit Tour: mast drops under load",
        },
        {
            trigger: "input[name='hour_meter']",
            run: "edit 460",
        },
        {
            trigger: "input[name='is_stopped']",
            run: "click",
        },
        {
            content: "Send the report",
            trigger: "button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The sheet is confirmed with its number",
            trigger: ".alert-success:contains('Your report was received')",
        },
    ],
});

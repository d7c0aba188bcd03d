import {registry} from "@web/core/registry";
import {
    attachPhoto,
    fitsThePhone,
} from "@forklift_aftersales/../tests/tours/forklift_phone_steps";

/**
 * Steps filing a feedback sheet on /my/forklift/sheets/new from a phone: the
 * page fits a 390 px wide screen, the user picks his forklift by its serial,
 * describes the fault, gives the hour meter, says whether it is stopped, adds
 * a photo if given and sends it; the sheet's page confirms the number.
 */
export function fileSheetSteps({serial, description, hourMeter, stopped = false, photo}) {
    return [
        fitsThePhone("form[action='/my/forklift/sheets/new']"),
        {
            content: "His forklift is offered",
            trigger: `select[name='unit_id']:contains('${serial}')`,
            run: `selectByLabel ${serial}`,
        },
        {
            trigger: "textarea[name='description']",
            run: `edit ${description}`,
        },
        {
            trigger: "input[name='hour_meter']",
            run: `edit ${hourMeter}`,
        },
        ...(stopped ? [{trigger: "input[name='is_stopped']", run: "click"}] : []),
        ...(photo ? [attachPhoto("input[name='photos']", photo)] : []),
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
        fitsThePhone(".alert-success:contains('Your report was received')"),
    ];
}

// A customer reports a problem from his phone. Data from the test.
registry.category("web_tour.tours").add("forklift_portal_intake", {
    steps: () =>
        fileSheetSteps({
            serial: "SN-A-0001",
            description: "Tour: mast drops under load",
            hourMeter: "460",
            stopped: true,
        }),
});

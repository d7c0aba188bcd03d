import {registry} from "@web/core/registry";
import {
    attachPhoto,
    drawSignature,
    fitsThePhone,
} from "@forklift_aftersales/../tests/tours/forklift_phone_steps";

/**
 * Steps of a dealer's technician reporting the work of a service order from
 * the site on his phone, on the order's page: the page fits a 390 px wide
 * screen, the arrival is now, he types the work, the hour meter, the quantity
 * of the warranty part replaced (when it received one) with the damage found,
 * and adds a photo of the problem if given (000 §4.1.2); then the customer
 * signs on the same phone: the name typed in, the signature drawn with a finger (`draw`) or written from the name.
 */
export function reportWorkSteps({
    workDone,
    hourMeter,
    partQty,
    damage,
    photo,
    signer,
    draw = false,
}) {
    const pad = "#forklift_sign canvas.o_web_sign_signature";
    return [
        fitsThePhone("form#forklift_report_work"),
        {
            trigger: "textarea[name='work_done']",
            run: `edit ${workDone}`,
        },
        {
            trigger: "input[name='hour_meter']",
            run: `edit ${hourMeter}`,
        },
        ...(partQty ? [{trigger: "input[name^='qty_']", run: `edit ${partQty}`}] : []),
        ...(damage ? [{trigger: "input[name^='damage_']", run: `edit ${damage}`}] : []),
        ...(photo ? [attachPhoto("form#forklift_report_work input[name='photos']", photo)] : []),
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
        fitsThePhone("#forklift_sign"),
        {
            trigger: "#forklift_sign .o_web_sign_name_and_signature input",
            run: `edit ${signer}`,
        },
        ...(draw
            ? [
                  {
                      content: "Sign by hand",
                      trigger: "#forklift_sign .o_web_sign_draw_button",
                      run: "click",
                  },
                  {
                      content: "The pad is empty: nothing to send yet",
                      trigger: "#forklift_sign .o_portal_sign_submit:disabled",
                  },
                  drawSignature(pad),
              ]
            : []),
        {
            trigger: pad,
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
        fitsThePhone(".alert-success:contains('the service order is signed')"),
    ];
}

// A dealer reports the work of an order it received parts for, and the
// customer signs. Data from the test.
registry.category("web_tour.tours").add("forklift_portal_work_report", {
    steps: () =>
        reportWorkSteps({
            workDone: "Tour: replaced the seal kit",
            hourMeter: "530",
            partQty: "2",
            damage: "Seal lip torn",
            photo: "seal.png",
            signer: "Wang Jun",
        }),
});

import {registry} from "@web/core/registry";
import {fitsThePhone} from "@forklift_aftersales/../tests/tours/forklift_phone_steps";
import {fileSheetSteps} from "@forklift_aftersales/../tests/tours/forklift_portal_intake_tour";
import {reportWorkSteps} from "@forklift_aftersales/../tests/tours/forklift_portal_work_report_tour";

// A dealer's service staff work a whole case on the portal from a 390 x 844
// phone, one tour per visit; the service center's steps happen in between
// (TestDealerJourney). Every page fits the phone. Data from the test.

const SHEET = "Journey: mast drops under load";

/** From the portal home, open the tile leading to `url`. */
function openTile(url) {
    return [
        fitsThePhone(`.o_portal_index_card a[href='${url}']`),
        {
            content: `Open ${url}`,
            trigger: `.o_portal_index_card a[href='${url}']`,
            run: "click",
            expectUnloadPage: true,
        },
    ];
}

/** From the list of feedback sheets, open the journey's sheet. */
function openSheet() {
    return [
        fitsThePhone(`tr:contains('${SHEET}')`),
        {
            content: "Open the sheet",
            trigger: `tr:contains('${SHEET}') a[href^='/my/forklift/sheets/']`,
            run: "click",
            expectUnloadPage: true,
        },
    ];
}

// 1. The dealer files the sheet with a photo of the fault.
registry.category("web_tour.tours").add("forklift_dealer_journey_file", {
    steps: () => [
        ...openTile("/my/forklift/sheets/new"),
        ...fileSheetSteps({
            serial: "SN-J-0001",
            description: SHEET,
            hourMeter: "480",
            photo: "mast.png",
        }),
        {
            content: "The sheet waits at intake, with the dealer on it",
            trigger: ".card:contains('Intake'):contains('Dealer A Machinery')",
        },
    ],
});

// 2. Dispatched to the dealer: it reports the work and the customer signs by
// hand on the phone.
registry.category("web_tour.tours").add("forklift_dealer_journey_work_report", {
    steps: () => [
        ...openTile("/my/forklift/service-orders"),
        fitsThePhone("tbody tr:contains('Dispatched')"),
        {
            content: "Open the dispatched order",
            trigger: "tbody tr:contains('Dispatched') a[href^='/my/forklift/service-orders/']",
            run: "click",
            expectUnloadPage: true,
        },
        ...reportWorkSteps({
            workDone: "Journey: replaced the lift cylinder seal kit",
            hourMeter: "490",
            photo: "failed-seal.png",
            signer: "Wang Jun",
            draw: true,
        }),
    ],
});

// 3. The dealer applies for the warranty part it used, on the sheet's page.
registry.category("web_tour.tours").add("forklift_dealer_journey_parts", {
    steps: () => [
        ...openTile("/my/forklift/sheets"),
        ...openSheet(),
        fitsThePhone("form#forklift_apply_parts"),
        {
            content: "Two seal kits",
            trigger:
                "#forklift_apply_parts .row:contains('Lift cylinder seal kit') input[name^='qty_']",
            run: "edit 2",
        },
        {
            content: "Worn: why the part is given under warranty",
            trigger:
                "#forklift_apply_parts .row:contains('Lift cylinder seal kit') select[name^='reason_']",
            run: "select wear",
        },
        {
            trigger: "#forklift_apply_parts textarea[name='reason']",
            run: "edit Journey: seal kit worn after 480 h",
        },
        {
            content: "Apply",
            trigger: "#forklift_apply_parts button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Sent for approval",
            trigger: ".alert-success:contains('sent for approval')",
        },
        {
            content: "The application waits for the sales office director",
            trigger:
                "#forklift_parts_requests tr:contains('Lift cylinder seal kit'):contains('office director confirms first')",
        },
        fitsThePhone("#forklift_parts_requests"),
    ],
});

// 4. Approved and shipped: the dealer sees the delivery's waybill on the
// sheet, then ships the old parts back with the carrier and the waybill.
registry.category("web_tour.tours").add("forklift_dealer_journey_oldpart", {
    steps: () => [
        ...openTile("/my/forklift/sheets"),
        ...openSheet(),
        {
            content: "The parts are shipped, with the warehouse's waybill",
            trigger: "#forklift_parts_requests tr:contains('Shipped'):contains('ZT-J-0001')",
        },
        fitsThePhone("#forklift_parts_requests"),
        {
            content: "Back to the portal home",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
            expectUnloadPage: true,
        },
        ...openTile("/my/forklift/old-parts"),
        fitsThePhone("tbody tr:contains('Expected')"),
        {
            content: "Open the return",
            trigger: "tbody tr:contains('Expected') a[href^='/my/forklift/old-parts/']",
            run: "click",
            expectUnloadPage: true,
        },
        fitsThePhone("form#forklift_oldpart_ship"),
        {
            trigger: "form#forklift_oldpart_ship input[name='carrier']",
            run: "edit SF Express",
        },
        {
            trigger: "form#forklift_oldpart_ship input[name='waybill']",
            run: "edit SF-J-0001",
        },
        {
            content: "Mark shipped",
            trigger: "form#forklift_oldpart_ship button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The service center is told",
            trigger: ".alert-success:contains('on their way')",
        },
        {
            content: "The return shows the carrier and the waybill",
            trigger: ".card-body:contains('SF Express'):contains('SF-J-0001')",
        },
        fitsThePhone(".card-body:contains('SF-J-0001')"),
    ],
});

// 5. Received late: the dealer sees how many days late on the return
// (the test records it 5 days after the due date).
registry.category("web_tour.tours").add("forklift_dealer_journey_lateness", {
    steps: () => [
        ...openTile("/my/forklift/old-parts"),
        fitsThePhone("tbody tr"),
        {
            content: "Open the return",
            trigger: "tbody tr a[href^='/my/forklift/old-parts/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Received 5 days late",
            trigger: ".card-body .badge:contains('5 days late')",
        },
        fitsThePhone(".card-body .badge:contains('5 days late')"),
    ],
});

import {registry} from "@web/core/registry";

// A supplier's after-sales contact opens the service contact letter from its
// portal and answers it: technician, phone and visit date (000 §4.2.3.2).
// Data (a letter sent to supplier A) comes from the test.
registry.category("web_tour.tours").add("forklift_supplier_letter_answer", {
    steps: () => [
        {
            content: "Open the service contact letters from the portal home",
            trigger: "a[href='/my/forklift/letters']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the letter waiting for an answer",
            trigger: "table a[href*='/my/forklift/letters/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "#forklift_letter_answer select[name=cannot_come_in_time]",
            run: "selectByLabel Yes: we send a technician",
        },
        {
            trigger: "#forklift_letter_answer input[name=supplier_technician]",
            run: "edit Zhou Lei",
        },
        {
            trigger: "#forklift_letter_answer input[name=technician_phone]",
            run: "edit 139 0000 0000",
        },
        {
            trigger: "#forklift_letter_answer input[name=planned_visit_date]",
            // the "edit" helper cannot type into a datetime-local input; in
            // time is on site within the letter's 24 h: ten hours from now on
            // the browser's clock, read in the supplier's time zone (UTC+8),
            // falls within them whether the browser runs on UTC or on it
            run() {
                const at = new Date(Date.now() + 10 * 3600 * 1000);
                const pad = (n) => String(n).padStart(2, "0");
                this.anchor.value =
                    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
                    `T${pad(at.getHours())}:${pad(at.getMinutes())}`;
            },
        },
        {
            content: "Send the answer",
            trigger: "#forklift_letter_answer button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer is recorded",
            trigger: ".alert-success:contains('your answer is recorded')",
        },
        {
            trigger: ".badge:contains('Answered')",
        },
    ],
});

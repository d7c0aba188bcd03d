import {registry} from "@web/core/registry";

// A dealer's service staff open their portal: their own feedback sheet is
// listed and opens; the other dealer's is not there. Data from the test.
registry.category("web_tour.tours").add("forklift_dealer_portal", {
    steps: () => [
        {
            content: "Own sheet listed",
            trigger: "table tr:contains('Dealer portal: own sheet') a",
        },
        {
            content: "The other dealer's sheet is not listed",
            trigger: "body:not(:has(a:contains('Dealer portal: other sheet')))",
        },
        {
            trigger: "table tr:contains('Dealer portal: own sheet') a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The sheet opens with its fault description",
            trigger: "main:contains('Dealer portal: own sheet')",
        },
    ],
});

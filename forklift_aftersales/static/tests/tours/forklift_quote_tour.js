import {registry} from "@web/core/registry";

// A customer opens the out-of-warranty quote mailed to him, sees that the
// non-original part carries no guarantee, and accepts it with his signature.
registry.category("web_tour.tours").add("forklift_quote_accept", {
    steps: () => [
        {
            content: "Wait for the page to be ready",
            trigger: "body[is-ready=true]",
        },
        {
            content: "The non-original part carries no guarantee",
            trigger: ".forklift_no_guarantee:contains('Aftermarket brake shoe')",
        },
        {
            content: "Accept and sign",
            trigger: ".o_portal_sale_sidebar .btn-primary",
            run: "click",
        },
        {
            trigger: ".modal .o_web_sign_name_and_signature input",
            run: "fill Wang Jun",
        },
        {
            trigger: ".modal canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The quote is confirmed",
            trigger: "#quote_content:contains('Thank You')",
        },
    ],
});

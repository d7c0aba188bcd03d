/** Steps shared by the phone-sized portal tours. */

/**
 * A step that fails when the page scrolls sideways (it does not fit the
 * phone), naming the elements that stick out.
 */
export function fitsThePhone(trigger) {
    return {
        content: "The page fits the phone: no horizontal scroll",
        trigger,
        run() {
            const doc = document.documentElement;
            if (doc.scrollWidth > doc.clientWidth + 1) {
                const wide = [...document.body.querySelectorAll("*")]
                    .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1)
                    .map((el) => `${el.tagName}.${el.className}`)
                    .slice(-5);
                throw new Error(
                    `horizontal scroll: ${doc.scrollWidth} > ${doc.clientWidth}: ${wide}`
                );
            }
        },
    };
}

/** Steps shared by the phone-sized portal tours. */

// a 1 x 1 PNG: what the phone's camera gives, as far as the server can tell
const PHOTO_PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

// the widest screen still taken for a phone's
const PHONE_MAX_WIDTH = 430;

/**
 * A step that fails when the page scrolls sideways (it does not fit the
 * phone), naming the elements that stick out; or when the tour does not run
 * on a phone-sized screen at all.
 */
export function fitsThePhone(trigger) {
    return {
        content: "The page fits the phone: no horizontal scroll",
        trigger,
        run() {
            const doc = document.documentElement;
            if (window.innerWidth > PHONE_MAX_WIDTH) {
                throw new Error(`not a phone-sized screen: ${window.innerWidth} px wide`);
            }
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

/**
 * A step that puts a photo named `name` in the file input `trigger`, as
 * picking it from the phone's gallery does (the browser cannot open the
 * camera in a test).
 */
export function attachPhoto(trigger, name) {
    return {
        content: `Add the photo ${name}`,
        trigger,
        run(helpers) {
            const input = helpers.anchor;
            const bytes = Uint8Array.from(atob(PHOTO_PNG), (char) => char.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: "image/png"}));
            input.files = transfer.files;
            input.dispatchEvent(new Event("change", {bubbles: true}));
        },
    };
}

/**
 * A step that draws a signature with a finger on the signature pad (the
 * canvas `trigger`): a touch pressed, moved across the pad and lifted.
 */
export function drawSignature(trigger) {
    return {
        content: "Sign with a finger on the pad",
        trigger,
        async run(helpers) {
            const canvas = helpers.anchor;
            const box = canvas.getBoundingClientRect();
            const touch = {
                bubbles: true,
                cancelable: true,
                composed: true,
                isPrimary: true,
                pointerId: 1,
                pointerType: "touch",
                pressure: 0.5,
            };
            const at = ([x, y]) => ({
                clientX: box.left + x * box.width,
                clientY: box.top + y * box.height,
            });
            const stroke = [
                [0.1, 0.7],
                [0.25, 0.3],
                [0.4, 0.75],
                [0.55, 0.25],
                [0.7, 0.7],
                [0.9, 0.35],
            ];
            canvas.dispatchEvent(
                new PointerEvent("pointerdown", {
                    ...touch,
                    ...at(stroke[0]),
                    button: 0,
                    buttons: 1,
                })
            );
            for (const point of stroke.slice(1)) {
                // the pad samples the finger once a frame
                await helpers.animationFrame();
                await helpers.animationFrame();
                canvas.dispatchEvent(
                    new PointerEvent("pointermove", {
                        ...touch,
                        ...at(point),
                        button: -1,
                        buttons: 1,
                    })
                );
            }
            await helpers.animationFrame();
            canvas.dispatchEvent(
                new PointerEvent("pointerup", {
                    ...touch,
                    ...at(stroke.at(-1)),
                    button: 0,
                    buttons: 0,
                })
            );
        },
    };
}

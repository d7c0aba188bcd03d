import {registry} from "@web/core/registry";

// The graph of feedback sheets counts them: its value axis reads 0, 1, 2,
// never 0.5 or 1.00.
registry.category("web_tour.tours").add("forklift_graph_whole_numbers", {
    steps: () => [
        {
            content: "The count axis shows whole numbers",
            trigger: ".o_graph_renderer canvas",
            run() {
                const canvas = document.querySelector(".o_graph_renderer canvas");
                const ticks = window.Chart.getChart(canvas).scales.y.ticks;
                const labels = ticks.map((tick) => tick.label);
                const whole = ticks.every(
                    (tick) => Number.isInteger(tick.value) && tick.label === String(tick.value)
                );
                if (ticks.length < 2 || !whole) {
                    throw new Error(`count axis ticks: ${labels.join(", ")}`);
                }
            },
        },
    ],
});

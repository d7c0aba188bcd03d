import {patch} from "@web/core/utils/patch";
import {GraphRenderer} from "@web/views/graph/graph_renderer";

// Odoo's graph lets Chart.js choose the ticks of the value axis, which puts
// 0.5 between 0 and 1 when a few sheets are counted, and prints them with two
// decimals. On the after-sales models a count, or the sum of a whole-number
// field, is drawn on whole-number ticks written without decimals.
patch(GraphRenderer.prototype, {
    getScaleOptions() {
        const scales = super.getScaleOptions(...arguments);
        const {fieldAttrs, measure, measures, resModel} = this.model.metaData;
        const field = measures[measure];
        const wholeNumbers =
            resModel?.startsWith("forklift.") &&
            field?.type === "integer" &&
            (measure === "__count" || field.aggregator === "sum");
        if (scales.y && wholeNumbers) {
            const widget = fieldAttrs[measure]?.widget;
            scales.y.ticks = {
                ...scales.y.ticks,
                precision: 0,
                callback: (value) => this.formatValue(value, true, widget),
            };
        }
        return scales;
    },
});

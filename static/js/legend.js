// The legend beside the network picture: what the colours, widths, rings and glows mean for
// the scales in use now (the colours themselves are colours.js's).
//
//   createLegend(container)     → { update(scales), element }
//     scales = { weights: {max}, nodes: {quantity: "a" | "grad_z" | "none", extent, inputExtent},
//                glow: null | {quantity: "grad_weights" | "weight_deltas", max}, biases,
//                maps: false | "plane" (units' maps over the input plane) | "curves" (inputs' curves over x) }
//
// Every sign is also told by a second cue: negative weights are dashed.

import { COLORS } from "./colours.js";
import { el, setText, svg } from "./elements.js";
import { shortNumber } from "./format.js";
import { t } from "./strings.js";

let gradientCount = 0;

/** A horizontal orange–grey–blue bar with its ends and middle labelled by `ticks` (e.g. −m, 0, m). */
function divergingBar(ticks) {
  const id = `nv-legend-grad-${++gradientCount}`;
  const box = svg("svg", { class: "nv-legend-bar", viewBox: "0 0 120 26", "aria-hidden": "true" });
  const grad = svg("linearGradient", { id, x1: 0, x2: 1, y1: 0, y2: 0 });
  grad.append(
    svg("stop", { offset: "0", "stop-color": COLORS.negative }),
    svg("stop", { offset: "0.5", "stop-color": COLORS.zero }),
    svg("stop", { offset: "1", "stop-color": COLORS.positive }),
  );
  const defs = svg("defs");
  defs.append(grad);
  box.append(defs, svg("rect", { x: 1, y: 1, width: 118, height: 10, rx: 2, fill: `url(#${id})`,
    stroke: "#666", "stroke-width": 0.5 }));
  const labels = [[2, "start", ticks[0]], [60, "middle", ticks[1]], [118, "end", ticks[2]]];
  for (const [x, anchor, text] of labels) {
    const label = svg("text", { x, y: 23, "text-anchor": anchor, class: "nv-legend-tick" });
    label.textContent = text;
    box.append(label);
  }
  return box;
}

function lineSample(color, width, dashed, extra = {}) {
  const box = svg("svg", { class: "nv-legend-swatch", viewBox: "0 0 40 14", "aria-hidden": "true" });
  box.append(svg("line", { x1: 2, y1: 7, x2: 38, y2: 7, stroke: color, "stroke-width": width,
    "stroke-dasharray": dashed ? "5 3.5" : "none", "stroke-linecap": "butt", ...extra }));
  return box;
}

function glowSample() {
  const box = svg("svg", { class: "nv-legend-swatch", viewBox: "0 0 40 14", "aria-hidden": "true" });
  box.append(
    svg("line", { x1: 2, y1: 7, x2: 38, y2: 7, stroke: COLORS.glow, "stroke-width": 10, "stroke-opacity": 0.22 }),
    svg("line", { x1: 2, y1: 7, x2: 38, y2: 7, stroke: COLORS.glow, "stroke-width": 3 }),
  );
  return box;
}

/** A unit with a curve inside, as an input unit of a one-input set shows its feature over x. */
function curveSample() {
  const box = svg("svg", { class: "nv-legend-swatch", viewBox: "0 0 40 14", "aria-hidden": "true" });
  box.append(svg("circle", { cx: 20, cy: 7, r: 6.5, fill: "#fff", stroke: "#666", "stroke-width": 0.8 }),
    svg("path", { d: "M 15 10 Q 20 0 25 10", fill: "none", stroke: "#222", "stroke-width": 1.4 }));
  return box;
}

function ringSample() {
  const box = svg("svg", { class: "nv-legend-swatch", viewBox: "0 0 40 14", "aria-hidden": "true" });
  box.append(
    svg("circle", { cx: 11, cy: 7, r: 5, fill: COLORS.zero, stroke: COLORS.positive, "stroke-width": 2.2 }),
    svg("circle", { cx: 29, cy: 7, r: 5, fill: COLORS.zero, stroke: COLORS.negative, "stroke-width": 2.2,
      "stroke-dasharray": "2.5 1.8" }),
  );
  return box;
}

/** The legend's rows for `scales`: [swatch kind, make the swatch, its numbers (ticks), the text]. */
function rowsFor(scales) {
  const rows = [
    ["positive", () => lineSample(COLORS.positive, 3, false), null, t("nv.legend.weightPositive")],
    ["negative", () => lineSample(COLORS.negative, 3, true), null, t("nv.legend.weightNegative")],
    ["widths", () => el("span", { class: "nv-legend-widths" }, lineSample(COLORS.muted, 0.8, false, { stroke: "#555" }),
      lineSample(COLORS.muted, 6, false, { stroke: "#555" })), null,
    t("nv.legend.weightWidth", { max: shortNumber(scales.weights.max) })],
  ];
  const bar = (kind, extent, text) => {
    const ticks = [`−${shortNumber(extent)}`, "0", shortNumber(extent)];
    rows.push([kind, () => divergingBar(ticks), ticks, text]);
  };
  if (scales.biases) rows.push(["bias", ringSample, null, t("nv.legend.bias")]);
  const nodes = scales.nodes;
  if (nodes.quantity !== "none") {
    bar(`bar-${nodes.quantity}`, nodes.extent, t(`nv.legend.node.${nodes.quantity}`));
    if (nodes.inputExtent !== undefined && nodes.inputExtent !== nodes.extent) {
      bar("bar-x", nodes.inputExtent, t("nv.legend.node.x"));
    }
  } else {
    bar("bar-idle", 1, t("nv.legend.node.idle"));
  }
  if (scales.maps === "curves") {
    rows.push(["curves", curveSample, null, t("nv.legend.curves")]);
  } else if (scales.maps) {
    const ticks = [t("nv.legend.low"), "", t("nv.legend.high")];
    rows.push(["maps", () => divergingBar(ticks), ticks, t("nv.legend.maps")]);
  }
  if (scales.glow) {
    rows.push([`glow-${scales.glow.quantity}`, glowSample, null,
      t(`nv.legend.glow.${scales.glow.quantity}`, { max: shortNumber(scales.glow.max) })]);
  }
  return rows;
}

/** Mount a legend in `container`; `update(scales)` redraws it for the scales now in use. */
export function createLegend(container) {
  const root = el("section", { class: "nv-legend" });
  root.setAttribute("aria-label", t("nv.legend.title"));
  container.append(root);

  let shape = null; // the kinds of the rows drawn
  let slots = []; // per row drawn: {ticks: [text elements] | null, text: span}
  function update(scales) {
    const rows = rowsFor(scales);
    const kinds = rows.map(([kind]) => kind).join(" ");
    if (kinds === shape) {
      // While playing only the numbers change (at every frame): they change in place.
      rows.forEach(([, , ticks, text], k) => {
        const slot = slots[k];
        setText(slot.text, text);
        ticks?.forEach((tick, i) => setText(slot.ticks[i], tick));
      });
      return;
    }
    shape = kinds;
    const list = el("ul", { class: "nv-legend-list" });
    slots = rows.map(([, swatch, , text]) => {
      const box = swatch();
      const span = el("span", { class: "nv-legend-text" }, text);
      list.append(el("li", { class: "nv-legend-row" }, box, span));
      return { ticks: [...box.querySelectorAll(".nv-legend-tick")], text: span };
    });
    root.replaceChildren(el("h3", { class: "nv-legend-title" }, t("nv.legend.title")), list);
  }

  return { update, element: root };
}

// The colour scales of the network view, and the legend that explains them.
//
// Interface (used by render/network.js; main.js needs none of it unless it mounts a legend itself):
//   COLORS                      the palette: positive, negative, zero, glow, muted (CSS colour strings)
//   signColor(v)                COLORS.positive for v ≥ 0, COLORS.negative for v < 0
//   divergingColor(v, extent)   orange (−extent) … light grey (0) … blue (+extent), clamped;
//                               null (not finite) gives COLORS.nonFinite
//   divergingRgb(v, extent)     the same as [r, g, b]
//   isDarkFill(v, extent)       true when text on divergingColor(v, extent) should be white
//   niceCeil(x)                 the smallest 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k ≥ x
//   createLegend(container)     → { update(scales), element }
//     scales = { weights: {max}, nodes: {quantity: "a" | "grad_z" | "none", extent, inputExtent},
//                glow: null | {quantity: "grad_weights" | "weight_deltas", max}, biases, maps }
//
// The palette is Okabe–Ito blue/vermillion (safe for the common colour-vision deficiencies) and
// every sign is also told by a second cue: negative weights are dashed.

import { t } from "./strings.js";

const SVG = "http://www.w3.org/2000/svg";

export const COLORS = Object.freeze({
  positive: "#0072b2",
  negative: "#d55e00",
  zero: "#f2f2f2",
  glow: "#6a3d9a",
  muted: "#c8c8c8",
  nonFinite: "#7f7f7f",
});

const POS = [0x00, 0x72, 0xb2];
const NEG = [0xd5, 0x5e, 0x00];
const MID = [0xf2, 0xf2, 0xf2];

export function signColor(v) {
  return v < 0 ? COLORS.negative : COLORS.positive;
}

function mix(a, b, f) {
  return a.map((x, i) => Math.round(x + (b[i] - x) * f));
}

function clampedRatio(v, extent) {
  if (!(extent > 0)) return 0;
  return Math.max(-1, Math.min(1, v / extent));
}

/** [r, g, b] of the diverging scale: orange (−extent) … light grey (0) … blue (+extent). */
export function divergingRgb(v, extent) {
  if (v === null || v === undefined || !Number.isFinite(v)) return [0x7f, 0x7f, 0x7f];
  const f = clampedRatio(v, extent);
  return mix(MID, f < 0 ? NEG : POS, Math.abs(f));
}

const RAMP_STEPS = 1024;
let ramp = null; // RAMP_STEPS × [r, g, b] of the diverging scale from −1 to +1, made on first use

/**
 * The diverging scale as a table: entry k is the colour of f = 2k/(RAMP_STEPS − 1) − 1, for painting
 * many pixels without a call (and an array) per pixel. Answers {table, index(f)}.
 */
export function divergingRamp() {
  if (!ramp) {
    const table = new Uint8ClampedArray(RAMP_STEPS * 3);
    for (let k = 0; k < RAMP_STEPS; k++) table.set(divergingRgb((2 * k) / (RAMP_STEPS - 1) - 1, 1), 3 * k);
    ramp = { table, index: (f) => 3 * Math.round(((Math.max(-1, Math.min(1, f)) + 1) / 2) * (RAMP_STEPS - 1)) };
  }
  return ramp;
}

export function divergingColor(v, extent) {
  if (v === null || v === undefined || !Number.isFinite(v)) return COLORS.nonFinite;
  const [r, g, b] = divergingRgb(v, extent);
  return `rgb(${r}, ${g}, ${b})`;
}

export function isDarkFill(v, extent) {
  if (v === null || v === undefined || !Number.isFinite(v)) return true;
  return Math.abs(clampedRatio(v, extent)) > 0.55;
}

const NICE = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

export function niceCeil(x) {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = NICE.find((n) => n * p >= x * (1 - 1e-9)) ?? 10;
  return Number((m * p).toPrecision(3));
}

// ---- the legend --------------------------------------------------------------------------

function svgEl(name, attrs = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function htmlEl(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function short(x) {
  const abs = Math.abs(x);
  const text = abs !== 0 && (abs >= 1e4 || abs < 1e-3) ? x.toExponential(1).replace(".0e", "e")
    : String(Number(x.toPrecision(2)));
  return text.replace("e+", "e").replaceAll("-", "−");
}

let gradientCount = 0;

/** A horizontal orange–grey–blue bar with its ends and middle labelled (±extent by default). */
function divergingBar(extent, ticks = [`−${short(extent)}`, "0", short(extent)]) {
  const id = `nv-legend-grad-${++gradientCount}`;
  const svg = svgEl("svg", { class: "nv-legend-bar", viewBox: "0 0 120 26", "aria-hidden": "true" });
  const grad = svgEl("linearGradient", { id, x1: 0, x2: 1, y1: 0, y2: 0 });
  grad.append(
    svgEl("stop", { offset: "0", "stop-color": COLORS.negative }),
    svgEl("stop", { offset: "0.5", "stop-color": COLORS.zero }),
    svgEl("stop", { offset: "1", "stop-color": COLORS.positive }),
  );
  const defs = svgEl("defs");
  defs.append(grad);
  svg.append(defs, svgEl("rect", { x: 1, y: 1, width: 118, height: 10, rx: 2, fill: `url(#${id})`,
    stroke: "#666", "stroke-width": 0.5 }));
  const labels = [[2, "start", ticks[0]], [60, "middle", ticks[1]], [118, "end", ticks[2]]];
  for (const [x, anchor, text] of labels) {
    const label = svgEl("text", { x, y: 23, "text-anchor": anchor, class: "nv-legend-tick" });
    label.textContent = text;
    svg.append(label);
  }
  return svg;
}

function lineSample(color, width, dashed, extra = {}) {
  const svg = svgEl("svg", { class: "nv-legend-swatch", viewBox: "0 0 40 14", "aria-hidden": "true" });
  svg.append(svgEl("line", { x1: 2, y1: 7, x2: 38, y2: 7, stroke: color, "stroke-width": width,
    "stroke-dasharray": dashed ? "5 3.5" : "none", "stroke-linecap": "butt", ...extra }));
  return svg;
}

function glowSample() {
  const svg = svgEl("svg", { class: "nv-legend-swatch", viewBox: "0 0 40 14", "aria-hidden": "true" });
  svg.append(
    svgEl("line", { x1: 2, y1: 7, x2: 38, y2: 7, stroke: COLORS.glow, "stroke-width": 10, "stroke-opacity": 0.22 }),
    svgEl("line", { x1: 2, y1: 7, x2: 38, y2: 7, stroke: COLORS.glow, "stroke-width": 3 }),
  );
  return svg;
}

function ringSample() {
  const svg = svgEl("svg", { class: "nv-legend-swatch", viewBox: "0 0 40 14", "aria-hidden": "true" });
  svg.append(
    svgEl("circle", { cx: 11, cy: 7, r: 5, fill: COLORS.zero, stroke: COLORS.positive, "stroke-width": 2.2 }),
    svgEl("circle", { cx: 29, cy: 7, r: 5, fill: COLORS.zero, stroke: COLORS.negative, "stroke-width": 2.2,
      "stroke-dasharray": "2.5 1.8" }),
  );
  return svg;
}

function row(list, swatch, text) {
  const item = htmlEl("li", "nv-legend-row");
  item.append(swatch, htmlEl("span", "nv-legend-text", text));
  list.append(item);
}

/** Mount a legend in `container`; `update(scales)` redraws it for the scales now in use. */
export function createLegend(container) {
  const root = htmlEl("section", "nv-legend");
  root.setAttribute("aria-label", t("nv.legend.title"));
  container.append(root);

  let shown = null;
  function update(scales) {
    const key = JSON.stringify(scales);
    if (key === shown) return; // while playing the scales rarely change: keep the drawing
    shown = key;
    const list = htmlEl("ul", "nv-legend-list");
    const wmax = short(scales.weights.max);
    row(list, lineSample(COLORS.positive, 3, false), t("nv.legend.weightPositive"));
    row(list, lineSample(COLORS.negative, 3, true), t("nv.legend.weightNegative"));
    const widths = htmlEl("span", "nv-legend-widths");
    widths.append(lineSample(COLORS.muted, 0.8, false, { stroke: "#555" }),
      lineSample(COLORS.muted, 6, false, { stroke: "#555" }));
    row(list, widths, t("nv.legend.weightWidth", { max: wmax }));
    if (scales.biases) row(list, ringSample(), t("nv.legend.bias"));
    const nodes = scales.nodes;
    if (nodes.quantity !== "none") {
      row(list, divergingBar(nodes.extent), t(`nv.legend.node.${nodes.quantity}`));
      if (nodes.inputExtent !== undefined && nodes.inputExtent !== nodes.extent) {
        row(list, divergingBar(nodes.inputExtent), t("nv.legend.node.x"));
      }
    } else {
      row(list, divergingBar(1), t("nv.legend.node.idle"));
    }
    if (scales.maps) row(list, divergingBar(1, [t("nv.legend.low"), "", t("nv.legend.high")]), t("nv.legend.maps"));
    if (scales.glow) {
      row(list, glowSample(), t(`nv.legend.glow.${scales.glow.quantity}`, { max: short(scales.glow.max) }));
    }
    root.replaceChildren(htmlEl("h3", "nv-legend-title", t("nv.legend.title")), list);
  }

  return { update, element: root };
}

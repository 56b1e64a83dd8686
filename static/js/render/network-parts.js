// The fixed parts of the network picture: element helpers, the layer headings, the input and
// output names, and the loss panel beside the output layer. Each builder returns elements
// for render/network.js to place; none keeps state.

import { fnName } from "../animate.js";
import { formatValue, shortName } from "../inspector.js";
import { t } from "../strings.js";
import { MARGIN, maxAbs } from "./network-geometry.js";

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg(name, attrs = {}) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

export function el(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function text(attrs, content) {
  const node = svg("text", attrs);
  node.textContent = content;
  return node;
}

/** "Hidden 2" over "4 · tanh" above each column; "h2" over "4" when the columns are narrow. */
export function headings(geo, sizes, spec) {
  const L = sizes.length - 1;
  const compactHeads = geo.xs[1] - geo.xs[0] < 92;
  const suffix = compactHeads ? "Short" : "";
  return sizes.flatMap((n, k) => {
    const x = geo.xs[k];
    const name = k === 0 ? t(`nv.heading.input${suffix}`) : k === L ? t(`nv.heading.output${suffix}`)
      : t(`nv.heading.hidden${suffix}`, { k });
    const fn = k === 0 ? null : k === L ? spec?.output_activation : spec?.activation;
    let sub;
    if (compactHeads) sub = String(n);
    else if (fn) sub = t("nv.layer.sub", { n, fn: fnName(fn) });
    else sub = t("nv.layer.subInput", { n });
    return [
      text({ x, y: 16, class: "nv-heading", "text-anchor": "middle" }, name),
      text({ x, y: 31, class: "nv-subheading", "text-anchor": "middle" }, sub),
    ];
  });
}

/** x₁ … beside the inputs and y₁ … beside the outputs, thinned out where the units are close. */
export function unitLabels(geo, sizes) {
  const L = sizes.length - 1;
  const every = Math.ceil(14 / geo.spacing);
  const labels = [];
  for (const [k, dx, anchor] of [[0, -geo.r - 6, "end"], [L, geo.r + 6, "start"]]) {
    const last = sizes[k] - 1;
    geo.ys[k].forEach((y, u) => {
      if (u % every !== 0 && !(u === last && last % every >= every / 2)) return;
      labels.push(text({ x: geo.xs[k] + dx, y: y + 4, class: "nv-unit-label", "text-anchor": anchor },
        shortName(k, u, sizes)));
    });
  }
  return labels;
}

/** The batch's loss: E, one bar per sample, and a dashed line at their mean. Null if no room. */
export function lossPanel(geo, sizes, trace, faint) {
  const L = sizes.length - 1;
  const per = trace.loss_per_sample;
  const x0 = geo.xs[L] + geo.r + 40;
  const w = Math.min(126, geo.width - x0 - 14);
  if (w < 70) return null;
  const h = 70; // bar area
  const top = 46;
  const yMid = (geo.ys[L][0] + geo.ys[L][sizes[L] - 1]) / 2;
  const y0 = Math.max(MARGIN.top, Math.min(geo.height - h - 90, yMid - (h + 80) / 2));
  const g = svg("g", { class: `nv-loss-panel${faint ? " nv-faint" : ""}`, transform: `translate(${x0} ${y0})` });
  g.append(
    svg("rect", { x: -8, y: -6, width: w + 16, height: h + 90, rx: 6, class: "nv-loss-box" }),
    text({ x: 0, y: 12, class: "nv-loss-title" }, t("nv.loss.title")),
    text({ x: 0, y: 34, class: "nv-loss-value" }, `E = ${formatValue(trace.loss)}`),
  );
  const maxL = maxAbs(per) || 1;
  const bw = w / per.length;
  per.forEach((v, s) => {
    const bh = v === null ? h : (Math.max(0, v) / maxL) * h;
    g.append(svg("rect", { x: (s * bw).toFixed(2), y: (top + h - bh).toFixed(2),
      width: Math.max(0.6, bw - (bw > 3 ? 1 : 0)).toFixed(2), height: bh.toFixed(2),
      class: v === null ? "nv-loss-bar nv-nonfinite" : "nv-loss-bar" }));
  });
  const meanY = top + h - (Math.max(0, trace.data_loss ?? 0) / maxL) * h;
  g.append(
    svg("line", { x1: 0, x2: w, y1: meanY, y2: meanY, class: "nv-loss-mean" }),
    svg("line", { x1: 0, x2: w, y1: top + h, y2: top + h, class: "nv-loss-axis" }),
    text({ x: 0, y: top + h + 15, class: "nv-loss-note" }, t("nv.loss.perSample", { n: per.length })),
    text({ x: 0, y: top + h + 29, class: "nv-loss-note" }, t("nv.loss.meanLine")),
  );
  return g;
}

// The parts of the network picture as elements: its skeleton (stage, SVG layers, help), one
// element per unit and per weight, the layer headings, the input and output names, and the
// loss panel beside the output layer. Each builder returns elements for render/network.js to
// place and paint; none keeps state.

import { fnName } from "../animate.js";
import { COLORS, layerColour } from "../colours.js";
import { el, svg } from "../elements.js";
import { formatValue } from "../format.js";
import { t } from "../strings.js";
import { MARGIN, maxAbs } from "./network-geometry.js";
import { shortName } from "./unit-names.js";

/**
 * The view's empty skeleton: {root, caption, captionTitle, captionText, stage, canvas, svgRoot,
 * hatchId, picture, body, g: {headings, links, linkMarks, flows, pulses, nodes, nodeMarks,
 * labels, numbers, loss}} (the SVG groups, bottom to top).
 */
export function skeleton() {
  const root = el("div", { class: "nv-view", "data-phase": "none" });
  const captionTitle = el("strong", { class: "nv-caption-title" });
  const captionText = el("span", { class: "nv-caption-text" });
  const caption = el("div", { class: "nv-caption", "aria-live": "polite" }, captionTitle, captionText);
  const uid = `nv-${Math.random().toString(36).slice(2, 8)}`;
  const help = el("p", { class: "nv-help", id: `${uid}-help` }, t("nv.help"));
  const canvas = el("canvas", { class: "nv-canvas", "aria-hidden": "true" });
  const svgRoot = svg("svg", { class: "nv-svg", role: "group", "aria-label": t("nv.picture"), "aria-describedby": help.id });
  const hatchId = `${uid}-hatch`;
  const hatch = svg("pattern", { id: hatchId, width: 4, height: 4, patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)" },
  svg("rect", { width: 4, height: 4, fill: "#ddd" }),
  svg("line", { x1: 0, y1: 0, x2: 0, y2: 4, stroke: COLORS.nonFinite, "stroke-width": 2 }));
  const group = (name, hidden = true) => svg("g", { class: name, "aria-hidden": hidden ? "true" : null });
  const g = {
    headings: group("nv-headings"), links: group("nv-links", false),
    linkMarks: group("nv-link-marks"), flows: group("nv-flows"), pulses: group("nv-pulses"),
    nodes: group("nv-nodes", false), nodeMarks: group("nv-node-marks"), labels: group("nv-labels"),
    numbers: group("nv-numbers"), loss: group("nv-loss"),
  };
  svgRoot.append(svg("defs", {}, hatch), ...Object.values(g));
  const stage = el("div", { class: "nv-stage" }, canvas, svgRoot);
  const picture = el("div", { class: "nv-picture" }, stage, help);
  const body = el("div", { class: "nv-body" }, picture);
  return { root, caption, captionTitle, captionText, stage, canvas, svgRoot, hatchId, picture, body, g };
}

/** One focusable line per weight: [l][i][j] → line (data-layer = l means weights[l]). */
export function linkElements(geo, sizes, labelOf) {
  return sizes.slice(0, -1).map((n, l) => Array.from({ length: n }, (_, i) => Array.from(
    { length: sizes[l + 1] }, (_, j) => svg("line", {
      class: "nv-link", x1: geo.xs[l], y1: geo.ys[l][i], x2: geo.xs[l + 1], y2: geo.ys[l + 1][j],
      tabindex: -1, role: "button", "data-layer": l, "data-from": i, "data-to": j,
      "aria-label": labelOf({ kind: "link", layer: l, from: i, to: j }),
    }))));
}

/**
 * One focusable group per unit: [layer][unit] → {g, body, map, ring, label}; `map` is a
 * <foreignObject> with a small canvas for the unit's map (an input unit's: its value, or feature, over the plane).
 */
export function nodeElements(geo, sizes, labelOf) {
  return sizes.map((n, k) => Array.from({ length: n }, (_, u) => {
    const body = svg("circle", { class: "nv-node-body", r: geo.r });
    // The unit's map: a small canvas (painted in place, no image encoding) clipped to the unit.
    const map = svg("foreignObject", { class: "nv-map", x: -geo.r, y: -geo.r, width: 2 * geo.r,
      height: 2 * geo.r, visibility: "hidden" }, el("canvas", { class: "nv-map-canvas", width: 1, height: 1 }));
    const ring = svg("circle", { class: "nv-node-ring", r: geo.r, fill: "none" });
    const label = svg("text", { class: "nv-node-label", "text-anchor": "middle", y: geo.r * 0.12 + 3.5,
      "font-size": Math.max(9, Math.min(12, geo.r * 0.62)) });
    const g = svg("g", { class: "nv-node", tabindex: -1, role: "button", "data-layer": k, "data-unit": u,
      transform: `translate(${geo.xs[k]} ${geo.ys[k][u]})`, "aria-label": labelOf({ kind: "node", layer: k, unit: u }) },
    body, map, ring, label);
    return { g, body, map, ring, label };
  }));
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
    else sub = t("nv.layer.subInput", { count: n });
    // Each weight layer's band in its own colour, as in the gradient-norm chart.
    const band = k < L ? [svg("line", { x1: x + 8, y1: 38, x2: geo.xs[k + 1] - 8, y2: 38, stroke: layerColour(k),
      "stroke-width": 3, "stroke-linecap": "round", class: "nv-layer-band", "data-layer": k })] : [];
    return [
      svg("text", { x, y: 16, class: "nv-heading", "text-anchor": "middle" }, name),
      svg("text", { x, y: 31, class: "nv-subheading", "text-anchor": "middle" }, sub),
      ...band,
    ];
  });
}

/**
 * x₁ … beside the inputs (`inputs`: their features' labels, x₁² …, when the network has features) and
 * y₁ … beside the outputs, thinned out where the units are close.
 */
export function unitLabels(geo, sizes, inputs) {
  const L = sizes.length - 1;
  const every = Math.ceil(14 / geo.spacing);
  const labels = [];
  for (const [k, dx, anchor] of [[0, -geo.r - 6, "end"], [L, geo.r + 6, "start"]]) {
    const last = sizes[k] - 1;
    geo.ys[k].forEach((y, u) => {
      if (u % every !== 0 && !(u === last && last % every >= every / 2)) return;
      labels.push(svg("text", { x: geo.xs[k] + dx, y: y + 4, class: "nv-unit-label", "text-anchor": anchor },
        shortName(k, u, sizes, inputs)));
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
    svg("text", { x: 0, y: 12, class: "nv-loss-title" }, t("nv.loss.title")),
    svg("text", { x: 0, y: 34, class: "nv-loss-value" }, `E = ${formatValue(trace.loss)}`),
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
    svg("text", { x: 0, y: top + h + 15, class: "nv-loss-note" }, t("nv.loss.perSample", { count: per.length })),
    svg("text", { x: 0, y: top + h + 29, class: "nv-loss-note" }, t("nv.loss.meanLine")),
  );
  return g;
}

// The network picture: every unit and weight of the server's network, and one update's phases.
//
// Interface (for main.js):
//   createNetworkView(container, {onSelect, inspector, legend, caption}) → view
//     container   an empty element; the view fills it (picture, legend, inspector).
//     onSelect    optional; called with the pinned ref (or null) when the learner pins or unpins.
//     inspector   optional element to hold the inspector (default: inside the view).
//     legend      optional element to hold the legend (default: inside the view).
//     caption     true to show the phase's title and sentence above the picture (default false:
//                 the page's timeline says them).
//   view.setState(state)            draw a network state (POST/GET /networks answers). A state of a
//                                   different architecture redraws everything and drops the trace.
//   view.setOptions(options)        GET /options, for the optimizers' update rules (optional).
//   view.showPhase(trace, phase, {animate = true})  show one phase of a step's trace
//                                   (phase from animate.js phasesFor(trace)).
//   view.showTrace(trace, {start = 0}) → cursor   phasesFor + createPhaseCursor bound to this view,
//                                   already at `start`; call cursor.next()/prev()/goto(i).
//   view.clearTrace()               back to the plain network (its latest weights).
//   view.select(ref)                pin a node or link in the inspector (null unpins); ref =
//                                   {kind: "node", layer, unit} | {kind: "link", layer, from, to}.
//   view.setNeuronMaps(boundary, state) → bool   a GET /boundary answer: each hidden and output
//                                   unit shows its activation over the input plane while no step
//                                   is shown. False (nothing drawn) when the units are too small.
//   view.lastTrace / view.phase     the trace and phase shown (null when none).
//   view.destroy()
//
// DOM hooks: root `.nv-view` with `data-phase` ("none", "forward-2", "loss", "backward-1",
// "update"), `data-step` (the step shown, empty for the live network) and `data-drawn-step` (the
// step whose weights the picture last painted: it changes only when the picture does); nodes
// `g.nv-node[data-layer][data-unit]` (layer 0 = inputs); links `line.nv-link[data-layer][data-from][data-to]` (data-layer = l means weights[l]).
// Networks with more than 1500 weights draw them on a canvas under the SVG; there one proxy
// `line.nv-link.nv-proxy` carries the focused weight's data attributes.
// Keyboard: Tab enters the picture; ↑/↓ move within a layer (or along the other end of a
// weight), → from a unit goes to its outgoing weights and on to the next layer, ← goes back,
// Home/End jump to the ends, Enter or Space pins, Escape unpins.

import { createMotion, createPhaseCursor, explain, phasesFor, phaseTitle, pulsePlan } from "../animate.js";
import { createInspector, formatValue, shortName, unitName } from "../inspector.js";
import { COLORS, createLegend, divergingColor, divergingRamp, isDarkFill, niceCeil, signColor } from "../legend.js";
import { t } from "../strings.js";
import { createLinkCanvas } from "./network-canvas.js";
import {
  columnMeans, compact, layout, linkAt, linkCount, maxAbs, maxAbsNested, moveFrom, plainRef, refExists, sameRef,
  sizesOf,
} from "./network-geometry.js";
import { el, headings, lossPanel, svg, unitLabels } from "./network-parts.js";

const CANVAS_LINKS = 1500; // above this many weights, links go to a canvas
const MAX_PULSES = 48; // signal dots per phase
const MAX_HALOS = 600; // |Δw| glows in the update phase
const DENSE_REPAINT_MS = 250; // while playing, a canvas picture follows the weights at 4 frames/s

/** Paint a map of the boundary answer into `canvas` (N×N pixels), coloured like the units (row 0 = bottom). */
function paintMapInto(canvas, map, scale) {
  const n = map.resolution;
  if (canvas.width !== n || canvas.height !== n) {
    canvas.width = n;
    canvas.height = n;
    canvas.nvImage = null;
  }
  const ctx = canvas.getContext("2d");
  canvas.nvImage ??= ctx.createImageData(n, n);
  const data = canvas.nvImage.data;
  const { table, index } = divergingRamp();
  const text = atob(map.data);
  const step = (map.hi - map.lo) / 255 / scale.half;
  const start = (map.lo - scale.centre) / scale.half;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const c = index(start + text.charCodeAt(row * n + col) * step);
      const k = 4 * ((n - 1 - row) * n + col);
      data[k] = table[c];
      data[k + 1] = table[c + 1];
      data[k + 2] = table[c + 2];
      data[k + 3] = 255;
    }
  }
  ctx.putImageData(canvas.nvImage, 0, 0);
}

/** Set an attribute only when its value changes: while playing most do not, and each set costs. */
function put(node, name, value) {
  const known = (node.nvAttrs ??= {});
  const text = String(value);
  if (known[name] === text) return;
  known[name] = text;
  node.setAttribute(name, text);
}

/** The colour scale of a unit's map: fixed for bounded activations, else the map's own range. */
function mapScale(fn, map) {
  if (fn === "tanh") return { centre: 0, half: 1 };
  if (fn === "sigmoid" || fn === "softmax") return { centre: 0.5, half: 0.5 };
  return { centre: 0, half: Math.max(Math.abs(map.lo), Math.abs(map.hi), 1e-9) };
}

export function createNetworkView(container, { onSelect, inspector: inspectorHost, legend: legendHost,
  caption: withCaption = false } = {}) {
  // ---- DOM skeleton ----------------------------------------------------------------------
  const root = el("div", "nv-view");
  root.dataset.phase = "none";
  const caption = el("div", "nv-caption");
  caption.setAttribute("aria-live", "polite");
  const captionTitle = el("strong", "nv-caption-title");
  const captionText = el("span", "nv-caption-text");
  caption.append(captionTitle, captionText);
  const body = el("div", "nv-body");
  const picture = el("div", "nv-picture");
  const stage = el("div", "nv-stage");
  const canvas = el("canvas", "nv-canvas");
  canvas.setAttribute("aria-hidden", "true");
  const help = el("p", "nv-help", t("nv.help"));
  const uid = `nv-${Math.random().toString(36).slice(2, 8)}`;
  help.id = `${uid}-help`;
  const svgRoot = svg("svg", { class: "nv-svg", role: "group", "aria-label": t("nv.picture"),
    "aria-describedby": help.id });
  const defs = svg("defs");
  const hatch = svg("pattern", { id: `${uid}-hatch`, width: 4, height: 4, patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)" });
  hatch.append(svg("rect", { width: 4, height: 4, fill: "#ddd" }),
    svg("line", { x1: 0, y1: 0, x2: 0, y2: 4, stroke: COLORS.nonFinite, "stroke-width": 2 }));
  defs.append(hatch);
  const group = (name, hidden = true) => svg("g", { class: name, ...(hidden ? { "aria-hidden": "true" } : {}) });
  const gHeadings = group("nv-headings");
  const gHalo = group("nv-halos");
  const gLinks = group("nv-links", false);
  const gLinkMarks = group("nv-link-marks");
  const gPulses = group("nv-pulses");
  const gNodes = group("nv-nodes", false);
  const gNodeMarks = group("nv-node-marks");
  const gLabels = group("nv-labels");
  const gLoss = group("nv-loss");
  svgRoot.append(defs, gHeadings, gHalo, gLinks, gLinkMarks, gPulses, gNodes, gNodeMarks, gLabels, gLoss);
  stage.append(canvas, svgRoot);
  const legendSlot = legendHost ?? el("div", "nv-legend-slot");
  picture.append(stage, help);
  if (!legendHost) picture.append(legendSlot);
  body.append(picture);
  const inspectorSlot = inspectorHost ?? el("div", "nv-inspector-slot");
  if (!inspectorHost) body.append(inspectorSlot);
  if (withCaption) root.append(caption);
  root.append(body);
  container.append(root);
  const inspector = createInspector(inspectorSlot);
  const legend = createLegend(legendSlot);
  const motion = createMotion();
  const linkCanvas = createLinkCanvas(canvas);

  // ---- model --------------------------------------------------------------------------------
  let sizes = null;
  let spec = null;
  let options = null;
  let networkId = null;
  let history = []; // recent {step, weights, biases}: the parameters each step started from
  let params = null; // {weights, biases} drawn: the latest, or those a shown trace started from
  let trace = null;
  let phase = null;
  let maps = null; // [layer][unit] → data URL of the unit's map (hidden and output layers)
  let geo = null;
  let dense = false; // links on the canvas
  let nodeEls = []; // [layer][unit] → {g, body, map, ring, label}
  let linkEls = null; // [l][i][j] → line (SVG mode only)
  let proxy = null; // the focusable stand-in for a canvas link
  let pinned = null;
  let hover = null;
  let focusRef = { kind: "node", layer: 0, unit: 0 };
  let focusInside = false;
  let display = null; // what the current phase shows; see computeDisplay
  let tweenF = 1; // 0 → 1 while a phase animates in
  let liveStep = 0; // the step of the latest state given to setState
  const exists = (ref) => refExists(sizes, ref);

  /** Keep recent parameters by step. A state older than the newest one (a reset) starts over;
   *  a trace older than the newest one (the learner went back) teaches nothing new. */
  function remember(entry, fromState) {
    const last = history[history.length - 1];
    if (last && entry.step < last.step) {
      if (!fromState) return;
      history = [];
    }
    history = history.filter((h) => h.step !== entry.step).concat([entry]).slice(-3);
  }

  /** The parameters a trace's forward pass used: exact when we saw them, else new − Δ. */
  function paramsBefore(tr) {
    const applied = tr.update && tr.applied !== false;
    const used = applied ? tr.step - 1 : tr.step;
    const known = history.find((h) => h.step === used);
    if (known) return known;
    if (!applied) return history[history.length - 1];
    return {
      step: used,
      weights: tr.update.map((u) => u.weights.map((row, i) => row.map((w, j) => w - u.weight_deltas[i][j]))),
      biases: tr.update[0].biases === null ? null
        : tr.update.map((u) => u.biases.map((b, j) => b - u.bias_deltas[j])),
    };
  }

  // ---- what each phase shows ------------------------------------------------------------------
  /** Node values and link looks of a phase: links[l] is "weight", "faded", "muted", "glow",
   *  "glow-faint" or "update" for weight layer l. */
  function computeDisplay(shown = phase) {
    const L = sizes.length - 1;
    const d = {
      nodeValues: sizes.map(() => null), nodeQuantity: "none", extent: 1, inputExtent: 1,
      focusLayer: null, links: new Array(L).fill("weight"), glow: null, glowMax: 0,
      newWeights: null, newBiases: null, loss: null,
    };
    if (!trace || !shown) return d;
    const xMeans = columnMeans(trace.inputs);
    const aMeans = trace.forward.map((f) => columnMeans(f.a));
    d.inputExtent = niceCeil(maxAbs(xMeans));
    d.extent = niceCeil(Math.max(1, ...aMeans.map((m) => maxAbs(m))));
    if (shown.kind === "forward") {
      d.nodeQuantity = "a";
      for (let k = 0; k <= shown.layer; k++) d.nodeValues[k] = k === 0 ? xMeans : aMeans[k - 1];
      d.focusLayer = shown.layer;
      for (let l = 0; l < L; l++) d.links[l] = l < shown.layer ? "weight" : "faded";
    } else if (shown.kind === "loss") {
      d.nodeQuantity = "a";
      d.nodeValues = [xMeans, ...aMeans];
      d.focusLayer = L;
      d.loss = "full";
    } else if (shown.kind === "backward") {
      const deltas = trace.backward.map((b) => columnMeans(b.grad_z));
      d.nodeQuantity = "grad_z";
      d.extent = niceCeil(Math.max(...deltas.map((m) => maxAbs(m))));
      for (let k = shown.layer; k <= L; k++) d.nodeValues[k] = deltas[k - 1];
      d.focusLayer = shown.layer;
      d.glow = "grad_weights";
      d.glowMax = niceCeil(maxAbsNested(trace.backward.map((b) => b.grad_weights)));
      for (let l = 0; l < L; l++) {
        if (l === shown.layer - 1) d.links[l] = "glow";
        else d.links[l] = l >= shown.layer ? "glow-faint" : "muted";
      }
      d.loss = "faint";
    } else {
      d.glow = "weight_deltas";
      d.glowMax = niceCeil(maxAbsNested(trace.update.map((u) => u.weight_deltas)));
      if (trace.applied !== false) { // a step that overflowed changed nothing
        d.newWeights = trace.update.map((u) => u.weights);
        d.newBiases = trace.update[0].biases === null ? null : trace.update.map((u) => u.biases);
        d.links.fill("update");
      }
      d.loss = "faint";
    }
    return d;
  }

  function weightMax() {
    return niceCeil(maxAbsNested([...params.weights, ...(params.biases ?? []).map((b) => [b])]));
  }

  /** [colour, width, dashed, alpha] of weight l[i][j] in the current phase (or in `d`'s). */
  function linkStyle(l, i, j, wMax, d = display) {
    const look = d.links[l];
    if (look === "glow" || look === "glow-faint") {
      // A square-root scale keeps small gradients visible next to large ones.
      const g = trace.backward[l].grad_weights[i][j];
      const f = g === null ? 1 : Math.sqrt(Math.min(1, Math.abs(g) / d.glowMax));
      if (look === "glow-faint") return [COLORS.glow, 0.5 + 3 * f, false, dense ? 0.02 + 0.15 * f * f : 0.08 + 0.25 * f];
      if (dense) return [COLORS.glow, 0.4 + 2.6 * f, false, 0.04 + 0.7 * f * f];
      return [COLORS.glow, 1.2 + 6.8 * f, false, 0.35 + 0.65 * f];
    }
    let w = params.weights[l][i][j];
    if (look === "update") w += (d.newWeights[l][i][j] - w) * tweenF;
    const f = Math.min(1, Math.abs(w) / wMax);
    const width = dense ? 0.35 + 1.8 * f : 0.75 + 5.25 * f;
    let alpha = dense ? 0.04 + 0.6 * f * f : 0.88;
    if (look === "faded") alpha *= 0.25;
    if (look === "muted") return [COLORS.muted, width, w < 0, dense ? alpha * 0.5 : 0.7];
    return [signColor(w), width, w < 0, alpha];
  }

  // ---- building the picture ---------------------------------------------------------------------
  function build() {
    const width = stage.clientWidth;
    const height = stage.clientHeight;
    if (!sizes || width < 10 || height < 10) return;
    geo = layout(sizes, width, height);
    svgRoot.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svgRoot.setAttribute("width", width);
    svgRoot.setAttribute("height", height);
    linkCanvas.resize(geo);
    dense = linkCount(sizes) > CANVAS_LINKS;
    root.classList.toggle("nv-dense", dense);
    gHeadings.replaceChildren(...headings(geo, sizes, spec));
    gLabels.replaceChildren(...unitLabels(geo, sizes));
    buildLinks();
    buildNodes();
    paint();
  }

  function buildLinks() {
    linkEls = null;
    proxy = null;
    if (dense) {
      proxy = svg("line", { class: "nv-link nv-proxy", tabindex: -1, role: "button" });
      gLinks.replaceChildren(proxy);
      return;
    }
    const frag = document.createDocumentFragment();
    linkEls = sizes.slice(0, -1).map((n, l) => Array.from({ length: n }, (_, i) => Array.from(
      { length: sizes[l + 1] }, (_, j) => {
        const line = svg("line", {
          class: "nv-link", x1: geo.xs[l], y1: geo.ys[l][i], x2: geo.xs[l + 1], y2: geo.ys[l + 1][j],
          tabindex: -1, role: "button", "data-layer": l, "data-from": i, "data-to": j,
        });
        line.setAttribute("aria-label", linkLabel({ kind: "link", layer: l, from: i, to: j }));
        frag.append(line);
        return line;
      })));
    gLinks.replaceChildren(frag);
  }

  function buildNodes() {
    const frag = document.createDocumentFragment();
    nodeEls = sizes.map((n, k) => Array.from({ length: n }, (_, u) => {
      const g = svg("g", { class: "nv-node", tabindex: -1, role: "button", "data-layer": k, "data-unit": u,
        transform: `translate(${geo.xs[k]} ${geo.ys[k][u]})` });
      g.setAttribute("aria-label", nodeLabel({ kind: "node", layer: k, unit: u }));
      const bodyEl = svg("circle", { class: "nv-node-body", r: geo.r });
      // The unit's map: a small canvas (painted in place, no image encoding) clipped to the unit.
      const map = k === 0 ? null : svg("foreignObject", { class: "nv-map", x: -geo.r, y: -geo.r, width: 2 * geo.r,
        height: 2 * geo.r, visibility: "hidden" });
      map?.append(Object.assign(document.createElement("canvas"), { className: "nv-map-canvas", width: 1, height: 1 }));
      const ring = svg("circle", { class: "nv-node-ring", r: geo.r, fill: "none" });
      const label = svg("text", { class: "nv-node-label", "text-anchor": "middle", y: geo.r * 0.12 + 3.5,
        "font-size": Math.max(9, Math.min(12, geo.r * 0.62)) });
      g.append(...[bodyEl, map, ring, label].filter(Boolean));
      frag.append(g);
      return { g, body: bodyEl, map, ring, label };
    }));
    gNodes.replaceChildren(frag);
    if (!exists(focusRef)) focusRef = { kind: "node", layer: 0, unit: 0 };
    setRoving(focusRef, false);
  }

  // ---- painting one phase -------------------------------------------------------------------------
  function paint() {
    if (!geo) return;
    display = computeDisplay();
    paintLinks();
    paintNodes();
    paintMaps();
    gLoss.replaceChildren();
    if (display.loss && trace.loss_per_sample) {
      const panel = lossPanel(geo, sizes, trace, display.loss === "faint");
      if (panel) gLoss.append(panel);
    }
    paintMarks();
    paintCaption();
    legend.update({
      weights: { max: weightMax() }, biases: params.biases !== null, maps: mapsShown(),
      nodes: { quantity: display.nodeQuantity, extent: display.extent,
        inputExtent: display.nodeQuantity === "a" ? display.inputExtent : undefined },
      glow: display.glow ? { quantity: display.glow, max: display.glowMax } : null,
    });
    showInspector();
    warmNext();
  }

  function paintLinks() {
    const wMax = weightMax();
    gHalo.replaceChildren();
    const halos = display.glow === "weight_deltas" ? haloList() : null;
    if (dense) {
      linkCanvas.paint({ geo, sizes, looks: display.links, halos, key: [params, trace, geo, wMax],
        styleOf: (l, i, j) => linkStyle(l, i, j, wMax) });
      return;
    }
    linkCanvas.clear();
    if (halos) {
      const frag = document.createDocumentFragment();
      for (const [f, l, i, j] of halos) {
        frag.append(svg("line", { x1: geo.xs[l], y1: geo.ys[l][i], x2: geo.xs[l + 1], y2: geo.ys[l + 1][j],
          stroke: COLORS.glow, "stroke-width": (3 + 11 * f).toFixed(2), "stroke-opacity": (0.1 + 0.3 * f).toFixed(3),
          "stroke-linecap": "round" }));
      }
      gHalo.append(frag);
    }
    linkEls.forEach((layer, l) => layer.forEach((row, i) => row.forEach((line, j) => {
      const [color, width, dashed, alpha] = linkStyle(l, i, j, wMax);
      put(line, "stroke", color);
      put(line, "stroke-width", width.toFixed(2));
      put(line, "stroke-dasharray", dashed ? "5 3.5" : "none");
      put(line, "stroke-opacity", alpha.toFixed(3));
    })));
  }

  /** The |Δw| glow under the weights in the update phase: the largest changes only. */
  function haloList() {
    const items = [];
    trace.update.forEach((u, l) => u.weight_deltas.forEach((row, i) => row.forEach((dw, j) => {
      const f = dw === null ? 1 : Math.abs(dw) / display.glowMax;
      if (f > 0.04) items.push([f, l, i, j]);
    })));
    items.sort((a, b) => b[0] - a[0]);
    return items.slice(0, MAX_HALOS);
  }

  /** While the learner reads a phase, draw the canvas strips the next one needs. */
  let warmTimer = null;
  function warmNext() {
    clearTimeout(warmTimer);
    if (!dense || !trace || !phase) return;
    const next = phasesFor(trace)[phase.index + 1];
    if (!next) return;
    const shownTrace = trace;
    warmTimer = setTimeout(() => {
      if (trace !== shownTrace || !geo) return;
      const wMax = weightMax();
      const d = computeDisplay(next);
      linkCanvas.warm({ geo, sizes, looks: d.links, key: [params, trace, geo, wMax],
        styleOf: (l, i, j) => linkStyle(l, i, j, wMax, d) });
    }, 120);
  }

  function paintNodes() {
    const wMax = weightMax();
    nodeEls.forEach((layer, k) => layer.forEach(({ g, body: bodyEl, ring, label }, u) => {
      const values = display.nodeValues[k];
      let v = values ? values[u] : undefined;
      const extent = k === 0 && display.nodeQuantity === "a" ? display.inputExtent : display.extent;
      const arriving = display.focusLayer === k && tweenF < 1;
      if (v !== undefined && v !== null && arriving) v *= tweenF;
      const hasValue = v !== undefined;
      let fill = "#fff";
      if (hasValue) fill = v === null ? `url(#${uid}-hatch)` : divergingColor(v, extent);
      put(bodyEl, "fill", fill);
      put(g, "class", `nv-node${display.focusLayer === k ? " nv-focus-layer" : ""}${hasValue ? "" : " nv-idle"}`);
      const text = hasValue && geo.r >= 11 && !arriving ? compact(v) : "";
      if (label.textContent !== text) label.textContent = text;
      put(label, "fill", hasValue && isDarkFill(v, extent) ? "#fff" : "#222");
      // The bias: a ring in the weights' colours, dashed when negative.
      if (k === 0 || !params.biases) {
        put(ring, "stroke", "#555");
        put(ring, "stroke-width", k === 0 ? 1.2 : 1);
        put(ring, "stroke-dasharray", "none");
        return;
      }
      let b = params.biases[k - 1][u];
      if (display.newBiases) b += (display.newBiases[k - 1][u] - b) * tweenF;
      const f = Math.min(1, Math.abs(b) / wMax);
      put(ring, "stroke", b === 0 ? "#888" : signColor(b));
      put(ring, "stroke-width", (1 + 3.5 * f).toFixed(2));
      put(ring, "stroke-dasharray", b < 0 ? `${(geo.r * 0.5).toFixed(1)} ${(geo.r * 0.3).toFixed(1)}` : "none");
    }));
  }

  // ---- what each unit computes over the input plane (2-input networks, while no step is shown) ----
  const mapsShown = () => Boolean(maps && !trace && geo && !dense && geo.r >= 10);

  function paintMaps() {
    const show = mapsShown();
    nodeEls.forEach((layer, k) => layer.forEach(({ map }, u) => {
      if (!map) return;
      const visible = show && Boolean(maps[k]?.[u]) ? "visible" : "hidden";
      if (map.getAttribute("visibility") !== visible) map.setAttribute("visibility", visible);
    }));
  }

  function setNeuronMaps(boundary, state) {
    const L = sizes ? sizes.length - 1 : 0;
    const fits = geo && !dense && geo.r >= 10 && state?.id === networkId && boundary?.hidden?.length === L - 1
      && boundary.output?.length === sizes[L];
    if (!fits) {
      maps = null;
      paintMaps();
      return false;
    }
    const first = !maps;
    maps = [null, ...boundary.hidden.map((layer) => layer.map((m) => ({ ...m, scale: mapScale(spec.activation, m) }))),
      boundary.output.map((m) => ({ resolution: boundary.resolution, ...m, scale: mapScale(spec.output_activation, m) }))];
    nodeEls.forEach((layer, k) => layer.forEach(({ map }, u) => {
      const m = maps[k]?.[u];
      if (map && m) paintMapInto(map.firstChild, m, m.scale);
    }));
    if (first && !trace) paintSoon(); // the legend gains the maps' row
    else if (!trace) paintMaps();
    return true;
  }

  /** The step whose weights are drawn: the live state's, or those a shown step started from or ended with. */
  function drawnStep() {
    if (!trace) return liveStep;
    const applied = trace.update && trace.applied !== false;
    if (!applied) return trace.step;
    return phase?.kind === "update" ? trace.step : trace.step - 1;
  }

  function paintCaption() {
    root.dataset.phase = phase ? phase.id : "none";
    root.dataset.step = trace ? String(trace.step) : "";
    root.dataset.drawnStep = String(drawnStep());
    if (!withCaption) return;
    if (!trace || !phase) {
      captionTitle.textContent = t("nv.caption.idle");
      captionText.textContent = t("nv.caption.idleText");
      return;
    }
    const total = phasesFor(trace).length;
    captionTitle.textContent = t("nv.caption.phase", { title: phaseTitle(phase, sizes), i: phase.index + 1, n: total });
    captionText.textContent = explain(phase, { trace, spec, options });
  }

  // ---- motion: signal dots along the weights, and the phase's new values fading in ----------------
  function pulses() {
    gPulses.replaceChildren();
    const plan = trace && phase && geo ? pulsePlan(trace, phase, params.weights, MAX_PULSES) : null;
    if (!plan || plan.items.length === 0) return null;
    const l = plan.layer;
    const top = Math.abs(plan.items[0].value);
    const size = (v) => (Number.isFinite(top) && top > 0 ? Math.min(1, Math.abs(v) / top) : 1);
    const dots = plan.items.map(({ i, j, value }) => {
      const dot = svg("circle", { r: (1.8 + 2.6 * size(value)).toFixed(2), class: "nv-pulse",
        fill: plan.backward ? COLORS.glow : signColor(value) });
      gPulses.append(dot);
      const ends = plan.backward
        ? [geo.xs[l + 1], geo.ys[l + 1][j], geo.xs[l], geo.ys[l][i]]
        : [geo.xs[l], geo.ys[l][i], geo.xs[l + 1], geo.ys[l + 1][j]];
      return { dot, ends };
    });
    return (f) => {
      for (const { dot, ends: [xa, ya, xb, yb] } of dots) {
        dot.setAttribute("cx", (xa + (xb - xa) * f).toFixed(1));
        dot.setAttribute("cy", (ya + (yb - ya) * f).toFixed(1));
        dot.setAttribute("opacity", f < 0.85 ? 1 : ((1 - f) / 0.15).toFixed(2));
      }
    };
  }

  function animatePhase(animate) {
    motion.cancel();
    // The update's tween redraws every weight each frame: only for pictures drawn in SVG.
    const moves = phase && ((phase.kind === "update" && !dense) || phase.kind === "backward"
      || (phase.kind === "forward" && phase.layer > 0));
    if (!animate || !moves) {
      tweenF = 1;
      gPulses.replaceChildren();
      paint();
      return;
    }
    const move = pulses();
    tweenF = 0;
    paint();
    motion.tween(phase.kind === "update" ? 900 : 700, (f) => {
      tweenF = f;
      move?.(f);
      if (phase.kind === "update") paintLinks();
      paintNodes();
      if (f >= 1) gPulses.replaceChildren();
    });
  }

  /** New weights while playing: a canvas picture is redrawn at most every DENSE_REPAINT_MS. */
  let lastPaint = 0;
  let paintTimer = null;
  function paintSoon() {
    clearTimeout(paintTimer);
    const wait = dense ? lastPaint + DENSE_REPAINT_MS - performance.now() : 0;
    if (wait <= 0) {
      lastPaint = performance.now();
      paint();
    } else {
      paintTimer = setTimeout(() => {
        lastPaint = performance.now();
        if (!trace) paint();
      }, wait);
    }
  }

  // ---- marks: pinned, hovered and focused items ---------------------------------------------------
  function paintMarks() {
    gLinkMarks.replaceChildren();
    gNodeMarks.replaceChildren();
    if (!geo) return;
    const marks = [[pinned, "nv-mark-pinned"], [hover, "nv-mark-hover"]];
    if (focusInside) marks.push([focusRef, "nv-mark-focus"]);
    const wMax = weightMax();
    const ring = (k, u, r, cls) => svg("circle", { cx: geo.xs[k], cy: geo.ys[k][u], r, class: cls });
    for (const [ref, cls] of marks) {
      if (!exists(ref)) continue;
      if (ref.kind === "node") {
        gNodeMarks.append(ring(ref.layer, ref.unit, geo.r + 4, cls));
        continue;
      }
      const { layer: l, from: i, to: j } = ref;
      const pos = { x1: geo.xs[l], y1: geo.ys[l][i], x2: geo.xs[l + 1], y2: geo.ys[l + 1][j] };
      const [color, width, dashed] = linkStyle(l, i, j, wMax);
      gLinkMarks.append(
        svg("line", { ...pos, class: `${cls} nv-mark-under`, "stroke-width": (width + 5).toFixed(2) }),
        svg("line", { ...pos, class: `${cls} nv-mark-over`, stroke: color, "stroke-width": Math.max(1.5, width).toFixed(2),
          "stroke-dasharray": dashed ? "5 3.5" : "none" }),
      );
      gNodeMarks.append(ring(l, i, geo.r + 3, `${cls} nv-mark-end`), ring(l + 1, j, geo.r + 3, `${cls} nv-mark-end`));
    }
    nodeEls.forEach((layer) => layer.forEach(({ g }) => g.removeAttribute("aria-pressed")));
    if (pinned?.kind === "node" && exists(pinned)) nodeEls[pinned.layer][pinned.unit].g.setAttribute("aria-pressed", "true");
  }

  // ---- labels for assistive technology ---------------------------------------------------------------
  function nodeLabel(ref) {
    const { layer: k, unit: u } = ref;
    const parts = [unitName(k, u, sizes)];
    if (display && display.nodeValues[k]) {
      parts.push(`${t(`nv.q.short.${k === 0 ? "x" : display.nodeQuantity}`)} = ${formatValue(display.nodeValues[k][u])}`);
    }
    if (k > 0 && params?.biases) parts.push(`${t("nv.q.short.b")} = ${formatValue(params.biases[k - 1][u])}`);
    return parts.join(", ");
  }

  function linkLabel(ref) {
    const { layer: l, from: i, to: j } = ref;
    const parts = [t("nv.link.label", { from: shortName(l, i, sizes), to: shortName(l + 1, j, sizes) }),
      `w = ${formatValue(params.weights[l][i][j])}`];
    if (trace && display?.glow === "grad_weights" && display.links[l] !== "muted") {
      parts.push(`∂E/∂w = ${formatValue(trace.backward[l].grad_weights[i][j])}`);
    }
    if (trace && display?.glow === "weight_deltas") {
      parts.push(`Δw = ${formatValue(trace.update[l].weight_deltas[i][j])}`);
    }
    return parts.join(", ");
  }

  // ---- the inspector ---------------------------------------------------------------------------------
  function showInspector() {
    const ref = hover ?? (focusInside ? focusRef : null) ?? pinned;
    if (!sizes || !exists(ref)) {
      inspector.show(null, null);
      return;
    }
    inspector.show(plainRef(ref), { sizes, weights: params.weights, biases: params.biases, trace, phase, spec,
      pinned: sameRef(ref, pinned) });
  }

  // ---- focus, keyboard and pointer ---------------------------------------------------------------------
  function elementOf(ref) {
    if (ref.kind === "node") return nodeEls[ref.layer][ref.unit].g;
    if (linkEls) return linkEls[ref.layer][ref.from][ref.to];
    proxy.setAttribute("x1", geo.xs[ref.layer]);
    proxy.setAttribute("y1", geo.ys[ref.layer][ref.from]);
    proxy.setAttribute("x2", geo.xs[ref.layer + 1]);
    proxy.setAttribute("y2", geo.ys[ref.layer + 1][ref.to]);
    proxy.dataset.layer = ref.layer;
    proxy.dataset.from = ref.from;
    proxy.dataset.to = ref.to;
    return proxy;
  }

  let rovingEl = null; // the one element of the picture in the tab order
  function setRoving(ref, moveFocus) {
    if (!geo || !exists(ref)) return;
    const next = elementOf(ref);
    if (rovingEl && rovingEl !== next) rovingEl.setAttribute("tabindex", "-1");
    focusRef = ref;
    rovingEl = next;
    next.setAttribute("tabindex", "0");
    next.setAttribute("aria-label", ref.kind === "node" ? nodeLabel(ref) : linkLabel(ref));
    if (moveFocus) next.focus({ preventScroll: true });
  }

  function pin(ref) {
    pinned = ref && !sameRef(ref, pinned) ? plainRef(ref) : null;
    paintMarks();
    showInspector();
    onSelect?.(pinned);
  }

  function refFromElement(target) {
    const node = target.closest?.(".nv-node");
    if (node) return { kind: "node", layer: Number(node.dataset.layer), unit: Number(node.dataset.unit) };
    const link = target.closest?.(".nv-link");
    if (link && link.dataset.layer !== undefined) {
      return { kind: "link", layer: Number(link.dataset.layer), from: Number(link.dataset.from), to: Number(link.dataset.to) };
    }
    return null;
  }

  function pointerRef(event) {
    const direct = refFromElement(event.target);
    if (direct && !(direct.kind === "link" && dense)) return direct;
    if (!geo) return null;
    const box = svgRoot.getBoundingClientRect();
    return linkAt(geo, sizes, event.clientX - box.left, event.clientY - box.top);
  }

  function refresh() {
    paintMarks();
    showInspector();
  }

  svgRoot.addEventListener("keydown", (event) => {
    if (!sizes) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      pin(focusRef);
    } else if (event.key === "Escape") {
      if (!pinned) return;
      event.preventDefault();
      pin(null);
    } else {
      const next = moveFrom(sizes, focusRef, event.key);
      if (!next) return;
      event.preventDefault();
      setRoving(next, true);
      refresh();
    }
  });
  svgRoot.addEventListener("focusin", (event) => {
    const ref = refFromElement(event.target);
    if (ref && !sameRef(ref, focusRef)) setRoving({ ...ref, pivot: focusRef?.pivot }, false);
    focusInside = true;
    refresh();
  });
  svgRoot.addEventListener("focusout", (event) => {
    if (svgRoot.contains(event.relatedTarget)) return;
    focusInside = false;
    refresh();
  });
  svgRoot.addEventListener("pointermove", (event) => {
    if (!sizes) return;
    const ref = pointerRef(event);
    if (sameRef(ref, hover) || (!ref && !hover)) return;
    hover = ref;
    svgRoot.classList.toggle("nv-pointing", Boolean(ref));
    refresh();
  });
  svgRoot.addEventListener("pointerleave", () => {
    hover = null;
    refresh();
  });
  svgRoot.addEventListener("click", (event) => {
    if (!sizes) return;
    const ref = pointerRef(event);
    if (ref) {
      setRoving(ref, true);
      pin(ref);
    } else if (pinned) pin(null);
  });

  const resize = new ResizeObserver(() => {
    const { clientWidth: w, clientHeight: h } = stage;
    if (geo && Math.abs(geo.width - w) < 1 && Math.abs(geo.height - h) < 1) return;
    build();
  });
  resize.observe(stage);

  // ---- the interface -------------------------------------------------------------------------------------
  const view = {
    setState(state) {
      const newSizes = sizesOf(state.weights);
      const changed = !sizes || newSizes.length !== sizes.length || newSizes.some((n, k) => n !== sizes[k])
        || state.id !== networkId || (state.biases === null) !== (params?.biases === null);
      sizes = newSizes;
      spec = state.spec ?? spec;
      if (state.id !== networkId) history = [];
      networkId = state.id;
      liveStep = state.step;
      remember({ step: state.step, weights: state.weights, biases: state.biases }, true);
      if (changed) {
        trace = null;
        phase = null;
        maps = null;
        view.lastTrace = null;
        view.phase = null;
        pinned = exists(pinned) ? pinned : null;
        params = { weights: state.weights, biases: state.biases };
        motion.cancel();
        gPulses.replaceChildren();
        build();
      } else if (!trace) {
        params = { weights: state.weights, biases: state.biases };
        paintSoon();
      }
    },
    setOptions(value) {
      options = value;
      if (phase) paintCaption();
    },
    showPhase(tr, ph, { animate = true } = {}) {
      if (!sizes) return;
      if (tr !== trace) {
        const before = paramsBefore(tr);
        params = { weights: before.weights, biases: before.biases };
        if (tr.update && tr.applied !== false) {
          remember({ step: tr.step, weights: tr.update.map((u) => u.weights),
            biases: tr.update[0].biases === null ? null : tr.update.map((u) => u.biases) }, false);
        }
        trace = tr;
      }
      phase = ph;
      view.lastTrace = tr;
      view.phase = ph;
      animatePhase(animate);
    },
    showTrace(tr, { start = 0 } = {}) {
      const cursor = createPhaseCursor(phasesFor(tr), { onChange: (p) => view.showPhase(tr, p) });
      cursor.goto(start);
      return cursor;
    },
    clearTrace() {
      motion.cancel();
      gPulses.replaceChildren();
      trace = null;
      phase = null;
      view.lastTrace = null;
      view.phase = null;
      tweenF = 1;
      const latest = history[history.length - 1];
      if (latest) params = { weights: latest.weights, biases: latest.biases };
      paint();
    },
    select(ref) {
      pinned = exists(ref) ? plainRef(ref) : null;
      if (pinned) setRoving(pinned, false);
      refresh();
    },
    setNeuronMaps,
    destroy() {
      motion.cancel();
      clearTimeout(warmTimer);
      clearTimeout(paintTimer);
      resize.disconnect();
      root.remove();
    },
    lastTrace: null,
    phase: null,
    element: root,
  };
  return view;
}

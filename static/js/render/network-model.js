// The network picture's display model: what one phase of one step shows, as plain data. Pure:
// data in (layer sizes, the parameters the step started from, its trace and phase), looks out
// (values on the units, each weight's colour and width, labels, the legend's scales); no DOM.
//
// A picture `pic` = {sizes, params: {weights, biases}, trace | null, phase | null, display,
//   tween (0 → 1 while a phase animates in), dense (weights drawn on a canvas), inputs (the input
//   units' names when they are features: x₁², sin x₂ …; null for the raw inputs)}, where
//   display = displayFor(trace, phase, sizes).

import { BACKWARD_BEATS, backwardBeat } from "../animate.js";
import { COLORS, divergingColor, isDarkFill, signColor } from "../colours.js";
import { compact, formatValue, niceCeil } from "../format.js";
import { t } from "../strings.js";
import { columnMeans, maxAbs, maxAbsNested } from "./network-geometry.js";
import { shortName, unitName } from "./unit-names.js";

/** True when the trace's update was applied (a step that overflowed changed nothing). */
export const applied = (trace) => Boolean(trace?.update) && trace.applied !== false;

/** The beat of the backward phase shown ("flow", "derivative", "gradient"), or null for other phases. */
export const beatOf = (pic) => (pic.phase?.kind === "backward" ? backwardBeat(pic.tween) : null);

/**
 * What a phase shows: nodeValues[k] (per unit of node layer k, or null), the quantity they are
 * ("a", "grad_z" or "none") and their extents, the layer in focus and the part of the phase's
 * tween over which its values arrive, links[l] = the look of weight layer l ("weight",
 * "faded", "muted", "glow", "glow-faint" or "update"), the glow's quantity and its largest
 * magnitude, the weights and biases the update ends with, and the loss panel ("full", "faint"
 * or null). A backward phase shows what its `beat` has reached (animate.js's BACKWARD_BEATS):
 * the error flows back along weights[L] (drawn as weights: they are the factors w of w·δ),
 * then layer L's δ arrive, then weights[L−1] glow with ∂E/∂w.
 */
export function displayFor(trace, phase, sizes, beat = "gradient", live = null) {
  const L = sizes.length - 1;
  const d = {
    nodeValues: sizes.map(() => null), nodeQuantity: "none", extent: 1, inputExtent: 1,
    focusLayer: null, arrive: [0, 1], links: new Array(L).fill("weight"), glow: null, glowMax: 0,
    gradWeights: null, halos: null, newWeights: null, newBiases: null, loss: null,
  };
  if ((!trace || !phase) && live && live.grad_weights.length === L) {
    // While playing: the last step's δ on the units and its |∂E/∂w| glowing under the weights.
    d.nodeQuantity = "grad_z";
    for (let k = 1; k <= L; k++) d.nodeValues[k] = live.mean_grad_z[k - 1];
    d.extent = niceCeil(Math.max(...live.mean_grad_z.map((m) => maxAbs(m))));
    d.glow = "grad_weights";
    d.gradWeights = live.grad_weights;
    d.glowMax = niceCeil(maxAbsNested(live.grad_weights));
    d.halos = d.gradWeights;
    return d;
  }
  if (!trace || !phase) return d;
  const xMeans = columnMeans(trace.inputs);
  const aMeans = trace.forward.map((f) => columnMeans(f.a));
  d.inputExtent = niceCeil(maxAbs(xMeans));
  d.extent = niceCeil(Math.max(1, ...aMeans.map((m) => maxAbs(m))));
  if (phase.kind === "forward") {
    d.nodeQuantity = "a";
    for (let k = 0; k <= phase.layer; k++) d.nodeValues[k] = k === 0 ? xMeans : aMeans[k - 1];
    d.focusLayer = phase.layer;
    for (let l = 0; l < L; l++) d.links[l] = l < phase.layer ? "weight" : "faded";
  } else if (phase.kind === "loss") {
    d.nodeQuantity = "a";
    d.nodeValues = [xMeans, ...aMeans];
    d.focusLayer = L;
    d.loss = "full";
  } else if (phase.kind === "backward") {
    const k0 = phase.layer;
    const deltas = trace.backward.map((b) => columnMeans(b.grad_z));
    d.nodeQuantity = "grad_z";
    d.extent = niceCeil(Math.max(...deltas.map((m) => maxAbs(m))));
    for (let k = k0 + (beat === "flow" ? 1 : 0); k <= L; k++) d.nodeValues[k] = deltas[k - 1];
    d.focusLayer = k0;
    d.arrive = [BACKWARD_BEATS.derivative, BACKWARD_BEATS.gradient];
    d.glow = "grad_weights";
    d.gradWeights = trace.backward.map((b) => b.grad_weights);
    d.glowMax = niceCeil(maxAbsNested(d.gradWeights));
    for (let l = 0; l < L; l++) {
      if (l === k0 - 1) d.links[l] = beat === "gradient" ? "glow" : "muted";
      else if (l === k0) d.links[l] = "weight";
      else d.links[l] = l > k0 ? "glow-faint" : "muted";
    }
    d.loss = "faint";
  } else {
    d.glow = "weight_deltas";
    d.halos = trace.update.map((u) => u.weight_deltas);
    d.glowMax = niceCeil(maxAbsNested(d.halos));
    if (applied(trace)) {
      d.newWeights = trace.update.map((u) => u.weights);
      d.newBiases = trace.update[0].biases === null ? null : trace.update.map((u) => u.biases);
      d.links.fill("update");
    }
    d.loss = "faint";
  }
  return d;
}

/** The weights' scale: the largest |w| or |b| drawn, rounded up to a nice number. */
export function weightMax(params) {
  return niceCeil(maxAbsNested([...params.weights, ...(params.biases ?? []).map((b) => [b])]));
}

/** The step whose weights are drawn: the live one, or those a shown step started from or ended with. */
export function drawnStep(trace, phase, liveStep) {
  if (!trace) return liveStep;
  if (!applied(trace)) return trace.step;
  return phase?.kind === "update" ? trace.step : trace.step - 1;
}

/** [colour, width, dashed, alpha] of weight l[i][j] (in display `d`, default the picture's own). */
export function linkStyle(pic, l, i, j, wMax, d = pic.display) {
  const { params, dense } = pic;
  const look = d.links[l];
  if (look === "glow" || look === "glow-faint") {
    // A square-root scale keeps small gradients visible next to large ones.
    const g = d.gradWeights[l][i][j];
    const f = g === null ? 1 : Math.sqrt(Math.min(1, Math.abs(g) / d.glowMax));
    if (look === "glow-faint") return [COLORS.glow, 0.5 + 3 * f, false, dense ? 0.02 + 0.15 * f * f : 0.08 + 0.25 * f];
    if (dense) return [COLORS.glow, 0.4 + 2.6 * f, false, 0.04 + 0.7 * f * f];
    return [COLORS.glow, 1.2 + 6.8 * f, false, 0.35 + 0.65 * f];
  }
  let w = params.weights[l][i][j];
  if (look === "update") w += (d.newWeights[l][i][j] - w) * pic.tween;
  const f = Math.min(1, Math.abs(w) / wMax);
  const width = dense ? 0.35 + 1.8 * f : 0.75 + 5.25 * f;
  let alpha = dense ? 0.04 + 0.6 * f * f : 0.88;
  if (look === "faded") alpha *= 0.25;
  if (look === "muted") return [COLORS.muted, width, w < 0, dense ? alpha * 0.5 : 0.7];
  return [signColor(w), width, w < 0, alpha];
}

/**
 * How unit u of node layer k looks: fill (a colour, "none" for no value, null for not finite),
 * text inside and its colour, whether its layer is in focus or idle, and its bias ring
 * {stroke, width, dash} where dash is a fraction pair of the radius or null.
 */
export function nodeLook(pic, k, u, wMax, r) {
  const { display: d, params } = pic;
  const values = d.nodeValues[k];
  let v = values ? values[u] : undefined;
  const extent = k === 0 && d.nodeQuantity === "a" ? d.inputExtent : d.extent;
  const [from, to] = d.arrive ?? [0, 1];
  const arrival = Math.max(0, Math.min(1, (pic.tween - from) / (to - from)));
  const arriving = d.focusLayer === k && arrival < 1;
  if (v !== undefined && v !== null && arriving) v *= arrival;
  const hasValue = v !== undefined;
  const look = {
    fill: !hasValue ? "#fff" : v === null ? null : divergingColor(v, extent),
    text: hasValue && r >= 11 && !arriving ? compact(v) : "",
    textFill: hasValue && isDarkFill(v, extent) ? "#fff" : "#222",
    focus: d.focusLayer === k,
    idle: !hasValue,
    ring: { stroke: "#555", width: k === 0 ? 1.2 : 1, dash: null },
  };
  if (k === 0 || !params.biases) return look;
  // The bias: a ring in the weights' colours, dashed when negative.
  let b = params.biases[k - 1][u];
  if (d.newBiases) b += (d.newBiases[k - 1][u] - b) * pic.tween;
  const f = Math.min(1, Math.abs(b) / wMax);
  look.ring = { stroke: b === 0 ? "#888" : signColor(b), width: 1 + 3.5 * f, dash: b < 0 ? [0.5, 0.3] : null };
  return look;
}

/**
 * The glow under the weights (|Δw| in the update phase, |∂E/∂w| while playing): [f, l, i, j] of
 * the largest of `matrices` (per weight layer) only.
 */
export function haloList(matrices, glowMax, max) {
  const items = [];
  matrices.forEach((m, l) => m.forEach((row, i) => row.forEach((dw, j) => {
    const f = dw === null ? 1 : Math.abs(dw) / glowMax;
    if (f > 0.04) items.push([f, l, i, j]);
  })));
  items.sort((a, b) => b[0] - a[0]);
  return items.slice(0, max);
}

/** What a screen reader hears on a unit: its name, its value in this phase, its bias, and the notes of its marks
 * (pic.marked: group → refs, e.g. "dead: its gradient is zero"). */
export function nodeLabel(pic, { layer: k, unit: u }) {
  const { sizes, display, params } = pic;
  const parts = [unitName(k, u, sizes, pic.inputs)];
  if (display && display.nodeValues[k]) {
    parts.push(`${t(`nv.q.short.${k === 0 ? "x" : display.nodeQuantity}`)} = ${formatValue(display.nodeValues[k][u])}`);
  }
  if (k > 0 && params?.biases) parts.push(`${t("nv.q.short.b")} = ${formatValue(params.biases[k - 1][u])}`);
  for (const refs of pic.marked?.values() ?? []) {
    for (const r of refs) if (r.note && r.kind === "node" && r.layer === k && r.unit === u) parts.push(r.note);
  }
  return parts.join(", ");
}

/** What a screen reader hears on a weight: its ends, w, and ∂E/∂w or Δw when the phase shows them. */
export function linkLabel(pic, { layer: l, from: i, to: j }) {
  const { sizes, display, params, trace } = pic;
  const parts = [t("nv.link.label", { from: shortName(l, i, sizes, pic.inputs), to: shortName(l + 1, j, sizes) }),
    `w = ${formatValue(params.weights[l][i][j])}`];
  if (display?.gradWeights && display.links[l] !== "muted") {
    parts.push(`∂E/∂w = ${formatValue(display.gradWeights[l][i][j])}`);
  }
  if (trace && display?.glow === "weight_deltas") {
    parts.push(`Δw = ${formatValue(trace.update[l].weight_deltas[i][j])}`);
  }
  return parts.join(", ");
}

/** The legend's scales for this picture (legend.js). */
export function legendScales(pic, mapsShown) {
  const d = pic.display;
  return {
    weights: { max: weightMax(pic.params) }, biases: pic.params.biases !== null, maps: mapsShown,
    nodes: { quantity: d.nodeQuantity, extent: d.extent, inputExtent: d.nodeQuantity === "a" ? d.inputExtent : undefined },
    glow: d.glow ? { quantity: d.glow, max: d.glowMax } : null,
  };
}

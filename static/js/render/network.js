// The network picture: every unit and weight of the server's network, and one update's phases.
// This module mounts the picture and paints it; what each phase shows is network-model.js's,
// pointer and keyboard are network-input.js's, the units' maps network-maps.js's.
//
// Interface (for main.js):
//   createNetworkView(container, {onSelect, inspector, legend, caption, options}) → view
//     container   an empty element; the view fills it. onSelect(ref | null): the learner pinned or unpinned.
//     inspector, legend  optional elements to hold the inspector and the legend (default: inside the view).
//     caption     true to show the phase's title and sentence above the picture (default: the timeline's).
//     options     GET /options (the activations' ranges, the optimizers' update rules).
//     derivativeOf(trace, k, u)  unit u of layer k's mean f′(z) in that step, or null while unknown.
//     inspectorExtra, inspectorEditor  inspector.js's `extra` and `editor` hooks (a unit's f′; a value field).
//   view.setState(state)            draw a network state (POST/GET /networks answers). A state of a
//                                   different architecture redraws everything and drops the trace.
//   view.showPhase(trace, phase, {animate = true, before})  show one phase of a step's trace
//                                   (phase from animate.js phasesFor(trace)); `before` is the state
//                                   the step started from (the stepper's record of the step).
//   view.showTrace(trace, {start = 0, before}) → cursor   phasesFor + createPhaseCursor bound to this
//                                   view, already at `start`; call cursor.next()/prev()/goto(i).
//   view.clearTrace()               back to the plain network (its latest weights).
//   view.setGradients(lastStep)     /train's last_step (δ on units, |∂E/∂w| glow) on the live network; null clears.
//   view.select(ref)                pin a node or link in the inspector (null unpins); ref =
//                                   {kind: "node", layer, unit} | {kind: "link", layer, from, to}.
//   view.mark(group, refs) marks refs (class nv-mark-<group or ref.mark>; a ref's `note` joins its unit's
//                                   label); view.explained() redraws numbers.
//   view.setNeuronMaps(boundary, state) → bool   a GET /boundary answer: each hidden and output
//                                   unit shows its activation over the input plane while no step
//                                   is shown. False (nothing drawn) when the units are too small.
//   view.lastTrace / view.phase     the trace and phase shown (null when none); view.destroy().
// DOM hooks: root `.nv-view` with `data-phase` ("none", "forward-2", "loss", "backward-1",
// "update"), `data-step` (the step shown, empty for the live network) and `data-drawn-step` (the
// step whose weights the picture last painted: it changes only when the picture does); nodes
// `g.nv-node[data-layer][data-unit]` (layer 0 = inputs); links `line.nv-link[data-layer][data-from][data-to]`
// (data-layer = l means weights[l]). Networks with more than 1500 weights draw them on a canvas
// under the SVG; there one proxy `line.nv-link.nv-proxy` carries the focused weight's data attributes.
// Keyboard: Tab enters the picture; ↑/↓ move within a layer (or along the other end of a
// weight), → from a unit goes to its outgoing weights and on to the next layer, ← goes back,
// Home/End jump to the ends, Enter or Space pins, Escape unpins.

import { createMotion, createPhaseCursor, explain, phasesFor, phaseTitle } from "../animate.js";
import { el, svg } from "../elements.js";
import { inputLabels } from "../features.js";
import { createInspector } from "../inspector.js";
import { createLegend } from "../legend.js";
import { t } from "../strings.js";
import { createLinkCanvas } from "./network-canvas.js";
import { layout, linkCount, plainRef, refExists, sameRef, sizesOf } from "./network-geometry.js";
import { bindInput } from "./network-input.js";
import { createUnitMaps } from "./network-maps.js";
import {
  beatOf, displayFor, drawnStep, haloList, legendScales, linkLabel, linkStyle, nodeLabel, weightMax,
} from "./network-model.js";
import { numberLabels } from "./network-numbers.js";
import { markElements, paintLinkElements, paintNodeElements } from "./network-paint.js";
import { headings, linkElements, lossPanel, nodeElements, skeleton, unitLabels } from "./network-parts.js";
import { phaseAnimator } from "./network-motion.js";
import { flowArrows } from "./network-pulses.js";

const CANVAS_LINKS = 1500; // above this many weights, links go to a canvas
const MAX_HALOS = 600; // |Δw| glows in the update phase
const DENSE_REPAINT_MS = 250; // while playing, a canvas picture follows the weights at 4 frames/s

export function createNetworkView(container, { onSelect, inspector: inspectorHost, legend: legendHost,
  caption: withCaption = false, options = null, derivativeOf = () => null, inspectorExtra, inspectorEditor } = {}) {
  const parts = skeleton();
  const { root, stage, svgRoot, g } = parts;
  const legendSlot = legendHost ?? parts.picture.appendChild(el("div", { class: "nv-legend-slot" }));
  const inspector = createInspector(inspectorHost ?? parts.body.appendChild(el("div", { class: "nv-inspector-slot" })),
    { extra: inspectorExtra, editor: inspectorEditor });
  root.append(...(withCaption ? [parts.caption] : []), parts.body);
  container.append(root);
  const legend = createLegend(legendSlot);
  const motion = createMotion();
  const linkCanvas = createLinkCanvas(parts.canvas);
  const unitMaps = createUnitMaps();

  // ---- what is shown ----------------------------------------------------------------------------
  let spec = null;
  let networkId = null;
  let live = null; // {weights, biases} of the latest state given to setState
  let liveStep = 0;
  let geo = null;
  let nodeEls = []; // [layer][unit] → {g, body, map, ring, label}
  let linkEls = null; // [l][i][j] → line (SVG mode only)
  let proxy = null; // the focusable stand-in for a canvas link
  let pinned = null;
  const marked = new Map(); // group → refs marked from outside the picture (a formula's terms, a check)
  // The picture the display model reads: params are the latest weights, or those a shown step started from.
  const pic = { sizes: null, params: null, trace: null, phase: null, display: null, tween: 1, dense: false,
    live: null, marked, inputs: null }; // live: the last /train step's gradients, shown while no step is
  const exists = (ref) => refExists(pic.sizes, ref);
  const mapsShown = () => Boolean(unitMaps.has && !pic.trace && !pic.live && geo && !pic.dense && geo.r >= 10);

  const labelOf = (ref) => (ref.kind === "node" ? nodeLabel(pic, ref) : linkLabel(pic, ref));
  const input = bindInput(svgRoot, { sizes: () => pic.sizes, geo: () => geo, dense: () => pic.dense, elementOf,
    labelOf, pinned: () => pinned, pin, changed: refresh });

  // ---- building the picture ---------------------------------------------------------------------
  function build() {
    const width = stage.clientWidth;
    const height = stage.clientHeight;
    if (!pic.sizes || width < 10 || height < 10) return;
    const sizes = pic.sizes;
    geo = layout(sizes, width, height);
    for (const [k, v] of [["viewBox", `0 0 ${width} ${height}`], ["width", width], ["height", height]]) svgRoot.setAttribute(k, v);
    linkCanvas.resize(geo);
    pic.dense = linkCount(sizes) > CANVAS_LINKS;
    root.classList.toggle("nv-dense", pic.dense);
    g.headings.replaceChildren(...headings(geo, sizes, spec));
    g.labels.replaceChildren(...unitLabels(geo, sizes, pic.inputs));
    pic.display = displayFor(pic.trace, pic.phase, sizes, beatOf(pic), pic.live);
    proxy = pic.dense ? svg("line", { class: "nv-link nv-proxy", tabindex: -1, role: "button" }) : null;
    linkEls = pic.dense ? null : linkElements(geo, sizes, labelOf);
    g.links.replaceChildren(...(proxy ? [proxy] : linkEls.flat(2)));
    nodeEls = nodeElements(geo, sizes, labelOf);
    g.nodes.replaceChildren(...nodeEls.flatMap((layer) => layer.map((n) => n.g)));
    input.keepFocusIn();
    paint();
  }

  // ---- painting one phase -------------------------------------------------------------------------
  function paint() {
    if (!geo) return;
    pic.display = displayFor(pic.trace, pic.phase, pic.sizes, beatOf(pic), pic.live);
    paintLinks();
    paintNodes();
    paintSignals();
    unitMaps.showIn(nodeEls, mapsShown());
    g.loss.replaceChildren();
    if (pic.display.loss && pic.trace.loss_per_sample) {
      const panel = lossPanel(geo, pic.sizes, pic.trace, pic.display.loss === "faint");
      if (panel) g.loss.append(panel);
    }
    paintMarks();
    paintCaption();
    legend.update(legendScales(pic, mapsShown() && unitMaps.kind));
    showInspector();
    warmNext();
  }

  function paintLinks() {
    const wMax = weightMax(pic.params);
    const { display: d, trace } = pic;
    const halos = d.halos ? haloList(d.halos, d.glowMax, MAX_HALOS) : null;
    if (!pic.dense) {
      linkCanvas.glow(geo, halos);
      paintLinkElements(linkEls, { pic, wMax });
      return;
    }
    linkCanvas.paint({ geo, sizes: pic.sizes, looks: d.links, halos, key: [pic.params, trace, geo, wMax],
      styleOf: (l, i, j) => linkStyle(pic, l, i, j, wMax) });
  }

  /** While the learner reads a phase, draw the canvas strips the next one needs. */
  let warmTimer = null;
  function warmNext() {
    clearTimeout(warmTimer);
    if (!pic.dense || !pic.trace || !pic.phase) return;
    const next = phasesFor(pic.trace)[pic.phase.index + 1];
    if (!next) return;
    const shownTrace = pic.trace;
    warmTimer = setTimeout(() => {
      if (pic.trace !== shownTrace || !geo) return;
      const wMax = weightMax(pic.params);
      const d = displayFor(pic.trace, next, pic.sizes, "gradient");
      linkCanvas.warm({ geo, sizes: pic.sizes, looks: d.links, key: [pic.params, pic.trace, geo, wMax],
        styleOf: (l, i, j) => linkStyle(pic, l, i, j, wMax, d) });
    }, 120);
  }

  const paintNodes = () => paintNodeElements(nodeEls, { geo, pic, wMax: weightMax(pic.params), hatchId: parts.hatchId });

  function setNeuronMaps(boundary, state) {
    const fits = geo && !pic.dense && geo.r >= 10 && state?.id === networkId;
    const first = !unitMaps.has;
    const drawn = fits && unitMaps.set(boundary, { sizes: pic.sizes, spec, options });
    if (!drawn) unitMaps.clear();
    if (drawn && first && !pic.trace) paintSoon(); // the legend gains the maps' row
    else unitMaps.showIn(nodeEls, mapsShown());
    return Boolean(drawn);
  }

  function paintCaption() {
    const { trace, phase } = pic;
    root.dataset.phase = phase ? phase.id : "none";
    root.dataset.step = trace ? String(trace.step) : "";
    root.dataset.drawnStep = String(drawnStep(trace, phase, liveStep));
    if (!withCaption) return;
    const idle = !trace || !phase;
    parts.captionTitle.textContent = idle ? t("nv.caption.idle")
      : t("nv.caption.phase", { title: phaseTitle(phase, pic.sizes), i: phase.index + 1, n: phasesFor(trace).length });
    parts.captionText.textContent = idle ? t("nv.caption.idleText") : explain(phase, { trace, spec, options });
  }

  /** The arrows the backward flow leaves on its weights, and the numbers of a small network. */
  function paintSignals() {
    const flowing = pic.phase?.kind === "backward" && beatOf(pic) !== "flow";
    g.flows.replaceChildren(...(flowing ? flowArrows(geo, pic.trace, pic.phase, pic.params.weights) : []));
    g.numbers.replaceChildren(...numberLabels(pic, geo, (k, u) => derivativeOf(pic.trace, k, u)));
  }

  const animatePhase = phaseAnimator({ motion, g, pic, geo: () => geo, paint, paintLinks, paintNodes, paintSignals });

  /** New weights (then their gradients) while playing: one paint after the task; a canvas's every DENSE_REPAINT_MS. */
  let [lastPaint, paintTimer, queued] = [0, null, false];
  function paintSoon() {
    clearTimeout(paintTimer);
    const wait = pic.dense ? lastPaint + DENSE_REPAINT_MS - performance.now() : 0;
    const later = () => {
      [lastPaint, queued] = [performance.now(), false];
      if (!pic.trace) paint();
    };
    if (wait > 0) paintTimer = setTimeout(later, wait);
    else if (!queued) {
      queued = true;
      queueMicrotask(later);
    }
  }

  // ---- marks (pinned, hovered and focused items), the inspector, focus ---------------------------
  function paintMarks() {
    if (!geo) return;
    const marks = [...[...marked].flatMap(([group, refs]) => refs.map((ref) => [ref, `nv-mark-${ref.mark ?? group}`])),
      [pinned, "nv-mark-pinned"], [input.hover, "nv-mark-hover"]];
    if (input.focusInside) marks.push([input.focusRef, "nv-mark-focus"]);
    const { links, nodes } = markElements(marks, { geo, pic, wMax: weightMax(pic.params) });
    g.linkMarks.replaceChildren(...links);
    g.nodeMarks.replaceChildren(...nodes);
    nodeEls.forEach((layer) => layer.forEach((n) => n.g.removeAttribute("aria-pressed")));
    if (pinned?.kind === "node" && exists(pinned)) nodeEls[pinned.layer][pinned.unit].g.setAttribute("aria-pressed", "true");
  }

  function showInspector() {
    const ref = input.hover ?? (input.focusInside ? input.focusRef : null) ?? pinned;
    if (!pic.sizes || !exists(ref)) {
      inspector.show(null, null);
      return;
    }
    inspector.show(plainRef(ref), { sizes: pic.sizes, weights: pic.params.weights, biases: pic.params.biases,
      trace: pic.trace, phase: pic.phase, spec, inputs: pic.inputs, pinned: sameRef(ref, pinned) });
  }

  function elementOf(ref) {
    if (ref.kind === "node") return nodeEls[ref.layer][ref.unit].g;
    if (linkEls) return linkEls[ref.layer][ref.from][ref.to];
    const ends = { x1: geo.xs[ref.layer], y1: geo.ys[ref.layer][ref.from], x2: geo.xs[ref.layer + 1],
      y2: geo.ys[ref.layer + 1][ref.to], "data-layer": ref.layer, "data-from": ref.from, "data-to": ref.to };
    for (const [k, v] of Object.entries(ends)) proxy.setAttribute(k, v);
    return proxy;
  }

  function pin(ref) {
    pinned = ref && !sameRef(ref, pinned) ? plainRef(ref) : null;
    refresh();
    onSelect?.(pinned);
  }

  function refresh() { paintMarks(); showInspector(); }

  const resize = new ResizeObserver(() => {
    const { clientWidth: w, clientHeight: h } = stage;
    if (geo && Math.abs(geo.width - w) < 1 && Math.abs(geo.height - h) < 1) return;
    build();
  });
  resize.observe(stage);

  // ---- the interface -------------------------------------------------------------------------------------
  function setShown(trace, phase) {
    Object.assign(pic, { trace, phase });
    Object.assign(view, { lastTrace: trace, phase });
  }

  const view = {
    setState(state) {
      const sizes = sizesOf(state.weights);
      const changed = !pic.sizes || sizes.length !== pic.sizes.length || sizes.some((n, k) => n !== pic.sizes[k])
        || state.id !== networkId || (state.biases === null) !== (live?.biases === null);
      pic.sizes = sizes;
      spec = state.spec ?? spec;
      pic.inputs = options && inputLabels(spec, options); // the input units' features (x₁², sin x₂ …)
      networkId = state.id;
      liveStep = state.step;
      live = { weights: state.weights, biases: state.biases };
      if (changed) {
        setShown(null, null);
        marked.clear();
        unitMaps.clear();
        pinned = exists(pinned) ? pinned : null;
        pic.params = live;
        motion.cancel();
        g.pulses.replaceChildren();
        build();
      } else if (!pic.trace) {
        pic.params = live;
        paintSoon();
      }
    },
    setGradients(lastStep) {
      if (!lastStep && !pic.live) return;
      pic.live = lastStep ?? null;
      if (!pic.trace) paintSoon();
    },
    showPhase(trace, phase, { animate = true, before = null } = {}) {
      if (!pic.sizes) return;
      if (trace !== pic.trace) {
        const start = before ?? live; // the weights this step's forward pass used
        pic.params = { weights: start.weights, biases: start.biases };
      }
      setShown(trace, phase);
      animatePhase(animate);
    },
    showTrace(trace, { start = 0, before = null } = {}) {
      const cursor = createPhaseCursor(phasesFor(trace), { onChange: (p) => view.showPhase(trace, p, { before }) });
      cursor.goto(start);
      return cursor;
    },
    clearTrace() {
      motion.cancel();
      g.pulses.replaceChildren();
      setShown(null, null);
      pic.tween = 1;
      if (live) pic.params = live;
      paint();
    },
    select(ref) {
      pinned = exists(ref) ? plainRef(ref) : null;
      if (pinned) input.setRoving(pinned, false);
      refresh();
    },
    setNeuronMaps,
    /** Mark refs on the picture, by group ("term": pointed at; "check", "health": a ref's own `mark`, and a
     * unit's `note` joins its label); [] clears. */
    mark(group, refs) {
      marked.set(group, (refs ?? []).filter(exists));
      if (geo) paintNodes(); // a unit's label gains or loses its note
      paintMarks();
    },
    /** Explanations arrived (a unit's f′(z), its terms): redraw the numbers and the inspector. */
    explained() {
      if (geo) paintSignals();
      showInspector();
    },
    destroy() {
      [motion.cancel(), clearTimeout(warmTimer), clearTimeout(paintTimer), resize.disconnect(), root.remove()];
    },
    lastTrace: null, phase: null, element: root,
  };
  return view;
}

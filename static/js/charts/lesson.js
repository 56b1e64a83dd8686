// The worked example as a lesson: for a network of one weight (the worked-example preset), the
// loss E as a function of that weight for the step's sample (GET explain/loss-curve), the current
// w on it with its tangent (the slope ∂E/∂w), the step Δw = −η·slope as an arrow to the new w,
// and the chain rule written out with the step's numbers: ∂E/∂w = ∂E/∂y · ∂y/∂w = (y − t) · x.
// The steps taken before stay on the curve as grey dots, so that further steps are seen walking
// down towards the bottom — or, with a large η, overshooting it. Like everything else, each
// part appears in the phase that computes it (E from Loss, the slope from Backward, the step in
// Update). Every number is the API's. The input is the network's input unit: with an input
// feature (x², sin x) its value and its name are the feature's (E(w) = ½ (w·x² − t)²), as the
// trace's layer 0 and the explanation's curve have them.
//
//   new Lesson(root, {explanations, panel, options})   options: GET /options (the features' labels)
//   lesson.show(entry, phase)   the step shown (a history entry) and its phase; hides the panel
//                               unless the network has one weight and the step was applied
//   lesson.refresh()            an explanation arrived: draw again
//
// DOM hooks: `#lesson svg.lesson-plot` with `data-w-before`, `data-w-after`; `.lesson-chain math`
// (MathML, numbers as <mn data-value>); `.lesson-facts` (w: old → new, E: before → after).

import { el, setHidden, svg } from "../elements.js";
import { inputLabels } from "../features.js";
import { formatValue } from "../format.js";
import { m, math, mi, mn, mo, row } from "../mathml.js";
import { t } from "../strings.js";

const W = 300;
const H = 190;
const PAD = { left: 44, right: 10, top: 12, bottom: 24 };
const POINTS = 61;

/** The curve's span: every w of the walk so far, with room of twice this step on each side. */
function range(ws, step) {
  const [lo, hi] = [Math.min(...ws), Math.max(...ws)];
  const pad = Math.max(2 * step, 0.25 * (hi - lo), 0.05);
  return { lo: Number((lo - pad).toPrecision(6)), hi: Number((hi + pad).toPrecision(6)) };
}

const dE = (x) => row(mi("∂"), mi("E"), mo("/"), mi("∂"), x);

export class Lesson {
  constructor(root, { explanations, panel, options = null }) {
    Object.assign(this, { root, explanations, panel, options });
    this.entry = null;
    this.phase = null;
    this.trail = new Map(); // network id → Map(step → [w before, E before])
  }

  static fits(trace) {
    return Boolean(trace?.update) && trace.inputs[0].length === 1 && trace.forward.length === 1
      && trace.forward[0].a[0].length === 1;
  }

  show(entry, phase) {
    this.entry = entry;
    this.phase = phase;
    this.refresh();
  }

  refresh() {
    const trace = this.entry?.trace;
    const fits = Lesson.fits(trace) && trace.applied;
    setHidden(this.panel, !fits);
    if (!fits) return;
    // The steps seen so far on this network, each where it started: (w, E) as the trace has them.
    const id = this.entry.after?.id ?? "";
    if (!this.trail.has(id)) this.trail.set(id, new Map());
    const trail = this.trail.get(id);
    const wBefore = this.entry.before.weights[0][0][0];
    const wAfter = trace.update[0].weights[0][0];
    trail.set(trace.step, [wBefore, trace.loss]);
    const answer = this.explanations.get("lossCurve", trace, { layer: 0, source: 0, target: 0, points: POINTS,
      ...range([...[...trail.values()].map(([w]) => w), wBefore, wAfter], Math.abs(wAfter - wBefore)) });
    if (!answer) return;
    if (answer.error !== undefined) {
      this.root.replaceChildren(el("p", { class: "ex-hint" }, answer.error?.message ?? t("ex.unavailable")));
      return;
    }
    this.draw(answer.value, trace, trail);
  }

  /** The input unit's name: "x", or its feature's label (x², sin x) when the network has one. */
  inputName() {
    const spec = this.entry.before?.spec ?? this.entry.after?.spec;
    return (this.options && inputLabels(spec, this.options)?.[0]) || "x";
  }

  draw(curve, trace, trail) {
    const kind = this.phase?.kind;
    const lossKnown = kind !== "forward";
    const slopeKnown = kind === "backward" || kind === "update";
    const stepped = kind === "update";
    const finite = curve.loss.filter((v) => v !== null && Number.isFinite(v));
    const [wlo, whi] = [curve.w[0], curve.w.at(-1)];
    const eMax = Math.max(1e-12, ...finite) * 1.08;
    const px = (w) => PAD.left + ((w - wlo) / (whi - wlo)) * (W - PAD.left - PAD.right);
    const py = (e) => PAD.top + (1 - Math.min(e, eMax) / eMax) * (H - PAD.top - PAD.bottom);
    const plot = svg("svg", { class: "lesson-plot", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": t("lesson.label"),
      "data-w-before": curve.w_before, "data-w-after": stepped ? curve.w_after : null });
    const arrowId = `lesson-arrow-${Math.random().toString(36).slice(2, 8)}`;
    plot.append(svg("defs", {}, svg("marker", { id: arrowId, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
      markerHeight: 7, orient: "auto-start-reverse" }, svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#d55e00" }))));
    const yAxis = H - PAD.bottom;
    plot.append(
      svg("line", { class: "lesson-axis", x1: PAD.left, x2: W - PAD.right, y1: yAxis, y2: yAxis }),
      svg("line", { class: "lesson-axis", x1: PAD.left, x2: PAD.left, y1: PAD.top, y2: yAxis }),
      svg("text", { class: "lesson-tick", x: PAD.left, y: H - 8, "text-anchor": "middle" }, formatValue(wlo)),
      svg("text", { class: "lesson-tick", x: W - PAD.right, y: H - 8, "text-anchor": "end" }, formatValue(whi)),
      svg("text", { class: "lesson-tick", x: (W + PAD.left) / 2, y: H - 8, "text-anchor": "middle" }, t("lesson.axisW")),
      svg("text", { class: "lesson-tick", x: PAD.left - 4, y: PAD.top + 8, "text-anchor": "end" }, formatValue(eMax)),
      svg("text", { class: "lesson-tick", x: PAD.left - 4, y: yAxis, "text-anchor": "end" }, "0"),
      svg("text", { class: "lesson-tick", x: 8, y: (H - PAD.bottom) / 2 }, t("lesson.axisE")),
    );
    const d = curve.w.map((w, k) => (curve.loss[k] === null ? null : `${px(w).toFixed(1)},${py(curve.loss[k]).toFixed(1)}`))
      .filter(Boolean).join(" L ");
    plot.append(svg("path", { class: "lesson-curve", d: `M ${d}` }));
    for (const [step, [w, e]] of trail) {
      if (step < trace.step && w >= wlo && w <= whi && e !== null) {
        plot.append(svg("circle", { class: "lesson-trail", cx: px(w), cy: py(e), r: 3 }));
      }
    }
    const [w0, e0, g] = [curve.w_before, curve.loss_before, curve.grad];
    if (slopeKnown && g !== null) {
      const span = (whi - wlo) / 4;
      const ends = [px(w0 - span), py(e0 - g * span), px(w0 + span), py(e0 + g * span)];
      // An exploded weight's slope overflows the plot's numbers: no tangent then.
      if (ends.every(Number.isFinite)) {
        plot.append(svg("line", { class: "lesson-tangent", x1: ends[0], y1: ends[1], x2: ends[2], y2: ends[3] }));
      }
    }
    if (stepped && curve.w_after !== null && curve.loss_at_w_after !== null) {
      const [x0, y0, x1, y1] = [px(w0), py(e0), px(curve.w_after), py(curve.loss_at_w_after)];
      plot.append(svg("path", { class: "lesson-step", d: `M ${x0} ${y0} Q ${(x0 + x1) / 2} ${Math.min(y0, y1) - 24} ${x1} ${y1}`,
        "marker-end": `url(#${arrowId})` }),
      svg("circle", { class: "lesson-next", cx: x1, cy: y1, r: 4.5 }));
    }
    plot.append(svg("circle", { class: "lesson-now", cx: px(w0), cy: py(lossKnown ? e0 : 0), r: 4.5 }));
    if (lossKnown) {
      plot.append(svg("text", { class: "lesson-label", x: px(w0) + 7, y: py(e0) - 7 },
        t("lesson.now", { w: formatValue(w0), e: formatValue(e0) })));
    }
    this.root.replaceChildren(el("p", { class: "ex-note" }, t("lesson.curve", { x: this.inputName() })), plot,
      ...(slopeKnown ? this.chain(curve, trace) : []),
      ...(stepped ? this.step(curve, trace) : []));
  }

  /** ∂E/∂w = ∂E/∂y · ∂y/∂w = (y − t) · x = (2 − 4) · 2 = −4, every number the step's
   * (x: the input unit's value, a feature's when it is one). */
  chain(curve, trace) {
    const [x, y, tt] = [trace.inputs[0][0], trace.forward[0].a[0][0], trace.targets[0][0]];
    const N = (v) => mn(v, { paren: true });
    const lines = [
      math(dE(mi("w")), mo("="), dE(mi("y")), mo("·"), row(mi("∂"), mi("y"), mo("/"), mi("∂"), mi("w"))),
      math(mo("="), row(mo("("), mi("y"), mo("−"), mi("t"), mo(")")), mo("·"), mi(this.inputName())),
      math(mo("="), row(mo("("), mn(y), mo("−"), mn(tt), mo(")")), mo("·"), N(x), mo("="), mn(curve.grad)),
    ];
    return [el("div", { class: "lesson-chain ex-formulas" }, lines),
      el("p", { class: "ex-note" }, t("lesson.slope", { g: formatValue(curve.grad) }))];
  }

  step(curve, trace) {
    const out = [];
    if (curve.optimizer === "sgd") {
      out.push(el("div", { class: "lesson-chain ex-formulas" }, math(row(mi("Δ"), mi("w")), mo("="), mo("−"), mi("η"),
        mo("·"), mi(t("lesson.slopeWord")), mo("="), mo("−"), mn(curve.learning_rate), mo("·"), mn(curve.grad, { paren: true }), mo("="),
        mn(curve.delta_w))));
    } else {
      out.push(el("p", { class: "ex-note" }, t("lesson.otherOptimizer", { name: t(`nv.optimizer.${curve.optimizer}`) })));
    }
    out.push(el("div", { class: "lesson-facts ex-formulas" }, math(mi("w"), mo(":"), mn(curve.w_before), mo("→"), mn(curve.w_after),
      mo(","), m("mspace", { width: "1em" }), mi("E"), mo(":"), mn(curve.loss_before), mo("→"), mn(trace.loss_after ?? curve.loss_after))));
    if (curve.loss_at_w_after !== null && curve.loss_at_w_after > curve.loss_before) {
      out.push(el("p", { class: "ex-hint" }, t("lesson.diverging")));
    }
    return out;
  }
}

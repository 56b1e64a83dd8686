// Lines over steps on a log scale (Canvas), and its main use: the size of each layer's gradient,
// ‖∂E/∂W_l‖ (Frobenius), one line per weight layer in the layer's own colour (colours.js
// layerColour, the same as the layer's band in the network picture). While playing the norms come
// from /train's `history.gradient_norms` (the server's); a manual step's from its trace's
// grad_weights. The race page draws its racers' losses with the same LogLines.

import { layerColour, palette } from "../colours.js";
import { el, replaceChildren } from "../elements.js";
import { formatCount, formatNumber } from "../format.js";
import { t } from "../strings.js";
import { fitCanvas, widthOf } from "./canvas.js";
import { traceThinned } from "./polyline.js";

const MAX_POINTS = 600; // points kept per layer; beyond this every other one is dropped
const PAD = { right: 10, top: 8, bottom: 22, left: 40 };

/** The Frobenius norm of each layer's grad_weights in a step's trace (display arithmetic only). */
export function traceNorms(trace) {
  return trace.backward.map((b) => {
    let sum = 0;
    for (const row of b.grad_weights) for (const g of row) sum += g === null ? Infinity : g * g;
    return Math.sqrt(sum);
  });
}

export class LogLines {
  /**
   * @param {HTMLElement} root  the chart's host
   * @param {object} opts  height; legend (false: none); colourOf(k) and labelOf(k, n) of series k of n;
   *        empty, zero and label: string keys of the text of a chart with no steps yet, of one whose
   *        values are all 0 (no place on a log scale), and of its description
   */
  constructor(root, { height = 120, legend = true, colourOf = layerColour, empty = "gradChartEmpty",
    zero = "gradChartZero", label = "gradChartLabel",
    labelOf = (l, n) => t(l === n - 1 ? "gradLayerOut" : "gradLayer", { l: l + 1 }) } = {}) {
    Object.assign(this, { height, colourOf, labelOf, empty, zero, label });
    this.canvas = el("canvas", { class: "gradient-canvas", role: "img", "aria-label": t(empty) });
    this.legend = legend ? el("ul", { class: "chart-legend gradient-legend" }) : null;
    replaceChildren(root, this.canvas, this.legend);
    this.box = widthOf(this.canvas, () => this.draw());
    this.pending = false;
    this.clear();
  }

  clear() {
    this.series = []; // per series (weight layer): [[step, value]]
    this.stride = 1;
    this.lastStep = 0;
    this.schedule();
  }

  /** The values of one step: values[k] for series k (null: none this step). */
  push(step, values) {
    this.lastStep = Math.max(this.lastStep, step);
    if (step % this.stride !== 0) return;
    values.forEach((v, k) => {
      this.series[k] ??= [];
      if (v !== null && v !== undefined) this.series[k].push([step, v]);
    });
    if (Math.max(...this.series.map((s) => s.length)) > MAX_POINTS) {
      this.stride *= 2;
      this.series = this.series.map((s) => s.filter(([st]) => st % this.stride === 0));
    }
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  renderLegend() {
    if (!this.legend) return;
    const n = this.series.length;
    if (this.legend.childElementCount === n) return;
    replaceChildren(this.legend, this.series.map((_, l) => {
      const swatch = el("span", { class: "swatch layer" });
      swatch.style.borderColor = this.colourOf(l); // a CSSOM property: allowed by the page's CSP
      return el("li", {}, swatch, this.labelOf(l, n));
    }));
  }

  draw() {
    const width = this.box.width || 280;
    const height = this.height;
    const ctx = fitCanvas(this.canvas, width, height);
    const { css } = palette();
    ctx.clearRect(0, 0, width, height);
    this.renderLegend();
    const last = Math.max(0, ...this.series.map((s) => s.at(-1)?.[0] ?? 0)) || undefined;
    this.canvas.dataset.drawnStep = last === undefined ? "" : String(last);
    this.canvas.dataset.layers = String(this.series.length);
    const values = this.series.flat().map(([, v]) => v).filter((v) => Number.isFinite(v) && v > 0);
    const plotW = width - PAD.left - PAD.right;
    const plotH = height - PAD.top - PAD.bottom;
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = css["--ink-soft"];
    if (values.length === 0) {
      // Steps drawn but every value 0 (a network whose ReLUs all died) is not "nothing yet".
      const key = this.series.some((s) => s.length > 0) ? this.zero : this.empty;
      const text = t(key);
      const room = width - 8;
      const wide = ctx.measureText(text).width;
      if (wide > room) ctx.font = `${Math.max(8, Math.floor((11 * room) / wide))}px system-ui, sans-serif`;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(text, width / 2, PAD.top + plotH / 2, room); // a narrow lane: smaller, never cut off
      this.canvas.setAttribute("aria-label", text);
      return;
    }
    let lo = Math.floor(Math.log10(Math.min(...values)));
    let hi = Math.ceil(Math.log10(Math.max(...values)));
    if (hi <= lo) hi = lo + 1;
    if (hi - lo > 12) lo = hi - 12; // below 1e-12 of the largest: at the floor
    const lastStep = Math.max(1, this.lastStep);
    const x = (s) => PAD.left + (s / lastStep) * plotW;
    const y = (v) => PAD.top + plotH - ((Math.max(lo, Math.log10(v)) - lo) / (hi - lo)) * plotH;
    ctx.strokeStyle = css["--grid"];
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    const every = Math.ceil((hi - lo) / 5);
    for (let e = lo; e <= hi; e += every) {
      const yy = Math.round(y(10 ** e)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(PAD.left, yy);
      ctx.lineTo(PAD.left + plotW, yy);
      ctx.stroke();
      ctx.fillText(`1e${e}`, PAD.left - 5, yy);
    }
    ctx.textAlign = "right";
    ctx.textBaseline = "top";
    ctx.fillText(t("stepsAxis", { step: formatCount(lastStep) }), PAD.left + plotW, PAD.top + plotH + 5);
    this.series.forEach((points, l) => {
      ctx.strokeStyle = this.colourOf(l);
      ctx.lineWidth = 1.6;
      // A value of 0 (or not finite) has no place on a log scale: the line breaks there.
      traceThinned(ctx, points, x, y, (v) => Number.isFinite(v) && v > 0);
      if (points.length === 1 && points[0][1] > 0) ctx.arc(x(points[0][0]), y(points[0][1]), 2, 0, 2 * Math.PI);
      ctx.stroke();
    });
    this.canvas.dataset.latest = JSON.stringify(this.series.map((s) => s.at(-1) ?? null)); // [step, value] each
    const latest = this.series.map((s) => formatNumber(s.at(-1)?.[1] ?? NaN, 2)).join(", ");
    this.canvas.setAttribute("aria-label", t(this.label, { step: last, values: latest }));
  }
}

/** The gradient norms per weight layer of the page's network, by step. */
export class GradientChart extends LogLines {
  /** A /train answer (or a racer's result): the server's per-step norms. */
  addTrain(result) {
    const norms = result.history.gradient_norms ?? [];
    const first = result.step - result.steps_run;
    norms.forEach((n, i) => this.push(first + i + 1, n));
    this.schedule();
  }

  /** One manual step's trace. */
  addStep(trace) {
    if (!trace.applied) return;
    this.series = this.series.map((s) => s.filter(([st]) => st < trace.step));
    this.push(trace.step, traceNorms(trace));
    this.schedule();
  }

  /** Forget everything after `step` (going back in history, a reset). */
  truncate(step) {
    this.series = this.series.map((s) => s.filter(([st]) => st <= step));
    this.lastStep = Math.min(this.lastStep, step);
    this.schedule();
  }
}

/** Keep `chart` current with the page's network: its steps, its /train answers, a new network. */
export function followSession(chart, session) {
  session.addEventListener("trace", ({ detail }) => chart.addStep(detail.trace));
  session.addEventListener("trained", ({ detail }) => chart.addTrain(detail.result));
  session.addEventListener("rebuilt", ({ detail }) => {
    if (detail.reason === "history") chart.truncate(detail.state.step);
    else if (detail.reason !== "expired") chart.clear();
  });
}

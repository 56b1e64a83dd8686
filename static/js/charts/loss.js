// The loss curve over steps (Canvas): the batch loss of every step (thin, grey), and the
// train and test loss over the whole sets from the API's evaluations (blue, dashed orange).
// Above it, the latest evaluation as numbers: loss and, for classification, accuracy.
// While one step's phases are shown, the chart shows only what that phase has computed
// (`reveal`): the step's batch loss from its Loss phase, the loss after it from its Update phase.

import { el, replaceChildren, setText } from "../elements.js";
import { formatCount, formatNumber } from "../format.js";
import { t } from "../strings.js";
import { palette } from "../colours.js";
import { fitCanvas, widthOf } from "./canvas.js";
import { traceThinned } from "./polyline.js";

const MAX_POINTS = 1000; // points kept per series; beyond this every other one is dropped
const HEIGHT = 132;
const PAD = { right: 10, top: 8, bottom: 22 }; // the left pad fits the widest y label

export class LossChart {
  /** @param {HTMLElement} root  the chart's panel body */
  constructor(root) {
    this.readout = el("table", { class: "readout", id: "loss-readout" });
    this.note = el("p", { class: "readout-note", id: "eval-step" });
    // The same loss figures in one short line, for a place that is always on screen (the timeline).
    this.brief = el("p", { class: "loss-brief", id: "loss-brief" });
    this.canvas = el("canvas", { class: "loss-canvas", role: "img", "aria-label": t("lossChartEmpty") });
    const legend = el("ul", { class: "chart-legend", "aria-hidden": "true" },
      el("li", {}, el("span", { class: "swatch train" }), t("seriesTrain")),
      el("li", {}, el("span", { class: "swatch test" }), t("seriesTest")),
      el("li", {}, el("span", { class: "swatch batch" }), t("seriesBatch")));
    replaceChildren(root, this.readout, this.note, this.canvas, legend);
    this.cells = null;
    this.pending = false;
    this.at = null; // the step the readout shows, or null for the latest
    this.until = null; // {batch, evals}: the last step of each series shown, or null for all
    this.box = widthOf(this.canvas, () => this.draw());
    this.clear();
  }

  clear() {
    this.batch = []; // [step, loss]
    this.stride = 1; // keep every stride-th batch loss once thinned
    this.evals = []; // evaluations in step order, one per step
    this.schedule();
  }

  pushBatch(step, loss) {
    if (loss === null || !Number.isFinite(loss)) return;
    if (step % this.stride !== 0) return;
    this.batch.push([step, loss]);
    if (this.batch.length > MAX_POINTS) {
      this.stride *= 2;
      this.batch = this.batch.filter(([s]) => s % this.stride === 0);
    }
  }

  /** Add an evaluation in step order, replacing one of the same step. */
  pushEval(e) {
    let i = this.evals.length;
    while (i > 0 && this.evals[i - 1].step > e.step) i--;
    if (i > 0 && this.evals[i - 1].step === e.step) this.evals[i - 1] = e;
    else this.evals.splice(i, 0, e);
    if (this.evals.length > MAX_POINTS) {
      // Every other one is dropped; the newest stays.
      const last = this.evals.at(-1);
      this.evals = this.evals.filter((_, k) => k % 2 === 0);
      if (this.evals.at(-1) !== last) this.evals.push(last);
    }
  }

  /** A /train answer: its batch losses and its evaluations. */
  addTrain(result) {
    const first = result.step - result.steps_run;
    const losses = result.history.loss;
    for (let i = 0; i < losses.length; i++) this.pushBatch(first + i + 1, losses[i]);
    for (const e of result.history.evaluations) this.pushEval(e);
    this.schedule();
  }

  /**
   * An evaluation of one state (GET /evaluation). A state older than the newest point (a reset,
   * or going back) means the curve after it no longer holds.
   */
  addEvaluation(e) {
    if ((this.evals.at(-1)?.step ?? -1) > e.step && this.at === null) this.truncate(e.step);
    this.pushEval(e);
    this.schedule();
  }

  /** One manual step's trace (its batch loss; its evaluation comes from GET /evaluation). */
  addStep(trace) {
    if (!trace.applied) return;
    this.batch = this.batch.filter(([s]) => s < trace.step);
    this.pushBatch(trace.step, trace.loss);
    this.schedule();
  }

  /** Forget everything after `step` (after going back in history). */
  truncate(step) {
    this.batch = this.batch.filter(([s]) => s <= step);
    this.evals = this.evals.filter((e) => e.step <= step);
    this.schedule();
  }

  /**
   * While a step's phases are shown: {step, loss, update} says whether its Loss and Update
   * phases are reached; nothing after what they computed is drawn. Null shows everything.
   */
  reveal(r) {
    const until = r ? { batch: r.loss ? r.step : r.step - 1, evals: r.update ? r.step : r.step - 1 } : null;
    if (JSON.stringify(until) === JSON.stringify(this.until)) return;
    this.until = until;
    this.schedule();
  }

  /** The batch losses and evaluations shown now. */
  get visible() {
    if (!this.until) return { batch: this.batch, evals: this.evals };
    return { batch: this.batch.filter(([s]) => s <= this.until.batch), evals: this.evals.filter((e) => e.step <= this.until.evals) };
  }

  /** Show the figures of an earlier step (null: the latest). */
  showAt(step) {
    this.at = step;
    this.schedule();
  }

  /** The evaluation the readout shows: the step looked at (or the last before it), else the latest. */
  get shown() {
    const { evals } = this.visible;
    if (this.at === null) return evals.at(-1) ?? null;
    let found = null;
    for (const e of evals) if (e.step <= this.at) found = e;
    return found;
  }

  get latest() {
    return this.evals.at(-1) ?? null;
  }

  /** The readout table, built once; its cells change in place. */
  buildReadout(classification) {
    const cell = (id) => el("td", { id }, "—");
    const cells = { trainLoss: cell("train-loss"), testLoss: cell("test-loss"),
      trainAccuracy: cell("train-accuracy"), testAccuracy: cell("test-accuracy"), classification };
    const row = (label, a, b) => el("tr", {}, el("th", { scope: "row" }, label), a, b);
    replaceChildren(this.readout,
      el("thead", {}, el("tr", {}, el("td"), el("th", { scope: "col" }, t("seriesTrain")),
        el("th", { scope: "col" }, t("seriesTest")))),
      el("tbody", {},
        row(t("lossRow"), cells.trainLoss, cells.testLoss),
        classification ? row(t("accuracyRow"), cells.trainAccuracy, cells.testAccuracy) : null));
    this.cells = cells;
  }

  renderReadout() {
    const e = this.shown;
    const classification = e ? e.train_accuracy !== null : true;
    if (!this.cells || this.cells.classification !== classification) this.buildReadout(classification);
    const percent = (x) => (x === null || x === undefined ? "—" : t("percent", { value: (x * 100).toFixed(1) }));
    const number = (x) => (e ? formatNumber(x) : "—");
    setText(this.cells.trainLoss, number(e?.train_loss));
    setText(this.cells.testLoss, number(e?.test_loss));
    setText(this.cells.trainAccuracy, e ? percent(e.train_accuracy) : "—");
    setText(this.cells.testAccuracy, e ? percent(e.test_accuracy) : "—");
    this.readout.dataset.step = e ? String(e.step) : "";
    setText(this.note, e ? t("evaluatedAt", { step: formatCount(e.step) }) : t("notEvaluated"));
    setText(this.brief, t("lossBrief", { train: number(e?.train_loss), test: number(e?.test_loss) }));
    this.canvas.setAttribute("aria-label", e
      ? t("lossChartLabel", { step: e.step, train: formatNumber(e.train_loss), test: formatNumber(e.test_loss) })
      : t("lossChartEmpty"));
  }

  /** Draw at the next animation frame (however many answers arrive before it). */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.renderReadout();
      this.draw();
    });
  }

  draw() {
    const width = this.box.width || 280;
    const ctx = fitCanvas(this.canvas, width, HEIGHT);
    const { css } = palette();
    ctx.clearRect(0, 0, width, HEIGHT);
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const { batch, evals: shownEvals } = this.visible;
    const lastStep = Math.max(1, this.batch.at(-1)?.[0] ?? 0, this.evals.at(-1)?.step ?? 0);
    this.canvas.dataset.drawnStep = String(Math.max(batch.at(-1)?.[0] ?? 0, shownEvals.at(-1)?.step ?? 0));
    this.canvas.dataset.batchStep = String(batch.at(-1)?.[0] ?? "");
    this.canvas.dataset.evalStep = String(shownEvals.at(-1)?.step ?? "");
    const values = [];
    for (const e of shownEvals) values.push(e.train_loss, e.test_loss);
    values.push(...robustBatch(batch));
    const finite = values.filter((v) => v !== null && Number.isFinite(v));
    const yMax = finite.length === 0 ? 1 : niceCeiling(Math.max(1e-9, ...finite) * 1.05);
    ctx.font = "11px system-ui, sans-serif";
    const ticks = [0, 0.5, 1].map((f) => [f, formatNumber(f * yMax, 2)]);
    const left = Math.max(28, ...ticks.map(([, text]) => ctx.measureText(text).width + 9));
    const plotW = width - left - PAD.right;
    const x = (step) => left + (step / lastStep) * plotW;
    const y = (loss) => PAD.top + plotH - (Math.min(loss, yMax) / yMax) * plotH;

    // Frame, gridlines and labels.
    ctx.fillStyle = css["--ink-soft"];
    ctx.strokeStyle = css["--grid"];
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const [f, text] of ticks) {
      const yy = Math.round(PAD.top + plotH - f * plotH) + 0.5;
      ctx.beginPath();
      ctx.moveTo(left, yy);
      ctx.lineTo(left + plotW, yy);
      ctx.stroke();
      ctx.fillText(text, left - 5, yy);
    }
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText("0", left, PAD.top + plotH + 5);
    ctx.textAlign = "right";
    ctx.fillText(t("stepsAxis", { step: formatCount(lastStep) }), left + plotW, PAD.top + plotH + 5);

    if (finite.length === 0) {
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(t("lossChartEmpty"), left + plotW / 2, PAD.top + plotH / 2);
      return;
    }
    if (this.at !== null) {
      // The step looked at, as a vertical line.
      const xx = Math.round(x(this.at)) + 0.5;
      ctx.save();
      ctx.strokeStyle = css["--ink-soft"];
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(xx, PAD.top);
      ctx.lineTo(xx, PAD.top + plotH);
      ctx.stroke();
      ctx.restore();
    }
    line(ctx, batch, x, y, css["--series-batch"], 1, []);
    const evals = (key) => shownEvals.filter((e) => e[key] !== null).map((e) => [e.step, e[key]]);
    line(ctx, evals("test_loss"), x, y, css["--series-test"], 2, [5, 3]);
    line(ctx, evals("train_loss"), x, y, css["--series-train"], 2, []);
  }
}

function line(ctx, points, x, y, colour, width, dash) {
  if (points.length === 0) return;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.lineJoin = "round";
  if (points.length === 1) {
    ctx.beginPath();
    ctx.arc(x(points[0][0]), y(points[0][1]), width + 1, 0, 2 * Math.PI);
    ctx.fill();
  } else {
    traceThinned(ctx, points, x, y, () => true);
    ctx.stroke();
  }
  ctx.restore();
}

/** The batch losses without their rare huge spikes (the 98th percentile caps the scale). */
function robustBatch(points) {
  if (points.length < 20) return points.map(([, v]) => v);
  const sorted = points.map(([, v]) => v).sort((a, b) => a - b);
  return [sorted[Math.floor(sorted.length * 0.98)]];
}

/** 1, 2 or 5 times a power of ten, at or above x. */
function niceCeiling(x) {
  const power = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= x) return m * power;
  return 10 * power;
}

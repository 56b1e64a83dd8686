// The loss curve over steps (Canvas): the batch loss of every step (thin, grey), and the
// train and test loss over the whole sets from the API's evaluations (blue, dashed orange).
// Above it, the latest evaluation as numbers: loss and, for classification, accuracy.

import { el, formatNumber, replaceChildren } from "../elements.js";
import { t } from "../strings.js";
import { fitCanvas, palette } from "./palette.js";

const MAX_POINTS = 4000; // batch losses kept; beyond this every other one is dropped
const HEIGHT = 132;
const PAD = { right: 10, top: 8, bottom: 22 }; // the left pad fits the widest y label

export class LossChart {
  /** @param {HTMLElement} root  the chart's panel body */
  constructor(root) {
    this.readout = el("table", { class: "readout", id: "loss-readout" });
    this.note = el("p", { class: "readout-note", id: "eval-step" });
    this.canvas = el("canvas", { class: "loss-canvas", role: "img", "aria-label": t("lossChartEmpty") });
    const legend = el("ul", { class: "chart-legend", "aria-hidden": "true" },
      el("li", {}, el("span", { class: "swatch train" }), t("seriesTrain")),
      el("li", {}, el("span", { class: "swatch test" }), t("seriesTest")),
      el("li", {}, el("span", { class: "swatch batch" }), t("seriesBatch")));
    replaceChildren(root, this.readout, this.note, this.canvas, legend);
    this.pending = false;
    new ResizeObserver(() => this.draw()).observe(this.canvas);
    this.clear();
  }

  clear() {
    this.batch = []; // [step, loss]
    this.stride = 1; // keep every stride-th batch loss once thinned
    this.evals = [];
    this.renderReadout();
    this.draw();
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

  /** A /train answer: its batch losses and its evaluations. */
  addTrain(result) {
    const first = result.step - result.steps_run;
    result.history.loss.forEach((loss, i) => this.pushBatch(first + i + 1, loss));
    for (const e of result.history.evaluations) this.evals.push(e);
    this.renderReadout();
    this.schedule();
  }

  /** One manual step's trace (its batch loss only: a step has no evaluation). */
  addStep(trace) {
    if (!trace.applied) return;
    this.pushBatch(trace.step, trace.loss);
    this.schedule();
  }

  /** Forget everything after `step` (after going back in history). */
  truncate(step) {
    this.batch = this.batch.filter(([s]) => s <= step);
    this.evals = this.evals.filter((e) => e.step <= step);
    this.renderReadout();
    this.schedule();
  }

  get latest() {
    return this.evals.at(-1) ?? null;
  }

  renderReadout() {
    const e = this.latest;
    const percent = (x) => (x === null || x === undefined ? "—" : t("percent", { value: (x * 100).toFixed(1) }));
    const number = (x) => (e ? formatNumber(x) : "—");
    const classification = e ? e.train_accuracy !== null : true;
    const row = (label, train, test) => el("tr", {},
      el("th", { scope: "row" }, label), el("td", { id: train[0] }, train[1]), el("td", { id: test[0] }, test[1]));
    replaceChildren(this.readout,
      el("thead", {}, el("tr", {}, el("td"), el("th", { scope: "col" }, t("seriesTrain")),
        el("th", { scope: "col" }, t("seriesTest")))),
      el("tbody", {},
        row(t("lossRow"), ["train-loss", number(e?.train_loss)], ["test-loss", number(e?.test_loss)]),
        classification
          ? row(t("accuracyRow"), ["train-accuracy", e ? percent(e.train_accuracy) : "—"],
            ["test-accuracy", e ? percent(e.test_accuracy) : "—"])
          : null));
    this.note.textContent = e ? t("evaluatedAt", { step: e.step.toLocaleString("en-US") }) : t("notEvaluated");
    this.canvas.setAttribute("aria-label", e
      ? t("lossChartLabel", { step: e.step, train: formatNumber(e.train_loss), test: formatNumber(e.test_loss) })
      : t("lossChartEmpty"));
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  draw() {
    const width = this.canvas.clientWidth || 280;
    const ctx = fitCanvas(this.canvas, width, HEIGHT);
    const { css } = palette();
    ctx.clearRect(0, 0, width, HEIGHT);
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const lastStep = Math.max(1, this.batch.at(-1)?.[0] ?? 0, this.evals.at(-1)?.step ?? 0);
    const values = [
      ...this.evals.flatMap((e) => [e.train_loss, e.test_loss]),
      ...robustBatch(this.batch),
    ].filter((v) => v !== null && Number.isFinite(v));
    const yMax = values.length === 0 ? 1 : niceCeiling(Math.max(1e-9, ...values) * 1.05);
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
    ctx.fillText(t("stepsAxis", { step: lastStep.toLocaleString("en-US") }), left + plotW, PAD.top + plotH + 5);

    if (values.length === 0) {
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(t("lossChartEmpty"), left + plotW / 2, PAD.top + plotH / 2);
      return;
    }
    line(ctx, this.batch, x, y, css["--series-batch"], 1, []);
    const evals = (key) => this.evals.filter((e) => e[key] !== null).map((e) => [e.step, e[key]]);
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
    ctx.beginPath();
    points.forEach(([s, v], i) => (i === 0 ? ctx.moveTo(x(s), y(v)) : ctx.lineTo(x(s), y(v))));
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

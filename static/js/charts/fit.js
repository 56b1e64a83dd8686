// For 1-input regression ('sine', 'worked_example'): the network's fitted curve y(x) over the
// input range, with the training (filled) and test (ringed) points. The curve is the API's
// POST /predict answer on a grid of x; nothing is recomputed here. The data editor edits the
// samples here: pointAt / clientOf map a place to (x, y) = (input, target) and back.

import { palette } from "../colours.js";
import { el, replaceChildren } from "../elements.js";
import { formatNumber } from "../format.js";
import { t } from "../strings.js";
import { fitCanvas, traceCurve } from "./canvas.js";
import { drawSamples, SampleChart } from "./samples.js";

export const GRID = 121; // x values asked for
const DEFAULT_WIDTH = 278; // CSS pixels before layout; the height follows the width
const PAD = { right: 10, top: 10, bottom: 24 }; // the left pad fits the widest y label

/** The x grid across the input range [lo, hi]: GRID evenly spaced rows [[x], ...]. */
export function gridOver([lo, hi]) {
  return Array.from({ length: GRID }, (_, i) => [lo + ((hi - lo) * i) / (GRID - 1)]);
}

export class FitChart extends SampleChart {
  constructor(root, options) {
    super("fit", el("canvas", { class: "fit-canvas", role: "img", "aria-label": t("fitEmpty") }), options);
    this.caption = el("p", { class: "chart-caption", id: "fit-caption" }, t("fitCaption"));
    replaceChildren(root, this.samples.status, this.canvas, this.samples.root, this.caption);
    this.frame = null; // the last drawing's plot: {canvasWidth, left, top,
    // width, height, x: [lo, hi], y: [lo, hi]} in the canvas's CSS pixels
    this.heldY = null; // the y range kept while a sample is dragged, or null
  }

  /** Keep the y range as drawn now (while a sample is dragged), or let it follow the data again. */
  holdScale(on) {
    this.heldY = on && this.frame ? this.frame.y : null;
  }

  /** The place's (x, y) as {input: [x], target: [y]}, or null off the plot (or before a drawing). */
  pointAt(clientX, clientY) {
    const f = this.frame;
    if (!f) return null;
    const box = this.canvas.getBoundingClientRect();
    const scale = box.width / f.canvasWidth; // CSS pixels drawn to CSS pixels shown
    const u = ((clientX - box.left) / scale - f.left) / f.width;
    const v = 1 - ((clientY - box.top) / scale - f.top) / f.height;
    if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) return null;
    return { input: [f.x[0] + u * (f.x[1] - f.x[0])], target: [f.y[0] + v * (f.y[1] - f.y[0])] };
  }

  /** Where the sample (input [x], target [y]) is drawn, in client coordinates (null before a drawing). */
  clientOf(input, target) {
    const f = this.frame;
    if (!f) return null;
    const box = this.canvas.getBoundingClientRect();
    const scale = box.width / f.canvasWidth;
    const u = (input[0] - f.x[0]) / (f.x[1] - f.x[0]);
    const v = (target[0] - f.y[0]) / (f.y[1] - f.y[0]);
    return [box.left + (f.left + u * f.width) * scale, box.top + (f.top + (1 - v) * f.height) * scale];
  }

  setStatus(text, past) {
    this.samples.setStatus(text, past);
  }

  clear() {
    this.last = null;
    this.frame = null;
    const [width, height] = this.size();
    const ctx = fitCanvas(this.canvas, width, height);
    ctx.clearRect(0, 0, width, height);
  }

  size() {
    const width = this.box.width || DEFAULT_WIDTH;
    return [width, Math.round(width * 0.82)];
  }

  /**
   * @param {number[][]} grid  [[x], ...] as sent to /predict
   * @param {number[][]} outputs  [[y], ...] its answer
   * @param {object} state  the network state (extent, step)
   */
  render(grid, outputs, state) {
    this.last = [grid, outputs, state];
    const { css } = palette();
    const [WIDTH, HEIGHT] = this.size();
    const ctx = fitCanvas(this.canvas, WIDTH, HEIGHT);
    ctx.clearRect(0, 0, WIDTH, HEIGHT);
    const [xlo, xhi] = state.extent[0];
    const targets = [...(this.points?.train?.targets ?? []), ...(this.showTest ? this.points?.test?.targets ?? [] : [])];
    const ys = [...outputs.map((o) => o[0]), ...targets.map((y) => y[0])].filter((y) => y !== null && Number.isFinite(y));
    const pad = (Math.max(1, ...ys) - Math.min(0, ...ys)) * 0.08;
    const [ylo, yhi] = this.heldY ?? [Math.min(0, ...ys) - pad, Math.max(1, ...ys) + pad];
    ctx.font = "11px system-ui, sans-serif";
    const yLabels = [formatNumber(yhi, 2), formatNumber(ylo, 2)];
    const left = Math.max(26, ...yLabels.map((text) => ctx.measureText(text).width + 8));
    const plotW = WIDTH - left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const px = (x) => left + ((x - xlo) / (xhi - xlo)) * plotW;
    const py = (y) => PAD.top + plotH - ((y - ylo) / (yhi - ylo)) * plotH;
    this.frame = { canvasWidth: WIDTH, left, top: PAD.top, width: plotW, height: plotH, x: [xlo, xhi], y: [ylo, yhi] };
    this.canvas.dataset.plot = [left, PAD.top, plotW, plotH, xlo, xhi, ylo, yhi].join(" "); // for tests and tools

    // Axes through zero where zero is in view.
    ctx.strokeStyle = css["--grid"];
    ctx.lineWidth = 1;
    ctx.strokeRect(left + 0.5, PAD.top + 0.5, plotW, plotH);
    if (ylo < 0 && yhi > 0) {
      ctx.beginPath();
      ctx.moveTo(left, Math.round(py(0)) + 0.5);
      ctx.lineTo(left + plotW, Math.round(py(0)) + 0.5);
      ctx.stroke();
    }
    ctx.fillStyle = css["--ink-soft"];
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(yLabels[0], left - 4, PAD.top + 6);
    ctx.fillText(yLabels[1], left - 4, PAD.top + plotH - 6);
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.fillText(formatNumber(xlo, 3), left, PAD.top + plotH + 5);
    ctx.textAlign = "right";
    ctx.fillText(formatNumber(xhi, 3), left + plotW, PAD.top + plotH + 5);
    ctx.textAlign = "center";
    ctx.fillText(t("axisX"), left + plotW / 2, PAD.top + plotH + 5);

    // Samples: training filled, test ringed, coloured by their target like the boundary's points.
    const counts = drawSamples(ctx, this.points, {
      px: (x) => px(x[0]),
      py: (x, target) => py(target[0]),
      colourOf: this.colourOfTarget(state),
      showTest: this.showTest,
      radius: 3.4,
    });
    this.canvas.dataset.trainPoints = String(counts.train);
    this.canvas.dataset.testPoints = String(counts.test);

    // The fitted curve.
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, PAD.top, plotW, plotH);
    ctx.clip();
    ctx.strokeStyle = css["--ink"];
    ctx.lineWidth = 2.5;
    ctx.lineJoin = "round";
    traceCurve(ctx, outputs.map((o) => o[0]), (i) => px(grid[i][0]), py);
    ctx.stroke();
    ctx.restore();
    this.canvas.setAttribute("aria-label", t("fitLabel", { step: state.step }));
    this.canvas.dataset.drawnStep = String(state.step);
  }
}

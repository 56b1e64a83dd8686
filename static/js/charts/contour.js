// The loss over a plane of weight space (two weights (w1, w2), or (α, β) along two directions) as a
// contour plot (Canvas): bands of equal log-loss, lighter toward the minimum, with their edges drawn
// as contour lines; on top, each racer's path as it runs, its optimizer's current step as an arrow
// (the race answer's step_direction), and the minimum when known. Values come from POST
// /networks/{id}/surface (the server's grid), interpolated between grid points for the picture.
// A click answers the (w1, w2) under the pointer (`onPick`, when given), to start the race there.

import { el, replaceChildren } from "../elements.js";
import { formatNumber } from "../format.js";
import { palette } from "../colours.js";
import { t } from "../strings.js";
import { fitCanvas, widthOf } from "./canvas.js";

const BANDS = 14;
const LOW = [250, 246, 227]; // the colour of the lowest band
const HIGH = [52, 73, 128]; // of the highest
const ARROW_SCALE = 4; // an arrow is this many times the step it shows

/** Band k of `bands` for a loss, on a log scale between lo and hi (log10 values). */
export function bandOf(loss, lo, hi, bands = BANDS) {
  if (!(loss > 0)) return 0;
  const f = (Math.log10(loss) - lo) / (hi - lo);
  return Math.max(0, Math.min(bands - 1, Math.floor(f * bands)));
}

export class ContourChart {
  /** @param {HTMLElement} root  @param {((w1: number, w2: number) => void) | null} onPick */
  constructor(root, onPick = null) {
    this.canvas = el("canvas", { class: "contour-canvas", role: "img", "aria-label": t("surfaceEmpty") });
    this.caption = el("p", { class: "chart-caption" }, t("surfaceCaption", { scale: ARROW_SCALE }));
    replaceChildren(root, this.canvas, this.caption);
    this.box = widthOf(this.canvas, () => this.draw());
    this.surface = null;
    this.background = null;
    this.paths = [];
    this.canvas.addEventListener("click", (event) => {
      if (!this.surface || !onPick) return;
      const r = this.canvas.getBoundingClientRect();
      const [w1, w2] = this.toWeights((event.clientX - r.left) / r.width, (event.clientY - r.top) / r.height);
      onPick(w1, w2);
    });
  }

  /** (w1, w2) at fractions (fx, fy) of the picture, fy from the top. */
  toWeights(fx, fy) {
    const { alpha, beta } = this.surface;
    return [alpha[0] + fx * (alpha.at(-1) - alpha[0]), beta.at(-1) - fy * (beta.at(-1) - beta[0])];
  }

  /** A surface answer, the minimum [w1, w2] (null: not known) and the two axes' names. */
  setSurface(surface, minimum, names = ["w₁", "w₂"]) {
    this.surface = surface;
    this.minimum = minimum;
    this.names = names;
    this.background = null;
    this.draw();
  }

  /** paths: [{colour, points: [[w1, w2], …], arrow: [dw1, dw2] | null}]: each racer's path so far and
   *  its optimizer's current step (momentum's −η v, Adam's −η m̂, the others' last Δw) on the plot's axes. */
  setPaths(paths) {
    this.paths = paths;
    this.draw();
  }

  /** The bands and contour lines, once per surface and size, on a canvas of their own. */
  paintBackground(size) {
    const { loss } = this.surface;
    const n = loss.length;
    const finite = loss.flat().filter((v) => v !== null && v > 0);
    const lo = Math.log10(Math.min(...finite));
    const hi = Math.log10(Math.max(...finite));
    const canvas = new OffscreenCanvas(size, size);
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(size, size);
    const bands = new Uint8Array(size * size);
    for (let py = 0; py < size; py++) {
      const gy = (1 - py / (size - 1)) * (n - 1); // row 0 of the grid is the bottom
      const i = Math.min(n - 2, Math.floor(gy));
      const fy = gy - i;
      for (let px = 0; px < size; px++) {
        const gx = (px / (size - 1)) * (n - 1);
        const j = Math.min(n - 2, Math.floor(gx));
        const fx = gx - j;
        const v = (1 - fy) * ((1 - fx) * loss[i][j] + fx * loss[i][j + 1])
          + fy * ((1 - fx) * loss[i + 1][j] + fx * loss[i + 1][j + 1]);
        bands[py * size + px] = bandOf(v, lo, hi);
      }
    }
    for (let p = 0; p < size * size; p++) {
      const b = bands[p];
      const edge = (p % size > 0 && bands[p - 1] !== b) || (p >= size && bands[p - size] !== b);
      const f = b / (BANDS - 1);
      for (let c = 0; c < 3; c++) image.data[4 * p + c] = edge ? 90 : LOW[c] + (HIGH[c] - LOW[c]) * f;
      image.data[4 * p + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    this.background = { size, canvas };
  }

  draw() {
    if (!this.surface) return;
    const size = Math.round(this.box.width || 420);
    const ctx = fitCanvas(this.canvas, size, size);
    if (this.background?.size !== size) this.paintBackground(size);
    ctx.drawImage(this.background.canvas, 0, 0, size, size);
    const { alpha, beta } = this.surface;
    const px = (w1) => ((w1 - alpha[0]) / (alpha.at(-1) - alpha[0])) * size;
    const py = (w2) => size - ((w2 - beta[0]) / (beta.at(-1) - beta[0])) * size;
    const { css } = palette();
    ctx.fillStyle = css["--ink"];
    ctx.font = "16px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    if (this.minimum) ctx.fillText("✕", px(this.minimum[0]), py(this.minimum[1]));
    for (const { colour, points, arrow: step } of this.paths) {
      if (points.length === 0) continue;
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 2;
      ctx.beginPath();
      points.forEach(([a, b], i) => (i === 0 ? ctx.moveTo(px(a), py(b)) : ctx.lineTo(px(a), py(b))));
      ctx.stroke();
      const [a, b] = points.at(-1);
      ctx.beginPath();
      ctx.arc(px(a), py(b), 4, 0, 2 * Math.PI);
      ctx.fill();
      if (step) arrow(ctx, points.at(-1), step, px, py);
    }
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillStyle = "#fff"; // white outlined in dark: readable on light and dark bands
    ctx.strokeStyle = "rgba(0, 0, 0, 0.65)";
    ctx.lineWidth = 3;
    ctx.textAlign = "left";
    const label = (text, y) => (ctx.strokeText(text, 4, y), ctx.fillText(text, 4, y));
    ctx.textBaseline = "bottom";
    label(`${this.names[0]} ${formatNumber(alpha[0], 2)} … ${formatNumber(alpha.at(-1), 2)}`, size - 3);
    ctx.textBaseline = "top";
    label(`${this.names[1]} ${formatNumber(beta[0], 2)} … ${formatNumber(beta.at(-1), 2)}`, 3);
    const steps = Math.max(0, ...this.paths.map((p) => p.points.length - 1));
    this.canvas.dataset.drawnStep = String(steps);
    this.canvas.dataset.arrows = JSON.stringify(this.paths.map((p) => p.arrow ?? null)); // for the tests
    this.canvas.dataset.ends = JSON.stringify(this.paths.map((p) => p.points.at(-1) ?? null));
    this.canvas.setAttribute("aria-label", t("surfaceLabel", { count: steps }));
  }
}

/** The step `step` (a change on the plot's axes), ARROW_SCALE times longer, as an arrow from `at`. */
function arrow(ctx, at, step, px, py) {
  const x0 = px(at[0]);
  const y0 = py(at[1]);
  const x1 = px(at[0] + ARROW_SCALE * step[0]);
  const y1 = py(at[1] + ARROW_SCALE * step[1]);
  const length = Math.hypot(x1 - x0, y1 - y0);
  if (length < 2) return;
  const angle = Math.atan2(y1 - y0, x1 - x0);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.lineTo(x1 - 7 * Math.cos(angle - 0.45), y1 - 7 * Math.sin(angle - 0.45));
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - 7 * Math.cos(angle + 0.45), y1 - 7 * Math.sin(angle + 0.45));
  ctx.stroke();
}

// One racer's column on the race page: its name and settings line, its decision boundary (from
// the race answer's `boundary`, with the training samples) and its gradient norms per layer, and
// a status line (its step, its loss, or that it diverged or expired).

import { decodeMap, fitCanvas, widthOf } from "../charts/canvas.js";
import { outputScale, paintMap } from "../charts/boundary.js";
import { GradientChart } from "../charts/gradients.js";
import { drawSamples, targetColour } from "../charts/samples.js";
import { el } from "../elements.js";
import { formatCount, formatNumber } from "../format.js";
import { activationRange } from "../options.js";
import { t } from "../strings.js";

export class Lane {
  /**
   * @param {HTMLElement} host  where the lane's column goes
   * @param {object} parts  title, colour (a CSS colour for its mark), options (GET /options),
   *        settings (an element of controls under the title, or null), gradients (show the chart)
   */
  constructor(host, { title, colour, options, settings = null, gradients = true }) {
    this.options = options;
    const mark = el("span", { class: "lane-mark", "aria-hidden": "true" });
    mark.style.background = colour; // a CSSOM property: allowed by the page's CSP
    this.status = el("p", { class: "lane-status" }, t("laneReady"));
    this.canvas = el("canvas", { class: "lane-boundary", role: "img", "aria-label": t("boundaryEmpty") });
    const gradHost = el("div", { class: "lane-gradients" });
    this.root = el("section", { class: "lane" }, el("h3", {}, mark, title), settings,
      el("div", { class: "lane-frame" }, this.canvas), gradients ? gradHost : null, this.status);
    host.append(this.root);
    this.gradients = gradients ? new GradientChart(gradHost, { height: 110 }) : null;
    this.points = null;
    this.last = null;
    this.box = widthOf(this.canvas, () => this.last && this.drawBoundary(...this.last));
  }

  /** The samples (GET /data), drawn on the boundary. */
  setPoints(points) {
    this.points = points;
    if (this.last) this.drawBoundary(...this.last);
  }

  /** Racer entry of a race answer: {id, status, detail, result}. */
  update(racer) {
    const r = racer.result;
    if (racer.status === "missing") {
      this.setStatus(t("laneMissing"), "missing"); // the server's detail is English: the page says it in its language
      return;
    }
    this.gradients?.addTrain(r);
    if (r.boundary) this.drawBoundary(r.boundary, r.state);
    const e = r.history.evaluations.at(-1);
    if (racer.status === "diverged") this.setStatus(t("laneDiverged", { step: r.step }), "diverged");
    else this.setStatus(t("laneStatus", { step: formatCount(r.step),
      loss: e ? formatNumber(e.train_loss) : "—" }), "trained");
    this.root.dataset.step = String(r.step);
  }

  setStatus(text, kind) {
    this.status.textContent = text;
    this.root.dataset.status = kind;
  }

  drawBoundary(boundary, state) {
    this.last = [boundary, state];
    const size = this.box.width || 220;
    const n = boundary.resolution;
    const range = activationRange(this.options, state.spec.output_activation);
    const { centre, half } = outputScale(state.task, range, boundary.output[0]);
    const ctx = paintMap(this.canvas, n, { values: decodeMap(boundary.output[0]), centre, half, gain: 0.85 }, size);
    if (this.points) {
      const [[x1lo, x1hi], [x2lo, x2hi]] = boundary.extent;
      drawSamples(ctx, this.points, {
        px: (x) => ((x[0] - x1lo) / (x1hi - x1lo)) * size, py: (x) => size - ((x[1] - x2lo) / (x2hi - x2lo)) * size,
        colourOf: (target) => targetColour(target, state.task, range), showTest: false, radius: 2,
      });
    }
    this.canvas.dataset.drawnStep = String(state.step);
    this.canvas.setAttribute("aria-label", t("boundaryLabel", { step: state.step }));
  }

  clear() {
    this.last = null;
    const size = this.box.width || 220;
    fitCanvas(this.canvas, size, size).clearRect(0, 0, size, size);
    this.gradients?.clear();
    this.setStatus(t("laneReady"), "ready");
  }
}

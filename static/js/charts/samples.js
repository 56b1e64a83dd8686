// The samples on the pictures of a 2-input or a 1-input network (the boundary and the fitted
// curve): their colours, drawing them (training points filled, test points ringed), their key
// with the "show test data" switch, and the chart base class both pictures share.

import { classColour, diverging } from "../colours.js";
import { el } from "../elements.js";
import { activationRange } from "../options.js";
import { t } from "../strings.js";
import { widthOf } from "./canvas.js";

/**
 * The colour of a sample's target on the pictures' scale: the class colour for one-hot targets,
 * else the diverging scale the boundary uses (−1 orange … +1 blue; classes 0/1 at the ends; own data
 * under a bounded output on that output's range).
 */
export function targetColour(target, task, outputRange) {
  if (target.length > 1) return classColour(target.indexOf(Math.max(...target)), 1);
  // Binary labels sit at the output's two ends: above its middle (0.5 when unbounded) is class 1.
  const middle = outputRange ? (outputRange[0] + outputRange[1]) / 2 : 0.5;
  if (task === "binary") return diverging(target[0] > middle ? 1 : -1);
  // Own data under a bounded output: placed on the output's range, as the boundary's colours are.
  const s = task === "custom" && outputRange ? (target[0] - middle) / ((outputRange[1] - outputRange[0]) / 2) : target[0];
  return diverging(Math.max(-1, Math.min(1, s)));
}

const OUTLINE = "rgba(29, 35, 41, 0.85)"; // the page's ink: a dark edge on light backgrounds

/**
 * Draw samples at (px, py): training points filled, with a white then a dark edge; test points
 * hollow rings in their colour between two dark edges. Both read on any background.
 */
export function drawSamples(ctx, points, { px, py, colourOf, showTest, radius = 3 }) {
  const counts = { train: 0, test: 0 };
  if (!points) return counts;
  const train = points.train ?? { inputs: [], targets: [] };
  train.inputs.forEach((x, i) => {
    const [r, g, b] = colourOf(train.targets[i]);
    const [cx, cy] = [px(x), py(x, train.targets[i])];
    ctx.beginPath();
    ctx.arc(cx, cy, radius, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(cx, cy, radius + 1, 0, 2 * Math.PI);
    ctx.strokeStyle = OUTLINE;
    ctx.stroke();
    counts.train += 1;
  });
  if (!showTest) return counts;
  const test = points.test ?? { inputs: [], targets: [] };
  test.inputs.forEach((x, i) => {
    const [r, g, b] = colourOf(test.targets[i]);
    const [cx, cy] = [px(x), py(x, test.targets[i])];
    ctx.beginPath();
    ctx.arc(cx, cy, radius + 0.3, 0, 2 * Math.PI);
    ctx.lineWidth = 4.2;
    ctx.strokeStyle = OUTLINE;
    ctx.stroke();
    ctx.lineWidth = 2.2;
    ctx.strokeStyle = `rgb(${r},${g},${b})`;
    ctx.stroke();
    counts.test += 1;
  });
  return counts;
}

/**
 * The samples' key ("● training  ○ test") with the "show test data" switch, and a status line
 * saying which step the picture shows. Shared by the boundary and the fitted curve.
 */
class SampleKey {
  constructor(idPrefix, onToggle) {
    this.toggle = el("input", { type: "checkbox", id: `${idPrefix}-show-test`, checked: true });
    this.toggle.addEventListener("change", () => onToggle(this.toggle.checked));
    this.testItem = el("span", { class: "key-point test" }, t("keyTest"));
    this.root = el("div", { class: "sample-key", id: `${idPrefix}-sample-key` },
      el("span", { class: "key-point train" }, t("keyTrain")), this.testItem,
      el("label", { class: "key-toggle", for: `${idPrefix}-show-test` }, this.toggle, t("showTestData")));
    this.status = el("p", { class: "picture-status", id: `${idPrefix}-status`, "aria-live": "polite" });
    this.status.hidden = true;
  }

  /** Hide the test parts when there is no test set. */
  update(points) {
    const tests = (points?.test?.inputs.length ?? 0) > 0;
    this.testItem.hidden = !tests;
    this.toggle.parentElement.hidden = !tests;
    this.root.hidden = !points;
  }

  setStatus(text, past) {
    this.status.textContent = text;
    this.status.hidden = !text;
    this.status.classList.toggle("past", past);
  }
}

/**
 * What the two pictures with samples on them share (the boundary and the fitted curve): the samples
 * (GET /data), the "show test data" switch, and redrawing the last picture when either changes or
 * the canvas is resized. A subclass sets `this.last` to its render arguments and defines `render`.
 * `options` is GET /options (the output activation's range colours binary targets).
 */
export class SampleChart {
  constructor(idPrefix, canvas, options) {
    this.canvas = canvas;
    this.options = options;
    this.samples = new SampleKey(idPrefix, (on) => this.onTestToggle?.(on));
    this.points = null;
    this.showTest = true;
    this.last = null;
    this.onTestToggle = null;
    this.samples.update(null);
    this.box = widthOf(canvas, () => this.redraw());
  }

  redraw() {
    if (this.last) this.render(...this.last);
  }

  /** Called when the samples or the switch change, before the redraw. */
  samplesChanged() {}

  /** The samples (GET /data): {task, extent, train: {inputs, targets}, test: {inputs, targets}} or null. */
  setPoints(points) {
    this.points = points;
    this.samplesChanged();
    this.samples.update(points);
    this.redraw();
  }

  /** The colour of a target under this state's task and output activation. */
  colourOfTarget(state) {
    const range = activationRange(this.options, state.spec.output_activation);
    return (target) => targetColour(target, state.task, range);
  }

  setShowTest(on) {
    this.showTest = on;
    this.samples.toggle.checked = on;
    this.samplesChanged();
    this.redraw();
  }
}


// For 2-input data: the network's output over the input plane (the decision boundary) as a
// heatmap, with the training points (filled) and test points (ringed) on top; and a small
// heatmap per hidden neuron showing what it responds to. Values come from the API's boundary
// answer (GET /boundary or /train's `boundary`), decoded here, never recomputed.

import { el, formatNumber, replaceChildren } from "../elements.js";
import { t } from "../strings.js";
import { classColour, decodeMap, diverging, fitCanvas, palette } from "./palette.js";

const AXIS = 18; // CSS pixels left of and below the heatmap for the axis labels
const DEFAULT_FULL = 278; // the canvas's CSS size before layout

/** How a value maps to the diverging scale [−1, 1]: s = (v − centre) / half. */
export function outputScale(task, outputActivation, map) {
  if (task === "binary") return outputActivation === "tanh" ? { centre: 0, half: 1 } : { centre: 0.5, half: 0.5 };
  if (task === "regression") return { centre: 0, half: 1 };
  return { centre: 0, half: Math.max(Math.abs(map.lo), Math.abs(map.hi), 1e-9) };
}

/** The scale of a hidden unit's activation: tanh and sigmoid have fixed ranges, others their own. */
export function hiddenScale(activation, map) {
  if (activation === "tanh") return { centre: 0, half: 1 };
  if (activation === "sigmoid") return { centre: 0.5, half: 0.5 };
  return { centre: 0, half: Math.max(Math.abs(map.lo), Math.abs(map.hi), 1e-9) };
}

/** An N×N picture of colourOf(i) for i = row·N + col, row 0 = the bottom of the plane. */
function imageOf(n, colourOf) {
  const image = new ImageData(n, n);
  for (let row = 0; row < n; row++) {
    const top = n - 1 - row; // the image's first row is the plane's top
    for (let col = 0; col < n; col++) {
      const [r, g, b] = colourOf(row * n + col);
      const k = 4 * (top * n + col);
      image.data[k] = r;
      image.data[k + 1] = g;
      image.data[k + 2] = b;
      image.data[k + 3] = 255;
    }
  }
  const scratch = new OffscreenCanvas(n, n);
  scratch.getContext("2d").putImageData(image, 0, 0);
  return scratch;
}

/** Paint N×N values into `canvas`, `size` CSS pixels square, smoothly interpolated. */
export function paintMap(canvas, n, colourOf, size) {
  const ctx = fitCanvas(canvas, size, size);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(imageOf(n, colourOf), 0, 0, size, size);
  return ctx;
}

export class BoundaryChart {
  /** @param {HTMLElement} root  the panel body */
  constructor(root) {
    this.canvas = el("canvas", { class: "boundary-canvas", role: "img", "aria-label": t("boundaryEmpty") });
    this.caption = el("p", { class: "chart-caption", id: "boundary-caption" });
    this.key = el("div", { class: "boundary-key", "aria-hidden": "true" });
    replaceChildren(root, el("div", { class: "boundary-frame" }, this.canvas), this.key, this.caption);
    this.points = null;
    this.last = null;
  }

  /** Training and test points: {train: {inputs, targets}, test: {inputs, targets}} or null. */
  setPoints(points) {
    this.points = points;
    if (this.last) this.render(...this.last);
  }

  clear() {
    this.last = null;
    const full = this.canvas.clientWidth || DEFAULT_FULL;
    const ctx = fitCanvas(this.canvas, full, full);
    ctx.clearRect(0, 0, full, full);
    this.canvas.setAttribute("aria-label", t("boundaryEmpty"));
  }

  /**
   * @param {object} boundary  the API's boundary answer
   * @param {object} state  the network state (task, spec)
   */
  render(boundary, state) {
    this.last = [boundary, state];
    const n = boundary.resolution;
    const task = state.task;
    const maps = boundary.output.map(decodeMap);
    let colourOf;
    if (maps.length > 1) {
      // Several outputs (classes): the class colours mixed by the outputs' shares, paler
      // where the network is unsure; the boundaries between classes stay smooth.
      const { rgb } = palette();
      const colours = maps.map((_, k) => rgb[`--class-${k % 3}`]);
      const white = rgb["--color-mid"];
      colourOf = (i) => {
        let total = 0;
        let top = 0;
        for (const m of maps) {
          const p = Math.max(0, m[i]);
          total += p;
          top = Math.max(top, p);
        }
        const sure = total > 0 ? top / total : 0; // 1/k (undecided) … 1 (one class)
        const strength = Math.max(0, (sure - 1 / maps.length) / (1 - 1 / maps.length));
        return [0, 1, 2].map((c) => {
          let mixed = 0;
          maps.forEach((m, k) => (mixed += (total > 0 ? Math.max(0, m[i]) / total : 1 / maps.length) * colours[k][c]));
          return Math.round(white[c] + (mixed - white[c]) * (0.35 + 0.65 * strength));
        });
      };
    } else {
      const { centre, half } = outputScale(task, state.spec.output_activation, boundary.output[0]);
      colourOf = (i) => diverging(((maps[0][i] - centre) / half) * 0.85);
    }
    this.draw(n, colourOf, boundary.extent, state);
    this.describe(boundary, state);
  }

  draw(n, colourOf, extent, state) {
    const full = this.canvas.clientWidth || DEFAULT_FULL; // square, as wide as its panel
    const SIZE = full - AXIS;
    const ctx = fitCanvas(this.canvas, full, full);
    ctx.clearRect(0, 0, full, full);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(imageOf(n, colourOf), AXIS, 0, SIZE, SIZE);

    const [[x1lo, x1hi], [x2lo, x2hi]] = extent;
    const px = (x1) => AXIS + ((x1 - x1lo) / (x1hi - x1lo)) * SIZE;
    const py = (x2) => SIZE - ((x2 - x2lo) / (x2hi - x2lo)) * SIZE;
    this.drawPoints(ctx, px, py, state);

    // Axes: the extent's ends and the variable names.
    const { css } = palette();
    ctx.fillStyle = css["--ink-soft"];
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.fillText(formatNumber(x1lo, 2), AXIS, SIZE + 4);
    ctx.textAlign = "right";
    ctx.fillText(formatNumber(x1hi, 2), AXIS + SIZE, SIZE + 4);
    ctx.textAlign = "center";
    ctx.fillText(t("axisX1"), AXIS + SIZE / 2, SIZE + 4);
    ctx.save();
    ctx.translate(AXIS - 4, SIZE / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "bottom";
    ctx.fillText(t("axisX2"), 0, 0);
    ctx.restore();
    ctx.textAlign = "right";
    ctx.textBaseline = "bottom";
    ctx.fillText(formatNumber(x2hi, 2), AXIS - 4, 12);
    ctx.textBaseline = "bottom";
    ctx.fillText(formatNumber(x2lo, 2), AXIS - 4, SIZE);
  }

  drawPoints(ctx, px, py, state) {
    if (!this.points) return;
    const binaryCentre = state.spec.output_activation === "tanh" ? 0 : 0.5;
    const colourOfTarget = (target) => {
      if (target.length > 1) return classColour(target.indexOf(Math.max(...target)), 1);
      const s = state.task === "binary" ? (target[0] > binaryCentre ? 1 : -1) : Math.max(-1, Math.min(1, target[0]));
      return diverging(s);
    };
    const draw = (part, test) => {
      if (!part) return;
      part.inputs.forEach((x, i) => {
        const [r, g, b] = colourOfTarget(part.targets[i]);
        ctx.beginPath();
        ctx.arc(px(x[0]), py(x[1]), test ? 3.2 : 2.8, 0, 2 * Math.PI);
        ctx.fillStyle = test ? "#ffffff" : `rgb(${r},${g},${b})`;
        ctx.strokeStyle = test ? `rgb(${r},${g},${b})` : "#ffffff";
        ctx.lineWidth = test ? 2 : 1;
        ctx.fill();
        ctx.stroke();
      });
    };
    draw(this.points.train, false);
    draw(this.points.test, true);
  }

  describe(boundary, state) {
    const classes = boundary.output.length > 1;
    this.canvas.setAttribute("aria-label", t("boundaryLabel", { step: state.step }));
    replaceChildren(this.key,
      classes
        ? boundary.output.map((_, k) => el("span", { class: `key-item class-${k % 3}` }, t("classN", { k: k + 1 })))
        : [el("span", { class: "key-item neg" }, t(state.task === "binary" ? "keyClassNeg" : "keyNeg")),
          el("span", { class: "key-ramp" }),
          el("span", { class: "key-item pos" }, t(state.task === "binary" ? "keyClassPos" : "keyPos"))]);
    this.caption.textContent = this.points ? t("boundaryCaptionPoints") : t("boundaryCaption");
  }
}

/** A strip of small heatmaps, one per hidden neuron (used when the network view shows none). */
export class NeuronStrip {
  constructor(root) {
    this.root = root;
    this.canvases = []; // [layer][unit], kept while the architecture stays the same
  }

  clear() {
    this.root.replaceChildren();
    this.canvases = [];
  }

  build(boundary) {
    this.canvases = boundary.hidden.map((layer, l) => layer.map((_, u) => el("canvas", {
      class: "neuron-map", role: "img", "aria-label": t("neuronMapLabel", { layer: l + 1, unit: u + 1 }),
    })));
    replaceChildren(this.root, this.canvases.map((row, l) => el("div", { class: "neuron-row" },
      el("span", { class: "neuron-layer" }, t("layerN", { n: l + 1 })), row)));
  }

  render(boundary, state) {
    const shape = (layers) => layers.map((layer) => layer.length).join(",");
    if (shape(this.canvases) !== shape(boundary.hidden)) this.build(boundary);
    const n = boundary.hidden_resolution;
    boundary.hidden.forEach((layer, l) => layer.forEach((map, u) => {
      const values = decodeMap(map);
      const { centre, half } = hiddenScale(state.spec.activation, map);
      paintMap(this.canvases[l][u], n, (i) => diverging((values[i] - centre) / half), 30);
    }));
  }
}

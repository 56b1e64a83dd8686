// For 2-input data: the network's output over the input plane (the decision boundary) as a
// heatmap, with the training points (filled) and test points (ringed) on top; and a small
// heatmap per hidden neuron showing what it responds to. Values come from the API's boundary
// answer (GET /boundary or /train's `boundary`), decoded here, never recomputed. The big picture
// can show the output as classes (discretize.js), or one unit's map while it is pointed at.

import { palette, valueScale } from "../colours.js";
import { el, replaceChildren } from "../elements.js";
import { inputLabels } from "../features.js";
import { formatNumber } from "../format.js";
import { activationRange } from "../options.js";
import { unitName } from "../render/unit-names.js";
import { t } from "../strings.js";
import { decodeMap, fitCanvas, paintValues } from "./canvas.js";
import { discreteColours, hasClasses, thresholdOf } from "./discretize.js";
import { drawSamples, SampleChart } from "./samples.js";

const AXIS = 18; // CSS pixels left of and below the heatmap for the axis labels
const DEFAULT_FULL = 278; // the canvas's CSS size before layout

/**
 * How the output's value maps to the diverging scale [−1, 1], s = (v − centre) / half: a
 * binary task spans its output's range ([0, 1] when unbounded), own data ("custom") its output's
 * range when bounded, a regression [−1, 1], any other task the map's own largest value.
 */
export function outputScale(task, outputRange, map) {
  if (task === "binary") return valueScale(outputRange ?? [0, 1], map);
  if (task === "custom" && outputRange) return valueScale(outputRange, map); // own data: the output's own range
  if (task === "regression") return valueScale([-1, 1], map);
  return valueScale(null, map);
}

const scratches = new Map(); // n -> {canvas, ctx, image}: reused, one per resolution

/**
 * An N×N picture of colourOf(i) for i = row·N + col, row 0 = the bottom of the plane; or, when
 * colourOf is {values, centre, half, gain}, of the diverging colour of gain·(values[i] − centre)/half.
 */
function imageOf(n, colourOf) {
  let scratch = scratches.get(n);
  if (!scratch) {
    const canvas = new OffscreenCanvas(n, n);
    const ctx = canvas.getContext("2d");
    scratch = { canvas, ctx, image: ctx.createImageData(n, n) };
    scratches.set(n, scratch);
  }
  const data = scratch.image.data;
  if (typeof colourOf !== "function") {
    paintValues(data, n, colourOf.values, colourOf);
    scratch.ctx.putImageData(scratch.image, 0, 0);
    return scratch.canvas;
  }
  for (let row = 0; row < n; row++) {
    const top = n - 1 - row; // the image's first row is the plane's top
    for (let col = 0; col < n; col++) {
      const [r, g, b] = colourOf(row * n + col);
      const k = 4 * (top * n + col);
      data[k] = r;
      data[k + 1] = g;
      data[k + 2] = b;
      data[k + 3] = 255;
    }
  }
  scratch.ctx.putImageData(scratch.image, 0, 0);
  return scratch.canvas;
}

/** Paint N×N values into `canvas`, `size` CSS pixels square, smoothly interpolated. */
export function paintMap(canvas, n, colourOf, size) {
  const ctx = fitCanvas(canvas, size, size);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(imageOf(n, colourOf), 0, 0, size, size);
  return ctx;
}

export class BoundaryChart extends SampleChart {
  /**
   * @param {HTMLElement} root  the panel body
   * @param {object} options  GET /options
   */
  constructor(root, options) {
    super("boundary", el("canvas", { class: "boundary-canvas", role: "img", "aria-label": t("boundaryEmpty") }), options);
    this.caption = el("p", { class: "chart-caption", id: "boundary-caption" });
    this.key = el("div", { class: "boundary-key", "aria-hidden": "true" });
    this.discrete = el("input", { type: "checkbox", id: "boundary-discretize" });
    this.discrete.addEventListener("change", () => this.redraw());
    const discretize = el("div", { class: "boundary-options" },
      el("label", { class: "key-toggle", for: "boundary-discretize" }, this.discrete, t("discretize")));
    replaceChildren(root, this.samples.status, el("div", { class: "boundary-frame" }, this.canvas), this.key,
      discretize, this.samples.root, this.caption);
    this.layer = null; // the samples drawn once on a canvas of their own: {key, canvas, counts}
    this.unit = null; // the unit {layer, unit} whose map is shown instead of the output's, or null
  }

  /** Show this unit's map (a node ref of the network picture), or the output again (null). */
  showUnit(ref) {
    const next = ref ? { layer: ref.layer, unit: ref.unit } : null;
    if (JSON.stringify(next) === JSON.stringify(this.unit)) return;
    this.unit = next;
    this.redraw();
  }

  /** [resolution, colours] of the shown unit's map (hidden or output), or null to draw the output. */
  unitPicture(boundary, state) {
    const ref = this.unit;
    const L = state.spec.layer_sizes.length - 1;
    if (!ref || ref.layer === 0 || ref.layer > L) return null;
    const map = ref.layer === L ? boundary.output[ref.unit] : boundary.hidden[ref.layer - 1]?.[ref.unit];
    if (!map) return null;
    const fn = ref.layer === L ? state.spec.output_activation : state.spec.activation;
    const { centre, half } = valueScale(activationRange(this.options, fn), map);
    const n = ref.layer === L ? boundary.resolution : boundary.hidden_resolution;
    return [n, { values: decodeMap(map), centre, half, gain: 1 }];
  }

  samplesChanged() {
    this.layer = null;
  }

  setStatus(text, past) {
    this.samples.setStatus(text, past);
  }

  clear() {
    this.last = null;
    const full = this.box.width || DEFAULT_FULL;
    const ctx = fitCanvas(this.canvas, full, full);
    ctx.clearRect(0, 0, full, full);
    this.canvas.setAttribute("aria-label", t("boundaryEmpty"));
    delete this.canvas.dataset.drawnStep;
  }

  /**
   * @param {object} boundary  the API's boundary answer
   * @param {object} state  the network state (task, spec)
   */
  render(boundary, state) {
    this.last = [boundary, state];
    const classes = hasClasses(state.task, boundary.output.length);
    this.discrete.disabled = !classes;
    this.discrete.title = classes ? "" : t("discretizeNoClasses");
    const unit = this.unitPicture(boundary, state);
    const [n, colourOf] = unit ?? [boundary.resolution, this.outputColours(boundary, state)];
    this.draw(n, colourOf, boundary.extent, state);
    this.describe(boundary, state, unit !== null);
    this.canvas.dataset.drawnStep = String(state.step);
    this.canvas.dataset.shows = unit ? `${this.unit.layer},${this.unit.unit}` : "output";
  }

  /** The output's colours: as classes when discretized (and the task has them), else smooth. */
  outputColours(boundary, state) {
    const task = state.task;
    const maps = boundary.output.map(decodeMap);
    const discrete = this.discrete.checked
      ? discreteColours(maps, task, thresholdOf(this.options, state.spec.output_activation)) : null;
    this.canvas.dataset.discrete = discrete ? "true" : "false";
    if (discrete) return discrete;
    let colourOf;
    if (maps.length > 1) {
      // Several outputs (classes): the class colours mixed by the outputs' shares, paler
      // where the network is unsure; the boundaries between classes stay smooth.
      const { rgb } = palette();
      const colours = maps.map((_, k) => rgb[`--class-${k % 3}`]);
      const white = rgb["--color-mid"];
      const mixed = [0, 0, 0];
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
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          maps.forEach((m, k) => (sum += (total > 0 ? Math.max(0, m[i]) / total : 1 / maps.length) * colours[k][c]));
          mixed[c] = Math.round(white[c] + (sum - white[c]) * (0.35 + 0.65 * strength));
        }
        return mixed;
      };
    } else {
      const range = activationRange(this.options, state.spec.output_activation);
      const { centre, half } = outputScale(task, range, boundary.output[0]);
      colourOf = { values: maps[0], centre, half, gain: 0.85 };
    }
    return colourOf;
  }

  draw(n, colourOf, extent, state) {
    const full = this.box.width || DEFAULT_FULL; // square, as wide as its panel
    const SIZE = full - AXIS;
    const ctx = fitCanvas(this.canvas, full, full);
    ctx.clearRect(0, 0, full, full);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(imageOf(n, colourOf), AXIS, 0, SIZE, SIZE);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.sampleLayer(full, extent, state), 0, 0);
    ctx.restore();

    // Axes: the extent's ends and the variable names.
    const [[x1lo, x1hi], [x2lo, x2hi]] = extent;
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

  /** The samples on a transparent canvas of the picture's size, drawn again only when they change. */
  sampleLayer(full, extent, state) {
    const ratio = window.devicePixelRatio || 1;
    const key = [full, ratio, extent.flat().join(","), state.task, state.spec.output_activation, this.showTest,
      state.id].join("|");
    if (this.layer?.key === key) return this.layer.canvas;
    const canvas = new OffscreenCanvas(Math.round(full * ratio), Math.round(full * ratio));
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const SIZE = full - AXIS;
    const [[x1lo, x1hi], [x2lo, x2hi]] = extent;
    const counts = drawSamples(ctx, this.points, {
      px: (x) => AXIS + ((x[0] - x1lo) / (x1hi - x1lo)) * SIZE,
      py: (x) => SIZE - ((x[1] - x2lo) / (x2hi - x2lo)) * SIZE,
      colourOf: this.colourOfTarget(state),
      showTest: this.showTest,
    });
    this.canvas.dataset.trainPoints = String(counts.train);
    this.canvas.dataset.testPoints = String(counts.test);
    this.layer = { key, canvas };
    return canvas;
  }

  /** The plane's point [x1, x2] under the client position (x, y), or null off the drawn plane. */
  planeAt(clientX, clientY) {
    const extent = this.last?.[0].extent;
    if (!extent) return null;
    const box = this.canvas.getBoundingClientRect();
    const size = box.width - AXIS;
    const u = (clientX - box.left - AXIS) / size;
    const v = 1 - (clientY - box.top) / size;
    if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) return null;
    const [[x1lo, x1hi], [x2lo, x2hi]] = extent;
    return [x1lo + u * (x1hi - x1lo), x2lo + v * (x2hi - x2lo)];
  }

  /** What the data editor takes from a place: {input: [x1, x2], target: null} (no target axis), or null. */
  pointAt(clientX, clientY) {
    const input = this.planeAt(clientX, clientY);
    return input && { input, target: null };
  }

  /** Where the plane's point x is drawn, in client coordinates (null before the first picture). */
  clientOf(x) {
    const extent = this.last?.[0].extent;
    if (!extent) return null;
    const box = this.canvas.getBoundingClientRect();
    const size = box.width - AXIS;
    const [[x1lo, x1hi], [x2lo, x2hi]] = extent;
    return [box.left + AXIS + ((x[0] - x1lo) / (x1hi - x1lo)) * size, box.top + size - ((x[1] - x2lo) / (x2hi - x2lo)) * size];
  }

  describe(boundary, state, unitShown) {
    const classes = boundary.output.length > 1;
    const name = unitShown
      ? unitName(this.unit.layer, this.unit.unit, state.spec.layer_sizes, inputLabels(state.spec, this.options)) : null;
    this.canvas.setAttribute("aria-label", unitShown ? t("boundaryUnitLabel", { name, step: state.step })
      : t("boundaryLabel", { step: state.step }));
    this.key.hidden = unitShown; // the key names the output's classes
    const kind = classes ? "classes" : state.task;
    if (this.keyKind !== kind) {
      this.keyKind = kind;
      replaceChildren(this.key,
        classes
          ? boundary.output.map((_, k) => el("span", { class: `key-item class-${k % 3}` }, t("classN", { k: k + 1 })))
          : [el("span", { class: "key-item neg" }, t(state.task === "binary" ? "keyClassNeg" : "keyNeg")),
            el("span", { class: "key-ramp" }),
            el("span", { class: "key-item pos" }, t(state.task === "binary" ? "keyClassPos" : "keyPos"))]);
    }
    this.caption.textContent = unitShown ? t("boundaryUnitCaption", { name })
      : this.points ? t("boundaryCaptionPoints") : t("boundaryCaption");
  }
}

/** A strip of small heatmaps, one per hidden neuron (used when the network view shows none). */
export class NeuronStrip {
  constructor(root, options) {
    this.root = root;
    this.options = options;
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
    const range = activationRange(this.options, state.spec.activation);
    boundary.hidden.forEach((layer, l) => layer.forEach((map, u) => {
      const values = decodeMap(map);
      const { centre, half } = valueScale(range, map);
      paintMap(this.canvases[l][u], n, { values, centre, half, gain: 1 }, 30);
    }));
  }
}

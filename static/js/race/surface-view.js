// The loss surface of the two-weight model (layer_sizes [2, 1], no bias, linear output, mse):
// a contour plot of the full training set's loss over (w1, w2) (POST /networks/{id}/surface),
// and the five optimizers racing on it from one start on the full batch (POST /races with the
// preset, POST /races/train with `path`), each path drawn as it runs with its last step as an
// arrow. Two presets (GET /surfaces): a round bowl and a long narrow valley. A click on the plot
// starts the race again from there; `surface=` and `start=` live in the hash.

import * as api from "../api.js";
import { ContourChart } from "../charts/contour.js";
import { LogLines } from "../charts/gradients.js";
import { layerColour } from "../colours.js";
import { el, replaceChildren } from "../elements.js";
import { formatNumber } from "../format.js";
import { t } from "../strings.js";
import { Runner } from "./runner.js";
import { racerSettings, settingsHash } from "./settings.js";

const STEPS_PER_CALL = 2; // a slow race, to watch the paths form
const MAX_POINTS = 3000; // per path

/** The start [w1, w2] the hash asks for, or null for the preset's own. */
export function startOf(params) {
  const parts = (params.get("start") ?? "").split(",").map(Number);
  return parts.length === 2 && parts.every(Number.isFinite) ? parts : null;
}

export class SurfaceView {
  /** @param {object} parts  params (the hash's URLSearchParams), intro and stage elements, options, messages */
  constructor({ params, intro, stage, options, messages, restart }) {
    Object.assign(this, { params, intro, stage, options, messages, restart });
    this.settings = racerSettings(options, params);
  }

  async start() {
    const { surfaces: presets } = await api.getSurfaces();
    const preset = presets.find((p) => p.name === this.params.get("surface")) ?? presets[0];
    const start = startOf(this.params) ?? preset.start;
    const choose = presets.map((p) => {
      const b = el("button", { type: "button", class: "tool", "aria-pressed": String(p === preset),
        "data-surface": p.name }, t(`surface_${p.name}`));
      b.addEventListener("click", () => this.go({ surface: p.name, start: null }));
      return b;
    });
    replaceChildren(this.intro, el("h2", {}, t("surfaceHeading")), el("p", {}, t("surfaceIntro")),
      el("div", { class: "surface-choice", role: "group", "aria-label": t("surfaceChoice") }, choose),
      el("p", { class: "lesson-why" }, t(`surfaceWhy_${preset.name}`)));
    const plotHost = el("div", { class: "surface-plot" });
    const lossHost = el("div", { class: "surface-loss" });
    const key = el("ul", { class: "chart-legend" }, this.settings.map((s, k) => {
      const swatch = el("span", { class: "swatch layer" });
      swatch.style.borderColor = layerColour(k);
      return el("li", {}, swatch, t(`optimizer_${s.name}`));
    }));
    replaceChildren(this.stage, el("div", { class: "surface-row" }, plotHost,
      el("div", { class: "surface-side" }, el("h3", {}, t("raceLossHeading")), lossHost, key,
        el("p", { class: "chart-caption" }, t("surfaceStart", { w1: formatNumber(start[0], 3),
          w2: formatNumber(start[1], 3) })))));
    this.plot = new ContourChart(plotHost, (w1, w2) => this.go({ start: `${w1.toFixed(3)},${w2.toFixed(3)}` }));
    this.loss = new LogLines(lossHost, { height: 200, colourOf: layerColour, legend: false, empty: "lossChartEmpty",
      label: "raceLossLabel" });
    const race = await api.createRace({ surface: preset.name, start, racers: this.settings });
    this.ids = race.racers.map((r) => r.id);
    this.paths = this.ids.map(() => [start]);
    this.plot.canvas.dataset.networks = this.ids.join(",");
    const limit = this.options.limits.max_boundary_resolution;
    const surface = await api.lossSurface(this.ids[0], { directions: "axes", alpha_range: preset.window[0],
      beta_range: preset.window[1], resolution: Math.min(81, limit) });
    this.plot.setSurface(surface, preset.minimum);
    this.drawPaths();
    this.runner = new Runner({
      ids: this.ids, extra: { path: true }, steps: STEPS_PER_CALL, fixed: true,
      onResult: (k, racer) => this.show(k, racer),
      onError: (error) => this.messages.error(t("errorTitleTrain"), error),
    });
    return this.runner;
  }

  show(k, racer) {
    const r = racer.result;
    if (!r) return;
    if (this.paths[k].length < MAX_POINTS) this.paths[k].push(...(racer.path ?? []));
    const first = r.step - r.steps_run;
    r.history.loss.forEach((loss, i) => {
      const values = new Array(this.ids.length).fill(null);
      values[k] = loss;
      this.loss.push(first + i + 1, values);
    });
    this.loss.schedule();
    if (k === this.ids.length - 1 || racer.status !== "trained") this.drawPaths();
  }

  drawPaths() {
    this.plot.setPaths(this.paths.map((points, k) => ({ colour: layerColour(k), points })));
  }

  /** Start again with other hash values (a surface, a start), keeping the racers' settings. */
  go(changes) {
    const surface = changes.surface ?? this.params.get("surface");
    const start = "start" in changes ? changes.start : this.params.get("start");
    const hash = ["view=surface", surface && `surface=${surface}`, start && `start=${start}`,
      ...settingsHash(this.options, this.settings)].filter(Boolean).join("&");
    this.restart(hash);
  }
}

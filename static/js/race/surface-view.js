// The loss surface of the two-weight model (layer_sizes [2, 1], no bias, linear output, mse):
// a contour plot of the full training set's loss over (w1, w2) (POST /networks/{id}/surface),
// and the five optimizers racing on it from one start on the full batch (POST /races with the
// preset, POST /races/train with `path`), each path drawn as it runs with its optimizer's current
// step (the answer's step_direction: momentum's velocity, Adam's m̂, the others' Δw) as an arrow.
// Two presets (GET /surfaces): a round bowl and a long narrow valley. A click on the plot starts
// the race again from there. And a larger network (`surface=network`, 8,8,8 on the circle or
// `hidden=`): the loss over the plane through the racers' shared start spanned by two random
// directions or two weights' axes (plane-choice.js), with each racer's path projected on it (the
// answer's `projected`). `surface=`, `start=` and the plane live in the hash.

import * as api from "../api.js";
import { ContourChart } from "../charts/contour.js";
import { LogLines } from "../charts/gradients.js";
import { layerColour } from "../colours.js";
import { el, replaceChildren } from "../elements.js";
import { formatNumber } from "../format.js";
import { t } from "../strings.js";
import { axisNames, planeForm, planeHash, planeOf } from "./plane-choice.js";
import { hiddenOf } from "./race-view.js";
import { Runner } from "./runner.js";
import { racerSettings, settingsHash } from "./settings.js";

const STEPS_PER_CALL = 2; // a slow race, to watch the paths form
const MAX_POINTS = 3000; // per path
const NETWORK = "network"; // the larger network's surface, beside the presets
const NETWORK_STEPS_PER_CALL = 10;
const NETWORK_RESOLUTION = 41;

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
    const network = this.params.get("surface") === NETWORK;
    const preset = network ? null : presets.find((p) => p.name === this.params.get("surface")) ?? presets[0];
    const choose = [...presets.map((p) => p.name), NETWORK].map((name) => {
      const b = el("button", { type: "button", class: "tool", "aria-pressed": String(name === (preset?.name ?? NETWORK)),
        "data-surface": name }, t(`surface_${name}`));
      b.addEventListener("click", () => this.go({ surface: name, start: null }));
      return b;
    });
    const choice = el("div", { class: "surface-choice", role: "group", "aria-label": t("surfaceChoice") }, choose);
    if (network) return this.startNetwork(choice);
    const start = startOf(this.params) ?? preset.start;
    replaceChildren(this.intro, el("h2", {}, t("surfaceHeading")), el("p", {}, t("surfaceIntro")), choice,
      el("p", { class: "lesson-why" }, t(`surfaceWhy_${preset.name}`)));
    const race = await api.createRace({ surface: preset.name, start, racers: this.settings });
    const limit = this.options.limits.max_boundary_resolution;
    const surface = await api.lossSurface(race.racers[0].id, { directions: "axes", alpha_range: preset.window[0],
      beta_range: preset.window[1], resolution: Math.min(81, limit) });
    return this.race(race, start, surface, preset.minimum, undefined,
      t("surfaceStart", { w1: formatNumber(start[0], 3), w2: formatNumber(start[1], 3) }),
      { extra: { path: true }, steps: STEPS_PER_CALL,
        pick: (w1, w2) => this.go({ start: `${w1.toFixed(3)},${w2.toFixed(3)}` }) });
  }

  /** The stage: the contour plot of `surface` with the racers' paths from `start`, their losses, and the runner. */
  race(race, start, surface, minimum, names, note, { extra, steps, pick }) {
    const plotHost = el("div", { class: "surface-plot" });
    const lossHost = el("div", { class: "surface-loss" });
    const key = el("ul", { class: "chart-legend" }, this.settings.map((s, k) => {
      const swatch = el("span", { class: "swatch layer" });
      swatch.style.borderColor = layerColour(k);
      return el("li", {}, swatch, t(`optimizer_${s.name}`));
    }));
    replaceChildren(this.stage, el("div", { class: "surface-row" }, plotHost,
      el("div", { class: "surface-side" }, el("h3", {}, t("raceLossHeading")), lossHost, key,
        el("p", { class: "chart-caption" }, note))));
    this.plot = new ContourChart(plotHost, pick);
    this.loss = new LogLines(lossHost, { height: 200, colourOf: layerColour, legend: false, empty: "lossChartEmpty",
      zero: "lossChartZero", label: "raceLossLabel" });
    this.ids = race.racers.map((r) => r.id);
    this.paths = this.ids.map(() => [start]);
    this.arrows = this.ids.map(() => null);
    this.plot.canvas.dataset.networks = this.ids.join(",");
    this.plot.setSurface(surface, minimum, names);
    this.drawPaths();
    this.runner = new Runner({
      ids: this.ids, extra, steps, fixed: true,
      onResult: (k, racer) => this.show(k, racer),
      onError: (error) => this.messages.error(t("errorTitleTrain"), error),
    });
    return this.runner;
  }

  /** The larger network: its surface over the chosen plane through the start, the paths projected. */
  async startNetwork(choice) {
    const hidden = hiddenOf(this.params, this.options.limits);
    const layerSizes = [2, ...hidden, 1];
    this.plane = planeOf(this.params, layerSizes);
    replaceChildren(this.intro, el("h2", {}, t("surfaceNetHeading")), el("p", {}, t("surfaceNetIntro")), choice,
      planeForm(this.plane, layerSizes, (plane) => this.go({ plane })),
      el("p", { class: "lesson-why" }, t(`surfaceNetWhy_${this.plane.directions}`)));
    const race = await api.createRace({
      network: { layer_sizes: layerSizes, dataset: { name: "circle", seed: 1 }, init: { seed: 1 }, batch_size: 10 },
      racers: this.settings,
    });
    const { directions, seed, axes } = this.plane;
    const plane = directions === "axes" ? { directions, axes } : { directions, seed };
    const surface = await api.lossSurface(race.racers[0].id, { ...plane,
      resolution: Math.min(NETWORK_RESOLUTION, this.options.limits.max_boundary_resolution) });
    const start = [surface.current.alpha, surface.current.beta];
    return this.race(race, start, surface, null, axisNames(this.plane), t("surfaceNetNote"),
      { extra: { plane }, steps: NETWORK_STEPS_PER_CALL, pick: null });
  }

  show(k, racer) {
    const r = racer.result;
    if (!r) return;
    const points = this.plane ? (racer.projected ?? []).map(([a, b]) => [a, b]) : (racer.path ?? []);
    if (this.paths[k].length < MAX_POINTS) this.paths[k].push(...points);
    const d = racer.step_direction;
    if (d) this.arrows[k] = this.plane ? d.along : d.displacement;
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
    this.plot.setPaths(this.paths.map((points, k) => ({ colour: layerColour(k), points, arrow: this.arrows[k] })));
  }

  /** Start again with other hash values (a surface, a start), keeping the racers' settings. */
  go(changes) {
    const surface = changes.surface ?? this.params.get("surface");
    const start = "start" in changes ? changes.start : this.params.get("start");
    const plane = surface === NETWORK ? planeHash(changes.plane ?? this.plane ?? { directions: "random", seed: 0 }) : [];
    const hidden = surface === NETWORK ? this.params.get("hidden") : null;
    const hash = ["view=surface", surface && `surface=${surface}`, start && `start=${start}`,
      hidden && `hidden=${hidden}`, ...plane, ...settingsHash(this.options, this.settings)].filter(Boolean).join("&");
    this.restart(hash);
  }
}

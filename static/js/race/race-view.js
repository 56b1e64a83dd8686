// The optimizer race: SGD, momentum, AdaGrad, RMSProp and Adam train the same network (8,8,8 on
// the circle by default; `hidden=` in the hash) from the same initial weights on the same
// mini-batches, in lockstep (POST /races, POST /races/train). Their losses share one chart; their
// boundaries stand side by side, each under its own settings, which PATCH that racer and are
// written to the hash.

import * as api from "../api.js";
import { LogLines } from "../charts/gradients.js";
import { layerColour } from "../colours.js";
import { el, replaceChildren } from "../elements.js";
import { t } from "../strings.js";
import { Lane } from "./lane.js";
import { Runner } from "./runner.js";
import { racerSettings, settingsForm, settingsHash } from "./settings.js";

const BOUNDARY = { resolution: 40, hidden_resolution: 2 };

/** The hidden layers the hash asks for (default 8,8,8), within the server's limits. */
export function hiddenOf(params, limits) {
  const text = params.get("hidden") ?? "8,8,8";
  const sizes = text.split(",").map(Number);
  const ok = sizes.length >= 1 && sizes.length <= limits.max_hidden_layers
    && sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= limits.max_units);
  return ok ? sizes : [8, 8, 8];
}

export class RaceView {
  /** @param {object} parts  params (the hash's URLSearchParams), intro and stage elements, options, messages */
  constructor({ params, intro, stage, options, messages }) {
    Object.assign(this, { params, intro, stage, options, messages });
    this.settings = racerSettings(options, params);
    this.hidden = hiddenOf(params, options.limits);
  }

  async start() {
    replaceChildren(this.intro, el("h2", {}, t("raceHeading")), el("p", {}, t("raceIntro")));
    const lossHost = el("div", { class: "race-loss" });
    const row = el("div", { class: "lanes lanes-5" });
    replaceChildren(this.stage, el("h3", {}, t("raceLossHeading")), lossHost, row);
    const n = this.settings.length;
    this.loss = new LogLines(lossHost, { height: 170, colourOf: layerColour, empty: "lossChartEmpty",
      zero: "lossChartZero", label: "raceLossLabel", labelOf: (k) => t(`optimizer_${this.settings[k].name}`) });
    this.loss.push(0, this.settings.map(() => null));
    this.lanes = this.settings.map((s, k) => new Lane(row, {
      title: t(`optimizer_${s.name}`), colour: layerColour(k), options: this.options, gradients: false,
      settings: settingsForm(this.options, s, (key, value) => this.change(k, key, value)),
    }));
    const race = await api.createRace({
      network: { layer_sizes: [2, ...this.hidden, 1], dataset: { name: "circle", seed: 1 }, init: { seed: 1 },
        batch_size: 10 },
      racers: this.settings,
    });
    this.ids = race.racers.map((r) => r.id);
    this.ids.forEach((id, k) => (this.lanes[k].root.dataset.network = id));
    const data = await api.getData(this.ids[0]);
    this.lanes.forEach((lane) => lane.setPoints(data));
    this.runner = new Runner({
      ids: this.ids, extra: { boundary: BOUNDARY }, steps: 10,
      onResult: (k, racer) => this.show(k, racer, n),
      onError: (error) => this.messages.error(t("errorTitleTrain"), error),
    });
    return this.runner;
  }

  show(k, racer, n) {
    this.lanes[k].update(racer);
    for (const e of racer.result?.history.evaluations ?? []) {
      const values = new Array(n).fill(null);
      values[k] = e.train_loss;
      this.loss.push(e.step, values);
    }
    this.loss.schedule();
  }

  /** A racer's setting changed: PATCH that racer (it goes on with it) and write the hash. */
  async change(k, key, value) {
    this.settings[k][key] = value;
    try {
      await api.patchNetwork(this.ids[k], { optimizer: { [key]: value } });
    } catch (error) {
      this.messages.error(t("errorTitlePatch"), error);
      return;
    }
    const rest = [...this.params].filter(([name]) => !name.includes(".")).map(([name, v]) => `${name}=${v}`);
    history.replaceState(null, "", `#${[...rest, ...settingsHash(this.options, this.settings)].join("&")}`);
  }
}

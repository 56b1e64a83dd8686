// The vanishing- and exploding-gradient lessons: the same deep network (six hidden layers of 6,
// the same seeds, data and mini-batches) trained three times side by side, advanced together by
// POST /races/train, each with its boundary and its gradient norms per layer. Vanishing: sigmoid,
// ReLU and leaky ReLU. Exploding: ReLU with the same initial weights ×1, ×2 and ×3.

import * as api from "../api.js";
import { el, replaceChildren } from "../elements.js";
import { formatNumber } from "../format.js";
import { t } from "../strings.js";
import { Lane } from "./lane.js";
import { Runner } from "./runner.js";

export const DEEP = { layer_sizes: [2, 6, 6, 6, 6, 6, 6, 1], dataset: { name: "circle", seed: 1 }, init: { seed: 1 },
  batch_size: 10, optimizer: { name: "sgd" } };
const BOUNDARY = { resolution: 40, hidden_resolution: 2 };
const LANE_COLOURS = ["#4f5a65", "#8a949e", "#c1c7cd"]; // greys: the colours are the layers'


export const LESSONS = {
  vanishing: [
    { title: "lessonSigmoid", spec: { activation: "sigmoid" } },
    { title: "lessonRelu", spec: { activation: "relu" } },
    { title: "lessonLeaky", spec: { activation: "leaky_relu" } },
  ],
  exploding: [
    { title: "lessonScale1", spec: { activation: "relu" }, scale: 1 },
    { title: "lessonScale2", spec: { activation: "relu" }, scale: 2 },
    { title: "lessonScale3", spec: { activation: "relu" }, scale: 3 },
  ],
};

/** The creation bodies of a lesson's networks; `base` is the first one's state (its initial weights). */
export function lessonBodies(name, base = null) {
  return LESSONS[name].map(({ spec, scale }) => {
    const body = { ...DEEP, ...spec };
    if (scale !== undefined && base) body.weights = base.weights.map((w) => w.map((row) => row.map((v) => v * scale)));
    return body;
  });
}

/** How much smaller the first layer's gradient is than the last's, in a racer's latest norms. */
export function firstToLast(norms) {
  const first = norms.at(0);
  const last = norms.at(-1);
  return first > 0 && last > 0 ? first / last : null;
}

export class LessonView {
  /** @param {object} parts  name ("vanishing" | "exploding"), intro and stage elements, options, messages */
  constructor({ name, intro, stage, options, messages }) {
    Object.assign(this, { name, intro, stage, options, messages });
    this.runner = null;
  }

  async start() {
    const name = this.name;
    replaceChildren(this.intro, el("h2", {}, t(`${name}Heading`)), el("p", {}, t(`${name}Intro`)),
      el("p", { class: "lesson-why" }, t(`${name}Why`)));
    const row = el("div", { class: "lanes lanes-3" });
    this.ratios = [];
    replaceChildren(this.stage, row, el("p", { class: "lane-note" }, t("lessonBands")));
    this.lanes = LESSONS[name].map(({ title }, k) => {
      const ratio = el("p", { class: "lane-ratio" });
      this.ratios.push(ratio);
      return new Lane(row, { title: t(title), colour: LANE_COLOURS[k], options: this.options, settings: ratio });
    });
    const first = await api.createNetwork(lessonBodies(name)[0]);
    const rest = await Promise.all(lessonBodies(name, first).slice(1).map((b) => api.createNetwork(b)));
    const states = [first, ...rest];
    states.forEach((s, k) => (this.lanes[k].root.dataset.network = s.id));
    const data = await api.getData(first.id); // the same samples for all three
    this.lanes.forEach((lane) => lane.setPoints(data));
    this.runner = new Runner({
      ids: states.map((s) => s.id), extra: { boundary: BOUNDARY }, steps: 20,
      onResult: (k, racer) => this.show(k, racer),
      onError: (error) => this.messages.error(t("errorTitleTrain"), error),
    });
    return this.runner;
  }

  show(k, racer) {
    this.lanes[k].update(racer);
    const norms = racer.result?.history.gradient_norms.at(-1);
    const ratio = norms ? firstToLast(norms) : null;
    const dead = norms?.every((v) => v === 0);
    this.ratios[k].textContent = dead ? t("lessonDead")
      : ratio === null ? "" : t("lessonRatio", { ratio: formatNumber(ratio, 2) });
  }
}

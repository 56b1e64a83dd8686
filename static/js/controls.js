// The configuration controls, built once from GET /api/v1/options and re-rendered from a
// configuration. They never talk to the server: a change calls `onChange(next, names)` with
// the whole next configuration and the names of the properties that changed.

import { el, replaceChildren } from "./elements.js";
import { boundsOf, refusalOf } from "./refusals.js";
import { formatList } from "./format.js";
import { datasetOf, hyperparameterBounds, hyperparameterNames, hyperparametersOf, optimizerOf } from "./options.js";
import {
  CLASSIC_EXAMPLE, fixPair, isClassicExample, isLive, validLosses, validOutputs, withOptimizerDefaults,
} from "./url-config.js";
import { t } from "./strings.js";
import { createFeatureToggles } from "./feature-toggles.js";
import { fitFeatures } from "./features.js";

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

const randomSeed = () => crypto.getRandomValues(new Uint32Array(1))[0] >>> 1;

function optionList(select, values, label) {
  replaceChildren(select, values.map((value) => el("option", { value }, label(value))));
}

export class Controls {
  /**
   * @param {HTMLElement} root  the controls column
   * @param {object} options  GET /options
   * @param {(next: object, names: string[]) => void} onChange
   */
  constructor(root, options, onChange) {
    this.options = options;
    this.onChange = onChange;
    this.config = null;
    this.state = null;
    this.inputs = {};
    this.build(root);
  }

  /** Propose a new configuration: only the given properties change. */
  propose(changes) {
    let next = { ...this.config, ...changes };
    if (changes.dataset === "worked_example") Object.assign(next, CLASSIC_EXAMPLE);
    if ("dataset" in changes) next = fixPair(next, this.options, datasetOf(this.options, this.config.dataset).task);
    if ("dataset" in changes) next.features = fitFeatures(next.features, this.options, next.dataset);
    if ("outputActivation" in changes) next = fixPair(next, this.options);
    // A new optimizer starts from its own default hyperparameters (the learning rate is kept).
    if ("optimizer" in changes) next = withOptimizerDefaults(next, this.options, ["learningRate"]);
    const names = Object.keys(next).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(this.config[k]));
    if (names.length > 0) this.onChange(next, names);
  }

  // ---- building ---------------------------------------------------------------------------
  field(id, labelText, control, extra = null) {
    control.id = id;
    return el("div", { class: "field" }, el("label", { for: id }, labelText), control, extra);
  }

  select(name, values, label) {
    const select = el("select", {});
    optionList(select, values, label);
    select.addEventListener("change", () => this.propose({ [name]: select.value }));
    this.inputs[name] = select;
    return select;
  }

  /**
   * A number box that commits on change (Enter or leaving the field), not on every key. A value
   * out of the control's bounds is not sent: the field is marked and `onRefusal(name, sentence)`
   * says why; as soon as the box holds a valid value again (sent or not), `onRefusal(name, null)`.
   */
  number(name, attrs, parseValue = Number) {
    const input = el("input", { type: "number", inputmode: "decimal", ...attrs });
    const read = () => (input.value.trim() === "" ? Number.NaN : parseValue(input.value));
    const refusal = () => refusalOf(name, read(), boundsOf(input, this.options, name));
    input.addEventListener("input", () => {
      if (!refusal()) this.accept(name);
    });
    input.addEventListener("change", () => {
      const why = refusal();
      if (why) return this.refuse(name, why);
      this.accept(name);
      this.propose({ [name]: read() });
    });
    this.inputs[name] = input;
    return input;
  }

  /** Mark a control's value as refused, with the reason in the learner's words. */
  refuse(name, sentence) {
    const input = this.inputs[name];
    input.setAttribute("aria-invalid", "true");
    input.classList.add("refused");
    this.onRefusal?.(name, sentence);
  }

  /** The control holds a valid value again: unmark it and withdraw its message. */
  accept(name) {
    const input = this.inputs[name];
    if (input.getAttribute("aria-invalid") !== "true") return;
    input.removeAttribute("aria-invalid");
    input.classList.remove("refused");
    this.onRefusal?.(name, null);
  }

  /** A slider with its value shown beside it; commits when released. */
  slider(name, attrs, show) {
    const input = el("input", { type: "range", ...attrs });
    const output = el("output", { for: attrs.id ?? "" });
    input.addEventListener("input", () => (output.textContent = show(Number(input.value))));
    input.addEventListener("change", () => this.propose({ [name]: Number(input.value) }));
    this.inputs[name] = input;
    this.outputs ??= {};
    this.outputs[name] = [output, show];
    return [input, output];
  }

  build(root) {
    const o = this.options;
    const note = (key) => el("p", { class: "section-note" }, t(key));

    // Data
    const dataset = this.select("dataset", o.datasets.map((d) => d.name), (n) => t(`dataset_${n}`));
    this.datasetInfo = el("p", { class: "hint", id: "dataset-info" });
    dataset.setAttribute("aria-describedby", "dataset-info");
    const [noise, noiseOut] = this.slider("noise", { min: 0, max: 0.5, step: 0.05, id: "ctl-noise" },
      (x) => t("percent", { value: Math.round(x * 100) }));
    const [split, splitOut] = this.slider("trainFraction", { min: 0.1, max: 0.9, step: 0.1, id: "ctl-train" },
      (x) => t("percent", { value: Math.round(x * 100) }));
    const dataSeed = this.number("dataSeed", { min: 0, max: 2 ** 32 - 1, step: 1 }, (v) => Number.parseInt(v, 10));
    const newData = el("button", { type: "button", class: "small", id: "new-data" }, t("newData"));
    newData.addEventListener("click", () => this.propose({ dataSeed: randomSeed() }));

    const dataSection = el("fieldset", { class: "section", id: "section-data" },
      el("legend", {}, t("sectionData")),
      note("needsNewNetwork"),
      this.field("ctl-dataset", t("dataset"), dataset, this.datasetInfo),
      this.field("ctl-noise", t("noise"), noise, noiseOut),
      this.field("ctl-train", t("trainShare"), split, splitOut),
      el("div", { class: "field" }, el("label", { for: "ctl-seed" }, t("dataSeed")),
        Object.assign(dataSeed, { id: "ctl-seed" }), newData));

    // Network
    this.layersBox = el("div", { class: "layers", id: "layers" });
    this.featureToggles = createFeatureToggles(o, (changes) => this.propose(changes));
    const activation = this.select("activation", o.activations.hidden.map((a) => a.name), (n) => t(`activation_${n}`));
    const slope = this.number("leakySlope", { min: 0, max: 1, step: 0.01 });
    this.slopeField = this.field("ctl-slope", t("leakySlope"), slope);
    const output = this.select("outputActivation", o.activations.output.map((a) => a.name), (n) => t(`activation_${n}`));
    const loss = this.select("loss", o.losses.map((l) => l.name), (n) => t(`loss_${n}`));
    this.lossFormula = el("p", { class: "formula", id: "loss-formula" });
    loss.setAttribute("aria-describedby", "loss-formula");
    const bias = el("input", { type: "checkbox", id: "ctl-bias" });
    bias.addEventListener("change", () => this.propose({ useBias: bias.checked }));
    this.inputs.useBias = bias;
    const initSeed = this.number("initSeed", { min: 0, max: 2 ** 32 - 1, step: 1 }, (v) => Number.parseInt(v, 10));
    const newWeights = el("button", { type: "button", class: "small", id: "new-weights" }, t("newWeights"));
    newWeights.addEventListener("click", () => this.propose({ initSeed: randomSeed() }));

    const networkSection = el("fieldset", { class: "section", id: "section-network" },
      el("legend", {}, t("sectionNetwork")),
      note("needsNewNetwork"),
      this.featureToggles.element,
      this.layersBox,
      this.field("ctl-activation", t("hiddenActivation"), activation),
      this.slopeField,
      this.field("ctl-output", t("outputActivation"), output),
      this.field("ctl-loss", t("loss"), loss, this.lossFormula),
      el("div", { class: "field check" }, bias, el("label", { for: "ctl-bias" }, t("useBias"))),
      el("div", { class: "field" }, el("label", { for: "ctl-wseed" }, t("initSeed")),
        Object.assign(initSeed, { id: "ctl-wseed" }), newWeights));

    // Training
    const rate = this.number("learningRate", { min: 0, "data-min-exclusive": "", step: "any", list: "learning-rates" });
    const rates = el("datalist", { id: "learning-rates" }, LEARNING_RATES.map((r) => el("option", { value: r })));
    const optimizer = this.select("optimizer", o.optimizers.map((x) => x.name), (n) => t(`optimizer_${n}`));
    this.optimizerRule = el("p", { class: "formula", id: "optimizer-rule" });
    optimizer.setAttribute("aria-describedby", "optimizer-rule");
    this.hyperFields = {};
    const hyperBox = el("div", { class: "hyper" });
    for (const k of hyperparameterNames(o)) {
      const { min, max } = hyperparameterBounds(o, k);
      const input = this.number(k, { step: "any", min, max });
      this.hyperFields[k] = this.field(`ctl-${k}`, t(`hyper_${k}`), input);
      hyperBox.append(this.hyperFields[k]);
    }
    const batch = this.number("batchSize", { min: 1, step: 1 }, (v) => Number(v));
    const regularization = this.select("regularization", o.regularizations.map((r) => r.name), (n) => t(`regularization_${n}`));
    const regRate = this.number("regularizationRate", { min: 0, step: "any" });
    this.regRateField = this.field("ctl-regrate", t("regularizationRate"), regRate);

    const trainingSection = el("fieldset", { class: "section", id: "section-training" },
      el("legend", {}, t("sectionTraining")),
      note("keepsWeights"),
      this.field("ctl-lr", t("learningRate"), rate, rates),
      this.field("ctl-optimizer", t("optimizer"), optimizer, this.optimizerRule),
      hyperBox,
      this.field("ctl-batch", t("batchSize"), batch),
      this.field("ctl-regularization", t("regularization"), regularization),
      this.regRateField);

    replaceChildren(root, dataSection, networkSection, trainingSection);
  }

  renderLayers(config) {
    const limits = this.options.limits;
    const n = config.hidden.length;
    const button = (text, label, disabled, onClick, id) => {
      const b = el("button", { type: "button", class: "icon", "aria-label": label, title: label, disabled, id }, text);
      b.addEventListener("click", onClick);
      return b;
    };
    const setUnits = (i, units) => this.propose({ hidden: config.hidden.map((u, j) => (j === i ? units : u)) });
    const header = el("div", { class: "layers-header" },
      el("span", { class: "layers-count", id: "hidden-count" }, t(n === 1 ? "hiddenLayersOne" : "hiddenLayers", { count: n })),
      button("−", t("removeLayer"), n === 0, () => this.propose({ hidden: config.hidden.slice(0, -1) }), "remove-layer"),
      button("+", t("addLayer"), n >= limits.max_hidden_layers,
        () => this.propose({ hidden: [...config.hidden, config.hidden.at(-1) ?? 4] }), "add-layer"));
    const rows = config.hidden.map((units, i) => el("div", { class: "layer-row" },
      el("span", { class: "layer-name" }, t("layerN", { n: i + 1 })),
      button("−", t("removeUnit", { n: i + 1 }), units <= 1, () => setUnits(i, units - 1), `remove-unit-${i + 1}`),
      el("span", { class: "layer-units", id: `units-${i + 1}` }, t(units === 1 ? "unitsOne" : "units", { count: units })),
      button("+", t("addUnit", { n: i + 1 }), units >= limits.max_units, () => setUnits(i, units + 1), `add-unit-${i + 1}`)));
    // Keep keyboard focus on the button that was pressed, across the rebuild.
    const focused = document.activeElement?.id;
    replaceChildren(this.layersBox, header, rows);
    if (focused && this.layersBox.querySelector(`#${CSS.escape(focused)}`)) {
      const again = document.getElementById(focused);
      (again.disabled ? this.layersBox.querySelector("button:not([disabled])") : again)?.focus();
    }
  }

  /** Show a configuration (and the network's state, for limits that depend on the data). */
  render(config, state = this.state) {
    this.config = config;
    this.state = state;
    const o = this.options;
    const dataset = datasetOf(o, config.dataset);
    const set = (name, value) => {
      const input = this.inputs[name];
      if (input.getAttribute("aria-invalid") === "true") return; // the refused value stays in view
      input.value = value === null || value === undefined ? "" : String(value);
    };
    for (const name of ["dataset", "noise", "trainFraction", "dataSeed", "activation", "leakySlope",
      "initSeed", "learningRate", "optimizer", "batchSize", "regularization", "regularizationRate"]) {
      set(name, config[name]);
    }
    for (const [name, [output, show]] of Object.entries(this.outputs)) output.textContent = show(config[name]);
    this.datasetInfo.textContent = t(`datasetInfo_${dataset.name}`);

    const outputs = validOutputs(o, dataset);
    optionList(this.inputs.outputActivation, outputs, (n) => t(`activation_${n}`));
    set("outputActivation", config.outputActivation);
    optionList(this.inputs.loss, validLosses(o, config.outputActivation, dataset), (n) => t(`loss_${n}`));
    set("loss", config.loss);
    this.lossFormula.textContent = o.losses.find((l) => l.name === config.loss)?.formula ?? "";

    this.inputs.useBias.checked = config.useBias;
    this.inputs.initSeed.disabled = isClassicExample(config); // its one weight starts at 1
    this.slopeField.hidden = config.activation !== "leaky_relu";
    this.inputs.activation.disabled = config.hidden.length === 0; // no hidden layer, no hidden activation
    const own = hyperparametersOf(o, config.optimizer);
    for (const [k, field] of Object.entries(this.hyperFields)) {
      field.hidden = !own.includes(k);
      if (!field.hidden) set(k, config[k]);
    }
    this.optimizerRule.textContent = optimizerOf(o, config.optimizer)?.rule ?? "";
    this.regRateField.hidden = config.regularization === "none";

    const maxBatch = Math.min(o.limits.max_batch_size, state?.n_train ?? o.limits.max_batch_size);
    this.inputs.batchSize.max = String(maxBatch);
    this.inputs.trainFraction.disabled = dataset.name === "worked_example";
    this.inputs.noise.disabled = dataset.name === "worked_example";
    this.renderLayers(config);
    this.featureToggles.render(config);
  }
}

/** A one-line summary of what changed, for the notice after a change. */
export function describeChange(names, options) {
  const live = names.every(isLive);
  // A new optimizer brings its own hyperparameters: naming the optimizer is enough.
  const hyper = hyperparameterNames(options);
  const shown = names.includes("optimizer") ? names.filter((n) => !hyper.includes(n)) : names;
  const labels = formatList(shown.map((n) => t(`property_${n}`)));
  return live ? t("noticeKept", { what: labels }) : t("noticeRebuilt", { what: labels });
}

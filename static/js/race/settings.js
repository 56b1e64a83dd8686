// The racers' optimizer settings: each racer's learning rate and hyperparameters start at that
// optimizer's own defaults (GET /options → optimizers), may be changed per racer, and live in the
// URL hash as `<optimizer>.lr=…` and `<optimizer>.<hyperparameter>=…` (only values that differ
// from the defaults are written). Also the small form that edits them.

import { el } from "../elements.js";
import { hyperparameterBounds, optimizerOf } from "../options.js";
import { t } from "../strings.js";

export const RACERS = ["sgd", "momentum", "adagrad", "rmsprop", "adam"];

/** Each racer's {name, learning_rate, ...hyperparameters}: the defaults, then what the hash says. */
export function racerSettings(options, params) {
  return RACERS.map((name) => {
    const own = optimizerOf(options, name);
    const settings = { name, learning_rate: own.learning_rate, ...own.hyperparameters };
    for (const key of Object.keys(settings).filter((k) => k !== "name")) {
      const text = params.get(`${name}.${key === "learning_rate" ? "lr" : key}`);
      const value = text === null ? NaN : Number(text);
      if (text !== null && valid(options, key, value)) settings[key] = value;
    }
    return settings;
  });
}

/** True when `value` is allowed for `key` (the learning rate, or a hyperparameter's server bounds). */
export function valid(options, key, value) {
  if (!Number.isFinite(value)) return false;
  if (key === "learning_rate") return value > 0;
  const b = hyperparameterBounds(options, key);
  return (b.min_inclusive ? value >= b.min : value > b.min) && (b.max_inclusive ? value <= b.max : value < b.max);
}

/** The hash entries of settings that differ from their optimizer's defaults. */
export function settingsHash(options, all) {
  const out = [];
  for (const s of all) {
    const own = optimizerOf(options, s.name);
    const defaults = { learning_rate: own.learning_rate, ...own.hyperparameters };
    for (const [key, value] of Object.entries(s)) {
      if (key !== "name" && value !== defaults[key]) out.push(`${s.name}.${key === "learning_rate" ? "lr" : key}=${value}`);
    }
  }
  return out;
}

/** A racer's form: one number field per setting; `onChange(key, value)` gets each valid change. */
export function settingsForm(options, settings, onChange) {
  const fields = Object.entries(settings).filter(([key]) => key !== "name").map(([key, value]) => {
    const symbol = key === "learning_rate" ? "η" : hyperparameterBounds(options, key).symbol;
    const input = el("input", { type: "text", inputmode: "decimal", value: String(value), class: "racer-input",
      "data-key": key, "aria-label": t("racerSetting", { optimizer: t(`optimizer_${settings.name}`), symbol }) });
    input.addEventListener("change", () => {
      const v = Number(input.value);
      const ok = valid(options, key, v);
      input.setAttribute("aria-invalid", String(!ok));
      if (ok) onChange(key, v);
    });
    return el("label", { class: "racer-field" }, el("span", {}, symbol), input);
  });
  return el("div", { class: "racer-settings" }, fields);
}

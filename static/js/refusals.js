// Refused values in the learner's words: "Momentum must be below 1", both for a value the page
// can check itself (a control's bounds: the server's, from GET /options or the input's min/max)
// and for one the server refused (from the API error's code and params, its field and the
// validation error's type). The one place that names an API field for the learner and words a
// refused value: i18n/messages.js builds its invalid_value and limit_exceeded sentences here, so a
// server limit reads the same in the banner and beside the field. Pure functions, no DOM.
//
//   refusalOf(name, value, bounds)   the sentence for a control's value, or null when it is valid
//   boundsOf(input, options, name)   {min, max, minInclusive, maxInclusive} of a number control
//   controlOfField(field)            the control a dotted API field stands for, e.g. "momentum"
//   fieldName(field)                 the learner's name of an API field: "optimizer.momentum" → "momentum"
//   explainRefusal(error)            the sentence for a value the server refused ({field, code, params,
//                                    errors}: an ApiError or the error body itself), or null
//   limitRefusal(error, {beside})    a server limit (limit_exceeded) beside its field ("Batch size must be
//                                    at most 5,000.") or in the banner, with the value ("Batch size: 6,000
//                                    is over this server's limit of 5,000."); null when it is none
//   refusalParams(params)            an error's params with their numbers as the page writes them (5,000; 0.25)

import { formatCount, formatNumber } from "./format.js";
import { t } from "./strings.js";

/** API field (dotted, as the server names it) → the control's property name. */
const FIELDS = {
  learning_rate: "learningRate", batch_size: "batchSize", leaky_relu_slope: "leakySlope",
  "regularization.rate": "regularizationRate", "regularization.kind": "regularization", seed: "initSeed",
  "dataset.seed": "dataSeed", "dataset.noise": "noise", "dataset.train_fraction": "trainFraction",
  "dataset.n_samples": "samples", layer_sizes: "hidden", activation: "activation",
  output_activation: "outputActivation", loss: "loss", use_bias: "useBias", "optimizer.name": "optimizer",
};

function subject(name) {
  const label = t(`property_${name}`);
  return /^[a-z]/.test(label) ? label.charAt(0).toUpperCase() + label.slice(1) : label; // not "Ε" for ε
}

const show = (x) => String(x).replace("-", "−");

export function boundsOf(input, options, name) {
  const hyper = options.hyperparameters?.[name];
  if (hyper) return { min: hyper.min, max: hyper.max, minInclusive: hyper.min_inclusive, maxInclusive: hyper.max_inclusive };
  const num = (v) => (v === "" || v === null || v === undefined ? null : Number(v));
  return { min: num(input.min), max: num(input.max), minInclusive: !("minExclusive" in input.dataset),
    maxInclusive: true, whole: input.step === "1" };
}

export function refusalOf(name, value, bounds) {
  const what = { name: subject(name) };
  if (typeof value !== "number" || !Number.isFinite(value)) return t("refuseNumber", what);
  const { min, max, minInclusive, maxInclusive, whole } = bounds;
  if (whole && !Number.isInteger(value)) return t("refuseWhole", what);
  if (min !== null && (minInclusive ? value < min : value <= min)) {
    return t(minInclusive ? "refuseAtLeast" : "refuseAbove", { ...what, min: show(min) });
  }
  if (max !== null && (maxInclusive ? value > max : value >= max)) {
    return t(maxInclusive ? "refuseAtMost" : "refuseBelow", { ...what, max: show(max) });
  }
  return null;
}

export function controlOfField(field) {
  if (!field) return null;
  const path = String(field).replace(/^(body\.)?(spec\.)?/, "").replace(/\[\d+\]$/, "");
  if (FIELDS[path]) return FIELDS[path];
  const hyper = path.match(/^optimizer\.(\w+)$/);
  return hyper ? hyper[1] : null;
}

export function fieldName(field) {
  const name = controlOfField(field);
  return name ? t(`property_${name}`) : String(field ?? "");
}

/** The limit a pydantic error names: its ctx when the API gives one, else the number its msg ends with. */
function limitOf(item) {
  const ctx = item.ctx ?? {};
  const given = ctx.lt ?? ctx.le ?? ctx.gt ?? ctx.ge ?? ctx.limit_value;
  if (given !== undefined) return given;
  const match = String(item.msg ?? "").match(/(-?[\d.]+(?:e[-+]?\d+)?)\s*$/i);
  return match ? Number(match[1]) : null;
}

const number = (v) => (typeof v !== "number" ? v : Number.isInteger(v) ? formatCount(v) : formatNumber(v, 6));

export const refusalParams = (params) => Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k, number(v)]));

export function limitRefusal(error, { beside = false } = {}) {
  if (error?.code !== "limit_exceeded") return null;
  const params = refusalParams(error.params);
  if (!beside) return t("api.limit_exceeded", { ...params, what: fieldName(error.field) });
  const name = controlOfField(error.field);
  return name && params.max !== undefined ? t("refuseAtMost", { name: subject(name), max: params.max }) : null;
}

export function explainRefusal(error) {
  const name = controlOfField(error?.field);
  if (!name) return null;
  const what = { name: subject(name) };
  const overLimit = limitRefusal(error, { beside: true });
  if (overLimit) return overLimit;
  const item = error?.errors?.[0];
  if (!item) return null;
  const limit = limitOf(item);
  if (limit === null && /^(less|greater)_than/.test(item.type)) return null;
  switch (item.type) {
    case "less_than": return t("refuseBelow", { ...what, max: show(limit) });
    case "less_than_equal": return t("refuseAtMost", { ...what, max: show(limit) });
    case "greater_than": return t("refuseAbove", { ...what, min: show(limit) });
    case "greater_than_equal": return t("refuseAtLeast", { ...what, min: show(limit) });
    case "int_type": case "int_from_float": case "int_parsing": return t("refuseWhole", what);
    case "float_type": case "float_parsing": case "finite_number": return t("refuseNumber", what);
    default: return null;
  }
}

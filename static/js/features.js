// Input features as the page's configuration holds them: `config.features` is a list of feature
// names (GET /options → input_features) or null for the raw inputs, which is also what a list
// naming exactly the raw inputs (x1, x2; x1 for a one-input set) becomes, so that a link without
// the `feat` key means what it always meant. Pure: no DOM.

import { datasetOf } from "./options.js";

/** The features a dataset offers, in the server's order ([] for a set of more than two inputs). */
export function offeredFeatures(options, dataset) {
  const all = options.input_features ?? [];
  if (dataset.n_inputs > 2) return [];
  return all.filter((f) => f.n_inputs <= dataset.n_inputs);
}

/** The names that mean "the raw inputs" for this dataset: x1 (and x2). */
function rawNames(options, dataset) {
  return offeredFeatures(options, dataset).filter((f) => f.name === "x1" || f.name === "x2").map((f) => f.name);
}

/** The feature names in force for a configuration (the raw inputs' names when it has none). */
export function chosenFeatures(config, options) {
  return config.features ?? rawNames(options, datasetOf(options, config.dataset));
}

/**
 * `names` as the configuration keeps them for this dataset: only features it offers, in the
 * server's order; null when none is left or they are exactly the raw inputs.
 */
export function fitFeatures(names, options, datasetName) {
  if (!names) return null;
  const dataset = datasetOf(options, datasetName);
  const kept = offeredFeatures(options, dataset).map((f) => f.name).filter((n) => names.includes(n));
  const raw = rawNames(options, dataset);
  if (kept.length === 0 || (kept.length === raw.length && kept.every((n, i) => n === raw[i]))) return null;
  return kept;
}

/** A link's `feat` text as a list of known names without repeats, or undefined when it is not one. */
export function readFeatureList(text, known) {
  const xs = text.split(",");
  return new Set(xs).size === xs.length && xs.every((x) => known.includes(x)) ? xs : undefined;
}

/** The features a link asks for, kept as fitFeatures keeps them; "feat" joins `ignored` when it names one
 * the dataset does not offer (x2² on a one-input set). */
export function linkFeatures(names, options, datasetName, ignored) {
  const offered = offeredFeatures(options, datasetOf(options, datasetName)).map((f) => f.name);
  if (names?.some((n) => !offered.includes(n))) ignored.push("feat");
  return fitFeatures(names, options, datasetName);
}

/** The number of input units a configuration has. */
export function inputCount(config, options) {
  const dataset = datasetOf(options, config.dataset);
  return config.features ? config.features.length : dataset.n_inputs;
}

/** A feature's label: x₁² over two inputs, x² over one. */
export function featureLabel(feature, dataset) {
  return dataset.n_inputs === 1 ? feature.label_one_input ?? feature.label : feature.label;
}

/**
 * The input units' labels for a server state's spec, or null when it feeds the raw inputs (the
 * picture then names them x₁, x₂ as ever).
 */
export function inputLabels(spec, options) {
  if (!spec?.input_features || !spec.dataset) return null;
  const dataset = datasetOf(options, spec.dataset.name);
  const byName = new Map((options.input_features ?? []).map((f) => [f.name, f]));
  return spec.input_features.map((n) => (byName.has(n) ? featureLabel(byName.get(n), dataset) : n));
}

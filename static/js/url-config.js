// The configuration of a run as a typed table that round-trips through the URL hash, so a
// link reproduces a run (seeds included). The session id is never part of it: it is private
// to whoever created the network. Defaults, hyperparameter names and their bounds, and the
// natural output/loss pairs come from GET /options (options.js); this table adds only the
// hash keys and the page's own checks of a typed-in link.
//
// A configuration is a flat object, e.g.
//   { dataset: "xor", noise: 0, trainFraction: 0.5, batchSize: 10, dataSeed: 7, initSeed: 11,
//     hidden: [4, 2], activation: "tanh", leakySlope: 0.01, outputActivation: "sigmoid",
//     loss: "binary_cross_entropy", optimizer: "adam", learningRate: 0.03, beta1: 0.9, ...,
//     regularization: "none", regularizationRate: 0 }
// with one entry per hyperparameter name of any optimizer (null when the chosen optimizer
// has no such hyperparameter). `live` properties change how training continues and are sent
// with PATCH (weights kept); every other change needs a new network.

import {
  datasetOf, hyperparameterBounds, hyperparameterNames, hyperparametersOf, naturalPair, optimizerOf,
} from "./options.js";

/** Hash keys of hyperparameters whose key is not their name (links already shared use them). */
const HYPER_KEYS = { momentum: "mom", beta1: "b1", beta2: "b2", epsilon: "eps" };

/** Every property: its name in the configuration, its key in the hash, its type. */
export const PROPERTIES = [
  { name: "dataset", key: "data", type: "choice", choices: (o) => o.datasets.map((d) => d.name) },
  { name: "noise", key: "noise", type: "number", min: 0, max: 0.5 },
  { name: "trainFraction", key: "train", type: "number", min: 0.01, max: 1 },
  { name: "samples", key: "samples", type: "int", min: 1, max: (o) => o.limits.max_samples },
  { name: "dataSeed", key: "seed", type: "seed" },
  { name: "hidden", key: "hidden", type: "ints", min: 1, max: (o) => o.limits.max_units },
  { name: "useBias", key: "bias", type: "bool" },
  { name: "activation", key: "act", type: "choice", choices: (o) => o.activations.hidden.map((a) => a.name) },
  { name: "leakySlope", key: "slope", type: "number", min: 0, max: 1 },
  { name: "outputActivation", key: "out", type: "choice", choices: (o) => o.activations.output.map((a) => a.name) },
  { name: "loss", key: "loss", type: "choice", choices: (o) => o.losses.map((l) => l.name) },
  { name: "initSeed", key: "wseed", type: "seed" },
  { name: "batchSize", key: "batch", type: "int", min: 1, max: (o) => o.limits.max_batch_size, live: true },
  { name: "optimizer", key: "opt", type: "choice", choices: (o) => o.optimizers.map((x) => x.name), live: true },
  { name: "learningRate", key: "lr", type: "number", min: 1e-9, max: 1e6, live: true },
  { name: "regularization", key: "reg", type: "choice", choices: (o) => o.regularizations.map((r) => r.name), live: true },
  { name: "regularizationRate", key: "regrate", type: "number", min: 0, max: 1e6, live: true },
];

const BY_NAME = new Map(PROPERTIES.map((p) => [p.name, p]));

/** Hash keys of the page's own options, not of the run (classroom.js's `hide`): kept in the hash, never configured. */
export const PAGE_KEYS = ["hide"];

/** The hyperparameters' rows (live, bounds from the server), placed after the learning rate. */
function hyperProperties(options) {
  return hyperparameterNames(options).map((name) => {
    const b = hyperparameterBounds(options, name);
    return { name, key: HYPER_KEYS[name] ?? name, type: "number", min: b.min, max: b.max,
      minInclusive: b.min_inclusive, maxInclusive: b.max_inclusive, live: true, hyper: true };
  });
}

/** Every row of the table for this server's options. */
export function propertiesOf(options) {
  const at = PROPERTIES.findIndex((p) => p.name === "learningRate") + 1;
  return [...PROPERTIES.slice(0, at), ...hyperProperties(options), ...PROPERTIES.slice(at)];
}

const resolve = (bound, options) => (typeof bound === "function" ? bound(options) : bound);

/** Output activations the dataset allows (softmax needs at least two output units). */
export function validOutputs(options, dataset) {
  return options.activations.output.map((a) => a.name).filter((name) => name !== "softmax" || dataset.n_targets >= 2);
}

/**
 * Losses that go with this output activation on this dataset: a loss tied to one output
 * (cross-entropies) only with that output, and only for class labels (their targets lie in
 * [0, 1]; regression targets may not).
 */
export function validLosses(options, outputActivation, dataset) {
  const classes = dataset.task === "binary" || dataset.task === "multiclass";
  return options.losses
    .filter((l) => l.requires_output === null || (l.requires_output === outputActivation && classes))
    .map((l) => l.name);
}

/** Make the output activation and the loss a valid pair for the dataset, keeping what we can. */
export function fixPair(config, options, previousTask) {
  const dataset = datasetOf(options, config.dataset);
  const next = { ...config };
  const natural = naturalPair(options, dataset.task);
  if (previousTask !== undefined && previousTask !== dataset.task) Object.assign(next, natural);
  if (!validOutputs(options, dataset).includes(next.outputActivation)) Object.assign(next, natural);
  const losses = validLosses(options, next.outputActivation, dataset);
  if (!losses.includes(next.loss)) {
    // The loss tied to this output if there is one, else the task's natural loss, else any that fits.
    const tied = options.losses.find((l) => l.requires_output === next.outputActivation && losses.includes(l.name));
    next.loss = tied?.name ?? (losses.includes(natural.loss) ? natural.loss : losses[0]);
  }
  return next;
}

/**
 * The optimizer's own defaults where the configuration does not say otherwise: its learning
 * rate unless `keep` names "learningRate", its own hyperparameters unless `keep` names them;
 * every other hyperparameter is null (the optimizer has none of that name).
 */
export function withOptimizerDefaults(config, options, keep = []) {
  const kind = optimizerOf(options, config.optimizer);
  const next = { ...config };
  if (!keep.includes("learningRate") && kind) next.learningRate = kind.learning_rate;
  for (const name of hyperparameterNames(options)) {
    const own = kind && name in kind.hyperparameters;
    if (!own) next[name] = null;
    else if (!keep.includes(name) || next[name] === null || next[name] === undefined) next[name] = kind.hyperparameters[name];
  }
  return next;
}

/** The default configuration: the server's creation defaults, seeds left to the server. */
export function defaultConfig(options) {
  const d = options.defaults;
  return withOptimizerDefaults({
    dataset: d.dataset.name,
    noise: d.dataset.noise,
    trainFraction: d.dataset.train_fraction,
    samples: d.dataset.n_samples,
    dataSeed: null,
    hidden: d.layer_sizes.slice(1, -1),
    useBias: d.use_bias,
    activation: d.activation,
    leakySlope: d.leaky_relu_slope,
    outputActivation: d.output_activation,
    loss: d.loss,
    initSeed: null,
    batchSize: d.batch_size,
    optimizer: d.optimizer.name,
    learningRate: d.optimizer.learning_rate,
    regularization: d.regularization.kind,
    regularizationRate: d.regularization.rate,
  }, options, ["learningRate"]);
}

/** One property's value read from its hash text, or undefined when the text is not valid. */
function parse(property, text, options) {
  const min = resolve(property.min, options);
  const max = resolve(property.max, options);
  const above = (x) => min === undefined || (property.minInclusive === false ? x > min : x >= min);
  const below = (x) => max === undefined || (property.maxInclusive === false ? x < max : x <= max);
  const inRange = (x) => Number.isFinite(x) && above(x) && below(x);
  switch (property.type) {
    case "choice":
      return resolve(property.choices, options).includes(text) ? text : undefined;
    case "number": {
      const x = Number(text);
      return text !== "" && inRange(x) ? x : undefined;
    }
    case "int": {
      const x = Number(text);
      return Number.isInteger(x) && inRange(x) ? x : undefined;
    }
    case "bool":
      return text === "1" ? true : text === "0" ? false : undefined;
    case "seed": {
      const x = Number(text);
      return /^\d+$/.test(text) && x <= 2 ** 32 - 1 ? x : undefined;
    }
    case "ints": {
      if (text === "") return [];
      const xs = text.split(",").map(Number);
      const ok = xs.every((x) => Number.isInteger(x) && inRange(x))
        && xs.length <= options.limits.max_hidden_layers;
      return ok ? xs : undefined;
    }
    default:
      return undefined;
  }
}

function format(property, value) {
  if (property.type === "ints") return value.join(",");
  if (property.type === "bool") return value ? "1" : "0";
  return String(value);
}

/**
 * The configuration a hash describes: `#data=xor&hidden=4,2&lr=0.03&seed=7`.
 * Missing keys take their defaults. Returns { config, ignored } where `ignored` lists the
 * hash keys whose values were not valid (the caller says so).
 */
export function fromHash(hash, options) {
  let config = defaultConfig(options);
  const ignored = [];
  const given = [];
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const properties = propertiesOf(options);
  for (const [key, text] of params) {
    if (PAGE_KEYS.includes(key)) continue;
    const property = properties.find((p) => p.key === key);
    if (!property) {
      ignored.push(key);
      continue;
    }
    const value = parse(property, text, options);
    if (value === undefined) ignored.push(key);
    else {
      config[property.name] = value;
      given.push(property.name);
    }
  }
  // What the link does not say about its optimizer is that optimizer's own default (a link with
  // opt=adam and no eps trains with Adam's ε, and with Adam's own default learning rate).
  config = withOptimizerDefaults(config, options, given);
  // Without an output and a loss in the link, the dataset's natural pair; an invalid pair is fixed.
  const dataset = datasetOf(options, config.dataset);
  const named = params.has("out") || params.has("loss");
  const fixed = fixPair(named ? config : { ...config, ...naturalPair(options, dataset.task) }, options);
  if (named && (fixed.outputActivation !== config.outputActivation || fixed.loss !== config.loss)) {
    ignored.push(...["out", "loss"].filter((k) => params.has(k)));
  }
  return { config: fixed, ignored, empty: [...params.keys()].every((key) => PAGE_KEYS.includes(key)) };
}

/** The hash for a configuration (only the chosen optimizer's hyperparameters), with the page keys of `current`. */
export function toHash(config, options, current = "") {
  const own = new Set(hyperparametersOf(options, config.optimizer));
  const params = new URLSearchParams();
  for (const property of propertiesOf(options)) {
    const value = config[property.name];
    if (value === null || value === undefined) continue;
    if (property.hyper && !own.has(property.name)) continue;
    if (property.name === "leakySlope" && config.activation !== "leaky_relu") continue;
    if (property.name === "regularizationRate" && config.regularization === "none") continue;
    params.set(property.key, format(property, value));
  }
  const page = new URLSearchParams(current.replace(/^#/, ""));
  for (const key of PAGE_KEYS) if (page.has(key)) params.set(key, page.get(key));
  // URLSearchParams writes "," as %2C; commas are legal in a fragment and easier to read.
  return "#" + params.toString().replaceAll("%2C", ",");
}

/** The optimizer part of a body: name, learning rate and its own hyperparameters only. */
export function optimizerBody(config, options) {
  const body = { name: config.optimizer, learning_rate: config.learningRate };
  for (const k of hyperparametersOf(options, config.optimizer)) {
    if (config[k] !== null && config[k] !== undefined) body[k] = config[k];
  }
  return body;
}

/** The body of POST /networks for a configuration. */
export function toCreateBody(config, options) {
  const data = datasetOf(options, config.dataset);
  const body = {
    layer_sizes: [data.n_inputs, ...config.hidden, data.n_targets],
    use_bias: config.useBias,
    activation: config.activation,
    leaky_relu_slope: config.leakySlope,
    output_activation: config.outputActivation,
    loss: config.loss,
    init: { ...options.defaults.init, seed: config.initSeed },
    optimizer: optimizerBody(config, options),
    regularization: { kind: config.regularization, rate: config.regularizationRate },
    dataset: {
      name: config.dataset,
      n_samples: config.samples,
      noise: config.noise,
      train_fraction: config.trainFraction,
      seed: config.dataSeed,
    },
    batch_size: config.batchSize,
  };
  if (isClassicExample(config)) body.weights = [[[1]]]; // the textbook starts from w = 1
  return body;
}

/**
 * The classic worked example: one input, one weight, no bias, x = 2, t = 4, starting at w = 1,
 * so that E = ½(y − t)² = 2 and, with η = 0.1, w becomes 1.4 and E 0.72 after one step.
 */
export function isClassicExample(config) {
  return config.dataset === "worked_example" && config.hidden.length === 0 && !config.useBias;
}

/** The settings that make the worked example the classic one (chosen with its dataset). */
export const CLASSIC_EXAMPLE = { hidden: [], useBias: false, optimizer: "sgd", learningRate: 0.1 };

/** The body of PATCH /networks/{id}: how training continues. */
export function toPatchBody(config, options) {
  return {
    optimizer: optimizerBody(config, options),
    regularization: { kind: config.regularization, rate: config.regularizationRate },
    batch_size: config.batchSize,
  };
}

/** The configuration a server state's spec describes (after a restore or an import). */
export function fromSpec(spec, options) {
  const config = defaultConfig(options);
  const opt = spec.optimizer ?? {};
  Object.assign(config, {
    hidden: spec.layer_sizes.slice(1, -1),
    useBias: spec.use_bias ?? true,
    activation: spec.activation,
    leakySlope: spec.leaky_relu_slope,
    outputActivation: spec.output_activation,
    loss: spec.loss,
    initSeed: spec.init?.seed ?? null,
    batchSize: spec.batch_size,
    optimizer: opt.name,
    learningRate: opt.learning_rate,
    regularization: spec.regularization?.kind ?? "none",
    regularizationRate: spec.regularization?.rate ?? 0,
  });
  const given = hyperparametersOf(options, opt.name).filter((k) => opt[k] !== undefined && opt[k] !== null);
  for (const k of given) config[k] = opt[k];
  if (spec.dataset) {
    Object.assign(config, {
      dataset: spec.dataset.name,
      noise: spec.dataset.noise,
      trainFraction: spec.dataset.train_fraction,
      samples: spec.dataset.n_samples,
      dataSeed: spec.dataset.seed,
    });
  }
  return withOptimizerDefaults(config, options, ["learningRate", ...given]);
}

/** True when the two configurations describe the same network and data (live settings aside). */
export function sameNetwork(a, b) {
  return PROPERTIES.every((p) => p.live || JSON.stringify(a[p.name]) === JSON.stringify(b[p.name]));
}

/** The names of the properties that differ between two configurations. */
export function changedProperties(a, b) {
  return Object.keys({ ...a, ...b }).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/**
 * True when changing this property keeps the weights (PATCH); false when it needs a new network.
 * The names outside the fixed table are the optimizers' hyperparameters: all live.
 */
export function isLive(name) {
  return BY_NAME.has(name) ? Boolean(BY_NAME.get(name).live) : true;
}

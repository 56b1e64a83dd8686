// The configuration of a run as a typed table that round-trips through the URL hash, so a
// link reproduces a run (seeds included). The session id is never part of it: it is private
// to whoever created the network.
//
// A configuration is a flat object, e.g.
//   { dataset: "xor", noise: 0, trainFraction: 0.5, batchSize: 10, dataSeed: 7, initSeed: 11,
//     hidden: [4, 2], activation: "tanh", leakySlope: 0.01, outputActivation: "sigmoid",
//     loss: "binary_cross_entropy", optimizer: "sgd", learningRate: 0.03, momentum: 0.9, ...,
//     regularization: "none", regularizationRate: 0 }
// `live` properties change how training continues and are sent with PATCH (weights kept);
// every other change needs a new network.

const HYPERPARAMETERS = ["momentum", "rho", "beta1", "beta2", "epsilon"];

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
  { name: "momentum", key: "mom", type: "number", min: 0, max: 0.9999, live: true, hyper: true },
  { name: "rho", key: "rho", type: "number", min: 0, max: 0.9999, live: true, hyper: true },
  { name: "beta1", key: "b1", type: "number", min: 0, max: 0.9999, live: true, hyper: true },
  { name: "beta2", key: "b2", type: "number", min: 0, max: 0.9999999, live: true, hyper: true },
  { name: "epsilon", key: "eps", type: "number", min: 1e-20, max: 1, live: true, hyper: true },
  { name: "regularization", key: "reg", type: "choice", choices: (o) => o.regularizations.map((r) => r.name), live: true },
  { name: "regularizationRate", key: "regrate", type: "number", min: 0, max: 1e6, live: true },
];

const BY_NAME = new Map(PROPERTIES.map((p) => [p.name, p]));

const resolve = (bound, options) => (typeof bound === "function" ? bound(options) : bound);

/** The names of the optimizer's own hyperparameters, e.g. ["beta1", "beta2", "epsilon"] for Adam. */
export function hyperparametersOf(options, optimizer) {
  const kind = options.optimizers.find((o) => o.name === optimizer);
  return kind ? Object.keys(kind.hyperparameters).filter((k) => HYPERPARAMETERS.includes(k)) : [];
}

/** The dataset's description from GET /options (n_inputs, n_targets, task, extent). */
export function datasetOf(options, name) {
  return options.datasets.find((d) => d.name === name) ?? options.datasets[0];
}

/** The natural output activation and loss for a kind of task. */
export function naturalPair(task) {
  if (task === "binary") return { outputActivation: "sigmoid", loss: "binary_cross_entropy" };
  if (task === "multiclass") return { outputActivation: "softmax", loss: "cross_entropy" };
  return { outputActivation: "linear", loss: "mse" };
}

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
  if (previousTask !== undefined && previousTask !== dataset.task) Object.assign(next, naturalPair(dataset.task));
  if (!validOutputs(options, dataset).includes(next.outputActivation)) {
    Object.assign(next, naturalPair(dataset.task));
  }
  const losses = validLosses(options, next.outputActivation, dataset);
  if (!losses.includes(next.loss)) {
    const tied = options.losses.find((l) => l.requires_output === next.outputActivation && losses.includes(l.name));
    next.loss = tied ? tied.name : "mse";
  }
  return next;
}

/** The default configuration: the server's creation defaults, seeds left to the server. */
export function defaultConfig(options) {
  const d = options.defaults;
  const hyper = {};
  for (const kind of options.optimizers) {
    for (const [k, v] of Object.entries(kind.hyperparameters)) hyper[k] ??= v;
  }
  return {
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
    ...Object.fromEntries(HYPERPARAMETERS.map((k) => [k, hyper[k] ?? null])),
    regularization: d.regularization.kind,
    regularizationRate: d.regularization.rate,
  };
}

/** One property's value read from its hash text, or undefined when the text is not valid. */
function parse(property, text, options) {
  const min = resolve(property.min, options);
  const max = resolve(property.max, options);
  const inRange = (x) => Number.isFinite(x) && (min === undefined || x >= min) && (max === undefined || x <= max);
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
  const config = defaultConfig(options);
  const ignored = [];
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  for (const [key, text] of params) {
    const property = PROPERTIES.find((p) => p.key === key);
    if (!property) {
      ignored.push(key);
      continue;
    }
    const value = parse(property, text, options);
    if (value === undefined) ignored.push(key);
    else config[property.name] = value;
  }
  // Without an output and a loss in the link, the dataset's natural pair; an invalid pair is fixed.
  const dataset = datasetOf(options, config.dataset);
  const named = params.has("out") || params.has("loss");
  const fixed = fixPair(named ? config : { ...config, ...naturalPair(dataset.task) }, options);
  if (named && (fixed.outputActivation !== config.outputActivation || fixed.loss !== config.loss)) {
    ignored.push(...["out", "loss"].filter((k) => params.has(k)));
  }
  return { config: fixed, ignored, empty: [...params.keys()].length === 0 };
}

/** The hash for a configuration; only the chosen optimizer's hyperparameters are written. */
export function toHash(config, options) {
  const own = new Set(hyperparametersOf(options, config.optimizer));
  const params = new URLSearchParams();
  for (const property of PROPERTIES) {
    const value = config[property.name];
    if (value === null || value === undefined) continue;
    if (property.hyper && !own.has(property.name)) continue;
    if (property.name === "leakySlope" && config.activation !== "leaky_relu") continue;
    if (property.name === "regularizationRate" && config.regularization === "none") continue;
    params.set(property.key, format(property, value));
  }
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
    layer_sizes: [data.n_inputs, ...config.hidden, outputUnits(config, options)],
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

/** The number of output units the dataset needs. */
export function outputUnits(config, options) {
  return datasetOf(options, config.dataset).n_targets;
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
  for (const k of HYPERPARAMETERS) if (opt[k] !== undefined && opt[k] !== null) config[k] = opt[k];
  if (spec.dataset) {
    Object.assign(config, {
      dataset: spec.dataset.name,
      noise: spec.dataset.noise,
      trainFraction: spec.dataset.train_fraction,
      samples: spec.dataset.n_samples,
      dataSeed: spec.dataset.seed,
    });
  }
  return config;
}

/** True when the two configurations describe the same network and data (live settings aside). */
export function sameNetwork(a, b) {
  return PROPERTIES.every((p) => p.live || JSON.stringify(a[p.name]) === JSON.stringify(b[p.name]));
}

/** The names of the properties that differ between two configurations. */
export function changedProperties(a, b) {
  return PROPERTIES.filter((p) => JSON.stringify(a[p.name]) !== JSON.stringify(b[p.name])).map((p) => p.name);
}

/** True when changing this property keeps the weights (PATCH); false when it needs a new network. */
export function isLive(name) {
  return Boolean(BY_NAME.get(name)?.live);
}

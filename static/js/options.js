// What the page reads from GET /api/v1/options, in one place: the server owns every default,
// name, bound and valid pair, and the page never keeps a copy of them. Pure functions of the
// options document, no DOM.
//
//   datasetOf(options, name)             a dataset's {name, task, n_inputs, n_targets, extent}
//   optimizerOf(options, name)           an optimizer's {name, rule, learning_rate, hyperparameters}
//   hyperparametersOf(options, name)     the names of that optimizer's own hyperparameters
//   hyperparameterNames(options)         every hyperparameter name of any optimizer
//   hyperparameterBounds(options, name)  {min, max, min_inclusive, max_inclusive}: the server's bounds
//   activationRange(options, name)       [lo, hi] of a = f(z), or null when unbounded
//   naturalPair(options, task)           {outputActivation, loss} natural for a kind of task
//   isNaturalPair(options, loss, output) true when δ of the output layer is exactly y − t

export function datasetOf(options, name) {
  return options.datasets.find((d) => d.name === name) ?? options.datasets[0];
}

export function optimizerOf(options, name) {
  return options.optimizers.find((o) => o.name === name) ?? null;
}

export function hyperparametersOf(options, name) {
  return Object.keys(optimizerOf(options, name)?.hyperparameters ?? {});
}

export function hyperparameterNames(options) {
  return Object.keys(options.hyperparameters);
}

export function hyperparameterBounds(options, name) {
  return options.hyperparameters[name];
}

export function activationRange(options, name) {
  const all = [...options.activations.hidden, ...options.activations.output];
  return all.find((a) => a.name === name)?.range ?? null;
}

export function naturalPair(options, task) {
  const pair = options.tasks[task] ?? options.tasks.custom;
  return { outputActivation: pair.output_activation, loss: pair.loss };
}

export function isNaturalPair(options, loss, outputActivation) {
  return options.losses.find((l) => l.name === loss)?.natural_output === outputActivation;
}

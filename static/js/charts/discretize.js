// The output drawn as classes ("discretize output"): each point of the plane takes the colour
// of the class the network gives it, as accuracy counts it on the server: a binary task's one
// output against its decision threshold (GET /options: the output activation's
// `decision_threshold`; above it is the positive class), several outputs by the largest (the
// first of equals). The values are the /boundary answer's; nothing else is computed.

import { classColour, diverging } from "../colours.js";

const STRENGTH = 0.85; // as strong as the smooth picture's ends, so that the samples still stand out

/** The output activation's decision threshold from GET /options, or null. */
export function thresholdOf(options, outputActivation) {
  return options.activations.output.find((a) => a.name === outputActivation)?.decision_threshold ?? null;
}

/** True when a network of this task and output count has classes to draw. */
export function hasClasses(task, nOutputs) {
  return (task === "binary" && nOutputs === 1) || (task === "multiclass" && nOutputs > 1);
}

/** The class of point i: 1 or 0 for one output against `threshold`, else the index of the largest output. */
export function classAt(maps, i, threshold) {
  if (maps.length === 1) return maps[0][i] > threshold ? 1 : 0;
  let best = 0;
  for (let k = 1; k < maps.length; k++) if (maps[k][i] > maps[best][i]) best = k;
  return best;
}

/**
 * colourOf(i) for boundary.js's picture of decoded output `maps`, or null when the task has no
 * classes (a regression) or no threshold is known. Binary classes take the ends of the diverging
 * scale (class 0 orange, class 1 blue, as the smooth picture), several classes their own colours.
 */
export function discreteColours(maps, task, threshold) {
  if (!hasClasses(task, maps.length) || (maps.length === 1 && typeof threshold !== "number")) return null;
  const colours = maps.length === 1 ? [diverging(-STRENGTH), diverging(STRENGTH)]
    : maps.map((_, k) => classColour(k, STRENGTH));
  return (i) => colours[classAt(maps, i, threshold)];
}

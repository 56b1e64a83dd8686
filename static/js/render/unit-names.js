// The names of the network's units as the picture, the inspector, the explanations and screen
// readers say them: x₁ … for the inputs (or their features' labels, x₁², sin x₂ …, when the
// network has input features: `inputs` below, from features.js inputLabels), h2.3 for hidden
// layer 2's third unit, y₁ … for the outputs. Pure.

import { t } from "../strings.js";

const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";

function subscript(n) {
  return String(n).split("").map((d) => SUBSCRIPTS[Number(d)]).join("");
}

/**
 * "x₁" (or the feature's label, "x₁²"), "h1.3", "y₁" for unit `unit` of node layer `layer`
 * (0 = the inputs); `inputs` is the input units' labels, or null/absent for the raw inputs.
 */
export function shortName(layer, unit, sizes, inputs = null) {
  if (layer === 0) return inputs?.[unit] ?? `x${subscript(unit + 1)}`;
  if (layer === sizes.length - 1) return `y${subscript(unit + 1)}`;
  return `h${layer}.${unit + 1}`;
}

/** "input x₁" ("input sin x₂"), "hidden 1 · unit 3", "output y₁". */
export function unitName(layer, unit, sizes, inputs = null) {
  if (layer === 0) return t("nv.name.input", { name: shortName(layer, unit, sizes, inputs) });
  if (layer === sizes.length - 1) return t("nv.name.output", { name: shortName(layer, unit, sizes) });
  return t("nv.name.hidden", { layer, unit: unit + 1 });
}

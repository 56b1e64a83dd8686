// The names of the network's units as the picture, the inspector and screen readers say them:
// x₁ … for the inputs, h2.3 for hidden layer 2's third unit, y₁ … for the outputs. Pure.

import { t } from "../strings.js";

const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";

function subscript(n) {
  return String(n).split("").map((d) => SUBSCRIPTS[Number(d)]).join("");
}

/** "x₁", "h1.3", "y₁" for unit `unit` of node layer `layer` (0 = the inputs). */
export function shortName(layer, unit, sizes) {
  if (layer === 0) return `x${subscript(unit + 1)}`;
  if (layer === sizes.length - 1) return `y${subscript(unit + 1)}`;
  return `h${layer}.${unit + 1}`;
}

/** "input x₁", "hidden 1 · unit 3", "output y₁". */
export function unitName(layer, unit, sizes) {
  if (layer === 0) return t("nv.name.input", { name: shortName(layer, unit, sizes) });
  if (layer === sizes.length - 1) return t("nv.name.output", { name: shortName(layer, unit, sizes) });
  return t("nv.name.hidden", { layer, unit: unit + 1 });
}

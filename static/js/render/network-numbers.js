// The numbers written on a small network's picture, each in the phase that computes it: in
// the forward pass z above and a below every unit the signal has reached; going backward δ
// below every unit whose δ is known and f′(z) above the units of the layer being formed; in
// the update Δw on every weight (its short form; the legend says what it is). Pure: the picture's display model in, SVG texts out.
//
//   isSmall(sizes)                         true for networks of at most SMALL_UNITS units
//   numberLabels(pic, geo, derivativeOf)   → [svg text] (none for larger networks); derivativeOf(k, u)
//                                          answers unit u of layer k's mean f′(z), or null while unknown
//
// DOM hooks: `text.nv-number` with `data-quantity` (z, a, grad_z, derivative, weight_deltas),
// `data-layer` and `data-unit` (units) or `data-from`/`data-to` (weights), and `data-value`.

import { svg } from "../elements.js";
import { compact, formatValue } from "../format.js";
import { t } from "../strings.js";
import { columnMeans } from "./network-geometry.js";
import { beatOf } from "./network-model.js";

export const SMALL_UNITS = 12;

export function isSmall(sizes) {
  return sizes.reduce((sum, n) => sum + n, 0) <= SMALL_UNITS;
}

const SYMBOL = { z: "z", a: "a", grad_z: "δ", derivative: "f′", weight_deltas: "Δw" };

function label(x, y, quantity, value, data, short = null) {
  return svg("text", { x: x.toFixed(1), y: y.toFixed(1), class: `nv-number nv-number-${quantity}`,
    "text-anchor": "middle", "data-quantity": quantity, "data-value": String(value), ...data },
  short ? short(value) : `${SYMBOL[quantity]} = ${formatValue(value)}`);
}

export function numberLabels(pic, geo, derivativeOf) {
  const { trace, phase, display: d, sizes } = pic;
  if (!trace || !phase || !sizes || !isSmall(sizes)) return [];
  const out = [];
  const done = (k) => d.focusLayer !== k || pic.tween >= d.arrive[1];
  const above = (k, u) => geo.ys[k][u] - geo.r - 5;
  const below = (k, u) => geo.ys[k][u] + geo.r + 13;
  const unit = (k, u) => ({ "data-layer": k, "data-unit": u });
  if (phase.kind === "forward" || phase.kind === "loss") {
    for (let k = 1; k < sizes.length; k++) {
      if (!d.nodeValues[k] || !done(k)) continue;
      const z = columnMeans(trace.forward[k - 1].z);
      d.nodeValues[k].forEach((a, u) => out.push(
        label(geo.xs[k], above(k, u), "z", z[u], unit(k, u)), label(geo.xs[k], below(k, u), "a", a, unit(k, u))));
    }
  } else if (phase.kind === "backward") {
    const beat = beatOf(pic);
    for (let k = 1; k < sizes.length; k++) {
      if (k === phase.layer && beat !== "flow") {
        for (let u = 0; u < sizes[k]; u++) {
          const f = derivativeOf(k, u);
          if (f !== null && f !== undefined) out.push(label(geo.xs[k], above(k, u), "derivative", f, unit(k, u)));
        }
      }
      if (!d.nodeValues[k] || !done(k)) continue;
      d.nodeValues[k].forEach((delta, u) => out.push(label(geo.xs[k], below(k, u), "grad_z", delta, unit(k, u))));
    }
  } else if (phase.kind === "update" && pic.tween >= 1) {
    out.push(svg("text", { x: geo.xs[0] - geo.r, y: geo.height - 6, class: "nv-numbers-key" },
      t("nv.numbers.weightDeltas")));
    trace.update.forEach((u, l) => u.weight_deltas.forEach((row, i) => row.forEach((dw, j) => {
      // Spread along the gap by the target, so that the labels of one source part.
      const f = 0.2 + (0.6 * (j + 0.5)) / sizes[l + 1];
      const x = geo.xs[l] + (geo.xs[l + 1] - geo.xs[l]) * f;
      const y = geo.ys[l][i] + (geo.ys[l + 1][j] - geo.ys[l][i]) * f + 3.5;
      out.push(label(x, y, "weight_deltas", dw, { "data-layer": l, "data-from": i, "data-to": j }, compact));
    })));
  }
  return out;
}

// The signal of one phase on its way: small dots that travel along the weights the phase's
// signal takes (forward: from the inputs of a layer to its units; backward: from layer L+1's δ
// back along weights[L] into layer L, or from the loss into the output units), the strongest
// ones only (animate.js's pulsePlan), and the arrows they leave behind so that a still picture
// (and prefers-reduced-motion) says the same: which weights carried the signal, which way, how much.
//
//   pulseMotion(group, geo, trace, phase, weights) → move(f) or null
//     fills `group` with the dots; move(f) puts them at fraction f ∈ [0, 1] of their way.
//   flowArrows(geo, trace, phase, weights) → [element]   one arrow per carrying weight of a
//     backward phase, at the middle of the weight, pointing the way the error flows.
//
// DOM hooks: dots `circle.nv-pulse` and arrows `path.nv-flow`, each with `data-layer` (the
// weights[l] it travels on, "loss" for the loss derivative), `data-from` and `data-to` (i and j
// of weights[l][i][j], the output unit's index for the loss).

import { pulsePlan } from "../animate.js";
import { COLORS, signColor } from "../colours.js";
import { svg } from "../elements.js";

const MAX_PULSES = 48; // signal dots per phase

/** Where each item of the plan travels: [x from, y from, x to, y to] and its data attributes. */
function routes(geo, plan) {
  const l = plan.layer;
  const top = Math.abs(plan.items[0]?.value ?? 0);
  const size = (v) => (Number.isFinite(top) && top > 0 ? Math.min(1, Math.abs(v) / top) : 1);
  return plan.items.map(({ i, j, value }) => {
    let ends;
    let data;
    if (plan.fromLoss) {
      const L = geo.L;
      ends = [geo.xs[L] + geo.r + 44, geo.ys[L][j], geo.xs[L] + geo.r, geo.ys[L][j]];
      data = { "data-layer": "loss", "data-from": j, "data-to": j };
    } else {
      ends = plan.backward
        ? [geo.xs[l + 1], geo.ys[l + 1][j], geo.xs[l], geo.ys[l][i]]
        : [geo.xs[l], geo.ys[l][i], geo.xs[l + 1], geo.ys[l + 1][j]];
      data = { "data-layer": l, "data-from": i, "data-to": j };
    }
    return { ends, data, value, size: size(value) };
  });
}

export function pulseMotion(group, geo, trace, phase, weights) {
  group.replaceChildren();
  const plan = trace && phase ? pulsePlan(trace, phase, weights, MAX_PULSES) : null;
  if (!plan || plan.items.length === 0) return null;
  const dots = routes(geo, plan).map(({ ends, data, value, size }) => {
    const dot = svg("circle", { r: (1.8 + 2.6 * size).toFixed(2), class: "nv-pulse", ...data,
      fill: signColor(value), stroke: plan.backward ? COLORS.glow : null });
    group.append(dot);
    return { dot, ends };
  });
  return (f) => {
    for (const { dot, ends: [xa, ya, xb, yb] } of dots) {
      dot.setAttribute("cx", (xa + (xb - xa) * f).toFixed(1));
      dot.setAttribute("cy", (ya + (yb - ya) * f).toFixed(1));
      dot.setAttribute("opacity", f < 0.85 ? 1 : ((1 - f) / 0.15).toFixed(2));
    }
  };
}

export function flowArrows(geo, trace, phase, weights) {
  const plan = trace && phase?.kind === "backward" ? pulsePlan(trace, phase, weights, MAX_PULSES) : null;
  if (!plan || plan.items.length === 0) return [];
  return routes(geo, plan).map(({ ends: [xa, ya, xb, yb], data, value, size }) => {
    const s = 4 + 5 * size; // half the arrow's length
    const angle = (Math.atan2(yb - ya, xb - xa) * 180) / Math.PI;
    const d = `M ${s} 0 L ${-s} ${-s * 0.7} L ${-s * 0.45} 0 L ${-s} ${s * 0.7} Z`;
    return svg("path", { d, class: "nv-flow", ...data, fill: signColor(value), stroke: "#1d1d1f", "stroke-width": 0.9,
      transform: `translate(${((xa + xb) / 2).toFixed(1)} ${((ya + yb) / 2).toFixed(1)}) rotate(${angle.toFixed(1)})` });
  });
}

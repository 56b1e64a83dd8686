// The signal dots of one phase: small circles that travel along the weights the phase's
// signal takes (forward: from the inputs of a layer to its units; backward: the other way),
// the strongest ones only (animate.js's pulsePlan).
//
//   pulseMotion(group, geo, trace, phase, weights) → move(f) or null
//     fills `group` with the dots; move(f) puts them at fraction f ∈ [0, 1] of their way.

import { pulsePlan } from "../animate.js";
import { COLORS, signColor } from "../colours.js";
import { svg } from "../elements.js";

const MAX_PULSES = 48; // signal dots per phase

export function pulseMotion(group, geo, trace, phase, weights) {
  group.replaceChildren();
  const plan = trace && phase ? pulsePlan(trace, phase, weights, MAX_PULSES) : null;
  if (!plan || plan.items.length === 0) return null;
  const l = plan.layer;
  const top = Math.abs(plan.items[0].value);
  const size = (v) => (Number.isFinite(top) && top > 0 ? Math.min(1, Math.abs(v) / top) : 1);
  const dots = plan.items.map(({ i, j, value }) => {
    const dot = svg("circle", { r: (1.8 + 2.6 * size(value)).toFixed(2), class: "nv-pulse",
      fill: plan.backward ? COLORS.glow : signColor(value) });
    group.append(dot);
    const ends = plan.backward
      ? [geo.xs[l + 1], geo.ys[l + 1][j], geo.xs[l], geo.ys[l][i]]
      : [geo.xs[l], geo.ys[l][i], geo.xs[l + 1], geo.ys[l + 1][j]];
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

// How the network picture moves into a phase: the picture's tween runs from 0 to 1 while the
// signal dots travel (network-pulses.js) and the phase's values arrive. A backward phase plays
// its beats in order (animate.js's BACKWARD_BEATS): the dots run back along weights[L] during
// the flow beat, and each later beat repaints what it reveals (layer L's δ, then the glow of
// weights[L−1]). Without animation (or with prefers-reduced-motion) the tween jumps to 1.
//
//   phaseAnimator({motion, g, pic, geo, paint, paintLinks, paintNodes, paintSignals}) → animate(on)
//     motion: animate.js's createMotion(); g: the SVG groups; pic: the picture; geo(): the layout;
//     the paint functions repaint all, the weights, the units, and the flows and numbers.

import { BACKWARD_BEATS } from "../animate.js";
import { beatOf } from "./network-model.js";
import { pulseMotion } from "./network-pulses.js";

const DURATION_MS = { update: 900, backward: 1500, forward: 700 };

export function phaseAnimator({ motion, g, pic, geo, paint, paintLinks, paintNodes, paintSignals }) {
  return function animatePhase(animate) {
    motion.cancel();
    const { phase } = pic;
    // The update's tween redraws every weight each frame: only for pictures drawn in SVG.
    const moves = phase && ((phase.kind === "update" && !pic.dense) || phase.kind === "backward"
      || (phase.kind === "forward" && phase.layer > 0));
    g.pulses.replaceChildren();
    if (!animate || !moves) {
      pic.tween = 1;
      paint();
      return;
    }
    const move = geo() ? pulseMotion(g.pulses, geo(), pic.trace, phase, pic.params.weights) : null;
    const backward = phase.kind === "backward";
    const travel = backward ? BACKWARD_BEATS.derivative : 1;
    pic.tween = 0;
    let beat = beatOf(pic);
    paint();
    motion.tween(DURATION_MS[phase.kind], (f) => {
      pic.tween = f;
      move?.(Math.min(1, f / travel));
      if (f >= 1) g.pulses.replaceChildren();
      if (backward && beatOf(pic) !== beat) {
        beat = beatOf(pic);
        paint();
        return;
      }
      if (phase.kind === "update") paintLinks();
      paintNodes();
      if (f >= 1) paintSignals();
    });
  };
}

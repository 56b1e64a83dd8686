// How many steps the next training call should carry, from the last calls' times: used by the play
// mode's pump (pump.js) and by the race page's runner (race/runner.js).
//
// A call takes about o + c·steps: a fixed cost o (the round trip, parsing, the evaluation) and c per
// step, fitted by least squares to the last calls' (steps, time); the sizes alternate between two
// (±20 %, at least one step apart) so that the fit always sees two. The next call aims at `aimMs`, or
// at 1 / OVERHEAD_SHARE times the fixed cost when that is larger: on a loaded machine the fixed cost
// alone can pass `aimMs`, and calls sized only in proportion to their time then shrank toward one
// step each, all overhead. When the fit finds that more steps cost no more time (noise beyond the
// per-step cost), the calls grow.

const WINDOW = 12; // recent calls the fit is made over
const OVERHEAD_SHARE = 0.5; // a call's fixed cost is kept to at most this share of its time

export class CallSizer {
  /** @param {object} parts  aimMs (a call's aimed time), steps (the first call's), maxSteps */
  constructor({ aimMs, steps, maxSteps }) {
    Object.assign(this, { aimMs, maxSteps });
    this.steps = steps;
    this.base = steps;
    this.seen = [];
    this.flip = false;
  }

  /** A call of `steps` took `ms`: size the next one (`this.steps`). */
  took(steps, ms) {
    this.seen = [...this.seen, [steps, ms]].slice(-WINDOW);
    const fit = linearFit(this.seen);
    const base = this.base;
    let aimed;
    if (fit && fit.c > 0) aimed = (Math.max(this.aimMs, fit.o / OVERHEAD_SHARE) - fit.o) / fit.c;
    else if (fit) aimed = 2 * base; // a larger call took no longer: grow
    else aimed = (steps * this.aimMs) / Math.max(ms, 0.25); // no fit yet: in proportion to this call's time
    const next = Math.min(base * 2, Math.max(base / 2, aimed)); // no wild swings
    this.base = Math.min(this.maxSteps, Math.max(1, 0.7 * base + 0.3 * next));
    this.flip = !this.flip;
    const low = Math.max(1, Math.round(0.8 * this.base));
    const high = Math.max(low + 1, Math.round(1.2 * this.base));
    this.steps = Math.min(this.maxSteps, this.flip ? high : low);
    return this.steps;
  }
}

/** {o, c} of ms ≈ o + c·steps fitted to the points [steps, ms] (o at least 0), or null while they are
 *  too few or their steps hardly differ. */
export function linearFit(points) {
  const n = points.length;
  if (n < 4) return null;
  const meanS = points.reduce((a, [s]) => a + s, 0) / n;
  const meanT = points.reduce((a, [, t]) => a + t, 0) / n;
  let sst = 0;
  let sss = 0;
  for (const [s, t] of points) {
    sst += (s - meanS) * (t - meanT);
    sss += (s - meanS) ** 2;
  }
  if (sss < (0.1 * meanS) ** 2 * n) return null;
  const c = sst / sss;
  return { o: Math.max(0, meanT - c * meanS), c };
}

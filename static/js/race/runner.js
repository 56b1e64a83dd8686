// Plays several networks in lockstep through POST /races/train, with exactly one call in flight:
// each answer is handed to `onResult` per racer, and the next call goes out at once, sized from
// the last calls' times so that one stays near CALL_MS (call-sizer.js: or twice the calls' fixed
// cost, when a loaded machine makes that larger). A racer that diverged or went missing
// is left out of the next calls; the others go on. Pausing lets the call in flight land.
// Events: "change" (played, paused, a call sent or landed), "result" {detail: a racer's entry of an answer}.

import { trainRace } from "../api.js";
import { CallSizer } from "../call-sizer.js";

const CALL_MS = 100; // aimed time of one call (the page draws meanwhile; shorter calls spend more on overhead)
const MAX_STEPS = 500; // per call, whatever the timing says
const BOUNDARY_MS = 80; // the boundaries ride along at most this often

export class Runner extends EventTarget {
  /**
   * @param {object} parts
   * @param {string[]} parts.ids  the racers' network ids
   * @param {(k: number, racer: object) => void} parts.onResult  racer k's entry of an answer
   * @param {(error: Error) => void} parts.onError  a call failed (the runner has paused)
   * @param {object} [parts.extra]  more of the request body (boundary, path)
   * @param {number} [parts.steps]  the first call's steps (and the most for a `fixed` runner)
   * @param {boolean} [parts.fixed]  keep `steps` per call (a slow race to watch, e.g. on a surface)
   */
  constructor({ ids, onResult, onError, extra = {}, steps = 10, fixed = false }) {
    super();
    Object.assign(this, { ids, onResult, onError, extra, steps, fixed });
    this.live = ids.map(() => true);
    this.sizer = new CallSizer({ aimMs: CALL_MS, steps, maxSteps: MAX_STEPS });
    this.playing = false;
    this.inFlight = null;
  }

  play() {
    if (this.playing || !this.live.some(Boolean)) return;
    this.playing = true;
    this.dispatchEvent(new Event("change"));
    this.loop();
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.dispatchEvent(new Event("change"));
  }

  /** One call of `steps` (used by the lesson's "one step" and by the tests); resolves when it landed. */
  async once(steps) {
    while (this.inFlight) await this.inFlight;
    return this.call(steps);
  }

  async loop() {
    while (this.playing && this.live.some(Boolean)) {
      const sent = performance.now();
      const ok = await this.call(this.steps);
      if (!ok) break;
      if (!this.fixed) this.steps = this.sizer.took(this.steps, performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 0)); // let the page handle its events
    }
    if (!this.live.some(Boolean)) this.pause();
  }

  async call(steps) {
    const racers = this.ids.filter((_, k) => this.live[k]);
    if (racers.length === 0) return false;
    const body = { racers, steps, eval_every: steps, ...this.extra };
    const now = performance.now();
    if (body.boundary && now - (this.boundaryAt ?? -Infinity) < BOUNDARY_MS) delete body.boundary;
    else if (body.boundary) this.boundaryAt = now;
    this.inFlight = trainRace(body);
    this.dispatchEvent(new Event("change"));
    try {
      const answer = await this.inFlight;
      for (const racer of answer.racers) {
        const k = this.ids.indexOf(racer.id);
        if (racer.status !== "trained") this.live[k] = false;
        this.onResult(k, racer);
        this.dispatchEvent(new CustomEvent("result", { detail: racer }));
      }
      return true;
    } catch (error) {
      this.pause();
      this.onError(error);
      return false;
    } finally {
      this.inFlight = null;
      this.dispatchEvent(new Event("change"));
    }
  }
}

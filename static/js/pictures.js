// Keeps the pictures beside the network current: the loss curve with its readout, and either
// the decision boundary with the hidden-neuron maps (2 inputs) or the fitted curve (1 input),
// both with the dataset's samples (GET /data, once per network); with one input, the input units'
// curves over x for the network picture (input-curves.js, once per network).
//
// In play mode the /train answers carry the losses, the evaluations and (every few calls) the
// boundary; they are drawn at the next animation frame. Otherwise, after each change, the
// evaluation (GET /evaluation) and the picture are fetched for the new state, one call at a
// time, the newest state winning, and kept by step number (`cache`) so that going back to an
// earlier step in the history shows that step's picture and figures. A step never drawn (it
// went by too fast) is fetched once from a short-lived copy of that state (past.js).

import { gridOver } from "./charts/fit.js";
import { InputCurves } from "./input-curves.js";
import { pictureOfPast } from "./past.js";
import { setHidden } from "./elements.js";
import { t } from "./strings.js";

const STILL = { resolution: 64, hidden_resolution: 20 }; // after a change, when paused
const PLAYING = { resolution: 50, hidden_resolution: 16 }; // in /train answers
const CACHE_LIMIT = 48; // steps whose pictures are kept

export class Pictures {
  /**
   * @param {object} parts
   * @param {import("./session.js").Session} parts.session
   * @param {import("./banner.js").Messages} parts.messages
   * @param {import("./charts/loss.js").LossChart} parts.loss
   * @param {import("./charts/boundary.js").BoundaryChart} parts.boundary
   * @param {import("./charts/boundary.js").NeuronStrip} parts.neurons
   * @param {import("./charts/fit.js").FitChart} parts.fit
   * @param {{boundary: HTMLElement, fit: HTMLElement, neurons: HTMLElement}} parts.panels
   * @param {(boundary: object, state: object) => boolean} parts.neuronMaps  hands hidden maps (or a
   *        one-input network's {inputCurves}) to the network view; false when it cannot show them
   *        (the strip shows them instead)
   * @param {(state: object) => object|null} parts.exportFor  an export document of an earlier state
   */
  constructor({ session, messages, loss, boundary, neurons, fit, panels, neuronMaps, exportFor }) {
    Object.assign(this, { session, messages, loss, boundary, neurons, fit, panels, neuronMaps, exportFor });
    this.inputs = 0;
    this.inputCurves = new InputCurves(session, neuronMaps);
    this.busy = false;
    this.stale = false;
    this.playing = false;
    this.cache = new Map(); // step -> {state, boundary?, grid?, outputs?, evaluation?}
    this.shown = null; // the earlier state the learner looks at, or null for the live network
    this.pending = null; // a boundary waiting for the next frame: [boundary, state]
    this.dataId = null; // the network whose samples are drawn
    for (const chart of [boundary, fit]) chart.onTestToggle = (on) => this.setShowTest(on);
    session.addEventListener("rebuilt", ({ detail }) => this.rebuilt(detail.state, detail.reason));
    session.addEventListener("trace", ({ detail }) => this.loss.addStep(detail.trace));
    session.addEventListener("trained", ({ detail }) => this.trained(detail.result));
  }

  /** The boundary request for /train in play mode (null for networks without 2 inputs). */
  boundaryRequest() {
    return this.inputs === 2 ? PLAYING : null;
  }

  setShowTest(on) {
    this.boundary.setShowTest(on);
    this.fit.setShowTest(on);
  }

  // ---- a new network -----------------------------------------------------------------------------
  rebuilt(state, reason) {
    this.inputs = state.extent.length; // the raw inputs (the input units may be features of them)
    this.panels.boundary.hidden = this.inputs !== 2;
    this.panels.fit.hidden = this.inputs !== 1;
    this.shown = null;
    this.loss.showAt(null);
    this.setStatus(null, true);
    if (reason === "history") {
      // The same network continued from an earlier step: its samples, and the pictures up to
      // that step, still hold; what came after it is gone.
      for (const step of this.cache.keys()) if (step > state.step) this.cache.delete(step);
      this.loss.truncate(state.step);
      return;
    }
    if (reason === "expired") return; // the same state, restored under a new id
    this.cache.clear();
    this.loss.clear();
    this.boundary.clear();
    this.fit.clear();
    this.neurons.clear();
    this.panels.neurons.hidden = true;
    this.loadSamples(state);
  }

  /** Back to step 0 (the same samples). */
  reset() {
    this.cache.clear();
    this.shown = null;
    this.loss.showAt(null);
    this.setStatus(null, true);
    this.loss.clear();
  }

  /**
   * The dataset's samples, drawn under both pictures (and handed to `onSamples`); fetched once per
   * network, and again when its data changes (`keep`: the samples drawn stay until the new ones come).
   */
  async loadSamples(state, { keep = false } = {}) {
    this.dataId = state.id;
    if (!keep) this.setSamples(null);
    try {
      const data = await this.session.data(state.id);
      if (!data || this.dataId !== state.id) return null;
      this.setSamples(data);
      return data;
    } catch (error) {
      if (!error?.expired) this.messages.error(t("errorTitlePicture"), error);
      return null;
    }
  }

  setSamples(data) {
    this.boundary.setPoints(data);
    this.fit.setPoints(data);
    this.onSamples?.(data);
  }

  // ---- play mode -----------------------------------------------------------------------------
  trained(result) {
    this.loss.addTrain(result);
    if (result.boundary) this.drawSoon(result.boundary, result.state);
    else if (this.inputs === 1 && performance.now() - (this.lastFitAt ?? 0) > 100) this.refresh({ evaluation: false });
  }

  /** Draw the newest boundary at the next frame (answers may land faster than frames). */
  drawSoon(boundary, state) {
    const first = !this.pending;
    this.pending = [boundary, state];
    if (!first) return;
    requestAnimationFrame(() => {
      const [b, s] = this.pending;
      this.pending = null;
      if (s.id === this.session.state?.id && !this.shown) this.drawBoundary(b, s, null);
    });
  }

  // ---- the state shown -------------------------------------------------------------------------
  /**
   * The learner looks at `state` (an earlier state from the step history), or at the live
   * network (null). The pictures and the readout follow; `reveal` (while a step's phases are
   * shown: {step, loss, update}) keeps the loss chart to what the shown phase has computed.
   */
  show(state, reveal = null) {
    this.loss.reveal(reveal);
    const live = this.session.state;
    const past = state && live && state.step !== live.step ? state : null;
    if (past === this.shown || (past && this.shown && past.step === this.shown.step)) return;
    this.shown = past;
    this.loss.showAt(past ? past.step : null);
    if (!past) {
      const entry = this.cache.get(live?.step);
      if (entry) this.drawEntry(entry, null);
      else this.refresh();
      this.setStatus(null, true);
      return;
    }
    const entry = this.cache.get(past.step);
    if (entry?.evaluation && (entry.boundary || entry.outputs || this.inputs > 2)) {
      this.drawEntry(entry, past);
      return;
    }
    // Until (unless) that step's picture comes, the latest one is shown, and said to be.
    const latest = this.cache.get(live.step);
    if (latest) this.drawEntry(latest, null);
    this.setStatus(past, false);
    this.fetchPast(past);
  }

  async fetchPast(state) {
    const doc = this.exportFor(state);
    if (!doc) return;
    try {
      const picture = await pictureOfPast(doc, {
        boundary: this.inputs === 2 ? STILL : null,
        grid: this.inputs === 1 ? gridOver(state.extent[0]) : null,
      });
      const entry = this.remember(state, picture);
      if (picture.evaluation) this.loss.addEvaluation(picture.evaluation);
      if (this.shown?.step === state.step) this.drawEntry(entry, state);
    } catch {
      // Not shown: the pictures keep saying that they show the latest state.
    }
  }

  /** Keep what is known about the state at `state.step`. */
  remember(state, parts) {
    const entry = { ...(this.cache.get(state.step) ?? {}), state, ...parts };
    this.cache.delete(state.step);
    this.cache.set(state.step, entry);
    while (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value);
    return entry;
  }

  /** Draw a cached picture; `past` is the earlier state it belongs to, or null for the live one. */
  drawEntry(entry, past) {
    if (entry.boundary) this.drawBoundary(entry.boundary, entry.state, past);
    else if (entry.outputs) this.drawFit(entry.grid, entry.outputs, entry.state, past);
    if (entry.evaluation) this.loss.addEvaluation(entry.evaluation);
    this.setStatus(past, true);
  }

  /** Say which step the pictures show: the live one, or the earlier one looked at (or not yet). */
  setStatus(past, drawn) {
    const live = this.session.state;
    let text = "";
    if (past && drawn) text = t("pictureLookingBack", { step: past.step, latest: live?.step ?? 0 });
    else if (past) text = t("pictureLatest", { step: past.step, latest: live?.step ?? 0 });
    this.boundary.setStatus(text, Boolean(past && drawn));
    this.fit.setStatus(text, Boolean(past && drawn));
  }

  drawBoundary(boundary, state, past) {
    this.boundary.render(boundary, state);
    if (past) {
      // The network view shows the step's phases, not the units' maps: the strip shows them.
      setHidden(this.panels.neurons, boundary.hidden.length === 0 || !this.stripShown);
      if (this.stripShown) this.neurons.render(boundary, state);
      return;
    }
    const shown = this.neuronMaps(boundary, state);
    this.stripShown = !shown;
    setHidden(this.panels.neurons, shown || boundary.hidden.length === 0);
    if (!shown) this.neurons.render(boundary, state);
  }

  drawFit(grid, outputs, state, past) {
    this.fit.render(grid, outputs, state);
    this.inputCurves.draw(state);
    if (!past) this.setStatus(null, true);
  }

  // ---- after a change ----------------------------------------------------------------------------
  /**
   * Fetch the figures and the picture for the current state (after a step, reset, patch, import);
   * `evaluation: false` while playing, for the fitted curve alone.
   */
  async refresh({ evaluation = true } = {}) {
    if (this.busy) {
      this.stale = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.stale = false;
        const state = this.session.state;
        if (!state) break;
        const inputs = state.extent.length;
        const parts = {};
        // Each read is for this network only: null if another took its place meanwhile.
        if (evaluation) parts.evaluation = await this.session.evaluation(state.id);
        if (inputs === 2) {
          parts.boundary = await this.session.boundary(STILL.resolution, STILL.hidden_resolution, state.id);
        } else if (inputs === 1) {
          parts.grid = gridOver(state.extent[0]);
          parts.outputs = (await this.session.predict(parts.grid, state.id))?.outputs;
          await this.inputCurves.load(state, parts.grid);
          this.lastFitAt = performance.now();
        }
        const now = this.session.state;
        if (now?.id !== state.id) continue; // a different network
        if (!evaluation) {
          // While playing: the curve of a state a few steps back is fine to show, not to keep.
          if (parts.outputs && !this.shown) this.drawFit(parts.grid, parts.outputs, now, null);
          continue;
        }
        if (now.step !== state.step) continue; // a newer state is on its way
        if (!parts.boundary) delete parts.boundary;
        if (!parts.outputs) delete parts.outputs;
        if (!parts.evaluation) delete parts.evaluation;
        const entry = this.remember(now, parts);
        if (parts.evaluation) this.loss.addEvaluation(parts.evaluation);
        if (!this.shown) this.drawEntry(entry, null);
      } while (this.stale);
    } catch (error) {
      if (!error?.expired) this.messages.error(t("errorTitlePicture"), error);
    } finally {
      this.busy = false;
    }
  }
}

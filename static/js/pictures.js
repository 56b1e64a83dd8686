// Keeps the pictures beside the network current: the loss curve, and either the decision
// boundary with the hidden-neuron maps (2 inputs) or the fitted curve (1 input). In play mode
// the /train answers carry the boundary; otherwise it is fetched after each change, one call
// at a time, the newest state winning.

import { gridOver } from "./charts/fit.js";
import { t } from "./strings.js";

const BOUNDARY = { resolution: 56, hidden_resolution: 20 };

export class Pictures {
  /**
   * @param {object} parts
   * @param {import("./session.js").Session} parts.session
   * @param {import("./errors.js").Messages} parts.messages
   * @param {import("./charts/loss.js").LossChart} parts.loss
   * @param {import("./charts/boundary.js").BoundaryChart} parts.boundary
   * @param {import("./charts/boundary.js").NeuronStrip} parts.neurons
   * @param {import("./charts/fit.js").FitChart} parts.fit
   * @param {{boundary: HTMLElement, fit: HTMLElement, neurons: HTMLElement}} parts.panels
   * @param {(boundary: object) => boolean} parts.neuronMaps  hands hidden maps to the network
   *        view; false when it cannot show them (the strip shows them instead)
   */
  constructor({ session, messages, loss, boundary, neurons, fit, panels, neuronMaps }) {
    Object.assign(this, { session, messages, loss, boundary, neurons, fit, panels, neuronMaps });
    this.inputs = 0;
    this.busy = false;
    this.stale = false;
    this.playing = false;
    this.lastFitAt = 0;
    this.nextBoundary = null;
    this.seen = new Map(); // training rows seen in traces: index -> [inputs, targets]
    this.points = null;
    session.addEventListener("rebuilt", ({ detail }) => this.rebuilt(detail.state));
    session.addEventListener("trace", ({ detail }) => {
      this.loss.addStep(detail.trace);
      this.collect(detail.trace);
    });
    session.addEventListener("trained", ({ detail }) => this.trained(detail.result));
  }

  /** The boundary request for /train in play mode (null for networks without 2 inputs). */
  boundaryRequest() {
    return this.inputs === 2 ? BOUNDARY : null;
  }

  /**
   * The API has no call that lists a dataset's points, but every trace carries its batch
   * with the rows' indices: once every training row has been seen (at once, when the whole
   * training set fits in one batch), the pictures draw the training points.
   */
  collect(trace) {
    const state = this.session.state;
    if (!trace.sample_indices || !trace.targets || !state || this.points) return;
    trace.sample_indices.forEach((row, b) => this.seen.set(row, [trace.inputs[b], trace.targets[b]]));
    if (this.seen.size < state.n_train) return;
    const rows = [...this.seen.values()];
    this.points = { train: { inputs: rows.map((r) => r[0]), targets: rows.map((r) => r[1]) } };
    this.boundary.setPoints(this.points);
    this.fit.setPoints(this.points);
  }

  rebuilt(state) {
    this.seen = new Map();
    this.points = null;
    this.boundary.setPoints(null);
    this.fit.setPoints(null);
    if (state.n_train <= state.spec.batch_size && state.epoch_position === 0) {
      this.session.preview().then((trace) => this.collect(trace),
        (error) => this.messages.error(t("errorTitlePicture"), error));
    }
    this.inputs = state.spec.layer_sizes[0];
    this.panels.boundary.hidden = this.inputs !== 2;
    this.panels.fit.hidden = this.inputs !== 1;
    this.loss.clear();
    this.boundary.clear();
    this.fit.clear();
    this.neurons.clear();
    this.panels.neurons.hidden = true;
  }

  trained(result) {
    this.loss.addTrain(result);
    if (result.boundary) this.drawSoon(result.boundary, result.state);
    else if (this.inputs === 1 && performance.now() - this.lastFitAt > 100) this.refresh();
  }

  /** Draw the newest boundary at the next frame (answers may land faster than frames). */
  drawSoon(boundary, state) {
    const first = !this.nextBoundary;
    this.nextBoundary = [boundary, state];
    if (!first) return;
    requestAnimationFrame(() => {
      const [b, s] = this.nextBoundary;
      this.nextBoundary = null;
    this.seen = new Map(); // training rows seen in traces: index -> [inputs, targets]
    this.points = null;
      if (s.id === this.session.state?.id) this.drawBoundary(b, s);
    });
  }

  drawBoundary(boundary, state) {
    this.boundary.render(boundary, state);
    const shown = this.neuronMaps(boundary, state);
    this.panels.neurons.hidden = shown || boundary.hidden.length === 0;
    if (!shown) this.neurons.render(boundary, state);
  }

  /** Fetch the picture for the current state (after a step, a reset, a patch, an import). */
  async refresh() {
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
        if (this.inputs === 2) {
          const answer = await this.session.boundary(BOUNDARY.resolution, BOUNDARY.hidden_resolution);
          if (this.session.state?.id === state.id) this.drawBoundary(answer, this.session.state);
        } else if (this.inputs === 1) {
          const grid = gridOver(state.extent[0]);
          const answer = await this.session.predict(grid);
          this.lastFitAt = performance.now();
          if (this.session.state?.id === state.id) this.fit.render(grid, answer.outputs, this.session.state);
        }
      } while (this.stale);
    } catch (error) {
      if (!error?.expired) this.messages.error(t("errorTitlePicture"), error);
    } finally {
      this.busy = false;
    }
  }
}

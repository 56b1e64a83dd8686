// The network the page is working on: its private id, its latest state, and one queue that
// sends its requests in order (a PATCH sent while playing lands between two /train calls,
// never in the middle of one). Other modules listen for its events:
//   "state"    {state}            any new state (after create, patch, reset, import, step, train)
//   "rebuilt"  {state, reason}    a different network (new id): pictures and history start over
//   "trace"    {trace, before}    one step's full trace and the state before it
//   "trained"  {result}           a /train answer (history, evaluations, state, boundary)
//   "evaluated" {evaluation, id}  a GET /evaluation answer for network `id` (with the units' health)

import * as api from "./api.js";

export class Session extends EventTarget {
  constructor() {
    super();
    this.id = null;
    this.state = null;
    this.tail = Promise.resolve();
    /** Called when the server no longer knows the id: answers an export to import, or null. */
    this.recover = null;
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Run `fn` after every request queued before it; the queue goes on after a failure. */
  queue(fn) {
    const run = this.tail.then(() => fn());
    this.tail = run.catch(() => {});
    return run;
  }

  /** Call `fn(id)`; if the session expired, recover it once and call again. */
  async withId(fn) {
    const id = this.id;
    try {
      return await fn(id);
    } catch (error) {
      if (!error?.expired || id !== this.id || !(await this.reimport())) throw error;
      return fn(this.id);
    }
  }

  /** Import the latest state kept in the browser under a new id (inside the queue); false if none. */
  async reimport() {
    const doc = this.recover?.();
    if (!doc) return false;
    this.adopt(await api.importNetwork(doc), "expired");
    return true;
  }

  /** The server forgot the network (seen outside the queue, e.g. by the pump): bring it back. */
  revive() {
    return this.queue(() => this.reimport());
  }

  adopt(state, reason) {
    const rebuilt = state.id !== this.id;
    this.id = state.id;
    this.state = state;
    if (rebuilt) this.emit("rebuilt", { state, reason });
    this.emit("state", { state });
    return state;
  }

  /** A new network from a creation body. */
  create(body, reason) {
    return this.queue(async () => this.adopt(await api.createNetwork(body), reason));
  }

  /** A new network from an export document (restore, import, going back in history). */
  importExport(doc, reason) {
    return this.queue(async () => this.adopt(await api.importNetwork(doc), reason));
  }

  /** Change how training continues; the weights are kept. */
  patch(changes) {
    return this.queue(() => this.withId(async (id) => this.adopt(await api.patchNetwork(id, changes))));
  }

  reset() {
    return this.queue(() => this.withId(async (id) => this.adopt(await api.resetNetwork(id))));
  }

  /** The whole export of the current state. */
  exportNow() {
    return this.queue(() => this.withId((id) => api.exportNetwork(id)));
  }

  /** One update with its trace; the state after it is fetched with it. */
  step() {
    return this.queue(() => this.withId(async (id) => {
      const before = this.state;
      const trace = await api.step(id);
      this.emit("trace", { trace, before });
      if (trace.applied) this.adopt(await api.getNetwork(id));
      return trace;
    }));
  }

  /** The next mini-batch's forward pass, changing nothing. */
  preview() {
    return this.queue(() => this.withId((id) => api.forward(id)));
  }

  /** Several updates in one call (play mode). */
  train(body, signal) {
    return this.queue(() => this.withId(async (id) => {
      const result = await api.train(id, body, signal);
      return this.trained(result, id) ? result : null;
    }));
  }

  /** Take a /train answer for network `id` (false, and nothing changes, if it was replaced since). */
  trained(result, id) {
    if (id !== this.id) return false;
    this.state = result.state;
    this.emit("trained", { result });
    this.emit("state", { state: result.state });
    return true;
  }

  /**
   * Queue a read of the network; with `forId`, only if that network is still the current one
   * when its turn comes (else the answer is null): a picture asked for one network must not
   * be asked of the next.
   */
  read(fn, forId) {
    return this.queue(() => (forId !== undefined && forId !== this.id ? null : this.withId(fn)));
  }

  predict(inputs, forId) {
    return this.read((id) => api.predict(id, inputs), forId);
  }

  boundary(resolution, hiddenResolution, forId) {
    return this.read((id) => api.getBoundary(id, resolution, hiddenResolution), forId);
  }

  /** The training and test samples of the current network. */
  data(forId) {
    return this.read((id) => api.getData(id), forId);
  }

  /** An explanation of a kept step: kind "unit", "weight" or "lossCurve" (api.js's explainUnit …). */
  explain(kind, query, forId) {
    const call = { unit: api.explainUnit, weight: api.explainWeight, lossCurve: api.lossCurve }[kind];
    return this.read((id) => call(id, query), forId);
  }

  /** Backprop against finite differences on the given batch, at the weights the network has now. */
  gradientCheck(body, forId) {
    return this.read((id) => api.gradientCheck(id, body), forId);
  }

  /** Loss and accuracy over the whole sets, for the current state. */
  evaluation(forId) {
    return this.read(async (id) => {
      const evaluation = await api.getEvaluation(id);
      this.emit("evaluated", { evaluation, id });
      return evaluation;
    }, forId);
  }
}

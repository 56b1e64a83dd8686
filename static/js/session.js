// The network the page is working on: its private id, its latest state, and one queue that
// sends its requests in order (a PATCH sent while playing lands between two /train calls,
// never in the middle of one). Other modules listen for its events:
//   "state"    {state}            any new state (after create, patch, reset, import, step, train)
//   "rebuilt"  {state, reason}    a different network (new id): pictures and history start over
//   "trace"    {trace, before}    one step's full trace and the state before it
//   "trained"  {result}           a /train answer (history, evaluations, state, boundary)

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
      if (!error?.expired || !this.recover || id !== this.id) throw error;
      const doc = this.recover();
      if (!doc) throw error;
      // Inside the queue already: import directly, not through create/importExport.
      this.adopt(await api.importNetwork(doc), "expired");
      return fn(this.id);
    }
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
      if (id !== this.id) return null; // the network was replaced while this call ran
      this.state = result.state;
      this.emit("trained", { result });
      this.emit("state", { state: result.state });
      return result;
    }));
  }

  predict(inputs) {
    return this.queue(() => this.withId((id) => api.predict(id, inputs)));
  }

  boundary(resolution, hiddenResolution) {
    return this.queue(() => this.withId((id) => api.getBoundary(id, resolution, hiddenResolution)));
  }
}

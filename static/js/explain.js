// The server's explanations of the step shown, fetched once each and kept while that step is
// the one looked at: a unit's f′(z) and terms w·δ (GET explain/unit), a weight's a·δ and paths
// (GET explain/weight), the loss along one weight (GET explain/loss-curve). Each is asked for
// by the network's id and the trace's `step`; the server keeps the last 20 applied steps, and
// an older one answers a plain "not kept" (kept here as the answer's `error`), as does, without
// asking, a step of a network that has since been replaced (its steps went with it).
//
//   new Explanations(session, onChange)
//   get(kind, trace, query) → {value} | {error} | null   null while on its way (asked for now);
//                             kind "unit" {layer, unit}, "weight" {layer, source, target, sample?},
//                             "lossCurve" {layer, source, target, points?}. onChange() runs when
//                             an answer arrives.
//   derivativeOf(trace, k, u) → unit u of layer k's batch mean f′(z), or null (asks for it)

import { t } from "./strings.js";

const KEEP = 64; // answers kept (the step shown and a few before it)

export class Explanations {
  constructor(session, onChange) {
    this.session = session;
    this.onChange = onChange;
    this.answers = new Map(); // key → {value} | {error} | {pending: true}
    this.owners = new WeakMap(); // trace → the id of the network it was taken on
    session.addEventListener("trace", ({ detail }) => this.owners.set(detail.trace, detail.before?.id ?? session.id));
  }

  /** Only applied steps are kept by the server; a diverged step has nothing to explain. */
  static explainable(trace) {
    return Boolean(trace?.update) && trace.applied !== false;
  }

  get(kind, trace, query) {
    if (!trace || !this.session.id) return null;
    if (!Explanations.explainable(trace)) return { error: { message: t("ex.notApplied") } };
    const id = this.session.id;
    // A step of a network since replaced (continued from an earlier step, restored, imported) is not kept.
    if ((this.owners.get(trace) ?? id) !== id) return { error: { message: t("ex.notKept") } };
    const full = { ...query, step: trace.step };
    const key = JSON.stringify([id, kind, full]);
    const known = this.answers.get(key);
    if (known) return known.pending ? null : known;
    this.answers.set(key, { pending: true });
    while (this.answers.size > KEEP) this.answers.delete(this.answers.keys().next().value);
    this.session.explain(kind, full, id).then(
      (value) => this.answers.set(key, value === null ? { error: null } : { value }),
      (error) => this.answers.set(key, { error }),
    ).finally(() => this.onChange?.());
    return null;
  }

  derivativeOf(trace, k, u) {
    return this.get("unit", trace, { layer: k, unit: u })?.value?.means.derivative ?? null;
  }
}

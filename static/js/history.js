// The last steps taken one by one, kept in the browser so the learner can go back to an
// earlier phase or step and look again. Each entry holds the state before the step, the
// step's trace, and the state after it. Continuing from an earlier entry needs that state on
// the server again: `exportOf` turns a state back into an export for POST /networks/import.

export const HISTORY_LIMIT = 20;

export class StepHistory {
  constructor(limit = HISTORY_LIMIT) {
    this.limit = limit;
    this.entries = [];
  }

  get length() {
    return this.entries.length;
  }

  at(i) {
    return this.entries[i] ?? null;
  }

  get last() {
    return this.entries.at(-1) ?? null;
  }

  /** Add a step; the oldest is dropped beyond the limit. Returns the new entry's index. */
  push(entry) {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
    return this.entries.length - 1;
  }

  /** Keep entries 0 … i−1 (continuing from entry i discards it and what came after). */
  keepBefore(i) {
    this.entries.length = Math.max(0, Math.min(i, this.entries.length));
  }

  clear() {
    this.entries = [];
  }
}

/** The state-dependent fields an export carries (the rest comes from the network's export). */
const STATE_FIELDS = ["spec", "weights", "biases", "optimizer_state", "step", "epoch", "epoch_position",
  "n_train", "n_test"];

/**
 * An export document for `state`, taking what a state lacks (format, initial weights, the
 * learner's own data) from `base`, an export of the same network.
 */
export function exportOf(state, base) {
  const doc = { ...base };
  for (const key of STATE_FIELDS) if (key in state) doc[key] = state[key];
  return doc;
}

// When training goes wrong inside the network: the dead and saturated hidden units that
// GET /evaluation reports (its `health`, app/nn/health.py) are marked on the network picture,
// each with its reason in its accessible label, and a note under the picture says in one line
// per kind why they matter; a constant output at chance accuracy gets a hint (learning rate,
// initialization, activation). The marks belong to the step they were measured at: a new state
// takes them away until its own evaluation comes.
//
//   healthView(health, sizes, accuracy)  pure: {refs (for view.mark), lines: [{kind, text}]}
//   new HealthMarks({session, view, host})  shows them; the note goes right after `host`

import { el } from "./elements.js";
import { shortName } from "./render/unit-names.js";
import { t } from "./strings.js";

const NAMED = 6; // units named in a note's line; the rest are counted

const percent = (x) => t("percent", { value: (x * 100).toFixed(1) });

/** "h2.1, h2.2, h2.3" (at most NAMED names, then "+ 5 more"). */
function unitList(refs, sizes) {
  const names = refs.slice(0, NAMED).map((r) => shortName(r.layer, r.unit, sizes));
  if (refs.length > NAMED) names.push(t("health.more", { count: refs.length - NAMED }));
  return names.join(t("health.listGap"));
}

/**
 * What the picture and its note show for an evaluation's `health` ({layers, output}) on a network
 * of node-layer `sizes`; `accuracy` is the evaluation's training accuracy. refs are node refs
 * {kind, layer, unit, mark: "dead" | "saturated", note} (node layer = hidden layer + 1).
 */
export function healthView(health, sizes, accuracy) {
  const refs = [];
  for (const layer of health?.layers ?? []) {
    for (const mark of ["dead", "saturated"]) {
      // A leaky ReLU unit below 0 keeps the slope α: it is not silent, only very slow.
      const key = mark === "dead" && layer.activation === "leaky_relu" ? "deadLeaky" : mark;
      for (const unit of layer[mark]) {
        refs.push({ kind: "node", layer: layer.layer + 1, unit, mark, key, note: t(`health.note.${key}`) });
      }
    }
  }
  const lines = [];
  for (const key of ["dead", "deadLeaky", "saturated"]) {
    const marked = refs.filter((r) => r.key === key);
    if (marked.length > 0) {
      lines.push({ kind: marked[0].mark, text: t(`health.${key}`, { count: marked.length, units: unitList(marked, sizes) }) });
    }
  }
  const output = health?.output;
  if (output?.constant && output.at_chance) {
    lines.push({ kind: "constant", text: t("health.constant", {
      accuracy: percent(accuracy ?? 0), chance: percent(output.chance_accuracy) }) });
  }
  return { refs, lines };
}

export class HealthMarks {
  /**
   * @param {object} parts
   * @param {import("./session.js").Session} parts.session  its "evaluated" answers carry the health
   * @param {object} parts.view  the network view (render/network.js): view.mark("health", refs)
   * @param {HTMLElement} parts.host  the note is placed right after it
   */
  constructor({ session, view, host }) {
    this.view = view;
    this.step = null; // the step the marks were measured at (null: none shown)
    this.note = el("div", { class: "health-note", id: "health-note", role: "status", hidden: true });
    host.after(this.note);
    session.addEventListener("evaluated", ({ detail }) => {
      const state = session.state;
      if (detail.id === state?.id && detail.evaluation.step === state.step) this.show(detail.evaluation, state);
    });
    session.addEventListener("state", ({ detail }) => {
      if (this.step !== null && detail.state.step !== this.step) this.clear();
    });
    session.addEventListener("rebuilt", () => this.clear());
  }

  show(evaluation, state) {
    const sizes = state.spec.layer_sizes;
    const { refs, lines } = healthView(evaluation.health, sizes, evaluation.train_accuracy);
    this.step = lines.length > 0 ? state.step : null;
    this.view.mark("health", refs);
    this.note.replaceChildren(...lines.map(({ kind, text }) => el("p", { class: `health-line health-${kind}` },
      el("span", { class: "health-swatch", "aria-hidden": "true" }), text)));
    this.note.hidden = lines.length === 0;
  }

  clear() {
    this.step = null;
    this.view.mark("health", []);
    this.note.replaceChildren();
    this.note.hidden = true;
  }
}

// The chain-rule explorer: in the backward and update phases, the unit or weight the learner pins
// is explained as mathematics — the formula in symbols, then with the step's numbers, then the
// result (explorer-formulas.js) — and pointing at a term marks on the network what it stands for.
// A weight's δ_j can be walked path by path; in the update phase the weight's update is written
// out with the optimizer's own slots (explorer-update.js); in a backward phase "Check the
// gradients" sets backprop beside finite differences (POST gradcheck) and marks each weight.
//
//   new Explorer(root, {explanations, session, view, options})   options: GET /options (the features' labels)
//   explorer.show(entry, phase)   the step shown (a history entry: {before, trace, after}) and its phase
//   explorer.select(ref)          the pinned unit or weight (null: none)
//   explorer.refresh()            an explanation arrived: draw again
//
// The network marks: "term" (pointed at), "path" (the path shown), "check" (each weight's agreement).
// DOM hooks: root `#explorer` (hidden outside the backward and update phases), `[data-part]`
// sections (unit, weight, paths, update, check), `#explorer-check` (the button), `.ex-check-result`
// with `data-max-error`, `.ex-path-position`, `.ex-sample-position`.

import { deltaKnown } from "./animate.js";
import { el, setHidden } from "./elements.js";
import { pathFormulas, unitFormulas, weightFormulas } from "./explorer-formulas.js";
import { updateFormulas } from "./explorer-update.js";
import { inputLabels } from "./features.js";
import { formatValue } from "./format.js";
import { refsOf } from "./mathml.js";
import { shortName, unitName } from "./render/unit-names.js";
import { t } from "./strings.js";

const PATHS_LISTED = 20; // paths asked for per weight
const AGREE = 1e-6; // relative error at or below which a weight agrees with finite differences

export class Explorer {
  constructor(root, { explanations, session, view, options = null }) {
    Object.assign(this, { root, explanations, session, view, options });
    this.entry = null;
    this.phase = null;
    this.ref = null;
    this.sample = 0;
    this.pathIndex = 0;
    this.check = null; // {trace, result} | {trace, pending: true} | {trace, error}
    this.pathRefs = []; // the units and weights of the path shown
    root.addEventListener("pointerover", (e) => this.point(e.target));
    root.addEventListener("focusin", (e) => this.point(e.target));
    root.addEventListener("pointerleave", () => this.view.mark("term", []));
    root.addEventListener("focusout", () => this.view.mark("term", []));
  }

  point(target) {
    this.view.mark("term", refsOf(target));
  }

  show(entry, phase) {
    const trace = entry?.trace ?? null;
    if (trace !== this.entry?.trace) {
      this.sample = 0;
      this.pathIndex = 0;
    }
    if (this.check && (this.check.trace !== trace || phase?.kind !== "backward")) {
      this.check = null;
      this.view.mark("check", []);
    }
    this.entry = entry;
    this.phase = phase;
    this.render();
  }

  select(ref) {
    if (JSON.stringify(ref) !== JSON.stringify(this.ref)) this.pathIndex = 0;
    this.ref = ref;
    this.render();
  }

  refresh() {
    this.render();
  }

  get trace() {
    return this.entry?.trace ?? null;
  }

  render() {
    const trace = this.trace;
    const active = Boolean(trace?.update) && (this.phase?.kind === "backward" || this.phase?.kind === "update");
    const wasActive = !this.root.hidden;
    setHidden(this.root, !active);
    if (!active) {
      if (!wasActive) return; // its marks are cleared already (while playing this comes at every frame)
      this.view.mark("term", []);
      this.view.mark("path", []);
      return;
    }
    const sizes = [trace.inputs[0].length, ...trace.forward.map((f) => f.a[0].length)];
    // The input units' names when they are features (x₁², sin x₂ …): the step's network's spec says which.
    this.inputs = this.options && inputLabels(this.entry.before?.spec ?? this.session.state?.spec, this.options);
    const parts = [el("h2", {}, t("ex.heading"))];
    if (this.phase.kind === "backward") parts.push(this.checkPart(trace));
    const ref = this.ref;
    this.pathRefs = [];
    if (!ref) parts.push(el("p", { class: "ex-hint" }, t("ex.pick")));
    else if (ref.kind === "node") parts.push(...this.unitParts(trace, ref, sizes));
    else parts.push(...this.weightParts(trace, ref, sizes));
    // A button pressed from the keyboard keeps the focus across the redraw.
    const focused = this.root.contains(document.activeElement) ? document.activeElement.getAttribute("aria-label") : null;
    this.root.replaceChildren(...parts);
    if (focused) this.root.querySelector(`[aria-label="${CSS.escape(focused)}"]`)?.focus();
    this.view.mark("path", this.pathRefs); // the path shown, on the network
  }

  /** The answer of an explanation, or a line saying why there is none yet. */
  answerOr(kind, query, parts) {
    const answer = this.explanations.get(kind, this.trace, query);
    if (!answer) parts.push(el("p", { class: "ex-hint" }, t("ex.loading")));
    else if (answer.error !== undefined) parts.push(el("p", { class: "ex-hint" }, answer.error?.message ?? t("ex.unavailable")));
    return answer?.value ?? null;
  }

  sampleBar(n) {
    if (n <= 1) return null;
    const button = (label, to, title) => {
      const b = el("button", { type: "button", class: "tool quiet ex-step", title, "aria-label": title }, label);
      b.disabled = to < 0 || to >= n;
      b.addEventListener("click", () => {
        this.sample = to;
        this.pathIndex = 0;
        this.render();
      });
      return b;
    };
    return el("div", { class: "ex-bar" }, button("◀", this.sample - 1, t("ex.samplePrev")),
      el("span", { class: "ex-sample-position" }, t("ex.sample", { s: this.sample + 1, n })),
      button("▶", this.sample + 1, t("ex.sampleNext")));
  }

  unitParts(trace, ref, sizes) {
    const { layer: k, unit: u } = ref;
    const title = el("h3", {}, t("ex.unitTitle", { name: unitName(k, u, sizes, this.inputs) }));
    if (k === 0) return [title, el("p", { class: "ex-hint" }, t("ex.inputUnit"))];
    if (!deltaKnown(this.phase, k)) return [title, el("p", { class: "ex-hint" }, t("ex.notYet"))];
    const parts = [title];
    const answer = this.answerOr("unit", { layer: k, unit: u }, parts);
    if (!answer) return parts;
    this.sample = Math.min(this.sample, answer.delta.length - 1);
    const why = answer.output ? t(`ex.rule.${answer.output.rule}`) : t("ex.hiddenRule");
    parts.push(el("p", { class: "ex-why" }, why), this.sampleBar(answer.delta.length),
      el("div", { class: "ex-formulas", "data-part": "unit" },
        unitFormulas(answer, ref, sizes, this.sample, this.inputs)));
    return parts;
  }

  weightParts(trace, ref, sizes) {
    const { layer: l, from: i, to: j } = ref;
    const names = { from: shortName(l, i, sizes, this.inputs), to: shortName(l + 1, j, sizes) };
    const parts = [el("h3", {}, t("ex.weightTitle", names))];
    if (!deltaKnown(this.phase, l + 1)) return [...parts, el("p", { class: "ex-hint" }, t("ex.notYet"))];
    const answer = this.answerOr("weight", { layer: l, source: i, target: j, sample: this.sample, limit: PATHS_LISTED },
      parts);
    if (answer) {
      parts.push(el("p", { class: "ex-why" }, t("ex.weightRule")),
        el("div", { class: "ex-formulas", "data-part": "weight" }, weightFormulas(answer, ref, sizes, this.inputs)));
      // Into an output unit δ_j is the loss's own: there are no paths to walk.
      if (l + 2 < sizes.length) parts.push(this.pathsPart(answer, sizes));
    }
    if (this.phase.kind === "update" && this.entry.before) {
      parts.push(el("h3", {}, t("ex.updateTitle", { name: t(`nv.optimizer.${trace.optimizer?.name ?? "sgd"}`) })),
        el("div", { class: "ex-formulas", "data-part": "update" },
          updateFormulas(trace, ref, this.entry.before.weights[l][i][j])));
    }
    return parts;
  }

  /** δ_j of the weight's target as the sum over its paths, one path at a time. */
  pathsPart(answer, sizes) {
    const box = el("section", { "data-part": "paths" });
    const target = shortName(answer.layer + 1, answer.target, sizes, this.inputs);
    const s = this.sample;
    box.append(el("h4", {}, t("ex.pathsTitle", { name: target })),
      el("p", { class: "ex-why" }, t("ex.pathsRule", { count: answer.paths_count, name: target })),
      this.sampleBar(answer.a.length) ?? "");
    const n = answer.paths.length;
    if (n === 0) return box;
    this.pathIndex = Math.min(this.pathIndex, n - 1);
    const path = answer.paths[this.pathIndex];
    this.pathRefs = path.factors.map((f) => (f.kind === "weight"
      ? { kind: "link", layer: f.layer, from: f.source, to: f.target } : { kind: "node", layer: f.layer, unit: f.unit }));
    const step = (label, to, title) => {
      const b = el("button", { type: "button", class: "tool quiet ex-step", title, "aria-label": title }, label);
      b.disabled = to < 0 || to >= n;
      b.addEventListener("click", () => {
        this.pathIndex = to;
        this.render();
      });
      return b;
    };
    box.append(
      el("div", { class: "ex-bar" }, step("◀", this.pathIndex - 1, t("ex.pathPrev")),
        el("span", { class: "ex-path-position" }, t("ex.path", { p: this.pathIndex + 1, n, count: answer.paths_count })),
        step("▶", this.pathIndex + 1, t("ex.pathNext"))),
      el("div", { class: "ex-formulas ex-path", "data-path": this.pathIndex },
        pathFormulas(answer, path, sizes, s, this.inputs)),
      el("p", { class: "ex-note" }, t("ex.pathsSum", { count: answer.paths_count, name: target,
        value: formatValue(answer.paths_sum[s]) })));
    return box;
  }

  // ---- the gradient check ---------------------------------------------------------------------------
  checkPart(trace) {
    const box = el("section", { class: "ex-check", "data-part": "check" });
    const button = el("button", { type: "button", class: "tool", id: "explorer-check", "aria-label": t("ex.check") },
      t("ex.check"));
    button.disabled = Boolean(this.check?.pending);
    button.addEventListener("click", () => this.runCheck(trace));
    box.append(button);
    const c = this.check;
    if (c?.result) {
      const { result } = c;
      const agree = result.parameters.filter((p) => p.relative_error !== null && p.relative_error <= AGREE).length;
      const line = el("p", { class: "ex-check-result", "data-max-error": String(result.max_relative_error) },
        t("ex.checkResult", { error: formatValue(result.max_relative_error), agree, n: result.parameters.length,
          step: result.step }));
      box.append(line, el("p", { class: "ex-note" }, t("ex.checkNote", { step: result.step })));
    } else if (c?.error) {
      box.append(el("p", { class: "ex-hint" }, c.error.message));
    } else {
      box.append(el("p", { class: "ex-note" }, t("ex.checkHint")));
    }
    return box;
  }

  async runCheck(trace) {
    this.check = { trace, pending: true };
    this.render();
    try {
      const result = await this.session.gradientCheck({ step: trace.step }, this.session.id);
      if (this.check?.trace !== trace) return;
      this.check = { trace, result };
      this.view.mark("check", result.parameters.filter((p) => p.kind === "weight").map((p) => ({
        kind: "link", layer: p.layer, from: p.index[0], to: p.index[1],
        mark: p.relative_error !== null && p.relative_error <= AGREE ? "agree" : "disagree" })));
    } catch (error) {
      if (this.check?.trace === trace) this.check = { trace, error };
    }
    this.render();
  }
}

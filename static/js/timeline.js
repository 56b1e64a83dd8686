// Where am I: the phases of one update (Forward → Loss → Backward layer L … 1 → Update) with
// the current one marked, the step number, and one plain sentence on what is happening now.
// The phase list and the sentences come from animate.js; this module only draws them.

import { el, replaceChildren, setText } from "./elements.js";
import { formatCount } from "./format.js";
import { t } from "./strings.js";

const GROUPS = ["forward", "loss", "backward", "update"];

/** Short name of node layer k in a network of `sizes`: x (inputs), h1 … (hidden), y (output). */
function layerShort(k, sizes) {
  if (k === 0) return t("phaseShortInput");
  if (k === sizes.length - 1) return t("phaseShortOutput");
  return t("phaseShortHidden", { k });
}

export class Timeline {
  /**
   * @param {HTMLElement} root
   * @param {{onPick: (index: number) => void}} handlers  a phase was chosen (click or keyboard)
   */
  constructor(root, { onPick }) {
    this.onPick = onPick;
    this.stepNode = el("div", { class: "timeline-step", id: "timeline-step" });
    this.track = el("ol", { class: "timeline-track", "aria-label": t("timelineLabel") });
    this.sentence = el("p", { class: "timeline-sentence", id: "phase-explanation", "aria-live": "polite" });
    this.row = el("div", { class: "timeline-row" }, this.stepNode, this.track); // main.js adds the loss line
    replaceChildren(root, this.row, this.sentence);
  }

  /**
   * @param {object} view
   * @param {number} view.step  the step shown (the step number the trace will have)
   * @param {string} [view.label]  the words before the number ("Step", or "Taking step" during its phases)
   * @param {string} view.status  a few words after the number, e.g. t("statusPlaying")
   * @param {number[]} view.sizes  layer sizes
   * @param {object[]|null} view.phases  animate.js's phases, or null when no step is shown
   * @param {number} view.index  the current phase
   * @param {string} view.title  animate.js's title of the current phase
   * @param {string} view.explanation  animate.js's sentence for it (or the page's own for idle)
   * @param {(phase: object) => string} [view.titleOf]  a phase's full title (for screen readers)
   * @param {{json: string, csv: string}|null} [view.downloads]  links to the shown step's whole trace
   */
  render({ step, label = t("stepLabel"), status, sizes, phases, index, title, explanation, titleOf, downloads = null }) {
    this.titleOf = titleOf ?? ((p) => p.id);
    // While playing only the number changes: update it alone, not the whole timeline.
    const key = JSON.stringify([label, status, sizes, phases?.map((p) => p.id), index, title, explanation, downloads]);
    if (key === this.lastKey) {
      setText(this.stepNode.querySelector(".timeline-step-value"), formatCount(step));
      return;
    }
    this.lastKey = key;
    replaceChildren(this.stepNode,
      el("span", { class: "timeline-step-label" }, label),
      el("span", { class: "timeline-step-value", id: "timeline-step-value" }, formatCount(step)),
      status ? el("span", { class: "timeline-status" }, status) : null,
      downloads ? this.downloadLinks(step, downloads) : null);

    const current = phases?.[index] ?? null;
    const groups = GROUPS.map((kind) => {
      const members = (phases ?? []).filter((p) => p.kind === kind);
      const active = current?.kind === kind;
      const done = current ? GROUPS.indexOf(kind) < GROUPS.indexOf(current.kind) : false;
      const chips = members.length > 1 || (members.length === 1 && members[0].layer !== undefined)
        ? members.map((p) => this.chip(p, p.index === index, p.index < index, layerShort(p.layer, sizes), p.diverged))
        : [];
      const head = members.length === 1 && members[0].layer === undefined
        ? this.chip(members[0], members[0].index === index, members[0].index < index, t(`phase_${kind}`),
          members[0].diverged, true)
        : el("span", { class: "group-name" }, t(`phase_${kind}`));
      return el("li", { class: `timeline-group ${kind}${active ? " active" : ""}${done ? " done" : ""}`
        + (members.length === 0 ? " absent" : "") }, head, chips.length ? el("span", { class: "chips" }, chips) : null);
    });
    replaceChildren(this.track, groups);
    replaceChildren(this.sentence,
      title ? el("strong", { class: "phase-title", id: "phase-title" }, title) : null,
      title ? " " : null,
      el("span", {}, explanation ?? ""));
  }

  /** "Download this step: JSON · CSV": the server's whole trace of the step shown, to keep or open in a spreadsheet. */
  downloadLinks(step, { json, csv }) {
    const link = (href, format, label) => el("a", {
      href, download: `step-${step}.${format}`, class: "timeline-download", "data-format": format,
      "aria-label": t("downloadStepAs", { step, format: label }),
    }, label);
    return el("span", { class: "timeline-downloads", id: "timeline-downloads" },
      t("downloadStep"), " ", link(json, "json", "JSON"), " · ", link(csv, "csv", "CSV"));
  }

  chip(phase, current, done, label, diverged, named = false) {
    const button = el("button", {
      type: "button",
      class: `phase-chip${current ? " current" : ""}${done ? " done" : ""}${diverged ? " diverged" : ""}${named ? " named" : ""}`,
      "data-phase": phase.id,
      "aria-current": current ? "step" : null,
      "aria-label": t("goToPhase", { phase: this.titleOf(phase) }),
      title: this.titleOf(phase),
    }, label);
    button.addEventListener("click", () => this.onPick(phase.index));
    return button;
  }
}

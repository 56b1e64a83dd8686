// Classroom links: `hide=<part>,<part>` in the URL hash hides chosen controls and panels, so that
// a teacher can hand out a link that shows only what a lesson needs; the "Classroom link" dialog
// builds such a link from the page as it is (its settings, with ticked parts hidden).
//
// A hidden part is `display: none` (static/css/extras.css: `html[data-hide~="<part>"] …`), so it is
// out of sight and out of the tab order. HIDEABLE lists the names, in the order the dialog shows them;
// the README's page section documents them. Unknown names are ignored.

import { el } from "./elements.js";
import { t } from "./strings.js";

/** The parts a link may hide: hash name → its label's key. */
export const HIDEABLE = [
  ["data", "hide.data"], ["network", "hide.network"], ["learning-rate", "hide.learningRate"],
  ["optimizer", "hide.optimizer"], ["batch", "hide.batch"], ["regularization", "hide.regularization"],
  ["controls", "hide.controls"], ["stepping", "hide.stepping"], ["speed", "hide.speed"], ["files", "hide.files"],
  ["language", "hide.language"], ["inspector", "hide.inspector"], ["output", "hide.output"],
  ["gradients", "hide.gradients"], ["legend", "hide.legend"],
];
const NAMES = new Set(HIDEABLE.map(([name]) => name));

/** The known part names a hash hides, in HIDEABLE's order. */
export function hiddenParts(hash) {
  const asked = new URLSearchParams(hash.replace(/^#/, "")).get("hide")?.split(",") ?? [];
  return HIDEABLE.map(([name]) => name).filter((name) => asked.includes(name));
}

/** The hash `hash` with its `hide` key set to `parts` (left out when there are none). */
export function withHidden(hash, parts) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  params.delete("hide");
  const known = parts.filter((name) => NAMES.has(name));
  if (known.length > 0) params.set("hide", known.join(","));
  const text = params.toString().replaceAll("%2C", ",");
  return text ? `#${text}` : "";
}

/** Hide what the address asks to hide (and show again what it no longer does). */
export function applyHidden(hash = window.location.hash) {
  const parts = hiddenParts(hash);
  if (parts.length > 0) document.documentElement.dataset.hide = parts.join(" ");
  else delete document.documentElement.dataset.hide;
  return parts;
}

/** The dialog that builds a classroom link; opened by its button at the end of the settings. */
function buildDialog() {
  const boxes = HIDEABLE.map(([name, key]) => {
    const box = el("input", { type: "checkbox", id: `hide-${name}`, value: name });
    return el("div", { class: "field check" }, box, el("label", { for: `hide-${name}` }, t(key)));
  });
  const link = el("input", { type: "text", id: "classroom-url", readonly: true, "aria-describedby": "classroom-note" });
  const note = el("p", { class: "section-note", id: "classroom-note" }, t("classroom.note"));
  const copy = el("button", { type: "button", id: "classroom-copy", class: "small" }, t("classroom.copy"));
  const close = el("button", { type: "button", id: "classroom-close", class: "small" }, t("classroom.close"));
  const dialog = el("dialog", { id: "classroom-dialog", class: "classroom-dialog", "aria-labelledby": "classroom-title" },
    el("h2", { id: "classroom-title" }, t("classroom.title")),
    el("p", { class: "section-note" }, t("classroom.intro")),
    el("fieldset", { class: "classroom-parts" }, el("legend", {}, t("classroom.hideLegend")), boxes),
    el("label", { for: "classroom-url", class: "classroom-url-label" }, t("classroom.link")), link, note,
    el("div", { class: "classroom-actions" }, copy, close));
  const ticked = () => boxes.map((b) => b.querySelector("input")).filter((b) => b.checked).map((b) => b.value);
  const update = () => {
    const url = new URL(window.location.href);
    url.hash = withHidden(window.location.hash, ticked());
    link.value = url.href;
  };
  dialog.addEventListener("change", update);
  copy.addEventListener("click", async () => {
    link.select();
    try {
      await navigator.clipboard.writeText(link.value);
      note.textContent = t("classroom.copied");
    } catch {
      note.textContent = t("classroom.copyByHand");
    }
  });
  close.addEventListener("click", () => dialog.close());
  return { dialog, open: () => {
    const now = hiddenParts(window.location.hash);
    for (const b of boxes) b.querySelector("input").checked = now.includes(b.querySelector("input").value);
    note.textContent = t("classroom.note");
    update();
    dialog.showModal();
  } };
}

/** Follow the address's `hide` and add the "Classroom link" button at the end of `controls`. */
export function bindClassroom(controls) {
  applyHidden();
  window.addEventListener("hashchange", () => applyHidden());
  const { dialog, open } = buildDialog();
  const button = el("button", { type: "button", id: "classroom-open", class: "small" }, t("classroom.open"));
  button.title = t("classroom.openTitle");
  button.addEventListener("click", open);
  controls.append(el("div", { class: "classroom-open" }, button), dialog);
}

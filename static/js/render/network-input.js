// Pointer and keyboard on the network picture: hovering, clicking and pinning items, and the
// roving focus (one element of the picture in the tab order; the arrow keys move it, see
// network-geometry.js's moveFrom). It keeps where the pointer and the focus are, and asks the
// view for everything else through `hooks`.
//
//   bindInput(svgRoot, hooks) → {focusRef, focusInside, hover, setRoving(ref, moveFocus), keepFocusIn()}
//     hooks.sizes()          the layer sizes (null before the first state)
//     hooks.geo()            the layout (null before it is built)
//     hooks.dense()          true when the weights are drawn on a canvas (no element per weight)
//     hooks.elementOf(ref)   the element that stands for a ref
//     hooks.labelOf(ref)     its accessible name now
//     hooks.pinned()         the pinned ref, or null
//     hooks.pin(ref)         pin (or, for the pinned ref or null, unpin)
//     hooks.changed()        hover or focus changed: repaint the marks and the inspector

import { t } from "../strings.js";
import { linkAt, moveFrom, refExists, sameRef } from "./network-geometry.js";

/**
 * The keys' help under the picture says what the arrows do now: inside the picture they move
 * within it (and the help is marked), outside they step through the phases.
 */
function showKeys(svgRoot, inside) {
  const help = svgRoot.closest(".nv-picture")?.querySelector(".nv-help");
  if (!help) return;
  help.textContent = t(inside ? "nv.helpInside" : "nv.help");
  help.classList.toggle("nv-help-inside", inside);
}

/** The ref an element of the picture stands for, or null. */
export function refFromElement(target) {
  const node = target.closest?.(".nv-node");
  if (node) return { kind: "node", layer: Number(node.dataset.layer), unit: Number(node.dataset.unit) };
  const link = target.closest?.(".nv-link");
  if (link && link.dataset.layer !== undefined) {
    return { kind: "link", layer: Number(link.dataset.layer), from: Number(link.dataset.from), to: Number(link.dataset.to) };
  }
  return null;
}

export function bindInput(svgRoot, hooks) {
  let rovingEl = null;
  const input = {
    focusRef: { kind: "node", layer: 0, unit: 0 },
    focusInside: false,
    hover: null,

    /** Make `ref` the one focusable item (and focus it when `moveFocus`). */
    setRoving(ref, moveFocus) {
      if (!hooks.geo() || !refExists(hooks.sizes(), ref)) return;
      const next = hooks.elementOf(ref);
      if (rovingEl && rovingEl !== next) rovingEl.setAttribute("tabindex", "-1");
      input.focusRef = ref;
      rovingEl = next;
      next.setAttribute("tabindex", "0");
      next.setAttribute("aria-label", hooks.labelOf(ref));
      if (moveFocus) next.focus({ preventScroll: true });
    },

    /** After a rebuild: the focus stays on its item if that still exists, else the first input. */
    keepFocusIn() {
      if (!refExists(hooks.sizes(), input.focusRef)) input.focusRef = { kind: "node", layer: 0, unit: 0 };
      rovingEl = null;
      input.setRoving(input.focusRef, false);
    },
  };

  function pointerRef(event) {
    const direct = refFromElement(event.target);
    if (direct && !(direct.kind === "link" && hooks.dense())) return direct;
    const geo = hooks.geo();
    if (!geo) return null;
    const box = svgRoot.getBoundingClientRect();
    return linkAt(geo, hooks.sizes(), event.clientX - box.left, event.clientY - box.top);
  }

  svgRoot.addEventListener("keydown", (event) => {
    const sizes = hooks.sizes();
    if (!sizes) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      hooks.pin(input.focusRef);
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (hooks.pinned()) hooks.pin(null);
      else leave(); // nothing to unpin: Escape leaves the picture, the arrows step phases again
    } else {
      const next = moveFrom(sizes, input.focusRef, event.key);
      if (!next) return;
      event.preventDefault();
      input.setRoving(next, true);
      hooks.changed();
    }
  });
  /** Hand the focus to the picture's section (outside the picture, so the arrows step phases). */
  function leave() {
    const outside = svgRoot.parentElement?.closest("[tabindex='-1']");
    if (outside) outside.focus({ preventScroll: true });
    else document.activeElement?.blur();
  }

  svgRoot.addEventListener("focusin", (event) => {
    const ref = refFromElement(event.target);
    if (ref && !sameRef(ref, input.focusRef)) input.setRoving({ ...ref, pivot: input.focusRef?.pivot }, false);
    input.focusInside = true;
    showKeys(svgRoot, true);
    hooks.changed();
  });
  svgRoot.addEventListener("focusout", (event) => {
    if (svgRoot.contains(event.relatedTarget)) return;
    input.focusInside = false;
    showKeys(svgRoot, false);
    // Repaint once the focus has landed: repainting now would replace the element it is moving
    // to (the inspector's own controls) and drop the focus on the page's body.
    setTimeout(() => hooks.changed(), 0);
  });
  // Escape unpins from anywhere on the page (a click leaves the focus outside the picture).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || svgRoot.contains(event.target) || !hooks.pinned() || !svgRoot.isConnected) return;
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
    hooks.pin(null);
  });
  // A click pins what it hits but leaves the focus where it was: the arrows keep stepping the
  // phases. The keyboard walk through the picture starts with Tab (see showKeys).
  svgRoot.addEventListener("mousedown", (event) => {
    if (refFromElement(event.target) && !svgRoot.contains(document.activeElement)) event.preventDefault();
  });
  svgRoot.addEventListener("pointermove", (event) => {
    if (!hooks.sizes()) return;
    const ref = pointerRef(event);
    if (sameRef(ref, input.hover) || (!ref && !input.hover)) return;
    input.hover = ref;
    svgRoot.classList.toggle("nv-pointing", Boolean(ref));
    hooks.changed();
  });
  svgRoot.addEventListener("pointerleave", () => {
    input.hover = null;
    hooks.changed();
  });
  svgRoot.addEventListener("click", (event) => {
    if (!hooks.sizes()) return;
    const ref = pointerRef(event);
    if (ref) {
      input.setRoving(ref, svgRoot.contains(document.activeElement));
      hooks.pin(ref);
    } else if (hooks.pinned()) hooks.pin(null);
  });
  return input;
}

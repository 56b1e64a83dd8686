// Unit maps: in a 2-input network each unit can show, inside its circle, what it computes over
// the input plane (a GET /boundary answer; an input unit its input or feature, x₁² …), coloured
// on the diverging scale: a bounded activation (its range from GET /options) fills the scale, an
// unbounded one (and an input) spans its own largest value. Shown only while no step is shown and the units are big enough.
// On a one-input set there is no plane: the input units show their feature as a small curve over x
// instead (`{inputCurves}` in place of the boundary answer, from input-curves.js; unit-curves.js draws them).
//
//   createUnitMaps() → {set(boundary | {inputCurves}, {sizes, spec, options}) → bool, clear(),
//                       showIn(nodeEls, visible), has, kind ("plane" | "curves")}   maps and curves are
//                       painted when first shown, and again into units built anew (a new size);
//                       while playing with the gradients on the units they are not, and cost nothing
//     nodeEls[layer][unit].map is the unit's <foreignObject> holding its canvas.
//   followUnit(host, onUnit)  onUnit({layer, unit} | null): the unit pointed at (or else focused) in
//     the picture inside `host`, whose map the output panel then shows large; null when none is.

import { decodeMap, paintValues } from "../charts/canvas.js";
import { valueScale } from "../colours.js";
import { activationRange } from "../options.js";
import { refFromElement } from "./network-input.js";
import { paintCurve } from "./unit-curves.js";

/** Paint one map (N×N values) into `canvas`, N pixels square, row 0 at the bottom. */
function paintInto(canvas, map, scale) {
  const n = map.resolution;
  if (canvas.width !== n || canvas.height !== n) {
    canvas.width = n;
    canvas.height = n;
    canvas.nvImage = null;
  }
  const ctx = canvas.getContext("2d");
  canvas.nvImage ??= ctx.createImageData(n, n);
  paintValues(canvas.nvImage.data, n, decodeMap(map), scale);
  ctx.putImageData(canvas.nvImage, 0, 0);
}

export function createUnitMaps() {
  let maps = null; // [layer][unit] → the boundary answer's map for that unit (layer 0: its inputs')
  let paintedIn = null; // the units (nodeEls) the maps were last painted into
  let kind = "plane";

  /** A one-input network's input units: each its curve over x; nothing inside the other units. */
  function setCurves(curves, sizes) {
    maps = curves.length === sizes[0] ? [curves, ...sizes.slice(1).map(() => null)] : null;
    kind = "curves";
    paintedIn = null;
    return maps !== null;
  }

  return {
    get has() {
      return maps !== null;
    },
    get kind() {
      return kind;
    },

    /** Keep the boundary answer's maps for the units; false (and none kept) if it does not fit. */
    set(boundary, { sizes, spec, options }) {
      if (boundary?.inputCurves) return setCurves(boundary.inputCurves, sizes);
      kind = "plane";
      const L = sizes.length - 1;
      if (boundary?.hidden?.length !== L - 1 || boundary.output?.length !== sizes[L]) {
        maps = null;
        return false;
      }
      const hiddenRange = activationRange(options, spec.activation);
      const outputRange = activationRange(options, spec.output_activation);
      maps = [boundary.inputs?.map((m) => ({ ...m, scale: valueScale(null, m) })) ?? null,
        ...boundary.hidden.map((layer) => layer.map((m) => ({ ...m, scale: valueScale(hiddenRange, m) }))),
        boundary.output.map((m) => ({ resolution: boundary.resolution, ...m, scale: valueScale(outputRange, m) }))];
      paintedIn = null;
      return true;
    },

    clear() {
      maps = null;
    },

    /** Show the maps (where a unit has one; painted now if they or the units are new: a picture
     *  rebuilt for a new size has new units) or hide them all. */
    showIn(nodeEls, visible) {
      if (visible && maps && paintedIn !== nodeEls) {
        paintedIn = nodeEls;
        nodeEls.forEach((layer, k) => layer.forEach(({ map }, u) => {
          const m = maps[k]?.[u];
          if (!map || !m) return;
          if (kind === "curves") paintCurve(map.firstChild, m);
          else paintInto(map.firstChild, m, m.scale);
        }));
      }
      nodeEls.forEach((layer, k) => layer.forEach(({ map }, u) => {
        if (!map) return;
        const shown = visible && Boolean(maps?.[k]?.[u]) ? "visible" : "hidden";
        if (map.getAttribute("visibility") !== shown) map.setAttribute("visibility", shown);
      }));
    },
  };
}

export function followUnit(host, onUnit) {
  let pointed = null;
  let focused = null;
  let told = null;
  const unitOf = (target) => {
    const ref = refFromElement(target);
    return ref?.kind === "node" ? { layer: ref.layer, unit: ref.unit } : null;
  };
  const tell = () => {
    const now = pointed ?? focused;
    if (JSON.stringify(now) === JSON.stringify(told)) return;
    told = now;
    onUnit(now);
  };
  host.addEventListener("pointerover", (event) => {
    pointed = unitOf(event.target);
    tell();
  });
  host.addEventListener("pointerleave", () => {
    pointed = null;
    tell();
  });
  host.addEventListener("focusin", (event) => {
    focused = unitOf(event.target);
    tell();
  });
  host.addEventListener("focusout", (event) => {
    if (!host.contains(event.relatedTarget)) focused = null;
    tell();
  });
}

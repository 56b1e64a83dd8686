// Canvas helpers shared by the pictures: a canvas sized for the screen, a width kept current
// without reading layout, the boundary answer's encoded maps, painting a map of values on
// the diverging scale (colours.js), and a curve's path broken where a value overflowed.

import { divergingRamp } from "../colours.js";
import { traceThinned } from "./polyline.js";

/** A canvas sized for the screen's pixel ratio; returns its 2-D context in CSS pixels. */
export function fitCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/**
 * The CSS width of `node`, kept current by a ResizeObserver, so that drawing never reads layout
 * (a read after the page changed forces a layout in the middle of a frame). `onResize` runs
 * after each change of width.
 */
export function widthOf(node, onResize) {
  const box = { width: 0 };
  new ResizeObserver(([entry]) => {
    const width = entry.contentRect.width;
    if (Math.abs(width - box.width) < 0.5) return;
    box.width = width;
    onResize?.();
  }).observe(node);
  return box;
}

/** Decode one encoded map of the boundary answer into a Float32Array of values. */
export function decodeMap(map) {
  const bytes = Uint8Array.from(atob(map.data), (c) => c.charCodeAt(0));
  const values = new Float32Array(bytes.length);
  const span = map.hi - map.lo;
  for (let i = 0; i < bytes.length; i++) values[i] = map.lo + (bytes[i] / 255) * span;
  return values;
}

/**
 * Write N×N values into RGBA pixels `data` on the diverging scale: pixel of value v gets the
 * colour of gain·(v − centre)/half; values[row·N + col] with row 0 = the bottom of the plane.
 */
export function paintValues(data, n, values, { centre, half, gain = 1 }) {
  const { table, index } = divergingRamp();
  for (let row = 0; row < n; row++) {
    const top = n - 1 - row; // the image's first row is the plane's top
    for (let col = 0; col < n; col++) {
      const c = index((gain * (values[row * n + col] - centre)) / half);
      const k = 4 * (top * n + col);
      data[k] = table[c];
      data[k + 1] = table[c + 1];
      data[k + 2] = table[c + 2];
      data[k + 3] = 255;
    }
  }
}

/**
 * Begin a path through the points (xAt(i), yAt(values[i])), broken where a value is null or not
 * finite (a number that overflowed); the caller strokes it.
 */
export function traceCurve(ctx, values, xAt, yAt) {
  traceThinned(ctx, values.map((v, i) => [i, v]), xAt, yAt);
}

// Colours for the canvases, read from the CSS custom properties of page.css so that the
// pictures and the page agree (orange for negative, blue for positive: colour-blind safe).

const FALLBACK = {
  "--color-neg": "#d55e00",
  "--color-pos": "#0072b2",
  "--color-mid": "#f4f4f2",
  "--class-0": "#e69f00",
  "--class-1": "#56b4e9",
  "--class-2": "#009e73",
  "--ink": "#1d2329",
  "--ink-soft": "#5b6570",
  "--grid": "#d9dde2",
  "--series-train": "#0072b2",
  "--series-test": "#d55e00",
  "--series-batch": "#9aa4ae",
  "--panel": "#ffffff",
};

let cache = null;

function parseHex(text) {
  const hex = text.trim().replace("#", "");
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
  const n = Number.parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The palette: CSS colour strings and their [r, g, b] triples. */
export function palette() {
  if (cache) return cache;
  const style = getComputedStyle(document.documentElement);
  const css = {};
  const rgb = {};
  for (const [name, fallback] of Object.entries(FALLBACK)) {
    const value = style.getPropertyValue(name).trim();
    css[name] = value.startsWith("#") ? value : fallback;
    rgb[name] = parseHex(css[name]);
  }
  cache = { css, rgb };
  return cache;
}

const mix = (a, b, f) => [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * f));

/** The diverging colour of s in [−1, 1]: −1 orange, 0 near white, +1 blue. */
export function diverging(s) {
  const { rgb } = palette();
  const x = Math.max(-1, Math.min(1, Number.isFinite(s) ? s : 0));
  return x < 0 ? mix(rgb["--color-mid"], rgb["--color-neg"], -x) : mix(rgb["--color-mid"], rgb["--color-pos"], x);
}

const RAMP_STEPS = 1024;
let ramp = null;

/**
 * The diverging scale as a table, for painting many pixels without a call per pixel: entry k
 * (at 3k) is the colour of s = 2k/(RAMP_STEPS − 1) − 1. Answers {table, index(s)}.
 */
export function divergingRamp() {
  if (!ramp) {
    const table = new Uint8ClampedArray(RAMP_STEPS * 3);
    for (let k = 0; k < RAMP_STEPS; k++) table.set(diverging((2 * k) / (RAMP_STEPS - 1) - 1), 3 * k);
    ramp = { table, index: (x) => 3 * Math.round(((Math.max(-1, Math.min(1, x || 0)) + 1) / 2) * (RAMP_STEPS - 1)) };
  }
  return ramp;
}

/** Class k's colour, lightened toward white by (1 − strength). */
export function classColour(k, strength = 1) {
  const { rgb } = palette();
  const base = rgb[`--class-${k % 3}`];
  return mix(rgb["--color-mid"], base, Math.max(0, Math.min(1, strength)));
}

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

// Every colour of the page's pictures, and the one diverging scale they share: orange (−1) …
// light grey (0) … blue (+1), Okabe–Ito vermillion and blue (safe for the common colour-vision
// deficiencies). The same values are page.css's --color-neg, --color-mid and --color-pos.
//
//   COLORS                      the network view's palette (CSS colour strings)
//   signColor(v)                COLORS.positive for v ≥ 0, COLORS.negative for v < 0
//   diverging(s)                [r, g, b] of s in [−1, 1] (clamped; not finite → the middle)
//   divergingRgb(v, extent)     [r, g, b] of v / extent; not finite → grey
//   divergingColor(v, extent)   the same as a CSS colour; not finite → COLORS.nonFinite
//   divergingRamp()             the scale as a table for painting many pixels: {table, index(s)}
//   isDarkFill(v, extent)       true when text on divergingColor(v, extent) should be white
//   valueScale(range, map)      how a map's values fall on the scale: s = (v − centre) / half
//   palette()                   the charts' colours read from page.css: {css, rgb}
//   classColour(k, strength)    class k's colour, paler toward the middle as strength falls
//   layerColour(l)              weight layer l's own colour (its gradient-norm line, its band in the picture)

export const COLORS = Object.freeze({
  positive: "#0072b2",
  negative: "#d55e00",
  zero: "#f4f4f2",
  glow: "#6a3d9a",
  muted: "#c8c8c8",
  nonFinite: "#7f7f7f",
});

const hexRgb = (text) => {
  const hex = text.trim().replace("#", "");
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
  const n = Number.parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};

const POS = hexRgb(COLORS.positive);
const NEG = hexRgb(COLORS.negative);
const MID = hexRgb(COLORS.zero);

const mix = (a, b, f) => [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * f));
const finite = (v) => v !== null && v !== undefined && Number.isFinite(v);

export function signColor(v) {
  return v < 0 ? COLORS.negative : COLORS.positive;
}

/** [r, g, b] of s on the diverging scale: −1 orange, 0 light grey, +1 blue (clamped). */
export function diverging(s) {
  const x = Math.max(-1, Math.min(1, Number.isFinite(s) ? s : 0));
  return mix(MID, x < 0 ? NEG : POS, Math.abs(x));
}

function clampedRatio(v, extent) {
  if (!(extent > 0)) return 0;
  return Math.max(-1, Math.min(1, v / extent));
}

export function divergingRgb(v, extent) {
  if (!finite(v)) return hexRgb(COLORS.nonFinite);
  return diverging(clampedRatio(v, extent));
}

export function divergingColor(v, extent) {
  if (!finite(v)) return COLORS.nonFinite;
  const [r, g, b] = divergingRgb(v, extent);
  return `rgb(${r}, ${g}, ${b})`;
}

export function isDarkFill(v, extent) {
  if (!finite(v)) return true;
  return Math.abs(clampedRatio(v, extent)) > 0.55;
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
    ramp = { table, index: (s) => 3 * Math.round(((Math.max(-1, Math.min(1, s || 0)) + 1) / 2) * (RAMP_STEPS - 1)) };
  }
  return ramp;
}

/**
 * Where a map of values {lo, hi} falls on the scale: a bounded quantity (an activation's
 * range [lo, hi] from GET /options) fills the scale with its whole range, an unbounded one
 * with its own largest magnitude. Answers {centre, half}.
 */
export function valueScale(range, map) {
  if (range) return { centre: (range[0] + range[1]) / 2, half: (range[1] - range[0]) / 2 };
  return { centre: 0, half: Math.max(Math.abs(map.lo), Math.abs(map.hi), 1e-9) };
}

// ---- the charts' colours, from page.css ---------------------------------------------------

const FALLBACK = {
  "--color-neg": COLORS.negative,
  "--color-pos": COLORS.positive,
  "--color-mid": COLORS.zero,
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

/** The charts' palette: CSS colour strings and their [r, g, b] triples. */
export function palette() {
  if (cache) return cache;
  const style = getComputedStyle(document.documentElement);
  const css = {};
  const rgb = {};
  for (const [name, fallback] of Object.entries(FALLBACK)) {
    const value = style.getPropertyValue(name).trim();
    css[name] = value.startsWith("#") ? value : fallback;
    rgb[name] = hexRgb(css[name]);
  }
  cache = { css, rgb };
  return cache;
}

/** Class k's colour, lightened toward the scale's middle by (1 − strength). */
export function classColour(k, strength = 1) {
  const { rgb } = palette();
  return mix(MID, rgb[`--class-${k % 3}`], Math.max(0, Math.min(1, strength)));
}

/** One colour per weight layer, distinct from the sign colours (the gradient-norm chart and the picture's bands). */
export const LAYER_COLOURS = Object.freeze(["#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#882255", "#999933",
  "#332288", "#44aa99", "#aa4499", "#117733"]);

export const layerColour = (l) => LAYER_COLOURS[l % LAYER_COLOURS.length];

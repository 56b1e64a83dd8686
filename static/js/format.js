// Numbers as the page writes them: minus signs as "−", exponents without "+", and as many
// digits as the place has room for. Pure functions, no DOM.
//
//   formatNumber(x, digits = 3)  readouts and axes: 0.0312, 1.2e−4; null/NaN "—", ±∞
//   formatValue(x, full, digits) the inspector: 3 significant digits (or every digit); not finite → a word
//   digitsToTell(a, b)           the digits that keep two different numbers apart: old → new
//   compact(v)                   at most five characters, inside a unit: 0.25, −0.06, 12, 8e−3
//   shortNumber(x)               two significant digits, for legends: 0.5, 1.2e4
//   formatCount(n)               a whole count in the page's language: 10,000,000
//   formatList(items)            a list in the page's language: "a, b, and c" / 「a、b、c」
//   niceCeil(x)                  the smallest 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k ≥ x

import { LANG, t } from "./strings.js";

const COUNT = new Intl.NumberFormat(LANG, { maximumFractionDigits: 0 });

export const formatCount = (n) => COUNT.format(n);

const LIST = new Intl.ListFormat(LANG, { type: "conjunction" });

export const formatList = (items) => LIST.format(items);

export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value === 0) return "0";
  const size = Math.abs(value);
  const text = size >= 1e-3 && size < 1e5 ? String(Number(value.toPrecision(digits))) : value.toExponential(digits - 1);
  return text.replace("-", "−");
}

export function formatValue(x, full = false, digits = 3) {
  if (x === null || x === undefined || !Number.isFinite(x)) return t("nv.nonFinite");
  let text;
  if (full) text = String(x);
  else if (x === 0) text = "0";
  else {
    const abs = Math.abs(x);
    text = abs >= 1e-3 && abs < 1e5 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1);
  }
  return text.replaceAll("-", "−").replace("e+", "e");
}

/** The fewest significant digits (3 or more) at which two different numbers read differently. */
export function digitsToTell(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === b) return 3;
  for (let digits = 3; digits < 17; digits++) if (formatValue(a, false, digits) !== formatValue(b, false, digits)) return digits;
  return 17;
}

export function compact(v) {
  if (v === null) return "—";
  if (v === 0) return "0";
  const abs = Math.abs(v);
  let text;
  if (abs >= 0.005 && abs < 10) text = v.toFixed(2);
  else if (abs >= 10 && abs < 1000) text = v.toFixed(0);
  else text = v.toExponential(0);
  return text.replaceAll("-", "−").replace("e+", "e");
}

export function shortNumber(x) {
  const abs = Math.abs(x);
  const text = abs !== 0 && (abs >= 1e4 || abs < 1e-3) ? x.toExponential(1).replace(".0e", "e")
    : String(Number(x.toPrecision(2)));
  return text.replace("e+", "e").replaceAll("-", "−");
}

const NICE = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

export function niceCeil(x) {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = NICE.find((n) => n * p >= x * (1 - 1e-9)) ?? 10;
  return Number((m * p).toPrecision(3));
}

// Formulas as real mathematics: native MathML elements (Chromium renders MathML Core; no
// library), built with createElementNS like every other element of the page. A term can name
// the items of the network it stands for, so that pointing at it highlights them.
//
//   m(tag, attrs, ...children)   any MathML element (children: strings become text, as in el())
//   math(...children)            a block <math> holding one row
//   row(...children)             <mrow>;  mi(name), mo(op), mn(x) (x a number: 3 significant digits,
//                                a negative one in parentheses when `paren`), mtext(words)
//   sub(base, index), sup(base, power), subsup(base, index, power), frac(top, bottom), hat(base),
//   sum(index): Σ with its index below
//   term(refs, ...children)      an <mrow class="ex-term"> carrying `refs` (network refs) as data
//   refsOf(element)              the refs a term carries ([] for none)

import { formatValue } from "./format.js";

const NS = "http://www.w3.org/1998/Math/MathML";

export function m(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const row = (...children) => m("mrow", {}, ...children);
export const mi = (name) => m("mi", {}, name);
export const mo = (op) => m("mo", "()".includes(op) ? { stretchy: "false" } : {}, op);
export const mtext = (words) => m("mtext", {}, words);
export const sub = (base, index) => m("msub", {}, wrap(base), wrap(index));
export const sup = (base, power) => m("msup", {}, wrap(base), wrap(power));
export const subsup = (base, index, power) => m("msubsup", {}, wrap(base), wrap(index), wrap(power));
export const frac = (top, bottom) => m("mfrac", {}, wrap(top), wrap(bottom));
export const hat = (base) => m("mover", { accent: "true" }, wrap(base), mo("^"));
export const sum = (index) => m("munder", {}, mo("Σ"), wrap(index));

/** A name as <mi>, anything else as it is. */
function wrap(x) {
  return typeof x === "string" ? mi(x) : typeof x === "number" ? mn(x) : x;
}

/** A number as the page writes it (full precision on demand), in parentheses when negative and `paren`. */
export function mn(x, { paren = false, full = false } = {}) {
  const number = m("mn", { "data-value": x === null || x === undefined ? "null" : String(x) }, formatValue(x, full));
  return paren && x !== null && x < 0 ? row(mo("("), number, mo(")")) : number;
}

export function math(...children) {
  return m("math", { display: "block" }, row(...children));
}

export function term(refs, ...children) {
  const node = m("mrow", { class: "ex-term", tabindex: 0 }, ...children);
  node.dataset.refs = JSON.stringify(refs);
  return node;
}

export function refsOf(element) {
  const holder = element?.closest?.(".ex-term");
  return holder ? JSON.parse(holder.dataset.refs) : [];
}

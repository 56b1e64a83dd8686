// The page's one set of DOM helpers: HTML and SVG elements are built with createElement(NS)
// and textContent only, never from HTML strings (the page runs under a strict CSP).

import { LANG, t } from "./strings.js";

/**
 * A new element: `el("button", {class: "primary", type: "button"}, "Play")`.
 * Attributes whose value is null, undefined or false are left out; `true` sets an empty attribute.
 * Children may be strings (added as text), nodes, or nested arrays of either.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** A new SVG element: `svg("line", {x1: 0, y1: 0, x2: 4, y2: 4})`; children as for `el`. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace every child of `node` with `children`. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/**
 * Set `node`'s text; its one text node keeps its place and only its characters change (while playing
 * the figures change at every frame: a new text node each time costs more style and layout work).
 */
export function setText(node, text) {
  const only = node.firstChild;
  if (only && only === node.lastChild && only.nodeType === Node.TEXT_NODE) {
    if (only.data !== text) only.data = text;
  } else if (node.textContent !== text) {
    node.textContent = text;
  }
}

/** Hide or show `node`; assigning `hidden` its own value again would still re-style it. */
export function setHidden(node, hidden) {
  if (node.hidden !== hidden) node.hidden = hidden;
}

/** The element with this id, or an Error naming the missing id (a broken template). */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no element #${id}`);
  return node;
}

/** True while keyboard focus is in a field where keys type text (space and arrows belong to it). */
export function isTyping(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  if (target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
  if (target.tagName !== "INPUT") return false;
  return !["button", "checkbox", "radio", "submit", "reset", "file"].includes(target.type);
}

/**
 * Fill the template's texts from strings.js: `data-t` sets the text, `data-t-title`,
 * `data-t-aria-label` and `data-t-placeholder` set those attributes; <html lang> and the title follow.
 */
export function fillTexts(root) {
  for (const node of root.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const [data, attr] of [["tTitle", "title"], ["tAriaLabel", "aria-label"], ["tPlaceholder", "placeholder"]]) {
    const selector = `[data-${data.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`;
    for (const node of root.querySelectorAll(selector)) node.setAttribute(attr, t(node.dataset[data]));
  }
  document.title = t("pageTitle");
  document.documentElement.lang = LANG;
}

// Painting the network picture's elements with the looks the display model gives them
// (network-model.js): the weights' lines, the units' fills, texts and bias rings, and
// the marks of the pinned, hovered and focused items. Attributes are set only when they change.

import { setText, svg } from "../elements.js";
import { linkStyle, nodeLabel, nodeLook } from "./network-model.js";
import { refExists } from "./network-geometry.js";

/** Set an attribute only when its value changes: while playing most do not, and each set costs. */
function put(node, name, value) {
  const known = (node.nvAttrs ??= {});
  const text = String(value);
  if (known[name] === text) return;
  known[name] = text;
  node.setAttribute(name, text);
}

/** The weights drawn in SVG (linkEls[l][i][j]); their glow is on the canvas under them (network-canvas.js). */
export function paintLinkElements(linkEls, { pic, wMax }) {
  linkEls.forEach((layer, l) => layer.forEach((row, i) => row.forEach((line, j) => {
    const [color, width, dashed, alpha] = linkStyle(pic, l, i, j, wMax);
    put(line, "stroke", color);
    put(line, "stroke-width", width.toFixed(2));
    put(line, "stroke-dasharray", dashed ? "5 3.5" : "none");
    put(line, "stroke-opacity", alpha.toFixed(3));
  })));
}

/** Every unit (nodeEls[k][u] = {g, body, ring, label}); not-finite values are hatched. */
export function paintNodeElements(nodeEls, { geo, pic, wMax, hatchId }) {
  nodeEls.forEach((layer, k) => layer.forEach(({ g, body, ring, label }, u) => {
    const look = nodeLook(pic, k, u, wMax, geo.r);
    put(g, "aria-label", nodeLabel(pic, { layer: k, unit: u })); // its value in the phase shown
    put(body, "fill", look.fill ?? `url(#${hatchId})`);
    put(g, "class", `nv-node${look.focus ? " nv-focus-layer" : ""}${look.idle ? " nv-idle" : ""}`);
    setText(label, look.text);
    put(label, "fill", look.textFill);
    put(ring, "stroke", look.ring.stroke);
    put(ring, "stroke-width", k === 0 || !pic.params.biases ? look.ring.width : look.ring.width.toFixed(2));
    put(ring, "stroke-dasharray", look.ring.dash
      ? `${(geo.r * look.ring.dash[0]).toFixed(1)} ${(geo.r * look.ring.dash[1]).toFixed(1)}` : "none");
  }));
}

/**
 * Rings around marked units and outlines along marked weights: marks = [[ref, class]], e.g.
 * [[pinned, "nv-mark-pinned"]]. Answers {links, nodes}: the elements for the two mark layers.
 */
export function markElements(marks, { geo, pic, wMax }) {
  const links = [];
  const nodes = [];
  const ring = (k, u, r, cls) => svg("circle", { cx: geo.xs[k], cy: geo.ys[k][u], r, class: cls });
  for (const [ref, cls] of marks) {
    if (!refExists(pic.sizes, ref)) continue;
    if (ref.kind === "node") {
      nodes.push(ring(ref.layer, ref.unit, geo.r + 4, cls));
      continue;
    }
    const { layer: l, from: i, to: j } = ref;
    const pos = { x1: geo.xs[l], y1: geo.ys[l][i], x2: geo.xs[l + 1], y2: geo.ys[l + 1][j] };
    const [color, width, dashed] = linkStyle(pic, l, i, j, wMax);
    links.push(
      svg("line", { ...pos, class: `${cls} nv-mark-under`, "stroke-width": (width + 5).toFixed(2) }),
      svg("line", { ...pos, class: `${cls} nv-mark-over`, stroke: color, "stroke-width": Math.max(1.5, width).toFixed(2),
        "stroke-dasharray": dashed ? "5 3.5" : "none" }),
    );
    nodes.push(ring(l, i, geo.r + 3, `${cls} nv-mark-end`), ring(l + 1, j, geo.r + 3, `${cls} nv-mark-end`));
  }
  return { links, nodes };
}

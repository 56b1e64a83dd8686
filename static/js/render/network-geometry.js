// Where things are in the network picture, and how the keyboard and the pointer find them.
// Pure functions of the layer sizes and the stage size: no DOM, no state.
//
// A ref names one item: {kind: "node", layer, unit} (layer 0 = the inputs) or
// {kind: "link", layer, from, to} (weights[layer][from][to]); a link ref met on the keyboard
// may carry `pivot: "from" | "to"`, the end it was reached from.

export const MARGIN = { top: 46, bottom: 14, left: 64, right: 176 }; // left: room for "sin x₂" beside an input

/** Layer sizes from the weight matrices (n_in × n_out each). */
export function sizesOf(weights) {
  return [weights[0].length, ...weights.map((W) => W[0].length)];
}

export function linkCount(sizes) {
  let n = 0;
  for (let l = 0; l < sizes.length - 1; l++) n += sizes[l] * sizes[l + 1];
  return n;
}

/** Positions of every unit for a stage of width × height: {xs, ys[layer][unit], r, spacing}. */
export function layout(sizes, width, height) {
  const L = sizes.length - 1;
  const right = width < 640 ? 120 : MARGIN.right;
  const inner = Math.max(60, width - MARGIN.left - right);
  const xs = sizes.map((_, k) => MARGIN.left + (inner * k) / L);
  const avail = Math.max(40, height - MARGIN.top - MARGIN.bottom);
  const spacing = Math.min(72, avail / Math.max(...sizes));
  const r = Math.max(2.5, Math.min(21, spacing * 0.34, (inner / L) * 0.2));
  const ys = sizes.map((n) => {
    const top = MARGIN.top + (avail - spacing * (n - 1)) / 2;
    return Array.from({ length: n }, (_, u) => top + u * spacing);
  });
  return { xs, ys, r, spacing, width, height, L };
}

// ---- numbers ---------------------------------------------------------------------------------

/** The mean of each column of a (batch × units) matrix; null where any entry is null. */
export function columnMeans(matrix) {
  const n = matrix.length;
  const sums = new Array(matrix[0].length).fill(0);
  for (const row of matrix) {
    row.forEach((v, j) => { sums[j] = v === null || sums[j] === null ? null : sums[j] + v; });
  }
  return sums.map((s) => (s === null ? null : s / n));
}

export function maxAbs(values) {
  let m = 0;
  for (const v of values) if (v !== null && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

export function maxAbsNested(arrays) {
  let m = 0;
  for (const a of arrays) m = Math.max(m, Array.isArray(a[0]) ? maxAbsNested(a) : maxAbs(a));
  return m;
}

// ---- refs --------------------------------------------------------------------------------------

export function sameRef(a, b) {
  if (!a || !b || a.kind !== b.kind || a.layer !== b.layer) return false;
  return a.kind === "node" ? a.unit === b.unit : a.from === b.from && a.to === b.to;
}

/** The ref without keyboard bookkeeping. */
export function plainRef(ref) {
  if (!ref) return null;
  return ref.kind === "node" ? { kind: "node", layer: ref.layer, unit: ref.unit }
    : { kind: "link", layer: ref.layer, from: ref.from, to: ref.to };
}

export function refExists(sizes, ref) {
  if (!ref || !sizes) return false;
  const inLayer = (k, u) => Number.isInteger(u) && u >= 0 && u < sizes[k];
  if (ref.kind === "node") return ref.layer >= 0 && ref.layer < sizes.length && inLayer(ref.layer, ref.unit);
  return ref.layer >= 0 && ref.layer < sizes.length - 1 && inLayer(ref.layer, ref.from) && inLayer(ref.layer + 1, ref.to);
}

function proportional(u, from, to) {
  return from <= 1 ? 0 : Math.round((u * (to - 1)) / (from - 1));
}

/**
 * Where a key moves the focus from `ref`, or null. On a unit: ↑/↓ (Home/End) within the
 * layer, → onto its outgoing weights, ← onto its incoming ones. On a weight: ↑/↓ (Home/End)
 * move the end it was not reached from, → and ← go to its target and source units.
 */
export function moveFrom(sizes, ref, key) {
  const L = sizes.length - 1;
  if (ref.kind === "node") {
    const { layer: k, unit: u } = ref;
    const n = sizes[k];
    switch (key) {
      case "ArrowUp": return { ...ref, unit: Math.max(0, u - 1) };
      case "ArrowDown": return { ...ref, unit: Math.min(n - 1, u + 1) };
      case "Home": return { ...ref, unit: 0 };
      case "End": return { ...ref, unit: n - 1 };
      case "ArrowRight":
        return k < L ? { kind: "link", layer: k, from: u, to: proportional(u, n, sizes[k + 1]), pivot: "from" } : null;
      case "ArrowLeft":
        return k > 0 ? { kind: "link", layer: k - 1, from: proportional(u, n, sizes[k - 1]), to: u, pivot: "to" } : null;
      default: return null;
    }
  }
  const { layer: l, from: i, to: j } = ref;
  const moveTo = ref.pivot !== "to"; // came from the source: sweep the targets
  const n = moveTo ? sizes[l + 1] : sizes[l];
  const at = moveTo ? j : i;
  const end = (v) => (moveTo ? { ...ref, to: v } : { ...ref, from: v });
  switch (key) {
    case "ArrowUp": return end(Math.max(0, at - 1));
    case "ArrowDown": return end(Math.min(n - 1, at + 1));
    case "Home": return end(0);
    case "End": return end(n - 1);
    case "ArrowRight": return { kind: "node", layer: l + 1, unit: j };
    case "ArrowLeft": return { kind: "node", layer: l, unit: i };
    default: return null;
  }
}

/** The weight nearest to the point (x, y) of the stage, within a few pixels, or null. */
export function linkAt(geo, sizes, x, y) {
  let l = -1;
  for (let k = 0; k < sizes.length - 1; k++) if (x > geo.xs[k] + geo.r && x < geo.xs[k + 1] - geo.r) l = k;
  if (l < 0) return null;
  const x0 = geo.xs[l];
  const dx = geo.xs[l + 1] - x0;
  const f = (x - x0) / dx;
  let best = null;
  let bestD = Math.max(4, geo.spacing * 0.18);
  for (let i = 0; i < sizes[l]; i++) {
    const ya = geo.ys[l][i];
    for (let j = 0; j < sizes[l + 1]; j++) {
      const dy = geo.ys[l + 1][j] - ya;
      const d = Math.abs(ya + dy * f - y) * (dx / Math.hypot(dx, dy)); // distance to the line
      if (d < bestD) {
        bestD = d;
        best = { kind: "link", layer: l, from: i, to: j };
      }
    }
  }
  return best;
}

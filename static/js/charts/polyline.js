// A long line over steps, traced with at most four vertices per pixel column: the first, lowest,
// highest and last point that falls in the column, in their order. It draws the same picture as
// every vertex would, at a cost that follows the chart's width rather than its number of points
// (while playing, the loss and gradient lines of up to a thousand points each are traced again at
// every answer).

/**
 * Begin a path through the points [step, value] at (x(step), y(value)), broken where `shown(value)`
 * is false (a null, an overflow, a zero on a log scale); the caller strokes it.
 */
export function traceThinned(ctx, points, x, y, shown = (v) => v !== null && Number.isFinite(v)) {
  ctx.beginPath();
  let open = false; // a piece of the line is being traced
  let column = null; // {at, kept: [first, lowest, highest, last]} each [px, py, index]
  const flush = () => {
    if (!column) return;
    const kept = [...new Set(column.kept)].sort((a, b) => a[2] - b[2]);
    for (const [px, py] of kept) {
      if (open) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      open = true;
    }
    column = null;
  };
  for (let k = 0; k < points.length; k++) {
    const [s, v] = points[k];
    if (!shown(v)) {
      flush();
      open = false;
      continue;
    }
    const p = [x(s), y(v), k];
    const at = Math.floor(p[0]);
    if (column?.at === at) {
      const kept = column.kept;
      if (p[1] < kept[1][1]) kept[1] = p;
      if (p[1] > kept[2][1]) kept[2] = p;
      kept[3] = p;
    } else {
      flush();
      column = { at, kept: [p, p, p, p] };
    }
  }
  flush();
}

// An input unit's feature over x, drawn inside the unit as a small curve, for a one-input set
// (sine, the worked example), where there is no input plane to colour: x rises across the unit,
// the feature's value (x, x², sin x, as the server computed it) up, with its zero as a faint line
// — the input units' counterpart of the output's fitted curve. Pure drawing: values in, pixels out.
//
//   paintCurve(canvas, values)   values: the unit's value at each x of an evenly spaced grid

import { traceCurve } from "../charts/canvas.js";

const SIZE = 64; // canvas pixels; CSS scales the canvas to the unit's circle
const INSET = 0.2; // of the size, left free at each edge (the circle clips the corners)

export function paintCurve(canvas, values) {
  if (canvas.width !== SIZE || canvas.height !== SIZE) [canvas.width, canvas.height] = [SIZE, SIZE];
  canvas.nvImage = null; // not a map of values any more (network-maps.js paints those)
  const ctx = canvas.getContext("2d");
  const finite = values.filter((v) => v !== null && Number.isFinite(v));
  const [lo, hi] = [Math.min(0, ...finite), Math.max(0, ...finite)];
  const span = hi - lo || 1;
  const inner = SIZE * (1 - 2 * INSET);
  const px = (i) => SIZE * INSET + (i / Math.max(1, values.length - 1)) * inner;
  const py = (v) => SIZE * INSET + (1 - (v - lo) / span) * inner;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, SIZE, SIZE);
  ctx.strokeStyle = "#bbbbbb";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(0, py(0));
  ctx.lineTo(SIZE, py(0));
  ctx.stroke();
  ctx.strokeStyle = "#222222";
  ctx.lineWidth = 4;
  ctx.lineJoin = "round";
  traceCurve(ctx, values, px, py);
  ctx.stroke();
}

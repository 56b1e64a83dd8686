// The canvas under the picture's SVG: the glow under the weights (|∂E/∂w| while playing, |Δw| in
// an update), and, for networks too large for one SVG element per weight, the weights themselves.
//
// Strokes are opaque, their colour pre-mixed with the white stage: a path of translucent
// strokes costs several times more to rasterize. Each layer of weights is drawn once per look
// ("weight", "faded", "glow", …) into its own strip, and a phase only composites the strips.
// The glow is drawn here even when the weights are SVG lines: while playing it changes at every
// frame, and as a few hundred SVG lines moved and resized it was most of a frame's drawing.
//
//   createLinkCanvas(canvas) → {resize(geo), clear(), paint(picture), warm(picture), glow(geo, halos)}
//     picture = {geo, sizes, looks, styleOf, halos, key}
//       looks[l]           the look of weight layer l (strips are cached by layer and look)
//       styleOf(l, i, j)   [colour "#rrggbb", width, dashed, alpha] of one weight
//       halos              null or [[f, l, i, j]]: glow lines under the weights, f in [0, 1],
//                          the strongest first (network-model.js haloList)
//       key                an array; when any entry changes, every strip is drawn again
//     glow(geo, halos)     the glow alone (the weights are SVG lines), in the look of SVG weights

import { COLORS } from "../colours.js";

const ALPHA_STEPS = 24;
const blended = new Map();

/** The opaque colour that `color` at opacity `alpha` shows on white. */
export function onWhite(color, alpha) {
  const key = `${color}|${alpha}`;
  let out = blended.get(key);
  if (!out) {
    const rgb = [1, 3, 5].map((k) => Number.parseInt(color.slice(k, k + 2), 16));
    out = `rgb(${rgb.map((c) => Math.round(255 - (255 - c) * Math.min(1, alpha))).join(", ")})`;
    blended.set(key, out);
  }
  return out;
}

// The glow's width and opacity at strength f: under thin canvas weights, and under SVG weights.
const THIN_GLOW = { width: (f) => 2 + 7 * f, alpha: (f) => 0.08 + 0.25 * f };
const WIDE_GLOW = { width: (f) => 3 + 11 * f, alpha: (f) => 0.1 + 0.3 * f };

/** Glow lines [f, l, i, j], the weakest first so that the strongest lie on top. */
function drawGlow(ctx, geo, dpr, halos, look) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.lineCap = "round";
  ctx.setLineDash([]);
  for (let k = halos.length - 1; k >= 0; k--) {
    const [f, l, i, j] = halos[k];
    ctx.strokeStyle = onWhite(COLORS.glow, Math.round(look.alpha(f) * ALPHA_STEPS) / ALPHA_STEPS);
    ctx.lineWidth = look.width(f);
    ctx.beginPath();
    ctx.moveTo(geo.xs[l], geo.ys[l][i]);
    ctx.lineTo(geo.xs[l + 1], geo.ys[l + 1][j]);
    ctx.stroke();
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

export function createLinkCanvas(canvas) {
  const strips = new Map();
  let stripsFor = null;
  let blank = true; // nothing drawn since the last clear (or resize)

  function check(key) {
    if (!stripsFor || key.length !== stripsFor.length || key.some((v, k) => v !== stripsFor[k])) {
      strips.clear();
      stripsFor = key;
    }
  }

  function strip({ geo, sizes, looks, styleOf }, l) {
    const id = `${l}|${looks[l]}`;
    let image = strips.get(id);
    if (image) return image;
    const dpr = canvas.width / geo.width;
    const x0 = Math.floor(geo.xs[l]) - 1;
    const off = document.createElement("canvas");
    off.width = Math.ceil((Math.ceil(geo.xs[l + 1]) + 1 - x0) * dpr);
    off.height = canvas.height;
    const ctx = off.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, -x0 * dpr, 0);
    // One path per (opacity, colour, dash, width): a few dozen strokes per layer.
    const buckets = new Map();
    for (let i = 0; i < sizes[l]; i++) {
      for (let j = 0; j < sizes[l + 1]; j++) {
        const [color, width, dashed, alpha] = styleOf(l, i, j);
        const a = Math.round(alpha * ALPHA_STEPS);
        if (a === 0) continue;
        const bucket = `${a}|${color}|${dashed ? 1 : 0}|${Math.round(width * 4)}`;
        let ys = buckets.get(bucket);
        if (!ys) buckets.set(bucket, (ys = []));
        ys.push(geo.ys[l][i], geo.ys[l + 1][j]);
      }
    }
    // Faint strokes first, so the strong ones lie on top.
    const order = [...buckets.keys()].sort((p, q) => Number(p.split("|")[0]) - Number(q.split("|")[0]));
    ctx.lineCap = "butt";
    for (const bucket of order) {
      const [a, color, dashed, width] = bucket.split("|");
      ctx.strokeStyle = onWhite(color, Number(a) / ALPHA_STEPS);
      ctx.lineWidth = Number(width) / 4;
      ctx.setLineDash(dashed === "1" ? [4, 3] : []);
      const ys = buckets.get(bucket);
      ctx.beginPath();
      for (let p = 0; p < ys.length; p += 2) {
        ctx.moveTo(geo.xs[l], ys[p]);
        ctx.lineTo(geo.xs[l + 1], ys[p + 1]);
      }
      ctx.stroke();
    }
    image = { canvas: off, x: x0 };
    strips.set(id, image);
    return image;
  }

  return {
    resize(geo) {
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(geo.width * dpr);
      canvas.height = Math.round(geo.height * dpr);
      canvas.style.width = `${geo.width}px`;
      canvas.style.height = `${geo.height}px`;
      strips.clear();
      stripsFor = null;
      blank = true; // resizing empties a canvas
    },
    clear() {
      if (blank) return; // a cleared canvas is not sent to the screen again at every frame
      canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
      blank = true;
    },
    paint(picture) {
      check(picture.key);
      blank = false;
      const { geo, sizes, halos } = picture;
      const ctx = canvas.getContext("2d");
      const dpr = canvas.width / geo.width;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      if (halos) drawGlow(ctx, geo, dpr, halos, THIN_GLOW);
      for (let l = 0; l < sizes.length - 1; l++) {
        const image = strip(picture, l);
        ctx.drawImage(image.canvas, Math.round(image.x * dpr), 0);
      }
    },
    glow(geo, halos) {
      if (!halos?.length) {
        this.clear();
        return;
      }
      blank = false;
      const ctx = canvas.getContext("2d");
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      drawGlow(ctx, geo, canvas.width / geo.width, halos, WIDE_GLOW);
    },
    /** Draw the strips `picture` needs now, so that showing it later is instant. */
    warm(picture) {
      check(picture.key);
      for (let l = 0; l < picture.sizes.length - 1; l++) strip(picture, l);
    },
  };
}

// The plane a larger network's loss surface is drawn over: two seeded random directions, or two
// chosen weights' axes. It lives in the URL hash (`plane=random&pseed=7`, or
// `plane=axes&axes=0.0.0,1.2.0` as layer.source.target) and is chosen with a small form; the server
// builds the plane itself (POST /networks/{id}/surface, and `plane` in POST /races/train).

import { el } from "../elements.js";
import { t } from "../strings.js";

/** Every weight of a network with these layer sizes, as {layer, source, target}, in the layout's order. */
export function weightsOf(layerSizes) {
  const out = [];
  for (let layer = 0; layer + 1 < layerSizes.length; layer++) {
    for (let source = 0; source < layerSizes[layer]; source++) {
      for (let target = 0; target < layerSizes[layer + 1]; target++) out.push({ layer, source, target });
    }
  }
  return out;
}

const keyOf = (w) => `${w.layer}.${w.source}.${w.target}`;

/** The weight's name as the page writes it elsewhere: W1[1→3] (layers and units counted from 1). */
export const weightName = (w) => `W${w.layer + 1}[${w.source + 1}→${w.target + 1}]`;

/** The plane the hash asks for ({directions, seed} or {directions, axes}), valid for these layer sizes. */
export function planeOf(params, layerSizes) {
  const all = new Map(weightsOf(layerSizes).map((w) => [keyOf(w), w]));
  if (params.get("plane") === "axes") {
    const axes = (params.get("axes") ?? "").split(",").map((k) => all.get(k));
    if (axes.length === 2 && axes.every(Boolean) && keyOf(axes[0]) !== keyOf(axes[1])) return { directions: "axes", axes };
    const [first, second] = all.values(); // the first two weights, as the server's default
    return { directions: "axes", axes: [first, second] };
  }
  const seed = Number(params.get("pseed") ?? 0);
  return { directions: "random", seed: Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32 ? seed : 0 };
}

/** The plane's hash entries. */
export function planeHash(plane) {
  return plane.directions === "axes" ? ["plane=axes", `axes=${plane.axes.map(keyOf).join(",")}`]
    : ["plane=random", `pseed=${plane.seed}`];
}

/** The two axes' names on the plot. */
export const axisNames = (plane) => (plane.directions === "axes" ? plane.axes.map(weightName) : ["α", "β"]);

/** The form: random directions with a seed, or two weights; `onChange(plane)` gets each valid choice. */
export function planeForm(plane, layerSizes, onChange) {
  const weights = weightsOf(layerSizes);
  const kind = el("select", { class: "plane-kind", "aria-label": t("planeKind") },
    el("option", { value: "random" }, t("planeRandom")), el("option", { value: "axes" }, t("planeAxes")));
  kind.value = plane.directions;
  const seed = el("input", { type: "text", inputmode: "numeric", class: "racer-input plane-seed",
    value: String(plane.seed ?? 0), "aria-label": t("planeSeed") });
  const axes = plane.axes ?? weights.slice(0, 2);
  const pickers = [0, 1].map((k) => {
    const select = el("select", { class: "plane-axis", "aria-label": t("planeAxis", { n: k + 1 }) },
      weights.map((w) => el("option", { value: keyOf(w) }, weightName(w))));
    select.value = keyOf(axes[k]);
    return select;
  });
  const random = el("label", { class: "racer-field" }, el("span", {}, t("planeSeed")), seed);
  const chosen = el("span", { class: "plane-axes" }, pickers);
  const show = () => {
    random.hidden = kind.value !== "random";
    chosen.hidden = kind.value !== "axes";
  };
  const send = () => {
    if (kind.value === "random") {
      const n = Number(seed.value);
      const ok = Number.isInteger(n) && n >= 0 && n < 2 ** 32;
      seed.setAttribute("aria-invalid", String(!ok));
      if (ok) onChange({ directions: "random", seed: n });
      return;
    }
    const picked = pickers.map((p) => weights.find((w) => keyOf(w) === p.value));
    if (keyOf(picked[0]) !== keyOf(picked[1])) onChange({ directions: "axes", axes: picked });
  };
  kind.addEventListener("change", () => (show(), send()));
  seed.addEventListener("change", send);
  pickers.forEach((p) => p.addEventListener("change", send));
  show();
  return el("div", { class: "plane-choice", role: "group", "aria-label": t("planeChoice") }, kind, random, chosen);
}

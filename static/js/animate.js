// The phases of ONE update, a cursor over them, a plain sentence for each, and the motion.
//
// Interface (for main.js):
//   phasesFor(trace) → [phase]    in order: forward 0 (the inputs) … forward L, loss,
//                                  backward L … backward 1, update. A phase is
//                                  {kind: "forward" | "loss" | "backward" | "update", layer?, index, id}
//                                  where layer counts node layers (0 = inputs, L = output).
//                                  A trace without targets (POST /forward) has forward phases only;
//                                  a diverged step stops at the phase that overflowed.
//   createPhaseCursor(phases, {onChange(phase, index)}) → {phases, index, phase, next(), prev(),
//                                  goto(i), atStart, atEnd}; moves return true when they moved and
//                                  call onChange; goto clamps i into range.
//   fnName(fn)                     an activation's display name ("leaky_relu" → "leaky ReLU")
//   phaseTitle(phase, sizes)       "Forward · hidden layer 1", "Loss", "Backward · output layer", "Update"
//   explain(phase, {trace, spec, options}) → one plain sentence for the phase (options: GET /options)
//   pulsePlan(trace, phase, weights, max)  the weights a phase's signal travels along (see below)
//   BACKWARD_BEATS, backwardBeat(f) the three beats of a backward phase: flow, derivative, gradient
//   deltaKnown(phase, k)           true once the phase has formed node layer k's δ
//   prefersReducedMotion()         the user's setting, read each time
//   createMotion()                 → {tween(ms, step(f)), cancel()}: frame-driven animation that the
//                                  next phase cancels; with reduced motion every tween jumps to f = 1.
//
// Typical wiring (render/network.js's showTrace does exactly this):
//   const cursor = createPhaseCursor(phasesFor(trace), {onChange: (p) => view.showPhase(trace, p)});
//   cursor.goto(0); nextButton.onclick = () => cursor.next();

import { formatValue } from "./format.js";
import { divergenceMessage } from "./i18n/messages.js";
import { isNaturalPair } from "./options.js";
import { columnMeans } from "./render/network-geometry.js";
import { t } from "./strings.js";

export function phasesFor(trace) {
  const L = trace.forward.length;
  const phases = [];
  for (let k = 0; k <= L; k++) phases.push({ kind: "forward", layer: k });
  if (trace.loss_per_sample) phases.push({ kind: "loss" });
  if (trace.backward) {
    for (let k = L; k >= 1; k--) phases.push({ kind: "backward", layer: k });
  }
  if (trace.update) phases.push({ kind: "update" });
  let end = phases.length;
  const d = trace.diverged;
  if (d) {
    // Divergence layers index the per-layer lists (0 = first hidden layer): node layer = d.layer + 1.
    end = phases.findIndex((p) => p.kind === d.phase && (p.layer === undefined || d.layer === null
      || d.layer === undefined || p.layer === d.layer + 1)) + 1 || phases.length;
  }
  return phases.slice(0, end).map((p, index) => ({
    ...p, index, id: p.layer === undefined ? p.kind : `${p.kind}-${p.layer}`,
    diverged: d && index === end - 1 ? d : null,
  }));
}

export function createPhaseCursor(phases, { onChange } = {}) {
  let index = 0;
  const cursor = {
    phases,
    get index() { return index; },
    get phase() { return phases[index]; },
    get atStart() { return index === 0; },
    get atEnd() { return index === phases.length - 1; },
    goto(i) {
      const target = Math.max(0, Math.min(phases.length - 1, i));
      const moved = target !== index;
      index = target;
      onChange?.(phases[index], index);
      return moved;
    },
    next() { return index < phases.length - 1 ? cursor.goto(index + 1) : false; },
    prev() { return index > 0 ? cursor.goto(index - 1) : false; },
  };
  return cursor;
}

export function fnName(fn) {
  return t(`nv.fn.${fn}`);
}

function layerName(k, sizes) {
  if (k === 0) return t("nv.layer.input");
  if (k === sizes.length - 1) return t("nv.layer.output");
  return t("nv.layer.hidden", { k });
}

export function phaseTitle(phase, sizes) {
  if (phase.kind === "loss" || phase.kind === "update") return t(`nv.phase.${phase.kind}`);
  return t(`nv.phase.${phase.kind}`) + " · " + layerName(phase.layer, sizes);
}

function optimizerRule(spec, options) {
  const name = spec.optimizer.name;
  const known = options?.optimizers?.find((o) => o.name === name);
  const rule = known?.rule ?? t(`nv.rule.${name}`);
  const hyper = Object.entries(spec.optimizer)
    .filter(([k]) => k !== "name" && k !== "learning_rate")
    .map(([k, v]) => `${t(`nv.hyper.${k}`)} = ${v}`);
  return { name, rule, hyper: [`η = ${spec.optimizer.learning_rate}`, ...hyper].join(", ") };
}

export function explain(phase, { trace, spec, options } = {}) {
  const sizes = [trace.inputs[0].length, ...trace.forward.map((f) => f.a[0].length)];
  const L = sizes.length - 1;
  const n = trace.inputs.length;
  let text;
  if (phase.kind === "forward") {
    const k = phase.layer;
    const fn = fnName(k === L ? spec.output_activation : spec.activation);
    if (k === 0) text = t("nv.explain.inputs", { count: n });
    else if (k === L) text = t("nv.explain.forwardOutput", { fn });
    else text = t("nv.explain.forwardHidden", { k, fn });
  } else if (phase.kind === "loss") {
    const reg = spec.regularization;
    text = t("nv.explain.loss", { loss: t(`nv.loss.${spec.loss}`), value: formatValue(trace.data_loss), count: n });
    if (reg && reg.kind !== "none" && reg.rate > 0) {
      text += " " + t("nv.explain.lossPenalty", { kind: reg.kind.toUpperCase(), value: formatValue(trace.loss) });
    }
  } else if (phase.kind === "backward") {
    const k = phase.layer;
    if (k === L) {
      // With the loss's natural output (GET /options says which), the output's δ is simply y − t.
      const natural = Boolean(options) && isNaturalPair(options, spec.loss, spec.output_activation);
      const fn = fnName(spec.output_activation);
      text = natural ? t("nv.explain.backwardOutputNatural", { fn }) : t("nv.explain.backwardOutput", { fn });
    } else {
      text = t("nv.explain.backwardHidden", { k, next: layerName(k + 1, sizes), fn: fnName(spec.activation) });
    }
    text += " " + t("nv.explain.gradWeights");
    const reg = spec.regularization;
    if (reg && reg.kind !== "none" && reg.rate > 0) text += " " + t("nv.explain.gradPenalty", { kind: reg.kind.toUpperCase() });
  } else {
    const { name, rule, hyper } = optimizerRule(spec, options);
    text = t("nv.explain.update", { name: t(`nv.optimizer.${name}`), rule, hyper });
  }
  if (phase.diverged) text += " " + divergenceMessage(phase.diverged);
  return text;
}

// ---- motion -------------------------------------------------------------------------------

/**
 * The beats of "Backward · layer L", as fractions of the phase's tween: first the error flows
 * back from layer L+1's δ along weights[L] (for the output layer: from the loss derivative),
 * then each unit of L multiplies by f′(z) and shows its δ, and only then do the weights into
 * L, weights[L−1], light up with ∂E/∂w = a·δ.
 */
export const BACKWARD_BEATS = { flow: 0, derivative: 0.45, gradient: 0.72 };

/** The beat reached at fraction f of a backward phase: "flow", "derivative" or "gradient". */
export function backwardBeat(f) {
  if (f >= BACKWARD_BEATS.gradient) return "gradient";
  return f >= BACKWARD_BEATS.derivative ? "derivative" : "flow";
}

/**
 * The weights a phase's signal travels along, strongest first (at most `max`). Forward into
 * node layer k: weights[k−1] by |mean a_i · w_ij| (what each weight adds to z). Backward
 * forming layer L's δ: weights[L], from unit j of layer L+1 back to unit i of L, by
 * |w_ij · mean δ_j| (what each term adds to the sum Σ w·δ). Answers null for phases without
 * travel, else {layer, backward, fromLoss, items: [{i, j, value}]} where layer indexes weights;
 * for the output layer's backward phase fromLoss is true, layer is null and each item
 * {j, value} carries the loss derivative ∂E/∂y (mean) into output unit j.
 */
export function pulsePlan(trace, phase, weights, max = 48) {
  const L = trace.forward.length;
  let value;
  let l;
  if (phase.kind === "forward" && phase.layer > 0) {
    l = phase.layer - 1;
    const source = l === 0 ? trace.inputs : trace.forward[l - 1].a;
    const a = columnMeans(source);
    value = (i, j) => (a[i] === null ? 0 : a[i] * weights[l][i][j]);
  } else if (phase.kind === "backward" && phase.layer === L) {
    const dy = columnMeans(trace.backward[L - 1].grad_a);
    const items = dy.map((v, j) => ({ j, value: v ?? 0 })).filter((p) => p.value !== 0 && !Number.isNaN(p.value));
    return { layer: null, backward: true, fromLoss: true, items };
  } else if (phase.kind === "backward") {
    l = phase.layer;
    const delta = columnMeans(trace.backward[l].grad_z);
    value = (i, j) => (delta[j] === null ? 0 : weights[l][i][j] * delta[j]);
  } else {
    return null;
  }
  const items = [];
  weights[l].forEach((row, i) => row.forEach((_, j) => {
    const v = value(i, j);
    if (v !== 0 && !Number.isNaN(v)) items.push({ i, j, value: v });
  }));
  items.sort((p, q) => Math.abs(q.value) - Math.abs(p.value));
  return { layer: l, backward: phase.kind === "backward", fromLoss: false, items: items.slice(0, max) };
}

/** True when `phase` has formed the δ of node layer k (and so the gradients of the weights into it). */
export function deltaKnown(phase, k) {
  return Boolean(phase) && (phase.kind === "update" || (phase.kind === "backward" && phase.layer <= k));
}

export function prefersReducedMotion() {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}

function ease(f) {
  return f < 0.5 ? 2 * f * f : 1 - (-2 * f + 2) ** 2 / 2;
}

export function createMotion() {
  let frames = new Set();

  function tween(ms, step) {
    if (prefersReducedMotion() || ms <= 0) {
      step(1);
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const start = performance.now();
      const token = { id: 0, resolve };
      const frame = (now) => {
        const f = Math.min(1, (now - start) / ms);
        step(ease(f));
        if (f < 1) token.id = requestAnimationFrame(frame);
        else {
          frames.delete(token);
          resolve(true);
        }
      };
      frames.add(token);
      token.id = requestAnimationFrame(frame);
    });
  }

  function cancel() {
    for (const token of frames) {
      cancelAnimationFrame(token.id);
      token.resolve(false);
    }
    frames = new Set();
  }

  return { tween, cancel };
}

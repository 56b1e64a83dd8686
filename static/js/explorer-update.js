// The update of one weight, explained: Δw = −η·g with the numbers, what the optimizer adds
// (momentum's v, AdaGrad's G, RMSProp's S, Adam's m, v, m̂, v̂) with each rule in symbols and then
// with its values before and after, the weight old → new, and the loss on the same mini-batch
// before and after the update (the trace's `loss` and `loss_after`). Pure: the step's trace (with
// its `optimizer` block, Adam's m̂ and v̂ included) in, MathML out; every number is the trace's own.
//
//   updateFormulas(trace, ref, wOld) → [math]   ref = {kind: "link", layer, from, to}
//
// DOM hooks: <math data-formula="rule-<name>">, "rule-<name>-numbers" and "rule-<name>-result" per
// rule (names: delta, v, G, S, m, m_hat, v_hat),
// "weight" (old → new) and "loss" (before → after); numbers are <mn data-value>.

import { frac, hat, m, math, mi, mn, mo, row, sub, sup } from "./mathml.js";

const N = (x) => mn(x, { paren: true });
const times = () => mo("·");
const root = (x) => m("msqrt", {}, x);
const tagged = (formula, kind) => {
  formula.dataset.formula = kind;
  return formula;
};

/**
 * "name ← symbols" (a slot's new value; "=" for a definition), then "= numbers", then "= result":
 * each on its own line, as the formulas are long beside a narrow picture.
 */
function rule(kind, name, symbols, numbers, result, op = "←") {
  return [tagged(math(name, mo(op), ...symbols), `rule-${kind}`),
    tagged(math(mo("="), ...numbers), `rule-${kind}-numbers`),
    tagged(math(mo("="), mn(result)), `rule-${kind}-result`)];
}

export function updateFormulas(trace, ref, wOld) {
  const { layer: l, from: i, to: j } = ref;
  const g = trace.backward[l].grad_weights[i][j];
  const dw = trace.update[l].weight_deltas[i][j];
  const wNew = trace.update[l].weights[i][j];
  const opt = trace.optimizer;
  const eta = opt?.learning_rate;
  const h = opt?.hyperparameters ?? {};
  const before = (slot) => opt.slots_before[slot].weights[l][i][j];
  const after = (slot) => opt.slots_after[slot].weights[l][i][j];
  const eps = mi("ε");
  const out = [];
  const delta = (symbols, numbers) => out.push(...rule("delta", row(mi("Δ"), mi("w")), symbols, numbers, dw, "="));
  switch (opt?.name ?? "sgd") {
    case "momentum":
      out.push(...rule("v", mi("v"), [mi("μ"), times(), mi("v"), mo("+"), mi("g")],
        [N(h.momentum), times(), N(before("v")), mo("+"), N(g)], after("v")));
      delta([mo("−"), mi("η"), times(), mi("v")], [mo("−"), N(eta), times(), N(after("v"))]);
      break;
    case "adagrad":
      out.push(...rule("G", mi("G"), [mi("G"), mo("+"), sup("g", mn(2))], [N(before("G")), mo("+"), sup(N(g), mn(2))],
        after("G")));
      delta([mo("−"), mi("η"), times(), frac(mi("g"), row(root(mi("G")), mo("+"), eps))],
        [mo("−"), N(eta), times(), frac(N(g), row(root(N(after("G"))), mo("+"), N(h.epsilon)))]);
      break;
    case "rmsprop":
      out.push(...rule("S", mi("S"), [mi("ρ"), times(), mi("S"), mo("+"), row(mo("("), mn(1), mo("−"), mi("ρ"), mo(")")),
        times(), sup("g", mn(2))], [N(h.rho), times(), N(before("S")), mo("+"), N(1 - h.rho), times(),
        sup(N(g), mn(2))], after("S")));
      delta([mo("−"), mi("η"), times(), frac(mi("g"), row(root(mi("S")), mo("+"), eps))],
        [mo("−"), N(eta), times(), frac(N(g), row(root(N(after("S"))), mo("+"), N(h.epsilon)))]);
      break;
    case "adam": {
      const t = opt.t_after;
      const mHat = opt.bias_corrected.m.weights[l][i][j];
      const vHat = opt.bias_corrected.v.weights[l][i][j];
      out.push(
        ...rule("m", mi("m"), [sub("β", mn(1)), times(), mi("m"), mo("+"), row(mo("("), mn(1), mo("−"), sub("β", mn(1)),
          mo(")")), times(), mi("g")], [N(h.beta1), times(), N(before("m")), mo("+"), N(1 - h.beta1), times(), N(g)],
        after("m")),
        ...rule("v", mi("v"), [sub("β", mn(2)), times(), mi("v"), mo("+"), row(mo("("), mn(1), mo("−"), sub("β", mn(2)),
          mo(")")), times(), sup("g", mn(2))], [N(h.beta2), times(), N(before("v")), mo("+"), N(1 - h.beta2), times(),
          sup(N(g), mn(2))], after("v")),
        ...rule("m_hat", hat(mi("m")), [frac(mi("m"), row(mn(1), mo("−"), sup(sub("β", mn(1)), mi("t"))))],
          [frac(N(after("m")), row(mn(1), mo("−"), sup(N(h.beta1), mn(t))))], mHat, "="),
        ...rule("v_hat", hat(mi("v")), [frac(mi("v"), row(mn(1), mo("−"), sup(sub("β", mn(2)), mi("t"))))],
          [frac(N(after("v")), row(mn(1), mo("−"), sup(N(h.beta2), mn(t))))], vHat, "="),
      );
      delta([mo("−"), mi("η"), times(), frac(hat(mi("m")), row(root(hat(mi("v"))), mo("+"), eps))],
        [mo("−"), N(eta), times(), frac(N(mHat), row(root(N(vHat)), mo("+"), N(h.epsilon)))]);
      break;
    }
    default:
      delta([mo("−"), mi("η"), times(), mi("g")], [mo("−"), N(eta), times(), N(g)]);
  }
  out.push(tagged(math(mi("w"), mo(":"), mn(wOld), mo("→"), mn(wNew)), "weight"));
  if (trace.loss_after !== undefined) {
    out.push(tagged(math(mi("E"), mo(":"), mn(trace.loss), mo("→"), mn(trace.loss_after)), "loss"));
  }
  return out;
}

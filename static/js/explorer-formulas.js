// The chain rule of one unit or one weight as formulas: first in symbols, then the same formula
// with the learner's numbers, then the result. Pure builders: the server's explanation of the
// step in (GET explain/unit, explain/weight), MathML out (mathml.js). Every term names the items
// of the network it stands for, so that pointing at it highlights them.
//
//   unitFormulas(answer, ref, sizes, s, inputs)    → [math]   why δ of unit ref is what it is, for sample s
//   weightFormulas(answer, ref, sizes, inputs)     → [math]   ∂E/∂w as the batch mean of a·δ
//   pathFormulas(answer, path, sizes, s, inputs)   → [math]   one path of δ_j: the product of its factors
// `inputs`: the input units' names when they are features (x₁², sin x₂ …), or null (unit-names.js).
//
// DOM hooks: each <math> has `data-formula` ("symbols", "numbers", "result"); numbers are <mn>
// with `data-value`; terms are `.ex-term` with `data-refs`.

import { frac, math, mi, mn, mo, row, sub, subsup, sum, term } from "./mathml.js";
import { shortName } from "./render/unit-names.js";

const MAX_SAMPLES = 3; // a·δ terms written out before "+ ⋯"

const node = (layer, unit) => ({ kind: "node", layer, unit });
const link = (layer, from, to) => ({ kind: "link", layer, from, to });
const tagged = (formula, kind) => {
  formula.dataset.formula = kind;
  return formula;
};
const times = () => mo("·");
const sampled = (name, index, s) => subsup(name, index, row(mo("("), mi(s), mo(")")));
const dE = (x) => frac(row(mi("∂"), mi("E")), row(mi("∂"), x));

/** The three lines: symbols, numbers, result. */
function lines(symbols, numbers, result) {
  return [tagged(math(...symbols), "symbols"), tagged(math(...numbers), "numbers"), tagged(math(...result), "result")];
}

export function unitFormulas(answer, ref, sizes, s, inputs = null) {
  const { layer: k, unit: u } = ref;
  const j = shortName(k, u, sizes, inputs);
  const delta = answer.delta[s];
  const self = [node(k, u)];
  if (answer.output) return outputFormulas(answer, ref, j, s);
  const f = answer.derivative[s];
  const symbols = [sub("δ", j), mo("="), term(self, mi("f′"), row(mo("("), sub("z", j), mo(")"))), times(),
    sum("k"), sub("w", row(mi(j), mo("→"), mi("k"))), sub("δ", "k")];
  const parts = [];
  answer.terms.forEach((tm, n) => {
    if (n > 0) parts.push(mo("+"));
    parts.push(term([link(k, u, tm.unit), node(k + 1, tm.unit)], mn(tm.weight, { paren: true }), times(),
      mn(tm.delta[s], { paren: true })));
  });
  const numbers = [sub("δ", j), mo("="), term(self, mn(f, { paren: true })), times(), mo("("), ...parts, mo(")")];
  const result = [mo("="), term(self, mn(f, { paren: true })), times(),
    term(answer.terms.map((tm) => link(k, u, tm.unit)), mn(answer.sum[s], { paren: true })), mo("="),
    term(self, mn(delta))];
  return lines(symbols, numbers, result);
}

function outputFormulas(answer, ref, j, s) {
  const { output: o } = answer;
  // The output's own names: y₂ and t₂ (y with y₂ below would say it twice).
  const index = String(ref.unit + 1);
  const named = (letter) => (letter === "k" ? sub("y", "k") : sub(letter, mi(index)));
  const self = [node(ref.layer, ref.unit)];
  const delta = answer.delta[s];
  const y = term(self, mn(o.y[s], { paren: true }));
  const tt = mn(o.t[s], { paren: true });
  if (o.rule === "natural") {
    return lines([sub("δ", j), mo("="), named("y"), mo("−"), named("t")],
      [sub("δ", j), mo("="), y, mo("−"), tt], [mo("="), term(self, mn(delta))]);
  }
  if (o.rule === "chain") {
    return lines([sub("δ", j), mo("="), dE(named("y")), times(), mi("f′"), row(mo("("), sub("z", j), mo(")"))],
      [sub("δ", j), mo("="), mn(o.grad_a[s], { paren: true }), times(), mn(answer.derivative[s], { paren: true })],
      [mo("="), term(self, mn(delta))]);
  }
  // softmax with another loss: every output's ∂E/∂y enters through the Jacobian.
  return lines([sub("δ", j), mo("="), named("y"), mo("("), dE(named("y")), mo("−"), sum("k"), dE(named("k")),
    named("k"), mo(")")],
  [sub("δ", j), mo("="), y, times(), mo("("), mn(o.grad_a[s], { paren: true }), mo("−"),
    mn(o.weighted_sum[s], { paren: true }), mo(")")], [mo("="), term(self, mn(delta))]);
}

export function weightFormulas(answer, ref, sizes, inputs = null) {
  const { layer: l, from: i, to: jj } = ref;
  const src = shortName(l, i, sizes, inputs);
  const dst = shortName(l + 1, jj, sizes);
  const B = answer.a.length;
  const w = () => sub("w", row(mi(src), mo("→"), mi(dst))); // a new element for each place it appears
  const reg = answer.regularization !== 0;
  const symbols = [dE(w()), mo("="), frac(mn(1), mi("B")), sum("b"), term([node(l, i)], sampled("a", src, "b")),
    term([node(l + 1, jj)], sampled("δ", dst, "b")), ...(reg ? [mo("+"), mi("λ"), mo("·"), mi("…")] : [])];
  const parts = [];
  answer.a.slice(0, MAX_SAMPLES).forEach((a, b) => {
    if (b > 0) parts.push(mo("+"));
    parts.push(term([node(l, i), node(l + 1, jj)], mn(a, { paren: true }), times(), mn(answer.delta[b], { paren: true })));
  });
  if (B > MAX_SAMPLES) parts.push(mo("+"), mo("⋯"));
  const numbers = [dE(w()), mo("="), frac(mn(1), mn(B)), mo("("), ...parts, mo(")"),
    ...(reg ? [mo("+"), mn(answer.regularization, { paren: true })] : [])];
  const result = [mo("="), mn(answer.means.product, { paren: true }),
    ...(reg ? [mo("+"), mn(answer.regularization, { paren: true })] : []), mo("="),
    term([link(l, i, jj)], mn(answer.grad))];
  return lines(symbols, numbers, result);
}

export function pathFormulas(answer, path, sizes, s, inputs = null) {
  const symbols = [];
  const numbers = [];
  path.factors.forEach((f, n) => {
    if (n > 0) {
      symbols.push(times());
      numbers.push(times());
    }
    if (f.kind === "weight") {
      const ref = [link(f.layer, f.source, f.target)];
      symbols.push(term(ref, sub("w", row(mi(shortName(f.layer, f.source, sizes, inputs)), mo("→"),
        mi(shortName(f.layer + 1, f.target, sizes))))));
      numbers.push(term(ref, mn(f.value, { paren: true })));
    } else {
      const ref = [node(f.layer, f.unit)];
      const name = shortName(f.layer, f.unit, sizes, inputs);
      symbols.push(term(ref, f.kind === "delta" ? sub("δ", name) : row(mi("f′"), mo("("), sub("z", name), mo(")"))));
      numbers.push(term(ref, mn(f.values[s], { paren: true })));
    }
  });
  return lines(symbols, numbers, [mo("="), mn(path.product[s])]);
}

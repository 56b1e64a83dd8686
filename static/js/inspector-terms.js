// The inspector's lines on where a unit's δ comes from, from the server's explanation of the
// step (GET explain/unit, batch means): for a hidden unit f′(z), one term w·δ per unit of the
// next layer and their sum Σ w·δ; for an output unit the loss's derivative ∂E/∂y.
//
//   unitTerms(answer, ref, sizes) → element   answer: Explanations.get("unit", …) (null: on its way)
//
// DOM hooks: cells `.nv-value[data-scope="batch"]` with data-quantity derivative, sum, grad_a,
// term_weight, term_delta, term_product (the terms' cells also carry data-unit = k).

import { el } from "./elements.js";
import { formatValue } from "./format.js";
import { shortName } from "./render/unit-names.js";
import { t } from "./strings.js";

function cell(quantity, value, extra = {}) {
  return el("span", { class: `nv-value${value !== null && value < 0 ? " nv-negative" : ""}`,
    "data-quantity": quantity, "data-scope": "batch", "data-value": value === null ? "null" : String(value),
    title: formatValue(value, true), ...extra }, formatValue(value));
}

export function unitTerms(answer, ref, sizes) {
  const box = el("section", { class: "nv-terms" });
  if (!answer) {
    box.append(el("p", { class: "nv-hint" }, t("ex.loading")));
    return box;
  }
  if (answer.error !== undefined) {
    box.append(el("p", { class: "nv-hint" }, answer.error?.message ?? t("ex.unavailable")));
    return box;
  }
  const { means } = answer.value;
  const list = el("dl", { class: "nv-batch" });
  const line = (label, quantity, value) => list.append(el("dt", { class: "nv-term" }, label),
    el("dd", {}, cell(quantity, value)));
  if (means.output) {
    line(t("ex.inspector.gradA"), "grad_a", means.output.grad_a);
    if (means.derivative !== null) line(t("ex.inspector.derivative"), "derivative", means.derivative);
    box.append(el("h4", {}, t("ex.inspector.fromLoss")), list);
    return box;
  }
  line(t("ex.inspector.derivative"), "derivative", means.derivative);
  const table = el("table", { class: "nv-terms-table" });
  table.append(el("thead", {}, el("tr", {}, el("th", {}, t("ex.inspector.termFrom")), el("th", {}, "w"),
    el("th", {}, "δ"), el("th", {}, "w·δ"))));
  const body = el("tbody");
  for (const term of means.terms) {
    const data = { "data-unit": term.unit };
    body.append(el("tr", {}, el("th", { scope: "row" }, shortName(ref.layer + 1, term.unit, sizes)),
      el("td", {}, cell("term_weight", term.weight, data)), el("td", {}, cell("term_delta", term.delta, data)),
      el("td", {}, cell("term_product", term.product, data))));
  }
  table.append(body);
  const sum = el("dl", { class: "nv-batch" });
  sum.append(el("dt", { class: "nv-term" }, t("ex.inspector.sum")), el("dd", {}, cell("sum", means.sum)));
  box.append(el("h4", {}, t("ex.inspector.terms")), list, table, sum,
    el("p", { class: "nv-note" }, t("ex.inspector.meansNote")));
  return box;
}

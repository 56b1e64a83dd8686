// The inspector: every number of one node or one link, for the batch and for each sample.
//
// Interface (render/network.js creates and drives one; main.js needs nothing from here):
//   createInspector(container, {extra, editor})  → { show(ref, ctx), element }
//     extra(ref, ctx) → element | null   optional: more about a unit (its f′(z) and terms w·δ)
//     editor(ref, ctx) → element | null  optional: a field to set the pinned weight or bias (param-editor.js)
//     ref = null | {kind: "node", layer, unit} | {kind: "link", layer, from, to}
//           node layer 0 = the inputs; link layer l = weights[l] (from node layer l to l + 1)
//     ctx = { sizes, weights, biases, trace | null, phase | null, spec, inputs, pinned }
//           inputs: the input units' names when they are features (x₁², sin x₂ …), else null
//           weights/biases are the values the shown step started from (the "old" ones)
// Only what the shown phase has computed appears: no δ, ∂E/∂w or Δw before their phases.
//
// DOM hooks: the root is `#inspector`. Every number is a cell with `data-quantity` and
// `data-value` (the full-precision number, as JavaScript prints it: it reads back exactly).
//   batch cells   (data-scope="batch"):  link: w, grad_weights, weight_deltas, w_old, w_new,
//                 contribution_mean;  node: x | z, a, grad_z, b, grad_biases, bias_deltas, b_old, b_new
//   sample cells  (data-scope="sample", data-sample=i): link: a_from, grad_z_to, contribution;
//                 node: x | z, a, grad_z, t (targets, output nodes only)

import { el } from "./elements.js";
import { digitsToTell, formatValue } from "./format.js";
import { shortName, unitName } from "./render/unit-names.js";
import { t } from "./strings.js";

const SAMPLE_ROWS = 24; // per-sample rows shown before "show all"

function column(matrix, j) {
  return matrix ? matrix.map((row) => row[j]) : null;
}

function mean(values) {
  if (!values || values.length === 0) return null;
  let sum = 0;
  for (const v of values) {
    if (v === null) return null;
    sum += v;
  }
  return sum / values.length;
}

/** The index of the phase's progress: which quantities the shown phase has reached. */
function reached(phase, sizes) {
  const L = sizes.length - 1;
  if (!phase) return { forward: L, loss: true, backward: 1, update: true };
  switch (phase.kind) {
    case "forward": return { forward: phase.layer, loss: false, backward: L + 1, update: false };
    case "loss": return { forward: L, loss: true, backward: L + 1, update: false };
    case "backward": return { forward: L, loss: true, backward: phase.layer, update: false };
    default: return { forward: L, loss: true, backward: 1, update: true };
  }
}

// ---- the inspector -----------------------------------------------------------------------

export function createInspector(container, { extra, editor } = {}) {
  let root = container;
  if (container.id !== "inspector") {
    root = el("section", { class: "nv-inspector" });
    root.id = "inspector";
    container.append(root);
  } else {
    root.classList.add("nv-inspector");
  }
  root.setAttribute("aria-label", t("nv.inspector.title"));
  let full = false;
  let showAll = false;
  let last = { ref: null, ctx: null };

  function valueCell(quantity, value, scope, sample, digits = 3) {
    const cell = el("span", { class: "nv-value" }, formatValue(value, full, digits));
    cell.dataset.quantity = quantity;
    cell.dataset.scope = scope;
    cell.dataset.value = value === null || value === undefined ? "null" : String(value);
    if (sample !== undefined) cell.dataset.sample = String(sample);
    cell.title = formatValue(value, true);
    if (value !== null && value < 0) cell.classList.add("nv-negative");
    return cell;
  }

  /** One "label … value" line of the batch summary. */
  function line(list, label, quantity, value, { hint } = {}) {
    const term = el("dt", { class: "nv-term" }, label);
    if (hint) term.title = hint;
    const def = el("dd");
    def.append(valueCell(quantity, value, "batch"));
    list.append(term, def);
  }

  /** "old → new" on one line, both cells tagged, with digits enough that a change never rounds away. */
  function change(list, label, oldQ, oldV, newQ, newV) {
    const def = el("dd", { class: "nv-change" });
    const digits = digitsToTell(oldV, newV);
    def.append(valueCell(oldQ, oldV, "batch", undefined, digits), el("span", { class: "nv-arrow" }, " → "),
      valueCell(newQ, newV, "batch", undefined, digits));
    list.append(el("dt", { class: "nv-term" }, label), def);
  }

  function sampleTable(headers, columns, quantities, trace) {
    const n = columns[0].length;
    const shown = showAll ? n : Math.min(n, SAMPLE_ROWS);
    const table = el("table", { class: "nv-samples" });
    const head = el("tr");
    head.append(el("th", {}, t("nv.inspector.sample")));
    for (const h of headers) head.append(el("th", {}, h));
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    for (let s = 0; s < shown; s++) {
      const tr = el("tr");
      const index = trace.sample_indices ? trace.sample_indices[s] : null;
      const label = el("th", {}, String(s + 1));
      if (index !== null) label.title = t("nv.inspector.sampleIndex", { index });
      label.scope = "row";
      tr.append(label);
      columns.forEach((col, k) => {
        const td = el("td");
        td.append(valueCell(quantities[k], col[s], "sample", s));
        tr.append(td);
      });
      body.append(tr);
    }
    table.append(thead, body);
    const wrap = el("div", { class: "nv-samples-wrap" });
    wrap.tabIndex = 0; // scrollable from the keyboard
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", t("nv.inspector.perSampleTable"));
    wrap.append(table);
    if (n > SAMPLE_ROWS) {
      const more = el("button", { class: "nv-more" }, showAll ? t("nv.inspector.showFewer") : t("nv.inspector.showAll", { n }));
      more.type = "button";
      more.addEventListener("click", () => { showAll = !showAll; render(); });
      wrap.append(more);
    }
    return wrap;
  }

  /** The field that sets the pinned weight or bias, under its batch values. */
  function appendEditor(ref, ctx, body) {
    const field = ctx.pinned ? editor?.(ref, ctx) : null;
    if (field) body.append(field);
  }

  function linkBody(ref, ctx, body, outer) {
    const { sizes, weights, trace, phase, spec, inputs } = ctx;
    const { layer: l, from: i, to: j } = ref;
    const w = weights[l][i][j];
    const title = el("h3", { class: "nv-inspector-title" }, t("nv.inspector.link", {
      from: shortName(l, i, sizes, inputs), to: shortName(l + 1, j, sizes) }));
    const sub = el("p", { class: "nv-inspector-sub" }, t("nv.inspector.linkIndex", { l, i, j }));
    body.append(title, sub);
    const list = el("dl", { class: "nv-batch" });
    const seen = reached(phase, sizes);
    line(list, trace ? t("nv.q.w") : t("nv.q.w_now"), "w", w);
    const gradKnown = trace && seen.backward <= l + 1;
    if (gradKnown) line(list, t("nv.q.grad_weights"), "grad_weights", trace.backward[l].grad_weights[i][j]);
    if (trace && seen.update) {
      line(list, t("nv.q.weight_deltas"), "weight_deltas", trace.update[l].weight_deltas[i][j],
        { hint: t(`nv.rule.${spec?.optimizer?.name ?? "sgd"}`) });
      change(list, t("nv.q.w_change"), "w_old", w, "w_new", trace.update[l].weights[i][j]);
    }
    body.append(list);
    appendEditor(ref, ctx, body);
    if (!trace) {
      body.append(el("p", { class: "nv-hint" }, t("nv.inspector.noTrace")));
      return;
    }
    const aFrom = l === 0 ? column(trace.inputs, i) : column(trace.forward[l - 1].a, i);
    const section = el("section", { class: "nv-per-sample" });
    if (seen.forward < l || !gradKnown) {
      // Before its gradient: the value arriving from the source unit, once the forward pass has it.
      if (seen.forward < l) return;
      section.append(el("h4", {}, t("nv.inspector.perSampleNode")),
        sampleTable([t("nv.q.a_from", { name: shortName(l, i, sizes, inputs) })], [aFrom], ["a_from"], trace));
      outer.append(section);
      return;
    }
    const dTo = column(trace.backward[l].grad_z, j);
    const contribution = aFrom.map((a, s) => (a === null || dTo[s] === null ? null : a * dTo[s]));
    section.append(el("h4", {}, t("nv.inspector.perSampleLink")));
    const totals = el("dl", { class: "nv-batch" });
    line(totals, t("nv.q.contribution_mean"), "contribution_mean", mean(contribution),
      { hint: t("nv.inspector.contributionHint") });
    if (spec?.regularization && spec.regularization.kind !== "none" && spec.regularization.rate > 0) {
      totals.append(el("dd", { class: "nv-note" }, t("nv.inspector.regularized", {
        kind: spec.regularization.kind.toUpperCase(), rate: spec.regularization.rate })));
    }
    section.append(totals, sampleTable(
      [t("nv.q.a_from", { name: shortName(l, i, sizes, inputs) }),
        t("nv.q.grad_z_to", { name: shortName(l + 1, j, sizes) }),
        t("nv.q.contribution")],
      [aFrom, dTo, contribution], ["a_from", "grad_z_to", "contribution"], trace));
    outer.append(section);
  }

  function nodeBody(ref, ctx, body, outer) {
    const { sizes, biases, trace, phase, inputs } = ctx;
    const { layer: k, unit: u } = ref;
    const L = sizes.length - 1;
    const title = el("h3", { class: "nv-inspector-title" }, unitName(k, u, sizes, inputs));
    body.append(title);
    if (k > 0) {
      const fn = k === L ? ctx.spec?.output_activation : ctx.spec?.activation;
      if (fn) body.append(el("p", { class: "nv-inspector-sub" }, t("nv.inspector.activation", { fn: t(`nv.fn.${fn}`) })));
    }
    const list = el("dl", { class: "nv-batch" });
    const seen = reached(phase, sizes);
    if (k === 0) {
      if (trace) line(list, t("nv.q.x_mean"), "x", mean(column(trace.inputs, u)));
    } else if (trace) {
      const f = trace.forward[k - 1];
      if (seen.forward >= k) {
        line(list, t("nv.q.z_mean"), "z", mean(column(f.z, u)));
        line(list, t("nv.q.a_mean"), "a", mean(column(f.a, u)));
      }
      if (seen.backward <= k) line(list, t("nv.q.grad_z_mean"), "grad_z", mean(column(trace.backward[k - 1].grad_z, u)));
    }
    if (k > 0 && biases) {
      const b = biases[k - 1][u];
      line(list, trace ? t("nv.q.b") : t("nv.q.b_now"), "b", b);
      if (trace && trace.update[k - 1].biases) {
        if (seen.backward <= k) line(list, t("nv.q.grad_biases"), "grad_biases", trace.backward[k - 1].grad_biases[u]);
        if (seen.update) {
          line(list, t("nv.q.bias_deltas"), "bias_deltas", trace.update[k - 1].bias_deltas[u]);
          change(list, t("nv.q.b_change"), "b_old", b, "b_new", trace.update[k - 1].biases[u]);
        }
      }
    }
    body.append(list);
    appendEditor(ref, ctx, body);
    const more = trace && k > 0 ? extra?.(ref, ctx) : null;
    if (more) body.append(more);
    if (!trace) {
      body.append(el("p", { class: "nv-hint" }, t("nv.inspector.noTrace")));
      return;
    }
    if (k > 0 && seen.forward < k) return;
    const section = el("section", { class: "nv-per-sample" });
    section.append(el("h4", {}, t("nv.inspector.perSampleNode")));
    if (k === 0) {
      section.append(sampleTable([t("nv.q.x")], [column(trace.inputs, u)], ["x"], trace));
    } else {
      const headers = [t("nv.q.z"), t("nv.q.a")];
      const cols = [column(trace.forward[k - 1].z, u), column(trace.forward[k - 1].a, u)];
      const qs = ["z", "a"];
      if (seen.backward <= k) {
        headers.push(t("nv.q.grad_z"));
        cols.push(column(trace.backward[k - 1].grad_z, u));
        qs.push("grad_z");
      }
      if (k === L && trace.targets && seen.loss) {
        headers.push(t("nv.q.t"));
        cols.push(column(trace.targets, u));
        qs.push("t");
      }
      section.append(sampleTable(headers, cols, qs, trace));
    }
    outer.append(section);
  }

  function render() {
    const { ref, ctx } = last;
    const focused = root.contains(document.activeElement) ? document.activeElement.className : null;
    const header = el("div", { class: "nv-inspector-head" });
    header.append(el("h2", { class: "nv-inspector-heading" }, t("nv.inspector.title")));
    const toggle = el("label", { class: "nv-full-toggle" });
    const box = el("input");
    box.type = "checkbox";
    box.checked = full;
    box.addEventListener("change", () => { full = box.checked; render(); });
    toggle.append(box, el("span", {}, t("nv.inspector.fullPrecision")));
    header.append(toggle);
    // Two parts: the summary (names and batch values) and the per-sample table; side by side
    // when the inspector is wide and short, stacked when it is a narrow column.
    const summary = el("div", { class: "nv-summary" });
    const body = el("div", { class: "nv-inspector-body" });
    body.append(summary);
    root.classList.toggle("nv-empty", !ref || !ctx);
    root.classList.toggle("nv-full", full);
    if (!ref || !ctx) {
      summary.append(el("p", { class: "nv-hint" }, t("nv.inspector.empty")));
    } else {
      if (ref.kind === "link") linkBody(ref, ctx, summary, body);
      else nodeBody(ref, ctx, summary, body);
      if (ctx.pinned) summary.append(el("p", { class: "nv-pinned" }, t("nv.inspector.pinned")));
    }
    root.replaceChildren(header, body);
    if (focused === "nv-more") root.querySelector(".nv-more")?.focus();
    else if (focused === "nv-edit-input") root.querySelector(".nv-edit-input")?.focus();
    else if (focused !== null) box.focus();
  }

  function show(ref, ctx) {
    // Nothing to inspect, as before: the hint stays (while playing this is asked at every frame).
    if ((!ref || !ctx) && (!last.ref || !last.ctx)) return;
    const same = last.ref && ref && JSON.stringify(last.ref) === JSON.stringify(ref);
    if (!same) showAll = false;
    last = { ref, ctx };
    render();
  }

  render();
  return { show, element: root };
}

// Setting a weight or a bias by hand: the inspector's value field for the pinned weight (or the
// pinned unit's bias). Enter sets it on the server (PATCH /networks/{id} with `parameters`; the
// optimizer's state, the step and the initial weights are kept) and the page redraws from the
// answer; Escape puts back the value in force. The value edited is the network's now
// (session.state), whatever step the picture shows.
//
//   createParamEditor({session, messages, onEdited}) → editorFor(ref, ctx) → element | null
//     editorFor is inspector.js's `editor` hook: a field for a link or a non-input unit with a bias
//     (ctx.biases not null), null for anything else. onEdited(state) follows a value set.
//     The field keeps its node and its draft across the inspector's redraws.

import { el } from "./elements.js";
import { formatCount } from "./format.js";
import { t } from "./strings.js";

/** What a ref edits: the PATCH's {layer, kind, index} and the value in force in `state`; null if nothing. */
export function parameterOf(ref, state) {
  if (!ref || !state) return null;
  if (ref.kind === "link") {
    const value = state.weights[ref.layer]?.[ref.from]?.[ref.to];
    return value === undefined ? null : { layer: ref.layer, kind: "weight", index: [ref.from, ref.to], value };
  }
  if (ref.kind !== "node" || ref.layer === 0 || !state.biases) return null;
  const value = state.biases[ref.layer - 1]?.[ref.unit];
  return value === undefined ? null : { layer: ref.layer - 1, kind: "bias", index: [ref.unit], value };
}

/** The number typed, or NaN: full-width digits and the minus sign "−" are read as "-". */
export function readNumber(text) {
  const plain = text.normalize("NFKC").replace(/[−–]/g, "-").trim();
  return plain === "" || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(plain) ? Number.NaN : Number(plain);
}

export function createParamEditor({ session, messages, onEdited }) {
  let field = null; // {key, node, input, hint, parameter, dirty}

  function setHint(text, invalid) {
    field.hint.textContent = text;
    field.input.setAttribute("aria-invalid", invalid ? "true" : "false");
    field.node.classList.toggle("nv-edit-refused", invalid);
  }

  function putBack() {
    field.input.value = String(field.parameter.value);
    field.dirty = false;
    setHint(t("edit.hint"), false);
  }

  async function send() {
    const { parameter } = field;
    const value = readNumber(field.input.value);
    if (!Number.isFinite(value)) return setHint(t("edit.notNumber"), true);
    if (value === parameter.value) return putBack();
    const mine = field;
    try {
      const { layer, kind, index } = parameter;
      const state = await session.patch({ parameters: [{ layer, kind, index, value }] });
      if (field !== mine) return;
      field.dirty = false;
      messages.info(t(kind === "weight" ? "edit.doneWeight" : "edit.doneBias", { value: String(value) }));
      onEdited?.(state);
    } catch (error) {
      if (field !== mine) return;
      const max = error?.code === "limit_exceeded" ? error.params?.max : undefined;
      setHint(max === undefined ? error.message : t("edit.tooLarge", { max: formatCount(Number(max)) }), true);
    }
  }

  function build(key, parameter) {
    const input = el("input", { type: "text", inputmode: "decimal", id: "nv-edit-value", class: "nv-edit-input",
      autocomplete: "off", spellcheck: "false", "aria-describedby": "nv-edit-hint" });
    const hint = el("p", { class: "nv-edit-hint", id: "nv-edit-hint" });
    const label = t(parameter.kind === "weight" ? "edit.labelWeight" : "edit.labelBias");
    const node = el("div", { class: "nv-edit" }, el("label", { for: "nv-edit-value" }, label), input, hint);
    input.title = t("edit.hint");
    field = { key, node, input, hint, parameter, dirty: false };
    input.addEventListener("input", () => {
      field.dirty = true;
      if (field.node.classList.contains("nv-edit-refused")) setHint(t("edit.hint"), false);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        send();
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation(); // Escape cancels the edit; it does not unpin
        putBack();
      }
    });
    putBack();
  }

  return function editorFor(ref, ctx) {
    const parameter = ctx?.pinned ? parameterOf(ref, session.state) : null;
    if (!parameter) return null;
    const key = JSON.stringify([session.id, parameter.layer, parameter.kind, parameter.index]);
    if (field?.key !== key) build(key, parameter);
    else if (field.parameter.value !== parameter.value) {
      field.parameter = parameter;
      if (!field.dirty) putBack(); // the network moved on (a step, a reset): show its value now
    }
    return field.node;
  };
}

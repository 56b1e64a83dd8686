// The server's refusals and divergences in the page's language. The API answers every error with a
// stable `code` and its `params` (beside an English `detail`), and a diverged step with where it
// broke (phase, layer, quantity): the sentence is built here from those, through the string table.
// An unknown code keeps the server's English `detail`.

import { formatCount, formatNumber } from "../format.js";
import { hasText, t } from "../strings.js";

/** The setting a request field stands for (its last name: `optimizer.momentum` → momentum). */
const FIELD_PROPERTY = {
  learning_rate: "learningRate", momentum: "momentum", rho: "rho", beta1: "beta1", beta2: "beta2",
  epsilon: "epsilon", batch_size: "batchSize", rate: "regularizationRate", kind: "regularization",
  noise: "noise", train_fraction: "trainFraction", n_samples: "samples", seed: "dataSeed",
  layer_sizes: "hidden", activation: "activation", output_activation: "outputActivation", loss: "loss",
  leaky_relu_slope: "leakySlope", name: "optimizer", use_bias: "useBias",
};

/** The learner's name of an API field, e.g. "optimizer.momentum" → "momentum μ" (or the field itself). */
export function fieldName(field) {
  if (!field) return "";
  const last = String(field).split(".").at(-1).replace(/\[\d+\]$/, "");
  const property = FIELD_PROPERTY[last];
  return property ? t(`property_${property}`) : String(field);
}

// pydantic's range checks; their bound is the number ending its message ("Input should be less than 1").
const BOUNDS = ["less_than", "less_than_equal", "greater_than", "greater_than_equal"];

function refusedValue(body) {
  const what = fieldName(body.field);
  const first = body.errors?.[0];
  if (first && BOUNDS.includes(first.type)) {
    const bound = /(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*$/i.exec(first.msg ?? "")?.[1];
    if (bound !== undefined) return t(`api.invalid_value.${first.type}`, { what, bound: formatNumber(Number(bound), 6) });
  }
  return what ? t("api.invalid_value.field", { what }) : t("api.invalid_value");
}

/** A sentence starts with a capital, whatever the name it starts with ("momentum must be ..."). */
const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** One sentence for an error body {code, params, detail, field, errors}, in the page's language. */
export function apiMessage(body, status) {
  const code = body?.code;
  if (code === "invalid_value") return sentence(refusedValue(body));
  const key = `api.${code}`;
  if (!code || !hasText(key)) return typeof body?.detail === "string" ? body.detail : t("errorServer", { status });
  const params = Object.fromEntries(Object.entries(body.params ?? {}).map(([k, v]) =>
    [k, typeof v !== "number" ? v : Number.isInteger(v) ? formatCount(v) : formatNumber(v, 6)]));
  if (code === "limit_exceeded") params.what = fieldName(body.field);
  if (Array.isArray(params.allowed)) params.allowed = params.allowed.join(", ");
  return sentence(t(key, params));
}

const QUANTITY = { grad_z: "δ", grad_a: "∂E/∂a", grad_weights: "∂E/∂w", weights: "w" };

/** A diverged step ({phase, layer, quantity}) as a sentence: what overflowed, and what to try. */
export function divergenceMessage(divergence) {
  const where = divergence.phase === "update" && divergence.quantity !== "weights" ? "optimizer" : divergence.phase;
  const key = `diverged.${where}`;
  const layer = divergence.layer === null || divergence.layer === undefined ? "" : divergence.layer + 1;
  if (!hasText(key)) return divergence.message;
  return `${t(key, { layer, quantity: QUANTITY[divergence.quantity] ?? divergence.quantity })} ${t("diverged.advice")}`;
}

// The server's refusals and divergences in the page's language. The API answers every error with a
// stable `code` and its `params` (beside an English `detail`), and a diverged step with where it
// broke (phase, layer, quantity): the sentence is built here from those, through the string table.
// An unknown code keeps the server's English `detail`. A refused value and a server limit are worded
// by refusals.js (the field's own message says the same), and the params' numbers written as it writes them.

import { explainRefusal, fieldName, limitRefusal, refusalParams } from "../refusals.js";
import { hasText, t } from "../strings.js";

/** A refused value ({field, errors}): refusals.js words it, as the page words a value it refuses itself. */
function refusedValue(body) {
  const explained = explainRefusal(body);
  if (explained) return explained;
  const what = fieldName(body.field);
  return what ? t("api.invalid_value.field", { what }) : t("api.invalid_value");
}

/** A sentence starts with a capital, whatever the name it starts with ("momentum must be ..."). */
const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** One sentence for an error body {code, params, detail, field, errors}, in the page's language. */
export function apiMessage(body, status) {
  const code = body?.code;
  if (code === "invalid_value") return sentence(refusedValue(body));
  if (code === "limit_exceeded") return sentence(limitRefusal(body));
  const sized = code === "network_too_large" || code === "answer_too_large";
  const removed = code === "network_not_found" && body.params?.removed_for_room; // the store's bound in bytes
  const key = sized && !body.field ? `api.${code}.any`  // a bound in bytes with no field to lower
    : removed ? "api.network_not_found.removed_for_room" : `api.${code}`;
  if (!code || !hasText(key)) return typeof body?.detail === "string" ? body.detail : t("errorServer", { status });
  const params = refusalParams(body.params);
  if (sized) params.what = fieldName(body.field);
  if (Array.isArray(params.allowed)) params.allowed = params.allowed.join(", ");
  return sentence(t(key, params));
}

const QUANTITY = { grad_z: "δ", grad_a: "∂E/∂a", grad_weights: "∂E/∂w", weights: "w" };

/** A diverged step ({phase, layer, quantity}) as a sentence: what overflowed, and (unless not `advice`) what to try. */
export function divergenceMessage(divergence, { advice = true } = {}) {
  const where = divergence.phase === "update" && divergence.quantity !== "weights" ? "optimizer" : divergence.phase;
  const key = `diverged.${where}`;
  const layer = divergence.layer === null || divergence.layer === undefined ? "" : divergence.layer + 1;
  if (!hasText(key)) return divergence.message;
  const what = t(key, { layer, quantity: QUANTITY[divergence.quantity] ?? divergence.quantity });
  return advice ? what + t("sentenceGap") + t("diverged.advice") : what;
}

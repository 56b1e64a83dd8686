// The REST client: one function per endpoint of /api/v1. The contract is the OpenAPI document
// the server serves (/openapi.json, browsable at /docs), generated from the pydantic models in app/schemas.
// Every failure becomes an ApiError whose message is one plain sentence: the server's
// refusal in the page's language from its error `code` (i18n/messages.js), or our own words for a
// network failure or a timeout.

import { apiMessage } from "./i18n/messages.js";
import { t } from "./strings.js";

const BASE = "/api/v1";
const TIMEOUT_MS = 30_000;

export class ApiError extends Error {
  /**
   * @param {string} message  plain sentence for the learner
   * @param {number} status   HTTP status, 0 for no answer at all
   * @param {string|null} field  the dotted field the server blamed, if any
   * @param {{code?: string, params?: object, errors?: object[]}} [body]  the error body's stable
   *   `code` and its `params`, and the validation `errors` ({loc, msg, type, ctx?}), if any
   */
  constructor(message, status, field = null, { code = null, params = {}, errors = [] } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.field = field;
    this.code = code;
    this.params = params ?? {};
    this.errors = Array.isArray(errors) ? errors : [];
  }

  /** The session is gone on the server (expired or never existed); not a step it no longer keeps. */
  get expired() {
    return this.status === 404 && this.field !== "step";
  }
}

async function request(method, path, { body, query, signal } = {}) {
  const url = new URL(BASE + path, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  }
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const options = {
    method,
    headers: { Accept: "application/json" },
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let answer;
  try {
    answer = await fetch(url, options);
  } catch (error) {
    if (signal?.aborted) throw error; // the caller cancelled: not a failure to report
    const key = error?.name === "TimeoutError" ? "errorTimeout" : "errorOffline";
    throw new ApiError(t(key), 0);
  }
  if (answer.status === 204) return null;
  let payload = null;
  try {
    payload = await answer.json();
  } catch {
    payload = null;
  }
  if (!answer.ok) {
    throw new ApiError(apiMessage(payload, answer.status), answer.status, payload?.field ?? null, payload ?? {});
  }
  return payload;
}

const session = (id) => `/networks/${encodeURIComponent(id)}`;

/** GET /options: names, formulas, limits and defaults the controls are built from. */
export const getOptions = () => request("GET", "/options");

/** POST /networks: a new network from a creation body; answers its state. */
export const createNetwork = (body) => request("POST", "/networks", { body });

/** GET /networks/{id}: the current state. */
export const getNetwork = (id) => request("GET", session(id));

/** PATCH /networks/{id}: optimizer, regularization or batch size; the weights are kept. */
export const patchNetwork = (id, changes) => request("PATCH", session(id), { body: changes });

/** POST /networks/{id}/forward: the next mini-batch's forward pass, changing nothing. */
export const forward = (id, batch = {}) => request("POST", `${session(id)}/forward`, { body: batch });

/** POST /networks/{id}/step: one update with its whole trace. */
export const step = (id, batch = {}) => request("POST", `${session(id)}/step`, { body: batch });

/** The URL of POST /networks/{id}/train, for the full-speed pump (pump.js), which calls it itself. */
export const trainUrl = (id) => new URL(`${BASE}${session(id)}/train`, window.location.origin).href;

/** POST /networks/{id}/train: several updates, their losses, evaluations, state and maybe the boundary. */
export const train = (id, body, signal) => request("POST", `${session(id)}/train`, { body, signal });

/** POST /networks/{id}/predict: the outputs for given inputs. */
export const predict = (id, inputs) => request("POST", `${session(id)}/predict`, { body: { inputs } });

/** GET /networks/{id}/boundary: output and hidden activations over the input plane. */
export const getBoundary = (id, resolution, hiddenResolution) =>
  request("GET", `${session(id)}/boundary`, { query: { resolution, hidden_resolution: hiddenResolution } });

/** GET /networks/{id}/data: the training and test samples, e.g. to draw them. */
export const getData = (id) => request("GET", `${session(id)}/data`);

/** GET /networks/{id}/evaluation: loss and accuracy over the whole training and test sets now. */
export const getEvaluation = (id) => request("GET", `${session(id)}/evaluation`);

/** POST /networks/{id}/reset: back to the initial weights at step 0. */
export const resetNetwork = (id) => request("POST", `${session(id)}/reset`);

/** DELETE /networks/{id}: forget the session on the server. */
export const deleteNetwork = (id) => request("DELETE", session(id));

/** GET /networks/{id}/export: everything needed to continue elsewhere. */
export const exportNetwork = (id) => request("GET", `${session(id)}/export`);

/** POST /networks/import: a new session from an export; answers its state. */
export const importNetwork = (doc) => request("POST", "/networks/import", { body: doc });

// ---- explaining a kept step (the server keeps the last 20 applied steps; 404 with field "step" after) ----

/** GET /networks/{id}/explain/unit: f′(z), the terms w·δ and their sum behind one unit's δ. */
export const explainUnit = (id, { layer, unit, step }) =>
  request("GET", `${session(id)}/explain/unit`, { query: { layer, unit, step } });

/** GET /networks/{id}/explain/weight: ∂E/∂w as the mean of a·δ, and δ over its paths to the outputs. */
export const explainWeight = (id, { layer, source, target, step, sample, limit }) =>
  request("GET", `${session(id)}/explain/weight`, { query: { layer, source, target, step, sample, limit } });

/** GET /networks/{id}/explain/loss-curve: the batch loss as one weight alone varies, with the step on it. */
export const lossCurve = (id, { layer, source, target, step, points, lo, hi }) =>
  request("GET", `${session(id)}/explain/loss-curve`, { query: { layer, source, target, step, points, lo, hi } });

/** POST /networks/{id}/gradcheck: backprop's gradient beside a central difference, for every parameter. */
export const gradientCheck = (id, body = {}) => request("POST", `${session(id)}/gradcheck`, { body });

/** POST /races: one network per optimizer from one spec (or a two-weight surface preset). */
export const createRace = (body) => request("POST", "/races", { body });

/** POST /races/train: advance several networks in lockstep; each racer's /train answer. */
export const trainRace = (body, signal) => request("POST", "/races/train", { body, signal });

/** GET /surfaces: the two-weight loss-surface presets, as {surfaces: [...]}. */
export const getSurfaces = () => request("GET", "/surfaces");

/** POST /networks/{id}/surface: the loss over a plane of weight space. */
export const lossSurface = (id, body) => request("POST", `${session(id)}/surface`, { body });

/** GET /networks/{id}/steps/{n}/trace as a link to download (JSON, or CSV with one row per number). */
export const traceDownloadUrl = (id, step, format = "json") =>
  `${BASE}${session(id)}/steps/${step}/trace${format === "csv" ? "?format=csv" : ""}`;

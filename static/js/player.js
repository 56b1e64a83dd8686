// Play mode: continuous training that keeps one POST /train in flight: when an answer lands
// the next call (with `steps` = the speed setting) goes out, and each animation frame starts
// one if none is out. The boundary is asked for every few calls. The answers reach the pictures through the session's events
// (drawn at most once per frame by their listeners). Pausing lets the call in flight land
// (its state is real) and sends no more.

import { el, formatNumber } from "./elements.js";
import { t } from "./strings.js";

/** Steps per call for each position of the speed slider. */
export const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200];
const BOUNDARY_EVERY = 2; // calls
const BOUNDARY_MAX_MS = 250; // ...and at least this often

export class Player extends EventTarget {
  /**
   * @param {object} parts
   * @param {import("./session.js").Session} parts.session
   * @param {import("./errors.js").Messages} parts.messages
   * @param {HTMLButtonElement} parts.button  the play/pause button
   * @param {HTMLInputElement} parts.speed  the speed slider (an index into SPEEDS)
   * @param {HTMLOutputElement} parts.speedOut
   * @param {() => object|null} parts.boundaryRequest  {resolution, hidden_resolution} or null
   * @param {() => Promise<boolean>} parts.beforePlay  readies the session; false cancels playing
   */
  constructor({ session, messages, button, speed, speedOut, boundaryRequest, beforePlay }) {
    super();
    this.session = session;
    this.messages = messages;
    this.button = button;
    this.speed = speed;
    this.speedOut = speedOut;
    this.boundaryRequest = boundaryRequest;
    this.beforePlay = beforePlay ?? (async () => true);
    this.playing = false;
    this.starting = false;
    this.inFlight = null;
    this.calls = 0;
    this.lastBoundaryAt = 0;
    this.frame = null;

    speed.min = "0";
    speed.max = String(SPEEDS.length - 1);
    speed.step = "1";
    speed.addEventListener("input", () => this.showSpeed());
    button.addEventListener("click", () => this.toggle());
    this.showSpeed();
    this.showButton();
  }

  get stepsPerCall() {
    return SPEEDS[Number(this.speed.value)] ?? 1;
  }

  showSpeed() {
    this.speedOut.textContent = t("speedValue", { steps: this.stepsPerCall });
    this.speed.setAttribute("aria-valuetext", t("speedValueLong", { steps: this.stepsPerCall }));
    this.speedOut.title = t("speedValueLong", { steps: this.stepsPerCall });
  }

  showButton() {
    this.button.textContent = this.playing ? t("pause") : t("play");
    this.button.setAttribute("aria-pressed", String(this.playing));
    this.button.classList.toggle("playing", this.playing);
    this.button.setAttribute("aria-keyshortcuts", "Space");
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  async play() {
    if (this.playing || this.starting || !this.session.id) return;
    this.starting = true;
    const ready = await this.beforePlay().finally(() => (this.starting = false));
    if (!ready) return;
    this.playing = true;
    this.calls = 0;
    this.messages.clearError();
    this.showButton();
    this.dispatchEvent(new Event("play"));
    this.frame ??= requestAnimationFrame((now) => this.tick(now)); // one frame loop at a time
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.showButton();
    this.dispatchEvent(new Event("pause"));
  }

  /** Back to the initial weights at step 0; listeners of "reset" clear what they drew. */
  async reset() {
    this.pause();
    await this.settle();
    try {
      await this.session.reset();
      this.messages.clearError();
      this.dispatchEvent(new Event("reset"));
    } catch (error) {
      this.messages.error(t("errorTitleReset"), error);
    }
  }

  /** Resolves when no call is in flight (e.g. before going back in history). */
  async settle() {
    while (this.inFlight) await this.inFlight;
  }

  tick(now) {
    this.frame = null;
    if (!this.playing) return;
    if (!this.inFlight) this.send(now);
    this.frame = requestAnimationFrame((next) => this.tick(next));
  }

  send(now) {
    const steps = this.stepsPerCall;
    const body = { steps, eval_every: steps };
    const boundary = this.boundaryRequest();
    if (boundary && (this.calls % BOUNDARY_EVERY === 0 || now - this.lastBoundaryAt >= BOUNDARY_MAX_MS)) {
      body.boundary = boundary;
      this.lastBoundaryAt = now;
    }
    this.calls += 1;
    const call = this.session.train(body)
      .then((result) => {
        if (result?.diverged) {
          this.pause();
          this.messages.diverged(result.diverged);
        }
      })
      .catch((error) => {
        this.pause();
        this.messages.error(t("errorTitleTrain"), error, t("hintTrain"));
      })
      .finally(() => {
        if (this.inFlight === call) this.inFlight = null;
        // The next call goes out at once: the server never idles waiting for a frame.
        if (this.playing) this.send(performance.now());
      });
    this.inFlight = call;
  }
}

/** The step counter and epoch line beside the play button. */
export function renderCounter(node, state) {
  if (!node.firstChild) {
    node.append(
      el("span", { class: "counter-label" }, t("stepLabel")),
      el("span", { class: "counter-value", id: "step-count" }),
      el("span", { class: "counter-epoch" }));
  }
  node.querySelector(".counter-value").textContent = state ? state.step.toLocaleString("en-US") : "0";
  node.querySelector(".counter-epoch").textContent = state ? t("epochValue", { epoch: formatNumber(state.epoch, 4) }) : "";
}

// Play mode: continuous training through POST /train, with exactly one call in flight.
//
// The speed control sets training steps per second. At a set speed each animation frame asks
// for the steps owed since the last call (so 1 step/s really is one step a second). At full
// speed ("max") a Web Worker (pump.js) makes the calls: the next goes out the moment an answer
// lands, without waiting for the page to finish drawing a frame, and its number of steps is sized
// from the last calls' times so that one call takes about SERVER_MS to its first byte. Each answer
// also brings states from inside its call, which the network picture draws one per frame until
// the next answer lands (play-frames.js), so the frames no longer wait for answers: longer calls
// spend less of the server's time on each call's fixed cost and less of the page's on drawing
// the charts, which follow the answers (about 16 a second). The boundary is asked for every few
// frames (BOUNDARY_MS). The answers reach the pictures through the session's events; the pictures
// draw only at animation frames, the latest answer winning. Pausing lets the call in flight land
// (its state is real) and sends no more.

import { ApiError, trainUrl } from "./api.js";
import { el, setText } from "./elements.js";
import { formatCount, formatNumber } from "./format.js";
import { t } from "./strings.js";

/** Training steps per second for each position of the speed slider; the last is "max". */
export const SPEEDS = [1, 3, 10, 30, 100, 300, 1000, Infinity];
export const DEFAULT_SPEED = 6; // 1,000 steps per second
// At full speed, a call's aimed time to its first byte. Measured in headless Chromium here, with the
// states inside calls drawn: 15 → 45 ms took six layers of 8 from 40 to 47 frames/s and every size
// to more steps per second; 45 → 60 ms, +7 % steps/s on 4,2 and +3 frames/s on six layers of 8;
// 80 ms hardly more, and a pause waits for the call in flight.
const SERVER_MS = 60;
const FIRST_STEPS = 20; // the first call at full speed, before any call was timed
const MAX_STEPS = 2000; // per call, whatever the timing says
const BOUNDARY_MS = 60; // the boundary comes with a call at most this often (every ~4 frames)
const BACKLOG_S = 0.25; // at a set speed, steps owed for longer than this are forgiven
const RATE_WINDOW_MS = 500; // while playing, the rate reached is measured over this long
const MAX_SNAPSHOTS = 8; // states from inside a call at full speed: a few frames' worth (the server allows more)

export class Player extends EventTarget {
  /**
   * @param {object} parts
   * @param {import("./session.js").Session} parts.session
   * @param {import("./banner.js").Messages} parts.messages
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
    this.lastBoundaryAt = -Infinity;
    this.frame = null;
    this.fullSteps = FIRST_STEPS; // steps per call at full speed, adapted to the calls' times
    this.clock = null; // at a set speed: {since, owed} steps owed since `since`
    this.pump = null; // the full-speed worker, made on first use
    this.pumping = false;
    this.frameMs = 1000 / 60; // the time between animation frames, measured while playing
    this.lastTick = null;

    speed.min = "0";
    speed.max = String(SPEEDS.length - 1);
    speed.step = "1";
    if (!(Number(speed.value) in SPEEDS)) speed.value = String(DEFAULT_SPEED);
    speed.addEventListener("input", () => {
      this.showSpeed();
      this.clock = null;
    });
    button.addEventListener("click", () => this.toggle());
    this.showSpeed();
    this.showButton();
  }

  /** Steps per second, Infinity at full speed. */
  get rate() {
    return SPEEDS[Number(this.speed.value)] ?? SPEEDS[DEFAULT_SPEED];
  }

  /**
   * The readout: while playing, the steps per second reached (measured over the last half
   * second); paused, the setting.
   */
  showSpeed() {
    const rate = this.rate;
    const full = !Number.isFinite(rate);
    const steps = full ? "" : formatCount(rate);
    const setting = full ? t("speedMaxLong") : t("speedValueLong", { steps });
    const reached = this.playing ? this.reached : null;
    this.speedOut.classList.toggle("reached", reached !== null && reached !== undefined);
    if (reached !== null && reached !== undefined) {
      const value = formatCount(Math.round(reached));
      this.speedOut.textContent = t("speedReached", { steps: value });
      this.speedOut.dataset.reached = String(reached);
      this.speedOut.title = t("speedReachedLong", { steps: value, setting });
      return;
    }
    delete this.speedOut.dataset.reached;
    this.speedOut.textContent = full ? t("speedMax") : t("speedValue", { steps });
    const long = setting;
    this.speed.setAttribute("aria-valuetext", long);
    this.speedOut.title = long;
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
    this.clock = null;
    this.meter = null;
    this.reached = null;
    this.messages.clearError();
    this.showButton();
    this.dispatchEvent(new Event("play"));
    this.frame ??= requestAnimationFrame((now) => this.tick(now)); // one frame loop at a time
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    if (this.pumping) this.pump.postMessage({ type: "stop" });
    this.showButton();
    this.showSpeed();
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
    if (this.lastTick !== null && now - this.lastTick < 100) {
      this.frameMs = 0.9 * this.frameMs + 0.1 * Math.max(4, now - this.lastTick);
    }
    this.lastTick = now;
    this.measure(now);
    const full = !Number.isFinite(this.rate);
    if (!this.inFlight) {
      if (full) this.startPump();
      else this.send(now);
    } else if (this.pumping && !full) {
      this.pump.postMessage({ type: "stop" }); // a set speed again: the frames pace the calls
    }
    this.frame = requestAnimationFrame((next) => this.tick(next));
  }

  /** The steps per second reached since the last measure, shown every RATE_WINDOW_MS. */
  measure(now) {
    const step = this.session.state?.step ?? 0;
    if (!this.meter || step < this.meter.step) {
      this.meter = { at: now, step };
      return;
    }
    const elapsed = now - this.meter.at;
    if (elapsed < RATE_WINDOW_MS) return;
    this.reached = ((step - this.meter.step) * 1000) / elapsed;
    this.meter = { at: now, step };
    this.showSpeed();
    if (this.pumping) this.pump.postMessage({ type: "frame", frameMs: this.frameMs });
  }

  /** Full speed: the worker calls /train back to back until stopped; its answers come here. */
  startPump() {
    if (!this.pump) {
      this.pump = new Worker(new URL("./pump.js", import.meta.url), { type: "module" });
      this.pump.onmessage = ({ data }) => this.fromPump(data);
    }
    this.pumpId = this.session.id;
    this.pumping = true;
    this.inFlight = new Promise((resolve) => (this.pumpStopped = resolve));
    this.pump.postMessage({ type: "start", url: trainUrl(this.pumpId), boundary: this.boundaryRequest(),
      boundaryMs: BOUNDARY_MS, serverMs: SERVER_MS, steps: this.fullSteps, maxSteps: MAX_STEPS,
      frameMs: this.frameMs, maxSnapshots: MAX_SNAPSHOTS });
  }

  fromPump(data) {
    if (data.type === "answer") {
      this.fullSteps = data.next;
      this.count(data.timing);
      if (!this.session.trained(data.result, this.pumpId)) return;
      if (data.result.diverged) {
        this.pause();
        this.messages.diverged(data.result.diverged);
      }
    } else if (data.type === "error") {
      const error = new ApiError(data.detail ?? t(data.status === 0 ? "errorOffline" : "errorServer",
        { status: data.status }), data.status, data.field);
      this.pause();
      if (error.expired && this.pumpId === this.session.id) this.revive(error);
      else this.messages.error(t("errorTitleTrain"), error, t("hintTrain"));
    } else if (data.type === "stopped") {
      this.pumping = false;
      this.inFlight = null;
      this.pumpStopped();
    }
  }

  /** Totals of the full-speed calls, kept on the speed readout for bench/browser.py. */
  count({ firstByteMs, callMs, gapMs }) {
    const d = this.speedOut.dataset;
    const add = (key, value) => (d[key] = String(Number(d[key] ?? 0) + value));
    add("calls", 1);
    add("firstByteMs", firstByteMs);
    add("callMs", callMs);
    if (gapMs !== null) {
      add("gaps", 1);
      add("gapMs", gapMs);
    }
  }

  /** The server forgot the network while playing: restore it from the browser and play on. */
  async revive(error) {
    await this.settle();
    try {
      if (await this.session.revive()) {
        this.play();
        return;
      }
    } catch {
      // fall through: say what happened
    }
    this.messages.error(t("errorTitleTrain"), error, t("hintTrain"));
  }

  /** At a set speed: how many steps the next call asks for now (0: none is due yet). */
  due(now) {
    const rate = this.rate;
    if (!this.clock) this.clock = { since: now, owed: 1 }; // the first step at once
    const owed = this.clock.owed + (rate * (now - this.clock.since)) / 1000;
    this.clock.since = now;
    this.clock.owed = Math.min(owed, Math.max(1, rate * BACKLOG_S));
    return Math.floor(this.clock.owed);
  }

  send(now) {
    const steps = Math.min(this.due(now), MAX_STEPS);
    if (steps < 1) return;
    this.clock.owed -= steps;
    const body = { steps, eval_every: steps };
    const boundary = this.boundaryRequest();
    if (boundary && now - this.lastBoundaryAt >= BOUNDARY_MS) {
      body.boundary = boundary;
      this.lastBoundaryAt = now;
    }
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
  setText(node.querySelector(".counter-value"), state ? formatCount(state.step) : "0");
  setText(node.querySelector(".counter-epoch"), state ? t("epochValue", { epoch: formatNumber(state.epoch, 4) }) : "");
}

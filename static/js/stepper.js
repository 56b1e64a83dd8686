// Stepping through updates by hand: the next phase, the previous phase, a whole step, and
// going back to earlier steps kept in the history. Continuing (a new step, or play) from an
// earlier step first restores the state after it on the server (an import: a new session)
// and says so. The phases, their titles and sentences are animate.js's; the network view
// shows them; the timeline says where we are.

import { explain, phasesFor, phaseTitle } from "./animate.js";
import { traceDownloadUrl } from "./api.js";
import { t } from "./strings.js";

export class Stepper {
  constructor({ session, view, timeline, history, keeper, messages, options }) {
    Object.assign(this, { session, view, timeline, history, keeper, messages, options });
    this.entryIndex = null; // the history entry shown, or null for the live network
    this.cursor = null;
    this.playing = false;
    this.busy = false; // a step or a restore is under way
  }

  get entry() {
    return this.entryIndex === null ? null : this.history.at(this.entryIndex);
  }

  /**
   * True when a step is shown whose result is not the server's state now (an earlier step,
   * or the last one taken by hand before playing on): continuing needs a restore.
   */
  get lookingBack() {
    const entry = this.entry;
    const live = this.session.state;
    if (!entry || !live) return false;
    return this.entryIndex < this.history.length - 1 || entry.after.id !== live.id || entry.after.step !== live.step;
  }

  get canGoBack() {
    if (this.cursor && !this.cursor.atStart) return true;
    if (this.entryIndex !== null) return this.entryIndex > 0;
    return this.history.length > 0;
  }

  /** Show history entry i at phase `start` (a number, or "end"). */
  show(i, start = 0) {
    const entry = this.history.at(i);
    if (!entry) return;
    this.entryIndex = i;
    const phases = phasesFor(entry.trace);
    const index = start === "end" ? phases.length - 1 : start;
    // The view draws the weights the step started from as this record of the step keeps them.
    this.cursor = this.view.showTrace(entry.trace, { start: index, before: entry.before });
    this.render();
  }

  /** Back to the live network (after play, reset, or a new network). */
  leave() {
    this.entryIndex = null;
    this.cursor = null;
    this.view.clearTrace();
    this.render();
  }

  /** A different network: the history belongs to the old one, unless we restored from it. */
  rebuilt(reason) {
    if (reason !== "history") this.history.clear();
    this.entryIndex = null;
    this.cursor = null;
    this.render();
  }

  reset() {
    this.history.clear();
    this.leave();
  }

  async nextPhase() {
    if (this.busy || this.playing) return;
    if (this.cursor && this.cursor.next()) return this.render();
    if (this.entryIndex !== null && this.entryIndex < this.history.length - 1) {
      return this.show(this.entryIndex + 1, 0);
    }
    await this.takeStep(0);
  }

  prevPhase() {
    if (this.busy || this.playing) return;
    if (this.cursor && this.cursor.prev()) return this.render();
    if (this.entryIndex !== null && this.entryIndex > 0) return this.show(this.entryIndex - 1, "end");
    if (this.entryIndex === null && this.history.length > 0) this.show(this.history.length - 1, "end");
  }

  goToPhase(index) {
    if (this.cursor && !this.playing) {
      this.cursor.goto(index);
      this.render();
    }
  }

  async wholeStep() {
    if (this.busy || this.playing) return;
    await this.takeStep("end");
  }

  /**
   * Make the server's network the one shown, if an earlier step is shown: the state after
   * that step is imported and the later steps are dropped. Answers false if that failed.
   */
  async continueHere() {
    if (!this.lookingBack) return true;
    const i = this.entryIndex;
    const entry = this.history.at(i);
    const target = entry.trace.applied ? entry.after : entry.before;
    const doc = this.keeper.exportFor(target);
    if (!doc) return false;
    const dropped = this.session.state.step - target.step; // steps taken after it, by hand or playing
    try {
      this.busy = true;
      await this.session.importExport(doc, "history");
      this.history.keepBefore(i + 1);
      this.messages.info(t(dropped === 1 ? "noticeContinuedOne" : "noticeContinued", { step: target.step, dropped }));
      return true;
    } catch (error) {
      this.messages.error(t("errorTitleRestore"), error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async takeStep(start) {
    if (!(await this.continueHere())) return;
    this.busy = true;
    this.renderButtons();
    try {
      const before = this.session.state;
      const trace = await this.session.step();
      const after = this.session.state;
      const i = this.history.push({ before, trace, after: trace.applied ? after : before });
      this.show(i, start);
      if (trace.diverged) this.messages.diverged(trace.diverged);
      else this.messages.clearError();
    } catch (error) {
      this.messages.error(t("errorTitleStep"), error, t("hintTrain"));
    } finally {
      this.busy = false;
      this.renderButtons();
    }
  }

  /** Before play: continue from the step shown, then show the live network. */
  async beforePlay() {
    if (!(await this.continueHere())) return false;
    this.playing = true;
    this.leave();
    return true;
  }

  paused() {
    this.playing = false;
    this.render();
  }

  /**
   * The network state the picture shows: while a step's phases are shown, the state it started
   * from, and from its update phase on, the state after it; null for the live network.
   */
  get shownState() {
    const entry = this.entry;
    if (!this.cursor || !entry) return null;
    return this.cursor.phase?.kind === "update" && entry.trace.applied ? entry.after : entry.before;
  }

  /** How far the shown step has got, for the charts: {step, loss, update}, or null for the live network. */
  get reveal() {
    const phase = this.cursor?.phase;
    if (!phase || !this.entry) return null;
    const { trace } = this.entry;
    const step = trace.step + (trace.applied ? 0 : 1); // a step that was not applied kept its number
    return { step, loss: phase.kind !== "forward", update: phase.kind === "update" && trace.applied };
  }

  /** `drawn`: the state the network picture shows now (while playing, one from inside a call). */
  render(drawn = null) {
    this.onShown?.(this.shownState, this.reveal);
    this.onPhase?.(this.entry, this.cursor?.phase ?? null);
    const state = this.session.state;
    const sizes = state?.spec.layer_sizes ?? [];
    if (this.cursor && this.entry) {
      const { trace, before } = this.entry;
      const phase = this.cursor.phase;
      const back = state ? state.step - trace.step : 0; // steps the server's network is ahead
      const step = trace.step + (trace.applied ? 0 : 1);
      // "Taking step n, from the network at step n − 1": the same words as the pictures use.
      const from = t("statusFrom", { step: step - 1 });
      this.timeline.render({
        step,
        label: t("stepTaking"),
        status: back > 0 ? `${from} · ${t(back === 1 ? "statusBackOne" : "statusBack", { count: back })}` : from,
        sizes,
        phases: this.cursor.phases,
        index: this.cursor.index,
        title: phaseTitle(phase, sizes),
        titleOf: (p) => phaseTitle(p, sizes),
        explanation: explain(phase, { trace, spec: before.spec, options: this.options }),
        downloads: this.downloadsOf(trace, before),
      });
    } else {
      this.timeline.render({
        step: (drawn ?? state)?.step ?? 0,
        status: this.playing ? t("statusPlaying") : "",
        sizes,
        phases: null,
        index: 0,
        title: "",
        explanation: this.playing ? t("explainPlaying") : t("explainIdle"),
      });
    }
    this.renderButtons();
  }

  /** Links to the shown step's trace on the server: only an applied step of the network live now is kept. */
  downloadsOf(trace, before) {
    const id = this.session.id;
    if (!id || !trace.applied || (before?.id ?? id) !== id) return null;
    return { json: traceDownloadUrl(id, trace.step, "json"), csv: traceDownloadUrl(id, trace.step, "csv") };
  }

  /** Enable the step buttons that can act now (set by main.js). */
  renderButtons() {
    this.onButtons?.({ back: this.canGoBack && !this.busy && !this.playing, forward: !this.busy && !this.playing });
  }
}

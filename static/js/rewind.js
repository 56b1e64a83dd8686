// When training goes wrong: the divergence banner offers *Rewind* beside *Reset*. Rewind goes
// back to the state from when Play was last pressed, or, when stepping by hand, from before the
// step that diverged (the last of these whose weights had not exploded: a state past max |w| = 1e6
// could not train on). The API has no way to put an earlier state back into the same network,
// so the state is kept here as an export and restored with POST /networks/import (as going
// back in the history does); the import takes any finite float64, so the state comes back bit
// for bit (tests/browser/test_rewind.py). When the weights have already exploded (max |w| > 1e6),
// the banner says plainly that a smaller learning rate alone cannot help.

import { formatCount, formatValue } from "./format.js";
import { t } from "./strings.js";

export const EXPLODED = 1e6; // max |w| past which no learning rate can bring the network back

/** The largest |w| of a state's weights (0 for none; Infinity when one is not finite). */
export function maxAbsWeight(state) {
  let max = 0;
  for (const layer of state?.weights ?? []) {
    for (const row of layer) {
      for (const w of row) {
        const size = w === null || !Number.isFinite(w) ? Infinity : Math.abs(w);
        if (size > max) max = size;
      }
    }
  }
  return max;
}

export class Rewinder {
  /**
   * @param {object} parts
   * @param {import("./session.js").Session} parts.session
   * @param {import("./keeper.js").Keeper} parts.keeper  builds the export of a state
   * @param {import("./player.js").Player} parts.player
   * @param {import("./banner.js").Messages} parts.messages  its diverged banner asks us for actions
   * @param {() => void} parts.onRewound  the state shown was replaced by an earlier one
   */
  constructor({ session, keeper, player, messages, onRewound }) {
    this.session = session;
    this.keeper = keeper;
    this.player = player;
    this.messages = messages;
    this.onRewound = onRewound ?? (() => {});
    this.point = null; // the export to go back to
    player.addEventListener("play", () => this.keep(session.state));
    // By hand: the state before each step; the one before the step that diverges is kept.
    session.addEventListener("trace", ({ detail }) => {
      if (!player.playing) this.keep(detail.before);
    });
    session.addEventListener("rebuilt", ({ detail }) => {
      if (detail.reason !== "expired" && detail.reason !== "history") this.point = null;
    });
    messages.onDiverged = () => this.offer();
  }

  /**
   * Keep `state` as the point to rewind to, unless its weights have exploded (or are not finite):
   * such a state could not train on, whatever the learning rate; the last sound state is then kept.
   */
  keep(state) {
    if (!state || maxAbsWeight(state) > EXPLODED) return;
    this.point = this.keeper.exportFor(state) ?? this.point;
  }

  /** What the divergence banner adds: a hint when the weights exploded, Rewind and Reset. */
  offer() {
    const largest = maxAbsWeight(this.session.state);
    const hint = largest > EXPLODED ? t("divergedExploded", { w: formatValue(largest) }) : "";
    const actions = [];
    if (this.point) {
      actions.push({ id: "rewind", label: t("rewind", { step: formatCount(this.point.step) }),
        title: t("rewindTitle"), run: () => this.rewind() });
    }
    actions.push({ id: "banner-reset", label: t("reset"), title: t("resetTitle"), run: () => this.player.reset() });
    return { hint, actions };
  }

  /** Put the kept state back (as a new network with the same spec, data and history). */
  async rewind() {
    const doc = this.point;
    if (!doc) return;
    this.player.pause();
    await this.player.settle();
    try {
      await this.session.importExport(doc, "history");
      this.messages.clearError();
      this.onRewound();
      this.messages.info(t("noticeRewound", { step: formatCount(doc.step) }));
    } catch (error) {
      this.messages.error(t("errorTitleRestore"), error);
    }
  }
}

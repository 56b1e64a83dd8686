// Your own data, edited on the picture of the samples while the data tools are open (the input
// plane of a 2-input network, the fitted-curve chart of a 1-input one, where a sample's height is
// its target): click to add a sample of the chosen class (or value, or the height clicked), drag a
// sample to move it, right-click (a long press on a touch screen) to remove it. Every edit replaces
// the network's data in place (PATCH with `data`: the weights, step and optimizer state are kept, no
// network is created) and the samples are then drawn from the server's answer (GET /data); a drag
// sends its newest place whenever the previous one has landed. A chart edited on offers
// pointAt(clientX, clientY) → {input, target|null} (null off its plot; target null where the picture
// has no target axis) and clientOf(input, target) → [clientX, clientY].
// The panel's other parts (class picker, CSV, downloads, link notice) are data-panel.js's.

import { dataIn } from "./csv.js";
import { t } from "./strings.js";

const HIT = 9; // CSS pixels: a pointer this near a sample takes it
const STILL = 4; // CSS pixels a press may wander and still be a click (or a long press)
const LONG_PRESS_MS = 550;

export class DataEditor {
  /**
   * @param {object} parts
   * @param {import("./session.js").Session} parts.session
   * @param {import("./banner.js").Messages} parts.messages
   * @param {object[]} parts.charts  the pictures that can be edited on (BoundaryChart, FitChart);
   *        `use` chooses the one edited now
   * @param {(state: object) => Promise<object|null>} parts.reload  fetch and draw the server's samples
   * @param {() => number[]} parts.newTarget  the target of a sample added now (the panel's choice)
   * @param {() => boolean} parts.heightIsTarget  whether a point's target on the chart (its height)
   *        is the target of a sample placed there, rather than the panel's choice (a class)
   * @param {() => void} parts.onChanged  the network's data has changed on the server
   * @param {() => boolean} parts.editing  whether the picture takes edits now (the tools are open)
   */
  constructor({ session, messages, charts, reload, newTarget, heightIsTarget, onChanged, editing }) {
    Object.assign(this, { session, messages, reload, newTarget, heightIsTarget, onChanged, editing });
    this.chart = charts[0];
    this.points = null; // GET /data's {train, test, ...} as last drawn (edits change a copy)
    this.press = null; // the pointer held down: {id, x, y, hit, moved, timer}
    this.sending = false;
    this.again = false; // an edit came while a PATCH was on its way: send the newest once it lands
    for (const chart of charts) {
      const on = (type, handle) => chart.canvas.addEventListener(type, (e) => chart === this.chart && handle(e));
      on("pointerdown", (e) => this.down(e));
      on("pointermove", (e) => this.move(e));
      on("pointerup", (e) => this.up(e));
      on("pointercancel", () => this.cancel());
      on("contextmenu", (e) => {
        if (!this.editing()) return;
        e.preventDefault(); // the picture's own menu: remove the sample under the pointer
        const hit = this.hitAt(e.clientX, e.clientY);
        if (hit) this.edit((p) => remove(p, hit));
      });
    }
  }

  /** Edit on `chart` from now on (the picture the page shows for this network). */
  use(chart) {
    this.cancel();
    this.chart = chart;
  }

  /** The target of a sample placed at the chart's point: its height, or null (the panel's choice). */
  targetAt(point) {
    return point.target && this.heightIsTarget() ? point.target : null;
  }

  /** The samples now drawn (the server's), or null before they are known. */
  setPoints(points) {
    this.points = points;
  }

  /** The sample drawn nearest the client position, within HIT pixels: {part, index}, or null. */
  hitAt(clientX, clientY) {
    if (!this.points) return null;
    let best = null;
    let bestDistance = HIT;
    const parts = this.chart.showTest ? ["train", "test"] : ["train"];
    for (const part of parts) {
      const targets = this.points[part]?.targets ?? [];
      (this.points[part]?.inputs ?? []).forEach((x, index) => {
        const at = this.chart.clientOf(x, targets[index]);
        const distance = at ? Math.hypot(at[0] - clientX, at[1] - clientY) : Infinity;
        if (distance <= bestDistance) [best, bestDistance] = [{ part, index }, distance];
      });
    }
    return best;
  }

  down(e) {
    if (e.button !== 0 || !this.editing() || !this.points || !this.chart.pointAt(e.clientX, e.clientY)) return;
    this.chart.canvas.setPointerCapture(e.pointerId);
    const hit = this.hitAt(e.clientX, e.clientY);
    this.press = { id: e.pointerId, x: e.clientX, y: e.clientY, hit, moved: false, timer: null };
    if (hit) this.chart.holdScale?.(true); // the sample dragged stays under the pointer
    if (hit && e.pointerType === "touch") {
      this.press.timer = setTimeout(() => {
        this.press = null;
        this.edit((p) => remove(p, hit));
      }, LONG_PRESS_MS);
    }
  }

  move(e) {
    const press = this.press;
    if (!press || press.id !== e.pointerId) return;
    if (!press.moved && Math.hypot(e.clientX - press.x, e.clientY - press.y) < STILL) return;
    press.moved = true;
    clearTimeout(press.timer);
    const point = this.chart.pointAt(e.clientX, e.clientY);
    if (!press.hit || !point) return;
    this.edit((p) => moveTo(p, press.hit, point.input, this.targetAt(point)), { dragging: true });
  }

  up(e) {
    const press = this.press;
    if (!press || press.id !== e.pointerId) return;
    this.press = null;
    clearTimeout(press.timer);
    this.chart.holdScale?.(false);
    if (press.moved) {
      if (press.hit) this.send(); // the drag's last place, and the server's samples after it
      return;
    }
    if (press.hit) return; // a click on a sample: nothing (right-click or a long press removes it)
    const point = this.chart.pointAt(e.clientX, e.clientY);
    if (point) this.edit((p) => add(p, point.input, this.targetAt(point) ?? this.newTarget()));
  }

  cancel() {
    if (this.press) clearTimeout(this.press.timer);
    this.press = null;
    this.chart.holdScale?.(false);
  }

  /** Apply `change` to a copy of the samples, draw it at once, and send it. */
  edit(change, { dragging = false } = {}) {
    const next = change(copyOf(this.points));
    if (!next) return;
    this.points = next;
    this.chart.setPoints(next);
    if (!dragging || !this.sending) this.send();
    else this.again = true;
  }

  /**
   * Send the samples drawn now as the network's data; while one PATCH is on its way, the newest
   * samples go once it has landed. Then the server's samples are drawn (unless a drag goes on).
   */
  async send() {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    try {
      let sent = false;
      do {
        this.again = false;
        if (this.points.train.inputs.length === 0) { // the server's samples are drawn again below
          this.messages.info(t("dataKeepOne"));
          break;
        }
        await this.session.patch({ data: dataIn(this.points.train, this.points.test) });
        sent = true;
      } while (this.again);
      if (sent) {
        this.messages.clearError();
        this.onChanged();
      }
    } catch (error) {
      this.messages.error(t("errorTitleData"), error, t("hintData"));
    } finally {
      this.sending = false;
    }
    if (!this.press) await this.reload(this.session.state);
  }
}

function copyOf(points) {
  const part = (p) => ({ inputs: [...(p?.inputs ?? [])], targets: [...(p?.targets ?? [])] });
  return { ...points, train: part(points.train), test: part(points.test) };
}

function add(points, x, target) {
  points.train.inputs.push(x);
  points.train.targets.push(target);
  return points;
}

function moveTo(points, { part, index }, x, target) {
  points[part].inputs[index] = x;
  if (target) points[part].targets[index] = target;
  return points;
}

function remove(points, { part, index }) {
  points[part].inputs.splice(index, 1);
  points[part].targets.splice(index, 1);
  return points;
}

// Nothing lost: the latest state is kept in the browser (localStorage) as an export, written a
// moment after steps, plays and pauses; after a reload, or when the server has expired the
// session, the network is restored from it with POST /networks/import. Also the export and
// import of the whole state as a file.

import { PlainError } from "./banner.js";
import { exportOf } from "./history.js";
import { t } from "./strings.js";

const KEY = "backprop-playground/latest";
const SAVE_DELAY_MS = 600;
export const EXPORT_FORMAT = "backprop-playground/1";
/** The formats this page reads: /2 is a network with input features (/1 feeds the raw inputs). */
export const EXPORT_FORMATS = [EXPORT_FORMAT, "backprop-playground/2"];

/** Call `fn` after `ms` of quiet; `.flush()` runs a pending call now, `.cancel()` drops it. */
function debounce(fn, ms) {
  let timer = null;
  let pending = null;
  const run = () => {
    timer = null;
    const args = pending;
    pending = null;
    if (args) fn(...args);
  };
  const wrapped = (...args) => {
    pending = args;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  wrapped.flush = () => {
    clearTimeout(timer);
    run();
  };
  wrapped.cancel = () => {
    clearTimeout(timer);
    timer = null;
    pending = null;
  };
  return wrapped;
}

export class Keeper {
  /**
   * @param {import("./session.js").Session} session
   * @param {import("./banner.js").Messages} messages
   */
  constructor(session, messages) {
    this.session = session;
    this.messages = messages;
    this.base = null; // an export of the current network: format, initial weights, own data
    this.baseId = null;
    this.warned = false;
    this.save = debounce(() => this.write(), SAVE_DELAY_MS);
    session.addEventListener("rebuilt", () => this.fetchBase());
    session.addEventListener("state", () => this.save());
    // Leaving the page: write what is pending now.
    window.addEventListener("pagehide", () => this.save.flush());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.save.flush();
    });
  }

  async fetchBase() {
    const id = this.session.id;
    try {
      const doc = await this.session.exportNow();
      if (this.session.id !== id) return;
      this.base = { format: doc.format, initial_weights: doc.initial_weights,
        initial_biases: doc.initial_biases, data: doc.data };
      this.baseId = id;
      this.save();
    } catch (error) {
      this.messages.error(t("errorTitleExport"), error);
    }
  }

  /** The export of the current state, built from the state and the network's base export. */
  current() {
    const state = this.session.state;
    if (!state || this.baseId !== state.id) return null;
    return exportOf(state, this.base);
  }

  /** The export of an arbitrary state of the current network (an earlier step). */
  exportFor(state) {
    return this.base ? exportOf(state, this.base) : null;
  }

  write() {
    const doc = this.current();
    if (!doc) return;
    try {
      localStorage.setItem(KEY, JSON.stringify({ saved_at: new Date().toISOString(), export: doc }));
    } catch {
      // Storage full or disabled (private mode): say so once; the page works on without it.
      if (!this.warned) this.messages.info(t("noticeStorageUnavailable"));
      this.warned = true;
    }
  }

  /** The export kept in this browser, or null. */
  load() {
    try {
      const kept = JSON.parse(localStorage.getItem(KEY) ?? "null");
      return EXPORT_FORMATS.includes(kept?.export?.format) ? kept.export : null;
    } catch {
      return null;
    }
  }

  forget() {
    this.save.cancel();
    try {
      localStorage.removeItem(KEY);
    } catch {
      // nothing kept, nothing to forget
    }
  }
}

/** Offer `doc` as a file download. */
export function downloadExport(doc) {
  const blob = new Blob([JSON.stringify(doc, null, 1)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = t("exportFileName", { step: doc.step ?? 0 });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Read an uploaded export; a file that is not one gives a PlainError. */
export async function readExportFile(file) {
  let doc;
  try {
    doc = JSON.parse(await file.text());
  } catch {
    throw new PlainError(t("errorImportNotJson", { name: file.name }));
  }
  if (!EXPORT_FORMATS.includes(doc?.format)) {
    throw new PlainError(t("errorImportFormat", { name: file.name, format: EXPORT_FORMATS.join(", ") }));
  }
  return doc;
}

/**
 * The Export button downloads the whole state; the file input imports one. Play stops first,
 * so that the import is not overtaken by a call already on its way.
 */
export function bindFileActions({ session, player, messages, exportButton, importInput }) {
  exportButton.addEventListener("click", async () => {
    try {
      downloadExport(await session.exportNow());
    } catch (error) {
      messages.error(t("errorTitleExport"), error);
    }
  });
  importInput.addEventListener("change", async () => {
    const file = importInput.files?.[0];
    if (!file) return;
    player.pause();
    await player.settle();
    try {
      await session.importExport(await readExportFile(file), "imported");
      messages.clearError();
    } catch (error) {
      messages.error(t("errorTitleImport"), error, t("hintImport"));
    } finally {
      importInput.value = ""; // the same file can be chosen again
    }
  });
}

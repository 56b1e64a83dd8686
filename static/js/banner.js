// The message banner and the notice line. Every API error, refused input or diverged step
// ends here as a visible sentence (what happened, what to try); nothing is swallowed.

import { el, replaceChildren } from "./elements.js";
import { divergenceMessage } from "./i18n/messages.js";
import { t } from "./strings.js";

const NOTICE_MS = 7000;

/** An expected failure with a sentence for the learner (a bad file, a refused input). */
export class PlainError extends Error {
  constructor(message) {
    super(message);
    this.name = "PlainError";
  }
}

export class Messages {
  /**
   * @param {HTMLElement} banner  the error banner (role="alert")
   * @param {HTMLElement} notice  the notice line (role="status")
   */
  constructor(banner, notice) {
    this.banner = banner;
    this.notice = notice;
    this.noticeTimer = null;
    this.banner.hidden = true;
  }

  /**
   * Show an error in the banner.
   * @param {string} title  what the page was doing, e.g. t("errorTitleTrain")
   * @param {Error|string} error  the ApiError (its message is the server's detail) or a sentence
   * @param {string} [hint]  what to try
   */
  error(title, error, hint = "") {
    const message = typeof error === "string" ? error : error?.message || t("errorUnknown");
    const close = el("button", { type: "button", class: "banner-close", "aria-label": t("dismiss") }, "×");
    close.addEventListener("click", () => this.clearError());
    replaceChildren(
      this.banner,
      el("div", { class: "banner-text" },
        el("strong", { class: "banner-title" }, title),
        " ",
        el("span", { class: "banner-message" }, message),
        hint ? el("span", { class: "banner-hint" }, " ", hint) : null),
      close,
    );
    this.banner.hidden = false;
    if (!(error instanceof Error) || error.name === "ApiError" || error.name === "PlainError") return;
    console.error(error); // not an API answer but a bug: keep its stack for whoever debugs it
  }

  /** A diverged step: what happened and what to try, in the page's language. */
  diverged(divergence) {
    this.error(t("errorTitleDiverged"), divergenceMessage(divergence));
  }

  clearError() {
    this.banner.hidden = true;
    this.banner.replaceChildren();
  }

  /** A short notice that fades by itself, e.g. "New network: the architecture changed." */
  info(text) {
    clearTimeout(this.noticeTimer);
    this.notice.textContent = text;
    this.notice.classList.add("visible");
    this.noticeTimer = setTimeout(() => this.notice.classList.remove("visible"), NOTICE_MS);
  }
}

/** Report errors nobody caught, so that the page never fails silently. */
export function catchStrays(messages) {
  window.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    messages.error(t("errorTitleUnexpected"), event.reason);
  });
}

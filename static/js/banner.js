// The message banner and the notice line. Every API error, refused input or diverged step
// ends here as a visible sentence (what happened, what to try); nothing is swallowed.

import { byId, el, fillTexts, replaceChildren } from "./elements.js";
import { divergenceMessage } from "./i18n/messages.js";
import { bindLanguageSwitch, keepLanguageInLinks } from "./i18n/switch.js";
import { t } from "./strings.js";

const NOTICE_MS = 7000;
const NOTICE_FADE_MS = 300; // the fade of page.css's .notice

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
   * @param {{id: string, label: string, title?: string, run: () => void}[]} [actions]  buttons to offer
   */
  error(title, error, hint = "", actions = []) {
    const message = typeof error === "string" ? error : error?.message || t("errorUnknown");
    const close = el("button", { type: "button", class: "banner-close", "aria-label": t("dismiss") }, "×");
    close.addEventListener("click", () => this.clearError());
    replaceChildren(
      this.banner,
      el("div", { class: "banner-text" },
        el("strong", { class: "banner-title" }, title),
        " ",
        el("span", { class: "banner-message" }, message),
        hint ? el("span", { class: "banner-hint" }, t("sentenceGap"), hint) : null),
      actions.length ? el("div", { class: "banner-actions" }, actions.map((action) => {
        const button = el("button", { type: "button", class: "tool", id: action.id, title: action.title ?? null },
          action.label);
        button.addEventListener("click", () => action.run());
        return button;
      })) : null,
      close,
    );
    this.banner.hidden = false;
    this.refusedName = null;
    if (!(error instanceof Error) || error.name === "ApiError" || error.name === "PlainError") return;
    console.error(error); // not an API answer but a bug: keep its stack for whoever debugs it
  }

  /**
   * A diverged step: what happened and what to try, in the page's language; `onDiverged()`
   * (set by rewind.js) adds a hint and the actions to offer (Rewind, Reset).
   */
  diverged(divergence) {
    const { hint = "", actions = [] } = this.onDiverged?.() ?? {};
    // rewind.js's hint (the weights exploded) replaces the advice to lower the learning rate.
    this.error(t("errorTitleDiverged"), divergenceMessage(divergence, { advice: !hint }), hint, actions);
  }

  /** A refused value of control `name`: shown until that control holds a valid value again. */
  refused(name, title, sentence, hint) {
    this.error(title, sentence, hint);
    this.refusedName = name;
  }

  /** Withdraw the message about control `name`, if the banner still shows it. */
  clearRefusal(name) {
    if (this.refusedName === name) this.clearError();
  }

  clearError() {
    this.banner.hidden = true;
    this.banner.replaceChildren();
    this.refusedName = null;
  }

  /** A short notice that fades by itself, e.g. "New network: the architecture changed." */
  info(text) {
    clearTimeout(this.noticeTimer);
    this.notice.textContent = text;
    this.notice.classList.add("visible");
    this.noticeTimer = setTimeout(() => {
      this.notice.classList.remove("visible");
      // Once faded, the line gives its room back.
      this.noticeTimer = setTimeout(() => (this.notice.textContent = ""), NOTICE_FADE_MS);
    }, NOTICE_MS);
  }
}

/** Report errors nobody caught, so that the page never fails silently. */
export function catchStrays(messages) {
  window.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    messages.error(t("errorTitleUnexpected"), event.reason);
  });
}

/**
 * Every page's start: its texts filled, the language switch (in #language), links that keep the
 * language, its banner and notice line, strays caught, and GET /options through `getOptions`.
 * Answers {messages, options}; options is null (and the banner says so) when the server could not
 * be reached.
 */
export async function startPage(getOptions) {
  fillTexts(document);
  bindLanguageSwitch(byId("language")); // before anything can fail: the language can always be changed
  keepLanguageInLinks();
  const messages = new Messages(byId("banner"), byId("notice"));
  catchStrays(messages);
  try {
    return { messages, options: await getOptions() };
  } catch (error) {
    messages.error(t("errorTitleOptions"), error, t("hintReload"));
    return { messages, options: null };
  }
}

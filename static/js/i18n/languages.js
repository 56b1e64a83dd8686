// The languages the page speaks, and which one it speaks now. Adding a language is one file
// (i18n/<code>.js, with exactly the keys of en.js) and one line in LANGUAGES.
//
// The choice, strongest first: `?lang=` in the URL, then the choice remembered in this browser
// (localStorage), then the browser's own languages (navigator.languages), then English.

import en from "./en.js";
import ja from "./ja.js";

/** code → { name: the language's name in itself, strings: its table }. */
export const LANGUAGES = {
  en: { name: "English", strings: en },
  ja: { name: "日本語", strings: ja },
};

export const FALLBACK = "en";
export const STORAGE_KEY = "backprop-playground.lang";

const known = (code) => (typeof code === "string" && Object.hasOwn(LANGUAGES, code) ? code : null);

/** The first known language of a list of BCP 47 tags ("ja-JP" counts as "ja"), or null. */
export function fromTags(tags) {
  for (const tag of tags ?? []) {
    const code = known(String(tag).toLowerCase().split("-")[0]);
    if (code) return code;
  }
  return null;
}

function remembered() {
  try {
    return known(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null; // storage refused (private mode, a sandbox): the choice is simply not remembered
  }
}

/** The language of this page load: URL, then remembered, then browser, then English. */
export function chooseLanguage(location = window.location, nav = navigator) {
  return known(new URLSearchParams(location.search).get("lang"))
    ?? remembered()
    ?? fromTags(nav.languages?.length ? nav.languages : [nav.language])
    ?? FALLBACK;
}

/** Remember `code` in this browser; false when storage is refused. */
export function remember(code) {
  try {
    localStorage.setItem(STORAGE_KEY, code);
    return true;
  } catch {
    return false;
  }
}

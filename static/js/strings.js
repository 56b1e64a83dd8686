// The page's one way to text: t(key, params) in the language this page load speaks
// (i18n/languages.js chooses it; i18n/<code>.js hold the tables). A key missing from a table
// falls back to English, then to the key itself.

import { chooseLanguage, FALLBACK, LANGUAGES } from "./i18n/languages.js";

/** The language of this page ("en", "ja", ...). */
export const LANG = chooseLanguage();

const TABLE = LANGUAGES[LANG].strings;
const REFERENCE = LANGUAGES[FALLBACK].strings;

/** True when `key` has a text in the page's language. */
export const hasText = (key) => Object.hasOwn(TABLE, key);

/** The text for `key`, with {name} placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = TABLE[key] ?? REFERENCE[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? `{${name}}`));
}

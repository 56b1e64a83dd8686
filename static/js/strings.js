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

const PLURAL = new Intl.PluralRules(LANG);

/**
 * The text for `key`, with {name} placeholders filled from `params`. An entry that depends on a
 * number is an object of plural forms (the categories of Intl.PluralRules for the language: English
 * {one, other}, Japanese {other}): the form is chosen by `params.count`.
 */
export function t(key, params = {}) {
  const entry = TABLE[key] ?? REFERENCE[key] ?? key;
  const text = typeof entry === "string" ? entry : entry[PLURAL.select(Number(params.count))] ?? entry.other;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? `{${name}}`));
}

// The language switch in the top bar: a select of the languages, each named in itself. Choosing one
// remembers it in this browser and reloads the page in it (the network comes back from the browser's
// copy, which keeper.js writes on pagehide); a `?lang=` in the address is rewritten to the choice,
// so that it does not overrule it.

import { el, replaceChildren } from "../elements.js";
import { LANG, t } from "../strings.js";
import { LANGUAGES, remember } from "./languages.js";

/**
 * Fill `host` with the switch.
 * @param {HTMLElement} host  the top bar's slot
 */
export function bindLanguageSwitch(host) {
  const select = el("select", { id: "language-select", "aria-label": t("language"), title: t("languageTitle") },
    Object.entries(LANGUAGES).map(([code, { name }]) =>
      el("option", { value: code, lang: code, selected: code === LANG }, name)));
  select.value = LANG;
  select.addEventListener("change", () => {
    const code = select.value;
    remember(code);
    const url = new URL(window.location.href);
    if (url.searchParams.get("lang") === code || !url.searchParams.has("lang")) window.location.reload();
    else {
      url.searchParams.set("lang", code);
      window.location.replace(url.href); // the hash (the settings) is kept
    }
  });
  replaceChildren(host, select);
  return select;
}

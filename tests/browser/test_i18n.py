"""The page in Japanese and English (static/js/strings.js, static/js/i18n/): the two tables have the
same keys and parameters; the Japanese page shows no Latin word but the glossary's names, in every
phase and panel; the language is chosen by ?lang=, then the remembered choice, then the browser;
the switch changes and remembers it; refusals and divergences read in Japanese; the layout holds;
the race page (/race) speaks the same language in every view."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
XOR = "#data=xor&seed=11&wseed=7&hidden=4,2&act=tanh&lr=0.03&batch=10"
DIVERGING = "#data=worked_example&hidden=&out=linear&loss=mse&lr=1000&wseed=3"
STORAGE_KEY = "backprop-playground.lang"

# Every visible text node, and the labels a screen reader or a tooltip shows, with where they are.
TEXTS = """() => {
    const out = [];
    const shown = (el) => el && (el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const host = n.parentElement;
        if (!n.textContent.trim() || host.closest("script, style")) continue;
        const seen = host.closest("option") ? shown(host.closest("select")) : shown(host);
        if (seen) out.push([n.textContent, host.tagName]);
    }
    for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [aria-valuetext], [alt]")) {
        if (!shown(el) && !el.closest(".visually-hidden")) continue;
        for (const a of ["aria-label", "title", "placeholder", "aria-valuetext", "alt"]) {
            if (el.hasAttribute(a)) out.push([el.getAttribute(a), `${el.tagName}@${a}`]);
        }
    }
    out.push([document.title, "title"]);
    return out;
}"""


def glossary(js) -> dict[str, Any]:
    return js.run("const g = await mod('i18n/glossary.js'); return { terms: g.TERMS, latin: g.LATIN_NAMES };")


def allowed_words(js) -> set[str]:
    return {w for name in glossary(js)["latin"] for w in re.findall(r"[A-Za-z]+", name)}


def english_words(page: Page, allowed: set[str]) -> list[tuple[str, str, str]]:
    """(word, where, the text) for every Latin word of two or more letters the glossary does not name."""
    found = []
    for text, where in page.evaluate(TEXTS):
        for word in re.findall(r"[A-Za-z]{2,}", text):
            if word not in allowed:
                found.append((word, where, text[:120]))
    return found


class Strays:
    """The English words of the page, each time the test looks, by where it looked."""

    def __init__(self, page: Page, js) -> None:
        self.page = page
        self.allowed = allowed_words(js)
        self.found: dict[str, list[tuple[str, str, str]]] = {}

    def check(self, where: str) -> None:
        words = english_words(self.page, self.allowed)
        if words:
            self.found[where] = words


def open_page(page: Page, server_url: str, query: str = "", hash_: str = "") -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{server_url}/{query}{hash_}")
    page.wait_for_selector("html[data-ready='true']")
    page.wait_for_selector(".nv-view g.nv-node")


def step_through_every_phase(page: Page, check) -> None:
    """Take a step with Next phase and show each of its phases, calling `check(phase)` at each."""
    page.click("#next-phase")
    page.wait_for_selector('.nv-view[data-phase="forward-0"]')
    seen = ["forward-0"]
    check("forward-0")
    while True:
        page.click("#next-phase")
        page.wait_for_function("(seen) => !seen.includes(document.querySelector('.nv-view').dataset.phase)", arg=seen)
        phase = page.get_attribute(".nv-view", "data-phase")
        if phase in ("idle", "forward-0") or phase is None:
            break
        seen.append(phase)
        check(phase)
        if phase == "update":
            break
    assert seen[-1] == "update" and "loss" in seen and any(p.startswith("backward") for p in seen), seen


# ---- the tables -------------------------------------------------------------------------------

def test_every_key_exists_in_both_languages_with_the_same_parameters(js) -> None:
    tables = js.run("""const en = (await mod('i18n/en.js')).default, ja = (await mod('i18n/ja.js')).default;
        return { en, ja };""")
    en, ja = tables["en"], tables["ja"]
    assert sorted(set(en) - set(ja)) == [], "keys with no Japanese text"
    assert sorted(set(ja) - set(en)) == [], "Japanese keys English does not have"
    params = re.compile(r"\{(\w+)\}")

    def forms(entry: str | dict[str, str]) -> dict[str, str]:  # plural forms, or the one text
        return entry if isinstance(entry, dict) else {"other": entry}

    differ = {k: (en[k], ja[k]) for k in en
              if set(params.findall(forms(en[k])["other"])) != set(params.findall(forms(ja[k])["other"]))}
    assert differ == {}, "a translation must use exactly the parameters of the English text"
    for table in (en, ja):  # a plural entry's forms (one, ...) use only what its `other` form uses
        for k, entry in table.items():
            other = set(params.findall(forms(entry)["other"]))
            assert all(set(params.findall(text)) <= other for text in forms(entry).values()), k
    assert all("count" in params.findall(forms(en[k])["other"]) for k in en if isinstance(en[k], dict))
    empty = [k for k in en if any(text.strip() for text in forms(en[k]).values())
             and not all(text.strip() for text in forms(ja[k]).values())]
    assert empty == []


def test_the_japanese_table_writes_the_glossarys_terms_and_no_other_latin_word(js) -> None:
    ja = js.run("return (await mod('i18n/ja.js')).default;")
    allowed = allowed_words(js)
    texts = [(k, text) for k, v in ja.items() for text in (v.values() if isinstance(v, dict) else [v])]
    shown = [re.sub(r"\{\w+\}", "", text) for key, text in texts if key != "exportFileName"]  # a file's name
    stray = sorted({w for text in shown for w in re.findall(r"[A-Za-z]{2,}", text) if w not in allowed})
    assert stray == []
    text = " ".join(text for _, text in texts)
    for term in ["順伝播", "逆伝播", "誤差", "損失関数", "連鎖律", "勾配", "学習率", "重み", "バイアス", "更新量",
                 "活性化関数", "ミニバッチ"]:
        assert term in text, term


def test_the_glossary_file_is_the_copy_of_the_glossary_module(js) -> None:
    g = glossary(js)
    md = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    rows = {tuple(cell.strip() for cell in line.strip("|").split("|")) for line in md.splitlines()
            if line.startswith("| ") and not line.startswith("| 用語 |")}
    assert rows == {tuple(term) for term in g["terms"]}
    listed = [line[2:] for line in md.splitlines() if line.startswith("- ") and not line.startswith("- 数")
              and not line.startswith("- 単") and not line.startswith("- 数値")]
    assert listed == g["latin"]
    required = ["順伝播", "逆伝播", "誤差", "損失関数", "連鎖律", "勾配", "勾配降下法", "学習率", "重み", "バイアス",
                "更新量", "活性化関数", "勾配消失", "過学習", "ミニバッチ"]
    assert [t for t in required if t not in {term[0] for term in g["terms"]}] == []
    for name in ["ReLU", "Adam", "MSE", "SGD", "AdaGrad", "RMSProp", "tanh"]:
        assert name in g["latin"]


# ---- choosing the language ----------------------------------------------------------------------

def _lang_of(browser, server_url: str, locale: str, query: str = "", remembered: str | None = None) -> str:
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
    try:
        pg = context.new_page()
        pg.goto(f"{server_url}/healthz")
        if remembered:
            pg.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORAGE_KEY, remembered])
        pg.goto(f"{server_url}/{query}")
        pg.wait_for_selector("html[data-ready='true']")
        lang = pg.get_attribute("html", "lang")
        assert pg.locator("#language-select").input_value() == lang
        return lang
    finally:
        context.close()


def test_the_url_beats_the_remembered_choice_which_beats_the_browsers_language(browser, server_url) -> None:
    assert _lang_of(browser, server_url, "en-US") == "en"
    assert _lang_of(browser, server_url, "ja-JP") == "ja"
    assert _lang_of(browser, server_url, "ja-JP", remembered="en") == "en"
    assert _lang_of(browser, server_url, "en-US", remembered="ja") == "ja"
    assert _lang_of(browser, server_url, "en-US", query="?lang=ja", remembered="en") == "ja"
    assert _lang_of(browser, server_url, "ja-JP", query="?lang=en", remembered="ja") == "en"
    assert _lang_of(browser, server_url, "fr-FR", query="?lang=xx") == "en"  # unknown everywhere: English


def wait_kept(page: Page) -> None:
    """Wait until this load has fetched its network's export and kept its copy in the browser
    (keeper.js): leaving the page before then would abort that request."""
    page.wait_for_function("""() => {
        const kept = JSON.parse(localStorage.getItem("backprop-playground/latest") ?? "null");
        return kept !== null && Date.parse(kept.saved_at) >= performance.timeOrigin;
    }""")


def test_the_switch_changes_the_language_keeps_the_network_and_remembers_the_choice(page: Page, server_url) -> None:
    open_page(page, server_url, hash_=XOR)
    settings = page.evaluate("() => location.hash")  # the page writes every setting into the hash
    page.click("#whole-step")
    page.wait_for_function("() => document.querySelector('#step-count').textContent === '1'")
    expect(page.locator("#next-phase")).to_have_text("Next phase →")
    wait_kept(page)
    page.select_option("#language-select", "ja")
    page.wait_for_function("() => document.documentElement.lang === 'ja' && document.documentElement.dataset.ready")
    expect(page.locator("#next-phase")).to_have_text("次の段階 →")
    expect(page.locator("#step-count")).to_have_text("1")  # the network came back from the browser's copy
    assert page.evaluate("() => location.hash") == settings
    wait_kept(page)
    page.goto(f"{server_url}/{XOR}")  # no ?lang: the remembered choice
    page.wait_for_selector("html[data-ready='true']")
    assert page.get_attribute("html", "lang") == "ja"
    wait_kept(page)
    page.goto(f"{server_url}/?lang=ja{XOR}")
    page.wait_for_selector("html[data-ready='true']")
    wait_kept(page)
    page.select_option("#language-select", "en")  # ?lang= is rewritten, or it would overrule the choice
    page.wait_for_function("() => document.documentElement.lang === 'en' && document.documentElement.dataset.ready")
    assert "lang=en" in page.url


# ---- the Japanese page --------------------------------------------------------------------------

def test_the_japanese_page_has_no_english_word_in_any_phase_or_panel(page: Page, server_url, js, shot) -> None:
    strays = Strays(page, js)
    check = strays.check

    open_page(page, server_url, "?lang=ja", XOR + "&lr=oops")  # a setting the link gets wrong: a notice
    expect(page.locator("#notice")).to_contain_text("学習率")
    check("start")
    page.hover('g.nv-node[data-layer="1"][data-unit="0"]')
    check("hover before a step")

    def at_phase(phase: str) -> None:
        check(phase)
        if phase.startswith("backward") or phase == "update":  # pin a unit, then a weight: inspector and explorer
            page.locator('g.nv-node[data-layer="1"][data-unit="0"]').dispatch_event("click")
            page.wait_for_selector("#explorer:not([hidden]) math, #explorer:not([hidden]) .ex-note", timeout=15_000)
            check(f"{phase}, unit pinned")
            page.locator('line.nv-link[data-layer="0"][data-from="0"][data-to="0"]').dispatch_event("click")
            page.wait_for_selector('#explorer [data-part="weight"], #explorer .ex-note', timeout=15_000)
            check(f"{phase}, weight pinned")
            page.keyboard.press("Escape")

    step_through_every_phase(page, at_phase)
    if page.locator("#explorer button:not([disabled])").count():
        check("explorer buttons")
    shot("i18n-ja-phases")
    page.click("#prev-phase")
    check("looking back")
    page.click("#play")
    page.wait_for_function("() => Number(document.querySelector('#step-count').textContent.replace(/,/g, '')) > 20")
    check("playing")
    page.click("#play")
    check("paused")
    # The other panels: a regression's fitted curve, the worked example's lesson, every optimizer's fields.
    for dataset in ["sine", "worked_example", "three_class", "plane"]:
        page.select_option("#ctl-dataset", dataset)
        page.wait_for_function("(d) => location.hash.includes('data=' + d)", arg=dataset)
        page.wait_for_selector(".nv-view g.nv-node")
        check(f"dataset {dataset}")
        if dataset == "worked_example":
            step_through_every_phase(page, lambda phase: check(f"worked example, {phase}"))
            shot("i18n-ja-lesson")
    for name in ["momentum", "adagrad", "rmsprop", "adam", "sgd"]:
        page.select_option("#ctl-optimizer", name)
        page.wait_for_function("(n) => location.hash.includes('opt=' + n) || n === 'sgd'", arg=name)
        check(f"optimizer {name}")
    assert strays.found == {}


LANES_PLAYED = "() => Number(document.querySelector('.lane')?.dataset.step) >= 5"  # racers go in lockstep
RACE_VIEWS = {  # each view of /race, and when it has played enough to show its numbers
    "race": LANES_PLAYED, "vanishing": LANES_PLAYED, "exploding": LANES_PLAYED,
    "surface": "() => Number(document.querySelector('.contour-canvas')?.dataset.drawnStep) >= 6",
}


def test_the_japanese_race_page_has_no_english_word_in_any_view(page: Page, server_url, js, shot) -> None:
    strays = Strays(page, js)
    check = strays.check

    open_page(page, server_url, "?lang=ja", XOR)
    page.wait_for_load_state("networkidle")  # the main page's pictures have landed: leaving aborts no request
    link = page.locator("a[href*='/race']")
    assert "lang=ja" in (link.get_attribute("href") or "")  # the race page speaks the language of the link
    link.click()
    page.wait_for_selector("html[data-ready='true']")
    assert page.get_attribute("html", "lang") == "ja"
    expect(page.locator("#language-select")).to_have_value("ja")
    for view, played in RACE_VIEWS.items():
        page.click(f".race-tabs a[data-view='{view}']")
        page.wait_for_selector(f".race-tabs a[data-view='{view}'][aria-current='page']")
        page.wait_for_selector("html[data-ready='true']")
        check(f"race page, {view}")
        page.click("#race-play")
        page.wait_for_function(played, timeout=60_000)
        page.click("#race-play")
        expect(page.locator("#race-play")).to_have_attribute("data-busy", "false")  # the last call has landed
        check(f"race page, {view}, played")
        shot(f"i18n-ja-race-{view}")
    page.click("[data-surface='valley']")
    page.wait_for_selector("[data-surface='valley'][aria-pressed='true']")
    page.wait_for_selector("html[data-ready='true']")
    check("race page, the valley")
    page.click("[data-surface='network']")
    page.wait_for_selector("[data-surface='network'][aria-pressed='true']")
    page.wait_for_selector("html[data-ready='true']")
    check("race page, a larger network's surface")
    page.select_option(".plane-kind", "axes")
    page.wait_for_function("() => location.hash.includes('plane=axes')")
    page.wait_for_selector(".plane-axis")
    page.wait_for_selector("html[data-ready='true']")
    check("race page, a larger network's surface on two weights")
    assert strays.found == {}


def test_the_race_page_follows_the_remembered_language(page: Page, server_url) -> None:
    page.goto(f"{server_url}/race?lang=ja#view=vanishing")
    page.wait_for_selector("html[data-ready='true']")
    expect(page.locator(".race-tabs a[data-view='vanishing']")).to_have_text("勾配消失")
    page.select_option("#language-select", "en")  # remembered, and ?lang= rewritten
    page.wait_for_function("() => document.documentElement.lang === 'en' && document.documentElement.dataset.ready")
    assert "view=vanishing" in page.url
    page.goto(f"{server_url}/race#view=race")  # no ?lang: the remembered choice
    page.wait_for_selector("html[data-ready='true']")
    expect(page.locator(".race-tabs a[data-view='vanishing']")).to_have_text("Vanishing gradients")
    page.evaluate("(k) => localStorage.setItem(k, 'ja')", STORAGE_KEY)
    page.reload()
    page.wait_for_selector("html[data-ready='true']")
    expect(page.locator(".race-tabs a[data-view='race']")).to_have_text("最適化手法の競走")
    expect(page.locator(".lane h3").nth(1)).to_have_text("モーメンタム")


def test_a_refused_value_is_explained_in_japanese(page: Page, server_url, js, problems, shot) -> None:
    problems.allow("422")  # the refusal is the point of this test
    open_page(page, server_url, "?lang=ja", XOR + "&opt=momentum")
    page.fill("#ctl-momentum", "1.5")
    page.press("#ctl-momentum", "Enter")
    banner = page.locator("#banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("モーメンタム係数は 1 より小さくしてください。")
    assert english_words(page, allowed_words(js)) == []
    shot("i18n-ja-refused")


def test_a_diverged_step_is_explained_in_japanese(page: Page, server_url, js) -> None:
    open_page(page, server_url, "?lang=ja", DIVERGING)
    page.click("#play")
    banner = page.locator("#banner")
    expect(banner).to_be_visible(timeout=30_000)
    expect(banner).to_contain_text("学習率を小さくする")
    assert english_words(page, allowed_words(js)) == []


def test_an_error_code_the_page_does_not_know_keeps_the_servers_english_detail(js) -> None:
    text = js.run("""const m = await mod('i18n/messages.js');
        return [m.apiMessage({ code: 'a_future_code', detail: 'Plain English.', params: {} }, 400),
                m.apiMessage({ code: 'limit_exceeded', detail: 'x', field: 'batch_size',
                               params: { limit: 'max_batch_size', max: 5000, value: 6000 } }, 422)];""")
    assert text == ["Plain English.", "Batch size: 6,000 is over this server's limit of 5,000."]


def test_a_bound_in_bytes_names_what_to_lower_or_asks_for_less(js) -> None:
    text = js.run("""const m = await mod('i18n/messages.js');
        return [m.apiMessage({ code: 'network_too_large', detail: 'x', field: 'batch_size',
                               params: { limit: 'max_network_bytes', max: 16777216, value: 20000000 } }, 422),
                m.apiMessage({ code: 'answer_too_large', detail: 'x', field: null,
                               params: { limit: 'max_answer_bytes', max: 1000, value: 2000 } }, 422)];""")
    assert text == ["This network would hold up to 20,000,000 bytes of the server's memory, over its limit of "
                    "16,777,216: lower batch size.",
                    "The answer would be about 2,000 bytes, more than this server sends (1,000): ask for less at a "
                    "time."]


def test_a_network_removed_to_make_room_is_said_so(js) -> None:
    text = js.run("""const m = await mod('i18n/messages.js');
        return [m.apiMessage({ code: 'network_not_found', detail: 'x',
                               params: { idle_minutes: 60, removed_for_room: true } }, 404),
                m.apiMessage({ code: 'network_not_found', detail: 'x', params: { idle_minutes: 60 } }, 404)];""")
    assert text == ["The server no longer has this network: it was removed to make room for newer ones (the least "
                    "recently used go first).",
                    "The server no longer has this network (networks idle for 60 minutes are removed)."]


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_japanese_layout_does_not_scroll_sideways(page: Page, server_url, shot, width, height) -> None:
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, server_url, "?lang=ja", XOR)
    page.click("#whole-step")
    page.wait_for_function("() => document.querySelector('#step-count').textContent === '1'")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    expect(page.locator("#language-select")).to_be_visible()
    shot(f"i18n-ja-{width}x{height}")

"""The additions for TensorFlow Playground's users on every screen of issue 13, in English and in
Japanese: the loss figures on screen from the first view, the inspector's value field, the
discretize switch and a unit's map, the classroom dialog and a classroom link's page all fit
(nothing sideways, every control uncovered)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_screens import ARTIFACTS, LANGS, SCREENS, assert_fits, open_at

pytestmark = pytest.mark.browser

XOR = "#data=xor&seed=11&wseed=7&hidden=4,2&act=tanh&lr=0.03&batch=10"

IN_VIEW = """(s) => { const r = document.querySelector(s).getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; }"""

# The dialog's own controls that are not the topmost element at their centre (the dialog scrolled to each).
DIALOG_COVERED = """() => {
  const covered = [];
  for (const e of document.querySelectorAll("#classroom-dialog :is(input, button)")) {
    e.scrollIntoView({ block: "nearest" });
    const r = e.getBoundingClientRect();
    const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
    const top = document.elementFromPoint(x, y);
    if (!(top === e || e.contains(top) || [...(e.labels ?? [])].some((l) => l.contains(top)))) covered.push(e.id);
    if (r.left < 0 || r.right > innerWidth) covered.push(`${e.id} sideways`);
  }
  return covered;
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(SCREENS))
def test_the_extras_fit_every_screen(browser, server_url: str, name: str, lang: str) -> None:
    page: Page = open_at(browser, server_url, SCREENS[name], XOR, lang)
    try:
        # The loss figures are on screen from the first view, and they are the readout's.
        page.wait_for_function("() => /\\d/.test(document.querySelector('#train-loss')?.textContent)")
        expect(page.locator("#loss-brief")).to_contain_text(page.locator("#train-loss").inner_text())
        expect(page.locator("#loss-brief")).to_contain_text(page.locator("#test-loss").inner_text())
        assert page.evaluate(IN_VIEW, "#loss-brief"), "the loss figures are off the screen"
        # A pinned unit's value field, the discretize switch and a unit's map shown large.
        page.locator('g.nv-node[data-layer="1"][data-unit="1"]').click()
        expect(page.locator("#nv-edit-value")).to_be_visible()
        page.check("#boundary-discretize")
        page.locator('g.nv-node[data-layer="2"][data-unit="0"]').hover()
        expect(page.locator("#boundary canvas")).to_have_attribute("data-shows", "2,0")
        assert_fits(page, f"screen-{lang}-{name}-extras")
        # The classroom dialog: inside the screen, every control of it uncovered.
        page.click("#classroom-open")
        expect(page.locator("#classroom-dialog")).to_be_visible()
        assert page.evaluate(DIALOG_COVERED) == []
        page.screenshot(path=str(ARTIFACTS / f"screen-{lang}-{name}-classroom.png"))
        page.click("#classroom-close")
        expect(page.locator("#classroom-dialog")).to_be_hidden()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(SCREENS))
def test_a_classroom_links_page_fits_every_screen(browser, server_url: str, name: str, lang: str) -> None:
    page: Page = open_at(browser, server_url, SCREENS[name], XOR + "&hide=data,network,optimizer,regularization,files",
                         lang)
    try:
        expect(page.locator("#section-data")).to_be_hidden()
        assert page.evaluate(IN_VIEW, "#loss-brief")
        assert_fits(page, f"screen-{lang}-{name}-classroom-link")
    finally:
        page.context.close()


def test_the_japanese_extras_have_no_english_word(page: Page, server_url: str, js) -> None:
    from tests.browser.test_i18n import allowed_words, english_words

    page.goto(f"{server_url}/?lang=ja{XOR}")
    page.wait_for_selector("html[data-ready=true][lang=ja]")
    page.wait_for_selector("g.nv-node")
    page.locator('g.nv-node[data-layer="1"][data-unit="1"]').click()
    page.fill("#nv-edit-value", "x")  # the field in use, with its refusal showing
    page.press("#nv-edit-value", "Enter")
    page.check("#boundary-discretize")
    page.locator('g.nv-node[data-layer="2"][data-unit="0"]').hover()
    expect(page.locator("#boundary canvas")).to_have_attribute("data-shows", "2,0")
    found = english_words(page, allowed_words(js))
    page.click("#classroom-open")
    expect(page.locator("#classroom-dialog")).to_be_visible()
    assert found + english_words(page, allowed_words(js)) == []

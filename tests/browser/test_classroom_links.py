"""Classroom links on the page (classroom.js): `hide=` in the URL hash hides chosen controls and
panels, out of sight and out of the tab order; the link survives the page rewriting its hash; the
"Classroom link" dialog builds such a link."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

XOR = "#data=xor&seed=11&wseed=7&hidden=4,2&act=tanh&lr=0.03&batch=10"

# Where each part shows on the page (one element it hides), as the README documents the names.
PARTS = {
    "data": "#section-data", "network": "#section-network", "learning-rate": "#ctl-lr", "optimizer": "#ctl-optimizer",
    "batch": "#ctl-batch", "regularization": "#ctl-regularization", "controls": "#controls",
    "stepping": "#next-phase", "speed": "#speed", "files": "#export", "language": "#language-select",
    "inspector": "#inspector", "output": "#panel-boundary", "gradients": "#panel-gradients", "legend": "#panel-legend",
}

def open_page(page: Page, server_url: str, hash_: str) -> None:
    page.goto(f"{server_url}/{hash_}")
    page.wait_for_selector("html[data-ready=true]")
    page.wait_for_selector("g.nv-node")


def tab_walk(page: Page, limit: int = 250) -> list[str]:
    """The ids (or tags) of what Tab reaches, from the top of the page, until it comes round again."""
    page.evaluate("() => document.activeElement?.blur()")
    reached: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = page.evaluate("() => { const e = document.activeElement; return e === document.body ? '' : "
                             "(e.id || e.tagName + '.' + e.getAttribute('class')); }")
        if reached and here == reached[0]:
            break
        reached.append(here)
    return reached


def test_every_part_a_link_may_hide_is_hidden_and_out_of_the_tab_order(page: Page, server_url: str, shot) -> None:
    names = [n for n in PARTS if n != "controls"]  # `controls` hides the others' column: checked on its own
    open_page(page, server_url, f"{XOR}&hide={','.join(names)}")
    for name in names:
        expect(page.locator(PARTS[name]), name).to_be_hidden()
    expect(page.locator("#play")).to_be_visible()
    expect(page.locator("#section-training")).to_be_visible()  # only its fields were hidden
    reached = tab_walk(page)
    hidden_ids = {PARTS[n].lstrip("#") for n in names} | {"prev-phase", "whole-step", "import-file", "ctl-momentum"}
    assert "play" in reached and [r for r in reached if r in hidden_ids] == []
    shot("classroom-everything-hidden")


def test_hiding_the_settings_column_gives_the_picture_its_room(page: Page, server_url: str) -> None:
    open_page(page, server_url, f"{XOR}&hide=controls")
    expect(page.locator("#controls")).to_be_hidden()
    stage = page.locator("#stage").bounding_box()
    assert stage["x"] < 40  # the picture starts at the page's left edge
    assert "ctl-dataset" not in tab_walk(page)


def test_the_link_keeps_hiding_after_a_change_and_follows_an_edited_hash(page: Page, server_url: str) -> None:
    open_page(page, server_url, f"{XOR}&hide=optimizer")
    page.fill("#ctl-lr", "0.1")
    page.press("#ctl-lr", "Enter")
    page.wait_for_function("() => location.hash.includes('lr=0.1')")
    assert page.evaluate("() => location.hash").endswith("&hide=optimizer")
    expect(page.locator("#ctl-optimizer")).to_be_hidden()
    expect(page.locator("#notice")).not_to_contain_text("hide")  # not reported as an ignored setting
    page.evaluate("() => { location.hash = location.hash.replace('hide=optimizer', 'hide=legend'); }")
    expect(page.locator("#panel-legend")).to_be_hidden()
    expect(page.locator("#ctl-optimizer")).to_be_visible()


def test_the_dialog_builds_a_link_that_hides_the_ticked_parts(page: Page, server_url: str, browser, shot) -> None:
    open_page(page, server_url, XOR)
    page.click("#classroom-open")
    dialog = page.locator("#classroom-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#classroom-dialog input[type=checkbox]")).to_have_count(len(PARTS))
    page.check("#hide-regularization")
    page.check("#hide-data")
    link = page.locator("#classroom-url").input_value()
    assert link.startswith(f"{server_url}/#data=xor&") and link.endswith("&hide=data,regularization")
    shot("classroom-dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    other = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    try:
        other.goto(link)
        other.wait_for_selector("html[data-ready=true]")
        expect(other.locator("#section-data")).to_be_hidden()
        expect(other.locator("#ctl-regularization")).to_be_hidden()
        expect(other.locator("#ctl-optimizer")).to_be_visible()
        assert other.locator("#ctl-dataset").evaluate("(e) => e.value") == "xor"  # the link's settings too
    finally:
        other.context.close()

"""static/js/health-marks.js: dead and saturated units marked on the network picture, each with its
reason in its accessible label and a one-line explanation under the picture, and a hint for an
output that is constant at chance accuracy (the worked case of issue 13: circle, ReLU 8,8, η = 1000)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_screens import LANGS, SCREENS, assert_fits, open_at

pytestmark = pytest.mark.browser

WORKED_CASE = "#data=circle&seed=3&wseed=5&hidden=8,8&act=relu&lr=1000&batch=10"
SATURATING = "#data=circle&seed=3&wseed=5&hidden=4&act=sigmoid&lr=300&batch=10"
HEALTHY = "#data=xor&seed=11&wseed=7&hidden=4,2&act=tanh&lr=0.03&batch=10"


def open_page(page: Page, server_url: str, hash_: str, lang: str = "") -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{server_url}/{lang}{hash_}")
    page.wait_for_selector("html[data-ready='true']")
    page.wait_for_selector("g.nv-node")


def play_past(page: Page, steps: int) -> None:
    """Play until the step counter passes `steps`, then pause (the page then asks for GET /evaluation)."""
    page.click("#play")
    page.wait_for_function("(n) => Number(document.querySelector('#step-count').textContent.replace(/\\D/g, '')) >= n",
                           arg=steps, timeout=60_000)
    page.click("#play")


def test_the_worked_case_marks_the_dead_layer_and_hints_at_the_constant_output(page: Page, server_url: str,
                                                                             shot) -> None:
    open_page(page, server_url, WORKED_CASE)
    play_past(page, 150)
    note = page.locator("#health-note")
    expect(note).to_be_visible(timeout=30_000)
    dead = page.locator("circle.nv-mark-dead")
    expect(dead.first).to_be_visible()
    # Every hidden unit marked dead is one the API reports dead, and the note explains why.
    marked = page.evaluate("""() => [...document.querySelectorAll('circle.nv-mark-dead')].length""")
    assert marked >= 6
    expect(note.locator(".health-dead")).to_contain_text("never recovers")
    expect(note.locator(".health-dead")).to_contain_text("f′(z) = 0")
    constant = note.locator(".health-constant")
    expect(constant).to_contain_text("same for every input")
    expect(constant).to_contain_text("smaller learning rate")
    expect(constant).to_contain_text("initialization")
    expect(constant).to_contain_text("activation function")
    # A screen reader hears the reason on the unit itself.
    labels = page.evaluate("""() => [...document.querySelectorAll('g.nv-node')]
        .map((g) => g.getAttribute('aria-label')).filter((l) => l.includes('dead:'))""")
    assert len(labels) == marked
    assert all("gradient is zero" in label for label in labels)
    shot("health-worked-case")


def test_the_marks_are_the_units_the_api_reports(page: Page, server_url: str) -> None:
    open_page(page, server_url, WORKED_CASE)
    play_past(page, 150)
    expect(page.locator("#health-note")).to_be_visible(timeout=30_000)
    step = int(page.locator("#step-count").inner_text().replace(",", ""))
    # The page's own GET /evaluation, as any client sees it.
    reported = page.evaluate("""async () => {
        const seen = performance.getEntriesByType('resource').map((e) => e.name)
          .filter((n) => n.endsWith('/evaluation')).at(-1);
        return (await fetch(seen)).json();
    }""")
    assert reported["step"] == step
    expected = sorted((layer["layer"] + 1, u) for layer in reported["health"]["layers"] for u in layer["dead"])
    drawn = page.evaluate("""() => [...document.querySelectorAll('g.nv-node')]
        .filter((g) => g.getAttribute('aria-label').includes('dead:'))
        .map((g) => [Number(g.dataset.layer), Number(g.dataset.unit)])""")
    assert sorted(map(tuple, drawn)) == expected and expected


def test_saturated_sigmoid_units_are_marked_and_explained(page: Page, server_url: str) -> None:
    open_page(page, server_url, SATURATING)
    play_past(page, 100)
    note = page.locator("#health-note")
    expect(note.locator(".health-saturated")).to_be_visible(timeout=30_000)
    expect(note.locator(".health-saturated")).to_contain_text("learn very slowly")
    expect(page.locator("circle.nv-mark-saturated").first).to_be_visible()


def test_a_healthy_network_shows_no_marks_and_a_new_step_takes_old_marks_away(page: Page, server_url: str) -> None:
    open_page(page, server_url, HEALTHY)
    page.click("#whole-step")
    page.wait_for_function("() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/evaluation'))")
    expect(page.locator("#health-note")).to_be_hidden()
    assert page.locator("circle.nv-mark-dead, circle.nv-mark-saturated").count() == 0


def test_the_japanese_page_explains_dead_units_in_japanese(page: Page, server_url: str) -> None:
    open_page(page, server_url, WORKED_CASE, "?lang=ja")
    play_past(page, 150)
    note = page.locator("#health-note")
    expect(note).to_be_visible(timeout=30_000)
    expect(note.locator(".health-dead")).to_contain_text("生き返りません")
    expect(note.locator(".health-constant")).to_contain_text("学習率を小さくする")
    assert re.search(r"[A-Za-z]{3,}", note.inner_text().replace("ReLU", "")) is None


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(SCREENS))
def test_the_marks_and_their_note_fit_every_screen(browser, server_url: str, name: str, lang: str) -> None:
    page = open_at(browser, server_url, SCREENS[name], WORKED_CASE, lang)
    try:
        page.emulate_media(reduced_motion="reduce")
        play_past(page, 150)
        expect(page.locator("#health-note .health-constant")).to_be_visible(timeout=30_000)
        assert_fits(page, f"health-{name}-{lang}")
    finally:
        page.context.close()


def test_health_view_words_each_kind_and_names_the_units(js) -> None:
    view = js.run("""const { healthView } = await mod('health-marks.js');
        const layer = (activation, dead, saturated) => ({ layer: 0, activation, dead, saturated });
        const output = { spread: [0.5], constant: false, chance_accuracy: 0.5, at_chance: false };
        const sizes = [2, 8, 1];
        return [healthView({ layers: [layer('relu', [0, 1, 2, 3, 4, 5, 6, 7], [])], output }, sizes, 0.9),
                healthView({ layers: [layer('leaky_relu', [3], [])], output }, sizes, 0.9),
                healthView({ layers: [layer('tanh', [], [2])], output }, sizes, 0.9),
                healthView({ layers: [layer('tanh', [], [])], output: { ...output, constant: true, at_chance: true } },
                           sizes, 0.5)];""")
    relu, leaky, tanh, stuck = view
    assert [(r["layer"], r["unit"], r["mark"]) for r in relu["refs"]] == [(1, u, "dead") for u in range(8)]
    [line] = relu["lines"]
    assert line["kind"] == "dead"
    assert line["text"].startswith("8 dead units (h1.1, h1.2, h1.3, h1.4, h1.5, h1.6, 2 more)")
    assert "never recovers" in line["text"] and "gradient is zero" in relu["refs"][0]["note"]
    assert leaky["lines"][0]["kind"] == "dead" and "leaky ReLU" in leaky["lines"][0]["text"]
    assert "never recovers" not in leaky["lines"][0]["text"] and "α" in leaky["refs"][0]["note"]
    assert tanh["refs"] == [{"kind": "node", "layer": 1, "unit": 2, "mark": "saturated", "key": "saturated",
                             "note": "saturated: f′(z) ≈ 0 on almost every sample, so it learns very slowly"}]
    assert tanh["lines"][0]["text"].startswith("Saturated unit (h1.3)")
    assert stuck["refs"] == [] and [line["kind"] for line in stuck["lines"]] == ["constant"]
    assert "(50.0%)" in stuck["lines"][0]["text"]

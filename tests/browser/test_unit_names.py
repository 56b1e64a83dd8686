"""Input units named by their features (render/unit-names.js) wherever a unit is named — the picture's
labels, every aria-label, the inspector, the chain-rule explorer — in English and Japanese; on a one-input
set each input unit drawn with its feature as a curve over x (render/unit-curves.js, input-curves.js);
and the worked-example lesson (charts/lesson.js) writing the feature, not x, when the input is one."""

from __future__ import annotations

import json
import math

import pytest
from playwright.sync_api import Page
from test_explorer import numbers, pin, walk
from test_network_view import close, next_phase, open_page, take_step

from tests.browser.test_screens import LANGS, SCREENS, assert_fits, open_at

pytestmark = pytest.mark.browser

FEATURED = "#data=xor&seed=11&wseed=7&hidden=3&act=tanh&lr=0.03&batch=10&feat=x1_squared,sin_x2"
NAMES = {"en": ("input x₁²", "input sin x₂", "weight from x₁² to h1.1", "Weight sin x₂ → h1.2"),
         "ja": ("入力 x₁²", "入力 sin x₂", "x₁² から h1.1 への重み", "重み sin x₂ → h1.2")}


def aria(page: Page, selector: str) -> str:
    return page.get_attribute(selector, "aria-label") or ""


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_input_units_are_named_by_their_features_everywhere(page: Page, server_url, shot, lang: str) -> None:
    unit_0, unit_1, link_label, link_title = NAMES[lang]
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{server_url}/{'?lang=ja' if lang == 'ja' else ''}{FEATURED}")
    page.wait_for_selector(f"html[data-ready=true][lang={lang}]")
    page.wait_for_selector(".nv-view g.nv-node[data-layer='0'][data-unit='1']")
    # The screen reader's names of the units and of a weight out of them.
    assert aria(page, "g.nv-node[data-layer='0'][data-unit='0']").startswith(unit_0)
    assert aria(page, "g.nv-node[data-layer='0'][data-unit='1']").startswith(unit_1)
    assert aria(page, "line.nv-link[data-layer='0'][data-from='0'][data-to='0']").startswith(link_label)
    # The inspector: a unit's title, then a weight's title and its a column.
    pin(page, "g.nv-node[data-layer='0'][data-unit='0']")
    page.wait_for_selector(f"#inspector .nv-inspector-title:text-is('{unit_0}')")
    pin(page, "line.nv-link[data-layer='0'][data-from='1'][data-to='1']")
    page.wait_for_selector(f"#inspector .nv-inspector-title:text-is('{link_title}')")
    # The explorer: the weight's title and its formulas' a_{sin x₂}.
    take_step(page)
    walk(page, ["forward-1", "forward-2", "loss", "backward-2", "backward-1"])
    page.wait_for_selector('#explorer [data-part="weight"] math[data-formula="symbols"]')
    assert "sin x₂ → h1.2" in page.text_content("#explorer h3")
    symbols = page.text_content('#explorer [data-part="weight"] math[data-formula="symbols"]')
    assert symbols.count("sin x₂") >= 2, symbols  # w's subscript and a's: the unit's feature, not "x₂"
    shot(f"unit-names-features-{lang}")


def test_the_raw_inputs_keep_their_names(page: Page, server_url) -> None:
    open_page(page, server_url, FEATURED.replace("&feat=x1_squared,sin_x2", ""))
    assert aria(page, "g.nv-node[data-layer='0'][data-unit='1']").startswith("input x₂")
    assert aria(page, "line.nv-link[data-layer='0'][data-from='0'][data-to='0']").startswith("weight from x₁ to h1.1")


SINE = "#data=sine&hidden=4&wseed=3&seed=2&feat=x1,x1_squared"


def test_a_one_input_sets_input_units_show_their_features_as_curves(page: Page, server_url, shot) -> None:
    forward = lambda r: r.request.method == "POST" and r.url.split("?")[0].endswith("/forward")  # noqa: E731
    with page.expect_response(forward) as info:
        open_page(page, server_url, SINE)
    # The curves are the server's layer 0 on the fitted curve's grid: x and x², exactly.
    grid = [row[0] for row in json.loads(info.value.request.post_data)["inputs"]]
    a0 = info.value.json()["inputs"]
    assert len(grid) > 100 and grid == sorted(grid)
    assert all(row[0] == x and row[1] == x * x for x, row in zip(grid, a0, strict=True))
    visible = "g.nv-node[data-layer='0'] foreignObject.nv-map[visibility='visible']"
    page.wait_for_function(f"() => document.querySelectorAll(\"{visible}\").length === 2")
    # Inside the hidden and output units: nothing (there is no plane to colour).
    assert page.locator("g.nv-node:not([data-layer='0']) foreignObject.nv-map[visibility='visible']").count() == 0
    # Each curve is drawn: dark pixels where the line is, on white, different for x and x².
    drawn = page.evaluate("""() => [...document.querySelectorAll("g.nv-node[data-layer='0'] canvas")].map((c) => {
        const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        const dark = [];
        for (let i = 0; i < px.length; i += 4) if (px[i] < 80) dark.push(i / 4);
        return dark;
    })""")
    assert all(len(d) > 50 for d in drawn) and drawn[0] != drawn[1]
    assert any("curve over x" in s for s in page.locator(".nv-legend-text").all_inner_texts())
    shot("unit-curves-sine")
    # A new window size builds the picture's units anew: the curves are drawn into them again.
    page.set_viewport_size({"width": 900, "height": 700})
    page.wait_for_function(f"() => document.querySelectorAll(\"{visible}\").length === 2")
    page.wait_for_function("""(selector) => [...document.querySelectorAll(selector)].every((c) => {
        const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let dark = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i] < 80) dark++;
        return dark > 50;
    })""", arg=f"{visible} canvas", timeout=5000)


WORKED = "#data=worked_example&hidden=&out=linear&loss=mse&bias=0&lr=0.1&opt=sgd"


@pytest.mark.parametrize(("feature", "label", "value"), [("x1_squared", "x²", 4.0), ("sin_x1", "sin x", math.sin(2.0))])
def test_the_lesson_writes_the_feature_and_its_value_for_x(page: Page, server_url, feature, label, value) -> None:
    open_page(page, server_url, f"{WORKED}&feat={feature}")
    trace = take_step(page)
    page.wait_for_selector("#panel-lesson:not([hidden]) svg.lesson-plot")
    assert f"w·{label} − t" in page.text_content("#lesson .ex-note")
    for expected in ["forward-1", "loss", "backward-1"]:
        next_phase(page, expected)
    page.wait_for_selector("#lesson .lesson-chain")
    y, t, x, grad = numbers(page, "#lesson .lesson-chain")
    assert close(x, value) and x == trace["inputs"][0][0]  # the feature's value, not the raw x = 2
    assert close(grad, (y - t) * x) and grad == trace["backward"][0]["grad_weights"][0][0]
    symbols = page.evaluate("() => [...document.querySelectorAll('#lesson .lesson-chain math')[1]"
                            ".querySelectorAll('mi')].map((m) => m.textContent)")
    assert symbols[-1] == label


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(SCREENS))
def test_the_input_curves_and_the_features_names_fit_every_screen(browser, server_url: str, name: str,
                                                                  lang: str) -> None:
    page: Page = open_at(browser, server_url, SCREENS[name], SINE + ",sin_x1", lang)
    try:
        # The curves where the units are large enough for a picture inside (as the maps of a plane).
        page.wait_for_function("""() => {
            const r = Number(document.querySelector("g.nv-node .nv-node-body").getAttribute("r"));
            const shown = document.querySelectorAll(
                "g.nv-node[data-layer='0'] foreignObject.nv-map[visibility='visible']").length;
            return r < 10 || shown === 3;
        }""")
        page.locator("g.nv-node[data-layer='0'][data-unit='2']").click()
        title = page.locator("#inspector .nv-inspector-title")
        assert title.inner_text() == ("入力 sin x" if lang == "ja" else "input sin x")
        assert_fits(page, f"screen-{lang}-{name}-input-curves")
    finally:
        page.context.close()
